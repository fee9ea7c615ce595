/* projects_import.c — the key-project register (重点项目台账) in from a
 * sheet, XLSX or CSV (UTF-8 or GB18030), all or nothing (projects.h).
 *
 * Each row is one project, checked by the rules of one created by hand
 * (projects_check): the place and the responsible unit named by name (or
 * code) inside the import's unit, the nature by its name, the investment
 * positive and possible, the dates in order, the county leader a person
 * of the registry (by name, or by ID-card number when names repeat); a
 * year's plan (年度, 年度计划投资) by projects_plan_check. A project named
 * twice at one place, in the file or already registered, is refused.
 * Every refused row is listed; then all are written in one transaction
 * with one audit record. */
#include "app/audit.h"
#include "app/people_sheet_int.h"
#include "app/projects_int.h"
#include "core/tree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROJECT_ROWS_MAX 5000

enum {
    C_NAME,
    C_UNIT,
    C_SCALE,
    C_NATURE,
    C_LEADER,
    C_LEADER_ID,
    C_OWNER,
    C_TOTAL,
    C_STARTS,
    C_ENDS,
    C_YEAR,
    C_PLAN,
    C_COUNT
};
static const struct sheet_col cols[C_COUNT] = {
    {"name", "项目名称", NULL},
    {"unit", "建设地点", "项目所在地"},
    {"scale", "建设规模", NULL},
    {"nature", "项目性质", NULL},
    {"leader", "县级包联领导", "包联县级领导"},
    {"leader_id_number", "领导身份证号", NULL},
    {"owner_unit", "责任单位", NULL},
    {"total_wan", "总投资（万元）", "总投资"},
    {"starts_on", "开工日期", NULL},
    {"ends_on", "计划竣工日期", "竣工日期"},
    {"year", "年度", NULL},
    {"plan_wan", "年度计划投资（万元）", "年度计划投资"},
};

static const char *const example[C_COUNT] = {
    "城区污水管网改造", "舞阳县", "新建管网 12 公里", "民生",       "张三", "",
    "舞阳县住建局",     "3500",   "2026-03-01",       "2027-06-30", "2026", "1800"};

const struct sheet_form projects_import_form = {cols, example, C_COUNT};

struct prow {
    struct project_row p;
    int year;
    int64_t plan_cents;
    long line;
};

struct projects_import {
    struct sheet_run run; /* first: row() gets the import as its ctx */
    const char *at;
    struct prow *v;
    size_t n, cap;
};

/* A number written the whole cell through (thousands commas allowed), or NAN. */
static double number(struct arena *a, const char *s)
{
    if (!s) return NAN;
    char *t = arena_strdup(a, s), *w = t;
    for (const char *r = s; *r; r++)
        if (*r != ',') *w++ = *r;
    *w = 0;
    char *end;
    double x = strtod(t, &end);
    return end != t && *end == 0 ? x : NAN;
}

/* The column of an error of projects_check, by the API field it names. */
static int col_of(const char *field)
{
    for (int c = 0; c < C_COUNT; c++)
        if (strcmp(cols[c].api, field) == 0) return c;
    return C_NAME;
}

/* The nature by its name (as the register shows it) or its code. */
static const char *nature_of(const struct app *app, const char *s)
{
    const struct project_defs *d = app->projects;
    for (size_t i = 0; s && i < d->nnatures; i++)
        if (strcmp(d->natures[i].name, s) == 0) return d->natures[i].code;
    return s;
}

static const char *natures_text(struct projects_import *im)
{
    const struct project_defs *d = im->run.app->projects;
    const char *out = "";
    for (size_t i = 0; i < d->nnatures; i++)
        out = arena_printf(im->run.a, "%s%s%s", out, i ? "、" : "", d->natures[i].name);
    return out;
}

