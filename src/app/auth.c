/* auth.c — roles, logins, sessions, API tokens and the attempt limiter (auth.h).
 * Sessions and tokens are looked up in memory first (auth_cache.c).
 *
 * The limiter counts attempts per address and minute in memory; on a
 * database that several server processes share (PostgreSQL) it counts
 * them in the database as well, so the limit holds across all of them. */
#include "app/app.h"
#include "store/store.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/mem.h"
#include "core/password.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* One address's attempts in one minute. */
struct rate_slot {
    char addr[64];
    int64_t minute;
    int count;
};

struct auth_limiter {
    pthread_mutex_t mu;
    _Atomic int64_t expired;          /* the minute whose older rows were deleted (shared stores) */
    _Atomic int64_t failures_expired; /* likewise for login_failures */
    struct rate_slot slot[1024];
};

int auth_init(struct app *app, struct err *err)
{
    if (sodium_init() < 0) return err_set(err, ERR_INTERNAL, "libsodium failed to initialise");
    const struct auth_role *r = auth_role(app, AUTH_CLI_ROLE);
    if (!r) return err_set(err, ERR_INTERNAL, "data/roles.json declares no role %s", AUTH_CLI_ROLE);
    app->cli = (struct auth_user){.name = AUTH_CLI_NAME,
                                  .display_name = "命令行",
                                  .role = r->code,
                                  .role_name = r->name,
                                  .role_rank = r->rank,
                                  .scope = "",
                                  .perms = r->perms};
    app->limiter = xcalloc(1, sizeof *app->limiter);
    pthread_mutex_init(&app->limiter->mu, NULL);
    app->auth_cache = auth_cache_new(app);
    return ERR_OK;
}

const struct auth_user *auth_cli(const struct app *app)
{
    return &app->cli;
}

bool auth_perm_declared(const struct app *app, const char *perm)
{
    for (int k = 0; perm && app->perms && app->perms[k]; k++)
        if (strcmp(app->perms[k], perm) == 0) return true;
    return false;
}

const char *auth_perm_name(const struct app *app, const char *perm)
{
    for (int k = 0; perm && app->perms && app->perms[k]; k++)
        if (strcmp(app->perms[k], perm) == 0) return app->perm_names[k];
    return perm;
}

void auth_free(struct app *app)
{
    if (app->limiter) pthread_mutex_destroy(&app->limiter->mu);
    free(app->limiter);
    app->limiter = NULL;
    auth_cache_free(app->auth_cache);
    app->auth_cache = NULL;
}

const struct auth_role *auth_role(const struct app *app, const char *code)
{
    for (int i = 0; code && i < app->nroles; i++)
        if (strcmp(app->roles[i].code, code) == 0) return &app->roles[i];
    return NULL;
}

bool auth_has_perm(const struct auth_user *u, const char *perm)
{
    for (int k = 0; u && u->perms && u->perms[k]; k++)
        if (strcmp(u->perms[k], perm) == 0) return true;
    return false;
}

bool auth_in_scope(const char *scope, const char *code)
{
    return code && strncmp(code, scope, strlen(scope)) == 0;
}

bool auth_role_assignable(const struct auth_user *actor, const struct auth_role *role)
{
    if (role->rank > actor->role_rank) return false;
    for (int k = 0; role->perms[k]; k++)
        if (!auth_has_perm(actor, role->perms[k])) return false;
    return true;
}

/* ---- helpers ---- */

