/* health_services.c — 健康服务: facilities, family-doctor teams, contracts,
 * residents' health tags, coverage by key group and the 30-minute circle
 * (app/health.h). Estimated figures carry their settings and "estimate". */
#include "api/api.h"
#include "app/health.h"
#include "base/clock.h"
#include "io/json_in.h"
#include "io/json_out.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#define HEALTH_LIST_MAX 2000

static void named_list(struct jw *w, const char *key, const struct health_named *l, size_t n)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "code", l[i].code);
        jw_kstr(w, "name", l[i].name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void circle_settings(struct jw *w, const struct health_defs *h)
{
    jw_key(w, "estimate");
    jw_obj(w);
    jw_knum(w, "minutes", h->circle_minutes);
    jw_knum(w, "detour", h->circle_detour);
    jw_knum(w, "speed_kmh", h->circle_speed);
    jw_kstr(w, "note", h->circle_source);
    jw_obj_end(w);
}

int api_health_settings(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    const struct health_defs *h = req->app->health;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    named_list(&w, "facility_types", h->facility_types, h->nfacility_types);
    named_list(&w, "person_tags", h->person_tags, h->nperson_tags);
    named_list(&w, "packages", h->packages, h->npackages);
    named_list(&w, "stop_reasons", h->stop_reasons, h->nstop_reasons);
    jw_key(&w, "key_groups");
    jw_arr(&w);
    for (size_t i = 0; i < h->ngroups; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", h->groups[i].code);
        jw_kstr(&w, "name", h->groups[i].name);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "contract_min_days", h->contract_min_days);
    circle_settings(&w, h);
    jw_obj_end(&w);
    return ERR_OK;
}

static int read_coord(json_t *body, bool *has, double *lat, double *lng, const char **crs,
                      struct arena *a, struct err *err)
{
    bool hl = false, hg = false;
    int rc = jin_num(body, "lat", &hl, lat, err);
    if (!rc) rc = jin_num(body, "lng", &hg, lng, err);
    if (!rc) rc = jin_str(a, body, "crs", 16, crs, err);
    if (!rc && hl != hg)
        rc = err_set_field(err, ERR_INVALID, hl ? "lng" : "lat",
                           "纬度（lat）和经度（lng）须一起填写");
    *has = hl && hg;
    return rc;
}

static void write_facility(struct jw *w, const struct health_facility_row *f,
                           const struct health_defs *h)
{
    jw_obj(w);
    jw_kint(w, "id", f->id);
    jw_kstr(w, "unit", f->unit);
    jw_kstr(w, "type", f->type);
    jw_kstr_or_null(w, "type_name", health_name(h->facility_types, h->nfacility_types, f->type));
    jw_kstr(w, "name", f->name);
    if (f->located) {
        jw_knum(w, "lat", f->lat);
        jw_knum(w, "lng", f->lng);
    } else {
        jw_knull(w, "lat");
        jw_knull(w, "lng");
    }
    jw_obj_end(w);
}

int api_health_facilities(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct health_facility_row *f;
    size_t n;
    int rc = health_facilities(req->app, req->arena, req->unit, &f, &n, err);
    if (rc) return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < n; i++)
        write_facility(&w, &f[i], req->app->health);
    api_items_end(&w);
    return ERR_OK;
}

int api_health_facility_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit", "type", "name", "lat", "lng", "crs", NULL};
    json_t *body;
    struct health_facility_in in = {0};
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "unit", 32, &in.unit, err);
    if (!rc) rc = jin_str(req->arena, body, "type", 32, &in.type, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 200, &in.name, err);
    if (!rc) rc = read_coord(body, &in.located, &in.lat, &in.lng, &in.crs, req->arena, err);
    if (!rc) rc = health_facility_create(req->app, req->user, &in, req->client, &id, err);
    if (rc) return rc;
    return http_created_id(resp, id);
}

