/* pairings.c — 支部联建: suggested and saved pairs of strong and weak units (ratings.h). */
#include "app/ratings.h"
#include "base/mem.h"
#include "core/pairing.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* The candidates of the subtree: each unit of the scheme's kind that
 * declared a target or was named, with its named level, target and
 * township (the child of the root holding it). */
struct candidates {
    const struct tree *t;
    uint32_t root;
    struct pairing_unit *u;
    size_t n, cap;
};

static int add_candidate(void *ctx, uint32_t node, const struct case_full *r,
                         const struct rating_result *res)
{
    struct candidates *c = ctx;
    int level = res->named ? res->level : 0, target = r ? r->rating.target : 0;
    if (level == 0 && target == 0) return 0; /* not in this year's campaign */
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->u = xrealloc(c->u, c->cap * sizeof *c->u);
    }
    uint32_t group = node;
    while (group != TREE_NONE && tree_node(c->t, group)->parent != c->root)
        group = tree_node(c->t, group)->parent;
    c->u[c->n++] =
        (struct pairing_unit){.id = node, .group = group, .level = level, .target = target};
    return 0;
}

int pairings_suggest(struct app *app, const struct scheme *s, const char *unit,
                     struct pairing_pair **pairs, size_t *n, size_t *nstrong, size_t *nweak,
                     struct err *err)
{
    struct tree *t = app_tree(app);
    struct candidates c = {.t = t, .root = tree_find(t, unit, strlen(unit))};
    struct rating_summary sum;
    int rc = ratings_summary(app, s, t, unit, add_candidate, &c, &sum, err);
    *pairs = NULL;
    *n = 0;
    if (!rc) {
        *pairs = xmalloc((c.n ? c.n : 1) * sizeof **pairs);
        *n = pairing_suggest(c.u, c.n, NULL, *pairs, nstrong, nweak);
    }
    free(c.u);
    tree_unref(t);
    return rc;
}

int pairings_save(struct app *app, const struct auth_user *actor, const struct scheme *s,
                  const char *unit, const char *const *weak, const char *const *strong, size_t n,
                  const char *client, struct err *err)
{
    struct tree *t = app_tree(app);
    uint32_t root = tree_find(t, unit, strlen(unit));
    int rc =
        root == TREE_NONE ? err_set_field(err, ERR_INVALID, "unit", "请给出单位 unit") : ERR_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *pair[2] = {weak[i], strong[i]};
        for (int k = 0; k < 2 && !rc; k++) {
            uint32_t u = pair[k] ? tree_find(t, pair[k], strlen(pair[k])) : TREE_NONE;
            if (u == TREE_NONE || !tree_within(t, u, root) ||
                !scheme_applies(s, tree_node(t, u)->kind))
                rc = err_set_field(err, ERR_INVALID, k ? "strong" : "weak",
                                   "pairs[%zu]：%s 不是本单位下适用%s的村（社区）", i,
                                   pair[k] ? pair[k] : "", s->name);
        }
        if (!rc && strcmp(weak[i], strong[i]) == 0)
            rc = err_set_field(err, ERR_INVALID, "strong", "pairs[%zu]：不能与自己结对", i);
        for (size_t j = 0; j < i && !rc; j++)
            if (strcmp(weak[j], weak[i]) == 0)
                rc = err_set_field(err, ERR_INVALID, "weak", "pairs[%zu]：%s 已在第 %zu 对中", i,
                                   weak[i], j + 1);
    }
    tree_unref(t);
    if (rc) return rc;
    char at[32];
    auth_now_iso(at);
    struct arena *a = arena_new();
    struct audit_entry ae = {.user = actor->name,
                             .action = "pairings.save",
                             .entity = arena_printf(a, "pairings:%s:%s", s->code, unit),
                             .unit = unit,
                             .after = arena_printf(a, "{\"pairs\":%zu}", n),
                             .client = client};
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_pairings_replace(db, s->code, unit, weak, strong, n, ae.user, at, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    arena_free(a);
    return rc;
}

int pairings_list(struct app *app, const struct scheme *s, const char *unit,
                  int (*fn)(void *ctx, const char *weak, const char *strong), void *ctx,
                  struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_pairings_list(db, s->code, unit, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
