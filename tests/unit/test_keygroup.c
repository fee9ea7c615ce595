/* test_keygroup.c — core/keygroup.c: ages, key groups by age and by tag,
 * and day arithmetic for contract lengths. */
#include "testing.h"

#include "core/keygroup.h"

static void test_age(void **state)
{
    (void)state;
    assert_int_equal(keygroup_age("1960-06-15", "2026-06-14"), 65);
    assert_int_equal(keygroup_age("1960-06-15", "2026-06-15"), 66);
    assert_int_equal(keygroup_age("2020-02-29", "2026-02-28"), 5);
    assert_int_equal(keygroup_age("", "2026-06-15"), -1);
    assert_int_equal(keygroup_age("2027-01-01", "2026-06-15"), -1);
    assert_int_equal(keygroup_age("2026-02-30", "2026-06-15"), -1);
}

static void test_match(void **state)
{
    (void)state;
    struct keygroup old = {"elderly", "65岁及以上老年人", 65, -1, ""};
    struct keygroup kids = {"children", "0～6岁儿童", -1, 6, ""};
    struct keygroup poor = {"poor", "低保、特困人员", -1, -1, ",dibao,tekun,"};
    assert_true(keygroup_match(&old, 65, ""));
    assert_false(keygroup_match(&old, 64, ",hypertension,"));
    assert_false(keygroup_match(&old, -1, ""));
    assert_true(keygroup_match(&kids, 0, ""));
    assert_true(keygroup_match(&kids, 6, ""));
    assert_false(keygroup_match(&kids, 7, ""));
    assert_true(keygroup_match(&poor, 40, ",tekun,"));
    assert_true(keygroup_match(&poor, -1, ",diabetes,dibao,"));
    assert_false(keygroup_match(&poor, 40, ",diabetes,"));
    assert_false(keygroup_match(&poor, 40, ""));
    /* a tag is matched whole, not as a prefix */
    struct keygroup dia = {"diabetes", "糖尿病", -1, -1, ",diabetes,"};
    assert_false(keygroup_match(&dia, 40, ",diabetes2,"));
}

static void test_days(void **state)
{
    (void)state;
    long a, b;
    assert_true(keygroup_day("2026-01-01", &a));
    assert_true(keygroup_day("2027-01-01", &b));
    assert_int_equal(b - a, 365);
    assert_true(keygroup_day("1970-01-01", &a));
    assert_int_equal(a, 0);
    assert_true(keygroup_day("2024-03-01", &a));
    char out[11];
    keygroup_date(a - 1, out);
    assert_string_equal(out, "2024-02-29");
    assert_false(keygroup_day("2026-13-01", &a));
    assert_false(keygroup_day("2026-1-01", &a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_age),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
