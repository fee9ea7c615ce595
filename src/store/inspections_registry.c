/* inspections_registry.c — the 双随机 registries, plans and checks as
 * listed and edited over the API (store/inspections.h). */
#include "store/inspections.h"

#include <string.h>

static const char sql_items[] =
    "SELECT id, code, name, basis, ratio_permille, frequency, department, active "
    "FROM inspection_items ORDER BY id";
static const char sql_item[] =
    "SELECT id, code, name, basis, ratio_permille, frequency, department, active "
    "FROM inspection_items WHERE id = $1";
static const char sql_item_insert[] =
    "INSERT INTO inspection_items (code, name, basis, ratio_permille, frequency, department, "
    "active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
static const char sql_item_update[] =
    "UPDATE inspection_items SET code = $1, name = $2, basis = $3, ratio_permille = $4, "
    "frequency = $5, department = $6, active = $7 WHERE id = $8 RETURNING id";

static void item_of(struct db_stmt *st, struct arena *a, struct insp_item_row *r)
{
    *r = (struct insp_item_row){
        .id = db_int(st, "id"),
        .code = db_dup(st, a, "code"),
        .name = db_dup(st, a, "name"),
        .basis = db_dup(st, a, "basis"),
        .ratio_permille = db_int(st, "ratio_permille"),
        .frequency = db_dup(st, a, "frequency"),
        .department = db_dup(st, a, "department"),
        .active = db_int(st, "active") != 0,
    };
}

int store_insp_items_list(struct db *db, struct arena *a, struct insp_item_row **out, size_t *n,
                          struct err *err)
{
    struct db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(db, sql_items, &st, err);
    if (rc) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        item_of(st, a, &(*out)[(*n)++]);
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}

int store_insp_item_get(struct db *db, struct arena *a, int64_t id, struct insp_item_row *out,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        item_of(st, a, out);
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "抽查事项 %lld 不存在", (long long)id);
    }
    db_reset(st);
    return rc;
}

int store_insp_item_save(struct db *db, const struct insp_item_row *r, int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, r->id ? sql_item_update : sql_item_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, r->code);
    db_bind_str(st, 2, r->name);
    db_bind_str(st, 3, r->basis);
    db_bind_int(st, 4, r->ratio_permille);
    db_bind_str(st, 5, r->frequency);
    db_bind_str(st, 6, r->department);
    db_bind_int(st, 7, r->active ? 1 : 0);
    if (r->id) db_bind_int(st, 8, r->id);
    rc = db_run_returning(st, id, "抽查事项不存在", err);
    if (rc == ERR_CONFLICT)
        return err_set_field(err, ERR_CONFLICT, "code", "抽查事项编码“%s”已被使用", r->code);
    return rc;
}

static const char sql_targets_list[] =
    "SELECT id, name, kind, credit_code, unit, active FROM inspection_targets "
    "WHERE " DB_SUBTREE("unit", 1) " AND ($2 = 0 OR active = 1) ORDER BY id";
static const char sql_target[] =
    "SELECT id, name, kind, credit_code, unit, active FROM inspection_targets WHERE id = $1";
static const char sql_target_insert[] =
    "INSERT INTO inspection_targets (name, kind, credit_code, unit, active) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_target_update[] =
    "UPDATE inspection_targets SET name = $1, kind = $2, credit_code = $3, unit = $4, "
    "active = $5 WHERE id = $6 RETURNING id";

static void target_of(struct db_stmt *st, struct arena *a, struct insp_target_row *r)
{
    *r = (struct insp_target_row){
        .id = db_int(st, "id"),
        .name = db_dup(st, a, "name"),
        .kind = db_dup(st, a, "kind"),
        .credit_code = db_dup(st, a, "credit_code"),
        .unit = db_dup(st, a, "unit"),
        .active = db_int(st, "active") != 0,
    };
}