void auth_now_iso(char out[32])
{
    time_t now = clock_now();
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void auth_random_hex(char *out, size_t bytes)
{
    unsigned char raw[64];
    randombytes_buf(raw, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
}

/* Tokens are stored only as their SHA-256: a stolen database opens no session. */
void auth_hash_secret(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void fill_user(struct app *app, const struct user_row *s, struct auth_user *out)
{
    static const char *const no_perms[] = {NULL};
    const struct auth_role *r = auth_role(app, s->role);
    memset(out, 0, sizeof *out);
    out->id = s->id;
    out->name = s->username;
    out->display_name = s->display_name;
    out->role = s->role;
    out->role_name = r ? r->name : s->role;
    out->role_rank = r ? r->rank : 0;
    out->scope = s->scope;
    out->perms = r ? r->perms : no_perms;
    out->must_change_password = s->must_change_password;
}

/* The attempts of the database's other processes count too (store_shared):
 * the database keeps the count per address and minute. This process's own
 * count comes first, so an address already over the limit here is refused
 * without a write; once a minute, one attempt deletes the past minutes'
 * rows. Should the database fail, the process's own count decides (the
 * attempt itself will meet the same database). */
static int shared_count(struct app *app, const char *client, int64_t minute, int own)
{
    struct auth_limiter *l = app->limiter;
    struct err err;
    err_clear(&err);
    int n = 0;
    struct db *db = store_acquire(app->store);
    int rc = store_attempt_count(db, client, minute, &n, &err);
    int64_t last = atomic_load(&l->expired);
    if (!rc && last != minute && atomic_compare_exchange_strong(&l->expired, &last, minute))
        rc = store_attempts_expire(db, minute, &err);
    store_release(app->store, db);
    if (rc) {
        log_msg(LOG_WARN, "auth.limiter", "msg=\"%s\"", err.msg);
        return own;
    }
    return n;
}

/* The client's slot of this process's limiter; the caller holds l->mu. */
static struct rate_slot *limiter_slot(struct auth_limiter *l, const char *client)
{
    uint32_t h = 2166136261u;
    for (const char *p = client; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return &l->slot[h % (sizeof l->slot / sizeof l->slot[0])];
}

/* Counts an attempt from client; returns how many it made this minute. */
static int rate_count(struct app *app, const char *client)
{
    struct auth_limiter *l = app->limiter;
    int64_t minute = (int64_t)time(NULL) / 60;
    pthread_mutex_lock(&l->mu);
    struct rate_slot *s = limiter_slot(l, client);
    if (s->minute != minute || strcmp(s->addr, client) != 0) {
        snprintf(s->addr, sizeof s->addr, "%s", client);
        s->minute = minute;
        s->count = 0;
    }
    int n = ++s->count;
    pthread_mutex_unlock(&l->mu);
    if (n <= app->cfg.login_rate && store_shared(app->store))
        n = shared_count(app, client, minute, n);
    return n;
}

bool auth_rate_allow(struct app *app, const char *client)
{
    return rate_count(app, client) <= app->cfg.login_rate;
}

/* Whether client is at the limit already, without counting an attempt. */
bool auth_rate_exhausted(struct app *app, const char *client)
{
    struct auth_limiter *l = app->limiter;
    int64_t minute = (int64_t)time(NULL) / 60;
    pthread_mutex_lock(&l->mu);
    const struct rate_slot *s = limiter_slot(l, client);
    bool out =
        s->minute == minute && strcmp(s->addr, client) == 0 && s->count >= app->cfg.login_rate;
    pthread_mutex_unlock(&l->mu);
    return out;
}

/* ---- passwords ---- */

int auth_password_hash(const char *username, const char *password, char out[128], struct err *err)
{
    int rc = password_check(password, username, err);
    if (rc) return rc;
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(err, ERR_INTERNAL, "out of memory hashing a password");
    return ERR_OK;
}

void auth_random_password(char out[AUTH_ONETIME_LEN + 1])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < AUTH_ONETIME_LEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[AUTH_ONETIME_LEN] = '\0';
}

int auth_password_hash_onetime(const char *password, char out[128], struct err *err)
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_MIN,
                          (size_t)1 << 20) != 0)
        return err_set(err, ERR_INTERNAL, "out of memory hashing a password");
    return ERR_OK;
}

/* A hash of a random password, checked against for unknown names so a
 * wrong name costs as long as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
    char pw[33];
    auth_random_hex(pw, 16);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

static bool password_ok(const char *hash, const char *password)
{
    return hash && hash[0] && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool auth_password_matches(const char *hash, const char *password)
{
    return password_ok(hash, password);
}

/* ---- login and sessions ---- */

static int audit_event(struct db *db, const char *user, const char *action, const char *entity,
                       const char *unit, const char *after, const char *client, struct err *err)
{
    struct audit_entry e = {.user = user,
                            .action = action,
                            .entity = entity,
                            .unit = unit && unit[0] ? unit : NULL,
                            .after = after,
                            .client = client};
    return store_audit_append(db, &e, err);
}

/* Once a minute, one refusal forgets the failures of past windows. */
static int expire_failures(struct app *app, struct db *db, int64_t now, struct err *err)
{
    struct auth_limiter *l = app->limiter;
    int64_t minute = now / 60, last = atomic_load(&l->failures_expired);
    if (last == minute || !atomic_compare_exchange_strong(&l->failures_expired, &last, minute))
        return ERR_OK;
    return store_login_failures_expire(db, now - AUTH_LOCK_SECONDS, err);
}

