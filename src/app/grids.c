/* grids.c — grids made manageable: list with sizes, create, split, merge,
 * place a household (grids.h). Sizes are checked against data/grids.json
 * and only warned about; a change that would leave households without a
 * grid is refused and writes nothing. */
#include "app/grids.h"
#include "app/analytics.h"
#include "app/audit.h"
#include "app/events.h"
#include "app/auth.h"
#include "base/mem.h"
#include "core/person.h"
#include "core/tree.h"
#include "core/unit.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

struct sizes {
    struct grid_info *g;
    size_t n;
    long unplaced;
    const struct tree *t;
};

static struct grid_info *info_of(struct sizes *s, const char *unit)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->g[i].code, unit) == 0) return &s->g[i];
    return NULL;
}

static int add_size(void *ctx, const char *unit, long households, long people)
{
    struct sizes *s = ctx;
    struct grid_info *g = info_of(s, unit);
    if (g) {
        g->households += households;
        g->people += people;
        return 0;
    }
    uint32_t i = tree_find(s->t, unit, strlen(unit));
    if (i != TREE_NONE && tree_node(s->t, i)->level == UNIT_VILLAGE) s->unplaced += households;
    return 0;
}

static int add_members(void *ctx, const char *unit, long members, long linked)
{
    struct grid_info *g = info_of(ctx, unit);
    if (g) {
        g->members += members;
        g->linked += linked;
    }
    return 0;
}

/* The member ratio of a grid: households per linking member outside
 * [member_min, member_max], or households no member links. */
static const char *member_warning(struct arena *a, const struct grid_defs *d,
                                  const struct grid_info *g)
{
    if (!g->households) return NULL;
    if (!g->members)
        return arena_printf(a, "%ld 户没有党员联系（%s）", g->households, d->member_source);
    if (g->households > g->members * d->member_max)
        return arena_printf(a, "%ld 户只有 %ld 名党员联系，每人多于 %ld 户（%s）", g->households,
                            g->members, d->member_max, d->member_source);
    if (g->linked < g->households)
        return arena_printf(a, "%ld 户中 %ld 户没有党员联系（%s）", g->households,
                            g->households - g->linked, d->member_source);
    if (g->linked < g->members * d->member_min)
        return arena_printf(a, "%ld 名党员只联系 %ld 户，每人少于 %ld 户（%s）", g->members,
                            g->linked, d->member_min, d->member_source);
    return NULL;
}

static int add_workers(void *ctx, const char *unit, long n)
{
    struct grid_info *g = info_of(ctx, unit);
    if (g) g->workers += n;
    return 0;
}

int grids_list(struct app *app, struct arena *a, const char *unit, struct grid_info **out,
               size_t *n, long *unplaced, struct err *err)
{
    struct tree *t = app_tree(app);
    uint32_t root = tree_find(t, unit, strlen(unit));
    if (root == TREE_NONE) {
        tree_unref(t);
        return err_set_field(err, ERR_NOT_FOUND, "unit", "没有这个单位");
    }
    uint32_t last = tree_node(t, root)->post, count = 0;
    for (uint32_t i = root; i <= last; i++)
        count += tree_node(t, i)->level == UNIT_GRID && !(tree_node(t, i)->flags & TREE_RETIRED);
    struct sizes s = {arena_zalloc(a, (count + 1) * sizeof *s.g), 0, 0, t};
    for (uint32_t i = root; i <= last; i++) {
        const struct tree_node *nd = tree_node(t, i);
        if (nd->level != UNIT_GRID || (nd->flags & TREE_RETIRED)) continue;
        uint32_t v = nd->parent;
        s.g[s.n++] = (struct grid_info){.code = arena_strdup(a, nd->code),
                                        .name = arena_strdup(a, tree_name(t, i)),
                                        .village = arena_strdup(a, tree_name(t, v))};
    }
    struct db *db = store_acquire(app->store);
    int rc = store_grid_sizes(db, unit, add_size, &s, err);
    if (!rc) rc = store_grid_workers(db, unit, add_workers, &s, err);
    if (!rc) rc = store_grid_member_links(db, unit, app->grids->member_duty, add_members, &s, err);
    store_release(app->store, db);
    tree_unref(t);
    const struct grid_defs *d = app->grids;
    for (size_t i = 0; !rc && i < s.n; i++) {
        struct grid_info *g = &s.g[i];
        if (g->households < d->households_min)
            g->warning = arena_printf(a, "户数 %ld 少于 %ld 户（%s）", g->households,
                                      d->households_min, d->grid_source);
        else if (g->households > d->households_max)
            g->warning = arena_printf(a, "户数 %ld 多于 %ld 户（%s）", g->households,
                                      d->households_max, d->grid_source);
        else if (g->people > d->people_max)
            g->warning = arena_printf(a, "人数 %ld 多于 %ld 人（%s）", g->people, d->people_max,
                                      d->grid_source);
        g->member_warning = member_warning(a, d, g);
    }
    *out = s.g;
    *n = s.n;
    *unplaced = s.unplaced;
    return rc;
}

