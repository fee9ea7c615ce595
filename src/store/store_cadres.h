/*
 * store_cadres.h — reserve pools, community workers and make-up links in
 * the store (app/cadres.h); part of store.h's interface, in a file of its
 * own. Every writing function runs inside the caller's write transaction.
 */
#ifndef JICENG_STORE_CADRES_H
#define JICENG_STORE_CADRES_H

#include "store/store.h"

struct store_reserve {
    int64_t id, person_id;
    const char *unit, *person_name, *post, *education, *created_by, *created_at;
    int64_t year, age;
    bool college;
};
struct store_worker {
    int64_t id, person_id;
    const char *unit, *person_name, *post, *start_date, *degree, *certificate, *created_by,
        *created_at;
};

/* ERR_CONFLICT when the person is in the pool of that unit and year. */
int store_reserve_insert(struct db *db, struct store_reserve *r, struct err *err);
/* The reserves of the pools of the subtree of unit for year. */
int store_reserves(struct db *db, struct arena *a, const char *unit, int64_t year, int limit,
                   int (*fn)(void *ctx, const struct store_reserve *r), void *ctx, struct err *err);
/* Per unit for year: all reserves (what 0), aged young or less (1), college (2). */
int store_reserve_counts(struct db *db, int64_t year, int what, int64_t young,
                         int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                         struct err *err);

/* ERR_CONFLICT when the person is a worker already. */
int store_worker_insert(struct db *db, struct store_worker *w, struct err *err);
int store_workers(struct db *db, struct arena *a, const char *unit, int limit,
                  int (*fn)(void *ctx, const struct store_worker *w), void *ctx, struct err *err);

/* *of the exam event id makes up, 0 when it is a first exam. */
int store_makeup_of(struct db *db, int64_t id, int64_t *of, struct err *err);
int store_makeup_insert(struct db *db, int64_t id, int64_t of, const char *by, const char *at,
                        struct err *err);

#endif