/* Records a refused sign-in: counts it for (username, client) — locking the
 * pair at AUTH_LOCK_FAILS — and audits it with the reason, which only the
 * audit trail tells. The same work whatever the reason, so neither the
 * answer nor its time says which it was. */
static int login_refused(struct app *app, struct db *db, struct arena *a, const struct user_row *u,
                         const char *username, const char *client, const char *why, int64_t now,
                         struct err *err)
{
    struct err e2;
    err_clear(&e2);
    struct login_failures f;
    const char *action = "session.fail";
    int rc = db_begin(db, true, &e2);
    /* The count as of now, under the write lock: failures on other threads
     * and other servers all count. */
    if (!rc) rc = store_login_failures_get(db, username, client, &f, &e2);
    if (!rc && f.locked_until <= now) {
        if (now - f.last_at > AUTH_LOCK_SECONDS) f.fails = 0;
        f.last_at = now;
        if (++f.fails >= AUTH_LOCK_FAILS) {
            f.fails = 0;
            f.locked_until = now + AUTH_LOCK_SECONDS;
            action = "session.lock";
        }
        rc = store_login_failures_put(db, username, client, &f, &e2);
    }
    if (!rc) rc = expire_failures(app, db, now, &e2);
    if (!rc)
        rc = audit_event(db, u ? u->username : "", action, arena_printf(a, "user:%s", username),
                         u ? u->scope : NULL, arena_printf(a, "{\"reason\":\"%s\"}", why), client,
                         &e2);
    if (!rc) rc = db_commit(db, &e2);
    if (rc) {
        db_rollback(db);
        *err = e2;
        return err_wrap(err, "recording a failed login");
    }
    return err_set(err, ERR_UNAUTHORIZED, "%s", AUTH_FAIL_MSG);
}

/* An address over the login rate: audited at its first refusal of the
 * minute only, so a flood cannot turn into a flood of writes. */
static int login_throttled(struct app *app, const char *username, const char *client, int n,
                           struct err *err)
{
    if (n == app->cfg.login_rate + 1) {
        struct err e2;
        err_clear(&e2);
        struct arena *a = arena_new();
        struct db *db = store_acquire(app->store);
        int rc = db_begin(db, true, &e2);
        if (!rc)
            rc = audit_event(db, "", "session.throttle", arena_printf(a, "user:%s", username), NULL,
                             NULL, client, &e2);
        if (!rc) rc = db_commit(db, &e2);
        if (rc) {
            db_rollback(db);
            log_msg(LOG_WARN, "auth.throttle", "msg=\"%s\"", e2.msg);
        }
        store_release(app->store, db);
        arena_free(a);
    }
    return err_set(err, ERR_RATE_LIMIT, "登录尝试过于频繁，请一分钟后再试");
}

static int open_session(struct app *app, struct db *db, struct arena *a, struct user_row *u,
                        const char *client, const char **token, struct auth_user *out,
                        struct err *err)
{
    int64_t now = (int64_t)time(NULL); /* after the password hash: its first use is now */
    char tok[AUTH_TOKEN_HEX + 1], hash[65], csrf[33], iso[32];
    auth_random_hex(tok, AUTH_TOKEN_HEX / 2);
    auth_random_hex(csrf, 16);
    auth_hash_secret(tok, hash);
    auth_now_iso(iso);
    u->failed_logins = 0;
    u->last_login_at = arena_strdup(a, iso);
    int rc;
    if (!(rc = db_begin(db, true, err)) && !(rc = store_user_update(db, u, err)) &&
        !(rc = store_session_insert(db, hash, u->id, csrf, now, client, err)) &&
        !(rc = store_login_failures_clear(db, u->username, client, err)) &&
        !(rc = audit_event(db, u->username, "session.create",
                           arena_printf(a, "user:%s", u->username), u->scope, NULL, client, err)))
        rc = db_commit(db, err);
    if (rc) {
        db_rollback(db);
        return err_wrap(err, "opening a session");
    }
    fill_user(app, u, out);
    out->csrf = arena_strdup(a, csrf);
    *token = arena_strdup(a, tok);
    return ERR_OK;
}

