/* projects.c — key projects: register, plans, monthly reports, milestones
 * and the problem cases of late milestones (projects.h). */
#include "app/projects.h"
#include "app/projects_int.h"
#include "app/analytics.h"
#include "app/audit.h"
#include "app/cases.h"
#include "app/items.h"
#include "base/clock.h"
#include "core/tree.h"
#include "store/store_projects.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_BYTES  200
#define SCALE_MAX_BYTES 1000

/* Runs write(db, ctx) and its audit record in one write transaction; the
 * computed sums go stale here and on other servers. */
static int in_tx(struct app *app, const struct audit_entry *ae,
                 int (*write)(struct db *db, void *ctx, struct err *err), void *ctx,
                 struct err *err)
{
    return app_write_tx(app, ae, PROJECTS_CHANGED, write, ctx, err);
}

void projects_this_month(char out[8])
{
    char today[11];
    clock_today(today, 0);
    snprintf(out, 8, "%.7s", today);
}

/* 万元 given as a JSON number → hundredths, refusing what cannot be meant. */
static int to_cents(double wan, const char *field, const char *label, bool positive, int64_t *out,
                    struct err *err)
{
    if (!isfinite(wan) || wan < 0 || (positive && wan <= 0))
        return err_set_field(err, ERR_INVALID, field, "%s须为%s的金额（万元）", label,
                             positive ? "大于 0" : "不小于 0");
    if (wan > PROJECT_MAX_WAN)
        return err_set_field(err, ERR_INVALID, field,
                             "%s不能超过 %.0f 万元（1,000 亿元），请核对单位是否为万元", label,
                             PROJECT_MAX_WAN);
    *out = llround(wan * 100.0);
    return ERR_OK;
}

static bool valid_day(const char *s)
{
    return s && strlen(s) == 10 && items_valid_date(s);
}

static bool valid_month(const char *s)
{
    char day[11];
    if (!s || strlen(s) != 7) return false;
    snprintf(day, sizeof day, "%s-01", s);
    return items_valid_date(day);
}

static int check_unit(struct app *app, const struct auth_user *actor, const char *code,
                      const char *field, const char *label, struct err *err)
{
    if (!code || !code[0]) return err_set_field(err, ERR_INVALID, field, "请选择%s", label);
    struct tree *t = app_tree(app);
    bool known = tree_find(t, code, strlen(code)) != TREE_NONE;
    tree_unref(t);
    if (!known)
        return err_set_field(err, ERR_INVALID, field, "%s不存在，请从单位列表中选择", label);
    if (!auth_in_scope(actor->scope, code))
        return err_set_field(err, ERR_FORBIDDEN, field, "%s不在您的管辖范围内", label);
    return ERR_OK;
}

static const char *summary(struct arena *a, json_t *o)
{
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    const char *out = arena_strdup(a, text ? text : "{}");
    free(text);
    json_decref(o);
    return out;
}

/* Loads project id as of month, refusing one outside the actor's scope as
 * if it did not exist. */
static int load_visible(struct app *app, struct db *db, const struct auth_user *actor,
                        struct arena *a, int64_t id, const char *month, struct project_row *p,
                        struct err *err)
{
    int rc = store_project_get(db, a, id, month, p, err);
    if (!rc && actor && !auth_in_scope(actor->scope, p->unit))
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的重点项目", (long long)id);
    return rc;
}

static int load_project(struct app *app, const struct auth_user *actor, struct arena *a, int64_t id,
                        struct project_row *p, struct err *err)
{
    char month[8];
    projects_this_month(month);
    struct db *db = store_acquire(app->store);
    int rc = load_visible(app, db, actor, a, id, month, p, err);
    store_release(app->store, db);
    return rc;
}

/* ---- register ---- */

static int insert_project(struct db *db, void *ctx, struct err *err)
{
    return store_project_insert(db, ctx, err);
}

