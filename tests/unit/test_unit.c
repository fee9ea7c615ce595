/* test_unit.c — unit codes, levels and kinds (core/unit.c). */
#include "testing.h"

#include "core/unit.h"

static int check(const char *code)
{
    struct err e;
    err_clear(&e);
    return unit_code_check(code, strlen(code), &e);
}

static void test_levels_from_code_length(void **state)
{
    (void)state;
    assert_int_equal(check("41"), UNIT_PROVINCE);
    assert_int_equal(check("4111"), UNIT_CITY);
    assert_int_equal(check("411121"), UNIT_COUNTY);
    assert_int_equal(check("411121100"), UNIT_TOWNSHIP);
    assert_int_equal(check("411121100201"), UNIT_VILLAGE);
    assert_int_equal(check("411121100201001"), UNIT_GRID);
    assert_int_equal(check("411121100201001001"), UNIT_BUILDING);
    assert_string_equal(unit_level_name(UNIT_TOWNSHIP), "township");
    assert_int_equal(unit_level_parse("village", 7), UNIT_VILLAGE);
    assert_int_equal(unit_level_parse("villagex", 8), UNIT_LEVEL_NONE);
}

static void test_invalid_codes(void **state)
{
    (void)state;
    struct err e;
    err_clear(&e);
    assert_int_equal(unit_code_check("", 0, &e), ERR_INVALID);
    assert_int_equal(check("4"), ERR_INVALID);
    assert_int_equal(check("41112"), ERR_INVALID);         /* 5 digits: no level */
    assert_int_equal(check("4111211002011"), ERR_INVALID); /* 13 digits */
    assert_int_equal(check("41A1"), ERR_INVALID);
    assert_int_equal(check("４１"), ERR_INVALID); /* full-width digits */
    assert_int_equal(check("91"), ERR_INVALID);   /* no province starts with 9 */
    assert_int_equal(check("01"), ERR_INVALID);
    assert_int_equal(unit_code_check("41 1", 4, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "只能包含数字"));
}

static void test_parent_length(void **state)
{
    (void)state;
    assert_int_equal(unit_parent_len(2), 0);
    assert_int_equal(unit_parent_len(4), 2);
    assert_int_equal(unit_parent_len(9), 6);
    assert_int_equal(unit_parent_len(12), 9);
    assert_int_equal(unit_parent_len(18), 15);
    assert_int_equal(unit_parent_len(7), 0);
}

static int kind_of(const char *code)
{
    return unit_kind_from_code(code, strlen(code));
}

/* The statistical coding rules: township 001–099 街道, 100–199 镇,
 * 200–399 乡; village 001–199 居委会, 200–399 村委会; else other. */
static void test_kind_from_code(void **state)
{
    (void)state;
    assert_int_equal(kind_of("110101001"), UNIT_KIND_SUBDISTRICT);
    assert_int_equal(kind_of("110101099"), UNIT_KIND_SUBDISTRICT);
    assert_int_equal(kind_of("411121100"), UNIT_KIND_TOWN);
    assert_int_equal(kind_of("411121199"), UNIT_KIND_TOWN);
    assert_int_equal(kind_of("411121200"), UNIT_KIND_TOWNSHIP);
    assert_int_equal(kind_of("411121399"), UNIT_KIND_TOWNSHIP);
    assert_int_equal(kind_of("411121400"), UNIT_KIND_OTHER);
    assert_int_equal(kind_of("350527000"), UNIT_KIND_OTHER); /* 金门县 placeholder */
    assert_int_equal(kind_of("411121100001"), UNIT_KIND_COMMUNITY);
    assert_int_equal(kind_of("411121100199"), UNIT_KIND_COMMUNITY);
    assert_int_equal(kind_of("411121100200"), UNIT_KIND_VILLAGE);
    assert_int_equal(kind_of("411121100399"), UNIT_KIND_VILLAGE);
    assert_int_equal(kind_of("411121100400"), UNIT_KIND_OTHER);
    assert_int_equal(kind_of("411121100500"), UNIT_KIND_OTHER);
    assert_int_equal(kind_of("411121"), UNIT_KIND_NONE);
    assert_int_equal(kind_of("411121100201001"), UNIT_KIND_GRID);
    assert_int_equal(kind_of("411121100201001001"), UNIT_KIND_BUILDING);
}

static int name_kind(const char *name)
{
    return unit_kind_from_name(name, strlen(name));
}

static void test_kind_from_name(void **state)
{
    (void)state;
    assert_int_equal(name_kind("东华门街道"), UNIT_KIND_SUBDISTRICT);
    assert_int_equal(name_kind("舞泉镇"), UNIT_KIND_TOWN);
    assert_int_equal(name_kind("霞云岭乡"), UNIT_KIND_TOWNSHIP);
    assert_int_equal(name_kind("达尔汗苏木"), UNIT_KIND_TOWNSHIP);
    assert_int_equal(name_kind("多福巷社区居委会"), UNIT_KIND_COMMUNITY);
    assert_int_equal(name_kind("月河社区居民委员会"), UNIT_KIND_COMMUNITY);
    assert_int_equal(name_kind("大杨庄村村民委员会"), UNIT_KIND_VILLAGE);
    assert_int_equal(name_kind("楼梓庄村委会"), UNIT_KIND_VILLAGE);
    assert_int_equal(name_kind("高井村"), UNIT_KIND_VILLAGE);
    /* 村民委员会 wins over the shorter 社区 inside the name */
    assert_int_equal(name_kind("振兴社区村委会"), UNIT_KIND_VILLAGE);
    assert_int_equal(name_kind("北京经济技术开发区"), UNIT_KIND_NONE);
}

static void test_kind_names_and_levels(void **state)
{
    (void)state;
    assert_int_equal(unit_kind_parse("town", 4), UNIT_KIND_TOWN);
    assert_int_equal(unit_kind_parse("镇", strlen("镇")), UNIT_KIND_TOWN);
    assert_int_equal(unit_kind_parse("小区", strlen("小区")), UNIT_KIND_ESTATE);
    assert_int_equal(unit_kind_parse("xiang", 5), -1);
    assert_true(unit_kind_fits_level(UNIT_KIND_TOWN, UNIT_TOWNSHIP));
    assert_false(unit_kind_fits_level(UNIT_KIND_TOWN, UNIT_VILLAGE));
    assert_true(unit_kind_fits_level(UNIT_KIND_OTHER, UNIT_VILLAGE));
    assert_false(unit_kind_fits_level(UNIT_KIND_OTHER, UNIT_COUNTY));
    assert_true(unit_kind_fits_level(UNIT_KIND_NONE, UNIT_COUNTY));
    assert_false(unit_kind_fits_level(UNIT_KIND_NONE, UNIT_VILLAGE));
    assert_true(unit_kind_fits_level(UNIT_KIND_ESTATE, UNIT_GRID));
    assert_string_equal(unit_kind_label(UNIT_KIND_COMMUNITY), "社区");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_from_code_length),
        cmocka_unit_test(test_invalid_codes),
        cmocka_unit_test(test_parent_length),
        cmocka_unit_test(test_kind_from_code),
        cmocka_unit_test(test_kind_from_name),
        cmocka_unit_test(test_kind_names_and_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
