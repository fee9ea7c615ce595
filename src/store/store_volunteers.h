/*
 * store_volunteers.h — volunteer teams, members and sign-in/out rows in
 * the store (volunteers.c); part of store.h's interface, in a file of its
 * own. Every writing function runs inside the caller's write transaction.
 */
#ifndef JICENG_STORE_VOLUNTEERS_H
#define JICENG_STORE_VOLUNTEERS_H

#include "core/volunteer.h"
#include "store/store.h"

int store_vol_team_insert(struct db *db, struct vol_team_row *t, struct err *err);
/* ERR_NOT_FOUND when there is no team id. */
int store_vol_team_get(struct db *db, struct arena *a, int64_t id, struct vol_team_row *out,
                       struct err *err);
/* The teams of the subtree of unit ("" every one), by unit and name. */
int store_vol_teams(struct db *db, struct arena *a, const char *unit, int limit,
                    int (*fn)(void *ctx, const struct vol_team_row *t), void *ctx, struct err *err);
/* ERR_CONFLICT when the person is in the team already. */
int store_vol_member_add(struct db *db, const struct vol_member_row *m, struct err *err);
/* The members of the teams of the subtree of unit, by team and name. */
int store_vol_members(struct db *db, struct arena *a, const char *unit, int limit,
                      int (*fn)(void *ctx, const struct vol_member_row *m), void *ctx,
                      struct err *err);
/* The team names a person belongs to, as "a、b" ("" none). */
int store_vol_person_teams(struct db *db, struct arena *a, int64_t person, const char **names,
                           struct err *err);

/* ERR_NOT_FOUND when the person has not signed in at the event. */
int store_vol_sign_get(struct db *db, struct arena *a, int64_t event, int64_t person,
                       struct vol_sign_row *out, struct err *err);
/* ERR_CONFLICT when the person signed in at the event already. */
int store_vol_sign_in(struct db *db, const struct vol_sign_row *s, struct err *err);
/* Sets the sign-out of a row still open; ERR_CONFLICT when it was not. */
int store_vol_sign_out(struct db *db, const struct vol_sign_row *s, struct err *err);
/* Marks the person present at the event with their hours ({"hours": h}). */
int store_vol_participant(struct db *db, int64_t event, int64_t person, const char *data,
                          struct err *err);
int store_vol_signs(struct db *db, struct arena *a, int64_t event,
                    int (*fn)(void *ctx, const struct vol_sign_row *s), void *ctx, struct err *err);

/* The persons in a team of the subtree or signed out at one of its
 * activities, most minutes first. */
int store_vol_people(struct db *db, struct arena *a, const char *unit, int limit,
                     int (*fn)(void *ctx, const struct vol_person_row *p), void *ctx,
                     struct err *err);
/* A person's counted minutes and activities by year of the activity. */
int store_vol_years(struct db *db, struct arena *a, int64_t person,
                    int (*fn)(void *ctx, const struct vol_year_row *y), void *ctx, struct err *err);
/* Per unit of the activities held in days [start, next): distinct persons
 * signed out (persons) or the minutes counted. */
int store_vol_counts(struct db *db, bool persons, const char *start, const char *next,
                     int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                     struct err *err);

#endif