int store_insp_targets_list(struct db *db, struct arena *a, const char *unit, bool active_only,
                            struct insp_target_row **out, size_t *n, struct err *err)
{
    struct db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(db, sql_targets_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, active_only ? 1 : 0);
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        target_of(st, a, &(*out)[(*n)++]);
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}

int store_insp_target_get(struct db *db, struct arena *a, int64_t id, struct insp_target_row *out,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_target, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        target_of(st, a, out);
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "检查对象 %lld 不存在", (long long)id);
    }
    db_reset(st);
    return rc;
}

int store_insp_target_save(struct db *db, const struct insp_target_row *r, int64_t *id,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, r->id ? sql_target_update : sql_target_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, r->name);
    db_bind_str(st, 2, r->kind);
    db_bind_str(st, 3, r->credit_code);
    db_bind_str(st, 4, r->unit);
    db_bind_int(st, 5, r->active ? 1 : 0);
    if (r->id) db_bind_int(st, 6, r->id);
    return db_run_returning(st, id, "检查对象不存在", err);
}

static const char sql_inspectors_list[] =
    "SELECT id, person_id, name, department, cert_no, unit, active FROM inspectors "
    "WHERE " DB_SUBTREE("unit", 1) " AND ($2 = 0 OR active = 1) ORDER BY id";
static const char sql_inspector[] =
    "SELECT id, person_id, name, department, cert_no, unit, active FROM inspectors WHERE id = $1";
static const char sql_inspector_insert[] =
    "INSERT INTO inspectors (person_id, name, department, unit, active, cert_no) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_inspector_update[] =
    "UPDATE inspectors SET person_id = $1, name = $2, department = $3, unit = $4, active = $5, "
    "cert_no = $6 WHERE id = $7 RETURNING id";

static void inspector_of(struct db_stmt *st, struct arena *a, struct insp_inspector_row *r)
{
    *r = (struct insp_inspector_row){
        .id = db_int(st, "id"),
        .person_id = db_null(st, "person_id") ? 0 : db_int(st, "person_id"),
        .name = db_dup(st, a, "name"),
        .department = db_dup(st, a, "department"),
        .cert_no = db_dup(st, a, "cert_no"),
        .unit = db_dup(st, a, "unit"),
        .active = db_int(st, "active") != 0,
    };
}

int store_insp_inspectors_list(struct db *db, struct arena *a, const char *unit, bool active_only,
                               struct insp_inspector_row **out, size_t *n, struct err *err)
{
    struct db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(db, sql_inspectors_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, active_only ? 1 : 0);
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        inspector_of(st, a, &(*out)[(*n)++]);
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}

int store_insp_inspector_get(struct db *db, struct arena *a, int64_t id,
                             struct insp_inspector_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_inspector, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        inspector_of(st, a, out);
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "执法检查人员 %lld 不存在", (long long)id);
    }
    db_reset(st);
    return rc;
}

int store_insp_inspector_save(struct db *db, const struct insp_inspector_row *r, int64_t *id,
                              struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, r->id ? sql_inspector_update : sql_inspector_insert, &st, err);
    if (rc) return rc;
    if (r->person_id)
        db_bind_int(st, 1, r->person_id);
    else
        db_bind_null(st, 1);
    db_bind_str(st, 2, r->name);
    db_bind_str(st, 3, r->department);
    db_bind_str(st, 4, r->unit);
    db_bind_int(st, 5, r->active ? 1 : 0);
    db_bind_str(st, 6, r->cert_no ? r->cert_no : "");
    if (r->id) db_bind_int(st, 7, r->id);
    return db_run_returning(st, id, "执法检查人员不存在", err);
}

static const char sql_links_list[] =
    "SELECT l.inspector_id AS inspector_id, l.target_id AS target_id, i.name AS inspector, "
    "t.name AS target, l.reason AS reason FROM inspection_links l "
    "JOIN inspectors i ON i.id = l.inspector_id JOIN inspection_targets t ON t.id = l.target_id "
    "WHERE " DB_SUBTREE("i.unit", 1) " ORDER BY l.inspector_id, l.target_id";
