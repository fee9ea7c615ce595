/*
 * volunteers.c — volunteers (志愿服务) over HTTP (app/volunteers.h):
 * GET /api/v1/volunteers (the volunteers of a subtree with hours, star and
 * time coins), GET|POST /api/v1/volunteers/teams (teams and members),
 * POST /api/v1/persons/{id}/volunteer/teams (joins a team), GET
 * /api/v1/persons/{id}/volunteer (the service certificate's figures), GET
 * /api/v1/events/{id}/volunteers (the sign-in sheet) and POST
 * /api/v1/events/{id}/volunteers/signin and /signout.
 */
#include "api/api.h"
#include "app/volunteers.h"

#include <jansson.h>
#include <math.h>

static void write_star(struct jw *w, const struct vol_star *s)
{
    if (!s) {
        jw_knull(w, "star");
        return;
    }
    jw_key(w, "star");
    jw_obj(w);
    jw_kint(w, "level", s->level);
    jw_kstr(w, "name", s->name);
    jw_obj_end(w);
}

static void write_stars(struct jw *w, const struct volunteer_defs *v)
{
    jw_key(w, "stars");
    jw_arr(w);
    for (size_t i = 0; i < v->nstars; i++) {
        jw_obj(w);
        jw_kint(w, "level", v->stars[i].level);
        jw_kstr(w, "name", v->stars[i].name);
        jw_knum(w, "hours", v->stars[i].hours);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static double hours_of(int64_t minutes)
{
    return round((double)minutes / 60.0 * 100.0) / 100.0;
}

int api_volunteers_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct vol_person_row *rows;
    size_t n;
    int rc = volunteers_list(req->app, req->unit, req->arena, &rows, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    write_stars(&w, req->app->vol);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_key(&w, "person");
        jw_obj(&w);
        jw_kint(&w, "id", rows[i].person_id);
        jw_kstr(&w, "name", rows[i].name);
        jw_obj_end(&w);
        jw_knum(&w, "hours", hours_of(rows[i].minutes));
        jw_kint(&w, "activities", rows[i].activities);
        write_star(&w, volunteers_star(req->app, (double)rows[i].minutes / 60.0));
        jw_knum(&w, "coins", (double)rows[i].cents / 100.0);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_volunteer_teams(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct vol_team_view *rows;
    size_t n;
    int rc = volunteers_teams(req->app, req->unit, req->arena, &rows, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        const struct vol_team_view *t = &rows[i];
        jw_obj(&w);
        jw_kint(&w, "id", t->t.id);
        jw_kstr(&w, "name", t->t.name);
        jw_key(&w, "unit");
        jw_obj(&w);
        jw_kstr(&w, "code", t->t.unit);
        jw_kstr(&w, "name", t->unit_name);
        jw_obj_end(&w);
        if (t->t.leader_id) {
            jw_key(&w, "leader");
            jw_obj(&w);
            jw_kint(&w, "id", t->t.leader_id);
            jw_kstr(&w, "name", t->t.leader_name);
            jw_obj_end(&w);
        } else {
            jw_knull(&w, "leader");
        }
        jw_key(&w, "members");
        jw_arr(&w);
        for (size_t k = 0; k < t->nmembers; k++) {
            jw_obj(&w);
            jw_kint(&w, "id", t->members[k].person_id);
            jw_kstr(&w, "name", t->members[k].person_name);
            jw_kstr(&w, "joined_on", t->members[k].joined_on);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* A JSON number that must be a positive whole id. */
static int id_member(json_t *body, const char *key, const char *label, bool required, int64_t *out,
                     struct err *err)
{
    bool has = false;
    double v = 0;
    int rc = jin_num(body, key, &has, &v, err);
    if (rc) return rc;
    *out = 0;
    if (!has) return required ? err_set_field(err, ERR_INVALID, key, "请选择%s", label) : ERR_OK;
    if (v < 1 || v > 9e15 || v != (double)(int64_t)v)
        return err_set_field(err, ERR_INVALID, key, "%s须为有效的编号", label);
    *out = (int64_t)v;
    return ERR_OK;
}

int api_volunteer_team_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit", "name", "leader", NULL};
    json_t *body;
    const char *unit = NULL, *name = NULL;
    int64_t leader = 0, id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "unit", 32, &unit, err);
    if (!rc) rc = jin_str(req->arena, body, "name", VOL_NAME_MAX, &name, err);
    if (!rc) rc = id_member(body, "leader", "队长", false, &leader, err);
    if (!rc)
        rc = volunteers_team_create(req->app, req->user, unit, name, leader, req->client, &id, err);
    if (rc) return rc;
    return http_created_id(resp, id);
}

int api_person_volunteer_join(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"team", NULL};
    int64_t id, team = 0;
    json_t *body;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = id_member(body, "team", "志愿服务队", true, &team, err);
    if (!rc) rc = volunteers_join(req->app, req->user, id, team, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "team", team);
    jw_kint(&w, "person", id);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_person_volunteer(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    struct vol_certificate c;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    if (!rc) rc = volunteers_certificate(req->app, id, req->arena, &c, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "person");
    jw_obj(&w);
    jw_kint(&w, "id", c.person_id);
    jw_kstr(&w, "name", c.name);
    jw_kstr_or_null(&w, "id_number", c.id_masked[0] ? c.id_masked : NULL);
    jw_obj_end(&w);
    jw_key(&w, "unit");
    jw_obj(&w);
    jw_kstr(&w, "code", c.unit);
    jw_kstr(&w, "name", c.unit_name);
    jw_obj_end(&w);
    jw_kstr(&w, "teams", c.teams);
    jw_knum(&w, "hours", hours_of(c.minutes));
    jw_kint(&w, "activities", c.activities);
    write_star(&w, c.star);
    jw_knum(&w, "coins", (double)c.cents / 100.0);
    jw_key(&w, "years");
    jw_arr(&w);
    for (size_t i = 0; i < c.nyears; i++) {
        jw_obj(&w);
        jw_kstr(&w, "year", c.years[i].year);
        jw_knum(&w, "hours", hours_of(c.years[i].minutes));
        jw_kint(&w, "activities", c.years[i].activities);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    write_stars(&w, req->app->vol);
    jw_obj_end(&w);
    return ERR_OK;
}

static int write_sheet(struct http_req *req, struct http_resp *resp, int64_t event, int status,
                       struct err *err)
{
    struct vol_sign_row *rows;
    size_t n;
    int rc = volunteers_sheet(req->app, event, req->arena, &rows, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_key(&w, "person");
        jw_obj(&w);
        jw_kint(&w, "id", rows[i].person_id);
        jw_kstr(&w, "name", rows[i].person_name);
        jw_obj_end(&w);
        jw_kstr(&w, "signed_in", rows[i].signed_in);
        jw_kstr_or_null(&w, "signed_out", rows[i].signed_out[0] ? rows[i].signed_out : NULL);
        jw_kint(&w, "travel_minutes", rows[i].travel_minutes);
        if (rows[i].minutes >= 0)
            jw_knum(&w, "hours", hours_of(rows[i].minutes));
        else
            jw_knull(&w, "hours");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_event_volunteers(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "活动", &id, err);
    return rc ? rc : write_sheet(req, resp, id, 200, err);
}

int api_event_volunteer_sign_in(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"person", "at", NULL};
    int64_t id, person = 0;
    json_t *body;
    const char *at = NULL;
    int rc = app_parse_id(req->param[0], "活动", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = id_member(body, "person", "签到的志愿者", true, &person, err);
    if (!rc) rc = jin_str(req->arena, body, "at", 32, &at, err);
    if (!rc) rc = volunteers_sign_in(req->app, req->user, id, person, at, req->client, err);
    return rc ? rc : write_sheet(req, resp, id, 201, err);
}

int api_event_volunteer_sign_out(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"person", "at", "travel_minutes", NULL};
    int64_t id, person = 0, minutes = 0;
    json_t *body;
    const char *at = NULL;
    bool has_travel = false;
    double travel = 0;
    int rc = app_parse_id(req->param[0], "活动", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = id_member(body, "person", "签退的志愿者", true, &person, err);
    if (!rc) rc = jin_str(req->arena, body, "at", 32, &at, err);
    if (!rc) rc = jin_num(body, "travel_minutes", &has_travel, &travel, err);
    if (!rc && has_travel && (travel < 0 || travel > 1440 || travel != (double)(int)travel))
        rc = err_set_field(err, ERR_INVALID, "travel_minutes",
                           "路途时间须为 0 到 1440 的整数（分钟）");
    if (!rc)
        rc = volunteers_sign_out(req->app, req->user, id, person, at, (int)travel, req->client,
                                 &minutes, err);
    return rc ? rc : write_sheet(req, resp, id, 201, err);
}
