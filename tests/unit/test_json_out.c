/* test_json_out.c — the streaming JSON writer (io/json_out.c). */
#include "testing.h"

#include "io/json_out.h"

static void test_nesting_and_commas(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "code", "41");
    jw_kint(&w, "n", -3);
    jw_key(&w, "items");
    jw_arr(&w);
    jw_int(&w, 1);
    jw_obj(&w);
    jw_obj_end(&w);
    jw_null(&w);
    jw_arr_end(&w);
    jw_kbool(&w, "ok", true);
    jw_knum(&w, "rate", 73.39);
    jw_knum(&w, "whole", 5.0);
    jw_knum(&w, "nan", 0.0 / 0.0);
    jw_kstr_or_null(&w, "parent", NULL);
    jw_obj_end(&w);
    assert_string_equal(b.p, "{\"code\":\"41\",\"n\":-3,\"items\":[1,{},null],\"ok\":true,"
                             "\"rate\":73.39,\"whole\":5,\"nan\":null,\"parent\":null}");
    buf_free(&b);
}

static void test_escaping(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    json_escape(&b, "a\"b\\c\n\t\x01河</script>", strlen("a\"b\\c\n\t\x01河</script>"));
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\t\\u0001河</script>\"");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nesting_and_commas),
        cmocka_unit_test(test_escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
