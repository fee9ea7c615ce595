/* cases_counts.c — cases counted by unit for computed elements (store_cases_counts.h). */
#include "store/store_cases_counts.h"

/* Times are ISO 8601 text, so a day compares as a prefix. */
static const char sql_created[] =
    "SELECT unit, count(*) AS n FROM cases WHERE kind = $1 AND created_at >= $2 "
    "AND created_at < $3 GROUP BY unit";
static const char sql_steps[] =
    "SELECT c.unit, count(*) AS n FROM case_events e JOIN cases c ON c.id = e.case_id "
    "WHERE c.kind = $1 AND e.transition = $2 AND e.at >= $3 AND e.at < $4 GROUP BY c.unit";

static int unit_counts(struct db_stmt *st,
                       int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                       struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, db_col(st, "unit"), &len);
        if ((rc = fn(ctx, unit, len, (double)db_int(st, "n"))) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_cases_created_counts(struct db *db, const char *kind, const char *start, const char *next,
                               int (*fn)(void *ctx, const char *unit, size_t len, double n),
                               void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_created, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, kind);
    db_bind_str(st, 2, start);
    db_bind_str(st, 3, next);
    return unit_counts(st, fn, ctx, err);
}

int store_cases_step_counts(struct db *db, const char *kind, const char *transition,
                            const char *start, const char *next,
                            int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                            struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_steps, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, kind);
    db_bind_str(st, 2, transition);
    db_bind_str(st, 3, start);
    db_bind_str(st, 4, next);
    return unit_counts(st, fn, ctx, err);
}
