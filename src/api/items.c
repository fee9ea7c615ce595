/*
 * items.c — work items over HTTP: GET /api/v1/item-types, GET/POST
 * /api/v1/items, GET /api/v1/items/{id} (with its timeline and the steps
 * the caller may take), POST /api/v1/items/{id}/transitions, /comments and
 * /reassign. The rules live in app/items.c, app/cases.c and
 * core/workflow.c; the timeline and steps are written by api/cases.c.
 */
#include "api/api.h"
#include "app/grids.h"
#include "app/items.h"
#include "app/kinds.h"
#include "app/notify.h"
#include "app/users.h"
#include "base/clock.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define LIST_DEFAULT 50
#define LIST_MAX     500

/* The item object (the timeline and steps are written by the caller). */
static void write_item(struct jw *w, struct http_req *req, const struct case_row *it,
                       struct users_names *names, bool resolve)
{
    enum api_view v = api_view_of(req); /* personal numbers in free text masked without pii:read */
    const struct wf_kind *t = items_kind(req->app, it->kind);
    int s = t ? wf_state_index(t, it->state) : -1;
    char now[11];
    clock_today(now, 0);
    jw_kint(w, "id", it->id);
    jw_kstr(w, "type", it->kind);
    jw_kstr(w, "type_name", t ? t->name : it->kind);
    api_ktext(w, "title", it->title, v);
    api_ktext(w, "description", it->description, v);
    api_unit_ref(w, req->tree, "unit", it->unit);
    api_unit_ref(w, req->tree, "owner_unit", it->owner_unit);
    api_unit_ref(w, req->tree, "helper_unit", it->helper_unit);
    api_ktext(w, "assignee", it->assignee, v);
    api_ktext(w, "measures", it->measures, v);
    api_ktext(w, "category", it->category, v);
    jw_kint(w, "priority", it->priority);
    jw_kstr_or_null(w, "deadline", it->deadline[0] ? it->deadline : NULL);
    api_ktext(w, "location", it->location, v);
    jw_kbool(w, "immediate", it->immediate);
    jw_kstr(w, "state", it->state);
    jw_kstr(w, "state_label", s >= 0 ? t->states[s].label : it->state);
    jw_kbool(w, "final", it->final);
    jw_kbool(w, "overdue", !it->final && it->deadline[0] && strcmp(it->deadline, now) < 0);
    if (it->rating)
        jw_kint(w, "rating", it->rating);
    else
        jw_knull(w, "rating");
    jw_kstr(w, "created_by", it->created_by);
    if (resolve) /* a list notes the login instead: its names follow the list ("people") */
        jw_kstr(w, "created_by_name", users_name_of(names, it->created_by));
    else
        users_names_note(names, it->created_by);
    jw_kstr(w, "created_at", it->created_at);
    jw_kstr(w, "updated_at", it->updated_at);
    jw_kstr_or_null(w, "closed_at", it->closed_at[0] ? it->closed_at : NULL);
    jw_kstr_or_null(w, "tracking_code", it->tracking_code[0] ? it->tracking_code : NULL);
    api_unit_ref(w, req->tree, "escalated_to", it->escalated_to);
    if (it->batch)
        jw_kint(w, "batch", it->batch);
    else
        jw_knull(w, "batch");
    jw_kint(w, "version", it->version);
}

