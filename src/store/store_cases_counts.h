/*
 * store_cases_counts.h — cases counted by unit for computed data elements
 * (cases_counts.c): created in a period, or a named step taken in it.
 * Part of the store's interface (store.h), kept in a file of its own.
 */
#ifndef JICENG_STORE_CASES_COUNTS_H
#define JICENG_STORE_CASES_COUNTS_H

#include "store/store.h"

/* Cases of `kind` created in [start, next) (YYYY-MM-DD), by the unit each concerns. */
int store_cases_created_counts(struct db *db, const char *kind, const char *start, const char *next,
                               int (*fn)(void *ctx, const char *unit, size_t len, double n),
                               void *ctx, struct err *err);
/* Steps `transition` taken on cases of `kind` in [start, next), by the unit each concerns. */
int store_cases_step_counts(struct db *db, const char *kind, const char *transition,
                            const char *start, const char *next,
                            int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                            struct err *err);

#endif
