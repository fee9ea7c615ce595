/* analytics.c — rollups over the tree and formula evaluation (analytics.h). */
#include "app/computed_sources.h"
#include "app/analytics.h"
#include "app/events.h"
#include "app/health.h"
#include "app/memo.h"
#include "base/clock.h"
#include "app/people.h"
#include "base/mem.h"
#include "core/rollup.h"
#include "store/store.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_BYTES_MAX ((size_t)512 << 20)

struct rollup {
    atomic_int refs;
    char element[ELEMENT_CODE_MAX + 1];
    char source[16]; /* a computed element's registry source (people.h), else "" */
    char day[11];    /* a computed element's: the day it was counted (it holds for that day) */
    char lo[PERIOD_TEXT_MAX], hi[PERIOD_TEXT_MAX];
    struct tree *tree; /* the tree the arrays are indexed by (referenced) */
    uint64_t last_used;
    size_t n;
    double *own_sum, *sub_sum;
    uint32_t *own_count, *sub_count;
};

/* Per-element write generations: a rollup built while a write landed is
 * returned but not cached. */
struct generation {
    char element[ELEMENT_CODE_MAX + 1];
    uint64_t gen;
};

struct analytics {
    pthread_mutex_t mu;
    struct rollup **entries;
    size_t n, cap, bytes;
    uint64_t clock;
    struct generation *gens;
    size_t ngens, capgens;
};

int analytics_init(struct app *app, struct err *err)
{
    (void)err;
    app->analytics = xcalloc(1, sizeof *app->analytics);
    pthread_mutex_init(&app->analytics->mu, NULL);
    return ERR_OK;
}

static void rollup_release(struct rollup *r)
{
    if (!r || atomic_fetch_sub(&r->refs, 1) != 1) return;
    tree_unref(r->tree);
    free(r->own_sum);
    free(r->sub_sum);
    free(r->own_count);
    free(r->sub_count);
    free(r);
}

static size_t rollup_bytes(const struct rollup *r)
{
    return sizeof *r + r->n * (2 * sizeof(double) + 2 * sizeof(uint32_t));
}

void analytics_free(struct app *app)
{
    struct analytics *an = app->analytics;
    if (!an) return;
    for (size_t i = 0; i < an->n; i++)
        rollup_release(an->entries[i]);
    free(an->entries);
    free(an->gens);
    pthread_mutex_destroy(&an->mu);
    free(an);
    app->analytics = NULL;
}

/* The generation slot of an element (created at 0). Caller holds mu. */
static uint64_t *generation(struct analytics *an, const char *element)
{
    for (size_t i = 0; i < an->ngens; i++)
        if (strcmp(an->gens[i].element, element) == 0) return &an->gens[i].gen;
    if (an->ngens == an->capgens) {
        an->capgens = an->capgens ? an->capgens * 2 : 16;
        an->gens = xrealloc(an->gens, an->capgens * sizeof *an->gens);
    }
    struct generation *g = &an->gens[an->ngens++];
    snprintf(g->element, sizeof g->element, "%s", element);
    g->gen = 0;
    return &g->gen;
}

static void drop_entry(struct analytics *an, size_t i)
{
    an->bytes -= rollup_bytes(an->entries[i]);
    rollup_release(an->entries[i]);
    an->entries[i] = an->entries[--an->n];
}

void analytics_invalidate(struct app *app, const char *element)
{
    /* duties count organisations and memberships as well as events */
    if (strcmp(element, "@party_orgs") == 0 || strcmp(element, "@memberships") == 0)
        analytics_invalidate(app, EVENTS_CHANGED);
    /* residents' households (and imported persons) count in health's key groups */
    if (strcmp(element, PEOPLE_MEMBERSHIPS_CHANGED) == 0) analytics_refresh(app, HEALTH_CHANGED);
    if (strcmp(element, EVENTS_CHANGED) == 0) events_changed(app);
    memo_bump(app->memo); /* what was computed from the element's values */
    analytics_refresh(app, element);
}

void analytics_refresh(struct app *app, const char *element)
{
    struct analytics *an = app->analytics;
    pthread_mutex_lock(&an->mu);
    ++*generation(an, element);
    for (size_t i = 0; i < an->n;)
        if (strcmp(an->entries[i]->element, element) == 0 ||
            strcmp(an->entries[i]->source, element) == 0)
            drop_entry(an, i);
        else
            i++;
    pthread_mutex_unlock(&an->mu);
}

const char *analytics_source_key(const struct element *e)
{
    /* a computed element's rollups go stale with its source, not its values */
    return e->computed ? computed_changed(e->computed) : e->code;
}

uint64_t analytics_generation(struct app *app, const char *key)
{
    struct analytics *an = app->analytics;
    pthread_mutex_lock(&an->mu);
    uint64_t gen = *generation(an, key);
    pthread_mutex_unlock(&an->mu);
    return gen;
}

