/* evaluations.c — 述职评议 / 民主评议党员 campaigns and secret ballots
 * (app/evaluations.h). POST /api/v1/ballots needs no login: the one-time
 * code is the credential; wrong codes are rate-limited per address. */
#include "api/api.h"
#include "app/evaluations.h"
#include "io/json_in.h"
#include "io/json_out.h"

#include <jansson.h>
#include <string.h>

int api_evaluation_defs(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    struct jw w;
    http_json(resp, &w);
    evaluations_defs_write(req->app, &w);
    return ERR_OK;
}

int api_evaluations_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long year;
    int rc = http_query_int(req, "year", 0, 0, 9999, &year, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    return evaluations_list(req->app, req->unit, (int)year, req->arena, &w, err);
}

/* An integer member in [lo, hi] (def when absent). */
static int int_member(json_t *o, const char *key, const char *what, long def, long lo, long hi,
                      long *out, struct err *err)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        *out = def;
        return ERR_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return err_set_field(err, ERR_INVALID, key, "%s须为 %ld 至 %ld 之间的整数", what, lo, hi);
    *out = (long)json_integer_value(v);
    return ERR_OK;
}

static int read_groups(struct http_req *req, json_t *l, struct eval_campaign_in *in,
                       struct err *err)
{
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > EVAL_GROUPS_MAX)
        return err_set_field(err, ERR_INVALID, "groups", "groups 须为 1 至 %d 组评议主体",
                             EVAL_GROUPS_MAX);
    static const char *const keys[] = {"name", "weight", "raters", NULL};
    struct eval_group_in *g = arena_zalloc(req->arena, json_array_size(l) * sizeof *g);
    size_t i;
    json_t *o;
    json_array_foreach(l, i, o)
    {
        long weight, raters;
        int rc = json_is_object(o)
                     ? jin_only(o, keys, err)
                     : err_set_field(err, ERR_INVALID, "groups", "groups 的每一项须为对象");
        if (!rc) rc = jin_str(req->arena, o, "name", 200, &g[i].name, err);
        if (!rc) rc = int_member(o, "weight", "权重", -1, 1, 100, &weight, err);
        if (!rc && weight < 0) rc = err_set_field(err, ERR_INVALID, "weight", "请填写权重（%%）");
        if (!rc) rc = int_member(o, "raters", "评议人数", 0, 0, EVAL_RATERS_MAX, &raters, err);
        if (rc) return err_wrap(err, "第 %zu 组评议主体", i + 1);
        g[i].weight = (int)weight;
        g[i].raters = (int)raters;
    }
    in->groups = g;
    in->ngroups = json_array_size(l);
    return ERR_OK;
}

static int read_subjects(struct http_req *req, json_t *l, struct eval_campaign_in *in,
                         struct err *err)
{
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > EVAL_SUBJECTS_MAX)
        return err_set_field(err, ERR_INVALID, "subjects", "subjects 须为 1 至 %d 个评议对象",
                             EVAL_SUBJECTS_MAX);
    static const char *const keys[] = {"name", "department", "person", "unit", NULL};
    struct eval_subject_in *s = arena_zalloc(req->arena, json_array_size(l) * sizeof *s);
    size_t i;
    json_t *o;
    json_array_foreach(l, i, o)
    {
        long dep, person;
        int rc = json_is_object(o)
                     ? jin_only(o, keys, err)
                     : err_set_field(err, ERR_INVALID, "subjects", "subjects 的每一项须为对象");
        if (!rc) rc = jin_str(req->arena, o, "name", 200, &s[i].name, err);
        if (!rc) rc = jin_str(req->arena, o, "unit", 32, &s[i].unit, err);
        if (!rc) rc = int_member(o, "department", "部门编号", 0, 1, INT64_MAX / 2, &dep, err);
        if (!rc) rc = int_member(o, "person", "人员编号", 0, 1, INT64_MAX / 2, &person, err);
        if (rc) return err_wrap(err, "第 %zu 个评议对象", i + 1);
        s[i].department_id = dep;
        s[i].person_id = person;
    }
    in->subjects = s;
    in->nsubjects = json_array_size(l);
    return ERR_OK;
}

