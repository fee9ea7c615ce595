/* grids_visits.c — contact links, visits and the compliance counted from
 * them (grids.h): a visit is a held "visit" event; a need raised in it
 * becomes a 群众诉求 case in the same step; duties per link by
 * core/duty.h duty_link_count, rolled up as visits.due / visits.done. */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/cases.h"
#include "app/events.h"
#include "app/auth.h"
#include "app/grids.h"
#include "app/items.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/duty.h"
#include "core/person.h"
#include "core/tree.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_day(const char *s)
{
    int32_t d;
    return s && strlen(s) == 10 && tree_day_parse(s, &d);
}

int grids_link_add(struct app *app, const struct auth_user *actor, const struct grid_link *l,
                   const char *client, struct arena *a, int64_t *id, const char **warning,
                   struct err *err)
{
    if (warning) *warning = NULL;
    const struct grid_duty *d = grids_duty(app, l->duty);
    int rc = d ? ERR_OK : err_set_field(err, ERR_INVALID, "duty", "duty 不是已定义的联系职责");
    if (!rc && !is_day(l->from))
        rc = err_set_field(err, ERR_INVALID, "from", "from 须为日期 YYYY-MM-DD");
    if (!rc && l->partner) rc = app_check_text(l->partner, "partner", 120, false, err);
    if (!rc && d->household && !l->household_id)
        rc = err_set_field(err, ERR_INVALID, "household", "%s须指定一户", d->name);
    if (!rc && d->person && !l->mentee_id)
        rc = err_set_field(err, ERR_INVALID, "mentee", "%s须指定联系的人（mentee）", d->name);
    if (!rc && !d->household && !d->person && (!l->unit || !l->unit[0]))
        rc = err_set_field(err, ERR_INVALID, "unit", "%s须指定联系的村（社区）", d->name);
    if (rc) return rc;
    struct db *db = store_acquire(app->store);
    const char *unit = l->unit;
    struct person_row p = {0};
    rc = db_begin(db, true, err);
    if (!rc && (rc = store_person_get(db, a, l->person_id, &p, err)) == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_INVALID, "person", "没有这个人");
    if (!rc && d->household) {
        struct household_row h;
        rc = store_household_get(db, a, l->household_id, &h, err);
        if (rc == ERR_NOT_FOUND) rc = err_set_field(err, ERR_INVALID, "household", "没有这一户");
        if (!rc) unit = h.unit;
    }
    if (!rc && d->person) { /* the mentee's unit: where the mentor visits */
        struct person_row m;
        rc = store_person_get(db, a, l->mentee_id, &m, err);
        if (rc == ERR_NOT_FOUND) rc = err_set_field(err, ERR_INVALID, "mentee", "没有这个被联系人");
        if (!rc && m.id == l->person_id)
            rc = err_set_field(err, ERR_INVALID, "mentee", "联系人不能联系自己");
        if (!rc) unit = m.unit;
    }
    if (!rc) {
        struct tree *t = app_tree(app);
        if (tree_find(t, unit, strlen(unit)) == TREE_NONE)
            rc = err_set_field(err, ERR_INVALID, "unit", "没有这个单位");
        tree_unref(t);
    }
    if (!rc && !auth_in_scope(actor->scope, unit))
        rc = err_set(err, ERR_FORBIDDEN, "不能在本单位之外建立联系关系");
    char at[32];
    auth_now_iso(at);
    if (!rc)
        rc = store_contact_link_insert(
            db, d->code, l->person_id, unit, d->household ? l->household_id : 0,
            d->person ? l->mentee_id : 0, l->partner, l->from, actor->name, at, id, err);
    struct audit_entry ae = {.user = actor->name,
                             .action = "grid.link",
                             .entity = arena_printf(a, "contact_link:%lld", (long long)*id),
                             .unit = unit,
                             .after = arena_printf(a, "{\"duty\":\"%s\",\"person\":%lld}", d->code,
                                                   (long long)l->person_id),
                             .client = client};
    if (!rc) rc = store_audit_append(db, &ae, err);
    long held = 0;
    const struct grid_defs *gd = app->grids;
    bool ratio = strcmp(d->code, gd->member_duty) == 0;
    if (!rc && ratio) rc = store_contact_links_of(db, l->person_id, d->code, &held, err);
    rc = grids_write_end(app, db, rc, err);
    if (!rc && ratio && warning && (held < gd->member_min || held > gd->member_max))
        *warning = arena_printf(a, "%s现联系 %ld 户，应为 %ld–%ld 户（%s）", p.name, held,
                                gd->member_min, gd->member_max, gd->member_source);
    return rc;
}

