/* test_formula.c — the indicator formula language (core/formula_*.c):
 * precedence, every operator and function, missing values, errors with
 * their columns, limits, references and the canonical text. */
#include "testing.h"

#include <math.h>

#include "core/formula.h"

/* The values references take in these tests; any other code is missing. */
static const struct {
    const char *code;
    double v;
} env[] = {
    {"zero", 0},       {"one", 1},   {"two", 2},          {"big", 1e308},
    {"inf", INFINITY}, {"nan", NAN}, {"households", 200}, {"toilet.sanitary", 180},
};

static struct formula *compile_ok(const char *src)
{
    struct formula *f = NULL;
    struct err e;
    err_clear(&e);
    if (formula_compile(src, strlen(src), &f, &e) != ERR_OK)
        fail_msg("%s: %s (column %d)", src, e.msg, e.column);
    assert_non_null(f);
    return f;
}

/* Binds every reference of f from env; "inf" and "nan" are passed as
 * present values so the evaluator must treat them as missing itself. */
static struct fvalue eval_env(const struct formula *f)
{
    struct fvalue refs[FORMULA_REFS_MAX];
    for (size_t i = 0; i < formula_nrefs(f); i++) {
        refs[i] = (struct fvalue){0, true};
        for (size_t k = 0; k < sizeof env / sizeof env[0]; k++)
            if (strcmp(formula_ref(f, i), env[k].code) == 0)
                refs[i] = (struct fvalue){env[k].v, false};
    }
    return formula_eval(f, refs);
}

static struct fvalue ev(const char *src)
{
    struct formula *f = compile_ok(src);
    struct fvalue r = eval_env(f);
    formula_free(f);
    return r;
}

static void is(const char *src, double want)
{
    struct fvalue r = ev(src);
    if (r.missing) fail_msg("%s: missing, want %.17g", src, want);
    if (r.v != want) fail_msg("%s: got %.17g, want %.17g", src, r.v, want);
}

static void is_missing(const char *src)
{
    struct fvalue r = ev(src);
    if (!r.missing) fail_msg("%s: got %.17g, want missing", src, r.v);
    assert_true(r.v == 0);
}

/* Compiling src fails at column col with a message containing part. */
static void bad(const char *src, size_t len, int col, const char *part)
{
    struct formula *f = (struct formula *)&f; /* must be reset to NULL */
    struct err e;
    err_clear(&e);
    int rc = formula_compile(src, len, &f, &e);
    if (rc != ERR_INVALID) fail_msg("%s: compiled", src);
    assert_null(f);
    assert_int_equal(e.kind, ERR_INVALID);
    assert_string_equal(e.where, "formula");
    assert_int_equal(e.line, 1);
    if (e.column != col) fail_msg("%s: column %d, want %d (%s)", src, e.column, col, e.msg);
    if (!strstr(e.msg, part)) fail_msg("%s: message \"%s\" lacks \"%s\"", src, e.msg, part);
}

static void bad_s(const char *src, int col, const char *part)
{
    bad(src, strlen(src), col, part);
}

static void test_precedence_and_associativity(void **state)
{
    (void)state;
    is("1-2-3", -4);
    is("8/4/2", 1);
    is("2*3+4", 10);
    is("2+3*4", 14);
    is("(2+3)*4", 20);
    is("10 - 2 * 3 + 1", 5);
    is("-2*3", -6);
    is("2*-3", -6);
    is("-(2+3)", -5);
    is("--2", 2);
    is("+-+2", -2);
    is("1 - -1", 2);
    is("1 + 2 = 3", 1);    /* arithmetic binds tighter than comparison */
    is("not 1 = 2", 1);    /* not (1 = 2) */
    is("not 0 and 0", 0);  /* (not 0) and 0 */
    is("1 or 0 and 0", 1); /* 1 or (0 and 0) */
    is("0 and 1 or 1", 1); /* (0 and 1) or 1 */
    is("not not 5", 1);
    is("(1 < 2) = (2 < 3)", 1);
    is("2 × 3 ÷ 4", 1.5);
    is("((((7))))", 7);
}

