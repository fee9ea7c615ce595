/*
 * inspections.c — 双随机、一公开 over HTTP (app/inspections.h): the three
 * registries (GET/POST /api/v1/inspections/items|targets|inspectors,
 * PATCH …/{id}, POST /api/v1/inspections/links for 回避), plans (GET/POST
 * /api/v1/inspections/plans, GET …/{id}), the draw (POST …/{id}/draw),
 * results (POST /api/v1/inspections/checks/{id}/result), and the public
 * page's reads: GET /api/v1/public/inspections, …/plans/{id},
 * …/draws/{id}/verify (a re-run of the draw from its stored inputs).
 */
#include "api/api.h"
#include "app/inspections.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void unit_ref(struct http_req *req, struct jw *w, const char *key, const char *code)
{
    uint32_t i = tree_find(req->tree, code, strlen(code));
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "name", i == TREE_NONE ? "" : tree_name(req->tree, i));
    jw_obj_end(w);
}

static int saved(struct http_resp *resp, int64_t id, int rc)
{
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_obj_end(&w);
    return ERR_OK;
}

/* An integer member in [lo, hi]; *out keeps its value when absent. */
static int body_int(json_t *o, const char *key, int64_t lo, int64_t hi, bool required, int64_t *out,
                    struct err *err)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return required ? err_set_field(err, ERR_INVALID, key, "请给出 %s", key) : ERR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return err_set_field(err, ERR_INVALID, key, "%s 须为 %lld 到 %lld 之间的整数", key,
                             (long long)lo, (long long)hi);
    *out = (int64_t)json_integer_value(v);
    return ERR_OK;
}

/* A string member; *out keeps its value when absent. */
static int body_str(struct http_req *req, json_t *o, const char *key, size_t max, const char **out,
                    struct err *err)
{
    const char *s = NULL;
    int rc = jin_str(req->arena, o, key, max, &s, err);
    if (!rc && s) *out = s;
    return rc;
}

static int body_active(json_t *o, bool *active, struct err *err)
{
    int b;
    int rc = jin_bool(o, "active", &b, err);
    if (!rc && b >= 0) *active = b == 1;
    return rc;
}

/* ---- 抽查事项清单 ---- */

int api_insp_items(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct insp_item_row *r;
    struct insp_result_code *codes;
    size_t n, nc;
    long days;
    int rc = inspections_items(req->app, req->arena, &r, &n, err);
    if (!rc) rc = inspections_result_codes(req->arena, &codes, &nc, &days, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "publish_within_working_days", days);
    jw_key(&w, "results");
    jw_arr(&w);
    for (size_t i = 0; i < nc; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", codes[i].code);
        jw_kstr(&w, "label", codes[i].label);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", r[i].id);
        jw_kstr(&w, "code", r[i].code);
        jw_kstr(&w, "name", r[i].name);
        jw_kstr(&w, "basis", r[i].basis);
        jw_kint(&w, "ratio_permille", r[i].ratio_permille);
        jw_kstr(&w, "frequency", r[i].frequency);
        jw_kstr(&w, "department", r[i].department);
        jw_kbool(&w, "active", r[i].active);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

static int item_body(struct http_req *req, json_t *body, struct insp_item_row *r, struct err *err)
{
    static const char *const fields[] = {"code",      "name",       "basis",  "ratio_permille",
                                         "frequency", "department", "active", NULL};
    int rc = jin_only(body, fields, err);
    if (!rc) rc = body_str(req, body, "code", 32, &r->code, err);
    if (!rc) rc = body_str(req, body, "name", 120, &r->name, err);
    if (!rc) rc = body_str(req, body, "basis", 500, &r->basis, err);
    if (!rc) rc = body_int(body, "ratio_permille", 1, 1000, !r->id, &r->ratio_permille, err);
    if (!rc) rc = body_str(req, body, "frequency", 60, &r->frequency, err);
    if (!rc) rc = body_str(req, body, "department", 120, &r->department, err);
    if (!rc) rc = body_active(body, &r->active, err);
    return rc;
}

int api_insp_item_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body = NULL;
    struct insp_item_row r = {.department = "", .active = true};
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = item_body(req, body, &r, err);
    if (!rc) rc = inspections_item_save(req->app, req->user, &r, req->client, &id, err);
    return rc ? rc : http_created_id(resp, id);
}

int api_insp_item_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body = NULL;
    struct insp_item_row r;
    int64_t id = 0;
    int rc = app_parse_id(req->param[0], "抽查事项", &id, err);
    if (!rc) rc = inspections_item_get(req->app, req->arena, id, &r, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = item_body(req, body, &r, err);
    if (!rc) rc = inspections_item_save(req->app, req->user, &r, req->client, &id, err);
    return saved(resp, id, rc);
}

/* ---- 检查对象名录库 ---- */

int api_insp_targets(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct insp_target_row *r;
    size_t n;
    int rc = inspections_targets(req->app, req->arena, req->unit, &r, &n, err);
    if (rc) return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", r[i].id);
        jw_kstr(&w, "name", r[i].name);
        jw_kstr(&w, "kind", r[i].kind);
        jw_kstr(&w, "credit_code", r[i].credit_code);
        unit_ref(req, &w, "unit", r[i].unit);
        jw_kbool(&w, "active", r[i].active);
        jw_obj_end(&w);
    }
    api_items_end(&w);
    return ERR_OK;
}