static const char sql_link_add[] =
    "INSERT INTO inspection_links (inspector_id, target_id, reason) VALUES ($1, $2, $3)";
static const char sql_link_remove[] =
    "DELETE FROM inspection_links WHERE inspector_id = $1 AND target_id = $2";

int store_insp_links_list(struct db *db, struct arena *a, const char *unit,
                          struct insp_link_row **out, size_t *n, struct err *err)
{
    struct db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(db, sql_links_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        (*out)[(*n)++] = (struct insp_link_row){
            .inspector_id = db_int(st, "inspector_id"),
            .target_id = db_int(st, "target_id"),
            .inspector = db_dup(st, a, "inspector"),
            .target = db_dup(st, a, "target"),
            .reason = db_dup(st, a, "reason"),
        };
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}

int store_insp_link_add(struct db *db, int64_t inspector, int64_t target, const char *reason,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_link_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, inspector);
    db_bind_int(st, 2, target);
    db_bind_str(st, 3, reason);
    rc = db_run(st, err);
    if (rc == ERR_CONFLICT)
        return err_set(err, ERR_CONFLICT, "这名执法检查人员与该检查对象的回避关系已登记");
    return rc;
}

int store_insp_link_remove(struct db *db, int64_t inspector, int64_t target, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_link_remove, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, inspector);
    db_bind_int(st, 2, target);
    rc = db_run(st, err);
    if (!rc && db_changes(db) == 0) rc = err_set(err, ERR_NOT_FOUND, "没有这条回避关系");
    return rc;
}

#define PLAN_SELECT                                                                                \
    "SELECT p.id AS id, p.name AS name, p.item_id AS item_id, it.name AS item, p.unit AS unit, "   \
    "p.ratio_permille AS ratio_permille, p.target_count AS target_count, "                         \
    "p.per_target AS per_target, p.deadline AS deadline, p.public_value AS public_value, "         \
    "p.created_at AS created_at, d.id AS draw_id, d.drawn_at AS drawn_at, d.seed AS seed, "        \
    "d.registry_digest AS registry_digest, "                                                       \
    "(SELECT count(*) FROM inspection_checks c WHERE c.draw_id = d.id) AS drawn, "                 \
    "(SELECT count(*) FROM inspection_checks c WHERE c.draw_id = d.id AND c.result <> '') "        \
    "AS done, (SELECT count(*) FROM inspection_checks c WHERE c.draw_id = d.id "                   \
    "AND c.result = '' AND p.deadline < $2) AS overdue "                                           \
    "FROM inspection_plans p JOIN inspection_items it ON it.id = p.item_id "                       \
    "LEFT JOIN inspection_draws d ON d.plan_id = p.id "

static const char sql_plans_list[] =
    PLAN_SELECT "WHERE " DB_SUBTREE("p.unit", 1) " ORDER BY p.id DESC";
static const char sql_plan_row[] = PLAN_SELECT "WHERE p.id = $1";
static const char sql_plan_insert[] =
    "INSERT INTO inspection_plans (name, item_id, unit, ratio_permille, target_count, "
    "per_target, deadline, public_value, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";

static void plan_of(struct db_stmt *st, struct arena *a, struct insp_plan_row *r)
{
    bool drawn = !db_null(st, "draw_id");
    *r = (struct insp_plan_row){
        .id = db_int(st, "id"),
        .item_id = db_int(st, "item_id"),
        .ratio_permille = db_int(st, "ratio_permille"),
        .target_count = db_int(st, "target_count"),
        .per_target = db_int(st, "per_target"),
        .name = db_dup(st, a, "name"),
        .item = db_dup(st, a, "item"),
        .unit = db_dup(st, a, "unit"),
        .deadline = db_dup(st, a, "deadline"),
        .public_value = db_dup(st, a, "public_value"),
        .created_at = db_dup(st, a, "created_at"),
        .draw_id = drawn ? db_int(st, "draw_id") : 0,
        .drawn_at = drawn ? db_dup(st, a, "drawn_at") : "",
        .seed = drawn ? db_dup(st, a, "seed") : "",
        .registry_digest = drawn ? db_dup(st, a, "registry_digest") : "",
        .drawn = db_int(st, "drawn"),
        .done = db_int(st, "done"),
        .overdue = db_int(st, "overdue"),
    };
}