static void test_numbers_and_spaces(void **state)
{
    (void)state;
    is("12", 12);
    is("0.5", 0.5);
    is(".5", 0.5);
    is("1e3", 1000);
    is("1E+3", 1000);
    is("2.5e-1", 0.25);
    is("1e-300", 1e-300);
    is("0e-400", 0); /* zero written small is still zero */
    is("007", 7);
    is(" \t1\n+\r\n2 ", 3);
    is("1\u3000+\u30002", 3);   /* ideographic space */
    is("\u00A01 + 2\u00A0", 3); /* no-break space */
}

static void test_arithmetic_and_comparisons(void **state)
{
    (void)state;
    is("7 + 2", 9);
    is("7 - 2", 5);
    is("7 * 2", 14);
    is("7 / 2", 3.5);
    is("7 × 2", 14);
    is("7 ÷ 2", 3.5);
    is("#{toilet.sanitary} / #{households} * 100", 90);
    is("#{toilet.sanitary} / #{households} * 100 >= 90", 1);
    static const struct {
        const char *op;
        int lt, eq, gt; /* 1 < 2, 2 op 2, 3 op 2 */
    } cmp[] = {
        {"=", 0, 1, 0}, {"==", 0, 1, 0}, {"!=", 1, 0, 1}, {"<>", 1, 0, 1},
        {"<", 1, 0, 0}, {"<=", 1, 1, 0}, {">", 0, 0, 1},  {">=", 0, 1, 1},
    };
    for (size_t i = 0; i < sizeof cmp / sizeof cmp[0]; i++) {
        char src[32];
        snprintf(src, sizeof src, "1 %s 2", cmp[i].op);
        is(src, cmp[i].lt);
        snprintf(src, sizeof src, "2 %s 2", cmp[i].op);
        is(src, cmp[i].eq);
        snprintf(src, sizeof src, "3%s2", cmp[i].op);
        is(src, cmp[i].gt);
    }
}

static void test_logic(void **state)
{
    (void)state;
    static const char *const ands[] = {"and", "AND", "And", "&&"};
    static const char *const ors[] = {"or", "OR", "||"};
    static const char *const nots[] = {"not ", "NOT ", "!"};
    char src[32];
    for (size_t i = 0; i < 4; i++) {
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) {
                snprintf(src, sizeof src, "%d %s %d", a, ands[i], b);
                is(src, a && b);
                if (i < 3) {
                    snprintf(src, sizeof src, "%d %s %d", a, ors[i], b);
                    is(src, a || b);
                }
            }
        if (i < 3) {
            snprintf(src, sizeof src, "%s0", nots[i]);
            is(src, 1);
            snprintf(src, sizeof src, "%s(3 > 2)", nots[i]);
            is(src, 0);
        }
    }
    is("2 and -0.5", 1); /* any non-zero number is true */
    is("not 0.001", 0);
    is("1 != 2 && 2 != 3", 1);
    is("!(1 = 1) || 2 = 2", 1);
}

static void test_functions(void **state)
{
    (void)state;
    is("if(1, 2, 3)", 2);
    is("if(0, 2, 3)", 3);
    is("if(-1, 2, 3)", 2);
    is("IF(#{households} > 100, 1, 0)", 1);
    is("min(3, 1, 2)", 1);
    is("max(3, 1, 2)", 3);
    is("min(5)", 5);
    is("Max(-5)", -5);
    is("min(2, -7.5, 3) + max(0.5, 0.25)", -7);
    is("abs(-3)", 3);
    is("abs(3)", 3);
    is("isnull(1)", 0);
    is("isnull(#{m})", 1);
    is("coalesce(#{m}, #{n}, 7, 8)", 7);
    is("coalesce(4)", 4);
    is("round(2.675, 2)", 2.68); /* 2.675 is stored as 2.67499999… */
    is("round(1.005, 2)", 1.01);
    is("round(-2.5)", -3); /* half away from zero */
    is("round(2.5)", 3);
    is("round(2.4, 0)", 2);
    is("round(123.456, 1)", 123.5);
    is("round(0.123456789012, 10)", 0.123456789);
    is("round(1e300, 2)", 1e300);
    is("round(-0.4)", 0); /* never -0 */
    is("ROUND(#{toilet.sanitary} / #{households} * 100, 1)", 90);
}

