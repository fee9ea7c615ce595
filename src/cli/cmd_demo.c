/*
 * cmd_demo.c — `jiceng demo --county CODE [--year Y] [--seed N]`: a
 * synthetic year of the "五星"支部创建 campaign in one county, so that a
 * fresh installation (`make run`) shows a newcomer a living county and
 * benchmarks have data to chew on.
 *
 * What it writes, all through the app layer as the command line (actor
 * NULL, client "cli"), so that every write is checked and audited like an
 * operator's:
 *   1. the year's data values of every village and community: yearly
 *      figures, monthly requests and hazards up to the current month,
 *      quarterly satisfaction (data_values_write, one township at a time);
 *   2. a rating per unit (ratings_*): target, self-assessment, then the
 *      cycle taken to a state spread over 自评中 … 已命名, with returns,
 *      adjustments, objections and two stars withdrawn;
 *   3. creation checklists for units aiming higher than they reach, some
 *      of their items moved along;
 *   4. the suggested 支部联建 pairs of the county (pairings_suggest/save),
 *      saved before the checklists, which name the strong unit as helper;
 *   5. ordinary work items: weekly dispatch batches to the townships,
 *      residents' requests and hazards with a few steps each.
 *
 * The one write beside the app layer: naming needs the public notice over
 * and a demo cannot wait for it, so end_notices() moves notice_until to
 * yesterday with a bound UPDATE before naming (app/ratings.h has no way).
 *
 * Deterministic: every draw comes from a splitmix64 stream seeded by (seed,
 * unit code, purpose), so a unit's figures do not depend on the order or
 * number of the others and one seed always gives the same county; only
 * timestamps and tracking codes differ between runs. Idempotent: a county
 * that already has a rating under a scheme of the year is left alone.
 *
 * The figures are shaped by a quality drawn per unit: the target follows
 * it (5★ 4 %, 4★ 14 %, 3★ 30 %, 2★ 32 %, 1★ 20 % of the county), the stars
 * a unit aims for get a high strength and the others a low one, and every
 * figure and answer of a star is drawn around its strength, so the stars
 * won mostly, not always, match the target.
 */
#include "app/data.h"
#include "app/items.h"
#include "app/ratings.h"
#include "base/arena.h"
#include "base/mem.h"
#include "core/pairing.h"
#include "cli/cli.h"
#include "store/db.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLIENT "cli"

/* ---- random numbers: splitmix64 ---------------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_u(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Bell-shaped in [-1, 1] (the mean of three uniforms, rescaled). */
static double rng_n(struct rng *r)
{
    double sum = rng_u(r); /* one draw per statement: the order is fixed */
    sum += rng_u(r);
    sum += rng_u(r);
    return (sum - 1.5) / 1.5;
}

static bool rng_chance(struct rng *r, double p)
{
    return rng_u(r) < p;
}

/* Uniform in [0, n). */
static size_t rng_below(struct rng *r, size_t n)
{
    return n ? (size_t)(rng_u(r) * (double)n) : 0;
}

/* What a stream is for: each purpose of each unit draws its own numbers. */
enum { P_QUALITY = 1, P_STRENGTH, P_VALUES, P_ANSWERS, P_STEPS, P_ITEMS, P_STATES, P_WORK };

