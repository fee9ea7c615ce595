/*
 * pii.c — see pii.h. Checks run from cheapest to most specific so that the
 * message names the first thing a person would fix (length before
 * characters before region, date and check character).
 */
#include "core/pii.h"
#include "core/civil.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Province-level codes of GB/T 2260; 83 is used by Taiwan residents'
 * residence permits, which share the ID number format. */
static const struct {
    int lo, hi;
} provinces[] = {{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}, {71, 71}, {81, 83}};

static bool province_ok(int code)
{
    for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
        if (code >= provinces[i].lo && code <= provinces[i].hi) return true;
    return false;
}

static bool date_ok(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= civil_month_days(y, m);
}

/* ISO 7064 MOD 11-2 over the first 17 digits. */
static char idcard_check_char(const char *s)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

int pii_idcard_check_at(const char *s, size_t len, long today, struct err *err)
{
    if (len != PII_IDCARD_LEN)
        return err_set(err, ERR_INVALID, "身份证号长度应为 18 位，实际为 %zu 位", len);
    for (int i = 0; i < 17; i++)
        if (!is_digit(s[i]))
            return err_set(err, ERR_INVALID, "身份证号含非法字符：前 17 位只能是数字");
    char last = s[17] == 'x' ? 'X' : s[17];
    if (!is_digit(last) && last != 'X')
        return err_set(err, ERR_INVALID, "身份证号含非法字符：最后一位只能是数字或 X");
    if (!province_ok(num(s, 2)))
        return err_set(err, ERR_INVALID, "身份证号的地区代码无效：前两位不是省级行政区代码");
    int y = num(s + 6, 4), m = num(s + 10, 2), d = num(s + 12, 2);
    if (!date_ok(y, m, d)) return err_set(err, ERR_INVALID, "身份证号的出生日期不是有效日期");
    if (y < 1900) return err_set(err, ERR_INVALID, "身份证号的出生日期早于 1900 年");
    if (num(s + 6, 8) > today) return err_set(err, ERR_INVALID, "身份证号的出生日期晚于今天");
    if (idcard_check_char(s) != last)
        return err_set(err, ERR_INVALID, "身份证号校验码错误，请核对号码是否录入有误");
    return ERR_OK;
}

int pii_idcard_check(const char *s, size_t len, struct err *err)
{
    time_t now = time(NULL);
    struct tm tm;
    long today = 99991231; /* if the clock is unreadable, skip only the future check */
    if (localtime_r(&now, &tm))
        today = (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1L) * 100 + tm.tm_mday;
    return pii_idcard_check_at(s, len, today, err);
}

int pii_idcard_normalize(const char *s, size_t len, char out[PII_IDCARD_LEN + 1], struct err *err)
{
    while (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    int rc = pii_idcard_check(s, len, err);
    if (rc) return rc;
    memcpy(out, s, PII_IDCARD_LEN);
    if (out[17] == 'x') out[17] = 'X';
    out[PII_IDCARD_LEN] = '\0';
    return ERR_OK;
}

int pii_phone_check(const char *s, size_t len, struct err *err)
{
    if (len != PII_PHONE_LEN)
        return err_set(err, ERR_INVALID, "手机号长度应为 11 位，实际为 %zu 位", len);
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i])) return err_set(err, ERR_INVALID, "手机号含非法字符：只能是数字");
    if (s[0] != '1' || s[1] < '3')
        return err_set(err, ERR_INVALID, "手机号号段无效：应以 13 至 19 开头");
    return ERR_OK;
}

int pii_phone_normalize(const char *s, size_t len, char out[PII_PHONE_LEN + 1], struct err *err)
{
    char buf[16] = {0}; /* "+86" and 11 digits fit; anything longer is the wrong length */
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '-') continue;
        if (n == sizeof buf) return err_set(err, ERR_INVALID, "手机号长度应为 11 位");
        buf[n++] = s[i];
    }
    const char *p = buf;
    if (n >= 3 && memcmp(buf, "+86", 3) == 0) {
        p += 3;
        n -= 3;
    } else if (n > 0 && buf[0] == '+') {
        return err_set(err, ERR_INVALID, "手机号只支持中国大陆号码（+86）");
    } else if (n == PII_PHONE_LEN + 2 && memcmp(buf, "86", 2) == 0) {
        p += 2;
        n -= 2;
    }
    int rc = pii_phone_check(p, n, err);
    if (rc) return rc;
    memcpy(out, p, PII_PHONE_LEN);
    out[PII_PHONE_LEN] = '\0';
    return ERR_OK;
}

/* Writes s with all but `head` leading and `tail` trailing bytes replaced
 * by '*'; non-alphanumeric bytes are starred too, so a masked value never
 * carries a split UTF-8 sequence or anything but what it means to show. */
static void mask(const char *s, size_t len, size_t head, size_t tail, char *out, size_t cap)
{
    if (cap == 0) return;
    if (head + tail >= len) head = tail = 0;
    size_t n = len < cap - 1 ? len : cap - 1;
    for (size_t i = 0; i < n; i++) {
        bool show = (i < head || i >= len - tail) && is_alnum(s[i]);
        out[i] = show ? s[i] : '*';
    }
    out[n] = '\0';
}