static void test_missing_propagates(void **state)
{
    (void)state;
    static const char *const missing[] = {
        "#{m}",           "#{m} + 1",   "1 - #{m}",        "#{m} * 0",
        "0 / #{m}",       "-#{m}",      "#{m} = #{m}",     "#{m} != 1",
        "#{m} < 1",       "1 >= #{m}",  "not #{m}",        "min(1, #{m}, 3)",
        "max(#{m}, 1)",   "abs(#{m})",  "round(#{m}, 1)",  "if(#{m}, 1, 2)",
        "if(1, #{m}, 2)", "1 and #{m}", "#{m} and 1",      "#{m} and #{n}",
        "0 or #{m}",      "#{m} or 0",  "#{m} or #{n}",    "coalesce(#{m}, #{n})",
        "#{inf}",         "#{nan} + 1", "#{inf} - #{inf}", "not (#{m} > 1)",
    };
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
        is_missing(missing[i]);
    /* three-valued logic: a decided side wins over a missing one */
    is("0 and #{m}", 0);
    is("#{m} and 0", 0);
    is("1 or #{m}", 1);
    is("#{m} or 1", 1);
    is("if(0, #{m}, 2)", 2);
    is("isnull(#{m})", 1);
    is("isnull(#{m} + 1)", 1);
    is("isnull(#{nan})", 1);
    is("isnull(#{zero})", 0);
    is("coalesce(#{m}, 2)", 2);
    is("coalesce(#{m} * 2, #{one} + 1)", 2);
}

static void test_division_by_zero_and_overflow(void **state)
{
    (void)state;
    is_missing("1 / 0");
    is_missing("0 / 0");
    is_missing("-1 / 0");
    is_missing("#{one} / #{zero}");
    is_missing("1 ÷ (2 - 2)");
    is("isnull(1 / 0)", 1);
    is("coalesce(#{one} / #{zero}, 0)", 0);
    is("0 / 5", 0);
    is_missing("1e308 * 10");
    is_missing("#{big} + #{big}");
    is_missing("-#{big} - #{big}");
    is_missing("#{big} / 1e-300");
    is_missing("1e308 * 10 - 1e308 * 10"); /* inf - inf is NaN: still just missing */
    is("#{big} * 10 > 0 or 1", 1);
    is("1e308 * 10 > 0 or 0 = 0", 1);
    is("#{big}", 1e308);
    is("isnull(#{big} * #{big})", 1);
}

static void test_comparisons_do_not_chain(void **state)
{
    (void)state;
    bad_s("1 < 2 < 3", 7, "比较运算不能连用");
    bad_s("1 = 2 = 3", 7, "比较运算不能连用");
    bad_s("#{a} < #{b} >= #{c}", 13, "比较运算不能连用");
    bad_s("1 == 1 != 0", 8, "比较运算不能连用");
    is("(1 < 2) < 3", 1);
    is("1 < 2 and 2 < 3", 1);
}

