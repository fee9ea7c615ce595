/*
 * projects.c — key projects (重点项目) over HTTP (app/projects.h):
 * GET|POST /api/v1/projects (the register with its county roll-up as of a
 * month), GET /api/v1/projects/ledger (the monthly ledger as Excel),
 * POST /api/v1/projects/alerts (late milestones → problem cases),
 * GET /api/v1/projects/{id} (months and milestones), POST
 * /api/v1/projects/{id}/plans, /reports, /milestones and
 * /milestones/{mid}/done.
 */
#include "api/api.h"
#include "app/projects.h"
#include "io/xlsx.h"

#include <jansson.h>
#include <string.h>

#define LEDGER_MAX 5000

static const char *month_param(struct http_req *req)
{
    const char *m = http_query(req, "month");
    if (m && m[0]) return m;
    char *now = arena_alloc(req->arena, 8);
    projects_this_month(now);
    return now;
}

static void write_pct(struct jw *w, const char *key, double v)
{
    if (v < 0)
        jw_knull(w, key);
    else
        jw_knum(w, key, v);
}

static void write_view(struct jw *w, const struct project_view *p)
{
    jw_obj(w);
    jw_kint(w, "id", p->id);
    jw_kstr(w, "name", p->name);
    jw_key(w, "unit");
    jw_obj(w);
    jw_kstr(w, "code", p->unit);
    jw_kstr(w, "name", p->unit_name);
    jw_obj_end(w);
    jw_kstr(w, "scale", p->scale);
    jw_kstr(w, "nature", p->nature);
    jw_kstr(w, "nature_name", p->nature_name);
    jw_key(w, "owner_unit");
    jw_obj(w);
    jw_kstr(w, "code", p->owner_unit);
    jw_kstr(w, "name", p->owner_unit_name);
    jw_obj_end(w);
    if (p->leader_id) {
        jw_key(w, "leader");
        jw_obj(w);
        jw_kint(w, "id", p->leader_id);
        jw_kstr(w, "name", p->leader_name);
        jw_obj_end(w);
    } else {
        jw_knull(w, "leader");
    }
    jw_kstr(w, "starts_on", p->starts_on);
    jw_kstr(w, "ends_on", p->ends_on);
    jw_knum(w, "total_wan", p->total_wan);
    jw_knum(w, "plan_wan", p->plan_wan);
    jw_knum(w, "month_wan", p->month_wan);
    jw_knum(w, "ytd_wan", p->ytd_wan);
    jw_knum(w, "done_wan", p->done_wan);
    write_pct(w, "plan_pct", p->plan_pct);
    write_pct(w, "total_pct", p->total_pct);
    jw_obj_end(w);
}

