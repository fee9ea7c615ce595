/*
 * grids.c — grids, contact links and visits over HTTP (app/grids.h):
 * GET/POST /api/v1/grids, POST /api/v1/grids/{code}/merge|split|households,
 * GET/POST /api/v1/contacts (the due-visit list with each link's
 * compliance; ?overdue=1, ?format=csv), POST /api/v1/contacts/{id}/end,
 * GET/POST /api/v1/visits (a visit, its need raised as a 群众诉求).
 */
#include "api/api.h"
#include "app/grids.h"
#include "app/memo.h"
#include "base/clock.h"
#include "io/csv.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define SPLIT_MAX 5000

static int body_id(json_t *o, const char *key, bool required, int64_t *out, struct err *err)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v || json_is_null(v))
        return required ? err_set_field(err, ERR_INVALID, key, "请给出 %s", key) : ERR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return err_set_field(err, ERR_INVALID, key, "%s 须为正整数编号", key);
    *out = (int64_t)json_integer_value(v);
    return ERR_OK;
}

static void write_unit(struct jw *w, const struct tree *t, const char *key, const char *code)
{
    uint32_t i = tree_find(t, code, strlen(code));
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "name", i == TREE_NONE ? "" : tree_name(t, i));
    jw_obj_end(w);
}

int api_grids_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct grid_info *g;
    size_t n;
    long unplaced;
    int rc = grids_list(req->app, req->arena, req->unit, &g, &n, &unplaced, err);
    if (rc) return rc;
    const struct grid_defs *d = req->app->grids;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "settings");
    jw_obj(&w);
    jw_kint(&w, "households_min", d->households_min);
    jw_kint(&w, "households_max", d->households_max);
    jw_kint(&w, "people_max", d->people_max);
    jw_kstr(&w, "source", d->grid_source);
    jw_kint(&w, "member_min", d->member_min);
    jw_kint(&w, "member_max", d->member_max);
    jw_kstr(&w, "member_source", d->member_source);
    jw_obj_end(&w);
    jw_kint(&w, "unplaced", unplaced);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", g[i].code);
        jw_kstr(&w, "name", g[i].name);
        jw_kstr(&w, "village", g[i].village);
        jw_kint(&w, "households", g[i].households);
        jw_kint(&w, "people", g[i].people);
        jw_kint(&w, "workers", g[i].workers);
        jw_kstr_or_null(&w, "warning", g[i].warning);
        jw_kint(&w, "members", g[i].members);
        jw_kint(&w, "linked", g[i].linked);
        jw_kstr_or_null(&w, "member_warning", g[i].member_warning);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

static int created(struct http_req *req, struct http_resp *resp, const char *code)
{
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kstr(&w, "code", code);
    jw_kstr(&w, "name", "");
    jw_obj_end(&w);
    (void)req;
    return ERR_OK;
}

int api_grids_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"name", NULL};
    json_t *body = NULL;
    const char *name = NULL;
    char code[16];
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 60, &name, err);
    if (!rc) rc = grids_create(req->app, req->user, req->unit, name, req->client, code, err);
    return rc ? rc : created(req, resp, code);
}

int api_grids_merge(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"into", NULL};
    json_t *body = NULL;
    const char *into = NULL;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "into", 32, &into, err);
    if (!rc) rc = grids_merge(req->app, req->user, req->param[0], into, req->client, err);
    return rc ? rc : created(req, resp, into);
}

int api_grids_split(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"name", "households", NULL};
    json_t *body = NULL;
    const char *name = NULL;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "name", 60, &name, err);
    json_t *list = rc ? NULL : json_object_get(body, "households");
    if (!rc && !json_is_array(list))
        rc = err_set_field(err, ERR_INVALID, "households", "households 须为户编号的数组");
    size_t n = rc ? 0 : json_array_size(list);
    if (n > SPLIT_MAX)
        rc = err_set_field(err, ERR_TOO_LARGE, "households", "一次最多 %d 户", SPLIT_MAX);
    int64_t *ids = arena_zalloc(req->arena, (n + 1) * sizeof *ids);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *v = json_array_get(list, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            rc = err_set_field(err, ERR_INVALID, "households", "households[%zu] 须为户编号", i);
        else
            ids[i] = (int64_t)json_integer_value(v);
    }
    char code[16];
    if (!rc)
        rc = grids_split(req->app, req->user, req->param[0], name, ids, n, req->client, code, err);
    return rc ? rc : created(req, resp, code);
}

