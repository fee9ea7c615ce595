/*
 * pairing.h — suggested 支部联建 pairs of strong and weak branches in a county.
 *
 * In the "五星"支部创建 campaign strong villages (rated or striving for 四星/五星)
 * are paired with weak ones (一星/二星), e.g. 14 strong with 53 weak in 舞阳县.
 * Given the candidate units of one county, pairing_suggest() assigns every weak
 * unit to exactly one strong unit so that
 *
 *   1. loads are balanced: every strong unit takes floor(W/S) or ceil(W/S)
 *      weak units (W weak, S strong), so loads differ by at most one;
 *   2. among balanced assignments, the number of pairs within one township
 *      (same `group`) is the largest possible;
 *   3. the result is a function of the input alone: ties go to input order.
 *
 * Pure: no I/O, no global state. It allocates O(n) scratch memory with
 * xmalloc (which aborts on exhaustion) and frees it before returning; the
 * caller owns `units` and `out`. O(n log n) time. The algorithm and the
 * argument for its optimality are in pairing.c.
 */
#ifndef JICENG_PAIRING_H
#define JICENG_PAIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One candidate branch. `id` is the caller's opaque handle, copied into the
 * pairs; `group` is its township (opaque, compared for equality only);
 * `level` its current star level (0–5) and `target` its declared target
 * (0–5, 0 = none declared). */
struct pairing_unit {
    uint32_t id;
    uint32_t group;
    int level;
    int target;
};

/* With m = max(level, target): a unit is strong when m >= strong_min, weak
 * when m <= weak_max, and otherwise takes no part (a 三星 village aiming for
 * 三星). Should the ranges overlap (strong_min <= weak_max), strong wins. */
struct pairing_options {
    int strong_min;
    int weak_max;
};

#define PAIRING_STRONG_MIN 4 /* 四星, or 争创四星 */
#define PAIRING_WEAK_MAX   2 /* 一星/二星, not aiming higher than 二星 */

enum pairing_role {
    PAIRING_NONE = 0,
    PAIRING_STRONG,
    PAIRING_WEAK,
};

/* A suggested pair, by the units' ids; same_group when both lie in one
 * township. */
struct pairing_pair {
    uint32_t strong;
    uint32_t weak;
    bool same_group;
};

/* {PAIRING_STRONG_MIN, PAIRING_WEAK_MAX}. */
struct pairing_options pairing_default_options(void);

/* The role of one unit under `opt` (NULL = defaults). */
enum pairing_role pairing_classify(const struct pairing_unit *u, const struct pairing_options *opt);

/* Pairs the weak units of units[0..n) with its strong units (see the top of
 * this file); `opt` NULL means the defaults, n must not exceed UINT32_MAX.
 * Writes one pair per weak unit into out[], in the weak units' input order,
 * and returns their number: the number of weak units, or 0 when there is no
 * strong unit. out[] must hold that many pairs (n always suffices); with out
 * NULL nothing is written and only the count is returned, to size a buffer.
 * *nstrong and *nweak, when not NULL, receive the number of each role. */
size_t pairing_suggest(const struct pairing_unit *units, size_t n,
                       const struct pairing_options *opt, struct pairing_pair *out, size_t *nstrong,
                       size_t *nweak);

#endif