static struct rng rng_for(uint64_t seed, const char *code, unsigned purpose)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a of the code */
    for (const char *p = code; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    struct rng r = {seed};
    r.s = rng_next(&r) ^ h;
    r.s = rng_next(&r) ^ ((uint64_t)purpose << 32);
    return r;
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* ---- the plan ---------------------------------------------------------- */

enum demo_state {
    ST_DECLARED,
    ST_RETURNED,
    ST_SUBMITTED,
    ST_TOWNSHIP,
    ST_COUNTY,
    ST_NOTICE,
    ST_NAMED,
    ST_COUNT
};

/* Where the units end, with their share (the rest is named) and the steps
 * that lead there from 自评中. */
static const struct {
    const char *label;
    double share;
    const char *steps[5];
} demo_states[ST_COUNT] = {
    [ST_DECLARED] = {"自评中", 0.05, {NULL}},
    [ST_RETURNED] = {"退回修改", 0.04, {"submit", "return", NULL}},
    [ST_SUBMITTED] = {"待乡镇初审", 0.05, {"submit", NULL}},
    [ST_TOWNSHIP] = {"待县级复审", 0.05, {"submit", "accept", NULL}},
    [ST_COUNTY] = {"待公示", 0.04, {"submit", "accept", "approve", NULL}},
    [ST_NOTICE] = {"公示中", 0.07, {"submit", "accept", "approve", "publish", NULL}},
    [ST_NAMED] = {"已命名", 0, {"submit", "accept", "approve", "publish", NULL}},
};

/* Share of the county per target, 5★ first. */
static const double demo_targets[] = {0.04, 0.14, 0.30, 0.32, 0.20};

/* The data elements written, yearly ones first, then monthly, then the
 * quarterly satisfaction. */
enum {
    V_HOUSEHOLDS,
    V_POPULATION,
    V_TOILET,
    V_INCOME,
    V_DOCTOR,
    V_VACC_TARGET,
    V_VACC_DONE,
    V_VOLUNTEERS,
    V_PARTY,
    V_BRANCH,
    V_INV_PLANNED,
    V_INV_DONE,
    V_YEARLY,
    V_REQ_RECEIVED = V_YEARLY,
    V_REQ_RESOLVED,
    V_HAZ_FOUND,
    V_HAZ_FIXED,
    V_MONTHLY_END,
    V_SATISFACTION = V_MONTHLY_END,
    V_COUNT
};

static const char *const demo_elements[V_COUNT] = {
    "households",        "population",          "toilet.sanitary",    "income.collective",
    "doctor.contracts",  "vaccine.target",      "vaccine.done",       "volunteers",
    "party.members",     "branch.standardised", "investment.planned", "investment.done",
    "requests.received", "requests.resolved",   "hazards.found",      "hazards.fixed",
    "satisfaction",
};

struct demo_values {
    double year[V_YEARLY];
    double month[12][V_MONTHLY_END - V_YEARLY];
    double quarter[4];
};

/* A scheme of the year and, per element, the star whose formulas use it
 * (-1: none), whose strength then shapes the element's figures. */
struct demo_scheme {
    const struct scheme *s;
    int star_of[V_COUNT];
};

struct demo_unit {
    uint32_t node;
    const char *code; /* in the tree */
    size_t township;  /* index into demo.townships */
    const struct demo_scheme *ds;
    double quality; /* 0..1 */
    int target;
    int state; /* enum demo_state */
    double strength[SCHEME_CATEGORIES_MAX];
    const char *partner; /* the strong unit of its 支部联建 pair (in the tree), NULL none */
};

struct demo {
    struct app *app;
    struct tree *tree;
    uint64_t seed;
    int year, months, quarters;
    uint32_t county;
    char today[11];
    struct demo_scheme schemes[UNIT_KIND_COUNT]; /* by unit kind; s NULL = none */
    uint32_t *townships;
    size_t ntownships;
    struct demo_unit *units;
    size_t n;
    char p_year[PERIOD_TEXT_MAX], p_quarter[4][PERIOD_TEXT_MAX], p_month[12][PERIOD_TEXT_MAX];
    /* what was written */
    size_t values, changed;
    size_t by_state[ST_COUNT], adjusted, objections, resolved, withdrawn;
    size_t pairs, strong, weak;
    size_t checklists, checklist_items, started, finished, verified;
    size_t batches, dispatched, requests, hazards, steps;
    struct err e;
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
static void plan_schemes(struct demo *d)
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
static void plan_units(struct demo *d)
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
static void plan_ratings(struct demo *d)
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

    /* States: a shuffled order cut by the shares, at least one each. */
    size_t *perm = xcalloc(d->n ? d->n : 1, sizeof *perm);
    struct rng r = rng_for(d->seed, "states", P_STATES);
    for (size_t i = 0; i < d->n; i++)
        perm[i] = i;
    for (size_t i = d->n; i > 1; i--) {
        size_t j = rng_below(&r, i), tmp = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = tmp;
    }
    size_t at = 0;
    for (int st = 0; st < ST_NAMED; st++) {
        size_t k = (size_t)((double)d->n * demo_states[st].share);
        if (k == 0 && d->n > ST_COUNT) k = 1;
        for (; k > 0 && at < d->n; k--)
            d->units[perm[at++]].state = st;
    }
    for (; at < d->n; at++)
        d->units[perm[at]].state = ST_NAMED;
    free(perm);
}

/* ---- 1. data values ---------------------------------------------------- */

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
        it[(*n)++] = (struct value_in){
            .element = demo_elements[k], .unit = u->code, .period = d->p_year, .value = v.year[k]};
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

/* Writes the values one township at a time (one transaction and audit
 * record each). */
static int write_values(struct demo *d)
{
    struct value_in *items = NULL;
    size_t cap = 0, i = 0;
    int rc = ERR_OK;
    while (i < d->n && !rc) {
        size_t n = 0, changed = 0, township = d->units[i].township;
        for (; i < d->n && d->units[i].township == township; i++)
            add_values(d, &d->units[i], &items, &n, &cap);
        rc = data_values_write(d->app, NULL, items, n, CLIENT, "jiceng demo", &changed, &d->e);
        if (rc) err_wrap(&d->e, "values of %s", tree_node(d->tree, d->townships[township])->code);
        d->values += n;
        d->changed += changed;
    }
    free(items);
    return rc;
}

/* ---- 2. ratings -------------------------------------------------------- */

static const char *assessed_note(double frac)
{
    return frac >= 0.999 ? "台账资料齐全，对照细则逐项达标"
           : frac >= 0.8 ? "基本达标，个别环节资料待补充"
                         : "存在短板，已列入创建工作清单整改";
}

/* The self-assessment: every assessed and yes/no indicator and yes/no veto
 * (a 自评中 unit has answered only part of it). Scores near the maximum
 * for a strong star, lower for a weak one; veto hits are rare. */
static int answer(struct demo *d, const struct demo_unit *u)
{
    const struct scheme *s = u->ds->s;
    struct rng r = rng_for(d->seed, u->code, P_ANSWERS);
    struct rating_answer ans[SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES];
    size_t n = 0;
    double part = u->state == ST_DECLARED ? 0.4 + 0.5 * rng_u(&r) : 1;
    for (int i = 0; i < s->nindicators; i++) {
        const struct scheme_indicator *ind = &s->indicators[i];
        double st = u->strength[ind->category];
        double frac = clamp01(0.45 + 0.55 * st + 0.08 * rng_n(&r));
        bool yes = st + 0.2 * rng_n(&r) > 0.5, noted = rng_chance(&r, 0.12);
        if (ind->kind == SCHEME_FORMULA || rng_u(&r) >= part) continue;
        struct rating_answer *a = &ans[n++];
        *a = (struct rating_answer){.code = ind->code};
        if (ind->kind == SCHEME_ASSESSED) {
            a->has_score = true;
            a->score = round(ind->max * frac);
            if (noted) a->note = assessed_note(a->score / ind->max);
        } else {
            a->has_yes = true;
            a->yes = yes;
            if (noted) a->note = yes ? "已按要求落实，记录齐全" : "尚未全部落实，正在推进";
        }
    }
    for (int i = 0; i < s->nvetoes; i++) {
        bool hit = rng_chance(&r, 0.004 * (1.5 - u->quality));
        if (s->vetoes[i].kind != SCHEME_YESNO || rng_u(&r) >= part) continue;
        ans[n++] = (struct rating_answer){.code = s->vetoes[i].code,
                                          .has_yes = true,
                                          .yes = hit,
                                          .note = hit ? "年度内发生，已如实申报" : NULL};
    }
    if (!n) return ERR_OK;
    return ratings_answer(d->app, NULL, s->code, u->code, ans, n, CLIENT, &d->e);
}

/* The township's change of one assessed score while 待乡镇初审. */
static int adjust(struct demo *d, const struct demo_unit *u, struct rng *r)
{
    const struct scheme *s = u->ds->s;
    int i = (int)rng_below(r, (size_t)s->nindicators);
    for (int k = 0; k < s->nindicators; k++, i = (i + 1) % s->nindicators)
        if (s->indicators[i].kind == SCHEME_ASSESSED) break;
    const struct scheme_indicator *ind = &s->indicators[i];
    if (ind->kind != SCHEME_ASSESSED) return ERR_OK;
    double frac = clamp01(0.45 + 0.55 * u->strength[ind->category] - 0.1);
    struct rating_answer a = {
        .code = ind->code, .has_score = true, .score = round(ind->max * frac)};
    d->adjusted++;
    return ratings_adjust(d->app, NULL, s->code, u->code, &a,
                          "实地核查：部分佐证材料与实际不符，按细则扣分", CLIENT, &d->e);
}

static const char *step_note(const char *step)
{
    static const struct {
        const char *step, *note;
    } notes[] = {
        {"submit", "自评完成，佐证材料已上传"},
        {"return", "佐证材料不全，请补充会议记录和现场照片后重新提交"},
        {"accept", "乡镇初审通过"},
        {"approve", "县级复审通过"},
        {"publish", "在村务公开栏和网站同步公示"},
    };
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        if (strcmp(notes[i].step, step) == 0) return notes[i].note;
    return NULL;
}

/* Declares the target and self-assesses. */
static int declare(struct demo *d, const struct demo_unit *u)
{
    int rc = ratings_declare(d->app, NULL, u->ds->s->code, u->code, u->target, CLIENT, &d->e);
    if (!rc) rc = answer(d, u);
    return rc ? err_wrap(&d->e, "rating of %s", u->code) : ERR_OK;
}

/* Takes the steps towards the unit's state; units to be named stop in
 * 公示中 (named later, once every notice is over). */
static int advance(struct demo *d, const struct demo_unit *u)
{
    const char *scheme = u->ds->s->code;
    struct rng r = rng_for(d->seed, u->code, P_STEPS);
    int rc = ERR_OK;
    for (const char *const *step = demo_states[u->state].steps; !rc && *step; step++) {
        if (strcmp(*step, "accept") == 0 && rng_chance(&r, 0.08)) rc = adjust(d, u, &r);
        if (!rc)
            rc = ratings_transition(d->app, NULL, scheme, u->code, *step, step_note(*step),
                                    strcmp(*step, "publish") == 0 ? 1 : 0, CLIENT, &d->e);
    }
    return rc ? err_wrap(&d->e, "rating of %s", u->code) : ERR_OK;
}

/* Ends the public notice of the units about to be named: notice_until
 * becomes yesterday. A bound UPDATE in one transaction: the ratings API
 * has no way to shorten a notice (the shortest is one day). */
static int end_notices(struct demo *d)
{
    char yesterday[11];
    items_today(yesterday, -1);
    struct db *db = store_acquire(d->app->store);
    struct db_stmt *st = NULL;
    int rc = db_begin(db, true, &d->e);
    if (!rc)
        rc = db_prepare(db,
                        "UPDATE ratings SET notice_until = $1"
                        " WHERE scheme = $2 AND unit = $3 AND state = 'notice'",
                        &st, &d->e);
    for (size_t i = 0; !rc && i < d->n; i++) {
        if (d->units[i].state != ST_NAMED) continue;
        db_bind_str(st, 1, yesterday);
        db_bind_str(st, 2, d->units[i].ds->s->code);
        db_bind_str(st, 3, d->units[i].code);
        rc = db_run(st, &d->e);
    }
    if (!rc) rc = db_commit(db, &d->e);
    if (rc) db_rollback(db);
    store_release(d->app->store, db);
    return rc ? err_wrap(&d->e, "ending the public notices") : ERR_OK;
}

static int newest_objection(void *ctx, const struct store_rating_objection *o)
{
    int64_t *id = ctx;
    if (o->id > *id) *id = o->id;
    return 0;
}

/* The id of the rating's newest objection (ratings_object does not say). */
static int last_objection(struct demo *d, struct arena *a, int64_t rating, int64_t *id)
{
    struct db *db = store_acquire(d->app->store);
    *id = 0;
    int rc = store_rating_objections(db, a, rating, newest_objection, id, &d->e);
    store_release(d->app->store, db);
    if (!rc && !*id) rc = err_set(&d->e, ERR_INTERNAL, "the objection just recorded is missing");
    return rc;
}

/* Objections to the first two units in 公示中; the first is resolved. */
static int objections(struct demo *d, struct arena *a)
{
    static const char *const texts[] = {
        "有群众反映村务、财务公开不及时，申请核实",
        "有群众反映生活垃圾清运不及时，与自评情况不符",
    };
    size_t k = 0;
    for (size_t i = 0; i < d->n && k < 2; i++) {
        const struct demo_unit *u = &d->units[i];
        if (u->state != ST_NOTICE) continue;
        const char *scheme = u->ds->s->code;
        int rc = ratings_object(d->app, NULL, scheme, u->code, texts[k], CLIENT, &d->e);
        if (rc) return err_wrap(&d->e, "objection to %s", u->code);
        d->objections++;
        if (k++ > 0) continue;
        struct store_rating rt;
        int64_t id = 0;
        rc = ratings_get(d->app, a, scheme, u->code, &rt, &d->e);
        if (!rc) rc = last_objection(d, a, rt.id, &id);
        if (!rc)
            rc = ratings_resolve(d->app, NULL, scheme, u->code, id,
                                 "经乡镇核查，村务、财务已按季度公开，异议不成立", false, CLIENT,
                                 &d->e);
        if (rc) return err_wrap(&d->e, "objection to %s", u->code);
        d->resolved++;
    }
    return ERR_OK;
}

/* Names the units whose notice is over. */
static int name_all(struct demo *d)
{
    int rc = end_notices(d);
    for (size_t i = 0; !rc && i < d->n; i++) {
        const struct demo_unit *u = &d->units[i];
        if (u->state != ST_NAMED) continue;
        rc = ratings_transition(d->app, NULL, u->ds->s->code, u->code, "name",
                                "公示期满无异议，予以命名", 0, CLIENT, &d->e);
        if (rc) err_wrap(&d->e, "naming %s", u->code);
    }
    return rc;
}

/* 摘星: the first two named units (in a shuffled order) with two or more
 * stars lose their last won star that is not the prerequisite. */
static int withdraw(struct demo *d, struct arena *a)
{
    struct rng r = rng_for(d->seed, "withdraw", P_STATES);
    size_t start = rng_below(&r, d->n);
    for (size_t k = 0; k < d->n && d->withdrawn < 2; k++) {
        const struct demo_unit *u = &d->units[(start + k) % d->n];
        if (u->state != ST_NAMED) continue;
        const struct scheme *s = u->ds->s;
        struct store_rating rt;
        struct rating_result res;
        int rc = ratings_get(d->app, a, s->code, u->code, &rt, &d->e);
        if (!rc) rc = ratings_result(d->app, s, u->code, &rt, &res, &d->e);
        if (rc) return err_wrap(&d->e, "result of %s", u->code);
        if (res.level < 2) continue;
        int star = -1;
        for (int c = 0; c < s->ncategories; c++)
            if (res.won[c] && c != s->prerequisite) star = c;
        if (star < 0) continue;
        char reason[RATING_NOTE_MAX];
        snprintf(reason, sizeof reason,
                 "动态管理抽查发现%s相关指标不再达标，经县委组织部研究予以摘星",
                 s->categories[star].name);
        rc = ratings_withdraw(d->app, NULL, s->code, u->code, s->categories[star].code, reason,
                              CLIENT, &d->e);
        if (rc) return err_wrap(&d->e, "withdrawing a star of %s", u->code);
        d->withdrawn++;
    }
    return ERR_OK;
}

/* ---- 3. creation checklists ------------------------------------------ */

/* Takes one step of a work item; counts it. */
static int step(struct demo *d, struct arena *a, int64_t id, const char *code,
                const struct item_step *s)
{
    struct store_item out;
    int rc = items_transition(d->app, NULL, id, code, s, CLIENT, a, &out, &d->e);
    if (rc) return err_wrap(&d->e, "item %" PRId64 " %s", id, code);
    d->steps++;
    return ERR_OK;
}

/* Moves some checklist items along: 开始整改, 完成整改 with evidence, 销号. */
static int checklist_steps(struct demo *d, struct arena *a, const struct demo_unit *u,
                           const struct store_item *items, size_t n)
{
    struct rng r = rng_for(d->seed, u->code, P_ITEMS);
    const struct item_step started = {.note = "已明确责任人，正在整改"};
    const struct item_step finished = {.evidence = "整改前后照片、会议记录已归档",
                                       .note = "按清单完成整改"};
    const struct item_step verified = {.note = "经乡镇核查，完成一项销号一项"};
    int rc = ERR_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        if (!rng_chance(&r, 0.6)) continue;
        if ((rc = step(d, a, items[i].id, "start", &started))) break;
        d->started++;
        if (!rng_chance(&r, 0.5)) continue;
        if ((rc = step(d, a, items[i].id, "finish", &finished))) break;
        d->finished++;
        if (!rng_chance(&r, 0.6)) continue;
        if ((rc = step(d, a, items[i].id, "verify", &verified))) break;
        d->verified++;
    }
    return rc;
}

