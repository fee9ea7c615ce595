/* health_followups_report.c — compliance with the 随访 duties of
 * data/health.json (health.h): per resident in a duty's key group, the
 * periods of the year due (ended, or already done), done and missed, by
 * the rules of core/duty.h; the due-visit list; and the per-unit counts of
 * the computed elements health.followups.due / done. A period is due for
 * a resident only if a family-doctor contract of theirs held on some day
 * of it: a follow-up is recorded only under a contract (health_followups.c),
 * so a period before the first contract of the year, or after one ended
 * with none following, could never be done. Nothing is stored: one ordered
 * scan of the residents merged with one of their contracts and one of
 * their follow-ups. */
#include "app/health.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/duty.h"
#include "core/period.h"
#include "core/tree.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mark {
    int64_t pid;
    const char *day, *method;
};

struct span {
    int64_t pid;
    struct duty_span days;
};

/* One resident with at least one duty, and what the scan found. */
struct due_person {
    int64_t pid;
    const char *unit, *last;
    unsigned duties; /* bit i: followup_duties[i] applies */
    long due, done, missed;
    bool current_done, current_due; /* current period done / held under a contract */
};

struct scan {
    const struct health_defs *h;
    struct arena *a;
    const char *on;
    char start[16], next[16];
    struct mark *m;
    size_t nm, capm;
    struct span *c;
    size_t nc, capc;
    struct due_person *p;
    size_t np, capp;
};

static int add_mark(void *ctx, int64_t pid, const char *day, const char *method)
{
    struct scan *s = ctx;
    if (s->nm == s->capm) {
        s->capm = s->capm ? s->capm * 2 : 256;
        s->m = xrealloc(s->m, s->capm * sizeof *s->m);
    }
    s->m[s->nm++] = (struct mark){pid, day, method};
    return 0;
}

static int add_span(void *ctx, int64_t pid, const char *start, const char *end)
{
    struct scan *s = ctx;
    if (s->nc == s->capc) {
        s->capc = s->capc ? s->capc * 2 : 256;
        s->c = xrealloc(s->c, s->capc * sizeof *s->c);
    }
    s->c[s->nc++] = (struct span){pid, {start, end}};
    return 0;
}

static int add_resident(void *ctx, const struct health_resident_row *r)
{
    struct scan *s = ctx;
    int age = keygroup_age(r->birth_date, s->on);
    unsigned duties = 0;
    for (size_t i = 0; i < s->h->nfollowup_duties; i++)
        if (keygroup_match(&s->h->groups[s->h->followup_duties[i].group], age, r->tags))
            duties |= 1u << i;
    if (!duties) return 0;
    if (s->np == s->capp) {
        s->capp = s->capp ? s->capp * 2 : 256;
        s->p = xrealloc(s->p, s->capp * sizeof *s->p);
    }
    s->p[s->np++] = (struct due_person){
        .pid = r->person_id, .unit = arena_strdup(s->a, r->unit), .duties = duties, .last = ""};
    return 0;
}

/* The digits day[i..i+n) of a checked YYYY-MM-DD as a number. */
static int digits(const char *day, int i, int n)
{
    int v = 0;
    for (int k = i; k < i + n; k++)
        v = v * 10 + (day[k] - '0');
    return v;
}

/* The first day of the period of type every holding day, into ps. */
static void period_first(int every, const char *day, char ps[16])
{
    int y = digits(day, 0, 4), m = digits(day, 5, 2);
    if (every == PERIOD_YEAR) m = 1;
    if (every == PERIOD_QUARTER) m = (m - 1) / 3 * 3 + 1;
    snprintf(ps, 16, "%04u-%02u-01", (unsigned)y % 10000u, (unsigned)m % 100u);
}

/* Counts one resident's duties over the follow-ups m[0..n) and the
 * contracts c[0..nc) holding this year. */
