/*
 * tree_search.c — finding units by a part of their name (tree.h,
 * tree_search), without scanning every name.
 *
 * When a tree is built, every name is cut into its characters (code
 * points) and its pairs of neighbouring characters, and each of those keys
 * gets a posting list: the indexes of the units whose name holds it, in
 * ascending (pre-order) order. A query of one character reads that
 * character's list; a longer one reads the shortest list among its pairs
 * and checks each candidate's name, so "郝庄" over the national tree looks
 * at the few hundred names holding 郝庄, not at 665,276. Because the lists
 * are in pre-order, a subtree [from, last] is a binary search away.
 *
 * Retired units (tree.h, "History") are indexed but never returned.
 *
 * A cursor (tree_query.h) keeps the list chosen for a text and its place
 * in it, so a caller asking again with a later `from` gallops on from
 * there instead of hashing and bisecting anew: several words checked
 * against each other move forward through their lists together.
 *
 * Each unit also has a signature of the characters on its path (a bit per
 * character's hash, 64 bits): a word with a character whose bit is
 * missing is on no name of the path, which a query knows without reading
 * the unit or its names (tree_query.c rejects most candidates so).
 *
 * Memory: about 4 postings per name (uint32) plus a hash of the distinct
 * keys, and 8 bytes a unit for the signatures. Codes (a query of digits) need no index: codes
 * sorted are the pre-order, so a code prefix is a binary search too.
 */
#include "core/tree.h"
#include "base/mem.h"
#include "core/tree_query.h"

#include <stdlib.h>
#include <string.h>

#define NAME_CHARS_MAX UNIT_NAME_MAX /* a name has at most as many characters as bytes */

struct key_slot {
    uint64_t key;   /* 0 = empty */
    uint32_t start; /* into postings */
    uint32_t count;
};

struct tree_names {
    struct key_slot *slots;
    uint32_t mask;
    uint32_t *postings;
    uint64_t *paths; /* per unit, the characters of every name on its path (tree_path_sig) */
};

/* The code points of s[0..n); bytes that are not UTF-8 count as their own
 * points above Unicode, so any text can be indexed and matched. */
static size_t code_points(const char *s, size_t n, uint32_t *out, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    for (size_t i = 0; i < n && k < max;) {
        uint32_t c = p[i];
        size_t len = c < 0x80             ? 1
                     : (c & 0xE0) == 0xC0 ? 2
                     : (c & 0xF0) == 0xE0 ? 3
                     : (c & 0xF8) == 0xF0 ? 4
                                          : 0;
        bool ok = len && i + len <= n;
        for (size_t j = 1; ok && j < len; j++)
            ok = (p[i + j] & 0xC0) == 0x80;
        if (!ok) {
            out[k++] = 0x110000u + c;
            i++;
            continue;
        }
        if (len > 1) c &= 0x7F >> len;
        for (size_t j = 1; j < len; j++)
            c = (c << 6) | (p[i + j] & 0x3F);
        out[k++] = c;
        i += len;
    }
    return k;
}

/* A character's key, and a pair's (never 0: keys start at 1). */
static uint64_t one(uint32_t a)
{
    return (uint64_t)a + 1;
}

static uint64_t two(uint32_t a, uint32_t b)
{
    return ((uint64_t)1 << 63) | ((uint64_t)a << 22) | b;
}

static uint32_t slot_of(const struct tree_names *x, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    uint32_t i = (uint32_t)(h >> 32) & x->mask;
    while (x->slots[i].key && x->slots[i].key != key)
        i = (i + 1) & x->mask;
    return i;
}

/* The distinct keys of one name. */
static size_t name_keys(const char *name, size_t len, uint64_t *keys)
{
    uint32_t cp[NAME_CHARS_MAX];
    size_t n = code_points(name, len, cp, NAME_CHARS_MAX), k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t pair[2] = {one(cp[i]), i + 1 < n ? two(cp[i], cp[i + 1]) : 0};
        for (int j = 0; j < 2 && pair[j]; j++) {
            size_t d = 0;
            while (d < k && keys[d] != pair[j])
                d++;
            if (d == k) keys[k++] = pair[j];
        }
    }
    return k;
}

/* Counts the keys of every name (pass 0), then fills the postings
 * (pass 1), each name's keys once, in pre-order. */
static void each_key(struct tree_names *x, const struct tree *t, int pass)
{
    uint64_t keys[2 * NAME_CHARS_MAX];
    for (uint32_t i = 0; i < t->count; i++) {
        const struct tree_node *n = &t->nodes[i];
        size_t k = name_keys(t->names + n->name, n->name_len, keys);
        for (size_t j = 0; j < k; j++) {
            struct key_slot *s = &x->slots[slot_of(x, keys[j])];
            if (pass == 0) {
                s->key = keys[j];
                s->count++;
            } else {
                x->postings[s->start + s->count++] = i;
            }
        }
    }
}

