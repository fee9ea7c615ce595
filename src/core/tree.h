/*
 * tree.h — the administrative tree in memory (engine 1 of the design).
 *
 * Units are held in compact arrays in depth-first pre-order, so a unit's
 * subtree is the contiguous index range [i, node(i)->post]. "Is A inside
 * B" is two integer compares; a subtree scan is a loop over a range;
 * permission checks, rollups and filters all use this one mechanism.
 * Because a parent's code is a prefix of its children's codes (unit.h),
 * the same order is the string order of codes, and the same subtree is,
 * in SQL, the code range [code, code || ';').
 *
 * A tree is immutable once built and shared between threads by reference
 * count: whoever holds a reference may read it without locks; the last
 * tree_unref frees it. A change to the units builds a new tree.
 *
 * History (division changes, docs/architecture.md "Division changes"): a
 * tree holds every unit that ever existed, retired ones included, at the
 * place its code gives it, so the arrays stay in pre-order and a subtree
 * stays a code prefix; the value of a retired unit still rolls up under
 * the parent it had (its code's prefix). What a person sees *now* leaves
 * retired units out: tree_find, children, siblings, counts and search skip
 * them; tree_find_any finds them. A unit's dated life (when it appeared,
 * when it retired) and its former names are kept beside the arrays, for
 * the units that have any; the *_in functions answer for a span of days
 * (a report's period): the units alive then, and the names they had.
 */
#ifndef JICENG_TREE_H
#define JICENG_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "core/unit.h"

#define TREE_NONE UINT32_MAX

struct tree_node {
    char code[UNIT_CODE_MAX + 1]; /* NUL-terminated digits */
    uint8_t level;                /* enum unit_level */
    uint8_t kind;                 /* enum unit_kind */
    uint8_t flags;                /* TREE_RETIRED, TREE_DATED */
    uint16_t name_len;            /* bytes, without the NUL */
    uint32_t name;                /* offset of the NUL-terminated name in the names block */
    uint32_t parent;              /* index of the parent, TREE_NONE for a province */
    uint32_t post;                /* index of the last unit of the subtree (itself if a leaf) */
    uint32_t nchildren;           /* current (not retired) children */
};

#define TREE_RETIRED 1u /* no longer a current unit (kept for history) */
#define TREE_DATED   2u /* has a dated life or former names (tree_alive_in, tree_name_in) */

/* Days since 1970-01-01 (tree_day_parse); the open ends of a life. */
#define TREE_DAY_FIRST INT32_MIN /* "since always" */
#define TREE_DAY_LAST  INT32_MAX /* "still current" */

struct tree;
struct tree_builder;

struct tree_builder *tree_builder_new(void);
void tree_builder_free(struct tree_builder *b);
/* Adds a unit; code must be a valid code (unit_code_check), name valid
 * UTF-8 of at most UNIT_NAME_MAX bytes. Order does not matter. */
void tree_builder_add(struct tree_builder *b, const char *code, size_t code_len, const char *name,
                      size_t name_len, int kind);
/* Dates the unit added last: the day its current name began (TREE_DAY_FIRST:
 * before the records) and the day it retired (TREE_DAY_LAST: current). */
void tree_builder_dates(struct tree_builder *b, int32_t since, int32_t retired);
/* A former name of unit `code`, held on the days [from, to). */
void tree_builder_past(struct tree_builder *b, const char *code, size_t code_len, const char *name,
                       size_t name_len, int kind, int32_t from, int32_t to);
/* Builds the tree and frees the builder (also on failure). Fails with
 * ERR_INVALID on a duplicate code or a unit whose parent is missing. The
 * result has one reference, owned by the caller. */
int tree_build(struct tree_builder *b, struct tree **out, struct err *err);

/* An empty tree (no units), one reference. */
struct tree *tree_empty(void);
void tree_ref(struct tree *t);
/* Drops a reference; frees the tree at zero. tree_unref(NULL) is a no-op. */
void tree_unref(struct tree *t);

