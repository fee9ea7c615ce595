/* demo_ratings.c — 2. ratings through the cycle, 3. creation checklists,
 * 4. 支部联建 pairs of a demo county (demo.h). */
#include "cli/demo.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/pairing.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* How far back units to be named take their steps: their notice (of the
 * kind's default length) has ended by today. */
#define NAMING_LEAD (30 * 86400)

static const char *assessed_note(double frac)
{
    return frac >= 0.999 ? "台账资料齐全，对照细则逐项达标"
           : frac >= 0.8 ? "基本达标，个别环节资料待补充"
                         : "存在短板，已列入创建工作清单整改";
}

/* The self-assessment: every assessed and yes/no indicator and yes/no veto
 * (a unit whose rating stays in the initial state has answered only part of
 * it). Scores near the maximum for a strong star, lower for a weak one;
 * veto hits are rare. */
static int answer(struct demo *d, const struct demo_unit *u)
{
    const struct scheme *s = u->ds->s;
    struct rng r = rng_for(d->seed, u->code, P_ANSWERS);
    struct rating_answer ans[SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES];
    size_t n = 0;
    double part = u->state == d->cycle->initial ? 0.4 + 0.5 * rng_u(&r) : 1;
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
    return ratings_answer(d->app, d->actor, s->code, u->code, ans, n, AUTH_CLI_NAME, &d->e);
}

/* A reviewer's change of one assessed score (in a state with a reviewer). */
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
    return ratings_adjust(d->app, d->actor, s->code, u->code, &a,
                          "实地核查：部分佐证材料与实际不符，按细则扣分", AUTH_CLI_NAME, &d->e);
}

/* Declares the target and self-assesses. */
static int declare(struct demo *d, const struct demo_unit *u)
{
    int rc =
        ratings_declare(d->app, d->actor, u->ds->s->code, u->code, u->target, AUTH_CLI_NAME, &d->e);
    if (!rc) rc = answer(d, u);
    return rc ? err_wrap(&d->e, "rating of %s", u->code) : ERR_OK;
}

/* Takes the shortest path of the cycle to the unit's planned state; a
 * reviewer sometimes adjusts a score first. Units to be named stop one step
 * short, a month back: naming waits for every notice to be over. */
static int advance(struct demo *d, const struct demo_unit *u)
{
    const struct wf_kind *k = d->cycle;
    const struct wf_transition *path[WF_STATES_MAX];
    int n = wf_path(k, k->initial, u->state, path, WF_STATES_MAX);
    bool named = k->states[u->state].flags & WF_FINAL;
    if (n < 0)
        return err_set(&d->e, ERR_INTERNAL, "state %s unreachable", k->states[u->state].code);
    struct rng r = rng_for(d->seed, u->code, P_STEPS);
    if (named) clock_shift(-NAMING_LEAD);
    int rc = ERR_OK, at = k->initial;
    for (int i = 0; !rc && i < (named ? n - 1 : n); i++) {
        if (k->states[at].reviewer[0] && rng_chance(&r, 0.08)) rc = adjust(d, u, &r);
        struct case_step step = {.note = path[i]->label}; /* the step says what it is */
        if (!rc)
            rc = ratings_transition(d->app, d->actor, u->ds->s->code, u->code, path[i]->code, &step,
                                    AUTH_CLI_NAME, &d->e);
        at = path[i]->to;
    }
    clock_shift(0);
    return rc ? err_wrap(&d->e, "rating of %s", u->code) : ERR_OK;
}

