/* rating_results.c — what a unit's answers and the year's data give, and
 * the same over a subtree in one pass (ratings.h). */
#include "app/analytics.h"
#include "app/ratings_int.h"
#include "base/mem.h"
#include "core/period.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* ---- computed results ---- */

/* The year's value of each element the scheme's formulas use, one query
 * per element, evaluated at any unit (NULL query: the element is not
 * defined, its values are missing). */
struct values {
    const struct scheme *s;
    struct query q[SCHEME_ELEMENTS_MAX];
    bool have[SCHEME_ELEMENTS_MAX];
    struct arena *a;
};

static int values_open(struct app *app, const struct scheme *s, struct values *v, struct err *err)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->a = arena_new();
    struct catalog cat;
    int rc = catalog_load(app, v->a, &cat, err);
    struct period p = {PERIOD_YEAR, s->year, 0};
    for (int i = 0; i < s->nelements && !rc; i++) {
        if (!catalog_element(&cat, s->elements[i])) continue;
        const char *expr = arena_printf(v->a, "#{%s}", s->elements[i]);
        if (!(rc = analytics_prepare(app, &cat, expr, &p, &v->q[i], err))) v->have[i] = true;
    }
    return rc;
}

static void values_at(const struct values *v, uint32_t node, struct fvalue *out)
{
    for (int i = 0; i < v->s->nelements; i++)
        out[i] = v->have[i] ? analytics_eval(&v->q[i], node) : (struct fvalue){0, true};
}

static void values_close(struct values *v)
{
    for (int i = 0; i < v->s->nelements; i++)
        if (v->have[i]) analytics_query_free(&v->q[i]);
    arena_free(v->a);
}

/* A stored answer as a scheme input: into indicators[] or vetoes[] by index. */
static void put_answer(const struct scheme *s, struct scheme_answer *indicators,
                       struct scheme_answer *vetoes, const struct case_answer *an)
{
    int i = scheme_indicator_index(s, an->code);
    struct scheme_answer x = {.given = true, .score = an->score, .yes = an->yes};
    if (i >= 0) {
        x.given = an->has_score || an->has_yes;
        indicators[i] = x;
    } else if ((i = scheme_veto_index(s, an->code)) >= 0) {
        x.given = an->has_yes;
        vetoes[i] = x;
    }
}

struct answers_ctx {
    const struct scheme *s;
    struct rating_result *out;
};

static int collect_answer(void *ctx, const struct case_answer *an)
{
    struct answers_ctx *c = ctx;
    put_answer(c->s, c->out->answers, c->out->vetoes, an);
    return 0;
}

void ratings_overlay_named(const struct scheme *s, const struct case_full *rating,
                           struct rating_result *out)
{
    out->level = out->r.level;
    for (int k = 0; k < s->ncategories; k++)
        out->won[k] = out->r.stars[k].won;
    if (!rating || !rating->rating.named_at[0]) return;
    out->named = true;
    out->level = rating->rating.level;
    for (int k = 0; k < s->ncategories; k++) {
        const char *code = s->categories[k].code, *p = rating->rating.stars;
        size_t n = strlen(code);
        out->won[k] = false;
        while (p && *p && !out->won[k]) {
            out->won[k] = strncmp(p, code, n) == 0 && (p[n] == ',' || p[n] == '\0');
            p = strchr(p, ',');
            if (p) p++;
        }
    }
}

/* Rates from answers already in out and the values. */
static int rate(const struct scheme *s, const struct fvalue *values, const struct case_full *rating,
                struct rating_result *out, struct err *err)
{
    struct scheme_inputs in = {out->answers, out->vetoes, values};
    int rc = scheme_rate(s, &in, &out->r, err);
    if (!rc) ratings_overlay_named(s, rating, out);
    return rc;
}

int ratings_result(struct app *app, const struct scheme *s, const char *unit,
                   const struct case_full *rating, struct rating_result *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    out->scheme = s;
    struct tree *t = app_tree(app);
    uint32_t node = tree_find(t, unit, strlen(unit));
    tree_unref(t);
    if (node == TREE_NONE) return err_set(err, ERR_NOT_FOUND, "没有代码为 %s 的单位", unit);
    int rc = ERR_OK;
    if (rating && rating->rating.named_at[0]) { /* what it was named with */
        struct arena *a = arena_new();
        const char *snapshot;
        struct db *db = store_acquire(app->store);
        rc = store_rating_snapshot_get(db, a, rating->c.id, &snapshot, err);
        store_release(app->store, db);
        if (!rc) rc = ratings_snapshot_rate(s, snapshot, rating, out, err);
        arena_free(a);
        if (rc != ERR_NOT_FOUND) return rc; /* else named before snapshots: computed */
        rc = ERR_OK;
    }
    if (rating) {
        struct answers_ctx c = {s, out};
        struct db *db = store_acquire(app->store);
        rc = store_answers(db, rating->c.id, collect_answer, &c, err);
        store_release(app->store, db);
    }
    if (!rc) {
        struct values v; /* values_open initialises it, even when it fails */
        if (!(rc = values_open(app, s, &v, err))) values_at(&v, node, out->values);
        values_close(&v);
    }
    if (!rc) rc = rate(s, out->values, rating, out, err);
    return rc;
}

/* ---- the subtree ---- */

/* The ratings of the subtree, by unit code, with their answers gathered by id. */
struct held {
    struct case_full *r;
    size_t n, cap;
    struct arena *a;
    const struct wf_kind *kind;
};

