/* party_stats.c — the counts under the party-member statistics (store.h,
 * "party statistics"): memberships of a subtree holding on a day grouped
 * with their persons' sex, age band, education and ethnicity, and the
 * admissions of a span with their ages. Everything is counted by GROUP BY
 * in the database, per prefix of the membership's unit (the unit itself,
 * or its children's codes), so a province's millions of members never
 * leave it; only the groups do. */
#include "store/store.h"

/* A membership holding on day $3: [from_date, to_date). */
#define HOLDS "(m.from_date <= $3 AND (m.to_date IS NULL OR m.to_date > $3))"
/* The membership's unit cut to $4 characters (a child's code, or the unit). */
#define PREFIX   "substr(m.unit, 1, CAST($4 AS INTEGER))"
#define NO_BIRTH "(p.birth_date IS NULL OR p.birth_date = '')"
#define IN_SCOPE DB_SUBTREE("m.unit", 2)
/* 1 when born on or before day $n: older on the date than a band's
 * maximum (the app turns each maximum into that day, so no age is
 * computed per row). */
#define OLDER(n) "CASE WHEN p.birth_date <= $" #n " THEN 1 ELSE 0 END"
/* The age band: how many of the bounds $5…$12 the person is older than
 * (-1: no birth date). An unused bound is "", before every birth date. */
#define BAND                                                                                       \
    "CASE WHEN " NO_BIRTH " THEN -1 ELSE " OLDER(5) " + " OLDER(6) " + " OLDER(7) " + " OLDER(     \
        8) " + " OLDER(9) " + " OLDER(10) " + " OLDER(11) " + " OLDER(12) " END"

static const char sql_member_stats[] =
    "SELECT " PREFIX " AS prefix, m.stage, p.sex, " BAND " AS band, p.education, p.ethnicity, "
    "count(*) AS n FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.kind = $1 "
    "AND " IN_SCOPE " AND " HOLDS " GROUP BY 1, 2, 3, 4, 5, 6";

/* Entered stage $5 on a day in ($6, $3], not moved there from the same
 * stage (a transfer), as party.admitted counts (people.c). The transfer
 * is looked up by person: `|| ''` keeps kind and stage from steering
 * SQLite to the (kind, stage) index, which would scan every membership of
 * the stage for each one (quadratic: minutes for a province). */
static const char sql_admitted_stats[] =
    "SELECT " PREFIX " AS prefix, count(*) AS n, sum(CASE WHEN " NO_BIRTH
    " THEN 0 ELSE 1 END) AS aged, coalesce(sum(CASE WHEN " NO_BIRTH " THEN 0 ELSE "
    "(CAST(substr(m.from_date, 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER) - "
    "CASE WHEN substr(m.from_date, 6, 5) < substr(p.birth_date, 6, 5) THEN 1 ELSE 0 END) END), 0) "
    "AS ages FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.kind = $1 AND "
    "m.stage = $5 AND " IN_SCOPE " AND m.from_date > $6 AND m.from_date <= $3 AND "
    "NOT EXISTS (SELECT 1 FROM memberships o WHERE o.person_id = m.person_id AND "
    "o.kind || '' = m.kind AND o.stage || '' = m.stage AND o.to_date = m.from_date) GROUP BY 1";

int store_member_stats(struct db *db, const struct store_stats_query *q,
                       int (*fn)(void *ctx, const struct store_stats_group *g), void *ctx,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_member_stats, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, q->kind);
    db_bind_str(st, 2, q->scope);
    db_bind_str(st, 3, q->date);
    db_bind_int(st, 4, q->prefix_len);
    for (int i = 0; i < STORE_STATS_BOUNDS; i++)
        db_bind_str(st, 5 + i, i < q->nbounds ? q->born_by[i] : "");
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_stats_group g = {.prefix = db_text(st, "prefix"),
                                      .stage = db_text(st, "stage"),
                                      .sex = db_text(st, "sex"),
                                      .band = (int)db_int(st, "band"),
                                      .education = db_text(st, "education"),
                                      .ethnicity = db_text(st, "ethnicity"),
                                      .n = (long)db_int(st, "n")};
        if ((rc = fn(ctx, &g)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_admitted_stats(struct db *db, const struct store_stats_query *q, const char *stage,
                         const char *after,
                         int (*fn)(void *ctx, const char *prefix, long n, long aged, long ages),
                         void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_admitted_stats, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, q->kind);
    db_bind_str(st, 2, q->scope);
    db_bind_str(st, 3, q->date);
    db_bind_int(st, 4, q->prefix_len);
    db_bind_str(st, 5, stage);
    db_bind_str(st, 6, after);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "prefix"), (long)db_int(st, "n"), (long)db_int(st, "aged"),
                     (long)db_int(st, "ages"))) != 0)
            break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