static int target_body(struct http_req *req, json_t *body, struct insp_target_row *r,
                       struct err *err)
{
    static const char *const fields[] = {"name", "kind", "credit_code", "unit", "active", NULL};
    int rc = jin_only(body, fields, err);
    if (!rc) rc = body_str(req, body, "name", 120, &r->name, err);
    if (!rc) rc = body_str(req, body, "kind", 40, &r->kind, err);
    if (!rc) rc = body_str(req, body, "credit_code", 18, &r->credit_code, err);
    if (!rc) rc = body_str(req, body, "unit", 32, &r->unit, err);
    if (!rc) rc = body_active(body, &r->active, err);
    return rc;
}

int api_insp_target_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body = NULL;
    struct insp_target_row r = {.credit_code = "", .unit = req->unit, .active = true};
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = target_body(req, body, &r, err);
    if (!rc) rc = inspections_target_save(req->app, req->user, &r, req->client, &id, err);
    return rc ? rc : http_created_id(resp, id);
}

int api_insp_target_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body = NULL;
    struct insp_target_row r;
    int64_t id = 0;
    int rc = app_parse_id(req->param[0], "检查对象", &id, err);
    if (!rc) rc = inspections_target_get(req->app, req->arena, req->user->scope, id, &r, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = target_body(req, body, &r, err);
    if (!rc) rc = inspections_target_save(req->app, req->user, &r, req->client, &id, err);
    return saved(resp, id, rc);
}

/* ---- 执法检查人员名录库 and 回避 ---- */

