/*
 * events.c — events and compliance over HTTP (app/events.h):
 * GET /api/v1/event-types, GET|POST /api/v1/events, GET|PATCH
 * /api/v1/events/{id}, PUT /api/v1/events/{id}/attendance (签到, one
 * write for the whole list), GET /api/v1/events/{id}/files/{sha256} and
 * GET /api/v1/compliance (duties done, due and missed per organisation).
 */
#include "api/api.h"
#include "app/events.h"

#include <jansson.h>
#include <string.h>

/* ---- definitions ---- */

static void write_named(struct jw *w, const char *key, const struct people_named *v, size_t n)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "code", v[i].code);
        jw_kstr(w, "name", v[i].name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* ",a,b," as [{code, name}] of the organisation types. */
static void write_org_types(struct jw *w, struct http_req *req, const char *list)
{
    const struct people_defs *p = req->app->people;
    jw_key(w, "org_types");
    jw_arr(w);
    for (size_t i = 0; i < p->norg_types; i++) {
        char needle[80];
        snprintf(needle, sizeof needle, ",%s,", p->org_types[i].code);
        if (!strstr(list, needle)) continue;
        jw_obj(w);
        jw_kstr(w, "code", p->org_types[i].code);
        jw_kstr(w, "name", p->org_types[i].name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int api_event_types(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    const struct event_defs *d = req->app->events;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < d->ntypes; i++) {
        const struct event_type *t = &d->types[i];
        jw_obj(&w);
        jw_kstr(&w, "code", t->code);
        jw_kstr(&w, "name", t->name);
        write_org_types(&w, req, t->org_types);
        jw_kbool(&w, "unit", t->unit);
        jw_kbool(&w, "attendance", t->attendance);
        jw_key(&w, "fields");
        jw_arr(&w);
        for (size_t k = 0; k < t->nfields; k++) {
            jw_obj(&w);
            jw_kstr(&w, "code", t->fields[k].code);
            jw_kstr(&w, "name", t->fields[k].name);
            jw_knum(&w, "min", t->fields[k].min);
            jw_knum(&w, "max", t->fields[k].max);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        write_named(&w, "required_actions", t->required, t->nrequired);
        write_named(&w, "optional_actions", t->optional, t->noptional);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "attendance");
    jw_arr(&w);
    for (size_t i = 0; i < d->nattendance; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", d->attendance[i].code);
        jw_kstr(&w, "name", d->attendance[i].name);
        jw_kbool(&w, "present", d->attendance[i].present);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "duties");
    jw_arr(&w);
    for (size_t i = 0; i < d->nduties; i++) {
        const struct duty_def *u = &d->duties[i];
        jw_obj(&w);
        jw_kstr(&w, "code", u->code);
        jw_kstr(&w, "name", u->name);
        jw_kstr(&w, "event_type", u->event_type);
        jw_kstr(&w, "event_type_name", events_type(req->app, u->event_type)->name);
        jw_kstr(&w, "every", period_type_name(u->every));
        if (u->member_kind) {
            jw_knull(&w, "org_types");
            jw_kstr(&w, "member_kind", u->member_kind);
        } else {
            write_org_types(&w, req, u->org_types);
            jw_knull(&w, "member_kind");
        }
        jw_kstr(&w, "source", u->source);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "held_future_days", d->held_future_days);
    jw_obj_end(&w);
    return ERR_OK;
}

/* ---- events ---- */

static const char *type_name(struct http_req *req, const char *code)
{
    const struct event_type *t = events_type(req->app, code);
    return t ? t->name : code;
}

static void write_event_fields(struct jw *w, struct http_req *req, const struct event_row *e)
{
    jw_kint(w, "id", e->id);
    jw_kstr(w, "type", e->type);
    jw_kstr(w, "type_name", type_name(req, e->type));
    if (e->org_id) {
        jw_key(w, "org");
        jw_obj(w);
        jw_kint(w, "id", e->org_id);
        jw_kstr(w, "name", e->org_name);
        jw_obj_end(w);
    } else {
        jw_knull(w, "org");
    }
    api_unit_ref(w, req->tree, "unit", e->unit);
    jw_kstr(w, "status", e->status);
    jw_kstr(w, "starts_at", e->starts_at);
    jw_kstr(w, "day", e->day);
    jw_kstr(w, "place", e->place);
    jw_kstr(w, "topic", e->topic);
    jw_key(w, "actions");
    jw_raw(w, e->actions, strlen(e->actions));
}

struct list_ctx {
    struct http_req *req;
    struct jw *w;
};

static int write_event_row(void *ctx, const struct event_row *e)
{
    struct list_ctx *x = ctx;
    jw_obj(x->w);
    write_event_fields(x->w, x->req, e);
    jw_obj_end(x->w);
    return 0;
}

int api_events_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct event_query q = {.unit = req->unit};
    long limit, org;
    int rc = http_query_text(req, "type", 32, &q.type, err);
    if (!rc) rc = http_query_text(req, "status", 16, &q.status, err);
    if (!rc) rc = http_query_text(req, "period", 16, &q.period, err);
    if (!rc) rc = http_query_text(req, "after", 40, &q.after, err);
    if (!rc) rc = http_query_int(req, "org", 0, 0, INT64_MAX / 2, &org, err);
    if (!rc) rc = http_query_int(req, "limit", 50, 1, EVENT_LIST_MAX, &limit, err);
    if (rc) return rc;
    if (q.type && !q.type[0]) q.type = NULL;
    if (q.status && !q.status[0]) q.status = NULL;
    if (q.period && !q.period[0]) q.period = NULL;
    q.org_id = org;
    q.limit = (int)limit;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct list_ctx x = {req, &w};
    const char *next;
    if ((rc = events_list(req->app, &q, req->arena, write_event_row, &x, &next, err))) return rc;
    jw_arr_end(&w);
    jw_kstr_or_null(&w, "next", next);
    jw_obj_end(&w);
    return ERR_OK;
}

/* [{person, attendance, values}] */
static int read_parts(struct http_req *req, json_t *list, struct participant_in **out, size_t *n,
                      struct err *err)
{
    if (!json_is_array(list))
        return err_set_field(err, ERR_INVALID, "participants",
                             "participants 须为数组，每项 {person, attendance, values}");
    if (json_array_size(list) > EVENT_PARTICIPANTS_MAX)
        return err_set_field(err, ERR_TOO_LARGE, "participants", "一次活动最多登记 %d 人",
                             EVENT_PARTICIPANTS_MAX);
    *n = json_array_size(list);
    struct participant_in *v = arena_zalloc(req->arena, (*n + 1) * sizeof *v);
    for (size_t i = 0; i < *n; i++) {
        static const char *const keys[] = {"person", "attendance", "values", NULL};
        json_t *o = json_array_get(list, i), *person = json_object_get(o, "person");
        const char *field = arena_printf(req->arena, "participants[%zu]", i);
        int rc = json_is_object(o) ? jin_only(o, keys, err)
                                   : err_set_field(err, ERR_INVALID, field,
                                                   "第 %zu 项须为 {person, attendance}", i + 1);
        if (!rc && (!json_is_integer(person) || json_integer_value(person) <= 0))
            rc = err_set_field(err, ERR_INVALID, field, "第 %zu 项：person 须为人员编号", i + 1);
        if (!rc) rc = jin_str(req->arena, o, "attendance", 32, &v[i].attendance, err);
        if (rc) return rc;
        v[i].person_id = json_integer_value(person);
        json_t *values = json_object_get(o, "values"), *num;
        const char *key;
        if (values && !json_is_object(values))
            return err_set_field(err, ERR_INVALID, field, "第 %zu 项：values 须为对象", i + 1);
        if (json_object_size(values) > 32)
            return err_set_field(err, ERR_INVALID, field, "第 %zu 项：values 项数过多", i + 1);
        v[i].values =
            arena_zalloc(req->arena, (json_object_size(values) + 1) * sizeof *v[i].values);
        json_object_foreach(values, key, num)
        {
            if (!json_is_number(num))
                return err_set_field(err, ERR_INVALID, field, "第 %zu 项：%s 须为数字", i + 1, key);
            v[i].values[v[i].nvalues++] =
                (struct event_value){arena_strdup(req->arena, key), json_number_value(num)};
        }
    }
    *out = v;
    return ERR_OK;
}

static int read_event(struct http_req *req, json_t *body, struct event_in *in, struct err *err)
{
    static const char *const fields[] = {"type",      "org",          "unit",  "status",
                                         "starts_at", "place",        "topic", "notes",
                                         "actions",   "participants", "files", NULL};
    memset(in, 0, sizeof *in);
    struct arena *a = req->arena;
    int rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(a, body, "type", 32, &in->type, err);
    if (!rc) rc = jin_str(a, body, "unit", 32, &in->unit, err);
    if (!rc) rc = jin_str(a, body, "status", 16, &in->status, err);
    if (!rc) rc = jin_str(a, body, "starts_at", 32, &in->starts_at, err);
    if (!rc) rc = jin_str(a, body, "place", 400, &in->place, err);
    if (!rc) rc = jin_str(a, body, "topic", 400, &in->topic, err);
    if (!rc) rc = jin_text(a, body, "notes", 8000, &in->notes, err);
    if (!rc) rc = api_file_refs(a, body, &in->files, &in->nfiles, err);
    if (rc) return rc;
    json_t *org = json_object_get(body, "org");
    if (org && !json_is_null(org) && (!json_is_integer(org) || json_integer_value(org) <= 0))
        return err_set_field(err, ERR_INVALID, "org", "org 须为党组织编号");
    in->org_id = json_is_integer(org) ? json_integer_value(org) : 0;
    json_t *actions = json_object_get(body, "actions");
    if (actions) {
        if (!json_is_array(actions) || json_array_size(actions) > 64)
            return err_set_field(err, ERR_INVALID, "actions", "actions 须为动作代码的数组");
        const char **v = arena_zalloc(a, (json_array_size(actions) + 1) * sizeof *v);
        for (size_t i = 0; i < json_array_size(actions); i++)
            if (!(v[i] = json_string_value(json_array_get(actions, i))))
                return err_set_field(err, ERR_INVALID, "actions", "actions 第 %zu 项须为文本",
                                     i + 1);
        in->actions = v;
        in->nactions = json_array_size(actions);
        in->actions_given = true;
    }
    json_t *parts = json_object_get(body, "participants");
    if (parts) {
        struct participant_in *p;
        if ((rc = read_parts(req, parts, &p, &in->nparts, err))) return rc;
        in->parts = p;
        in->parts_given = true;
    }
    return ERR_OK;
}

static int write_event(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                       struct err *err)
{
    struct event_view v;
    int rc = events_get(req->app, id, req->arena, &v, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    write_event_fields(&w, req, &v.e);
    jw_kstr(&w, "notes", v.e.notes);
    jw_key(&w, "participants");
    jw_arr(&w);
    long present = 0;
    for (size_t i = 0; i < v.nparts; i++) {
        const struct participant_row *p = &v.parts[i];
        const struct attendance_code *c = events_attendance(req->app, p->attendance);
        present += c && c->present;
        jw_obj(&w);
        jw_kint(&w, "person", p->person_id);
        jw_kstr(&w, "name", p->person_name);
        jw_kstr(&w, "attendance", p->attendance);
        jw_kstr(&w, "attendance_name", c ? c->name : p->attendance);
        jw_key(&w, "values");
        jw_raw(&w, p->data, strlen(p->data));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "present", present);
    jw_key(&w, "files");
    jw_arr(&w);
    for (size_t i = 0; i < v.nfiles; i++) {
        jw_obj(&w);
        jw_kstr(&w, "sha256", v.files[i].sha256);
        jw_kstr(&w, "name", v.files[i].name);
        jw_kstr(&w, "type", v.files[i].type);
        jw_kint(&w, "size", v.files[i].size);
        jw_kstr(&w, "url",
                arena_printf(req->arena, "/api/v1/events/%lld/files/%s", (long long)id,
                             v.files[i].sha256));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kstr(&w, "created_by", v.e.created_by);
    jw_kstr(&w, "created_at", v.e.created_at);
    jw_kstr(&w, "updated_at", v.e.updated_at);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_events_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct event_in in;
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = read_event(req, body, &in, err);
    if (!rc) rc = events_create(req->app, req->user, &in, req->client, &id, err);
    return rc ? rc : write_event(req, resp, id, 201, err);
}

int api_event_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "活动", &id, err);
    return rc ? rc : write_event(req, resp, id, 200, err);
}

int api_event_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    json_t *body;
    struct event_in in;
    int rc = app_parse_id(req->param[0], "活动", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = read_event(req, body, &in, err);
    if (!rc) rc = events_update(req->app, req->user, id, &in, req->client, err);
    return rc ? rc : write_event(req, resp, id, 200, err);
}

int api_event_attendance(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"participants", NULL};
    int64_t id;
    json_t *body;
    struct participant_in *parts = NULL;
    size_t n = 0;
    int rc = app_parse_id(req->param[0], "活动", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = read_parts(req, json_object_get(body, "participants"), &parts, &n, err);
    if (!rc) rc = events_attendance_set(req->app, req->user, id, parts, n, req->client, err);
    return rc ? rc : write_event(req, resp, id, 200, err);
}

int api_event_file(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    struct notice_file f;
    const void *data;
    int rc = app_parse_id(req->param[0], "活动", &id, err);
    if (!rc) rc = events_file(req->app, id, req->param[1], req->arena, &f, &data, err);
    if (!rc) api_send_file(req, resp, f.type, f.name, data, (size_t)f.size);
    return rc;
}

/* ---- compliance ---- */

static void write_counts(struct jw *w, long due, long held, long missed, long pending)
{
    jw_kint(w, "due", due);
    jw_kint(w, "held", held);
    jw_kint(w, "missed", missed);
    jw_kint(w, "pending", pending);
}

static void write_org_compliance(struct jw *w, struct http_req *req, const struct org_compliance *o)
{
    const struct people_defs *p = req->app->people;
    jw_obj(w);
    jw_kint(w, "id", o->o.id);
    jw_kstr(w, "name", o->o.name);
    jw_kstr(w, "type", o->o.type);
    jw_kstr(w, "type_name", people_name(p->org_types, p->norg_types, o->o.type));
    api_unit_ref(w, req->tree, "unit", o->o.unit);
    write_counts(w, o->due, o->held, o->missed, o->pending);
    jw_key(w, "duties");
    jw_arr(w);
    for (size_t k = 0; k < o->nlines; k++) {
        const struct compliance_line *l = &o->lines[k];
        jw_obj(w);
        jw_kstr(w, "code", l->duty->code);
        jw_kstr(w, "name", l->duty->name);
        write_counts(w, l->due, l->held, l->missed, l->pending);
        jw_key(w, "periods");
        jw_arr(w);
        for (size_t i = 0; i < l->ncells; i++) {
            const struct compliance_cell *c = &l->cells[i];
            if (!c->due && !c->pending) continue; /* the organisation did not exist then */
            jw_obj(w);
            jw_kstr(w, "period", c->period);
            write_counts(w, c->due, c->held, c->missed, c->pending);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

int api_compliance(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *period;
    long limit, after;
    int rc = http_query_text(req, "period", 16, &period, err);
    if (!rc) rc = http_query_int(req, "limit", 100, 1, 1000, &limit, err);
    if (!rc) rc = http_query_int(req, "after", 0, 0, INT64_MAX / 2, &after, err);
    if (!rc && (!period || !period[0]))
        rc = err_set_field(err, ERR_INVALID, "period", "请给出期间，如 2026、2026Q1 或 2026-03");
    struct compliance_report r;
    if (!rc) rc = events_compliance(req->app, req->unit, period, req->arena, &r, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    api_unit_ref(&w, req->tree, "unit", req->unit);
    jw_kstr(&w, "period", period);
    jw_kstr(&w, "today", r.today);
    write_counts(&w, r.due, r.held, r.missed, r.pending);
    jw_key(&w, "items");
    jw_arr(&w);
    size_t shown = 0;
    int64_t last = 0;
    bool more = false;
    for (size_t j = 0; j < r.norgs; j++) {
        if (r.orgs[j].o.id <= after || !r.orgs[j].nlines) continue;
        if (shown == (size_t)limit) {
            more = true;
            break;
        }
        write_org_compliance(&w, req, &r.orgs[j]);
        last = r.orgs[j].o.id;
        shown++;
    }
    jw_arr_end(&w);
    if (more)
        jw_kint(&w, "next", last);
    else
        jw_knull(&w, "next");
    /* 逾期: every missed duty period of the subtree, oldest first by organisation */
    jw_key(&w, "overdue");
    jw_arr(&w);
    size_t listed = 0;
    for (size_t j = 0; j < r.norgs && listed < 1000; j++)
        for (size_t k = 0; k < r.orgs[j].nlines && listed < 1000; k++) {
            const struct compliance_line *l = &r.orgs[j].lines[k];
            for (size_t i = 0; i < l->ncells && listed < 1000; i++) {
                if (!l->cells[i].missed) continue;
                jw_obj(&w);
                jw_kint(&w, "org", r.orgs[j].o.id);
                jw_kstr(&w, "org_name", r.orgs[j].o.name);
                jw_kstr(&w, "duty", l->duty->code);
                jw_kstr(&w, "duty_name", l->duty->name);
                jw_kstr(&w, "period", l->cells[i].period);
                jw_kint(&w, "missed", l->cells[i].missed);
                jw_obj_end(&w);
                listed++;
            }
        }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}
