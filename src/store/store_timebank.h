/*
 * store_timebank.h — the time bank's ledger and balances in the store
 * (timebank.c); part of store.h's interface, in a file of its own. Coins
 * in hundredths ("cents"). Every function runs inside the caller's write
 * transaction where it writes.
 */
#ifndef JICENG_STORE_TIMEBANK_H
#define JICENG_STORE_TIMEBANK_H

#include "store/store.h"

struct timebank_entry_row {
    int64_t id, person_id, cents, event_id, counterpart; /* 0: none */
    const char *kind, *rule, *created_by, *created_at;
    const char *counterpart_name; /* read only */
};

/* Appends a row; ERR_CONFLICT when event e already credited the person. */
int store_timebank_add(struct db *db, const struct timebank_entry_row *e, struct err *err);
/* Adds delta to the balance; ERR_INVALID (nothing changed) when it would
 * go below zero. */
int store_timebank_move(struct db *db, int64_t person, int64_t delta, struct err *err);
int store_timebank_balance(struct db *db, int64_t person, int64_t *cents, struct err *err);
/* The newest `limit` movements of a person, newest first. */
int store_timebank_entries(struct db *db, struct arena *a, int64_t person, int limit,
                           int (*fn)(void *ctx, const struct timebank_entry_row *e), void *ctx,
                           struct err *err);
/* Whether a and b belong to one household now. */
int store_timebank_relatives(struct db *db, int64_t a, int64_t b, bool *yes, struct err *err);
/* The consistency check: sum of the ledger, sum of the balances. */
int store_timebank_totals(struct db *db, int64_t *ledger, int64_t *balances, struct err *err);

#endif
