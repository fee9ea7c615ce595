/* demo_health.c — 11. family doctors and the 30-minute circle (demo.h): a
 * 乡镇卫生院 in every township with three 家庭医生团队 led by residents of
 * the township, a 村卫生室 in most villages, every village located inside
 * the county (a few far out, outside the circle), residents' health tags
 * (hypertension, diabetes …), contracts for a share of the residents and
 * nearly every one of a key group, and a few contracts stopped with a
 * standard reason. The seed's shape is 35.8 % signed with key groups at
 * ~100 %; the demo's residents are the party rosters, older than a
 * county, so about half are in a key group and about half are signed.
 * Deterministic from the seed; the contracts of a township go in through
 * the all-or-nothing import, one transaction each. */
#include "app/health.h"
#include "app/people.h"
#include "base/mem.h"
#include "cli/demo.h"
#include "core/keygroup.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KM_PER_DEG_LAT 111.0
#define DEMO_TEAMS     3 /* per township hospital */
#define DEMO_PAGE      1000
#define DEMO_STOPS     2 /* per township */

/* Where the demo county lies (WGS-84): 舞阳县 is the demo's usual county;
 * any other is drawn around the middle of Henan. Demo geography, not a
 * rule. */
static void county_centre(const char *code, double *lat, double *lng)
{
    *lat = strcmp(code, "411121") == 0 ? 33.437 : 33.882;
    *lng = strcmp(code, "411121") == 0 ? 113.610 : 113.614;
}

static void offset(double lat, double lng, double km, double angle, double *olat, double *olng)
{
    *olat = lat + km * sin(angle) / KM_PER_DEG_LAT;
    *olng = lng + km * cos(angle) / (KM_PER_DEG_LAT * cos(lat * M_PI / 180.0));
}

/* "大杨庄村村民委员会" → "大杨庄村" for a clinic's name. */
static const char *short_name(struct arena *a, const char *name)
{
    static const char *const cut[] = {"村民委员会", "居民委员会", "委员会"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        size_t k = strlen(cut[i]);
        if (n > k && strcmp(name + n - k, cut[i]) == 0)
            return arena_printf(a, "%.*s", (int)(n - k), name);
    }
    return name;
}

struct residents {
    struct arena *a;
    struct person_row *p;
    size_t n, cap;
};

static int add_resident(void *ctx, const struct person_row *p, const char *at_unit,
                        const char *at_stage)
{
    (void)at_unit;
    (void)at_stage;
    struct residents *r = ctx;
    r->p = xgrow(r->p, sizeof *r->p, r->n + 1, &r->cap);
    r->p[r->n++] =
        (struct person_row){.id = p->id,
                            .unit = arena_strdup(r->a, p->unit),
                            .sex = arena_strdup(r->a, p->sex ? p->sex : ""),
                            .birth_date = arena_strdup(r->a, p->birth_date ? p->birth_date : "")};
    return 0;
}

static int residents_of(struct demo *d, const char *unit, struct residents *out)
{
    const char *after = NULL;
    int rc;
    do {
        struct person_query q = {.unit = unit, .after = after, .limit = DEMO_PAGE};
        const char *next = NULL;
        rc = people_persons_list(d->app, d->actor, &q, out->a, add_resident, out, &next, &d->e);
        after = next;
    } while (!rc && after);
    return rc;
}

/* A resident's health tags, drawn by age and sex at rates of the order
 * of the county statistics (hypertension ~ one adult in five). */
static size_t draw_tags(struct rng *r, int age, const char *sex, const char **tags)
{
    size_t n = 0;
    if (age >= 35 && rng_chance(r, age >= 60 ? 0.25 : 0.10)) tags[n++] = "hypertension";
    if (age >= 35 && rng_chance(r, 0.06)) tags[n++] = "diabetes";
    if (rng_chance(r, 0.02)) tags[n++] = "disabled";
    if (rng_chance(r, 0.004)) tags[n++] = "mental";
    if (rng_chance(r, 0.002)) tags[n++] = "tuberculosis";
    if (strcmp(sex, "女") == 0 && age >= 22 && age <= 38 && rng_chance(r, 0.05))
        tags[n++] = "pregnant";
    if (rng_chance(r, 0.03))
        tags[n++] = "dibao";
    else if (rng_chance(r, 0.005))
        tags[n++] = "tekun";
    return n;
}

static bool key_person(const struct health_defs *h, int age, const char *const *tags, size_t n,
                       char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(buf + len, cap - len, "%s%s,", len ? "" : ",", tags[i]);
        if (k > 0 && (size_t)k < cap - len) len += (size_t)k;
    }
    for (size_t g = 0; g < h->ngroups; g++)
        if (keygroup_match(&h->groups[g], age, buf)) return true;
    return false;
}

/* 随访 of one signed resident with a follow-up duty: most quarters of this
 * year from the contract's start to today get one (the rest stay overdue,
 * for the due-visit list), mostly at the clinic, some at home or by phone.
 * Demo doctors' names, not data. */
