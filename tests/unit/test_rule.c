/* test_rule.c — validation rules (core/rule.c): every operator, rounding
 * at 6 decimals, a missing side skips the rule, shared references, and
 * the errors a definition gets. */
#include "testing.h"

#include <math.h>

#include "core/rule.h"

static struct rule_def def(const char *left, const char *op, const char *right)
{
    return (struct rule_def){.code = "r.test",
                             .message = "测试规则",
                             .left = left,
                             .right = right,
                             .op = rule_op_parse(op),
                             .severity = RULE_ERROR,
                             .period_type = -1,
                             .description = ""};
}

static struct rule *compile_ok(struct rule_def d)
{
    struct rule *r = NULL;
    struct err e;
    err_clear(&e);
    if (rule_compile(&d, &r, &e))
        fail_msg("%s %s %s: %s", d.left, rule_op_name(d.op), d.right, e.msg);
    return r;
}

/* Evaluates with the values of a and b for #{a} and #{b} (NAN: missing). */
static struct rule_outcome eval_ab(const struct rule *r, double a, double b)
{
    struct fvalue in[4];
    for (size_t i = 0; i < r->nrefs; i++) {
        double v = strcmp(r->refs[i], "a") == 0 ? a : b;
        in[i] = (struct fvalue){isnan(v) ? 0 : v, isnan(v)};
    }
    struct rule_outcome out;
    rule_eval(r, in, &out);
    return out;
}

static bool holds(const char *left, const char *op, const char *right, double a, double b)
{
    struct rule *r = compile_ok(def(left, op, right));
    struct rule_outcome out = eval_ab(r, a, b);
    rule_free(r);
    return out.holds;
}

static void test_operators(void **state)
{
    (void)state;
    const char *a = "#{a}", *b = "#{b}";
    assert_true(holds(a, "<=", b, 1, 1));
    assert_false(holds(a, "<=", b, 2, 1));
    assert_true(holds(a, "<", b, 1, 2));
    assert_false(holds(a, "<", b, 2, 2));
    assert_true(holds(a, ">=", b, 2, 2));
    assert_false(holds(a, ">=", b, 1, 2));
    assert_true(holds(a, ">", b, 3, 2));
    assert_false(holds(a, ">", b, 2, 2));
    assert_true(holds(a, "==", b, 2, 2));
    assert_false(holds(a, "==", b, 2, 3));
    assert_true(holds(a, "!=", b, 2, 3));
    assert_false(holds(a, "!=", b, 3, 3));
    assert_int_equal(rule_op_parse("=<"), -1);
    assert_string_equal(rule_op_name(RULE_NE), "!=");
    assert_int_equal(rule_severity_parse("warning"), RULE_WARNING);
    assert_int_equal(rule_severity_parse("fatal"), -1);
}

static void test_rounding(void **state)
{
    (void)state;
    /* 0.1 * 3 is 0.30000000000000004 in binary; equal at 6 decimals */
    assert_true(holds("#{a} * 3", "<=", "#{b}", 0.1, 0.3));
    assert_true(holds("#{a} * 3", "==", "#{b}", 0.1, 0.3));
    assert_false(holds("#{a}", "<=", "#{b}", 0.300001, 0.3));
}

static void test_missing_skips(void **state)
{
    (void)state;
    struct rule *r = compile_ok(def("#{a}", "<=", "#{b}"));
    struct rule_outcome out = eval_ab(r, 5, NAN);
    assert_true(out.skipped);
    assert_true(out.holds);
    out = eval_ab(r, NAN, 5);
    assert_true(out.skipped && out.holds);
    out = eval_ab(r, 5, 4);
    assert_false(out.skipped);
    assert_false(out.holds);
    assert_true(out.left.v == 5 && out.right.v == 4);
    rule_free(r);
    /* coalesce makes a missing value count as 0 */
    assert_false(holds("#{a}", "<=", "coalesce(#{b}, 0)", 1, NAN));
    /* division by zero is missing too */
    assert_true(holds("#{a} / #{b}", "<", "1", 1, 0));
}

static void test_shared_refs(void **state)
{
    (void)state;
    struct rule *r = compile_ok(def("#{a} + #{b}", "<=", "#{b} * 2 + #{c}"));
    assert_int_equal(r->nrefs, 3);
    assert_string_equal(r->refs[0], "a");
    assert_string_equal(r->refs[1], "b");
    assert_string_equal(r->refs[2], "c");
    assert_true(rule_uses(r, "c"));
    assert_false(rule_uses(r, "d"));
    struct fvalue in[3] = {{1, false}, {2, false}, {0, false}};
    struct rule_outcome out;
    rule_eval(r, in, &out);
    assert_true(out.holds); /* 3 <= 4 */
    in[2] = (struct fvalue){-2, false};
    rule_eval(r, in, &out);
    assert_false(out.holds); /* 3 <= 2 */
    rule_free(r);
    rule_free(NULL);
}

static void refused(struct rule_def d, const char *field)
{
    struct rule *r = (struct rule *)&d; /* must become NULL */
    struct err e;
    err_clear(&e);
    assert_int_equal(rule_compile(&d, &r, &e), ERR_INVALID);
    assert_null(r);
    assert_string_equal(e.field, field);
    assert_true(e.msg[0] != '\0');
}

static void test_errors(void **state)
{
    (void)state;
    struct rule_def d = def("#{a}", "<=", "#{b}");
    d.code = "有空格 x";
    refused(d, "code");
    d = def("#{a}", "<=", "#{b}");
    d.message = "";
    refused(d, "message");
    refused(def("#{a}", "=<", "#{b}"), "operator");
    d = def("#{a}", "<=", "#{b}");
    d.severity = -1;
    refused(d, "severity");
    refused(def("#{a} +", "<=", "#{b}"), "left");
    refused(def("#{a}", "<=", ""), "right");
    refused(def("#{a}", "<=", "(#{b}"), "right");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operators),     cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_missing_skips), cmocka_unit_test(test_shared_refs),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
