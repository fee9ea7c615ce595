/* dues.c — 党费 (points.h): the rate table applied to a member's basis,
 * payments of months, arrears and the yearly publication. Amounts in fen;
 * months as "YYYY-MM" or their index y * 12 + m - 1. */
#include "app/audit.h"
#include "app/people.h"
#include "app/points.h"
#include "base/clock.h"
#include "base/mem.h"
#include "io/json_out.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_SPAN 5 /* a basis for at most this many years back */

/* ---- months ---- */

/* The decimal number of the n digits at s (callers have checked them). */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int month_index(const char *s)
{
    if (!s || strlen(s) != 7 || s[4] != '-') return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9')) return -1;
    int y = digits(s, 4), m = digits(s + 5, 2);
    if (y < 2000 || y > 2100 || m < 1 || m > 12) return -1;
    return y * 12 + m - 1;
}

static void month_text(int i, char out[8])
{
    unsigned y = (unsigned)(i / 12) % 10000u, m = (unsigned)(i % 12) + 1u;
    snprintf(out, 8, "%04u-%02u", y, m % 100u);
}

static int this_month(void)
{
    char today[11];
    clock_today(today, 0);
    today[7] = 0;
    return month_index(today);
}

/* ---- the rate table ---- */

int dues_monthly(const struct app *app, const char *category, int64_t income_fen, int64_t fixed_fen,
                 int64_t *monthly, struct err *err)
{
    const struct dues_category *c = dues_category(app, category);
    if (!c)
        return err_set_field(err, ERR_INVALID, "category",
                             "请选择党员类别（在职、离退休、农民等）");
    if (!c->income) {
        int64_t v = fixed_fen < 0 ? c->default_fen : fixed_fen;
        if (v < c->min_fen || v > c->max_fen)
            return err_set_field(err, ERR_INVALID, "amount_fen",
                                 "%s每月交纳 %lld.%02lld 元至 %lld.%02lld 元", c->name,
                                 (long long)(c->min_fen / 100), (long long)(c->min_fen % 100),
                                 (long long)(c->max_fen / 100), (long long)(c->max_fen % 100));
        *monthly = v;
        return ERR_OK;
    }
    if (income_fen <= 0 || income_fen > app->points->income_max_fen)
        return err_set_field(err, ERR_INVALID, "income_fen",
                             "请填写每月收入（分），须大于 0 且不超过 %lld 元",
                             (long long)(app->points->income_max_fen / 100));
    int b = 0;
    while (b + 1 < c->nbands && income_fen > c->bands[b].upto_fen)
        b++;
    *monthly = (income_fen * c->bands[b].permille + 500) / 1000; /* half up to the fen */
    return ERR_OK;
}

