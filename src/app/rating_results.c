/* rating_results.c — what a unit's answers and the year's data give, and
 * the same for every unit of a scheme's kind, kept between requests and
 * brought up to date as ratings and values are written (ratings.h). */
#include "app/computed_sources.h"
#include "app/analytics.h"
#include "app/people.h"
#include "app/memo.h"
#include "app/rating_kept.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/mem.h"
#include "core/period.h"
#include "store/store.h"

#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* Releases the queries; a no-op on a values closed already or never opened. */
static void values_close(struct values *v)
{
    if (!v->a) return;
    for (int i = 0; i < v->s->nelements; i++)
        if (v->have[i]) analytics_query_free(&v->q[i]);
    arena_free(v->a);
    v->a = NULL;
}

/* Prepares v for the elements in only[] (NULL: all; closed again when it
 * fails). */
static int values_open_some(struct app *app, const struct scheme *s, const bool *only,
                            struct values *v, struct err *err)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->a = arena_new();
    struct catalog cat;
    int rc = catalog_load(app, v->a, &cat, err);
    struct period p = {PERIOD_YEAR, s->year, 0};
    for (int i = 0; i < s->nelements && !rc; i++) {
        if ((only && !only[i]) || !catalog_element(&cat, s->elements[i])) continue;
        const char *expr = arena_printf(v->a, "#{%s}", s->elements[i]);
        if (!(rc = analytics_prepare(app, &cat, expr, &p, &v->q[i], err))) v->have[i] = true;
    }
    if (rc) values_close(v);
    return rc;
}

static int values_open(struct app *app, const struct scheme *s, struct values *v, struct err *err)
{
    return values_open_some(app, s, NULL, v, err);
}

static void values_at(const struct values *v, uint32_t node, struct fvalue *out)
{
    for (int i = 0; i < v->s->nelements; i++)
        out[i] = v->have[i] ? analytics_ref_value(&v->q[i], 0, node) : (struct fvalue){0, true};
}

/* Whether every query of v reads rollups over tree t (a tree reloaded
 * while they were prepared gives rollups over the new one). */
