/* demo_values.c — 1. the year's data values of every village (demo.h):
 * yearly figures, monthly requests and hazards up to the current month,
 * quarterly satisfaction, one township at a time. */
#include "cli/demo.h"
#include "app/data.h"
#include "base/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One unit's figures of the year. */
struct demo_values {
    double year[V_YEARLY];
    double month[12][V_MONTHLY_END - V_YEARLY];
    double quarter[4];
};

static double strength_of(const struct demo_unit *u, int v)
{
    int c = u->ds->star_of[v];
    return c >= 0 ? u->strength[c] : u->quality;
}

/* One unit's figures for the year, each drawn around the strength of the
 * star that uses it. Rates are set so that a strength of ~0.7 reaches the
 * shipped schemes' thresholds. */
static void gen_values(const struct demo *d, const struct demo_unit *u, struct demo_values *out)
{
    struct rng r = rng_for(d->seed, u->code, P_VALUES);
    bool community = tree_node(d->tree, u->node)->kind == UNIT_KIND_COMMUNITY;
#define X(v) clamp01(strength_of(u, (v)) + 0.1 * rng_n(&r))
    double *y = out->year;
    double hh = community ? 600 + 3400 * pow(rng_u(&r), 1.5) : 200 + 700 * pow(rng_u(&r), 1.2);
    y[V_HOUSEHOLDS] = round(hh);
    y[V_POPULATION] = round(hh * (community ? 2.7 + 0.6 * rng_u(&r) : 3.2 + 0.6 * rng_u(&r)));
    double pop = y[V_POPULATION];
    y[V_TOILET] = round(hh * (0.70 + 0.30 * X(V_TOILET)));
    /* 2–120 万元, skewed: most villages earn little, a few a lot. */
    double income = 2 * pow(60, pow(X(V_INCOME), 1.3));
    y[V_INCOME] = round((community ? income * 0.6 : income) * 10) / 10;
    y[V_DOCTOR] = round(pop * (0.38 + 0.37 * X(V_DOCTOR)));
    y[V_VACC_TARGET] = round(pop * (0.045 + 0.02 * rng_u(&r)));
    y[V_VACC_DONE] = round(y[V_VACC_TARGET] * (0.86 + 0.14 * X(V_VACC_DONE)));
    y[V_VOLUNTEERS] = round(pop * (0.01 + 0.13 * pow(X(V_VOLUNTEERS), 2)));
    y[V_PARTY] = round(pop * (0.015 + 0.03 * pow(X(V_PARTY), 1.2)));
    y[V_BRANCH] = strength_of(u, V_BRANCH) + 0.15 * rng_n(&r) > 0.55;
    y[V_INV_PLANNED] = round((30 + 570 * pow(rng_u(&r), 2)) * 10) / 10;
    y[V_INV_DONE] = round(y[V_INV_PLANNED] * (0.55 + 0.5 * X(V_INV_DONE)) * 10) / 10;
    double resolve = 0.82 + 0.19 * X(V_REQ_RESOLVED), fix = 0.55 + 0.45 * X(V_HAZ_FIXED);
    for (int m = 0; m < d->months; m++) {
        double *mo = out->month[m];
        int received = (int)round(hh / 150 * (0.5 + rng_u(&r))), resolved = 0;
        for (int k = 0; k < received; k++)
            resolved += rng_chance(&r, resolve);
        int found = (int)round(pow(rng_u(&r), 2) * 3.5), fixed = 0;
        for (int k = 0; k < found; k++)
            fixed += rng_chance(&r, fix);
        mo[V_REQ_RECEIVED - V_YEARLY] = received;
        mo[V_REQ_RESOLVED - V_YEARLY] = resolved;
        mo[V_HAZ_FOUND - V_YEARLY] = found;
        mo[V_HAZ_FIXED - V_YEARLY] = fixed;
    }
    for (int q = 0; q < d->quarters; q++)
        out->quarter[q] = round((72 + 26 * pow(X(V_SATISFACTION), 1.3)) * 10) / 10;
#undef X
}

/* Appends one unit's values to *items. */
static void add_values(const struct demo *d, const struct demo_unit *u, struct value_in **items,
                       size_t *n, size_t *cap)
{
    struct demo_values v = {0};
    gen_values(d, u, &v);
    size_t need =
        *n + V_YEARLY + (size_t)d->months * (V_MONTHLY_END - V_YEARLY) + (size_t)d->quarters;
    *items = xgrow(*items, sizeof **items, need, cap);
    struct value_in *it = *items;
    for (int k = 0; k < V_YEARLY; k++)
        if (k != V_PARTY) /* counted from the party rosters (demo_people.c) */
            it[(*n)++] = (struct value_in){.element = demo_elements[k],
                                           .unit = u->code,
                                           .period = d->p_year,
                                           .value = v.year[k]};
    for (int m = 0; m < d->months; m++)
        for (int k = V_YEARLY; k < V_MONTHLY_END; k++)
            it[(*n)++] = (struct value_in){.element = demo_elements[k],
                                           .unit = u->code,
                                           .period = d->p_month[m],
                                           .value = v.month[m][k - V_YEARLY]};
    for (int q = 0; q < d->quarters; q++)
        it[(*n)++] = (struct value_in){.element = demo_elements[V_SATISFACTION],
                                       .unit = u->code,
                                       .period = d->p_quarter[q],
                                       .value = v.quarter[q]};
}

long demo_party_members(const struct demo *d, const struct demo_unit *u)
{
    struct demo_values v = {0};
    gen_values(d, u, &v);
    return (long)v.year[V_PARTY];
}

/* Writes the values one township at a time (one transaction and audit
 * record each). */
int demo_write_values(struct demo *d)
{
    struct value_in *items = NULL;
    size_t cap = 0, i = 0;
    int rc = ERR_OK;
    while (i < d->n && !rc) {
        size_t n = 0, changed = 0, township = d->units[i].township;
        for (; i < d->n && d->units[i].township == township; i++)
            add_values(d, &d->units[i], &items, &n, &cap);
        rc = data_values_write(d->app, d->actor, items, n, AUTH_CLI_NAME, "jiceng demo", &changed,
                               &d->e);
        if (rc) err_wrap(&d->e, "values of %s", tree_node(d->tree, d->townships[township])->code);
        d->values += n;
        d->changed += changed;
    }
    free(items);
    return rc;
}