struct followups {
    struct arena *a;
    struct health_followup_in *v;
    size_t n, cap;
};

static void follow_up(struct demo *d, struct followups *out, int64_t person, const char *start)
{
    static const char *const doctors[] = {"王医生", "李医生", "张医生", "刘医生"};
    static const char *const methods[] = {"clinic", "clinic", "clinic", "home", "phone"};
    char code[32];
    snprintf(code, sizeof code, "f%lld", (long long)person);
    struct rng r = rng_for(d->seed, code, P_HEALTH + 200);
    long today, from;
    if (!keygroup_day(d->today, &today) || !keygroup_day(start, &from)) return;
    for (int q = 0; q < 4; q++) {
        char qs[11], qn[11], day[11];
        snprintf(qs, sizeof qs, "%.4s-%02d-01", d->today, q * 3 + 1);
        snprintf(qn, sizeof qn, "%.4s-%02d-01", d->today, q * 3 + 4);
        long lo, hi;
        if (!keygroup_day(qs, &lo)) return;
        if (q == 3 || !keygroup_day(qn, &hi)) hi = lo + 92; /* the year's end */
        if (from > lo) lo = from;
        if (hi > today + 1) hi = today + 1;
        if (lo >= hi || !rng_chance(&r, 0.85)) continue;
        keygroup_date(lo + (long)rng_below(&r, (size_t)(hi - lo)), day);
        out->v = arena_grow(out->a, out->v, sizeof *out->v, out->n, out->n + 1, &out->cap);
        out->v[out->n++] = (struct health_followup_in){.person_id = person,
                                                       .day = arena_strdup(out->a, day),
                                                       .method = methods[rng_below(&r, 5)],
                                                       .doctor = doctors[rng_below(&r, 4)],
                                                       .note = "血压、血糖已测，用药指导"};
    }
}

struct township_plan {
    double lat, lng;
    int64_t teams[DEMO_TEAMS];
};

/* The township's hospital, its teams (led by its first residents) and
 * its villages' locations and clinics. */
static int place_township(struct demo *d, struct arena *a, size_t t, struct township_plan *tp,
                          const struct residents *people)
{
    uint32_t tn = d->townships[t];
    const char *tcode = tree_node(d->tree, tn)->code;
    struct rng r = rng_for(d->seed, tcode, P_HEALTH);
    double clat, clng;
    county_centre(tree_node(d->tree, d->county)->code, &clat, &clng);
    double angle = 2 * M_PI * (double)t / (double)(d->ntownships ? d->ntownships : 1);
    offset(clat, clng, 4 + 8 * rng_u(&r), angle, &tp->lat, &tp->lng);
    int64_t hospital;
    struct health_facility_in f = {.unit = tcode,
                                   .type = "township_hospital",
                                   .name = arena_printf(a, "%s卫生院", tree_name(d->tree, tn)),
                                   .crs = "wgs84",
                                   .located = true,
                                   .lat = tp->lat,
                                   .lng = tp->lng};
    int rc = health_facility_create(d->app, d->actor, &f, AUTH_CLI_NAME, &hospital, &d->e);
    d->health_facilities += !rc;
    static const char *const team_names[DEMO_TEAMS] = {"家庭医生第一团队", "家庭医生第二团队",
                                                       "家庭医生第三团队"};
    for (int k = 0; !rc && k < DEMO_TEAMS; k++) {
        struct health_team_in in = {
            .facility_id = hospital,
            .leader_id = people->n > (size_t)k ? people->p[(size_t)k * 7 % people->n].id : 0,
            .name = team_names[k]};
        rc = health_team_create(d->app, d->actor, &in, AUTH_CLI_NAME, &tp->teams[k], &d->e);
        d->health_teams += !rc;
    }
    for (size_t i = 0; i < d->n && !rc; i++) {
        if (d->units[i].township != t) continue;
        const char *v = d->units[i].code;
        struct rng vr = rng_for(d->seed, v, P_HEALTH);
        /* a few villages lie far out, beyond half an hour from any clinic */
        bool remote = rng_chance(&vr, 0.03);
        double lat, lng;
        if (remote)
            offset(clat, clng, 26 + 4 * rng_u(&vr), angle + 0.3 * rng_n(&vr), &lat, &lng);
        else
            offset(tp->lat, tp->lng, 0.5 + 3.5 * rng_u(&vr), 2 * M_PI * rng_u(&vr), &lat, &lng);
        rc = health_point_set(d->app, d->actor, v, "wgs84", lat, lng, AUTH_CLI_NAME, &d->e);
        d->health_points += !rc;
        if (!rc && !remote && rng_chance(&vr, 0.8)) {
            int64_t id;
            double flat, flng;
            offset(lat, lng, 0.2 * rng_u(&vr), 2 * M_PI * rng_u(&vr), &flat, &flng);
            struct health_facility_in c = {
                .unit = v,
                .type = "village_clinic",
                .name = arena_printf(a, "%s卫生室",
                                     short_name(a, tree_name(d->tree, d->units[i].node))),
                .crs = "wgs84",
                .located = true,
                .lat = flat,
                .lng = flng};
            rc = health_facility_create(d->app, d->actor, &c, AUTH_CLI_NAME, &id, &d->e);
            d->health_facilities += !rc;
        }
    }
    return rc;
}