int auth_login(struct app *app, struct arena *a, const char *username, const char *password,
               const char *client, const char **token, struct auth_user *out, struct err *err)
{
    int n = rate_count(app, client);
    if (n > app->cfg.login_rate) return login_throttled(app, username, client, n, err);
    pthread_once(&dummy_once, dummy_init);
    struct db *db = store_acquire(app->store);
    struct user_row u;
    struct login_failures f;
    int64_t now = (int64_t)time(NULL);
    int rc = store_user_get(db, a, username, &u, err);
    bool known = rc == ERR_OK;
    if (rc == ERR_NOT_FOUND) rc = ERR_OK;
    if (!rc) rc = store_login_failures_get(db, username, client, &f, err);
    if (rc) {
        store_release(app->store, db);
        return err_wrap(err, "reading user %s", username);
    }
    /* One argon2id verification whatever the case: the time tells nothing. */
    bool right = password_ok(known ? u.password_hash : dummy_hash, password);
    const char *why = !known                 ? "unknown"
                      : f.locked_until > now ? "locked"
                      : !right               ? "password"
                      : u.disabled           ? "disabled"
                                             : NULL;
    if (why)
        rc = login_refused(app, db, a, known ? &u : NULL, username, client, why, now, err);
    else
        rc = open_session(app, db, a, &u, client, token, out, err);
    store_release(app->store, db);
    return rc;
}

int auth_logout(struct app *app, const struct auth_user *u, const char *token, const char *client,
                struct err *err)
{
    char hash[65], entity[96];
    unsigned char key[AUTH_KEY_BYTES];
    crypto_hash_sha256(key, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hash, sizeof hash, key, sizeof key);
    snprintf(entity, sizeof entity, "user:%s", u->name);
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc && !(rc = store_session_delete(db, hash, err)) &&
        !(rc = audit_event(db, u->name, "session.delete", entity, u->scope, NULL, client, err)) &&
        !(rc = auth_notify(db, u->id, err)))
        rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) {
        auth_cache_drop_key(app, key);
        auth_forget_user(app, u->id);
    }
    return rc;
}

static bool is_hex_token(const char *t)
{
    if (!t || strlen(t) != AUTH_TOKEN_HEX) return false;
    for (; *t; t++)
        if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f'))) return false;
    return true;
}

/* What the cache gave: the user as a request sees them. */
static void fill_cached(struct app *app, const struct auth_cached *c, struct auth_user *out)
{
    fill_user(app, &c->row, out);
    out->csrf = c->csrf;
}

/* Reads the session from the database: expired ones are deleted, disabled
 * users refused; a valid one is touched and kept in the cache. */
static int session_read(struct app *app, struct db *db, struct arena *a, const unsigned char *key,
                        uint64_t gen, int64_t now, struct auth_user *out, struct err *err)
{
    char hash[65];
    sodium_bin2hex(hash, sizeof hash, key, AUTH_KEY_BYTES);
    int64_t uid, last_seen;
    const char *csrf;
    struct user_row u;
    int rc = store_session_get(db, a, hash, &uid, &csrf, &last_seen, err);
    if (rc == ERR_NOT_FOUND) return err_set(err, ERR_UNAUTHORIZED, "登录已失效，请重新登录");
    if (rc) return rc;
    if (now - last_seen > app->cfg.session_idle) {
        struct err ignore;
        store_session_delete(db, hash, &ignore);
        auth_cache_drop_key(app, key);
        return err_set(err, ERR_UNAUTHORIZED, "长时间未操作，登录已过期，请重新登录");
    }
    rc = store_user_by_id(db, a, uid, &u, err);
    if (rc == ERR_NOT_FOUND || (!rc && u.disabled))
        return err_set(err, ERR_UNAUTHORIZED, "账号已停用，请联系管理员");
    if (rc) return rc;
    if (now > last_seen && (rc = store_session_touch(db, hash, now, err))) return rc;
    auth_cache_put(app, gen, key, false, 0, &u, csrf, now, now);
    fill_user(app, &u, out);
    out->csrf = csrf;
    return ERR_OK;
}

int auth_session_user(struct app *app, struct arena *a, const char *token, struct auth_user *out,
                      struct err *err)
{
    if (!is_hex_token(token)) return err_set(err, ERR_UNAUTHORIZED, "请先登录");
    unsigned char key[AUTH_KEY_BYTES];
    crypto_hash_sha256(key, (const unsigned char *)token, AUTH_TOKEN_HEX);
    int64_t now = (int64_t)time(NULL);
    struct auth_cached c;
    enum auth_cache_hit hit = auth_cache_get(app, key, false, now, a, &c);
    if (hit != AUTH_CACHE_MISS) {
        fill_cached(app, &c, out);
        if (hit == AUTH_CACHE_HIT_TOUCH) { /* the last use, for idle expiry on every server */
            char hash[65];
            struct err e2;
            sodium_bin2hex(hash, sizeof hash, key, sizeof key);
            struct db *db = store_acquire(app->store);
            if (store_session_touch(db, hash, now, &e2))
                log_msg(LOG_WARN, "auth.touch", "msg=\"%s\"", e2.msg);
            store_release(app->store, db);
        }
        return ERR_OK;
    }
    struct db *db = store_acquire(app->store);
    int rc = session_read(app, db, a, key, c.gen, now, out, err);
    store_release(app->store, db);
    return rc;
}

