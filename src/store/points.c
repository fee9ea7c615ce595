/* points.c — point entries (the subject rows of "points" cases) and a
 * member's 党费 bases and paid months (store.h, "党员积分 and 党费"). */
#include "store/store.h"

#include <string.h>

#define POINT_COLS                                                                                 \
    "e.id, e.case_id, e.person_id, e.unit, e.rule, e.points, e.day, e.source, e.source_ref, "      \
    "e.counted"

static const char sql_points_insert[] =
    "INSERT INTO point_entries (case_id, person_id, unit, rule, points, day, source, source_ref, "
    "counted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
static const char sql_points_update[] =
    "UPDATE point_entries SET counted = $2, day = $3 WHERE id = $1";
static const char sql_points_get[] =
    "SELECT " POINT_COLS " FROM point_entries e WHERE e.case_id = $1";
static const char sql_points_by_source[] =
    "SELECT " POINT_COLS " FROM point_entries e WHERE e.source = $1 AND e.source_ref = $2 "
    "AND e.source_ref <> '' ORDER BY e.id"; /* the last term lets SQLite use the partial index */
static const char sql_points_sums[] =
    "SELECT coalesce(sum(CASE WHEN e.rule = $2 THEN abs(e.points) ELSE 0 END), 0) AS rule_abs, "
    "coalesce(sum(CASE WHEN e.points > 0 THEN e.points ELSE 0 END), 0) AS bonus "
    "FROM point_entries e LEFT JOIN cases c ON c.id = e.case_id WHERE e.person_id = $1 "
    "AND e.day >= $3 AND e.day < $4 AND (e.counted = 1 OR ($5 = 1 AND c.final = 0)) "
    "AND e.id <> $6";
/* An entry without a case (another engine's) reads as 通过 while counted,
 * else 已撤回. */
static const char sql_points_list[] =
    "SELECT " POINT_COLS ", coalesce(c.state, CASE WHEN e.counted = 1 THEN 'approved' "
    "ELSE 'withdrawn' END) AS state, coalesce(c.title, '') AS title, coalesce(c.final, 1) AS "
    "final, coalesce(c.created_by, '') AS created_by, coalesce(c.created_at, '') AS created_at, "
    "coalesce(c.updated_at, '') AS updated_at, p.name AS person_name FROM point_entries e "
    "LEFT JOIN cases c ON c.id = e.case_id JOIN persons p ON p.id = e.person_id "
    "WHERE ($1 = 0 OR e.person_id = $1) AND " DB_SUBTREE(
        "e.unit", 2) " AND e.day >= $3 AND e.day < $4 AND ($5 = 0 OR c.final = 0) AND ($6 = 0 OR "
                     "e.id < $6) ORDER BY e.id DESC LIMIT $7";
static const char sql_points_totals[] =
    "SELECT e.person_id, sum(e.points) AS total FROM point_entries e WHERE e.counted = 1 "
    "AND " DB_SUBTREE("e.unit", 1) " AND e.day >= $2 AND e.day < $3 GROUP BY e.person_id";
static const char sql_points_unit_sums[] =
    "SELECT e.unit, sum(e.points) AS n FROM point_entries e WHERE e.counted = 1 AND e.day >= $1 "
    "AND e.day < $2 GROUP BY e.unit ORDER BY e.unit";

static const char sql_basis_put[] =
    "INSERT INTO dues_bases (person_id, year, category, income_fen, monthly_fen, updated_by, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (person_id, year) DO UPDATE "
    "SET category = excluded.category, income_fen = excluded.income_fen, "
    "monthly_fen = excluded.monthly_fen, updated_by = excluded.updated_by, "
    "updated_at = excluded.updated_at";
static const char sql_bases[] =
    "SELECT person_id, year, category, income_fen, monthly_fen, updated_by, updated_at "
    "FROM dues_bases WHERE person_id = $1 ORDER BY year";
static const char sql_payment_insert[] =
    "INSERT INTO dues_payments (person_id, month, amount_fen, method, paid_on, unit, payment, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char sql_payments[] =
    "SELECT person_id, month, amount_fen, method, paid_on, unit, payment, created_by, created_at "
    "FROM dues_payments WHERE person_id = $1 AND month >= $2 AND month < $3 ORDER BY month";

/* ---- point entries ---- */

static void bind_points(struct db_stmt *st, const struct case_points *p)
{
    if (p->case_id)
        db_bind_int(st, 1, p->case_id);
    else
        db_bind_null(st, 1);
    db_bind_int(st, 2, p->person_id);
    db_bind_str(st, 3, p->unit);
    db_bind_str(st, 4, p->rule);
    db_bind_int(st, 5, p->points);
    db_bind_str(st, 6, p->day);
    db_bind_str(st, 7, p->source && p->source[0] ? p->source : "claim");
    db_bind_str(st, 8, p->source_ref ? p->source_ref : "");
    db_bind_int(st, 9, p->counted);
}

int store_points_insert(struct db *db, struct case_points *p, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points_insert, &st, err);
    if (rc) return rc;
    bind_points(st, p);
    return db_run_returning(st, &p->id, NULL, err);
}

int store_points_update(struct db *db, const struct case_points *p, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, p->id);
    db_bind_int(st, 2, p->counted);
    db_bind_str(st, 3, p->day);
    return db_run(st, err);
}