int grids_link_end(struct app *app, const struct auth_user *actor, int64_t id, const char *to,
                   const char *client, struct err *err)
{
    if (!is_day(to)) return err_set_field(err, ERR_INVALID, "to", "to 须为日期 YYYY-MM-DD");
    char unit[19];
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_contact_link_unit(db, id, unit, err);
    if (!rc && !auth_in_scope(actor->scope, unit))
        rc = err_set(err, ERR_NOT_FOUND, "没有这个联系关系");
    if (!rc) rc = store_contact_link_end(db, id, to, err);
    struct audit_entry ae = {.user = actor->name,
                             .action = "grid.unlink",
                             .entity = arena_printf(a, "contact_link:%lld", (long long)id),
                             .unit = unit,
                             .after = arena_printf(a, "{\"to\":\"%s\"}", to),
                             .client = client};
    if (!rc) rc = store_audit_append(db, &ae, err);
    rc = grids_write_end(app, db, rc, err);
    arena_free(a);
    return rc;
}

/* The visit, its audit record and the notice, inside a write transaction
 * (alone, or as the `also` of the 群众诉求 case raised from it). */
struct visit_write {
    struct store_visit v;
    const struct case_row *c; /* the case raised, or NULL */
    int64_t *event_id;
    struct arena *a;
    const char *client;
};

static int visit_write(struct db *db, void *ctx, struct err *err)
{
    struct visit_write *w = ctx;
    w->v.case_id = w->c ? w->c->id : 0;
    int rc = store_visit_insert(db, &w->v, w->event_id, err);
    struct audit_entry ae = {.user = w->v.by,
                             .action = "grid.visit",
                             .entity = arena_printf(w->a, "event:%lld", (long long)*w->event_id),
                             .unit = w->v.unit,
                             .after = arena_printf(w->a, "{\"method\":\"%s\",\"case\":%lld}",
                                                   w->v.method, (long long)w->v.case_id),
                             .client = w->client};
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc && w->c) rc = db_notify(db, APP_CHANGED_ELEMENT EVENTS_CHANGED, err);
    return rc;
}

