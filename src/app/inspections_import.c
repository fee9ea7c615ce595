/* inspections_import.c — the 双随机 registries from a sheet (inspections.h):
 * 抽查事项清单, 检查对象名录库 and 执法检查人员名录库, XLSX or CSV (UTF-8 or
 * GB18030), all or nothing. Each row is checked by the save's own check
 * (inspections_*_check), units are named as in the tree inside the
 * import's unit, a row already in the registry or twice in the file is
 * refused; every refused row is listed, then all rows are written in one
 * transaction with one audit record. */
#include "app/audit.h"
#include "app/inspections.h"
#include "app/people_sheet_int.h"
#include "core/tree.h"
#include "store/inspections.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INSP_ROWS_MAX 50000

enum { I_CODE, I_NAME, I_BASIS, I_RATIO, I_FREQ, I_DEPT, I_COUNT };
static const struct sheet_col item_cols[I_COUNT] = {
    {"code", "事项编码", NULL},        {"name", "抽查事项", "事项名称"},
    {"basis", "法律依据", "检查依据"}, {"ratio_permille", "抽查比例", NULL},
    {"frequency", "抽查频次", NULL},   {"department", "检查主体", "实施部门"},
};
static const char *const item_example[I_COUNT] = {
    "sc-food-01", "食品销售者经营条件检查", "《中华人民共和国食品安全法》第一百一十条", "5%",
    "每年一次",   "县市场监督管理局"};

enum { T_NAME, T_KIND, T_CREDIT, T_UNIT, T_COUNT };
static const struct sheet_col target_cols[T_COUNT] = {
    {"name", "名称", "检查对象"},
    {"kind", "类型", "对象类型"},
    {"credit_code", "统一社会信用代码", NULL},
    {"unit", "所属单位", NULL},
};
static const char *const target_example[T_COUNT] = {"便民超市", "个体工商户", "92411121MA9X12345Y",
                                                    ""};

enum { P_NAME, P_CERT, P_DEPT, P_UNIT, P_COUNT };
static const struct sheet_col inspector_cols[P_COUNT] = {
    {"name", "姓名", NULL},
    {"cert_no", "执法证号", "执法证件号"},
    {"department", "执法部门", "所属部门"},
    {"unit", "所属单位", NULL},
};
static const char *const inspector_example[P_COUNT] = {"李明", "41112100123", "县市场监督管理局",
                                                       ""};

/* What differs between the registries. */
static const struct registry {
    struct sheet_form form;
    unsigned optional; /* the columns a sheet may leave out, 1u << column */
    const char *what, *action, *entity;
} registries[] = {
    [INSP_ITEMS] = {{item_cols, item_example, I_COUNT},
                    1u << I_DEPT,
                    "抽查事项清单",
                    "inspection.items_import",
                    "inspection_items:import"},
    [INSP_TARGETS] = {{target_cols, target_example, T_COUNT},
                      1u << T_CREDIT | 1u << T_UNIT,
                      "检查对象名录库",
                      "inspection.targets_import",
                      "inspection_targets:import"},
    [INSP_INSPECTORS] = {{inspector_cols, inspector_example, P_COUNT},
                         1u << P_CERT | 1u << P_UNIT,
                         "执法检查人员名录库",
                         "inspection.inspectors_import",
                         "inspectors:import"},
};

const struct sheet_form *inspections_import_form(enum insp_registry which, const char **sheet)
{
    *sheet = registries[which].what;
    return &registries[which].form;
}

struct insp_import {
    struct sheet_run run; /* first: row() gets the import as its ctx */
    enum insp_registry which;
    const struct registry *reg;
    struct sheet_seen seen; /* keys of the registry's rows (line -1) and the file's */
    struct insp_item_row *items;
    struct insp_target_row *targets;
    struct insp_inspector_row *inspectors;
    size_t n, cap;
};

/* 抽查比例 as offices write it: "5%", "5％", "50‰", or a bare number of
 * percent; into permille, -1 when unreadable or finer than 1‰. */
static int64_t ratio_of(const char *s)
{
    if (!s) return 0; /* refused by the check: "须在 1‰ 到 1000‰ 之间" */
    char *end;
    double x = strtod(s, &end);
    if (end == s) return -1;
    double per = 10;
    if (strcmp(end, "‰") == 0)
        per = 1;
    else if (*end && strcmp(end, "%") != 0 && strcmp(end, "％") != 0)
        return -1;
    double v = x * per;
    if (!isfinite(v) || fabs(v - round(v)) > 1e-6 || fabs(v) > 1e6) return -1;
    return (int64_t)round(v);
}

/* Refuses the row in the column filling err's field (or col). */
static int refuse(struct insp_import *im, long line, int col, int rc)
{
    if (!people_row_refusable(rc)) return rc;
    const char *label = sheet_label(im->reg->form.cols, im->reg->form.n, im->run.err->field);
    people_row_refuse(im->run.errors, line, label[0] ? label : im->reg->form.cols[col].zh,
                      im->run.err);
    return ERR_OK;
}