static void test_error_columns(void **state)
{
    (void)state;
    bad_s("(1 + 2", 7, "缺少右括号（与第 1 个字符处的左括号配对）");
    bad_s("foo(1)", 1, "未知函数 foo");
    bad_s("1 + Sum(#{a})", 5, "未知函数 Sum");
    bad_s("households + 1", 1, "未知的名称 households，引用数据元请写成 #{代码}");
    bad_s("abs 1", 1, "函数 abs 后缺少左括号");
    bad_s("#{}", 1, "#{…} 中的数据元代码为空");
    bad_s("1 + #abc", 5, "# 后应为 {");
    bad_s("#{a b}", 4, "数据元代码中不能有字符 “ ”");
    bad_s("#{abc", 6, "缺少右花括号");
    bad_s("1 +", 4, "公式不完整，末尾缺少运算数");
    bad_s("1 + * 2", 5, "“*” 前缺少运算数");
    bad_s("abs(1, 2)", 1, "函数 abs 需要 1 个参数，这里有 2 个");
    bad_s("if(1, 2)", 1, "函数 if 需要 3 个参数，这里有 2 个");
    bad_s("1 + min()", 5, "函数 min 至少需要 1 个参数");
    bad_s("round(1, 2, 3)", 1, "函数 round 需要 1–2 个参数，这里有 3 个");
    bad_s("min(1,)", 7, "“)” 前缺少运算数");
    bad_s("min(1 2)", 7, "缺少逗号或右括号");
    bad_s("min(1, 2", 9, "公式不完整，缺少右括号");
    bad_s("1 2", 3, "此处缺少运算符");
    bad_s("(1))", 4, "多余的右括号");
    bad_s("1, 2", 2, "多余的逗号");
    bad_s("5. + 1", 1, "数字格式不正确");
    bad_s("1 + 1e", 5, "数字格式不正确");
    bad_s("2x", 1, "数字格式不正确");
    bad_s("1.2.3", 1, "数字格式不正确");
    bad_s("1e999", 1, "数值超出范围");
    bad_s("1 + 1e-400", 5, "数值超出范围"); /* underflow is an error, not 0 */
    bad_s("2.5e-310", 1, "数值超出范围");   /* below the normal range: precision lost */
    bad_s("round(1, 11)", 10, "round 的小数位数须为 0–10 的整数");
    bad_s("round(1, 2.5)", 10, "小数位数");
    bad_s("round(1, #{a})", 10, "小数位数");
    bad_s("round(1, 2 + 1)", 10, "小数位数");
    bad_s("1 + not 0", 5, "not 的优先级低于比较和算术运算");
    bad_s("1 & 2", 3, "无法识别的字符 “&”，请改用 and 或 &&");
    bad_s("90%", 3, "请改用 / 100");
    bad_s("round(1, -1)", 10, "小数位数");
    bad_s("", 1, "公式为空");
    struct formula *f = NULL;
    struct err e;
    err_clear(&e);
    assert_int_equal(formula_compile(NULL, 0, &f, &e), ERR_INVALID);
    assert_null(f);
    assert_int_equal(e.column, 1);
    bad_s(" \u3000 ", 1, "公式为空");
    bad_s("1 +\n)", 5, "“)” 前缺少运算数"); /* a newline is a character too */
    bad("1\0", 2, 2, "无法识别的字符 U+0000");
    bad_s("1 + \x01", 5, "U+0001");
}

/* Multi-byte characters before the error: the column counts characters. */
static void test_columns_count_characters(void **state)
{
    (void)state;
    bad_s("\u3000\u3000foo(1)", 3, "未知函数 foo");
    bad_s("2×3÷(1 + ", 10, "末尾缺少运算数");
    bad_s("1 + 户数", 5, "无法识别的字符 “户”");
    bad_s("#{户数}", 3, "数据元代码中不能有字符 “户”");
    bad_s("2 × （1 + 2）", 5, "无法识别的字符 “（”，请改用 (");
    bad_s("#{a} ≥ 1", 6, "请改用 >=");
    bad_s("\u3000(#{a}，#{b})", 7, "请改用 ,");
    /* invalid UTF-8: the column of the first bad byte */
    bad_s("1 + \xff", 5, "不是有效的 UTF-8");
    bad_s("\u3000\u3000\xe6\x88", 3, "不是有效的 UTF-8"); /* cut short */
    bad_s("\xed\xa0\x80", 1, "UTF-8");                    /* a surrogate */
    bad_s("\xc0\xaf", 1, "UTF-8");                        /* overlong */
}

static char *repeat(const char *head, const char *unit, int n, const char *tail)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, head);
    for (int i = 0; i < n; i++)
        buf_puts(&b, unit);
    buf_puts(&b, tail);
    return buf_detach(&b, NULL);
}

