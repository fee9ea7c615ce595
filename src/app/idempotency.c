/* idempotency.c — writes made with an Idempotency-Key happen once (idempotency.h). */
#include "app/idempotency.h"
#include "app/app.h"
#include "app/auth.h"
#include "base/clock.h"
#include "base/log.h"
#include "store/store.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Records are kept this long: an outbox on a phone may hold a write for
 * days without a signal; a repeat after that runs again. */
#define KEEP_DAYS   30
#define PRUNE_EVERY 3600 /* seconds between two prunings */

static bool key_ok(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n > IDEM_KEY_MAX) return false;
    for (size_t i = 0; i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e) return false;
    return true;
}

static void fingerprint(const char *method, const char *path, const void *body, size_t len,
                        char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)method, strlen(method));
    crypto_hash_sha256_update(&st, (const unsigned char *)" ", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)path, strlen(path) + 1);
    if (len) crypto_hash_sha256_update(&st, body, len);
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* The hook: the record, inside the request's write transaction. */
static int claim(void *ctx, struct db *db, struct err *err)
{
    const struct idem *x = ctx;
    char now[32];
    auth_now_iso(now);
    return store_idem_claim(db, x->principal, x->key, x->fingerprint, now, err);
}

int idem_begin(struct app *app, struct arena *a, const char *principal, const char *key,
               const char *method, const char *path, const void *body, size_t len, struct idem *x,
               struct idem_answer *replay, bool *found, struct err *err)
{
    *found = false;
    if (!key_ok(key))
        return err_set_field(err, ERR_INVALID, "Idempotency-Key",
                             "Idempotency-Key 须为 1 到 %d 个可见 ASCII 字符（如 UUID）",
                             IDEM_KEY_MAX);
    *x = (struct idem){.app = app, .principal = principal, .key = key};
    fingerprint(method, path, body, len, x->fingerprint);
    int rc = idem_recheck(x, a, replay, found, err);
    if (!rc && !*found) db_before_commit(claim, x);
    return rc;
}

int idem_recheck(const struct idem *x, struct arena *a, struct idem_answer *replay, bool *found,
                 struct err *err)
{
    *found = false;
    struct idem_row row;
    struct db *db = store_acquire(x->app->store);
    int rc = store_idem_get(db, a, x->principal, x->key, &row, err);
    store_release(x->app->store, db);
    if (rc == ERR_NOT_FOUND) {
        err_clear(err);
        return ERR_OK;
    }
    if (rc) return rc;
    if (strcmp(row.fingerprint, x->fingerprint) != 0)
        return err_set_field(err, ERR_INVALID, "Idempotency-Key",
                             "这个 Idempotency-Key 已用于另一个请求：每个新请求须用新的键");
    if (row.status == 0)
        return err_set_field(
            err, ERR_CONFLICT, "Idempotency-Key",
            "同一 Idempotency-Key 的请求已经写入，答复尚未保存：请稍后用同一个键重试");
    *replay = (struct idem_answer){row.status, row.content_type, row.body, row.len};
    *found = true;
    return ERR_OK;
}

/* Deletes records older than KEEP_DAYS, at most once every PRUNE_EVERY seconds. */
static void prune(struct app *app)
{
    static _Atomic long long last;
    long long now = (long long)clock_now(), was = atomic_load(&last);
    if (now - was < PRUNE_EVERY || !atomic_compare_exchange_strong(&last, &was, now)) return;
    char before[32];
    time_t t = (time_t)(now - (long long)KEEP_DAYS * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct err e;
    err_clear(&e);
    struct db *db = store_acquire(app->store);
    if (store_idem_prune(db, before, &e)) /* the next pruning tries again */
        log_msg(LOG_WARN, "idempotency.prune", "msg=\"%s\"", e.msg);
    store_release(app->store, db);
}

bool idem_committed(void)
{
    return db_before_commit_done();
}

void idem_finish(struct idem *x, int status, const char *content_type, const void *body, size_t len)
{
    bool committed = idem_committed();
    db_before_commit(NULL, NULL);
    if (!committed && (status < 200 || status > 299)) return; /* it wrote nothing */
    struct err e;
    err_clear(&e);
    struct db *db = store_acquire(x->app->store);
    int rc = ERR_OK;
    if (!committed) { /* it succeeded without a write transaction: a record of its own */
        char now[32];
        auth_now_iso(now);
        rc = store_idem_claim(db, x->principal, x->key, x->fingerprint, now, &e);
    }
    if (!rc) rc = store_idem_answer(db, x->principal, x->key, status, content_type, body, len, &e);
    store_release(x->app->store, db);
    /* the write stands; its repeats get 409 instead of the answer (a racing
     * repeat's record is no failure: it answers for both) */
    if (rc && rc != ERR_CONFLICT) log_msg(LOG_WARN, "idempotency.answer", "msg=\"%s\"", e.msg);
    prune(x->app);
}
