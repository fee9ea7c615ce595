/*
 * people.c — persons and their memberships over HTTP (app/people.h):
 * GET/POST /api/v1/persons, GET/PATCH /api/v1/persons/{id},
 * POST /api/v1/persons/{id}/memberships, …/memberships/{mid}/end, and the
 * reader's own record, GET /api/v1/me/person. ID-card and phone numbers
 * are masked unless the reader has pii:read (the list always masks).
 */
#include "api/api.h"
#include "app/events.h"
#include "app/people.h"
#include "io/xlsx.h"

#include <jansson.h>
#include <string.h>

/* The name of a kind's stage, or "" */
static const char *stage_name(const struct app *app, const char *kind, const char *stage)
{
    const struct people_kind *k = people_kind(app, kind);
    const struct people_stage *s = k ? people_stage(k, stage) : NULL;
    return s ? s->name : "";
}

static void write_membership(struct jw *w, struct http_req *req, const struct membership_row *m)
{
    const struct people_kind *k = people_kind(req->app, m->kind);
    jw_obj(w);
    jw_kint(w, "id", m->id);
    jw_kint(w, "person", m->person_id);
    jw_kstr(w, "person_name", m->person_name);
    jw_kstr(w, "kind", m->kind);
    jw_kstr(w, "kind_name", k ? k->name : m->kind);
    jw_kstr(w, "stage", m->stage);
    jw_kstr(w, "stage_name", stage_name(req->app, m->kind, m->stage));
    api_unit_ref(w, req->tree, "unit", m->unit);
    if (m->org_id)
        jw_kint(w, "org", m->org_id);
    else
        jw_knull(w, "org");
    if (m->household_id)
        jw_kint(w, "household", m->household_id);
    else
        jw_knull(w, "household");
    jw_kstr(w, "from", m->from_date);
    jw_kstr_or_null(w, "to", m->to_date[0] ? m->to_date : NULL);
    jw_kstr(w, "end_reason", m->end_reason);
    jw_key(w, "attributes");
    jw_raw(w, m->attributes[0] ? m->attributes : "{}",
           m->attributes[0] ? strlen(m->attributes) : 2);
    jw_obj_end(w);
}

void api_write_memberships(struct jw *w, struct http_req *req, const char *key,
                           const struct membership_row *ms, size_t n)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++)
        write_membership(w, req, &ms[i]);
    jw_arr_end(w);
}

static void write_person_fields(struct jw *w, struct http_req *req, const struct person_row *p,
                                const char *id_number, const char *phone)
{
    jw_kint(w, "id", p->id);
    jw_kstr(w, "name", p->name);
    api_unit_ref(w, req->tree, "unit", p->unit);
    jw_kstr(w, "sex", p->sex);
    jw_kstr_or_null(w, "birth_date", p->birth_date[0] ? p->birth_date : NULL);
    jw_kstr(w, "ethnicity", p->ethnicity);
    jw_kstr(w, "education", p->education);
    jw_kstr_or_null(w, "id_number", id_number[0] ? id_number : NULL);
    jw_kstr_or_null(w, "phone", phone[0] ? phone : NULL);
}

struct list_ctx {
    struct http_req *req;
    struct jw *w;
    const char *kind;
};

static int write_row(void *ctx, const struct person_row *p, const char *at_unit,
                     const char *at_stage)
{
    struct list_ctx *x = ctx;
    jw_obj(x->w);
    write_person_fields(x->w, x->req, p, p->id_masked, p->phone_masked);
    api_unit_ref(x->w, x->req->tree, "at", at_unit);
    if (x->kind) {
        jw_kstr(x->w, "stage", at_stage);
        jw_kstr(x->w, "stage_name", stage_name(x->req->app, x->kind, at_stage));
    }
    jw_obj_end(x->w);
    return 0;
}

