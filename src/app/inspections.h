/*
 * inspections.h — 双随机、一公开: the draw of a plan from the registries
 * (core/draw.c over store/inspections.c) and its verification.
 */
#ifndef JICENG_INSPECTIONS_H
#define JICENG_INSPECTIONS_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "app/auth.h"
#include "store/inspections_rows.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stdint.h>

/* Draws plan_id: snapshots the active targets and inspectors in the plan's
 * subtree and their 回避 links, derives the seed from the plan id, the
 * snapshot's digest and public_value (fixed and published before, e.g. the
 * draw time; NULL: now), runs the draw and stores inputs and result in one
 * transaction with its audit record. ERR_INVALID naming the rule when a
 * target would have fewer than per_target eligible inspectors (nothing
 * written); ERR_CONFLICT when the plan was drawn already. */
/* scope: the actor's (a plan outside it is ERR_NOT_FOUND); NULL for the
 * CLI. public_value must equal the value announced with the plan, when it
 * announced one (NULL or "": take the announced one). */
int inspections_draw(struct app *app, const char *scope, int64_t plan_id, const char *public_value,
                     const char *by, const char *client, int64_t *draw_id, struct err *err);

/* Re-runs draw_id from its stored inputs and compares with the stored
 * result. out gets "digest …", "seed …" and one line per target,
 * "TARGET: INSPECTOR INSPECTOR" as re-run; *same is false and diff names
 * the first difference when the stored draw was altered. */
int inspections_verify(struct app *app, int64_t draw_id, struct buf *out, bool *same,
                       struct buf *diff, struct err *err);

/* The last day to publish a result checked on checked_on: that day plus
 * data/inspections.json's working days on data/calendar.json. */
int inspections_publish_by(const char *checked_on, char out[11], struct err *err);

/* Records a check's result: code one of data/inspections.json's results,
 * checked_on not after the plan's deadline, published_on (optional) not
 * before checked_on nor after the publication deadline; else ERR_INVALID
 * naming the rule and nothing written. Audited. */
int inspections_result(struct app *app, const char *scope, int64_t check_id, const char *code,
                       const char *checked_on, const char *published_on, const char *by,
                       const char *client, struct err *err);

/* The check a case of kind "inspection" was opened for (*found false
 * when case_id is no check's case): the case's link back. */
int inspections_check_of_case(struct app *app, struct arena *a, int64_t case_id,
                              struct insp_check_about *out, bool *found, struct err *err);
/* The actor a check's case acts as (fills *u): `by` within `scope` ("" or
 * NULL the whole tree), holding inspections:manage, which the routes that
 * draw and record have checked, and inspections:draw, which no role holds
 * (the kind's create_perm: its cases are opened by draws only). */
const struct auth_user *inspections_actor(struct auth_user *u, const char *scope, const char *by);

/* Computed data elements {"source":"inspections","measure":"drawn"|"done"}
 * (a source of computed_sources.h); writes announce INSPECTIONS_CHANGED. */
#define INSPECTIONS_CHANGED "@inspections"
int inspections_computed_check(const struct app *app, const char *computed, struct err *err);
int inspections_computed_counts(struct app *app, const char *computed, const char *start,
                                const char *next, const char *date, computed_add fn, void *ctx,
                                struct err *err);

/* ---- registries, plans and checks (app/inspections_registry.c) ----
 * Reads take a unit (the subtree, already scope-checked by the router);
 * writes take the actor, check every unit they touch against its scope,
 * validate with Chinese messages naming the rule, and are audited. */
int inspections_items(struct app *app, struct arena *a, struct insp_item_row **out, size_t *n,
                      struct err *err);
/* r->id 0: a new item (*id gets it); else an edit (active false withdraws). */
int inspections_item_save(struct app *app, const struct auth_user *actor,
                          const struct insp_item_row *r, const char *client, int64_t *id,
                          struct err *err);
int inspections_targets(struct app *app, struct arena *a, const char *unit,
                        struct insp_target_row **out, size_t *n, struct err *err);
