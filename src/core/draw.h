/*
 * draw.h — the 双随机 draw: targets at random from the 检查对象名录库 and, for
 * each target drawn, inspectors at random from the 执法检查人员名录库, with
 * 回避 (an inspector linked to a target is never drawn for it).
 *
 * Reproducible and checkable by anyone: everything random comes from a seed
 * that is SHA-256 over published inputs (draw_seed), stretched by SHA-256 in
 * counter mode (draw_rng). Targets are taken by a partial Fisher–Yates
 * shuffle over the target ids sorted ascending; then, target by target in
 * draw order, inspectors by a partial Fisher–Yates shuffle over the eligible
 * inspector ids sorted ascending. The same inputs give the same result on
 * any machine; docs/architecture.md ("The 双随机 draw") states it fully so
 * an outsider can re-implement it.
 *
 * Pure: no I/O, no global state; libsodium for SHA-256 only. The caller owns
 * every array; results go into caller-provided arrays.
 */
#ifndef JICENG_DRAW_H
#define JICENG_DRAW_H

#include <stddef.h>
#include <stdint.h>

#define DRAW_SEED_BYTES     32
#define DRAW_SEED_HEX       (2 * DRAW_SEED_BYTES + 1)
#define DRAW_MIN_INSPECTORS 2 /* 每个检查对象至少两名执法检查人员 */

/* A 回避 link: this inspector may not check this target. */
struct draw_link {
    int64_t inspector;
    int64_t target;
};

/* The deterministic stream: block i is SHA-256(seed || i as 8 bytes
 * big-endian), read as four 64-bit big-endian words. */
struct draw_rng {
    unsigned char seed[DRAW_SEED_BYTES];
    uint64_t counter;
    uint64_t words[4];
    int next; /* index into words; 4 = block used up */
};

enum draw_status {
    DRAW_OK = 0,
    DRAW_TOO_MANY_TARGETS,   /* more targets asked for than there are */
    DRAW_TOO_FEW_INSPECTORS, /* fewer than `per_target` eligible for a target */
    DRAW_BAD_INPUT,          /* per_target < DRAW_MIN_INSPECTORS, duplicate ids, ... */
};

/* The seed: SHA-256 of the UTF-8 text
 *   "jiceng-draw-v1\n" plan_id "\n" registry_digest "\n" public_value "\n"
 * with plan_id in decimal. registry_digest is the published digest of the
 * registry snapshot (draw_registry_digest) and public_value a value fixed
 * and published before the draw (the draw time). */
void draw_seed(int64_t plan_id, const char *registry_digest, const char *public_value,
               unsigned char seed[DRAW_SEED_BYTES]);

/* The registry digest: SHA-256 hex over "t:ID\n" for every target id
 * ascending, then "i:ID\n" for every inspector id ascending, then
 * "x:INSPECTOR:TARGET\n" for every link ascending (inspector, then target).
 * Sorts copies; the arrays are not changed. out gets 64 hex digits + NUL. */
void draw_registry_digest(const int64_t *targets, size_t nt, const int64_t *inspectors, size_t ni,
                          const struct draw_link *links, size_t nl, char out[DRAW_SEED_HEX]);

void draw_hex(const unsigned char seed[DRAW_SEED_BYTES], char out[DRAW_SEED_HEX]);

void draw_rng_init(struct draw_rng *r, const unsigned char seed[DRAW_SEED_BYTES]);
uint64_t draw_rng_next(struct draw_rng *r);
/* Uniform in [0, bound), bound >= 1, by rejection (no modulo bias): words
 * below 2^64 mod bound are skipped, the next word taken is reduced mod bound. */
uint64_t draw_rng_below(struct draw_rng *r, uint64_t bound);

/* How many targets a ratio takes: ceil(n * ratio_permille / 1000), at most
 * n, and at least 1 when n > 0 and the ratio is positive. */
size_t draw_count_for_ratio(size_t n, unsigned ratio_permille);

/* The draw. targets (nt ids) and inspectors (ni ids) in any order, without
 * duplicates; links (nl) the 回避 pairs. Draws `count` targets into
 * out_targets[count] (draw order) and `per_target` inspectors for each into
 * out_inspectors[count * per_target] (row k for out_targets[k], draw order).
 * On DRAW_TOO_FEW_INSPECTORS *bad_target is the target that could not be
 * staffed and *eligible how many inspectors it had. O(nt + count * ni log nl). */
enum draw_status draw_run(const unsigned char seed[DRAW_SEED_BYTES], const int64_t *targets,
                          size_t nt, const int64_t *inspectors, size_t ni,
                          const struct draw_link *links, size_t nl, size_t count, size_t per_target,
                          int64_t *out_targets, int64_t *out_inspectors, int64_t *bad_target,
                          size_t *eligible);

#endif
