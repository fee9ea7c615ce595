/* health_circle.c — the 30-minute health circle (health.h): for every
 * village or community below a unit, its nearest located facility and
 * the estimated travel time (straight-line km × detour ÷ speed, the
 * settings of data/health.json), found through a grid index (core/geo.c)
 * rather than by comparing every pair. */
#include "app/health.h"
#include "core/geo.h"
#include "core/tree.h"
#include "store/store.h"

#include <string.h>

struct walk {
    struct arena *a;
    const struct tree *t;
    uint32_t lo, hi; /* the scope's preorder range */
    struct health_circle *c;
    uint32_t *village_of; /* tree index → slot in c->villages, UINT32_MAX none */
};

static uint32_t village_slot(const struct walk *w, const char *unit)
{
    uint32_t i = tree_find(w->t, unit, strlen(unit));
    while (i != TREE_NONE && tree_node(w->t, i)->level > UNIT_VILLAGE)
        i = tree_node(w->t, i)->parent;
    if (i == TREE_NONE || i < w->lo || i > w->hi) return UINT32_MAX;
    return w->village_of[i];
}

static int add_point(void *ctx, const char *unit, double lat, double lng)
{
    struct walk *w = ctx;
    uint32_t i = tree_find(w->t, unit, strlen(unit));
    if (i == TREE_NONE || w->village_of[i] == UINT32_MAX) return 0;
    struct health_circle_village *v = &w->c->villages[w->village_of[i]];
    v->lat = lat;
    v->lng = lng;
    v->km = 0; /* located; set below */
    return 0;
}

static int add_people(void *ctx, const char *unit, long n)
{
    struct walk *w = ctx;
    uint32_t s = village_slot(w, unit);
    if (s != UINT32_MAX) w->c->villages[s].people += n;
    w->c->people += n;
    return 0;
}

int health_circle(struct app *app, struct arena *a, const char *scope, struct health_circle *out,
                  struct err *err)
{
    const struct health_defs *h = app->health;
    *out = (struct health_circle){0};
    struct tree *t = app_tree(app);
    uint32_t lo = 0, hi = tree_count(t) ? tree_count(t) - 1 : 0;
    if (scope && *scope) {
        lo = tree_find(t, scope, strlen(scope));
        if (lo == TREE_NONE) {
            tree_unref(t);
            return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", scope);
        }
        hi = tree_node(t, lo)->post;
    }
    struct walk w = {a, t, lo, hi, out, arena_zalloc(a, (tree_count(t) + 1) * sizeof(uint32_t))};
    size_t nv = 0;
    for (uint32_t i = 0; i < tree_count(t); i++)
        w.village_of[i] = UINT32_MAX;
    for (uint32_t i = lo; tree_count(t) && i <= hi; i++) {
        const struct tree_node *n = tree_node(t, i);
        if (n->level == UNIT_VILLAGE && !(n->flags & TREE_RETIRED))
            w.village_of[i] = (uint32_t)nv++;
    }
    out->villages = arena_zalloc(a, (nv + 1) * sizeof *out->villages);
    out->nvillages = nv;
    for (uint32_t i = lo; tree_count(t) && i <= hi; i++)
        if (w.village_of[i] != UINT32_MAX) {
            struct health_circle_village *v = &out->villages[w.village_of[i]];
            v->unit = arena_strdup(a, tree_node(t, i)->code);
            v->name = arena_strdup(a, tree_name(t, i));
            v->km = v->minutes = -2; /* not located */
        }
    struct db *db = store_acquire(app->store);
    int rc = store_health_points(db, scope ? scope : "", add_point, &w, err);
    if (!rc) rc = store_health_people_by_unit(db, scope ? scope : "", add_people, &w, err);
    store_release(app->store, db);
    tree_unref(t);
    /* every located facility counts, wherever it is: a village near the
     * county border may be served across it */
    if (!rc) rc = health_facilities(app, a, "", &out->facilities, &out->nfacilities, err);
    if (rc) return rc;
    struct geo_point *pts = arena_zalloc(a, (out->nfacilities + 1) * sizeof *pts);
    size_t *which = arena_zalloc(a, (out->nfacilities + 1) * sizeof *which);
    size_t np = 0;
    for (size_t i = 0; i < out->nfacilities; i++)
        if (out->facilities[i].located) {
            pts[np] = (struct geo_point){out->facilities[i].lat, out->facilities[i].lng};
            which[np++] = i;
        }
    double reach_km = h->circle_minutes / 60.0 * h->circle_speed / h->circle_detour;
    struct geo_index ix;
    /* cells about as wide as the reach: a query looks at 3×3 to 4×4 cells */
    if (geo_index_build(&ix, pts, np, reach_km / 111.0 > 0.01 ? reach_km / 111.0 : 0.01))
        return err_set(err, ERR_INTERNAL, "内存不足");
    for (size_t i = 0; i < nv; i++) {
        struct health_circle_village *v = &out->villages[i];
        if (v->km == -2) continue;
        out->located++;
        double km;
        long f = geo_index_nearest(&ix, v->lat, v->lng, reach_km, &km);
        if (f < 0) {
            v->km = v->minutes = -1;
            continue;
        }
        v->km = km;
        v->minutes = geo_minutes(km, h->circle_detour, h->circle_speed);
        v->facility = out->facilities[which[f]].name;
        out->within++;
        out->people_within += v->people;
    }
    geo_index_free(&ix);
    return ERR_OK;
}
