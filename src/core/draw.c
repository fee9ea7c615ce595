/*
 * draw.c — see draw.h. The algorithm is spelled out there and in
 * docs/architecture.md; any change to it must change the "v1" in the seed
 * text, or past draws would no longer verify.
 */
#include "core/draw.h"
#include "base/mem.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Links by target, then inspector: the order draw_run walks them in. */
static int cmp_link_target(const void *a, const void *b)
{
    const struct draw_link *x = a, *y = b;
    if (x->target != y->target) return (x->target > y->target) - (x->target < y->target);
    return (x->inspector > y->inspector) - (x->inspector < y->inspector);
}

/* Links by inspector, then target: the published digest's order. */
static int cmp_link_inspector(const void *a, const void *b)
{
    const struct draw_link *x = a, *y = b;
    if (x->inspector != y->inspector)
        return (x->inspector > y->inspector) - (x->inspector < y->inspector);
    return (x->target > y->target) - (x->target < y->target);
}

void draw_hex(const unsigned char seed[DRAW_SEED_BYTES], char out[DRAW_SEED_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < DRAW_SEED_BYTES; i++) {
        out[2 * i] = digits[seed[i] >> 4];
        out[2 * i + 1] = digits[seed[i] & 15];
    }
    out[(size_t)2 * DRAW_SEED_BYTES] = '\0';
}

void draw_seed(int64_t plan_id, const char *registry_digest, const char *public_value,
               unsigned char seed[DRAW_SEED_BYTES])
{
    crypto_hash_sha256_state st;
    char num[32];
    int n = snprintf(num, sizeof num, "%" PRId64, plan_id);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)"jiceng-draw-v1\n", 15);
    crypto_hash_sha256_update(&st, (const unsigned char *)num, (unsigned long long)n);
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)registry_digest, strlen(registry_digest));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)public_value, strlen(public_value));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_final(&st, seed);
}

static void hash_line(crypto_hash_sha256_state *st, char kind, int64_t a, int64_t b, int pair)
{
    char line[64];
    int n = pair ? snprintf(line, sizeof line, "%c:%" PRId64 ":%" PRId64 "\n", kind, a, b)
                 : snprintf(line, sizeof line, "%c:%" PRId64 "\n", kind, a);
    crypto_hash_sha256_update(st, (const unsigned char *)line, (unsigned long long)n);
}

static int64_t *sorted_copy(const int64_t *ids, size_t n)
{
    int64_t *c = xmalloc((n ? n : 1) * sizeof *c);
    if (n) memcpy(c, ids, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp_id);
    return c;
}

void draw_registry_digest(const int64_t *targets, size_t nt, const int64_t *inspectors, size_t ni,
                          const struct draw_link *links, size_t nl, char out[DRAW_SEED_HEX])
{
    crypto_hash_sha256_state st;
    unsigned char h[DRAW_SEED_BYTES];
    int64_t *t = sorted_copy(targets, nt), *i = sorted_copy(inspectors, ni);
    struct draw_link *l = xmalloc((nl ? nl : 1) * sizeof *l);
    if (nl) memcpy(l, links, nl * sizeof *l);
    qsort(l, nl, sizeof *l, cmp_link_inspector);
    crypto_hash_sha256_init(&st);
    for (size_t k = 0; k < nt; k++)
        hash_line(&st, 't', t[k], 0, 0);
    for (size_t k = 0; k < ni; k++)
        hash_line(&st, 'i', i[k], 0, 0);
    for (size_t k = 0; k < nl; k++)
        hash_line(&st, 'x', l[k].inspector, l[k].target, 1);
    crypto_hash_sha256_final(&st, h);
    draw_hex(h, out);
    free(t);
    free(i);
    free(l);
}

void draw_rng_init(struct draw_rng *r, const unsigned char seed[DRAW_SEED_BYTES])
{
    memcpy(r->seed, seed, DRAW_SEED_BYTES);
    r->counter = 0;
    r->next = 4;
}

static void refill(struct draw_rng *r)
{
    unsigned char in[DRAW_SEED_BYTES + 8], h[DRAW_SEED_BYTES];
    memcpy(in, r->seed, DRAW_SEED_BYTES);
    for (int b = 0; b < 8; b++)
        in[DRAW_SEED_BYTES + b] = (unsigned char)(r->counter >> (56 - 8 * b));
    crypto_hash_sha256(h, in, sizeof in);
    for (int w = 0; w < 4; w++) {
        uint64_t v = 0;
        for (int b = 0; b < 8; b++)
            v = v << 8 | h[8 * w + b];
        r->words[w] = v;
    }
    r->counter++;
    r->next = 0;
}