int projects_check(struct app *app, const struct auth_user *actor, const struct project_in *in,
                   struct arena *a, struct project_row *p, struct err *err)
{
    *p = (struct project_row){.unit = in->unit,
                              .name = in->name,
                              .scale = in->scale ? in->scale : "",
                              .owner_unit = in->owner_unit,
                              .starts_on = in->starts_on,
                              .ends_on = in->ends_on,
                              .leader_id = in->leader_id};
    const struct project_nature *nature = projects_nature(app, in->nature);
    int rc;
    if ((rc = app_check_text(in->name, "name", NAME_MAX_BYTES, true, err)) ||
        (rc = app_check_text(in->scale, "scale", SCALE_MAX_BYTES, false, err)) ||
        (rc = check_unit(app, actor, in->unit, "unit", "项目所在地", err)) ||
        (rc = check_unit(app, actor, in->owner_unit, "owner_unit", "责任单位", err)) ||
        (rc = to_cents(in->total_wan, "total_wan", "总投资", true, &p->total_cents, err)))
        return rc;
    if (!nature)
        return err_set_field(err, ERR_INVALID, "nature", "请选择项目性质（没有“%s”这一性质）",
                             in->nature ? in->nature : "");
    if (!valid_day(in->starts_on) || !valid_day(in->ends_on))
        return err_set_field(err, ERR_INVALID, valid_day(in->starts_on) ? "ends_on" : "starts_on",
                             "开工和计划竣工日期须写作 2026-03-01");
    if (strcmp(in->ends_on, in->starts_on) < 0)
        return err_set_field(err, ERR_INVALID, "ends_on", "计划竣工日期不能早于开工日期");
    p->nature = nature->code;
    if (in->leader_id) {
        struct person_row who;
        struct db *db = store_acquire(app->store);
        rc = store_person_get(db, a, in->leader_id, &who, err);
        store_release(app->store, db);
        if (rc == ERR_NOT_FOUND) {
            err_clear(err);
            rc = err_set_field(err, ERR_INVALID, "leader", "包联县级领导须为人员库中的人员");
        }
    }
    return rc;
}

int projects_create(struct app *app, const struct auth_user *actor, const struct project_in *in,
                    const char *client, int64_t *id, struct err *err)
{
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    struct project_row p;
    int rc = projects_check(app, actor, in, a, &p, err);
    if (rc) goto done;
    p.created_by = actor->name;
    p.created_at = at;
    struct audit_entry ae = {
        .user = actor->name,
        .action = "project.create",
        .entity = "project:new",
        .unit = p.unit,
        .after =
            summary(a, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "name", p.name, "unit", p.unit,
                                 "nature", p.nature, "owner_unit", p.owner_unit, "total_cents",
                                 (json_int_t)p.total_cents, "leader", (json_int_t)p.leader_id)),
        .client = client};
    rc = in_tx(app, &ae, insert_project, &p, err);
    if (rc == ERR_CONFLICT)
        rc = err_set_field(err, ERR_CONFLICT, "name", "该地已登记同名的重点项目“%s”", p.name);
    if (!rc) *id = p.id;
done:
    arena_free(a);
    return rc;
}

/* ---- plan and monthly reports ---- */

int projects_plan_check(const struct project_row *p, int year, double wan, int64_t *cents,
                        struct err *err)
{
    int rc = to_cents(wan, "plan_wan", "年度计划投资", false, cents, err);
    if (!rc &&
        (year < (int)strtol(p->starts_on, NULL, 10) || year > (int)strtol(p->ends_on, NULL, 10)))
        rc = err_set_field(err, ERR_INVALID, "year", "年度计划只能定在项目建设期（%.4s—%.4s 年）内",
                           p->starts_on, p->ends_on);
    if (!rc && *cents > p->total_cents)
        rc = err_set_field(err, ERR_INVALID, "plan_wan", "年度计划投资不能超过总投资 %.2f 万元",
                           (double)p->total_cents / 100.0);
    return rc;
}

struct plan_write {
    int64_t id, cents;
    int year;
};

static int write_plan(struct db *db, void *ctx, struct err *err)
{
    struct plan_write *w = ctx;
    return store_project_plan_put(db, w->id, w->year, w->cents, err);
}

