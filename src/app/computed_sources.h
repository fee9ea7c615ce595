/*
 * computed_sources.h — where computed data elements are counted. An
 * element's "computed" object names its source, e.g.
 * {"source":"health","count":"contracts"}; each source is one row of the
 * table in computed_sources.c: the change notice that makes its figures
 * stale, the check run when the element is defined, and the counting per
 * unit for a period. A new source is one row there plus its own file.
 */
#ifndef JICENG_APP_COMPUTED_SOURCES_H
#define JICENG_APP_COMPUTED_SOURCES_H

#include "app/app.h"

#include <stddef.h>

/* Receives one unit's figure. */
typedef int (*computed_add)(void *ctx, const char *unit, size_t len, double n);

/* Checks an element's "computed" definition (JSON text) against its source. */
int computed_check(const struct app *app, const char *computed, struct err *err);

/* The figures per unit for the period's days [start, next) whose last day
 * is date ("YYYY-MM-DD"; registers are counted as of that day), to fn. */
int computed_counts(struct app *app, const char *computed, const char *start, const char *next,
                    const char *date, computed_add fn, void *ctx, struct err *err);

/* The change notice ("@health" …) whose writes make the counts stale. */
const char *computed_changed(const char *computed);

/* The change notice an audited action implies, or NULL: how a server that
 * was down learns from the audit trail which computed elements moved
 * meanwhile (rating_results.c). */
const char *computed_changed_by(const char *action);

/* For the sources defined by one choice: {"source":S,"count":C} with C one
 * of names (NULL-terminated). Returns C's index, or -1 with err naming the
 * choices (text such as "due（应走访）或 done（已走访）"). */
int computed_count(const char *computed, const char *const names[], const char *choices,
                   struct err *err);

#endif
