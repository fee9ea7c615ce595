/* rollup.c — aggregation up the tree (rollup.h). */
#include "core/rollup.h"

#include <string.h>

void rollup_pass(const struct tree *t, const double *own_sum, const uint32_t *own_count,
                 double *sub_sum, uint32_t *sub_count)
{
    uint32_t n = tree_count(t);
    memcpy(sub_sum, own_sum, n * sizeof *sub_sum);
    memcpy(sub_count, own_count, n * sizeof *sub_count);
    for (uint32_t i = n; i-- > 0;) {
        uint32_t p = tree_node(t, i)->parent;
        if (p == TREE_NONE) continue;
        sub_sum[p] += sub_sum[i];
        sub_count[p] += sub_count[i];
    }
}

double rollup_value(int aggregation, double own_sum, uint32_t own_count, double sub_sum,
                    uint32_t sub_count, bool *missing)
{
    if (aggregation == AGG_NONE) {
        *missing = own_count == 0;
        return own_count ? own_sum / own_count : 0;
    }
    *missing = sub_count == 0;
    if (!sub_count) return 0;
    return aggregation == AGG_SUM ? sub_sum : sub_sum / sub_count;
}
