/*
 * cadres_pay.c — 三岗十八级 over HTTP (app/cadres.h): POST
 * /api/v1/cadres/workers registers a community worker; GET
 * /api/v1/cadres/workers is the pay report of a subtree (each worker's
 * post, years of service, computed grade and monthly pay, and the total)
 * as JSON or, with &format=csv|xlsx, a table to download.
 */
#include "api/api.h"
#include "app/cadres.h"
#include "io/csv.h"
#include "io/xlsx.h"

#include <jansson.h>
#include <string.h>

#define PAY_COLUMNS 9

static const char *const pay_titles[PAY_COLUMNS] = {
    "单位", "姓名", "岗位", "参加工作时间", "学历", "职业资格", "工作年限", "等级", "月工资（元）"};

static int export_pay(struct http_req *req, struct http_resp *resp, const char *format,
                      const struct cadre_worker *rows, size_t n, double total, struct err *err)
{
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"pay-%s.%s\"",
                                 req->unit[0] ? req->unit : "all", format));
    resp->status = 200;
    if (strcmp(format, "csv") == 0) {
        resp->content_type = "text/csv; charset=utf-8";
        buf_reset(&resp->body);
        buf_puts(&resp->body, "\xEF\xBB\xBF"); /* BOM: Excel reads UTF-8 */
        for (int c = 0; c < PAY_COLUMNS; c++) {
            if (c) buf_putc(&resp->body, ',');
            csv_write_field(&resp->body, pay_titles[c]);
        }
        buf_putc(&resp->body, '\n');
        for (size_t i = 0; i < n; i++) {
            const struct cadre_worker *r = &rows[i];
            const char *text[] = {r->unit_name,  r->person_name, r->post,
                                  r->start_date, r->degree,      r->certificate};
            for (int c = 0; c < 6; c++) {
                csv_write_field(&resp->body, text[c]);
                buf_putc(&resp->body, ',');
            }
            buf_printf(&resp->body, "%d,%d,", r->years, r->grade);
            csv_write_number(&resp->body, r->pay);
            buf_putc(&resp->body, '\n');
        }
        buf_puts(&resp->body, "合计,,,,,,,,");
        csv_write_number(&resp->body, total);
        buf_putc(&resp->body, '\n');
        return ERR_OK;
    }
    struct xlsx_writer *xw;
    int rc = xlsx_writer_open(NULL, "三岗十八级", &xw, err);
    if (rc) return rc;
    xlsx_write_header(xw, pay_titles, PAY_COLUMNS);
    for (size_t i = 0; i < n; i++) {
        const struct cadre_worker *r = &rows[i];
        const char *text[] = {r->unit_name,  r->person_name, r->post,
                              r->start_date, r->degree,      r->certificate};
        long row = (long)i + 1;
        for (int c = 0; c < 6; c++)
            xlsx_write_text(xw, row, c, text[c]);
        xlsx_write_number(xw, row, 6, r->years);
        xlsx_write_number(xw, row, 7, r->grade);
        xlsx_write_number(xw, row, 8, r->pay);
    }
    xlsx_write_text(xw, (long)n + 1, 0, "合计");
    xlsx_write_number(xw, (long)n + 1, 8, total);
    return api_send_xlsx(resp, xw, err);
}

int api_cadre_workers(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *date = NULL, *format = NULL;
    struct cadre_worker *rows;
    size_t n;
    double total;
    int rc = http_query_text(req, "date", 10, &date, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (!rc && format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
        strcmp(format, "xlsx") != 0)
        rc = err_set_field(err, ERR_INVALID, "format", "format 只能是 json, csv 或 xlsx");
    if (!rc) rc = cadres_workers(req->app, req->unit, date, req->arena, &rows, &n, &total, err);
    if (rc) return rc;
    if (format && strcmp(format, "json") != 0)
        return export_pay(req, resp, format, rows, n, total, err);
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        const struct cadre_worker *r = &rows[i];
        jw_obj(&w);
        jw_kint(&w, "id", r->id);
        jw_key(&w, "person");
        jw_obj(&w);
        jw_kint(&w, "id", r->person_id);
        jw_kstr(&w, "name", r->person_name);
        jw_obj_end(&w);
        jw_key(&w, "unit");
        jw_obj(&w);
        jw_kstr(&w, "code", r->unit);
        jw_kstr(&w, "name", r->unit_name);
        jw_obj_end(&w);
        jw_kstr(&w, "post", r->post);
        jw_kstr(&w, "start_date", r->start_date);
        jw_kstr(&w, "degree", r->degree);
        jw_kstr(&w, "certificate", r->certificate);
        jw_kint(&w, "years", r->years);
        jw_kint(&w, "grade", r->grade);
        jw_knum(&w, "pay", r->pay);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "workers", (int64_t)n);
    jw_knum(&w, "total", total);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_cadre_worker_add(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit",   "person",      "post", "start_date",
                                         "degree", "certificate", NULL};
    json_t *body;
    const char *unit = NULL, *post = NULL, *start = NULL, *degree = NULL, *cert = NULL;
    int64_t person = 0, id = 0;
    bool has = false;
    double v = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "unit", 32, &unit, err);
    if (!rc) rc = jin_num(body, "person", &has, &v, err);
    if (!rc && (!has || v < 1 || v > 9e15 || v != (double)(int64_t)v))
        rc = err_set_field(err, ERR_INVALID, "person", "请选择人员（有效的人员编号）");
    person = rc ? 0 : (int64_t)v;
    if (!rc) rc = jin_str(req->arena, body, "post", 32, &post, err);
    if (!rc) rc = jin_str(req->arena, body, "start_date", 10, &start, err);
    if (!rc) rc = jin_str(req->arena, body, "degree", 32, &degree, err);
    if (!rc) rc = jin_str(req->arena, body, "certificate", 32, &cert, err);
    if (!rc && !cert) cert = "none";
    if (!rc)
        rc = cadres_worker_add(req->app, req->user, unit, person, post, start, degree, cert,
                               req->client, &id, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_obj_end(&w);
    return ERR_OK;
}
