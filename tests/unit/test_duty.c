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

/* A duty over a relationship (duty_link_count): a 包联领导 visiting a key
 * village at least once a month, the link holding from 2026-02-10. */
static void test_link(void **state)
{
    (void)state;
    const char *days[] = {"2026-01-20", "2026-02-11", "2026-04-01", "2026-04-30", "2026-06-15"};
    struct duty_totals t = {0};
    /* 2026 as of 2026-06-10: Jan not linked (from after its last day), Feb done,
     * Mar missed, Apr done, May missed, June running and not yet done:
     * pending; the later months pending too */
    duty_link_count(PERIOD_MONTH, 1, "2026-02-10", "", days, 4, "2026-01-01", "2027-01-01",
                    "2026-06-10", &t, NULL, NULL);
    assert_int_equal(t.done, 2);
    assert_int_equal(t.missed, 2);
    assert_int_equal(t.pending, 7);
    assert_int_equal(t.due, 4);
    /* a running period already done counts as done and due */
    memset(&t, 0, sizeof t);
    duty_link_count(PERIOD_MONTH, 1, "2026-02-10", "", days, 5, "2026-06-01", "2026-07-01",
                    "2026-06-20", &t, NULL, NULL);
    assert_int_equal(t.done, 1);
    assert_int_equal(t.due, 1);
    /* two visits needed a quarter: Q1 has two, Q2 three, Q3 and Q4 none */
    memset(&t, 0, sizeof t);
    duty_link_count(PERIOD_QUARTER, 2, "2026-01-01", "", days, 5, "2026-01-01", "2027-01-01",
                    "2027-01-01", &t, NULL, NULL);
    assert_int_equal(t.done, 2);
    assert_int_equal(t.missed, 2);
    /* three needed: only Q2 */
    memset(&t, 0, sizeof t);
    duty_link_count(PERIOD_QUARTER, 3, "2026-01-01", "", days, 5, "2026-01-01", "2027-01-01",
                    "2027-01-01", &t, NULL, NULL);
    assert_int_equal(t.done, 1);
    /* the link ended on 2026-05-01: May and later are not counted */
    memset(&t, 0, sizeof t);
    duty_link_count(PERIOD_MONTH, 1, "2026-01-01", "2026-05-01", days, 5, "2026-01-01",
                    "2027-01-01", "2027-01-01", &t, NULL, NULL);
    assert_int_equal(t.done + t.missed, 4);
    assert_int_equal(t.done, 3);
}

/* A duty over spans (duty_spans_count): a resident's quarterly follow-up
 * under family-doctor contracts; a quarter is due when a contract held on
 * some day of it. */
static void test_spans(void **state)
{
    (void)state;
    const char *days[] = {"2026-08-01", "2026-11-20"};
    struct duty_totals t = {0};
    /* a contract from 2026-08-15: Q1 and Q2 not due, Q3 due (it began in
     * it) and missed, Q4 done, as of year's end */
    struct duty_span one[] = {{"2026-08-15", "2027-08-15"}};
    duty_spans_count(PERIOD_QUARTER, 1, one, 1, days + 1, 1, "2026-01-01", "2027-01-01",
                     "2027-01-01", &t, NULL, NULL);
    assert_int_equal(t.due, 2);
    assert_int_equal(t.done, 1);
    assert_int_equal(t.missed, 1);
    assert_int_equal(t.pending, 0);
    /* one ending 2026-04-01 (Q2 not held) and one from 2026-06-30 (Q2 held
     * on its last day): Q1, Q2, Q3 (done) and Q4 (done) */
    struct duty_span two[] = {{"2026-06-30", ""}, {"2025-06-01", "2026-04-01"}};
    memset(&t, 0, sizeof t);
    duty_spans_count(PERIOD_QUARTER, 1, two, 2, days, 2, "2026-01-01", "2027-01-01", "2027-01-01",
                     &t, NULL, NULL);
    assert_int_equal(t.due, 4);
    assert_int_equal(t.done, 2);
    /* a contract ended 2026-04-01 with none after: only Q1; none: nothing */
    memset(&t, 0, sizeof t);
    duty_spans_count(PERIOD_QUARTER, 1, two + 1, 1, days, 2, "2026-01-01", "2027-01-01",
                     "2027-01-01", &t, NULL, NULL);
    assert_int_equal(t.due, 1);
    assert_int_equal(t.missed, 1);
    memset(&t, 0, sizeof t);
    duty_spans_count(PERIOD_QUARTER, 1, NULL, 0, days, 2, "2026-01-01", "2027-01-01", "2027-01-01",
                     &t, NULL, NULL);
    assert_int_equal(t.due + t.pending, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_periods),
                                       cmocka_unit_test(test_states), cmocka_unit_test(test_link),
                                       cmocka_unit_test(test_spans)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
