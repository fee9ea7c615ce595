/*
 * projects.h — key projects (重点项目, issue 17 part 5): a register of the
 * county's key projects (place, scale, nature, the county leader in charge,
 * the responsible unit, total investment in 万元), a yearly plan, monthly
 * reports of what was invested, and milestones with planned and actual
 * dates (倒排工期).
 *
 * Nothing derived is typed in: year to date, % of the year's plan and % of
 * the total are computed from the monthly reports when read; a milestone's
 * alert (due soon / late) from its dates and data/projects.json. A late
 * milestone opens one problem case (kinds/problem.json) on the case engine,
 * linked both ways (the milestone keeps its case id; the case names the
 * project and milestone), never twice.
 *
 * Rules live in data/projects.json (projects_defs.c). The computed data
 * elements {"source":"projects","count":"plan"|"done"} (projects.invest.plan,
 * projects.invest.done, 万元) are a source of computed_sources.c.
 *
 * Scope: a project lies at its place unit; reading or writing it needs
 * that unit inside the actor's scope (else it does not exist for them).
 */
#ifndef JICENG_PROJECTS_H
#define JICENG_PROJECTS_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "base/arena.h"

#define PROJECTS_CHANGED "@projects"
#define PROJECT_MAX_WAN  10000000.0 /* 1,000 亿元: more is a typing error */

struct project_nature {
    const char *code, *name;
};
struct project_defs {
    struct json_t *root; /* owns the strings */
    struct project_nature *natures;
    size_t nnatures;
    int due_soon_days;
    const char *late_kind;
    int late_deadline_days;
};
int projects_defs_load(struct app *app, struct err *err);
void projects_defs_free(struct app *app);
const struct project_nature *projects_nature(const struct app *app, const char *code);

struct project_in {
    const char *unit, *name, *scale, *nature, *owner_unit, *starts_on, *ends_on;
    int64_t leader_id; /* a person; 0 none */
    double total_wan;
};
struct project_view {
    int64_t id;
    const char *unit, *unit_name, *name, *scale, *nature, *nature_name, *owner_unit,
        *owner_unit_name, *leader_name, *starts_on, *ends_on;
    int64_t leader_id;
    double total_wan, plan_wan, ytd_wan, done_wan, month_wan;
    double plan_pct, total_pct; /* of the year's plan, of the total; -1 when no plan */
    int late, due_soon;         /* milestones (filled by projects_get only) */
};
struct project_month {
    const char *month, *progress;
    double invested_wan, ytd_wan, done_wan, plan_pct, total_pct;
};
struct project_milestone {
    int64_t id, case_id;
    const char *name, *planned_on, *done_on;
    const char *alert; /* "done", "late", "due_soon", "" */
};
struct project_full {
    struct project_view p;
    struct project_month *months;
    size_t nmonths;
    struct project_milestone *milestones;
    size_t nmilestones;
};

/* The month being reported now (YYYY-MM, today's). */
void projects_this_month(char out[8]);

int projects_create(struct app *app, const struct auth_user *actor, const struct project_in *in,
                    const char *client, int64_t *id, struct err *err);
/* Sets the plan of a year (万元). */
int projects_plan_set(struct app *app, const struct auth_user *actor, int64_t id, int year,
                      double wan, const char *client, struct err *err);
/* Adds or replaces the report of a month (YYYY-MM) that has begun, within
 * the project's years, the total never exceeded. */
int projects_report(struct app *app, const struct auth_user *actor, int64_t id, const char *month,
                    double invested_wan, const char *progress, const char *client, struct err *err);
int projects_milestone_add(struct app *app, const struct auth_user *actor, int64_t id,
                           const char *name, const char *planned_on, const char *client,
                           int64_t *mid, struct err *err);
/* Records the day milestone mid was reached (not in the future). */
int projects_milestone_done(struct app *app, const struct auth_user *actor, int64_t id, int64_t mid,
                            const char *day, const char *client, struct err *err);
/* Opens a problem case for every late milestone inside scope that has none
 * yet; *opened counts them. */
int projects_open_late_cases(struct app *app, const struct auth_user *actor, const char *scope,
                             const char *client, int *opened, struct err *err);

/* The projects inside scope with their figures as of month; *total the sums. */
int projects_list(struct app *app, const char *scope, const char *month, struct arena *a,
                  struct project_view **out, size_t *n, struct project_view *total,
                  struct err *err);
/* One project the actor may see, with its months and milestones. */
int projects_get(struct app *app, const struct auth_user *actor, int64_t id, const char *month,
                 struct arena *a, struct project_full *out, struct err *err);

/* The register in from a sheet (XLSX or CSV, UTF-8 or GB18030) into scope,
 * all rows or none, one audit record (projects_import.c); the refused rows
 * go to errors (may be NULL); *rows counts the projects written. */
struct people_row_errors;
int projects_import(struct app *app, const struct auth_user *actor, const char *scope,
                    const char *data, size_t len, const char *name, const char *client,
                    struct people_row_errors *errors, size_t *rows, struct err *err);
/* The import's columns and an example row. */
extern const struct sheet_form projects_import_form;

/* Computed data elements (a source of computed_sources.h). */
int projects_computed_check(const struct app *app, const char *computed, struct err *err);
int projects_computed_counts(struct app *app, const char *computed, const char *start,
                             const char *next, const char *date, computed_add fn, void *ctx,
                             struct err *err);

#endif
