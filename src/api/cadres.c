/*
 * cadres.c — 干部队伍 over HTTP (app/cadres.h): GET /api/v1/cadres/rules
 * (criteria, pass mark, the 三岗十八级 table), GET|POST
 * /api/v1/cadres/reserves (a unit's pools of a year with statistics by
 * age band and education), GET /api/v1/cadres/exams/{id}, POST
 * /api/v1/cadres/exams/{id}/scores and /makeups, GET
 * /api/v1/persons/{id}/cadre (training hours per year, exam results).
 * Workers and the pay report: api/cadres_pay.c.
 */
#include "api/api.h"
#include "app/cadres.h"
#include "app/people.h"

#include <jansson.h>
#include <stdlib.h>

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

static void write_unit(struct jw *w, const char *code, const char *name)
{
    jw_key(w, "unit");
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "name", name);
    jw_obj_end(w);
}

static void write_person(struct jw *w, int64_t id, const char *name)
{
    jw_key(w, "person");
    jw_obj(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name);
    jw_obj_end(w);
}

static void write_steps(struct jw *w, const char *key, const struct cadre_step *s, size_t n)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "code", s[i].code);
        jw_kstr(w, "name", s[i].name);
        jw_kint(w, "steps", s[i].steps);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int api_cadre_rules(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    const struct cadre_defs *c = req->app->cadres;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "reserves");
    jw_obj(&w);
    jw_kint(&w, "max_age", c->max_age);
    jw_kint(&w, "young_age", c->young_age);
    jw_kstr(&w, "min_education", req->app->people->education[c->min_education].name);
    jw_kstr(&w, "source", c->reserves_source);
    jw_obj_end(&w);
    jw_knum(&w, "pass_mark", c->pass_mark);
    jw_key(&w, "grades");
    jw_obj(&w);
    jw_kint(&w, "count", c->grades);
    jw_kint(&w, "years_per_step", c->years_per_step);
    jw_kbool(&w, "uncertain", c->uncertain);
    jw_kstr(&w, "source", c->grades_source);
    write_steps(&w, "degrees", c->degrees, c->ndegrees);
    write_steps(&w, "certificates", c->certificates, c->ncertificates);
    jw_obj_end(&w);
    jw_key(&w, "posts");
    jw_arr(&w);
    for (size_t i = 0; i < c->nposts; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", c->posts[i].code);
        jw_kstr(&w, "name", c->posts[i].name);
        jw_kint(&w, "start_grade", c->posts[i].start_grade);
        jw_key(&w, "pay");
        jw_arr(&w);
        for (int g = 0; g < c->grades; g++)
            jw_num(&w, c->posts[i].pay[g]);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* The statistics of a pool: by age band (people.json statistics) and by
 * education level, the young and the college-educated. */
static void write_stats(struct jw *w, const struct app *app, const struct cadre_reserve *r,
                        size_t n)
{
    const struct people_defs *p = app->people;
    long young = 0, college = 0, bands[PEOPLE_BANDS_MAX] = {0};
    long *levels = calloc(p->neducation + 1, sizeof *levels);
    for (size_t i = 0; i < n; i++) {
        young += r[i].age <= app->cadres->young_age;
        college += r[i].college;
        size_t b = 0;
        while (b + 1 < p->stats.nbands && r[i].age > p->stats.bands[b].max)
            b++;
        bands[b]++;
        size_t l = cadres_education_level(app, r[i].education);
        if (levels) levels[l == (size_t)-1 ? p->neducation : l]++;
    }
    jw_key(w, "stats");
    jw_obj(w);
    jw_kint(w, "total", (int64_t)n);
    jw_kint(w, "young", young);
    jw_kint(w, "college", college);
    jw_key(w, "age_bands");
    jw_arr(w);
    for (size_t b = 0; b < p->stats.nbands; b++) {
        jw_obj(w);
        jw_kstr(w, "name", p->stats.bands[b].name);
        jw_kint(w, "count", bands[b]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "education");
    jw_arr(w);
    for (size_t l = 0; levels && l <= p->neducation; l++) {
        if (!levels[l]) continue;
        jw_obj(w);
        jw_kstr(w, "name", l < p->neducation ? p->education[l].name : "其他");
        jw_kint(w, "count", levels[l]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    free(levels);
}

int api_cadre_reserves(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long year;
    struct cadre_reserve *rows;
    size_t n;
    int rc = http_query_int(req, "year", 0, 2000, 2100, &year, err);
    if (!rc && year == 0) rc = err_set_field(err, ERR_INVALID, "year", "请选择年度（如 2026）");
    if (!rc) rc = cadres_reserves(req->app, req->unit, (int)year, req->arena, &rows, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "year", year);
    write_stats(&w, req->app, rows, n);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", rows[i].id);
        write_person(&w, rows[i].person_id, rows[i].person_name);
        write_unit(&w, rows[i].unit, rows[i].unit_name);
        jw_kstr(&w, "post", rows[i].post);
        jw_kint(&w, "age", rows[i].age);
        jw_kstr(&w, "education", rows[i].education);
        jw_kbool(&w, "college", rows[i].college);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_cadre_reserve_add(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit", "year", "person", "post", NULL};
    json_t *body;
    const char *unit = NULL, *post = NULL;
    int64_t person = 0, id = 0, year = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "unit", 32, &unit, err);
    if (!rc) rc = id_member(body, "year", "年度", &year, err);
    if (!rc) rc = id_member(body, "person", "人员", &person, err);
    if (!rc) rc = jin_str(req->arena, body, "post", CADRE_POST_MAX, &post, err);
    if (!rc && year > 9999) rc = err_set_field(err, ERR_INVALID, "year", "年度须为四位年份");
    if (!rc)
        rc = cadres_reserve_add(req->app, req->user, unit, (int)year, person, post, req->client,
                                &id, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_obj_end(&w);
    return ERR_OK;
}

static int write_exam(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                      struct err *err)
{
    struct cadre_exam x;
    int rc = cadres_exam(req->app, id, req->arena, &x, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    jw_kint(&w, "id", x.id);
    jw_kstr(&w, "topic", x.topic);
    jw_kstr(&w, "day", x.day);
    if (x.makeup_of)
        jw_kint(&w, "makeup_of", x.makeup_of);
    else
        jw_knull(&w, "makeup_of");
    jw_knum(&w, "pass_mark", req->app->cadres->pass_mark);
    size_t passed = 0;
    jw_key(&w, "scores");
    jw_arr(&w);
    for (size_t i = 0; i < x.nscores; i++) {
        jw_obj(&w);
        write_person(&w, x.scores[i].person_id, x.scores[i].person_name);
        jw_knum(&w, "score", x.scores[i].score);
        jw_kbool(&w, "passed", x.scores[i].passed);
        jw_obj_end(&w);
        passed += x.scores[i].passed;
    }
    jw_arr_end(&w);
    jw_kint(&w, "passed", (int64_t)passed);
    jw_kint(&w, "failed", (int64_t)(x.nscores - passed));
    jw_obj_end(&w);
    return ERR_OK;
}

int api_cadre_exam(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "考试", &id, err);
    return rc ? rc : write_exam(req, resp, id, 200, err);
}

int api_cadre_exam_scores(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"scores", NULL};
    static const char *const row_fields[] = {"person", "score", NULL};
    int64_t id;
    json_t *body;
    int rc = app_parse_id(req->param[0], "考试", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    json_t *l = rc ? NULL : json_object_get(body, "scores");
    if (!rc && (!json_is_array(l) || json_array_size(l) > CADRE_SCORES_MAX))
        rc = err_set_field(err, ERR_INVALID, "scores", "scores 须为至多 %d 人的成绩列表",
                           CADRE_SCORES_MAX);
    size_t n = rc ? 0 : json_array_size(l);
    struct cadre_score_in *in = arena_zalloc(req->arena, (n + 1) * sizeof *in);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *o = json_array_get(l, i);
        bool has = false;
        if (!json_is_object(o))
            rc = err_set_field(err, ERR_INVALID, "scores", "第 %zu 行须为 {person, score}", i + 1);
        if (!rc) rc = jin_only(o, row_fields, err);
        if (!rc) rc = id_member(o, "person", "考生", &in[i].person, err);
        if (!rc) rc = jin_num(o, "score", &has, &in[i].score, err);
        if (!rc && !has) rc = err_set_field(err, ERR_INVALID, "score", "第 %zu 行缺少成绩", i + 1);
    }
    if (!rc) rc = cadres_exam_scores(req->app, req->user, id, in, n, req->client, err);
    return rc ? rc : write_exam(req, resp, id, 200, err);
}

int api_cadre_exam_makeup(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"starts_at", NULL};
    int64_t id, makeup = 0;
    json_t *body;
    const char *starts_at = NULL;
    int rc = app_parse_id(req->param[0], "考试", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "starts_at", 32, &starts_at, err);
    if (!rc && !starts_at)
        rc = err_set_field(err, ERR_INVALID, "starts_at", "请填写补考时间（YYYY-MM-DDTHH:MM）");
    if (!rc) rc = cadres_exam_makeup(req->app, req->user, id, starts_at, req->client, &makeup, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", makeup);
    jw_kint(&w, "makeup_of", id);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_person_cadre(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    struct cadre_person p;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    if (!rc) rc = cadres_person(req->app, id, req->arena, &p, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "training");
    jw_arr(&w);
    for (size_t i = 0; i < p.nyears; i++) {
        jw_obj(&w);
        jw_kint(&w, "year", p.years[i].year);
        jw_kint(&w, "trainings", p.years[i].trainings);
        jw_knum(&w, "hours", p.years[i].hours);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "exams");
    jw_arr(&w);
    for (size_t i = 0; i < p.nexams; i++) {
        const struct cadre_person_exam *x = &p.exams[i];
        jw_obj(&w);
        jw_kint(&w, "id", x->event_id);
        jw_kstr(&w, "topic", x->topic);
        jw_kstr(&w, "day", x->day);
        if (x->scored)
            jw_knum(&w, "score", x->score);
        else
            jw_knull(&w, "score");
        jw_kbool(&w, "passed", x->passed);
        if (x->makeup_of)
            jw_kint(&w, "makeup_of", x->makeup_of);
        else
            jw_knull(&w, "makeup_of");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_knum(&w, "pass_mark", req->app->cadres->pass_mark);
    jw_obj_end(&w);
    return ERR_OK;
}
