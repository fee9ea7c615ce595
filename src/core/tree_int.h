/*
 * tree_int.h — what tree.c and tree_history.c share: the dated lives and
 * former names kept beside the pre-order arrays (tree.h, "History").
 */
#ifndef JICENG_TREE_INT_H
#define JICENG_TREE_INT_H

#include "core/tree.h"

/* A former name as the builder receives it, before it is tied to a unit. */
struct tree_past_in {
    char code[UNIT_CODE_MAX + 1];
    uint8_t kind;
    uint16_t name_len;
    uint32_t name; /* offset in the names block */
    int32_t from, to;
};

/* A dated unit: its current name since `since`, current until `retired`,
 * and its former names past[first, first + npast), oldest first. */
struct tree_life {
    uint32_t node;
    int32_t since, retired;
    uint32_t first, npast;
};

struct tree_past {
    int32_t from, to;
    uint32_t name;
    uint16_t name_len;
    uint8_t kind;
};

uint32_t tree_builder_name(struct tree_builder *b, const char *name, size_t name_len);
/* Called by tree_build once the arrays and the code index exist: ties the
 * former names to their units, fills the lives of dated units, the
 * retired flags' prefix counts and the count of current units; fails
 * (ERR_INVALID) on a former name of an unknown unit. since[i] and
 * retired[i] are unit i's dates. */
int tree_history_build(struct tree *t, const int32_t *since, const int32_t *retired,
                       struct tree_past_in *past, size_t npast, struct err *err);
void tree_history_free(struct tree *t);

#endif
