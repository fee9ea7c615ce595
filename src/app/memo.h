/*
 * memo.h — answers computed from many rows, kept until what they depend on
 * changes: a few recent JSON bodies by key (e.g. a subtree's five-star
 * summary), each stamped with the generation of the data it was made from.
 * A writer bumps the generation (memo_bump); a stamp older than the current
 * generation is a miss. Thread-safe. With several servers on one database
 * the generation also moves on other servers' writes (app_follow, app.h).
 */
#ifndef JICENG_MEMO_H
#define JICENG_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct memo;

struct memo *memo_new(size_t capacity);
void memo_free(struct memo *m);
/* The current generation; memo_bump moves it on (every entry goes stale). */
uint64_t memo_generation(const struct memo *m);
void memo_bump(struct memo *m);
/* Appends the body kept for key at generation gen to out; false if none. */
bool memo_get(struct memo *m, const char *key, uint64_t gen, struct buf *out);
/* Keeps body for key, made from the data of generation gen. */
void memo_put(struct memo *m, const char *key, uint64_t gen, const char *body, size_t len);

#endif