/* The units, leader and numbers of a row into in; a refused cell's column in *c. */
static int read_cells(struct projects_import *im, const struct table_cell *cells, int n,
                      struct project_in *in, int *c)
{
    struct sheet *s = &im->run.s;
    struct err *err = im->run.err;
    const char *unit = sheet_cell(s, cells, n, C_UNIT), *owner = sheet_cell(s, cells, n, C_OWNER);
    int rc = ERR_OK;
    *c = C_UNIT;
    if (!unit) return err_set(err, ERR_INVALID, "请填写项目的建设地点（单位名称）");
    if ((rc = sheet_unit(im->run.a, im->run.t, im->run.scope, unit, &in->unit, err))) return rc;
    *c = C_OWNER;
    if (!owner) return err_set(err, ERR_INVALID, "请填写责任单位的名称");
    if ((rc = sheet_unit(im->run.a, im->run.t, im->run.scope, owner, &in->owner_unit, err)))
        return rc;
    *c = C_TOTAL;
    in->total_wan = number(im->run.a, sheet_cell(s, cells, n, C_TOTAL));
    if (isnan(in->total_wan)) return err_set(err, ERR_INVALID, "总投资须为以万元计的数，如 3500");
    const char *nature = sheet_cell(s, cells, n, C_NATURE);
    in->nature = nature_of(im->run.app, nature);
    if (!projects_nature(im->run.app, in->nature))
        return *c = C_NATURE, err_set(err, ERR_INVALID, "项目性质须为 %s 之一（不是“%s”）",
                                      natures_text(im), nature ? nature : "");
    const char *leader = sheet_cell(s, cells, n, C_LEADER);
    const char *leader_id = sheet_cell(s, cells, n, C_LEADER_ID);
    *c = leader_id ? C_LEADER_ID : C_LEADER;
    if (leader_id) return sheet_person_by_id_number(im->run.app, leader_id, &in->leader_id, err);
    if (leader)
        return sheet_person_by_name(im->run.app, leader, im->run.actor->scope, &in->leader_id, err);
    return ERR_OK;
}

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct projects_import *im = ctx;
    struct sheet *s = &im->run.s;
    if (!s->header) return sheet_header(s, cells, n, row, im->run.err);
    if (sheet_blank(cells, n)) return 0;
    if (im->n >= PROJECT_ROWS_MAX)
        return err_set(im->run.err, ERR_TOO_LARGE, "重点项目台账最多 %d 行，请分成几个文件",
                       PROJECT_ROWS_MAX);
    struct project_in in = {.name = sheet_cell(s, cells, n, C_NAME),
                            .scale = sheet_cell(s, cells, n, C_SCALE),
                            .starts_on = sheet_date(im->run.a, sheet_cell(s, cells, n, C_STARTS)),
                            .ends_on = sheet_date(im->run.a, sheet_cell(s, cells, n, C_ENDS))};
    int c;
    int rc = read_cells(im, cells, n, &in, &c);
    if (rc) return sheet_refuse(&im->run, row, c, rc);
    struct prow r = {.line = row};
    rc = projects_check(im->run.app, im->run.actor, &in, im->run.a, &r.p, im->run.err);
    if (rc) return sheet_refuse(&im->run, row, col_of(im->run.err->field), rc);
    r.p.created_by = im->run.actor->name;
    r.p.created_at = im->at;
    const char *year = sheet_cell(s, cells, n, C_YEAR), *plan = sheet_cell(s, cells, n, C_PLAN);
    if (year || plan) {
        double y = number(im->run.a, year), w = number(im->run.a, plan);
        if (isnan(y) || y != floor(y) || y < 1900 || y > 9999)
            return sheet_refuse(
                &im->run, row, C_YEAR,
                err_set(im->run.err, ERR_INVALID, "填写年度计划投资时须写明年度，如 2026"));
        if (isnan(w))
            return sheet_refuse(
                &im->run, row, C_PLAN,
                err_set(im->run.err, ERR_INVALID, "年度计划投资须为以万元计的数，如 1800"));
        r.year = (int)y;
        rc = projects_plan_check(&r.p, r.year, w, &r.plan_cents, im->run.err);
        if (rc)
            return sheet_refuse(&im->run, row,
                                strcmp(im->run.err->field, "year") == 0 ? C_YEAR : C_PLAN, rc);
    }
    const char *key = arena_printf(im->run.a, "%s\x1f%s", r.p.unit, r.p.name);
    long twin = sheet_seen(&im->run.seen, key, row);
    if (twin)
        return sheet_refuse(&im->run, row, C_NAME,
                            err_set(im->run.err, ERR_INVALID,
                                    "项目“%s”在同一建设地点与第 %ld 行重复", r.p.name, twin));
    im->v = arena_grow(im->run.a, im->v, sizeof *im->v, im->n, im->n + 1, &im->cap);
    im->v[im->n++] = r;
    return ERR_OK;
}

/* A project registered already refuses its row (and, the transaction
 * being spoiled, the rest is not tried). */
static int write_all(struct db *db, void *ctx, struct err *err)
{
    struct projects_import *im = ctx;
    for (size_t i = 0; i < im->n; i++) {
        struct prow *r = &im->v[i];
        int rc = store_project_insert(db, &r->p, err);
        if (rc == ERR_CONFLICT) {
            err_clear(err);
            (void)err_set(err, ERR_CONFLICT, "该地已登记同名的重点项目“%s”", r->p.name);
            people_row_refuse(im->run.errors, r->line, cols[C_NAME].zh, err);
            return people_rows_refused(im->run.errors, err);
        }
        if (!rc && r->year) rc = store_project_plan_put(db, r->p.id, r->year, r->plan_cents, err);
        if (rc) return rc;
    }
    return ERR_OK;
}

int projects_import(struct app *app, const struct auth_user *actor, const char *scope,
                    const char *data, size_t len, const char *name, const char *client,
                    struct people_row_errors *errors, size_t *rows, struct err *err)
{
    char at[32];
    auth_now_iso(at);
    struct projects_import im = {
        .run = {.app = app,
                .actor = actor,
                .scope = scope,
                .client = client,
                .s = {.cols = cols,
                      .ncols = C_COUNT,
                      .what = "重点项目台账",
                      .needs = SHEET_NEED(C_NAME) | SHEET_NEED(C_UNIT) | SHEET_NEED(C_NATURE) |
                               SHEET_NEED(C_OWNER) | SHEET_NEED(C_TOTAL) | SHEET_NEED(C_STARTS) |
                               SHEET_NEED(C_ENDS)},
                .none = "项目",
                .kept = &im.n,
                .seen_rows = PROJECT_ROWS_MAX,
                .row = read_row,
                .action = "project.import",
                .entity = "project:import",
                .changed = PROJECTS_CHANGED,
                .write = write_all},
        .at = at};
    int rc = sheet_run(&im.run, data, len, name, errors, err);
    *rows = rc ? 0 : im.n;
    return rc;
}