int api_projects_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *month = month_param(req);
    struct project_view *rows, total;
    size_t n;
    int rc = projects_list(req->app, req->unit, month, req->arena, &rows, &n, &total, err);
    if (rc) return rc;
    const struct project_defs *d = req->app->projects;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "month", month);
    jw_key(&w, "natures");
    jw_arr(&w);
    for (size_t i = 0; i < d->nnatures; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", d->natures[i].code);
        jw_kstr(&w, "name", d->natures[i].name);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "total");
    jw_obj(&w);
    jw_kint(&w, "projects", (int64_t)n);
    jw_knum(&w, "total_wan", total.total_wan);
    jw_knum(&w, "plan_wan", total.plan_wan);
    jw_knum(&w, "month_wan", total.month_wan);
    jw_knum(&w, "ytd_wan", total.ytd_wan);
    jw_knum(&w, "done_wan", total.done_wan);
    write_pct(&w, "plan_pct", total.plan_pct);
    write_pct(&w, "total_pct", total.total_pct);
    jw_obj_end(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        write_view(&w, &rows[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* The monthly ledger of the projects inside ?unit= as of ?month=. */
int api_projects_ledger(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const titles[] = {"项目名称",       "所在地",           "项目性质",
                                         "建设规模",       "包联县级领导",     "责任单位",
                                         "总投资（万元）", "年度计划（万元）", "本月完成（万元）",
                                         "年累计（万元）", "占年度计划（%）",  "累计完成（万元）",
                                         "占总投资（%）"};
    enum { NCOLS = sizeof titles / sizeof titles[0] };
    const char *month = month_param(req);
    struct project_view *rows, total;
    size_t n;
    int rc = projects_list(req->app, req->unit, month, req->arena, &rows, &n, &total, err);
    if (rc) return rc;
    if (n > LEDGER_MAX)
        return err_set(err, ERR_TOO_LARGE, "项目超过 %d 个，请选择更小的范围导出", LEDGER_MAX);
    struct xlsx_writer *xw;
    if ((rc = xlsx_writer_open(NULL, "重点项目月报", &xw, err))) return rc;
    xlsx_write_header(xw, titles, NCOLS);
    for (size_t i = 0; i < n; i++) {
        const struct project_view *p = &rows[i];
        uint32_t r = (uint32_t)i + 1;
        const char *text[] = {p->name,  p->unit_name,   p->nature_name,
                              p->scale, p->leader_name, p->owner_unit_name};
        for (int c = 0; c < 6; c++)
            xlsx_write_text(xw, r, c, text[c]);
        double num[] = {p->total_wan, p->plan_wan, p->month_wan, p->ytd_wan,
                        p->plan_pct,  p->done_wan, p->total_pct};
        for (int c = 0; c < 7; c++)
            if (num[c] >= 0) xlsx_write_number(xw, r, 6 + c, num[c]);
    }
    resp->status = 200;
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"projects-%s-%s.xlsx\"",
                                 req->unit[0] ? req->unit : "all", month));
    return api_send_xlsx(resp, xw, err);
}

int api_projects_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit",    "name",       "scale",     "nature",
                                         "leader",  "owner_unit", "total_wan", "starts_on",
                                         "ends_on", NULL};
    json_t *body;
    struct project_in in = {0};
    bool has = false;
    double leader = 0;
    int64_t id = 0;
    struct arena *a = req->arena;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(a, body, "unit", 19, &in.unit, err);
    if (!rc) rc = jin_str(a, body, "name", 400, &in.name, err);
    if (!rc) rc = jin_text(a, body, "scale", 2000, &in.scale, err);
    if (!rc) rc = jin_str(a, body, "nature", 64, &in.nature, err);
    if (!rc) rc = jin_str(a, body, "owner_unit", 19, &in.owner_unit, err);
    if (!rc) rc = jin_str(a, body, "starts_on", 10, &in.starts_on, err);
    if (!rc) rc = jin_str(a, body, "ends_on", 10, &in.ends_on, err);
    if (!rc) rc = jin_num(body, "leader", &has, &leader, err);
    if (!rc && has && (leader < 1 || leader > 9e15 || leader != (double)(int64_t)leader))
        rc = err_set_field(err, ERR_INVALID, "leader", "leader 须为人员编号");
    in.leader_id = has ? (int64_t)leader : 0;
    if (!rc) rc = jin_num(body, "total_wan", &has, &in.total_wan, err);
    if (!rc && !has) rc = err_set_field(err, ERR_INVALID, "total_wan", "请填写总投资（万元）");
    if (!rc) rc = projects_create(req->app, req->user, &in, req->client, &id, err);
    if (rc) return rc;
    return http_created_id(resp, id);
}

int api_projects_alerts(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int opened = 0;
    int rc = projects_open_late_cases(req->app, req->user, req->unit, req->client, &opened, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "opened", opened);
    jw_obj_end(&w);
    return ERR_OK;
}

