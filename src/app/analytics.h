/*
 * analytics.h — data elements and formulas rolled up the tree (engine 6).
 *
 * A rollup holds, for one element and one period range, four arrays over
 * the tree in DFS order: the unit's own sum and count of values, and the
 * same over its whole subtree, filled by one bottom-up pass (children come
 * after their parent, so a reverse scan adds each subtree into its parent).
 * Rollups are cached and shared; a write to an element drops its rollups.
 *
 * Following DHIS2, a formula over a subtree is evaluated on the elements'
 * aggregates (each by its own aggregation: sum, average, or none = the
 * unit's own value), so a rate is Σnumerator / Σdenominator.
 */
#ifndef JICENG_ANALYTICS_H
#define JICENG_ANALYTICS_H

#include "app/data.h"
#include "core/formula.h"

struct analytics;

int analytics_init(struct app *app, struct err *err);
void analytics_free(struct app *app);
/* Drops the cached rollups of this element. */
void analytics_invalidate(struct app *app, const char *element);
/* Drops the cached rollups of this element without telling the memo: the
 * next prepare reads the values committed by now (rating_results.c, which
 * learnt of a write from the audit trail before its notice came). */
void analytics_refresh(struct app *app, const char *element);
/* A count that moves whenever the rollups of what `key` names are dropped:
 * an element's code, or a registry (analytics_source_key). */
uint64_t analytics_generation(struct app *app, const char *key);
/* What element e's rollups are computed from, whose writes drop them: its
 * own values (its code), or for a computed element its registry (people.h). */
const char *analytics_source_key(const struct element *e);
/* Drops every cached rollup (changes of another process may have been missed). */
void analytics_invalidate_all(struct app *app);

/* A formula ready to evaluate at any unit of the tree for one period. */
struct query {
    struct formula *f;
    struct rollup **rollups; /* one per formula reference */
    const struct element **elements;
    size_t nrefs;
    struct tree *tree; /* referenced */
    bool boolean;      /* a yes/no formula */
};

/* Compiles expr (errors carry the column), resolves its elements in the
 * catalogue and fetches (or builds) their rollups for period p. */
int analytics_prepare(struct app *app, const struct catalog *cat, const char *expr,
                      const struct period *p, struct query *q, struct err *err);
void analytics_query_free(struct query *q);
/* The formula's value at tree node i. */
struct fvalue analytics_eval(const struct query *q, uint32_t i);
/* The value of the formula's k-th reference (an element, by its
 * aggregation) at node i, without evaluating the formula: for queries
 * that are one "#{element}", what analytics_eval gives, cheaper. */
struct fvalue analytics_ref_value(const struct query *q, size_t k, uint32_t i);
/* Whether two queries read the same rollup for their k-th reference: false
 * once a write to its element (or a new tree) replaced it. */
bool analytics_same_rollup(const struct query *a, const struct query *b, size_t k);

/* Statistics of the cache, for the health endpoint and benchmarks. */
void analytics_stats(struct app *app, size_t *entries, size_t *bytes);

#endif