/* A creation checklist for each unit whose answers and data reach fewer
 * stars than its target, its pair's strong unit as the helping unit; some
 * items moved along. */
static int write_checklists(struct demo *d)
{
    char deadline[11];
    snprintf(deadline, sizeof deadline, "%04d-12-31", d->year);
    if (strcmp(deadline, d->today) < 0) items_today(deadline, 30);
    struct rating_result *res = xmalloc(sizeof *res);
    int rc = ERR_OK;
    for (size_t i = 0; !rc && i < d->n; i++) {
        const struct demo_unit *u = &d->units[i];
        const struct scheme *s = u->ds->s;
        struct arena *a = arena_new();
        struct store_rating rt;
        rc = ratings_get(d->app, a, s->code, u->code, &rt, &d->e);
        if (!rc) rc = ratings_result(d->app, s, u->code, &rt, res, &d->e);
        if (!rc && u->target > res->level) {
            int64_t batch;
            struct store_item *items;
            size_t n;
            rc = ratings_checklist(d->app, NULL, s->code, u->code, "村党组织书记", u->partner,
                                   deadline, CLIENT, a, &batch, &items, &n, &d->e);
            if (!rc) {
                d->checklists++;
                d->checklist_items += n;
                rc = checklist_steps(d, a, u, items, n);
            }
        }
        if (rc) err_wrap(&d->e, "checklist of %s", u->code);
        arena_free(a);
    }
    free(res);
    return rc;
}