int store_insp_plans_list(struct db *db, struct arena *a, const char *unit, const char *today,
                          struct insp_plan_row **out, size_t *n, struct err *err)
{
    struct db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(db, sql_plans_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_str(st, 2, today);
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        plan_of(st, a, &(*out)[(*n)++]);
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}

int store_insp_plan_row(struct db *db, struct arena *a, int64_t id, const char *today,
                        struct insp_plan_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_plan_row, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, today);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        plan_of(st, a, out);
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "抽查计划 %lld 不存在", (long long)id);
    }
    db_reset(st);
    return rc;
}

int store_insp_plan_insert(struct db *db, const struct insp_plan_row *r, const char *by,
                           const char *at, int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_plan_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, r->name);
    db_bind_int(st, 2, r->item_id);
    db_bind_str(st, 3, r->unit);
    db_bind_int(st, 4, r->ratio_permille);
    db_bind_int(st, 5, r->target_count);
    db_bind_int(st, 6, r->per_target);
    db_bind_str(st, 7, r->deadline);
    db_bind_str(st, 8, r->public_value);
    db_bind_str(st, 9, by);
    db_bind_str(st, 10, at);
    return db_run_returning(st, id, NULL, err);
}

static const char sql_checks_list[] =
    "SELECT c.id AS id, c.seq AS seq, c.target_id AS target_id, t.name AS target, "
    "c.unit AS unit, c.result AS result, c.checked_on AS checked_on, c.publish_by AS publish_by, "
    "c.published_on AS published_on, COALESCE(c.case_id, 0) AS case_id, "
    "i.name AS inspector FROM inspection_checks c "
    "JOIN inspection_targets t ON t.id = c.target_id "
    "LEFT JOIN inspection_check_inspectors ci ON ci.check_id = c.id "
    "LEFT JOIN inspectors i ON i.id = ci.inspector_id "
    "WHERE c.draw_id = $1 ORDER BY c.seq, ci.seq";

int store_insp_checks_list(struct db *db, struct arena *a, int64_t draw_id,
                           struct insp_check_row **out, size_t *n, struct err *err)
{
    struct db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(db, sql_checks_list, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, draw_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, "id");
        const char *who = db_null(st, "inspector") ? "" : db_text(st, "inspector");
        struct insp_check_row *r = *n ? &(*out)[*n - 1] : NULL;
        if (r && r->id == id) {
            r->inspectors = arena_printf(a, "%s、%s", r->inspectors, who);
            continue;
        }
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        (*out)[(*n)++] = (struct insp_check_row){
            .id = id,
            .seq = db_int(st, "seq"),
            .target_id = db_int(st, "target_id"),
            .target = db_dup(st, a, "target"),
            .unit = db_dup(st, a, "unit"),
            .result = db_dup(st, a, "result"),
            .checked_on = db_dup(st, a, "checked_on"),
            .publish_by = db_dup(st, a, "publish_by"),
            .published_on = db_dup(st, a, "published_on"),
            .case_id = db_int(st, "case_id"),
            .inspectors = arena_strdup(a, who),
        };
    }
    db_reset(st);
    return rc < 0 || rc > 0 ? rc : ERR_OK;
}

static const char sql_check_plan[] =
    "SELECT d.plan_id FROM inspection_checks c JOIN inspection_draws d ON d.id = c.draw_id "
    "WHERE c.id = $1";

int store_insp_check_plan(struct db *db, int64_t check_id, int64_t *plan_id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_check_plan, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, check_id);
    return db_run_returning(st, plan_id, "抽查检查不存在", err);
}