int projects_plan_set(struct app *app, const struct auth_user *actor, int64_t id, int year,
                      double wan, const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct project_row p;
    struct plan_write w = {.id = id, .year = year};
    int rc = load_project(app, actor, a, id, &p, err);
    if (!rc) rc = projects_plan_check(&p, year, wan, &w.cents, err);
    if (!rc) {
        struct audit_entry ae = {.user = actor->name,
                                 .action = "project.plan",
                                 .entity = arena_printf(a, "project:%lld", (long long)id),
                                 .unit = p.unit,
                                 .after = summary(a, json_pack("{s:i, s:I}", "year", year,
                                                               "plan_cents", (json_int_t)w.cents)),
                                 .client = client};
        rc = in_tx(app, &ae, write_plan, &w, err);
    }
    arena_free(a);
    return rc;
}

struct report_write {
    struct project_report_row r;
    int64_t total_cents;
};

/* The cumulative check reads the other months inside the transaction, so
 * two reports at once cannot together pass the total. */
static int write_report(struct db *db, void *ctx, struct err *err)
{
    struct report_write *w = ctx;
    int64_t others = 0;
    int rc = store_project_reported(db, w->r.project_id, w->r.month, &others, err);
    if (!rc && others + w->r.invested_cents > w->total_cents)
        rc = err_set_field(err, ERR_INVALID, "invested_wan",
                           "累计完成投资（%.2f 万元）不能超过总投资 %.2f 万元，请核对本月数字",
                           (double)(others + w->r.invested_cents) / 100.0,
                           (double)w->total_cents / 100.0);
    if (!rc) rc = store_project_report_put(db, &w->r, err);
    return rc;
}

int projects_report(struct app *app, const struct auth_user *actor, int64_t id, const char *month,
                    double invested_wan, const char *progress, const char *client, struct err *err)
{
    struct arena *a = arena_new();
    char now[8], at[32];
    projects_this_month(now);
    auth_now_iso(at);
    struct project_row p;
    struct report_write w = {.r = {.project_id = id,
                                   .month = month,
                                   .progress = progress ? progress : "",
                                   .created_by = actor->name,
                                   .created_at = at}};
    int rc = load_project(app, actor, a, id, &p, err);
    if (!rc && !valid_month(month))
        rc = err_set_field(err, ERR_INVALID, "month", "月份须写作 2026-03");
    else if (!rc && strcmp(month, now) > 0)
        rc = err_set_field(err, ERR_INVALID, "month",
                           "%s 尚未开始：月报只能报送已经开始的月份（本月为 %s）", month, now);
    else if (!rc && (strncmp(month, p.starts_on, 7) < 0 || strncmp(month, p.ends_on, 7) > 0))
        rc =
            err_set_field(err, ERR_INVALID, "month",
                          "月报只能报送项目建设期（%.7s 至 %.7s）内的月份", p.starts_on, p.ends_on);
    if (!rc) rc = app_check_text(progress, "progress", 2000, false, err);
    if (!rc)
        rc =
            to_cents(invested_wan, "invested_wan", "本月完成投资", false, &w.r.invested_cents, err);
    if (!rc && w.r.invested_cents > p.total_cents)
        rc = err_set_field(err, ERR_INVALID, "invested_wan",
                           "本月完成投资不能超过项目总投资 %.2f 万元，请核对单位是否为万元",
                           (double)p.total_cents / 100.0);
    w.total_cents = p.total_cents;
    if (!rc) {
        struct audit_entry ae = {
            .user = actor->name,
            .action = "project.report",
            .entity = arena_printf(a, "project:%lld", (long long)id),
            .unit = p.unit,
            .after = summary(a, json_pack("{s:s, s:I}", "month", month, "invested_cents",
                                          (json_int_t)w.r.invested_cents)),
            .client = client};
        rc = in_tx(app, &ae, write_report, &w, err);
    }
    arena_free(a);
    return rc;
}

/* ---- milestones ---- */

