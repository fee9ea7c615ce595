/* test_draw.c — the 双随机 draw (core/draw.c) and the working-day calendar
 * (core/workdays.c): a fixed vector computed by the independent Python
 * re-implementation (tools/draw_verify.py), determinism, 回避 exclusions,
 * at least two distinct inspectors per target, refusals, and 20 working
 * days across the 2025 国庆 holiday and its 调休 Saturday. */
#include "testing.h"

#include <time.h>

#include "core/draw.h"
#include "core/workdays.h"

static const int64_t T[] = {110, 101, 102, 103, 104, 105, 106, 107, 108, 109};
static const int64_t I[] = {15, 11, 12, 13, 14};
static const struct draw_link L[] = {{11, 103}, {12, 103}, {13, 103}, {14, 107}};

/* python3 tools/draw_verify.py 7 2026-03-02T09:00:00+08:00 4 2 \
 *   101,...,110 11,12,13,14,15 11:103,12:103,13:103,14:107 */
static void test_vector(void **state)
{
    (void)state;
    char digest[DRAW_SEED_HEX], hex[DRAW_SEED_HEX];
    unsigned char seed[DRAW_SEED_BYTES];
    draw_registry_digest(T, 10, I, 5, L, 4, digest);
    assert_string_equal(digest, "38e76484fd789cc163daa58bcfb8f2962452e9d959571f24a5d2eaed425d805f");
    draw_seed(7, digest, "2026-03-02T09:00:00+08:00", seed);
    draw_hex(seed, hex);
    assert_string_equal(hex, "4ce9aace1ef2a0df4a4c0e96bf296ae919ec27505cc2b4c07c21dd9a1fa6e034");
    int64_t t[4], ins[8];
    assert_int_equal(draw_run(seed, T, 10, I, 5, L, 4, 4, 2, t, ins, NULL, NULL), DRAW_OK);
    const int64_t want_t[] = {103, 109, 102, 107};
    const int64_t want_i[] = {15, 14, 11, 12, 15, 11, 11, 12};
    for (int k = 0; k < 4; k++)
        assert_int_equal(t[k], want_t[k]);
    for (int k = 0; k < 8; k++)
        assert_int_equal(ins[k], want_i[k]);
}

static int64_t *ids(size_t n, int64_t base, int64_t step)
{
    int64_t *a = malloc(n * sizeof *a);
    for (size_t k = 0; k < n; k++)
        a[k] = base + (int64_t)k * step;
    return a;
}

/* Random inputs: same seed → same result whatever the input order; every
 * drawn target distinct; each target's inspectors distinct, from the
 * registry and never linked to it. */
static void test_properties(void **state)
{
    (void)state;
    size_t nt = 2000, ni = 40, nl = 3000, count = 300, per = 3;
    int64_t *t = ids(nt, 5, 3), *in = ids(ni, 900000, 7);
    struct draw_link *l = malloc(nl * sizeof *l);
    unsigned x = 12345;
    for (size_t k = 0; k < nl; k++) {
        x = x * 1103515245u + 12345u;
        l[k].inspector = in[(x >> 8) % ni];
        x = x * 1103515245u + 12345u;
        l[k].target = t[(x >> 8) % 50]; /* crowd links on few targets */
    }
    /* dedupe links (a registry holds each pair once) */
    size_t m = 0;
    for (size_t k = 0; k < nl; k++) {
        bool dup = false;
        for (size_t j = 0; j < m && !dup; j++)
            dup = l[j].inspector == l[k].inspector && l[j].target == l[k].target;
        if (!dup) l[m++] = l[k];
    }
    nl = m;
    unsigned char seed[DRAW_SEED_BYTES];
    draw_seed(42, "abc", "2026-01-05T10:00:00+08:00", seed);
    int64_t *a = malloc(count * sizeof *a), *ai = malloc(count * per * sizeof *ai);
    int64_t *b = malloc(count * sizeof *b), *bi = malloc(count * per * sizeof *bi);
    int64_t bad = 0;
    size_t elig = 0;
    enum draw_status s1 = draw_run(seed, t, nt, in, ni, l, nl, count, per, a, ai, &bad, &elig);
    /* reverse the inputs: the result must not depend on their order */
    for (size_t k = 0; k < nt / 2; k++) {
        int64_t tmp = t[k];
        t[k] = t[nt - 1 - k];
        t[nt - 1 - k] = tmp;
    }
    for (size_t k = 0; k < ni / 2; k++) {
        int64_t tmp = in[k];
        in[k] = in[ni - 1 - k];
        in[ni - 1 - k] = tmp;
    }
    enum draw_status s2 = draw_run(seed, t, nt, in, ni, l, nl, count, per, b, bi, NULL, NULL);
    assert_int_equal(s1, DRAW_OK);
    assert_int_equal(s2, DRAW_OK);
    {
        assert_memory_equal(a, b, count * sizeof *a);
        assert_memory_equal(ai, bi, count * per * sizeof *ai);
        for (size_t k = 0; k < count; k++) {
            assert_true(a[k] >= 5 && (a[k] - 5) % 3 == 0 && a[k] < 5 + 3 * (int64_t)nt);
            for (size_t j = 0; j < k; j++)
                assert_true(a[j] != a[k]);
            for (size_t p = 0; p < per; p++) {
                int64_t who = ai[k * per + p];
                assert_true(who >= 900000 && (who - 900000) % 7 == 0);
                for (size_t q = 0; q < p; q++)
                    assert_true(ai[k * per + q] != who);
                for (size_t j = 0; j < nl; j++)
                    assert_false(l[j].inspector == who && l[j].target == a[k]);
            }
        }
    }
    /* a different public value gives a different draw */
    draw_seed(42, "abc", "2026-01-05T10:00:01+08:00", seed);
    draw_run(seed, t, nt, in, ni, l, nl, count, per, b, bi, NULL, NULL);
    assert_true(memcmp(a, b, count * sizeof *a) != 0);
    free(t), free(in), free(l), free(a), free(ai), free(b), free(bi);
}

