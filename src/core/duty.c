/* duty.c — duties as periods (duty.h). */
#include "core/duty.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static int subs_of(int every)
{
    return every == PERIOD_QUARTER ? 4 : every == PERIOD_MONTH ? 12 : 1;
}

int duty_periods(int every, const char *start, const char *next,
                 int (*fn)(void *ctx, const struct period *p, const char *ps, const char *pn),
                 void *ctx)
{
    assert(every == PERIOD_YEAR || every == PERIOD_QUARTER || every == PERIOD_MONTH);
    int from = (int)strtol(start, NULL, 10), to = (int)strtol(next, NULL, 10);
    if (from < PERIOD_YEAR_MIN) from = PERIOD_YEAR_MIN;
    if (to > PERIOD_YEAR_MAX) to = PERIOD_YEAR_MAX;
    for (int y = from; y <= to; y++)
        for (int s = 1; s <= subs_of(every); s++) {
            struct period p = {every, y, every == PERIOD_YEAR ? 0 : s};
            char ps[11], pn[11];
            period_dates(&p, ps, pn);
            /* its last day pn - 1 in [start, next) ⇔ start < pn <= next */
            if (strcmp(pn, start) <= 0 || strcmp(pn, next) > 0) continue;
            int rc = fn(ctx, &p, ps, pn);
            if (rc) return rc;
        }
    return 0;
}

int duty_state(bool held, const char *pn, const char *today)
{
    if (held) return DUTY_DONE;
    return strcmp(pn, today) <= 0 ? DUTY_MISSED : DUTY_PENDING;
}

const char *duty_state_name(int state)
{
    static const char *const names[] = {"done", "missed", "pending"};
    assert(state >= DUTY_DONE && state <= DUTY_PENDING);
    return names[state];
}
