/* demo_points.c — 7. 党员积分 and 党费 of the members of the county's first
 * township's villages (demo.h): each member's claims through the year,
 * most approved, some refused, some still 待审; a dues basis for the year
 * and the months paid, a few members having stopped paying half a year
 * ago (欠交). Everything through app/points.h as the command line's actor,
 * so caps and rules apply as to an operator: a claim over a cap is simply
 * not made. */
#include "app/people.h"
#include "app/points.h"
#include "cli/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMBERS_PER_VILLAGE 8 /* at most, so that the demo stays quick */

struct ids {
    struct arena *a;
    int64_t *id;
    size_t n, cap;
};

static int keep_id(void *ctx, const struct person_row *p, const char *at_unit, const char *at_stage)
{
    (void)at_unit;
    (void)at_stage;
    struct ids *x = ctx;
    if (x->n == MEMBERS_PER_VILLAGE) return 1;
    x->id = arena_grow(x->a, x->id, sizeof *x->id, x->n, x->n + 1, &x->cap);
    x->id[x->n++] = p->id;
    return 0;
}

/* One member's claims: a few a month of the items the branch records. */
static int member_points(struct demo *d, struct arena *a, struct rng *r, int64_t person)
{
    static const char *const bonus[] = {"study", "volunteer", "household_visit", "pioneer"};
    static const char *const minus[] = {"absence", "dues_late", "discipline"};
    for (int m = 1; m <= d->months; m++) {
        int claims = rng_chance(r, 0.6) + rng_chance(r, 0.15);
        for (int k = 0; k < claims; k++) {
            bool deduct = rng_chance(r, 0.08);
            const char *rule = deduct ? minus[rng_below(r, 3)] : bonus[rng_below(r, 4)];
            char *day = arena_printf(a, "%04d-%02d-%02d", d->year, m, 1 + (int)rng_below(r, 28));
            if (strcmp(day, d->today) > 0) continue;
            struct points_claim in = {.person_id = person,
                                      .rule = rule,
                                      .day = day,
                                      .evidence = "签到表、活动照片",
                                      .note = deduct ? "支部委员会认定" : "党员申报"};
            int64_t id;
            struct err e;
            err_clear(&e);
            int rc = points_claim(d->app, d->actor, &in, AUTH_CLI_NAME, a, &id, &e);
            if (rc == ERR_INVALID) continue; /* a cap reached: not claimed */
            if (rc) {
                d->e = e;
                return rc;
            }
            d->point_claims++;
            double u = rng_u(r);
            if (u < 0.12 && m >= d->months - 1) continue; /* recent ones still 待审 */
            bool reject = u > 0.9;
            rc = points_step(d->app, d->actor, id, reject ? "reject" : "approve",
                             reject ? "佐证材料不足" : NULL, AUTH_CLI_NAME, a, &e);
            if (rc == ERR_INVALID && !reject) { /* over a cap once approved: refused */
                err_clear(&e);
                rc = points_step(d->app, d->actor, id, "reject", "超过本期积分上限", AUTH_CLI_NAME,
                                 a, &e);
                reject = true;
            }
            if (rc) {
                d->e = e;
                return rc;
            }
            d->point_steps++;
            d->point_rejected += reject;
        }
    }
    return ERR_OK;
}

/* One member's dues: a basis for the year and the months paid, all of
 * them but for a member in arrears. */
static int member_dues(struct demo *d, struct rng *r, int64_t person)
{
    double u = rng_u(r);
    const char *category = u < 0.7 ? "farmer" : u < 0.85 ? "retired" : "employed";
    int64_t income = 0, fixed = -1;
    if (strcmp(category, "farmer") != 0)
        income = 200000 + (int64_t)rng_below(r, 800000); /* 2,000–10,000 元 */
    int rc = dues_basis_set(d->app, d->actor, person, d->year, category, income, fixed,
                            AUTH_CLI_NAME, &d->e);
    if (rc) return rc;
    d->dues_bases++;
    int last = d->months - 1; /* the months before this one */
    if (rng_chance(r, 0.1)) {
        last -= 6; /* stopped paying half a year ago */
        d->dues_arrears++;
    }
    if (last < 1) return ERR_OK;
    const char *months[24];
    char text[12][8];
    for (int m = 0; m < last; m++) {
        snprintf(text[m], sizeof text[m], "%04u-%02u", (unsigned)d->year % 10000u,
                 (unsigned)(m + 1) % 100u);
        months[m] = text[m];
    }
    struct dues_view v;
    struct arena *a = arena_new();
    rc = dues_person(d->app, person, d->year, a, &v, &d->e);
    int64_t monthly = rc ? 0 : v.months[0].due_fen;
    arena_free(a);
    if (rc) return rc;
    struct dues_payment_in in = {.person_id = person,
                                 .amount_fen = monthly * last,
                                 .months = months,
                                 .nmonths = (size_t)last,
                                 .method = rng_chance(r, 0.6) ? "wechat" : "cash"};
    rc = dues_pay(d->app, d->actor, &in, AUTH_CLI_NAME, &d->e);
    if (!rc) d->dues_payments++;
    return rc;
}

int demo_write_points(struct demo *d)
{
    if (!d->n || d->months == 0) return ERR_OK;
    int rc = ERR_OK;
    size_t first = d->units[0].township;
    for (size_t i = 0; i < d->n && d->units[i].township == first && !rc; i++) {
        const struct demo_unit *u = &d->units[i];
        struct arena *a = arena_new();
        struct ids x = {.a = a};
        struct person_query q = {.unit = u->code,
                                 .membership = d->app->points->member_kind,
                                 .date = d->today,
                                 .limit = MEMBERS_PER_VILLAGE};
        const char *next;
        rc = people_persons_list(d->app, d->actor, &q, a, keep_id, &x, &next, &d->e);
        for (size_t k = 0; k < x.n && !rc; k++) {
            struct rng r = rng_for(d->seed, u->code, P_POINTS + (unsigned)k * 16);
            rc = member_points(d, a, &r, x.id[k]);
            if (!rc) rc = member_dues(d, &r, x.id[k]);
        }
        if (rc) err_wrap(&d->e, "党员积分 and 党费 of %s", u->code);
        arena_free(a);
    }
    return rc;
}