int grids_visit_add(struct app *app, const struct auth_user *actor, const struct grid_visit *v,
                    const char *client, struct arena *a, int64_t *event_id, int64_t *case_id,
                    struct err *err)
{
    char today[11];
    clock_today(today, 0);
    *case_id = 0;
    int rc =
        is_day(v->day) ? ERR_OK : err_set_field(err, ERR_INVALID, "day", "day 须为日期 YYYY-MM-DD");
    if (!rc && strcmp(v->day, today) > 0)
        rc = err_set_field(err, ERR_INVALID, "day", "走访日期不能晚于今天");
    if (!rc && !grids_method_name(app, v->method))
        rc = err_set_field(err, ERR_INVALID, "method", "方式须为 入户、电话 或 线上");
    if (!rc) rc = app_check_text(v->findings, "findings", 2000, false, err);
    if (!rc) rc = app_check_text(v->needs, "needs", 2000, v->raise, err);
    if (rc) return rc;
    struct db *db = store_acquire(app->store);
    struct person_row p;
    struct household_row h = {0};
    const char *unit = v->unit;
    rc = store_person_get(db, a, v->person_id, &p, err);
    if (rc == ERR_NOT_FOUND) rc = err_set_field(err, ERR_INVALID, "person", "没有这个走访人");
    if (!rc && v->household_id) {
        rc = store_household_get(db, a, v->household_id, &h, err);
        if (rc == ERR_NOT_FOUND) rc = err_set_field(err, ERR_INVALID, "household", "没有这一户");
        if (!rc) unit = h.unit;
    }
    struct person_row m = {0};
    if (!rc && v->mentee_id && v->household_id)
        rc = err_set_field(err, ERR_INVALID, "mentee", "走访一户或联系一个人，只能选一项");
    if (!rc && v->mentee_id) {
        rc = store_person_get(db, a, v->mentee_id, &m, err);
        if (rc == ERR_NOT_FOUND) rc = err_set_field(err, ERR_INVALID, "mentee", "没有这个被联系人");
        if (!rc) unit = m.unit;
    }
    store_release(app->store, db);
    if (!rc && (!unit || !unit[0]))
        rc = err_set_field(err, ERR_INVALID, "household", "请选择走访的户或村（社区）");
    if (!rc) {
        struct tree *t = app_tree(app);
        if (tree_find(t, unit, strlen(unit)) == TREE_NONE)
            rc = err_set_field(err, ERR_INVALID, "unit", "没有这个单位");
        tree_unref(t);
    }
    if (!rc && !auth_in_scope(actor->scope, unit))
        rc = err_set(err, ERR_FORBIDDEN, "不能记录本单位之外的走访");
    if (rc) return rc;
    char at[32];
    auth_now_iso(at);
    const char *place = h.address ? h.address : m.name ? m.name : "";
    struct visit_write w = {
        .v = {.person_id = v->person_id,
              .household_id = v->household_id,
              .mentee_id = v->mentee_id,
              .unit = unit,
              .day = v->day,
              .method = v->method,
              .findings = v->findings ? v->findings : "",
              .needs = v->needs ? v->needs : "",
              .place = place,
              .topic = arena_printf(a, "走访（%s）", grids_method_name(app, v->method)),
              .by = actor->name,
              .at = at},
        .event_id = event_id,
        .a = a,
        .client = client};
    if (!v->raise) {
        db = store_acquire(app->store);
        rc = db_begin(db, true, err);
        if (!rc) rc = visit_write(db, &w, err);
        return grids_write_end(app, db, rc, err);
    }
    /* the 群众诉求 and the visit in one transaction: the case first (its id
     * goes into the visit), then the visit as the case's `also` */
    struct item_input in = {.type = "request",
                            .title = arena_printf(a, "走访反映：%.60s", v->needs ? v->needs : ""),
                            .description = v->needs,
                            .unit = unit,
                            .category = "其他",
                            .location = place,
                            .immediate = -1};
    struct case_full f = {.kind = items_kind(app, in.type)};
    rc = items_prepare(app, actor, &in, a, &f.c, err);
    if (rc) return rc;
    w.c = &f.c;
    struct case_change ch = {
        .f = &f,
        .insert = true,
        .ev = {.at = f.c.created_at, .actor = actor->name, .kind = "create", .to_state = f.c.state},
        .also = visit_write,
        .ctx = &w};
    rc = cases_save(app, &ch, client, a, err);
    if (rc) return rc;
    *case_id = f.c.id;
    analytics_invalidate(app, EVENTS_CHANGED); /* as grids_write_end */
    return ERR_OK;
}

struct each_visit {
    int (*fn)(void *ctx, const struct grid_visit_row *v);
    void *ctx;
};

static int visit_row(void *ctx, struct db_stmt *row)
{
    struct each_visit *x = ctx;
    struct grid_visit_row v = {.id = db_int(row, "event_id"),
                               .person_id = db_int(row, "person_id"),
                               .household_id = db_int(row, "household_id"),
                               .case_id = db_int(row, "case_id"),
                               .mentee_id = db_int(row, "mentee_id"),
                               .mentee_name = db_text(row, "mentee_name"),
                               .person_name = db_text(row, "person_name"),
                               .unit = db_text(row, "unit"),
                               .address = db_text(row, "address"),
                               .day = db_text(row, "day"),
                               .method = db_text(row, "method"),
                               .findings = db_text(row, "findings"),
                               .needs = db_text(row, "needs")};
    return x->fn(x->ctx, &v);
}

