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
    uint16_t name_len;            /* bytes, without the NUL */
    uint32_t name;                /* offset of the NUL-terminated name in the names block */
    uint32_t parent;              /* index of the parent, TREE_NONE for a province */
    uint32_t post;                /* index of the last unit of the subtree (itself if a leaf) */
    uint32_t nchildren;
};

struct tree;
struct tree_builder;

struct tree_builder *tree_builder_new(void);
void tree_builder_free(struct tree_builder *b);
/* Adds a unit; code must be a valid code (unit_code_check), name valid
 * UTF-8 of at most UNIT_NAME_MAX bytes. Order does not matter. */
void tree_builder_add(struct tree_builder *b, const char *code, size_t code_len, const char *name,
                      size_t name_len, int kind);
/* Builds the tree and frees the builder (also on failure). Fails with
 * ERR_INVALID on a duplicate code or a unit whose parent is missing. The
 * result has one reference, owned by the caller. */
int tree_build(struct tree_builder *b, struct tree **out, struct err *err);

/* An empty tree (no units), one reference. */
struct tree *tree_empty(void);
void tree_ref(struct tree *t);
/* Drops a reference; frees the tree at zero. tree_unref(NULL) is a no-op. */
void tree_unref(struct tree *t);

uint32_t tree_count(const struct tree *t);
const struct tree_node *tree_node(const struct tree *t, uint32_t i);
const char *tree_name(const struct tree *t, uint32_t i);
/* Index of the unit with this code, TREE_NONE if absent. */
uint32_t tree_find(const struct tree *t, const char *code, size_t len);

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
/* Number of units strictly below i. */
uint32_t tree_descendants(const struct tree *t, uint32_t i);
/* Adds the number of units strictly below i per level into by_level
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

/* Internal layout, exposed only so tree_within can be inline. */
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
    int refs; /* atomic */
};

static inline bool tree_within(const struct tree *t, uint32_t i, uint32_t a)
{
    return i >= a && i <= t->nodes[a].post;
}

#endif
