/* inspections.h — the 双随机 registries, plans, draws and checks
 * (store/inspections.c, migration 029). Callers: app/inspections*.c only. */
#ifndef JICENG_STORE_INSPECTIONS_H
#define JICENG_STORE_INSPECTIONS_H

#include "store/db.h"

struct insp_plan {
    int64_t id;
    const char *name, *unit, *deadline;
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

/* A drawn check: its unit, and the deadline of its draw's plan. */
int store_insp_check(struct db *db, struct arena *a, int64_t id, const char **unit,
                     const char **plan_deadline, struct err *err);
int store_insp_check_result(struct db *db, int64_t id, const char *result, const char *checked_on,
                            const char *publish_by, const char *published_on, struct err *err);

/* Checks per target unit of draws made in [start, next): all, or (done)
 * those with a result; fn(ctx, unit, len, n) once a unit. */
int store_insp_counts(struct db *db, const char *start, const char *next, bool done,
                      int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                      struct err *err);

#endif
