/*
 * volunteers.h — volunteers (志愿服务, issue 17 part 3): teams under units
 * with a leader and members (persons of the register; a person may be in
 * several teams), activities as events of type volunteer (events.h) at
 * which each volunteer signs in and out, hours = sign-out − sign-in −
 * travel, star levels by cumulative hours, and a service certificate.
 *
 * A sign-out marks the person present at the event with their hours and
 * credits the time bank (timebank.h: coins_per_hour of data/timebank.json)
 * in one transaction with its audit record. Rules (a day's maximum, the
 * travel allowed, the stars) live in data/volunteers.json
 * (volunteers_defs.c). The computed data elements
 * {"source":"volunteers","count":"persons"|"hours"} count, per unit of the
 * activities held in a period, the persons who signed out and their hours.
 */
#ifndef JICENG_VOLUNTEERS_H
#define JICENG_VOLUNTEERS_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "core/volunteer.h"

struct json_t;

#define VOLUNTEERS_CHANGED "@volunteers"
#define VOL_STARS_MAX      10
#define VOL_LIST_MAX       2000
#define VOL_MEMBERS_MAX    20000
#define VOL_NAME_MAX       100
#define EVENT_SIGNS_MAX    2000

struct vol_star {
    int level;
    const char *name;
    double hours;
};
struct volunteer_defs {
    struct json_t *root; /* owns the strings */
    int max_minutes;     /* a day's service at most */
    int max_travel_minutes;
    double coins_per_hour; /* data/timebank.json */
    struct vol_star stars[VOL_STARS_MAX];
    size_t nstars;
};

int volunteers_defs_load(struct app *app, struct err *err);
void volunteers_defs_free(struct app *app);
/* The highest star reached with `hours`, NULL below the first. */
const struct vol_star *volunteers_star(const struct app *app, double hours);

/* Whether the actor reaches person: ERR_INVALID on field when not. */
int volunteers_reach(struct app *app, const struct auth_user *actor, struct arena *a,
                     int64_t person, const char *field, struct err *err);

/* ---- teams ---- */

/* A team of unit (in the actor's scope) named name (unique in the unit),
 * with an optional leader (a person; 0 none) who becomes a member. */
int volunteers_team_create(struct app *app, const struct auth_user *actor, const char *unit,
                           const char *name, int64_t leader, const char *client, int64_t *id,
                           struct err *err);
/* The rules of a new team: a name, a known unit in the actor's scope. */
int volunteers_team_check(struct app *app, const struct auth_user *actor, const char *unit,
                          const char *name, struct err *err);
/* Person joins team (a team in the actor's scope). */
int volunteers_join(struct app *app, const struct auth_user *actor, int64_t person, int64_t team,
                    const char *client, struct err *err);
struct vol_team_view {
    struct vol_team_row t;
    const char *unit_name;
    struct vol_member_row *members;
    size_t nmembers;
};
int volunteers_teams(struct app *app, const char *unit, struct arena *a, struct vol_team_view **out,
                     size_t *n, struct err *err);

/* Teams and their members in from a sheet (XLSX or CSV) into unit, one row
 * a member: the team created when new (volunteers_team_check), the person
 * found in the registry by ID-card number and joined; all rows or none, one
 * audit record (volunteers_import.c). */
struct people_row_errors;
struct vol_import_result {
    size_t rows, teams_added, members_added, members_existing;
};
int volunteers_import(struct app *app, const struct auth_user *actor, const char *unit,
                      const char *data, size_t len, const char *name, const char *client,
                      struct people_row_errors *errors, struct vol_import_result *res,
                      struct err *err);
extern const struct sheet_form volunteers_import_form;

/* ---- sign-in and sign-out ---- */

/* at: "YYYY-MM-DDTHH:MM" local time, NULL now. The event is a volunteer
 * activity, the person one the actor reaches, the time on the activity's
 * day. */
int volunteers_sign_in(struct app *app, const struct auth_user *actor, int64_t event,
                       int64_t person, const char *at, const char *client, struct err *err);
/* Signs out after the sign-in; the service (out − in − travel) may not
 * exceed a day's maximum. Credits the time bank in the same transaction;
 * *minutes gets the service counted. */
int volunteers_sign_out(struct app *app, const struct auth_user *actor, int64_t event,
                        int64_t person, const char *at, int travel_minutes, const char *client,
                        int64_t *minutes, struct err *err);
int volunteers_sheet(struct app *app, int64_t event, struct arena *a, struct vol_sign_row **out,
                     size_t *n, struct err *err);

/* ---- volunteers, hours and the certificate ---- */

int volunteers_list(struct app *app, const char *unit, struct arena *a, struct vol_person_row **out,
                    size_t *n, struct err *err);
struct vol_certificate {
    int64_t person_id;
    const char *name, *id_masked, *unit, *unit_name, *teams;
    int64_t minutes, activities, cents;
    const struct vol_star *star; /* NULL: none yet */
    struct vol_year_row *years;
    size_t nyears;
};
int volunteers_certificate(struct app *app, int64_t person, struct arena *a,
                           struct vol_certificate *out, struct err *err);

/* ---- computed data elements ---- */

int volunteers_computed_check(const struct app *app, const char *computed, struct err *err);
int volunteers_computed_counts(struct app *app, const char *computed, const char *start,
                               const char *next, const char *date, computed_add fn, void *ctx,
                               struct err *err);

#endif