/* ?unit=&membership=&stage=&org=&date=&limit=&after= */
int api_persons_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct person_query q = {.unit = req->unit};
    long limit, org = 0;
    int rc = http_query_text(req, "membership", 32, &q.membership, err);
    if (!rc) rc = http_query_text(req, "stage", 32, &q.stage, err);
    if (!rc) rc = http_query_text(req, "date", 10, &q.date, err);
    if (!rc) rc = http_query_text(req, "after", 64, &q.after, err);
    if (!rc) rc = http_query_int(req, "limit", 50, 1, PEOPLE_LIST_MAX, &limit, err);
    if (!rc) rc = http_query_int(req, "org", 0, 0, INT64_MAX / 2, &org, err);
    if (rc) return rc;
    if (q.membership && !q.membership[0]) q.membership = NULL;
    if (q.stage && !q.stage[0]) q.stage = NULL;
    q.limit = (int)limit;
    q.org_id = org;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct list_ctx x = {req, &w, q.membership};
    const char *next;
    rc = people_persons_list(req->app, req->user, &q, req->arena, write_row, &x, &next, err);
    if (rc) return rc;
    jw_arr_end(&w);
    jw_kstr_or_null(&w, "next", next);
    jw_obj_end(&w);
    return ERR_OK;
}

static int read_person(struct http_req *req, json_t *body, struct person_in *in, struct err *err)
{
    static const char *const fields[] = {"name",      "sex",  "birth_date", "ethnicity",
                                         "education", "unit", "id_number",  "phone",
                                         "account",   NULL};
    memset(in, 0, sizeof *in);
    struct arena *a = req->arena;
    int rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(a, body, "name", PERSON_NAME_MAX + 1, &in->name, err);
    if (!rc) rc = jin_str(a, body, "sex", 8, &in->sex, err);
    if (!rc) rc = jin_str(a, body, "birth_date", 16, &in->birth_date, err);
    if (!rc) rc = jin_str(a, body, "ethnicity", 64, &in->ethnicity, err);
    if (!rc) rc = jin_str(a, body, "education", 64, &in->education, err);
    if (!rc) rc = jin_str(a, body, "unit", 32, &in->unit, err);
    if (!rc) rc = jin_str(a, body, "id_number", 32, &in->id_number, err);
    if (!rc) rc = jin_str(a, body, "phone", 32, &in->phone, err);
    if (!rc) rc = jin_str(a, body, "account", 64, &in->account, err);
    return rc;
}

static int write_person(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                        bool mine, struct err *err)
{
    struct person_view v;
    int rc = mine ? people_person_mine(req->app, req->user, req->arena, &v, err)
                  : people_person_get(req->app, req->user, id, req->arena, &v, err);
    struct person_event *ev = NULL;
    size_t nev = 0;
    if (!rc) rc = events_person_attendance(req->app, v.p.id, "", "", req->arena, &ev, &nev, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    if (mine) {
        jw_key(&w, "person");
        jw_obj(&w);
    }
    write_person_fields(&w, req, &v.p, v.id_number, v.phone);
    jw_kstr_or_null(&w, "account", v.p.account[0] ? v.p.account : NULL);
    jw_kstr(&w, "created_at", v.p.created_at);
    jw_kstr(&w, "updated_at", v.p.updated_at);
    /* 一人一档: what the person is and was, in time order */
    api_write_memberships(&w, req, "memberships", v.ms, v.nms);
    /* 组织生活: the events the person took part in, in time order */
    jw_key(&w, "events");
    jw_arr(&w);
    for (size_t i = 0; i < nev; i++) {
        const struct event_type *t = events_type(req->app, ev[i].e.type);
        const struct attendance_code *c = events_attendance(req->app, ev[i].attendance);
        jw_obj(&w);
        jw_kint(&w, "id", ev[i].e.id);
        jw_kstr(&w, "type", ev[i].e.type);
        jw_kstr(&w, "type_name", t ? t->name : ev[i].e.type);
        jw_kstr(&w, "day", ev[i].e.day);
        jw_kstr(&w, "status", ev[i].e.status);
        jw_kstr(&w, "topic", ev[i].e.topic);
        jw_kstr_or_null(&w, "org_name", ev[i].e.org_id ? ev[i].e.org_name : NULL);
        api_unit_ref(&w, req->tree, "unit", ev[i].e.unit);
        jw_kstr(&w, "attendance", ev[i].attendance);
        jw_kstr(&w, "attendance_name", c ? c->name : ev[i].attendance);
        jw_key(&w, "values");
        jw_raw(&w, ev[i].data, strlen(ev[i].data));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    /* … and the person's cases (发展党员, 组织关系转接) */
    jw_key(&w, "cases");
    jw_arr(&w);
    rc = api_party_cases_of(req, &w, v.p.id, err);
    jw_arr_end(&w);
    if (mine) jw_obj_end(&w);
    jw_obj_end(&w);
    return rc;
}

int api_persons_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct person_in in;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = read_person(req, body, &in, err);
    if (rc) return rc;
    int64_t id = 0, existing = 0;
    rc = people_person_create(req->app, req->user, &in, req->client, &id, &existing, err);
    if (rc) return rc;
    return write_person(req, resp, id, 201, false, err);
}

int api_person_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    return rc ? rc : write_person(req, resp, id, 200, false, err);
}

