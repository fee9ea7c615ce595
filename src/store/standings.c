/* standings.c — the five-star standings kept across restarts, and the
 * value writes of the audit trail that tell which of them moved since
 * (store.h; app/rating_results.c packs and reads the rows). */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char sql_writes_since[] =
    "SELECT action, CASE WHEN action = 'values.write' THEN after_json END AS after_json "
    "FROM audit WHERE seq > $1 AND seq <= $2 ORDER BY seq";
static const char sql_meta_get[] = "SELECT key, seq, units, digest, writer, written_at "
                                   "FROM rating_standings_meta WHERE scheme = $1";
static const char sql_meta_put[] =
    "INSERT INTO rating_standings_meta (scheme, key, seq, units, digest, writer, written_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (scheme) DO UPDATE SET key = excluded.key, "
    "seq = excluded.seq, units = excluded.units, digest = excluded.digest, "
    "writer = excluded.writer, written_at = excluded.written_at";
static const char sql_rows[] =
    "SELECT unit, standing FROM rating_standings WHERE scheme = $1 ORDER BY unit";
static const char sql_clear[] = "DELETE FROM rating_standings WHERE scheme = $1";
static const char sql_row_insert[] =
    "INSERT INTO rating_standings (scheme, unit, standing) VALUES ($1, $2, $3)";
static const char sql_row_target[] = "rating_standings (scheme, unit, standing)";
static const char sql_row_put[] =
    "INSERT INTO rating_standings (scheme, unit, standing) VALUES ($1, $2, $3) "
    "ON CONFLICT (scheme, unit) DO UPDATE SET standing = excluded.standing";

int store_writes_since(struct db *db, int64_t after, int64_t upto,
                       int (*fn)(void *ctx, const char *action, const char *after_json), void *ctx,
                       struct err *err)
{
    if (upto <= after) return ERR_OK;
    struct db_stmt *st;
    int rc = db_prepare(db, sql_writes_since, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, after);
    db_bind_int(st, 2, upto);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "action"), db_text(st, "after_json"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_standings_meta(struct db *db, const char *scheme, struct store_standings_meta *m,
                         bool *found, struct err *err)
{
    memset(m, 0, sizeof *m);
    struct db_stmt *st;
    int rc = db_prepare(db, sql_meta_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    rc = db_step(st, err);
    *found = rc == DB_ROW;
    if (*found) {
        snprintf(m->key, sizeof m->key, "%s", db_text(st, "key"));
        snprintf(m->writer, sizeof m->writer, "%s", db_text(st, "writer"));
        snprintf(m->written_at, sizeof m->written_at, "%s", db_text(st, "written_at"));
        m->seq = db_int(st, "seq");
        m->units = db_int(st, "units");
        m->digest = (uint64_t)db_int(st, "digest");
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_standings_each(struct db *db, const char *scheme,
                         int (*fn)(void *ctx, const char *unit, const void *p, size_t len),
                         void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_rows, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len = 0;
        const void *p = db_col_blob(st, 1, &len);
        if ((rc = fn(ctx, db_text(st, "unit"), p, p ? len : 0)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_standings_clear(struct db *db, const char *scheme, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_clear, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    return db_run(st, err);
}

int store_standings_rows(struct db *db, const char *scheme, bool append, size_t n,
                         int (*row)(void *ctx, size_t i, const char **unit, const void **p,
                                    size_t *len),
                         void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = append ? db_copy_begin(db, sql_row_insert, sql_row_target, &st, err)
                    : db_prepare(db, sql_row_put, &st, err);
    if (rc) return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *unit;
        const void *p;
        size_t len;
        if ((rc = row(ctx, i, &unit, &p, &len))) {
            if (rc == ERR_BUSY) rc = err_set(err, ERR_BUSY, "the standings were built again");
            break;
        }
        db_bind_str(st, 1, scheme);
        db_bind_str(st, 2, unit);
        db_bind_blob(st, 3, p, len);
        rc = append ? db_copy_row(st, err) : db_run(st, err);
    }
    if (append) {
        int end = db_copy_end(st, rc == ERR_OK, err);
        if (!rc) rc = end;
    }
    return rc;
}

int store_standings_meta_put(struct db *db, const char *scheme,
                             const struct store_standings_meta *m, const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_meta_put, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, m->key);
    db_bind_int(st, 3, m->seq);
    db_bind_int(st, 4, m->units);
    db_bind_int(st, 5, (int64_t)m->digest);
    db_bind_str(st, 6, m->writer);
    db_bind_str(st, 7, at);
    return db_run(st, err);
}