/* ---- 4. 支部联建 pairs ---------------------------------------------------- */

/* Saves the suggested pairs of each scheme and remembers each weak unit's
 * strong one. */
static int write_pairs(struct demo *d)
{
    const char *county = tree_node(d->tree, d->county)->code;
    int rc = ERR_OK;
    for (int k = 0; k < UNIT_KIND_COUNT && !rc; k++) {
        const struct scheme *s = d->schemes[k].s;
        bool seen = false;
        for (int j = 0; j < k; j++)
            seen = seen || d->schemes[j].s == s;
        if (!s || seen) continue;
        struct pairing_pair *pairs;
        size_t n, nstrong = 0, nweak = 0;
        if ((rc = pairings_suggest(d->app, s, county, &pairs, &n, &nstrong, &nweak, &d->e))) break;
        const char **weak = xcalloc(n ? n : 1, sizeof *weak);
        const char **strong = xcalloc(n ? n : 1, sizeof *strong);
        for (size_t i = 0; i < n; i++) {
            weak[i] = tree_node(d->tree, pairs[i].weak)->code;
            strong[i] = tree_node(d->tree, pairs[i].strong)->code;
            for (size_t u = 0; u < d->n; u++)
                if (d->units[u].node == pairs[i].weak) d->units[u].partner = strong[i];
        }
        if (n) rc = pairings_save(d->app, NULL, s, county, weak, strong, n, CLIENT, &d->e);
        free(weak);
        free(strong);
        free(pairs);
        d->pairs += n;
        d->strong += nstrong;
        d->weak += nweak;
    }
    return rc ? err_wrap(&d->e, "支部联建 pairs") : ERR_OK;
}

