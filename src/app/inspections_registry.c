/* inspections_registry.c — the 双随机 registries (抽查事项清单, 检查对象名录库,
 * 执法检查人员名录库 with their 回避 links) and plans, listed and edited with
 * validation, scope checks and audit (inspections.h). */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/inspections.h"
#include "base/clock.h"
#include "core/tree.h"
#include "core/workdays.h"
#include "store/inspections.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void today(char out[11])
{
    time_t t = clock_now();
    struct tm tm;
    strftime(out, 11, "%Y-%m-%d", gmtime_r(&t, &tm));
}

/* A unit that exists and lies in the actor's scope. */
static int unit_ok(struct app *app, const struct auth_user *actor, const char *unit,
                   struct err *err)
{
    if (!unit || !*unit) return err_set_field(err, ERR_INVALID, "unit", "请给出所属单位");
    struct tree *t = app_tree(app);
    bool found = tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!found) return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", unit);
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", unit);
    return ERR_OK;
}

/* GB 32100-2015 统一社会信用代码: 18 characters, the last a check character. */
static bool credit_code_ok(const char *s)
{
    static const char chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (strlen(s) != 18) return false;
    int sum = 0;
    for (int i = 0; i < 18; i++) {
        const char *p = s[i] ? strchr(chars, s[i]) : NULL;
        if (!p) return false;
        if (i < 17) sum += (int)(p - chars) * weights[i];
    }
    int check = (31 - sum % 31) % 31;
    return s[17] == chars[check];
}

int inspections_write_end(struct app *app, struct db *db, int rc, struct err *err)
{
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT INSPECTIONS_CHANGED, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) analytics_invalidate(app, INSPECTIONS_CHANGED);
    return rc;
}

static int audit(struct db *db, const struct auth_user *actor, const char *action, const char *kind,
                 int64_t id, const char *unit, json_t *after, const char *client, struct err *err)
{
    char entity[64];
    snprintf(entity, sizeof entity, "%s:%lld", kind, (long long)id);
    char *text = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(after);
    struct audit_entry ae = {.user = actor->name,
                             .action = action,
                             .entity = entity,
                             .unit = unit,
                             .after = text,
                             .client = client};
    int rc = store_audit_append(db, &ae, err);
    free(text);
    return rc;
}

int inspections_items(struct app *app, struct arena *a, struct insp_item_row **out, size_t *n,
                      struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_items_list(db, a, out, n, err);
    store_release(app->store, db);
    return rc;
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_-", s[i])) return false;
    return true;
}

int inspections_item_check(const struct insp_item_row *r, struct err *err)
{
    int rc = ERR_OK;
    if (!r->code || !code_ok(r->code))
        rc = err_set_field(err, ERR_INVALID, "code",
                           "事项编码须为 1–32 个小写字母、数字、下划线或连字符");
    if (!rc) rc = app_check_text(r->name, "name", 120, true, err);
    if (!rc) rc = app_check_text(r->basis, "basis", 500, true, err);
    if (!rc) rc = app_check_text(r->frequency, "frequency", 60, true, err);
    if (!rc) rc = app_check_text(r->department, "department", 120, false, err);
    if (!rc && (r->ratio_permille < 1 || r->ratio_permille > 1000))
        rc = err_set_field(err, ERR_INVALID, "ratio_permille",
                           "抽查比例须在 1‰ 到 1000‰（全覆盖）之间");
    return rc;
}

int inspections_item_save(struct app *app, const struct auth_user *actor,
                          const struct insp_item_row *r, const char *client, int64_t *id,
                          struct err *err)
{
    int rc = inspections_item_check(r, err);
    if (rc) return rc;
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_insp_item_save(db, r, id, err);
    if (!rc)
        rc = audit(db, actor, r->id ? "inspection.item_edit" : "inspection.item_create",
                   "inspection_item", *id, "",
                   json_pack("{ss ss si sb}", "code", r->code, "name", r->name, "ratio_permille",
                             (int)r->ratio_permille, "active", r->active),
                   client, err);
    return inspections_write_end(app, db, rc, err);
}

int inspections_targets(struct app *app, struct arena *a, const char *unit,
                        struct insp_target_row **out, size_t *n, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_targets_list(db, a, unit, false, out, n, err);
    store_release(app->store, db);
    return rc;
}

/* An existing row's unit must be in scope too: one cannot move a target
 * or an inspector out of another's subtree. */
static int existing_in_scope(const struct auth_user *actor, const char *unit, const char *what,
                             int64_t id, struct err *err)
{
    if (auth_in_scope(actor->scope, unit)) return ERR_OK;
    return err_set(err, ERR_FORBIDDEN, "没有编号为 %lld 的%s（或不在您的管辖范围内）",
                   (long long)id, what);
}

