/*
 * store_contests.h — contests (擂台比武): the contest, its contestants and
 * judges, the judges' scores and 金点子 with their votes (contests.c);
 * part of store.h's interface, in a file of its own. Every writing
 * function runs inside the caller's write transaction.
 */
#ifndef JICENG_STORE_CONTESTS_H
#define JICENG_STORE_CONTESTS_H

#include "core/contest.h"
#include "store/store.h"

int store_contest_insert(struct db *db, struct contest_row *c, struct err *err);
int store_contestant_insert(struct db *db, int64_t contest, const struct contestant_row *c,
                            struct err *err);
/* ERR_CONFLICT when the hash is taken (a code drawn twice). */
int store_judge_insert(struct db *db, int64_t contest, const struct judge_row *j,
                       const char *code_hash, struct err *err);
/* ERR_NOT_FOUND when there is no contest id. */
int store_contest_get(struct db *db, struct arena *a, int64_t id, struct contest_row *out,
                      struct err *err);
/* The contests of the subtree of unit ("" every one) of year (0 any), newest first. */
int store_contests(struct db *db, struct arena *a, const char *unit, int year,
                   int (*fn)(void *ctx, const struct contest_row *c), void *ctx, struct err *err);
/* The contestants / judges / scores of a contest, in seq order (arrays in a). */
int store_contestants(struct db *db, struct arena *a, int64_t id, struct contestant_row **out,
                      size_t *n, struct err *err);
int store_contest_judges(struct db *db, struct arena *a, int64_t id, struct judge_row **out,
                         size_t *n, struct err *err);
int store_contest_scores(struct db *db, struct arena *a, int64_t id, struct contest_score_row **out,
                         size_t *n, struct err *err);
/* The judge whose code has hash; ERR_NOT_FOUND none. */
/* A judge's new code (its keyed hash); the old one stops working. */
int store_judge_code_set(struct db *db, int64_t contest, int seq, const char *code_hash,
                         struct err *err);
int store_judge_by_hash(struct db *db, struct arena *a, const char *hash, int64_t *contest,
                        struct judge_row *out, struct err *err);
/* Inserts or replaces a judge's score of a contestant. */
int store_contest_score_put(struct db *db, int64_t contest, const struct contest_score_row *s,
                            struct err *err);
int store_contestant_round(struct db *db, int64_t contest, int seq, const char *round,
                           struct err *err);
int store_contest_current(struct db *db, int64_t contest, int seq, struct err *err);
int store_contestant_site(struct db *db, int64_t contest, int seq, double score, struct err *err);

int store_contest_idea_insert(struct db *db, int64_t contest, struct contest_idea_row *i,
                              struct err *err);
/* The ideas of a contest, most votes first; mine for user. */
int store_contest_ideas(struct db *db, struct arena *a, int64_t contest, const char *user,
                        struct contest_idea_row **out, size_t *n, struct err *err);
/* The contest of idea id; ERR_NOT_FOUND none. */
int store_contest_idea_contest(struct db *db, int64_t idea, int64_t *contest, struct err *err);
/* ERR_CONFLICT when user voted for the idea already. */
int store_contest_idea_vote(struct db *db, int64_t idea, const char *user, struct err *err);

#endif
