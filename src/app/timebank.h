/*
 * timebank.h — the time bank (时间银行, issue 17 part 3): one hour of
 * volunteer service recorded at a held 志愿服务 event is one time coin,
 * credited once per event and person; coins may be given to a close
 * relative (a member of the same household) and redeemed by the rules of
 * data/timebank.json. Every movement is a ledger row and the balance is
 * kept in the same transaction, never below zero, so the sum of the coins
 * always equals what was credited minus what was redeemed.
 */
#ifndef JICENG_TIMEBANK_H
#define JICENG_TIMEBANK_H

#include "app/app.h"

#define TIMEBANK_CHANGED "@timebank"

struct timebank_move {
    int64_t id;
    const char *kind, *rule, *counterpart_name, *created_at;
    double coins;
};

/* Credits the present participants' hours of held volunteer event id;
 * *credited counts the persons credited now (0 when done before). */
int timebank_credit_event(struct app *app, const struct auth_user *actor, int64_t event_id,
                          const char *client, int *credited, struct err *err);
int timebank_transfer(struct app *app, const struct auth_user *actor, int64_t from, int64_t to,
                      double coins, const char *client, struct err *err);
int timebank_redeem(struct app *app, const struct auth_user *actor, int64_t person,
                    const char *rule, const char *client, struct err *err);
/* Checks data/timebank.json at start (timebank_defs.c); *coins_per_hour
 * gets the coins one hour of service earns. */
int timebank_defs_check(double *coins_per_hour, struct err *err);
/* The balance and the newest movements (at most 100). */
int timebank_person(struct app *app, int64_t person, struct arena *a, double *balance,
                    struct timebank_move **moves, size_t *n, struct err *err);

#endif
