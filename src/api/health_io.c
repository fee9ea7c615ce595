/* health_io.c — 健康服务 sheets in over HTTP (app/health.h):
 * POST /api/v1/health/points/import?unit=CODE&name=FILE, a sheet of
 * village locations as the body, all rows or none; a refused file answers
 * its first error and every refused row, as the people imports do. */
#include "api/api.h"
#include "app/health.h"
#include "app/people.h"
#include "io/json_out.h"

int api_health_points_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name;
    int rc = http_query_text(req, "name", 200, &name, err);
    if (rc) return rc;
    if (!name || !*name) name = "上传的文件";
    if (!req->unit[0]) return err_set_field(err, ERR_INVALID, "unit", "请选择导入到的单位");
    if (!req->body.len)
        return err_set(err, ERR_INVALID,
                       "请上传位置表（XLSX 或 CSV，列：单位代码、纬度、经度、坐标系）");
    struct people_row_errors errors = {.a = req->arena};
    size_t rows = 0;
    rc = health_points_import(req->app, req->user, req->unit, req->body.p, req->body.len, name,
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
