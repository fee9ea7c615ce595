/*
 * share.c — 共享小区 over HTTP for staff (app/share.h):
 *
 *   GET  /api/v1/share/posts?unit=&kind=&state=  needs and offers of a subtree, with the categories
 *   POST /api/v1/share/posts                    {"kind","category","unit","building","from","to",
 *                                                "title","body","contact"}
 *   POST /api/v1/share/posts/close              {"post"} withdraws an open post
 *   GET  /api/v1/share/suggestions?unit=&post=  open posts of the other kind that fit
 *   GET  /api/v1/share/matches?unit=            service records of a subtree
 *   POST /api/v1/share/matches                  {"need","offer"}: 409 when either is taken
 *   POST /api/v1/share/matches/confirm          {"match","side","rating"}
 *
 * Residents' routes: api/share_public.c. Contacts are shown masked.
 */
#include "api/api.h"
#include "api/share_json.h"
#include "app/share.h"

#include <jansson.h>
#include <string.h>

/* A JSON number that must be a positive whole id. */
static int id_member(json_t *body, const char *key, const char *label, int64_t *out,
                     struct err *err)
{
    bool has = false;
    double v = 0;
    int rc = jin_num(body, key, &has, &v, err);
    if (rc) return rc;
    if (!has) return err_set_field(err, ERR_INVALID, key, "请选择%s", label);
    if (v < 1 || v > 9e15 || v != (double)(int64_t)v)
        return err_set_field(err, ERR_INVALID, key, "%s须为有效的编号", label);
    *out = (int64_t)v;
    return ERR_OK;
}

int api_share_posts(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *kind = NULL, *state = NULL;
    int rc = http_query_text(req, "kind", 8, &kind, err);
    if (!rc) rc = http_query_text(req, "state", 8, &state, err);
    if (rc) return rc;
    if (kind && kind[0] && strcmp(kind, "need") != 0 && strcmp(kind, "offer") != 0)
        return err_set_field(err, ERR_INVALID, "kind", "kind 须为 need（需求）或 offer（服务）");
    if (state && state[0] && strcmp(state, "open") != 0 && strcmp(state, "matched") != 0 &&
        strcmp(state, "closed") != 0)
        return err_set_field(err, ERR_INVALID, "state", "state 须为 open、matched 或 closed");
    struct share_post_row *rows;
    size_t n;
    if ((rc = share_posts(req->app, req->unit, kind, state, req->arena, &rows, &n, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    share_write_categories(&w, req->app);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        share_write_post(&w, req, &rows[i], api_view_of(req));
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* The body of a post, residents' and staff's alike (contact optional). */
int share_read_input(struct http_req *req, json_t *body, struct share_input *in, struct err *err)
{
    static const char *const fields[] = {"kind", "category", "unit", "building", "from",
                                         "to",   "title",    "body", "contact",  NULL};
    struct arena *a = req->arena;
    int rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(a, body, "kind", 8, &in->kind, err);
    if (!rc) rc = jin_str(a, body, "category", 32, &in->category, err);
    if (!rc) rc = jin_str(a, body, "unit", 32, &in->unit, err);
    if (!rc) rc = jin_str(a, body, "building", 200, &in->building, err);
    if (!rc) rc = jin_str(a, body, "from", 16, &in->from, err);
    if (!rc) rc = jin_str(a, body, "to", 16, &in->to, err);
    if (!rc) rc = jin_str(a, body, "title", 1000, &in->title, err);
    if (!rc) rc = jin_text(a, body, "body", 20000, &in->body, err);
    if (!rc) rc = jin_str(a, body, "contact", SHARE_CONTACT_MAX, &in->contact, err);
    return rc;
}

int api_share_post_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct share_input in = {0};
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = share_read_input(req, body, &in, err);
    if (!rc) rc = share_post_create(req->app, req->user, &in, req->client, &id, NULL, err);
    struct share_post_row p;
    if (!rc) rc = share_post_get(req->app, req->user, id, req->arena, &p, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    share_write_post(&w, req, &p, api_view_of(req));
    return ERR_OK;
}

int api_share_post_close(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"post", NULL};
    json_t *body;
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = id_member(body, "post", "要撤回的需求或服务", &id, err);
    if (!rc) rc = share_post_close(req->app, req->user, id, req->client, err);
    struct share_post_row p;
    if (!rc) rc = share_post_get(req->app, req->user, id, req->arena, &p, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    share_write_post(&w, req, &p, api_view_of(req));
    return ERR_OK;
}

int api_share_suggestions(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long id = 0;
    int rc = http_query_int(req, "post", 0, 1, 9000000000000000L, &id, err);
    if (!rc && id == 0)
        rc = err_set_field(err, ERR_INVALID, "post", "请选择一条需求或服务（post）");
    struct share_post_row p, *rows = NULL;
    size_t n = 0;
    if (!rc) rc = share_post_get(req->app, req->user, id, req->arena, &p, err);
    if (!rc && !auth_in_scope(req->unit, p.unit))
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %ld 的需求或服务（或不在您的管辖范围内）", id);
    if (!rc) rc = share_suggest(req->app, req->user, id, req->arena, &rows, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "post");
    share_write_post(&w, req, &p, api_view_of(req));
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        share_write_post(&w, req, &rows[i], api_view_of(req));
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_share_matches(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct share_match_row *rows;
    size_t n;
    int rc = share_matches(req->app, req->unit, req->arena, &rows, &n, err);
    if (rc) return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < n; i++)
        share_write_match(&w, req, &rows[i], api_view_of(req));
    api_items_end(&w);
    return ERR_OK;
}

static int write_match_by_id(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                             struct err *err)
{
    struct share_match_row m;
    int rc = share_match_get(req->app, id, req->arena, &m, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    share_write_match(&w, req, &m, api_view_of(req));
    return ERR_OK;
}

int api_share_match_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"need", "offer", NULL};
    json_t *body;
    int64_t need = 0, offer = 0, id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = id_member(body, "need", "需求", &need, err);
    if (!rc) rc = id_member(body, "offer", "服务", &offer, err);
    if (!rc) rc = share_match(req->app, req->user, need, offer, req->client, &id, err);
    return rc ? rc : write_match_by_id(req, resp, id, 201, err);
}

int api_share_match_confirm(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"match", "side", "rating", NULL};
    json_t *body;
    int64_t match = 0;
    const char *side = NULL;
    bool has = false;
    double rating = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = id_member(body, "match", "撮合", &match, err);
    if (!rc) rc = jin_str(req->arena, body, "side", 8, &side, err);
    if (!rc) rc = jin_num(body, "rating", &has, &rating, err);
    if (!rc && (!has || rating != (double)(int)rating || rating < 1 || rating > 5))
        rc = err_set_field(err, ERR_INVALID, "rating", "请给出 1 到 5 星的评价");
    if (!rc) rc = share_confirm(req->app, req->user, match, side, (int)rating, req->client, err);
    return rc ? rc : write_match_by_id(req, resp, match, 200, err);
}