int api_grids_place(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"household", NULL};
    json_t *body = NULL;
    int64_t id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = body_id(body, "household", true, &id, err);
    if (!rc) rc = grids_place(req->app, req->user, id, req->param[0], req->client, err);
    return rc ? rc : created(req, resp, req->param[0]);
}

/* ---- contact links and their compliance ---- */

static const char *state_of(const struct link_compliance *x)
{
    return x->missed ? "overdue" : x->pending && !x->done ? "due" : x->due ? "done" : "none";
}

static int contacts_csv(struct http_req *req, struct http_resp *resp,
                        const struct link_compliance *l, size_t n)
{
    static const char *const cols[] = {"职责",   "联系人", "联系对象", "所在单位",
                                       "应走访", "已走访", "逾期",     "最近走访"};
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"visits-%s.csv\"", req->unit));
    resp->status = 200;
    resp->content_type = "text/csv; charset=utf-8";
    buf_reset(&resp->body);
    buf_puts(&resp->body, "\xEF\xBB\xBF");
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        if (c) buf_putc(&resp->body, ',');
        csv_write_field(&resp->body, cols[c]);
    }
    buf_putc(&resp->body, '\n');
    for (size_t i = 0; i < n; i++) {
        const struct grid_link *k = &l[i].link;
        uint32_t u = tree_find(req->tree, k->unit, strlen(k->unit));
        const char *f[8] = {grids_duty(req->app, k->duty)->name,
                            k->person_name,
                            k->household_id || k->mentee_id ? k->target_name : k->partner,
                            u == TREE_NONE ? "" : tree_name(req->tree, u),
                            arena_printf(req->arena, "%ld", l[i].due),
                            arena_printf(req->arena, "%ld", l[i].done),
                            arena_printf(req->arena, "%ld", l[i].missed),
                            l[i].last_visit};
        for (int c = 0; c < 8; c++) {
            if (c) buf_putc(&resp->body, ',');
            csv_write_field(&resp->body, f[c]);
        }
        buf_putc(&resp->body, '\n');
    }
    return ERR_OK;
}

