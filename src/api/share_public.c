/*
 * share_public.c — 共享小区 for residents without an account (app/share.h):
 *
 *   GET  /api/v1/public/share?unit=COMMUNITY     the open needs and offers there, no personal data
 *                                                (no unit: the categories only)
 *   POST /api/v1/public/share                    posts a need or offer (a phone number required):
 *                                                201 {"id","code"}, the code confirms later
 *   GET  /api/v1/public/share/{code}             the post and its match
 *   POST /api/v1/public/share/{code}/confirm     {"rating"}: this side confirms the service
 *   POST /api/v1/public/share/{code}/close       withdraws the post while open
 *
 * Posting is rate limited per address like requests (api/public.c).
 */
#include "api/api.h"
#include "api/share_json.h"
#include "app/share.h"

#include <jansson.h>
#include <string.h>

int api_public_share_board(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *unit;
    int rc = http_query_text(req, "unit", UNIT_CODE_MAX, &unit, err);
    if (rc) return rc;
    bool given = unit && unit[0];
    uint32_t u = given ? tree_find(req->tree, unit, strlen(unit)) : TREE_NONE;
    if (given && (u == TREE_NONE || tree_node(req->tree, u)->level != UNIT_VILLAGE))
        return err_set_field(err, ERR_INVALID, "unit", "请选择所在的社区或村");
    struct share_post_row *rows = NULL;
    size_t n = 0;
    if (given && (rc = share_posts(req->app, unit, NULL, "open", req->arena, &rows, &n, err)))
        return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    share_write_categories(&w, req->app);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        share_write_post(&w, req, &rows[i], API_VIEW_PUBLIC);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_public_share_post(struct http_req *req, struct http_resp *resp, struct err *err)
{
    if (!auth_rate_allow(req->app, arena_printf(req->arena, "share:%s", req->client)))
        return err_set(err, ERR_RATE_LIMIT, "提交过于频繁，请稍后再试");
    json_t *body;
    struct share_input in = {0};
    int64_t id = 0;
    char code[SHARE_CODE_LEN + 1];
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = share_read_input(req, body, &in, err);
    if (!rc) rc = share_post_create(req->app, NULL, &in, req->client, &id, code, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_kstr(&w, "code", code);
    jw_obj_end(&w);
    return ERR_OK;
}

static int write_mine(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct share_post_row p;
    struct share_match_row m;
    int rc = share_by_code(req->app, req->param[0], req->arena, &p, err);
    if (!rc && p.match_id) rc = share_match_get(req->app, p.match_id, req->arena, &m, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "post");
    share_write_post(&w, req, &p, API_VIEW_PUBLIC);
    if (p.match_id) {
        jw_key(&w, "match");
        share_write_match(&w, req, &m, API_VIEW_PUBLIC);
    } else {
        jw_knull(&w, "match");
    }
    jw_obj_end(&w);
    return ERR_OK;
}

int api_public_share_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return write_mine(req, resp, err);
}

int api_public_share_confirm(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"rating", NULL};
    json_t *body;
    bool has = false;
    double rating = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_num(body, "rating", &has, &rating, err);
    if (!rc && (!has || rating != (double)(int)rating || rating < 1 || rating > 5))
        rc = err_set_field(err, ERR_INVALID, "rating", "请给出 1 到 5 星的评价");
    if (!rc) rc = share_code_confirm(req->app, req->param[0], (int)rating, req->client, err);
    return rc ? rc : write_mine(req, resp, err);
}

int api_public_share_close(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int rc = share_code_close(req->app, req->param[0], req->client, err);
    return rc ? rc : write_mine(req, resp, err);
}
