/*
 * events.h — events (活动) and duties: meetings, lessons, visits,
 * trainings, exams and service held by a party organisation or a unit,
 * with participants, attendance and per-person values (after DHIS2
 * Tracker's events), and the compliance figures duties make of them.
 *
 * Everything that is a rule lives in data/events.json (events_defs.c):
 * event types (who may organise them, per-person value fields with their
 * bounds, the 4+X actions, whether attendance is taken), attendance codes,
 * how far ahead a held event may be dated, and duties ("every 党支部: a 支委会
 * each month"; "every 预备党员: a 谈心谈话 each quarter"). Compliance is
 * computed from held events, never entered (core/duty.h says how a
 * running period counts), and reaches the analytics engine as the
 * computed data elements {"source":"duties","count":"due"|"held"}.
 *
 * Scope: an event lies at its organiser's unit; a participant must be a
 * person the writer can reach (people.h).
 */
#ifndef JICENG_EVENTS_H
#define JICENG_EVENTS_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "app/people.h"
#include "app/files.h"
#include "core/notice.h"
#include "core/event.h"
#include "core/period.h"

struct json_t;

/* ---- definitions (data/events.json) ---- */

struct event_field {
    const char *code, *name;
    double min, max;
};
struct event_type {
    const char *code, *name;
    const char *org_types; /* ",a,b," of organisations that may organise it */
    bool unit;             /* a unit (no organisation) may organise it */
    bool attendance;       /* participants and attendance are recorded */
    struct event_field *fields;
    size_t nfields;
    struct people_named *required, *optional; /* 4+X: actions to tick */
    size_t nrequired, noptional;
};
struct duty_def {
    const char *code, *name, *event_type, *source;
    const char *org_types;     /* ",a,b,": every organisation of these types … */
    const char *member_kind;   /* … or every person holding this membership */
    const char *member_stages; /* ",a,b," stages of member_kind */
    int every;                 /* enum period_type: year, quarter, month */
};
struct attendance_code {
    const char *code, *name;
    bool present;
};
struct event_defs {
    struct json_t *root; /* owns every string below */
    struct arena *arena;
    struct event_type *types;
    size_t ntypes;
    struct duty_def *duties;
    size_t nduties;
    struct attendance_code *attendance;
    size_t nattendance;
    const char *present_codes; /* ",present," */
    int held_future_days;
    struct events_memo *memo; /* the last duty totals counted (events_compliance.c) */
};

int events_defs_load(struct app *app, struct err *err);
void events_defs_free(struct app *app);
const struct event_type *events_type(const struct app *app, const char *code);
const struct duty_def *events_duty(const struct app *app, const char *code);
const struct attendance_code *events_attendance(const struct app *app, const char *code);

/* ---- events ---- */

#define EVENT_PARTICIPANTS_MAX 2000
#define EVENT_LIST_MAX         500

struct event_value {
    const char *code;
    double v;
};
struct participant_in {
    int64_t person_id;
    const char *attendance;
    struct event_value *values;
    size_t nvalues;
};
/* An event as given (NULL members are not given). */
struct event_in {
    const char *type, *unit, *status, *starts_at, *place, *topic, *notes;
    int64_t org_id; /* 0: not given */
    const char *const *actions;
    size_t nactions;
    bool actions_given;
    const struct participant_in *parts;
    size_t nparts;
    bool parts_given;
    const struct file_ref *files;
    size_t nfiles;
};

/* Creates an event: type known, organiser (an organisation of one of the
 * type's org_types, or a unit when the type allows) inside the actor's
 * scope, status planned or held, a held event not dated beyond
 * held_future_days from today, actions known (a held 4+X day ticks every
 * required one), participants persons in scope with known attendance and
 * values inside the fields' bounds, files uploaded. All or nothing,
 * audited. */
int events_create(struct app *app, const struct auth_user *actor, const struct event_in *in,
                  const char *client, int64_t *id, struct err *err);
/* Creates n events all or nothing in one transaction, one audit record
 * each (a roster of a year's meetings); an error names the event. */
int events_create_many(struct app *app, const struct auth_user *actor, const struct event_in *in,
                       size_t n, const char *client, int64_t *ids, struct err *err);
/* Changes what is given (not type or organiser), the same checks, audited
 * with before and after. */
int events_update(struct app *app, const struct auth_user *actor, int64_t id,
                  const struct event_in *in, const char *client, struct err *err);
/* 签到: replaces the whole participant list in one write. */
int events_attendance_set(struct app *app, const struct auth_user *actor, int64_t id,
                          const struct participant_in *parts, size_t n, const char *client,
                          struct err *err);

struct event_view {
    struct event_row e;
    struct participant_row *parts;
    size_t nparts;
    struct notice_file *files;
    size_t nfiles;
};
int events_get(struct app *app, int64_t id, struct arena *a, struct event_view *out,
               struct err *err);

struct event_query {
    const char *unit, *type, *status, *period; /* period: "2026", "2026Q1", "2026-03" or NULL */
    int64_t org_id;
    const char *after; /* cursor "day,id" from a previous page */
    int limit;
};
int events_list(struct app *app, const struct event_query *q, struct arena *a,
                int (*fn)(void *ctx, const struct event_row *e), void *ctx, const char **next,
                struct err *err);

/* The unit an event lies at (its organiser's); ERR_NOT_FOUND when none. */
int events_unit_of(struct app *app, struct arena *a, const char *id, const char **unit,
                   struct err *err);
/* An evidence file of an event with its bytes. */
int events_file(struct app *app, int64_t id, const char *sha256, struct arena *a,
                struct notice_file *out, const void **data, struct err *err);

/* A person's events with day in [from, next) ("" for open ends), oldest
 * first, with their own attendance and values: 一人一档 and, later, the
 * points engine. */
struct person_event {
    struct event_row e;
    const char *attendance, *data;
    bool present;
};
int events_person_attendance(struct app *app, int64_t person_id, const char *from, const char *next,
                             struct arena *a, struct person_event **out, size_t *n,
                             struct err *err);

/* ---- compliance ---- */

struct compliance_cell {
    char period[PERIOD_TEXT_MAX];
    long due, held, missed, pending;
};
struct compliance_line {
    const struct duty_def *duty;
    long due, held, missed, pending;
    struct compliance_cell *cells; /* the duty's periods counted in the reporting period */
    size_t ncells;
};
struct org_compliance {
    struct org_row o;
    long due, held, missed, pending;
    struct compliance_line *lines; /* the duties that apply to it */
    size_t nlines;
};
struct compliance_report {
    char today[11];
    struct org_compliance *orgs; /* by id */
    size_t norgs;
    long due, held, missed, pending;
};
/* Compliance of every organisation in the subtree of unit for period
 * (year, quarter or month), as of today. */
int events_compliance(struct app *app, const char *unit, const char *period, struct arena *a,
                      struct compliance_report *out, struct err *err);

/* ---- computed data elements: {"source":"duties","count":"due"|"held"
 * [,"duties":[codes]]} ---- */

int events_computed_check(const struct app *app, const char *computed, struct err *err);
/* Counts per unit (the organisations') for the days [start, next). */
int events_computed_counts(struct app *app, const char *computed, const char *start,
                           const char *next, const char *date, computed_add fn, void *ctx,
                           struct err *err);
#define EVENTS_CHANGED "@events"
/* Forgets the duty totals counted (analytics_invalidate of EVENTS_CHANGED). */
void events_changed(struct app *app);
void events_memo_init(struct event_defs *e);
void events_memo_free(struct event_defs *e);

#endif
