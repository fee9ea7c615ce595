/* test_password.c — the password policy (core/password.c) and the scope
 * test every permission check rests on (app/auth.c). */
#include "testing.h"

#include "app/auth.h"
#include "core/password.h"

static int check(const char *pw, const char *user)
{
    struct err e;
    err_clear(&e);
    int rc = password_check(pw, user, &e);
    if (rc) assert_string_equal(e.field, "password");
    return rc;
}

static void test_accepts_reasonable_passwords(void **state)
{
    (void)state;
    assert_int_equal(check("Kw7-test-2026-pass", "admin"), ERR_OK);
    assert_int_equal(check("舞阳县舞泉镇二零二六年", "wuquan"),
                     ERR_OK); /* 10 characters, 30 bytes */
    assert_int_equal(check("correct horse battery", NULL), ERR_OK);
}

static void test_length(void **state)
{
    (void)state;
    assert_int_equal(check("Short-9x", "u"), ERR_INVALID);
    assert_int_equal(check("九个汉字的密码不够长", "u"), ERR_OK); /* exactly 10 characters */
    assert_int_equal(check("九个汉字的密码不够", "u"), ERR_INVALID);
    char longpw[PASSWORD_MAX + 2];
    memset(longpw, 'k', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\0';
    longpw[3] = '7';
    assert_int_equal(check(longpw, "u"), ERR_INVALID);
}

static void test_not_the_login_name(void **state)
{
    (void)state;
    assert_int_equal(check("zhangsan-2026!", "zhangsan"), ERR_INVALID);
    assert_int_equal(check("My-ZhangSan-key", "zhangsan"), ERR_INVALID);
    assert_int_equal(check("unrelated-2026!", "zhangsan"), ERR_OK);
}

static void test_common_and_trivial(void **state)
{
    (void)state;
    assert_int_equal(check("1234567890", "u"), ERR_INVALID);
    assert_int_equal(check("QWERTYUIOP", "u"), ERR_INVALID);
    assert_int_equal(check("woaini1314520", "u"), ERR_INVALID);
    assert_int_equal(check("aaaaaaaaaaaa", "u"), ERR_INVALID);
    assert_int_equal(check("abcdefghijkl", "u"), ERR_INVALID);
    assert_int_equal(check("9876543210", "u"), ERR_INVALID);
}

static void test_bad_bytes(void **state)
{
    (void)state;
    assert_int_equal(check("password\x01-long-one", "u"), ERR_INVALID);
    assert_int_equal(check("bad-utf8-\xff\xfe-xx", "u"), ERR_INVALID);
}

static void test_scope_is_a_code_prefix(void **state)
{
    (void)state;
    assert_true(auth_in_scope("", "41"));
    assert_true(auth_in_scope("411121", "411121"));
    assert_true(auth_in_scope("411121", "411121100201"));
    assert_false(auth_in_scope("411121", "4111"));        /* the parent */
    assert_false(auth_in_scope("411121", "411122"));      /* a sibling */
    assert_false(auth_in_scope("411121100", "41112110")); /* not a code, still outside */
    assert_false(auth_in_scope("411121", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_reasonable_passwords),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_not_the_login_name),
        cmocka_unit_test(test_common_and_trivial),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_scope_is_a_code_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
