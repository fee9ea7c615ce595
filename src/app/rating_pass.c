/* rating_pass.c — rating every unit of a scheme's kind in one pass over
 * every answer (rating_kept.h): many changes at once, and the build from
 * scratch. The scopes (provinces, or a province's cities) are dealt out to
 * two threads, biggest first; each reads its ratings and answers in code
 * order and rates each unit as its answers end. */
#include "app/rating_kept.h"
#include "base/mem.h"
#include "store/store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* An answer's place: indicator i, or veto nindicators + i. */
struct slot {
    const char *code;
    int slot;
};

static int by_code(const void *x, const void *y)
{
    return strcmp(((const struct slot *)x)->code, ((const struct slot *)y)->code);
}

/* A rating of the pass: its row (strings in the pass's arena) and slot
 * (k->n when its unit is not one of the kept: not in the tree, or no
 * longer of the scheme's kind). */
struct held {
    struct kept_brief b;
    size_t slot;
};

/* One thread's share of a pass: the subtrees (scopes) it rates. */
struct pass {
    struct app *app;
    struct kept *k;
    const char *const *scopes;
    size_t nscopes;
    bool *done; /* by slot; threads mark disjoint slots */
    struct err err;
    int rc;
    /* the current scope's ratings by unit, and the one the answers coming are for */
    struct held *h;
    size_t nh, cap, at, hint;
    struct rating_result *res;
    struct arena *a;
    /* the scheme's codes in order, and the next one expected: a rating's
     * answers come by code */
    struct slot codes[SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES];
    size_t ncodes, next;
};

/* The slot of unit code among the kept, looked for first just after the
 * last one (ratings come by unit, as the kept do). */
static size_t slot_near(const struct kept *k, size_t *hint, const char *code)
{
    for (size_t i = *hint, n = 0; i < k->n && n < 2; i++, n++)
        if (strcmp(tree_node(k->tree, k->nodes[i])->code, code) == 0) return *hint = i;
    size_t i = kept_slot_of_code(k, code);
    if (i < k->n) *hint = i;
    return i;
}

static int hold(void *ctx, const struct store_rating_brief *r)
{
    struct pass *p = ctx;
    if (p->nh == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 1024;
        p->h = xrealloc(p->h, p->cap * sizeof *p->h);
    }
    struct held *x = &p->h[p->nh++];
    x->slot = slot_near(p->k, &p->hint, r->unit);
    x->b = (struct kept_brief){.case_id = r->case_id,
                               .state = arena_strdup(p->a, r->state),
                               .stars = r->stars[0] ? arena_strdup(p->a, r->stars) : "",
                               .notice_until =
                                   r->notice_until[0] ? arena_strdup(p->a, r->notice_until) : "",
                               .named_at = r->named_at[0] ? arena_strdup(p->a, r->named_at) : "",
                               .target = r->target,
                               .level = r->level};
    return 0;
}

/* Rates the held rating at p->at with the answers gathered for it. */
static int finish_held(struct pass *p)
{
    struct held *x = &p->h[p->at++];
    int rc = ERR_OK;
    if (x->slot < p->k->n) {
        rc = kept_stand(p->app, p->k, x->slot, &x->b, p->res, &p->err);
        p->done[x->slot] = true;
    }
    kept_answers_clear(p->k->s, p->res);
    p->next = 0;
    return rc;
}

/* Puts an answer of the stream into p->res by its code. */
static void pass_put(struct pass *p, const struct case_answer *an)
{
    const struct slot *sl = NULL;
    if (p->next < p->ncodes && strcmp(p->codes[p->next].code, an->code) == 0) {
        sl = &p->codes[p->next];
    } else {
        struct slot key = {an->code, 0};
        sl = bsearch(&key, p->codes, p->ncodes, sizeof key, by_code);
    }
    if (!sl) return; /* a code the scheme no longer has */
    p->next = (size_t)(sl - p->codes) + 1;
    const struct scheme *s = p->k->s;
    bool veto = sl->slot >= s->nindicators;
    struct scheme_answer x = {.given = veto ? an->has_yes : an->has_score || an->has_yes,
                              .score = an->score,
                              .yes = an->yes};
    if (veto)
        p->res->vetoes[sl->slot - s->nindicators] = x;
    else
        p->res->answers[sl->slot] = x;
}

/* The answers come in the held ratings' order (both by unit, read in one
 * snapshot); the ratings without answers are rated as the stream passes. */
static int pass_answer(void *ctx, int64_t rating, const struct case_answer *an)
{
    struct pass *p = ctx;
    while (p->at < p->nh && p->h[p->at].b.case_id != rating) {
        int rc = finish_held(p);
        if (rc) return rc;
    }
    if (p->at < p->nh) pass_put(p, an);
    return 0;
}

/* One scope: its ratings and all their answers (in the snapshot of db's
 * read transaction), then its units without a rating, from data alone. */
static int pass_scope(struct pass *p, struct db *db, const char *scope)
{
    struct kept *k = p->k;
    p->nh = p->at = p->hint = p->next = 0;
    int rc = store_ratings_brief(db, k->s->code, scope, hold, p, &p->err);
    if (!rc) rc = store_ratings_answers_in(db, k->s->code, scope, pass_answer, p, &p->err);
    while (!rc && p->at < p->nh)
        rc = finish_held(p);
    uint32_t lo = 0, hi = tree_count(k->tree);
    if (scope[0]) {
        lo = tree_find(k->tree, scope, strlen(scope));
        hi = tree_node(k->tree, lo)->post + 1;
    }
    for (size_t i = kept_slot_from(k, lo); !rc && i < k->n && k->nodes[i] < hi; i++)
        if (!p->done[i]) {
            rc = kept_stand(p->app, k, i, NULL, p->res, &p->err);
            p->done[i] = true;
        }
    return rc;
}

