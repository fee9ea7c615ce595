/*
 * people_int.h — what the files of the people registry share inside app/
 * (persons.c, party.c, people_import.c); not for api/ or cli/.
 */
#ifndef JICENG_PEOPLE_INT_H
#define JICENG_PEOPLE_INT_H

#include "app/people.h"
#include "store/store.h"

/* Applies the given members of in to p, checking each as of today: name,
 * unit in the actor's scope, sex, birth date, ID number (GB 11643, agreeing
 * with the birth date; sealed, hashed, masked), phone, account. Strings
 * land in a. */
int people_person_apply(struct app *app, const struct auth_user *actor, const struct person_in *in,
                        struct arena *a, struct person_row *p, struct err *err);
/* Inserts m inside the caller's write transaction, refusing it (ERR_CONFLICT,
 * naming the rule) when k is one-at-a-time and another membership of the
 * person overlaps (skip: one being ended by the same write, or 0). */
int people_membership_insert(struct db *db, const struct people_kind *k, struct membership_row *m,
                             int64_t skip, struct arena *a, struct err *err);

#endif
