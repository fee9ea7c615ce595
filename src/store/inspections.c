/* inspections.c — the 双随机 tables (store/inspections.h). */
#include "store/inspections.h"

static const char sql_plan[] =
    "SELECT id, name, unit, deadline, public_value, ratio_permille, target_count, per_target "
    "FROM inspection_plans WHERE id = $1";
static const char sql_targets[] =
    "SELECT id FROM inspection_targets WHERE active = 1 AND " DB_SUBTREE("unit", 1) " ORDER BY id";
static const char sql_inspectors[] =
    "SELECT id FROM inspectors WHERE active = 1 AND " DB_SUBTREE("unit", 1) " ORDER BY id";
static const char sql_links[] =
    "SELECT l.inspector_id AS inspector_id, l.target_id AS target_id FROM inspection_links l "
    "JOIN inspectors i ON i.id = l.inspector_id JOIN inspection_targets t ON t.id = l.target_id "
    "WHERE i.active = 1 AND t.active = 1 AND " DB_SUBTREE("i.unit", 1) " AND " DB_SUBTREE(
        "t.unit", 1) " ORDER BY l.inspector_id, l.target_id";
static const char sql_draw_insert[] =
    "INSERT INTO inspection_draws (plan_id, public_value, registry_digest, seed, targets, "
    "inspectors, links, drawn_count, per_target, drawn_by, drawn_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
static const char sql_check_insert[] =
    "INSERT INTO inspection_checks (draw_id, seq, target_id, unit) "
    "SELECT $1, $2, id, unit FROM inspection_targets WHERE id = $3 RETURNING id";
static const char sql_check_inspector[] =
    "INSERT INTO inspection_check_inspectors (check_id, seq, inspector_id) VALUES ($1, $2, $3)";
static const char sql_draw[] =
    "SELECT id, plan_id, public_value, registry_digest, seed, targets, inspectors, links, "
    "drawn_count, per_target, drawn_at FROM inspection_draws WHERE id = $1";
static const char sql_draw_rows[] =
    "SELECT c.id AS id, c.seq AS seq, c.target_id AS target_id, i.seq AS iseq, "
    "i.inspector_id AS inspector_id FROM inspection_checks c "
    "LEFT JOIN inspection_check_inspectors i ON i.check_id = c.id "
    "WHERE c.draw_id = $1 ORDER BY c.seq, i.seq";

int store_insp_plan(struct db *db, struct arena *a, int64_t id, struct insp_plan *out,
                    struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_plan, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *out = (struct insp_plan){
            .id = db_int(st, "id"),
            .name = db_dup(st, a, "name"),
            .unit = db_dup(st, a, "unit"),
            .deadline = db_dup(st, a, "deadline"),
            .public_value = db_dup(st, a, "public_value"),
            .ratio_permille = db_int(st, "ratio_permille"),
            .target_count = db_int(st, "target_count"),
            .per_target = db_int(st, "per_target"),
        };
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "抽查计划 %lld 不存在", (long long)id);
    }
    db_reset(st);
    return rc;
}

static int walk(struct db *db, const char *sql, const char *unit, int cols, insp_pair_fn fn,
                void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t x = db_col_int(st, 0), y = cols > 1 ? db_col_int(st, 1) : 0;
        if ((rc = fn(ctx, x, y)) != 0) break;
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}

int store_insp_targets(struct db *db, const char *unit, insp_pair_fn fn, void *ctx, struct err *err)
{
    return walk(db, sql_targets, unit, 1, fn, ctx, err);
}

int store_insp_inspectors(struct db *db, const char *unit, insp_pair_fn fn, void *ctx,
                          struct err *err)
{
    return walk(db, sql_inspectors, unit, 1, fn, ctx, err);
}

int store_insp_links(struct db *db, const char *unit, insp_pair_fn fn, void *ctx, struct err *err)
{
    return walk(db, sql_links, unit, 2, fn, ctx, err);
}

int store_insp_draw_insert(struct db *db, const struct insp_draw *d, const char *by, int64_t *id,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_draw_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, d->plan_id);
    db_bind_str(st, 2, d->public_value);
    db_bind_str(st, 3, d->registry_digest);
    db_bind_str(st, 4, d->seed);
    db_bind_str(st, 5, d->targets);
    db_bind_str(st, 6, d->inspectors);
    db_bind_str(st, 7, d->links);
    db_bind_int(st, 8, d->drawn_count);
    db_bind_int(st, 9, d->per_target);
    db_bind_str(st, 10, by);
    db_bind_str(st, 11, d->drawn_at);
    rc = db_run_returning(st, id, NULL, err);
    if (rc == ERR_CONFLICT)
        return err_set(err, ERR_CONFLICT, "抽查计划 %lld 已经摇号，每个计划只摇号一次",
                       (long long)d->plan_id);
    return rc;
}

int store_insp_check_insert(struct db *db, int64_t draw_id, int64_t seq, int64_t target,
                            int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_check_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, draw_id);
    db_bind_int(st, 2, seq);
    db_bind_int(st, 3, target);
    return db_run_returning(st, id, "检查对象不存在", err);
}

