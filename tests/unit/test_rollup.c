/* test_rollup.c — aggregation up a small tree (core/rollup.c), with the
 * expected figures worked out by hand, and periods (core/period.c). */
#include "testing.h"

#include "core/period.h"
#include "core/rollup.h"

/*   41 河南省
 *     4111 漯河市
 *       411121 舞阳县
 *         411121100 舞泉镇 → 411121100201 (a), 411121100202 (b)
 *         411121101 吴城镇 → 411121101201 (c)
 *   42 湖北省 (no data) */
static const char *const codes[] = {"41",        "4111",         "411121",
                                    "411121100", "411121100201", "411121100202",
                                    "411121101", "411121101201", "42"};

static struct tree *sample(void)
{
    struct tree_builder *b = tree_builder_new();
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        tree_builder_add(b, codes[i], strlen(codes[i]), "x", 1,
                         unit_kind_from_code(codes[i], strlen(codes[i])));
    struct tree *t;
    struct err e;
    assert_int_equal(tree_build(b, &t, &e), ERR_OK);
    return t;
}

static uint32_t at(const struct tree *t, const char *code)
{
    uint32_t i = tree_find(t, code, strlen(code));
    assert_true(i != TREE_NONE);
    return i;
}

/* Households and sanitary toilets in villages a, b, c: (100, 90), (200, 150), (300, 300). */
static void test_sum_and_rate(void **state)
{
    (void)state;
    struct tree *t = sample();
    uint32_t n = tree_count(t);
    double hh[16] = {0}, wc[16] = {0}, shh[16], swc[16];
    uint32_t chh[16] = {0}, cwc[16] = {0}, schh[16], scwc[16];
    const char *v[] = {"411121100201", "411121100202", "411121101201"};
    double hv[] = {100, 200, 300}, wv[] = {90, 150, 300};
    for (int k = 0; k < 3; k++) {
        uint32_t i = at(t, v[k]);
        hh[i] = hv[k], wc[i] = wv[k], chh[i] = cwc[i] = 1;
    }
    rollup_pass(t, hh, chh, shh, schh);
    rollup_pass(t, wc, cwc, swc, scwc);
    bool missing;
    uint32_t town = at(t, "411121100"), county = at(t, "411121"), hubei = at(t, "42");
    assert_true(rollup_value(AGG_SUM, hh[town], chh[town], shh[town], schh[town], &missing) == 300);
    assert_false(missing);
    assert_true(shh[county] == 600 && schh[county] == 3);
    /* The rate is Σ toilets / Σ households: 540 / 600 = 90 %, not the mean of 90, 75, 100. */
    assert_true(swc[county] / shh[county] * 100 == 90);
    assert_true(swc[town] / shh[town] * 100 == 80);
    assert_true(shh[at(t, "41")] == 600);
    rollup_value(AGG_SUM, hh[hubei], chh[hubei], shh[hubei], schh[hubei], &missing);
    assert_true(missing);
    (void)n;
    tree_unref(t);
}

/* Satisfaction (an average): a 80, b 90 and a unit-level value on 舞泉镇 itself of 100. */
static void test_average_and_none(void **state)
{
    (void)state;
    struct tree *t = sample();
    double own[16] = {0}, sub[16];
    uint32_t cnt[16] = {0}, scnt[16];
    own[at(t, "411121100201")] = 80, cnt[at(t, "411121100201")] = 1;
    own[at(t, "411121100202")] = 90, cnt[at(t, "411121100202")] = 1;
    own[at(t, "411121100")] = 100, cnt[at(t, "411121100")] = 1;
    rollup_pass(t, own, cnt, sub, scnt);
    uint32_t town = at(t, "411121100"), county = at(t, "411121");
    bool missing;
    assert_true(rollup_value(AGG_AVERAGE, own[town], cnt[town], sub[town], scnt[town], &missing) ==
                90); /* (80 + 90 + 100) / 3 */
    assert_true(rollup_value(AGG_NONE, own[town], cnt[town], sub[town], scnt[town], &missing) ==
                100);
    rollup_value(AGG_NONE, own[county], cnt[county], sub[county], scnt[county], &missing);
    assert_true(missing); /* no value of its own */
    assert_true(rollup_value(AGG_AVERAGE, own[county], cnt[county], sub[county], scnt[county],
                             &missing) == 90);
    tree_unref(t);
}

static void test_periods(void **state)
{
    (void)state;
    struct period p;
    struct err e;
    char lo[PERIOD_TEXT_MAX], hi[PERIOD_TEXT_MAX];
    assert_int_equal(period_parse("2023", &p, &e), ERR_OK);
    assert_int_equal(period_range(&p, PERIOD_MONTH, lo, hi, &e), ERR_OK);
    assert_string_equal(lo, "2023-01");
    assert_string_equal(hi, "2023-12");
    assert_int_equal(period_range(&p, PERIOD_QUARTER, lo, hi, &e), ERR_OK);
    assert_string_equal(hi, "2023Q4");
    assert_int_equal(period_parse("2023q3", &p, &e), ERR_OK);
    assert_int_equal(period_range(&p, PERIOD_MONTH, lo, hi, &e), ERR_OK);
    assert_string_equal(lo, "2023-07");
    assert_string_equal(hi, "2023-09");
    assert_int_equal(period_range(&p, PERIOD_YEAR, lo, hi, &e), ERR_INVALID);
    assert_int_equal(period_parse("2023-12", &p, &e), ERR_OK);
    period_format(&p, lo);
    assert_string_equal(lo, "2023-12");
    const char *bad[] = {"",      "23",   "2023-13", "2023-00", "2023Q5",
                         "2023Q", "1800", "2023-1",  "２０２３"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(period_parse(bad[i], &p, &e), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sum_and_rate),
        cmocka_unit_test(test_average_and_none),
        cmocka_unit_test(test_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
