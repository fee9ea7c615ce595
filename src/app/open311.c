/* open311.c — the API keys of Open311 client applications (items.h). A key
 * is shown once, stored as its SHA-256 like every other secret. */
#include "app/items.h"
#include "base/mem.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

int open311_key_create(struct app *app, const char *name, int64_t *id, char **key, struct err *err)
{
    if (!name || !name[0] || strlen(name) > 100)
        return err_set(err, ERR_INVALID, "请用 --name 给出客户端名称（不超过 100 字节）");
    char secret[4 + 64 + 1] = "o311", hash[65], at[32];
    auth_random_hex(secret + 4, 32);
    auth_hash_secret(secret, hash);
    auth_now_iso(at);
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_open311_key_insert(db, name, hash, at, id, err);
    struct audit_entry ae = {.user = AUTH_CLI_NAME,
                             .action = "open311.key_create",
                             .entity = arena_printf(a, "open311_key:%lld", (long long)*id),
                             .client = AUTH_CLI_NAME};
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    arena_free(a);
    if (!rc) *key = xstrdup(secret);
    return rc;
}

int open311_key_revoke(struct app *app, int64_t id, struct err *err)
{
    char at[32], entity[48];
    auth_now_iso(at);
    snprintf(entity, sizeof entity, "open311_key:%lld", (long long)id);
    struct audit_entry ae = {.user = AUTH_CLI_NAME,
                             .action = "open311.key_revoke",
                             .entity = entity,
                             .client = AUTH_CLI_NAME};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_open311_key_revoke(db, id, at, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

int open311_key_check(struct app *app, struct arena *a, const char *key, const char **name,
                      struct err *err)
{
    if (!key || strlen(key) != 68)
        return err_set(err, ERR_UNAUTHORIZED, "a valid api_key is required");
    char hash[65];
    auth_hash_secret(key, hash);
    struct db *db = store_acquire(app->store);
    int rc = store_open311_key_get(db, a, hash, name, err);
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND) return err_set(err, ERR_UNAUTHORIZED, "unknown or revoked api_key");
    return rc;
}
