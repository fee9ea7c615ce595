/*
 * people.h — persons, what they are (dated memberships), households and
 * party organisations: the registry under the party-member, grid, health
 * and community mechanisms (after DHIS2 Tracker: a person is a tracked
 * entity, a membership an enrolment with a stage).
 *
 * Everything that is a rule lives in data/people.json (people_defs.c):
 * membership kinds with their stages or posts and which of them count as
 * members, household tags, organisation types and forms, the set-up rules
 * (应建尽建) and term lengths (换届). C knows three targets of a membership
 * (an organisation, a unit, a household) and one guard: a kind marked
 * "exclusive" holds at most one membership per person at any moment.
 *
 * Scope: a reader sees a person whose home unit, or the unit of one of
 * whose current memberships, lies in their scope; a household or an
 * organisation by its unit. Personal numbers are sealed and hashed at the
 * edge and returned masked unless the reader has pii:read.
 */
#ifndef JICENG_PEOPLE_H
#define JICENG_PEOPLE_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "core/person.h"

struct json_t;

/* ---- definitions (data/people.json) ---- */

enum people_target { PEOPLE_TO_ORG, PEOPLE_TO_UNIT, PEOPLE_TO_HOUSEHOLD };

struct people_stage {
    const char *code, *name;
    bool member; /* counts as a member (党员: 预备 and 正式) */
    bool formal; /* counts as a formal member (正式党员) */
    bool head;   /* the household's head (户主): a household import sets it */
};
struct people_kind {
    const char *code, *name, *stage_label;
    int target;            /* enum people_target */
    const char *org_types; /* ",a,b," of an org target */
    const char *exclusive; /* the rule's message when one at a time, else NULL */
    struct people_stage *stages;
    size_t nstages;
    const char *member_stages, *formal_stages; /* ",a,b," */
};
struct people_named {
    const char *code, *name;
};
/* An education level: the names a roster writes for it (its name, code
 * and aliases) and whether it counts as higher education (大专及以上). */
struct people_level {
    const char *code, *name;
    const char **aliases;
    size_t naliases;
    bool higher;
};
/* An age band of the statistics: ages up to max (the last band: max < 0,
 * every age above the one before). */
#define PEOPLE_BANDS_MAX 9
struct people_band {
    const char *code, *name;
    int max;
};
/* How the member statistics count (data/people.json "statistics"). */
struct people_stats_defs {
    const struct people_kind *kind; /* whose stages are counted */
    const char *admitted_stage;     /* entering it is an admission (新发展党员) */
    const char *higher_label;       /* the summary of the higher levels */
    struct people_band bands[PEOPLE_BANDS_MAX];
    size_t nbands;
};
struct people_defs {
    struct json_t *root; /* owns every string below */
    struct arena *arena; /* and the lists built from it */
    struct people_kind *kinds;
    size_t nkinds;
    struct people_named *tags, *org_types, *org_forms;
    size_t ntags, norg_types, norg_forms;
    struct org_rule *rules;
    size_t nrules;
    int term_village, term_community, term_default, reminder_days;
    const char *term_source;
    struct people_level *education;
    size_t neducation;
    struct people_named *ethnicities; /* GB/T 3304 */
    size_t nethnicities, majority;    /* the index of the majority (汉族) */
    struct people_stats_defs stats;
};

int people_defs_load(struct app *app, struct err *err);
void people_defs_free(struct app *app);
const struct people_kind *people_kind(const struct app *app, const char *code);
const struct people_stage *people_stage(const struct people_kind *k, const char *code);
/* The name of a code in a list, or NULL. */
const char *people_name(const struct people_named *list, size_t n, const char *code);

/* ---- persons ---- */

/* The sexes a person may have ("" when not given), NULL-terminated. */
extern const char *const people_sexes[];

#define PEOPLE_LIST_MAX 500

/* A person as given (NULL members are not given; "" clears on update). */
struct person_in {
    const char *name, *sex, *birth_date, *ethnicity, *education, *unit;
    const char *id_number, *phone, *account;
};

/* Creates a person: checked (name, unit in the actor's scope, sex, birth
 * date not in the future, ID number by GB 11643 and agreeing with the
 * birth date, phone), sealed, audited. A second person with the same ID
 * number is ERR_CONFLICT naming the existing one (name, unit, masked
 * number) and *existing set to its id. */
int people_person_create(struct app *app, const struct auth_user *actor, const struct person_in *in,
                         const char *client, int64_t *id, int64_t *existing, struct err *err);