int dues_basis_set(struct app *app, const struct auth_user *actor, int64_t person, int year,
                   const char *category, int64_t income_fen, int64_t fixed_fen, const char *client,
                   struct err *err)
{
    int now = this_month() / 12;
    if (year < now - YEAR_SPAN || year > now + 1)
        return err_set_field(err, ERR_INVALID, "year", "年份须在 %d 到 %d 之间", now - YEAR_SPAN,
                             now + 1);
    const struct dues_category *c = dues_category(app, category);
    if (c && !c->income && income_fen)
        return err_set_field(err, ERR_INVALID, "income_fen", "%s按固定金额交纳，不填收入", c->name);
    if (c && c->income && fixed_fen >= 0)
        return err_set_field(err, ERR_INVALID, "amount_fen", "%s按收入比例交纳，不填固定金额",
                             c->name);
    int64_t monthly;
    int rc = dues_monthly(app, category, income_fen, fixed_fen, &monthly, err);
    if (rc) return rc;
    if (!c) return err_set_field(err, ERR_INVALID, "category", "请选择党员类别");
    struct arena *a = arena_new();
    struct person_view v;
    if ((rc = people_person_get(app, actor, person, a, &v, err))) {
        arena_free(a);
        return rc;
    }
    char at[32];
    auth_now_iso(at);
    struct dues_basis_row b = {.person_id = person,
                               .year = year,
                               .category = c->code,
                               .income_fen = income_fen,
                               .monthly_fen = monthly,
                               .updated_by = actor->name,
                               .updated_at = at};
    struct audit_entry ae = {
        .user = actor->name,
        .action = "dues.basis",
        .entity = arena_printf(a, "person:%lld", (long long)person),
        .unit = v.p.unit,
        .after = arena_printf(a, "{\"year\":%d,\"category\":\"%s\",\"monthly_fen\":%lld}", year,
                              c->code, (long long)monthly),
        .client = client};
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_dues_basis_put(db, &b, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    arena_free(a);
    return rc;
}

/* ---- a member's months ---- */

struct ledger {
    struct arena *a;
    struct dues_basis_row *bases;
    size_t nbases, cap;
    int first, last;  /* month indexes [first, last) of paid[] */
    int64_t *paid;    /* fen by month, 0 unpaid */
    const char **how; /* method and day by month */
    const char **when;
};

static int keep_basis(void *ctx, const struct dues_basis_row *b)
{
    struct ledger *l = ctx;
    l->bases = arena_grow(l->a, l->bases, sizeof *l->bases, l->nbases, l->nbases + 1, &l->cap);
    struct dues_basis_row *k = &l->bases[l->nbases++];
    *k = *b;
    k->category = arena_strdup(l->a, b->category);
    k->updated_by = arena_strdup(l->a, b->updated_by);
    k->updated_at = arena_strdup(l->a, b->updated_at);
    return 0;
}

static int keep_payment(void *ctx, const struct dues_payment_row *p)
{
    struct ledger *l = ctx;
    int i = month_index(p->month);
    if (i < l->first || i >= l->last) return 0;
    l->paid[i - l->first] = p->amount_fen;
    l->how[i - l->first] = arena_strdup(l->a, p->method);
    l->when[i - l->first] = arena_strdup(l->a, p->paid_on);
    return 0;
}

/* The monthly amount due for month i: the basis of its year, else of the
 * latest earlier year; -1 before the first basis. */
static int64_t due_of(const struct ledger *l, int i)
{
    int64_t due = -1;
    for (size_t k = 0; k < l->nbases; k++)
        if (l->bases[k].year <= i / 12) due = l->bases[k].monthly_fen;
    return due;
}

/* Reads the person's bases and their payments of months [first, last). */
static int ledger_read(struct app *app, struct db *db, int64_t person, int first, int last,
                       struct ledger *l, struct err *err)
{
    l->first = first;
    l->last = last > first ? last : first;
    size_t n = (size_t)(l->last - l->first) + 1;
    l->paid = arena_zalloc(l->a, n * sizeof *l->paid);
    l->how = arena_zalloc(l->a, n * sizeof *l->how);
    l->when = arena_zalloc(l->a, n * sizeof *l->when);
    char from[8], to[8];
    month_text(l->first, from);
    month_text(l->last, to);
    int rc = store_dues_bases(db, person, keep_basis, l, err);
    if (!rc) rc = store_dues_payments(db, person, from, to, keep_payment, l, err);
    (void)app;
    return rc;
}

/* Arrears as of month `now` (months before it): the run of unpaid months
 * ending with the last one, every unpaid month, what they owe. */
static void arrears_of(const struct app *app, const struct ledger *l, int start, int now, int *run,
                       int *total, int64_t *owed, bool *flagged)
{
    *run = *total = 0;
    *owed = 0;
    bool in_run = true;
    for (int i = now - 1; i >= start && i >= l->first; i--) {
        int64_t due = due_of(l, i);
        if (due < 0) break;
        if (l->paid[i - l->first]) {
            in_run = false;
            continue;
        }
        *run += in_run;
        ++*total;
        *owed += due;
    }
    *flagged = *run >= app->points->arrears_months;
}

/* The first month dues are tracked from: the first basis year's January,
 * or -1 when there is no basis. */
static int first_due(const struct ledger *l)
{
    return l->nbases ? l->bases[0].year * 12 : -1;
}

int dues_person(struct app *app, int64_t person, int year, struct arena *a, struct dues_view *out,
                struct err *err)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    int now = this_month();
    struct ledger l = {.a = a};
    struct db *db = store_acquire(app->store);
    int lo = (now / 12 - YEAR_SPAN - 1) * 12, hi = (now / 12 + 2) * 12;
    int rc = ledger_read(app, db, person, lo < year * 12 ? lo : year * 12,
                         hi > (year + 1) * 12 ? hi : (year + 1) * 12, &l, err);
    store_release(app->store, db);
    if (rc) return rc;
    out->bases = l.bases;
    out->nbases = l.nbases;
    for (int m = 0; m < 12; m++) {
        int i = year * 12 + m;
        struct dues_month *dm = &out->months[m];
        month_text(i, dm->month);
        dm->due_fen = due_of(&l, i);
        dm->paid_fen = l.paid[i - l.first];
        dm->method = l.how[i - l.first] ? l.how[i - l.first] : "";
        dm->paid_on = l.when[i - l.first] ? l.when[i - l.first] : "";
        out->paid_fen += dm->paid_fen;
        if (dm->due_fen > 0) out->due_fen += dm->due_fen;
    }
    int start = first_due(&l);
    if (start >= 0)
        arrears_of(app, &l, start, now, &out->unpaid_run, &out->unpaid_total, &out->owed_fen,
                   &out->flagged);
    return ERR_OK;
}

