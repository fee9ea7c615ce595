/* approvals.c — 审核: the figures of a unit's subtree for one period
 * approved by a unit above it and locked until withdrawn (checks.h). */
#include "app/checks.h"
#include "base/clock.h"
#include "io/json_out.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* The approvals of a list, kept in an arena. */
struct kept {
    struct arena *a;
    struct approval *ap;
    size_t n, cap;
    const char *skip; /* a unit not to keep again ("" none) */
};

static int keep(void *ctx, const struct store_approval *s)
{
    struct kept *k = ctx;
    if (strcmp(s->unit, k->skip) == 0) return 0;
    k->ap = arena_grow(k->a, k->ap, sizeof *k->ap, k->n, k->n + 1, &k->cap);
    k->ap[k->n++] = (struct approval){.unit = arena_strdup(k->a, s->unit),
                                      .period = arena_strdup(k->a, s->period),
                                      .approved_by = arena_strdup(k->a, s->approved_by),
                                      .approver_name = arena_strdup(k->a, s->approver_name),
                                      .approved_at = arena_strdup(k->a, s->approved_at)};
    return 0;
}

/* The approvals of period on unit and above it, highest first. */
static int covering(struct db *db, struct arena *a, const char *unit, const char *period,
                    struct kept *out, struct err *err)
{
    *out = (struct kept){.a = a, .skip = ""};
    return store_approvals_covering(db, unit, period, keep, out, err);
}

static const char *name_of(struct arena *a, const struct tree *t, const char *unit)
{
    uint32_t i = tree_find(t, unit, strlen(unit));
    return i == TREE_NONE ? unit : arena_strdup(a, tree_name(t, i));
}

/* "张三（zhangsan）于 2026-12-03 10:05": who approved when. */
static const char *who_when(struct arena *a, const struct approval *ap)
{
    char at[17];
    clock_local_minute(ap->approved_at, at);
    bool named = ap->approver_name[0] && strcmp(ap->approver_name, ap->approved_by) != 0;
    const char *who =
        named ? arena_printf(a, "%s（%s）", ap->approver_name, ap->approved_by) : ap->approved_by;
    return arena_printf(a, "%s于 %s", who, at[0] ? at : ap->approved_at);
}

int approvals_check_open(struct app *app, struct db *db, const char *unit, const char *period,
                         struct err *err)
{
    struct arena *a = arena_new();
    struct kept k;
    int rc = covering(db, a, unit, period, &k, err);
    if (!rc && k.n) {
        const struct approval *ap = &k.ap[0];
        struct tree *t = app_tree(app);
        const char *name = name_of(a, t, unit), *by = who_when(a, ap);
        if (strcmp(ap->unit, unit) == 0)
            rc = err_set_field(err, ERR_CONFLICT, "approved",
                               "%s %s 的数据已由%s 审核，已锁定；如需修改，请先取消审核", name,
                               period, by);
        else
            rc =
                err_set_field(err, ERR_CONFLICT, "approved",
                              "%s %s 的数据已随%s一并由%s 审核，已锁定；如需修改，请先取消%s的审核",
                              name, period, name_of(a, t, ap->unit), by, name_of(a, t, ap->unit));
        tree_unref(t);
    }
    arena_free(a);
    return rc;
}

/* A period that does not parse is the query's or body's `period`. */
static int period_error(struct err *err)
{
    snprintf(err->field, sizeof err->field, "period");
    return err->kind;
}

/* The checks both steps share: a known unit strictly below the actor's
 * scope, the permission, a period; *text is the period as stored. */
static int check_step(struct app *app, const struct auth_user *actor, const char *unit,
                      const char *period, const char *verb, char text[PERIOD_TEXT_MAX],
                      struct err *err)
{
    struct period p;
    int rc = period_parse(period ? period : "", &p, err);
    if (rc) return period_error(err);
    period_format(&p, text);
    struct tree *t = app_tree(app);
    bool known = unit && tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!known)
        return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", unit ? unit : "");
    if (!auth_has_perm(actor, CHECKS_APPROVE_PERM) || !auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "您不能%s单位 %s 的数据", verb, unit);
    if (strcmp(actor->scope, unit) == 0)
        return err_set_field(err, ERR_INVALID, "unit",
                             "数据须由上级单位%s：%s 是您本级的单位，请%s其下级单位的数据", verb,
                             unit, verb);
    return ERR_OK;
}

static const char *approval_json(struct arena *a, const char *unit, const char *period,
                                 const char *by, const char *at)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "unit", unit);
    jw_kstr(&w, "period", period);
    jw_kstr(&w, "approved_by", by);
    jw_kstr(&w, "approved_at", at);
    jw_obj_end(&w);
    const char *s = arena_strndup(a, b.p, b.len);
    buf_free(&b);
    return s;
}

