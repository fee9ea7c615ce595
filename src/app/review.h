/*
 * review.h — the monthly review (月讲评) of work items, and the same for a
 * week (周交办 is weekly): for a unit and a month or an ISO week, per child unit (and in total) how
 * many items were received, finished, finished on time, overdue and reopened, the on-time rate, the
 * mean days to finish and the residents' mean rating.
 *
 * Definitions (docs/api.md), in the deployment's days (base/clock.h:
 * timestamps are UTC, periods and deadlines local): received = created in
 * the period; done = reached a final state in the period; on time = done
 * no later than the deadline day (or without one) and never sent back;
 * overdue = deadline in the period and already missed — finished after
 * that day, or not finished and the day is past (a deadline still to come
 * is not overdue); reopened = steps that send finished work back
 * (`reopens` in the kind), taken in the period.
 */
#ifndef JICENG_REVIEW_H
#define JICENG_REVIEW_H

#include "app/app.h"

struct review_row {
    uint32_t node; /* tree index of the unit */
    long received, done, on_time, overdue, reopened, rated;
    double days_sum, rating_sum;
};

/* Fills one row per child of `unit` (in code order; *rows malloc'd, owned
 * by the caller) and the unit's total. period is a month "YYYY-MM" or a
 * week "YYYY-Www" (else ERR_INVALID, field "period"); type NULL = all. */
int review_period(struct app *app, const struct tree *t, uint32_t unit, const char *period,
                  const char *type, struct review_row **rows, size_t *n, struct review_row *total,
                  struct err *err);

/* Writes the month's (or week's) figures of every unit that owns items as
 * data values of the elements items.received, items.done, items.on_time
 * and items.overdue (weekly: items.week.received … items.week.overdue;
 * data/definitions.json), so that the analytics engine rolls them up and
 * ranks them like any other figure. */
int review_figures(struct app *app, const char *period, size_t *units, size_t *changed,
                   struct err *err);

#endif