/* ---- payments ---- */

static int check_payment(struct app *app, const struct dues_payment_in *in, int *idx,
                         struct err *err)
{
    const struct points_defs *p = app->points;
    if (in->nmonths == 0 || in->nmonths > 24)
        return err_set_field(err, ERR_INVALID, "months", "请选择交纳的月份（一次至多 24 个月）");
    int now = this_month();
    for (size_t i = 0; i < in->nmonths; i++) {
        idx[i] = month_index(in->months[i]);
        if (idx[i] < 0)
            return err_set_field(err, ERR_INVALID, "months", "months 第 %zu 项须为月份，如 2026-03",
                                 i + 1);
        if (idx[i] > now + p->advance_months)
            return err_set_field(err, ERR_INVALID, "months", "%s 还未到期：最多可提前 %d 个月交纳",
                                 in->months[i], p->advance_months);
        for (size_t k = 0; k < i; k++)
            if (idx[k] == idx[i])
                return err_set_field(err, ERR_INVALID, "months", "月份 %s 重复", in->months[i]);
    }
    if (!dues_method_name(app, in->method))
        return err_set_field(err, ERR_INVALID, "method",
                             "请选择交纳方式（现金、微信、支付宝、银行转账）");
    if (in->amount_fen <= 0)
        return err_set_field(err, ERR_INVALID, "amount_fen", "交纳金额须大于 0");
    if (in->amount_fen > p->month_max_fen * (int64_t)in->nmonths)
        return err_set_field(err, ERR_INVALID, "amount_fen",
                             "交纳金额不合常理：每月不超过 %lld 元，请核对（金额以分为单位）",
                             (long long)(p->month_max_fen / 100));
    char today[11];
    clock_today(today, 0);
    if (in->paid_on && (strlen(in->paid_on) != 10 || !person_date_ok(in->paid_on)))
        return err_set_field(err, ERR_INVALID, "paid_on", "paid_on 须为日期，如 2026-03-05");
    if (in->paid_on && strcmp(in->paid_on, today) > 0)
        return err_set_field(err, ERR_INVALID, "paid_on", "交纳日期不能晚于今天");
    return ERR_OK;
}

struct pay_write {
    struct dues_payment_row *rows;
    size_t n;
};

static int pay_write(struct db *db, void *ctx, struct err *err)
{
    struct pay_write *w = ctx;
    for (size_t i = 0; i < w->n; i++) {
        int rc = store_dues_payment_insert(db, &w->rows[i], err);
        if (rc == ERR_CONFLICT)
            return err_set_field(err, ERR_CONFLICT, "months", "%s 的党费已经交过了",
                                 w->rows[i].month);
        if (rc) return rc;
    }
    return ERR_OK;
}

