/*
 * tree_query.c — several words matched along the path, levels, a subtree
 * (tree_query.h).
 *
 * S(w), the units whose path holds word w, is a union of subtrees: those
 * of the units whose own name holds w. If a unit u is not in S(w), the
 * next unit of S(w) after u is the next unit holding w (an ancestor of a
 * later unit that held w would be an ancestor of u too). So the search
 * takes the next unit whose own name holds a word (a candidate, from the
 * name index), checks every word against the candidate's path (at most
 * UNIT_LEVEL_COUNT names), and on a miss jumps to the next unit holding the
 * missing word. Each step moves past at least one posting of some word,
 * and most steps are a binary search.
 */
#include "core/tree_query.h"

#include <string.h>

/* The separators between words, as UTF-8. */
static size_t separator(const unsigned char *p, size_t n)
{
    static const char *const seps[] = {"\xE3\x80\x80" /* U+3000 */, "\xE2\x80\xBA" /* › */,
                                       "\xEF\xBC\x8C" /* ， */, "\xE3\x80\x81" /* 、 */};
    if (*p == ' ' || *p == '\t' || *p == ',' || *p == '/' || *p == '>') return 1;
    for (size_t k = 0; k < sizeof seps / sizeof *seps; k++)
        if (n >= 3 && memcmp(p, seps[k], 3) == 0) return 3;
    return 0;
}

static bool all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return false;
    return n > 0;
}

int tree_query_init(struct tree_query *q, const struct tree *t, const char *text, size_t len,
                    struct err *err)
{
    memset(q, 0, sizeof *q);
    q->budget = TREE_QUERY_STEPS;
    q->stopped = TREE_NONE;
    q->hi = tree_count(t) ? tree_count(t) - 1 : 0;
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t s = separator(p + i, len - i);
        if (s) {
            i += s;
            continue;
        }
        size_t start = i;
        while (i < len && !separator(p + i, len - i))
            i++;
        if (q->nterms == TREE_QUERY_TERMS)
            return err_set(err, ERR_INVALID, "搜索词太多：最多 %d 个，用空格分隔",
                           TREE_QUERY_TERMS);
        struct tree_term *w = &q->terms[q->nterms];
        q->at[q->nterms] = UINT32_MAX; /* nothing cached yet */
        q->held[q->nterms] = TREE_NONE;
        q->nterms++;
        w->p = text + start;
        w->len = i - start;
        w->code = all_digits(w->p, w->len);
        w->sig = tree_text_sig(w->p, w->len);
        tree_cursor_init(t, &q->cur[q->nterms - 1], w->p, w->len);
    }
    return ERR_OK;
}

/* The next unit at or after `from` whose own name holds word m (or whose
 * code starts with it), remembered for the next calls. */
static uint32_t word_next(const struct tree *t, struct tree_query *q, int m, uint32_t from)
{
    if (q->at[m] <= from && (q->pos[m] == TREE_NONE || q->pos[m] >= from)) return q->pos[m];
    q->at[m] = from;
    q->pos[m] = tree_cursor_next(t, &q->cur[m], from, q->hi);
    return q->pos[m];
}

/* Whether name[0..n) holds w: names and words are a few characters, too
 * short for memmem's set-up to pay (it was most of a query's time). */
static bool holds(const char *name, size_t n, const struct tree_term *w)
{
    if (w->len > n) return false;
    const char *end = name + n - w->len;
    for (const char *p = name; p <= end; p++)
        if (p[w->len - 1] == w->p[w->len - 1] && memcmp(p, w->p, w->len - 1) == 0) return true;
    return false;
}

/* Whether unit i or one of its ancestors holds word m. A code prefix of
 * an ancestor is a prefix of i's code too. The holder found last is
 * remembered: the next candidates often lie in its subtree. */
static bool path_holds(const struct tree *t, struct tree_query *q, uint32_t i, int m)
{
    const struct tree_term *w = &q->terms[m];
    if (w->code) return strncmp(tree_node(t, i)->code, w->p, w->len) == 0;
    uint32_t h = q->held[m];
    if (h != TREE_NONE && i >= h && i <= tree_node(t, h)->post) return true;
    if ((tree_path_sig(t, i) & w->sig) != w->sig) return false; /* a character is on no name */
    for (uint32_t j = i; j != TREE_NONE; j = tree_node(t, j)->parent)
        if (holds(tree_name(t, j), tree_node(t, j)->name_len, w)) {
            q->held[m] = j;
            return true;
        }
    return false;
}

/* The next candidate at or after `from`: a unit whose own name holds a
 * word. Codes count only when no word is a name (a code typed alone). */
static uint32_t candidate(const struct tree *t, struct tree_query *q, uint32_t from)
{
    bool names = false;
    for (int m = 0; m < q->nterms; m++)
        names |= !q->terms[m].code;
    uint32_t best = TREE_NONE;
    for (int m = 0; m < q->nterms; m++) {
        if (names && q->terms[m].code) continue;
        uint32_t c = word_next(t, q, m, from);
        if (c < best) best = c;
    }
    return best;
}

/* The deepest level wanted, UNIT_LEVEL_COUNT when every level is. */
static int deepest(unsigned levels)
{
    int d = UNIT_LEVEL_COUNT;
    if (levels)
        for (d = UNIT_LEVEL_COUNT - 1; d > 0 && !(levels & (1u << d)); d--)
            ;
    return d;
}

uint32_t tree_query_next(const struct tree *t, struct tree_query *q, uint32_t from)
{
    uint32_t n = tree_count(t);
    if (!n) return TREE_NONE;
    if (q->hi >= n) q->hi = n - 1;
    if (from < q->lo) from = q->lo;
    int last_level = deepest(q->levels);
    while (from <= q->hi) {
        if (!q->budget) {
            q->stopped = from;
            return TREE_NONE;
        }
        q->budget--;
        uint32_t c = q->nterms ? candidate(t, q, from) : from;
        if (c == TREE_NONE) return TREE_NONE;
        /* the unit itself is read only when needed: most candidates fail
         * on a signature, and reading units is what takes the time */
        if (q->levels && tree_node(t, c)->level > last_level) {
            /* too deep, and so is everything below its ancestor of the
             * deepest level wanted, which is behind us: skip all of that */
            uint32_t a = c;
            while (tree_node(t, a)->level > last_level)
                a = tree_node(t, a)->parent;
            from = tree_node(t, a)->post + 1;
            continue;
        }
        uint32_t jump = c;
        for (int m = 0; m < q->nterms; m++) {
            if (path_holds(t, q, c, m)) continue;
            uint32_t a = word_next(t, q, m, c);
            if (a == TREE_NONE) return TREE_NONE; /* no later unit is in S(m) */
            if (a > jump) jump = a;
        }
        if (jump > c) {
            from = jump;
            continue;
        }
        if (!q->levels || (q->levels & (1u << tree_node(t, c)->level))) return c;
        from = c + 1;
    }
    return TREE_NONE;
}