static int insert_milestone(struct db *db, void *ctx, struct err *err)
{
    return store_milestone_insert(db, ctx, err);
}

int projects_milestone_add(struct app *app, const struct auth_user *actor, int64_t id,
                           const char *name, const char *planned_on, const char *client,
                           int64_t *mid, struct err *err)
{
    struct arena *a = arena_new();
    struct project_row p;
    struct project_milestone_row m = {.project_id = id, .name = name, .planned_on = planned_on};
    int rc = load_project(app, actor, a, id, &p, err);
    if (!rc) rc = app_check_text(name, "name", NAME_MAX_BYTES, true, err);
    if (!rc && !valid_day(planned_on))
        rc = err_set_field(err, ERR_INVALID, "planned_on", "计划完成日期须写作 2026-06-30");
    if (!rc) {
        struct audit_entry ae = {
            .user = actor->name,
            .action = "project.milestone",
            .entity = arena_printf(a, "project:%lld", (long long)id),
            .unit = p.unit,
            .after = summary(a, json_pack("{s:s, s:s}", "name", name, "planned_on", planned_on)),
            .client = client};
        rc = in_tx(app, &ae, insert_milestone, &m, err);
        if (rc == ERR_CONFLICT)
            rc = err_set_field(err, ERR_CONFLICT, "name", "该项目已有名为“%s”的节点", name);
    }
    if (!rc) *mid = m.id;
    arena_free(a);
    return rc;
}

struct done_write {
    int64_t id;
    const char *day;
};

static int write_done(struct db *db, void *ctx, struct err *err)
{
    struct done_write *w = ctx;
    return store_milestone_done(db, w->id, w->day, err);
}

int projects_milestone_done(struct app *app, const struct auth_user *actor, int64_t id, int64_t mid,
                            const char *day, const char *client, struct err *err)
{
    struct arena *a = arena_new();
    char today[11];
    clock_today(today, 0);
    struct project_row p;
    struct project_milestone_row m;
    int rc = load_project(app, actor, a, id, &p, err);
    if (!rc) {
        struct db *db = store_acquire(app->store);
        rc = store_milestone_get(db, a, mid, &m, err);
        store_release(app->store, db);
    }
    if (!rc && m.project_id != id)
        rc = err_set(err, ERR_NOT_FOUND, "该项目没有编号为 %lld 的节点", (long long)mid);
    if (!rc && !valid_day(day))
        rc = err_set_field(err, ERR_INVALID, "done_on", "实际完成日期须写作 2026-06-30");
    else if (!rc && strcmp(day, today) > 0)
        rc = err_set_field(err, ERR_INVALID, "done_on", "实际完成日期不能晚于今天（%s）", today);
    else if (!rc && m.done_on[0])
        rc = err_set_field(err, ERR_CONFLICT, "done_on", "该节点已于 %s 完成", m.done_on);
    if (!rc) {
        struct done_write w = {mid, day};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "project.milestone_done",
                                 .entity = arena_printf(a, "project:%lld", (long long)id),
                                 .unit = p.unit,
                                 .after = summary(a, json_pack("{s:I, s:s}", "milestone",
                                                               (json_int_t)mid, "done_on", day)),
                                 .client = client};
        rc = in_tx(app, &ae, write_done, &w, err);
    }
    arena_free(a);
    return rc;
}

/* ---- late milestones → problem cases ---- */

struct late_list {
    struct arena *a;
    struct project_milestone_row *rows;
    size_t n, cap;
};

static int keep_late(void *ctx, const struct project_milestone_row *m)
{
    struct late_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct project_milestone_row *rows = arena_alloc(l->a, cap * sizeof *rows);
        if (l->n) memcpy(rows, l->rows, l->n * sizeof *rows);
        l->rows = rows;
        l->cap = cap;
    }
    l->rows[l->n++] = *m;
    return 0;
}

static int link_case(struct db *db, void *ctx, struct err *err)
{
    struct case_full *f = ((void **)ctx)[0];
    const struct project_milestone_row *m = ((void **)ctx)[1];
    return store_milestone_link_case(db, m->id, f->c.id, err);
}

