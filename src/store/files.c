/* files.c — uploaded files stored by content, and the files on an item's
 * timeline (store.h). */
#include "store/store.h"

#include <string.h>

static const char sql_file_put[] =
    "INSERT INTO files (sha256, type, size, data, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING";
static const char sql_file_type[] = "SELECT type, size FROM files WHERE sha256 = $1";
static const char sql_item_file_add[] =
    "INSERT INTO item_files (item, event, sha256, name) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT DO NOTHING";
static const char sql_item_files[] =
    "SELECT x.event, x.sha256, x.name, f.type, f.size FROM item_files x "
    "JOIN files f ON f.sha256 = x.sha256 WHERE x.item = $1 ORDER BY x.event, x.name";
static const char sql_item_file_get[] =
    "SELECT x.name, f.type, f.data FROM item_files x JOIN files f ON f.sha256 = x.sha256 "
    "WHERE x.item = $1 AND x.sha256 = $2 ORDER BY x.event LIMIT 1";

int store_file_put(struct db *db, const struct store_file *f, const void *data, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_file_put, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->sha256);
    db_bind_str(st, 2, f->type);
    db_bind_int(st, 3, (int64_t)f->size);
    db_bind_blob(st, 4, data, f->size);
    db_bind_str(st, 5, f->created_by);
    db_bind_str(st, 6, f->created_at);
    return db_run(st, err);
}

int store_file_info(struct db *db, struct arena *a, const char *sha256, struct store_file *out,
                    struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_file_type, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, sha256);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        size_t n;
        const char *type = db_col_text(st, 0, &n);
        *out = (struct store_file){.sha256 = arena_strdup(a, sha256),
                                   .type = arena_strndup(a, type, n),
                                   .size = (size_t)db_col_int(st, 1)};
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "没有摘要为 %s 的文件，请先上传", sha256);
    }
    db_reset(st);
    return rc;
}

int store_item_file_add(struct db *db, int64_t item, int64_t event, const char *sha256,
                        const char *name, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item_file_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, item);
    db_bind_int(st, 2, event);
    db_bind_str(st, 3, sha256);
    db_bind_str(st, 4, name);
    return db_run(st, err);
}

int store_item_files(struct db *db, struct arena *a, int64_t item,
                     int (*fn)(void *ctx, int64_t event, const struct store_file *f), void *ctx,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item_files, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, item);
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t n1, n2, n3;
        const char *sha = db_col_text(st, 1, &n1), *name = db_col_text(st, 2, &n2),
                   *type = db_col_text(st, 3, &n3);
        struct store_file f = {.sha256 = arena_strndup(a, sha, n1),
                               .name = arena_strndup(a, name, n2),
                               .type = arena_strndup(a, type, n3),
                               .size = (size_t)db_col_int(st, 4)};
        if ((rc = fn(ctx, db_col_int(st, 0), &f)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_item_file_get(struct db *db, struct arena *a, int64_t item, const char *sha256,
                        struct store_file *out, const void **data, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item_file_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, item);
    db_bind_str(st, 2, sha256);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        size_t n1, n2, len;
        const char *name = db_col_text(st, 0, &n1), *type = db_col_text(st, 1, &n2);
        const void *p = db_col_blob(st, 2, &len);
        void *copy = arena_alloc(a, len ? len : 1);
        if (len) memcpy(copy, p, len);
        *out = (struct store_file){.sha256 = arena_strdup(a, sha256),
                                   .name = arena_strndup(a, name, n1),
                                   .type = arena_strndup(a, type, n2),
                                   .size = len};
        *data = copy;
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "事项 %lld 没有这个附件", (long long)item);
    }
    db_reset(st);
    return rc;
}
