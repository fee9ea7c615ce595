/*
 * health.h — family doctors and the 30-minute health circle (issue 15
 * parts 4 and 5): facilities, teams, contracts per resident with the
 * one-at-a-time rule, residents' health tags, coverage by key group, and
 * villages within an estimated 30 minutes of a facility. The rules are
 * data (data/health.json, health_defs.c).
 */
#ifndef JICENG_HEALTH_H
#define JICENG_HEALTH_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "base/arena.h"
#include "core/keygroup.h"
#include "store/health_rows.h"

#include <stddef.h>
#include <stdint.h>

struct health_named {
    const char *code, *name;
};

/* A follow-up duty: residents of key group `group` (index in groups) get
 * `need` follow-ups of one of `methods` (",clinic,home,") each period of
 * type `every` (core/period.h). */
struct health_followup_duty {
    const char *name, *source, *methods;
    size_t group;
    int every, need;
};

struct health_defs {
    struct json_t *root; /* owns the strings */
    struct health_named *facility_types, *person_tags, *packages, *stop_reasons;
    size_t nfacility_types, nperson_tags, npackages, nstop_reasons;
    struct keygroup *groups;
    size_t ngroups;
    int contract_min_days, contract_max_days;
    double circle_minutes, circle_detour, circle_speed;
    const char *circle_source;
    /* 随访 (health_followups_defs.c) */
    struct health_named *followup_methods;
    size_t nfollowup_methods;
    struct health_followup_duty *followup_duties;
    size_t nfollowup_duties;
};

int health_defs_load(struct app *app, struct err *err);
void health_defs_free(struct app *app);
/* The name of code in a list, or NULL when it is not in it. */
const char *health_name(const struct health_named *l, size_t n, const char *code);

/* A coordinate as given: crs "wgs84" or "gcj02" (converted to WGS-84);
 * outside China → ERR_INVALID naming the rule. */
int health_coord(const char *crs, double lat, double lng, const char *field, double *wlat,
                 double *wlng, struct err *err);

struct health_facility_in {
    const char *unit, *type, *name, *crs;
    bool located;
    double lat, lng;
};
int health_facility_create(struct app *app, const struct auth_user *actor,
                           const struct health_facility_in *in, const char *client, int64_t *id,
                           struct err *err);
/* Changes a facility's type, name or coordinates (NULL type/name: kept;
 * !located: the coordinates kept), checked as registering one is; one
 * outside the actor's scope is answered as missing. *out: the facility
 * as it is now (strings in a). */
int health_facility_update(struct app *app, struct arena *a, const struct auth_user *actor,
                           int64_t id, const struct health_facility_in *in, const char *client,
                           struct health_facility_row *out, struct err *err);
int health_facilities(struct app *app, struct arena *a, const char *scope,
                      struct health_facility_row **out, size_t *n, struct err *err);

struct health_team_in {
    int64_t facility_id, leader_id;
    const char *name;
};
int health_team_create(struct app *app, const struct auth_user *actor,
                       const struct health_team_in *in, const char *client, int64_t *id,
                       struct err *err);
int health_teams(struct app *app, struct arena *a, const char *scope, struct health_team_row **out,
                 size_t *n, struct err *err);

struct health_contract_in {
    int64_t person_id, team_id;
    const char *package, *start_date, *end_date;
};
int health_contract_create(struct app *app, const struct auth_user *actor,
                           const struct health_contract_in *in, const char *client, int64_t *id,
                           struct err *err);
/* The dates and package of a contract: end (YYYY-MM-DD, a year after the
 * start when none) and the package (basic when none), or 4xx naming the
 * rule. */
int health_contract_check(const struct health_defs *h, const struct health_contract_in *in,
                          char end[16], const char **package, struct err *err);
/* Many contracts at once, all or nothing (health_import.c): every row is
 * checked (the first refused row is named "第 N 行"), then all are written
 * in one transaction with one audit record; the one-at-a-time rule holds
 * across the rows too. *added the number written. */