/* One case and its link in one transaction: a milestone linked meanwhile
 * (another server, a second call) makes the link fail and nothing is written. */
static int open_case(struct app *app, const struct auth_user *actor,
                     const struct project_milestone_row *m, const char *client, struct arena *a,
                     struct err *err)
{
    const struct project_defs *d = app->projects;
    char deadline[11];
    clock_today(deadline, d->late_deadline_days);
    struct item_input in = {
        .type = d->late_kind,
        .title = arena_printf(a, "重点项目“%s”节点“%s”逾期", m->project_name, m->name),
        .description = arena_printf(a,
                                    "重点项目“%s”（项目编号 %lld）的节点“%s”计划于 %s 完成，"
                                    "至今未完成（倒排工期预警，节点编号 %lld）。",
                                    m->project_name, (long long)m->project_id, m->name,
                                    m->planned_on, (long long)m->id),
        .unit = m->unit,
        .owner_unit = m->owner_unit,
        .deadline = deadline,
        .location = arena_printf(a, "project:%lld/milestone:%lld", (long long)m->project_id,
                                 (long long)m->id),
        .priority = 1,
        .immediate = -1};
    struct case_full f = {.kind = items_kind(app, in.type)};
    int rc = items_prepare(app, actor, &in, a, &f.c, err);
    if (rc) return rc;
    void *both[2] = {&f, (void *)m};
    struct case_change ch = {
        .f = &f,
        .insert = true,
        .ev = {.at = f.c.created_at, .actor = actor->name, .kind = "create", .to_state = f.c.state},
        .also = link_case,
        .ctx = both};
    return cases_save(app, &ch, client, a, err);
}

int projects_open_late_cases(struct app *app, const struct auth_user *actor, const char *scope,
                             const char *client, int *opened, struct err *err)
{
    struct arena *a = arena_new();
    char today[11];
    clock_today(today, 0);
    struct late_list l = {.a = a};
    struct db *db = store_acquire(app->store);
    int rc = store_milestones_late(db, a, scope, today, keep_late, &l, err);
    store_release(app->store, db);
    *opened = 0;
    for (size_t i = 0; i < l.n && !rc; i++) {
        rc = open_case(app, actor, &l.rows[i], client, a, err);
        if (rc == ERR_CONFLICT)
            rc = ERR_OK; /* linked meanwhile: opened once, elsewhere */
        else if (!rc)
            (*opened)++;
        else
            err_wrap(err, "节点“%s”", l.rows[i].name);
    }
    arena_free(a);
    return rc;
}

/* ---- reading ---- */

static double pct(int64_t part, int64_t whole)
{
    return whole > 0 ? round((double)part * 1000.0 / (double)whole) / 10.0 : -1;
}

static const char *unit_name(const struct tree *t, const char *code)
{
    uint32_t i = tree_find_any(t, code, strlen(code));
    return i == TREE_NONE ? "" : tree_name(t, i);
}

static struct project_view view_of(struct app *app, const struct tree *t, struct arena *a,
                                   const struct project_row *p)
{
    const struct project_nature *n = projects_nature(app, p->nature);
    return (struct project_view){.id = p->id,
                                 .unit = arena_strdup(a, p->unit),
                                 .unit_name = arena_strdup(a, unit_name(t, p->unit)),
                                 .name = arena_strdup(a, p->name),
                                 .scale = arena_strdup(a, p->scale),
                                 .nature = arena_strdup(a, p->nature),
                                 .nature_name = n ? n->name : p->nature,
                                 .owner_unit = arena_strdup(a, p->owner_unit),
                                 .owner_unit_name = arena_strdup(a, unit_name(t, p->owner_unit)),
                                 .leader_id = p->leader_id,
                                 .leader_name = arena_strdup(a, p->leader_name),
                                 .starts_on = arena_strdup(a, p->starts_on),
                                 .ends_on = arena_strdup(a, p->ends_on),
                                 .total_wan = (double)p->total_cents / 100.0,
                                 .plan_wan = (double)p->plan_cents / 100.0,
                                 .ytd_wan = (double)p->ytd_cents / 100.0,
                                 .done_wan = (double)p->done_cents / 100.0,
                                 .month_wan = (double)p->month_cents / 100.0,
                                 .plan_pct = pct(p->ytd_cents, p->plan_cents),
                                 .total_pct = pct(p->done_cents, p->total_cents)};
}