static void *pass_main(void *arg)
{
    struct pass *p = arg;
    p->a = arena_new();
    p->res = xmalloc(sizeof *p->res);
    kept_answers_clear(p->k->s, p->res);
    struct db *db = store_acquire(p->app->store);
    p->rc = db_begin(db, false, &p->err);
    for (size_t i = 0; !p->rc && i < p->nscopes; i++)
        p->rc = pass_scope(p, db, p->scopes[i]);
    db_rollback(db);
    store_release(p->app->store, db);
    free(p->res);
    free(p->h);
    arena_free(p->a);
    return NULL;
}

/* The subtrees a pass is split into: the provinces, or the cities when
 * there are fewer than four provinces (a province's own tree). */
static const char **pass_scopes(const struct tree *t, struct arena *a, size_t *n)
{
    uint32_t count = tree_count(t);
    size_t roots = 0;
    for (uint32_t i = 0; i < count; i = tree_node(t, i)->post + 1)
        roots++;
    const char **out = arena_zalloc(a, (count ? count : 1) * sizeof *out);
    *n = 0;
    for (uint32_t i = 0; i < count; i = tree_node(t, i)->post + 1) {
        if (roots >= 4 || tree_first_child(t, i) == TREE_NONE) {
            out[(*n)++] = tree_node(t, i)->code;
            continue;
        }
        for (uint32_t c = tree_first_child(t, i); c != TREE_NONE; c = tree_next_sibling(t, c))
            out[(*n)++] = tree_node(t, c)->code;
        /* units of the province itself (none of the scheme's kind, normally)
         * are rated by the last pass over slots below */
    }
    return out;
}

/* Rates every kept unit again with its kept values: the ratings and their
 * answers, by scope, in two threads when there are many (each its own
 * connection and snapshot). seq, the audit record read before either, is
 * what k reflects then: writes after it are caught up later. */
int kept_pass_all(struct app *app, struct kept *k, int64_t seq, struct err *err)
{
    int rc = ERR_OK;
    struct arena *a = arena_new();
    size_t nscopes;
    const char **scopes = pass_scopes(k->tree, a, &nscopes);
    bool *done = xcalloc(k->n + 1, sizeof *done);
    int nthreads = k->n >= KEPT_PARALLEL_MIN && nscopes > 1 ? 2 : 1;
    struct pass *p = xcalloc((size_t)nthreads, sizeof *p);
    /* deal the scopes out, biggest first, to the thread with the fewest units */
    size_t *units = arena_zalloc(a, nscopes * sizeof *units),
           *order = arena_zalloc(a, nscopes * sizeof *order);
    for (size_t i = 0; i < nscopes; i++) {
        uint32_t root = tree_find(k->tree, scopes[i], strlen(scopes[i]));
        units[i] = kept_slot_from(k, tree_node(k->tree, root)->post + 1) - kept_slot_from(k, root);
        order[i] = i;
    }
    for (size_t i = 1; i < nscopes; i++) /* insertion sort: a few dozen scopes */
        for (size_t j = i; j > 0 && units[order[j]] > units[order[j - 1]]; j--) {
            size_t x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    const char **mine[2] = {arena_zalloc(a, (nscopes + 1) * sizeof **mine),
                            arena_zalloc(a, (nscopes + 1) * sizeof **mine)};
    size_t load[2] = {0, 0}, got[2] = {0, 0};
    for (size_t i = 0; i < nscopes; i++) {
        int t = nthreads == 2 && load[1] < load[0];
        mine[t][got[t]++] = scopes[order[i]];
        load[t] += units[order[i]];
    }
    for (int t = 0; t < nthreads; t++) {
        p[t] =
            (struct pass){.app = app, .k = k, .scopes = mine[t], .nscopes = got[t], .done = done};
        err_clear(&p[t].err);
        for (int i = 0; i < k->s->nindicators; i++)
            p[t].codes[p[t].ncodes++] = (struct slot){k->s->indicators[i].code, i};
        for (int i = 0; i < k->s->nvetoes; i++)
            p[t].codes[p[t].ncodes++] = (struct slot){k->s->vetoes[i].code, k->s->nindicators + i};
        qsort(p[t].codes, p[t].ncodes, sizeof *p[t].codes, by_code);
    }
    pthread_t helper;
    bool helped = nthreads == 2 && pthread_create(&helper, NULL, pass_main, &p[1]) == 0;
    if (nthreads == 2 && !helped) { /* no thread: do its share here too */
        for (size_t i = 0; i < got[1]; i++)
            mine[0][got[0]++] = mine[1][i];
        p[0].nscopes = got[0];
    }
    pass_main(&p[0]);
    if (helped) pthread_join(helper, NULL);
    for (int t = 0; t < nthreads && !rc; t++)
        if (p[t].rc) {
            rc = p[t].rc;
            *err = p[t].err;
        }
    /* units outside every scope: of a province with cities, the province's own */
    struct rating_result *res = xmalloc(sizeof *res);
    kept_answers_clear(k->s, res);
    for (size_t i = 0; !rc && i < k->n; i++)
        if (!done[i]) rc = kept_stand(app, k, i, NULL, res, err);
    free(res);
    free(p);
    free(done);
    arena_free(a);
    if (!rc) k->seq = seq;
    return rc;
}
