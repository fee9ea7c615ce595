/* items_import.c — an item ledger (台账) from Excel or CSV, all rows or none (items.h). */
#include "app/items.h"
#include "io/table.h"

#include <stdio.h>
#include <string.h>

/* The columns of an item ledger: Chinese heading, or the API's field name. */
static const struct {
    const char *label, *field;
} import_columns[] = {
    {"标题", "title"},
    {"涉及单位代码", "unit"},
    {"责任单位代码", "owner_unit"},
    {"帮扶单位代码", "helper_unit"},
    {"责任人", "assignee"},
    {"整改措施", "measures"},
    {"类别", "category"},
    {"期限", "deadline"},
    {"优先级", "priority"},
    {"问题描述", "description"},
    {"立行立改", "immediate"},
};
#define NIMPORT (sizeof import_columns / sizeof import_columns[0])

struct item_import {
    struct app *app;
    const struct auth_user *actor;
    const char *type, *name;
    struct arena *a;
    int col[NIMPORT]; /* file column of each field, -1 absent */
    bool header;
    struct case_row *items;
    size_t n, cap;
    struct item_row_error *rows; /* the refused rows, at most ITEMS_IMPORT_ERRORS_MAX */
    size_t nrows, rows_cap;
    int first_rc; /* the first refused row's code; its error is in err */
    struct err *err;
};

static const char *cell_text(struct item_import *im, const struct table_cell *cells, int n, int f)
{
    int c = im->col[f];
    if (c < 0 || c >= n) return NULL;
    struct table_cell v = cells[c];
    table_cell_trim(&v);
    return v.len ? arena_strndup(im->a, v.p, v.len) : NULL;
}

static int import_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct item_import *im = ctx;
    if (!im->header) { /* the heading row names the columns */
        im->header = true;
        for (size_t f = 0; f < NIMPORT; f++)
            im->col[f] = -1;
        for (int c = 0; c < n; c++) {
            size_t f = 0;
            while (f < NIMPORT &&
                   !((strlen(import_columns[f].label) == cells[c].len &&
                      memcmp(cells[c].p, import_columns[f].label, cells[c].len) == 0) ||
                     (strlen(import_columns[f].field) == cells[c].len &&
                      memcmp(cells[c].p, import_columns[f].field, cells[c].len) == 0)))
                f++;
            if (f < NIMPORT) im->col[f] = c;
        }
        if (im->col[0] < 0 || im->col[1] < 0) {
            err_setf(im->err, ERR_INVALID, NULL, "第一行须有“标题”和“涉及单位代码”两列");
            err_at(im->err, im->name, row, 0);
            return ERR_INVALID;
        }
        return 0;
    }
    bool any = false;
    for (int c = 0; c < n; c++)
        any = any || cells[c].len;
    if (!any) return 0;
    struct item_input in = {.type = im->type, .immediate = -1};
    const char **fields[] = {&in.title,    &in.unit,     &in.owner_unit, &in.helper_unit,
                             &in.assignee, &in.measures, &in.category,   &in.deadline};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        *fields[f] = cell_text(im, cells, n, (int)f);
    in.description = cell_text(im, cells, n, 9);
    const char *priority = cell_text(im, cells, n, 8), *immediate = cell_text(im, cells, n, 10);
    if (priority)
        in.priority = strcmp(priority, "紧急") == 0 || strcmp(priority, "1") == 0   ? 1
                      : strcmp(priority, "一般") == 0 || strcmp(priority, "2") == 0 ? 2
                      : strcmp(priority, "较低") == 0 || strcmp(priority, "3") == 0 ? 3
                                                                                    : 9;
    if (immediate) in.immediate = strcmp(immediate, "是") == 0 || strcmp(immediate, "1") == 0;
    im->items = arena_grow(im->a, im->items, sizeof *im->items, im->n, im->n + 1, &im->cap);
    if (im->n == ITEMS_IMPORT_MAX)
        return err_set(im->err, ERR_TOO_LARGE, "一次最多导入 %d 条事项", ITEMS_IMPORT_MAX);
    /* A refused row is noted and the next one checked, so that the whole
     * file's mistakes can be shown at once; nothing is written then. */
    struct err row_err;
    err_clear(&row_err);
    int rc = items_prepare(im->app, im->actor, &in, im->a, &im->items[im->n], &row_err);
    if (rc && rc != ERR_INVALID && rc != ERR_NOT_FOUND && rc != ERR_FORBIDDEN &&
        rc != ERR_CONFLICT) { /* not the row's fault: stop */
        *im->err = row_err;
        return rc;
    }
    if (rc) {
        if (im->nrows < ITEMS_IMPORT_ERRORS_MAX) {
            im->rows = arena_grow(im->a, im->rows, sizeof *im->rows, im->nrows, im->nrows + 1,
                                  &im->rows_cap);
            struct item_row_error *r = &im->rows[im->nrows];
            r->line = row;
            snprintf(r->field, sizeof r->field, "%s", row_err.field);
            snprintf(r->msg, sizeof r->msg, "%s", row_err.msg);
        }
        im->nrows++;
        if (!im->first_rc) {
            im->first_rc = rc;
            *im->err = row_err;
            err_wrap(im->err, "第 %ld 行", row);
            err_at(im->err, im->name, row, 0);
        }
        return 0;
    }
    im->n++;
    return 0;
}

int items_import(struct app *app, const struct auth_user *actor, const char *type, const char *data,
                 size_t len, const char *name, const char *client, struct arena *a, int64_t *batch,
                 size_t *n, struct item_row_error **rows, size_t *nrows, struct err *err)
{
    *n = 0;
    *rows = NULL;
    *nrows = 0;
    if (!items_kind(app, type))
        return err_set_field(err, ERR_INVALID, "type", "没有事项类型 %s", type);
    struct item_import im = {
        .app = app, .actor = actor, .type = type, .name = name, .a = a, .err = err};
    int rc = table_read(data, len, name, import_row, &im, err);
    if (!rc && im.first_rc) {
        *rows = im.rows;
        *nrows = im.nrows;
        return im.first_rc;
    }
    if (!rc && im.n == 0) rc = err_set(err, ERR_INVALID, "%s 中没有任何事项", name);
    if (rc) return rc;
    if ((rc = cases_create_batch(app, actor, im.items, im.n, name, "item.import", NULL, client, a,
                                 batch, err)))
        return rc;
    *n = im.n;
    return ERR_OK;
}