void analytics_invalidate_all(struct app *app)
{
    memo_bump(app->memo);
    events_changed(app);
    struct analytics *an = app->analytics;
    pthread_mutex_lock(&an->mu);
    for (size_t i = 0; i < an->ngens; i++) /* rollups being built are not kept */
        an->gens[i].gen++;
    while (an->n)
        drop_entry(an, an->n - 1);
    pthread_mutex_unlock(&an->mu);
}

void analytics_stats(struct app *app, size_t *entries, size_t *bytes)
{
    pthread_mutex_lock(&app->analytics->mu);
    *entries = app->analytics->n;
    *bytes = app->analytics->bytes;
    pthread_mutex_unlock(&app->analytics->mu);
}

/* ---- building ---- */

/* The node of code, looked for first just after the previous value's:
 * values come by period and unit code, which is the tree's order, so the
 * next unit is a step or two on (past a township or county node) and the
 * hash (a cache miss or two per value over a national tree) is the
 * fallback. Retired units are found too: their values are history. */
static uint32_t find_near(const struct tree *t, uint32_t *hint, const char *code, size_t len)
{
    uint32_t n = tree_count(t);
    for (uint32_t i = *hint, k = 0; i < n && k < 4; i++, k++) {
        const char *c = tree_node(t, i)->code;
        if (strncmp(c, code, len) == 0 && c[len] == '\0') return *hint = i;
    }
    uint32_t i = tree_find_any(t, code, len);
    if (i != TREE_NONE) *hint = i;
    return i;
}

struct building {
    struct rollup *r;
    uint32_t hint;
};

static int add_value(void *ctx, const char *unit, size_t len, double v)
{
    struct building *b = ctx;
    uint32_t i = find_near(b->r->tree, &b->hint, unit, len);
    if (i == TREE_NONE) return 0; /* not in the tree at all; retired units' values are history */
    b->r->own_sum[i] += v;
    b->r->own_count[i]++;
    return 0;
}

/* The last day of period p, "YYYY-MM-DD": when a computed element counts. */
static void period_last_day(const struct period *p, char out[11])
{
    char start[11], next[11];
    int32_t day = 0;
    period_dates(p, start, next);
    tree_day_parse(next, &day);
    tree_day_format(day - 1, out);
}

static int rollup_build(struct app *app, struct tree *t, const struct element *e,
                        const struct period *p, const char *lo, const char *hi, struct rollup **out,
                        struct err *err)
{
    const char *element = e->code;
    struct rollup *r = xcalloc(1, sizeof *r);
    atomic_init(&r->refs, 1);
    snprintf(r->element, sizeof r->element, "%s", element);
    if (e->computed) {
        snprintf(r->source, sizeof r->source, "%s", computed_changed(e->computed));
        clock_today(r->day, 0); /* a running period counts by today (core/duty.h) */
    }
    snprintf(r->lo, sizeof r->lo, "%s", lo);
    snprintf(r->hi, sizeof r->hi, "%s", hi);
    tree_ref(t);
    r->tree = t;
    r->n = tree_count(t);
    size_t n = r->n ? r->n : 1;
    r->own_sum = xcalloc(n, sizeof *r->own_sum);
    r->sub_sum = xmalloc(n * sizeof *r->sub_sum);
    r->own_count = xcalloc(n, sizeof *r->own_count);
    r->sub_count = xmalloc(n * sizeof *r->sub_count);
    struct building b = {r, 0};
    int rc;
    if (e->computed) {
        /* counted from the registry as of the period's last day (people.h) */
        char day[11], start[11], next[11];
        period_last_day(p, day);
        period_dates(p, start, next);
        rc = computed_counts(app, e->computed, start, next, day, add_value, &b, err);
    } else {
        struct db *db = store_acquire(app->store);
        rc = store_values_scan(db, element, lo, hi, add_value, &b, err);
        store_release(app->store, db);
    }
    if (rc) {
        rollup_release(r);
        return rc;
    }
    rollup_pass(t, r->own_sum, r->own_count, r->sub_sum, r->sub_count);
    *out = r;
    return ERR_OK;
}

/* A cached rollup, or a new one (cached unless a write raced it). */
static int rollup_get(struct app *app, struct tree *t, const struct element *e,
                      const struct period *p, const char *lo, const char *hi, struct rollup **out,
                      struct err *err)
{
    const char *element = e->code;
    const char *gen_key = analytics_source_key(e);
    struct analytics *an = app->analytics;
    char today[11] = "";
    if (e->computed) clock_today(today, 0);
    pthread_mutex_lock(&an->mu);
    for (size_t i = 0; i < an->n; i++) {
        struct rollup *r = an->entries[i];
        if (r->tree == t && strcmp(r->element, element) == 0 && strcmp(r->lo, lo) == 0 &&
            strcmp(r->hi, hi) == 0 && strcmp(r->day, today) == 0) {
            atomic_fetch_add(&r->refs, 1);
            r->last_used = ++an->clock;
            pthread_mutex_unlock(&an->mu);
            *out = r;
            return ERR_OK;
        }
    }
    uint64_t gen = *generation(an, gen_key);
    pthread_mutex_unlock(&an->mu);