static void count_person(struct scan *s, struct due_person *p, const struct mark *m, size_t n,
                         const struct span *c, size_t nc)
{
    const char **days = arena_zalloc(s->a, (n + 1) * sizeof *days);
    struct duty_span *spans = arena_zalloc(s->a, (nc + 1) * sizeof *spans);
    for (size_t k = 0; k < nc; k++)
        spans[k] = c[k].days;
    if (n) p->last = m[n - 1].day;
    p->current_done = true;
    p->current_due = false;
    for (size_t i = 0; i < s->h->nfollowup_duties; i++) {
        if (!(p->duties & (1u << i))) continue;
        const struct health_followup_duty *d = &s->h->followup_duties[i];
        char want[48], ps[16];
        size_t nd = 0, now = 0;
        period_first(d->every, s->on, ps);
        for (size_t k = 0; k < n; k++) {
            snprintf(want, sizeof want, ",%s,", m[k].method);
            if (!strstr(d->methods, want)) continue;
            days[nd++] = m[k].day;
            now += strcmp(m[k].day, ps) >= 0;
        }
        struct duty_totals t = {0};
        duty_spans_count(d->every, d->need, spans, nc, days, nd, s->start, s->next, s->on, &t, NULL,
                         NULL);
        p->due += t.due;
        p->done += t.done;
        p->missed += t.missed;
        /* the current period is due once a contract held on a day of it up to today */
        bool held = false;
        for (size_t k = 0; k < nc && !held; k++)
            held = strcmp(spans[k].from, s->on) <= 0 && strcmp(spans[k].to, ps) > 0;
        if (!held) continue;
        p->current_due = true;
        p->current_done = p->current_done && (long)now >= d->need;
    }
    p->current_done = p->current_done && p->current_due;
}

/* Scans the subtree: residents with a duty, their follow-ups this year up
 * to `on`, and the counts per resident (s->p, in person order). */
static int scan_run(struct app *app, const char *scope, struct scan *s, struct err *err)
{
    long d;
    if (!s->on || !keygroup_day(s->on, &d))
        return err_set_field(err, ERR_INVALID, "on", "日期须为 YYYY-MM-DD");
    int y = digits(s->on, 0, 4);
    snprintf(s->start, sizeof s->start, "%04u-01-01", (unsigned)y % 10000u);
    snprintf(s->next, sizeof s->next, "%04u-01-01", (unsigned)(y + 1) % 10000u);
    struct db *db = store_acquire(app->store);
    int rc = store_health_residents(db, s->a, scope, s->on, add_resident, s, err);
    if (!rc) rc = store_health_followup_days(db, s->a, scope, s->start, s->on, add_mark, s, err);
    if (!rc) rc = store_health_contract_spans(db, s->a, scope, s->start, s->next, add_span, s, err);
    store_release(app->store, db);
    size_t j = 0, cj = 0;
    for (size_t i = 0; !rc && i < s->np; i++) {
        int64_t pid = s->p[i].pid;
        while (j < s->nm && s->m[j].pid < pid)
            j++;
        size_t k = j;
        while (k < s->nm && s->m[k].pid == pid)
            k++;
        while (cj < s->nc && s->c[cj].pid < pid)
            cj++;
        size_t ck = cj;
        while (ck < s->nc && s->c[ck].pid == pid)
            ck++;
        count_person(s, &s->p[i], s->m + j, k - j, s->c + cj, ck - cj);
        j = k;
        cj = ck;
    }
    return rc;
}

static void scan_free(struct scan *s)
{
    free(s->m);
    free(s->c);
    free(s->p);
}

static int listed_cmp(const void *pa, const void *pb)
{
    const struct due_person *a = pa, *b = pb;
    if (a->missed != b->missed) return a->missed > b->missed ? -1 : 1;
    int c = strcmp(a->unit, b->unit);
    if (c) return c;
    return (a->pid > b->pid) - (a->pid < b->pid);
}

