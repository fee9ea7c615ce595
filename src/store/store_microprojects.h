/*
 * store_microprojects.h — 微项目 rows in the store (microprojects.c):
 * a project's budget, the wishes it packages and its participants. The
 * project itself is a case (cases, kind "microproject"). Part of store.h's
 * interface, in a file of its own; every writing function runs inside the
 * caller's write transaction.
 */
#ifndef JICENG_STORE_MICROPROJECTS_H
#define JICENG_STORE_MICROPROJECTS_H

#include "core/microproject.h"
#include "store/store.h"

int store_mp_insert(struct db *db, int64_t case_id, int64_t budget, struct err *err);
/* The project (not dropped) holding wish, with its title; ERR_NOT_FOUND when none. */
int store_mp_wish_holder(struct db *db, struct arena *a, int64_t wish, int64_t *project,
                         const char **title, struct err *err);
/* Links wish to project; a link to a dropped project is removed first.
 * ERR_CONFLICT when another project holds the wish. */
int store_mp_wish_link(struct db *db, int64_t project, int64_t wish, const char *at, const char *by,
                       struct err *err);
int store_mp_participant_add(struct db *db, struct mp_participant_row *p, struct err *err);

/* The projects of the subtree of unit, newest first; only those in one of
 * `states` (",a,b,") when it is not NULL. */
int store_mp_list(struct db *db, struct arena *a, const char *unit, const char *states, int limit,
                  int (*fn)(void *ctx, const struct mp_row *r), void *ctx, struct err *err);
/* ERR_NOT_FOUND when id is not a micro-project. */
int store_mp_get(struct db *db, struct arena *a, int64_t id, struct mp_row *out, struct err *err);
int store_mp_wishes(struct db *db, struct arena *a, int64_t project,
                    int (*fn)(void *ctx, const struct mp_wish_row *w), void *ctx, struct err *err);
int store_mp_participants(struct db *db, struct arena *a, int64_t project,
                          int (*fn)(void *ctx, const struct mp_participant_row *p), void *ctx,
                          struct err *err);
/* Per unit of the projects: participations (sum of counts) added in days [start, next). */
int store_mp_participation_counts(struct db *db, const char *start, const char *next,
                                  int (*fn)(void *ctx, const char *unit, size_t len, double n),
                                  void *ctx, struct err *err);

#endif
