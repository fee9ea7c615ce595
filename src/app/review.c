/* review.c — the monthly review of work items (review.h). */
#include "app/review.h"
#include "app/data.h"
#include "base/mem.h"
#include "core/period.h"

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
    char start[32], next[32]; /* the month as [start, next) dates */
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

static void count(struct review_row *r, const struct store_item_review *it, const struct scan *s)
{
    bool created_in =
        strncmp(it->created_at, s->start, 10) >= 0 && strncmp(it->created_at, s->next, 10) < 0;
    bool closed_in = it->closed_at[0] && strncmp(it->closed_at, s->start, 10) >= 0 &&
                     strncmp(it->closed_at, s->next, 10) < 0;
    bool has_deadline = it->deadline[0] != '\0';
    bool late = has_deadline && (!it->closed_at[0] || strncmp(it->closed_at, it->deadline, 10) > 0);
    r->received += created_in;
    if (closed_in) {
        r->done++;
        r->on_time += !late;
        time_t a = parse_time(it->created_at), b = parse_time(it->closed_at);
        if (a >= 0 && b >= a) r->days_sum += (double)(b - a) / 86400.0;
        if (it->rating) {
            r->rated++;
            r->rating_sum += it->rating;
        }
    }
    if (has_deadline && strcmp(it->deadline, s->start) >= 0 && strcmp(it->deadline, s->next) < 0 &&
        late)
        r->overdue++;
}

static int on_item(void *ctx, const struct store_item_review *it)
{
    struct scan *s = ctx;
    struct review_row *r = row_of(s, it->owner_unit);
    if (r) count(r, it, s);
    count(s->total, it, s);
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

int review_month(struct app *app, const struct tree *t, uint32_t unit, const char *month,
                 const char *type, struct review_row **rows, size_t *n, struct review_row *total,
                 struct err *err)
{
    /* The month's period (core/period.c) checks the text: 2026-11. */
    struct period p;
    if (period_parse(month, &p, err) != ERR_OK || p.type != PERIOD_MONTH)
        return err_set_field(err, ERR_INVALID, "month", "月份须写作 2026-11");
    int y = p.year, m = p.sub;
    struct scan s = {.t = t, .unit = unit, .total = total};
    snprintf(s.start, sizeof s.start, "%04d-%02d-01", y, m);
    snprintf(s.next, sizeof s.next, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    memset(total, 0, sizeof *total);
    total->node = unit;
    for (uint32_t c = tree_first_child(t, unit); c != TREE_NONE; c = tree_next_sibling(t, c))
        s.n++;
    s.rows = xcalloc(s.n ? s.n : 1, sizeof *s.rows);
    size_t k = 0;
    for (uint32_t c = tree_first_child(t, unit); c != TREE_NONE; c = tree_next_sibling(t, c))
        s.rows[k++].node = c;
    s.child_len = s.n ? strlen(tree_node(t, s.rows[0].node)->code) : 0;
    const char *code = tree_node(t, unit)->code;
    struct db *db = store_acquire(app->store);
    int rc = store_items_review(db, code, type, s.start, s.next, on_item, &s, err);
    if (!rc) rc = store_items_reopened(db, code, type, s.start, s.next, on_reopen, &s, err);
    store_release(app->store, db);
    if (rc) {
        free(s.rows);
        return rc;
    }
    *rows = s.rows;
    *n = s.n;
    return ERR_OK;
}

/* ---- the month's figures as data values ---- */

struct by_owner {
    const struct tree *t;
    uint32_t *slot; /* tree index → row, UINT32_MAX none */
    struct review_row *rows;
    size_t n, cap;
    struct scan s; /* only the month bounds are used */
};

static int owner_item(void *ctx, const struct store_item_review *it)
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
    count(&b->rows[b->slot[u]], it, &b->s);
    return 0;
}

int review_figures(struct app *app, const char *month, size_t *units, size_t *changed,
                   struct err *err)
{
    static const char *const elements[] = {"items.received", "items.done", "items.on_time",
                                           "items.overdue"};
    *units = *changed = 0;
    struct period p;
    if (period_parse(month, &p, err) != ERR_OK || p.type != PERIOD_MONTH)
        return err_set_field(err, ERR_INVALID, "month", "月份须写作 2026-11");
    struct tree *t = app_tree(app);
    uint32_t nt = tree_count(t);
    struct by_owner b = {.t = t, .slot = xmalloc((nt ? nt : 1) * sizeof *b.slot)};
    memset(b.slot, 0xff, (nt ? nt : 1) * sizeof *b.slot);
    snprintf(b.s.start, sizeof b.s.start, "%04d-%02d-01", p.year, p.sub);
    snprintf(b.s.next, sizeof b.s.next, "%04d-%02d-01", p.sub == 12 ? p.year + 1 : p.year,
             p.sub == 12 ? 1 : p.sub + 1);
    struct db *db = store_acquire(app->store);
    int rc = store_items_review(db, "", NULL, b.s.start, b.s.next, owner_item, &b, err);
    store_release(app->store, db);
    struct value_in *items = xcalloc(b.n * 4 + 1, sizeof *items);
    for (size_t i = 0; i < b.n; i++) {
        const struct review_row *r = &b.rows[i];
        long v[4] = {r->received, r->done, r->on_time, r->overdue};
        for (int k = 0; k < 4; k++)
            items[i * 4 + (size_t)k] = (struct value_in){.element = elements[k],
                                                         .unit = tree_node(t, r->node)->code,
                                                         .period = month,
                                                         .value = (double)v[k]};
    }
    if (!rc && b.n)
        rc = data_values_write(app, NULL, items, b.n * 4, "cli", "月讲评", changed, err);
    if (!rc) *units = b.n;
    free(items);
    free(b.rows);
    free(b.slot);
    tree_unref(t);
    return rc;
}