/* The year in order: targets and self-assessments, pairs, checklists,
 * reviews, objections, naming and withdrawals. */
static int write_ratings(struct demo *d)
{
    int rc = ERR_OK;
    for (size_t i = 0; !rc && i < d->n; i++)
        rc = declare(d, &d->units[i]);
    if (!rc) rc = write_pairs(d);
    if (!rc) rc = write_checklists(d);
    for (size_t i = 0; !rc && i < d->n; i++) {
        rc = advance(d, &d->units[i]);
        d->by_state[d->units[i].state]++;
    }
    if (rc) return rc;
    struct arena *a = arena_new();
    rc = objections(d, a);
    if (!rc) rc = name_all(d);
    if (!rc) rc = withdraw(d, a);
    arena_free(a);
    return rc;
}

/* ---- 5. ordinary work items -------------------------------------------- */

static const struct {
    const char *title, *description;
} demo_dispatch[] = {
    {"报送本周“五星”支部创建工作进展",
     "各乡镇汇总所辖村（社区）本周创建进展、存在问题和下步打算，周五前报县委组织部"},
    {"开展冬季森林防火和秸秆禁烧巡查", "组织网格员开展巡查，发现火点及时处置并报告"},
    {"排查整治农村人居环境突出问题", "对照生态宜居星细则，排查垃圾积存、污水乱排等问题，建立台账"},
};