int dues_pay(struct app *app, const struct auth_user *actor, const struct dues_payment_in *in,
             const char *client, struct err *err)
{
    int idx[24];
    int rc = check_payment(app, in, idx, err);
    if (rc) return rc;
    if (in->nmonths == 0) return err_set_field(err, ERR_INVALID, "months", "请选择交纳的月份");
    struct arena *a = arena_new();
    struct person_view v;
    if ((rc = people_person_get(app, actor, in->person_id, a, &v, err))) goto out;
    /* the branch the member pays to: their current party membership's unit */
    const char *unit = NULL;
    for (size_t i = 0; i < v.nms && !unit; i++)
        if (strcmp(v.ms[i].kind, app->points->member_kind) == 0 && !v.ms[i].to_date[0])
            unit = v.ms[i].unit;
    if (!unit) {
        rc = err_set_field(err, ERR_INVALID, "person", "%s目前不在党组织，不能登记党费", v.p.name);
        goto out;
    }
    struct ledger l = {.a = a};
    int lo = idx[0], hi = idx[0];
    for (size_t i = 1; i < in->nmonths; i++) {
        lo = idx[i] < lo ? idx[i] : lo;
        hi = idx[i] > hi ? idx[i] : hi;
    }
    struct db *db = store_acquire(app->store);
    rc = ledger_read(app, db, in->person_id, lo, hi + 1, &l, err);
    store_release(app->store, db);
    if (rc) goto out;
    int64_t due = 0;
    for (size_t i = 0; i < in->nmonths && !rc; i++) {
        int64_t d = due_of(&l, idx[i]);
        if (d < 0)
            rc = err_set_field(err, ERR_INVALID, "months", "请先核定%s %d 年的党费基数", v.p.name,
                               idx[i] / 12);
        due += d;
    }
    if (!rc && in->amount_fen < due)
        rc = err_set_field(err, ERR_INVALID, "amount_fen",
                           "交纳金额 %lld.%02lld 元少于应交的 %lld.%02lld 元",
                           (long long)(in->amount_fen / 100), (long long)(in->amount_fen % 100),
                           (long long)(due / 100), (long long)(due % 100));
    if (rc) goto out;
    char at[32], today[11];
    auth_now_iso(at);
    clock_today(today, 0);
    struct pay_write w = {arena_zalloc(a, in->nmonths * sizeof *w.rows), in->nmonths};
    int64_t each = in->amount_fen / (int64_t)in->nmonths;
    for (size_t i = 0; i < in->nmonths; i++) {
        char *m = arena_alloc(a, 8);
        month_text(idx[i], m);
        w.rows[i] = (struct dues_payment_row){
            .person_id = in->person_id,
            .amount_fen = each + (i == 0 ? in->amount_fen % (int64_t)in->nmonths : 0),
            .month = m,
            .method = in->method,
            .paid_on = in->paid_on ? in->paid_on : today,
            .unit = unit,
            .payment = at,
            .created_by = actor->name,
            .created_at = at};
    }
    struct audit_entry ae = {
        .user = actor->name,
        .action = "dues.pay",
        .entity = arena_printf(a, "person:%lld", (long long)in->person_id),
        .unit = unit,
        .after = arena_printf(a, "{\"months\":%zu,\"amount_fen\":%lld,\"method\":\"%s\"}",
                              in->nmonths, (long long)in->amount_fen, in->method),
        .client = client};
    db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = pay_write(db, &w, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
out:
    arena_free(a);
    return rc;
}

/* ---- lists over a subtree ---- */

struct members {
    struct arena *a;
    struct dues_public *rows; /* person, name, unit */
    size_t n, cap;
};

static int keep_member(void *ctx, const struct person_row *p, const char *at_unit,
                       const char *at_stage)
{
    (void)at_stage;
    struct members *x = ctx;
    x->rows = arena_grow(x->a, x->rows, sizeof *x->rows, x->n, x->n + 1, &x->cap);
    x->rows[x->n++] = (struct dues_public){.person_id = p->id,
                                           .name = arena_strdup(x->a, p->name),
                                           .unit = arena_strdup(x->a, at_unit)};
    return 0;
}

static int members_of(struct app *app, const struct auth_user *reader, const char *scope,
                      const char *day, struct members *x, struct err *err)
{
    struct person_query q = {.unit = scope,
                             .membership = app->points->member_kind,
                             .date = day,
                             .limit = PEOPLE_LIST_MAX};
    for (;;) {
        const char *next = NULL;
        int rc = people_persons_list(app, reader, &q, x->a, keep_member, x, &next, err);
        if (rc) return rc;
        if (!next) return ERR_OK;
        q.after = next;
    }
}

static int cmp_arrear(const void *a, const void *b)
{
    const struct dues_arrear *x = a, *y = b;
    if (x->unpaid_run != y->unpaid_run) return y->unpaid_run - x->unpaid_run;
    int c = strcmp(x->unit, y->unit);
    return c ? c : (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

int dues_arrears(struct app *app, const struct auth_user *reader, const char *scope,
                 const char *month, struct arena *a, struct dues_arrear **out, size_t *n,
                 struct err *err)
{
    int now = month ? month_index(month) : this_month();
    if (now < 0) return err_set_field(err, ERR_INVALID, "month", "month 须为月份，如 2026-03");
    char today[11];
    clock_today(today, 0);
    struct members x = {.a = a};
    int rc = members_of(app, reader, scope, today, &x, err);
    if (rc) return rc;
    *out = arena_zalloc(a, (x.n ? x.n : 1) * sizeof **out);
    *n = 0;
    struct db *db = store_acquire(app->store);
    for (size_t i = 0; i < x.n && !rc; i++) {
        struct ledger l = {.a = a};
        rc = ledger_read(app, db, x.rows[i].person_id, now - 12 * (YEAR_SPAN + 1), now, &l, err);
        int start = rc ? -1 : first_due(&l);
        if (start < 0) continue;
        struct dues_arrear r = {
            x.rows[i].person_id, x.rows[i].name, x.rows[i].unit, 0, 0, 0, false};
        arrears_of(app, &l, start, now, &r.unpaid_run, &r.unpaid_total, &r.owed_fen, &r.flagged);
        if (r.unpaid_total) (*out)[(*n)++] = r;
    }
    store_release(app->store, db);
    if (rc) return rc;
    if (*n > 1) qsort(*out, *n, sizeof **out, cmp_arrear);
    return ERR_OK;
}

static int cmp_public(const void *a, const void *b)
{
    const struct dues_public *x = a, *y = b;
    int c = strcmp(x->unit, y->unit);
    return c ? c : strcmp(x->name, y->name);
}

int dues_publication(struct app *app, const struct auth_user *reader, const char *scope, int year,
                     struct arena *a, struct dues_public **out, size_t *n, struct err *err)
{
    int now = this_month();
    if (year < now / 12 - YEAR_SPAN || year > now / 12)
        return err_set_field(err, ERR_INVALID, "year", "年份须在 %d 到 %d 之间",
                             now / 12 - YEAR_SPAN, now / 12);
    char day[11];
    if (year < now / 12)
        snprintf(day, sizeof day, "%04u-12-31", (unsigned)year % 10000u);
    else
        clock_today(day, 0);
    struct members x = {.a = a};
    int rc = members_of(app, reader, scope, day, &x, err);
    struct db *db = store_acquire(app->store);
    for (size_t i = 0; i < x.n && !rc; i++) {
        struct ledger l = {.a = a};
        if ((rc = ledger_read(app, db, x.rows[i].person_id, year * 12, year * 12 + 12, &l, err)))
            break;
        for (int m = 0; m < 12; m++)
            if (l.paid[m]) {
                x.rows[i].months[m] = 1;
                x.rows[i].nmonths++;
                x.rows[i].amount_fen += l.paid[m];
            }
    }
    store_release(app->store, db);
    if (rc) return rc;
    if (x.n > 1) qsort(x.rows, x.n, sizeof *x.rows, cmp_public);
    *out = x.rows;
    *n = x.n;
    return ERR_OK;
}