int api_evaluations_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"name", "year",  "kind",   "form",     "rule",
                                       "unit", "scope", "groups", "subjects", NULL};
    json_t *body;
    struct eval_campaign_in in = {.unit = req->unit};
    long year;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 200, &in.name, err);
    if (!rc) rc = jin_str(req->arena, body, "kind", 32, &in.kind, err);
    if (!rc) rc = jin_str(req->arena, body, "form", 64, &in.form, err);
    if (!rc) rc = jin_str(req->arena, body, "rule", 64, &in.rule, err);
    if (!rc) rc = int_member(body, "year", "评议年度", 0, 0, 9999, &year, err);
    if (!rc) rc = read_groups(req, json_object_get(body, "groups"), &in, err);
    if (!rc) rc = read_subjects(req, json_object_get(body, "subjects"), &in, err);
    if (rc) return rc;
    in.year = (int)year;
    struct eval_codes codes;
    if ((rc = evaluations_create(req->app, req->user, &in, req->client, req->arena, &codes, err)))
        return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", codes.campaign_id);
    /* shown once, for printing: only their keyed hashes are kept */
    jw_key(&w, "codes");
    jw_arr(&w);
    for (size_t i = 0; i < codes.n; i++) {
        jw_obj(&w);
        jw_kint(&w, "group", codes.groups[i]);
        jw_kstr(&w, "group_name", in.groups[codes.groups[i]].name);
        jw_kstr(&w, "code", codes.codes[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_evaluation_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    const char *format = NULL;
    int rc = app_parse_id(req->param[0], "评议", &id, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (rc) return rc;
    if (format && strcmp(format, "xlsx") == 0) return api_evaluation_export(req, resp, id, err);
    if (format && strcmp(format, "json") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 只能是 json 或 xlsx");
    struct jw w;
    http_json(resp, &w);
    return evaluations_write(req->app, id, false, req->arena, &w, err);
}

int api_evaluation_close(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "评议", &id, err);
    if (!rc) rc = evaluations_close(req->app, req->user, id, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    return evaluations_write(req->app, id, false, req->arena, &w, err);
}

/* Public results of a closed campaign: subjects by name with rank, score
 * and grade, and the notice period (404 while it runs). */
int api_public_evaluation(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "评议", &id, err);
    if (rc) return rc == ERR_INVALID ? err_set(err, ERR_NOT_FOUND, "没有这项评议结果") : rc;
    struct buf b = BUF_INIT; /* nothing is sent unless the whole answer is there */
    struct jw w;
    jw_init(&w, &b);
    rc = evaluations_public_write(req->app, id, req->arena, &w, err);
    if (!rc) {
        struct jw out;
        http_json(resp, &out);
        jw_raw(&out, b.p, b.len);
    }
    buf_free(&b);
    return rc;
}

static const struct code_credential ballot_code = {"ballot", "评议码", ERR_NOT_FOUND};

int api_ballot_form(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return api_code_page(req, resp, &ballot_code, evaluations_ballot_form, err);
}

/* The answer to a ballot, now or from the ballots' writer thread. */
static int ballot_answer(struct http_req *req, struct http_resp *resp, int rc)
{
    if (rc) return api_code_missed(req, &ballot_code, rc);
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kstr(&w, "message", "投票成功，感谢您参与评议");
    jw_obj_end(&w);
    return ERR_OK;
}

struct ballot_wait {
    struct http_req *req;
    struct http_resp *resp;
};

static void ballot_answered(void *ctx, int rc, const struct err *err)
{
    struct ballot_wait *b = ctx;
    http_resume(b->req, b->resp, ballot_answer(b->req, b->resp, rc), err);
}

int api_ballots_cast(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const keys[] = {"code", "answers", NULL};
    int rc = api_code_gate(req, &ballot_code, err);
    if (rc) return rc;
    json_t *body;
    const char *code = NULL;
    rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, keys, err);
    if (!rc) rc = jin_str(req->arena, body, "code", 64, &code, err);
    if (!rc && !code) rc = err_set_field(err, ERR_INVALID, "code", "请填写评议码");
    if (rc) return api_code_missed(req, &ballot_code, rc);
    json_t *answers = json_object_get(body, "answers");
    /* the worker serves its other connections while the ballot waits for
     * its durable commit */
    if (http_defer(req)) {
        struct ballot_wait *b = arena_alloc(req->arena, sizeof *b);
        *b = (struct ballot_wait){req, resp};
        rc = evaluations_cast_start(req->app, code, answers, req->client, ballot_answered, b, err);
        if (rc) ballot_answered(b, rc, err);
        return ERR_OK;
    }
    rc = evaluations_cast(req->app, code, answers, req->client, err);
    return ballot_answer(req, resp, rc);
}
