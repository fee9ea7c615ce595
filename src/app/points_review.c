/* points_review.c — the points a 民主评议党员 grade earns (points.h, rules
 * with source "evaluation"), written in the transaction that closes the
 * campaign (evaluations_close.c): entries without a case, counted at once. */
#include "app/people.h"
#include "app/points.h"
#include "base/mem.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define SOURCE "evaluation"

/* The unit of the person's party membership (member stages) holding on day. */
struct member_on {
    const struct people_kind *k;
    const char *day, *unit;
};

static int find_member(void *ctx, const struct membership_row *m)
{
    struct member_on *x = ctx;
    char stage[64];
    snprintf(stage, sizeof stage, ",%s,", m->stage);
    if (strstr(x->k->member_stages, stage) && strcmp(m->from_date, x->day) <= 0 &&
        (!m->to_date[0] || strcmp(m->to_date, x->day) > 0))
        x->unit = m->unit;
    return 0;
}

int points_review(struct app *app, struct db *db, int64_t person, const char *grade,
                  const char *day, const char *ref, struct arena *a, size_t *written,
                  struct err *err)
{
    const struct points_defs *defs = app->points;
    struct member_on m = {people_kind(app, defs->member_kind), day, NULL};
    bool looked = false;
    for (size_t i = 0; i < defs->nrules; i++) {
        const struct points_rule *r = &defs->rules[i];
        if (strcmp(r->source, SOURCE) != 0 || !r->grade || strcmp(r->grade, grade) != 0) continue;
        int rc;
        if (!looked) {
            looked = true;
            rc = store_memberships_of_person(db, a, person, m.k->code, find_member, &m, err);
            if (rc) return rc;
        }
        if (!m.unit) return ERR_OK; /* no longer a member on the day: nothing to count */
        struct err over;
        err_clear(&over);
        rc = points_within_caps(app, db, r, person, day, false, 0, &over);
        if (rc == ERR_INVALID) continue; /* above a cap: not earned */
        if (rc) {
            *err = over;
            return rc;
        }
        struct case_points p = {.person_id = person,
                                .unit = m.unit,
                                .rule = r->code,
                                .day = day,
                                .source = SOURCE,
                                .source_ref = ref,
                                .points = r->points,
                                .counted = true};
        if ((rc = store_points_insert(db, &p, err))) return rc;
        (*written)++;
    }
    return ERR_OK;
}