int inspections_target_check(struct app *app, const struct auth_user *actor,
                             const struct insp_target_row *r, struct err *err)
{
    int rc = app_check_text(r->name, "name", 120, true, err);
    if (!rc) rc = app_check_text(r->kind, "kind", 40, true, err);
    if (!rc && r->credit_code && *r->credit_code && !credit_code_ok(r->credit_code))
        rc = err_set_field(err, ERR_INVALID, "credit_code",
                           "统一社会信用代码“%s”不正确（须为 18 位，末位校验码按 GB 32100 计算）",
                           r->credit_code);
    if (!rc) rc = unit_ok(app, actor, r->unit, err);
    return rc;
}

int inspections_target_save(struct app *app, const struct auth_user *actor,
                            const struct insp_target_row *r, const char *client, int64_t *id,
                            struct err *err)
{
    int rc = inspections_target_check(app, actor, r, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc && r->id) {
        struct insp_target_row old;
        rc = store_insp_target_get(db, a, r->id, &old, err);
        if (!rc) rc = existing_in_scope(actor, old.unit, "检查对象", r->id, err);
    }
    if (!rc) rc = store_insp_target_save(db, r, id, err);
    if (!rc)
        rc = audit(db, actor, r->id ? "inspection.target_edit" : "inspection.target_create",
                   "inspection_target", *id, r->unit,
                   json_pack("{ss ss ss sb}", "name", r->name, "kind", r->kind, "unit", r->unit,
                             "active", r->active),
                   client, err);
    rc = inspections_write_end(app, db, rc, err);
    arena_free(a);
    return rc;
}

int inspections_inspectors(struct app *app, struct arena *a, const char *unit,
                           struct insp_inspector_row **out, size_t *n, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_inspectors_list(db, a, unit, false, out, n, err);
    store_release(app->store, db);
    return rc;
}

int inspections_inspector_check(struct app *app, const struct auth_user *actor,
                                const struct insp_inspector_row *r, struct err *err)
{
    int rc = app_check_text(r->name, "name", 60, true, err);
    if (!rc) rc = app_check_text(r->department, "department", 120, true, err);
    if (!rc) rc = app_check_text(r->cert_no, "cert_no", 40, false, err);
    if (!rc) rc = unit_ok(app, actor, r->unit, err);
    return rc;
}

int inspections_inspector_save(struct app *app, const struct auth_user *actor,
                               const struct insp_inspector_row *r, const char *client, int64_t *id,
                               struct err *err)
{
    int rc = inspections_inspector_check(app, actor, r, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    struct insp_inspector_row row = *r;
    if (!rc && r->id) {
        struct insp_inspector_row old;
        rc = store_insp_inspector_get(db, a, r->id, &old, err);
        if (!rc) rc = existing_in_scope(actor, old.unit, "执法检查人员", r->id, err);
        row.person_id = rc ? 0 : old.person_id; /* the person link is kept */
    }
    if (!rc) rc = store_insp_inspector_save(db, &row, id, err);
    if (!rc)
        rc = audit(db, actor, r->id ? "inspection.inspector_edit" : "inspection.inspector_create",
                   "inspector", *id, r->unit,
                   json_pack("{ss ss ss ss sb}", "name", r->name, "department", r->department,
                             "cert_no", r->cert_no ? r->cert_no : "", "unit", r->unit, "active",
                             r->active),
                   client, err);
    rc = inspections_write_end(app, db, rc, err);
    arena_free(a);
    return rc;
}

int inspections_links(struct app *app, struct arena *a, const char *unit,
                      struct insp_link_row **out, size_t *n, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_links_list(db, a, unit, out, n, err);
    store_release(app->store, db);
    return rc;
}

int inspections_link_set(struct app *app, const struct auth_user *actor, int64_t inspector,
                         int64_t target, const char *reason, const char *client, struct err *err)
{
    int rc = reason ? app_check_text(reason, "reason", 60, true, err) : ERR_OK;
    if (rc) return rc;
    struct arena *a = arena_new();
    struct insp_inspector_row i;
    struct insp_target_row t;
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc && (rc = store_insp_inspector_get(db, a, inspector, &i, err)) == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_INVALID, "inspector", "没有编号为 %lld 的执法检查人员",
                           (long long)inspector);
    if (!rc && (rc = store_insp_target_get(db, a, target, &t, err)) == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_INVALID, "target", "没有编号为 %lld 的检查对象",
                           (long long)target);
    if (!rc && (!auth_in_scope(actor->scope, i.unit) || !auth_in_scope(actor->scope, t.unit)))
        rc = err_set(err, ERR_FORBIDDEN, "执法检查人员和检查对象须都在您的管辖范围内");
    if (!rc)
        rc = reason ? store_insp_link_add(db, inspector, target, reason, err)
                    : store_insp_link_remove(db, inspector, target, err);
    if (!rc)
        rc = audit(
            db, actor, reason ? "inspection.link_add" : "inspection.link_remove", "inspector",
            inspector, i.unit,
            json_pack("{sI ss}", "target", (json_int_t)target, "reason", reason ? reason : ""),
            client, err);
    rc = inspections_write_end(app, db, rc, err);
    arena_free(a);
    return rc;
}

