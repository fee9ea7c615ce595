/*
 * people_io.c — ledgers of the people registry in and out over HTTP
 * (app/people.h): POST /api/v1/persons/import (花名册) and
 * POST /api/v1/households/import (住户表), each with the file as the body,
 * all rows or none; their templates, GET …/import/template; and
 * GET /api/v1/households/export, the households as a workbook or CSV.
 * A refused file answers the error of its first refused row plus every
 * refused row ("row_errors": line, column, message; "row_errors_total"),
 * as the users and items imports do.
 */
#include "api/api.h"
#include "app/people.h"
#include "io/csv.h"
#include "io/xlsx.h"

#include <string.h>

#define EXPORT_MAX 200000

/* The answer to a refused file: the error, and every refused row. */
int api_write_refused(struct http_resp *resp, int rc, const struct err *err,
                      const struct people_row_errors *e)
{
    struct jw w;
    char msg[ERR_MSG_MAX + 300];
    err_format(err, msg, sizeof msg);
    http_json(resp, &w);
    resp->status = http_status_of(rc);
    jw_obj(&w);
    jw_key(&w, "error");
    jw_obj(&w);
    jw_kstr(&w, "code", err_kind_name(rc));
    jw_kstr(&w, "message", msg);
    if (err->line > 0) jw_kint(&w, "line", err->line);
    jw_obj_end(&w);
    jw_key(&w, "row_errors");
    jw_arr(&w);
    for (size_t i = 0; i < e->n; i++) {
        jw_obj(&w);
        jw_kint(&w, "line", e->v[i].line);
        jw_kstr_or_null(&w, "field", e->v[i].field[0] ? e->v[i].field : NULL);
        jw_kstr(&w, "column", e->v[i].column);
        jw_kstr(&w, "message", e->v[i].msg);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "row_errors_total", (int64_t)e->total);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_import_upload(struct http_req *req, const char *what, const char **name, struct err *err)
{
    int rc = http_query_text(req, "name", 200, name, err);
    if (rc) return rc;
    if (!*name || !**name) *name = "上传的文件";
    if (!req->unit[0]) return err_set_field(err, ERR_INVALID, "unit", "请选择导入到的单位");
    if (!req->body.len)
        return err_set(err, ERR_INVALID, "请上传%s（XLSX 或 CSV），可先下载导入模板", what);
    return ERR_OK;
}

/* POST /api/v1/persons/import?unit=CODE&name=FILE */
int api_persons_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name;
    int rc = api_import_upload(req, "花名册", &name, err);
    if (rc) return rc;
    struct people_row_errors errors = {.a = req->arena};
    struct person_import_row *rows;
    size_t n = 0;
    struct people_import_result res;
    rc = people_roster_read(req->app, req->arena, req->body.p, req->body.len, name, req->unit,
                            &rows, &n, err);
    if (!rc)
        rc =
            people_import(req->app, req->user, req->unit, rows, n, req->client, &errors, &res, err);
    if (rc && errors.total) return api_write_refused(resp, rc, err, &errors);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "rows", (int64_t)n);
    jw_kint(&w, "persons_added", (int64_t)res.persons_added);
    jw_kint(&w, "persons_existing", (int64_t)res.persons_existing);
    jw_kint(&w, "memberships_added", (int64_t)res.memberships_added);
    jw_kint(&w, "memberships_existing", (int64_t)res.memberships_existing);
    jw_obj_end(&w);
    return ERR_OK;
}

/* POST /api/v1/households/import?unit=CODE&name=FILE */
int api_households_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name;
    int rc = api_import_upload(req, "住户表", &name, err);
    if (rc) return rc;
    struct people_row_errors errors = {.a = req->arena};
    struct households_import_result res;
    rc = people_households_import(req->app, req->user, req->unit, req->body.p, req->body.len, name,
                                  req->client, &errors, &res, err);
    if (rc && errors.total) return api_write_refused(resp, rc, err, &errors);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "rows", (int64_t)res.rows);
    jw_kint(&w, "households_added", (int64_t)res.households_added);
    jw_kint(&w, "households_existing", (int64_t)res.households_existing);
    jw_kint(&w, "persons_added", (int64_t)res.persons_added);
    jw_kint(&w, "persons_existing", (int64_t)res.persons_existing);
    jw_kint(&w, "members_added", (int64_t)res.members_added);
    jw_kint(&w, "members_existing", (int64_t)res.members_existing);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_send_template(struct http_req *req, struct http_resp *resp, const char *sheet,
                      const char *file, const struct sheet_form *form, struct err *err)
{
    /* the headings are this request's own: the form is shared by threads */
    const char **titles = arena_alloc(req->arena, (size_t)form->n * sizeof *titles);
    for (int c = 0; c < form->n; c++)
        titles[c] = form->cols[c].zh;
    struct xlsx_writer *xw;
    int rc = xlsx_writer_open(NULL, sheet, &xw, err);
    if (rc) return rc;
    xlsx_write_header(xw, titles, form->n);
    for (int c = 0; c < form->n; c++)
        xlsx_write_text(xw, 1, c, form->example[c]);
    resp->status = 200;
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"%s\"", file));
    return api_send_xlsx(resp, xw, err);
}

