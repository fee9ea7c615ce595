/* health_coverage.c — coverage of family-doctor contracting by key group
 * (health.h): residents of a subtree, those with a contract holding on a
 * day, and the same for each key group of data/health.json. Nothing is
 * stored: one ordered scan of the residents with their tags. */
#include "app/health.h"
#include "store/store.h"

#include <string.h>

struct count {
    const struct health_defs *h;
    const char *on;
    struct health_coverage *c;
};

static int count_one(void *ctx, const struct health_resident_row *r)
{
    struct count *k = ctx;
    struct health_coverage *c = k->c;
    int age = keygroup_age(r->birth_date, k->on);
    bool key = false;
    c->residents++;
    c->contracts += r->signed_now;
    for (size_t i = 0; i < k->h->ngroups; i++)
        if (keygroup_match(&k->h->groups[i], age, r->tags)) {
            key = true;
            c->group_people[i]++;
            c->group_contracts[i] += r->signed_now;
        }
    c->keypop += key;
    c->keypop_contracts += key && r->signed_now;
    return 0;
}

int health_coverage(struct app *app, struct arena *a, const char *scope, const char *on,
                    struct health_coverage *out, struct err *err)
{
    const struct health_defs *h = app->health;
    long d;
    if (!on || !keygroup_day(on, &d))
        return err_set_field(err, ERR_INVALID, "on", "日期须为 YYYY-MM-DD");
    *out = (struct health_coverage){
        .group_people = arena_zalloc(a, (h->ngroups + 1) * sizeof(long)),
        .group_contracts = arena_zalloc(a, (h->ngroups + 1) * sizeof(long))};
    struct count k = {h, on, out};
    struct db *db = store_acquire(app->store);
    int rc = store_health_residents(db, a, scope ? scope : "", on, count_one, &k, err);
    store_release(app->store, db);
    return rc;
}