int inspections_plans(struct app *app, struct arena *a, const char *unit,
                      struct insp_plan_row **out, size_t *n, struct err *err)
{
    char day[11];
    today(day);
    struct db *db = store_acquire(app->store);
    int rc = store_insp_plans_list(db, a, unit, day, out, n, err);
    store_release(app->store, db);
    return rc;
}

int inspections_plan(struct app *app, struct arena *a, const char *scope, int64_t id,
                     struct insp_plan_row *plan, struct insp_check_row **checks, size_t *n,
                     struct err *err)
{
    char day[11];
    today(day);
    *checks = NULL;
    *n = 0;
    struct db *db = store_acquire(app->store);
    int rc = store_insp_plan_row(db, a, id, day, plan, err);
    if (!rc && scope && !auth_in_scope(scope, plan->unit))
        rc = err_set(err, ERR_NOT_FOUND, "抽查计划 %lld 不存在（或不在您的管辖范围内）",
                     (long long)id);
    if (!rc && plan->draw_id) rc = store_insp_checks_list(db, a, plan->draw_id, checks, n, err);
    store_release(app->store, db);
    return rc;
}

int inspections_plan_create(struct app *app, const struct auth_user *actor,
                            const struct insp_plan_row *r, const char *client, int64_t *id,
                            struct err *err)
{
    int rc = app_check_text(r->name, "name", 120, true, err);
    if (!rc) rc = app_check_text(r->public_value, "public_value", 200, false, err);
    if (!rc && (r->per_target < 2 || r->per_target > 10))
        rc = err_set_field(err, ERR_INVALID, "per_target",
                           "每个检查对象须随机选派 2–10 名执法检查人员（至少两名）");
    if (!rc && (r->ratio_permille < 0 || r->ratio_permille > 1000))
        rc = err_set_field(err, ERR_INVALID, "ratio_permille", "抽查比例须在 1‰ 到 1000‰ 之间");
    if (!rc && (r->target_count < 0 || r->target_count > 100000))
        rc = err_set_field(err, ERR_INVALID, "target_count", "抽取数量须在 1 到 100000 之间");
    if (!rc && r->ratio_permille && r->target_count)
        rc = err_set_field(err, ERR_INVALID, "target_count",
                           "抽查比例和抽取数量只能给出一个（不给则按抽查事项的比例）");
    if (!rc && (!r->deadline || workdays_parse(r->deadline) < 0))
        rc = err_set_field(err, ERR_INVALID, "deadline", "完成期限须为 YYYY-MM-DD 格式的真实日期");
    if (!rc) rc = unit_ok(app, actor, r->unit, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct insp_plan_row row = *r;
    struct insp_item_row item;
    char at[32];
    auth_now_iso(at);
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc && (rc = store_insp_item_get(db, a, r->item_id, &item, err)) == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_INVALID, "item", "抽查事项清单中没有编号为 %lld 的事项",
                           (long long)r->item_id);
    if (!rc && !item.active)
        rc = err_set_field(err, ERR_INVALID, "item", "抽查事项“%s”已停用，不能据此制定计划",
                           item.name);
    if (!rc && !row.ratio_permille && !row.target_count) row.ratio_permille = item.ratio_permille;
    if (!rc) rc = store_insp_plan_insert(db, &row, actor->name, at, id, err);
    if (!rc)
        rc = audit(db, actor, "inspection.plan_create", "inspection_plan", *id, r->unit,
                   json_pack("{ss sI ss ss ss}", "name", r->name, "item", (json_int_t)r->item_id,
                             "unit", r->unit, "deadline", r->deadline, "public_value",
                             r->public_value ? r->public_value : ""),
                   client, err);
    rc = inspections_write_end(app, db, rc, err);
    arena_free(a);
    return rc;
}

int inspections_check_plan(struct app *app, int64_t check_id, int64_t *plan_id, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_check_plan(db, check_id, plan_id, err);
    store_release(app->store, db);
    return rc;
}

/* ---- single rows, for edits that change a few members ---- */

int inspections_item_get(struct app *app, struct arena *a, int64_t id, struct insp_item_row *out,
                         struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_item_get(db, a, id, out, err);
    store_release(app->store, db);
    return rc;
}

int inspections_target_get(struct app *app, struct arena *a, const char *scope, int64_t id,
                           struct insp_target_row *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_target_get(db, a, id, out, err);
    store_release(app->store, db);
    if (!rc && !auth_in_scope(scope, out->unit))
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的检查对象（或不在您的管辖范围内）",
                     (long long)id);
    return rc;
}

int inspections_inspector_get(struct app *app, struct arena *a, const char *scope, int64_t id,
                              struct insp_inspector_row *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_inspector_get(db, a, id, out, err);
    store_release(app->store, db);
    if (!rc && !auth_in_scope(scope, out->unit))
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的执法检查人员（或不在您的管辖范围内）",
                     (long long)id);
    return rc;
}