static int write_full(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                      struct err *err)
{
    struct project_full f;
    int rc = projects_get(req->app, req->user, id, month_param(req), req->arena, &f, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    jw_key(&w, "project");
    write_view(&w, &f.p);
    jw_key(&w, "months");
    jw_arr(&w);
    for (size_t i = 0; i < f.nmonths; i++) {
        const struct project_month *m = &f.months[i];
        jw_obj(&w);
        jw_kstr(&w, "month", m->month);
        jw_knum(&w, "invested_wan", m->invested_wan);
        jw_knum(&w, "ytd_wan", m->ytd_wan);
        jw_knum(&w, "done_wan", m->done_wan);
        write_pct(&w, "plan_pct", m->plan_pct);
        write_pct(&w, "total_pct", m->total_pct);
        jw_kstr(&w, "progress", m->progress);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "milestones");
    jw_arr(&w);
    for (size_t i = 0; i < f.nmilestones; i++) {
        const struct project_milestone *m = &f.milestones[i];
        jw_obj(&w);
        jw_kint(&w, "id", m->id);
        jw_kstr(&w, "name", m->name);
        jw_kstr(&w, "planned_on", m->planned_on);
        if (m->done_on[0])
            jw_kstr(&w, "done_on", m->done_on);
        else
            jw_knull(&w, "done_on");
        jw_kstr(&w, "alert", m->alert);
        if (m->case_id)
            jw_kint(&w, "case_id", m->case_id);
        else
            jw_knull(&w, "case_id");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "late", f.p.late);
    jw_kint(&w, "due_soon", f.p.due_soon);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_project_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "重点项目", &id, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}

int api_project_plan(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"year", "plan_wan", NULL};
    int64_t id;
    json_t *body;
    bool has_year = false, has_plan = false;
    double year = 0, plan = 0;
    int rc = app_parse_id(req->param[0], "重点项目", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_num(body, "year", &has_year, &year, err);
    if (!rc) rc = jin_num(body, "plan_wan", &has_plan, &plan, err);
    if (!rc && (!has_year || year < 2000 || year > 2100 || year != (double)(int)year))
        rc = err_set_field(err, ERR_INVALID, "year", "请填写年份，如 2026");
    if (!rc && !has_plan)
        rc = err_set_field(err, ERR_INVALID, "plan_wan", "请填写年度计划投资（万元）");
    if (!rc) rc = projects_plan_set(req->app, req->user, id, (int)year, plan, req->client, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}

int api_project_report(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"month", "invested_wan", "progress", NULL};
    int64_t id;
    json_t *body;
    bool has = false;
    double invested = 0;
    const char *month = NULL, *progress = NULL;
    int rc = app_parse_id(req->param[0], "重点项目", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "month", 7, &month, err);
    if (!rc) rc = jin_text(req->arena, body, "progress", 2000, &progress, err);
    if (!rc) rc = jin_num(body, "invested_wan", &has, &invested, err);
    if (!rc && !month) rc = err_set_field(err, ERR_INVALID, "month", "请填写月份，如 2026-03");
    if (!rc && !has)
        rc = err_set_field(err, ERR_INVALID, "invested_wan", "请填写本月完成投资（万元）");
    if (!rc)
        rc = projects_report(req->app, req->user, id, month, invested, progress, req->client, err);
    return rc ? rc : write_full(req, resp, id, 201, err);
}

int api_project_milestone_add(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"name", "planned_on", NULL};
    int64_t id, mid;
    json_t *body;
    const char *name = NULL, *planned = NULL;
    int rc = app_parse_id(req->param[0], "重点项目", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 400, &name, err);
    if (!rc) rc = jin_str(req->arena, body, "planned_on", 10, &planned, err);
    if (!rc)
        rc = projects_milestone_add(req->app, req->user, id, name, planned, req->client, &mid, err);
    return rc ? rc : write_full(req, resp, id, 201, err);
}

int api_project_milestone_done(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"done_on", NULL};
    int64_t id, mid;
    json_t *body;
    const char *day = NULL;
    int rc = app_parse_id(req->param[0], "重点项目", &id, err);
    if (!rc) rc = app_parse_id(req->param[1], "项目节点", &mid, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "done_on", 10, &day, err);
    if (!rc && !day) rc = err_set_field(err, ERR_INVALID, "done_on", "请填写实际完成日期");
    if (!rc) rc = projects_milestone_done(req->app, req->user, id, mid, day, req->client, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}
