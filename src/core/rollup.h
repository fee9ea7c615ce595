/*
 * rollup.h — aggregation up the tree in one pass over the DFS arrays.
 *
 * Given each unit's own sum and count of values, fills the sums and counts
 * over every unit's whole subtree: children come after their parent in
 * DFS order, so scanning backwards adds each finished subtree into its
 * parent. O(units), no recursion.
 */
#ifndef JICENG_ROLLUP_H
#define JICENG_ROLLUP_H

#include <stdint.h>

#include "core/element.h"
#include "core/tree.h"

void rollup_pass(const struct tree *t, const double *own_sum, const uint32_t *own_count,
                 double *sub_sum, uint32_t *sub_count);

/* A unit's value by aggregation: the subtree's sum or mean, or (none) the
 * unit's own mean. *missing when there is no value to aggregate. */
double rollup_value(int aggregation, double own_sum, uint32_t own_count, double sub_sum,
                    uint32_t sub_count, bool *missing);

#endif