/* Writes the step with its audit record in one transaction; `approve`
 * inserts, else deletes. Refused while the unit or one above it holds an
 * approval that would stay (an approval above covers the ones below). */
static int write_step(struct app *app, const struct auth_user *actor, const char *unit,
                      const char *period, bool approve, const char *client, struct arena *a,
                      struct approval *out, struct err *err)
{
    char at[32];
    auth_now_iso(at);
    struct tree *t = app_tree(app);
    const char *name = name_of(a, t, unit);
    struct db *db = store_acquire(app->store);
    struct kept k;
    int rc = db_begin(db, true, err);
    if (!rc) rc = covering(db, a, unit, period, &k, err);
    const struct approval *own = NULL, *above = NULL;
    for (size_t i = 0; !rc && i < k.n; i++) {
        if (strcmp(k.ap[i].unit, unit) == 0)
            own = &k.ap[i];
        else if (!above)
            above = &k.ap[i];
    }
    if (!rc && above)
        rc = err_set(err, ERR_CONFLICT, "%s %s 的数据已随%s一并由%s 审核，请先取消%s的审核", name,
                     period, name_of(a, t, above->unit), who_when(a, above),
                     name_of(a, t, above->unit));
    else if (!rc && approve && own)
        rc = err_set(err, ERR_CONFLICT, "%s %s 的数据已由%s 审核", name, period, who_when(a, own));
    else if (!rc && !approve && !own)
        rc = err_set(err, ERR_NOT_FOUND, "%s %s 的数据尚未审核", name, period);
    struct store_approval row = {unit, period, actor->name, actor->display_name, at};
    if (!rc)
        rc = approve ? store_approval_insert(db, &row, err)
                     : store_approval_delete(db, unit, period, err);
    if (!rc) {
        const char *json = approve
                               ? approval_json(a, unit, period, actor->name, at)
                               : approval_json(a, unit, period, own->approved_by, own->approved_at);
        struct audit_entry ae = {.user = actor->name,
                                 .action = approve ? "values.approve" : "values.unapprove",
                                 .entity = arena_printf(a, "approval:%s:%s", unit, period),
                                 .unit = unit,
                                 .before = approve ? NULL : json,
                                 .after = approve ? json : NULL,
                                 .client = client};
        rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    tree_unref(t);
    if (!rc && out)
        *out = (struct approval){
            arena_strdup(a, unit), arena_strdup(a, period), arena_strdup(a, actor->name),
            arena_strdup(a, actor->display_name ? actor->display_name : ""), arena_strdup(a, at)};
    return rc;
}

int approvals_approve(struct app *app, const struct auth_user *actor, const char *unit,
                      const char *period, const char *client, struct arena *a, struct approval *out,
                      struct err *err)
{
    char text[PERIOD_TEXT_MAX];
    int rc = check_step(app, actor, unit, period, "审核", text, err);
    struct checks_report rep;
    if (!rc) rc = checks_report(app, a, unit, text, &rep, err);
    if (!rc && rep.errors) {
        struct tree *t = app_tree(app);
        rc = err_set_field(err, ERR_INVALID, "unit",
                           "%s %s 的数据有 %zu 处违反校验规则，请先改正再审核（见“数据校验”）",
                           name_of(a, t, unit), text, rep.errors);
        tree_unref(t);
    }
    return rc ? rc : write_step(app, actor, unit, text, true, client, a, out, err);
}

int approvals_withdraw(struct app *app, const struct auth_user *actor, const char *unit,
                       const char *period, const char *client, struct err *err)
{
    char text[PERIOD_TEXT_MAX];
    int rc = check_step(app, actor, unit, period, "取消审核", text, err);
    struct arena *a = arena_new();
    if (!rc) rc = write_step(app, actor, unit, text, false, client, a, NULL, err);
    arena_free(a);
    return rc;
}

int approvals_list(struct app *app, struct arena *a, const char *unit, const char *period,
                   struct approval **out, size_t *n, struct err *err)
{
    struct period p;
    int rc = period_parse(period ? period : "", &p, err);
    if (rc) return period_error(err);
    char text[PERIOD_TEXT_MAX];
    period_format(&p, text);
    struct kept k;
    struct db *db = store_acquire(app->store);
    rc = covering(db, a, unit, text, &k, err);
    k.skip = unit;
    if (!rc) rc = store_approvals_in(db, unit, text, keep, &k, err);
    store_release(app->store, db);
    *out = k.ap;
    *n = k.n;
    return rc;
}
