/*
 * contests.c — 擂台比武 over HTTP (app/contests.h): GET|POST
 * /api/v1/contests, GET /api/v1/contests/{id} (results, awards, 金点子),
 * POST /api/v1/contests/{id}/rounds, /site-scores, /ideas and /votes; the
 * judge's phone page GET /api/v1/judging/{code} and POST
 * /api/v1/judging/{code}/scores (no login: the judge's code is the
 * credential; wrong codes are rate-limited per address); the live screen
 * GET /api/v1/public/contests/{id}/screen; the defaults GET
 * /api/v1/contest-rules.
 */
#include "api/api.h"
#include "app/contests.h"
#include "io/json_in.h"
#include "io/json_out.h"

#include <jansson.h>
#include <string.h>

int api_contest_rules(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    struct jw w;
    http_json(resp, &w);
    contests_defs_write(req->app, &w);
    return ERR_OK;
}

int api_contests_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long year;
    int rc = http_query_int(req, "year", 0, 0, 9999, &year, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    return contests_list(req->app, req->unit, (int)year, req->arena, &w, err);
}

int api_contests_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct contest_codes codes;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = contests_create(req->app, req->user, body, req->client, req->arena, &codes, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", codes.id);
    /* shown once, for handing out: only their keyed hashes are kept */
    jw_key(&w, "judges");
    jw_arr(&w);
    for (size_t i = 0; i < codes.n; i++) {
        jw_obj(&w);
        jw_kint(&w, "seq", (int64_t)i + 1);
        jw_kstr(&w, "name", codes.names[i]);
        jw_kstr(&w, "code", codes.codes[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

static int contest_id(struct http_req *req, int64_t *id, struct err *err)
{
    return app_parse_id(req->param[0], "擂台比武", id, err);
}

int api_contest_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    const char *format = NULL;
    int rc = contest_id(req, &id, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (rc) return rc;
    if (format && strcmp(format, "xlsx") == 0) return api_contest_export(req, resp, id, err);
    if (format && strcmp(format, "json") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 只能是 json 或 xlsx");
    struct jw w;
    http_json(resp, &w);
    return contests_write(req->app, id, req->user->name, req->arena, &w, err);
}

/* POST /api/v1/contests/{id}/judge-codes {"judge": SEQ} → 201 {name, code} */
int api_contest_judge_code(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"judge", NULL};
    int64_t id;
    json_t *body;
    int rc = contest_id(req, &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    json_t *seq = rc ? NULL : json_object_get(body, "judge");
    if (!rc && (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
                json_integer_value(seq) > CONTEST_JUDGES_MAX))
        rc = err_set_field(err, ERR_INVALID, "judge", "judge 须为评委序号");
    const char *name = NULL, *code = NULL;
    if (!rc)
        rc = contests_judge_reissue(req->app, req->user, id, (int)json_integer_value(seq),
                                    req->client, req->arena, &name, &code, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kstr(&w, "name", name);
    jw_kstr(&w, "code", code);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_contest_round(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"contestant", "action", NULL};
    int64_t id;
    json_t *body;
    const char *action = NULL;
    int rc = contest_id(req, &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    if (!rc) rc = jin_str(req->arena, body, "action", 16, &action, err);
    json_t *seq = rc ? NULL : json_object_get(body, "contestant");
    if (!rc && (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
                json_integer_value(seq) > CONTEST_CONTESTANTS_MAX))
        rc = err_set_field(err, ERR_INVALID, "contestant", "contestant 须为选手序号");
    if (!rc)
        rc = contests_round(req->app, req->user, id, (int)json_integer_value(seq), action,
                            req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    return contests_write(req->app, id, req->user->name, req->arena, &w, err);
}

int api_contest_site_scores(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"scores", NULL};
    int64_t id;
    json_t *body;
    int rc = contest_id(req, &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    if (!rc)
        rc = contests_site_scores(req->app, req->user, id, json_object_get(body, "scores"),
                                  req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    return contests_write(req->app, id, req->user->name, req->arena, &w, err);
}

int api_contest_idea_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id, idea = 0;
    json_t *body;
    int rc = contest_id(req, &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = contests_idea_create(req->app, req->user, id, body, req->client, &idea, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", idea);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_contest_vote(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"idea", NULL};
    int64_t id;
    json_t *body;
    int rc = contest_id(req, &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    json_t *idea = rc ? NULL : json_object_get(body, "idea");
    if (!rc && (!json_is_integer(idea) || json_integer_value(idea) < 1))
        rc = err_set_field(err, ERR_INVALID, "idea", "idea 须为金点子编号");
    if (!rc)
        rc = contests_idea_vote(req->app, req->user, id, (int64_t)json_integer_value(idea),
                                req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kstr(&w, "message", "已投票");
    jw_obj_end(&w);
    return ERR_OK;
}

static const struct code_credential judge_code = {"judge", "评委码", ERR_FORBIDDEN};

int api_judging_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return api_code_page(req, resp, &judge_code, contests_judge_write, err);
}

int api_judging_score(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int rc = api_code_gate(req, &judge_code, err);
    if (rc) return rc;
    json_t *body;
    rc = http_body_json(req, &body, err);
    if (!rc) rc = contests_judge_score(req->app, req->param[0], body, req->client, err);
    if (rc) return api_code_missed(req, &judge_code, rc);
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kstr(&w, "message", "评分已提交，比武结束前可以修改");
    jw_obj_end(&w);
    return ERR_OK;
}

int api_public_contest_screen(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = contest_id(req, &id, err);
    if (rc) return rc == ERR_INVALID ? err_set(err, ERR_NOT_FOUND, "没有这场擂台比武") : rc;
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    rc = contests_screen_write(req->app, id, req->arena, &w, err);
    if (!rc) {
        struct jw out;
        http_json(resp, &out);
        jw_raw(&out, b.p, b.len);
    }
    buf_free(&b);
    return rc;
}