/* The grid at code, current: its index, else an error naming the rule. */
static int grid_at(const struct tree *t, const char *code, const char *field, uint32_t *out,
                   struct err *err)
{
    uint32_t i = code ? tree_find(t, code, strlen(code)) : TREE_NONE;
    if (i == TREE_NONE || tree_node(t, i)->level != UNIT_GRID)
        return err_set_field(err, ERR_INVALID, field, "%s 不是现有的网格", code ? code : "");
    *out = i;
    return ERR_OK;
}

int grids_next_code(const struct tree *t, uint32_t v, int *k, char code[16], struct err *err)
{
    if (*k < 1) *k = 1;
    for (; *k <= 999; ++*k) {
        snprintf(code, 16, "%.12s%03u", tree_node(t, v)->code, (unsigned)*k % 1000u);
        if (tree_find_any(t, code, 15) == TREE_NONE) {
            ++*k;
            return ERR_OK;
        }
    }
    return err_set(err, ERR_CONFLICT, "该村（社区）已有 999 个网格，不能再建");
}

/* The first free grid code under village v into code[16]. */
static int free_code(const struct tree *t, uint32_t v, char code[16], struct err *err)
{
    int k = 1;
    return grids_next_code(t, v, &k, code, err);
}

int grids_insert_unit(struct db *db, const char *code, const char *name, struct err *err)
{
    struct store_unit u = {.code = code,
                           .code_len = strlen(code),
                           .name = name,
                           .name_len = strlen(name),
                           .level = UNIT_GRID,
                           .kind = UNIT_KIND_GRID};
    return store_units_insert(db, &u, err);
}

int grids_write_end(struct app *app, struct db *db, int rc, struct err *err)
{
    /* the visit duties are counted with the events' (computed_sources.c) */
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT EVENTS_CHANGED, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) analytics_invalidate(app, EVENTS_CHANGED); /* and the kept due-visit lists */
    return rc;
}

static int write_done(struct app *app, struct db *db, int rc, struct err *err)
{
    rc = grids_write_end(app, db, rc, err);
    if (!rc) rc = app_tree_reload(app, err);
    return rc;
}

int grids_create_check(const struct tree *t, const struct auth_user *actor, const char *village,
                       const char *name, uint32_t *at, struct err *err)
{
    int rc = app_check_text(name, "name", 60, true, err);
    if (rc) return rc;
    uint32_t v = village ? tree_find(t, village, strlen(village)) : TREE_NONE;
    if (v == TREE_NONE || tree_node(t, v)->level != UNIT_VILLAGE)
        return err_set_field(err, ERR_INVALID, "village", "网格须建在村（社区）之下");
    if (!auth_in_scope(actor->scope, village))
        return err_set_field(err, ERR_FORBIDDEN, "village", "不能在本单位之外建网格");
    *at = v;
    return ERR_OK;
}