int api_insp_inspectors(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct insp_inspector_row *r;
    struct insp_link_row *l;
    size_t n, nl;
    int rc = inspections_inspectors(req->app, req->arena, req->unit, &r, &n, err);
    if (!rc) rc = inspections_links(req->app, req->arena, req->unit, &l, &nl, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0, k = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", r[i].id);
        jw_kstr(&w, "name", r[i].name);
        jw_kstr(&w, "department", r[i].department);
        jw_kstr(&w, "cert_no", r[i].cert_no);
        unit_ref(req, &w, "unit", r[i].unit);
        jw_kbool(&w, "active", r[i].active);
        jw_key(&w, "links"); /* both lists ascend by inspector id */
        jw_arr(&w);
        while (k < nl && l[k].inspector_id < r[i].id)
            k++;
        for (; k < nl && l[k].inspector_id == r[i].id; k++) {
            jw_obj(&w);
            jw_kint(&w, "target", l[k].target_id);
            jw_kstr(&w, "target_name", l[k].target);
            jw_kstr(&w, "reason", l[k].reason);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

static int inspector_body(struct http_req *req, json_t *body, struct insp_inspector_row *r,
                          struct err *err)
{
    static const char *const fields[] = {"name", "department", "cert_no", "unit", "active", NULL};
    int rc = jin_only(body, fields, err);
    if (!rc) rc = body_str(req, body, "name", 60, &r->name, err);
    if (!rc) rc = body_str(req, body, "department", 120, &r->department, err);
    if (!rc) rc = body_str(req, body, "cert_no", 40, &r->cert_no, err);
    if (!rc) rc = body_str(req, body, "unit", 32, &r->unit, err);
    if (!rc) rc = body_active(body, &r->active, err);
    return rc;
}

int api_insp_inspector_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body = NULL;
    struct insp_inspector_row r = {.unit = req->unit, .cert_no = "", .active = true};
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = inspector_body(req, body, &r, err);
    if (!rc) rc = inspections_inspector_save(req->app, req->user, &r, req->client, &id, err);
    return rc ? rc : http_created_id(resp, id);
}

int api_insp_inspector_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body = NULL;
    struct insp_inspector_row r;
    int64_t id = 0;
    int rc = app_parse_id(req->param[0], "执法检查人员", &id, err);
    if (!rc) rc = inspections_inspector_get(req->app, req->arena, req->user->scope, id, &r, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = inspector_body(req, body, &r, err);
    if (!rc) rc = inspections_inspector_save(req->app, req->user, &r, req->client, &id, err);
    return saved(resp, id, rc);
}

int api_insp_link(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"inspector", "target", "reason", "remove", NULL};
    json_t *body = NULL;
    int64_t inspector = 0, target = 0;
    const char *reason = NULL;
    int remove = -1;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = body_int(body, "inspector", 1, INT64_MAX, true, &inspector, err);
    if (!rc) rc = body_int(body, "target", 1, INT64_MAX, true, &target, err);
    if (!rc) rc = jin_str(req->arena, body, "reason", 60, &reason, err);
    if (!rc) rc = jin_bool(body, "remove", &remove, err);
    if (!rc && remove != 1 && !reason)
        rc = err_set_field(err, ERR_INVALID, "reason", "请写明回避的理由（如 近亲属、曾任职）");
    if (!rc)
        rc = inspections_link_set(req->app, req->user, inspector, target,
                                  remove == 1 ? NULL : reason, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    if (remove != 1) resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "inspector", inspector);
    jw_kint(&w, "target", target);
    jw_kbool(&w, "linked", remove != 1);
    jw_obj_end(&w);
    return ERR_OK;
}

/* ---- plans, draws, results ---- */

static void write_plan(struct http_req *req, struct jw *w, const struct insp_plan_row *p)
{
    jw_kint(w, "id", p->id);
    jw_kstr(w, "name", p->name);
    jw_key(w, "item");
    jw_obj(w);
    jw_kint(w, "id", p->item_id);
    jw_kstr(w, "name", p->item);
    jw_obj_end(w);
    unit_ref(req, w, "unit", p->unit);
    jw_kint(w, "ratio_permille", p->ratio_permille);
    jw_kint(w, "target_count", p->target_count);
    jw_kint(w, "per_target", p->per_target);
    jw_kstr(w, "deadline", p->deadline);
    jw_kstr(w, "public_value", p->public_value);
    jw_kstr(w, "created_at", p->created_at);
    if (p->draw_id) {
        jw_key(w, "draw");
        jw_obj(w);
        jw_kint(w, "id", p->draw_id);
        jw_kstr(w, "drawn_at", p->drawn_at);
        jw_kstr(w, "seed", p->seed);
        jw_kstr(w, "registry_digest", p->registry_digest);
        jw_obj_end(w);
    } else {
        jw_knull(w, "draw");
    }
    jw_kint(w, "drawn", p->drawn);
    jw_kint(w, "done", p->done);
    jw_kint(w, "overdue", p->overdue);
    if (p->drawn)
        jw_knum(w, "completion", (double)p->done / (double)p->drawn);
    else
        jw_knull(w, "completion");
}

static int plans_list(struct http_req *req, struct http_resp *resp, const char *unit,
                      struct err *err)
{
    struct insp_plan_row *p;
    size_t n;
    int rc = inspections_plans(req->app, req->arena, unit, &p, &n, err);
    if (rc) return rc;
    int64_t drawn = 0, done = 0;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        write_plan(req, &w, &p[i]);
        jw_obj_end(&w);
        drawn += p[i].drawn;
        done += p[i].done;
    }
    jw_arr_end(&w);
    jw_kint(&w, "drawn", drawn);
    jw_kint(&w, "done", done);
    if (drawn)
        jw_knum(&w, "completion", (double)done / (double)drawn);
    else
        jw_knull(&w, "completion");
    jw_obj_end(&w);
    return ERR_OK;
}

