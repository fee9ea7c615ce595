/*
 * cases_computed.h — computed data elements counted from cases of one kind
 * (cases_computed.c), a source of computed_sources.h:
 *
 *   {"source":"cases","kind":"wish","count":"created"}                   posted in the period
 *   {"source":"cases","kind":"wish","count":"steps","transition":"close"} that step taken in it
 *
 * each by the unit the case concerns. Every change of an item case drops
 * their rollups (CASES_CHANGED).
 */
#ifndef JICENG_CASES_COMPUTED_H
#define JICENG_CASES_COMPUTED_H

#include "app/app.h"
#include "app/computed_sources.h"

#define CASES_CHANGED "@cases"

int cases_computed_check(const struct app *app, const char *computed, struct err *err);
int cases_computed_counts(struct app *app, const char *computed, const char *start,
                          const char *next, const char *date, computed_add fn, void *ctx,
                          struct err *err);

#endif
