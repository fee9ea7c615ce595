/* test_csv.c — the RFC 4180 reader (io/csv.c). */
#include "testing.h"

#include "io/csv.h"

struct parsed {
    char buf[512];
    struct csv_reader r;
    struct csv_field f[8];
    struct err e;
};

static void start(struct parsed *p, const char *text)
{
    snprintf(p->buf, sizeof p->buf, "%s", text);
    csv_init(&p->r, p->buf, strlen(p->buf), 64);
    err_clear(&p->e);
}

static int next(struct parsed *p)
{
    return csv_next(&p->r, p->f, 8, &p->e);
}

static void assert_field(const struct csv_field *f, const char *want)
{
    assert_int_equal(f->len, strlen(want));
    assert_memory_equal(f->p, want, f->len);
}

static void test_plain_and_crlf(void **state)
{
    (void)state;
    struct parsed p;
    start(&p, "a,b,c\r\n1,,3\n");
    assert_int_equal(next(&p), 3);
    assert_field(&p.f[2], "c");
    assert_int_equal(p.r.line, 1);
    assert_int_equal(next(&p), 3);
    assert_field(&p.f[1], "");
    assert_field(&p.f[2], "3");
    assert_int_equal(p.r.line, 2);
    assert_int_equal(next(&p), 0);
}

static void test_quotes(void **state)
{
    (void)state;
    struct parsed p;
    start(&p, "\"河南省\",\"a,b\",\"say \"\"hi\"\"\"\n\"line\nbreak\",x\nlast,row");
    assert_int_equal(next(&p), 3);
    assert_field(&p.f[0], "河南省");
    assert_field(&p.f[1], "a,b");
    assert_field(&p.f[2], "say \"hi\"");
    assert_int_equal(next(&p), 2);
    assert_field(&p.f[0], "line\nbreak");
    assert_int_equal(p.r.line, 2);
    assert_int_equal(next(&p), 2); /* no newline at the end */
    assert_int_equal(p.r.line, 4); /* the quoted newline counted */
    assert_field(&p.f[1], "row");
    assert_int_equal(next(&p), 0);
}

static void test_blank_line_is_one_empty_field(void **state)
{
    (void)state;
    struct parsed p;
    start(&p, "a\n\nb\n");
    assert_int_equal(next(&p), 1);
    assert_int_equal(next(&p), 1);
    assert_int_equal(p.f[0].len, 0);
    assert_int_equal(next(&p), 1);
    assert_int_equal(p.r.line, 3);
}

static void test_errors_carry_line_and_column(void **state)
{
    (void)state;
    struct parsed p;
    start(&p, "ok\n\"open,never closed\n");
    assert_int_equal(next(&p), 1);
    assert_int_equal(next(&p), ERR_INVALID);
    assert_int_equal(p.e.line, 2);

    start(&p, "a,b\"c\n");
    assert_int_equal(next(&p), ERR_INVALID);
    assert_int_equal(p.e.column, 2);

    start(&p, "\"x\"y\n");
    assert_int_equal(next(&p), ERR_INVALID);

    start(&p, "1,2,3,4,5,6,7,8,9\n");
    assert_int_equal(next(&p), ERR_INVALID); /* more than 8 fields */

    char big[200];
    memset(big, 'x', 100);
    big[100] = '\0';
    start(&p, big);
    assert_int_equal(next(&p), ERR_TOO_LARGE); /* max_field is 64 */
}

static void test_field_helpers(void **state)
{
    (void)state;
    char s[] = "  Code\t";
    struct csv_field f = {s, strlen(s)};
    assert_true(csv_field_is(&f, "code"));
    assert_false(csv_field_is(&f, "cod"));
    csv_field_trim(&f);
    assert_field(&f, "Code");
}

/* OWASP's rule: a cell a spreadsheet would take for a formula is written
 * with a leading single quote, so it shows as text. */
static void test_write_neutralises_formulas(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"=HYPERLINK(\"http://x.example/\",\"点我\")",
         "\"'=HYPERLINK(\"\"http://x.example/\"\",\"\"点我\"\")\""},
        {"+1+cmd|' /C calc'!A0", "\"'+1+cmd|' /C calc'!A0\""},
        {"-2+3", "\"'-2+3\""},
        {"@SUM(A1:A9)", "\"'@SUM(A1:A9)\""},
        {"\t=1", "\"'\t=1\""},
        {"\r=1", "\"'\r=1\""},
        {"村里 = 1", "\"村里 = 1\""}, /* only the first character counts */
        {" =1", "\" =1\""},
        {"'quoted", "\"'quoted\""},
        {"", "\"\""},
        {"舞泉镇", "\"舞泉镇\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct buf b = BUF_INIT;
        csv_write_field(&b, cases[i].in);
        assert_string_equal(b.p, cases[i].out);
        buf_free(&b);
    }
    assert_true(csv_formula_like("=1"));
    assert_false(csv_formula_like("1=1"));
    assert_false(csv_formula_like(NULL));
}

static void test_write_numbers(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    csv_write_number(&b, -2.5);
    buf_putc(&b, ',');
    csv_write_number(&b, 66.7);
    buf_putc(&b, ',');
    csv_write_number(&b, 1.0 / 0.0);
    buf_putc(&b, ',');
    csv_write_number(&b, 0.1 + 0.2);
    assert_string_equal(b.p, "-2.5,66.7,,0.3");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_crlf),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_blank_line_is_one_empty_field),
        cmocka_unit_test(test_errors_carry_line_and_column),
        cmocka_unit_test(test_field_helpers),
        cmocka_unit_test(test_write_neutralises_formulas),
        cmocka_unit_test(test_write_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
