/* test_pairing.c — 支部联建 pair suggestions (core/pairing.c): roles at the
 * thresholds, balanced loads, every weak unit paired once, and the
 * same-township count checked against brute force on small cases and
 * against an independent dynamic programme on larger ones. */
#include "testing.h"

#include <time.h>

#include "core/pairing.h"

#define ID_BASE 1000u /* ids differ from indices, to catch mixing them up */

static uint64_t rng_state;

static uint32_t rnd(uint32_t bound)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % bound);
}

static struct pairing_unit unit(size_t i, uint32_t group, int level, int target)
{
    return (struct pairing_unit){(uint32_t)(ID_BASE + i), group, level, target};
}

static void random_units(struct pairing_unit *u, size_t n, uint32_t ngroups)
{
    for (size_t i = 0; i < n; i++)
        u[i] = unit(i, 7 * rnd(ngroups) + 3, (int)rnd(6), (int)rnd(6));
}

/* Checks the pairs against the contract and returns the same-township count:
 * one pair per weak unit in input order, partners strong, loads q or q + 1,
 * same_group true exactly when the townships match. */
static size_t check_pairs(const struct pairing_unit *u, size_t n, const struct pairing_pair *p,
                          size_t np)
{
    size_t S = 0, W = 0, k = 0, same = 0;
    size_t *load = calloc(n ? n : 1, sizeof *load);
    for (size_t i = 0; i < n; i++) {
        enum pairing_role r = pairing_classify(&u[i], NULL);
        S += r == PAIRING_STRONG;
        W += r == PAIRING_WEAK;
        if (r != PAIRING_WEAK || !np) continue;
        assert_true(k < np);
        assert_int_equal(p[k].weak, u[i].id);
        size_t s = p[k].strong - ID_BASE;
        assert_true(s < n);
        assert_int_equal(pairing_classify(&u[s], NULL), PAIRING_STRONG);
        assert_int_equal(p[k].same_group, u[s].group == u[i].group);
        same += p[k].same_group;
        load[s]++;
        k++;
    }
    assert_int_equal(np, S ? W : 0);
    assert_int_equal(k, np);
    size_t extra = 0;
    for (size_t i = 0; S && i < n; i++) {
        if (pairing_classify(&u[i], NULL) != PAIRING_STRONG) continue;
        assert_true(load[i] == W / S || load[i] == W / S + 1);
        extra += load[i] == W / S + 1;
    }
    if (S) assert_int_equal(extra, W % S);
    free(load);
    return same;
}

static size_t suggest_checked(const struct pairing_unit *u, size_t n, struct pairing_pair *p)
{
    size_t S, W, np = pairing_suggest(u, n, NULL, p, &S, &W);
    assert_int_equal(pairing_suggest(u, n, NULL, NULL, NULL, NULL), np);
    return check_pairs(u, n, p, np);
}

/* The best same-township count over all balanced assignments, by trying
 * every assignment of weak to strong units (S^W of them). */
static size_t brute_force(const struct pairing_unit *u, size_t n)
{
    size_t st[16], wk[16], S = 0, W = 0;
    for (size_t i = 0; i < n; i++) {
        enum pairing_role r = pairing_classify(&u[i], NULL);
        if (r == PAIRING_STRONG) st[S++] = i;
        if (r == PAIRING_WEAK) wk[W++] = i;
    }
    if (!S || !W) return 0;
    size_t choice[16] = {0}, best = 0;
    for (;;) {
        size_t load[16] = {0}, same = 0, lo = W, hi = 0;
        for (size_t j = 0; j < W; j++) {
            load[choice[j]]++;
            same += u[st[choice[j]]].group == u[wk[j]].group;
        }
        for (size_t i = 0; i < S; i++) {
            lo = load[i] < lo ? load[i] : lo;
            hi = load[i] > hi ? load[i] : hi;
        }
        if (hi - lo <= 1 && same > best) best = same;
        size_t j = 0;
        while (j < W && ++choice[j] == S)
            choice[j++] = 0;
        if (j == W) break;
    }
    return best;
}

/* The best count computed another way: per township, the strong and weak
 * counts; then a knapsack over how many of the W % S extras each township's
 * strong units take, valuing a township at min(weak, capacity). */
