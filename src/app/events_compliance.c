/* events_compliance.c — duties made into compliance figures (events.h):
 * the report per organisation and the computed data elements
 * party.meetings.due / held. Nothing here is stored: every figure is
 * counted from the held events, the organisations and the memberships of
 * the moment, by the rules of core/duty.h. */
#include "app/events.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/duty.h"
#include "core/tree.h"
#include "store/store.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A held event or an attendance: (key, type, day), sorted; type the event
 * type's index in the definitions, day as days since 1970 (core/tree.h). */
struct mark {
    int64_t key; /* organiser id, or person id */
    int32_t type, day;
};

static int mark_cmp(const void *pa, const void *pb)
{
    const struct mark *a = pa, *b = pb;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    if (a->type != b->type) return a->type < b->type ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

struct marks {
    struct mark *v;
    size_t n, cap;
};

static void marks_add(struct marks *m, int64_t key, int32_t type, const char *day)
{
    int32_t d;
    if (!tree_day_parse(day, &d)) return;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->v = xrealloc(m->v, m->cap * sizeof *m->v);
    }
    m->v[m->n++] = (struct mark){key, type, d};
}

/* Is there a mark (key, type, day) with day in [ps, pn) among m->v[lo, hi)? */
static bool marks_any_in(const struct marks *m, size_t lo, size_t hi, int64_t key, int32_t type,
                         int32_t ps, int32_t pn)
{
    struct mark probe = {key, type, ps};
    size_t end = hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mark_cmp(&m->v[mid], &probe) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < end && m->v[lo].key == key && m->v[lo].type == type && m->v[lo].day < pn;
}

static bool marks_any(const struct marks *m, int64_t key, int32_t type, int32_t ps, int32_t pn)
{
    return marks_any_in(m, 0, m->n, key, type, ps, pn);
}

/* Sorts the marks unless the store handed them over sorted already. */
static void marks_sort(struct marks *m)
{
    for (size_t i = 1; i < m->n; i++)
        if (mark_cmp(&m->v[i - 1], &m->v[i]) > 0) {
            qsort(m->v, m->n, sizeof *m->v, mark_cmp);
            return;
        }
}

/* One duty's periods in the reporting period. */
struct dperiod {
    char text[PERIOD_TEXT_MAX], ps[11], pn[11];
    int32_t ds, dn; /* [ps, pn) as days */
};
struct dperiods {
    struct dperiod *v;
    size_t n, cap;
};

static int keep_period(void *ctx, const struct period *p, const char *ps, const char *pn)
{
    struct dperiods *d = ctx;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = xrealloc(d->v, d->cap * sizeof *d->v);
    }
    struct dperiod *x = &d->v[d->n++];
    period_format(p, x->text);
    snprintf(x->ps, sizeof x->ps, "%s", ps);
    snprintf(x->pn, sizeof x->pn, "%s", pn);
    tree_day_parse(ps, &x->ds);
    tree_day_parse(pn, &x->dn);
    return 0;
}

/* The whole computation. cells: keep per-period counts (the report),
 * else totals per organisation only (the computed elements). */
struct comp {
    struct app *app;
    struct arena *a;
    const char *scope, *start, *next, *only; /* only: ",duty," codes or "" */
    char today[11], from[11];
    bool cells;
    struct org_compliance *orgs; /* by id; the caller frees it */
    size_t norgs, cap;
    struct dperiods *periods; /* per duty */
    struct marks held, attended;
    char last_code[64]; /* keep_held's last type */
    const struct event_type *last_type;
};

static int keep_org(void *ctx, const struct org_row *o)
{
    struct comp *c = ctx;
    if (c->norgs == c->cap) { /* on the heap: a province's grow without copies */
        c->cap = c->cap ? c->cap * 2 : 256;
        c->orgs = xrealloc(c->orgs, c->cap * sizeof *c->orgs);
    }
    c->orgs[c->norgs++] = (struct org_compliance){.o = *o};
    return 0;
}

static int org_cmp(const void *pa, const void *pb)
{
    const struct org_compliance *a = pa, *b = pb;
    return a->o.id < b->o.id ? -1 : a->o.id > b->o.id;
}

/* Sorts the organisations by id unless they came so. */
static void orgs_sort(struct comp *c)
{
    for (size_t j = 1; j < c->norgs; j++)
        if (org_cmp(&c->orgs[j - 1], &c->orgs[j]) > 0) {
            qsort(c->orgs, c->norgs, sizeof *c->orgs, org_cmp);
            return;
        }
}