static const struct {
    const char *category, *title, *description;
} demo_requests[] = {
    {"环境卫生", "村口垃圾清运不及时", "村口垃圾收集点垃圾堆积，气味较大，希望尽快清运"},
    {"道路交通", "村内路灯损坏", "主街有三盏路灯不亮，夜间出行不便"},
    {"供水供电", "自来水水压偏低", "近一周早晚用水高峰时水压偏低"},
    {"邻里纠纷", "宅基地边界争议", "两户因宅基地边界发生争议，请求村里调解"},
    {"治安", "夜间有车辆乱停放", "小学门口夜间车辆乱停放，影响通行"},
};

static const struct {
    const char *category, *title;
} demo_hazards[] = {
    {"消防安全", "柴草堆放占用消防通道"},
    {"用电安全", "农户私拉乱接电线"},
    {"房屋安全", "闲置危房未设警示标志"},
    {"燃气安全", "餐馆液化气瓶未固定"},
};

/* Weekly dispatch to every township, some steps taken. */
static int write_dispatch(struct demo *d, struct arena *a)
{
    const char **codes = arena_alloc(a, (d->ntownships ? d->ntownships : 1) * sizeof *codes);
    for (size_t t = 0; t < d->ntownships; t++)
        codes[t] = tree_node(d->tree, d->townships[t])->code;
    struct rng r = rng_for(d->seed, "dispatch", P_WORK);
    const struct item_step started = {.note = "已签收，正在办理"};
    const struct item_step completed = {.note = "已按要求办结，材料已报送"};
    const struct item_step verified = {.note = "验收合格"};
    for (size_t b = 0; b < sizeof demo_dispatch / sizeof demo_dispatch[0]; b++) {
        struct item_input in = {.type = "dispatch",
                                .title = demo_dispatch[b].title,
                                .description = demo_dispatch[b].description,
                                .immediate = -1};
        int64_t batch;
        struct store_item *items;
        int rc = items_create_batch(d->app, NULL, &in, codes, d->ntownships, CLIENT, a, &batch,
                                    &items, &d->e);
        if (rc) return err_wrap(&d->e, "dispatch batch");
        d->batches++;
        d->dispatched += d->ntownships;
        for (size_t i = 0; i < d->ntownships; i++) {
            if (!rng_chance(&r, 0.8)) continue;
            if ((rc = step(d, a, items[i].id, "start", &started))) return rc;
            if (!rng_chance(&r, 0.6)) continue;
            if ((rc = step(d, a, items[i].id, "complete", &completed))) return rc;
            if (rng_chance(&r, 0.6) && (rc = step(d, a, items[i].id, "verify", &verified)))
                return rc;
        }
    }
    return ERR_OK;
}

/* A unit of township t chosen by r; NULL if it has none. */
static const struct demo_unit *unit_in(const struct demo *d, size_t t, struct rng *r)
{
    size_t first = d->n, count = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->units[i].township == t) {
            if (first == d->n) first = i;
            count++;
        }
    return count ? &d->units[first + rng_below(r, count)] : NULL;
}

/* Two residents' requests and one or two hazards per township. */
static int write_requests(struct demo *d, struct arena *a)
{
    static const char *const request_steps[] = {"accept", "dispatch", "resolve", "close_unrated"};
    static const char *const hazard_steps[] = {"start", "rectify", "verify"};
    const struct item_step rsteps[] = {
        {.note = "已受理"},
        {.note = "转网格员办理", .assignee = "网格员"},
        {.note = "已到现场处理，问题解决"},
        {.note = "电话回访，群众表示满意"},
    };
    const struct item_step hsteps[] = {
        {.note = "已通知责任人限期整改"},
        {.evidence = "整改前后照片已上传", .note = "整改完成"},
        {.note = "复查合格"},
    };
    struct rng r = rng_for(d->seed, "requests", P_WORK);
    for (size_t t = 0; t < d->ntownships; t++) {
        for (int k = 0; k < 4; k++) {
            const struct demo_unit *u = unit_in(d, t, &r);
            if (!u || (k == 3 && rng_chance(&r, 0.5))) continue;
            bool hazard = k >= 2;
            struct item_input in = {.unit = u->code, .immediate = -1};
            size_t nsteps;
            const char *const *codes;
            const struct item_step *steps;
            if (hazard) {
                size_t h = rng_below(&r, sizeof demo_hazards / sizeof demo_hazards[0]);
                in.type = "hazard";
                in.title = demo_hazards[h].title;
                in.category = demo_hazards[h].category;
                codes = hazard_steps;
                steps = hsteps;
                nsteps = rng_below(&r, 4);
            } else {
                size_t q = rng_below(&r, sizeof demo_requests / sizeof demo_requests[0]);
                in.type = "request";
                in.title = demo_requests[q].title;
                in.description = demo_requests[q].description;
                in.category = demo_requests[q].category;
                codes = request_steps;
                steps = rsteps;
                nsteps = rng_below(&r, 5);
            }
            struct store_item it;
            int rc = items_create(d->app, NULL, &in, CLIENT, a, &it, &d->e);
            if (rc) return err_wrap(&d->e, "%s of %s", in.type, u->code);
            *(hazard ? &d->hazards : &d->requests) += 1;
            for (size_t s = 0; s < nsteps; s++)
                if ((rc = step(d, a, it.id, codes[s], &steps[s]))) return rc;
        }
    }
    return ERR_OK;
}

