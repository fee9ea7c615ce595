/*
 * duty.h — duties as periods: which periods of a duty fall in a reporting
 * period, and what state one of them is in. A duty ("every branch: a 支委会
 * each month") is data (data/events.json); this is the arithmetic under
 * its compliance figures, with no I/O.
 *
 * A duty's period counts in the reporting period holding its LAST day, so
 * a quarterly duty is counted in March, June, September and December, and
 * the months of a year add up to the year. Its state:
 *   done    — an event of the type was held inside the period;
 *   missed  — none was, and the period has ended (its last day < today);
 *   pending — none was yet, and the period is still running or to come:
 *             the future is not overdue, so it is neither due nor missed.
 * due = done + missed; a running period that is already done counts as
 * done (and so as due).
 */
#ifndef JICENG_DUTY_H
#define JICENG_DUTY_H

#include "core/period.h"

#include <stdbool.h>
#include <stddef.h>

enum duty_state { DUTY_DONE, DUTY_MISSED, DUTY_PENDING };

/* Calls fn for each period of type `every` (year, quarter or month) whose
 * last day lies in the days [start, next) ("YYYY-MM-DD"), oldest first,
 * with the period and its days [ps, pn); stops at fn's first non-zero
 * return and returns it. */
int duty_periods(int every, const char *start, const char *next,
                 int (*fn)(void *ctx, const struct period *p, const char *ps, const char *pn),
                 void *ctx);

/* The state of a duty period [.., pn) as of today: held → done, else
 * missed when it has ended (pn <= today), else pending. */
int duty_state(bool held, const char *pn, const char *today);

/* "done", "missed", "pending". */
const char *duty_state_name(int state);

/* A duty over a relationship (a person ↔ a unit or a household, e.g.
 * 包联领导 ↔ 重点村: at least `need` visits each month). The link holds on
 * the days [from, to) (to "" while it holds); a period counts when the link
 * holds on its last day. days: the visits' days over the link, sorted
 * ("YYYY-MM-DD"). Adds each counted period's state to the totals and calls
 * fn (may be NULL) for it. */
struct duty_totals {
    long due, done, missed, pending;
};
int duty_link_count(int every, int need, const char *from, const char *to, const char *const *days,
                    size_t ndays, const char *start, const char *next, const char *today,
                    struct duty_totals *t, int (*fn)(void *ctx, const struct period *p, int state),
                    void *ctx);

/* The same over a relationship that held on spans of days [from, to)
 * (to "" while it holds), e.g. a resident's family-doctor contracts: a
 * period counts when a span holds on SOME day of it, so periods before the
 * first span and after the last one has ended are not due. spans may be
 * in any order and overlap. */
struct duty_span {
    const char *from, *to;
};
int duty_spans_count(int every, int need, const struct duty_span *spans, size_t nspans,
                     const char *const *days, size_t ndays, const char *start, const char *next,
                     const char *today, struct duty_totals *t,
                     int (*fn)(void *ctx, const struct period *p, int state), void *ctx);

#endif