/* PATCH /api/v1/health/facilities/{id}: name, type, lat+lng (with crs). */
int api_health_facility_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"type", "name", "lat", "lng", "crs", NULL};
    json_t *body;
    struct health_facility_in in = {0};
    int64_t id;
    int rc = app_parse_id(req->param[0], "机构", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "type", 32, &in.type, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 200, &in.name, err);
    if (!rc) rc = read_coord(body, &in.located, &in.lat, &in.lng, &in.crs, req->arena, err);
    if (!rc && !in.located && json_object_get(body, "crs"))
        rc = err_set_field(err, ERR_INVALID, "lat", "给出坐标系时须同时填写纬度和经度");
    struct health_facility_row f;
    if (!rc)
        rc = health_facility_update(req->app, req->arena, req->user, id, &in, req->client, &f, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    write_facility(&w, &f, req->app->health);
    return ERR_OK;
}

int api_health_point_set(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit", "lat", "lng", "crs", NULL};
    json_t *body;
    const char *unit = NULL, *crs = NULL;
    bool has = false;
    double lat = 0, lng = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "unit", 32, &unit, err);
    if (!rc) rc = read_coord(body, &has, &lat, &lng, &crs, req->arena, err);
    if (!rc && !has) rc = err_set_field(err, ERR_INVALID, "lat", "请填写纬度（lat）和经度（lng）");
    if (!rc) rc = health_point_set(req->app, req->user, unit, crs, lat, lng, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "unit", unit);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_health_teams(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct health_team_row *t;
    size_t n;
    int rc = health_teams(req->app, req->arena, req->unit, &t, &n, err);
    if (rc) return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", t[i].id);
        jw_kstr(&w, "unit", t[i].unit);
        jw_kstr(&w, "name", t[i].name);
        jw_kint(&w, "facility", t[i].facility_id);
        jw_kstr(&w, "facility_name", t[i].facility_name);
        if (t[i].leader_id)
            jw_kint(&w, "leader", t[i].leader_id);
        else
            jw_knull(&w, "leader");
        jw_obj_end(&w);
    }
    api_items_end(&w);
    return ERR_OK;
}

static int body_id(json_t *body, const char *key, bool required, int64_t *out, struct err *err)
{
    json_t *v = json_object_get(body, key);
    *out = 0;
    if (!v || json_is_null(v)) {
        if (required) return err_set_field(err, ERR_INVALID, key, "请填写 %s（编号）", key);
        return ERR_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) > INT64_MAX / 2)
        return err_set_field(err, ERR_INVALID, key, "%s 须为正整数编号", key);
    *out = json_integer_value(v);
    return ERR_OK;
}

int api_health_team_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit", "facility", "name", "leader", NULL};
    json_t *body;
    struct health_team_in in = {0};
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 200, &in.name, err);
    if (!rc) rc = body_id(body, "facility", true, &in.facility_id, err);
    if (!rc) rc = body_id(body, "leader", false, &in.leader_id, err);
    if (!rc) rc = health_team_create(req->app, req->user, &in, req->client, &id, err);
    if (rc) return rc;
    return http_created_id(resp, id);
}

static void write_contract(struct jw *w, const struct health_contract_row *c,
                           const struct health_defs *h, const char *today)
{
    jw_obj(w);
    jw_kint(w, "id", c->id);
    jw_kint(w, "person", c->person_id);
    jw_kstr(w, "person_name", c->person_name);
    jw_kstr(w, "unit", c->unit);
    jw_kint(w, "team", c->team_id);
    jw_kstr(w, "team_name", c->team_name);
    jw_kstr(w, "package", c->package);
    jw_kstr_or_null(w, "package_name", health_name(h->packages, h->npackages, c->package));
    jw_kstr(w, "start_date", c->start_date);
    jw_kstr(w, "end_date", c->end_date);
    jw_kstr_or_null(w, "stop_reason", *c->stop_reason ? c->stop_reason : NULL);
    jw_kstr_or_null(w, "stop_reason_name",
                    health_name(h->stop_reasons, h->nstop_reasons, c->stop_reason));
    jw_kbool(w, "current", strcmp(c->start_date, today) <= 0 && strcmp(c->end_date, today) > 0);
    jw_obj_end(w);
}