/* ---- the command --------------------------------------------------------- */

/* *filled: some unit of the county already has a rating under its scheme. */
static int already_filled(struct demo *d, bool *filled)
{
    *filled = false;
    struct arena *a = arena_new();
    int rc = ERR_OK;
    for (size_t i = 0; i < d->n && !*filled; i++) {
        struct store_rating rt;
        rc = ratings_get(d->app, a, d->units[i].ds->s->code, d->units[i].code, &rt, &d->e);
        if (rc == ERR_NOT_FOUND) {
            rc = ERR_OK;
            err_clear(&d->e);
            continue;
        }
        if (rc) break;
        *filled = true;
    }
    arena_free(a);
    return rc;
}

/* The data elements the values and the schemes' formulas need, all defined. */
static int check_elements(struct demo *d)
{
    const char *need[V_COUNT + UNIT_KIND_COUNT * SCHEME_ELEMENTS_MAX];
    size_t nneed = 0;
    for (int v = 0; v < V_COUNT; v++)
        need[nneed++] = demo_elements[v];
    for (int k = 0; k < UNIT_KIND_COUNT; k++)
        for (int i = 0; d->schemes[k].s && i < d->schemes[k].s->nelements; i++)
            need[nneed++] = d->schemes[k].s->elements[i];
    struct arena *a = arena_new();
    struct catalog cat;
    int rc = catalog_load(d->app, a, &cat, &d->e);
    char missing[ERR_MSG_MAX / 2] = "";
    size_t len = 0, count = 0;
    for (size_t i = 0; !rc && i < nneed; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(need[i], need[j]) == 0;
        if (seen || catalog_element(&cat, need[i])) continue;
        int w = snprintf(missing + len, sizeof missing - len, "%s%s", count ? ", " : "", need[i]);
        if (w > 0 && (size_t)w < sizeof missing - len) len += (size_t)w;
        count++;
    }
    arena_free(a);
    if (!rc && count)
        rc = err_set(&d->e, ERR_NOT_FOUND,
                     "%zu data element(s) not defined: %s; load them first with "
                     "`jiceng import elements data/definitions.json`",
                     count, missing);
    return rc;
}

/* The county's levels as GET /api/v1/ratings/summary counts them. */
static int tally(struct demo *d, struct rating_summary *total)
{
    *total = (struct rating_summary){0};
    const char *county = tree_node(d->tree, d->county)->code;
    for (int k = 0; k < UNIT_KIND_COUNT; k++) {
        const struct scheme *s = d->schemes[k].s;
        bool seen = false;
        for (int j = 0; j < k; j++)
            seen = seen || d->schemes[j].s == s;
        if (!s || seen) continue;
        struct rating_summary sum;
        int rc = ratings_summary(d->app, s, county, NULL, NULL, &sum, &d->e);
        if (rc) return err_wrap(&d->e, "summary of %s", s->code);
        total->units += sum.units;
        total->named += sum.named;
        for (int l = 0; l <= SCHEME_CATEGORIES_MAX; l++)
            total->levels[l] += sum.levels[l];
    }
    return ERR_OK;
}

static void print_summary(const struct demo *d, const struct rating_summary *sum, double seconds)
{
    uint32_t city = tree_node(d->tree, d->county)->parent;
    printf("jiceng: demo %s%s (%s), %d, seed %" PRIu64 ", %.1f s\n",
           city != TREE_NONE ? tree_name(d->tree, city) : "", tree_name(d->tree, d->county),
           tree_node(d->tree, d->county)->code, d->year, d->seed, seconds);
    printf("  units:      %zu in %zu townships\n", d->n, d->ntownships);
    printf("  values:     %zu written (%zu changed), %d month(s), %d quarter(s)\n", d->values,
           d->changed, d->months, d->quarters);
    printf("  ratings:   ");
    for (int st = 0; st < ST_COUNT; st++)
        printf(" %s %zu%s", demo_states[st].label, d->by_state[st], st + 1 < ST_COUNT ? "," : "\n");
    printf("              %zu adjusted, %zu objection(s) (%zu resolved), %zu star(s) withdrawn\n",
           d->adjusted, d->objections, d->resolved, d->withdrawn);
    printf("  named:      %ld:", sum->named);
    for (int l = SCHEME_CATEGORIES_MAX; l >= 0; l--) {
        long k = l > 0 ? sum->levels[l] : sum->levels[0] - (sum->units - sum->named);
        if (k > 0) printf(" %d★ %ld", l, k);
    }
    printf("\n  pairs:      %zu (%zu strong, %zu weak units)\n", d->pairs, d->strong, d->weak);
    printf("  checklists: %zu units, %zu items (%zu started, %zu finished, %zu verified)\n",
           d->checklists, d->checklist_items, d->started, d->finished, d->verified);
    printf("  work items: %zu dispatch batch(es) of %zu items, %zu requests, %zu hazards, %zu "
           "steps in all\n",
           d->batches, d->dispatched, d->requests, d->hazards, d->steps);
}

