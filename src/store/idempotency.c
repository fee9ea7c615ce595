/* idempotency.c — the records of requests made with an Idempotency-Key
 * (store.h; app/idempotency.c decides when each is written). */
#include "store/store.h"

#include <string.h>

static const char sql_idem_get[] =
    "SELECT fingerprint, status, content_type, body FROM idempotency "
    "WHERE principal = $1 AND key = $2";
static const char sql_idem_claim[] =
    "INSERT INTO idempotency (principal, key, fingerprint, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT DO NOTHING";
static const char sql_idem_answer[] =
    "UPDATE idempotency SET status = $3, content_type = $4, body = $5 "
    "WHERE principal = $1 AND key = $2";
static const char sql_idem_prune[] = "DELETE FROM idempotency WHERE created_at < $1";

int store_idem_get(struct db *db, struct arena *a, const char *principal, const char *key,
                   struct idem_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_idem_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, principal);
    db_bind_str(st, 2, key);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        size_t len = 0;
        const void *body = db_col_blob(st, 3, &len);
        out->fingerprint = db_dup(st, a, "fingerprint");
        out->status = (int)db_int(st, "status");
        out->content_type = db_dup(st, a, "content_type");
        out->body = NULL;
        if (len) {
            out->body = arena_alloc(a, len);
            memcpy(out->body, body, len);
        }
        out->len = len;
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = ERR_NOT_FOUND;
    }
    db_reset(st);
    return rc;
}

int store_idem_claim(struct db *db, const char *principal, const char *key, const char *fingerprint,
                     const char *created_at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_idem_claim, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, principal);
    db_bind_str(st, 2, key);
    db_bind_str(st, 3, fingerprint);
    db_bind_str(st, 4, created_at);
    rc = db_run(st, err);
    if (!rc && db_changes(db) == 0)
        rc = err_set(err, ERR_CONFLICT,
                     "同一 Idempotency-Key 的请求已在处理或已处理，请稍后用同一个键重试以取得结果");
    return rc;
}

int store_idem_answer(struct db *db, const char *principal, const char *key, int status,
                      const char *content_type, const void *body, size_t len, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_idem_answer, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, principal);
    db_bind_str(st, 2, key);
    db_bind_int(st, 3, status);
    db_bind_str(st, 4, content_type ? content_type : "");
    db_bind_blob(st, 5, body, len);
    return db_run(st, err);
}

int store_idem_prune(struct db *db, const char *before, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_idem_prune, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, before);
    return db_run(st, err);
}
