/*
 * tree_history.c — the tree over time (tree.h, "History"): which units
 * existed during a span of days, and the names they had.
 *
 * Only units with a dated life (added by a division change, renamed,
 * retired) carry anything here: a sorted array of lives, one per such
 * unit, found by binary search on the unit's index, and their former
 * names in one array, each unit's oldest first. A unit without a life has
 * held its current name since before the records and is current. The
 * lifetime of a unit is the union of its former names' spans and its
 * current span [since, retired); spans of one unit never overlap (the
 * store closes one where the next begins).
 */
#include "core/tree_int.h"
#include "core/civil.h"
#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

/* ---- days ---- */

bool tree_day_parse(const char *s, int32_t *day)
{
    int y, m, d;
    if (!civil_parse(s, &y, &m, &d) || y < 1900) return false;
    *day = (int32_t)civil_days(y, m, d);
    return true;
}

void tree_day_format(int32_t day, char out[11])
{
    civil_format(day, out);
}

/* ---- building ---- */

static int past_cmp(const void *a, const void *b)
{
    const struct tree_past_in *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->to > y->to) - (x->to < y->to);
}

int tree_history_build(struct tree *t, const int32_t *since, const int32_t *retired,
                       struct tree_past_in *past, size_t npast, struct err *err)
{
    if (npast) qsort(past, npast, sizeof *past, past_cmp);
    uint32_t retired_count = 0, dated = 0;
    for (uint32_t i = 0; i < t->count; i++) {
        retired_count += (t->nodes[i].flags & TREE_RETIRED) != 0;
        dated += since[i] != TREE_DAY_FIRST || retired[i] != TREE_DAY_LAST;
    }
    for (size_t k = 0; k < npast; k++) {
        if (tree_find_any(t, past[k].code, strlen(past[k].code)) == TREE_NONE)
            return err_set(err, ERR_INVALID, "单位 %s 的曾用名“%.*s”没有对应的单位", past[k].code,
                           (int)past[k].name_len, t->names + past[k].name);
        dated += k == 0 || strcmp(past[k].code, past[k - 1].code) != 0;
    }
    t->current = t->count - retired_count;
    if (retired_count) {
        t->gone = xmalloc(((size_t)t->count + 1) * sizeof *t->gone);
        t->gone[0] = 0;
        for (uint32_t i = 0; i < t->count; i++)
            t->gone[i + 1] = t->gone[i] + ((t->nodes[i].flags & TREE_RETIRED) != 0);
    }
    if (!dated) return ERR_OK;
    t->lives = xcalloc(dated, sizeof *t->lives);
    t->past = xmalloc((npast ? npast : 1) * sizeof *t->past);
    /* Units in index order and former names in code order walk together:
     * codes sorted are the pre-order. */
    size_t k = 0;
    for (uint32_t i = 0; i < t->count; i++) {
        uint32_t first = (uint32_t)k;
        while (k < npast && strcmp(past[k].code, t->nodes[i].code) == 0) {
            t->past[k] = (struct tree_past){past[k].from, past[k].to, past[k].name,
                                            past[k].name_len, past[k].kind};
            k++;
        }
        if (since[i] == TREE_DAY_FIRST && retired[i] == TREE_DAY_LAST && k == first) continue;
        t->nodes[i].flags |= TREE_DATED;
        t->lives[t->nlives++] =
            (struct tree_life){i, since[i], retired[i], first, (uint32_t)k - first};
    }
    return ERR_OK;
}

void tree_history_free(struct tree *t)
{
    free(t->lives);
    free(t->past);
    free(t->gone);
}

/* ---- queries ---- */

static const struct tree_life *life_of(const struct tree *t, uint32_t i)
{
    if (!(t->nodes[i].flags & TREE_DATED)) return NULL;
    uint32_t lo = 0, hi = t->nlives;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->lives[mid].node < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->nlives && t->lives[lo].node == i ? &t->lives[lo] : NULL;
}

static bool overlaps(int32_t a, int32_t b, int32_t from, int32_t to)
{
    return a < to && from < b;
}

/* A former name's span starts where the one before it ended (or, for the
 * first, where its own `from` says). */
bool tree_alive_in(const struct tree *t, uint32_t i, int32_t from, int32_t to)
{
    const struct tree_life *l = life_of(t, i);
    if (!l) return !(t->nodes[i].flags & TREE_RETIRED);
    if (overlaps(l->since, l->retired, from, to)) return true;
    for (uint32_t k = 0; k < l->npast; k++) {
        const struct tree_past *p = &t->past[l->first + k];
        if (overlaps(p->from, p->to, from, to)) return true;
    }
    return false;
}

static uint32_t alive_from(const struct tree *t, uint32_t j, uint32_t parent, int32_t from,
                           int32_t to)
{
    for (; j < t->count && t->nodes[j].parent == parent; j = t->nodes[j].post + 1)
        if (tree_alive_in(t, j, from, to)) return j;
    return TREE_NONE;
}

uint32_t tree_first_child_in(const struct tree *t, uint32_t i, int32_t from, int32_t to)
{
    return t->nodes[i].post > i ? alive_from(t, i + 1, i, from, to) : TREE_NONE;
}

uint32_t tree_next_sibling_in(const struct tree *t, uint32_t i, int32_t from, int32_t to)
{
    return alive_from(t, t->nodes[i].post + 1, t->nodes[i].parent, from, to);
}

const char *tree_name_in(const struct tree *t, uint32_t i, int32_t from, int32_t to, size_t *len,
                         int *kind)
{
    const struct tree_life *l = life_of(t, i);
    const struct tree_node *n = &t->nodes[i];
    const struct tree_past *best = NULL;
    if (l && !overlaps(l->since, l->retired, from, to))
        for (uint32_t k = 0; k < l->npast; k++) { /* oldest first: the last one overlapping */
            const struct tree_past *p = &t->past[l->first + k];
            if (overlaps(p->from, p->to, from, to)) best = p;
        }
    if (len) *len = best ? best->name_len : n->name_len;
    if (kind) *kind = best ? best->kind : n->kind;
    return t->names + (best ? best->name : n->name);
}

int32_t tree_retired_on(const struct tree *t, uint32_t i)
{
    const struct tree_life *l = life_of(t, i);
    return l ? l->retired : TREE_DAY_LAST;
}

int32_t tree_since(const struct tree *t, uint32_t i)
{
    const struct tree_life *l = life_of(t, i);
    return l ? l->since : TREE_DAY_FIRST;
}