static void test_refusals(void **state)
{
    (void)state;
    unsigned char seed[DRAW_SEED_BYTES] = {0};
    int64_t t[10], ins[30], bad = 0;
    size_t elig = 99;
    /* per target below two */
    assert_int_equal(draw_run(seed, T, 10, I, 5, L, 4, 2, 1, t, ins, NULL, NULL), DRAW_BAD_INPUT);
    /* more targets than the registry holds */
    assert_int_equal(draw_run(seed, T, 10, I, 5, L, 4, 11, 2, t, ins, NULL, NULL),
                     DRAW_TOO_MANY_TARGETS);
    /* all ten targets with three inspectors: 103 has only two after 回避 */
    assert_int_equal(draw_run(seed, T, 10, I, 5, L, 4, 10, 3, t, ins, &bad, &elig),
                     DRAW_TOO_FEW_INSPECTORS);
    assert_int_equal(bad, 103);
    assert_int_equal(elig, 2);
    /* duplicate ids */
    const int64_t dup[] = {1, 2, 2};
    assert_int_equal(draw_run(seed, dup, 3, I, 5, NULL, 0, 1, 2, t, ins, NULL, NULL),
                     DRAW_BAD_INPUT);
    /* the ratio */
    assert_int_equal(draw_count_for_ratio(0, 50), 0);
    assert_int_equal(draw_count_for_ratio(10, 0), 0);
    assert_int_equal(draw_count_for_ratio(10, 50), 1);    /* 5 % of 10 = 0.5 → 1 */
    assert_int_equal(draw_count_for_ratio(1000, 30), 30); /* 3 % */
    assert_int_equal(draw_count_for_ratio(1001, 30), 31);
    assert_int_equal(draw_count_for_ratio(7, 2000), 7);
}

/* The rejection step is unbiased: a bound of 3 over many words gives each
 * remainder about a third of the time. */
static void test_uniform(void **state)
{
    (void)state;
    unsigned char seed[DRAW_SEED_BYTES] = {1};
    struct draw_rng r;
    draw_rng_init(&r, seed);
    size_t c[3] = {0};
    for (int k = 0; k < 30000; k++)
        c[draw_rng_below(&r, 3)]++;
    for (int k = 0; k < 3; k++)
        assert_true(c[k] > 9500 && c[k] < 10500);
    assert_int_equal(draw_rng_below(&r, 1), 0);
}

static void test_large_fast(void **state)
{
    (void)state;
    size_t nt = 100000, ni = 500, count = 1000;
    int64_t *t = ids(nt, 1, 1), *in = ids(ni, 1000000, 1);
    struct draw_link *l = malloc(2000 * sizeof *l);
    for (size_t k = 0; k < 2000; k++)
        l[k] = (struct draw_link){1000000 + (int64_t)(k % ni), (int64_t)(k * 37 % nt) + 1};
    unsigned char seed[DRAW_SEED_BYTES];
    draw_seed(1, "d", "p", seed);
    int64_t *o = malloc(count * sizeof *o), *oi = malloc(count * 2 * sizeof *oi);
    clock_t c0 = clock();
    assert_int_equal(draw_run(seed, t, nt, in, ni, l, 2000, count, 2, o, oi, NULL, NULL), DRAW_OK);
    double ms = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
    assert_true(ms < 2000); /* generous for sanitizer builds; bench/draw.sh holds ≤ 100 ms */
    free(t), free(in), free(l), free(o), free(oi);
}

static void test_workdays(void **state)
{
    (void)state;
    /* 2025: 国庆节、中秋节 10-01..10-08 off, 09-28 (Sun) and 10-11 (Sat) work */
    int32_t off[8], work[] = {workdays_parse("2025-09-28"), workdays_parse("2025-10-11")};
    for (int k = 0; k < 8; k++)
        off[k] = workdays_parse("2025-10-01") + k;
    struct workdays c = {off, 8, work, 2};
    assert_int_equal(workdays_parse("2025-02-30"), -1);
    assert_int_equal(workdays_parse("2025-1-3"), -1);
    assert_int_equal(workdays_parse("1970-01-01"), 0);
    assert_false(workdays_is_working(&c, workdays_parse("2025-10-06"))); /* Monday, holiday */
    assert_true(workdays_is_working(&c, workdays_parse("2025-10-11")));  /* Saturday, 调休 */
    assert_false(workdays_is_working(&c, workdays_parse("2025-10-12"))); /* Sunday */
    assert_true(workdays_is_working(&c, workdays_parse("2025-09-30")));  /* Tuesday */
    /* From 2025-09-26 (Fri): 28 (Sun, 调休), 29, 30 = 3; 10-09, 10, 11 = 6;
     * 13–17 = 11; 20–24 = 16; 27, 28, 29, 30 = 20 → 2025-10-30. */
    char out[11];
    workdays_format(workdays_add(&c, workdays_parse("2025-09-26"), 20), out);
    assert_string_equal(out, "2025-10-30");
    workdays_format(workdays_add(&c, workdays_parse("2024-02-28"), 2), out);
    assert_string_equal(out, "2024-03-01"); /* leap day is a Thursday */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector),     cmocka_unit_test(test_properties),
        cmocka_unit_test(test_refusals),   cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_large_fast), cmocka_unit_test(test_workdays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
