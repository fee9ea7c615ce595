/* health_facilities_import.c — a sheet of 医疗卫生机构 in (health.h), XLSX
 * or CSV (UTF-8 or GB18030), all or nothing: columns 机构名称, 机构类型
 * (named as data/health.json names the facility types), 所在单位 (a unit
 * inside the import's unit, by name or code), 纬度, 经度 and 坐标系
 * (WGS-84 / GCJ-02, converted). Every row is checked as registering one
 * facility is, plus: a name once per unit, in the file and in the
 * registry (an existing one is edited, not imported again). Every refused
 * row is listed; then all rows are written in one transaction with one
 * audit record. */
#include "app/audit.h"
#include "app/health_int.h"
#include "app/people_sheet_int.h"
#include "store/store.h"

#include <math.h>
#include <string.h>

#define FACILITY_ROWS_MAX 20000

enum { C_NAME, C_TYPE, C_UNIT, C_LAT, C_LNG, C_CRS, C_COUNT };
static const struct sheet_col cols[C_COUNT] = {
    {"name", "机构名称", "名称"}, {"type", "机构类型", "类型"}, {"unit", "所在单位", "单位代码"},
    {"lat", "纬度", NULL},        {"lng", "经度", NULL},        {"crs", "坐标系", NULL},
};

static const char *const example[C_COUNT] = {"郝庄村卫生室", "村卫生室", "郝庄村",
                                             "33.4512",      "113.6120", "WGS-84"};
const struct sheet_form health_facilities_form = {cols, example, C_COUNT};

struct facilities_import {
    struct sheet_run run; /* first: row() gets the import as its ctx */
    const char *at;
    struct sheet_seen seen, stored; /* "unit name" of the file's rows, of the registry */
    struct health_facility_row *v;
    size_t n, cap;
};

/* A facility type by its name (乡镇卫生院) or code. */
static const char *type_of(const struct health_defs *h, const char *s)
{
    for (size_t i = 0; s && i < h->nfacility_types; i++)
        if (strcmp(h->facility_types[i].name, s) == 0 || strcmp(h->facility_types[i].code, s) == 0)
            return h->facility_types[i].code;
    return NULL;
}

/* The row's columns checked in order; c the column of a refusal. */
static int check_row(struct facilities_import *im, struct table_cell *cells, int n, long row,
                     struct health_facility_row *f, int *c)
{
    const struct sheet *s = &im->run.s;
    const char *where = sheet_cell(s, cells, n, C_UNIT);
    const char *lat = sheet_cell(s, cells, n, C_LAT), *lng = sheet_cell(s, cells, n, C_LNG);
    struct health_facility_in in = {.name = sheet_cell(s, cells, n, C_NAME),
                                    .crs = health_sheet_crs(sheet_cell(s, cells, n, C_CRS)),
                                    .located = lat || lng,
                                    .lat = health_sheet_number(lat),
                                    .lng = health_sheet_number(lng)};
    int rc;
    *c = C_UNIT;
    if (!where)
        return err_set_field(im->run.err, ERR_INVALID, "unit", "请填写所在单位（名称或代码）");
    if ((rc = sheet_unit(im->run.a, im->run.t, im->run.scope, where, &in.unit, im->run.err)))
        return rc;
    *c = C_TYPE;
    in.type = type_of(im->run.app->health, sheet_cell(s, cells, n, C_TYPE));
    if (!in.type && !sheet_cell(s, cells, n, C_TYPE)) in.type = "";
    if (!in.type)
        return err_set_field(im->run.err, ERR_INVALID, "type",
                             "没有“%s”这一机构类型（如乡镇卫生院、村卫生室）",
                             sheet_cell(s, cells, n, C_TYPE));
    *c = C_LAT;
    if (in.located && (isnan(in.lat) || isnan(in.lng))) {
        *c = isnan(in.lat) ? C_LAT : C_LNG;
        return err_set_field(im->run.err, ERR_INVALID, cols[*c].api,
                             "纬度和经度须一起填写，为以度为单位的数，如 33.4370");
    }
    f->unit = in.unit;
    f->created_by = im->run.actor->name;
    f->created_at = im->at;
    if ((rc = health_facility_check(im->run.app->health, &in, f, im->run.err))) {
        *c = strcmp(im->run.err->field, "type") == 0   ? C_TYPE
             : strcmp(im->run.err->field, "name") == 0 ? C_NAME
             : strcmp(im->run.err->field, "crs") == 0  ? C_CRS
                                                       : C_LAT;
        return rc;
    }
    *c = C_NAME;
    /* one set for both: registered facilities went in first, by -id */
    long seen = sheet_seen(&im->seen, arena_printf(im->run.a, "%s %s", f->unit, f->name), row);
    if (seen < 0)
        return err_set_field(im->run.err, ERR_CONFLICT, "name",
                             "该单位已登记“%s”（第 %ld 号机构）；要修改请在机构列表中编辑", f->name,
                             -seen);
    if (seen)
        return err_set_field(im->run.err, ERR_INVALID, "name", "同一单位的“%s”与第 %ld 行重复",
                             f->name, seen);
    return ERR_OK;
}

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct facilities_import *im = ctx;
    struct sheet *s = &im->run.s;
    if (!s->header) return sheet_header(s, cells, n, row, im->run.err);
    if (sheet_blank(cells, n)) return 0;
    if (im->n >= FACILITY_ROWS_MAX)
        return err_set(im->run.err, ERR_TOO_LARGE, "机构表最多 %d 行，请分成几个文件",
                       FACILITY_ROWS_MAX);
    struct health_facility_row f = {0};
    int c = -1;
    int rc = check_row(im, cells, n, row, &f, &c);
    if (rc) return sheet_refuse(&im->run, row, c, rc);
    im->v = arena_grow(im->run.a, im->v, sizeof *im->v, im->n, im->n + 1, &im->cap);
    im->v[im->n++] = f;
    return 0;
}

