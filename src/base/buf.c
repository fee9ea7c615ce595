/* buf.c — see buf.h. */
#include "base/buf.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_grow(struct buf *b, size_t extra)
{
    b->p = xgrow(b->p, 1, b->len + extra + 1, &b->cap);
}

void buf_add(struct buf *b, const void *data, size_t n)
{
    buf_grow(b, n);
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    buf_grow(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    buf_grow(b, 64);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, cp);
    va_end(cp);
    if (n < 0) return;
    if ((size_t)n >= b->cap - b->len) {
        buf_grow(b, (size_t)n);
        vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    }
    b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->p) b->p[0] = '\0';
}

void buf_free(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
    if (!b->p) {
        buf_grow(b, 0);
        b->p[0] = '\0'; /* an empty buffer detaches as "" (a draw with no 回避 links) */
    }
    char *p = b->p;
    if (len) *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}
