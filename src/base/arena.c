/*
 * arena.c — chunked bump allocator. Small requests come from the current
 * chunk; a request larger than a quarter chunk gets a chunk of its own so
 * the current chunk's tail is not wasted.
 */
#include "base/arena.h"
#include "base/mem.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 8192
#define ALIGN      16

struct chunk {
    struct chunk *next;
    size_t used, cap;
    _Alignas(ALIGN) unsigned char data[];
};

struct arena {
    struct chunk *head; /* current chunk for small allocations */
    struct chunk *big;  /* dedicated chunks for large allocations */
    size_t total;
};

static struct chunk *chunk_new(size_t cap)
{
    struct chunk *c = xmalloc(sizeof *c + cap);
    c->next = NULL;
    c->used = 0;
    c->cap = cap;
    return c;
}

struct arena *arena_new(void)
{
    struct arena *a = xcalloc(1, sizeof *a);
    return a;
}

static void free_list(struct chunk *c)
{
    while (c) {
        struct chunk *n = c->next;
        free(c);
        c = n;
    }
}

void arena_free(struct arena *a)
{
    if (!a) return;
    free_list(a->head);
    free_list(a->big);
    free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < n) abort(); /* size overflow */
    a->total += n;
    if (need > CHUNK_SIZE / 4) {
        struct chunk *c = chunk_new(need);
        c->next = a->big;
        a->big = c;
        return c->data;
    }
    if (!a->head || a->head->cap - a->head->used < need) {
        struct chunk *c = chunk_new(CHUNK_SIZE);
        c->next = a->head;
        a->head = c;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += need;
    return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

void *arena_grow(struct arena *a, void *p, size_t size, size_t n, size_t need, size_t *cap)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    void *q = arena_alloc(a, c * size);
    if (n) memcpy(q, p, n * size);
    *cap = c;
    return q;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
