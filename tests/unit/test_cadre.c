/* test_cadre.c — the arithmetic of 干部队伍 (core/cadre.c): full years
 * across birthdays and leap days, and the 三岗十八级 grade from the starting
 * grade, years of service and steps, capped at both ends. */
#include "testing.h"

#include "core/cadre.h"

static void test_full_years(void **state)
{
    (void)state;
    assert_int_equal(cadre_full_years("1990-06-15", "2026-06-14"), 35);
    assert_int_equal(cadre_full_years("1990-06-15", "2026-06-15"), 36);
    assert_int_equal(cadre_full_years("2000-02-29", "2026-02-28"), 25);
    assert_int_equal(cadre_full_years("2000-02-29", "2026-03-01"), 26);
    assert_int_equal(cadre_full_years("2026-01-01", "2026-12-31"), 0);
    assert_int_equal(cadre_full_years("2027-01-01", "2026-12-31"), -1);
}

static void test_grade(void **state)
{
    (void)state;
    /* 正职 starts at 7; 6 years / 2 = +3; bachelor +1, 社会工作师 +2 */
    assert_int_equal(cadre_grade(7, 6, 2, 3, 18), 13);
    assert_int_equal(cadre_grade(7, 5, 2, 0, 18), 9); /* a started step does not count */
    assert_int_equal(cadre_grade(1, 40, 2, 0, 18), 18);
    assert_int_equal(cadre_grade(1, -3, 2, 0, 18), 1); /* a start after the date */
    assert_int_equal(cadre_grade(0, 0, 2, 0, 18), 1);
    assert_int_equal(cadre_grade(4, 0, 0, 0, 18), 4); /* no yearly step */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_years),
        cmocka_unit_test(test_grade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
