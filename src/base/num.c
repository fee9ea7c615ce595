/* num.c — see num.h. strtod does the conversion and reports range errors
 * (ERANGE for overflow, and for results that are 0 or subnormal although
 * the text is not zero); the syntax is checked first, so that neither a
 * locale nor strtod's hex, inf and nan forms can slip through. */
#include "base/num.h"
#include "base/mem.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The length of the decimal number at the start of s[0..len), or 0; *zero
 * tells whether all its mantissa digits are 0. */
static size_t scan(const char *s, size_t len, bool *zero)
{
    size_t i = 0, mant = 0;
    *zero = true;
    if (i < len && (s[i] == '+' || s[i] == '-')) i++;
    for (; i < len && digit(s[i]); i++, mant++)
        *zero = *zero && s[i] == '0';
    if (i < len && s[i] == '.')
        for (i++; i < len && digit(s[i]); i++, mant++)
            *zero = *zero && s[i] == '0';
    if (mant == 0) return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = ++i;
        if (i < len && (s[i] == '+' || s[i] == '-')) e = ++i;
        while (i < len && digit(s[i]))
            i++;
        if (i == e) return 0;
    }
    return i;
}

enum num_status num_parse(const char *s, size_t len, double *out)
{
    *out = 0;
    bool zero;
    if (len == 0 || scan(s, len, &zero) != len) return NUM_SYNTAX;
    char small[64], *buf = len < sizeof small ? small : xmalloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    double v = strtod(buf, NULL);
    if (buf != small) free(buf);
    if (!isfinite(v) || (errno == ERANGE && !zero) || (!zero && fpclassify(v) != FP_NORMAL))
        return NUM_RANGE;
    *out = v == 0 ? 0 : v; /* never -0 */
    return NUM_OK;
}

bool num_int_overflows(const char *s, size_t len)
{
    size_t i = len && (s[0] == '+' || s[0] == '-') ? 1 : 0;
    if (i == len) return false;
    for (size_t k = i; k < len; k++)
        if (!digit(s[k])) return false;
    while (i + 1 < len && s[i] == '0')
        i++;
    static const char max[] = "9223372036854775807", min[] = "9223372036854775808";
    const char *lim = s[0] == '-' ? min : max;
    size_t n = len - i, m = sizeof max - 1;
    return n > m || (n == m && memcmp(s + i, lim, m) > 0);
}
