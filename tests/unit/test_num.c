/* test_num.c — decimal numbers from text (base/num.c) and the number check
 * of JSON bodies (io/json_in.c, jin_parse). */
#include "testing.h"

#include "base/num.h"
#include "io/json_in.h"

#include <float.h>
#include <math.h>
#include <jansson.h>

static enum num_status parse(const char *s, double *v)
{
    return num_parse(s, strlen(s), v);
}

static void test_numbers(void **state)
{
    (void)state;
    double v;
    assert_int_equal(parse("12", &v), NUM_OK);
    assert_true(v == 12);
    assert_int_equal(parse("-0.5", &v), NUM_OK);
    assert_true(v == -0.5);
    assert_int_equal(parse(".5", &v), NUM_OK);
    assert_int_equal(parse("5.", &v), NUM_OK);
    assert_int_equal(parse("+1e3", &v), NUM_OK);
    assert_true(v == 1000);
    assert_int_equal(parse("1.7976931348623157e308", &v), NUM_OK);
    assert_true(v == DBL_MAX);
    assert_int_equal(parse("2.2250738585072014e-308", &v), NUM_OK); /* DBL_MIN */
    assert_int_equal(parse("-0", &v), NUM_OK);
    assert_false(signbit(v));
    assert_int_equal(parse("0.000e-999", &v), NUM_OK); /* zero, however written */
    assert_true(v == 0);
}

static void test_out_of_range(void **state)
{
    (void)state;
    double v = 7;
    assert_int_equal(parse("1e999", &v), NUM_RANGE);
    assert_true(v == 0);
    assert_int_equal(parse("-1e309", &v), NUM_RANGE);
    assert_int_equal(parse("1e-400", &v), NUM_RANGE); /* would be 0 */
    assert_int_equal(parse("-1e-400", &v), NUM_RANGE);
    assert_int_equal(parse("1e-310", &v), NUM_RANGE); /* subnormal: precision lost */
    assert_int_equal(parse("0.00000000000000000000000000000000000000000000000000000000000000000000"
                           "000000000000000000000000000000000000000000000000000000000000000000000"
                           "000000000000000000000000000000000000000000000000000000000000000000000"
                           "000000000000000000000000000000000000000000000000000000000000000000000"
                           "0000000000000000000000000000000000000000000000000000000000000000001",
                           &v),
                     NUM_RANGE); /* a long text too */
}

static void test_syntax(void **state)
{
    (void)state;
    double v;
    static const char *const bad[] = {"",   "-",  "+",    ".",   "e3",  "1e",  "1e+",
                                      "1 ", " 1", "0x10", "inf", "nan", "1,5", "１２"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse(bad[i], &v), NUM_SYNTAX);
}

static void test_int_overflow(void **state)
{
    (void)state;
    assert_false(num_int_overflows("9223372036854775807", 19));
    assert_true(num_int_overflows("9223372036854775808", 19));
    assert_false(num_int_overflows("-9223372036854775808", 20));
    assert_true(num_int_overflows("-9223372036854775809", 20));
    assert_false(num_int_overflows("0000000000000000000001", 22));
    assert_true(num_int_overflows("100000000000000000000", 21));
    assert_false(num_int_overflows("1e30", 4)); /* not an integer literal */
}

static int load(const char *text, struct err *e)
{
    json_t *j;
    err_clear(e);
    int rc = jin_parse(text, strlen(text), &j, e);
    json_decref(j);
    return rc;
}

static void test_json_bodies(void **state)
{
    (void)state;
    struct err e;
    assert_int_equal(load("{\"value\": 1.5, \"priority\": 2, \"s\": \"1e-999\"}", &e), ERR_OK);
    assert_int_equal(load("[{\"element\":\"a\",\"value\":1e-400}]", &e), ERR_INVALID);
    assert_string_equal(e.field, "value");
    assert_non_null(strstr(e.msg, "1e-400"));
    assert_int_equal(load("{\"a\": {\"score\": -1e999}}", &e), ERR_INVALID);
    assert_string_equal(e.field, "score");
    assert_int_equal(load("{\"days\": 99999999999999999999}", &e), ERR_INVALID);
    assert_string_equal(e.field, "days");
    assert_int_equal(load("{\"k\\\"ey\": 1e-999}", &e), ERR_INVALID); /* an escaped key */
    assert_string_equal(e.field, "");
    assert_int_equal(load("{\"rating\": 4, \"note\": \"x\", \"n\": 0.0e-500}", &e), ERR_OK);
    assert_int_equal(load("{\"a\": 1,}", &e), ERR_INVALID); /* jansson's own errors */
    assert_non_null(strstr(e.msg, "第 1 行"));
    assert_int_equal(load("{\"a\": 1, \"a\": 2}", &e), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),     cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_syntax),      cmocka_unit_test(test_int_overflow),
        cmocka_unit_test(test_json_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
