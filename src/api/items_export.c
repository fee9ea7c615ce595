/*
 * items_export.c — GET /api/v1/items/export?unit=&type=&state=&overdue=1
 * &batch=&format=xlsx|csv: any selection of work items as an Excel or CSV ledger
 * (台账), newest first, at most EXPORT_MAX rows; and POST /api/v1/items/import,
 * the same kind of ledger in.
 */
#include "api/api.h"
#include "app/items.h"
#include "io/csv.h"
#include "io/xlsx.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_MAX 100000
#define NCOLS      16

static const char *const titles[NCOLS] = {
    "编号", "类型",   "标题", "涉及单位", "责任单位", "帮扶单位", "责任人",   "整改措施",
    "类别", "优先级", "期限", "状态",     "是否超期", "评价",     "提交时间", "办结时间"};

struct export
{
    struct http_req *req;
    struct xlsx_writer *xw; /* NULL for CSV */
    struct buf *csv;
    const char *today;
    long row;
    enum api_view view; /* personal numbers in free text masked without pii:read */
};

static const char *unit_name(const struct tree *t, const char *code)
{
    uint32_t i = code && code[0] ? tree_find(t, code, strlen(code)) : TREE_NONE;
    return i == TREE_NONE ? "" : tree_name(t, i);
}

static int export_one(void *ctx, const struct case_row *it)
{
    struct export *x = ctx;
    const struct wf_kind *t = items_kind(x->req->app, it->kind);
    int s = t ? wf_state_index(t, it->state) : -1;
    static const char *const priorities[] = {"", "紧急", "一般", "较低"};
    bool overdue = !it->final && it->deadline[0] && strcmp(it->deadline, x->today) < 0;
    char id[24], rating[8];
    snprintf(id, sizeof id, "%lld", (long long)it->id);
    snprintf(rating, sizeof rating, "%d", it->rating);
    struct arena *a = x->req->arena;
    const char *cells[NCOLS] = {
        id,
        t ? t->name : it->kind,
        api_text(a, it->title, x->view),
        unit_name(x->req->tree, it->unit),
        unit_name(x->req->tree, it->owner_unit),
        unit_name(x->req->tree, it->helper_unit),
        api_text(a, it->assignee, x->view),
        api_text(a, it->measures, x->view),
        api_text(a, it->category, x->view),
        priorities[it->priority >= 1 && it->priority <= 3 ? it->priority : 0],
        it->deadline,
        s >= 0 ? t->states[s].label : it->state,
        overdue ? "是" : "否",
        it->rating ? rating : "",
        it->created_at,
        it->closed_at};
    x->row++;
    for (int c = 0; c < NCOLS; c++) {
        if (x->xw) {
            if (c == 0)
                xlsx_write_number(x->xw, x->row, c, (double)it->id);
            else
                xlsx_write_text(x->xw, x->row, c, cells[c]);
        } else {
            if (c) buf_putc(x->csv, ',');
            csv_write_field(x->csv, cells[c]);
        }
    }
    if (!x->xw) buf_putc(x->csv, '\n');
    return x->row >= EXPORT_MAX;
}

int api_items_export(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *type, *state, *overdue, *format;
    long batch;
    int rc = http_query_text(req, "type", 32, &type, err);
    if (!rc) rc = http_query_text(req, "state", 32, &state, err);
    if (!rc) rc = http_query_text(req, "overdue", 8, &overdue, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (!rc) rc = http_query_int(req, "batch", 0, 0, INT64_MAX / 2, &batch, err);
    if (rc) return rc;
    const char *kinds;
    if ((rc = items_kinds(req->app, type, &kinds, err))) return rc;
    bool csv = format && strcmp(format, "csv") == 0;
    if (format && !csv && strcmp(format, "xlsx") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 只能是 xlsx 或 csv");
    char today[11];
    clock_today(today, 0);
    struct case_filter f = {.scope = req->unit,
                            .kinds = kinds,
                            .state = state,
                            .overdue_on = overdue && strcmp(overdue, "1") == 0 ? today : NULL,
                            .batch = batch,
                            .limit = EXPORT_MAX};
    struct export x = {.req = req, .csv = &resp->body, .today = today, .view = api_view_of(req)};
    buf_reset(&resp->body);
    if (csv) {
        buf_puts(&resp->body, "\xEF\xBB\xBF"); /* BOM: Excel reads UTF-8 */
        for (int c = 0; c < NCOLS; c++)
            buf_printf(&resp->body, "%s%s", c ? "," : "", titles[c]);
        buf_putc(&resp->body, '\n');
    } else {
        if ((rc = xlsx_writer_open(NULL, "台账", &x.xw, err))) return rc;
        xlsx_write_header(x.xw, titles, NCOLS);
    }
    if ((rc = cases_list(req->app, &f, export_one, &x, err)) < 0) {
        xlsx_writer_free(x.xw);
        return rc;
    }
    resp->status = 200;
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"items-%s.%s\"",
                                 req->unit[0] ? req->unit : "all", csv ? "csv" : "xlsx"));
    if (csv) {
        resp->content_type = "text/csv; charset=utf-8";
        return ERR_OK;
    }
    return api_send_xlsx(resp, x.xw, err);
}

/* POST /api/v1/items/import?type=problem&name=FILE with a CSV or XLSX
 * ledger as the body: all rows or none. Refused rows: the error document
 * of the first, plus "row_errors" [{"line","field","message"}…] (at most
 * ITEMS_IMPORT_ERRORS_MAX) and "row_errors_total". */
int api_items_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *type, *name;
    int rc = http_query_text(req, "type", 32, &type, err);
    if (!rc) rc = http_query_text(req, "name", 200, &name, err);
    if (rc) return rc;
    if (!req->body.len) return err_set(err, ERR_INVALID, "请上传 CSV 或 XLSX 台账文件");
    int64_t batch;
    size_t n, nrows;
    struct item_row_error *rows;
    struct jw w;
    rc = items_import(req->app, req->user, type ? type : "problem", req->body.p, req->body.len,
                      name ? name : "上传的文件", req->client, req->arena, &batch, &n, &rows,
                      &nrows, err);
    if (rc && nrows) {
        char msg[ERR_MSG_MAX + 300];
        err_format(err, msg, sizeof msg);
        http_json(resp, &w);
        resp->status = http_status_of(rc);
        jw_obj(&w);
        jw_key(&w, "error");
        jw_obj(&w);
        jw_kstr(&w, "code", err_kind_name(rc));
        jw_kstr(&w, "message", msg);
        if (err->field[0]) jw_kstr(&w, "field", err->field);
        if (err->line > 0) jw_kint(&w, "line", err->line);
        jw_obj_end(&w);
        jw_key(&w, "row_errors");
        jw_arr(&w);
        for (size_t i = 0; i < nrows && i < ITEMS_IMPORT_ERRORS_MAX; i++) {
            jw_obj(&w);
            jw_kint(&w, "line", rows[i].line);
            jw_kstr_or_null(&w, "field", rows[i].field[0] ? rows[i].field : NULL);
            jw_kstr(&w, "message", rows[i].msg);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_kint(&w, "row_errors_total", (int64_t)nrows);
        jw_obj_end(&w);
        return ERR_OK;
    }
    if (rc) return rc;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "batch", batch);
    jw_kint(&w, "created", (int64_t)n);
    jw_obj_end(&w);
    return ERR_OK;
}
