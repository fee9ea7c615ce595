/* inspections_computed.c — the computed data elements inspections.drawn
 * (targets drawn) and inspections.done (of those, with a result recorded),
 * per unit of the target, for draws made in the period; rolled up like any
 * other element (dispatched from app/persons.c). */
#include "app/inspections.h"
#include "store/inspections.h"
#include "store/store.h"

#include <jansson.h>
#include <string.h>

bool inspections_computed_is(const char *computed)
{
    return strstr(computed, "\"inspections\"") != NULL;
}

static int count_of(const char *computed, bool *done, struct err *err)
{
    json_t *o = json_loads(computed, JSON_REJECT_DUPLICATES, NULL);
    const char *m = json_string_value(json_object_get(o, "count"));
    int rc = ERR_OK;
    if (!m || (strcmp(m, "drawn") != 0 && strcmp(m, "done") != 0) || json_object_size(o) != 2)
        rc = err_set_field(err, ERR_INVALID, "computed",
                           "computed 须为 {\"source\":\"inspections\",\"count\":\"drawn\" 或 "
                           "\"done\"}");
    else
        *done = strcmp(m, "done") == 0;
    json_decref(o);
    return rc;
}

int inspections_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    bool done;
    return count_of(computed, &done, err);
}

int inspections_computed_counts(struct app *app, const char *computed, const char *start,
                                const char *next,
                                int (*fn)(void *ctx, const char *unit, size_t len, double n),
                                void *ctx, struct err *err)
{
    bool done;
    int rc = count_of(computed, &done, err);
    if (rc) return rc;
    struct db *db = store_acquire(app->store);
    rc = store_insp_counts(db, start, next, done, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