static struct org_compliance *org_find(struct comp *c, int64_t id)
{
    struct org_compliance key = {.o = {.id = id}};
    if (!c->norgs) return NULL;
    return bsearch(&key, c->orgs, c->norgs, sizeof *c->orgs, org_cmp);
}

static int keep_held(void *ctx, int64_t org_id, const char *type, const char *day)
{
    struct comp *c = ctx;
    /* the events come by organiser and type: look a type up once a run */
    if (strcmp(type, c->last_code) != 0) {
        snprintf(c->last_code, sizeof c->last_code, "%s", type);
        c->last_type = events_type(c->app, type);
    }
    const struct event_type *t = c->last_type;
    if (t && org_id) marks_add(&c->held, org_id, (int32_t)(t - c->app->events->types), day);
    return 0;
}

/* The line of duty k of organisation o, made on first use. */
static struct compliance_line *line_of(struct comp *c, struct org_compliance *o, size_t k)
{
    size_t nd = c->app->events->nduties;
    if (!o->lines) o->lines = arena_zalloc(c->a, nd * sizeof *o->lines);
    struct compliance_line *l = &o->lines[k];
    if (!l->duty) {
        l->duty = &c->app->events->duties[k];
        if (c->cells) {
            l->ncells = c->periods[k].n;
            l->cells = arena_zalloc(c->a, (l->ncells + 1) * sizeof *l->cells);
            for (size_t i = 0; i < l->ncells; i++)
                memcpy(l->cells[i].period, c->periods[k].v[i].text, PERIOD_TEXT_MAX);
        }
    }
    return l;
}

static void count(struct comp *c, struct org_compliance *o, size_t k, size_t i, int state)
{
    if (!c->cells) { /* totals only: nlines says some duty applies */
        o->nlines = 1;
        o->held += state == DUTY_DONE;
        o->missed += state == DUTY_MISSED;
        o->pending += state == DUTY_PENDING;
        o->due += state != DUTY_PENDING;
        return;
    }
    struct compliance_line *l = line_of(c, o, k);
    struct compliance_cell none = {0}, *cell = c->cells ? &l->cells[i] : &none;
    long *slots[3][3] = {{&l->held, &o->held, &cell->held},
                         {&l->missed, &o->missed, &cell->missed},
                         {&l->pending, &o->pending, &cell->pending}};
    for (int s = 0; s < 3; s++)
        ++*slots[state][s];
    if (state != DUTY_PENDING) {
        l->due++;
        o->due++;
        cell->due++;
    }
}

/* The days an organisation exists: [founded, dissolved] (dissolved
 * INT32_MAX while it exists). */
struct span {
    int32_t founded, dissolved;
};

static struct span org_span(const struct org_row *o)
{
    struct span s = {INT32_MAX, INT32_MAX};
    tree_day_parse(o->founded_on, &s.founded);
    if (o->dissolved_on[0] && !tree_day_parse(o->dissolved_on, &s.dissolved)) s.dissolved = 0;
    return s;
}

/* Does the organisation exist on day L = dn - 1? */
static bool org_alive(struct span s, int32_t dn)
{
    return s.founded < dn && s.dissolved >= dn;
}

/* The type's index in the definitions (the marks' type). */
static int32_t type_index(const struct app *app, const char *code)
{
    return (int32_t)(events_type(app, code) - app->events->types);
}

/* Does duty d apply to organisations of type? The last answer is kept:
 * the organisations come in runs of a few types. */
struct applies {
    const char *type;
    bool yes;
};

static bool duty_applies(const struct duty_def *d, const char *type, struct applies *last)
{
    if (last->type && strcmp(last->type, type) == 0) return last->yes;
    char needle[80];
    snprintf(needle, sizeof needle, ",%s,", type);
    *last = (struct applies){type, strstr(d->org_types, needle) != NULL};
    return last->yes;
}

/* Both the organisations and the held marks are sorted by id: each
 * organisation's marks are the next run, searched alone. */
