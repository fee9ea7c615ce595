/* test_civil.c — core/civil.c: dates to day numbers and back, the one
 * copy of that arithmetic every module uses. */
#include "testing.h"

#include "core/civil.h"

static void test_round_trip(void **state)
{
    (void)state;
    assert_int_equal(civil_days(1970, 1, 1), 0);
    assert_int_equal(civil_days(1969, 12, 31), -1);
    assert_int_equal(civil_days(2000, 3, 1) - civil_days(2000, 2, 28), 2); /* 2000 was leap */
    assert_int_equal(civil_days(1900, 3, 1) - civil_days(1900, 2, 28), 1); /* 1900 was not */
    /* every day from 1800 to 2200 goes there and back */
    for (long day = civil_days(1800, 1, 1); day < civil_days(2200, 1, 1); day++) {
        int y, m, d;
        civil_date(day, &y, &m, &d);
        assert_int_equal(civil_days(y, m, d), day);
    }
    char out[CIVIL_TEXT];
    civil_format(civil_days(2024, 2, 29), out);
    assert_string_equal(out, "2024-02-29");
    civil_format(0, out);
    assert_string_equal(out, "1970-01-01");
}

static void test_parse(void **state)
{
    (void)state;
    int y, m, d;
    assert_true(civil_parse("2024-02-29", &y, &m, &d));
    assert_int_equal(y * 10000 + m * 100 + d, 20240229);
    assert_false(civil_parse("2026-02-29", &y, &m, &d));
    assert_false(civil_parse("2026-04-31", &y, &m, &d));
    assert_false(civil_parse("2026-13-01", &y, &m, &d));
    assert_false(civil_parse("2026-00-10", &y, &m, &d));
    assert_false(civil_parse("2026-1-01", &y, &m, &d));
    assert_false(civil_parse("2026/01/01", &y, &m, &d));
    assert_false(civil_parse("2026-01-01T00", &y, &m, &d));
    assert_false(civil_parse("", &y, &m, &d));
    assert_false(civil_parse(NULL, &y, &m, &d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
