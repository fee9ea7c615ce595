/*
 * auth_cache.c — sessions and API tokens kept in memory (auth.h).
 *
 * An authenticated request used to read its session or token and its user
 * from the database, and write the session's last use, every time. Here
 * the SHA-256 of the secret maps to what that read returned: the user's id,
 * login and display name, role and scope, the session's CSRF token and
 * last use. A hit costs one hash and one lookup under a mutex.
 *
 * Invariants:
 *  - An entry holds what the database said no longer than AUTH_CACHE_TTL
 *    seconds ago; after that it is read again. This bounds any staleness
 *    a lost notice could cause.
 *  - Whatever ends or changes a user's sign-ins (logout, a token revoked,
 *    the user changed, disabled, given a new password, role or scope)
 *    drops the user's entries here when it commits and tells every other
 *    process: PostgreSQL's NOTIFY "auth:<id>" reaches the other servers
 *    (app_follow → auth_cache_drop_user), and on SQLite, where the other
 *    process is the command line, a counter shared through the mapped file
 *    DATA/auth.epoch is bumped; the server compares it at every lookup (one
 *    memory load) and drops everything when it moved.
 *  - A fill that raced a drop is not kept: a fill remembers the generation
 *    before its database read and is discarded when a drop happened since.
 *  - Sessions: the last use is kept here and written to the database at
 *    most every touch interval (session_idle / 10, at most a minute), so
 *    idle expiry is exact to that interval; an entry idle for longer than
 *    session_idle is read again, since another server may have seen it used.
 *
 * Owner: the app (auth_init/auth_free); entries are malloc'd, one block each.
 */
#include "app/app.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUCKETS   16384 /* power of two */
#define MAX_ENTRY 100000
#define TTL       60 /* seconds an entry is trusted without reading the database */

struct entry {
    struct entry *next;
    unsigned char key[AUTH_KEY_BYTES];
    bool token;
    bool must_change_password;
    int64_t uid, token_id;
    int64_t loaded;                 /* when read from the database */
    int64_t last_seen, stored_seen; /* sessions: last use, and what the database has */
    char csrf[33];
    char *name, *display_name, *role, *scope; /* in the same block, after the struct */
};

struct auth_cache {
    pthread_mutex_t mu;
    uint64_t gen;             /* bumped by every drop */
    uint64_t epoch;           /* the shared counter's value last seen */
    _Atomic uint64_t *shared; /* DATA/auth.epoch mapped, NULL when unavailable */
    size_t n;
    struct entry *bucket[BUCKETS];
};

static uint32_t slot(const unsigned char *key)
{
    uint32_t h;
    memcpy(&h, key, sizeof h); /* a SHA-256 is uniform already */
    return h & (BUCKETS - 1);
}

/* Maps DATA/auth.epoch (created when missing): a 64-bit counter every
 * process on this data directory shares. */
