/* grids_io.c — grids from a sheet over HTTP (app/grids.h):
 * POST /api/v1/grids/import?unit=CODE&name=FILE with the file as the body,
 * all rows or none (a refused file answers its first error and every
 * refused row), answering the new grids' size warnings; and
 * GET /api/v1/grids/import/template. */
#include "api/api.h"
#include "app/grids.h"
#include "app/people.h"

int api_grids_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name;
    int rc = api_import_upload(req, "网格表", &name, err);
    if (rc) return rc;
    struct people_row_errors errors = {.a = req->arena};
    struct grids_import_result res;
    rc = grids_import(req->app, req->user, req->unit, req->body.p, req->body.len, name, req->client,
                      req->arena, &errors, &res, err);
    if (rc && errors.total) return api_write_refused(resp, rc, err, &errors);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "grids", (int64_t)res.grids);
    jw_kint(&w, "workers", (int64_t)res.workers);
    jw_key(&w, "warnings");
    jw_arr(&w);
    for (size_t i = 0; i < res.nwarnings; i++)
        jw_str(&w, res.warnings[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_grids_import_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return api_send_template(req, resp, "网格表", "grids-template.xlsx", &grids_import_form, err);
}