int api_health_contracts(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *on = NULL;
    long limit;
    int rc = http_query_text(req, "on", 16, &on, err);
    if (!rc) rc = http_query_int(req, "limit", 200, 1, HEALTH_LIST_MAX, &limit, err);
    struct health_contract_row *c;
    size_t n;
    if (!rc) rc = health_contracts(req->app, req->arena, req->unit, on, (int)limit, &c, &n, err);
    if (rc) return rc;
    char today[11];
    clock_today(today, 0);
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < n; i++)
        write_contract(&w, &c[i], req->app->health, today);
    api_items_end(&w);
    return ERR_OK;
}

static int person_id(struct http_req *req, int64_t *id, struct err *err)
{
    return app_parse_id(req->param[0], "人员", id, err);
}

static int write_person(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                        struct err *err)
{
    char today[11];
    clock_today(today, 0);
    struct health_person p;
    int rc = health_person_get(req->app, req->arena, id, today, &p, err);
    if (rc) return rc;
    const struct health_defs *h = req->app->health;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    jw_kint(&w, "person", id);
    jw_kstr(&w, "name", p.name);
    if (p.age >= 0)
        jw_kint(&w, "age", p.age);
    else
        jw_knull(&w, "age");
    jw_key(&w, "tags");
    jw_arr(&w);
    for (size_t i = 0; i < h->nperson_tags; i++) {
        char needle[48];
        snprintf(needle, sizeof needle, ",%s,", h->person_tags[i].code);
        if (strstr(p.tags, needle)) jw_str(&w, h->person_tags[i].code);
    }
    jw_arr_end(&w);
    jw_key(&w, "key_groups");
    jw_arr(&w);
    for (size_t i = 0; i < h->ngroups; i++)
        if (keygroup_match(&h->groups[i], p.age, p.tags)) {
            jw_obj(&w);
            jw_kstr(&w, "code", h->groups[i].code);
            jw_kstr(&w, "name", h->groups[i].name);
            jw_obj_end(&w);
        }
    jw_arr_end(&w);
    jw_key(&w, "contracts");
    jw_arr(&w);
    for (size_t i = 0; i < p.ncontracts; i++)
        write_contract(&w, &p.contracts[i], h, today);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_person_health(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = person_id(req, &id, err);
    return rc ? rc : write_person(req, resp, id, 200, err);
}

int api_person_contract_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"team", "package", "start_date", "end_date", NULL};
    json_t *body;
    struct health_contract_in in = {0};
    int64_t id = 0;
    int rc = person_id(req, &in.person_id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = body_id(body, "team", true, &in.team_id, err);
    if (!rc) rc = jin_str(req->arena, body, "package", 32, &in.package, err);
    if (!rc) rc = jin_str(req->arena, body, "start_date", 16, &in.start_date, err);
    if (!rc) rc = jin_str(req->arena, body, "end_date", 16, &in.end_date, err);
    if (!rc) rc = health_contract_create(req->app, req->user, &in, req->client, &id, err);
    return rc ? rc : write_person(req, resp, in.person_id, 201, err);
}

int api_person_contract_stop(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"reason", "day", NULL};
    json_t *body;
    int64_t id;
    const char *reason = NULL, *day = NULL;
    int rc = person_id(req, &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "reason", 32, &reason, err);
    if (!rc) rc = jin_str(req->arena, body, "day", 16, &day, err);
    if (!rc)
        rc = health_contract_stop_person(req->app, req->user, id, reason, day, req->client, err);
    return rc ? rc : write_person(req, resp, id, 200, err);
}

