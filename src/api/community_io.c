/*
 * community_io.c — community ledgers in over HTTP, each with the file as
 * the body, all rows or none, and their templates:
 * POST /api/v1/projects/import?unit=CODE&name=FILE (重点项目台账,
 * app/projects.h) and POST /api/v1/volunteers/teams/import (志愿服务队
 * and their members, app/volunteers.h); GET …/import/template. A refused
 * file answers its first error and every refused row, as the people
 * imports do.
 */
#include "api/api.h"
#include "app/people.h"
#include "app/projects.h"
#include "app/volunteers.h"

int api_projects_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name;
    int rc = api_import_upload(req, "重点项目台账", &name, err);
    if (rc) return rc;
    struct people_row_errors errors = {.a = req->arena};
    size_t rows = 0;
    rc = projects_import(req->app, req->user, req->unit, req->body.p, req->body.len, name,
                         req->client, &errors, &rows, err);
    if (rc && errors.total) return api_write_refused(resp, rc, err, &errors);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "rows", (int64_t)rows);
    jw_kint(&w, "projects_added", (int64_t)rows);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_projects_import_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return api_send_template(req, resp, "重点项目台账", "projects-template.xlsx",
                             &projects_import_form, err);
}

int api_volunteer_teams_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name;
    int rc = api_import_upload(req, "志愿服务队名单", &name, err);
    if (rc) return rc;
    struct people_row_errors errors = {.a = req->arena};
    struct vol_import_result res;
    rc = volunteers_import(req->app, req->user, req->unit, req->body.p, req->body.len, name,
                           req->client, &errors, &res, err);
    if (rc && errors.total) return api_write_refused(resp, rc, err, &errors);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "rows", (int64_t)res.rows);
    jw_kint(&w, "teams_added", (int64_t)res.teams_added);
    jw_kint(&w, "members_added", (int64_t)res.members_added);
    jw_kint(&w, "members_existing", (int64_t)res.members_existing);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_volunteer_teams_import_template(struct http_req *req, struct http_resp *resp,
                                        struct err *err)
{
    return api_send_template(req, resp, "志愿服务队", "volunteer-teams-template.xlsx",
                             &volunteers_import_form, err);
}