/* The row's unit: its 所属单位 by name inside the import's unit, or that
 * unit itself when the cell is empty. */
static int row_unit(struct insp_import *im, const char *cell, const char **unit)
{
    *unit = im->run.scope;
    return cell ? sheet_unit(im->run.a, im->run.t, im->run.scope, cell, unit, im->run.err) : ERR_OK;
}

static const char *key_of(struct insp_import *im, const char *a, const char *b, const char *c)
{
    return arena_printf(im->run.a, "%s\x1f%s\x1f%s", a, b ? b : "", c ? c : "");
}

static const char *cert_key(struct insp_import *im, const char *cert)
{
    return arena_printf(im->run.a, "\x1e%s", cert);
}

/* A key already in the registry or earlier in the file: a refusal. */
static int seen_before(struct insp_import *im, long line, const char *key, const char *what)
{
    long twin = sheet_seen(&im->seen, key, line);
    if (twin < 0) return err_set(im->run.err, ERR_CONFLICT, "%s已在%s中", what, im->reg->what);
    if (twin) return err_set(im->run.err, ERR_CONFLICT, "%s与第 %ld 行重复", what, twin);
    return ERR_OK;
}

static void *grow(struct insp_import *im, void *v, size_t size)
{
    return arena_grow(im->run.a, v, size, im->n, im->n + 1, &im->cap);
}

static int item_row(struct insp_import *im, long line, const struct table_cell *cells, int n)
{
    struct sheet *s = &im->run.s;
    struct insp_item_row r = {.code = sheet_cell(s, cells, n, I_CODE),
                              .name = sheet_cell(s, cells, n, I_NAME),
                              .basis = sheet_cell(s, cells, n, I_BASIS),
                              .ratio_permille = ratio_of(sheet_cell(s, cells, n, I_RATIO)),
                              .frequency = sheet_cell(s, cells, n, I_FREQ),
                              .department = sheet_cell(s, cells, n, I_DEPT),
                              .active = true};
    if (!r.department) r.department = "";
    int rc = inspections_item_check(&r, im->run.err);
    if (!rc) rc = seen_before(im, line, r.code, arena_printf(im->run.a, "事项编码 %s ", r.code));
    if (rc) return refuse(im, line, I_CODE, rc);
    im->items = grow(im, im->items, sizeof *im->items);
    im->items[im->n++] = r;
    return ERR_OK;
}

static int target_row(struct insp_import *im, long line, const struct table_cell *cells, int n)
{
    struct sheet *s = &im->run.s;
    struct insp_target_row r = {.name = sheet_cell(s, cells, n, T_NAME),
                                .kind = sheet_cell(s, cells, n, T_KIND),
                                .credit_code = sheet_cell(s, cells, n, T_CREDIT),
                                .active = true};
    if (!r.credit_code) r.credit_code = "";
    int rc = row_unit(im, sheet_cell(s, cells, n, T_UNIT), &r.unit);
    if (rc) return refuse(im, line, T_UNIT, rc);
    rc = inspections_target_check(im->run.app, im->run.actor, &r, im->run.err);
    if (rc) return refuse(im, line, T_NAME, rc);
    rc = r.credit_code[0]
             ? seen_before(im, line, r.credit_code,
                           arena_printf(im->run.a, "统一社会信用代码 %s ", r.credit_code))
             : seen_before(im, line, key_of(im, r.name, r.unit, NULL),
                           arena_printf(im->run.a, "“%s”", r.name));
    if (rc) return refuse(im, line, r.credit_code[0] ? T_CREDIT : T_NAME, rc);
    im->targets = grow(im, im->targets, sizeof *im->targets);
    im->targets[im->n++] = r;
    return ERR_OK;
}

static int inspector_row(struct insp_import *im, long line, const struct table_cell *cells, int n)
{
    struct sheet *s = &im->run.s;
    struct insp_inspector_row r = {.name = sheet_cell(s, cells, n, P_NAME),
                                   .department = sheet_cell(s, cells, n, P_DEPT),
                                   .cert_no = sheet_cell(s, cells, n, P_CERT),
                                   .active = true};
    if (!r.cert_no) r.cert_no = "";
    int rc = row_unit(im, sheet_cell(s, cells, n, P_UNIT), &r.unit);
    if (rc) return refuse(im, line, P_UNIT, rc);
    rc = inspections_inspector_check(im->run.app, im->run.actor, &r, im->run.err);
    if (rc) return refuse(im, line, P_NAME, rc);
    if (r.cert_no[0]) /* a certificate is one person's, whatever the name */
        rc = seen_before(im, line, cert_key(im, r.cert_no),
                         arena_printf(im->run.a, "执法证号 %s ", r.cert_no));
    if (rc) return refuse(im, line, P_CERT, rc);
    rc = seen_before(im, line, key_of(im, r.name, r.department, r.unit),
                     arena_printf(im->run.a, "%s（%s）", r.name, r.department));
    if (rc) return refuse(im, line, P_NAME, rc);
    im->inspectors = grow(im, im->inspectors, sizeof *im->inspectors);
    im->inspectors[im->n++] = r;
    return ERR_OK;
}

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct insp_import *im = ctx;
    struct sheet *s = &im->run.s;
    if (!s->header) return sheet_header(s, cells, n, row, im->run.err);
    if (sheet_blank(cells, n)) return 0;
    if (im->n >= INSP_ROWS_MAX)
        return err_set(im->run.err, ERR_TOO_LARGE, "%s一次最多导入 %d 行，请分成几个文件",
                       im->reg->what, INSP_ROWS_MAX);
    switch (im->which) {
    case INSP_ITEMS:
        return item_row(im, row, cells, n);
    case INSP_TARGETS:
        return target_row(im, row, cells, n);
    case INSP_INSPECTORS:
        return inspector_row(im, row, cells, n);
    }
    return ERR_OK;
}