static void test_depth_limit(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    for (int i = 0; i < 64; i++)
        buf_putc(&b, '(');
    buf_putc(&b, '1');
    for (int i = 0; i < 64; i++)
        buf_putc(&b, ')');
    is(b.p, 1);
    buf_reset(&b);
    for (int i = 0; i < 65; i++)
        buf_putc(&b, '(');
    buf_putc(&b, '1');
    for (int i = 0; i < 65; i++)
        buf_putc(&b, ')');
    bad_s(b.p, 65, "嵌套超过 64 层");
    buf_free(&b);

    char *s = repeat("", "-", 64, "1");
    is(s, 1);
    free(s);
    s = repeat("", "-", 65, "1");
    bad_s(s, 65, "嵌套超过 64 层");
    free(s);
    s = repeat("", "not ", 64, "1");
    is(s, 1);
    free(s);
    s = repeat("", "not ", 65, "1");
    bad_s(s, 257, "嵌套超过 64 层");
    free(s);
    s = repeat("", "abs(", 65, "1");
    bad_s(s, 257, "嵌套超过 64 层");
    free(s);
    /* right-nested sums: the value stack grows with the depth */
    s = repeat("", "1 + (", 63, "1");
    struct buf t = BUF_INIT;
    buf_puts(&t, s);
    for (int i = 0; i < 63; i++)
        buf_putc(&t, ')');
    is(t.p, 64);
    buf_free(&t);
    free(s);
}

static void test_refs_limit(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    for (int i = 0; i < 256; i++)
        buf_printf(&b, "%s#{e%d}", i ? "+" : "", i);
    struct formula *f = compile_ok(b.p);
    assert_int_equal(formula_nrefs(f), 256);
    assert_string_equal(formula_ref(f, 255), "e255");
    struct fvalue refs[256];
    for (int i = 0; i < 256; i++)
        refs[i] = (struct fvalue){i, false};
    struct fvalue r = formula_eval(f, refs);
    assert_false(r.missing);
    assert_true(r.v == 255.0 * 256 / 2);
    formula_free(f);
    int col = (int)b.len + 8; /* the '#' of e256; characters are bytes here */
    buf_puts(&b, "+#{e0}+#{e256}");
    bad_s(b.p, col, "引用的数据元超过 256 个");
    buf_free(&b);
}

static void test_length_limit(void **state)
{
    (void)state;
    /* 1+1+…+1: 2048 ones in 4095 bytes */
    char *s = repeat("1", "+1", 2047, " ");
    assert_int_equal(strlen(s), 4096);
    is(s, 2048);
    free(s);
    s = repeat("1", "+1", 2047, "  ");
    bad_s(s, 0, "公式过长：4097 字节，上限 4096 字节");
    free(s);
    /* a wide call: more values on the stack than fit locally */
    s = repeat("min(1000", ", 1", 500, ", -1)");
    is(s, -1);
    free(s);
    s = repeat("coalesce(#{m}", ", #{m}", 300, ", #{two})");
    is(s, 2);
    free(s);
}

static void test_refs_distinct_in_order(void **state)
{
    (void)state;
    struct formula *f = compile_ok("#{b} + #{a} * #{b} - #{c.x-1_2} + #{a} + #{A}");
    assert_int_equal(formula_nrefs(f), 4);
    assert_string_equal(formula_ref(f, 0), "b");
    assert_string_equal(formula_ref(f, 1), "a");
    assert_string_equal(formula_ref(f, 2), "c.x-1_2");
    assert_string_equal(formula_ref(f, 3), "A"); /* codes are case-sensitive */
    assert_null(formula_ref(f, 4));
    struct fvalue refs[] = {{10, false}, {2, false}, {1, false}, {100, false}};
    struct fvalue r = formula_eval(f, refs); /* 10 + 2*10 - 1 + 2 + 100 */
    assert_false(r.missing);
    assert_true(r.v == 131);
    formula_free(f);

    f = compile_ok("1 + 2");
    assert_int_equal(formula_nrefs(f), 0);
    r = formula_eval(f, NULL);
    assert_true(r.v == 3);
    formula_free(f);
    formula_free(NULL);

    char code[80];
    memset(code, 'x', 64);
    snprintf(code + 64, sizeof code - 64, "}");
    char *s = repeat("#{", code, 1, "");
    f = compile_ok(s);
    assert_int_equal(strlen(formula_ref(f, 0)), 64);
    formula_free(f);
    free(s);
    s = repeat("1 + #{x", code, 1, "");
    bad_s(s, 5, "数据元代码超过 64 个字符");
    free(s);
}

static bool boolean(const char *src)
{
    struct formula *f = compile_ok(src);
    bool b = formula_is_boolean(f);
    formula_free(f);
    return b;
}

