/*
 * items.c — work items over HTTP: GET /api/v1/item-types, GET/POST
 * /api/v1/items, GET /api/v1/items/{id} (with its timeline and the steps
 * the caller may take), POST /api/v1/items/{id}/transitions and
 * /comments. The rules live in app/items.c and core/workflow.c.
 */
#include "api/api.h"
#include "app/items.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define LIST_DEFAULT 50
#define LIST_MAX     500

static void write_unit_ref(struct jw *w, const struct tree *t, const char *key, const char *code)
{
    uint32_t i = code && code[0] ? tree_find(t, code, strlen(code)) : TREE_NONE;
    if (i == TREE_NONE) {
        jw_knull(w, key);
        return;
    }
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "name", tree_name(t, i));
    jw_obj_end(w);
}

static void write_needs(struct jw *w, unsigned needs)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{WF_NEED_NOTE, "note"},
                 {WF_NEED_EVIDENCE, "evidence"},
                 {WF_NEED_RATING, "rating"},
                 {WF_NEED_ASSIGNEE, "assignee"}};
    jw_key(w, "needs");
    jw_arr(w);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (needs & names[k].bit) jw_str(w, names[k].name);
    jw_arr_end(w);
}

/* The item object; `full` adds nothing here (the timeline is written by the caller). */
static void write_item(struct jw *w, struct http_req *req, const struct store_item *it)
{
    const struct wf_type *t = items_type(req->app, it->type);
    int s = t ? wf_state_index(t, it->state) : -1;
    char now[11];
    items_today(now, 0);
    jw_kint(w, "id", it->id);
    jw_kstr(w, "type", it->type);
    jw_kstr(w, "type_name", t ? t->name : it->type);
    jw_kstr(w, "title", it->title);
    jw_kstr(w, "description", it->description);
    write_unit_ref(w, req->tree, "unit", it->unit);
    write_unit_ref(w, req->tree, "owner_unit", it->owner_unit);
    write_unit_ref(w, req->tree, "helper_unit", it->helper_unit);
    jw_kstr(w, "assignee", it->assignee);
    jw_kstr(w, "measures", it->measures);
    jw_kstr(w, "category", it->category);
    jw_kint(w, "priority", it->priority);
    jw_kstr_or_null(w, "deadline", it->deadline[0] ? it->deadline : NULL);
    jw_kstr(w, "location", it->location);
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
    jw_kstr(w, "created_at", it->created_at);
    jw_kstr(w, "updated_at", it->updated_at);
    jw_kstr_or_null(w, "closed_at", it->closed_at[0] ? it->closed_at : NULL);
    jw_kstr_or_null(w, "tracking_code", it->tracking_code[0] ? it->tracking_code : NULL);
    write_unit_ref(w, req->tree, "escalated_to", it->escalated_to);
    if (it->batch)
        jw_kint(w, "batch", it->batch);
    else
        jw_knull(w, "batch");
}

