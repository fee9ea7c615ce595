/* test_evaluation.c — aggregation of an evaluation (core/evaluation.c):
 * the weighted mean across rater groups, the trimmed mean, the share of
 * top grades, invalid votes (不了解) and weight sets. */
#include "testing.h"

#include "core/evaluation.h"

#include <math.h>

#define V(s, g, v)                                                                                 \
    {                                                                                              \
        (s), (g), (v), true, (v) >= 100                                                            \
    }
#define INVALID(s, g)                                                                              \
    {                                                                                              \
        (s), (g), 0, false, false                                                                  \
    }

static void assert_near(double got, double want)
{
    if (fabs(got - want) > 1e-9) fail_msg("got %.12f, want %.12f", got, want);
}

static void test_weights(void **state)
{
    (void)state;
    assert_true(eval_weights_ok((int[]){40, 40, 20}, 3));
    assert_false(eval_weights_ok((int[]){40, 40, 30}, 3));
    assert_false(eval_weights_ok((int[]){50, 50, 0}, 3));
    assert_false(eval_weights_ok((int[]){100}, 0));
    assert_true(eval_weights_ok((int[]){100}, 1));
}

static void test_weighted_mean(void **state)
{
    (void)state;
    /* subject 0: group 0 mean 85, group 1 mean 70, group 2 mean 30 →
     * 0.4·85 + 0.4·70 + 0.2·30 = 68 */
    const struct eval_vote v[] = {V(0, 0, 100), V(0, 0, 70),   V(0, 1, 70),
                                  V(0, 2, 30),  INVALID(0, 2), V(1, 0, 30)};
    struct eval_score s[2];
    enum eval_rule r;
    assert_true(eval_rule_parse("weighted_mean", &r));
    assert_true(eval_aggregate(r, (int[]){40, 40, 20}, 3, v, 6, 2, s));
    assert_true(s[0].scored);
    assert_near(s[0].score, 68);
    assert_int_equal(s[0].valid, 4);
    assert_int_equal(s[0].invalid, 1);
    /* subject 1: only group 0 voted: its weight is scaled to 100 % */
    assert_near(s[1].score, 30);
    int ranks[2];
    eval_rank(s, 2, ranks);
    assert_int_equal(ranks[0], 1);
    assert_int_equal(ranks[1], 2);
}

static void test_invalid_only(void **state)
{
    (void)state;
    const struct eval_vote v[] = {INVALID(0, 0), INVALID(0, 1), V(1, 1, 70), V(1, 1, 70)};
    struct eval_score s[2];
    assert_true(eval_aggregate(EVAL_WEIGHTED_MEAN, (int[]){50, 50}, 2, v, 4, 2, s));
    assert_false(s[0].scored);
    assert_int_equal(s[0].invalid, 2);
    assert_int_equal(s[0].valid, 0);
    int ranks[2];
    eval_rank(s, 2, ranks);
    assert_int_equal(ranks[0], 0); /* unscored: no rank */
    assert_int_equal(ranks[1], 1);
}

static void test_trimmed_mean(void **state)
{
    (void)state;
    /* judges: 90, 80, 85, 10, 100 → without 100 and 10: (90+80+85)/3 = 85;
     * two votes are not trimmed */
    const struct eval_vote v[] = {V(0, 0, 90),  V(0, 0, 80), V(0, 0, 85), V(0, 0, 10),
                                  V(0, 0, 100), V(1, 0, 90), V(1, 0, 60)};
    struct eval_score s[2];
    assert_true(eval_aggregate(EVAL_TRIMMED_MEAN, (int[]){100}, 1, v, 7, 2, s));
    assert_near(s[0].score, 85);
    assert_near(s[1].score, 75);
}

static void test_top_share(void **state)
{
    (void)state;
    /* group 0: 2 of 4 valid are 满意 (50 %), group 1: 1 of 1 (100 %); 不了解 not counted */
    const struct eval_vote v[] = {V(0, 0, 100), V(0, 0, 100),  V(0, 0, 70),
                                  V(0, 0, 30),  INVALID(0, 0), V(0, 1, 100)};
    struct eval_score s[1];
    assert_true(eval_aggregate(EVAL_TOP_SHARE, (int[]){60, 40}, 2, v, 6, 1, s));
    assert_near(s[0].score, 0.6 * 50 + 0.4 * 100);
}

static void test_out_of_range(void **state)
{
    (void)state;
    const struct eval_vote v[] = {V(2, 0, 100)};
    struct eval_score s[2];
    assert_false(eval_aggregate(EVAL_WEIGHTED_MEAN, (int[]){100}, 1, v, 1, 2, s));
    enum eval_rule r;
    assert_false(eval_rule_parse("median", &r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights),      cmocka_unit_test(test_weighted_mean),
        cmocka_unit_test(test_invalid_only), cmocka_unit_test(test_trimmed_mean),
        cmocka_unit_test(test_top_share),    cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
