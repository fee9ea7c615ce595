/* grid_pairs.c — 万企兴万村 records: projects, jobs, purchases and
 * donations (万元) per enterprise ↔ village pair and year (grids.h), rolled
 * up as the computed elements wqxwc.*. Which duty's pairs keep records is
 * data (data/grids.json "records"). */
#include "app/audit.h"
#include "app/auth.h"
#include "app/grids.h"
#include "base/clock.h"
#include "store/store.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROJECTS_MAX 10000
#define JOBS_MAX     1000000
#define AMOUNT_MAX   1000000.0 /* 万元: a hundred billion yuan */
#define NOTES_MAX    500

static int check(const struct pair_record *r, long this_year, struct err *err)
{
    if (r->year < 2021 || r->year > this_year)
        return err_set_field(err, ERR_INVALID, "year",
                             "year 须为 2021（“万企兴万村”行动开始）到今年之间的年份");
    if (r->projects < 0 || r->projects > PROJECTS_MAX)
        return err_set_field(err, ERR_INVALID, "projects", "项目数须为 0 到 %d 的整数",
                             PROJECTS_MAX);
    if (r->jobs < 0 || r->jobs > JOBS_MAX)
        return err_set_field(err, ERR_INVALID, "jobs", "带动就业人数须为 0 到 %d 的整数", JOBS_MAX);
    if (!isfinite(r->purchases) || r->purchases < 0 || r->purchases > AMOUNT_MAX)
        return err_set_field(err, ERR_INVALID, "purchases", "采购金额（万元）须在 0 到 %.0f 之间",
                             AMOUNT_MAX);
    if (!isfinite(r->donations) || r->donations < 0 || r->donations > AMOUNT_MAX)
        return err_set_field(err, ERR_INVALID, "donations", "捐赠金额（万元）须在 0 到 %.0f 之间",
                             AMOUNT_MAX);
    return app_check_text(r->notes, "notes", NOTES_MAX, false, err);
}

int grids_pair_put(struct app *app, const struct auth_user *actor, const struct pair_record *r,
                   const char *client, struct err *err)
{
    const char *duty = app->grids->records_duty;
    if (!duty) return err_set(err, ERR_CONFLICT, "data/grids.json 没有记录项目、就业的联系职责");
    char today[11];
    clock_today(today, 0);
    int rc = check(r, strtol(today, NULL, 10), err);
    if (rc) return rc;
    char got[65] = "", unit[19] = "", at[32];
    bool ended = false;
    auth_now_iso(at);
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_contact_link_get(db, r->link_id, got, unit, &ended, err);
    if (!rc && !auth_in_scope(actor->scope, unit))
        rc = err_set(err, ERR_NOT_FOUND, "没有这个联系关系");
    if (!rc && strcmp(got, duty) != 0)
        rc = err_set_field(err, ERR_INVALID, "id", "只有%s的结对记录项目、就业、采购和捐赠",
                           grids_duty(app, duty)->name);
    struct store_pair_record s = {.link_id = r->link_id,
                                  .year = r->year,
                                  .projects = r->projects,
                                  .jobs = r->jobs,
                                  .purchases = r->purchases,
                                  .donations = r->donations,
                                  .unit = unit,
                                  .notes = r->notes ? r->notes : "",
                                  .by = actor->name,
                                  .at = at};
    if (!rc) rc = store_pair_record_put(db, &s, err);
    struct audit_entry ae = {
        .user = actor->name,
        .action = "grid.pair_record",
        .entity = arena_printf(a, "contact_link:%lld", (long long)r->link_id),
        .unit = unit,
        .after = arena_printf(a,
                              "{\"year\":%ld,\"projects\":%ld,\"jobs\":%ld,\"purchases\":%.4f,"
                              "\"donations\":%.4f}",
                              r->year, r->projects, r->jobs, r->purchases, r->donations),
        .client = client};
    if (!rc) rc = store_audit_append(db, &ae, err);
    rc = grids_write_end(app, db, rc, err);
    arena_free(a);
    (void)ended; /* a pair that has ended may still complete its last year */
    return rc;
}

struct each_pair {
    int (*fn)(void *ctx, const struct pair_record *r);
    void *ctx;
    long year;
};

static int pair_row(void *ctx, struct db_stmt *row)
{
    struct each_pair *x = ctx;
    struct pair_record r = {.link_id = db_int(row, "id"),
                            .person_id = db_int(row, "person_id"),
                            .year = x->year,
                            .projects = (long)db_int(row, "projects"),
                            .jobs = (long)db_int(row, "jobs"),
                            .purchases = db_double(row, "purchases"),
                            .donations = db_double(row, "donations"),
                            .person_name = db_text(row, "person_name"),
                            .unit = db_text(row, "unit"),
                            .partner = db_text(row, "partner"),
                            .notes = db_text(row, "notes"),
                            .updated_at = db_text(row, "updated_at")};
    return x->fn(x->ctx, &r);
}

int grids_pairs_each(struct app *app, const char *unit, long year,
                     int (*fn)(void *ctx, const struct pair_record *r), void *ctx, struct err *err)
{
    const char *duty = app->grids->records_duty;
    if (!duty) return ERR_OK;
    if (year < 2000 || year > 2100)
        return err_set_field(err, ERR_INVALID, "year", "year 须为四位年份");
    struct each_pair x = {fn, ctx, year};
    struct db *db = store_acquire(app->store);
    int rc = store_pairs_list(db, unit, duty, (int)year, pair_row, &x, err);
    store_release(app->store, db);
    return rc;
}

/* ---- computed data elements ---- */

static const char *const counts[] = {"projects", "jobs", "purchases", "donations", NULL};

#define COUNTS "projects（项目）、jobs（就业）、purchases（采购）或 donations（捐赠）"

int grids_pairs_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, counts, COUNTS, err) < 0 ? ERR_INVALID : ERR_OK;
}

struct totals {
    int which;
    computed_add fn;
    void *ctx;
};

static int emit(void *ctx, const char *unit, const double sums[4])
{
    struct totals *t = ctx;
    return t->fn(t->ctx, unit, strlen(unit), sums[t->which]);
}

int grids_pairs_computed_counts(struct app *app, const char *computed, const char *start,
                                const char *next, const char *date, computed_add fn, void *ctx,
                                struct err *err)
{
    (void)date;
    struct totals t = {computed_count(computed, counts, COUNTS, err), fn, ctx};
    if (t.which < 0) return ERR_INVALID;
    /* records are yearly: the years the period's days fall in */
    long first = strtol(start, NULL, 10), last = strtol(next, NULL, 10);
    if (strcmp(next + 4, "-01-01") == 0) last--;
    if (last < first) last = first;
    struct db *db = store_acquire(app->store);
    int rc = store_pair_totals(db, (int)first, (int)last, emit, &t, err);
    store_release(app->store, db);
    return rc;
}
