/* health_io.c — 健康服务 sheets in over HTTP (app/health.h), each with the
 * file as the body, all rows or none; a refused file answers its first
 * error and every refused row, as the people imports do:
 * POST /api/v1/health/points/import?unit=CODE&name=FILE (village
 * locations), POST /api/v1/health/facilities/import (医疗卫生机构) and
 * POST /api/v1/health/contracts/import (家庭医生签约), with the templates
 * of the last two at …/import/template. */
#include "api/api.h"
#include "app/health.h"
#include "app/people.h"
#include "io/json_out.h"

typedef int (*sheet_import_fn)(struct app *app, const struct auth_user *actor, const char *scope,
                               const char *data, size_t len, const char *name, const char *client,
                               struct people_row_errors *errors, size_t *rows, struct err *err);

static int sheet_import(struct http_req *req, struct http_resp *resp, sheet_import_fn fn,
                        const char *what, struct err *err)
{
    const char *name;
    int rc = api_import_upload(req, what, &name, err);
    if (rc) return rc;
    struct people_row_errors errors = {.a = req->arena};
    size_t rows = 0;
    rc = fn(req->app, req->user, req->unit, req->body.p, req->body.len, name, req->client, &errors,
            &rows, err);
    if (rc && errors.total) return api_write_refused(resp, rc, err, &errors);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "rows", (int64_t)rows);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_health_points_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return sheet_import(req, resp, health_points_import, "位置表", err);
}

int api_health_facilities_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return sheet_import(req, resp, health_facilities_import, "机构表", err);
}

int api_health_contracts_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return sheet_import(req, resp, health_contracts_sheet_import, "签约表", err);
}

int api_health_facilities_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return api_send_template(req, resp, "医疗卫生机构", "health-facilities-template.xlsx",
                             &health_facilities_form, err);
}

int api_health_contracts_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return api_send_template(req, resp, "家庭医生签约", "health-contracts-template.xlsx",
                             &health_contracts_form, err);
}
