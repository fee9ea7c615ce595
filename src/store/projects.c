/* projects.c — key projects: register, plans, monthly reports, milestones
 * (store_projects.h). Year-to-date figures are sums read with the row. */
#include "store/store_projects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROJECT_COLS                                                                               \
    "p.id, p.unit, p.name, p.scale, p.nature, coalesce(p.leader_id, 0) AS leader_id, "             \
    "coalesce((SELECT x.name FROM persons x WHERE x.id = p.leader_id), '') AS leader_name, "       \
    "p.owner_unit, p.total_cents, p.starts_on, p.ends_on, p.created_by, p.created_at, "            \
    "coalesce((SELECT y.plan_cents FROM project_plans y WHERE y.project_id = p.id AND y.year = "   \
    "$2), 0) AS plan_cents, "                                                                      \
    "coalesce((SELECT sum(r.invested_cents) FROM project_reports r WHERE r.project_id = p.id "     \
    "AND r.month >= $3 AND r.month <= $4), 0) AS ytd_cents, "                                      \
    "coalesce((SELECT sum(r.invested_cents) FROM project_reports r WHERE r.project_id = p.id "     \
    "AND r.month <= $4), 0) AS done_cents, "                                                       \
    "coalesce((SELECT r.invested_cents FROM project_reports r WHERE r.project_id = p.id "          \
    "AND r.month = $4), 0) AS month_cents"

static const char sql_project_insert[] =
    "INSERT INTO projects (unit, name, scale, nature, leader_id, owner_unit, total_cents, "
    "starts_on, ends_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
    "$11) RETURNING id";
static const char sql_project_get[] = "SELECT " PROJECT_COLS " FROM projects p WHERE p.id = $1";
static const char sql_projects_list[] =
    "SELECT " PROJECT_COLS
    " FROM projects p WHERE " DB_SUBTREE("p.unit", 1) " ORDER BY p.unit, p.id";
static const char sql_plan_put[] =
    "INSERT INTO project_plans (project_id, year, plan_cents) VALUES ($1, $2, $3) "
    "ON CONFLICT (project_id, year) DO UPDATE SET plan_cents = excluded.plan_cents";
static const char sql_report_put[] =
    "INSERT INTO project_reports (project_id, month, invested_cents, progress, created_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id, month) DO UPDATE SET "
    "invested_cents = excluded.invested_cents, progress = excluded.progress, "
    "created_by = excluded.created_by, created_at = excluded.created_at";
static const char sql_reported[] =
    "SELECT coalesce(sum(invested_cents), 0) AS n FROM project_reports WHERE project_id = $1 "
    "AND month <> $2";
static const char sql_reports[] =
    "SELECT project_id, month, invested_cents, progress, created_by, created_at "
    "FROM project_reports WHERE project_id = $1 ORDER BY month";
#define MILESTONE_COLS                                                                             \
    "m.id, m.project_id, coalesce(m.case_id, 0) AS case_id, m.name, m.planned_on, "                \
    "coalesce(m.done_on, '') AS done_on, p.name AS project_name, p.unit, p.owner_unit"
static const char sql_milestone_insert[] =
    "INSERT INTO project_milestones (project_id, name, planned_on, done_on) "
    "VALUES ($1, $2, $3, $4) RETURNING id";
static const char sql_milestone_get[] = "SELECT " MILESTONE_COLS " FROM project_milestones m "
                                        "JOIN projects p ON p.id = m.project_id WHERE m.id = $1";
static const char sql_milestone_done[] = "UPDATE project_milestones SET done_on = $2 WHERE id = $1";
static const char sql_milestones[] =
    "SELECT " MILESTONE_COLS " FROM project_milestones m JOIN projects p ON p.id = m.project_id "
    "WHERE m.project_id = $1 ORDER BY m.planned_on, m.id";
