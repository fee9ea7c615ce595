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

struct link_ctx {
    int need;
    const char *from, *to, *today;
    const struct duty_span *spans; /* NULL: the link [from, to) on the last day */
    size_t nspans;
    const char *const *days;
    size_t ndays;
    struct duty_totals *t;
    int (*fn)(void *ctx, const struct period *p, int state);
    void *ctx;
};

/* The first of the sorted days at or after day. */
static size_t days_lower(const char *const *days, size_t n, const char *day)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(days[mid], day) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Some span [from, to) holds on a day of [ps, pn): from < pn and (no end or to > ps). */
static bool spans_meet(const struct duty_span *spans, size_t n, const char *ps, const char *pn)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(spans[i].from, pn) < 0 && (!spans[i].to[0] || strcmp(spans[i].to, ps) > 0))
            return true;
    return false;
}

static int link_period(void *ctx, const struct period *p, const char *ps, const char *pn)
{
    struct link_ctx *x = ctx;
    if (x->spans) {
        if (!spans_meet(x->spans, x->nspans, ps, pn)) return 0;
    } else if (strcmp(x->from, pn) >= 0 || (x->to[0] && strcmp(x->to, pn) < 0)) {
        /* the link holds on the period's last day pn - 1: from < pn and (no end or to >= pn) */
        return 0;
    }
    size_t n = days_lower(x->days, x->ndays, pn) - days_lower(x->days, x->ndays, ps);
    int state = duty_state((long)n >= x->need, pn, x->today);
    x->t->done += state == DUTY_DONE;
    x->t->missed += state == DUTY_MISSED;
    x->t->pending += state == DUTY_PENDING;
    x->t->due += state != DUTY_PENDING;
    return x->fn ? x->fn(x->ctx, p, state) : 0;
}

int duty_link_count(int every, int need, const char *from, const char *to, const char *const *days,
                    size_t ndays, const char *start, const char *next, const char *today,
                    struct duty_totals *t, int (*fn)(void *ctx, const struct period *p, int state),
                    void *ctx)
{
    struct link_ctx x = {
        need < 1 ? 1 : need, from, to ? to : "", today, NULL, 0, days, ndays, t, fn, ctx};
    return duty_periods(every, start, next, link_period, &x);
}

int duty_spans_count(int every, int need, const struct duty_span *spans, size_t nspans,
                     const char *const *days, size_t ndays, const char *start, const char *next,
                     const char *today, struct duty_totals *t,
                     int (*fn)(void *ctx, const struct period *p, int state), void *ctx)
{
    if (!spans || !nspans) return 0; /* never held: nothing due */
    struct link_ctx x = {
        need < 1 ? 1 : need, "", "", today, spans, nspans, days, ndays, t, fn, ctx};
    return duty_periods(every, start, next, link_period, &x);
}