int api_person_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id, existing = 0;
    json_t *body;
    struct person_in in;
    int rc = app_parse_id(req->param[0], "人员", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = read_person(req, body, &in, err);
    if (!rc) rc = people_person_update(req->app, req->user, id, &in, req->client, &existing, err);
    return rc ? rc : write_person(req, resp, id, 200, false, err);
}

/* {"person": the reader's own record, or null when the account has none}. */
int api_me_person(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct err none;
    err_clear(&none);
    int rc = write_person(req, resp, 0, 200, true, &none);
    if (rc == ERR_NOT_FOUND) {
        struct jw w;
        http_json(resp, &w);
        jw_obj(&w);
        jw_knull(&w, "person");
        jw_kstr(&w, "message", none.msg);
        jw_obj_end(&w);
        return ERR_OK;
    }
    if (rc) *err = none;
    return rc;
}

/* A membership from a body: kind, stage, from, to, and the target members
 * allowed (unit, household; org and person for the organisation routes). */
int api_read_membership(struct http_req *req, json_t *body, bool via_org, struct membership_in *in,
                        struct err *err)
{
    static const char *const person_fields[] = {"kind", "stage",     "from",       "to",
                                                "unit", "household", "attributes", NULL};
    static const char *const org_fields[] = {"kind",   "stage",      "from", "to",
                                             "person", "attributes", NULL};
    memset(in, 0, sizeof *in);
    struct arena *a = req->arena;
    int rc = jin_only(body, via_org ? org_fields : person_fields, err);
    if (!rc) rc = jin_str(a, body, "kind", 32, &in->kind, err);
    if (!rc) rc = jin_str(a, body, "stage", 32, &in->stage, err);
    if (!rc) rc = jin_str(a, body, "from", 16, &in->from, err);
    if (!rc) rc = jin_str(a, body, "to", 16, &in->to, err);
    if (!rc && !via_org) rc = jin_str(a, body, "unit", 32, &in->unit, err);
    if (rc) return rc;
    json_t *attrs = json_object_get(body, "attributes");
    if (attrs && !json_is_object(attrs))
        return err_set_field(err, ERR_INVALID, "attributes", "attributes 须为对象");
    if (attrs) {
        char *s = json_dumps(attrs, JSON_COMPACT);
        in->attributes = arena_strdup(a, s ? s : "{}");
        free(s);
    }
    const char *key = via_org ? "person" : "household";
    json_t *v = json_object_get(body, key);
    if (v && (!json_is_integer(v) || json_integer_value(v) <= 0))
        return err_set_field(err, ERR_INVALID, key, "%s 须为正整数编号", key);
    if (via_org) {
        if (!v) return err_set_field(err, ERR_INVALID, "person", "请选择人员");
        in->person_id = json_integer_value(v);
    } else if (v) {
        in->household_id = json_integer_value(v);
    }
    if (!in->from) return err_set_field(err, ERR_INVALID, "from", "请填写起始日期");
    return ERR_OK;
}

