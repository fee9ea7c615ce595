/*
 * grid_pairs.c — 万企兴万村 records over HTTP (app/grids.h):
 * GET /api/v1/contacts/pairs?unit=&year= (the pairs of the subtree with
 * the year's record and totals), POST /api/v1/contacts/{id}/records (the
 * year's projects, jobs, purchases and donations of one pair).
 */
#include "api/api.h"
#include "app/grids.h"
#include "base/clock.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct pairs_out {
    struct http_req *req;
    struct jw *w;
    long n, projects, jobs;
    double purchases, donations;
};

static int write_pair(void *ctx, const struct pair_record *r)
{
    struct pairs_out *o = ctx;
    struct jw *w = o->w;
    uint32_t u = tree_find(o->req->tree, r->unit, strlen(r->unit));
    jw_obj(w);
    jw_kint(w, "id", r->link_id);
    jw_kstr(w, "partner", r->partner);
    jw_key(w, "person");
    jw_obj(w);
    jw_kint(w, "id", r->person_id);
    jw_kstr(w, "name", r->person_name);
    jw_obj_end(w);
    jw_key(w, "unit");
    jw_obj(w);
    jw_kstr(w, "code", r->unit);
    jw_kstr(w, "name", u == TREE_NONE ? "" : tree_name(o->req->tree, u));
    jw_obj_end(w);
    jw_kint(w, "year", r->year);
    jw_kint(w, "projects", r->projects);
    jw_kint(w, "jobs", r->jobs);
    jw_knum(w, "purchases", r->purchases);
    jw_knum(w, "donations", r->donations);
    jw_kstr(w, "notes", r->notes);
    jw_kstr_or_null(w, "updated_at", r->updated_at[0] ? r->updated_at : NULL);
    jw_obj_end(w);
    o->n++;
    o->projects += r->projects;
    o->jobs += r->jobs;
    o->purchases += r->purchases;
    o->donations += r->donations;
    return 0;
}

int api_pairs_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    char today[11];
    clock_today(today, 0);
    long year = 0;
    int rc = http_query_int(req, "year", strtol(today, NULL, 10), 2000, 2100, &year, err);
    if (rc) return rc;
    const char *duty = req->app->grids->records_duty;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "year", year);
    jw_key(&w, "duty");
    if (duty) {
        jw_obj(&w);
        jw_kstr(&w, "code", duty);
        jw_kstr(&w, "name", grids_duty(req->app, duty)->name);
        jw_obj_end(&w);
    } else {
        jw_null(&w);
    }
    jw_key(&w, "items");
    jw_arr(&w);
    struct pairs_out o = {.req = req, .w = &w};
    rc = grids_pairs_each(req->app, req->unit, year, write_pair, &o, err);
    if (rc) return rc;
    jw_arr_end(&w);
    jw_key(&w, "total");
    jw_obj(&w);
    jw_kint(&w, "pairs", o.n);
    jw_kint(&w, "projects", o.projects);
    jw_kint(&w, "jobs", o.jobs);
    jw_knum(&w, "purchases", o.purchases);
    jw_knum(&w, "donations", o.donations);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* A whole number member in [0, max]: *out 0 when absent. */
static int count_of(json_t *body, const char *key, const char *what, long *out, struct err *err)
{
    bool has = false;
    double v = 0;
    int rc = jin_num(body, key, &has, &v, err);
    if (!rc && has && (v != floor(v) || v < 0 || v > 1e9))
        rc = err_set_field(err, ERR_INVALID, key, "%s须为不小于 0 的整数", what);
    *out = rc || !has ? 0 : (long)v;
    return rc;
}

static int amount_of(json_t *body, const char *key, double *out, struct err *err)
{
    bool has = false;
    *out = 0;
    return jin_num(body, key, &has, out, err);
}

int api_pairs_record(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"year",      "projects", "jobs", "purchases",
                                         "donations", "notes",    NULL};
    json_t *body = NULL;
    struct pair_record r = {.notes = ""};
    int rc = app_parse_id(req->param[0], "联系关系", &r.link_id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = count_of(body, "year", "year ", &r.year, err);
    if (!rc && !r.year) rc = err_set_field(err, ERR_INVALID, "year", "请给出年份 year");
    if (!rc) rc = count_of(body, "projects", "项目数", &r.projects, err);
    if (!rc) rc = count_of(body, "jobs", "带动就业人数", &r.jobs, err);
    if (!rc) rc = amount_of(body, "purchases", &r.purchases, err);
    if (!rc) rc = amount_of(body, "donations", &r.donations, err);
    if (!rc && json_object_get(body, "notes"))
        rc = jin_text(req->arena, body, "notes", 500, &r.notes, err);
    if (!rc) rc = grids_pair_put(req->app, req->user, &r, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "id", r.link_id);
    jw_kint(&w, "year", r.year);
    jw_obj_end(&w);
    return ERR_OK;
}