int api_item_types(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (int i = 0; i < kinds_count(req->app); i++) {
        const struct wf_kind *t = kinds_at(req->app, i);
        if (t->subject != CASE_ITEM) continue;
        jw_obj(&w);
        jw_kstr(&w, "code", t->code);
        jw_kstr(&w, "name", t->name);
        jw_kstr(&w, "initial", t->states[t->initial].code);
        jw_kstr(&w, "create_perm", t->create_perm);
        /* The deadline a new item gets when none is given (kinds' "deadline_days"),
         * as a date in the deployment's zone for the form to show. */
        if (t->has_deadline_default) {
            char day[11];
            clock_today(day, t->deadline_days);
            jw_kint(&w, "deadline_days", t->deadline_days);
            jw_kstr(&w, "default_deadline", day);
        } else {
            jw_knull(&w, "deadline_days");
            jw_knull(&w, "default_deadline");
        }
        jw_key(&w, "states");
        jw_arr(&w);
        for (int s = 0; s < t->nstates; s++) {
            jw_obj(&w);
            jw_kstr(&w, "code", t->states[s].code);
            jw_kstr(&w, "label", t->states[s].label);
            jw_kbool(&w, "final", t->states[s].flags & WF_FINAL);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_key(&w, "transitions");
        jw_arr(&w);
        for (int k = 0; k < t->ntransitions; k++) {
            const struct wf_transition *tr = &t->transitions[k];
            jw_obj(&w);
            api_write_transition(&w, t, tr);
            jw_key(&w, "from");
            jw_arr(&w);
            for (int f = 0; f < tr->nfrom; f++)
                jw_str(&w, t->states[tr->from[f]].code);
            jw_arr_end(&w);
            jw_kstr(&w, "to", t->states[tr->to].code);
            jw_kstr(&w, "perm", tr->perm);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_key(&w, "categories");
        jw_arr(&w);
        for (int c = 0; c < t->ncategories; c++)
            jw_str(&w, t->categories[c]);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

struct list_ctx {
    struct jw *w;
    struct http_req *req;
    struct users_names *names;
    int n;
    int64_t last;
};

static int list_one(void *ctx, const struct case_row *it)
{
    struct list_ctx *c = ctx;
    jw_obj(c->w);
    write_item(c->w, c->req, it, c->names, false);
    jw_obj_end(c->w);
    c->n++;
    c->last = it->id;
    return 0;
}

/* GET /api/v1/items?unit=&type=&state=&overdue=1&limit=&after=: items owned
 * inside the unit's subtree, newest first. */
int api_items_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *type, *state, *overdue, *escalated;
    long limit, after, batch;
    int rc = http_query_text(req, "type", 32, &type, err);
    if (!rc) rc = http_query_text(req, "state", 32, &state, err);
    if (!rc) rc = http_query_text(req, "overdue", 8, &overdue, err);
    if (!rc) rc = http_query_text(req, "escalated", 8, &escalated, err);
    if (!rc) rc = http_query_int(req, "limit", LIST_DEFAULT, 1, LIST_MAX, &limit, err);
    if (!rc) rc = http_query_int(req, "after", 0, 0, INT64_MAX / 2, &after, err);
    if (!rc) rc = http_query_int(req, "batch", 0, 0, INT64_MAX / 2, &batch, err);
    if (rc) return rc;
    const char *kinds;
    if ((rc = items_kinds(req->app, type, &kinds, err))) return rc;
    char now[11];
    clock_today(now, 0);
    struct case_filter f = {.scope = req->unit,
                            .kinds = kinds,
                            .state = state,
                            .overdue_on = overdue && strcmp(overdue, "1") == 0 ? now : NULL,
                            .before_id = after,
                            .batch = batch,
                            .limit = (int)limit};
    if (escalated && strcmp(escalated, "1") == 0) { /* what was reported up to this subtree */
        f.scope = "";
        f.escalated_in = req->unit;
    }
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct list_ctx c = {.w = &w, .req = req, .names = users_names_new(req->app, req->arena)};
    if ((rc = cases_list(req->app, &f, list_one, &c, err))) return rc;
    jw_arr_end(&w);
    users_names_json(c.names, &w, "people"); /* created_by → display name */
    if (c.n == limit)
        jw_kint(&w, "next", c.last);
    else
        jw_knull(&w, "next");
    jw_obj_end(&w);
    return ERR_OK;
}

int api_items_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {
        "type",     "title",    "description", "unit",     "owner_unit", "helper_unit", "assignee",
        "measures", "category", "priority",    "deadline", "location",   "immediate",   NULL};
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    struct item_input in = {.immediate = -1};
    bool has;
    double priority = 0;
    struct arena *a = req->arena;
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_text(a, body, "type", 32, &in.type, err)) &&
        !(rc = jin_text(a, body, "title", ITEM_TITLE_MAX, &in.title, err)) &&
        !(rc = jin_str(a, body, "description", ITEM_TEXT_MAX, &in.description, err)) &&
        !(rc = jin_str(a, body, "unit", 32, &in.unit, err)) &&
        !(rc = jin_str(a, body, "owner_unit", 32, &in.owner_unit, err)) &&
        !(rc = jin_str(a, body, "helper_unit", 32, &in.helper_unit, err)) &&
        !(rc = jin_str(a, body, "assignee", 64, &in.assignee, err)) &&
        !(rc = jin_str(a, body, "measures", ITEM_TEXT_MAX, &in.measures, err)) &&
        !(rc = jin_str(a, body, "category", 32, &in.category, err)) &&
        !(rc = jin_str(a, body, "deadline", 16, &in.deadline, err)) &&
        !(rc = jin_str(a, body, "location", 200, &in.location, err)) &&
        !(rc = jin_bool(body, "immediate", &in.immediate, err)))
        rc = jin_num(body, "priority", &has, &priority, err);
    if (rc) return rc;
    if (has && (priority != (int)priority || priority < 1 || priority > 3))
        return err_set_field(err, ERR_INVALID, "priority", "priority 须为 1、2 或 3");
    in.priority = has ? (int)priority : 0;
    if (!in.unit) in.unit = req->unit;
    struct case_row it;
    if ((rc = items_create(req->app, req->user, &in, req->client, req->arena, &it, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    write_item(&w, req, &it, users_names_new(req->app, req->arena), true);
    jw_obj_end(&w);
    return ERR_OK;
}

/* POST /api/v1/items/batch: weekly dispatch, the same task to many units. */
int api_items_batch(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"type",     "title",    "description", "measures",
                                         "deadline", "priority", "units",       NULL};
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    struct item_input in = {.immediate = -1};
    struct arena *a = req->arena;
    bool has = false;
    double priority = 0;
    json_t *list = json_object_get(body, "units"), *v;
    size_t n = json_is_array(list) ? json_array_size(list) : 0, i;
    const char **units = arena_zalloc(a, (n ? n : 1) * sizeof *units);
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_text(a, body, "type", 32, &in.type, err)) &&
        !(rc = jin_text(a, body, "title", ITEM_TITLE_MAX, &in.title, err)) &&
        !(rc = jin_str(a, body, "description", ITEM_TEXT_MAX, &in.description, err)) &&
        !(rc = jin_str(a, body, "measures", ITEM_TEXT_MAX, &in.measures, err)) &&
        !(rc = jin_str(a, body, "deadline", 16, &in.deadline, err)))
        rc = jin_num(body, "priority", &has, &priority, err);
    if (!rc && !json_is_array(list))
        rc = err_set_field(err, ERR_INVALID, "units", "units 须为单位代码的数组");
    json_array_foreach(list, i, v)
    {
        if (rc) break;
        if (!json_is_string(v) || json_string_length(v) > 32)
            rc = err_set_field(err, ERR_INVALID, "units", "units 第 %zu 项不是单位代码", i + 1);
        else
            units[i] = arena_strdup(a, json_string_value(v));
    }
    if (rc) return rc;
    if (has && (priority != (int)priority || priority < 1 || priority > 3))
        return err_set_field(err, ERR_INVALID, "priority", "priority 须为 1、2 或 3");
    in.priority = has ? (int)priority : 0;
    int64_t batch;
    struct case_row *items;
    if ((rc = items_create_batch(req->app, req->user, &in, units, n, req->client, a, &batch, &items,
                                 err)))
        return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "batch", batch);
    jw_key(&w, "items");
    jw_arr(&w);
    struct users_names *names = users_names_new(req->app, req->arena);
    for (size_t k = 0; k < n; k++) {
        jw_obj(&w);
        write_item(&w, req, &items[k], names, true);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* The members of the item with its timeline and the steps the caller may
 * take now (the caller opens and closes the object). */
static int write_full_members(struct jw *w, struct http_req *req, int64_t id, struct err *err)
{
    struct case_full f;
    struct case_timeline t;
    int rc = items_load(req->app, req->arena, id, &f, err);
    if (!rc) rc = cases_timeline(req->app, req->arena, id, &t, err);
    struct grid_visit_row visit = {0};
    bool from_visit = false;
    if (!rc) rc = grids_visit_of_case(req->app, req->arena, id, &visit, &from_visit, err);
    if (rc) return rc;
    struct users_names *names = users_names_new(req->app, req->arena);
    write_item(w, req, &f.c, names, true);
    api_write_source_visit(w, req, from_visit ? &visit : NULL);
    if ((rc = api_write_source_check(w, req, id, err))) return rc;
    api_write_timeline(w, f.kind, &t,
                       arena_printf(req->arena, "/api/v1/items/%lld/files/", (long long)id), "",
                       api_view_of(req), names);
    api_write_steps(w, f.kind, &f.c, req->user);
    return ERR_OK;
}

/* The item with its timeline and the steps the caller may take now. */
static int write_full(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                      struct err *err)
{
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    int rc = write_full_members(&w, req, id, err);
    jw_obj_end(&w);
    return rc;
}

/* 409 for a step or comment made on an older version (base_version, e.g.
 * offline): the error as usual plus "current", the item as it is now, so
 * the client shows both and the person chooses (nothing was written). */
static int item_conflict(struct http_req *req, struct http_resp *resp, int64_t id, struct err *err)
{
    const char *msg = arena_strdup(req->arena, err->msg);
    err_clear(err);
    struct jw w;
    http_json(resp, &w);
    resp->status = 409;
    jw_obj(&w);
    jw_key(&w, "error");
    jw_obj(&w);
    jw_kstr(&w, "code", err_kind_name(ERR_CONFLICT));
    jw_kstr(&w, "message", msg);
    jw_kstr(&w, "field", "base_version");
    jw_obj_end(&w);
    jw_key(&w, "current");
    jw_obj(&w);
    int rc = write_full_members(&w, req, id, err);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return rc;
}

static bool stale_base(int rc, const struct err *err)
{
    return rc == ERR_CONFLICT && strcmp(err->field, "base_version") == 0;
}

int api_items_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = cases_parse_id(req->param[0], &id, err);
    if (!rc) rc = write_full(req, resp, id, 200, err);
    /* Opening the item reads what the reader was told about it. */
    return rc ? rc : notify_read_case(req->app, req->user, id, err);
}