uint64_t draw_rng_next(struct draw_rng *r)
{
    if (r->next >= 4) refill(r);
    return r->words[r->next++];
}

uint64_t draw_rng_below(struct draw_rng *r, uint64_t bound)
{
    /* Words below 2^64 mod bound are skipped: the rest, 2^64 - that, is a
     * multiple of bound, so every remainder is equally likely. */
    uint64_t skip = (0 - bound) % bound;
    for (;;) {
        uint64_t v = draw_rng_next(r);
        if (v >= skip) return v % bound;
    }
}

size_t draw_count_for_ratio(size_t n, unsigned ratio_permille)
{
    if (!n || !ratio_permille) return 0;
    if (ratio_permille >= 1000) return n;
    uint64_t c = ((uint64_t)n * ratio_permille + 999) / 1000;
    return c ? (size_t)c : 1;
}

static int has_duplicates(const int64_t *sorted, size_t n)
{
    for (size_t k = 1; k < n; k++)
        if (sorted[k] == sorted[k - 1]) return 1;
    return 0;
}

enum draw_status draw_run(const unsigned char seed[DRAW_SEED_BYTES], const int64_t *targets,
                          size_t nt, const int64_t *inspectors, size_t ni,
                          const struct draw_link *links, size_t nl, size_t count, size_t per_target,
                          int64_t *out_targets, int64_t *out_inspectors, int64_t *bad_target,
                          size_t *eligible)
{
    if (per_target < DRAW_MIN_INSPECTORS) return DRAW_BAD_INPUT;
    if (count > nt) return DRAW_TOO_MANY_TARGETS;
    int64_t *t = sorted_copy(targets, nt), *ins = sorted_copy(inspectors, ni);
    enum draw_status st = DRAW_OK;
    if (has_duplicates(t, nt) || has_duplicates(ins, ni)) {
        free(t);
        free(ins);
        return DRAW_BAD_INPUT;
    }
    struct draw_link *l = xmalloc((nl ? nl : 1) * sizeof *l);
    if (nl) memcpy(l, links, nl * sizeof *l);
    qsort(l, nl, sizeof *l, cmp_link_target);
    int64_t *pool = xmalloc((ni ? ni : 1) * sizeof *pool);
    struct draw_rng r;
    draw_rng_init(&r, seed);

    /* Targets: partial Fisher–Yates over the sorted ids. */
    for (size_t k = 0; k < count; k++) {
        size_t j = k + (size_t)draw_rng_below(&r, nt - k);
        int64_t tmp = t[k];
        t[k] = t[j];
        t[j] = tmp;
        out_targets[k] = t[k];
    }

    /* Inspectors, target by target in draw order: the sorted inspectors
     * minus this target's links (a merge, both sorted), then a partial
     * Fisher–Yates of per_target over what is left. */
    for (size_t k = 0; k < count && st == DRAW_OK; k++) {
        int64_t target = out_targets[k];
        size_t lo = 0, hi = nl;
        while (lo < hi) { /* first link with link.target >= target */
            size_t mid = lo + (hi - lo) / 2;
            if (l[mid].target < target)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t m = 0, x = lo;
        for (size_t i = 0; i < ni; i++) {
            while (x < nl && l[x].target == target && l[x].inspector < ins[i])
                x++;
            if (x < nl && l[x].target == target && l[x].inspector == ins[i]) continue;
            pool[m++] = ins[i];
        }
        if (m < per_target) {
            if (bad_target) *bad_target = target;
            if (eligible) *eligible = m;
            st = DRAW_TOO_FEW_INSPECTORS;
            break;
        }
        for (size_t p = 0; p < per_target; p++) {
            size_t j = p + (size_t)draw_rng_below(&r, m - p);
            int64_t tmp = pool[p];
            pool[p] = pool[j];
            pool[j] = tmp;
            out_inspectors[k * per_target + p] = pool[p];
        }
    }
    free(t);
    free(ins);
    free(l);
    free(pool);
    return st;
}
