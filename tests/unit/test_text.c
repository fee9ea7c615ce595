/* test_text.c — charset detection and GB18030 decoding (io/text.c) and
 * UTF-8 validation (base/utf8.c). */
#include "testing.h"

#include "base/utf8.h"
#include "io/text.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char data[65536];
    *len = fread(data, 1, sizeof data, f);
    fclose(f);
    return data;
}

static void test_utf8_validation(void **state)
{
    (void)state;
    size_t bad = 0;
    assert_true(utf8_valid("河南省 abc", strlen("河南省 abc"), NULL));
    assert_false(utf8_valid("ab\xff", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(utf8_valid("\xc0\xaf", 2, NULL));         /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3, NULL));     /* surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4, NULL)); /* above U+10FFFF */
    assert_false(utf8_valid("\xe6\xb2", 2, NULL));         /* truncated */
    assert_true(utf8_valid("\xf0\x9f\x98\x80", 4, NULL));  /* emoji */
    assert_int_equal(utf8_chars("河南省", strlen("河南省")), 3);
    assert_true(utf8_has_control("a\x01", 2));
    assert_false(utf8_has_control("a\tb", 3));
}

static void test_utf8_with_and_without_bom(void **state)
{
    (void)state;
    char *out;
    size_t n;
    int cs;
    struct err e;
    err_clear(&e);
    assert_int_equal(text_decode("\xEF\xBB\xBF河南", 9, &out, &n, &cs, &e), ERR_OK);
    assert_int_equal(cs, TEXT_UTF8);
    assert_string_equal(out, "河南");
    free(out);
    assert_int_equal(text_decode("code,name\n", 10, &out, &n, &cs, &e), ERR_OK);
    assert_int_equal(cs, TEXT_UTF8);
    free(out);
}

/* A file as Chinese Excel writes it: GB18030, CRLF, no BOM. */
static void test_gb18030_excel_file(void **state)
{
    (void)state;
    size_t len, n;
    char *data = slurp(fixture("units-wuyang-gb18030.csv"), &len);
    char *out;
    int cs;
    struct err e;
    err_clear(&e);
    assert_int_equal(text_decode(data, len, &out, &n, &cs, &e), ERR_OK);
    assert_int_equal(cs, TEXT_GB18030);
    assert_true(utf8_valid(out, n, NULL));
    assert_non_null(strstr(out, "代码,名称,上级代码"));
    assert_non_null(strstr(out, "411121,舞阳县,4111"));
    free(out);
}

static void test_round_trip_gb18030(void **state)
{
    (void)state;
    const char *s = "舞阳县,𠀀,€"; /* a four-byte GB18030 character and a symbol */
    char *gb, *back;
    size_t gblen, n;
    int cs;
    struct err e;
    err_clear(&e);
    assert_int_equal(text_encode_gb18030(s, strlen(s), &gb, &gblen, &e), ERR_OK);
    assert_int_equal(text_decode(gb, gblen, &back, &n, &cs, &e), ERR_OK);
    assert_int_equal(cs, TEXT_GB18030);
    assert_string_equal(back, s);
    free(gb);
    free(back);
}

static void test_bad_bytes_report_their_line(void **state)
{
    (void)state;
    char *out;
    size_t n;
    int cs;
    struct err e;
    err_clear(&e);
    /* starts as UTF-8, breaks on line 3 */
    const char *bad = "a\n河南\nb\xff\n";
    assert_int_equal(text_decode(bad, strlen(bad), &out, &n, &cs, &e), ERR_INVALID);
    assert_int_equal(e.line, 3);
    assert_null(out);
    /* not UTF-8 and not GB18030 either (0xFF is no lead byte in either) */
    err_clear(&e);
    const char *junk = "x\ny\n\xff\xfe\n";
    assert_int_equal(text_decode(junk, strlen(junk), &out, &n, &cs, &e), ERR_INVALID);
    assert_int_equal(e.line, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_utf8_with_and_without_bom),
        cmocka_unit_test(test_gb18030_excel_file),
        cmocka_unit_test(test_round_trip_gb18030),
        cmocka_unit_test(test_bad_bytes_report_their_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
