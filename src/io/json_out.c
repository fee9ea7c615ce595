/* json_out.c — see json_out.h. */
#include "io/json_out.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void jw_init(struct jw *w, struct buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->first[0] = true;
}

/* Emits the separator owed before a value at the current depth. */
static void sep(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth]) buf_putc(w->b, ',');
    w->first[w->depth] = false;
}

static void open(struct jw *w, char c)
{
    sep(w);
    buf_putc(w->b, c);
    assert(w->depth + 1 < JW_MAX_DEPTH);
    w->first[++w->depth] = true;
}

static void close(struct jw *w, char c)
{
    assert(w->depth > 0);
    w->depth--;
    buf_putc(w->b, c);
}

void jw_obj(struct jw *w)
{
    open(w, '{');
}

void jw_obj_end(struct jw *w)
{
    close(w, '}');
}

void jw_arr(struct jw *w)
{
    open(w, '[');
}

void jw_arr_end(struct jw *w)
{
    close(w, ']');
}

void json_escape(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_grow(b, n + 2);
    buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        buf_add(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"':
            buf_add(b, "\\\"", 2);
            break;
        case '\\':
            buf_add(b, "\\\\", 2);
            break;
        case '\n':
            buf_add(b, "\\n", 2);
            break;
        case '\r':
            buf_add(b, "\\r", 2);
            break;
        case '\t':
            buf_add(b, "\\t", 2);
            break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_add(b, u, 6);
        }
        }
    }
    buf_add(b, s + start, n - start);
    buf_putc(b, '"');
}

void jw_key(struct jw *w, const char *key)
{
    sep(w);
    json_escape(w->b, key, strlen(key));
    buf_putc(w->b, ':');
    w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    sep(w);
    json_escape(w->b, s, n);
}

void jw_str(struct jw *w, const char *s)
{
    jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v)
{
    sep(w);
    buf_printf(w->b, "%lld", (long long)v);
}

void jw_num(struct jw *w, double v)
{
    sep(w);
    if (!isfinite(v)) {
        buf_add(w->b, "null", 4);
        return;
    }
    if (v == (double)(int64_t)v && fabs(v) < 1e15)
        buf_printf(w->b, "%lld", (long long)v);
    else
        buf_printf(w->b, "%.15g", v);
}

void jw_bool(struct jw *w, bool v)
{
    sep(w);
    buf_puts(w->b, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
    sep(w);
    buf_add(w->b, "null", 4);
}

void jw_raw(struct jw *w, const char *json, size_t n)
{
    sep(w);
    buf_add(w->b, json, n);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kstrn(struct jw *w, const char *key, const char *s, size_t n)
{
    jw_key(w, key);
    jw_strn(w, s, n);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_knum(struct jw *w, const char *key, double v)
{
    jw_key(w, key);
    jw_num(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *key)
{
    jw_key(w, key);
    jw_null(w);
}

void jw_kstr_or_null(struct jw *w, const char *key, const char *s)
{
    if (s)
        jw_kstr(w, key, s);
    else
        jw_knull(w, key);
}