static void org_duty(struct comp *c, size_t k)
{
    const struct duty_def *d = &c->app->events->duties[k];
    int32_t type = type_index(c->app, d->event_type);
    struct applies last = {NULL, false};
    size_t at = 0; /* the first mark of the organisation or after */
    for (size_t j = 0; j < c->norgs; j++) {
        struct org_compliance *o = &c->orgs[j];
        while (at < c->held.n && c->held.v[at].key < o->o.id)
            at++;
        size_t end = at;
        while (end < c->held.n && c->held.v[end].key == o->o.id)
            end++;
        if (!duty_applies(d, o->o.type, &last)) continue;
        struct span s = org_span(&o->o);
        for (size_t i = 0; i < c->periods[k].n; i++) {
            const struct dperiod *p = &c->periods[k].v[i];
            if (!org_alive(s, p->dn)) continue;
            bool held = marks_any_in(&c->held, at, end, o->o.id, type, p->ds, p->dn);
            count(c, o, k, i, duty_state(held, p->pn, c->today));
        }
        at = end;
    }
}

struct member_ctx {
    struct comp *c;
    size_t k;
};

static int member_row(void *ctx, int64_t person_id, int64_t org_id, const char *from_date,
                      const char *to_date)
{
    struct member_ctx *x = ctx;
    struct comp *c = x->c;
    const struct duty_def *d = &c->app->events->duties[x->k];
    struct org_compliance *o = org_find(c, org_id);
    if (!o) return 0;
    for (size_t i = 0; i < c->periods[x->k].n; i++) {
        const struct dperiod *p = &c->periods[x->k].v[i];
        /* holding on the period's last day */
        if (strcmp(from_date, p->pn) >= 0 || (to_date[0] && strcmp(to_date, p->pn) < 0)) continue;
        bool held =
            marks_any(&c->attended, person_id, type_index(c->app, d->event_type), p->ds, p->dn);
        count(c, o, x->k, i, duty_state(held, p->pn, c->today));
    }
    return 0;
}

static int keep_attended(void *ctx, int64_t person_id, const char *day)
{
    struct member_ctx *x = ctx;
    marks_add(&x->c->attended, person_id,
              type_index(x->c->app, x->c->app->events->duties[x->k].event_type), day);
    return 0;
}

/* Calls fn(c, stage) for each stage of the member duty's ",a,b," list. */
static int each_stage(const struct duty_def *d,
                      int (*fn)(struct member_ctx *x, struct db *db, const char *stage,
                                struct err *err),
                      struct member_ctx *x, struct db *db, struct err *err)
{
    int rc = ERR_OK;
    for (const char *at = d->member_stages; !rc && at[0] == ',' && at[1];) {
        const char *end = strchr(at + 1, ',');
        if (!end) break;
        char stage[64];
        snprintf(stage, sizeof stage, "%.*s", (int)(end - at - 1), at + 1);
        rc = fn(x, db, stage, err);
        at = end;
    }
    return rc;
}

static int stage_attended(struct member_ctx *x, struct db *db, const char *stage, struct err *err)
{
    const struct duty_def *d = &x->c->app->events->duties[x->k];
    return store_attended(db, d->event_type, x->c->app->events->present_codes, d->member_kind,
                          stage, x->c->from, x->c->next, keep_attended, x, err);
}

/* stage by stage, so that the index (kind, stage, from_date …) serves each */
static int stage_members(struct member_ctx *x, struct db *db, const char *stage, struct err *err)
{
    const struct comp *c = x->c;
    return store_memberships_between(db, c->app->events->duties[x->k].member_kind, stage, c->scope,
                                     c->from, c->next, member_row, x, err);
}

static int member_duty(struct comp *c, struct db *db, size_t k, struct err *err)
{
    const struct duty_def *d = &c->app->events->duties[k];
    struct member_ctx x = {c, k};
    c->attended.n = 0;
    int rc = each_stage(d, stage_attended, &x, db, err);
    if (rc) return rc;
    marks_sort(&c->attended);
    return each_stage(d, stage_members, &x, db, err);
}

static bool duty_wanted(const struct comp *c, const struct duty_def *d)
{
    if (!c->only[0]) return true;
    char needle[80];
    snprintf(needle, sizeof needle, ",%s,", d->code);
    return strstr(c->only, needle) != NULL;
}

