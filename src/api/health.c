/* health.c — GET /api/v1/health: liveness plus the number of units loaded. */
#include "api/api.h"

int api_health(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "status", "ok");
    jw_kstr(&w, "version", JICENG_VERSION);
    jw_kint(&w, "units", tree_current_count(req->tree));
    jw_obj_end(&w);
    return ERR_OK;
}