static const char sql_milestones_late[] =
    "SELECT " MILESTONE_COLS " FROM project_milestones m JOIN projects p ON p.id = m.project_id "
    "WHERE m.done_on IS NULL AND m.case_id IS NULL AND m.planned_on < $2 AND " DB_SUBTREE(
        "p.unit", 1) " ORDER BY m.planned_on, m.id";
static const char sql_milestone_link[] =
    "UPDATE project_milestones SET case_id = $2 WHERE id = $1 AND case_id IS NULL";
static const char sql_plan_sums[] =
    "SELECT p.unit, sum(y.plan_cents) AS n FROM project_plans y JOIN projects p ON "
    "p.id = y.project_id WHERE y.year >= $1 AND y.year < $2 GROUP BY p.unit";
static const char sql_done_sums[] =
    "SELECT p.unit, sum(r.invested_cents) AS n FROM project_reports r JOIN projects p ON "
    "p.id = r.project_id WHERE r.month >= $1 AND r.month < $2 GROUP BY p.unit";

static struct project_row read_project(struct db_stmt *st, struct arena *a)
{
    return (struct project_row){.id = db_int(st, "id"),
                                .unit = db_dup(st, a, "unit"),
                                .name = db_dup(st, a, "name"),
                                .scale = db_dup(st, a, "scale"),
                                .nature = db_dup(st, a, "nature"),
                                .leader_id = db_int(st, "leader_id"),
                                .leader_name = db_dup(st, a, "leader_name"),
                                .owner_unit = db_dup(st, a, "owner_unit"),
                                .total_cents = db_int(st, "total_cents"),
                                .starts_on = db_dup(st, a, "starts_on"),
                                .ends_on = db_dup(st, a, "ends_on"),
                                .created_by = db_dup(st, a, "created_by"),
                                .created_at = db_dup(st, a, "created_at"),
                                .plan_cents = db_int(st, "plan_cents"),
                                .ytd_cents = db_int(st, "ytd_cents"),
                                .done_cents = db_int(st, "done_cents"),
                                .month_cents = db_int(st, "month_cents")};
}

static struct project_milestone_row read_milestone(struct db_stmt *st, struct arena *a)
{
    return (struct project_milestone_row){.id = db_int(st, "id"),
                                          .project_id = db_int(st, "project_id"),
                                          .case_id = db_int(st, "case_id"),
                                          .name = db_dup(st, a, "name"),
                                          .planned_on = db_dup(st, a, "planned_on"),
                                          .done_on = db_dup(st, a, "done_on"),
                                          .project_name = db_dup(st, a, "project_name"),
                                          .unit = db_dup(st, a, "unit"),
                                          .owner_unit = db_dup(st, a, "owner_unit")};
}

/* $2 year, $3 "YYYY-01", $4 "YYYY-MM" of month. */
static void bind_month(struct db_stmt *st, const char *month)
{
    char first[8];
    snprintf(first, sizeof first, "%.4s-01", month);
    db_bind_int(st, 2, strtol(month, NULL, 10));
    db_bind_str(st, 3, first);
    db_bind_str(st, 4, month);
}

int store_project_insert(struct db *db, struct project_row *p, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_project_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, p->unit);
    db_bind_str(st, 2, p->name);
    db_bind_str(st, 3, p->scale);
    db_bind_str(st, 4, p->nature);
    db_bind_opt_int(st, 5, p->leader_id);
    db_bind_str(st, 6, p->owner_unit);
    db_bind_int(st, 7, p->total_cents);
    db_bind_str(st, 8, p->starts_on);
    db_bind_str(st, 9, p->ends_on);
    db_bind_str(st, 10, p->created_by);
    db_bind_str(st, 11, p->created_at);
    return db_run_returning(st, &p->id, NULL, err);
}

