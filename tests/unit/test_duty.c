/* test_duty.c — duties as periods (core/duty.c): which duty periods a
 * reporting period counts (by their last day), and that the future is
 * never missed. */
#include "testing.h"

#include "core/duty.h"

struct seen {
    char list[512];
};

static int collect(void *ctx, const struct period *p, const char *ps, const char *pn)
{
    struct seen *s = ctx;
    char text[PERIOD_TEXT_MAX];
    period_format(p, text);
    size_t len = strlen(s->list);
    snprintf(s->list + len, sizeof s->list - len, "%s[%s,%s) ", text, ps, pn);
    return 0;
}

static void test_periods(void **state)
{
    (void)state;
    struct seen s = {""};
    duty_periods(PERIOD_MONTH, "2026-01-01", "2027-01-01", collect, &s);
    assert_non_null(strstr(s.list, "2026-01[2026-01-01,2026-02-01)"));
    assert_non_null(strstr(s.list, "2026-12[2026-12-01,2027-01-01)"));
    assert_null(strstr(s.list, "2027-01["));
    memset(&s, 0, sizeof s);
    /* a quarter counts in the month holding its last day */
    duty_periods(PERIOD_QUARTER, "2026-03-01", "2026-04-01", collect, &s);
    assert_string_equal(s.list, "2026Q1[2026-01-01,2026-04-01) ");
    memset(&s, 0, sizeof s);
    duty_periods(PERIOD_QUARTER, "2026-02-01", "2026-03-01", collect, &s);
    assert_string_equal(s.list, "");
    memset(&s, 0, sizeof s);
    duty_periods(PERIOD_YEAR, "2026-01-01", "2027-01-01", collect, &s);
    assert_string_equal(s.list, "2026[2026-01-01,2027-01-01) ");
}

static void test_states(void **state)
{
    (void)state;
    assert_int_equal(duty_state(true, "2099-01-01", "2026-06-15"), DUTY_DONE);
    assert_int_equal(duty_state(false, "2026-06-01", "2026-06-15"), DUTY_MISSED);
    /* the running month and the future are pending, never missed */
    assert_int_equal(duty_state(false, "2026-07-01", "2026-06-15"), DUTY_PENDING);
    assert_int_equal(duty_state(false, "2026-06-16", "2026-06-15"), DUTY_PENDING);
    assert_int_equal(duty_state(false, "2026-06-15", "2026-06-15"), DUTY_MISSED);
    assert_string_equal(duty_state_name(DUTY_PENDING), "pending");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_periods),
                                       cmocka_unit_test(test_states)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
