/* demo_events.c — 7. a year of organisational life (demo.h): every
 * village's and community's 党支部 (or 党总支) holds its 支委会, 党员大会,
 * 主题党日, 党课, 组织生活会 and its 预备党员's 谈心谈话 through the app layer,
 * from January to today, with the members signed in. How often a duty is
 * kept is drawn per township and per organisation (most keep all of them),
 * so compliance (party.meetings.held / due) varies by township; a period that is still
 * running is held only if its day has come. Deterministic from the seed. */
#include "cli/demo.h"
#include "app/events.h"
#include "base/mem.h"
#include "core/duty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct org_pick {
    const char *unit;
    int64_t id;
    const char *type;
    struct arena *a;
};

static int pick_org(void *ctx, const struct org_row *o)
{
    struct org_pick *x = ctx;
    if (!x->id && strcmp(o->unit, x->unit) == 0 && !o->dissolved_on[0]) {
        x->id = o->id;
        x->type = arena_strdup(x->a, o->type);
    }
    return 0;
}

struct period_ctx {
    struct demo *d;
    struct arena *a;
    struct rng *r;
    double keep;
    const struct duty_def *duty;
    int64_t org;
    const struct org_view *v;
    struct event_in *ins; /* the year's events, written at once */
    size_t n, cap, sign_ins;
};

/* Who signs in: a 支委会 its committee, a duty of members those members,
 * the others every member; once each. */
static size_t sign_in(struct period_ctx *x, const struct event_type *t,
                      struct participant_in *parts)
{
    bool committee = strcmp(t->code, "committee_meeting") == 0;
    size_t np = 0;
    for (size_t i = 0; t->attendance && i < x->v->nmembers; i++) {
        const struct membership_row *m = &x->v->members[i];
        if (strcmp(m->kind, committee ? "committee" : "party_member") != 0) continue;
        bool member = strcmp(m->stage, "formal") == 0 || strcmp(m->stage, "probationary") == 0;
        if (x->duty->member_kind && !strstr(x->duty->member_stages, m->stage)) continue;
        if (!committee && !x->duty->member_kind && !member) continue;
        bool dup = false;
        for (size_t k = 0; k < np; k++)
            dup = dup || parts[k].person_id == m->person_id;
        if (dup) continue;
        double r = rng_u(x->r);
        const char *at = r < 0.88 ? "present" : r < 0.96 ? "leave" : "absent";
        if (x->duty->member_kind && x->keep >= 1.0) at = "present"; /* a talk kept is had */
        parts[np++] = (struct participant_in){m->person_id, at, NULL, 0};
    }
    return np;
}

/* Plans one event of the duty in [ps, pn) if the draw says so and its day has come. */
static int hold(void *ctx, const struct period *p, const char *ps, const char *pn)
{
    (void)p;
    struct period_ctx *x = ctx;
    struct demo *d = x->d;
    int32_t s, n;
    tree_day_parse(ps, &s);
    tree_day_parse(pn, &n);
    char day[11];
    tree_day_format(s + (int32_t)rng_below(x->r, (size_t)(n - s > 25 ? 25 : n - s)), day);
    if (!rng_chance(x->r, x->keep) || strcmp(day, d->today) > 0) return 0;
    const struct event_type *t = events_type(d->app, x->duty->event_type);
    struct participant_in *parts = arena_zalloc(x->a, (x->v->nmembers + 1) * sizeof *parts);
    size_t np = sign_in(x, t, parts);
    if (x->duty->member_kind && !np) return 0; /* no 预备党员: nothing due */
    const char **actions = arena_zalloc(x->a, (t->nrequired + 2) * sizeof *actions);
    size_t na = 0;
    for (size_t i = 0; i < t->nrequired; i++)
        actions[na++] = t->required[i].code;
    if (t->noptional) actions[na++] = t->optional[rng_below(x->r, t->noptional)].code;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 64;
        x->ins = xrealloc(x->ins, x->cap * sizeof *x->ins);
    }
    x->ins[x->n++] = (struct event_in){
        .type = t->code,
        .status = "held",
        .starts_at = arena_printf(x->a, "%sT%s", day, rng_chance(x->r, 0.5) ? "09:00" : "15:00"),
        .place = "党群服务中心",
        .topic = arena_printf(x->a, "%s（%s）", t->name, day),
        .org_id = x->org,
        .actions = actions,
        .nactions = na,
        .actions_given = true,
        .parts = parts,
        .nparts = np,
        .parts_given = np > 0};
    x->sign_ins += np;
    return 0;
}

static int unit_events(struct demo *d, struct arena *a, const struct demo_unit *u, double township)
{
    struct org_pick pick = {u->code, 0, NULL, a};
    int rc = people_orgs_list(d->app, u->code, a, pick_org, &pick, &d->e);
    if (rc || !pick.id) return rc;
    struct org_view v;
    if ((rc = people_org_get(d->app, d->actor, pick.id, a, &v, &d->e))) return rc;
    char start[16], next[16];
    snprintf(start, sizeof start, "%04d-01-01", d->year % 10000);
    snprintf(next, sizeof next, "%04d-01-01", (d->year + 1) % 10000);
    struct rng r = rng_for(d->seed, u->code, P_EVENTS);
    /* most branches keep every duty (组织生活 met); the others miss some */
    double keep = rng_chance(&r, township) ? 1.0 : township - 0.15 + 0.08 * rng_n(&r);
    const struct event_defs *defs = d->app->events;
    char needle[80];
    snprintf(needle, sizeof needle, ",%s,", pick.type);
    struct period_ctx x = {d, a, &r, keep, NULL, pick.id, &v, NULL, 0, 0, 0};
    for (size_t k = 0; k < defs->nduties && !rc; k++) {
        x.duty = &defs->duties[k];
        if (!x.duty->member_kind && !strstr(x.duty->org_types, needle)) continue;
        rc = duty_periods(x.duty->every, start, next, hold, &x);
    }
    int64_t *ids = arena_zalloc(a, (x.n + 1) * sizeof *ids);
    if (!rc && x.n)
        rc = events_create_many(d->app, d->actor, x.ins, x.n, AUTH_CLI_NAME, ids, &d->e);
    if (!rc) {
        d->events += x.n;
        d->attendance += x.sign_ins;
    }
    free(x.ins);
    return rc;
}

int demo_write_events(struct demo *d)
{
    int rc = ERR_OK;
    for (size_t i = 0; i < d->n && !rc; i++) {
        const struct demo_unit *u = &d->units[i];
        const char *tcode = tree_node(d->tree, d->townships[u->township])->code;
        /* how well the township keeps its duties: most well, a few poorly */
        struct rng tr = rng_for(d->seed, tcode, P_EVENTS);
        double township = 0.62 + 0.34 * rng_u(&tr);
        struct arena *a = arena_new();
        rc = unit_events(d, a, u, township);
        arena_free(a);
        if (rc) err_wrap(&d->e, "organisational life of %s", u->code);
    }
    return rc;
}