static void test_is_boolean(void **state)
{
    (void)state;
    assert_true(boolean("#{a} / #{b} * 100 >= 90"));
    assert_true(boolean("#{a} = 1"));
    assert_true(boolean("1 != 2"));
    assert_true(boolean("#{a} and #{b}"));
    assert_true(boolean("#{a} || #{b}"));
    assert_true(boolean("not #{a}"));
    assert_true(boolean("isnull(#{a})"));
    assert_true(boolean("((1 < 2))"));
    assert_true(boolean("+(1 < 2)"));
    assert_false(boolean("#{a}"));
    assert_false(boolean("1 + 2"));
    assert_false(boolean("-(1 < 2)"));
    assert_false(boolean("(1 < 2) + 0"));
    assert_false(boolean("if(#{a}, 1 < 2, 0)"));
    assert_false(boolean("coalesce(#{a} > 1, 0)"));
    assert_false(boolean("round(1)"));
}

static void formats_as(const char *src, const char *want)
{
    struct formula *f = compile_ok(src);
    struct buf b = BUF_INIT;
    formula_format(f, &b);
    if (strcmp(b.p, want) != 0) fail_msg("%s: formatted \"%s\", want \"%s\"", src, b.p, want);
    formula_free(f);
    /* the canonical text is a fixed point */
    f = compile_ok(want);
    buf_reset(&b);
    formula_format(f, &b);
    assert_string_equal(b.p, want);
    formula_free(f);
    buf_free(&b);
}

static void test_format(void **state)
{
    (void)state;
    formats_as("1+2*3", "1 + 2 * 3");
    formats_as("(1+2)*3", "(1 + 2) * 3");
    formats_as("((1-2))-3", "1 - 2 - 3");
    formats_as("1-(2-3)", "1 - (2 - 3)");
    formats_as("1/(2*3)", "1 / (2 * 3)");
    formats_as("2×3÷4", "2 * 3 / 4");
    formats_as("-2*3", "-2 * 3");
    formats_as("-(2*3)", "-(2 * 3)");
    formats_as("- -1", "--1");
    formats_as("+1", "1");
    formats_as("1 - -1", "1 - -1");
    formats_as("1e3 + .5 + 0.1 + 1.5e-7", "1000 + 0.5 + 0.1 + 1.5e-07");
    formats_as("1e300*1e10", "1e+300 * 10000000000");
    formats_as("#{toilet.sanitary}/#{households}*100>=90",
               "#{toilet.sanitary} / #{households} * 100 >= 90");
    formats_as("NOT #{a}<>1 AND #{b}==2||#{c}", "not #{a} != 1 and #{b} = 2 or #{c}");
    formats_as("!(#{a} && #{b})", "not (#{a} and #{b})");
    formats_as("(not 1) = 0", "(not 1) = 0");
    formats_as("-(not 1)", "-(not 1)");
    formats_as("(1<2)=(2<3)", "(1 < 2) = (2 < 3)");
    formats_as("(1 or 0) and 1", "(1 or 0) and 1");
    formats_as("1 or (0 and 1)", "1 or 0 and 1");
    formats_as("IF( 1 , 2,3 )", "if(1, 2, 3)");
    formats_as("Min(#{a}, max(1, (2)), abs(-3))", "min(#{a}, max(1, 2), abs(-3))");
    formats_as("round(#{a})+ROUND(#{a},2)", "round(#{a}, 0) + round(#{a}, 2)");
    formats_as("isnull(#{a}) or coalesce(#{a}, 1 + 1)", "isnull(#{a}) or coalesce(#{a}, 1 + 1)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence_and_associativity),
        cmocka_unit_test(test_numbers_and_spaces),
        cmocka_unit_test(test_arithmetic_and_comparisons),
        cmocka_unit_test(test_logic),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_missing_propagates),
        cmocka_unit_test(test_division_by_zero_and_overflow),
        cmocka_unit_test(test_comparisons_do_not_chain),
        cmocka_unit_test(test_error_columns),
        cmocka_unit_test(test_columns_count_characters),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_refs_limit),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_refs_distinct_in_order),
        cmocka_unit_test(test_is_boolean),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
