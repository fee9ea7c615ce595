/* points.c — 党员积分 on the case engine: claims, the kind's guard and
 * effect, lists, a member's year, rankings and the computed element's
 * sums (points.h). */
#include "app/points.h"
#include "app/kinds.h"
#include "app/people.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/scheme.h"
#include "core/tree.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POINTS_KIND "points"

/* ---- periods ---- */

/* The decimal number of the n digits at s (callers have checked them). */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool day_ok(const char *d)
{
    return d && strlen(d) == 10 && person_date_ok(d);
}

/* [from, to) of the period (enum points_period) holding day. */
static void period_of(int period, const char *day, char from[11], char to[11])
{
    unsigned y = (unsigned)digits(day, 4) % 9999u, m = (unsigned)digits(day + 5, 2) % 13u;
    if (period == POINTS_YEAR) {
        snprintf(from, 11, "%04u-01-01", y);
        snprintf(to, 11, "%04u-01-01", y + 1);
    } else {
        snprintf(from, 11, "%04u-%02u-01", y, m);
        snprintf(to, 11, "%04u-%02u-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    }
}

static void year_range(int year, int month, char from[11], char to[11])
{
    char day[16];
    snprintf(day, sizeof day, "%04d-%02d-01", year, month ? month : 1);
    period_of(month ? POINTS_MONTH : POINTS_YEAR, day, from, to);
}

int points_person_mine(struct app *app, const struct auth_user *reader, int64_t *person,
                       struct err *err)
{
    struct arena *a = arena_new();
    struct person_view v;
    int rc = people_person_mine(app, reader, a, &v, err);
    if (!rc) *person = v.p.id;
    arena_free(a);
    if (rc == ERR_NOT_FOUND)
        return err_set(err, ERR_INVALID, "您的账号还没有关联人员档案，请联系党组织管理员");
    return rc;
}

/* The person's party membership holding on day (member stages), or NULL. */
static const struct membership_row *member_on(const struct app *app, const struct person_view *v,
                                              const char *day)
{
    const struct people_kind *k = people_kind(app, app->points->member_kind);
    char stage[64];
    for (size_t i = v->nms; i-- > 0;) {
        const struct membership_row *m = &v->ms[i];
        if (strcmp(m->kind, k->code) != 0) continue;
        snprintf(stage, sizeof stage, ",%s,", m->stage);
        if (!strstr(k->member_stages, stage)) continue;
        if (strcmp(m->from_date, day) <= 0 && (!m->to_date[0] || strcmp(m->to_date, day) > 0))
            return m;
    }
    return NULL;
}

/* ---- caps ---- */

int points_within_caps(struct app *app, struct db *db, const struct points_rule *r, int64_t person,
                       const char *day, bool pending_too, int64_t skip, struct err *err)
{
    char from[11], to[11];
    long rule_abs, bonus;
    period_of(r->period, day, from, to);
    int rc =
        store_points_sums(db, person, r->code, from, to, pending_too, skip, &rule_abs, &bonus, err);
    if (rc) return rc;
    int n = abs(r->points);
    if (rule_abs + n > r->cap)
        return err_set_field(err, ERR_INVALID, "rule", "“%s”每%s最多计 %d 分，本%s已计 %ld 分",
                             r->name, r->period == POINTS_MONTH ? "月" : "年", r->cap,
                             r->period == POINTS_MONTH ? "月" : "年", rule_abs);
    if (r->points < 0) return ERR_OK;
    const struct points_defs *p = app->points;
    for (size_t i = 0; i < p->ncaps; i++) {
        period_of(p->caps[i].period, day, from, to);
        if ((rc = store_points_sums(db, person, r->code, from, to, pending_too, skip, &rule_abs,
                                    &bonus, err)))
            return rc;
        if (bonus + r->points > p->caps[i].bonus)
            return err_set_field(err, ERR_INVALID, "rule", "%s，本%s已加 %ld 分",
                                 p->caps[i].message,
                                 p->caps[i].period == POINTS_MONTH ? "月" : "年", bonus);
    }
    return ERR_OK;
}

/* ---- the kind's guard and effect ---- */

int points_guard_rule(struct case_ctx *x, struct err *err)
{
    const struct case_points *e = &x->f->points;
    const struct points_rule *r = points_rule(x->app, e->rule);
    if (!r) return err_set(err, ERR_INVALID, "积分规则 %s 已不存在，请驳回此申报", e->rule);
    const char *need[] = {r->approver, NULL};
    if (!wf_holds(x->actor->perms, need))
        return err_set(err, ERR_FORBIDDEN, "“%s”须由有“%s”权限的人审核", r->name, r->approver);
    struct db *db = store_acquire(x->app->store);
    int rc = points_within_caps(x->app, db, r, e->person_id, e->day, false, e->id, err);
    store_release(x->app->store, db);
    return rc;
}

int points_effect_count(struct case_ctx *x, struct err *err)
{
    (void)err;
    x->f->points.counted = true;
    return ERR_OK;
}

/* ---- claims ---- */

static int check_claim(struct app *app, const struct points_claim *in, const struct points_rule *r,
                       const char *today, struct err *err)
{
    if (!r) return err_set_field(err, ERR_INVALID, "rule", "没有这项积分规则，请从规则列表中选择");
    if (strcmp(r->source, "claim") != 0)
        return err_set_field(err, ERR_INVALID, "rule", "“%s”由%s自动记分，不能申报", r->name,
                             strcmp(r->source, "event") == 0 ? "活动签到" : "民主评议结果");
    if (in->by_member && !r->by_member)
        return err_set_field(err, ERR_FORBIDDEN, "rule", "“%s”由党支部记录，党员不能自己申报",
                             r->name);
    if (!in->by_member && !r->by_branch)
        return err_set_field(err, ERR_INVALID, "rule", "“%s”须由党员本人申报", r->name);
    int rc;
    if ((rc = app_check_text(in->note, "note", CASE_NOTE_MAX, false, err)) ||
        (rc = app_check_text(in->evidence, "evidence", CASE_NOTE_MAX, false, err)) ||
        (rc = files_check_refs(in->files, in->nfiles, err)))
        return rc;
    if (r->evidence && !(in->evidence && in->evidence[0]) && !in->nfiles)
        return err_set_field(err, ERR_INVALID, "evidence", "“%s”须附佐证材料（文字说明或文件）",
                             r->name);
    if (!day_ok(in->day))
        return err_set_field(err, ERR_INVALID, "day", "day 须为日期，如 2026-06-30");
    if (strcmp(in->day, today) > 0)
        return err_set_field(err, ERR_INVALID, "day", "不能申报今天以后的积分");
    if (digits(in->day, 4) < digits(today, 4) - 1)
        return err_set_field(err, ERR_INVALID, "day", "只能申报今年和上一年的积分");
    (void)app;
    return ERR_OK;
}

int points_claim(struct app *app, const struct auth_user *actor, const struct points_claim *in,
                 const char *client, struct arena *a, int64_t *case_id, struct err *err)
{
    char today[11];
    clock_today(today, 0);
    struct points_claim c = *in;
    if (!c.day || !c.day[0]) c.day = today;
    const struct points_rule *r = points_rule(app, c.rule);
    int rc = check_claim(app, &c, r, today, err);
    if (rc) return rc;
    struct person_view v;
    if ((rc = people_person_get(app, actor, c.person_id, a, &v, err))) return rc;
    const struct membership_row *m = member_on(app, &v, c.day);
    if (!m)
        return err_set_field(err, ERR_INVALID, "person",
                             "%s在 %s 不是党员（预备或正式），不能记积分", v.p.name, c.day);
    struct db *db = store_acquire(app->store);
    rc = points_within_caps(app, db, r, c.person_id, c.day, true, 0, err);
    store_release(app->store, db);
    if (rc) return rc;
    const struct wf_kind *k = kinds_find(app, POINTS_KIND);
    if (!k || k->subject != CASE_POINTS)
        return err_set(err, ERR_INTERNAL, "kind %s of subject points is missing", POINTS_KIND);
    char at[32];
    auth_now_iso(at);
    struct case_full *f = arena_zalloc(a, sizeof *f);
    f->kind = k;
    f->c =
        (struct case_row){.kind = k->code,
                          .title = arena_printf(a, "%s：%s %+d 分", v.p.name, r->name, r->points),
                          .description = c.note ? c.note : "",
                          .unit = m->unit,
                          .owner_unit = m->unit,
                          .category = r->code,
                          .state = k->states[k->initial].code,
                          .created_by = actor->name,
                          .created_at = arena_strdup(a, at),
                          .updated_at = arena_strdup(a, at),
                          .priority = 2};
    f->points = (struct case_points){.person_id = c.person_id,
                                     .unit = m->unit,
                                     .rule = r->code,
                                     .day = c.day,
                                     .source = "claim",
                                     .source_ref = "",
                                     .points = r->points};
    struct case_change ch = {.f = f,
                             .insert = true,
                             .files = c.files,
                             .nfiles = c.nfiles,
                             .ev = {.at = f->c.created_at,
                                    .actor = actor->name,
                                    .kind = "create",
                                    .to_state = f->c.state,
                                    .note = c.note,
                                    .evidence = c.evidence}};
    if ((rc = cases_save(app, &ch, client, a, err))) return rc;
    *case_id = f->c.id;
    return ERR_OK;
}

int points_step(struct app *app, const struct auth_user *actor, int64_t id, const char *transition,
                const char *note, const char *client, struct arena *a, struct err *err)
{
    struct case_full f;
    int rc = cases_load(app, a, id, &f, err);
    if (rc) return rc;
    if (f.kind->subject != CASE_POINTS)
        return err_set(err, ERR_INVALID, "事项 %lld 不是积分申报", (long long)id);
    struct case_step step = {.note = note};
    return cases_step(app, actor, id, transition, &step, client, a, NULL, err);
}

int points_list(struct app *app, const struct points_query *q,
                int (*fn)(void *ctx, const struct point_row *r), void *ctx, struct err *err)
{
    char from[11], to[11];
    year_range(q->year, q->month, from, to);
    struct point_filter f = {.person_id = q->person_id,
                             .scope = q->scope,
                             .from = from,
                             .to = to,
                             .open = q->open,
                             .before_id = q->before_id,
                             .limit = q->limit};
    struct db *db = store_acquire(app->store);
    int rc = store_points_list(db, &f, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}

/* ---- scores and bands ---- */

/* The band of a yearly score, by the person scheme. */
static const struct points_band *band_of(const struct app *app, long score)
{
    const struct scheme *s = app->points->scheme;
    struct fvalue values[SCHEME_ELEMENTS_MAX];
    for (int i = 0; i < s->nelements; i++)
        values[i] = (struct fvalue){(double)score, false};
    struct scheme_inputs in = {.values = values};
    struct scheme_rating rating;
    struct err ignored;
    if (scheme_rate(s, &in, &rating, &ignored)) return NULL;
    return points_band(app, rating.level);
}

static int add_month(void *ctx, const struct point_row *r)
{
    struct points_summary *s = ctx;
    if (!r->e.counted) return 0;
    int m = digits(r->e.day + 5, 2);
    if (m >= 1 && m <= 12) s->months[m - 1] += r->e.points;
    s->earned += r->e.points;
    return 0;
}

int points_summary(struct app *app, int64_t person, int year, struct points_summary *out,
                   struct err *err)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    out->base = app->points->year_base;
    struct points_query q = {.person_id = person, .scope = "", .year = year, .limit = 100000};
    int rc = points_list(app, &q, add_month, out, err);
    if (rc) return rc;
    out->score = out->base + out->earned;
    out->band = band_of(app, out->score);
    return ERR_OK;
}

/* ---- rankings ---- */

struct members {
    struct arena *a;
    struct points_rank *rows;
    size_t n, cap;
};

static int keep_member(void *ctx, const struct person_row *p, const char *at_unit,
                       const char *at_stage)
{
    (void)at_stage;
    struct members *x = ctx;
    for (size_t i = x->n; i-- > 0 && i + 8 >= x->n;) /* a person listed twice in a row */
        if (x->rows[i].person_id == p->id) return 0;
    x->rows = arena_grow(x->a, x->rows, sizeof *x->rows, x->n, x->n + 1, &x->cap);
    x->rows[x->n++] = (struct points_rank){.person_id = p->id,
                                           .name = arena_strdup(x->a, p->name),
                                           .unit = arena_strdup(x->a, at_unit)};
    return 0;
}

/* The party members of a subtree on day, every page. */
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

struct totals {
    struct points_rank *rows;
    size_t n;
};

static int cmp_person(const void *a, const void *b)
{
    int64_t x = ((const struct points_rank *)a)->person_id,
            y = ((const struct points_rank *)b)->person_id;
    return (x > y) - (x < y);
}

static int add_total(void *ctx, int64_t person, long total)
{
    struct totals *t = ctx;
    struct points_rank key = {.person_id = person};
    struct points_rank *r = t->n ? bsearch(&key, t->rows, t->n, sizeof *t->rows, cmp_person) : NULL;
    if (r) r->earned = total;
    return 0;
}

static int cmp_score(const void *a, const void *b)
{
    const struct points_rank *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    int c = strcmp(x->unit, y->unit);
    return c ? c : cmp_person(a, b);
}

/* The day membership is read on: the period's last day, or today if sooner. */
static void member_day(int year, int month, char out[11])
{
    char from[11], to[11], today[11];
    int32_t d = 0;
    year_range(year, month, from, to);
    tree_day_parse(to, &d);
    tree_day_format(d - 1, out);
    clock_today(today, 0);
    if (strcmp(today, out) < 0 && strcmp(today, from) >= 0) memcpy(out, today, 11);
}

int points_ranking(struct app *app, const struct auth_user *reader, const char *scope, int year,
                   int month, struct arena *a, struct points_rank **out, size_t *n, struct err *err)
{
    char day[11], from[11], to[11];
    member_day(year, month, day);
    year_range(year, month, from, to);
    struct members x = {.a = a};
    int rc = members_of(app, reader, scope, day, &x, err);
    if (rc) return rc;
    if (x.n > 1) qsort(x.rows, x.n, sizeof *x.rows, cmp_person);
    struct totals t = {x.rows, x.n};
    struct db *db = store_acquire(app->store);
    rc = store_points_totals(db, scope, from, to, add_total, &t, err);
    store_release(app->store, db);
    if (rc) return rc;
    for (size_t i = 0; i < x.n; i++) {
        struct points_rank *r = &x.rows[i];
        r->score = month ? r->earned : app->points->year_base + r->earned;
        r->band = month ? NULL : band_of(app, r->score);
    }
    if (x.n > 1) qsort(x.rows, x.n, sizeof *x.rows, cmp_score);
    for (size_t i = 0; i < x.n; i++)
        x.rows[i].rank =
            i && x.rows[i].score == x.rows[i - 1].score ? x.rows[i - 1].rank : (int)i + 1;
    *out = x.rows;
    *n = x.n;
    return ERR_OK;
}

int points_computed_sums(struct app *app, const char *from, const char *to,
                         int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                         struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_points_unit_sums(db, from, to, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
