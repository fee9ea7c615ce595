/* demo_plan.c — random streams and the plan of a demo county (demo.h). */
#include "cli/demo.h"
#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

/* ---- random numbers: splitmix64 ---------------------------------------- */

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
double rng_u(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Bell-shaped in [-1, 1] (the mean of three uniforms, rescaled). */
double rng_n(struct rng *r)
{
    double sum = rng_u(r); /* one draw per statement: the order is fixed */
    sum += rng_u(r);
    sum += rng_u(r);
    return (sum - 1.5) / 1.5;
}

bool rng_chance(struct rng *r, double p)
{
    return rng_u(r) < p;
}

/* Uniform in [0, n). */
size_t rng_below(struct rng *r, size_t n)
{
    return n ? (size_t)(rng_u(r) * (double)n) : 0;
}

struct rng rng_for(uint64_t seed, const char *code, unsigned purpose)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a of the code */
    for (const char *p = code; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    struct rng r = {seed};
    r.s = rng_next(&r) ^ h;
    r.s = rng_next(&r) ^ ((uint64_t)purpose << 32);
    return r;
}

double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* Where ratings end: a few in each state of the cycle, more under notice,
 * the rest (about two thirds) named. */
static double state_share(const struct wf_kind *k, int st)
{
    return k->states[st].flags & WF_NOTICE ? 0.07 : 0.05;
}

/* Share of the county per target, 5★ first. */
static const double demo_targets[] = {0.04, 0.14, 0.30, 0.32, 0.20};

const char *const demo_elements[V_COUNT] = {
    "households",        "population",          "toilet.sanitary",    "income.collective",
    "doctor.contracts",  "vaccine.target",      "vaccine.done",       "volunteers",
    "party.members",     "branch.standardised", "investment.planned", "investment.done",
    "requests.received", "requests.resolved",   "hazards.found",      "hazards.fixed",
    "satisfaction",
};

/* The star whose formula indicators or vetoes reference element `code`. */
static int star_of_element(const struct scheme *s, const char *code)
{
    for (int i = 0; i < s->nindicators; i++) {
        const struct formula *f = s->indicators[i].formula;
        for (size_t k = 0; f && k < formula_nrefs(f); k++)
            if (strcmp(formula_ref(f, k), code) == 0) return s->indicators[i].category;
    }
    for (int i = 0; i < s->nvetoes; i++) {
        const struct formula *f = s->vetoes[i].formula;
        for (size_t k = 0; f && k < formula_nrefs(f); k++)
            if (strcmp(formula_ref(f, k), code) == 0) return s->vetoes[i].category;
    }
    return -1;
}

/* Picks the schemes of the year, one per unit kind. */
void demo_plan_schemes(struct demo *d)
{
    for (int i = 0; i < ratings_nschemes(d->app); i++) {
        const struct scheme *s = ratings_scheme_at(d->app, i);
        for (int k = 0; k < UNIT_KIND_COUNT; k++) {
            if (s->year != d->year || !scheme_applies(s, k) || d->schemes[k].s) continue;
            d->schemes[k].s = s;
            for (int v = 0; v < V_COUNT; v++)
                d->schemes[k].star_of[v] = star_of_element(s, demo_elements[v]);
        }
    }
}

/* Collects the townships and, below them, the units a scheme of the year
 * applies to. */
void demo_plan_units(struct demo *d)
{
    size_t cap_t = 0, cap_u = 0;
    for (uint32_t t = tree_first_child(d->tree, d->county); t != TREE_NONE;
         t = tree_next_sibling(d->tree, t)) {
        if (tree_node(d->tree, t)->level != UNIT_TOWNSHIP) continue;
        d->townships = xgrow(d->townships, sizeof *d->townships, d->ntownships + 1, &cap_t);
        d->townships[d->ntownships] = t;
        for (uint32_t v = tree_first_child(d->tree, t); v != TREE_NONE;
             v = tree_next_sibling(d->tree, v)) {
            const struct tree_node *node = tree_node(d->tree, v);
            if (node->level != UNIT_VILLAGE || !d->schemes[node->kind].s) continue;
            d->units = xgrow(d->units, sizeof *d->units, d->n + 1, &cap_u);
            d->units[d->n++] = (struct demo_unit){
                .node = v,
                .code = node->code,
                .township = d->ntownships,
                .ds = &d->schemes[node->kind],
            };
        }
        d->ntownships++;
    }
}

/* Descending key, ties in unit order. */
static int by_key_desc(const void *a, const void *b)
{
    const double *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? 1 : -1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Quality, target, strengths and the final state of every unit. */
void demo_plan_ratings(struct demo *d)
{
    /* Targets by rank of a noisy quality: the county's shares are exact. */
    double(*keys)[2] = xcalloc(d->n ? d->n : 1, sizeof *keys);
    for (size_t i = 0; i < d->n; i++) {
        struct rng r = rng_for(d->seed, d->units[i].code, P_QUALITY);
        d->units[i].quality = clamp01(0.5 + 0.5 * rng_n(&r));
        keys[i][0] = d->units[i].quality + 0.15 * rng_n(&r);
        keys[i][1] = (double)i;
    }
    qsort(keys, d->n, sizeof *keys, by_key_desc);
    for (size_t rank = 0; rank < d->n; rank++) {
        double at = ((double)rank + 0.5) / (double)d->n, sum = 0;
        int target = 1;
        for (int k = 0; k < 5; k++) {
            sum += demo_targets[k];
            if (at < sum) {
                target = 5 - k;
                break;
            }
        }
        struct demo_unit *u = &d->units[(size_t)keys[rank][1]];
        u->target = target < u->ds->s->ncategories ? target : u->ds->s->ncategories;
    }
    free(keys);

    /* The stars aimed for: the prerequisite first, then others at random. */
    for (size_t i = 0; i < d->n; i++) {
        struct demo_unit *u = &d->units[i];
        const struct scheme *s = u->ds->s;
        struct rng r = rng_for(d->seed, u->code, P_STRENGTH);
        int order[SCHEME_CATEGORIES_MAX], n = 0;
        if (s->prerequisite >= 0) order[n++] = s->prerequisite;
        for (int c = 0; c < s->ncategories; c++)
            if (c != s->prerequisite) order[n++] = c;
        int lo = s->prerequisite >= 0 ? 1 : 0;
        for (int k = n - 1; k > lo; k--) {
            int j = lo + (int)rng_below(&r, (size_t)k - (size_t)lo + 1);
            int tmp = order[k];
            order[k] = order[j];
            order[j] = tmp;
        }
        for (int k = 0; k < n; k++)
            u->strength[order[k]] = k < u->target
                                        ? clamp01(0.68 + 0.2 * u->quality + 0.15 * rng_n(&r))
                                        : clamp01(0.25 + 0.35 * u->quality + 0.2 * rng_n(&r));
    }

    /* States: a shuffled order cut by the shares, at least one each; the
     * final state takes the rest. */
    size_t *perm = xcalloc(d->n ? d->n : 1, sizeof *perm);
    struct rng r = rng_for(d->seed, "states", P_STATES);
    for (size_t i = 0; i < d->n; i++)
        perm[i] = i;
    for (size_t i = d->n; i > 1; i--) {
        size_t j = rng_below(&r, i), tmp = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = tmp;
    }
    const struct wf_kind *k = d->cycle;
    int final = -1;
    size_t at = 0;
    for (int st = 0; st < k->nstates; st++) {
        if (k->states[st].flags & WF_FINAL) {
            final = st;
            continue;
        }
        size_t n = (size_t)((double)d->n * state_share(k, st));
        if (n == 0 && d->n > (size_t)k->nstates) n = 1;
        for (; n > 0 && at < d->n; n--)
            d->units[perm[at++]].state = st;
    }
    for (; at < d->n; at++)
        d->units[perm[at]].state = final;
    free(perm);
}