int api_person_membership_add(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct membership_in in;
    int64_t person, id;
    int rc = app_parse_id(req->param[0], "人员", &person, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = api_read_membership(req, body, false, &in, err);
    if (rc) return rc;
    in.person_id = person;
    if ((rc = people_membership_add(req->app, req->user, &in, false, req->client, &id, err)))
        return rc;
    return write_person(req, resp, person, 201, false, err);
}

/* {"to": "YYYY-MM-DD", "reason"} */
int api_read_end(struct http_req *req, const char **to, const char **reason, struct err *err)
{
    static const char *const fields[] = {"to", "reason", NULL};
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "to", 16, to, err);
    if (!rc) rc = jin_str(req->arena, body, "reason", 400, reason, err);
    if (!rc && !*to) rc = err_set_field(err, ERR_INVALID, "to", "请填写结束日期");
    return rc;
}

int api_person_membership_end(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t person, id;
    const char *to, *reason;
    int rc = app_parse_id(req->param[0], "人员", &person, err);
    if (!rc) rc = app_parse_id(req->param[1], "身份记录", &id, err);
    if (!rc) rc = api_read_end(req, &to, &reason, err);
    if (!rc)
        rc = people_membership_end(req->app, req->user, person, false, id, to, reason, req->client,
                                   err);
    return rc ? rc : write_person(req, resp, person, 200, false, err);
}

/* ---- export ---- */

#define EXPORT_MAX 200000

struct export_ctx {
    struct http_req *req;
    struct xlsx_writer *xw;
    long row;
    const char *kind;
};

static int export_row(void *ctx, const struct person_row *p, const char *at_unit,
                      const char *at_stage)
{
    struct export_ctx *x = ctx;
    const struct tree *t = x->req->tree;
    uint32_t i = tree_find_any(t, at_unit, strlen(at_unit));
    const char *cells[] = {p->name,
                           p->sex,
                           p->birth_date,
                           p->ethnicity,
                           p->education,
                           at_unit,
                           i == TREE_NONE ? "" : tree_name(t, i),
                           x->kind ? stage_name(x->req->app, x->kind, at_stage) : "",
                           p->id_masked,
                           p->phone_masked};
    for (int c = 0; c < (int)(sizeof cells / sizeof cells[0]); c++)
        xlsx_write_text(x->xw, x->row, c, cells[c] ? cells[c] : "");
    x->row++;
    return 0;
}

/* GET /api/v1/persons/export?unit=&membership=&stage=&org=: the list as a
 * workbook (花名册), numbers masked, at most EXPORT_MAX rows. */
int api_persons_export(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const titles[] = {"姓名",
                                         "性别",
                                         "出生日期",
                                         "民族",
                                         "学历",
                                         "单位代码",
                                         "单位名称",
                                         "发展阶段",
                                         "身份证号（隐去部分）",
                                         "手机号（隐去部分）"};
    struct person_query q = {.unit = req->unit, .limit = EXPORT_MAX};
    long org = 0;
    int rc = http_query_text(req, "membership", 32, &q.membership, err);
    if (!rc) rc = http_query_text(req, "stage", 32, &q.stage, err);
    if (!rc) rc = http_query_int(req, "org", 0, 0, INT64_MAX / 2, &org, err);
    if (rc) return rc;
    if (q.membership && !q.membership[0]) q.membership = NULL;
    if (q.stage && !q.stage[0]) q.stage = NULL;
    q.org_id = org;
    struct export_ctx x = {.req = req, .row = 1, .kind = q.membership};
    if ((rc = xlsx_writer_open(NULL, "花名册", &x.xw, err))) return rc;
    xlsx_write_header(x.xw, titles, (int)(sizeof titles / sizeof titles[0]));
    const char *next;
    if ((rc = people_persons_list(req->app, req->user, &q, req->arena, export_row, &x, &next,
                                  err))) {
        xlsx_writer_free(x.xw);
        return rc;
    }
    resp->status = 200;
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"persons-%s.xlsx\"",
                                 req->unit[0] ? req->unit : "all"));
    return api_send_xlsx(resp, x.xw, err);
}