int api_item_types(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (int i = 0; i < req->app->nwf; i++) {
        const struct wf_type *t = req->app->wf[i];
        jw_obj(&w);
        jw_kstr(&w, "code", t->code);
        jw_kstr(&w, "name", t->name);
        jw_kstr(&w, "initial", t->states[t->initial].code);
        jw_kstr(&w, "create_perm", t->create_perm);
        jw_key(&w, "states");
        jw_arr(&w);
        for (int s = 0; s < t->nstates; s++) {
            jw_obj(&w);
            jw_kstr(&w, "code", t->states[s].code);
            jw_kstr(&w, "label", t->states[s].label);
            jw_kbool(&w, "final", t->states[s].final);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_key(&w, "transitions");
        jw_arr(&w);
        for (int k = 0; k < t->ntransitions; k++) {
            const struct wf_transition *tr = &t->transitions[k];
            jw_obj(&w);
            jw_kstr(&w, "code", tr->code);
            jw_kstr(&w, "label", tr->label);
            jw_key(&w, "from");
            jw_arr(&w);
            for (int f = 0; f < tr->nfrom; f++)
                jw_str(&w, t->states[tr->from[f]].code);
            jw_arr_end(&w);
            jw_kstr(&w, "to", t->states[tr->to].code);
            jw_kstr(&w, "perm", tr->perm);
            write_needs(&w, tr->needs);
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
    int n;
    int64_t last;
};

static int list_one(void *ctx, const struct store_item *it)
{
    struct list_ctx *c = ctx;
    jw_obj(c->w);
    write_item(c->w, c->req, it);
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
    if (type && !items_type(req->app, type))
        return err_set_field(err, ERR_INVALID, "type", "没有事项类型 %s", type);
    char now[11];
    items_today(now, 0);
    struct store_item_filter f = {.scope = req->unit,
                                  .type = type,
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
    struct list_ctx c = {.w = &w, .req = req};
    struct db *db = store_acquire(req->app->store);
    rc = store_items_list(db, req->arena, &f, list_one, &c, err);
    store_release(req->app->store, db);
    if (rc) return rc;
    jw_arr_end(&w);
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
        !(rc = jin_str(a, body, "type", 32, &in.type, err)) &&
        !(rc = jin_str(a, body, "title", ITEM_TITLE_MAX, &in.title, err)) &&
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
    json_decref(body);
    if (rc) return rc;
    if (has && (priority != (int)priority || priority < 1 || priority > 3))
        return err_set_field(err, ERR_INVALID, "priority", "priority 须为 1、2 或 3");
    in.priority = has ? (int)priority : 0;
    if (!in.unit) in.unit = req->unit;
    struct store_item it;
    if ((rc = items_create(req->app, req->user, &in, req->client, req->arena, &it, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    write_item(&w, req, &it);
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
        !(rc = jin_str(a, body, "type", 32, &in.type, err)) &&
        !(rc = jin_str(a, body, "title", ITEM_TITLE_MAX, &in.title, err)) &&
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
    json_decref(body);
    if (rc) return rc;
    if (has && (priority != (int)priority || priority < 1 || priority > 3))
        return err_set_field(err, ERR_INVALID, "priority", "priority 须为 1、2 或 3");
    in.priority = has ? (int)priority : 0;
    int64_t batch;
    struct store_item *items;
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
    for (size_t k = 0; k < n; k++) {
        jw_obj(&w);
        write_item(&w, req, &items[k]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* The files of an item's timeline, in event order (store_item_files). */
struct event_files {
    struct arena *a;
    int64_t *event;
    struct store_file *f;
    size_t n, cap, next; /* next: the first not yet written */
};

static int collect_file(void *ctx, int64_t event, const struct store_file *f)
{
    struct event_files *x = ctx;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 8;
        int64_t *ev = arena_alloc(x->a, cap * sizeof *ev);
        struct store_file *fs = arena_alloc(x->a, cap * sizeof *fs);
        if (x->n) {
            memcpy(ev, x->event, x->n * sizeof *ev);
            memcpy(fs, x->f, x->n * sizeof *fs);
        }
        x->event = ev;
        x->f = fs;
        x->cap = cap;
    }
    x->event[x->n] = event;
    x->f[x->n++] = *f;
    return 0;
}

struct timeline_ctx {
    struct jw *w;
    const struct wf_type *t;
    int64_t item;
    struct event_files *files;
};

static void write_files(struct timeline_ctx *c, int64_t event)
{
    struct event_files *x = c->files;
    jw_key(c->w, "files");
    jw_arr(c->w);
    for (; x->next < x->n && x->event[x->next] == event; x->next++) {
        const struct store_file *f = &x->f[x->next];
        jw_obj(c->w);
        jw_kstr(c->w, "sha256", f->sha256);
        jw_kstr(c->w, "name", f->name);
        jw_kstr(c->w, "type", f->type);
        jw_kint(c->w, "size", (int64_t)f->size);
        char url[128];
        snprintf(url, sizeof url, "/api/v1/items/%lld/files/%s", (long long)c->item, f->sha256);
        jw_kstr(c->w, "url", url);
        jw_obj_end(c->w);
    }
    jw_arr_end(c->w);
}

static int timeline_one(void *ctx, const struct store_item_event *e)
{
    struct timeline_ctx *c = ctx;
    const struct wf_transition *tr =
        c->t && e->transition[0] ? wf_transition_find(c->t, e->transition) : NULL;
    jw_obj(c->w);
    jw_kstr(c->w, "at", e->at);
    jw_kstr(c->w, "actor", e->actor);
    jw_kstr(c->w, "kind", e->kind);
    jw_kstr_or_null(c->w, "transition", e->transition[0] ? e->transition : NULL);
    jw_kstr_or_null(c->w, "label", tr ? tr->label : NULL);
    jw_kstr_or_null(c->w, "from", e->from_state[0] ? e->from_state : NULL);
    jw_kstr_or_null(c->w, "to", e->to_state[0] ? e->to_state : NULL);
    jw_kstr(c->w, "note", e->note);
    jw_kstr(c->w, "evidence", e->evidence);
    if (e->rating)
        jw_kint(c->w, "rating", e->rating);
    else
        jw_knull(c->w, "rating");
    jw_key(c->w, "changes");
    if (e->changes[0])
        jw_raw(c->w, e->changes, strlen(e->changes));
    else
        jw_null(c->w);
    write_files(c, e->id);
    jw_obj_end(c->w);
    return 0;
}

/* The item with its timeline and the steps the caller may take now. */
static int write_full(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                      struct err *err)
{
    struct store_item it;
    struct db *db = store_acquire(req->app->store);
    int rc = store_item_get(db, req->arena, id, &it, err);
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    const struct wf_type *t = rc ? NULL : items_type(req->app, it.type);
    if (!rc) {
        write_item(&w, req, &it);
        struct event_files files = {.a = req->arena};
        rc = store_item_files(db, req->arena, id, collect_file, &files, err);
        jw_key(&w, "timeline");
        jw_arr(&w);
        struct timeline_ctx c = {&w, t, id, &files};
        if (!rc) rc = store_item_events(db, req->arena, id, timeline_one, &c, err);
        jw_arr_end(&w);
    }
    store_release(req->app->store, db);
    if (rc) return rc;
    jw_key(&w, "available");
    jw_arr(&w);
    const struct wf_transition *avail[32];
    int n = t ? wf_available(t, wf_state_index(t, it.state), req->user->perms,
                             strcmp(it.created_by, req->user->name) == 0, avail, 32)
              : 0;
    for (int k = 0; k < n; k++) {
        jw_obj(&w);
        jw_kstr(&w, "code", avail[k]->code);
        jw_kstr(&w, "label", avail[k]->label);
        write_needs(&w, avail[k]->needs);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_items_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = items_parse_id(req->param[0], &id, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}

int api_items_transition(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"transition", "note",  "evidence", "assignee",
                                         "rating",     "files", NULL};
    int64_t id;
    int rc = items_parse_id(req->param[0], &id, err);
    if (rc) return rc;
    json_t *body;
    if ((rc = http_body_json(req, &body, err))) return rc;
    const char *code = NULL;
    struct item_step step = {0};
    bool has;
    double rating = 0;
    struct arena *a = req->arena;
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_str(a, body, "transition", 32, &code, err)) &&
        !(rc = jin_str(a, body, "note", ITEM_TEXT_MAX, &step.note, err)) &&
        !(rc = jin_str(a, body, "evidence", ITEM_TEXT_MAX, &step.evidence, err)) &&
        !(rc = jin_str(a, body, "assignee", 64, &step.assignee, err)) &&
        !(rc = jin_num(body, "rating", &has, &rating, err)))
        rc = api_file_refs(a, body, &step.files, &step.nfiles, err);
    json_decref(body);
    if (rc) return rc;
    if (has && (rating != (int)rating || rating < 1 || rating > 5))
        return err_set_field(err, ERR_INVALID, "rating", "评价须为 1 到 5 的整数");
    step.rating = has ? (int)rating : 0;
    struct store_item it;
    if ((rc = items_transition(req->app, req->user, id, code, &step, req->client, req->arena, &it,
                               err)))
        return rc;
    return write_full(req, resp, id, 200, err);
}

int api_items_comment(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"note", "files", NULL};
    int64_t id;
    int rc = items_parse_id(req->param[0], &id, err);
    if (rc) return rc;
    json_t *body;
    if ((rc = http_body_json(req, &body, err))) return rc;
    struct item_step step = {0};
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_str(req->arena, body, "note", ITEM_TEXT_MAX, &step.note, err)))
        rc = api_file_refs(req->arena, body, &step.files, &step.nfiles, err);
    json_decref(body);
    if (!rc) rc = items_comment(req->app, req->user, id, &step, req->client, err);
    return rc ? rc : write_full(req, resp, id, 201, err);
}

/* POST /api/v1/items/{id}/reassign: 转办 to another owner, helper or person. */
int api_items_reassign(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"owner_unit", "helper_unit", "assignee", "note", NULL};
    int64_t id;
    int rc = items_parse_id(req->param[0], &id, err);
    if (rc) return rc;
    json_t *body;
    if ((rc = http_body_json(req, &body, err))) return rc;
    struct item_reassign r = {0};
    struct arena *a = req->arena;
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_str(a, body, "owner_unit", 32, &r.owner_unit, err)) &&
        !(rc = jin_str(a, body, "helper_unit", 32, &r.helper_unit, err)) &&
        !(rc = jin_str(a, body, "assignee", 64, &r.assignee, err)))
        rc = jin_str(a, body, "note", ITEM_TEXT_MAX, &r.note, err);
    json_decref(body);
    struct store_item it;
    if (!rc) rc = items_reassign(req->app, req->user, id, &r, req->client, a, &it, err);
    return rc ? rc : write_full(req, resp, id, 200, err);
}