int people_person_update(struct app *app, const struct auth_user *actor, int64_t id,
                         const struct person_in *in, const char *client, int64_t *existing,
                         struct err *err);

/* A person as a reader sees it. */
struct person_view {
    struct person_row p;
    const char *id_number, *phone; /* plain when the reader may see them, else masked */
    struct membership_row *ms;     /* every membership, in time order */
    size_t nms;
};
int people_person_get(struct app *app, const struct auth_user *reader, int64_t id, struct arena *a,
                      struct person_view *out, struct err *err);
/* The person linked to the reader's own account (ERR_NOT_FOUND if none). */
int people_person_mine(struct app *app, const struct auth_user *reader, struct arena *a,
                       struct person_view *out, struct err *err);

struct person_query {
    const char *unit;       /* subtree, already inside the reader's scope */
    const char *membership; /* kind, or NULL: by home unit */
    const char *stage;      /* a stage code, or NULL: the kind's member stages (all if none) */
    int64_t org_id;         /* members of this organisation, or 0 */
    const char *date;       /* memberships holding on (default today) */
    const char *after;      /* cursor from a previous page */
    int limit;
};
/* One page of persons (masked numbers); *next the cursor of the next page
 * or NULL. Rows valid during fn; at_unit and at_stage are the membership's
 * the listing found them by (the home unit and "" without one). */
int people_persons_list(struct app *app, const struct auth_user *reader,
                        const struct person_query *q, struct arena *a,
                        int (*fn)(void *ctx, const struct person_row *p, const char *at_unit,
                                  const char *at_stage),
                        void *ctx, const char **next, struct err *err);

/* ---- memberships ---- */

struct membership_in {
    const char *kind, *stage, *unit, *from, *to, *attributes;
    int64_t person_id, org_id, household_id;
};
/* Adds a membership: kind and stage from the definitions, its target
 * (organisation, unit or household) inside the actor's scope, dates, and
 * the kind's one-at-a-time rule. via_org: the organisation routes (party
 * kinds) rather than a person's (the others). */
int people_membership_add(struct app *app, const struct auth_user *actor,
                          const struct membership_in *in, bool via_org, const char *client,
                          int64_t *id, struct err *err);
/* Ends a membership on `to` (the first day it no longer holds); owner is
 * the person or organisation id the route names (org: via_org). */
int people_membership_end(struct app *app, const struct auth_user *actor, int64_t owner,
                          bool via_org, int64_t id, const char *to, const char *reason,
                          const char *client, struct err *err);
/* 转阶段: ends membership id on `from` and opens the same one with stage. */
int people_membership_stage(struct app *app, const struct auth_user *actor, int64_t org_id,
                            int64_t id, const char *stage, const char *from, const char *client,
                            int64_t *new_id, struct err *err);

/* ---- households ---- */

struct household_in {
    const char *unit, *address;
    int64_t head_id; /* -1: not given, 0: none */
    const char *const *tags;
    size_t ntags;
    bool tags_given;
    int64_t base_version; /* the version the edit started from; 0: not given */
};
int people_household_create(struct app *app, const struct auth_user *actor,
                            const struct household_in *in, const char *client, int64_t *id,
                            struct err *err);
int people_household_update(struct app *app, const struct auth_user *actor, int64_t id,
                            const struct household_in *in, const char *client, struct err *err);
struct household_view {
    struct household_row h;
    const char **tags;
    size_t ntags;
    struct membership_row *members; /* current residents */
    size_t nmembers;
};
int people_household_get(struct app *app, const struct auth_user *reader, int64_t id,
                         struct arena *a, struct household_view *out, struct err *err);
int people_households_list(struct app *app, const char *unit, const char *tag, const char *after,
                           int limit, struct arena *a,
                           int (*fn)(void *ctx, const struct household_row *h), void *ctx,
                           const char **next, struct err *err);

/* ---- party organisations ---- */

struct org_in {
    const char *name, *type, *form, *unit, *founded_on, *term_start, *dissolved_on;
    int64_t parent_id; /* -1: not given */
    int term_years;    /* 0: not given (the default by the unit's kind) */
};
int people_org_create(struct app *app, const struct auth_user *actor, const struct org_in *in,
                      const char *client, int64_t *id, struct err *err);
int people_org_update(struct app *app, const struct auth_user *actor, int64_t id,
                      const struct org_in *in, const char *client, struct err *err);
