/* inspections.h — the 双随机 registries, plans, draws and checks
 * (store/inspections.c, migration 029). Callers: app/inspections*.c only. */
#ifndef JICENG_STORE_INSPECTIONS_H
#define JICENG_STORE_INSPECTIONS_H

#include "store/db.h"
#include "store/inspections_rows.h"

#include <stdbool.h>

struct insp_plan {
    int64_t id;
    const char *name, *unit, *deadline, *public_value;
    int64_t ratio_permille, target_count, per_target;
};

struct insp_draw {
    int64_t id, plan_id, drawn_count, per_target;
    const char *public_value, *registry_digest, *seed, *targets, *inspectors, *links;
    const char *drawn_at;
};

/* Gets (a, b) pairs: (id, 0) for targets and inspectors, (inspector,
 * target) for links. A non-zero return stops the walk and is returned. */
typedef int (*insp_pair_fn)(void *ctx, int64_t a, int64_t b);

int store_insp_plan(struct db *db, struct arena *a, int64_t id, struct insp_plan *out,
                    struct err *err);
/* The active targets and inspectors in the subtree of unit, and the links
 * between them, each ascending. */
int store_insp_targets(struct db *db, const char *unit, insp_pair_fn fn, void *ctx,
                       struct err *err);
int store_insp_inspectors(struct db *db, const char *unit, insp_pair_fn fn, void *ctx,
                          struct err *err);
int store_insp_links(struct db *db, const char *unit, insp_pair_fn fn, void *ctx, struct err *err);
int store_insp_draw_insert(struct db *db, const struct insp_draw *d, const char *by, int64_t *id,
                           struct err *err);
int store_insp_check_insert(struct db *db, int64_t draw_id, int64_t seq, int64_t target,
                            int64_t *id, struct err *err);
int store_insp_check_inspector(struct db *db, int64_t check_id, int64_t seq, int64_t inspector,
                               struct err *err);
int store_insp_draw(struct db *db, struct arena *a, int64_t id, struct insp_draw *out,
                    struct err *err);
/* The stored result of a draw in order: (seq, target) for each check with
 * fn, then its inspectors (seq, inspector) with each. */
int store_insp_draw_rows(struct db *db, int64_t draw_id, insp_pair_fn check, insp_pair_fn inspector,
                         void *ctx, struct err *err);

/* A drawn check by its id (ERR_NOT_FOUND when none). */
int store_insp_check(struct db *db, struct arena *a, int64_t id, struct insp_check_about *out,
                     struct err *err);
/* The check whose case is case_id; *found false when none. */
int store_insp_check_of_case(struct db *db, struct arena *a, int64_t case_id,
                             struct insp_check_about *out, bool *found, struct err *err);
/* Links check id to its case (drawn in the same transaction). */
int store_insp_check_link(struct db *db, int64_t id, int64_t case_id, struct err *err);
int store_insp_check_result(struct db *db, int64_t id, const char *result, const char *checked_on,
                            const char *publish_by, const char *published_on, struct err *err);

/* Checks per target unit of draws made in [start, next): all, or (done)
 * those with a result; fn(ctx, unit, len, n) once a unit. */
int store_insp_counts(struct db *db, const char *start, const char *next, bool done,
                      int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                      struct err *err);

/* ---- the registries, plans and checks as listed and edited over the API
 * (store/inspections_registry.c) ---- */

/* Each list fills *out (arena) with *n rows. unit: the subtree ("" all);
 * active_only leaves withdrawn rows out. */
int store_insp_items_list(struct db *db, struct arena *a, struct insp_item_row **out, size_t *n,
                          struct err *err);
int store_insp_item_get(struct db *db, struct arena *a, int64_t id, struct insp_item_row *out,
                        struct err *err);
/* Inserts (r->id 0; *id gets the new one) or updates r->id. */
int store_insp_item_save(struct db *db, const struct insp_item_row *r, int64_t *id,
                         struct err *err);
int store_insp_targets_list(struct db *db, struct arena *a, const char *unit, bool active_only,
                            struct insp_target_row **out, size_t *n, struct err *err);
int store_insp_target_get(struct db *db, struct arena *a, int64_t id, struct insp_target_row *out,
                          struct err *err);
int store_insp_target_save(struct db *db, const struct insp_target_row *r, int64_t *id,
                           struct err *err);
int store_insp_inspectors_list(struct db *db, struct arena *a, const char *unit, bool active_only,
                               struct insp_inspector_row **out, size_t *n, struct err *err);
int store_insp_inspector_get(struct db *db, struct arena *a, int64_t id,
                             struct insp_inspector_row *out, struct err *err);
int store_insp_inspector_save(struct db *db, const struct insp_inspector_row *r, int64_t *id,
                              struct err *err);
/* The 回避 links whose inspector is in unit's subtree. */
int store_insp_links_list(struct db *db, struct arena *a, const char *unit,
                          struct insp_link_row **out, size_t *n, struct err *err);
/* ERR_CONFLICT when the pair is linked already. */
int store_insp_link_add(struct db *db, int64_t inspector, int64_t target, const char *reason,
                        struct err *err);
/* ERR_NOT_FOUND when there was no such link. */
int store_insp_link_remove(struct db *db, int64_t inspector, int64_t target, struct err *err);
/* Plans in unit's subtree, newest first, with their draw and completion;
 * today (YYYY-MM-DD) decides which checks are overdue. */
int store_insp_plans_list(struct db *db, struct arena *a, const char *unit, const char *today,
                          struct insp_plan_row **out, size_t *n, struct err *err);
int store_insp_plan_row(struct db *db, struct arena *a, int64_t id, const char *today,
                        struct insp_plan_row *out, struct err *err);
int store_insp_plan_insert(struct db *db, const struct insp_plan_row *r, const char *by,
                           const char *at, int64_t *id, struct err *err);
/* A draw's checks in draw order with their targets' and inspectors' names. */
int store_insp_check_plan(struct db *db, int64_t check_id, int64_t *plan_id, struct err *err);
int store_insp_checks_list(struct db *db, struct arena *a, int64_t draw_id,
                           struct insp_check_row **out, size_t *n, struct err *err);

#endif