static int values_check_tree(const struct values *v, const struct tree *t, struct err *err)
{
    for (int i = 0; i < v->s->nelements; i++)
        if (v->have[i] && v->q[i].tree != t)
            return err_set(err, ERR_BUSY, "单位刚刚更新，请稍后重试");
    return ERR_OK;
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

/* ---- every unit of a scheme's kind, kept ---- */

/*
 * Rating a province or the whole country from scratch reads every answer
 * of every rating (13 million rows for the country) and every value of the
 * scheme's elements, so the outcome of each unit is kept between requests:
 * per scheme, one compact standing for each unit of the scheme's kind, in
 * DFS order, with the values of the scheme's elements it was rated with,
 * and a summary of any subtree is one pass over a contiguous range of
 * them (rating_kept.h). The standings follow what changes:
 *
 * - a rating written, here or by another server: every rating write is
 *   audited as "rating:<scheme>:<unit>" in its own transaction, so the
 *   audit records after the last one read name exactly the units whose
 *   rating row and answers to read again (store_ratings_changed);
 * - a data value written: audited as values.write with the elements it
 *   wrote (store_writes_since), and its element's rollups dropped
 *   (analytics_invalidate, also on other servers' notices): an element
 *   named since, or whose rollups were dropped, is rolled up again and
 *   each unit's value compared with the one it was rated with; the units
 *   whose value moved are rated again;
 * - a new tree: everything is built again.
 *
 * Any of those moves the memo generation (memo.h), so a summary looks for
 * changes only when it moved, under the write lock; summaries read under
 * the read lock. Many changes at once (a ledger of a whole county) are
 * rated in one pass over every answer again instead of unit by unit.
 * Building from scratch splits the work in two threads: the elements'
 * rollups, then the answers and rating, by province. At start, `jiceng
 * serve` reads every scheme's standings from the database where they are
 * current (rating_standings.c) and catches up from the audit trail, or
 * builds them, in the background (ratings_warm); the same thread writes
 * what changed back at intervals and at a clean stop.
 */

/* Many changes at once are rated in one pass over every answer. */
#define KEPT_ONE_BY_ONE_MAX 2000
extern const struct embed_file scheme_defs[];

int ratings_kept_init(struct app *app, struct err *err)
{
    (void)err;
    struct rating_kept *rk = xcalloc(1, sizeof *rk);
    rk->n = app->nschemes;
    rk->k = xcalloc(rk->n ? (size_t)rk->n : 1, sizeof *rk->k);
    for (int i = 0; i < rk->n; i++) {
        rk->k[i].s = app->schemes[i];
        rk->k[i].saved_seq = -1;
        pthread_rwlock_init(&rk->k[i].lock, NULL);
    }
    /* app->schemes are scheme_defs parsed in order (ratings_init) */
    for (int i = 0; i < rk->n && scheme_defs[i].name; i++)
        kept_scheme_digest(scheme_defs[i].data, scheme_defs[i].len, rk->k[i].sdigest);
    atomic_init(&rk->stop, false);
    pthread_mutex_init(&rk->mu, NULL);
    pthread_cond_init(&rk->cv, NULL);
    unsigned char id[16];
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(rk->writer, sizeof rk->writer, id, sizeof id);
    app->rating_kept = rk;
    return ERR_OK;
}

void kept_alloc(struct kept *k, struct tree *t)
{
    kept_clear(k);
    tree_ref(t);
    k->tree = t;
    uint32_t count = tree_count(t);
    k->nodes = xmalloc(((size_t)count + 1) * sizeof *k->nodes);
    for (uint32_t i = 0; i < count; i++)
        if (scheme_applies(k->s, tree_node(t, i)->kind)) k->nodes[k->n++] = i;
    k->st = xcalloc(k->n + 1, sizeof *k->st);
    k->vals = xcalloc(k->n * (size_t)k->s->nelements + 1, sizeof *k->vals);
    k->miss = xcalloc(k->n * KEPT_MISS_BYTES(k->s) + 1, 1);
    k->dirty = xmalloc(k->n + 1);
    memset(k->dirty, 1, k->n + 1);
    k->rowhash = xcalloc(k->n + 1, sizeof *k->rowhash);
    k->whole = true;
    k->saved_seq = -1;
    k->key[0] = '\0';
}

void kept_clear(struct kept *k)
{
    tree_unref(k->tree);
    k->tree = NULL;
    free(k->nodes);
    free(k->st);
    free(k->vals);
    free(k->miss);
    free(k->dirty);
    free(k->rowhash);
    k->nodes = NULL;
    k->st = NULL;
    k->vals = NULL;
    k->miss = NULL;
    k->dirty = NULL;
    k->rowhash = NULL;
    k->n = 0;
}

/* Writes what changed of every scheme's standings, when they are kept
 * across restarts. */
static void save_all(struct app *app, bool release)
{
    struct rating_kept *rk = app->rating_kept;
    for (int i = 0; rk->persist && i < rk->n; i++) {
        struct err e;
        err_clear(&e);
        if (kept_save(app, &rk->k[i], release, &e))
            log_msg(LOG_WARN, "ratings.save", "scheme=%s error=\"%s\"", rk->k[i].s->code, e.msg);
    }
}

void ratings_kept_free(struct app *app)
{
    struct rating_kept *rk = app->rating_kept;
    if (!rk) return;
    pthread_mutex_lock(&rk->mu);
    atomic_store(&rk->stop, true);
    pthread_cond_broadcast(&rk->cv);
    pthread_mutex_unlock(&rk->mu);
    if (rk->warming) pthread_join(rk->warm, NULL);
    save_all(app, true); /* a clean stop: the next start reads them */
    for (int i = 0; i < rk->n; i++) {
        kept_clear(&rk->k[i]);
        pthread_rwlock_destroy(&rk->k[i].lock);
    }
    pthread_mutex_destroy(&rk->mu);
    pthread_cond_destroy(&rk->cv);
    free(rk->k);
    free(rk);
    app->rating_kept = NULL;
}

static struct kept *kept_of(struct app *app, const struct scheme *s)
{
    for (int i = 0; i < app->rating_kept->n; i++)
        if (app->rating_kept->k[i].s == s) return &app->rating_kept->k[i];
    return NULL;
}

static int stopping(struct app *app, struct err *err)
{
    if (!atomic_load(&app->rating_kept->stop)) return ERR_OK;
    return err_set(err, ERR_BUSY, "服务正在停止");
}

/* The first index of k->nodes whose node is not below `node`. */
size_t kept_slot_from(const struct kept *k, uint32_t node)
{
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->nodes[mid] < node)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t kept_slot_of_code(const struct kept *k, const char *code)
{
    uint32_t node = tree_find(k->tree, code, strlen(code));
    size_t i = node == TREE_NONE ? k->n : kept_slot_from(k, node);
    return i < k->n && k->nodes[i] == node ? i : k->n;
}

/* The values the unit at slot is rated with. */
static void kept_values(const struct kept *k, size_t slot, struct fvalue *out)
{
    const double *v = &k->vals[slot * (size_t)k->s->nelements];
    const uint8_t *m = &k->miss[slot * KEPT_MISS_BYTES(k->s)];
    for (int e = 0; e < k->s->nelements; e++)
        out[e] = (struct fvalue){m[e / 8] >> (e % 8) & 1 ? 0 : v[e], m[e / 8] >> (e % 8) & 1};
}

/* Sets element e's value of the unit at slot; whether it moved. */
static bool kept_value_set(struct kept *k, size_t slot, int e, struct fvalue x)
{
    double *v = &k->vals[slot * (size_t)k->s->nelements + (size_t)e];
    uint8_t *m = &k->miss[slot * KEPT_MISS_BYTES(k->s) + (size_t)e / 8];
    bool was = *m >> (e % 8) & 1;
    if (x.missing) x.v = 0;
    /* the same bits, not ==: NaN and -0 must count as they were kept */
    uint64_t old, new;
    memcpy(&old, v, sizeof old);
    memcpy(&new, &x.v, sizeof new);
    if (was == x.missing && old == new) return false;
    *v = x.v;
    *m = (uint8_t)(x.missing ? *m | 1u << (e % 8) : *m & ~(1u << (e % 8)));
    return true;
}

/* Rates the unit at slot from the answers already in res, its rating (NULL:
 * none) and its values, and keeps the outcome. Threads rate disjoint slots. */
int kept_stand(struct app *app, struct kept *k, size_t slot, const struct kept_brief *b,
               struct rating_result *res, struct err *err)
{
    const struct scheme *s = k->s;
    struct fvalue values[SCHEME_ELEMENTS_MAX];
    kept_values(k, slot, values);
    const struct wf_kind *kind = ratings_kind(app);
    struct case_full r = {.kind = kind};
    if (b) {
        r.c.id = b->case_id;
        r.c.state = b->state;
        r.rating = (struct case_rating){.case_id = b->case_id,
                                        .target = b->target,
                                        .level = b->level,
                                        .stars = b->stars,
                                        .notice_until = b->notice_until,
                                        .named_at = b->named_at};
    }
    res->scheme = s;
    res->named = false;
    int rc = rate(s, values, b ? &r : NULL, res, err);
    if (rc) return rc;
    struct standing *x = &k->st[slot];
    x->rlevel = (uint8_t)res->r.level;
    x->named = res->named;
    x->level = (uint8_t)(res->named ? res->level : 0);
    x->won = x->rwon = x->qualified = 0;
    for (int c = 0; c < s->ncategories; c++) {
        x->won |= (uint8_t)(res->won[c] << c);
        x->rwon |= (uint8_t)(res->r.stars[c].won << c);
        x->qualified |= (uint8_t)(res->r.stars[c].qualified << c);
    }
    int state = b ? wf_state_index(kind, b->state) : 0;
    x->case_id = b ? b->case_id : 0;
    x->state = (uint8_t)(state < 0 ? 0 : state);
    x->target = (uint8_t)(b ? b->target : 0);
    snprintf(x->named_at, sizeof x->named_at, "%s", b ? b->named_at : "");
    snprintf(x->notice_until, sizeof x->notice_until, "%s", b ? b->notice_until : "");
    k->dirty[slot] = 1;
    return stopping(app, err);
}

/* No answer given yet, for the scheme's indicators and vetoes. */
void kept_answers_clear(const struct scheme *s, struct rating_result *res)
{
    memset(res->answers, 0, (size_t)s->nindicators * sizeof *res->answers);
    memset(res->vetoes, 0, (size_t)s->nvetoes * sizeof *res->vetoes);
}

/* Builds every rollup of the scheme's year, half of the elements in a
 * second thread: values_open then finds them all built. */
struct prewarm {
    struct app *app;
    const struct scheme *s;
    int parity;
};

static void *prewarm_main(void *arg)
{
    struct prewarm *w = arg;
    struct arena *a = arena_new();
    struct catalog cat;
    struct err e;
    err_clear(&e);
    struct period p = {PERIOD_YEAR, w->s->year, 0};
    if (catalog_load(w->app, a, &cat, &e) == ERR_OK)
        for (int i = w->parity; i < w->s->nelements; i += 2) {
            if (!catalog_element(&cat, w->s->elements[i])) continue;
            struct query q;
            const char *expr = arena_printf(a, "#{%s}", w->s->elements[i]);
            if (analytics_prepare(w->app, &cat, expr, &p, &q, &e) == ERR_OK)
                analytics_query_free(&q); /* the rollup stays in the cache */
        }
    arena_free(a);
    return NULL;
}

/* The newest audit record. */
static int audit_last(struct app *app, int64_t *seq, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_ratings_changed(db, "", 0, seq, NULL, NULL, err);
    store_release(app->store, db);
    return rc;
}

/* Reads the values of the elements in only[] (NULL: all) at every kept
 * unit from v; marks (mark not NULL) the units whose value moved. */
static size_t take_values(struct kept *k, const struct values *v, const bool *only, uint8_t *mark)
{
    size_t moved = 0;
    for (int e = 0; e < k->s->nelements; e++) {
        if (only && !only[e]) continue;
        for (size_t i = 0; i < k->n; i++) {
            struct fvalue x = v->have[e] ? analytics_ref_value(&v->q[e], 0, k->nodes[i])
                                         : (struct fvalue){0, true};
            if (kept_value_set(k, i, e, x) && mark && !mark[i]) {
                mark[i] = 1;
                moved++;
            }
        }
    }
    return moved;
}

/* Builds the standings for tree t from scratch. The audit seq is read
 * first and the elements' rollups dropped after it, so that every value
 * and rating written up to it is in what is read next. */
static int build(struct app *app, struct kept *k, struct tree *t, struct err *err)
{
    kept_alloc(k, t);
    int64_t seq;
    int rc = audit_last(app, &seq, err);
    if (!rc) rc = kept_key(app, k, err);
    for (int e = 0; !rc && e < k->s->nelements; e++) {
        analytics_refresh(app, k->vkey[e]);
        k->vgen[e] = analytics_generation(app, k->vkey[e]);
    }
    if (!rc && tree_count(t) >= KEPT_PARALLEL_MIN) {
        pthread_t helper;
        struct prewarm w = {app, k->s, 1}, mine = {app, k->s, 0};
        bool helped = pthread_create(&helper, NULL, prewarm_main, &w) == 0;
        prewarm_main(&mine);
        if (helped)
            pthread_join(helper, NULL);
        else
            prewarm_main(&w);
    }
    struct values v = {.a = NULL};
    if (!rc) rc = values_open(app, k->s, &v, err);
    if (!rc) rc = values_check_tree(&v, t, err);
    if (!rc) take_values(k, &v, NULL, NULL);
    values_close(&v);
    if (!rc) rc = kept_pass_all(app, k, seq, err);
    if (rc) kept_clear(k);
    return rc;
}

/* ---- bringing it up to date ---- */

/* The kept units to rate again: their slots, with whether their rating
 * row and answers are to be read again. */
struct dirty {
    struct kept *k;
    uint8_t *mark; /* by slot: 0 clean, 1 values moved, 2 rating written */
    size_t n;
};

static int dirty_unit(void *ctx, const char *unit)
{
    struct dirty *d = ctx;
    size_t slot = kept_slot_of_code(d->k, unit);
    if (slot < d->k->n && d->mark[slot] != 2) {
        d->n += d->mark[slot] == 0;
        d->mark[slot] = 2;
    }
    return 0;
}

struct one {
    struct kept_brief b;
    bool found;
    const char *unit;
    struct arena *a;
};

static int one_rating(void *ctx, const struct store_rating_brief *r)
{
    struct one *o = ctx;
    if (strcmp(r->unit, o->unit) != 0) return 1; /* a unit below it: it has none */
    o->found = true;
    o->b = (struct kept_brief){.case_id = r->case_id,
                               .state = arena_strdup(o->a, r->state),
                               .stars = arena_strdup(o->a, r->stars),
                               .notice_until = arena_strdup(o->a, r->notice_until),
                               .named_at = arena_strdup(o->a, r->named_at),
                               .target = r->target,
                               .level = r->level};
    return 1;
}

static int one_answer(void *ctx, const struct case_answer *an)
{
    struct rating_result *res = ctx;
    put_answer(res->scheme, res->answers, res->vetoes, an);
    return 0;
}

/* Reads the rating row and answers of the unit at slot, and rates it. */
static int restand(struct app *app, struct kept *k, size_t slot, struct rating_result *res,
                   struct err *err)
{
    struct one o = {.unit = tree_node(k->tree, k->nodes[slot])->code, .a = arena_new()};
    res->scheme = k->s;
    kept_answers_clear(k->s, res);
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = store_ratings_brief(db, k->s->code, o.unit, one_rating, &o, err);
    if (!rc && o.found) rc = store_answers(db, o.b.case_id, one_answer, res, err);
    db_rollback(db);
    store_release(app->store, db);
    if (!rc) rc = kept_stand(app, k, slot, o.found ? &o.b : NULL, res, err);
    arena_free(o.a);
    return rc;
}

/* The scheme's elements that writes of the audit trail name: by the
 * values written, or by the registry a computed element counts. */
struct named {
    const struct kept *k;
    bool *el;
};

static int name_elements(void *ctx, const char *action, const char *after)
{
    struct named *n = ctx;
    if (strcmp(action, "values.write") != 0) {
        const char *source = computed_changed_by(action);
        if (!source) source = cases_source_of_action(action);
        for (int e = 0; source && e < n->k->s->nelements; e++)
            if (strcmp(n->k->vkey[e], source) == 0) n->el[e] = true;
        return 0;
    }
    json_error_t je;
    json_t *items = json_loads(after, 0, &je), *item;
    size_t i;
    if (!json_is_array(items)) { /* not what data.c writes: every element, to be sure */
        for (int e = 0; e < n->k->s->nelements; e++)
            n->el[e] = true;
    }
    json_array_foreach(items, i, item)
    {
        const char *code = json_string_value(json_array_get(item, 0));
        for (int e = 0; code && e < n->k->s->nelements; e++)
            if (strcmp(n->k->s->elements[e], code) == 0) n->el[e] = true;
    }
    json_decref(items);
    return 0;
}

/* Brings k up to date: the ratings written since k->seq, and the units
 * whose values moved — of the elements written since (the audit trail) or
 * whose rollups were dropped since (a notice, or a change the trail does
 * not name). An element the trail names has its rollups dropped here
 * before they are read again: its writer's notice may still be on the
 * way, and the seq k then reflects must cover its values. */
static int catch_up(struct app *app, struct kept *k, struct err *err)
{
    struct dirty d = {.k = k, .mark = xcalloc(k->n + 1, 1)};
    int64_t seq = k->seq;
    bool el[SCHEME_ELEMENTS_MAX] = {false}, any = false;
    struct named named = {k, el};
    /* an element defined since, or become computed, is read again */
    int rc = kept_sources(app, k, el, err);
    struct db *db = store_acquire(app->store);
    if (!rc) rc = store_ratings_changed(db, k->s->code, k->seq, &seq, dirty_unit, &d, err);
    if (!rc) rc = store_writes_since(db, k->seq, seq, name_elements, &named, err);
    store_release(app->store, db);
    for (int e = 0; !rc && e < k->s->nelements; e++) {
        if (el[e]) analytics_refresh(app, k->vkey[e]);
        uint64_t gen = analytics_generation(app, k->vkey[e]);
        el[e] = el[e] || gen != k->vgen[e];
        k->vgen[e] = gen;
        any = any || el[e];
    }
    struct values v = {.a = NULL};
    if (!rc && any) rc = values_open_some(app, k->s, el, &v, err);
    if (!rc && any) rc = values_check_tree(&v, k->tree, err);
    if (!rc && any) d.n += take_values(k, &v, el, d.mark);
    values_close(&v);
    if (rc) { /* the values may be half taken: build it again */
        free(d.mark);
        return rc;
    }
    if (d.n > KEPT_ONE_BY_ONE_MAX) {
        rc = kept_pass_all(app, k, seq, err);
    } else if (d.n) {
        struct rating_result *res = xmalloc(sizeof *res);
        for (size_t i = 0; i < k->n && !rc; i++)
            if (d.mark[i]) rc = restand(app, k, i, res, err);
        free(res);
        if (!rc) k->seq = seq;
    } else {
        k->seq = seq;
    }
    free(d.mark);
    return rc;
}

/* Brings k up to date with the current tree and the writes (k->lock held
 * for writing). On failure k is cleared, and built again next time. */
static int refresh(struct app *app, struct kept *k, struct err *err)
{
    uint64_t gen = memo_generation(app->memo); /* before looking: a later write moves it */
    struct tree *t = app_tree(app);
    int rc = ERR_OK;
    if (k->tree != t) {
        /* kept across restarts: read at start, then caught up */
        bool load = !k->tree && app->rating_kept->persist;
        rc = load ? kept_load(app, k, t, err) : ERR_NOT_FOUND;
        if (rc == ERR_OK)
            rc = catch_up(app, k, err);
        else if (rc == ERR_NOT_FOUND)
            rc = build(app, k, t, err);
    } else if (k->gen != gen) {
        rc = catch_up(app, k, err);
    }
    tree_unref(t);
    if (rc)
        kept_clear(k);
    else
        k->gen = gen;
    return rc;
}

static bool fresh(struct app *app, const struct kept *k)
{
    struct tree *t = app_tree(app);
    bool yes = k->tree == t && k->gen == memo_generation(app->memo);
    tree_unref(t);
    return yes;
}

/* Takes k's read lock with k up to date; ratings_summary releases it. */
static int kept_read(struct app *app, struct kept *k, struct err *err)
{
    pthread_rwlock_rdlock(&k->lock);
    if (fresh(app, k)) return ERR_OK;
    pthread_rwlock_unlock(&k->lock);
    pthread_rwlock_wrlock(&k->lock);
    int rc = fresh(app, k) ? ERR_OK : refresh(app, k, err); /* or another thread did it */
    pthread_rwlock_unlock(&k->lock);
    if (!rc) pthread_rwlock_rdlock(&k->lock);
    return rc;
}

/* ---- summaries ---- */

int ratings_summary(struct app *app, const struct scheme *s, const struct tree *tree,
                    const char *unit,
                    int (*fn)(void *ctx, uint32_t node, const struct case_full *rating,
                              const struct rating_result *res),
                    void *ctx, struct rating_summary *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    struct kept *k = kept_of(app, s);
    if (!k) return err_set(err, ERR_INTERNAL, "scheme %s is not one of the app's", s->code);
    int rc = kept_read(app, k, err);
    if (rc) return rc;
    const struct tree *t = k->tree;
    if (tree && tree != t) { /* the tree was reloaded since the caller took it */
        pthread_rwlock_unlock(&k->lock);
        return err_set(err, ERR_BUSY, "单位刚刚更新，请稍后重试");
    }
    uint32_t lo = 0, hi = tree_count(t); /* the whole country: every unit */
    if (unit && unit[0]) {
        uint32_t root = tree_find(t, unit, strlen(unit));
        if (root == TREE_NONE) {
            pthread_rwlock_unlock(&k->lock);
            return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", unit);
        }
        lo = root;
        hi = tree_node(t, root)->post + 1;
    }
    size_t first = 0, last = k->n; /* the kept units with node in [lo, hi) */
    while (first < last) {
        size_t mid = first + (last - first) / 2;
        if (k->nodes[mid] < lo)
            first = mid + 1;
        else
            last = mid;
    }
    const struct wf_kind *kind = ratings_kind(app);
    struct rating_result *res = fn ? xcalloc(1, sizeof *res) : NULL;
    for (size_t i = first; i < k->n && k->nodes[i] < hi && !rc; i++) {
        const struct standing *x = &k->st[i];
        out->units++;
        out->declared += x->case_id != 0;
        out->targets[x->target <= SCHEME_CATEGORIES_MAX ? x->target : 0]++;
        out->named += x->named;
        out->levels[x->named ? x->level : 0]++;
        for (int c = 0; c < s->ncategories; c++) {
            out->won[c] += x->named && (x->won >> c & 1);
            out->meets_now[c] += x->qualified >> c & 1;
        }
        if (!fn) continue;
        /* what a summary tells of a unit: see ratings.h */
        const char *code = tree_node(t, k->nodes[i])->code;
        struct case_full r = {
            .c = {.id = x->case_id,
                  .kind = kind->code,
                  .unit = code,
                  .owner_unit = code,
                  .state = kind->states[x->state].code},
            .kind = kind,
            .rating = {.case_id = x->case_id,
                       .scheme = s->code,
                       .unit = code,
                       .target = x->target,
                       .level = x->named ? x->level : -1,
                       .stars = "",
                       .named_at = x->named_at,
                       .notice_until = x->notice_until},
        };
        res->scheme = s;
        res->named = x->named;
        res->level = x->named ? x->level : x->rlevel;
        res->r.level = x->rlevel;
        for (int c = 0; c < s->ncategories; c++) {
            res->won[c] = x->won >> c & 1;
            res->r.stars[c].won = x->rwon >> c & 1;
            res->r.stars[c].qualified = x->qualified >> c & 1;
        }
        rc = fn(ctx, k->nodes[i], x->case_id ? &r : NULL, res);
    }
    pthread_rwlock_unlock(&k->lock);
    free(res);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- warming at start ---- */

static int64_t ms_of(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *warm_main(void *arg)
{
    struct app *app = arg;
    struct rating_kept *rk = app->rating_kept;
    /* the schemes with the most units first: the ones people look at */
    int order[64], n = rk->n < 64 ? rk->n : 64;
    size_t units[64] = {0};
    struct tree *t = app_tree(app);
    for (int i = 0; i < n; i++) {
        order[i] = i;
        for (uint32_t u = 0; u < tree_count(t); u++)
            units[i] += scheme_applies(rk->k[i].s, tree_node(t, u)->kind);
    }
    tree_unref(t);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && units[order[j]] > units[order[j - 1]]; j--) {
            int x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    for (int i = 0; i < n && !atomic_load(&rk->stop); i++) {
        struct kept *k = &rk->k[order[i]];
        struct err e;
        err_clear(&e);
        int64_t t0 = ms_of(CLOCK_MONOTONIC), c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID);
        int rc = kept_read(app, k, &e);
        if (rc) {
            if (!atomic_load(&rk->stop))
                log_msg(LOG_WARN, "ratings.warm", "scheme=%s error=%s", k->s->code, e.msg);
            continue;
        }
        size_t kept = k->n;
        pthread_rwlock_unlock(&k->lock);
        log_msg(LOG_INFO, "ratings.warm", "scheme=%s units=%zu ms=%lld cpu_ms=%lld", k->s->code,
                kept, (long long)(ms_of(CLOCK_MONOTONIC) - t0),
                (long long)(ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0));
    }
    /* then write what changed at intervals (and, once, what was built);
     * the last write is ratings_kept_free's, at a clean stop */
    pthread_mutex_lock(&rk->mu);
    while (!atomic_load(&rk->stop)) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += rk->save_every_s;
        pthread_cond_timedwait(&rk->cv, &rk->mu, &until);
        if (atomic_load(&rk->stop)) break;
        pthread_mutex_unlock(&rk->mu);
        save_all(app, false);
        pthread_mutex_lock(&rk->mu);
    }
    pthread_mutex_unlock(&rk->mu);
    return NULL;
}

void ratings_warm(struct app *app)
{
    struct rating_kept *rk = app->rating_kept;
    if (!rk || rk->warming) return;
    rk->persist = true;
    rk->save_every_s = app->cfg.ratings_save > 0 ? app->cfg.ratings_save : 60;
    rk->warming = pthread_create(&rk->warm, NULL, warm_main, app) == 0;
}
