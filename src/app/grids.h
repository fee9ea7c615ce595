/*
 * grids.h — grids, 党员联户, visits and contact duties (issue 15 parts 1-3).
 *
 * Grids are units of kind 网格 below villages; a household is in the grid
 * its unit names. Contact links tie a person to a unit or a household under
 * a duty of data/grids.json ("at least one visit a month"); a visit is a
 * held event of type "visit" with its method, findings and needs, and may
 * raise a 群众诉求 case in the same step. Compliance is counted from the
 * visits (core/duty.h duty_link_count), per link, rolled up as the computed
 * elements visits.due / visits.done; nothing of it is stored.
 */
#ifndef JICENG_APP_GRIDS_H
#define JICENG_APP_GRIDS_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "base/arena.h"
#include "base/err.h"

#include <stdbool.h>
#include <stdint.h>

struct db;

struct grid_name {
    const char *code, *name;
};
struct grid_duty {
    const char *code, *name, *source;
    bool household; /* the target: a household, */
    bool person;    /* a person (a mentor's mentee), else a unit */
    bool records;   /* pairs record projects, jobs, purchases, donations a year */
    int every;      /* enum period_type */
    int visits;     /* at least this many visits a period */
};
struct grid_defs {
    long households_min, households_max, people_max, member_min, member_max;
    const char *grid_source, *member_source;
    const char *member_duty; /* the duty the member ratio counts (党员联户) */
    const char *records_duty; /* the duty whose pairs keep yearly records (万企兴万村), or NULL */
    struct grid_name *methods;
    size_t nmethods;
    struct grid_duty *duties;
    size_t nduties;
    void *root; /* json_t *: owns the strings */
};

int grids_defs_load(struct app *app, struct err *err);
void grids_defs_free(struct app *app);
const struct grid_duty *grids_duty(const struct app *app, const char *code);
const char *grids_method_name(const struct app *app, const char *code);

/* A grid with its size and warnings (sizes against data/grids.json). */
struct grid_info {
    const char *code, *name, *village;
    long households, people, workers;
    long members, linked; /* 党员联户: members linking its households, households linked */
    const char *warning;  /* size: NULL, or a Chinese sentence naming the rule */
    const char *member_warning; /* the member ratio, likewise */
};
/* The grids of the villages of unit's subtree, in code order; *unplaced
 * the households of those villages not in any grid. */
int grids_list(struct app *app, struct arena *a, const char *unit, struct grid_info **out,
               size_t *n, long *unplaced, struct err *err);
/* A new grid named name under village; its code into code[16]. */
int grids_create(struct app *app, const struct auth_user *actor, const char *village,
                 const char *name, const char *client, char code[16], struct err *err);
/* grids_create's checks (a name; a village in the actor's scope, whose
 * index goes to *at), for the import too. */
struct tree;
int grids_create_check(const struct tree *t, const struct auth_user *actor, const char *village,
                       const char *name, uint32_t *at, struct err *err);
/* The first free grid code under village v from number *k on, into
 * code[16]; *k then follows it. */
int grids_next_code(const struct tree *t, uint32_t v, int *k, char code[16], struct err *err);
/* Inserts the grid unit code inside the caller's write. */
int grids_insert_unit(struct db *db, const char *code, const char *name, struct err *err);

/* A sheet of grids in (XLSX, or CSV in UTF-8 or GB18030), all or nothing:
 * 村（社区） by name inside scope, 网格名称, and optionally 网格员 with
 * 网格员身份证号 (a registered person in the actor's scope, made the grid's
 * worker from today). Each row checked as grids_create does; a name twice
 * in one village (in the file or the tree) refused; every refused row goes
 * to errors; then grids and workers in one transaction with one audit
 * record. *warnings (in a): the new grids' size warnings, "名称：…". */
struct people_row_errors;
struct grids_import_result {
    size_t grids, workers;
    const char **warnings;
    size_t nwarnings;
};
int grids_import(struct app *app, const struct auth_user *actor, const char *scope,
                 const char *data, size_t len, const char *name, const char *client,
                 struct arena *a, struct people_row_errors *errors, struct grids_import_result *res,
                 struct err *err);
/* The import's columns and an example row, for the template. */
extern const struct sheet_form grids_import_form;

/* Moves every household and contact link of grid `from` into grid `into`
 * (same village) and retires `from`. */
int grids_merge(struct app *app, const struct auth_user *actor, const char *from, const char *into,
                const char *client, struct err *err);