static const char *group_names(struct arena *a, const struct health_defs *h, unsigned duties)
{
    char buf[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < h->nfollowup_duties; i++) {
        if (!(duties & (1u << i))) continue;
        const char *name = h->groups[h->followup_duties[i].group].name;
        if (strstr(buf, name)) continue; /* two duties of one group */
        int n = snprintf(buf + len, sizeof buf - len, "%s%s", len ? "、" : "", name);
        if (n < 0 || (size_t)n >= sizeof buf - len) break;
        len += (size_t)n;
    }
    return arena_strdup(a, buf);
}

int health_followup_report(struct app *app, struct arena *a, const char *scope, const char *on,
                           size_t limit, struct health_followup_report *out, struct err *err)
{
    char today[11];
    clock_today(today, 0);
    if (!on || !*on) on = today;
    if (strcmp(on, today) > 0)
        return err_set_field(err, ERR_INVALID, "on", "统计日期不能晚于今天（%s）", today);
    struct scan s = {.h = app->health, .a = a, .on = on};
    int rc = scan_run(app, scope ? scope : "", &s, err);
    *out = (struct health_followup_report){.nlist = 0};
    if (rc) {
        scan_free(&s);
        return rc;
    }
    snprintf(out->year_start, sizeof out->year_start, "%s", s.start);
    snprintf(out->on, sizeof out->on, "%s", on);
    size_t nl = 0;
    for (size_t i = 0; i < s.np; i++) {
        const struct due_person *p = &s.p[i];
        out->people++;
        out->due += p->due;
        out->done += p->done;
        out->missed += p->missed;
        if (p->missed || (p->current_due && !p->current_done)) s.p[nl++] = *p; /* compacts */
    }
    out->listed_total = (long)nl;
    if (nl) qsort(s.p, nl, sizeof *s.p, listed_cmp);
    if (nl > limit) nl = limit;
    out->list = arena_zalloc(a, (nl + 1) * sizeof *out->list);
    struct tree *t = app_tree(app);
    struct db *db = store_acquire(app->store);
    for (size_t i = 0; !rc && i < nl; i++) {
        const struct due_person *p = &s.p[i];
        struct person_row pr = {0};
        rc = store_person_get(db, a, p->pid, &pr, err);
        uint32_t u = tree_find_any(t, p->unit, strlen(p->unit));
        out->list[i] = (struct health_followup_person){
            .person_id = p->pid,
            .name = pr.name,
            .unit = p->unit,
            .unit_name = arena_strdup(a, u == TREE_NONE ? "" : tree_name(t, u)),
            .groups = group_names(a, s.h, p->duties),
            .last = p->last,
            .due = p->due,
            .done = p->done,
            .missed = p->missed,
            .current_done = p->current_done};
    }
    store_release(app->store, db);
    tree_unref(t);
    out->nlist = rc ? 0 : nl;
    scan_free(&s);
    return rc;
}

int health_followup_counts(struct app *app, bool due, const char *date,
                           int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                           struct err *err)
{
    char today[11];
    clock_today(today, 0);
    struct arena *a = arena_new();
    struct scan s = {
        .h = app->health, .a = a, .on = date && strcmp(date, today) < 0 ? date : today};
    int rc = scan_run(app, "", &s, err);
    struct tree *t = app_tree(app);
    double *n = xcalloc(tree_count(t) + 1, sizeof *n);
    for (size_t i = 0; !rc && i < s.np; i++) {
        uint32_t u = tree_find_any(t, s.p[i].unit, strlen(s.p[i].unit));
        if (u != TREE_NONE) n[u] += (double)(due ? s.p[i].due : s.p[i].done);
    }
    for (uint32_t i = 0; !rc && i < tree_count(t); i++)
        if (n[i] > 0) {
            const char *code = tree_node(t, i)->code;
            rc = fn(ctx, code, strlen(code), n[i]);
        }
    free(n);
    tree_unref(t);
    scan_free(&s);
    arena_free(a);
    return rc;
}
