/* evaluations_more.c — the department register, codes added to a running
 * campaign, a person's evaluation record and the public results
 * (app/evaluations.h, evaluations_more.c). */
#include "api/api.h"
#include "app/evaluations.h"
#include "io/json_in.h"
#include "io/json_out.h"

#include <jansson.h>
#include <string.h>

int api_evaluation_departments(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long retired;
    int rc = http_query_int(req, "retired", 0, 0, 1, &retired, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    return evaluations_departments(req->app, req->unit, retired != 0, req->arena, &w, err);
}

int api_evaluation_department_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"unit", "name", NULL};
    json_t *body;
    const char *name = NULL;
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 400, &name, err);
    if (!rc)
        rc = evaluations_department_create(req->app, req->user, req->unit, name, req->client, &id,
                                           err);
    if (rc) return rc;
    return http_created_id(resp, id);
}

int api_evaluation_department_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"name", "active", NULL};
    json_t *body;
    const char *name = NULL;
    int64_t id;
    int active = -1;
    int rc = app_parse_id(req->param[0], "县直部门", &id, err);
    if (rc) return rc == ERR_INVALID ? err_set(err, ERR_NOT_FOUND, "没有这个县直部门") : rc;
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 400, &name, err);
    if (!rc) rc = jin_bool(body, "active", &active, err);
    if (!rc && !name && active < 0)
        rc = err_set(err, ERR_INVALID, "请填写新的名称（name）或是否在用（active）");
    if (!rc)
        rc = evaluations_department_update(req->app, req->user, id, name, active, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_obj_end(&w);
    return ERR_OK;
}

/* {"group": N, "count": N, "revoke": ["CODE"…]}: more codes (shown once). */
int api_evaluation_codes(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"group", "count", "revoke", NULL};
    json_t *body;
    int64_t id;
    int rc = app_parse_id(req->param[0], "评议", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    if (rc) return rc;
    json_t *g = json_object_get(body, "group"), *n = json_object_get(body, "count");
    json_t *r = json_object_get(body, "revoke");
    if (!json_is_integer(g) || json_integer_value(g) < 0 || json_integer_value(g) >= 100)
        return err_set_field(err, ERR_INVALID, "group", "请选择评议主体组（group：0、1、…）");
    if (n && (!json_is_integer(n) || json_integer_value(n) < 0 ||
              json_integer_value(n) > EVAL_RATERS_MAX))
        return err_set_field(err, ERR_INVALID, "count", "补发个数须为 0 至 %d 的整数",
                             EVAL_RATERS_MAX);
    if (r && (!json_is_array(r) || json_array_size(r) > EVAL_RATERS_MAX))
        return err_set_field(err, ERR_INVALID, "revoke", "revoke 须为评议码的数组");
    size_t nrevoke = r ? json_array_size(r) : 0;
    const char **revoke = arena_zalloc(req->arena, (nrevoke + 1) * sizeof *revoke);
    for (size_t i = 0; i < nrevoke; i++) {
        revoke[i] = json_string_value(json_array_get(r, i));
        if (!revoke[i])
            return err_set_field(err, ERR_INVALID, "revoke", "revoke 第 %zu 项须为评议码", i + 1);
    }
    struct eval_codes codes;
    rc = evaluations_add_codes(req->app, req->user, id, (int)json_integer_value(g),
                               n ? (int)json_integer_value(n) : 0, revoke, nrevoke, req->client,
                               req->arena, &codes, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_kint(&w, "revoked", (int64_t)nrevoke);
    jw_key(&w, "codes");
    jw_arr(&w);
    for (size_t i = 0; i < codes.n; i++) {
        jw_obj(&w);
        jw_kint(&w, "group", codes.groups[i]);
        jw_kstr(&w, "code", codes.codes[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_person_evaluations(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    return evaluations_person_write(req->app, id, req->arena, &w, err);
}
