/* inspections_computed.c — the computed data elements inspections.drawn
 * (targets drawn) and inspections.done (of those, with a result recorded),
 * per unit of the target, for draws made in the period; rolled up like any
 * other element (a source of computed_sources.h). */
#include "app/inspections.h"
#include "store/inspections.h"
#include "store/store.h"

#include <jansson.h>
#include <string.h>

static const char *const counts[] = {"drawn", "done", NULL};
#define COUNTS "drawn（已抽取）或 done（已完成）"

int inspections_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, counts, COUNTS, err) < 0 ? ERR_INVALID : ERR_OK;
}

int inspections_computed_counts(struct app *app, const char *computed, const char *start,
                                const char *next, const char *date, computed_add fn, void *ctx,
                                struct err *err)
{
    (void)date;
    int which = computed_count(computed, counts, COUNTS, err);
    if (which < 0) return ERR_INVALID;
    struct db *db = store_acquire(app->store);
    int rc = store_insp_counts(db, start, next, which == 1, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
