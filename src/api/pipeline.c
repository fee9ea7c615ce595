/*
 * pipeline.c — 发展党员 and 组织关系转接 (app/pipeline.h): cases about a
 * person, listed for the pipeline board (看板) and the transfer lists, read
 * with their dated steps, created and moved on (api.h).
 */
#include "api/api.h"
#include "app/cases.h"
#include "app/kinds.h"
#include "app/notify.h"
#include "app/people.h"
#include "app/pipeline.h"
#include "app/users.h"
#include "base/clock.h"

#include <jansson.h>
#include <string.h>

static void write_ref(struct jw *w, const char *key, int64_t id, const char *name)
{
    if (!id) {
        jw_knull(w, key);
        return;
    }
    jw_key(w, key);
    jw_obj(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name ? name : "");
    jw_obj_end(w);
}

/* The fields every listing and page shows of a case. */
static void write_case(struct jw *w, struct http_req *req, const struct wf_kind *k,
                       const struct case_row *c, const struct case_person *p)
{
    int s = wf_state_index(k, c->state);
    const char *stage = s >= 0 ? k->states[s].stage : "";
    char today[11];
    clock_today(today, 0);
    jw_kint(w, "id", c->id);
    jw_kstr(w, "kind", k->code);
    jw_kstr(w, "kind_name", k->name);
    jw_kstr(w, "state", c->state);
    jw_kstr(w, "state_label", s >= 0 ? k->states[s].label : c->state);
    jw_kbool(w, "final", c->final);
    jw_kstr_or_null(w, "stage", stage[0] ? stage : NULL);
    jw_kstr_or_null(w, "stage_name", pipeline_stage_name(req->app, stage));
    write_ref(w, "person", p->person_id, p->person_name);
    write_ref(w, "org", p->org_id, p->org_name);
    write_ref(w, "to_org", p->to_org_id, p->to_org_name);
    api_unit_ref(w, req->tree, "owner_unit", c->owner_unit);
    api_unit_ref(w, req->tree, "unit", c->unit);
    jw_kstr(w, "since", p->since);
    jw_kstr_or_null(w, "deadline", c->deadline[0] ? c->deadline : NULL);
    jw_kbool(w, "overdue", !c->final && c->deadline[0] && strcmp(c->deadline, today) < 0);
    jw_kstr(w, "created_at", c->created_at);
    struct pipeline_next n;
    pipeline_next(req->app, k, c, p, req->arena, &n);
    if (!n.tr) {
        jw_knull(w, "next");
        return;
    }
    jw_key(w, "next");
    jw_obj(w);
    jw_kstr(w, "code", n.tr->code);
    jw_kstr(w, "label", n.tr->label);
    jw_kstr(w, "earliest", n.earliest);
    jw_kstr_or_null(w, "latest", n.latest[0] ? n.latest : NULL);
    jw_obj_end(w);
}

struct list_ctx {
    struct jw *w;
    struct http_req *req;
};

static int list_row(void *ctx, const struct case_row *c, const struct case_person *p)
{
    struct list_ctx *x = ctx;
    const struct wf_kind *k = kinds_find(x->req->app, c->kind);
    if (!k) return 0;
    jw_obj(x->w);
    write_case(x->w, x->req, k, c, p);
    jw_obj_end(x->w);
    return 0;
}

int api_party_cases_of(struct http_req *req, struct jw *w, int64_t person, struct err *err)
{
    struct list_ctx x = {w, req};
    return pipeline_list(req->app, "", pipeline_kinds(req->app, NULL), person, false, 100, list_row,
                         &x, err);
}

/* ?kind=&person=&open=&limit=: the cases in the unit's subtree (owned or
 * sent there), newest first, with the board's columns (stages). */