/* Every unit held, retired ones included: the length of per-unit arrays. */
uint32_t tree_count(const struct tree *t);
/* Current units only. */
uint32_t tree_current_count(const struct tree *t);
const struct tree_node *tree_node(const struct tree *t, uint32_t i);
const char *tree_name(const struct tree *t, uint32_t i);
/* Index of the current unit with this code, TREE_NONE if absent or retired. */
uint32_t tree_find(const struct tree *t, const char *code, size_t len);
/* Index of the unit with this code, retired or not; TREE_NONE if absent. */
uint32_t tree_find_any(const struct tree *t, const char *code, size_t len);

/* True if unit i lies in the subtree of unit a (a itself included). */
static inline bool tree_within(const struct tree *t, uint32_t i, uint32_t a);
/* First child of i, or TREE_NONE. */
uint32_t tree_first_child(const struct tree *t, uint32_t i);
/* Next sibling of i (the next root for a province), or TREE_NONE. */
uint32_t tree_next_sibling(const struct tree *t, uint32_t i);
/* First root (province), or TREE_NONE for an empty tree. */
uint32_t tree_first_root(const struct tree *t);
/* Writes the indices from the root down to i into out (at most max) and
 * returns the depth (number of entries). */
size_t tree_path(const struct tree *t, uint32_t i, uint32_t *out, size_t max);
/* Number of current units strictly below i. */
uint32_t tree_descendants(const struct tree *t, uint32_t i);
/* Adds the number of current units strictly below i per level into by_level
 * (UNIT_LEVEL_COUNT entries) and per kind into by_kind (UNIT_KIND_COUNT
 * entries); either may be NULL. */
void tree_count_below(const struct tree *t, uint32_t i, uint32_t *by_level, uint32_t *by_kind);
/* Next unit at or after `from` and at or before `last` whose name
 * contains q (or whose code starts with q, when q is all digits);
 * TREE_NONE if there is none. Indexed (tree_search.c): a few binary
 * searches and the names holding q's rarest pair of characters, whatever
 * the size of the tree. */
uint32_t tree_search(const struct tree *t, uint32_t from, uint32_t last, const char *q,
                     size_t qlen);

/* ---- history: spans of days [from, to) ---- */

/* Parses "YYYY-MM-DD" into days since 1970-01-01; false if it is no date. */
bool tree_day_parse(const char *s, int32_t *day);
/* Formats a day as "YYYY-MM-DD". */
void tree_day_format(int32_t day, char out[11]);
/* Whether unit i existed on some day of [from, to). A unit without dates
 * always did; a retired one until its retirement. */
bool tree_alive_in(const struct tree *t, uint32_t i, int32_t from, int32_t to);
/* The first child of i alive in [from, to), and the next sibling of i
 * alive then (TREE_NONE when there is none). */
uint32_t tree_first_child_in(const struct tree *t, uint32_t i, int32_t from, int32_t to);
uint32_t tree_next_sibling_in(const struct tree *t, uint32_t i, int32_t from, int32_t to);
/* The name (and kind, when kind is not NULL) unit i had at the end of its
 * life within [from, to): its current name unless it was renamed after. */
const char *tree_name_in(const struct tree *t, uint32_t i, int32_t from, int32_t to, size_t *len,
                         int *kind);
/* The day unit i retired (TREE_DAY_LAST when current) and the day its
 * current name began (TREE_DAY_FIRST when before the records). */
int32_t tree_retired_on(const struct tree *t, uint32_t i);
int32_t tree_since(const struct tree *t, uint32_t i);

/* Internal layout, exposed only so tree_within can be inline. */
struct tree_life; /* a dated unit's life and former names (tree.c) */
struct tree_past;
struct tree_names; /* the name index (tree_search.c) */
struct tree_names *tree_names_build(const struct tree *t);
void tree_names_free(struct tree_names *x);
struct tree {
    struct tree_node *nodes;
    uint32_t count;
    char *names;
    size_t names_len;
    uint32_t *slots; /* open-addressing hash: index+1, 0 = empty */
    uint32_t mask;   /* slot count - 1 */
    struct tree_names *search;
    struct tree_life *lives; /* of the TREE_DATED units, by index */
    uint32_t nlives;
    struct tree_past *past; /* former names, by unit then day */
    uint32_t *gone;         /* gone[i]: retired units among [0, i); NULL when none */
    uint32_t current;       /* units not retired */
    int refs;               /* atomic */
};

static inline bool tree_within(const struct tree *t, uint32_t i, uint32_t a)
{
    return i >= a && i <= t->nodes[a].post;
}

#endif