int api_contacts_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *period = NULL, *format = NULL;
    long overdue = 0, limit = 0, offset = 0;
    int rc = http_query_text(req, "period", 16, &period, err);
    if (!rc) rc = http_query_int(req, "overdue", 0, 0, 1, &overdue, err);
    if (!rc) rc = http_query_int(req, "limit", 100, 1, 1000, &limit, err);
    if (!rc) rc = http_query_int(req, "offset", 0, 0, 10000000, &offset, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (!rc && format && strcmp(format, "csv") != 0)
        rc = err_set_field(err, ERR_INVALID, "format", "format 只能是 csv");
    char month[8];
    if (!rc && !period) {
        char today[32];
        auth_now_iso(today);
        snprintf(month, sizeof month, "%.7s", today);
        period = month;
    }
    if (rc) return rc;
    /* The JSON answer is kept until any grid, link, visit, person or data
     * write (memo.h; grids_write_end bumps it), and for today only: the
     * compliance counts the days up to today. */
    char today[11];
    clock_today(today, 0);
    const char *key = arena_printf(req->arena, "grids.contacts:%s:%s:%ld:%ld:%ld:%s", req->unit,
                                   period, overdue, limit, offset, today);
    uint64_t gen = memo_generation(req->app->memo);
    if (!format) {
        struct jw w;
        http_json(resp, &w);
        if (memo_get(req->app->memo, key, gen, &resp->body)) return ERR_OK;
    }
    struct link_compliance *l = NULL;
    size_t n = 0;
    rc = grids_compliance(req->app, req->arena, req->unit, period, &l, &n, err);
    if (rc) return rc;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (!overdue || l[i].missed) l[kept++] = l[i];
    n = kept;
    if (format) return contacts_csv(req, resp, l, n);
    long due = 0, done = 0, missed = 0;
    for (size_t i = 0; i < n; i++) {
        due += l[i].due;
        done += l[i].done;
        missed += l[i].missed;
    }
    /* a page of the list; the totals are the whole list's */
    size_t first = (size_t)offset < n ? (size_t)offset : n;
    size_t end = first + (size_t)limit < n ? first + (size_t)limit : n;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "period", period);
    if (end < n)
        jw_kint(&w, "next_offset", (int64_t)end);
    else
        jw_knull(&w, "next_offset");
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = first; i < end; i++) {
        const struct grid_link *k = &l[i].link;
        const struct grid_duty *d = grids_duty(req->app, k->duty);
        jw_obj(&w);
        jw_kint(&w, "id", k->id);
        jw_kstr(&w, "duty", d->code);
        jw_kstr(&w, "duty_name", d->name);
        jw_key(&w, "person");
        jw_obj(&w);
        jw_kint(&w, "id", k->person_id);
        jw_kstr(&w, "name", k->person_name);
        jw_obj_end(&w);
        write_unit(&w, req->tree, "unit", k->unit);
        if (k->household_id) {
            jw_key(&w, "household");
            jw_obj(&w);
            jw_kint(&w, "id", k->household_id);
            jw_kstr(&w, "address", k->target_name);
            jw_obj_end(&w);
        } else {
            jw_knull(&w, "household");
        }
        if (k->mentee_id) {
            jw_key(&w, "mentee");
            jw_obj(&w);
            jw_kint(&w, "id", k->mentee_id);
            jw_kstr(&w, "name", k->target_name);
            jw_obj_end(&w);
        } else {
            jw_knull(&w, "mentee");
        }
        jw_kstr(&w, "partner", k->partner);
        jw_kstr(&w, "from", k->from);
        jw_kstr_or_null(&w, "to", k->to[0] ? k->to : NULL);
        jw_kint(&w, "due", l[i].due);
        jw_kint(&w, "done", l[i].done);
        jw_kint(&w, "missed", l[i].missed);
        jw_kint(&w, "pending", l[i].pending);
        jw_kstr(&w, "state", state_of(&l[i]));
        jw_kstr_or_null(&w, "last_visit", l[i].last_visit[0] ? l[i].last_visit : NULL);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "total");
    jw_obj(&w);
    jw_kint(&w, "links", (int64_t)n);
    jw_kint(&w, "due", due);
    jw_kint(&w, "done", done);
    jw_kint(&w, "missed", missed);
    jw_obj_end(&w);
    jw_obj_end(&w);
    memo_put(req->app->memo, key, gen, resp->body.p, resp->body.len);
    return ERR_OK;
}