int api_party_cases_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *kind = http_query(req, "kind");
    long person, open, limit;
    int rc = http_query_int(req, "person", 0, 0, 1000000000000L, &person, err);
    if (!rc) rc = http_query_int(req, "open", 0, 0, 1, &open, err);
    if (!rc) rc = http_query_int(req, "limit", 500, 1, 2000, &limit, err);
    if (rc) return rc;
    const char *kinds = pipeline_kinds(req->app, kind && kind[0] ? kind : NULL);
    if (!kinds[0]) return err_set_field(err, ERR_INVALID, "kind", "没有这种党员事项：%s", kind);
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    const struct people_stage *stages;
    size_t n = 0;
    jw_key(&w, "stages");
    jw_arr(&w);
    if (pipeline_stages(req->app, &stages, &n) == ERR_OK)
        for (size_t i = 0; i < n; i++) {
            jw_obj(&w);
            jw_kstr(&w, "code", stages[i].code);
            jw_kstr(&w, "name", stages[i].name);
            jw_obj_end(&w);
        }
    jw_arr_end(&w);
    /* the kinds' steps and states by name (for 操作日志 and the pages) */
    jw_key(&w, "kinds");
    jw_arr(&w);
    for (int i = 0; i < kinds_count(req->app); i++) {
        const struct wf_kind *k = kinds_at(req->app, i);
        if (k->subject != CASE_PERSON) continue;
        jw_obj(&w);
        jw_kstr(&w, "code", k->code);
        jw_kstr(&w, "name", k->name);
        jw_key(&w, "steps");
        jw_arr(&w);
        for (int t = 0; t < k->ntransitions; t++) {
            jw_obj(&w);
            jw_kstr(&w, "code", k->transitions[t].code);
            jw_kstr(&w, "label", k->transitions[t].label);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_key(&w, "states");
        jw_arr(&w);
        for (int t = 0; t < k->nstates; t++) {
            jw_obj(&w);
            jw_kstr(&w, "code", k->states[t].code);
            jw_kstr(&w, "label", k->states[t].label);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "cases");
    jw_arr(&w);
    struct list_ctx x = {&w, req};
    rc = pipeline_list(req->app, req->unit, kinds, person, open, (int)limit, list_row, &x, err);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return rc;
}

/* The case with its steps (every step of the kind, with the day it was
 * taken and the numbers given), timeline and the steps the caller may take. */
static int write_full(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                      struct err *err)
{
    struct case_full f;
    struct case_timeline t;
    int rc = cases_load(req->app, req->arena, id, &f, err);
    if (!rc && f.kind->subject != CASE_PERSON)
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的党员事项", (long long)id);
    if (!rc) rc = cases_timeline(req->app, req->arena, id, &t, err);
    if (rc) return rc;
    const struct wf_kind *k = f.kind;
    json_t *steps = json_loads(f.person.steps, 0, NULL);
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    write_case(&w, req, k, &f.c, &f.person);
    api_ktext(&w, "note", f.c.description, api_view_of(req));
    jw_kstr(&w, "applied_on", pipeline_step_on(&f.person, req->arena, "create"));
    jw_key(&w, "steps");
    jw_arr(&w);
    for (int i = 0; i < k->ntransitions; i++) {
        const struct wf_transition *tr = &k->transitions[i];
        json_t *s = json_object_get(steps, tr->code);
        jw_obj(&w);
        jw_kstr(&w, "code", tr->code);
        jw_kstr(&w, "label", tr->label);
        jw_kstr_or_null(&w, "stage", k->states[tr->to].stage[0] ? k->states[tr->to].stage : NULL);
        jw_kstr_or_null(&w, "on", json_string_value(json_object_get(s, "on")));
        jw_key(&w, "numbers");
        jw_obj(&w);
        const char *key;
        json_t *v;
        json_object_foreach(s, key, v)
        {
            if (json_is_integer(v)) jw_kint(&w, key, (int64_t)json_integer_value(v));
        }
        jw_obj_end(&w);
        jw_key(&w, "names"); /* what a guard named for the numbers (入党介绍人) */
        jw_obj(&w);
        json_object_foreach(s, key, v)
        {
            if (json_is_string(v) && strcmp(key, "on") != 0) jw_kstr(&w, key, json_string_value(v));
        }
        jw_obj_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    json_decref(steps);
    struct users_names *names = users_names_new(req->app, req->arena);
    api_write_timeline(&w, k, &t,
                       arena_printf(req->arena, "/api/v1/items/%lld/files/", (long long)id), "",
                       api_view_of(req), names);
    api_write_steps(&w, k, &f.c, req->user);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_party_case_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = cases_parse_id(req->param[0], &id, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}

static int read_id(json_t *body, const char *key, bool required, const char *what, int64_t *out,
                   struct err *err)
{
    json_t *v = json_object_get(body, key);
    *out = 0;
    if (!v || json_is_null(v)) {
        if (!required) return ERR_OK;
        return err_set_field(err, ERR_INVALID, key, "请选择%s", what);
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return err_set_field(err, ERR_INVALID, key, "%s须为编号（正整数）", what);
    *out = (int64_t)json_integer_value(v);
    return ERR_OK;
}

/* {kind, person, org, to_org (a transfer), on, note} */
int api_party_cases_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"kind", "person", "org", "to_org", "on", "note", NULL};
    json_t *body;
    struct pipeline_in in = {0};
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "kind", 32, &in.kind, err);
    if (!rc) rc = jin_str(req->arena, body, "on", 16, &in.on, err);
    if (!rc) rc = jin_text(req->arena, body, "note", CASE_NOTE_MAX, &in.note, err);
    if (!rc) rc = read_id(body, "person", true, "人员", &in.person_id, err);
    if (!rc) rc = read_id(body, "org", true, "党组织", &in.org_id, err);
    if (!rc) rc = read_id(body, "to_org", false, "接收的党组织", &in.to_org_id, err);
    if (!rc && !in.kind) rc = err_set_field(err, ERR_INVALID, "kind", "请选择事项类型");
    int64_t id = 0;
    if (!rc) rc = pipeline_create(req->app, req->user, &in, req->client, &id, err);
    return rc ? rc : write_full(req, resp, id, 201, err);
}

int api_party_case_transition(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"transition", "note", "evidence", "on", "files", NULL};
    int64_t id;
    json_t *body;
    const char *code = NULL;
    struct case_step step = {0};
    int rc = cases_parse_id(req->param[0], &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = api_case_step(req, body, fields, &step, &code, err);
    if (!rc && !code) rc = err_set_field(err, ERR_INVALID, "transition", "请选择要办理的步骤");
    if (!rc)
        rc = cases_step(req->app, req->user, id, code, &step, req->client, req->arena, NULL, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}
