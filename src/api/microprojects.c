/*
 * microprojects.c — 微项目 over HTTP (app/microprojects.h):
 *
 *   GET  /api/v1/microprojects?unit=              the projects of a subtree
 *   POST /api/v1/microprojects                    {"unit","title","budget","wishes":[id],…}
 *   GET  /api/v1/microprojects/{id}               one with its wishes and participants
 *   POST /api/v1/microprojects/{id}/wishes        {"wishes":[id]}: packages more wishes
 *   POST /api/v1/microprojects/{id}/participants  {"kind","name","count"}
 *   GET  /api/v1/public/microprojects?unit=       delivered ones with the wishes they met
 *
 * A project's steps (立项, 实施, 交付 …) are those of any work item:
 * POST /api/v1/items/{id}/transitions.
 */
#include "api/api.h"
#include "app/microprojects.h"

#include <jansson.h>
#include <string.h>

/* "wishes": an array of positive whole ids (in a). */
static int wish_ids(struct arena *a, json_t *body, bool required, int64_t **out, size_t *n,
                    struct err *err)
{
    json_t *list = json_object_get(body, "wishes");
    *out = NULL;
    *n = 0;
    if (!list || json_is_null(list))
        return required ? err_set_field(err, ERR_INVALID, "wishes", "请选择要纳入的心愿") : ERR_OK;
    if (!json_is_array(list))
        return err_set_field(err, ERR_INVALID, "wishes", "wishes 须为心愿编号的数组");
    size_t len = json_array_size(list);
    if (len > MP_WISHES_MAX)
        return err_set_field(err, ERR_INVALID, "wishes", "一次至多纳入 %d 个心愿", MP_WISHES_MAX);
    int64_t *ids = arena_zalloc(a, (len ? len : 1) * sizeof *ids);
    for (size_t i = 0; i < len; i++) {
        json_t *v = json_array_get(list, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return err_set_field(err, ERR_INVALID, arena_printf(a, "wishes[%zu]", i),
                                 "wishes 第 %zu 项须为心愿编号（正整数）", i + 1);
        ids[i] = (int64_t)json_integer_value(v);
    }
    *out = ids;
    *n = len;
    return ERR_OK;
}

/* A whole number member within [lo, hi]; *has false when absent. */
static int whole_member(json_t *body, const char *key, const char *label, int64_t *out,
                        struct err *err)
{
    json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v)) return err_set_field(err, ERR_INVALID, key, "请填写%s", label);
    if (!json_is_integer(v)) return err_set_field(err, ERR_INVALID, key, "%s须为整数", label);
    *out = (int64_t)json_integer_value(v);
    return ERR_OK;
}

static void write_head(struct jw *w, struct http_req *req, const struct mp_row *p)
{
    jw_kint(w, "id", p->id);
    api_ktext(w, "title", p->title, api_view_of(req));
    jw_kstr(w, "state", p->state);
    jw_kstr(w, "state_label", microprojects_state_label(req->app, MICROPROJECT_KIND, p->state));
    api_unit_ref(w, req->tree, "unit", p->unit);
    jw_kint(w, "budget", p->budget);
    jw_kint(w, "wish_count", p->wishes);
    jw_kint(w, "participations", p->participations);
    jw_kstr(w, "created_at", p->created_at);
    jw_kstr(w, "updated_at", p->updated_at);
}