void pii_mask_idcard(const char *s, size_t len, char *out, size_t cap)
{
    if (len == PII_IDCARD_LEN)
        mask(s, len, 6, 4, out, cap);
    else
        mask(s, len, len >= 10 ? 3 : 0, len >= 10 ? 2 : 0, out, cap);
}

void pii_mask_phone(const char *s, size_t len, char *out, size_t cap)
{
    if (len == PII_PHONE_LEN)
        mask(s, len, 3, 4, out, cap);
    else
        mask(s, len, len >= 10 ? 3 : 0, len >= 10 ? 2 : 0, out, cap);
}

/* ---- free text ---- */

/* The digit (0–9) or check letter ('X' as 10) at s[i], ASCII or full
 * width; *n is its length in bytes. -1 for anything else. */
static int digit_at(const char *s, size_t len, size_t i, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = len - i;
    *n = 1;
    if (u[0] >= '0' && u[0] <= '9') return u[0] - '0';
    if (u[0] == 'X' || u[0] == 'x') return 10;
    if (left >= 3 && u[0] == 0xEF) {
        *n = 3;
        if (u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) return u[2] - 0x90; /* ０–９ */
        if ((u[1] == 0xBC && u[2] == 0xB8) || (u[1] == 0xBD && u[2] == 0x98)) return 10; /* Ｘｘ */
    }
    return -1;
}

/* Is s[i] a digit (not a letter), for the boundaries around a number? */
static bool digit_before(const char *s, size_t i)
{
    if (i >= 1 && is_digit(s[i - 1])) return true;
    const unsigned char *u = (const unsigned char *)s;
    return i >= 3 && u[i - 3] == 0xEF && u[i - 2] == 0xBC && u[i - 1] >= 0x90 && u[i - 1] <= 0x99;
}

static bool digit_after(const char *s, size_t len, size_t i)
{
    size_t n;
    int d = i < len ? digit_at(s, len, i, &n) : -1;
    return d >= 0 && d <= 9;
}

/* Reads up to `want` characters of a number from s[i]: digits with single
 * spaces or hyphens between them, a check letter only as the 18th. Fills
 * out and returns the end, or 0 when fewer than `want` were read. */
static size_t read_number(const char *s, size_t len, size_t i, int want, char *out)
{
    int got = 0;
    while (i < len) {
        size_t n;
        int d = digit_at(s, len, i, &n);
        if (d < 0 || (d == 10 && got != 17)) break;
        out[got++] = d == 10 ? 'X' : (char)('0' + d);
        i += n;
        if (got == want) {
            out[got] = '\0';
            return i;
        }
        if (i + 1 < len && (s[i] == ' ' || s[i] == '-') && digit_at(s, len, i + 1, &n) >= 0) i++;
    }
    return 0;
}

bool pii_find(const char *s, size_t len, size_t from, struct pii_match *m)
{
    struct err ignored;
    for (size_t i = from; i < len; i++) {
        size_t n;
        int d = digit_at(s, len, i, &n);
        if (d < 0 || d == 10 || digit_before(s, i)) continue;
        char v[PII_IDCARD_LEN + 1];
        size_t end = read_number(s, len, i, PII_IDCARD_LEN, v);
        if (end && !digit_after(s, len, end) &&
            pii_idcard_check_at(v, PII_IDCARD_LEN, 99991231L, &ignored) == ERR_OK) {
            *m = (struct pii_match){.start = i, .end = end, .kind = PII_IDCARD};
            memcpy(m->value, v, sizeof v);
            return true;
        }
        size_t at = i;
        if (d == 8 && i + n < len) { /* "86" before a phone number */
            size_t n2;
            if (digit_at(s, len, i + n, &n2) == 6) at = i + n + n2;
            if (at != i && at < len && (s[at] == ' ' || s[at] == '-')) at++;
        }
        for (size_t try = i;; try = at) {
            end = read_number(s, len, try, PII_PHONE_LEN, v);
            if (end && !digit_after(s, len, end) &&
                pii_phone_check(v, PII_PHONE_LEN, &ignored) == ERR_OK) {
                *m = (struct pii_match){.start = try, .end = end, .kind = PII_PHONE};
                memcpy(m->value, v, PII_PHONE_LEN + 1);
                return true;
            }
            if (try == at) break;
        }
        i += n - 1;
    }
    return false;
}

size_t pii_mask_text(const char *s, size_t len, struct buf *out)
{
    size_t done = 0, count = 0;
    struct pii_match m;
    while (pii_find(s, len, done, &m)) {
        buf_add(out, s + done, m.start - done);
        char masked[PII_IDCARD_LEN + 1];
        if (m.kind == PII_IDCARD)
            pii_mask_idcard(m.value, PII_IDCARD_LEN, masked, sizeof masked);
        else
            pii_mask_phone(m.value, PII_PHONE_LEN, masked, sizeof masked);
        buf_puts(out, masked);
        done = m.end;
        count++;
    }
    buf_add(out, s + done, len - done);
    return count;
}