/* The registry's keys as they are now, so that a second import of the same
 * file is refused row by row rather than doubling the registry. */
static int load_known(struct insp_import *im, struct db *db)
{
    size_t n = 0;
    int rc = ERR_OK;
    if (im->which == INSP_ITEMS) {
        struct insp_item_row *v;
        rc = store_insp_items_list(db, im->run.a, &v, &n, im->run.err);
        sheet_seen_init(&im->seen, im->run.a, INSP_ROWS_MAX + n);
        for (size_t i = 0; !rc && i < n; i++)
            sheet_seen(&im->seen, v[i].code, -1);
    } else if (im->which == INSP_TARGETS) {
        struct insp_target_row *v;
        rc = store_insp_targets_list(db, im->run.a, im->run.scope, false, &v, &n, im->run.err);
        sheet_seen_init(&im->seen, im->run.a, INSP_ROWS_MAX + n);
        for (size_t i = 0; !rc && i < n; i++)
            sheet_seen(&im->seen,
                       v[i].credit_code[0] ? v[i].credit_code
                                           : key_of(im, v[i].name, v[i].unit, NULL),
                       -1);
    } else {
        struct insp_inspector_row *v;
        rc = store_insp_inspectors_list(db, im->run.a, im->run.scope, false, &v, &n, im->run.err);
        sheet_seen_init(&im->seen, im->run.a, 2 * (INSP_ROWS_MAX + n));
        for (size_t i = 0; !rc && i < n; i++)
            if (v[i].cert_no[0]) sheet_seen(&im->seen, cert_key(im, v[i].cert_no), -1);
        for (size_t i = 0; !rc && i < n; i++)
            sheet_seen(&im->seen, key_of(im, v[i].name, v[i].department, v[i].unit), -1);
    }
    return rc;
}

static int write_all(struct insp_import *im, struct db *db, struct err *err)
{
    int rc = ERR_OK;
    for (size_t i = 0; i < im->n && !rc; i++) {
        int64_t id = 0;
        if (im->which == INSP_ITEMS)
            rc = store_insp_item_save(db, &im->items[i], &id, err);
        else if (im->which == INSP_TARGETS)
            rc = store_insp_target_save(db, &im->targets[i], &id, err);
        else
            rc = store_insp_inspector_save(db, &im->inspectors[i], &id, err);
    }
    return rc;
}

static int load(struct sheet_run *r)
{
    return load_known((struct insp_import *)r, r->db);
}

static int commit(struct sheet_run *r)
{
    struct insp_import *im = (struct insp_import *)r;
    struct audit_entry ae = sheet_audit(r, im->reg->action, im->reg->entity, im->n);
    struct db *db = store_acquire(r->app->store);
    int rc = db_begin(db, true, r->err);
    if (!rc) rc = write_all(im, db, r->err);
    if (!rc) rc = store_audit_append(db, &ae, r->err);
    return inspections_write_end(r->app, db, rc, r->err);
}

int inspections_import(struct app *app, const struct auth_user *actor, enum insp_registry which,
                       const char *scope, const char *data, size_t len, const char *name,
                       const char *client, struct people_row_errors *errors, size_t *rows,
                       struct err *err)
{
    const struct registry *reg = &registries[which];
    char none[64];
    snprintf(none, sizeof none, "一行%s", reg->what);
    struct insp_import im = {
        .run = {.app = app,
                .actor = actor,
                .scope = which == INSP_ITEMS ? "" : scope, /* the county's list */
                .client = client,
                .anywhere = which == INSP_ITEMS,
                .reads = true,
                .s = {.cols = reg->form.cols,
                      .ncols = reg->form.n,
                      .what = reg->what,
                      .needs = ~reg->optional & (SHEET_NEED(reg->form.n) - 1)},
                .none = none,
                .kept = &im.n,
                .load = load,
                .row = read_row,
                .commit = commit},
        .which = which,
        .reg = reg};
    int rc = sheet_run(&im.run, data, len, name, errors, err);
    *rows = rc ? 0 : im.n;
    return rc;
}