int grids_visits_each(struct app *app, const char *unit, int limit,
                      int (*fn)(void *ctx, const struct grid_visit_row *v), void *ctx,
                      struct err *err)
{
    struct each_visit x = {fn, ctx};
    struct db *db = store_acquire(app->store);
    int rc = store_visits_list(db, unit, limit, visit_row, &x, err);
    store_release(app->store, db);
    return rc;
}

struct one_visit {
    struct arena *a;
    struct grid_visit_row *out;
    bool *found;
};

static int keep_visit(void *ctx, const struct grid_visit_row *v)
{
    struct one_visit *o = ctx;
    *o->out = *v;
    const char **s[] = {&o->out->person_name, &o->out->unit,       &o->out->address,
                        &o->out->day,         &o->out->method,     &o->out->findings,
                        &o->out->needs,       &o->out->mentee_name};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        *s[i] = arena_strdup(o->a, *s[i]);
    *o->found = true;
    return 1; /* one is enough */
}

int grids_visit_of_case(struct app *app, struct arena *a, int64_t case_id,
                        struct grid_visit_row *out, bool *found, struct err *err)
{
    struct one_visit o = {a, out, found};
    struct each_visit x = {keep_visit, &o};
    *found = false;
    struct db *db = store_acquire(app->store);
    int rc = store_visit_of_case(db, case_id, visit_row, &x, err);
    store_release(app->store, db);
    return rc > 0 ? ERR_OK : rc;
}

/* ---- compliance ---- */

struct vday {
    int64_t person, household, mentee;
    const char *unit, *day;
};

static int vday_cmp(const void *pa, const void *pb)
{
    const struct vday *a = pa, *b = pb;
    if (a->person != b->person) return a->person < b->person ? -1 : 1;
    return strcmp(a->day, b->day);
}

struct comp {
    struct app *app;
    struct arena *a;
    const char *start, *next, *today;
    struct vday *v;
    size_t nv, capv;
    struct link_compliance *l;
    size_t nl, capl;
    const char **days; /* scratch */
};

static int keep_day(void *ctx, int64_t person, const char *unit, int64_t household, int64_t mentee,
                    const char *day)
{
    struct comp *c = ctx;
    if (c->nv == c->capv) {
        c->capv = c->capv ? 2 * c->capv : 256;
        c->v = xrealloc(c->v, c->capv * sizeof *c->v);
    }
    c->v[c->nv++] =
        (struct vday){person, household, mentee, arena_strdup(c->a, unit), arena_strdup(c->a, day)};
    return 0;
}

static int keep_link(void *ctx, struct db_stmt *row)
{
    struct comp *c = ctx;
    if (!grids_duty(c->app, db_text(row, "duty"))) return 0; /* a duty no longer defined */
    if (c->nl == c->capl) {
        c->capl = c->capl ? 2 * c->capl : 128;
        c->l = xrealloc(c->l, c->capl * sizeof *c->l);
    }
    struct grid_link *l = &c->l[c->nl++].link;
    memset(&c->l[c->nl - 1], 0, sizeof c->l[0]);
    l->id = db_int(row, "id");
    l->person_id = db_int(row, "person_id");
    l->household_id = db_int(row, "household_id");
    l->mentee_id = db_int(row, "mentee_id");
    l->duty = grids_duty(c->app, db_text(row, "duty"))->code;
    l->unit = db_dup(row, c->a, "unit");
    l->partner = db_dup(row, c->a, "partner");
    l->from = db_dup(row, c->a, "from_date");
    l->to = db_dup(row, c->a, "to_date");
    l->person_name = db_dup(row, c->a, "person_name");
    l->target_name = db_dup(row, c->a, "address");
    return 0;
}

/* The visits of the link's person that count for it: to its household, or
 * anywhere in its unit's subtree; their days sorted into c->days. */