static int hold_rating(void *ctx, const struct case_row *c, const struct case_rating *r)
{
    struct held *h = ctx;
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 256;
        h->r = xrealloc(h->r, h->cap * sizeof *h->r);
    }
    struct case_full *f = &h->r[h->n++];
    *f = (struct case_full){.c = *c, .kind = h->kind, .rating = *r};
    /* what the summary reads, kept beyond the row */
    f->c.state = arena_strdup(h->a, c->state);
    f->rating.unit = f->c.unit = f->c.owner_unit = arena_strdup(h->a, r->unit);
    f->rating.scheme = arena_strdup(h->a, r->scheme);
    f->rating.stars = arena_strdup(h->a, r->stars);
    f->rating.notice_until = arena_strdup(h->a, r->notice_until);
    f->rating.named_at = arena_strdup(h->a, r->named_at);
    f->c.created_by = f->c.created_at = f->c.updated_at = f->c.closed_at = "";
    return 0;
}

/* The answers of the held ratings: row k holds nindicators indicator
 * answers, then nvetoes veto answers. Both come in unit order, so the
 * answers find their rating by walking forward, and their slot in the row
 * by a binary search of the scheme's codes. */
struct slot {
    const char *code;
    int slot;
};

struct summary_answers {
    const struct scheme *s;
    const struct held *h;
    size_t width, at;
    struct scheme_answer *rows;
    struct slot slots[SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES];
};

static int by_code(const void *x, const void *y)
{
    return strcmp(((const struct slot *)x)->code, ((const struct slot *)y)->code);
}

static int summary_answer(void *ctx, int64_t rating, const struct case_answer *an)
{
    struct summary_answers *c = ctx;
    while (c->at < c->h->n && c->h->r[c->at].c.id != rating)
        c->at++;
    struct slot key = {an->code, 0};
    const struct slot *sl = bsearch(&key, c->slots, c->width, sizeof key, by_code);
    if (c->at == c->h->n || !sl) return 0; /* written since the list was read, or retired */
    struct scheme_answer *a = &c->rows[c->at * c->width + (size_t)sl->slot];
    bool veto = sl->slot >= c->s->nindicators;
    *a = (struct scheme_answer){.given = veto ? an->has_yes : an->has_score || an->has_yes,
                                .score = an->score,
                                .yes = an->yes};
    return 0;
}

int ratings_summary(struct app *app, const struct scheme *s, const char *unit,
                    int (*fn)(void *ctx, uint32_t node, const struct case_full *rating,
                              const struct rating_result *res),
                    void *ctx, struct rating_summary *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    struct tree *t = app_tree(app);
    uint32_t root = unit && unit[0] ? tree_find(t, unit, strlen(unit)) : TREE_NONE;
    if (root == TREE_NONE) {
        tree_unref(t);
        return err_set_field(err, ERR_INVALID, "unit", "请给出单位 unit");
    }
    struct held h = {.a = arena_new(), .kind = ratings_kind(app)};
    struct store_rating_filter f = {.scheme = s->code, .scope = unit};
    struct db *db = store_acquire(app->store);
    int rc = store_ratings_list(db, &f, hold_rating, &h, err);
    struct summary_answers *sa = xcalloc(1, sizeof *sa);
    *sa = (struct summary_answers){.s = s, .h = &h, .width = (size_t)(s->nindicators + s->nvetoes)};
    for (int i = 0; i < s->nindicators; i++)
        sa->slots[i] = (struct slot){s->indicators[i].code, i};
    for (int v = 0; v < s->nvetoes; v++)
        sa->slots[s->nindicators + v] = (struct slot){s->vetoes[v].code, s->nindicators + v};
    qsort(sa->slots, sa->width, sizeof *sa->slots, by_code);
    sa->rows = xcalloc(h.n * sa->width + 1, sizeof *sa->rows);
    if (!rc) rc = store_ratings_answers_in(db, s->code, unit, summary_answer, sa, err);
    store_release(app->store, db);
    struct values v;
    bool opened = !rc;
    if (opened) rc = values_open(app, s, &v, err);
    struct rating_result *res = xmalloc(sizeof *res);
    size_t next = 0; /* the held ratings, in unit order, as the DFS meets their units */
    for (uint32_t i = root; !rc && i <= tree_node(t, root)->post; i++) {
        const struct tree_node *nd = tree_node(t, i);
        if (!scheme_applies(s, nd->kind)) continue;
        while (next < h.n && strcmp(h.r[next].c.unit, nd->code) < 0)
            next++;
        const struct case_full *r =
            next < h.n && strcmp(h.r[next].c.unit, nd->code) == 0 ? &h.r[next] : NULL;
        memset(res, 0, sizeof *res);
        const struct scheme_answer *row = r ? &sa->rows[(size_t)(r - h.r) * sa->width] : NULL;
        if (row) {
            memcpy(res->answers, row, (size_t)s->nindicators * sizeof *row);
            memcpy(res->vetoes, row + s->nindicators, (size_t)s->nvetoes * sizeof *row);
        }
        res->scheme = s;
        values_at(&v, i, res->values);
        if ((rc = rate(s, res->values, r, res, err))) break;
        out->units++;
        out->declared += r != NULL;
        out->targets[r ? r->rating.target : 0]++;
        out->named += res->named;
        out->levels[res->named ? res->level : 0]++;
        for (int k = 0; k < s->ncategories; k++) {
            out->won[k] += res->named && res->won[k];
            out->meets_now[k] += res->r.stars[k].qualified;
        }
        if (fn && (rc = fn(ctx, i, r, res)) != 0) break;
    }
    if (opened) values_close(&v);
    free(res);
    free(sa->rows);
    free(sa);
    free(h.r);
    arena_free(h.a);
    tree_unref(t);
    return rc < 0 ? rc : ERR_OK;
}