struct org_view {
    struct org_row o;
    const char *term_end;           /* "" when no term start is known */
    struct membership_row *members; /* current, party members then posts */
    size_t nmembers;
    long formal, total; /* members by the kinds' flags */
};
int people_org_get(struct app *app, const struct auth_user *reader, int64_t id, struct arena *a,
                   struct org_view *out, struct err *err);
int people_orgs_list(struct app *app, const char *unit, struct arena *a,
                     int (*fn)(void *ctx, const struct org_row *o), void *ctx, struct err *err);

/* 应建尽建 and 换届 inside a subtree, as of a day. */
struct org_finding {
    const char *rule, *message; /* the rule's code and message */
    int64_t org_id;             /* 0: a unit without an organisation */
    const char *org_name, *unit;
    long formal, members;
};
struct org_term {
    int64_t org_id;
    const char *org_name, *unit, *term_start, *term_end;
    long days_left; /* negative: overdue */
};
struct org_report {
    struct org_finding *findings;
    size_t nfindings;
    struct org_term *terms; /* due within `days`, and overdue, soonest first */
    size_t nterms;
    int days;
};
int people_org_report(struct app *app, const char *unit, int days, struct arena *a,
                      struct org_report *out, struct err *err);

/* ---- scope of the routes naming a record ---- */

enum people_record { PEOPLE_PERSON, PEOPLE_HOUSEHOLD, PEOPLE_ORG };
/* The unit through which a reader whose scope is `scope` reaches the record
 * named by a path id: the home unit or a current membership's unit inside
 * the scope for a person (the home unit when none is), the unit for the
 * others. ERR_NOT_FOUND when there is no such record. */
int people_unit_of(struct app *app, struct arena *a, int record, const char *id, const char *scope,
                   const char **unit, struct err *err);

/* ---- computed data elements (the sources memberships, party_orgs and
 * points of computed_sources.h) ---- */

#define PEOPLE_MEMBERSHIPS_CHANGED "@memberships"
#define PEOPLE_ORGS_CHANGED        "@party_orgs"

/* Checks a "computed" definition: source "memberships" with kind and
 * optional stage list (entered_months, measure age), "party_orgs" with an
 * optional type list, every code known; or "points" alone (points.h). */
int people_computed_check(const struct app *app, const char *computed, struct err *err);
/* Registry counts on day `date` (the period's last day), in unit order;
 * points (points.h) over the period's days [start, next). */
int people_computed_counts(struct app *app, const char *computed, const char *start,
                           const char *next, const char *date, computed_add fn, void *ctx,
                           struct err *err);

/* ---- member statistics (party_stats.c) ---- */

enum { PARTY_SEX_UNKNOWN = 2, PARTY_SEX_COUNT }; /* after people_sexes' 男, 女 */
enum { PARTY_MAJORITY, PARTY_MINORITY, PARTY_ETHNICITY_UNKNOWN, PARTY_ETHNICITY_COUNT };

/* The counts of a unit or row, as the statistics of data/people.json
 * define them: persons per stage of its kind, and of those in a member
 * stage (党员: 正式 and 预备) by sex, age band, education and ethnicity;
 * the admissions of the date's year up to the date. */
struct party_figures {
    long *stages;                          /* per stage of stats.kind */
    long members;                          /* in a member stage */
    long sex[PARTY_SEX_COUNT];             /* 男, 女, not given */
    long *bands;                           /* per age band, then no birth date */
    long *education;                       /* per level, then unknown text, then not given */
    long higher;                           /* in a level marked higher (大专及以上) */
    long ethnicity[PARTY_ETHNICITY_COUNT]; /* majority, minority, not given or unknown */
    long admitted, admitted_aged;          /* admitted; of them with a birth date */
    long admitted_ages;                    /* the sum of those ones' ages on admission */
};
struct party_stats_row {
    uint32_t node; /* a child (or a retired one that still has members), or the unit */
    bool own;      /* the unit's own members (本级), not a child's */
    struct party_figures f;
};
struct party_stats {
    char date[PERSON_DATE_LEN + 1]; /* as of */
    int year;                       /* of the admissions counted */
    uint32_t node;                  /* the unit */
    struct party_figures total;
    struct party_stats_row *rows; /* by_children: own (when any), then children, in code order */
    size_t nrows;
};
/* The statistics of unit's subtree (unit already inside the reader's
 * scope) on date ("YYYY-MM-DD", NULL: today), per child too when asked;
 * counted by the store, never person by person here. Bad date: ERR_INVALID
 * with field "date". Everything lands in a. */
int people_stats(struct app *app, const struct tree *t, const char *unit, const char *date,
                 bool by_children, struct arena *a, struct party_stats *out, struct err *err);

