/* form.c — x-www-form-urlencoded values (form.h). */
#include "io/form.h"
#include "base/utf8.h"

#include <stdbool.h>
#include <string.h>

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Control bytes other than tab and line breaks (a description may have lines). */
static bool has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return true;
    }
    return false;
}

/* Decodes s[0..n) into out (at least n + 1 bytes); returns the length or -1. */
static long decode(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[k++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 2 < n ? hex(s[i + 1]) : -1;
            int lo = hi >= 0 ? hex(s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi | lo) == 0) return -1;
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return (long)k;
}

int form_get(const char *body, size_t len, const char *name, size_t max, struct arena *a,
             const char **out, struct err *err)
{
    *out = NULL;
    size_t nlen = strlen(name);
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pair_end = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(pair_end - p));
        if (eq && (size_t)(eq - p) == nlen && memcmp(p, name, nlen) == 0) {
            size_t vlen = (size_t)(pair_end - eq - 1);
            char *v = arena_alloc(a, vlen + 1);
            long n = decode(eq + 1, vlen, v);
            if (n < 0 || !utf8_valid(v, (size_t)n, NULL) || has_control(v, (size_t)n))
                return err_set_field(err, ERR_INVALID, name, "%s is not valid form text", name);
            if ((size_t)n > max)
                return err_set_field(err, ERR_INVALID, name, "%s is longer than %zu bytes", name,
                                     max);
            *out = v;
            return ERR_OK;
        }
        p = pair_end + 1;
    }
    return ERR_OK;
}