static void write_wishes(struct jw *w, struct http_req *req, const struct mp_view *v,
                         enum api_view view)
{
    jw_key(w, "wishes");
    jw_arr(w);
    for (size_t i = 0; i < v->nwishes; i++) {
        const struct mp_wish_row *x = &v->wishes[i];
        jw_obj(w);
        jw_kint(w, "id", x->id);
        api_ktext(w, "title", x->title, view);
        jw_kstr(w, "state", x->state);
        jw_kstr(w, "state_label", microprojects_state_label(req->app, "wish", x->state));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int api_microprojects_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long limit;
    struct mp_view *rows;
    size_t n;
    int rc = http_query_int(req, "limit", 200, 1, MP_LIST_MAX, &limit, err);
    if (!rc)
        rc = microprojects_list(req->app, req->arena, req->unit, false, (int)limit, &rows, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "budget_max", microprojects_budget_max(req->app));
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        write_head(&w, req, &rows[i].p);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

static int write_one(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                     struct err *err)
{
    struct mp_view v;
    int rc = microprojects_get(req->app, req->arena, id, &v, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    write_head(&w, req, &v.p);
    jw_kstr(&w, "assignee", v.p.assignee);
    write_wishes(&w, req, &v, api_view_of(req));
    jw_key(&w, "participants");
    jw_arr(&w);
    for (size_t i = 0; i < v.nparts; i++) {
        const struct mp_participant_row *p = &v.parts[i];
        jw_obj(&w);
        jw_kint(&w, "id", p->id);
        jw_kstr(&w, "kind", p->kind);
        jw_kstr(&w, "kind_label", microprojects_participant_label(p->kind));
        api_ktext(&w, "name", p->name, api_view_of(req));
        jw_kint(&w, "count", p->count);
        jw_kstr(&w, "added_at", p->added_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_microprojects_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit",   "title",  "description", "deadline",
                                         "budget", "wishes", NULL};
    json_t *body;
    struct mp_create in = {0};
    int64_t *wishes = NULL, id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "unit", 32, &in.unit, err);
    if (!rc) rc = jin_str(req->arena, body, "title", 200, &in.title, err);
    if (!rc) rc = jin_text(req->arena, body, "description", 4000, &in.description, err);
    if (!rc) rc = jin_str(req->arena, body, "deadline", 10, &in.deadline, err);
    if (!rc) rc = whole_member(body, "budget", "预算（元）", &in.budget, err);
    if (!rc) rc = wish_ids(req->arena, body, false, &wishes, &in.nwishes, err);
    if (rc) return rc;
    if (!in.unit) in.unit = req->unit;
    in.wishes = wishes;
    if ((rc = microprojects_create(req->app, req->user, &in, req->client, req->arena, &id, err)))
        return rc;
    return write_one(req, resp, id, 201, err);
}

int api_microproject_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "微项目", &id, err);
    if (rc) return rc;
    return write_one(req, resp, id, 200, err);
}

int api_microproject_wishes(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"wishes", NULL};
    json_t *body;
    int64_t id, *wishes = NULL;
    size_t n = 0;
    int rc = app_parse_id(req->param[0], "微项目", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = wish_ids(req->arena, body, true, &wishes, &n, err);
    if (!rc) rc = microprojects_link(req->app, req->user, id, wishes, n, req->client, err);
    if (rc) return rc;
    return write_one(req, resp, id, 201, err);
}

int api_microproject_participants(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"kind", "name", "count", NULL};
    json_t *body;
    int64_t id, count = 0;
    const char *kind = NULL, *name = NULL;
    int rc = app_parse_id(req->param[0], "微项目", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "kind", 16, &kind, err);
    if (!rc) rc = jin_str(req->arena, body, "name", MP_NAME_MAX, &name, err);
    if (!rc) rc = whole_member(body, "count", "参与人次", &count, err);
    if (!rc)
        rc = microprojects_participant_add(req->app, req->user, id, kind, name, count, req->client,
                                           NULL, err);
    if (rc) return rc;
    return write_one(req, resp, id, 201, err);
}

int api_public_microprojects(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *unit;
    long limit;
    struct mp_view *rows;
    size_t n;
    int rc = http_query_text(req, "unit", UNIT_CODE_MAX, &unit, err);
    if (!rc) rc = http_query_int(req, "limit", 50, 1, 200, &limit, err);
    if (rc) return rc;
    if (unit && unit[0] && tree_find(req->tree, unit, strlen(unit)) == TREE_NONE)
        return err_set_field(err, ERR_NOT_FOUND, "unit", "没有这个村或社区，请重新选择");
    if ((rc = microprojects_list(req->app, req->arena, unit, true, (int)limit, &rows, &n, err)))
        return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < n; i++) {
        const struct mp_row *p = &rows[i].p;
        jw_obj(&w);
        jw_kint(&w, "id", p->id);
        api_ktext(&w, "title", p->title, API_VIEW_PUBLIC);
        jw_kstr(&w, "state_label",
                microprojects_state_label(req->app, MICROPROJECT_KIND, p->state));
        api_unit_ref(&w, req->tree, "unit", p->unit);
        jw_kint(&w, "budget", p->budget);
        jw_kint(&w, "participations", p->participations);
        jw_kstr(&w, "updated_at", p->updated_at);
        write_wishes(&w, req, &rows[i], API_VIEW_PUBLIC);
        jw_obj_end(&w);
    }
    api_items_end(&w);
    return ERR_OK;
}