/* ---- ledgers in: rosters (people_import.c) and households
 * (households_import.c) ---- */

#define PEOPLE_IMPORT_ERRORS_MAX 100 /* refused rows listed at most; the count goes on */

/* One refused row of a ledger: its row in the file, the column and what
 * is wrong. */
struct people_row_error {
    long line;
    char column[32]; /* the heading, "" for the row as a whole */
    char field[64];  /* the API field of the column, "" for the row as a whole */
    char msg[ERR_MSG_MAX];
};
/* The refused rows of one import: the first PEOPLE_IMPORT_ERRORS_MAX in v
 * (allocated in a, which the caller sets), total how many there were. */
struct people_row_errors {
    struct arena *a;
    struct people_row_error *v;
    size_t n, cap, total;
    struct err first; /* the first refusal, with its row and column */
    long first_line;
    char first_column[32];
};

/* One row of a roster: a person and, when org is given, their party
 * membership there. */
struct person_import_row {
    struct person_in p;
    const char *org;   /* organisation name, NULL/"": no membership */
    const char *stage; /* party-member stage, by name (正式党员) or code */
    const char *from;  /* the membership's first day */
    long line;         /* where it came from, for messages (0 = none) */
};
struct people_import_result {
    size_t persons_added, persons_existing, memberships_added, memberships_existing;
};
/* Reads a roster (CSV in UTF-8/GB18030, or XLSX): a header row naming the
 * columns (姓名, 性别, 出生日期, 民族, 学历, 身份证号, 手机号, 单位代码,
 * 党组织, 发展阶段, 起始日期 — or their API names), one person a row;
 * unit defaults to default_unit. Dates as 2020-07-01, 2020/7/1 or Excel
 * day numbers. Errors of the file as a whole (header, size, format). */
int people_roster_read(struct app *app, struct arena *a, const char *data, size_t len,
                       const char *name, const char *default_unit, struct person_import_row **rows,
                       size_t *n, struct err *err);
/* A column of an import sheet: the API field it fills, its heading and an
 * accepted alias. */
struct sheet_col {
    const char *api, *zh, *zh2;
};
/* An import's columns and an example row: what its template shows. */
struct sheet_form {
    const struct sheet_col *cols;
    const char *const *example;
    int n;
};
/* The roster's columns, for the template. */
extern const struct sheet_form people_roster_form;
/* Imports rows all or nothing in one transaction with one audit record:
 * each row checked as people_person_create does; a person whose ID number
 * is already registered is not added again but gets the membership (one
 * identical to a stored one is skipped); two rows with one ID number, an
 * unknown organisation or stage, a member in two organisations at once —
 * refused, nothing written. Every row is checked: the refused ones go to
 * errors (NULL: not listed), err is the first. Organisations are looked up
 * by name inside scope. */
int people_import(struct app *app, const struct auth_user *actor, const char *scope,
                  const struct person_import_row *rows, size_t n, const char *client,
                  struct people_row_errors *errors, struct people_import_result *res,
                  struct err *err);

/* A household ledger (住户表) in, all or nothing: one row per resident,
 * rows grouped into a household by 户号 (a key of the file's own) or,
 * without one, by 地址; the household is found by its unit and address or
 * created; 户标签 by their names (data/people.json household_tags),
 * separated by 、 , ， or ；, gathered over the household's rows; the
 * resident by 身份证号 (registered: matched by the keyed hash; else created
 * from the row as the roster does) with 与户主关系 (a stage of the
 * resident kind; the one flagged head becomes the household's head) from
 * 入户日期 (default today). unit defaults to scope. Every row is checked
 * before anything is written; refused rows go to errors (NULL: not
 * listed), err is the first. */
struct households_import_result {
    size_t rows, households_added, households_existing, persons_added, persons_existing,
        members_added, members_existing;
};
int people_households_import(struct app *app, const struct auth_user *actor, const char *scope,
                             const char *data, size_t len, const char *name, const char *client,
                             struct people_row_errors *errors, struct households_import_result *res,
                             struct err *err);
/* The household ledger's columns, for the template. */
extern const struct sheet_form people_households_form;

/* Every household inside unit (of tag, or all), in (unit, id) order, at
 * most limit, each with its tags and current residents (household_view,
 * valid during fn): what an export writes. */
int people_households_each(struct app *app, const struct auth_user *reader, const char *unit,
                           const char *tag, long limit,
                           int (*fn)(void *ctx, const struct household_view *v), void *ctx,
                           struct err *err);

#endif
