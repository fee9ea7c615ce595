/* grid_pairs.c — 万企兴万村 records per enterprise ↔ village pair and year
 * (app/grids.h, migration 036). */
#include "store/db.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char sql_link[] = "SELECT duty, unit, to_date FROM contact_links WHERE id = $1";

int store_contact_link_get(struct db *db, int64_t id, char duty[65], char unit[19], bool *ended,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_link, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        strncpy(duty, db_text(st, "duty"), 64);
        duty[64] = '\0';
        strncpy(unit, db_text(st, "unit"), 18);
        unit[18] = '\0';
        *ended = db_text(st, "to_date")[0] != '\0';
    }
    db_reset(st);
    return rc == DB_ROW ? ERR_OK : rc < 0 ? rc : err_set(err, ERR_NOT_FOUND, "没有这个联系关系");
}

/* One SQL for both: ON CONFLICT … DO UPDATE is SQLite ≥ 3.24 and PostgreSQL. */
static const char sql_put[] =
    "INSERT INTO pair_records (link_id, unit, year, projects, jobs, purchases, donations, notes, "
    "updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
    "ON CONFLICT (link_id, year) DO UPDATE SET unit = excluded.unit, "
    "projects = excluded.projects, jobs = excluded.jobs, purchases = excluded.purchases, "
    "donations = excluded.donations, notes = excluded.notes, updated_by = excluded.updated_by, "
    "updated_at = excluded.updated_at";

int store_pair_record_put(struct db *db, const struct store_pair_record *r, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_put, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, r->link_id);
    db_bind_str(st, 2, r->unit);
    db_bind_int(st, 3, r->year);
    db_bind_int(st, 4, r->projects);
    db_bind_int(st, 5, r->jobs);
    db_bind_double(st, 6, r->purchases);
    db_bind_double(st, 7, r->donations);
    db_bind_str(st, 8, r->notes);
    db_bind_str(st, 9, r->by);
    db_bind_str(st, 10, r->at);
    return db_run(st, err);
}

/* The pairs of duty in a subtree holding in the year, with the year's record
 * (zeros and updated_at '' when none). */
static const char sql_pairs[] =
    "SELECT l.id, l.person_id, p.name AS person_name, l.unit, l.partner, l.from_date, l.to_date, "
    "coalesce(r.projects, 0) AS projects, coalesce(r.jobs, 0) AS jobs, "
    "coalesce(r.purchases, 0) AS purchases, coalesce(r.donations, 0) AS donations, "
    "coalesce(r.notes, '') AS notes, coalesce(r.updated_at, '') AS updated_at "
    "FROM contact_links l JOIN persons p ON p.id = l.person_id "
    "LEFT JOIN pair_records r ON r.link_id = l.id AND r.year = $3 "
    "WHERE l.duty = $2 AND " DB_SUBTREE(
        "l.unit", 1) " AND l.from_date < $5 "
                     "AND (l.to_date = '' OR l.to_date > $4) ORDER BY l.unit, l.partner, l.id";

int store_pairs_list(struct db *db, const char *scope, const char *duty, int year,
                     int (*fn)(void *ctx, struct db_stmt *row), void *ctx, struct err *err)
{
    char from[24], next[24];
    snprintf(from, sizeof from, "%04d-01-01", year % 10000);
    snprintf(next, sizeof next, "%04d-01-01", (year + 1) % 10000);
    struct db_stmt *st;
    int rc = db_prepare(db, sql_pairs, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, duty);
    db_bind_int(st, 3, year);
    db_bind_str(st, 4, from);
    db_bind_str(st, 5, next);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, st)) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* The records' sums per village of the years [first, last]. */
static const char sql_totals[] =
    "SELECT unit, sum(projects) AS projects, sum(jobs) AS jobs, sum(purchases) AS purchases, "
    "sum(donations) AS donations FROM pair_records WHERE year >= $1 AND year <= $2 "
    "GROUP BY unit ORDER BY unit";

int store_pair_totals(struct db *db, int first, int last,
                      int (*fn)(void *ctx, const char *unit, const double sums[4]), void *ctx,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_totals, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, first);
    db_bind_int(st, 2, last);
    while ((rc = db_step(st, err)) == DB_ROW) {
        double sums[4] = {db_double(st, "projects"), db_double(st, "jobs"),
                          db_double(st, "purchases"), db_double(st, "donations")};
        if ((rc = fn(ctx, db_text(st, "unit"), sums)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
