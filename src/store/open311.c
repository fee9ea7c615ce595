/* open311.c — the API keys of Open311 client applications (store.h). */
#include "store/store.h"

#include <stdio.h>

static const char sql_key_insert[] =
    "INSERT INTO open311_keys (name, key_hash, created_at) VALUES ($1, $2, $3) RETURNING id";
static const char sql_key_get[] =
    "SELECT name FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL";
static const char sql_key_revoke[] = "UPDATE open311_keys SET revoked_at = $2 "
                                     "WHERE id = $1 AND revoked_at IS NULL RETURNING id";

int store_open311_key_insert(struct db *db, const char *name, const char *key_hash, const char *at,
                             int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_key_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, name);
    db_bind_str(st, 2, key_hash);
    db_bind_str(st, 3, at);
    return db_run_returning(st, id, NULL, err);
}

int store_open311_key_get(struct db *db, struct arena *a, const char *key_hash, const char **name,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_key_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, key_hash);
    rc = db_step(st, err);
    if (rc == DB_ROW) *name = db_dup(st, a, "name");
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "unknown or revoked api_key");
    return rc < 0 ? rc : ERR_OK;
}

int store_open311_key_revoke(struct db *db, int64_t id, const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_key_revoke, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, at);
    char none[64];
    snprintf(none, sizeof none, "没有编号为 %lld 的有效 API key", (long long)id);
    return db_run_returning(st, NULL, none, err);
}
