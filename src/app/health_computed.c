/* health_computed.c — the contract elements of family-doctor coverage and
 * the 30-minute circle as computed data elements (data/definitions.json
 * rows with "computed": {"source":"health","count":…}), a source of
 * computed_sources.c, rolled up like any other element:
 * counts are handed over per unit of residence (per village for the
 * circle) and the analytics engine sums them up the tree. */
#include "app/health.h"
#include "app/memo.h"
#include "base/mem.h"
#include "core/tree.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
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

/* The four resident counts of one unit, as kept in app->memo. */
struct unit_counts {
    char unit[UNIT_CODE_MAX + 1];
    double n[H_KEYPOP_CONTRACTS + 1];
};

struct per_unit {
    const struct health_defs *h;
    const struct tree *t;
    const char *on;
    double (*n)[H_KEYPOP_CONTRACTS + 1]; /* per tree index */
};

static int add_resident(void *ctx, const struct health_resident_row *r)
{
    struct per_unit *p = ctx;
    uint32_t i = tree_find_any(p->t, r->unit, strlen(r->unit));
    if (i == TREE_NONE) return 0;
    int age = keygroup_age(r->birth_date, p->on);
    bool key = false;
    for (size_t g = 0; !key && g < p->h->ngroups; g++)
        key = keygroup_match(&p->h->groups[g], age, r->tags);
    p->n[i][H_RESIDENTS] += 1;
    p->n[i][H_CONTRACTS] += r->signed_now;
    p->n[i][H_KEYPOP] += key;
    p->n[i][H_KEYPOP_CONTRACTS] += key && r->signed_now;
    return 0;
}

/* The four counts of every unit with residents on date, into out (a
 * struct unit_counts array after a header naming the date): one scan of
 * the residents answers all four elements (a rate asks for two), kept in
 * app->memo until a write of persons, households, health data or the tree
 * moves its generation. One date is kept (a row a unit: nationally tens
 * of megabytes), the last asked. */
enum { DATE_HEAD = 16 };
static int unit_counts(struct app *app, const char *date, struct buf *out, struct err *err)
{
    static const char key[] = "health.residents";
    char head[DATE_HEAD] = {0};
    snprintf(head, sizeof head, "%s", date);
    uint64_t gen = memo_generation(app->memo); /* before reading: a later write moves it */
    if (memo_get(app->memo, key, gen, out) && out->len >= DATE_HEAD &&
        memcmp(out->p, head, DATE_HEAD) == 0)
        return ERR_OK;
    out->len = 0;
    buf_add(out, head, sizeof head);
    struct tree *t = app_tree(app);
    struct per_unit p = {app->health, t, date, xcalloc(tree_count(t) + 1, sizeof *p.n)};
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    int rc = store_health_residents(db, a, "", date, add_resident, &p, err);
    store_release(app->store, db);
    arena_free(a);
    for (uint32_t i = 0; !rc && i < tree_count(t); i++)
        if (p.n[i][H_RESIDENTS] > 0) {
            struct unit_counts u = {.n = {0}};
            snprintf(u.unit, sizeof u.unit, "%s", tree_node(t, i)->code);
            memcpy(u.n, p.n[i], sizeof u.n);
            buf_add(out, &u, sizeof u);
        }
    free(p.n);
    tree_unref(t);
    if (!rc) memo_put(app->memo, key, gen, out->p, out->len);
    return rc;
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
    if (which == H_CIRCLE30) {
        struct arena *a = arena_new();
        struct health_circle c;
        rc = health_circle(app, a, "", &c, err);
        for (size_t i = 0; !rc && i < c.nvillages; i++)
            if (c.villages[i].km >= 0)
                rc = fn(ctx, c.villages[i].unit, strlen(c.villages[i].unit), 1);
        arena_free(a);
        return rc;
    }
    struct buf b = {0};
    rc = unit_counts(app, date, &b, err);
    if (!rc) {
        const struct unit_counts *u = (const struct unit_counts *)(const void *)(b.p + DATE_HEAD);
        for (size_t i = 0; !rc && i < (b.len - DATE_HEAD) / sizeof *u; i++)
            if (u[i].n[which] > 0) rc = fn(ctx, u[i].unit, strlen(u[i].unit), u[i].n[which]);
    }
    buf_free(&b);
    return rc;
}