static _Atomic uint64_t *map_epoch(const struct app *app)
{
    char path[CONFIG_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/auth.epoch", app->cfg.data);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        log_msg(LOG_DEBUG, "auth.cache", "epoch=none path=%s msg=\"%s\"", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    void *p = MAP_FAILED;
    if (fstat(fd, &st) == 0 && (st.st_size >= 8 || ftruncate(fd, 8) == 0))
        p = mmap(NULL, 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        log_msg(LOG_WARN, "auth.cache", "epoch=none path=%s msg=\"%s\"", path, strerror(errno));
        return NULL;
    }
    return p;
}

struct auth_cache *auth_cache_new(const struct app *app)
{
    struct auth_cache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->shared = map_epoch(app);
    if (c->shared) c->epoch = atomic_load(c->shared);
    return c;
}

static void clear_locked(struct auth_cache *c)
{
    for (size_t i = 0; i < BUCKETS; i++)
        for (struct entry *e = c->bucket[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    memset(c->bucket, 0, sizeof c->bucket);
    c->n = 0;
    c->gen++;
}

void auth_cache_free(struct auth_cache *c)
{
    if (!c) return;
    clear_locked(c);
    if (c->shared) munmap((void *)c->shared, 8);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* Whether this process may trust its cache: on a shared database only
 * while it follows the others' notices; on SQLite while the counter is
 * shared with the command line. */
static bool usable(const struct app *app)
{
    const struct auth_cache *c = app->auth_cache;
    if (!c) return false;
    return store_shared(app->store) ? app->listener != NULL : c->shared != NULL;
}

/* Drops everything when another process (the command line on SQLite)
 * bumped the shared counter. Called with mu held. */
static void follow_epoch(struct auth_cache *c)
{
    if (!c->shared) return;
    uint64_t now = atomic_load_explicit(c->shared, memory_order_acquire);
    if (now != c->epoch) {
        clear_locked(c);
        c->epoch = now;
    }
}

void auth_cache_drop_user(struct app *app, int64_t uid)
{
    struct auth_cache *c = app->auth_cache;
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < BUCKETS; i++)
        for (struct entry **pp = &c->bucket[i]; *pp;) {
            struct entry *e = *pp;
            if (e->uid == uid) {
                *pp = e->next;
                free(e);
                c->n--;
            } else {
                pp = &e->next;
            }
        }
    c->gen++;
    pthread_mutex_unlock(&c->mu);
}

void auth_cache_drop_all(struct app *app)
{
    struct auth_cache *c = app->auth_cache;
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    clear_locked(c);
    pthread_mutex_unlock(&c->mu);
}

void auth_forget_user(struct app *app, int64_t uid)
{
    auth_cache_drop_user(app, uid);
    struct auth_cache *c = app->auth_cache;
    /* The other processes on this data directory (SQLite). Our own cache
     * lost this user's entries above; it skips its own bump, unless
     * another process bumped too since it last looked. */
    if (c && c->shared && !store_shared(app->store)) {
        pthread_mutex_lock(&c->mu);
        uint64_t was = atomic_fetch_add_explicit(c->shared, 1, memory_order_acq_rel);
        if (was == c->epoch) c->epoch = was + 1;
        pthread_mutex_unlock(&c->mu);
    }
}

int auth_notify(struct db *db, int64_t uid, struct err *err)
{
    char payload[48];
    snprintf(payload, sizeof payload, APP_CHANGED_AUTH "%lld", (long long)uid);
    return db_notify(db, payload, err);
}

static int touch_interval(const struct app *app)
{
    int t = app->cfg.session_idle / 10;
    return t > 60 ? 60 : t;
}

enum auth_cache_hit auth_cache_get(struct app *app, const unsigned char *key, bool token,
                                   int64_t now, struct arena *a, struct auth_cached *out)
{
    struct auth_cache *c = app->auth_cache;
    if (!usable(app)) return AUTH_CACHE_MISS;
    enum auth_cache_hit hit = AUTH_CACHE_MISS;
    pthread_mutex_lock(&c->mu);
    follow_epoch(c);
    out->gen = c->gen;
    struct entry *e = c->bucket[slot(key)];
    while (e && memcmp(e->key, key, AUTH_KEY_BYTES) != 0)
        e = e->next;
    if (e && e->token == token && now - e->loaded < TTL &&
        (token || now - e->last_seen <= app->cfg.session_idle)) {
        hit = AUTH_CACHE_HIT;
        if (!token) {
            e->last_seen = now;
            if (now - e->stored_seen > touch_interval(app)) {
                e->stored_seen = now;
                hit = AUTH_CACHE_HIT_TOUCH;
            }
        }
        out->row = (struct user_row){.id = e->uid,
                                     .username = arena_strdup(a, e->name),
                                     .display_name = arena_strdup(a, e->display_name),
                                     .role = arena_strdup(a, e->role),
                                     .scope = arena_strdup(a, e->scope),
                                     .must_change_password = e->must_change_password};
        out->csrf = token ? NULL : arena_strdup(a, e->csrf);
        out->token_id = e->token_id;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void auth_cache_put(struct app *app, uint64_t gen, const unsigned char *key, bool token,
                    int64_t token_id, const struct user_row *u, const char *csrf, int64_t seen,
                    int64_t now)
{
    struct auth_cache *c = app->auth_cache;
    if (!usable(app)) return;
    size_t ln = strlen(u->username) + 1, ld = strlen(u->display_name) + 1, lr = strlen(u->role) + 1,
           ls = strlen(u->scope) + 1;
    struct entry *e = xcalloc(1, sizeof *e + ln + ld + lr + ls);
    memcpy(e->key, key, AUTH_KEY_BYTES);
    e->token = token;
    e->must_change_password = u->must_change_password;
    e->uid = u->id;
    e->token_id = token_id;
    e->loaded = now;
    e->last_seen = e->stored_seen = seen;
    if (csrf) snprintf(e->csrf, sizeof e->csrf, "%s", csrf);
    char *p = (char *)(e + 1);
    e->name = memcpy(p, u->username, ln);
    e->display_name = memcpy(p += ln, u->display_name, ld);
    e->role = memcpy(p += ld, u->role, lr);
    e->scope = memcpy(p + lr, u->scope, ls);
    pthread_mutex_lock(&c->mu);
    follow_epoch(c);
    if (gen != c->gen) { /* dropped while we read the database: what we read may be stale */
        pthread_mutex_unlock(&c->mu);
        free(e);
        return;
    }
    if (c->n >= MAX_ENTRY) {
        log_msg(LOG_INFO, "auth.cache", "full=%d dropped=all", MAX_ENTRY);
        clear_locked(c);
    }
    struct entry **pp = &c->bucket[slot(key)];
    for (struct entry **q = pp; *q; q = &(*q)->next)
        if (memcmp((*q)->key, key, AUTH_KEY_BYTES) == 0) { /* replaced by the fresher read */
            struct entry *old = *q;
            *q = old->next;
            free(old);
            c->n--;
            break;
        }
    e->next = *pp;
    *pp = e;
    c->n++;
    pthread_mutex_unlock(&c->mu);
}

void auth_cache_drop_key(struct app *app, const unsigned char *key)
{
    struct auth_cache *c = app->auth_cache;
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    for (struct entry **pp = &c->bucket[slot(key)]; *pp; pp = &(*pp)->next)
        if (memcmp((*pp)->key, key, AUTH_KEY_BYTES) == 0) {
            struct entry *e = *pp;
            *pp = e->next;
            free(e);
            c->n--;
            break;
        }
    c->gen++;
    pthread_mutex_unlock(&c->mu);
}
