/*
 * timebank.c — the time bank over HTTP (app/timebank.h):
 * GET /api/v1/persons/{id}/timebank (balance and movements), POST
 * /api/v1/persons/{id}/timebank/transfers (to a close relative), POST
 * /api/v1/persons/{id}/timebank/redemptions (by a rule of
 * data/timebank.json) and POST /api/v1/events/{id}/timebank (credits a
 * held volunteer event's hours, once per person).
 */
#include "api/api.h"
#include "app/timebank.h"

#include <jansson.h>

static int write_person(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                        struct err *err)
{
    double balance;
    struct timebank_move *moves;
    size_t n;
    int rc = timebank_person(req->app, id, req->arena, &balance, &moves, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    jw_knum(&w, "balance", balance);
    jw_key(&w, "moves");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", moves[i].id);
        jw_kstr(&w, "kind", moves[i].kind);
        jw_knum(&w, "coins", moves[i].coins);
        jw_kstr(&w, "rule", moves[i].rule);
        jw_kstr(&w, "counterpart", moves[i].counterpart_name);
        jw_kstr(&w, "at", moves[i].created_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_person_timebank(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    return rc ? rc : write_person(req, resp, id, 200, err);
}

int api_person_timebank_transfer(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"to", "coins", NULL};
    int64_t id;
    json_t *body;
    bool has_to = false, has_coins = false;
    double to = 0, coins = 0;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_num(body, "to", &has_to, &to, err);
    if (!rc) rc = jin_num(body, "coins", &has_coins, &coins, err);
    if (!rc && (!has_to || to < 1 || to > 9e15 || to != (double)(int64_t)to))
        rc = err_set_field(err, ERR_INVALID, "to", "请选择受赠的近亲属");
    if (!rc && !has_coins) rc = err_set_field(err, ERR_INVALID, "coins", "请填写转赠的时间币数");
    if (!rc) rc = timebank_transfer(req->app, req->user, id, (int64_t)to, coins, req->client, err);
    return rc ? rc : write_person(req, resp, id, 201, err);
}

int api_person_timebank_redeem(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"rule", NULL};
    int64_t id;
    json_t *body;
    const char *rule = NULL;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "rule", 64, &rule, err);
    if (!rc) rc = timebank_redeem(req->app, req->user, id, rule, req->client, err);
    return rc ? rc : write_person(req, resp, id, 201, err);
}

int api_event_timebank(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int credited = 0;
    int rc = app_parse_id(req->param[0], "活动", &id, err);
    if (!rc) rc = timebank_credit_event(req->app, req->user, id, req->client, &credited, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "credited", credited);
    jw_obj_end(&w);
    return ERR_OK;
}