int health_contracts_import(struct app *app, const struct auth_user *actor,
                            const struct health_contract_in *rows, size_t n, const char *client,
                            size_t *added, struct err *err);
/* Health tags of many residents at once (each row replaces one resident's
 * tags), all or nothing, one transaction. */
struct health_tags_row {
    int64_t person_id;
    const char *const *tags;
    size_t n;
};
int health_tags_import(struct app *app, const struct auth_user *actor,
                       const struct health_tags_row *rows, size_t n, const char *client,
                       struct err *err);
int health_contract_stop(struct app *app, const struct auth_user *actor, int64_t id,
                         const char *reason, const char *day, const char *client, struct err *err);
int health_contract_get(struct app *app, struct arena *a, const struct auth_user *actor, int64_t id,
                        struct health_contract_row *out, struct err *err);
/* Contracts of a subtree (holding on `on` when not NULL/""), newest first. */
int health_contracts(struct app *app, struct arena *a, const char *scope, const char *on, int limit,
                     struct health_contract_row **out, size_t *n, struct err *err);

/* Stops the resident's contract holding on day (today when NULL). */
int health_contract_stop_person(struct app *app, const struct auth_user *actor, int64_t person_id,
                                const char *reason, const char *day, const char *client,
                                struct err *err);
/* A resident's contracts (newest first), health tags ",a,b," and age on
 * `on` (-1 unknown): what decides the key groups. */
struct health_person {
    struct health_contract_row *contracts;
    size_t ncontracts;
    const char *tags;
    int age;
    const char *name;
};
int health_person_get(struct app *app, struct arena *a, int64_t person_id, const char *on,
                      struct health_person *out, struct err *err);

/* Replaces a resident's health tags (codes of person_tags). */
int health_tags_set(struct app *app, const struct auth_user *actor, int64_t person_id,
                    const char *const *tags, size_t n, const char *client, struct err *err);
/* Sets a unit's (village's) location. */
int health_point_set(struct app *app, const struct auth_user *actor, const char *unit,
                     const char *crs, double lat, double lng, const char *client, struct err *err);

/* A sheet of village (community) locations (health_points_import.c):
 * 单位代码, 纬度, 经度, 坐标系; all rows or none, every refused row in
 * errors (people.h); *rows the number written. */
struct people_row_errors;
int health_points_import(struct app *app, const struct auth_user *actor, const char *scope,
                         const char *data, size_t len, const char *name, const char *client,
                         struct people_row_errors *errors, size_t *rows, struct err *err);

/* A sheet of facilities (health_facilities_import.c): 机构名称, 机构类型
 * (by name), 所在单位 (by name or code, inside scope), 纬度, 经度, 坐标系;
 * checked as one registration is, a name once per unit (in the file and
 * the registry); all rows or none, every refused row in errors. */
int health_facilities_import(struct app *app, const struct auth_user *actor, const char *scope,
                             const char *data, size_t len, const char *name, const char *client,
                             struct people_row_errors *errors, size_t *rows, struct err *err);
extern const struct sheet_form health_facilities_form;

/* A sheet of contracts (health_contracts_import.c): 姓名, 身份证号 (the
 * resident, registered: found by the keyed hash of the number), 签约团队
 * (by name), 开始日期, 结束日期, 服务包 (by name); checked as one signing
 * is, and no two rows of one resident overlapping; all rows or none,
 * every refused row in errors. */
int health_contracts_sheet_import(struct app *app, const struct auth_user *actor, const char *scope,
                                  const char *data, size_t len, const char *name,
                                  const char *client, struct people_row_errors *errors,
                                  size_t *rows, struct err *err);
extern const struct sheet_form health_contracts_form;

/* Coverage of a subtree on a day: residents and residents with a holding
 * contract, overall, in any key group, and per key group (defs order). */
struct health_coverage {
    long residents, contracts, keypop, keypop_contracts;
    long *group_people, *group_contracts; /* ngroups each, in the arena */
};
int health_coverage(struct app *app, struct arena *a, const char *scope, const char *on,
                    struct health_coverage *out, struct err *err);
