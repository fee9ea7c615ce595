/* inspections_io.c — the 双随机 registries from a sheet over HTTP
 * (app/inspections.h): POST /api/v1/inspections/items|targets|inspectors/
 * import?unit=CODE&name=FILE with the file as the body, all rows or none
 * (a refused file answers its first error and every refused row, as the
 * people imports do), and GET …/import/template, the headings as a
 * workbook. */
#include "api/api.h"
#include "app/inspections.h"
#include "app/people.h"

static int import(struct http_req *req, struct http_resp *resp, enum insp_registry which,
                  struct err *err)
{
    const char *sheet;
    inspections_import_form(which, &sheet);
    const char *name;
    int rc = api_import_upload(req, sheet, &name, err);
    if (rc) return rc;
    struct people_row_errors errors = {.a = req->arena};
    size_t rows = 0;
    rc = inspections_import(req->app, req->user, which, req->unit, req->body.p, req->body.len, name,
                            req->client, &errors, &rows, err);
    if (rc && errors.total) return api_write_refused(resp, rc, err, &errors);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "rows", (int64_t)rows);
    jw_obj_end(&w);
    return ERR_OK;
}

static int template(struct http_req *req, struct http_resp *resp, enum insp_registry which,
                    const char *file, struct err *err)
{
    const char *sheet;
    const struct sheet_form *form = inspections_import_form(which, &sheet);
    return api_send_template(req, resp, sheet, file, form, err);
}

int api_insp_items_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return import(req, resp, INSP_ITEMS, err);
}

int api_insp_targets_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return import(req, resp, INSP_TARGETS, err);
}

int api_insp_inspectors_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return import(req, resp, INSP_INSPECTORS, err);
}

int api_insp_items_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return template(req, resp, INSP_ITEMS, "inspection-items-template.xlsx", err);
}

int api_insp_targets_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return template(req, resp, INSP_TARGETS, "inspection-targets-template.xlsx", err);
}

int api_insp_inspectors_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return template(req, resp, INSP_INSPECTORS, "inspectors-template.xlsx", err);
}