/* The registered facilities of the scope, as "unit name" → -id. */
static int keep_stored(void *ctx, const struct health_facility_row *f)
{
    struct facilities_import *im = ctx;
    sheet_seen(&im->seen, arena_printf(im->run.a, "%s %s", f->unit, f->name), -f->id);
    return 0;
}

static int count_stored(void *ctx, const struct health_facility_row *f)
{
    (void)f;
    ++*(size_t *)ctx;
    return 0;
}

static int write_all(struct db *db, void *ctx, struct err *err)
{
    struct facilities_import *im = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < im->n && !rc; i++)
        rc = store_health_facility_insert(db, &im->v[i], err);
    return rc;
}

/* The registry's facilities inside scope, so that a row naming one again
 * is refused. */
static int load(struct sheet_run *r)
{
    struct facilities_import *im = (struct facilities_import *)r;
    size_t stored = 0;
    int rc = store_health_facilities(r->db, r->a, r->scope, count_stored, &stored, r->err);
    if (!rc) {
        sheet_seen_init(&im->seen, r->a, FACILITY_ROWS_MAX + stored);
        rc = store_health_facilities(r->db, r->a, r->scope, keep_stored, im, r->err);
    }
    return rc;
}

int health_facilities_import(struct app *app, const struct auth_user *actor, const char *scope,
                             const char *data, size_t len, const char *name, const char *client,
                             struct people_row_errors *errors, size_t *rows, struct err *err)
{
    char at[32];
    auth_now_iso(at);
    struct facilities_import im = {
        .run = {.app = app,
                .actor = actor,
                .scope = scope,
                .client = client,
                .reads = true,
                .s = {.cols = cols,
                      .ncols = C_COUNT,
                      .what = "机构表",
                      .needs = SHEET_NEED(C_NAME) | SHEET_NEED(C_TYPE) | SHEET_NEED(C_UNIT)},
                .none = "机构",
                .kept = &im.n,
                .load = load,
                .row = read_row,
                .action = "health.facilities.import",
                .entity = "health_facility:import",
                .changed = HEALTH_CHANGED,
                .write = write_all},
        .at = at};
    int rc = sheet_run(&im.run, data, len, name, errors, err);
    *rows = rc ? 0 : im.n;
    return rc;
}