int store_insp_check_inspector(struct db *db, int64_t check_id, int64_t seq, int64_t inspector,
                               struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_check_inspector, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, check_id);
    db_bind_int(st, 2, seq);
    db_bind_int(st, 3, inspector);
    return db_run(st, err);
}

int store_insp_draw(struct db *db, struct arena *a, int64_t id, struct insp_draw *out,
                    struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_draw, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *out = (struct insp_draw){
            .id = db_int(st, "id"),
            .plan_id = db_int(st, "plan_id"),
            .public_value = db_dup(st, a, "public_value"),
            .registry_digest = db_dup(st, a, "registry_digest"),
            .seed = db_dup(st, a, "seed"),
            .targets = db_dup(st, a, "targets"),
            .inspectors = db_dup(st, a, "inspectors"),
            .links = db_dup(st, a, "links"),
            .drawn_count = db_int(st, "drawn_count"),
            .per_target = db_int(st, "per_target"),
            .drawn_at = db_dup(st, a, "drawn_at"),
        };
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "摇号记录 %lld 不存在", (long long)id);
    }
    db_reset(st);
    return rc;
}

int store_insp_draw_rows(struct db *db, int64_t draw_id, insp_pair_fn check, insp_pair_fn inspector,
                         void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_draw_rows, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, draw_id);
    int64_t last = -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, "id");
        if (id != last && (rc = check(ctx, db_int(st, "seq"), db_int(st, "target_id"))) != 0) break;
        last = id;
        if (!db_null(st, "inspector_id") &&
            (rc = inspector(ctx, db_int(st, "iseq"), db_int(st, "inspector_id"))) != 0)
            break;
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}

#define SQL_CHECK_ABOUT                                                                            \
    "SELECT c.id AS id, COALESCE(c.case_id, 0) AS case_id, c.unit AS unit, "                       \
    "p.deadline AS deadline, t.name AS target, i.name AS item, c.result AS result, "               \
    "c.checked_on AS checked_on, c.publish_by AS publish_by, "                                     \
    "c.published_on AS published_on FROM inspection_checks c "                                     \
    "JOIN inspection_draws d ON d.id = c.draw_id JOIN inspection_plans p ON p.id = d.plan_id "     \
    "JOIN inspection_targets t ON t.id = c.target_id "                                             \
    "JOIN inspection_items i ON i.id = p.item_id "
static const char sql_check[] = SQL_CHECK_ABOUT "WHERE c.id = $1";
static const char sql_check_of_case[] = SQL_CHECK_ABOUT "WHERE c.case_id = $1";
static const char sql_check_link[] =
    "UPDATE inspection_checks SET case_id = $2 WHERE id = $1 AND case_id IS NULL";
static const char sql_check_result[] =
    "UPDATE inspection_checks SET result = $2, checked_on = $3, publish_by = $4, "
    "published_on = $5 WHERE id = $1";

static void check_about(struct db_stmt *st, struct arena *a, struct insp_check_about *out)
{
    *out = (struct insp_check_about){.id = db_int(st, "id"),
                                     .case_id = db_int(st, "case_id"),
                                     .unit = db_dup(st, a, "unit"),
                                     .deadline = db_dup(st, a, "deadline"),
                                     .target = db_dup(st, a, "target"),
                                     .item = db_dup(st, a, "item"),
                                     .result = db_dup(st, a, "result"),
                                     .checked_on = db_dup(st, a, "checked_on"),
                                     .publish_by = db_dup(st, a, "publish_by"),
                                     .published_on = db_dup(st, a, "published_on")};
}

int store_insp_check(struct db *db, struct arena *a, int64_t id, struct insp_check_about *out,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_check, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        check_about(st, a, out);
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "抽查检查 %lld 不存在", (long long)id);
    }
    db_reset(st);
    return rc;
}

int store_insp_check_of_case(struct db *db, struct arena *a, int64_t case_id,
                             struct insp_check_about *out, bool *found, struct err *err)
{
    struct db_stmt *st;
    *found = false;
    int rc = db_prepare(db, sql_check_of_case, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        check_about(st, a, out);
        *found = true;
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = ERR_OK;
    }
    db_reset(st);
    return rc;
}

int store_insp_check_link(struct db *db, int64_t id, int64_t case_id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_check_link, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, case_id);
    return db_run(st, err);
}

int store_insp_check_result(struct db *db, int64_t id, const char *result, const char *checked_on,
                            const char *publish_by, const char *published_on, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_check_result, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, result);
    db_bind_str(st, 3, checked_on);
    db_bind_str(st, 4, publish_by);
    db_bind_str(st, 5, published_on ? published_on : "");
    return db_run(st, err);
}

static const char sql_counts[] =
    "SELECT c.unit AS unit, count(*) AS n FROM inspection_checks c "
    "JOIN inspection_draws d ON d.id = c.draw_id "
    "WHERE d.drawn_at >= $1 AND d.drawn_at < $2 AND ($3 = 0 OR c.result <> '') "
    "GROUP BY c.unit ORDER BY c.unit";

int store_insp_counts(struct db *db, const char *start, const char *next, bool done,
                      int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_counts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, start);
    db_bind_str(st, 2, next);
    db_bind_int(st, 3, done ? 1 : 0);
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, 0, &len);
        if ((rc = fn(ctx, unit, len, (double)db_col_int(st, 1))) != 0) break;
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}