/* The same for each current child of scope (the whole country: each
 * province), from the same single scan: out[i] for child i, names and
 * codes in *codes / *names. */
int health_coverage_children(struct app *app, struct arena *a, const char *scope, const char *on,
                             struct health_coverage *total, struct health_coverage **out,
                             const char ***codes, const char ***names, size_t *n, struct err *err);

/* The 30-minute circle of a subtree: each located village or community
 * below scope with its nearest facility (any in the tree) and the
 * estimated minutes; uncovered = none within the limit. */
struct health_circle_village {
    const char *unit, *name;
    double lat, lng, km, minutes; /* km/minutes < 0: no facility within reach */
    const char *facility;         /* nearest facility's name within reach, or NULL */
    long people;
};
struct health_circle {
    size_t nvillages, within, located;
    long people, people_within;
    struct health_circle_village *villages; /* every village, located or not */
    struct health_facility_row *facilities;
    size_t nfacilities;
};
int health_circle(struct app *app, struct arena *a, const char *scope, struct health_circle *out,
                  struct err *err);

/* Computed data elements {"source":"health","count":"residents" |
 * "contracts" | "keypop" | "keypop_contracts" | "circle30_villages"}
 * (health_computed.c): counts per unit on date (the circle: now), handed
 * to fn for the analytics engine to roll up. */
#define HEALTH_CHANGED "@health"
int health_computed_check(const struct app *app, const char *computed, struct err *err);
int health_computed_counts(struct app *app, const char *computed, const char *start,
                           const char *next, const char *date, computed_add fn, void *ctx,
                           struct err *err);

/* ---- 随访: follow-ups by the family doctor (health_followups*.c) ---- */
/* Reads data/health.json "followups" (called by health_defs_load). */
struct jdef;
int health_followup_defs_read(struct jdef *d, struct json_t *root, struct health_defs *h);

struct health_followup_in {
    int64_t person_id;
    const char *day, *method, *doctor, *note;
};
/* Records a follow-up: the resident in scope and in a group with a
 * follow-up duty, a contract holding on the day (its team is recorded),
 * the day not in the future, a known method; 4xx naming the rule. */
int health_followup_create(struct app *app, const struct auth_user *actor,
                           const struct health_followup_in *in, const char *client, int64_t *id,
                           struct err *err);
/* Many follow-ups at once, all or nothing (the demo; a sheet import to
 * come): every row checked as above (the first refused one named "第 N
 * 行"), then all written in one transaction with one audit record on the
 * unit scope. */
int health_followups_import(struct app *app, const struct auth_user *actor,
                            const struct health_followup_in *rows, size_t n, const char *scope,
                            const char *client, struct err *err);
/* A resident's follow-ups, newest first. */
int health_followups_of(struct app *app, struct arena *a, const struct auth_user *actor,
                        int64_t person_id, struct health_followup_row **out, size_t *n,
                        struct err *err);

/* Compliance of a subtree in the year of `on`, as of `on`: per resident
 * with a duty, the quarters due (ended or done), done and missed; the
 * due-visit list holds each resident who missed a period or whose current
 * period is not yet done, most missed first (at most `limit`). */
struct health_followup_person {
    int64_t person_id;
    const char *name, *unit, *unit_name, *groups, *last; /* last: "" none this year */
    long due, done, missed;
    bool current_done;
};
struct health_followup_report {
    char year_start[16], on[16];
    long people, due, done, missed, listed_total;
    struct health_followup_person *list;
    size_t nlist;
};
int health_followup_report(struct app *app, struct arena *a, const char *scope, const char *on,
                           size_t limit, struct health_followup_report *out, struct err *err);
/* Per-unit due / done counts for the computed elements
 * health.followups.due / health.followups.done (done: !due). */
int health_followup_counts(struct app *app, bool due, const char *date,
                           int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                           struct err *err);

#endif