static int compute(struct comp *c, struct err *err)
{
    const struct event_defs *defs = c->app->events;
    clock_today(c->today, 0);
    /* the earliest day a counted period can start: 1 January of the first year */
    snprintf(c->from, sizeof c->from, "%.4s-01-01", c->start);
    c->periods = arena_zalloc(c->a, (defs->nduties + 1) * sizeof *c->periods);
    for (size_t k = 0; k < defs->nduties; k++)
        if (duty_wanted(c, &defs->duties[k]))
            duty_periods(defs->duties[k].every, c->start, c->next, keep_period, &c->periods[k]);
    struct db *db = store_acquire(c->app->store);
    /* the computed elements ask for every organisation and no names */
    int rc = c->cells || c->scope[0] ? store_orgs_list(db, c->a, c->scope, false, keep_org, c, err)
                                     : store_orgs_spans(db, c->a, keep_org, c, err);
    if (!rc) rc = store_events_held(db, c->scope, c->from, c->next, keep_held, c, err);
    if (!rc) {
        orgs_sort(c);
        marks_sort(&c->held);
    }
    for (size_t k = 0; !rc && k < defs->nduties; k++) {
        if (!duty_wanted(c, &defs->duties[k])) continue;
        if (defs->duties[k].member_kind)
            rc = member_duty(c, db, k, err);
        else
            org_duty(c, k);
    }
    store_release(c->app->store, db);
    for (size_t k = 0; k < defs->nduties; k++)
        free(c->periods[k].v);
    free(c->held.v);
    free(c->attended.v);
    return rc;
}

int events_compliance(struct app *app, const char *unit, const char *period, struct arena *a,
                      struct compliance_report *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    struct period p;
    int rc = period_parse(period ? period : "", &p, err);
    if (rc) return rc;
    if (p.type == PERIOD_WEEK)
        return err_set_field(err, ERR_INVALID, "period", "合规按年、季度或月统计，不按周");
    char start[11], next[11];
    period_dates(&p, start, next);
    struct comp c = {
        .app = app, .a = a, .scope = unit, .start = start, .next = next, .only = "", .cells = true};
    if ((rc = compute(&c, err))) {
        free(c.orgs);
        return rc;
    }
    memcpy(out->today, c.today, sizeof out->today);
    out->orgs = arena_zalloc(a, (c.norgs + 1) * sizeof *out->orgs);
    if (c.norgs) memcpy(out->orgs, c.orgs, c.norgs * sizeof *out->orgs);
    free(c.orgs);
    out->norgs = c.norgs;
    size_t nd = app->events->nduties;
    for (size_t j = 0; j < c.norgs; j++) {
        struct org_compliance *o = &out->orgs[j];
        size_t n = 0; /* the lines in use, in the duties' order */
        for (size_t k = 0; o->lines && k < nd; k++)
            if (o->lines[k].duty) o->lines[n++] = o->lines[k];
        o->nlines = n;
        out->due += o->due;
        out->held += o->held;
        out->missed += o->missed;
        out->pending += o->pending;
    }
    return ERR_OK;
}

/* ---- computed data elements ---- */

/* {"source":"duties","count":"due"|"held"[,"duties":[codes]]}: *held and
 * the duty list as ",a,b," ("" for all) into only[cap]. */
static int computed_parse(const struct app *app, const char *text, bool *held, char *only,
                          size_t cap, struct err *err)
{
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    const char *what = json_string_value(json_object_get(o, "count"));
    json_t *list = json_object_get(o, "duties");
    int rc = ERR_OK;
    only[0] = '\0';
    if (!what || (strcmp(what, "due") != 0 && strcmp(what, "held") != 0))
        rc = err_set_field(err, ERR_INVALID, "computed",
                           "computed.count 须为 due（应开）或 held（已开）");
    else if (json_object_size(o) > (list ? 3u : 2u))
        rc = err_set_field(err, ERR_INVALID, "computed", "computed 只能有 source、count、duties");
    else if (list && (!json_is_array(list) || json_array_size(list) == 0))
        rc = err_set_field(err, ERR_INVALID, "computed", "computed.duties 须为职责代码的数组");
    size_t len = 0;
    for (size_t i = 0; !rc && i < json_array_size(list); i++) {
        const char *code = json_string_value(json_array_get(list, i));
        int k = code && events_duty(app, code)
                    ? snprintf(only + len, cap - len, "%s%s,", len ? "" : ",", code)
                    : -1;
        if (k < 0)
            rc = err_set_field(err, ERR_INVALID, "computed",
                               "computed.duties 第 %zu 项不是已定义的职责", i + 1);
        else if ((size_t)k >= cap - len)
            rc = err_set_field(err, ERR_INVALID, "computed", "computed.duties 过长");
        else
            len += (size_t)k;
    }
    if (!rc) *held = strcmp(what, "held") == 0;
    json_decref(o);
    return rc;
}

