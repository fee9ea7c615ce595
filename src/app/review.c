/* review.c — the monthly review of work items (review.h). */
#include "app/review.h"
#include "app/data.h"
#include "app/items.h"
#include "app/kinds.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/period.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ" (or a date), -1 if malformed. */
static time_t parse_time(const char *s)
{
    struct tm tm = {0};
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end) end = strptime(s, "%Y-%m-%d", &tm);
    return end ? timegm(&tm) : -1;
}

struct scan {
    const struct tree *t;
    uint32_t unit;
    size_t child_len;
    struct review_row *rows, *total;
    size_t n;
    char start[11], next[11]; /* the period as local days [start, next) */
    char from[21], until[21]; /* … as UTC timestamps [from, until) */
    char today[11];
    /* deadline day → the UTC instant it ends: few distinct days, many items */
    struct {
        char day[11], end[21];
    } ends[256];
};

/* The row of the child whose subtree holds `code`, or NULL (the unit itself). */
static struct review_row *row_of(struct scan *s, const char *code)
{
    size_t len = strlen(code);
    if (!s->n || len < s->child_len) return NULL;
    size_t lo = 0, hi = s->n;
    while (lo < hi) { /* children are in code order */
        size_t mid = (lo + hi) / 2;
        int c = strncmp(tree_node(s->t, s->rows[mid].node)->code, code, s->child_len);
        if (c == 0) return &s->rows[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The UTC instant local day `day` ends (the next day begins), cached. */
static const char *day_end(struct scan *s, const char *day)
{
    unsigned h = 0;
    for (const char *c = day; *c; c++)
        h = h * 31 + (unsigned char)*c;
    char *cached = s->ends[h % 256].day, *end = s->ends[h % 256].end;
    if (strcmp(cached, day) != 0) {
        struct tm tm = {0};
        char next[11];
        if (!strptime(day, "%Y-%m-%d", &tm)) return "";
        tm.tm_mday++;
        time_t t = timegm(&tm); /* normalises the 32nd to the 1st */
        gmtime_r(&t, &tm);
        strftime(next, sizeof next, "%Y-%m-%d", &tm);
        clock_day_start_utc(next, end);
        snprintf(cached, sizeof s->ends[0].day, "%s", day);
    }
    return end;
}

/* What one item counts for, whichever rows it joins. Timestamps are UTC,
 * compared as such with the period's bounds; a deadline is a local day,
 * compared through the UTC instant it ends (or with today, for an item not
 * finished). */
struct fact {
    bool received, done, on_time, overdue;
    double days;
    int rating;
};

static struct fact fact_of(struct scan *s, const struct store_case_review *it)
{
    struct fact f = {0};
    bool closed = it->closed_at[0];
    f.received = strcmp(it->created_at, s->from) >= 0 && strcmp(it->created_at, s->until) < 0;
    f.done = closed && strcmp(it->closed_at, s->from) >= 0 && strcmp(it->closed_at, s->until) < 0;
    /* late: finished after its deadline day, or not finished and the day is past */
    bool late = it->deadline[0] && (closed ? strcmp(it->closed_at, day_end(s, it->deadline)) >= 0
                                           : strcmp(it->deadline, s->today) < 0);
    f.on_time = f.done && !late && it->reopens == 0; /* work sent back was not done in time */
    f.overdue = late && strcmp(it->deadline, s->start) >= 0 && strcmp(it->deadline, s->next) < 0;
    if (f.done) {
        time_t a = parse_time(it->created_at), b = parse_time(it->closed_at);
        f.days = a >= 0 && b >= a ? (double)(b - a) / 86400.0 : 0;
        f.rating = it->rating;
    }
    return f;
}

static void add(struct review_row *r, const struct fact *f)
{
    r->received += f->received;
    r->done += f->done;
    r->on_time += f->on_time;
    r->overdue += f->overdue;
    r->days_sum += f->days;
    r->rated += f->rating != 0;
    r->rating_sum += f->rating;
}

static int on_item(void *ctx, const struct store_case_review *it)
{
    struct scan *s = ctx;
    struct review_row *r = row_of(s, it->owner_unit);
    struct fact f = fact_of(s, it);
    if (r) add(r, &f);
    add(s->total, &f);
    return 0;
}

static int on_reopen(void *ctx, const char *owner_unit)
{
    struct scan *s = ctx;
    struct review_row *r = row_of(s, owner_unit);
    if (r) r->reopened++;
    s->total->reopened++;
    return 0;
}

/* A month or a week (core/period.c checks the text) as its local days
 * [start, next) and the UTC timestamps they begin at; today's local day. */
static int window(const char *text, struct period *p, struct scan *s, struct err *err)
{
    if (period_parse(text, p, err) != ERR_OK || (p->type != PERIOD_MONTH && p->type != PERIOD_WEEK))
        return err_set_field(err, ERR_INVALID, "period",
                             "讲评期间须为一个月（2026-11）或一周（2026-W48）");
    period_dates(p, s->start, s->next);
    clock_day_start_utc(s->start, s->from);
    clock_day_start_utc(s->next, s->until);
    clock_today(s->today, 0);
    return ERR_OK;
}

int review_period(struct app *app, const struct tree *t, uint32_t unit, const char *period,
                  const char *type, struct review_row **rows, size_t *n, struct review_row *total,
                  struct err *err)
{
    struct period p;
    struct scan s = {.t = t, .unit = unit, .total = total};
    if (window(period, &p, &s, err)) return ERR_INVALID;
    memset(total, 0, sizeof *total);
    total->node = unit;
    for (uint32_t c = tree_first_child(t, unit); c != TREE_NONE; c = tree_next_sibling(t, c))
        s.n++;
    s.rows = xcalloc(s.n ? s.n : 1, sizeof *s.rows);
    size_t k = 0;
    for (uint32_t c = tree_first_child(t, unit); c != TREE_NONE; c = tree_next_sibling(t, c))
        s.rows[k++].node = c;
    s.child_len = s.n ? strlen(tree_node(t, s.rows[0].node)->code) : 0;
    const char *code = tree_node(t, unit)->code, *kinds;
    int rc = items_kinds(app, type, &kinds, err);
    struct db *db = store_acquire(app->store);
    /* a subtree of more than an eighth of the tree is read in table order */
    bool wide = (tree_node(t, unit)->post - unit + 1) * 8 > tree_count(t);
    if (!rc) rc = store_cases_review(db, code, wide, kinds, s.from, s.until, on_item, &s, err);
    if (!rc)
        rc = store_cases_stepped(db, code, kinds, s.from, s.until, kinds_reopening(app), on_reopen,
                                 &s, err);
    store_release(app->store, db);
    if (rc) {
        free(s.rows);
        return rc;
    }
    *rows = s.rows;
    *n = s.n;
    return ERR_OK;
}

/* ---- the period's figures as data values ---- */

struct by_owner {
    const struct tree *t;
    uint32_t *slot; /* tree index → row, UINT32_MAX none */
    struct review_row *rows;
    size_t n, cap;
    struct scan s; /* only the period's bounds are used */
};

static int owner_item(void *ctx, const struct store_case_review *it)
{
    struct by_owner *b = ctx;
    uint32_t u = tree_find(b->t, it->owner_unit, strlen(it->owner_unit));
    if (u == TREE_NONE) return 0;
    if (b->slot[u] == UINT32_MAX) {
        if (b->n == b->cap) {
            b->cap = b->cap ? b->cap * 2 : 256;
            b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
        }
        memset(&b->rows[b->n], 0, sizeof b->rows[b->n]);
        b->rows[b->n].node = u;
        b->slot[u] = (uint32_t)b->n++;
    }
    struct fact f = fact_of(&b->s, it);
    add(&b->rows[b->slot[u]], &f);
    return 0;
}

int review_figures(struct app *app, const char *period, size_t *units, size_t *changed,
                   struct err *err)
{
    static const char *const monthly[] = {"items.received", "items.done", "items.on_time",
                                          "items.overdue"};
    static const char *const weekly[] = {"items.week.received", "items.week.done",
                                         "items.week.on_time", "items.week.overdue"};
    *units = *changed = 0;
    struct period p;
    struct by_owner b = {0};
    if (window(period, &p, &b.s, err)) return ERR_INVALID;
    const char *const *elements = p.type == PERIOD_WEEK ? weekly : monthly;
    struct tree *t = app_tree(app);
    uint32_t nt = tree_count(t);
    b.t = t;
    b.slot = xmalloc((nt ? nt : 1) * sizeof *b.slot);
    memset(b.slot, 0xff, (nt ? nt : 1) * sizeof *b.slot);
    struct db *db = store_acquire(app->store);
    int rc = store_cases_review(db, "", true, kinds_list(app, CASE_ITEM, NULL), b.s.from, b.s.until,
                                owner_item, &b, err);
    store_release(app->store, db);
    struct value_in *items = xcalloc(b.n * 4 + 1, sizeof *items);
    for (size_t i = 0; i < b.n; i++) {
        const struct review_row *r = &b.rows[i];
        long v[4] = {r->received, r->done, r->on_time, r->overdue};
        for (int k = 0; k < 4; k++)
            items[i * 4 + (size_t)k] = (struct value_in){.element = elements[k],
                                                         .unit = tree_node(t, r->node)->code,
                                                         .period = period,
                                                         .value = (double)v[k]};
    }
    if (!rc && b.n)
        rc = data_values_write(app, auth_cli(app), items, b.n * 4, AUTH_CLI_NAME,
                               p.type == PERIOD_WEEK ? "周讲评" : "月讲评", changed, err);
    if (!rc) *units = b.n;
    free(items);
    free(b.rows);
    free(b.slot);
    tree_unref(t);
    return rc;
}
