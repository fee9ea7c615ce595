/*
 * pairing.c — 支部联建 pair suggestions (pairing.h).
 *
 * With W weak and S strong units, q = W / S and r = W % S, loads that differ
 * by at most one and sum to W are exactly those where r strong units take
 * q + 1 weak units (an "extra") and the others q. So the work is choosing
 * which r strong units get the extras, then filling.
 *
 * Why this is optimal. Fix the capacities c_i. Within a township g with W_g
 * weak units and total strong capacity C_g, at most min(W_g, C_g) pairs can
 * stay inside g; filling inside every township first reaches that bound, and
 * the weak units left over always fit elsewhere because Σ c_i = W. So the
 * best same-township count is Σ_g min(W_g, C_g). If g has s_g strong units
 * of which x_g (0 <= x_g <= s_g) get an extra, C_g = q s_g + x_g and, with
 * the deficit d_g = W_g - q s_g,
 *
 *     min(W_g, q s_g + x_g) = min(W_g, q s_g) + min(x_g, max(d_g, 0)).
 *
 * Summed over townships with Σ x_g = r, the count is at most
 * Σ_g min(W_g, q s_g) + min(r, Σ_g min(s_g, max(d_g, 0))). Handing each
 * township with d_g > 0 min(s_g, d_g) extras while they last attains that
 * bound, so every such extra gains one pair and the result is optimal; the
 * remaining extras (gaining nothing) go to the first strong units in input
 * order. Townships take their extras in order of largest deficit, so when
 * extras run short they help where most weak units would otherwise leave
 * the township; ties by the first strong unit's input position.
 *
 * Steps, each at most O(n log n): classify; sort the participating units by
 * (township, input index) so each township is a run in input order; give
 * capacities; pair inside each run, strong units filled one after another in
 * input order; give the leftover weak units (input order) to the strong units
 * with room left (input order).
 */
#include "core/pairing.h"

#include <assert.h>
#include <stdlib.h>

#include "base/mem.h"

#define NO_UNIT UINT32_MAX

struct member {
    uint32_t group;
    uint32_t idx; /* into units[] */
};

/* A township's run in the sorted members. */
struct township {
    size_t begin, end;
    size_t nstrong;
    size_t deficit;        /* weak units beyond q per strong unit, when positive */
    uint32_t first_strong; /* input index of its first strong unit */
};

struct pairing_options pairing_default_options(void)
{
    return (struct pairing_options){PAIRING_STRONG_MIN, PAIRING_WEAK_MAX};
}

enum pairing_role pairing_classify(const struct pairing_unit *u, const struct pairing_options *opt)
{
    struct pairing_options d = pairing_default_options();
    if (!opt) opt = &d;
    int m = u->level > u->target ? u->level : u->target;
    if (m >= opt->strong_min) return PAIRING_STRONG;
    if (m <= opt->weak_max) return PAIRING_WEAK;
    return PAIRING_NONE;
}

