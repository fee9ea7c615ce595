/* health_coverage.c — coverage of family-doctor contracting by key group
 * (health.h): residents of a subtree, those with a contract holding on a
 * day, and the same for each key group of data/health.json. Nothing is
 * stored: one ordered scan of the residents with their tags. */
#include "app/health.h"
#include "core/tree.h"
#include "store/store.h"

#include <string.h>

struct count {
    const struct health_defs *h;
    const char *on;
    struct health_coverage *c;
    /* per child: codes sorted (preorder is code order), and their tallies */
    const char **codes;
    struct health_coverage *kids;
    size_t nkids;
};

static void tally(const struct health_defs *h, struct health_coverage *c, int age,
                  const struct health_resident_row *r)
{
    bool key = false;
    c->residents++;
    c->contracts += r->signed_now;
    for (size_t i = 0; i < h->ngroups; i++)
        if (keygroup_match(&h->groups[i], age, r->tags)) {
            key = true;
            c->group_people[i]++;
            c->group_contracts[i] += r->signed_now;
        }
    c->keypop += key;
    c->keypop_contracts += key && r->signed_now;
}

/* The child whose code is a prefix of unit: the last code <= unit (the
 * codes are sorted: health_coverage_children sorts them). */
static struct health_coverage *child_of(const struct count *k, const char *unit)
{
    size_t lo = 0, hi = k->nkids;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(k->codes[mid], unit) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return NULL;
    const char *c = k->codes[lo - 1];
    return strncmp(c, unit, strlen(c)) == 0 ? &k->kids[lo - 1] : NULL;
}

static int count_one(void *ctx, const struct health_resident_row *r)
{
    struct count *k = ctx;
    int age = keygroup_age(r->birth_date, k->on);
    tally(k->h, k->c, age, r);
    struct health_coverage *kid = k->nkids ? child_of(k, r->unit) : NULL;
    if (kid) tally(k->h, kid, age, r);
    return 0;
}

static void zero(struct arena *a, size_t ngroups, struct health_coverage *c)
{
    *c = (struct health_coverage){.group_people = arena_zalloc(a, (ngroups + 1) * sizeof(long)),
                                  .group_contracts = arena_zalloc(a, (ngroups + 1) * sizeof(long))};
}

static int scan(struct app *app, struct arena *a, const char *scope, const char *on,
                struct count *k, struct err *err)
{
    long d;
    if (!on || !keygroup_day(on, &d))
        return err_set_field(err, ERR_INVALID, "on", "日期须为 YYYY-MM-DD");
    struct db *db = store_acquire(app->store);
    int rc = store_health_residents(db, a, scope ? scope : "", on, count_one, k, err);
    store_release(app->store, db);
    return rc;
}

int health_coverage(struct app *app, struct arena *a, const char *scope, const char *on,
                    struct health_coverage *out, struct err *err)
{
    const struct health_defs *h = app->health;
    zero(a, h->ngroups, out);
    struct count k = {h, on, out, NULL, NULL, 0};
    return scan(app, a, scope, on, &k, err);
}

int health_coverage_children(struct app *app, struct arena *a, const char *scope, const char *on,
                             struct health_coverage *total, struct health_coverage **out,
                             const char ***codes, const char ***names, size_t *n, struct err *err)
{
    const struct health_defs *h = app->health;
    struct tree *t = app_tree(app);
    uint32_t first = tree_first_root(t);
    if (scope && *scope) {
        uint32_t i = tree_find(t, scope, strlen(scope));
        first = i == TREE_NONE ? TREE_NONE : tree_first_child(t, i);
    }
    size_t nk = 0;
    for (uint32_t c = first; c != TREE_NONE; c = tree_next_sibling(t, c))
        nk++;
    struct count k = {h,
                      on,
                      total,
                      arena_zalloc(a, (nk + 1) * sizeof(char *)),
                      arena_zalloc(a, (nk + 1) * sizeof(struct health_coverage)),
                      nk};
    const char **nm = arena_zalloc(a, (nk + 1) * sizeof(char *));
    size_t j = 0;
    for (uint32_t c = first; c != TREE_NONE; c = tree_next_sibling(t, c), j++) {
        k.codes[j] = arena_strdup(a, tree_node(t, c)->code);
        nm[j] = arena_strdup(a, tree_name(t, c));
        zero(a, h->ngroups, &k.kids[j]);
    }
    tree_unref(t);
    /* siblings come in tree order; the lookup needs code order */
    for (size_t x = 1; x < nk; x++)
        for (size_t y = x; y > 0 && strcmp(k.codes[y - 1], k.codes[y]) > 0; y--) {
            const char *c = k.codes[y];
            k.codes[y] = k.codes[y - 1];
            k.codes[y - 1] = c;
            c = nm[y];
            nm[y] = nm[y - 1];
            nm[y - 1] = c;
        }
    zero(a, h->ngroups, total);
    int rc = scan(app, a, scope, on, &k, err);
    *out = k.kids;
    *codes = k.codes;
    *names = nm;
    *n = nk;
    return rc;
}