int store_project_get(struct db *db, struct arena *a, int64_t id, const char *month,
                      struct project_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_project_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    bind_month(st, month);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_project(st, a);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的重点项目", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_projects_list(struct db *db, struct arena *a, const char *scope, const char *month,
                        int (*fn)(void *ctx, const struct project_row *p), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_projects_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    bind_month(st, month);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct project_row p = read_project(st, a);
        if ((rc = fn(ctx, &p)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_project_plan_put(struct db *db, int64_t id, int year, int64_t cents, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_plan_put, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, year);
    db_bind_int(st, 3, cents);
    return db_run(st, err);
}

int store_project_report_put(struct db *db, const struct project_report_row *r, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_report_put, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, r->project_id);
    db_bind_str(st, 2, r->month);
    db_bind_int(st, 3, r->invested_cents);
    db_bind_str(st, 4, r->progress);
    db_bind_str(st, 5, r->created_by);
    db_bind_str(st, 6, r->created_at);
    return db_run(st, err);
}

int store_project_reported(struct db *db, int64_t id, const char *except, int64_t *cents,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_reported, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, except);
    return db_run_returning(st, cents, NULL, err);
}

int store_project_reports(struct db *db, struct arena *a, int64_t id,
                          int (*fn)(void *ctx, const struct project_report_row *r), void *ctx,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_reports, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct project_report_row r = {.project_id = db_int(st, "project_id"),
                                       .month = db_dup(st, a, "month"),
                                       .invested_cents = db_int(st, "invested_cents"),
                                       .progress = db_dup(st, a, "progress"),
                                       .created_by = db_dup(st, a, "created_by"),
                                       .created_at = db_dup(st, a, "created_at")};
        if ((rc = fn(ctx, &r)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_milestone_insert(struct db *db, struct project_milestone_row *m, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_milestone_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, m->project_id);
    db_bind_str(st, 2, m->name);
    db_bind_str(st, 3, m->planned_on);
    db_bind_opt(st, 4, m->done_on);
    return db_run_returning(st, &m->id, NULL, err);
}

int store_milestone_get(struct db *db, struct arena *a, int64_t id,
                        struct project_milestone_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_milestone_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_milestone(st, a);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的项目节点", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_milestone_done(struct db *db, int64_t id, const char *day, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_milestone_done, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, day);
    return db_run(st, err);
}

static int milestones_each(struct db_stmt *st, struct arena *a,
                           int (*fn)(void *ctx, const struct project_milestone_row *m), void *ctx,
                           struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct project_milestone_row m = read_milestone(st, a);
        if ((rc = fn(ctx, &m)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_milestones(struct db *db, struct arena *a, int64_t project_id,
                     int (*fn)(void *ctx, const struct project_milestone_row *m), void *ctx,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_milestones, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, project_id);
    return milestones_each(st, a, fn, ctx, err);
}

int store_milestones_late(struct db *db, struct arena *a, const char *scope, const char *before,
                          int (*fn)(void *ctx, const struct project_milestone_row *m), void *ctx,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_milestones_late, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, before);
    return milestones_each(st, a, fn, ctx, err);
}

int store_milestone_link_case(struct db *db, int64_t id, int64_t case_id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_milestone_link, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, case_id);
    if ((rc = db_run(st, err))) return rc;
    if (db_changes(db) != 1)
        return err_set(err, ERR_CONFLICT, "该项目节点已经生成过问题清单，不再重复生成");
    return ERR_OK;
}

static int unit_sums(struct db_stmt *st,
                     int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                     struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, db_col(st, "unit"), &len);
        if ((rc = fn(ctx, unit, len, (double)db_int(st, "n") / 100.0)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_projects_plan_sums(struct db *db, int from_year, int to_year,
                             int (*fn)(void *ctx, const char *unit, size_t len, double n),
                             void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_plan_sums, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, from_year);
    db_bind_int(st, 2, to_year);
    return unit_sums(st, fn, ctx, err);
}

int store_projects_done_sums(struct db *db, const char *from_month, const char *to_month,
                             int (*fn)(void *ctx, const char *unit, size_t len, double n),
                             void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_done_sums, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, from_month);
    db_bind_str(st, 2, to_month);
    return unit_sums(st, fn, ctx, err);
}