static size_t optimum_by_dp(const struct pairing_unit *u, size_t n)
{
    uint32_t *grp = malloc(n * sizeof *grp);
    size_t *s = calloc(n, sizeof *s), *w = calloc(n, sizeof *w), ng = 0, S = 0, W = 0;
    for (size_t i = 0; i < n; i++) {
        enum pairing_role r = pairing_classify(&u[i], NULL);
        if (r == PAIRING_NONE) continue;
        size_t g = 0;
        while (g < ng && grp[g] != u[i].group)
            g++;
        if (g == ng) grp[ng++] = u[i].group;
        if (r == PAIRING_STRONG)
            s[g]++, S++;
        else
            w[g]++, W++;
    }
    size_t best = 0;
    if (S && W) {
        size_t q = W / S, r = W % S;
        long *dp = malloc((r + 1) * sizeof *dp), *nx = malloc((r + 1) * sizeof *nx);
        for (size_t x = 0; x <= r; x++)
            dp[x] = x ? -1 : 0;
        for (size_t g = 0; g < ng; g++) {
            for (size_t x = 0; x <= r; x++)
                nx[x] = -1;
            for (size_t x = 0; x <= r; x++) {
                if (dp[x] < 0) continue;
                for (size_t e = 0; e <= s[g] && x + e <= r; e++) {
                    size_t cap = q * s[g] + e, v = w[g] < cap ? w[g] : cap;
                    if (dp[x] + (long)v > nx[x + e]) nx[x + e] = dp[x] + (long)v;
                }
            }
            long *t = dp;
            dp = nx, nx = t;
        }
        best = (size_t)dp[r];
        free(dp);
        free(nx);
    }
    free(grp);
    free(s);
    free(w);
    return best;
}

