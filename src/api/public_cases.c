/*
 * public_cases.c — what anyone may read of cases in a kind's "public"
 * states, without an account: the open micro-wishes of a community (微心愿
 * 待认领), the resolutions and results of village deliberations (决议公开,
 * 实施结果公开). Titles and notes are shown with ID-card and phone numbers
 * masked; no submitter, contact, claimant or actor is ever shown; a case
 * in any other state answers 404 like one that does not exist.
 *
 *   GET /api/v1/public/cases?type=wish&unit=CODE&limit=&after=   the board
 *   GET /api/v1/public/cases/{id}                                one case with its steps
 */
#include "api/api.h"
#include "app/items.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#define BOARD_DEFAULT 50
#define BOARD_MAX     200

/* ",a,b,": the kind's public states, or NULL when it has none. */
static const char *public_states(struct arena *a, const struct wf_kind *k)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < k->nstates; i++)
        if (k->states[i].flags & WF_PUBLIC)
            buf_printf(&b, "%s%s,", b.len ? "" : ",", k->states[i].code);
    const char *s = b.len ? arena_strndup(a, b.p, b.len) : NULL;
    buf_free(&b);
    return s;
}

static void write_unit(struct jw *w, const struct tree *t, const char *code)
{
    uint32_t i = tree_find(t, code, strlen(code));
    uint32_t path[UNIT_LEVEL_COUNT];
    size_t depth = i == TREE_NONE ? 0 : tree_path(t, i, path, UNIT_LEVEL_COUNT);
    struct buf b = BUF_INIT;
    for (size_t k = 0; k + 1 < depth; k++)
        buf_printf(&b, "%s%s", k ? " › " : "", tree_name(t, path[k]));
    jw_key(w, "unit");
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr_or_null(w, "name", i == TREE_NONE ? NULL : tree_name(t, i));
    jw_kstrn(w, "path", b.p ? b.p : "", b.len);
    jw_obj_end(w);
    buf_free(&b);
}

static void write_head(struct jw *w, struct http_req *req, const struct wf_kind *k,
                       const struct case_row *c)
{
    int s = wf_state_index(k, c->state);
    jw_kint(w, "id", c->id);
    jw_kstr(w, "type", k->code);
    jw_kstr(w, "type_name", k->name);
    api_ktext(w, "title", c->title, API_VIEW_PUBLIC);
    jw_kstr(w, "category", c->category);
    jw_kstr(w, "state", c->state);
    jw_kstr(w, "state_label", s >= 0 ? k->states[s].label : c->state);
    jw_kbool(w, "final", c->final);
    write_unit(w, req->tree, c->unit);
    jw_kstr(w, "created_at", c->created_at);
    jw_kstr(w, "updated_at", c->updated_at);
}

struct board {
    struct jw *w;
    struct http_req *req;
    const struct wf_kind *k;
    long n;
    int64_t last;
};

static int board_one(void *ctx, const struct case_row *c)
{
    struct board *b = ctx;
    jw_obj(b->w);
    write_head(b->w, b->req, b->k, c);
    jw_obj_end(b->w);
    b->n++;
    b->last = c->id;
    return 0;
}

int api_public_cases(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *type, *unit;
    long limit, after;
    int rc = http_query_text(req, "type", 32, &type, err);
    if (!rc) rc = http_query_text(req, "unit", UNIT_CODE_MAX, &unit, err);
    if (!rc) rc = http_query_int(req, "limit", BOARD_DEFAULT, 1, BOARD_MAX, &limit, err);
    if (!rc) rc = http_query_int(req, "after", 0, 0, INT64_MAX / 2, &after, err);
    if (rc) return rc;
    const struct wf_kind *k = type && type[0] ? items_kind(req->app, type) : NULL;
    const char *states = k ? public_states(req->arena, k) : NULL;
    if (!states)
        return err_set_field(err, ERR_INVALID, "type",
                             "请指明要查看的公开事项类型（如微心愿 wish、议事事项 deliberation）");
    if (unit && unit[0] && tree_find(req->tree, unit, strlen(unit)) == TREE_NONE)
        return err_set_field(err, ERR_NOT_FOUND, "unit", "没有这个村或社区，请重新选择");
    struct case_filter f = {.scope = unit ? unit : "",
                            .kinds = arena_printf(req->arena, ",%s,", k->code),
                            .states = states,
                            .before_id = after,
                            .limit = (int)limit};
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "type", k->code);
    jw_kstr(&w, "type_name", k->name);
    jw_key(&w, "items");
    jw_arr(&w);
    struct board b = {.w = &w, .req = req, .k = k};
    if ((rc = cases_list(req->app, &f, board_one, &b, err))) return rc;
    jw_arr_end(&w);
    if (b.n == limit)
        jw_kint(&w, "next", b.last);
    else
        jw_knull(&w, "next");
    jw_obj_end(&w);
    return ERR_OK;
}

/* The numbers a step was taken with (attendance and votes), by label. */
static void write_numbers(struct jw *w, const struct wf_kind *k, const struct case_event *e)
{
    const struct wf_transition *tr = wf_transition_find(k, e->transition);
    json_t *o = tr && tr->inputs && e->changes[0] ? json_loads(e->changes, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        return;
    }
    jw_key(w, "numbers");
    jw_arr(w);
    for (int i = 0; i < k->ninputs; i++) {
        json_t *v = json_object_get(o, k->inputs[i].code);
        if (!(tr->inputs & (1u << i)) || !json_is_integer(v)) continue;
        jw_obj(w);
        jw_kstr(w, "label", k->inputs[i].label);
        jw_kint(w, "value", json_integer_value(v));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    json_decref(o);
}

int api_public_case(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    struct case_full f;
    int rc = cases_parse_id(req->param[0], &id, err);
    if (!rc) rc = cases_load(req->app, req->arena, id, &f, err);
    if (rc == ERR_NOT_FOUND ||
        (!rc && !wf_state_is(f.kind, wf_state_index(f.kind, f.c.state), WF_PUBLIC)))
        return err_set(err, ERR_NOT_FOUND, "没有这个公开事项（可能尚未公开）");
    if (rc) return rc;
    struct case_timeline t;
    if ((rc = cases_timeline(req->app, req->arena, id, &t, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    write_head(&w, req, f.kind, &f.c);
    api_ktext(&w, "description", f.c.description, API_VIEW_PUBLIC);
    jw_key(&w, "steps");
    jw_arr(&w);
    for (size_t i = 0; i < t.n; i++) {
        const struct case_event *e = &t.events[i];
        if (strcmp(e->kind, "transition") != 0 && strcmp(e->kind, "create") != 0) continue;
        const char *to = e->to_state[0] ? e->to_state : NULL;
        int s = to ? wf_state_index(f.kind, to) : -1;
        const struct wf_transition *tr = wf_transition_find(f.kind, e->transition);
        jw_obj(&w);
        jw_kstr(&w, "at", e->at);
        jw_kstr(&w, "label", tr ? tr->label : "登记");
        jw_kstr_or_null(&w, "state_label", s >= 0 ? f.kind->states[s].label : NULL);
        api_ktext(&w, "note", e->note, API_VIEW_PUBLIC);
        write_numbers(&w, f.kind, e);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}
