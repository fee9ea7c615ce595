/* health_computed.c — the contract elements of family-doctor coverage and
 * the 30-minute circle as computed data elements (data/definitions.json
 * rows with "computed": {"source":"health","count":…}), a source of
 * computed_sources.c, rolled up like any other element:
 * counts are handed over per unit of residence (per village for the
 * circle) and the analytics engine sums them up the tree. */
#include "app/health.h"
#include "base/mem.h"
#include "core/tree.h"
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

enum {
    H_RESIDENTS,
    H_CONTRACTS,
    H_KEYPOP,
    H_KEYPOP_CONTRACTS,
    H_CIRCLE30,
    H_FOLLOWUPS_DUE,
    H_FOLLOWUPS_DONE
};
static const char *const counts[] = {
    "residents",         "contracts",     "keypop",         "keypop_contracts",
    "circle30_villages", "followups_due", "followups_done", NULL};

#define COUNTS                                                                                     \
    "residents、contracts、keypop、keypop_contracts、circle30_villages、followups_due 或 "   \
    "followups_done"

int health_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, counts, COUNTS, err) < 0 ? ERR_INVALID : ERR_OK;
}

struct per_unit {
    const struct health_defs *h;
    const struct tree *t;
    const char *on;
    int which;
    double *n; /* per tree index */
};

static int add_resident(void *ctx, const struct health_resident_row *r)
{
    struct per_unit *p = ctx;
    uint32_t i = tree_find_any(p->t, r->unit, strlen(r->unit));
    if (i == TREE_NONE) return 0;
    bool key = false;
    if (p->which == H_KEYPOP || p->which == H_KEYPOP_CONTRACTS) {
        int age = keygroup_age(r->birth_date, p->on);
        for (size_t g = 0; !key && g < p->h->ngroups; g++)
            key = keygroup_match(&p->h->groups[g], age, r->tags);
    }
    switch (p->which) {
    case H_RESIDENTS:
        p->n[i] += 1;
        break;
    case H_CONTRACTS:
        p->n[i] += r->signed_now;
        break;
    case H_KEYPOP:
        p->n[i] += key;
        break;
    default:
        p->n[i] += key && r->signed_now;
        break;
    }
    return 0;
}

int health_computed_counts(struct app *app, const char *computed, const char *start,
                           const char *next, const char *date, computed_add fn, void *ctx,
                           struct err *err)
{
    (void)start, (void)next; /* coverage is counted as of the period's last day */
    int which = computed_count(computed, counts, COUNTS, err);
    if (which < 0) return ERR_INVALID;
    if (which == H_FOLLOWUPS_DUE || which == H_FOLLOWUPS_DONE) /* health_followups_report.c */
        return health_followup_counts(app, which == H_FOLLOWUPS_DUE, date, fn, ctx, err);
    int rc;
    struct arena *a = arena_new();
    if (which == H_CIRCLE30) {
        struct health_circle c;
        rc = health_circle(app, a, "", &c, err);
        for (size_t i = 0; !rc && i < c.nvillages; i++)
            if (c.villages[i].km >= 0)
                rc = fn(ctx, c.villages[i].unit, strlen(c.villages[i].unit), 1);
        arena_free(a);
        return rc;
    }
    struct tree *t = app_tree(app);
    struct per_unit p = {app->health, t, date, which, xcalloc(tree_count(t) + 1, sizeof(double))};
    struct db *db = store_acquire(app->store);
    rc = store_health_residents(db, a, "", date, add_resident, &p, err);
    store_release(app->store, db);
    for (uint32_t i = 0; !rc && i < tree_count(t); i++)
        if (p.n[i] > 0) {
            const char *code = tree_node(t, i)->code;
            rc = fn(ctx, code, strlen(code), p.n[i]);
        }
    free(p.n);
    tree_unref(t);
    arena_free(a);
    return rc;
}
