/* test_period.c — reporting periods (core/period.c): the four forms, ISO
 * weeks (53-week years, weeks across the new year), the stored ranges a
 * query covers and the calendar days of a period. */
#include "testing.h"

#include "core/period.h"

static struct period parse_ok(const char *s)
{
    struct period p;
    struct err e = {0};
    assert_int_equal(period_parse(s, &p, &e), ERR_OK);
    return p;
}

static void assert_invalid(const char *s)
{
    struct period p;
    struct err e = {0};
    assert_int_equal(period_parse(s, &p, &e), ERR_INVALID);
    assert_string_equal(e.field, "period");
    assert_non_null(strstr(e.msg, "2023-W07"));
}

static void test_forms(void **state)
{
    (void)state;
    struct period p = parse_ok("2023");
    assert_int_equal(p.type, PERIOD_YEAR);
    p = parse_ok("2023q3");
    assert_int_equal(p.type, PERIOD_QUARTER);
    assert_int_equal(p.sub, 3);
    p = parse_ok("2023-07");
    assert_int_equal(p.type, PERIOD_MONTH);
    p = parse_ok("2026-w48");
    assert_int_equal(p.type, PERIOD_WEEK);
    assert_int_equal(p.year, 2026);
    assert_int_equal(p.sub, 48);
    char text[PERIOD_TEXT_MAX];
    period_format(&p, text);
    assert_string_equal(text, "2026-W48");
    static const char *const bad[] = {"",        "2023-13",  "2023Q5",   "2023-W00", "2023-W1",
                                      "2023W07", "2025-W53", "1900-W01", "2023-W07x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_invalid(bad[i]);
}

static void test_week_53(void **state)
{
    (void)state;
    parse_ok("2020-W53"); /* 2020 began on a Wednesday and was a leap year */
    parse_ok("2026-W53"); /* 2026 begins on a Thursday */
    assert_invalid("2025-W53");
    assert_invalid("2027-W53");
}

static void test_week_of(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int year, week;
    } cases[] = {
        {"2026-11-23", 2026, 48}, /* a Monday */
        {"2026-11-29", 2026, 48}, /* the Sunday of the same week */
        {"2025-12-29", 2026, 1},  /* the Monday of week 1 lies in the year before */
        {"2027-01-01", 2026, 53}, /* a Friday still in 2026's last week */
        {"2024-12-30", 2025, 1},  {"2021-01-03", 2020, 53},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct period p;
        struct err e = {0};
        assert_int_equal(period_week_of(cases[i].date, &p, &e), ERR_OK);
        assert_int_equal(p.type, PERIOD_WEEK);
        assert_int_equal(p.year, cases[i].year);
        assert_int_equal(p.sub, cases[i].week);
    }
    struct period p;
    struct err e = {0};
    assert_int_equal(period_week_of("2026-02-30", &p, &e), ERR_INVALID);
    assert_int_equal(period_week_of("26-1-1", &p, &e), ERR_INVALID);
}

static void assert_dates(const char *period, const char *start, const char *next)
{
    struct period p = parse_ok(period);
    char a[11], b[11];
    period_dates(&p, a, b);
    assert_string_equal(a, start);
    assert_string_equal(b, next);
}

static void test_dates(void **state)
{
    (void)state;
    assert_dates("2026-W01", "2025-12-29", "2026-01-05");
    assert_dates("2026-W48", "2026-11-23", "2026-11-30");
    assert_dates("2026-W53", "2026-12-28", "2027-01-04");
    assert_dates("2026-12", "2026-12-01", "2027-01-01");
    assert_dates("2024-02", "2024-02-01", "2024-03-01");
    assert_dates("2026Q4", "2026-10-01", "2027-01-01");
    assert_dates("2026", "2026-01-01", "2027-01-01");
}

static void assert_range(const char *query, int type, const char *lo, const char *hi)
{
    struct period q = parse_ok(query);
    char a[PERIOD_TEXT_MAX], b[PERIOD_TEXT_MAX];
    struct err e = {0};
    assert_int_equal(period_range(&q, type, a, b, &e), ERR_OK);
    assert_string_equal(a, lo);
    assert_string_equal(b, hi);
}

static void test_ranges(void **state)
{
    (void)state;
    assert_range("2026", PERIOD_WEEK, "2026-W01", "2026-W53");
    assert_range("2025", PERIOD_WEEK, "2025-W01", "2025-W52");
    assert_range("2026-W07", PERIOD_WEEK, "2026-W07", "2026-W07");
    assert_range("2026Q2", PERIOD_MONTH, "2026-04", "2026-06");
    assert_range("2026", PERIOD_QUARTER, "2026Q1", "2026Q4");
    char a[PERIOD_TEXT_MAX], b[PERIOD_TEXT_MAX];
    struct err e = {0};
    struct period q = parse_ok("2026-11");
    assert_int_equal(period_range(&q, PERIOD_WEEK, a, b, &e),
                     ERR_INVALID); /* weeks straddle months */
    assert_non_null(strstr(e.msg, "跨月"));
    q = parse_ok("2026-W07");
    assert_int_equal(period_range(&q, PERIOD_MONTH, a, b, &e), ERR_INVALID);
    assert_int_equal(period_type_parse("week"), PERIOD_WEEK);
    assert_string_equal(period_type_label(PERIOD_WEEK), "周");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),   cmocka_unit_test(test_week_53),
        cmocka_unit_test(test_week_of), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