static int fill(struct demo *d)
{
    int rc;
    if ((rc = write_values(d)) || (rc = write_ratings(d))) return rc;
    struct arena *a = arena_new();
    rc = write_dispatch(d, a);
    if (!rc) rc = write_requests(d, a);
    arena_free(a);
    return rc;
}

/* The latest scheme year not after this one (else the earliest). */
static int default_year(struct app *app, int now)
{
    int best = 0, first = 0;
    for (int i = 0; i < ratings_nschemes(app); i++) {
        int y = ratings_scheme_at(app, i)->year;
        if (y <= now && y > best) best = y;
        if (!first || y < first) first = y;
    }
    return best ? best : first;
}

static int run(struct demo *d, const char *county)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int this_year = tm.tm_year + 1900;
    if (!d->year) d->year = default_year(d->app, this_year);
    d->months = d->year < this_year ? 12 : d->year == this_year ? tm.tm_mon + 1 : 0;
    d->quarters = (d->months + 2) / 3;
    items_today(d->today, 0);
    snprintf(d->p_year, sizeof d->p_year, "%04d", d->year);
    for (int q = 0; q < 4; q++)
        snprintf(d->p_quarter[q], sizeof d->p_quarter[q], "%04dQ%d", d->year, q + 1);
    for (int m = 0; m < 12; m++)
        snprintf(d->p_month[m], sizeof d->p_month[m], "%04d-%02d", d->year, m + 1);

    d->county = tree_find(d->tree, county, strlen(county));
    if (d->county == TREE_NONE)
        return err_set(&d->e, ERR_NOT_FOUND, "no county with the code %s", county);
    plan_schemes(d);
    bool any = false;
    for (int k = 0; k < UNIT_KIND_COUNT; k++)
        any = any || d->schemes[k].s;
    if (!any)
        return err_set(&d->e, ERR_NOT_FOUND, "there is no five-star scheme for %d (schemes/*.json)",
                       d->year);
    plan_units(d);
    if (!d->n)
        return err_set(&d->e, ERR_NOT_FOUND,
                       "%s (%s) has no village or community that a %d scheme applies to", county,
                       tree_name(d->tree, d->county), d->year);
    bool filled;
    int rc = already_filled(d, &filled);
    if (rc) return rc;
    if (filled) {
        printf("jiceng: %s (%s) is already filled for %d: it has ratings; nothing written\n",
               tree_name(d->tree, d->county), county, d->year);
        return ERR_OK;
    }
    if ((rc = check_elements(d))) return rc;
    plan_ratings(d);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct rating_summary sum;
    if ((rc = fill(d)) || (rc = tally(d, &sum))) return rc;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_summary(d, &sum,
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return ERR_OK;
}

/* Parses a decimal number within [lo, hi]. */
static bool parse_num(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!s || s[0] < '0' || s[0] > '9') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
    const char *county = NULL, *year = NULL, *seed = NULL;
    for (int i = 1; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--county", &county);
        if (m == 0) m = cli_opt(argc, argv, &i, "--year", &year);
        if (m == 0) m = cli_opt(argc, argv, &i, "--seed", &seed);
        if (m < 0) return cli_usage_error("demo", "%s needs a value", argv[i]);
        if (m == 0) return cli_usage_error("demo", "unexpected argument \"%s\"", argv[i]);
    }
    struct demo d = {.seed = 1};
    uint64_t v;
    if (!county) return cli_usage_error("demo", "--county CODE is required, e.g. 411121");
    if (strlen(county) != 6 || !parse_num(county, 0, 999999, &v))
        return cli_usage_error("demo", "--county needs a 6-digit county code, not \"%s\"", county);
    if (year && !parse_num(year, SCHEME_YEAR_MIN, SCHEME_YEAR_MAX, &v))
        return cli_usage_error("demo", "--year needs a year %d–%d, not \"%s\"", SCHEME_YEAR_MIN,
                               SCHEME_YEAR_MAX, year);
    if (year) d.year = (int)v;
    if (seed && !parse_num(seed, 0, UINT64_MAX, &d.seed))
        return cli_usage_error("demo", "--seed needs a non-negative integer, not \"%s\"", seed);

    int rc = cli_open_app(cli, false, 1, &d.app);
    if (rc) return rc;
    err_clear(&d.e);
    d.tree = app_tree(d.app);
    rc = run(&d, county);
    free(d.units);
    free(d.townships);
    tree_unref(d.tree);
    app_close(d.app);
    return rc ? cli_fail(&d.e, "demo") : EXIT_OK;
}