int api_person_health_tags(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"tags", NULL};
    json_t *body;
    int64_t id;
    int rc = person_id(req, &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (rc) return rc;
    json_t *l = json_object_get(body, "tags");
    if (!json_is_array(l) || json_array_size(l) > 16)
        return err_set_field(err, ERR_INVALID, "tags", "tags 须为至多 16 个健康标签代码的数组");
    size_t n = json_array_size(l);
    const char **tags = arena_zalloc(req->arena, (n + 1) * sizeof *tags);
    for (size_t i = 0; i < n; i++)
        if (!(tags[i] = json_string_value(json_array_get(l, i))))
            return err_set_field(err, ERR_INVALID, "tags", "tags 第 %zu 项须为文本", i + 1);
    rc = health_tags_set(req->app, req->user, id, tags, n, req->client, err);
    return rc ? rc : write_person(req, resp, id, 200, err);
}

static void write_rate(struct jw *w, const char *key, long part, long whole)
{
    if (whole > 0)
        jw_knum(w, key, (double)part * 100.0 / (double)whole);
    else
        jw_knull(w, key);
}

static void write_coverage(struct jw *w, const struct health_coverage *c,
                           const struct health_defs *h)
{
    jw_kint(w, "residents", c->residents);
    jw_kint(w, "contracts", c->contracts);
    write_rate(w, "rate", c->contracts, c->residents);
    jw_kint(w, "keypop", c->keypop);
    jw_kint(w, "keypop_contracts", c->keypop_contracts);
    write_rate(w, "keypop_rate", c->keypop_contracts, c->keypop);
    jw_key(w, "groups");
    jw_arr(w);
    for (size_t i = 0; i < h->ngroups; i++) {
        jw_obj(w);
        jw_kstr(w, "code", h->groups[i].code);
        jw_kstr(w, "name", h->groups[i].name);
        jw_kint(w, "people", c->group_people[i]);
        jw_kint(w, "contracts", c->group_contracts[i]);
        write_rate(w, "rate", c->group_contracts[i], c->group_people[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int api_health_coverage(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *on = NULL;
    char today[11];
    clock_today(today, 0);
    int rc = http_query_text(req, "on", 16, &on, err);
    if (rc) return rc;
    if (!on || !*on) on = today;
    struct health_coverage total = {0}, *kids;
    const char **codes, **names;
    size_t n;
    rc = health_coverage_children(req->app, req->arena, req->unit, on, &total, &kids, &codes,
                                  &names, &n, err);
    if (rc) return rc;
    const struct health_defs *h = req->app->health;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "unit", req->unit);
    jw_kstr(&w, "on", on);
    write_coverage(&w, &total, h);
    jw_key(&w, "children");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kstr(&w, "unit", codes[i]);
        jw_kstr(&w, "name", names[i]);
        write_coverage(&w, &kids[i], h);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_health_circle(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct health_circle c;
    int rc = health_circle(req->app, req->arena, req->unit, &c, err);
    if (rc) return rc;
    const struct health_defs *h = req->app->health;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "unit", req->unit);
    circle_settings(&w, h);
    jw_kint(&w, "villages", (int64_t)c.nvillages);
    jw_kint(&w, "located", (int64_t)c.located);
    jw_kint(&w, "within", (int64_t)c.within);
    jw_kint(&w, "people", c.people);
    jw_kint(&w, "people_within", c.people_within);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < c.nvillages; i++) {
        const struct health_circle_village *v = &c.villages[i];
        jw_obj(&w);
        jw_kstr(&w, "unit", v->unit);
        jw_kstr(&w, "name", v->name);
        jw_kint(&w, "people", v->people);
        bool located = v->km != -2;
        jw_kbool(&w, "located", located);
        if (located) {
            jw_knum(&w, "lat", v->lat);
            jw_knum(&w, "lng", v->lng);
        }
        jw_kbool(&w, "within", v->km >= 0);
        if (v->km >= 0) {
            jw_knum(&w, "km", v->km);
            jw_knum(&w, "minutes", v->minutes);
            jw_kstr(&w, "facility", v->facility);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "facilities");
    jw_arr(&w);
    for (size_t i = 0; i < c.nfacilities; i++)
        if (c.facilities[i].located &&
            (!*req->unit || strncmp(c.facilities[i].unit, req->unit, strlen(req->unit)) == 0))
            write_facility(&w, &c.facilities[i], h);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}
