/* health_followups.c — 随访 (app/health.h): record a resident's follow-up,
 * list it, and the due-visit report of a subtree (JSON or XLSX). The
 * compliance figures are counted from the records, never typed in. */
#include "api/api.h"
#include "app/health.h"
#include "core/tree.h"
#include "io/json_in.h"
#include "io/json_out.h"
#include "io/xlsx.h"

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#define FOLLOWUP_LIST_MAX 2000
/* The Excel file is the whole due-visit list (limit is the page's), up to
 * as many rows as the roster export. */
#define FOLLOWUP_EXPORT_MAX 200000

static void settings(struct jw *w, const struct health_defs *h)
{
    jw_key(w, "methods");
    jw_arr(w);
    for (size_t i = 0; i < h->nfollowup_methods; i++) {
        jw_obj(w);
        jw_kstr(w, "code", h->followup_methods[i].code);
        jw_kstr(w, "name", h->followup_methods[i].name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "duties");
    jw_arr(w);
    for (size_t i = 0; i < h->nfollowup_duties; i++) {
        const struct health_followup_duty *d = &h->followup_duties[i];
        jw_obj(w);
        jw_kstr(w, "group", h->groups[d->group].name);
        jw_kstr(w, "name", d->name);
        jw_kstr(w, "source", d->source);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static int report_xlsx(struct http_req *req, struct http_resp *resp,
                       const struct health_followup_report *r, struct err *err)
{
    static const char *const titles[] = {"所属村（社区）", "姓名",    "重点人群",
                                         "本年应随访",     "已随访",  "逾期未随访",
                                         "本季度已随访",   "最近随访"};
    struct xlsx_writer *xw;
    int rc = xlsx_writer_open(NULL, "待随访名单", &xw, err);
    if (rc) return rc;
    xlsx_write_header(xw, titles, 8);
    for (size_t i = 0; i < r->nlist; i++) {
        const struct health_followup_person *p = &r->list[i];
        long row = (long)i + 1;
        xlsx_write_text(xw, row, 0, p->unit_name);
        xlsx_write_text(xw, row, 1, p->name ? p->name : "");
        xlsx_write_text(xw, row, 2, p->groups);
        xlsx_write_number(xw, row, 3, (double)p->due);
        xlsx_write_number(xw, row, 4, (double)p->done);
        xlsx_write_number(xw, row, 5, (double)p->missed);
        xlsx_write_text(xw, row, 6, p->current_done ? "是" : "否");
        xlsx_write_text(xw, row, 7, *p->last ? p->last : "本年无");
    }
    resp->status = 200;
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"followups-%s-%s.xlsx\"",
                                 req->unit[0] ? req->unit : "all", r->on));
    return api_send_xlsx(resp, xw, err);
}

/* GET /api/v1/health/followups?unit=&on=&limit=&format=json|xlsx */
int api_health_followups(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *on = NULL, *format = NULL;
    long limit;
    int rc = http_query_text(req, "on", 16, &on, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (!rc && format && *format && strcmp(format, "json") != 0 && strcmp(format, "xlsx") != 0)
        rc = err_set_field(err, ERR_INVALID, "format", "format 须为 json 或 xlsx");
    if (!rc) rc = http_query_int(req, "limit", 500, 1, FOLLOWUP_LIST_MAX, &limit, err);
    bool xlsx = !rc && format && strcmp(format, "xlsx") == 0;
    if (xlsx) limit = FOLLOWUP_EXPORT_MAX;
    struct health_followup_report r;
    if (!rc)
        rc = health_followup_report(req->app, req->arena, req->unit, on, (size_t)limit, &r, err);
    if (rc) return rc;
    if (xlsx) return report_xlsx(req, resp, &r, err);
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "from", r.year_start);
    jw_kstr(&w, "on", r.on);
    jw_kint(&w, "people", r.people);
    jw_kint(&w, "due", r.due);
    jw_kint(&w, "done", r.done);
    jw_kint(&w, "missed", r.missed);
    if (r.due > 0)
        jw_knum(&w, "rate", (double)r.done / (double)r.due);
    else
        jw_knull(&w, "rate");
    jw_kint(&w, "listed_total", r.listed_total);
    settings(&w, req->app->health);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < r.nlist; i++) {
        const struct health_followup_person *p = &r.list[i];
        jw_obj(&w);
        jw_kint(&w, "person", p->person_id);
        jw_kstr(&w, "name", p->name ? p->name : "");
        jw_kstr(&w, "unit", p->unit);
        jw_kstr(&w, "unit_name", p->unit_name);
        jw_kstr(&w, "groups", p->groups);
        jw_kint(&w, "due", p->due);
        jw_kint(&w, "done", p->done);
        jw_kint(&w, "missed", p->missed);
        jw_kbool(&w, "current_done", p->current_done);
        if (*p->last)
            jw_kstr(&w, "last", p->last);
        else
            jw_knull(&w, "last");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

static int write_list(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                      int64_t created, struct err *err)
{
    struct health_followup_row *f;
    size_t n;
    int rc = health_followups_of(req->app, req->arena, req->user, id, &f, &n, err);
    if (rc) return rc;
    const struct health_defs *h = req->app->health;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    jw_kint(&w, "person", id);
    if (created) jw_kint(&w, "id", created);
    settings(&w, h);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        const char *m = health_name(h->followup_methods, h->nfollowup_methods, f[i].method);
        jw_obj(&w);
        jw_kint(&w, "id", f[i].id);
        jw_kstr(&w, "day", f[i].day);
        jw_kstr(&w, "method", f[i].method);
        jw_kstr(&w, "method_name", m ? m : f[i].method);
        jw_kstr(&w, "doctor", f[i].doctor);
        jw_kstr(&w, "team_name", f[i].team_name);
        jw_kstr(&w, "note", f[i].note);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* GET /api/v1/persons/{id}/health/followups */
int api_person_followups(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    return rc ? rc : write_list(req, resp, id, 200, 0, err);
}

/* POST /api/v1/persons/{id}/health/followups {day, method, doctor, note} */
int api_person_followup_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"day", "method", "doctor", "note", NULL};
    json_t *body;
    struct health_followup_in in = {0};
    int64_t id = 0;
    int rc = app_parse_id(req->param[0], "人员", &in.person_id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "day", 16, &in.day, err);
    if (!rc) rc = jin_str(req->arena, body, "method", 32, &in.method, err);
    if (!rc) rc = jin_str(req->arena, body, "doctor", 256, &in.doctor, err);
    if (!rc) rc = jin_text(req->arena, body, "note", 4000, &in.note, err);
    if (!rc) rc = health_followup_create(req->app, req->user, &in, req->client, &id, err);
    return rc ? rc : write_list(req, resp, in.person_id, 201, id, err);
}
