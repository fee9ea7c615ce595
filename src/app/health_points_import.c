/* health_points_import.c — a sheet of village (community) locations in
 * (health.h), XLSX or CSV (UTF-8 or GB18030), all or nothing: columns
 * 单位代码, 纬度, 经度 and 坐标系 (WGS-84 / GCJ-02, converted to WGS-84);
 * every row is checked (a unit inside the import's unit, coordinates in
 * China, each unit once), every refused row listed, then all rows are
 * written in one transaction with one audit record. */
#include "app/audit.h"
#include "app/health_int.h"
#include "app/people_sheet_int.h"
#include "core/tree.h"
#include "store/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define POINT_ROWS_MAX 100000

enum { C_UNIT, C_LAT, C_LNG, C_CRS, C_COUNT };
static const struct sheet_col cols[C_COUNT] = {
    {"unit", "单位代码", "村（社区）代码"},
    {"lat", "纬度", NULL},
    {"lng", "经度", NULL},
    {"crs", "坐标系", NULL},
};

struct point {
    const char *unit;
    double lat, lng;
};

struct points_import {
    struct sheet_run run; /* first: row() gets the import as its ctx */
    struct point *v;
    size_t n, cap;
};

double health_sheet_number(const char *s)
{
    if (!s) return NAN;
    char *end;
    double x = strtod(s, &end);
    return end != s && *end == 0 ? x : NAN;
}

const char *health_sheet_crs(const char *s)
{
    if (!s || !*s || strcasecmp(s, "wgs84") == 0 || strcasecmp(s, "WGS-84") == 0 ||
        strcmp(s, "GPS") == 0)
        return "wgs84";
    if (strcasecmp(s, "gcj02") == 0 || strcasecmp(s, "GCJ-02") == 0) return "gcj02";
    return s; /* refused by health_coord, naming the choice */
}

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct points_import *im = ctx;
    struct sheet *s = &im->run.s;
    if (!s->header) return sheet_header(s, cells, n, row, im->run.err);
    if (sheet_blank(cells, n)) return 0;
    if (im->n >= POINT_ROWS_MAX)
        return err_set(im->run.err, ERR_TOO_LARGE, "位置表最多 %d 行，请分成几个文件",
                       POINT_ROWS_MAX);
    const char *unit = sheet_cell(s, cells, n, C_UNIT);
    const char *lat = sheet_cell(s, cells, n, C_LAT), *lng = sheet_cell(s, cells, n, C_LNG);
    struct point p = {unit, 0, 0};
    int rc = ERR_OK;
    if (!unit || tree_find(im->run.t, unit, strlen(unit)) == TREE_NONE)
        rc = sheet_refuse(
            &im->run, row, C_UNIT,
            err_set(im->run.err, ERR_INVALID, "没有代码为 %s 的单位", unit ? unit : "（空）"));
    else if (!auth_in_scope(im->run.scope, unit) || !auth_in_scope(im->run.actor->scope, unit))
        rc = sheet_refuse(&im->run, row, C_UNIT,
                          err_set(im->run.err, ERR_INVALID, "单位 %s 不在导入的单位之下", unit));
    else if (sheet_seen(&im->run.seen, unit, row))
        rc = sheet_refuse(&im->run, row, C_UNIT,
                          err_set(im->run.err, ERR_INVALID, "单位 %s 在表中出现了两次", unit));
    else if (isnan(health_sheet_number(lat)) || isnan(health_sheet_number(lng)))
        rc = sheet_refuse(
            &im->run, row, isnan(health_sheet_number(lat)) ? C_LAT : C_LNG,
            err_set(im->run.err, ERR_INVALID, "纬度和经度须为以度为单位的数，如 33.4370"));
    else {
        int k =
            health_coord(health_sheet_crs(sheet_cell(s, cells, n, C_CRS)), health_sheet_number(lat),
                         health_sheet_number(lng), "lat", &p.lat, &p.lng, im->run.err);
        if (k)
            rc = sheet_refuse(&im->run, row, strcmp(im->run.err->field, "crs") == 0 ? C_CRS : C_LAT,
                              k);
        else {
            im->v = arena_grow(im->run.a, im->v, sizeof *im->v, im->n, im->n + 1, &im->cap);
            im->v[im->n++] = p;
        }
    }
    return rc;
}

static int write_all(struct db *db, void *ctx, struct err *err)
{
    struct points_import *im = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < im->n && !rc; i++)
        rc = store_health_point_set(db, im->v[i].unit, im->v[i].lat, im->v[i].lng, err);
    return rc;
}

int health_points_import(struct app *app, const struct auth_user *actor, const char *scope,
                         const char *data, size_t len, const char *name, const char *client,
                         struct people_row_errors *errors, size_t *rows, struct err *err)
{
    struct points_import im = {
        .run = {.app = app,
                .actor = actor,
                .scope = scope,
                .client = client,
                .s = {.cols = cols,
                      .ncols = C_COUNT,
                      .what = "位置表",
                      .needs = SHEET_NEED(C_UNIT) | SHEET_NEED(C_LAT) | SHEET_NEED(C_LNG)},
                .none = "位置",
                .kept = &im.n,
                .seen_rows = POINT_ROWS_MAX,
                .row = read_row,
                .action = "health.points.import",
                .entity = "health_points:import",
                .changed = HEALTH_CHANGED,
                .write = write_all}};
    int rc = sheet_run(&im.run, data, len, name, errors, err);
    *rows = rc ? 0 : im.n;
    return rc;
}