int grids_create(struct app *app, const struct auth_user *actor, const char *village,
                 const char *name, const char *client, char code[16], struct err *err)
{
    struct tree *t = app_tree(app);
    uint32_t v = TREE_NONE;
    int rc = grids_create_check(t, actor, village, name, &v, err);
    if (!rc) rc = free_code(t, v, code, err);
    tree_unref(t);
    if (rc) return rc;
    char at[32];
    auth_now_iso(at);
    struct arena *a = arena_new();
    struct audit_entry ae = {.user = actor->name,
                             .action = "grid.create",
                             .entity = arena_printf(a, "unit:%s", code),
                             .unit = code,
                             .after = arena_printf(a, "{\"name\":\"%s\"}", name),
                             .client = client};
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = grids_insert_unit(db, code, name, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    rc = write_done(app, db, rc, err);
    arena_free(a);
    return rc;
}

int grids_merge(struct app *app, const struct auth_user *actor, const char *from, const char *into,
                const char *client, struct err *err)
{
    struct tree *t = app_tree(app);
    uint32_t f = 0, g = 0;
    int rc = grid_at(t, from, "from", &f, err);
    if (!rc && grid_at(t, into, "into", &g, err))
        rc = err_set_field(err, ERR_INVALID, "into",
                           "合并后原网格的户将没有网格：请选一个现有网格接收（%s 不是）",
                           into ? into : "");
    if (!rc && f == g) rc = err_set_field(err, ERR_INVALID, "into", "不能与自己合并");
    if (!rc && tree_node(t, f)->parent != tree_node(t, g)->parent)
        rc = err_set_field(err, ERR_INVALID, "into", "只能合并同一村（社区）的网格");
    if (!rc && (!auth_in_scope(actor->scope, from) || !auth_in_scope(actor->scope, into)))
        rc = err_set_field(err, ERR_FORBIDDEN, "into", "不能改动本单位之外的网格");
    tree_unref(t);
    if (rc) return rc;
    char at[32], day[11];
    auth_now_iso(at);
    snprintf(day, sizeof day, "%.10s", at);
    int64_t moved = 0;
    struct arena *a = arena_new();
    struct audit_entry ae = {.user = actor->name,
                             .action = "grid.merge",
                             .entity = arena_printf(a, "unit:%s", from),
                             .unit = from,
                             .after = arena_printf(a, "{\"into\":\"%s\"}", into),
                             .client = client};
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_grid_move_all(db, from, into, at, &moved, err);
    if (!rc) rc = store_unit_retire(db, from, day, into, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    rc = write_done(app, db, rc, err);
    arena_free(a);
    return rc;
}

int grids_split(struct app *app, const struct auth_user *actor, const char *grid, const char *name,
                const int64_t *ids, size_t n, const char *client, char code[16], struct err *err)
{
    int rc = app_check_text(name, "name", 60, true, err);
    if (rc) return rc;
    if (n == 0) return err_set_field(err, ERR_INVALID, "households", "请选出分给新网格的户");
    struct tree *t = app_tree(app);
    uint32_t g = 0;
    rc = grid_at(t, grid, "grid", &g, err);
    if (!rc && !auth_in_scope(actor->scope, grid))
        rc = err_set_field(err, ERR_FORBIDDEN, "grid", "不能改动本单位之外的网格");
    if (!rc) rc = free_code(t, tree_node(t, g)->parent, code, err);
    tree_unref(t);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    /* every household named must be of the grid split: else it would be
     * taken from another grid, or left out of both */
    for (size_t i = 0; !rc && i < n; i++) {
        struct household_row h;
        rc = store_household_get(db, a, ids[i], &h, err);
        if (rc == ERR_NOT_FOUND || (!rc && strcmp(h.unit, grid) != 0))
            rc = err_set_field(err, ERR_INVALID, "households",
                               "households[%zu]：户 %lld 不在被拆分的网格内", i, (long long)ids[i]);
    }
    char at[32];
    auth_now_iso(at);
    if (!rc) rc = grids_insert_unit(db, code, name, err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = store_household_move(db, ids[i], code, at, err);
    struct audit_entry ae = {.user = actor->name,
                             .action = "grid.split",
                             .entity = arena_printf(a, "unit:%s", grid),
                             .unit = grid,
                             .after =
                                 arena_printf(a, "{\"new\":\"%s\",\"households\":%zu}", code, n),
                             .client = client};
    if (!rc) rc = store_audit_append(db, &ae, err);
    rc = write_done(app, db, rc, err);
    arena_free(a);
    return rc;
}

int grids_place(struct app *app, const struct auth_user *actor, int64_t household, const char *grid,
                const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    struct household_row h = {0};
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_household_get(db, a, household, &h, err);
    if (rc == ERR_NOT_FOUND) rc = err_set(err, ERR_NOT_FOUND, "没有这一户");
    struct tree *t = app_tree(app);
    uint32_t g = 0, at_h = TREE_NONE;
    if (!rc) rc = grid_at(t, grid, "grid", &g, err);
    if (!rc) at_h = tree_find(t, h.unit, strlen(h.unit));
    /* the village holding the household now: itself or its grid's parent */
    while (!rc && at_h != TREE_NONE && tree_node(t, at_h)->level > UNIT_VILLAGE)
        at_h = tree_node(t, at_h)->parent;
    if (!rc && (at_h == TREE_NONE || tree_node(t, g)->parent != at_h))
        rc = err_set_field(err, ERR_INVALID, "grid", "只能把户放入本村（社区）的网格");
    if (!rc && (!auth_in_scope(actor->scope, h.unit) || !auth_in_scope(actor->scope, grid)))
        rc = err_set(err, ERR_FORBIDDEN, "不能改动本单位之外的户");
    tree_unref(t);
    char now[32];
    auth_now_iso(now);
    struct audit_entry ae = {.user = actor->name,
                             .action = "grid.place",
                             .entity = arena_printf(a, "household:%lld", (long long)household),
                             .unit = grid,
                             .before = rc ? NULL : arena_printf(a, "{\"unit\":\"%s\"}", h.unit),
                             .after = arena_printf(a, "{\"unit\":\"%s\"}", grid ? grid : ""),
                             .client = client};
    if (!rc) rc = store_household_move(db, household, grid, now, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    rc = grids_write_end(app, db, rc, err);
    arena_free(a);
    return rc;
}