static size_t link_days(struct comp *c, const struct grid_link *l, const char **last)
{
    struct vday key = {.person = l->person_id, .day = ""};
    size_t lo = 0, hi = c->nv, n = 0, ul = strlen(l->unit);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vday_cmp(&c->v[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *last = "";
    for (size_t i = lo; i < c->nv && c->v[i].person == l->person_id; i++) {
        const struct vday *v = &c->v[i];
        bool counts = l->household_id ? v->household == l->household_id
                      : l->mentee_id  ? v->mentee == l->mentee_id
                                      : strncmp(v->unit, l->unit, ul) == 0;
        if (!counts) continue;
        c->days[n++] = v->day;
        *last = v->day;
    }
    return n;
}

static int compute(struct comp *c, const char *scope, struct err *err)
{
    char from[11];
    /* visits of the periods' first days: a quarter or a year may start before start */
    snprintf(from, sizeof from, "%.4s-01-01", c->start);
    struct db *db = store_acquire(c->app->store);
    int rc = store_visit_days(db, scope, from, c->next, keep_day, c, err);
    if (!rc) rc = store_contact_links(db, scope, from, c->next, keep_link, c, err);
    store_release(c->app->store, db);
    if (rc) return rc;
    if (c->nv) qsort(c->v, c->nv, sizeof *c->v, vday_cmp); /* v is NULL when none */
    c->days = xmalloc((c->nv + 1) * sizeof *c->days);
    for (size_t i = 0; i < c->nl; i++) {
        struct link_compliance *x = &c->l[i];
        const struct grid_duty *d = grids_duty(c->app, x->link.duty);
        size_t n = link_days(c, &x->link, &x->last_visit);
        struct duty_totals t = {0};
        duty_link_count(d->every, d->visits, x->link.from, x->link.to, c->days, n, c->start,
                        c->next, c->today, &t, NULL, NULL);
        x->due = t.due;
        x->done = t.done;
        x->missed = t.missed;
        x->pending = t.pending;
    }
    return ERR_OK;
}

static void comp_free(struct comp *c)
{
    free(c->v);
    free(c->days);
}

int grids_compliance(struct app *app, struct arena *a, const char *unit, const char *period,
                     struct link_compliance **out, size_t *n, struct err *err)
{
    struct period p;
    int rc = period_parse(period ? period : "", &p, err);
    if (rc) return rc;
    if (p.type == PERIOD_WEEK)
        return err_set_field(err, ERR_INVALID, "period", "走访按年、季度或月统计，不按周");
    char start[11], next[11], today[11];
    period_dates(&p, start, next);
    clock_today(today, 0);
    struct comp c = {.app = app, .a = a, .start = start, .next = next, .today = today};
    rc = compute(&c, unit, err);
    *out = arena_zalloc(a, (c.nl + 1) * sizeof **out);
    if (!rc && c.nl) memcpy(*out, c.l, c.nl * sizeof **out);
    *n = rc ? 0 : c.nl;
    free(c.l);
    comp_free(&c);
    return rc;
}

/* ---- computed data elements ---- */

static const char *const counts[] = {"due", "done", NULL};
#define COUNTS "due（应走访）或 done（已走访）"

int grids_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, counts, COUNTS, err) < 0 ? ERR_INVALID : ERR_OK;
}

int grids_computed_counts(struct app *app, const char *computed, const char *start,
                          const char *next, const char *date, computed_add fn, void *ctx,
                          struct err *err)
{
    (void)date; /* a running period counts up to today (core/duty.h) */
    int which = computed_count(computed, counts, COUNTS, err);
    if (which < 0) return ERR_INVALID;
    bool done = which == 1;
    char today[11];
    clock_today(today, 0);
    struct arena *a = arena_new();
    struct comp c = {.app = app, .a = a, .start = start, .next = next, .today = today};
    int rc = compute(&c, "", err);
    for (size_t i = 0; !rc && i < c.nl; i++) {
        const struct link_compliance *x = &c.l[i];
        if (x->due || x->done)
            rc = fn(ctx, x->link.unit, strlen(x->link.unit), (double)(done ? x->done : x->due));
    }
    free(c.l);
    comp_free(&c);
    arena_free(a);
    return rc;
}