int api_insp_plans(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return plans_list(req, resp, req->unit, err);
}

int api_insp_plan_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"name",           "item",         "unit",
                                         "ratio_permille", "target_count", "per_target",
                                         "deadline",       "public_value", NULL};
    json_t *body = NULL;
    struct insp_plan_row r = {.unit = req->unit, .per_target = 2, .public_value = ""};
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = body_str(req, body, "name", 120, &r.name, err);
    if (!rc) rc = body_int(body, "item", 1, INT64_MAX, true, &r.item_id, err);
    if (!rc) rc = body_str(req, body, "unit", 32, &r.unit, err);
    if (!rc) rc = body_int(body, "ratio_permille", 1, 1000, false, &r.ratio_permille, err);
    if (!rc) rc = body_int(body, "target_count", 1, 100000, false, &r.target_count, err);
    if (!rc) rc = body_int(body, "per_target", 2, 10, false, &r.per_target, err);
    if (!rc) rc = body_str(req, body, "deadline", 10, &r.deadline, err);
    if (!rc) rc = body_str(req, body, "public_value", 200, &r.public_value, err);
    if (!rc) rc = inspections_plan_create(req->app, req->user, &r, req->client, &id, err);
    return rc ? rc : http_created_id(resp, id);
}

/* A plan and its checks; public: no ids of the results' authors, the
 * result's label next to its code. */