#define TOKEN_PREFIX "jct_"

int auth_bearer_user(struct app *app, struct arena *a, const char *token, struct auth_user *out,
                     struct err *err)
{
    if (strncmp(token, TOKEN_PREFIX, 4) != 0 || !is_hex_token(token + 4))
        return err_set(err, ERR_UNAUTHORIZED, "访问令牌格式不对");
    unsigned char key[AUTH_KEY_BYTES];
    crypto_hash_sha256(key, (const unsigned char *)token, 4 + AUTH_TOKEN_HEX);
    int64_t now = (int64_t)time(NULL);
    struct auth_cached c;
    if (auth_cache_get(app, key, true, now, a, &c) != AUTH_CACHE_MISS) {
        fill_cached(app, &c, out);
        out->via_token = true;
        return ERR_OK;
    }
    char hash[65];
    sodium_bin2hex(hash, sizeof hash, key, sizeof key);
    int64_t id, uid;
    bool revoked;
    struct user_row u;
    struct db *db = store_acquire(app->store);
    int rc = store_token_get(db, hash, &id, &uid, &revoked, err);
    if (rc == ERR_NOT_FOUND)
        rc = err_set(err, ERR_UNAUTHORIZED, "访问令牌无效");
    else if (!rc && revoked)
        rc = err_set(err, ERR_UNAUTHORIZED, "访问令牌已被吊销");
    else if (!rc) {
        rc = store_user_by_id(db, a, uid, &u, err);
        if (rc == ERR_NOT_FOUND || (!rc && u.disabled))
            rc = err_set(err, ERR_UNAUTHORIZED, "账号已停用，请联系管理员");
    }
    store_release(app->store, db);
    if (rc) return rc;
    auth_cache_put(app, c.gen, key, true, id, &u, NULL, now, now);
    fill_user(app, &u, out);
    out->via_token = true;
    return ERR_OK;
}

int auth_token_create(struct app *app, const char *username, const char *label, int64_t *id,
                      char **token, struct err *err)
{
    struct arena *a = arena_new();
    char tok[4 + AUTH_TOKEN_HEX + 1], hash[65], iso[32];
    snprintf(tok, sizeof tok, "%s", TOKEN_PREFIX);
    auth_random_hex(tok + 4, AUTH_TOKEN_HEX / 2);
    auth_hash_secret(tok, hash);
    auth_now_iso(iso);
    struct user_row u;
    struct db *db = store_acquire(app->store);
    int rc = store_user_get(db, a, username, &u, err);
    if (rc == ERR_NOT_FOUND) rc = err_set(err, ERR_NOT_FOUND, "没有用户 %s", username);
    if (!rc && u.disabled) rc = err_set(err, ERR_INVALID, "用户 %s 已停用", username);
    if (!rc && !(rc = db_begin(db, true, err)) &&
        !(rc = store_token_insert(db, hash, u.id, label, iso, id, err)) &&
        !(rc = audit_event(db, AUTH_CLI_NAME, "token.create",
                           arena_printf(a, "token:%lld", (long long)*id), u.scope, NULL,
                           AUTH_CLI_NAME, err)))
        rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    arena_free(a);
    if (!rc) *token = xstrdup(tok);
    return rc;
}

int auth_token_revoke(struct app *app, const struct auth_user *actor, int64_t id, int64_t owner,
                      const char *client, struct err *err)
{
    char iso[32], entity[32];
    auth_now_iso(iso);
    snprintf(entity, sizeof entity, "token:%lld", (long long)id);
    int64_t uid = 0;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc && !(rc = store_token_revoke(db, id, owner, iso, &uid, err)) &&
        !(rc = audit_event(db, actor->name, "token.revoke", entity, NULL, NULL, client, err)) &&
        !(rc = auth_notify(db, uid, err)))
        rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) auth_forget_user(app, uid);
    return rc;
}
