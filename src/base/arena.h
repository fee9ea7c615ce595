/*
 * arena.h — region allocator for per-request and per-job memory (h2o's
 * mem pools). Everything allocated from an arena is released at once by
 * arena_free, so a handler cannot leak. Not thread-safe: one owner.
 */
#ifndef JICENG_ARENA_H
#define JICENG_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Frees every allocation and the arena. arena_free(NULL) is a no-op. */
void arena_free(struct arena *a);
/* Returns n bytes aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
/* An array of `size`-byte elements holding at least `need` (n = the count
 * used so far is copied over), as xgrow does on the heap: returns p when
 * *cap suffices, else a new block from a with *cap doubled. */
void *arena_grow(struct arena *a, void *p, size_t size, size_t n, size_t need, size_t *cap);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for limits and tests). */
size_t arena_used(const struct arena *a);

#endif
