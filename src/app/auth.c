/* auth.c — roles, logins, sessions, API tokens and the attempt limiter (auth.h).
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

struct auth_limiter {
    pthread_mutex_t mu;
    _Atomic int64_t expired; /* the minute whose older rows were deleted (shared stores) */
    struct {
        char addr[64];
        int64_t minute;
        int count;
    } slot[1024];
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
}

/* The attempts of the database's other processes count too (store_shared):
 * the database keeps the count per address and minute. This process's own
 * count comes first, so an address already over the limit here is refused
 * without a write; once a minute, one attempt deletes the past minutes'
 * rows. Should the database fail, the process's own count decides (the
 * attempt itself will meet the same database). */
static bool shared_allow(struct app *app, const char *client, int64_t minute)
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
        return true;
    }
    return n <= app->cfg.login_rate;
}

bool auth_rate_allow(struct app *app, const char *client)
{
    struct auth_limiter *l = app->limiter;
    uint32_t h = 2166136261u;
    for (const char *p = client; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    int64_t minute = (int64_t)time(NULL) / 60;
    pthread_mutex_lock(&l->mu);
    __typeof__(l->slot[0]) *s = &l->slot[h % (sizeof l->slot / sizeof l->slot[0])];
    if (s->minute != minute || strcmp(s->addr, client) != 0) {
        snprintf(s->addr, sizeof s->addr, "%s", client);
        s->minute = minute;
        s->count = 0;
    }
    bool ok = ++s->count <= app->cfg.login_rate;
    pthread_mutex_unlock(&l->mu);
    if (ok && store_shared(app->store)) ok = shared_allow(app, client, minute);
    return ok;
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

/* ---- login and sessions ---- */

static int audit_event(struct db *db, const char *user, const char *action, const char *entity,
                       const char *unit, const char *client, struct err *err)
{
    struct audit_entry e = {.user = user,
                            .action = action,
                            .entity = entity,
                            .unit = unit && unit[0] ? unit : NULL,
                            .client = client};
    return store_audit_append(db, &e, err);
}

/* Records a failed attempt (and the lock it may trigger) with its audit record. */
static int login_failed(struct db *db, struct arena *a, struct user_row *u, const char *username,
                        const char *client, struct err *err)
{
    struct err e2;
    err_clear(&e2);
    int rc = db_begin(db, true, &e2);
    bool locked = false;
    /* The count as of now, under the write lock: failures on other threads
     * and other servers since u was read all count. */
    if (!rc && u) rc = store_user_get(db, a, username, u, &e2);
    if (!rc && u) {
        if (++u->failed_logins >= AUTH_LOCK_FAILS) {
            u->failed_logins = 0;
            u->locked_until = (int64_t)time(NULL) + AUTH_LOCK_SECONDS;
            locked = true;
        }
        rc = store_user_update(db, u, &e2);
    }
    if (!rc)
        rc = audit_event(db, u ? u->username : "", locked ? "session.lock" : "session.fail",
                         arena_printf(a, "user:%s", username), u ? u->scope : NULL, client, &e2);
    if (!rc) rc = db_commit(db, &e2);
    if (rc) {
        db_rollback(db);
        *err = e2;
        return err_wrap(err, "recording a failed login");
    }
    if (locked)
        return err_set(err, ERR_RATE_LIMIT, "密码连续错误 %d 次，账号已锁定 %d 分钟",
                       AUTH_LOCK_FAILS, AUTH_LOCK_SECONDS / 60);
    return err_set(err, ERR_UNAUTHORIZED, "用户名或密码错误");
}

int auth_login(struct app *app, struct arena *a, const char *username, const char *password,
               const char *client, const char **token, struct auth_user *out, struct err *err)
{
    if (!auth_rate_allow(app, client))
        return err_set(err, ERR_RATE_LIMIT, "登录尝试过于频繁，请一分钟后再试");
    pthread_once(&dummy_once, dummy_init);
    struct db *db = store_acquire(app->store);
    struct user_row u;
    int rc = store_user_get(db, a, username, &u, err);
    int64_t now = (int64_t)time(NULL);
    if (rc == ERR_NOT_FOUND) {
        password_ok(dummy_hash, password);
        rc = login_failed(db, a, NULL, username, client, err);
    } else if (rc) {
        err_wrap(err, "reading user %s", username);
    } else if (u.locked_until > now) {
        rc = err_set(err, ERR_RATE_LIMIT, "账号因密码连续错误已锁定，请在 %lld 分钟后再试",
                     (long long)((u.locked_until - now + 59) / 60));
    } else if (!password_ok(u.password_hash, password)) {
        rc = login_failed(db, a, &u, username, client, err);
    } else if (u.disabled) {
        rc = err_set(err, ERR_UNAUTHORIZED, "账号已停用，请联系管理员");
    } else {
        char tok[AUTH_TOKEN_HEX + 1], hash[65], csrf[33], iso[32];
        auth_random_hex(tok, AUTH_TOKEN_HEX / 2);
        auth_random_hex(csrf, 16);
        auth_hash_secret(tok, hash);
        auth_now_iso(iso);
        u.failed_logins = 0;
        u.last_login_at = arena_strdup(a, iso);
        if (!(rc = db_begin(db, true, err)) && !(rc = store_user_update(db, &u, err)) &&
            !(rc = store_session_insert(db, hash, u.id, csrf, now, client, err)) &&
            !(rc = audit_event(db, u.username, "session.create",
                               arena_printf(a, "user:%s", u.username), u.scope, client, err)))
            rc = db_commit(db, err);
        if (rc) {
            db_rollback(db);
            err_wrap(err, "opening a session");
        } else {
            fill_user(app, &u, out);
            out->csrf = arena_strdup(a, csrf);
            *token = arena_strdup(a, tok);
        }
    }
    store_release(app->store, db);
    return rc;
}

int auth_logout(struct app *app, const struct auth_user *u, const char *token, const char *client,
                struct err *err)
{
    char hash[65], entity[96];
    auth_hash_secret(token, hash);
    snprintf(entity, sizeof entity, "user:%s", u->name);
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc && !(rc = store_session_delete(db, hash, err)) &&
        !(rc = audit_event(db, u->name, "session.delete", entity, u->scope, client, err)))
        rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

/* Loads the user behind a session or token; disabled users are refused. */
static int load_user(struct app *app, struct db *db, struct arena *a, int64_t id,
                     struct auth_user *out, struct err *err)
{
    struct user_row u;
    int rc = store_user_by_id(db, a, id, &u, err);
    if (rc == ERR_NOT_FOUND || (!rc && u.disabled))
        return err_set(err, ERR_UNAUTHORIZED, "账号已停用，请联系管理员");
    if (rc) return rc;
    fill_user(app, &u, out);
    return ERR_OK;
}

static bool is_hex_token(const char *t)
{
    if (!t || strlen(t) != AUTH_TOKEN_HEX) return false;
    for (; *t; t++)
        if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f'))) return false;
    return true;
}

int auth_session_user(struct app *app, struct arena *a, const char *token, struct auth_user *out,
                      struct err *err)
{
    if (!is_hex_token(token)) return err_set(err, ERR_UNAUTHORIZED, "请先登录");
    char hash[65];
    auth_hash_secret(token, hash);
    int64_t uid, last_seen, now = (int64_t)time(NULL);
    const char *csrf;
    struct db *db = store_acquire(app->store);
    int rc = store_session_get(db, a, hash, &uid, &csrf, &last_seen, err);
    if (rc == ERR_NOT_FOUND) {
        rc = err_set(err, ERR_UNAUTHORIZED, "登录已失效，请重新登录");
    } else if (!rc && now - last_seen > app->cfg.session_idle) {
        struct err ignore;
        store_session_delete(db, hash, &ignore);
        rc = err_set(err, ERR_UNAUTHORIZED, "长时间未操作，登录已过期，请重新登录");
    } else if (!rc && !(rc = load_user(app, db, a, uid, out, err))) {
        out->csrf = csrf;
        if (now > last_seen) rc = store_session_touch(db, hash, now, err);
    }
    store_release(app->store, db);
    return rc;
}

#define TOKEN_PREFIX "jct_"

int auth_bearer_user(struct app *app, struct arena *a, const char *token, struct auth_user *out,
                     struct err *err)
{
    if (strncmp(token, TOKEN_PREFIX, 4) != 0 || !is_hex_token(token + 4))
        return err_set(err, ERR_UNAUTHORIZED, "访问令牌格式不对");
    char hash[65];
    auth_hash_secret(token, hash);
    int64_t uid;
    bool revoked;
    struct db *db = store_acquire(app->store);
    int rc = store_token_get(db, hash, &uid, &revoked, err);
    if (rc == ERR_NOT_FOUND)
        rc = err_set(err, ERR_UNAUTHORIZED, "访问令牌无效");
    else if (!rc && revoked)
        rc = err_set(err, ERR_UNAUTHORIZED, "访问令牌已被吊销");
    else if (!rc && !(rc = load_user(app, db, a, uid, out, err)))
        out->via_token = true;
    store_release(app->store, db);
    return rc;
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
                           arena_printf(a, "token:%lld", (long long)*id), u.scope, AUTH_CLI_NAME,
                           err)))
        rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    arena_free(a);
    if (!rc) *token = xstrdup(tok);
    return rc;
}

int auth_token_revoke(struct app *app, int64_t id, struct err *err)
{
    char iso[32], entity[32];
    auth_now_iso(iso);
    snprintf(entity, sizeof entity, "token:%lld", (long long)id);
    int64_t uid;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc && !(rc = store_token_revoke(db, id, iso, &uid, err)) &&
        !(rc = audit_event(db, AUTH_CLI_NAME, "token.revoke", entity, NULL, AUTH_CLI_NAME, err)))
        rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}