int inspections_target_save(struct app *app, const struct auth_user *actor,
                            const struct insp_target_row *r, const char *client, int64_t *id,
                            struct err *err);
int inspections_inspectors(struct app *app, struct arena *a, const char *unit,
                           struct insp_inspector_row **out, size_t *n, struct err *err);
int inspections_inspector_save(struct app *app, const struct auth_user *actor,
                               const struct insp_inspector_row *r, const char *client, int64_t *id,
                               struct err *err);
/* The checks of one row, as the saves make them (the imports reuse them):
 * ERR_INVALID / ERR_FORBIDDEN naming the field and the rule. */
int inspections_item_check(const struct insp_item_row *r, struct err *err);
int inspections_target_check(struct app *app, const struct auth_user *actor,
                             const struct insp_target_row *r, struct err *err);
int inspections_inspector_check(struct app *app, const struct auth_user *actor,
                                const struct insp_inspector_row *r, struct err *err);
/* Ends a registry write begun on db: commits when rc is 0 (else rolls
 * back), releases db and tells the element caches. */
struct db;
int inspections_write_end(struct app *app, struct db *db, int rc, struct err *err);

/* A registry from a sheet (XLSX, or CSV in UTF-8 or GB18030), all rows or
 * none: every row checked as the save does, units named as in the tree
 * inside scope, a row already in the registry (or twice in the file)
 * refused; every refused row goes to errors; then all rows in one
 * transaction with one audit record. scope: the import's unit (items:
 * ignored, the list is one for all). */
enum insp_registry { INSP_ITEMS, INSP_TARGETS, INSP_INSPECTORS };
struct people_row_errors;
int inspections_import(struct app *app, const struct auth_user *actor, enum insp_registry which,
                       const char *scope, const char *data, size_t len, const char *name,
                       const char *client, struct people_row_errors *errors, size_t *rows,
                       struct err *err);
/* The registry's columns and example row, and the sheet's name. */
const struct sheet_form *inspections_import_form(enum insp_registry which, const char **sheet);

int inspections_links(struct app *app, struct arena *a, const char *unit,
                      struct insp_link_row **out, size_t *n, struct err *err);
/* reason non-NULL: adds the 回避 link; NULL: removes it. */
int inspections_link_set(struct app *app, const struct auth_user *actor, int64_t inspector,
                         int64_t target, const char *reason, const char *client, struct err *err);
int inspections_plans(struct app *app, struct arena *a, const char *unit,
                      struct insp_plan_row **out, size_t *n, struct err *err);
/* A plan with its checks (none before the draw). scope NULL: the public
 * page (any plan). */
int inspections_plan(struct app *app, struct arena *a, const char *scope, int64_t id,
                     struct insp_plan_row *plan, struct insp_check_row **checks, size_t *n,
                     struct err *err);
int inspections_plan_create(struct app *app, const struct auth_user *actor,
                            const struct insp_plan_row *r, const char *client, int64_t *id,
                            struct err *err);
/* One row; target and inspector outside scope are ERR_NOT_FOUND. */
int inspections_item_get(struct app *app, struct arena *a, int64_t id, struct insp_item_row *out,
                         struct err *err);
int inspections_target_get(struct app *app, struct arena *a, const char *scope, int64_t id,
                           struct insp_target_row *out, struct err *err);
int inspections_inspector_get(struct app *app, struct arena *a, const char *scope, int64_t id,
                              struct insp_inspector_row *out, struct err *err);
/* The draw a check belongs to's plan id, for scope checks and answers. */
int inspections_check_plan(struct app *app, int64_t check_id, int64_t *plan_id, struct err *err);

/* data/inspections.json: the standard result codes and labels, and the
 * working days allowed for publication. */
struct insp_result_code {
    const char *code, *label;
};
int inspections_result_codes(struct arena *a, struct insp_result_code **out, size_t *n,
                             long *publish_days, struct err *err);

#endif