struct list_ctx {
    struct app *app;
    const struct tree *t;
    struct arena *a;
    struct project_view *rows;
    size_t n, cap;
    int64_t total, plan, ytd, done, month;
};

static int keep_project(void *ctx, const struct project_row *p)
{
    struct list_ctx *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        struct project_view *rows = arena_alloc(c->a, cap * sizeof *rows);
        if (c->n) memcpy(rows, c->rows, c->n * sizeof *rows);
        c->rows = rows;
        c->cap = cap;
    }
    c->rows[c->n++] = view_of(c->app, c->t, c->a, p);
    c->total += p->total_cents;
    c->plan += p->plan_cents;
    c->ytd += p->ytd_cents;
    c->done += p->done_cents;
    c->month += p->month_cents;
    return 0;
}

static int check_month(const char *month, struct err *err)
{
    if (!valid_month(month)) return err_set_field(err, ERR_INVALID, "month", "月份须写作 2026-03");
    return ERR_OK;
}

int projects_list(struct app *app, const char *scope, const char *month, struct arena *a,
                  struct project_view **out, size_t *n, struct project_view *total, struct err *err)
{
    int rc = check_month(month, err);
    if (rc) return rc;
    struct tree *t = app_tree(app);
    struct list_ctx c = {.app = app, .t = t, .a = a};
    struct db *db = store_acquire(app->store);
    rc = store_projects_list(db, a, scope, month, keep_project, &c, err);
    store_release(app->store, db);
    tree_unref(t);
    if (rc) return rc;
    *out = c.rows;
    *n = c.n;
    *total = (struct project_view){.total_wan = (double)c.total / 100.0,
                                   .plan_wan = (double)c.plan / 100.0,
                                   .ytd_wan = (double)c.ytd / 100.0,
                                   .done_wan = (double)c.done / 100.0,
                                   .month_wan = (double)c.month / 100.0,
                                   .plan_pct = pct(c.ytd, c.plan),
                                   .total_pct = pct(c.done, c.total)};
    return ERR_OK;
}

struct full_ctx {
    struct arena *a;
    struct project_full *f;
    size_t cap;
    int64_t total, plan, ytd, done;
    int year;
    const char *today, *soon;
};

static int keep_month(void *ctx, const struct project_report_row *r)
{
    struct full_ctx *c = ctx;
    struct project_full *f = c->f;
    if (f->nmonths == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 24;
        struct project_month *rows = arena_alloc(c->a, cap * sizeof *rows);
        if (f->nmonths) memcpy(rows, f->months, f->nmonths * sizeof *rows);
        f->months = rows;
        c->cap = cap;
    }
    int year = (int)strtol(r->month, NULL, 10);
    if (year != c->year) c->ytd = 0;
    c->year = year;
    c->ytd += r->invested_cents;
    c->done += r->invested_cents;
    f->months[f->nmonths++] =
        (struct project_month){.month = r->month,
                               .progress = r->progress,
                               .invested_wan = (double)r->invested_cents / 100.0,
                               .ytd_wan = (double)c->ytd / 100.0,
                               .done_wan = (double)c->done / 100.0,
                               .plan_pct = -1, /* set below from the year's plan */
                               .total_pct = pct(c->done, c->total)};
    return 0;
}

