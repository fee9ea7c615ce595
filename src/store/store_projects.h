/*
 * store_projects.h — key projects (重点项目) in the store (projects.c):
 * the register, yearly plans, monthly reports and milestones. Part of the
 * store's interface (store.h), kept in a file of its own. Money is in
 * 万元 × 100 ("cents"), exact on both databases.
 */
#ifndef JICENG_STORE_PROJECTS_H
#define JICENG_STORE_PROJECTS_H

#include "store/store.h"

struct project_row {
    int64_t id;
    const char *unit, *name, *scale, *nature, *owner_unit, *starts_on, *ends_on;
    int64_t leader_id;       /* 0: none */
    const char *leader_name; /* read only */
    int64_t total_cents;
    const char *created_by, *created_at;
    /* read only, for the year asked (store_projects_list, store_project_get) */
    int64_t plan_cents;  /* the year's plan, 0 when none */
    int64_t ytd_cents;   /* reported in the year up to and including the month asked */
    int64_t done_cents;  /* reported since the start, up to and including that month */
    int64_t month_cents; /* reported for the month asked */
};

struct project_report_row {
    int64_t project_id;
    const char *month, *progress, *created_by, *created_at;
    int64_t invested_cents;
};

struct project_milestone_row {
    int64_t id, project_id, case_id;              /* case_id 0: none opened */
    const char *name, *planned_on, *done_on;      /* done_on "": not yet */
    const char *project_name, *unit, *owner_unit; /* read only */
};

int store_project_insert(struct db *db, struct project_row *p, struct err *err);
/* The figures as of `month` ("YYYY-MM"): plan of its year, year to date,
 * since the start, that month. ERR_NOT_FOUND when there is no such project. */
int store_project_get(struct db *db, struct arena *a, int64_t id, const char *month,
                      struct project_row *out, struct err *err);
/* Projects placed inside scope, by unit then id, with their figures as of month. */
int store_projects_list(struct db *db, struct arena *a, const char *scope, const char *month,
                        int (*fn)(void *ctx, const struct project_row *p), void *ctx,
                        struct err *err);
int store_project_plan_put(struct db *db, int64_t id, int year, int64_t cents, struct err *err);
/* Adds or replaces the report of r->month. */
int store_project_report_put(struct db *db, const struct project_report_row *r, struct err *err);
/* What was reported for every month but `except` ("" none). */
int store_project_reported(struct db *db, int64_t id, const char *except, int64_t *cents,
                           struct err *err);
int store_project_reports(struct db *db, struct arena *a, int64_t id,
                          int (*fn)(void *ctx, const struct project_report_row *r), void *ctx,
                          struct err *err);
int store_milestone_insert(struct db *db, struct project_milestone_row *m, struct err *err);
int store_milestone_get(struct db *db, struct arena *a, int64_t id,
                        struct project_milestone_row *out, struct err *err);
/* Records the day a milestone was reached. */
int store_milestone_done(struct db *db, int64_t id, const char *day, struct err *err);
/* A project's milestones by planned day. */
int store_milestones(struct db *db, struct arena *a, int64_t project_id,
                     int (*fn)(void *ctx, const struct project_milestone_row *m), void *ctx,
                     struct err *err);
/* Milestones of projects inside scope not reached, planned before `before`
 * and without a case yet (the late ones when before is today). */
int store_milestones_late(struct db *db, struct arena *a, const char *scope, const char *before,
                          int (*fn)(void *ctx, const struct project_milestone_row *m), void *ctx,
                          struct err *err);
/* Links a milestone to the case it opened; ERR_CONFLICT when it has one already. */
int store_milestone_link_case(struct db *db, int64_t id, int64_t case_id, struct err *err);
/* Per place unit: the plans of the years in [from_year, to_year), or the
 * reports of the months in [from_month, to_month), in 万元. */
int store_projects_plan_sums(struct db *db, int from_year, int to_year,
                             int (*fn)(void *ctx, const char *unit, size_t len, double n),
                             void *ctx, struct err *err);
int store_projects_done_sums(struct db *db, const char *from_month, const char *to_month,
                             int (*fn)(void *ctx, const char *unit, size_t len, double n),
                             void *ctx, struct err *err);

#endif
