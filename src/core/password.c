/* password.c — the password policy (password.h). */
#include "core/password.h"
#include "base/utf8.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Common passwords of at least PASSWORD_MIN characters (shorter ones fail
 * the length rule anyway), from published leak statistics, including the
 * ones frequent in Chinese leaks. Compared case-insensitively. */
static const char *const common[] = {
    "1234567890",    "0123456789",   "12345678910",   "123456789a",    "a123456789",
    "1234567890a",   "qwertyuiop",   "qwertyuiop123", "1q2w3e4r5t",    "1qaz2wsx3edc",
    "1qaz@wsx3edc",  "1q2w3e4r5t6y", "zaq12wsxcde3",  "qazwsxedcrfv",  "qazwsxedc123",
    "asdfghjkl123",  "zxcvbnm123",   "password123",   "password1234",  "password12345",
    "passw0rd123",   "p@ssw0rd123",  "admin123456",   "admin12345678", "administrator",
    "abc1234567",    "abcd123456",   "abcd1234567",   "abcdefg123",    "abc123456789",
    "aa123456789",   "qq123456789",  "qq1234567890",  "woaini1314",    "woaini520",
    "woaini1314520", "5201314520",   "1314520520",    "iloveyou123",   "iloveyou1314",
    "123456789abc",  "123123123123", "1234512345",    "1122334455",    "1234554321",
    "9876543210",    "0987654321",   "11111111111",   "147258369",     "1472583690",
    "123qweasdzxc",  "qweasdzxc123", "qwe123456789",  "123456qwerty",  "qwerty123456",
    "welcome123",    "sunshine123",  "football123",   "baseball123",   "superman123",
    "princess123",   "michael123",   "changeme123",   "letmein123",    "monkey12345",
    "jiceng123456",  "jiceng2026",   "dangjian123",   "wuxing12345",   "zhibu123456",
};

/* A single repeated character, or a run of consecutive ASCII characters
 * ("abcdefghij", "9876543210"). */
static bool trivial(const char *p)
{
    size_t n = strlen(p);
    bool same = true, up = true, down = true;
    for (size_t i = 1; i < n; i++) {
        same = same && p[i] == p[0];
        up = up && (unsigned char)p[i] == (unsigned char)p[i - 1] + 1;
        down = down && (unsigned char)p[i] + 1 == (unsigned char)p[i - 1];
    }
    return same || up || down;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0) return false;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return true;
    return false;
}

int password_check(const char *password, const char *username, struct err *err)
{
    size_t len = strlen(password);
    if (len > PASSWORD_MAX)
        return err_set_field(err, ERR_INVALID, "password", "密码不能超过 %d 个字节", PASSWORD_MAX);
    if (!utf8_valid(password, len, NULL) || utf8_has_control(password, len))
        return err_set_field(err, ERR_INVALID, "password", "密码含有无法识别的字符");
    if (utf8_chars(password, len) < PASSWORD_MIN)
        return err_set_field(err, ERR_INVALID, "password", "密码至少需要 %d 个字符", PASSWORD_MIN);
    if (username && username[0] && contains_ci(password, username))
        return err_set_field(err, ERR_INVALID, "password", "密码不能包含登录名");
    if (trivial(password))
        return err_set_field(err, ERR_INVALID, "password",
                             "密码过于简单（重复或连续的字符），请换一个");
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (strcasecmp(password, common[i]) == 0)
            return err_set_field(err, ERR_INVALID, "password",
                                 "这是常见密码，容易被猜中，请换一个");
    return ERR_OK;
}