int api_items_transition(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"transition", "note",  "evidence",     "assignee",
                                         "rating",     "files", "base_version", NULL};
    int64_t id;
    json_t *body;
    const char *code = NULL;
    struct case_step step = {0};
    struct case_full f;
    int rc = cases_parse_id(req->param[0], &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = api_case_step(req, body, fields, &step, &code, err);
    if (!rc) rc = items_load(req->app, req->arena, id, &f, err);
    if (!rc)
        rc = cases_step(req->app, req->user, id, code, &step, req->client, req->arena, NULL, err);
    if (stale_base(rc, err)) return item_conflict(req, resp, id, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}

int api_items_comment(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"note", "files", "base_version", NULL};
    int64_t id;
    json_t *body;
    struct case_step step = {0};
    struct case_full f;
    int rc = cases_parse_id(req->param[0], &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = api_case_step(req, body, fields, &step, NULL, err);
    if (!rc) rc = items_load(req->app, req->arena, id, &f, err);
    if (!rc) rc = cases_comment(req->app, req->user, id, &step, req->client, err);
    if (stale_base(rc, err)) return item_conflict(req, resp, id, err);
    return rc ? rc : write_full(req, resp, id, 201, err);
}

/* POST /api/v1/items/{id}/reassign: 转办 to another owner, helper or person. */
int api_items_reassign(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"owner_unit", "helper_unit", "assignee", "note", NULL};
    int64_t id;
    int rc = cases_parse_id(req->param[0], &id, err);
    if (rc) return rc;
    json_t *body;
    if ((rc = http_body_json(req, &body, err))) return rc;
    struct item_reassign r = {0};
    struct arena *a = req->arena;
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_text(a, body, "owner_unit", 32, &r.owner_unit, err)) &&
        !(rc = jin_str(a, body, "helper_unit", 32, &r.helper_unit, err)) &&
        !(rc = jin_str(a, body, "assignee", 64, &r.assignee, err)))
        rc = jin_str(a, body, "note", ITEM_TEXT_MAX, &r.note, err);
    if (!rc) rc = items_reassign(req->app, req->user, id, &r, req->client, a, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}