/* Tags and contracts of a township's residents, then a few stops. */
static int sign_township(struct demo *d, struct arena *a, size_t t, const struct township_plan *tp,
                         const struct residents *people)
{
    const struct health_defs *h = d->app->health;
    const char *tcode = tree_node(d->tree, d->townships[t])->code;
    long today;
    keygroup_day(d->today, &today);
    struct health_tags_row *tags = arena_zalloc(a, (people->n + 1) * sizeof *tags);
    struct health_contract_in *rows = arena_zalloc(a, (people->n + 1) * sizeof *rows);
    bool *fu = arena_zalloc(a, (people->n + 1) * sizeof *fu); /* rows[i] has a 随访 duty */
    size_t ntags = 0, nrows = 0;
    for (size_t i = 0; i < people->n; i++) {
        const struct person_row *p = &people->p[i];
        char code[32];
        snprintf(code, sizeof code, "p%lld", (long long)p->id);
        struct rng r = rng_for(d->seed, code, P_HEALTH);
        int age = keygroup_age(p->birth_date, d->today);
        const char **tg = arena_zalloc(a, 8 * sizeof *tg);
        size_t n = draw_tags(&r, age, p->sex, tg);
        if (n) tags[ntags++] = (struct health_tags_row){p->id, tg, n};
        char buf[160];
        bool key = key_person(h, age, tg, n, buf, sizeof buf);
        if (!rng_chance(&r, key ? 0.985 : 0.15)) continue;
        bool duty = false;
        for (size_t k = 0; k < h->nfollowup_duties; k++)
            duty = duty || keygroup_match(&h->groups[h->followup_duties[k].group], age, buf);
        fu[nrows] = duty;
        char *start = arena_zalloc(a, 16);
        keygroup_date(today - (long)rng_below(&r, 330), start);
        rows[nrows++] = (struct health_contract_in){.person_id = p->id,
                                                    .team_id = tp->teams[rng_below(&r, DEMO_TEAMS)],
                                                    .package = key ? (age >= 65  ? "elderly"
                                                                      : age <= 6 ? "maternal_child"
                                                                                 : "chronic")
                                                                   : "basic",
                                                    .start_date = start};
    }
    int rc =
        ntags ? health_tags_import(d->app, d->actor, tags, ntags, AUTH_CLI_NAME, &d->e) : ERR_OK;
    size_t added = 0;
    if (!rc && nrows)
        rc = health_contracts_import(d->app, d->actor, rows, nrows, AUTH_CLI_NAME, &added, &d->e);
    d->health_tagged += rc ? 0 : ntags;
    d->health_contracts += added;
    /* the township's follow-ups in one all-or-nothing batch */
    struct followups fus = {a, NULL, 0, 0};
    for (size_t i = 0; !rc && i < nrows; i++)
        if (fu[i]) follow_up(d, &fus, rows[i].person_id, rows[i].start_date);
    if (!rc && fus.n)
        rc = health_followups_import(d->app, d->actor, fus.v, fus.n, tcode, AUTH_CLI_NAME, &d->e);
    d->health_followups += rc ? 0 : fus.n;
    /* a few ended early: moved away, died, asked to end it */
    struct rng r = rng_for(d->seed, tcode, P_HEALTH + 100);
    for (int k = 0; !rc && k < DEMO_STOPS && nrows; k++) {
        const struct health_contract_in *c = &rows[rng_below(&r, nrows)];
        const char *reason = h->stop_reasons[rng_below(&r, h->nstop_reasons)].code;
        rc = health_contract_stop_person(d->app, d->actor, c->person_id, reason, d->today,
                                         AUTH_CLI_NAME, &d->e);
        if (rc == ERR_CONFLICT || rc == ERR_INVALID)
            rc = ERR_OK; /* drawn twice, or starts today */
        else
            d->health_stops += !rc;
    }
    return rc;
}

int demo_write_health(struct demo *d)
{
    int rc = ERR_OK;
    for (size_t t = 0; t < d->ntownships && !rc; t++) {
        struct arena *a = arena_new();
        const char *tcode = tree_node(d->tree, d->townships[t])->code;
        struct residents people = {a, NULL, 0, 0};
        struct township_plan tp = {0};
        rc = residents_of(d, tcode, &people);
        if (!rc) rc = place_township(d, a, t, &tp, &people);
        if (!rc) rc = sign_township(d, a, t, &tp, &people);
        d->health_residents += people.n;
        if (rc) err_wrap(&d->e, "family doctors of %s", tcode);
        free(people.p);
        arena_free(a);
    }
    return rc;
}