/* A new grid `name` beside `grid` taking the households ids[n] of it. */
int grids_split(struct app *app, const struct auth_user *actor, const char *grid, const char *name,
                const int64_t *ids, size_t n, const char *client, char code[16], struct err *err);
/* Places household id in grid (a grid of the household's village). */
int grids_place(struct app *app, const struct auth_user *actor, int64_t household, const char *grid,
                const char *client, struct err *err);

/* Ends a grid write begun on db: commits it when rc is 0 (else rolls it
 * back), releases db, and drops what was counted from grids, links and
 * visits (the computed elements, the kept due-visit lists). */
int grids_write_end(struct app *app, struct db *db, int rc, struct err *err);

/* A contact link: person ↔ unit or household under a duty. */
struct grid_link {
    int64_t id, person_id, household_id, mentee_id; /* 0: none */
    const char *duty, *unit, *partner, *from, *to, *person_name;
    const char *target_name; /* the household's address or the mentee's name */
};
/* *warning (may be NULL; set to NULL or a sentence in a): the person's
 * links of the member-ratio duty outside its range after this one. */
int grids_link_add(struct app *app, const struct auth_user *actor, const struct grid_link *l,
                   const char *client, struct arena *a, int64_t *id, const char **warning,
                   struct err *err);
int grids_link_end(struct app *app, const struct auth_user *actor, int64_t id, const char *to,
                   const char *client, struct err *err);

/* A visit to log. */
struct grid_visit {
    int64_t person_id, household_id; /* household 0: a visit to unit */
    int64_t mentee_id;               /* or about this person (a mentor's visit) */
    const char *unit, *day, *method, *findings, *needs;
    bool raise; /* needs → a 群众诉求 case in the same step */
};
int grids_visit_add(struct app *app, const struct auth_user *actor, const struct grid_visit *v,
                    const char *client, struct arena *a, int64_t *event_id, int64_t *case_id,
                    struct err *err);

/* A visit logged; strings valid during the callback. */
struct grid_visit_row {
    int64_t id, person_id, household_id, case_id, mentee_id; /* 0: none */
    const char *person_name, *unit, *address, *day, *method, *findings, *needs, *mentee_name;
};
/* The latest visits of unit's subtree, newest first. */
int grids_visits_each(struct app *app, const char *unit, int limit,
                      int (*fn)(void *ctx, const struct grid_visit_row *v), void *ctx,
                      struct err *err);

/* The visit case_id (a 群众诉求) was raised from: *found false when none;
 * strings in a. */
int grids_visit_of_case(struct app *app, struct arena *a, int64_t case_id,
                        struct grid_visit_row *out, bool *found, struct err *err);

/* One link's compliance in a period. */
struct link_compliance {
    struct grid_link link;
    long due, done, missed, pending;
    const char *last_visit; /* "" when none */
};
/* The links of unit's subtree with their compliance in period (YYYY,
 * YYYY-Qn, YYYY-MM), in unit, duty, person order. */
int grids_compliance(struct app *app, struct arena *a, const char *unit, const char *period,
                     struct link_compliance **out, size_t *n, struct err *err);

/* The computed elements {"source":"visits","count":"due"|"done"}. */
int grids_computed_check(const struct app *app, const char *computed, struct err *err);
int grids_computed_counts(struct app *app, const char *computed, const char *start,
                          const char *next, const char *date, computed_add fn, void *ctx,
                          struct err *err);

/* ---- 万企兴万村 records (grid_pairs.c) ---- */

/* What a pair did in a year. */
struct pair_record {
    int64_t link_id, person_id;
    long year, projects, jobs;
    double purchases, donations;                                   /* 万元 */
    const char *person_name, *unit, *partner, *notes, *updated_at; /* updated_at "": none yet */
};
/* Records (replaces) the year's figures of pair r->link_id (a link of the
 * records duty, in actor's scope); checks plausible ranges. */
int grids_pair_put(struct app *app, const struct auth_user *actor, const struct pair_record *r,
                   const char *client, struct err *err);
/* The pairs of unit's subtree holding in year, each with its record. */
int grids_pairs_each(struct app *app, const char *unit, long year,
                     int (*fn)(void *ctx, const struct pair_record *r), void *ctx, struct err *err);
/* The computed elements {"source":"wqxwc","count":"projects"|"jobs"|
 * "purchases"|"donations"}: the records of the period's years per village. */
int grids_pairs_computed_check(const struct app *app, const char *computed, struct err *err);
int grids_pairs_computed_counts(struct app *app, const char *computed, const char *start,
                                const char *next, const char *date, computed_add fn, void *ctx,
                                struct err *err);

#endif