/* Objections to the first two units under notice; the first is resolved. */
static int objections(struct demo *d)
{
    static const char *const texts[] = {
        "有群众反映村务、财务公开不及时，申请核实",
        "有群众反映生活垃圾清运不及时，与自评情况不符",
    };
    size_t k = 0;
    for (size_t i = 0; i < d->n && k < 2; i++) {
        const struct demo_unit *u = &d->units[i];
        if (!(d->cycle->states[u->state].flags & WF_NOTICE)) continue;
        const char *scheme = u->ds->s->code;
        int64_t id = 0;
        int rc =
            ratings_object(d->app, d->actor, scheme, u->code, texts[k], AUTH_CLI_NAME, &id, &d->e);
        if (!rc && k == 0)
            rc = ratings_resolve(d->app, d->actor, scheme, u->code, id,
                                 "经乡镇核查，村务、财务已按季度公开，异议不成立", false,
                                 AUTH_CLI_NAME, &d->e);
        if (rc) return err_wrap(&d->e, "objection to %s", u->code);
        d->objections++;
        d->resolved += k++ == 0;
    }
    return ERR_OK;
}

/* Names the units planned to be: the last step of their path, today. */
static int name_all(struct demo *d)
{
    const struct wf_kind *k = d->cycle;
    int rc = ERR_OK;
    for (size_t i = 0; !rc && i < d->n; i++) {
        const struct demo_unit *u = &d->units[i];
        if (!(k->states[u->state].flags & WF_FINAL)) continue;
        const struct wf_transition *path[WF_STATES_MAX];
        int n = wf_path(k, k->initial, u->state, path, WF_STATES_MAX);
        struct case_step step = {.note = "公示期满无异议，予以命名"};
        rc = ratings_transition(d->app, d->actor, u->ds->s->code, u->code, path[n - 1]->code, &step,
                                AUTH_CLI_NAME, &d->e);
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
        if (!(d->cycle->states[u->state].flags & WF_FINAL)) continue;
        const struct scheme *s = u->ds->s;
        struct case_full rt;
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
        rc = ratings_withdraw(d->app, d->actor, s->code, u->code, s->categories[star].code, reason,
                              AUTH_CLI_NAME, &d->e);
        if (rc) return err_wrap(&d->e, "withdrawing a star of %s", u->code);
        d->withdrawn++;
    }
    return ERR_OK;
}

/* A creation checklist for each unit whose answers and data reach fewer
 * stars than its target, its pair's strong unit as the helping unit; some
 * items moved along. */
static int write_checklists(struct demo *d)
{
    char deadline[11];
    snprintf(deadline, sizeof deadline, "%04d-12-31", d->year);
    if (strcmp(deadline, d->today) < 0) clock_today(deadline, 30);
    struct rating_result *res = xmalloc(sizeof *res);
    int rc = ERR_OK;
    for (size_t i = 0; !rc && i < d->n; i++) {
        const struct demo_unit *u = &d->units[i];
        const struct scheme *s = u->ds->s;
        struct arena *a = arena_new();
        struct case_full rt;
        rc = ratings_get(d->app, a, s->code, u->code, &rt, &d->e);
        if (!rc) rc = ratings_result(d->app, s, u->code, &rt, res, &d->e);
        if (!rc && u->target > res->level) {
            int64_t batch;
            struct case_row *items;
            size_t n;
            struct rng r = rng_for(d->seed, u->code, P_ITEMS);
            rc = ratings_checklist(d->app, d->actor, s->code, u->code, "村党组织书记", u->partner,
                                   deadline, AUTH_CLI_NAME, a, &batch, &items, &n, &d->e);
            if (!rc) {
                d->checklists++;
                d->checklist_items += n;
            }
            for (size_t k = 0; !rc && k < n; k++)
                if (rng_chance(&r, 0.6))
                    rc = demo_walk(d, a, items[k].id, 1 + (int)rng_below(&r, 3),
                                   &d->checklist_steps);
        }
        if (rc) err_wrap(&d->e, "checklist of %s", u->code);
        arena_free(a);
    }
    free(res);
    return rc;
}

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
        if (n)
            rc = pairings_save(d->app, d->actor, s, county, weak, strong, n, AUTH_CLI_NAME, &d->e);
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
int demo_write_ratings(struct demo *d)
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
    rc = objections(d);
    if (!rc) rc = name_all(d);
    if (!rc) rc = withdraw(d, a);
    arena_free(a);
    return rc;
}