    struct rollup *r;
    int rc = rollup_build(app, t, e, p, lo, hi, &r, err);
    if (rc) return rc;
    pthread_mutex_lock(&an->mu);
    if (*generation(an, gen_key) == gen) {
        /* Evict the least recently used (and rollups of older trees) to make room. */
        while (an->n && an->bytes + rollup_bytes(r) > CACHE_BYTES_MAX) {
            size_t old = 0;
            for (size_t i = 1; i < an->n; i++)
                if (an->entries[i]->last_used < an->entries[old]->last_used) old = i;
            drop_entry(an, old);
        }
        for (size_t i = 0; i < an->n;)
            if (an->entries[i]->tree != t)
                drop_entry(an, i);
            else
                i++;
        if (an->n == an->cap) {
            an->cap = an->cap ? an->cap * 2 : 16;
            an->entries = xrealloc(an->entries, an->cap * sizeof *an->entries);
        }
        atomic_fetch_add(&r->refs, 1);
        r->last_used = ++an->clock;
        an->entries[an->n++] = r;
        an->bytes += rollup_bytes(r);
    }
    pthread_mutex_unlock(&an->mu);
    *out = r;
    return ERR_OK;
}

/* ---- queries ---- */

int analytics_prepare(struct app *app, const struct catalog *cat, const char *expr,
                      const struct period *p, struct query *q, struct err *err)
{
    memset(q, 0, sizeof *q);
    int rc = formula_compile(expr, strlen(expr), &q->f, err);
    if (rc) return rc;
    q->nrefs = formula_nrefs(q->f);
    q->boolean = formula_is_boolean(q->f);
    q->rollups = xcalloc(q->nrefs + 1, sizeof *q->rollups);
    q->elements = xcalloc(q->nrefs + 1, sizeof *q->elements);
    q->tree = app_tree(app);
    for (size_t i = 0; i < q->nrefs && !rc; i++) {
        const char *code = formula_ref(q->f, i);
        const struct element *e = catalog_element(cat, code);
        if (!e) {
            rc = err_set(err, ERR_INVALID, "公式引用了不存在的数据元 %s", code);
            break;
        }
        q->elements[i] = e;
        char lo[PERIOD_TEXT_MAX], hi[PERIOD_TEXT_MAX];
        if (e->computed) {
            /* a count on the period's last day answers for any period */
            period_format(p, lo);
            memcpy(hi, lo, sizeof hi);
        } else if ((rc = period_range(p, e->period_type, lo, hi, err))) {
            err_wrap(err, "%s", e->name);
            break;
        }
        rc = rollup_get(app, q->tree, e, p, lo, hi, &q->rollups[i], err);
    }
    if (rc) analytics_query_free(q);
    return rc;
}

void analytics_query_free(struct query *q)
{
    for (size_t i = 0; q->rollups && i < q->nrefs; i++)
        rollup_release(q->rollups[i]);
    free(q->rollups);
    free(q->elements);
    formula_free(q->f);
    tree_unref(q->tree);
    memset(q, 0, sizeof *q);
}

/* An element's value at node i by its aggregation. */
static struct fvalue element_value(const struct rollup *r, const struct element *e, uint32_t i)
{
    struct fvalue v;
    v.v = rollup_value(e->aggregation, r->own_sum[i], r->own_count[i], r->sub_sum[i],
                       r->sub_count[i], &v.missing);
    return v;
}

struct fvalue analytics_eval(const struct query *q, uint32_t i)
{
    struct fvalue stack_refs[16];
    struct fvalue *refs = q->nrefs <= 16 ? stack_refs : xmalloc(q->nrefs * sizeof *refs);
    for (size_t k = 0; k < q->nrefs; k++)
        refs[k] = element_value(q->rollups[k], q->elements[k], i);
    struct fvalue v = formula_eval(q->f, q->nrefs ? refs : NULL);
    if (refs != stack_refs) free(refs);
    return v;
}

struct fvalue analytics_ref_value(const struct query *q, size_t k, uint32_t i)
{
    struct fvalue v = element_value(q->rollups[k], q->elements[k], i);
    if (!isfinite(v.v)) v = (struct fvalue){0, true}; /* as formula_eval treats its inputs */
    if (v.v == 0) v.v = 0;                            /* and never -0 */
    return v;
}

bool analytics_same_rollup(const struct query *a, const struct query *b, size_t k)
{
    return k < a->nrefs && k < b->nrefs && a->rollups[k] == b->rollups[k];
}