int api_persons_import_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return api_send_template(req, resp, "花名册", "persons-template.xlsx", &people_roster_form,
                             err);
}

int api_households_import_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return api_send_template(req, resp, "住户表", "households-template.xlsx",
                             &people_households_form, err);
}

/* ---- export ---- */

#define HH_COLS 8

struct hh_export {
    struct http_req *req;
    struct xlsx_writer *xw; /* NULL for CSV */
    struct buf *csv;
    long row;
};

static int export_household(void *ctx, const struct household_view *v)
{
    struct hh_export *x = ctx;
    struct arena *a = x->req->arena;
    const struct tree *t = x->req->tree;
    const struct people_defs *d = x->req->app->people;
    const struct people_kind *k = people_kind(x->req->app, "resident");
    uint32_t u = tree_find_any(t, v->h.unit, strlen(v->h.unit));
    const char *members = "", *tags = "";
    for (size_t i = 0; i < v->nmembers; i++) {
        const struct people_stage *s = k ? people_stage(k, v->members[i].stage) : NULL;
        members = arena_printf(a, "%s%s%s（%s）", members, i ? "、" : "", v->members[i].person_name,
                               s ? s->name : v->members[i].stage);
    }
    for (size_t i = 0; i < v->ntags; i++) {
        const char *name = people_name(d->tags, d->ntags, v->tags[i]);
        tags = arena_printf(a, "%s%s%s", tags, i ? "、" : "", name ? name : v->tags[i]);
    }
    const char *cells[HH_COLS] = {arena_printf(a, "%lld", (long long)v->h.id), v->h.unit,
                                  u == TREE_NONE ? "" : tree_name(t, u),       v->h.address,
                                  v->h.head_id ? v->h.head_name : "",          members,
                                  arena_printf(a, "%zu", v->nmembers),         tags};
    x->row++;
    for (int c = 0; c < HH_COLS; c++) {
        if (x->xw && (c == 0 || c == 6)) {
            xlsx_write_number(x->xw, x->row, c, c ? (double)v->nmembers : (double)v->h.id);
        } else if (x->xw) {
            xlsx_write_text(x->xw, x->row, c, cells[c]);
        } else {
            if (c) buf_putc(x->csv, ',');
            csv_write_field(x->csv, cells[c]);
        }
    }
    if (!x->xw) buf_putc(x->csv, '\n');
    return 0;
}

/* GET /api/v1/households/export?unit=&tag=&format=xlsx|csv: one row per
 * household with its residents by name and relation; no personal numbers. */
int api_households_export(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const titles[HH_COLS] = {"户编号", "单位代码", "单位名称", "地址",
                                                "户主",   "户成员",   "人数",     "户标签"};
    const char *tag, *format;
    int rc = http_query_text(req, "tag", 32, &tag, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (rc) return rc;
    bool csv = format && strcmp(format, "csv") == 0;
    if (format && !csv && strcmp(format, "xlsx") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 只能是 xlsx 或 csv");
    struct hh_export x = {.req = req, .csv = &resp->body};
    buf_reset(&resp->body);
    if (csv) {
        buf_puts(&resp->body, "\xEF\xBB\xBF"); /* BOM: Excel reads UTF-8 */
        for (int c = 0; c < HH_COLS; c++)
            buf_printf(&resp->body, "%s%s", c ? "," : "", titles[c]);
        buf_putc(&resp->body, '\n');
    } else {
        if ((rc = xlsx_writer_open(NULL, "住户", &x.xw, err))) return rc;
        xlsx_write_header(x.xw, titles, HH_COLS);
    }
    if ((rc = people_households_each(req->app, req->user, req->unit, tag && tag[0] ? tag : NULL,
                                     EXPORT_MAX, export_household, &x, err))) {
        xlsx_writer_free(x.xw);
        return rc;
    }
    resp->status = 200;
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"households-%s.%s\"",
                                 req->unit[0] ? req->unit : "all", csv ? "csv" : "xlsx"));
    if (csv) {
        resp->content_type = "text/csv; charset=utf-8";
        return ERR_OK;
    }
    return api_send_xlsx(resp, x.xw, err);
}
