/* test_person.c — the registry's pure rules (core/person.c): birth dates,
 * ID numbers agreeing with them, membership overlaps, set-up rules of
 * party organisations and term ends. */
#include "testing.h"

#include "core/person.h"

#define TODAY "2026-06-15"

/* 17 digits completed with their ISO 7064 MOD 11-2 check character,
 * computed here independently of pii.c. */
static const char *with_check(const char *first17)
{
    static char id[19];
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * w[i];
    snprintf(id, sizeof id, "%.17s%c", first17, "10X98765432"[sum % 11]);
    return id;
}

static struct err e;

static void test_dates(void **state)
{
    (void)state;
    assert_true(person_date_ok("2024-02-29"));
    assert_false(person_date_ok("2023-02-29"));
    assert_false(person_date_ok("1899-12-31"));
    assert_false(person_date_ok("2024-13-01"));
    assert_false(person_date_ok("2024-1-01"));
    assert_false(person_date_ok("20240101"));
    assert_false(person_date_ok(NULL));
    err_clear(&e);
    assert_int_equal(person_birth_check("1980-05-01", TODAY, &e), ERR_OK);
    assert_int_equal(person_birth_check(TODAY, TODAY, &e), ERR_OK);
    assert_int_equal(person_birth_check("2026-06-16", TODAY, &e), ERR_INVALID);
    assert_string_equal(e.field, "birth_date");
    assert_non_null(strstr(e.msg, "不能晚于今天"));
    assert_int_equal(person_birth_check("1980-02-30", TODAY, &e), ERR_INVALID);
}

static void test_id_numbers(void **state)
{
    (void)state;
    char id[19];
    snprintf(id, sizeof id, "%s", with_check("41112119800501123"));
    err_clear(&e);
    assert_int_equal(person_id_check(id, NULL, TODAY, &e), ERR_OK);
    assert_int_equal(person_id_check(id, "1980-05-01", TODAY, &e), ERR_OK);
    char birth[11];
    person_id_birth(id, birth);
    assert_string_equal(birth, "1980-05-01");
    /* the birth date given disagrees with the one inside */
    assert_int_equal(person_id_check(id, "1980-05-02", TODAY, &e), ERR_INVALID);
    assert_string_equal(e.field, "id_number");
    assert_non_null(strstr(e.msg, "不一致"));
    /* a wrong check character: the GB 11643 rule is named, the value never */
    id[17] = id[17] == '0' ? '1' : '0';
    err_clear(&e);
    assert_int_equal(person_id_check(id, NULL, TODAY, &e), ERR_INVALID);
    assert_string_equal(e.field, "id_number");
    assert_non_null(strstr(e.msg, "GB 11643"));
    assert_null(strstr(e.msg, "411121"));
    /* born in the future, as of today */
    snprintf(id, sizeof id, "%s", with_check("41112120260616123"));
    assert_int_equal(person_id_check(id, NULL, TODAY, &e), ERR_INVALID);
    snprintf(id, sizeof id, "%s", with_check("41112120260615123"));
    assert_int_equal(person_id_check(id, NULL, TODAY, &e), ERR_OK);
    /* 17 characters */
    assert_int_equal(person_id_check("41112119800501123", NULL, TODAY, &e), ERR_INVALID);
}

static void test_overlap(void **state)
{
    (void)state;
    /* half-open: a membership ending on the day another begins does not overlap */
    assert_false(person_overlap("2020-01-01", "2021-01-01", "2021-01-01", NULL));
    assert_true(person_overlap("2020-01-01", "2021-01-02", "2021-01-01", NULL));
    assert_true(person_overlap("2020-01-01", NULL, "2030-01-01", NULL));
    assert_true(person_overlap("2020-01-01", "", "2019-01-01", "2020-01-02"));
    assert_false(person_overlap("2020-01-01", "", "2019-01-01", "2020-01-01"));
    assert_true(person_overlap("2020-01-01", "2020-01-02", "2019-01-01", ""));
    err_clear(&e);
    assert_int_equal(person_span_check("2020-01-01", NULL, &e), ERR_OK);
    assert_int_equal(person_span_check("2020-01-01", "2020-01-01", &e), ERR_INVALID);
    assert_string_equal(e.field, "to");
    assert_int_equal(person_span_check("2020-02-30", NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "from");
}

static void test_org_rules(void **state)
{
    (void)state;
    struct org_rule min = {
        "branch.formal_min", ",branch,", ",standard,", "不足 3 人", ORG_COUNT_FORMAL, ORG_OP_LT, 3};
    struct org_rule max = {"branch.max",      ",branch,", "", "超过 50",
                           ORG_COUNT_MEMBERS, ORG_OP_GT,  50};
    struct org_rule none = {"unit.uncovered", "", "", "未建", ORG_COUNT_FORMAL, ORG_OP_GE, 3};
    assert_true(org_rule_fires(&min, "branch", "standard", 2, 10));
    assert_false(org_rule_fires(&min, "branch", "standard", 3, 3));
    assert_false(org_rule_fires(&min, "branch", "joint", 2, 2)); /* 联合党支部 may be small */
    assert_false(org_rule_fires(&min, "general_branch", "standard", 0, 0));
    assert_false(org_rule_fires(&min, NULL, NULL, 0, 0));
    assert_true(org_rule_fires(&max, "branch", "joint", 40, 51));
    assert_false(org_rule_fires(&max, "branch", "joint", 40, 50));
    assert_true(org_rule_fires(&none, NULL, NULL, 3, 3));
    assert_false(org_rule_fires(&none, NULL, NULL, 2, 9));
    assert_false(org_rule_fires(&none, "branch", "standard", 9, 9));
    assert_int_equal(org_op_parse(">="), ORG_OP_GE);
    assert_int_equal(org_op_parse("=>"), -1);
}

static void test_terms(void **state)
{
    (void)state;
    char out[11];
    person_term_end("2021-03-15", 5, out);
    assert_string_equal(out, "2026-03-15");
    person_term_end("2024-02-29", 3, out);
    assert_string_equal(out, "2027-02-28");
    person_term_end("bad", 3, out);
    assert_string_equal(out, "");
    assert_int_equal(person_days_between("2026-01-01", "2026-03-01"), 59);
    assert_int_equal(person_days_between("2024-01-01", "2025-01-01"), 366);
    assert_int_equal(person_days_between("2026-03-01", "2026-01-01"), -59);
}

static void test_add_months(void **state)
{
    (void)state;
    char out[11];
    person_add_months("2024-01-31", 1, out);
    assert_string_equal(out, "2024-02-29");
    person_add_months("2024-03-15", 12, out);
    assert_string_equal(out, "2025-03-15");
    person_add_months("2024-11-30", 3, out);
    assert_string_equal(out, "2025-02-28");
    person_add_months("2025-01-15", -1, out);
    assert_string_equal(out, "2024-12-15");
    person_add_months("2025-02-30", 1, out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),   cmocka_unit_test(test_id_numbers),
        cmocka_unit_test(test_overlap), cmocka_unit_test(test_org_rules),
        cmocka_unit_test(test_terms),   cmocka_unit_test(test_add_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