/* The entry of the current row (strings in a, or the statement's when a is NULL). */
static struct case_points read_points(struct db_stmt *st, struct arena *a)
{
    struct case_points p = {.id = db_int(st, "id"),
                            .case_id = db_int(st, "case_id"),
                            .person_id = db_int(st, "person_id"),
                            .points = (int)db_int(st, "points"),
                            .counted = db_int(st, "counted") != 0};
    p.unit = a ? db_dup(st, a, "unit") : db_text(st, "unit");
    p.rule = a ? db_dup(st, a, "rule") : db_text(st, "rule");
    p.day = a ? db_dup(st, a, "day") : db_text(st, "day");
    p.source = a ? db_dup(st, a, "source") : db_text(st, "source");
    p.source_ref = a ? db_dup(st, a, "source_ref") : db_text(st, "source_ref");
    return p;
}

int store_points_by_case(struct db *db, struct arena *a, int64_t case_id, struct case_points *out,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_points(st, a);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_INTERNAL, "case %lld has no point entry", (long long)case_id);
    return rc < 0 ? rc : ERR_OK;
}

int store_points_by_source(struct db *db, struct arena *a, const char *source, const char *ref,
                           int (*fn)(void *ctx, const struct case_points *p), void *ctx,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points_by_source, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, source);
    db_bind_str(st, 2, ref);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct case_points p = read_points(st, a);
        if (fn(ctx, &p)) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_points_sums(struct db *db, int64_t person, const char *rule, const char *from,
                      const char *to, bool pending_too, int64_t skip, long *rule_abs, long *bonus,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points_sums, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    db_bind_str(st, 2, rule ? rule : "");
    db_bind_str(st, 3, from);
    db_bind_str(st, 4, to);
    db_bind_int(st, 5, pending_too);
    db_bind_int(st, 6, skip);
    *rule_abs = *bonus = 0;
    if ((rc = db_step(st, err)) == DB_ROW) {
        *rule_abs = (long)db_int(st, "rule_abs");
        *bonus = (long)db_int(st, "bonus");
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_points_list(struct db *db, const struct point_filter *f,
                      int (*fn)(void *ctx, const struct point_row *r), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points_list, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, f->person_id);
    db_bind_str(st, 2, f->scope ? f->scope : "");
    db_bind_str(st, 3, f->from);
    db_bind_str(st, 4, f->to);
    db_bind_int(st, 5, f->open);
    db_bind_int(st, 6, f->before_id);
    db_bind_int(st, 7, f->limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct point_row r = {.e = read_points(st, NULL),
                              .state = db_text(st, "state"),
                              .title = db_text(st, "title"),
                              .person_name = db_text(st, "person_name"),
                              .created_by = db_text(st, "created_by"),
                              .created_at = db_text(st, "created_at"),
                              .updated_at = db_text(st, "updated_at"),
                              .final = db_int(st, "final") != 0};
        if ((rc = fn(ctx, &r)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_points_totals(struct db *db, const char *scope, const char *from, const char *to,
                        int (*fn)(void *ctx, int64_t person, long total), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points_totals, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope ? scope : "");
    db_bind_str(st, 2, from);
    db_bind_str(st, 3, to);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_int(st, "person_id"), (long)db_int(st, "total"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_points_unit_sums(struct db *db, const char *from, const char *to,
                           int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points_unit_sums, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, from);
    db_bind_str(st, 2, to);
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, db_col(st, "unit"), &len);
        if ((rc = fn(ctx, unit, len, (double)db_int(st, "n"))) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- 党费 ---- */

int store_dues_basis_put(struct db *db, const struct dues_basis_row *b, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_basis_put, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, b->person_id);
    db_bind_int(st, 2, b->year);
    db_bind_str(st, 3, b->category);
    db_bind_int(st, 4, b->income_fen);
    db_bind_int(st, 5, b->monthly_fen);
    db_bind_str(st, 6, b->updated_by);
    db_bind_str(st, 7, b->updated_at);
    return db_run(st, err);
}

int store_dues_bases(struct db *db, int64_t person,
                     int (*fn)(void *ctx, const struct dues_basis_row *b), void *ctx,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_bases, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct dues_basis_row b = {.person_id = db_int(st, "person_id"),
                                   .year = (int)db_int(st, "year"),
                                   .category = db_text(st, "category"),
                                   .income_fen = db_int(st, "income_fen"),
                                   .monthly_fen = db_int(st, "monthly_fen"),
                                   .updated_by = db_text(st, "updated_by"),
                                   .updated_at = db_text(st, "updated_at")};
        if ((rc = fn(ctx, &b)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_dues_payment_insert(struct db *db, const struct dues_payment_row *p, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_payment_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, p->person_id);
    db_bind_str(st, 2, p->month);
    db_bind_int(st, 3, p->amount_fen);
    db_bind_str(st, 4, p->method);
    db_bind_str(st, 5, p->paid_on);
    db_bind_str(st, 6, p->unit);
    db_bind_str(st, 7, p->payment);
    db_bind_str(st, 8, p->created_by);
    db_bind_str(st, 9, p->created_at);
    return db_run(st, err);
}

int store_dues_payments(struct db *db, int64_t person, const char *from, const char *to,
                        int (*fn)(void *ctx, const struct dues_payment_row *p), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_payments, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    db_bind_str(st, 2, from);
    db_bind_str(st, 3, to);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct dues_payment_row p = {.person_id = db_int(st, "person_id"),
                                     .amount_fen = db_int(st, "amount_fen"),
                                     .month = db_text(st, "month"),
                                     .method = db_text(st, "method"),
                                     .paid_on = db_text(st, "paid_on"),
                                     .unit = db_text(st, "unit"),
                                     .payment = db_text(st, "payment"),
                                     .created_by = db_text(st, "created_by"),
                                     .created_at = db_text(st, "created_at")};
        if ((rc = fn(ctx, &p)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
