/* demo_reviews.c — 9. the county's department register and last year's
 * 民主评议党员 of the first village's members (demo.h), closed: each member's
 * grade on their record, the points grades earn and an 整改 case for the
 * member below the threshold, through the app layer with one-time codes as
 * the members would use them. */
#include "cli/demo.h"
#include "app/evaluations.h"
#include "app/people.h"
#include "app/points.h"
#include "base/mem.h"

#include <jansson.h>
#include <string.h>

#define REVIEWED_MAX 8 /* members of the review, so that the demo stays quick */

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
    if (x->n == REVIEWED_MAX) return 1;
    x->id = arena_grow(x->a, x->id, sizeof *x->id, x->n, x->n + 1, &x->cap);
    x->id[x->n++] = p->id;
    return 0;
}

int demo_register_departments(struct demo *d, const char *const *names, size_t n, int64_t *ids)
{
    const char *county = tree_node(d->tree, d->county)->code;
    for (size_t i = 0; i < n; i++) {
        int rc = evaluations_department_create(d->app, d->actor, county, names[i], "cli", &ids[i],
                                               &d->e);
        if (rc) return err_wrap(&d->e, "县直部门 %s", names[i]);
        d->departments++;
    }
    return ERR_OK;
}

/* A member's grade on one ballot: the first members lean to 优秀, the
 * last one to 基本合格 / 不合格 (so that one 整改 case opens). */
static const char *grade_for(struct rng *r, size_t member, size_t n)
{
    size_t x = rng_below(r, 100);
    if (member + 1 == n) return x < 10 ? "qualified" : x < 55 ? "basic" : "unqualified";
    size_t lean = member * 60 / (n ? n : 1);
    return x + lean < 45 ? "excellent" : x + lean < 140 ? "qualified" : "basic";
}

int demo_write_reviews(struct demo *d)
{
    if (!d->n) return ERR_OK;
    const struct demo_unit *u = &d->units[0];
    struct arena *a = arena_new();
    struct ids x = {.a = a};
    struct person_query q = {.unit = u->code,
                             .membership = d->app->points->member_kind,
                             .date = d->today,
                             .limit = REVIEWED_MAX};
    const char *next;
    int rc = people_persons_list(d->app, d->actor, &q, a, keep_id, &x, &next, &d->e);
    if (rc || x.n < 2) {
        arena_free(a);
        return rc;
    }
    struct eval_subject_in *subjects = arena_zalloc(a, x.n * sizeof *subjects);
    for (size_t i = 0; i < x.n; i++)
        subjects[i] = (struct eval_subject_in){.person_id = x.id[i]};
    struct eval_group_in group = {"全体党员", 100, (int)x.n};
    struct eval_campaign_in in = {.name = arena_printf(a, "%d年度民主评议党员", d->year - 1),
                                  .kind = "members",
                                  .form = "member_review",
                                  .rule = "weighted_mean",
                                  .unit = u->code,
                                  .year = d->year - 1,
                                  .groups = &group,
                                  .ngroups = 1,
                                  .subjects = subjects,
                                  .nsubjects = x.n};
    struct eval_codes codes;
    rc = evaluations_create(d->app, d->actor, &in, "cli", a, &codes, &d->e);
    struct rng r = rng_for(d->seed, u->code, P_REVIEWS);
    for (size_t k = 0; !rc && k < codes.n; k++) {
        json_t *answers = json_array();
        for (size_t s = 0; s < x.n; s++)
            json_array_append_new(answers, json_pack("{s:I, s:s}", "subject", (json_int_t)s,
                                                     "grade", grade_for(&r, s, x.n)));
        rc = evaluations_cast(d->app, codes.codes[k], answers, "cli", &d->e);
        json_decref(answers);
        if (!rc) d->ballots++;
    }
    if (!rc) rc = evaluations_close(d->app, d->actor, codes.campaign_id, "cli", &d->e);
    if (!rc) d->reviewed += x.n;
    arena_free(a);
    return rc ? err_wrap(&d->e, "民主评议党员") : ERR_OK;
}