static void test_classify(void **state)
{
    (void)state;
    struct pairing_options d = pairing_default_options();
    assert_int_equal(d.strong_min, 4);
    assert_int_equal(d.weak_max, 2);
    struct {
        int level, target;
        enum pairing_role role;
    } cases[] = {
        {4, 0, PAIRING_STRONG},                         /* 四星 */
        {5, 0, PAIRING_STRONG}, {3, 4, PAIRING_STRONG}, /* 争创四星 */
        {1, 5, PAIRING_STRONG}, {3, 0, PAIRING_NONE},
        {3, 3, PAIRING_NONE},   {2, 3, PAIRING_NONE}, /* aims for 三星: neither */
        {2, 0, PAIRING_WEAK},   {2, 2, PAIRING_WEAK},
        {1, 0, PAIRING_WEAK},   {0, 0, PAIRING_WEAK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pairing_unit u = unit(i, 1, cases[i].level, cases[i].target);
        assert_int_equal(pairing_classify(&u, NULL), cases[i].role);
        assert_int_equal(pairing_classify(&u, &d), cases[i].role);
    }
    struct pairing_options strict = {5, 1};
    struct pairing_unit u = unit(0, 1, 4, 0);
    assert_int_equal(pairing_classify(&u, &strict), PAIRING_NONE);
    u.target = 5;
    assert_int_equal(pairing_classify(&u, &strict), PAIRING_STRONG);
    u = unit(0, 1, 2, 0);
    assert_int_equal(pairing_classify(&u, &strict), PAIRING_NONE);
    u.level = 1;
    assert_int_equal(pairing_classify(&u, &strict), PAIRING_WEAK);
    /* Overlapping ranges: strong wins. */
    struct pairing_options overlap = {2, 3};
    u = unit(0, 1, 2, 0);
    assert_int_equal(pairing_classify(&u, &overlap), PAIRING_STRONG);
    u.level = 1;
    assert_int_equal(pairing_classify(&u, &overlap), PAIRING_WEAK);
}

static void test_nothing_to_pair(void **state)
{
    (void)state;
    struct pairing_pair p[4];
    size_t S = 9, W = 9;
    assert_int_equal(pairing_suggest(NULL, 0, NULL, p, &S, &W), 0);
    assert_true(S == 0 && W == 0);
    struct pairing_unit weak_only[] = {unit(0, 1, 1, 0), unit(1, 1, 2, 2), unit(2, 2, 3, 3)};
    assert_int_equal(pairing_suggest(weak_only, 3, NULL, p, &S, &W), 0);
    assert_true(S == 0 && W == 2);
    struct pairing_unit strong_only[] = {unit(0, 1, 4, 0), unit(1, 1, 3, 5)};
    assert_int_equal(pairing_suggest(strong_only, 2, NULL, p, &S, &W), 0);
    assert_true(S == 2 && W == 0);
    /* Options apply: under {5, 1} the 四星 village is not strong. */
    struct pairing_unit u[] = {unit(0, 1, 4, 0), unit(1, 1, 1, 0)};
    struct pairing_options strict = {5, 1};
    assert_int_equal(pairing_suggest(u, 2, &strict, p, &S, &W), 0);
    assert_true(S == 0 && W == 1);
    assert_int_equal(pairing_suggest(u, 2, NULL, p, &S, &W), 1);
    assert_true(S == 1 && W == 1);
    assert_true(p[0].strong == ID_BASE && p[0].weak == ID_BASE + 1 && p[0].same_group);
}

/* Strong A (township 1), C (3), B (2) in that input order; weak: one in 1,
 * four in 2. Loads are 2, 2, 1. Handing the two extras out in input order
 * (A, C) would keep only 1 + 1 pairs at home; the extra must go to B (four
 * weak at home) and then to A, giving 1 + 2 = 3. */
static void test_same_township_first(void **state)
{
    (void)state;
    struct pairing_unit u[] = {
        unit(0, 1, 4, 0), unit(1, 3, 5, 5), unit(2, 2, 3, 4), unit(3, 1, 1, 0),
        unit(4, 2, 2, 0), unit(5, 2, 0, 2), unit(6, 2, 1, 1), unit(7, 2, 2, 2),
    };
    struct pairing_pair p[8];
    size_t S, W;
    assert_int_equal(pairing_suggest(u, 8, NULL, p, &S, &W), 5);
    assert_true(S == 3 && W == 5);
    assert_int_equal(check_pairs(u, 8, p, 5), 3);
    /* Partners of weak 3..7. The leftovers 6 and 7 go to the strong units
     * with room, in input order: A, then C. */
    const uint32_t want[] = {0, 2, 2, 0, 1};
    for (size_t k = 0; k < 5; k++)
        assert_int_equal(p[k].strong, ID_BASE + want[k]);
}

/* Extras are short: S = 3, W = 7, so one strong unit takes 3. Townships 1
 * (3 weak) and 2 (4 weak) could both use it; 2 has the larger deficit and
 * gets it although A comes first. C (township 3, no weak) takes the two
 * weak units left over. */
static void test_extras_to_largest_deficit(void **state)
{
    (void)state;
    struct pairing_unit u[] = {
        unit(0, 1, 4, 0), unit(1, 2, 4, 0), unit(2, 3, 4, 0),  unit(3, 1, 1, 0),
        unit(4, 1, 1, 0), unit(5, 1, 1, 0), unit(6, 2, 1, 0),  unit(7, 2, 1, 0),
        unit(8, 2, 1, 0), unit(9, 2, 1, 0), unit(10, 1, 3, 0),
    };
    struct pairing_pair p[11];
    assert_int_equal(pairing_suggest(u, 11, NULL, p, NULL, NULL), 7);
    assert_int_equal(check_pairs(u, 11, p, 7), 5);
    const uint32_t want[] = {0, 0, 2, 1, 1, 1, 2}; /* partners of weak 3..9 */
    for (size_t k = 0; k < 7; k++)
        assert_int_equal(p[k].strong, ID_BASE + want[k]);
}

static void test_brute_force_small(void **state)
{
    (void)state;
    rng_state = 0x9e3779b97f4a7c15u;
    struct pairing_unit u[8];
    struct pairing_pair p[8];
    size_t cases = 0;
    for (int round = 0; round < 4000; round++) {
        size_t n = 1 + rnd(8);
        random_units(u, n, 1 + rnd(4));
        size_t got = suggest_checked(u, n, p);
        assert_int_equal(got, brute_force(u, n));
        assert_int_equal(got, optimum_by_dp(u, n));
        cases++;
    }
    assert_int_equal(cases, 4000);
}

static void test_random_balanced_and_optimal(void **state)
{
    (void)state;
    rng_state = 42;
    enum { N = 600 };
    struct pairing_unit *u = malloc(N * sizeof *u);
    struct pairing_pair *p = malloc(N * sizeof *p), *again = malloc(N * sizeof *again);
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + rnd(N);
        random_units(u, n, 1 + rnd(40));
        /* Skew some rounds towards many weak or many strong units. */
        if (round % 3 == 1)
            for (size_t i = 0; i < n; i++)
                if (rnd(4)) u[i].level = u[i].target = (int)rnd(3);
        if (round % 3 == 2)
            for (size_t i = 0; i < n; i++)
                if (rnd(4)) u[i].target = 4 + (int)rnd(2);
        size_t same = suggest_checked(u, n, p);
        assert_int_equal(same, optimum_by_dp(u, n));
        size_t np = pairing_suggest(u, n, NULL, again, NULL, NULL);
        for (size_t k = 0; k < np; k++) /* deterministic */
            assert_true(again[k].strong == p[k].strong && again[k].weak == p[k].weak &&
                        again[k].same_group == p[k].same_group);
    }
    free(u);
    free(p);
    free(again);
}