static int keep_milestone(void *ctx, const struct project_milestone_row *m)
{
    struct full_ctx *c = ctx;
    struct project_full *f = c->f;
    struct project_milestone *rows = arena_alloc(c->a, (f->nmilestones + 1) * sizeof *rows);
    if (f->nmilestones) memcpy(rows, f->milestones, f->nmilestones * sizeof *rows);
    const char *alert = m->done_on[0]                         ? "done"
                        : strcmp(m->planned_on, c->today) < 0 ? "late"
                        : strcmp(m->planned_on, c->soon) <= 0 ? "due_soon"
                                                              : "";
    rows[f->nmilestones++] = (struct project_milestone){.id = m->id,
                                                        .case_id = m->case_id,
                                                        .name = m->name,
                                                        .planned_on = m->planned_on,
                                                        .done_on = m->done_on,
                                                        .alert = alert};
    f->milestones = rows;
    f->p.late += strcmp(alert, "late") == 0;
    f->p.due_soon += strcmp(alert, "due_soon") == 0;
    return 0;
}

int projects_get(struct app *app, const struct auth_user *actor, int64_t id, const char *month,
                 struct arena *a, struct project_full *out, struct err *err)
{
    int rc = check_month(month, err);
    if (rc) return rc;
    char today[11], soon[11];
    clock_today(today, 0);
    clock_today(soon, app->projects->due_soon_days);
    memset(out, 0, sizeof *out);
    struct project_row p;
    struct full_ctx c = {.a = a, .f = out, .today = today, .soon = soon};
    struct db *db = store_acquire(app->store);
    rc = load_visible(app, db, actor, a, id, month, &p, err);
    if (!rc) {
        c.total = p.total_cents;
        rc = store_project_reports(db, a, id, keep_month, &c, err);
    }
    if (!rc) rc = store_milestones(db, a, id, keep_milestone, &c, err);
    /* each month's % of its year's plan */
    for (size_t i = 0; !rc && i < out->nmonths; i++) {
        struct project_row y;
        rc = store_project_get(db, a, id, out->months[i].month, &y, err);
        if (!rc) out->months[i].plan_pct = pct(y.ytd_cents, y.plan_cents);
    }
    store_release(app->store, db);
    if (rc) return rc;
    struct tree *t = app_tree(app);
    int late = out->p.late, soon_n = out->p.due_soon;
    out->p = view_of(app, t, a, &p);
    out->p.late = late;
    out->p.due_soon = soon_n;
    tree_unref(t);
    return ERR_OK;
}

/* ---- computed data elements ---- */

static const char *const counts[] = {"plan", "done", NULL};
#define COUNTS "plan（计划投资）或 done（完成投资）"

int projects_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, counts, COUNTS, err) < 0 ? ERR_INVALID : ERR_OK;
}

int projects_computed_counts(struct app *app, const char *computed, const char *start,
                             const char *next, const char *date, computed_add fn, void *ctx,
                             struct err *err)
{
    (void)date;
    int which = computed_count(computed, counts, COUNTS, err);
    if (which < 0) return ERR_INVALID;
    bool plan = which == 0;
    int rc;
    /* [start, next) as whole years (plans) or whole months (reports); a
     * period ending inside a year or month counts all of it */
    bool next_starts_year = strlen(next) >= 10 && strcmp(next + 4, "-01-01") == 0;
    bool next_starts_month = strlen(next) >= 10 && strcmp(next + 7, "-01") == 0;
    struct db *db = store_acquire(app->store);
    if (plan) {
        rc =
            store_projects_plan_sums(db, (int)strtol(start, NULL, 10),
                                     (int)strtol(next, NULL, 10) + !next_starts_year, fn, ctx, err);
    } else {
        char from[8], to[16];
        snprintf(from, sizeof from, "%.7s", start);
        snprintf(to, sizeof to, "%.7s", next);
        if (!next_starts_month) { /* the month after next's */
            int y = (int)strtol(next, NULL, 10), m = (int)strtol(next + 5, NULL, 10) + 1;
            if (m > 12) m = 1, y++;
            snprintf(to, sizeof to, "%04d-%02d", y % 10000, m % 100);
        }
        rc = store_projects_done_sums(db, from, to, fn, ctx, err);
    }
    store_release(app->store, db);
    return rc;
}
