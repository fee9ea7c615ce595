/*
 * mem.h — allocation helpers.
 *
 * Out of memory is not an input error a caller can repair: like git's
 * xmalloc and Redis' zmalloc, these abort with a message instead of
 * returning NULL, so ordinary code need not test every allocation. Input
 * sizes are bounded at the edges (http/, io/), so this only triggers when
 * the machine itself is exhausted.
 */
#ifndef JICENG_MEM_H
#define JICENG_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array to hold at least `need` elements of `size` bytes,
 * doubling; updates *cap. */
void *xgrow(void *p, size_t size, size_t need, size_t *cap);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