static int member_cmp(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Largest deficit first, then the earlier first strong unit. */
static int township_cmp(const void *a, const void *b)
{
    const struct township *x = a, *y = b;
    if (x->deficit != y->deficit) return x->deficit > y->deficit ? -1 : 1;
    return (x->first_strong > y->first_strong) - (x->first_strong < y->first_strong);
}

/* Splits the sorted members into township runs; returns their number. Only
 * townships with both a positive deficit and a strong unit are kept, since
 * only they can use an extra. */
static size_t townships_needing_extras(const struct member *m, size_t nm, const uint8_t *role,
                                       size_t q, struct township *tw)
{
    size_t nt = 0;
    for (size_t b = 0, e; b < nm; b = e) {
        size_t s = 0, w = 0;
        uint32_t first = NO_UNIT;
        for (e = b; e < nm && m[e].group == m[b].group; e++) {
            if (role[m[e].idx] == PAIRING_STRONG) {
                if (!s) first = m[e].idx;
                s++;
            } else {
                w++;
            }
        }
        if (s && w > q * s) tw[nt++] = (struct township){b, e, s, w - q * s, first};
    }
    return nt;
}

/* Sets cap[] of every strong unit to q, then hands out the r extras. */
static void give_capacities(const struct member *m, size_t nm, const uint8_t *role, size_t n,
                            size_t q, size_t r, uint32_t *cap)
{
    for (size_t i = 0; i < n; i++)
        if (role[i] == PAIRING_STRONG) cap[i] = (uint32_t)q;
    struct township *tw = xmalloc((nm ? nm : 1) * sizeof *tw);
    size_t nt = townships_needing_extras(m, nm, role, q, tw);
    qsort(tw, nt, sizeof *tw, township_cmp);
    for (size_t t = 0; t < nt && r; t++) {
        size_t k = tw[t].nstrong < tw[t].deficit ? tw[t].nstrong : tw[t].deficit;
        for (size_t j = tw[t].begin; j < tw[t].end && k && r; j++) {
            if (role[m[j].idx] != PAIRING_STRONG) continue;
            cap[m[j].idx]++;
            k--, r--;
        }
    }
    free(tw);
    for (size_t i = 0; i < n && r; i++) {
        if (role[i] == PAIRING_STRONG && cap[i] == q) cap[i]++, r--;
    }
    assert(r == 0);
}

/* Pairs weak and strong units inside each township run, using up cap[]. */
static void pair_within(const struct member *m, size_t nm, const uint8_t *role, uint32_t *cap,
                        uint32_t *partner)
{
    for (size_t b = 0, e; b < nm; b = e) {
        for (e = b; e < nm && m[e].group == m[b].group; e++)
            ;
        size_t s = b; /* next strong member to fill */
        for (size_t j = b; j < e; j++) {
            if (role[m[j].idx] != PAIRING_WEAK) continue;
            while (s < e && (role[m[s].idx] != PAIRING_STRONG || !cap[m[s].idx]))
                s++;
            if (s == e) break;
            partner[m[j].idx] = m[s].idx;
            cap[m[s].idx]--;
        }
    }
}

size_t pairing_suggest(const struct pairing_unit *units, size_t n,
                       const struct pairing_options *opt, struct pairing_pair *out, size_t *nstrong,
                       size_t *nweak)
{
    assert(n <= UINT32_MAX);
    uint8_t *role = xmalloc(n ? n : 1);
    size_t S = 0, W = 0;
    for (size_t i = 0; i < n; i++) {
        role[i] = (uint8_t)pairing_classify(&units[i], opt);
        S += role[i] == PAIRING_STRONG;
        W += role[i] == PAIRING_WEAK;
    }
    if (nstrong) *nstrong = S;
    if (nweak) *nweak = W;
    if (!S || !W || !out) {
        free(role);
        return S ? W : 0;
    }

    struct member *m = xmalloc((S + W) * sizeof *m);
    size_t nm = 0;
    for (size_t i = 0; i < n; i++)
        if (role[i] != PAIRING_NONE) m[nm++] = (struct member){units[i].group, (uint32_t)i};
    qsort(m, nm, sizeof *m, member_cmp);

    uint32_t *cap = xmalloc(n * sizeof *cap);
    uint32_t *partner = xmalloc(n * sizeof *partner);
    give_capacities(m, nm, role, n, W / S, W % S, cap);
    for (size_t i = 0; i < n; i++)
        partner[i] = NO_UNIT;
    pair_within(m, nm, role, cap, partner);
    free(m);

    size_t np = 0, s = 0; /* s: next strong unit, input order, that may have room */
    for (size_t i = 0; i < n; i++) {
        if (role[i] != PAIRING_WEAK) continue;
        if (partner[i] == NO_UNIT) {
            while (s < n && (role[s] != PAIRING_STRONG || !cap[s]))
                s++;
            assert(s < n);
            partner[i] = (uint32_t)s;
            cap[s]--;
        }
        const struct pairing_unit *st = &units[partner[i]];
        out[np++] = (struct pairing_pair){st->id, units[i].id, st->group == units[i].group};
    }
    assert(np == W);
    free(partner);
    free(cap);
    free(role);
    return np;
}