static int plan_get(struct http_req *req, struct http_resp *resp, const char *scope, int64_t id,
                    struct err *err)
{
    struct insp_plan_row p;
    struct insp_check_row *c;
    struct insp_result_code *codes;
    size_t n, nc;
    long days;
    int rc = inspections_plan(req->app, req->arena, scope, id, &p, &c, &n, err);
    if (!rc) rc = inspections_result_codes(req->arena, &codes, &nc, &days, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    write_plan(req, &w, &p);
    jw_kint(&w, "publish_within_working_days", days);
    jw_key(&w, "checks");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        const char *label = "";
        for (size_t k = 0; k < nc; k++)
            if (strcmp(codes[k].code, c[i].result) == 0) label = codes[k].label;
        jw_obj(&w);
        jw_kint(&w, "id", c[i].id);
        jw_kint(&w, "seq", c[i].seq);
        jw_key(&w, "target");
        jw_obj(&w);
        jw_kint(&w, "id", c[i].target_id);
        jw_kstr(&w, "name", c[i].target);
        jw_obj_end(&w);
        unit_ref(req, &w, "unit", c[i].unit);
        jw_kstr(&w, "inspectors", c[i].inspectors);
        jw_kstr(&w, "result", c[i].result);
        jw_kstr(&w, "result_label", label);
        jw_kstr(&w, "checked_on", c[i].checked_on);
        jw_kstr(&w, "publish_by", c[i].publish_by);
        jw_kstr(&w, "published_on", c[i].published_on);
        if (scope) { /* the check's case (事项); not on the public page */
            jw_key(&w, "case_id");
            if (c[i].case_id)
                jw_int(&w, c[i].case_id);
            else
                jw_null(&w);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_insp_plan(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "抽查计划", &id, err);
    return rc ? rc : plan_get(req, resp, req->user->scope, id, err);
}

int api_insp_draw(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"public_value", NULL};
    json_t *body = NULL;
    const char *pub = NULL;
    int64_t plan = 0, draw = 0;
    int rc = app_parse_id(req->param[0], "抽查计划", &plan, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "public_value", 200, &pub, err);
    if (!rc)
        rc = inspections_draw(req->app, req->user->scope, plan, pub, req->user->name, req->client,
                              &draw, err);
    if (rc) return rc;
    rc = plan_get(req, resp, req->user->scope, plan, err);
    if (!rc) resp->status = 201;
    return rc;
}

int api_insp_result(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"result", "checked_on", "published_on", NULL};
    json_t *body = NULL;
    const char *code = NULL, *checked = NULL, *published = NULL;
    int64_t id = 0, plan = 0;
    int rc = app_parse_id(req->param[0], "抽查检查", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "result", 32, &code, err);
    if (!rc) rc = jin_str(req->arena, body, "checked_on", 10, &checked, err);
    if (!rc) rc = jin_str(req->arena, body, "published_on", 10, &published, err);
    if (!rc && !code) rc = err_set_field(err, ERR_INVALID, "result", "请选择检查结果");
    if (!rc && !checked)
        rc = err_set_field(err, ERR_INVALID, "checked_on", "请给出检查日期 YYYY-MM-DD");
    if (!rc)
        rc = inspections_result(req->app, req->user->scope, id, code, checked, published,
                                req->user->name, req->client, err);
    if (!rc) rc = inspections_check_plan(req->app, id, &plan, err);
    return rc ? rc : plan_get(req, resp, req->user->scope, plan, err);
}

/* ---- the public page (no login) ---- */

int api_public_inspections(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return plans_list(req, resp, "", err);
}

int api_public_inspection_plan(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "抽查计划", &id, err);
    if (rc) return rc == ERR_INVALID ? err_set(err, ERR_NOT_FOUND, "没有这个抽查计划") : rc;
    return plan_get(req, resp, NULL, id, err);
}

int api_public_inspection_verify(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "摇号记录", &id, err);
    if (rc) return rc == ERR_INVALID ? err_set(err, ERR_NOT_FOUND, "没有这次摇号") : rc;
    struct buf out = BUF_INIT, diff = BUF_INIT;
    bool same = true;
    rc = inspections_verify(req->app, id, &out, &same, &diff, err);
    if (!rc) {
        struct jw w;
        http_json(resp, &w);
        jw_obj(&w);
        jw_kint(&w, "draw", id);
        jw_kbool(&w, "same", same);
        jw_kstr(&w, "rerun", out.p ? out.p : "");
        jw_kstr(&w, "differences", diff.p ? diff.p : "");
        jw_obj_end(&w);
    }
    buf_free(&out);
    buf_free(&diff);
    return rc;
}

/* "source_check" of an item: the 双随机 check its case was opened for
 * (the case's link back to inspection_checks), or null. */
int api_write_source_check(struct jw *w, struct http_req *req, int64_t case_id, struct err *err)
{
    struct insp_check_about ck;
    bool found;
    int rc = inspections_check_of_case(req->app, req->arena, case_id, &ck, &found, err);
    if (rc) return rc;
    jw_key(w, "source_check");
    if (!found) {
        jw_null(w);
        return ERR_OK;
    }
    jw_obj(w);
    jw_kint(w, "id", ck.id);
    jw_kstr(w, "item", ck.item);
    jw_kstr(w, "target", ck.target);
    jw_kstr(w, "deadline", ck.deadline);
    jw_kstr(w, "result", ck.result);
    jw_kstr(w, "checked_on", ck.checked_on);
    jw_kstr(w, "publish_by", ck.publish_by);
    jw_kstr(w, "published_on", ck.published_on);
    jw_obj_end(w);
    return ERR_OK;
}
