/*
 * store_share.h — 共享小区 needs, offers and matches in the store
 * (share.c); part of store.h's interface, in a file of its own. Every
 * writing function runs inside the caller's write transaction.
 */
#ifndef JICENG_STORE_SHARE_H
#define JICENG_STORE_SHARE_H

#include "core/share.h"
#include "store/store.h"

typedef int (*store_share_post_fn)(void *ctx, const struct share_post_row *p);
typedef int (*store_share_match_fn)(void *ctx, const struct share_match_row *m);

int store_share_post_insert(struct db *db, struct share_post_row *p, struct err *err);
/* ERR_NOT_FOUND when there is no post id (or none with the code hash). */
int store_share_post_get(struct db *db, struct arena *a, int64_t id, struct share_post_row *out,
                         struct err *err);
int store_share_post_by_code(struct db *db, struct arena *a, const char *code_hash,
                             struct share_post_row *out, struct err *err);
/* The posts of the subtree of unit, newest first; kind/state NULL any. */
int store_share_posts(struct db *db, struct arena *a, const char *unit, const char *kind,
                      const char *state, int limit, store_share_post_fn fn, void *ctx,
                      struct err *err);
/* The open posts of the other kind than p's, in p's community and category,
 * whose window overlaps p's: same building first, then the longest
 * overlap, then the nearest start. */
int store_share_suggest(struct db *db, struct arena *a, const struct share_post_row *p, int limit,
                        store_share_post_fn fn, void *ctx, struct err *err);
/* open → to (matched or closed); ERR_CONFLICT when the post was not open. */
int store_share_post_take(struct db *db, int64_t id, const char *to, struct err *err);

int store_share_match_insert(struct db *db, struct share_match_row *m, struct err *err);
int store_share_match_get(struct db *db, struct arena *a, int64_t id, struct share_match_row *out,
                          struct err *err);
int store_share_matches(struct db *db, struct arena *a, const char *unit, int limit,
                        store_share_match_fn fn, void *ctx, struct err *err);
/* One side's confirmation and rating; ERR_CONFLICT when it confirmed already.
 * Sets done_on = today when both have. */
int store_share_confirm(struct db *db, int64_t match, bool need_side, const char *at, int rating,
                        const char *today, struct err *err);

/* Per unit: matches done (what 0), needs posted (1) or offers posted (2)
 * in [start, next). */
int store_share_counts(struct db *db, int what, const char *start, const char *next,
                       int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                       struct err *err);

#endif
