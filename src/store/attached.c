/* attached.c — files attached by name to a record: a notice's (notice_files)
 * or an event's (event_files). The same three statements over each link
 * table; the file itself (bytes, type, size) is in `files` (store.h). */
#include "store/store.h"

#include <string.h>

static const struct link {
    const char *add, *list, *get;
    const char *missing; /* no such file on this record */
} links[STORE_ATTACH_COUNT] = {
    [STORE_ATTACH_NOTICE] =
        {"INSERT INTO notice_files (notice_id, sha256, name) SELECT $1, sha256, $3 FROM files "
         "WHERE sha256 = $2 ON CONFLICT DO NOTHING",
         "SELECT x.sha256, x.name, f.type, f.size FROM notice_files x "
         "JOIN files f ON f.sha256 = x.sha256 WHERE x.notice_id = $1 ORDER BY x.name, x.sha256",
         "SELECT x.sha256, x.name, f.type, f.size, f.data FROM notice_files x "
         "JOIN files f ON f.sha256 = x.sha256 WHERE x.notice_id = $1 AND x.sha256 = $2",
         "这条通知没有这个附件"},
    [STORE_ATTACH_EVENT] =
        {"INSERT INTO event_files (event_id, sha256, name) SELECT $1, sha256, $3 FROM files "
         "WHERE sha256 = $2 ON CONFLICT DO NOTHING",
         "SELECT x.sha256, x.name, f.type, f.size FROM event_files x "
         "JOIN files f ON f.sha256 = x.sha256 WHERE x.event_id = $1 ORDER BY x.name, x.sha256",
         "SELECT x.sha256, x.name, f.type, f.size, f.data FROM event_files x "
         "JOIN files f ON f.sha256 = x.sha256 WHERE x.event_id = $1 AND x.sha256 = $2",
         "这次活动没有这个附件"},
};
static const char sql_file_known[] = "SELECT count(*) FROM files WHERE sha256 = $1";

int store_attached_add(struct db *db, enum store_attach to, int64_t owner, const char *sha256,
                       const char *name, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, links[to].add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, owner);
    db_bind_str(st, 2, sha256);
    db_bind_str(st, 3, name);
    if ((rc = db_run(st, err)) || db_changes(db)) return rc;
    int64_t known;
    if ((rc = db_prepare(db, sql_file_known, &st, err))) return rc;
    db_bind_str(st, 1, sha256);
    if ((rc = db_run_returning(st, &known, NULL, err))) return rc;
    return known ? ERR_OK : err_set(err, ERR_NOT_FOUND, "没有这个文件，请先上传");
}

int store_attached_files(struct db *db, struct arena *a, enum store_attach to, int64_t owner,
                         struct notice_file **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct db_stmt *st;
    int rc = db_prepare(db, links[to].list, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, owner);
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        (*out)[(*n)++] = (struct notice_file){db_dup(st, a, "sha256"), db_dup(st, a, "name"),
                                              db_dup(st, a, "type"), db_int(st, "size")};
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_attached_get(struct db *db, struct arena *a, enum store_attach to, int64_t owner,
                       const char *sha256, struct notice_file *out, const void **data,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, links[to].get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, owner);
    db_bind_str(st, 2, sha256);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        size_t len;
        const void *bytes = db_col_blob(st, db_col(st, "data"), &len);
        *out = (struct notice_file){db_dup(st, a, "sha256"), db_dup(st, a, "name"),
                                    db_dup(st, a, "type"), (int64_t)len};
        void *copy = arena_alloc(a, len ? len : 1);
        if (len) memcpy(copy, bytes, len);
        *data = copy;
    }
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "%s", links[to].missing);
    return rc < 0 ? rc : ERR_OK;
}
