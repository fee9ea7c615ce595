/*
 * buf.h — growable byte buffer for output (git's strbuf, Redis' sds).
 *
 * Invariant: p is NULL or points to cap bytes, of which len are used, and
 * p[len] == '\0' whenever p is not NULL, so the content can be used as a C
 * string. The buffer owns p; buf_free releases it, buf_detach hands it over.
 */
#ifndef JICENG_BUF_H
#define JICENG_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *p;
    size_t len, cap;
};

#define BUF_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Returns the NUL-terminated content (never NULL) and leaves b empty;
 * the caller owns the result and frees it with free(). */
char *buf_detach(struct buf *b, size_t *len);

#endif