int events_computed_check(const struct app *app, const char *computed, struct err *err)
{
    bool held;
    char only[512];
    return computed_parse(app, computed, &held, only, sizeof only, err);
}

/* The last totals counted for the computed elements: due and held per
 * organisation's unit, for one (period, duties, day). party.meetings.held
 * and party.meetings.due are asked together (a rate), so the second is
 * answered from here; any event, organisation or membership write drops
 * it (events_changed). */
struct events_memo {
    pthread_mutex_t mu;
    uint64_t gen; /* bumped by events_changed */
    bool valid;
    char key[600]; /* start|next|only|today */
    char (*units)[UNIT_CODE_MAX + 1];
    double *due, *held;
    size_t n;
};

void events_memo_init(struct event_defs *e)
{
    e->memo = xcalloc(1, sizeof *e->memo);
    pthread_mutex_init(&e->memo->mu, NULL);
}

static void memo_clear(struct events_memo *m)
{
    free(m->units);
    free(m->due);
    free(m->held);
    m->units = NULL;
    m->due = m->held = NULL;
    m->n = 0;
    m->valid = false;
}

void events_memo_free(struct event_defs *e)
{
    if (!e->memo) return;
    memo_clear(e->memo);
    pthread_mutex_destroy(&e->memo->mu);
    free(e->memo);
    e->memo = NULL;
}

void events_changed(struct app *app)
{
    if (!app->events || !app->events->memo) return;
    struct events_memo *m = app->events->memo;
    pthread_mutex_lock(&m->mu);
    m->gen++;
    memo_clear(m);
    pthread_mutex_unlock(&m->mu);
}

static int memo_emit(struct events_memo *m, bool held,
                     int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx)
{
    int rc = 0;
    for (size_t i = 0; i < m->n && !rc; i++)
        rc = fn(ctx, m->units[i], strlen(m->units[i]), held ? m->held[i] : m->due[i]);
    return rc;
}

int events_computed_counts(struct app *app, const char *computed, const char *start,
                           const char *next, const char *date, computed_add fn, void *ctx,
                           struct err *err)
{
    (void)date; /* a running period counts up to today (core/duty.h) */
    bool held;
    char only[512], today[11], key[600];
    int rc = computed_parse(app, computed, &held, only, sizeof only, err);
    if (rc) return rc;
    clock_today(today, 0);
    snprintf(key, sizeof key, "%s|%s|%s|%s", start, next, only, today);
    struct events_memo *m = app->events->memo;
    pthread_mutex_lock(&m->mu);
    if (m->valid && strcmp(m->key, key) == 0) {
        rc = memo_emit(m, held, fn, ctx);
        pthread_mutex_unlock(&m->mu);
        return rc;
    }
    uint64_t gen = m->gen;
    pthread_mutex_unlock(&m->mu);

    struct arena *a = arena_new();
    struct comp c = {.app = app, .a = a, .scope = "", .start = start, .next = next, .only = only};
    rc = compute(&c, err);
    struct events_memo fresh = {.n = 0};
    if (!rc) {
        fresh.units = xcalloc(c.norgs + 1, sizeof *fresh.units);
        fresh.due = xcalloc(c.norgs + 1, sizeof *fresh.due);
        fresh.held = xcalloc(c.norgs + 1, sizeof *fresh.held);
        for (size_t j = 0; j < c.norgs; j++) {
            const struct org_compliance *o = &c.orgs[j];
            if (!o->nlines) continue; /* no duty applies to it */
            snprintf(fresh.units[fresh.n], sizeof fresh.units[fresh.n], "%s", o->o.unit);
            fresh.due[fresh.n] = (double)o->due;
            fresh.held[fresh.n++] = (double)o->held;
        }
        rc = memo_emit(&fresh, held, fn, ctx);
    }
    free(c.orgs);
    arena_free(a);
    pthread_mutex_lock(&m->mu);
    if (!rc && m->gen == gen) { /* nothing was written meanwhile: keep it */
        memo_clear(m);
        m->units = fresh.units;
        m->due = fresh.due;
        m->held = fresh.held;
        m->n = fresh.n;
        snprintf(m->key, sizeof m->key, "%s", key);
        m->valid = true;
        fresh.units = NULL;
        fresh.due = fresh.held = NULL;
    }
    pthread_mutex_unlock(&m->mu);
    memo_clear(&fresh);
    return rc;
}