/* 舞阳县-like: 14 strong and 53 weak branches in 14 townships, unevenly
 * spread (two townships have no strong branch, one no weak), with 三星
 * villages that take no part. Loads are 3 or 4 (53 = 14 * 3 + 11). */
static void test_wuyang(void **state)
{
    (void)state;
    static const int strong_per[14] = {2, 1, 1, 0, 2, 1, 1, 1, 0, 1, 2, 1, 0, 1};
    static const int weak_per[14] = {5, 6, 2, 4, 3, 7, 1, 4, 5, 3, 2, 6, 3, 2};
    struct pairing_unit u[120];
    size_t n = 0;
    rng_state = 411121;
    for (int t = 0; t < 14; t++) {
        uint32_t town = 411121100 + (uint32_t)t;
        for (int k = 0; k < strong_per[t]; k++)
            u[n] = unit(n, town, 3 + (int)rnd(3), 4 + (int)rnd(2)), n++;
        for (int k = 0; k < weak_per[t]; k++)
            u[n] = unit(n, town, 1 + (int)rnd(2), (int)rnd(3)), n++;
        u[n] = unit(n, town, 3, 3), n++;
    }
    /* Interleave so input order is not township order. */
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = rnd((uint32_t)i + 1);
        struct pairing_unit t = u[i];
        u[i] = u[j], u[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        u[i].id = (uint32_t)(ID_BASE + i);
    struct pairing_pair p[120];
    size_t S, W;
    size_t np = pairing_suggest(u, n, NULL, p, &S, &W);
    assert_true(S == 14 && W == 53 && np == 53);
    size_t load[120] = {0}, fours = 0;
    for (size_t k = 0; k < np; k++)
        load[p[k].strong - ID_BASE]++;
    for (size_t i = 0; i < n; i++) {
        if (pairing_classify(&u[i], NULL) != PAIRING_STRONG) continue;
        assert_true(load[i] == 3 || load[i] == 4);
        fours += load[i] == 4;
    }
    assert_int_equal(fours, 11);
    size_t same = check_pairs(u, n, p, np);
    assert_int_equal(same, optimum_by_dp(u, n));
    /* By hand: 12 weak in townships 3, 8 and 12 (no strong branch) must
     * leave; at 3 each, townships 1, 5, 7, 11 keep 3 of 6, 7, 4, 6, and one
     * extra each keeps one more; all others keep all their weak: 34. */
    assert_int_equal(same, 34);
}

/* 100,000 units, once spread over 2,000 townships with mostly strong units,
 * once over 30 townships with mostly weak ones. */
static void test_large(void **state)
{
    (void)state;
    enum { N = 100000 };
    rng_state = 7;
    struct pairing_unit *u = malloc(N * sizeof *u);
    struct pairing_pair *p = malloc(N * sizeof *p);
    for (int round = 0; round < 2; round++) {
        random_units(u, N, round ? 30 : 2000);
        if (round)
            for (size_t i = 0; i < N; i++)
                if (rnd(5)) u[i].level = u[i].target = (int)rnd(3);
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        size_t S, W, np = pairing_suggest(u, N, NULL, p, &S, &W);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
        print_message("pairing_suggest: n=%d strong=%zu weak=%zu in %.1f ms\n", N, S, W, ms);
        assert_int_equal(np, W);
        check_pairs(u, N, p, np);
        assert_true(ms < 1000); /* generous for sanitizer builds; ~15 ms in Release */
    }
    free(u);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_nothing_to_pair),
        cmocka_unit_test(test_same_township_first),
        cmocka_unit_test(test_extras_to_largest_deficit),
        cmocka_unit_test(test_brute_force_small),
        cmocka_unit_test(test_random_balanced_and_optimal),
        cmocka_unit_test(test_wuyang),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