int api_contacts_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"duty", "person",  "household", "target",
                                         "from", "partner", "mentee",    NULL};
    json_t *body = NULL;
    struct grid_link l = {0};
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "duty", 64, &l.duty, err);
    if (!rc) rc = body_id(body, "person", true, &l.person_id, err);
    if (!rc) rc = body_id(body, "household", false, &l.household_id, err);
    if (!rc) rc = body_id(body, "mentee", false, &l.mentee_id, err);
    if (!rc && json_object_get(body, "target"))
        rc = jin_str(req->arena, body, "target", 32, &l.unit, err);
    if (!rc) rc = jin_str(req->arena, body, "from", 10, &l.from, err);
    if (!rc && json_object_get(body, "partner"))
        rc = jin_text(req->arena, body, "partner", 120, &l.partner, err);
    if (!rc && l.unit && !auth_in_scope(req->unit, l.unit))
        rc = err_set_field(err, ERR_INVALID, "target", "联系的单位须在 unit 之下");
    int64_t id = 0;
    const char *warning = NULL;
    if (!rc)
        rc = grids_link_add(req->app, req->user, &l, req->client, req->arena, &id, &warning, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_kstr_or_null(&w, "warning", warning);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_contacts_end(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"to", NULL};
    json_t *body = NULL;
    int64_t id = 0;
    const char *to = NULL;
    int rc = app_parse_id(req->param[0], "联系关系", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "to", 10, &to, err);
    if (!rc) rc = grids_link_end(req->app, req->user, id, to, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_kstr(&w, "to", to);
    jw_obj_end(&w);
    return ERR_OK;
}

/* ---- visits ---- */

static int write_visit(void *ctx, const struct grid_visit_row *v)
{
    struct http_req *req = ((void **)ctx)[0];
    struct jw *w = ((void **)ctx)[1];
    const char *m = grids_method_name(req->app, v->method);
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_key(w, "person");
    jw_obj(w);
    jw_kint(w, "id", v->person_id);
    jw_kstr(w, "name", v->person_name);
    jw_obj_end(w);
    write_unit(w, req->tree, "unit", v->unit);
    if (v->household_id) {
        jw_key(w, "household");
        jw_obj(w);
        jw_kint(w, "id", v->household_id);
        jw_kstr(w, "address", v->address);
        jw_obj_end(w);
    } else {
        jw_knull(w, "household");
    }
    if (v->mentee_id) {
        jw_key(w, "mentee");
        jw_obj(w);
        jw_kint(w, "id", v->mentee_id);
        jw_kstr(w, "name", v->mentee_name);
        jw_obj_end(w);
    } else {
        jw_knull(w, "mentee");
    }
    jw_kstr(w, "day", v->day);
    jw_kstr(w, "method", v->method);
    jw_kstr(w, "method_name", m ? m : v->method);
    jw_kstr(w, "findings", v->findings);
    jw_kstr(w, "needs", v->needs);
    if (v->case_id)
        jw_kint(w, "case_id", v->case_id);
    else
        jw_knull(w, "case_id");
    jw_obj_end(w);
    return 0;
}

void api_write_source_visit(struct jw *w, struct http_req *req, const struct grid_visit_row *v)
{
    jw_key(w, "source_visit");
    if (!v) {
        jw_null(w);
        return;
    }
    void *ctx[2] = {req, w};
    write_visit(ctx, v);
}

int api_visits_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long limit = 0;
    int rc = http_query_int(req, "limit", 50, 1, 500, &limit, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "methods");
    jw_arr(&w);
    for (size_t i = 0; i < req->app->grids->nmethods; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", req->app->grids->methods[i].code);
        jw_kstr(&w, "name", req->app->grids->methods[i].name);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    void *ctx[2] = {req, &w};
    rc = grids_visits_each(req->app, req->unit, (int)limit, write_visit, ctx, err);
    if (rc) return rc;
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_visits_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"person",   "household", "target", "day",    "method",
                                         "findings", "needs",     "raise",  "mentee", NULL};
    json_t *body = NULL;
    struct grid_visit v = {.findings = "", .needs = ""};
    int raise = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = body_id(body, "person", true, &v.person_id, err);
    if (!rc) rc = body_id(body, "household", false, &v.household_id, err);
    if (!rc) rc = body_id(body, "mentee", false, &v.mentee_id, err);
    if (!rc && json_object_get(body, "target"))
        rc = jin_str(req->arena, body, "target", 32, &v.unit, err);
    if (!rc) rc = jin_str(req->arena, body, "day", 10, &v.day, err);
    if (!rc) rc = jin_str(req->arena, body, "method", 16, &v.method, err);
    if (!rc && json_object_get(body, "findings"))
        rc = jin_text(req->arena, body, "findings", 2000, &v.findings, err);
    if (!rc && json_object_get(body, "needs"))
        rc = jin_text(req->arena, body, "needs", 2000, &v.needs, err);
    if (!rc && json_object_get(body, "raise")) rc = jin_bool(body, "raise", &raise, err);
    if (!rc && !v.household_id && !v.mentee_id && !v.unit) v.unit = req->unit;
    if (!rc && v.unit && !auth_in_scope(req->unit, v.unit))
        rc = err_set_field(err, ERR_INVALID, "target", "走访的单位须在 unit 之下");
    v.raise = raise > 0;
    int64_t event_id = 0, case_id = 0;
    if (!rc)
        rc = grids_visit_add(req->app, req->user, &v, req->client, req->arena, &event_id, &case_id,
                             err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", event_id);
    if (case_id)
        jw_kint(&w, "case_id", case_id);
    else
        jw_knull(&w, "case_id");
    jw_obj_end(&w);
    return ERR_OK;
}