struct tree_names *tree_names_build(const struct tree *t)
{
    struct tree_names *x = xcalloc(1, sizeof *x);
    size_t slots = 1024;
    while (slots < (size_t)t->count * 2)
        slots *= 2;
    x->slots = xcalloc(slots, sizeof *x->slots);
    x->mask = (uint32_t)(slots - 1);
    each_key(x, t, 0);
    uint32_t total = 0;
    for (size_t i = 0; i < slots; i++) {
        x->slots[i].start = total;
        total += x->slots[i].count;
        x->slots[i].count = 0;
    }
    x->postings = xmalloc((total ? total : 1) * sizeof *x->postings);
    each_key(x, t, 1);
    /* pre-order: a parent's signature is there before its children's */
    x->paths = xmalloc((t->count ? t->count : 1) * sizeof *x->paths);
    for (uint32_t i = 0; i < t->count; i++) {
        const struct tree_node *n = &t->nodes[i];
        x->paths[i] = tree_text_sig(t->names + n->name, n->name_len) |
                      (n->parent == TREE_NONE ? 0 : x->paths[n->parent]);
    }
    return x;
}

uint64_t tree_text_sig(const char *s, size_t len)
{
    uint32_t cp[NAME_CHARS_MAX];
    size_t n = code_points(s, len, cp, NAME_CHARS_MAX);
    uint64_t sig = 0;
    for (size_t i = 0; i < n; i++)
        sig |= (uint64_t)1 << ((cp[i] * 0x9E3779B1u) >> 26);
    return sig;
}

uint64_t tree_path_sig(const struct tree *t, uint32_t i)
{
    return t->search->paths[i];
}

void tree_names_free(struct tree_names *x)
{
    if (!x) return;
    free(x->slots);
    free(x->postings);
    free(x->paths);
    free(x);
}

/* First position in list[0..n) holding a value >= v. */
static uint32_t lower_bound(const uint32_t *list, uint32_t n, uint32_t v)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (list[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool all_digits(const char *q, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (q[i] < '0' || q[i] > '9') return false;
    return n > 0;
}

/* The first unit in [from, last] whose code starts with q: codes sorted
 * are the pre-order, so those units are one contiguous run. */
static uint32_t by_code(const struct tree *t, uint32_t from, uint32_t last, const char *q,
                        size_t qlen)
{
    uint32_t lo = from, hi = last + 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strncmp(t->nodes[mid].code, q, qlen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo <= last && strncmp(t->nodes[lo].code, q, qlen) == 0; lo++)
        if (!(t->nodes[lo].flags & TREE_RETIRED)) return lo; /* current units only */
    return TREE_NONE;
}

/* First position in list[0..n) holding a value >= v, searched forward
 * from `at` (a place known to be at or before it) by doubling steps:
 * cheap when v is near, as it is for a cursor moving forward. */
static uint32_t gallop(const uint32_t *list, uint32_t n, uint32_t at, uint32_t v)
{
    if (at > n || (at > 0 && list[at - 1] >= v)) return lower_bound(list, n, v);
    size_t lo = at, hi = at, step = 1;
    while (hi < n && list[hi] < v) {
        lo = hi + 1;
        hi = lo + step;
        step *= 2;
    }
    size_t end = hi < n ? hi : n;
    return (uint32_t)lo + lower_bound(list + lo, (uint32_t)(end - lo), v);
}

void tree_cursor_init(const struct tree *t, struct tree_cursor *c, const char *q, size_t qlen)
{
    memset(c, 0, sizeof *c);
    c->q = q;
    c->qlen = qlen;
    c->code = all_digits(q, qlen);
    if (c->code || !qlen) return;
    uint32_t cp[NAME_CHARS_MAX + 1];
    size_t n = code_points(q, qlen, cp, NAME_CHARS_MAX + 1);
    if (n > NAME_CHARS_MAX) return; /* longer than any name: no list, no match */
    c->check = n > 2;
    /* the shortest posting list among the query's pairs (or its one character) */
    const struct key_slot *best = NULL;
    for (size_t i = 0; i < (n > 1 ? n - 1 : 1); i++) {
        const struct key_slot *s =
            &t->search->slots[slot_of(t->search, n > 1 ? two(cp[i], cp[i + 1]) : one(cp[0]))];
        if (!s->key) return; /* no name holds it */
        if (!best || s->count < best->count) best = s;
    }
    if (!best) return; /* an empty text (not reached: qlen > 0) */
    c->list = t->search->postings + best->start;
    c->count = best->count;
}

uint32_t tree_cursor_next(const struct tree *t, struct tree_cursor *c, uint32_t from, uint32_t last)
{
    if (!t->count || from >= t->count || !c->qlen) return TREE_NONE;
    if (last >= t->count) last = t->count - 1;
    if (from > last) return TREE_NONE;
    if (c->code) return by_code(t, from, last, c->q, c->qlen);
    if (!c->list) return TREE_NONE;
    c->at = gallop(c->list, c->count, c->at, from);
    for (uint32_t k = c->at; k < c->count && c->list[k] <= last; k++) {
        const struct tree_node *node = &t->nodes[c->list[k]];
        if (t->gone && (node->flags & TREE_RETIRED)) continue; /* current units only */
        if (!c->check || memmem(t->names + node->name, node->name_len, c->q, c->qlen)) {
            c->at = k;
            return c->list[k];
        }
    }
    return TREE_NONE;
}

uint32_t tree_search(const struct tree *t, uint32_t from, uint32_t last, const char *q, size_t qlen)
{
    struct tree_cursor c;
    tree_cursor_init(t, &c, q, qlen);
    return tree_cursor_next(t, &c, from, last);
}
