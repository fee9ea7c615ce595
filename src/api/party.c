/*
 * party.c — households and party organisations over HTTP (app/people.h):
 * /api/v1/households[/{id}[/members]], /api/v1/party/orgs[/{id}[/members
 * [/{mid}/end|/stage]]] and the 应建尽建/换届 report,
 * GET /api/v1/party/orgs/report.
 */
#include "api/api.h"
#include "app/people.h"

#include <jansson.h>
#include <string.h>

int api_read_end(struct http_req *req, const char **to, const char **reason, struct err *err);

/* ---- households ---- */

static void write_household_fields(struct jw *w, struct http_req *req,
                                   const struct household_row *h)
{
    jw_kint(w, "id", h->id);
    api_unit_ref(w, req->tree, "unit", h->unit);
    jw_kstr(w, "address", h->address);
    jw_kint(w, "version", h->version);
    if (h->head_id) {
        jw_key(w, "head");
        jw_obj(w);
        jw_kint(w, "id", h->head_id);
        jw_kstr(w, "name", h->head_name);
        jw_obj_end(w);
    } else {
        jw_knull(w, "head");
    }
}

struct list_ctx {
    struct http_req *req;
    struct jw *w;
};

static int write_household_row(void *ctx, const struct household_row *h)
{
    struct list_ctx *x = ctx;
    jw_obj(x->w);
    write_household_fields(x->w, x->req, h);
    jw_obj_end(x->w);
    return 0;
}

int api_households_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *tag, *after;
    long limit;
    int rc = http_query_text(req, "tag", 32, &tag, err);
    if (!rc) rc = http_query_text(req, "after", 64, &after, err);
    if (!rc) rc = http_query_int(req, "limit", 50, 1, PEOPLE_LIST_MAX, &limit, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct list_ctx x = {req, &w};
    const char *next;
    rc = people_households_list(req->app, req->unit, tag && tag[0] ? tag : NULL, after, (int)limit,
                                req->arena, write_household_row, &x, &next, err);
    if (rc) return rc;
    jw_arr_end(&w);
    jw_kstr_or_null(&w, "next", next);
    jw_obj_end(&w);
    return ERR_OK;
}

static int read_household(struct http_req *req, json_t *body, struct household_in *in,
                          struct err *err)
{
    static const char *const fields[] = {"unit", "address", "head", "tags", "base_version", NULL};
    memset(in, 0, sizeof *in);
    in->head_id = -1;
    int rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "unit", 32, &in->unit, err);
    if (!rc) rc = jin_str(req->arena, body, "address", 400, &in->address, err);
    if (rc) return rc;
    json_t *head = json_object_get(body, "head");
    if (head && !json_is_null(head) && (!json_is_integer(head) || json_integer_value(head) <= 0))
        return err_set_field(err, ERR_INVALID, "head", "head 须为户主的人员编号");
    if (head) in->head_id = json_is_null(head) ? 0 : json_integer_value(head);
    json_t *base = json_object_get(body, "base_version");
    if (base && (!json_is_integer(base) || json_integer_value(base) <= 0))
        return err_set_field(err, ERR_INVALID, "base_version",
                             "base_version 须为修改所依据的户版本号（正整数）");
    if (base) in->base_version = json_integer_value(base);
    json_t *tags = json_object_get(body, "tags");
    if (tags) {
        if (!json_is_array(tags) || json_array_size(tags) > 64)
            return err_set_field(err, ERR_INVALID, "tags", "tags 须为户标签代码的数组");
        const char **v = arena_zalloc(req->arena, (json_array_size(tags) + 1) * sizeof *v);
        for (size_t i = 0; i < json_array_size(tags); i++)
            if (!(v[i] = json_string_value(json_array_get(tags, i))))
                return err_set_field(err, ERR_INVALID, "tags", "tags 第 %zu 项须为文本", i + 1);
        in->tags = v;
        in->ntags = json_array_size(tags);
        in->tags_given = true;
    }
    return ERR_OK;
}

static void write_household_page(struct jw *w, struct http_req *req, const struct household_view *v)
{
    const struct people_defs *d = req->app->people;
    jw_obj(w);
    write_household_fields(w, req, &v->h);
    jw_key(w, "tags");
    jw_arr(w);
    for (size_t i = 0; i < v->ntags; i++) {
        jw_obj(w);
        jw_kstr(w, "code", v->tags[i]);
        const char *name = people_name(d->tags, d->ntags, v->tags[i]);
        jw_kstr(w, "name", name ? name : v->tags[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    api_write_memberships(w, req, "members", v->members, v->nmembers);
    jw_obj_end(w);
}

static int write_household(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                           struct err *err)
{
    struct household_view v;
    int rc = people_household_get(req->app, req->user, id, req->arena, &v, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    write_household_page(&w, req, &v);
    return ERR_OK;
}

/* 409 for an edit based on an older version: the error as usual plus
 * "current", the household as it is now, so the client shows both and the
 * person chooses (nothing was written). */
static int household_conflict(struct http_req *req, struct http_resp *resp, int64_t id,
                              struct err *err)
{
    const char *msg = arena_strdup(req->arena, err->msg);
    struct household_view v;
    err_clear(err);
    int rc = people_household_get(req->app, req->user, id, req->arena, &v, err);
    if (rc) return rc;
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
    write_household_page(&w, req, &v);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_households_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct household_in in;
    int64_t id;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = read_household(req, body, &in, err);
    if (!rc) rc = people_household_create(req->app, req->user, &in, req->client, &id, err);
    return rc ? rc : write_household(req, resp, id, 201, err);
}

int api_household_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "户", &id, err);
    return rc ? rc : write_household(req, resp, id, 200, err);
}

int api_household_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct household_in in;
    int64_t id;
    int rc = app_parse_id(req->param[0], "户", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = read_household(req, body, &in, err);
    if (!rc && in.unit) rc = err_set_field(err, ERR_INVALID, "unit", "户所属单位不能更改");
    if (!rc) rc = people_household_update(req->app, req->user, id, &in, req->client, err);
    if (rc == ERR_CONFLICT) return household_conflict(req, resp, id, err);
    return rc ? rc : write_household(req, resp, id, 200, err);
}

/* {"person", "relation", "from"}: a resident membership of this household. */
int api_household_member_add(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"person", "relation", "from", NULL};
    json_t *body;
    int64_t id, mid;
    int rc = app_parse_id(req->param[0], "户", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    struct membership_in in = {.kind = "resident", .household_id = id};
    if (!rc) rc = jin_str(req->arena, body, "relation", 32, &in.stage, err);
    if (!rc) rc = jin_str(req->arena, body, "from", 16, &in.from, err);
    if (rc) return rc;
    json_t *p = json_object_get(body, "person");
    if (!json_is_integer(p) || json_integer_value(p) <= 0)
        return err_set_field(err, ERR_INVALID, "person", "请选择人员");
    if (!in.from) return err_set_field(err, ERR_INVALID, "from", "请填写入户日期");
    in.person_id = json_integer_value(p);
    if ((rc = people_membership_add(req->app, req->user, &in, false, req->client, &mid, err)))
        return rc;
    return write_household(req, resp, id, 201, err);
}

/* ---- party organisations ---- */

static void write_org_fields(struct jw *w, struct http_req *req, const struct org_row *o)
{
    const struct people_defs *d = req->app->people;
    const char *type = people_name(d->org_types, d->norg_types, o->type);
    const char *form = people_name(d->org_forms, d->norg_forms, o->form);
    jw_kint(w, "id", o->id);
    jw_kstr(w, "name", o->name);
    jw_kstr(w, "type", o->type);
    jw_kstr(w, "type_name", type ? type : o->type);
    jw_kstr(w, "form", o->form);
    jw_kstr(w, "form_name", form ? form : o->form);
    api_unit_ref(w, req->tree, "unit", o->unit);
    if (o->parent_id)
        jw_kint(w, "parent", o->parent_id);
    else
        jw_knull(w, "parent");
    jw_kstr(w, "founded_on", o->founded_on);
    jw_kstr_or_null(w, "term_start", o->term_start[0] ? o->term_start : NULL);
    jw_kint(w, "term_years", o->term_years);
    jw_kstr_or_null(w, "dissolved_on", o->dissolved_on[0] ? o->dissolved_on : NULL);
}

static int write_org_row(void *ctx, const struct org_row *o)
{
    struct list_ctx *x = ctx;
    jw_obj(x->w);
    write_org_fields(x->w, x->req, o);
    jw_obj_end(x->w);
    return 0;
}

int api_orgs_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct jw w;
    api_items_start(resp, &w);
    struct list_ctx x = {req, &w};
    int rc = people_orgs_list(req->app, req->unit, req->arena, write_org_row, &x, err);
    if (rc) return rc;
    api_items_end(&w);
    return ERR_OK;
}

static int read_org(struct http_req *req, json_t *body, struct org_in *in, struct err *err)
{
    static const char *const fields[] = {"name",       "type",       "form",         "unit",
                                         "founded_on", "term_start", "dissolved_on", "parent",
                                         "term_years", NULL};
    memset(in, 0, sizeof *in);
    in->parent_id = -1;
    struct arena *a = req->arena;
    int rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(a, body, "name", 200, &in->name, err);
    if (!rc) rc = jin_str(a, body, "type", 32, &in->type, err);
    if (!rc) rc = jin_str(a, body, "form", 32, &in->form, err);
    if (!rc) rc = jin_str(a, body, "unit", 32, &in->unit, err);
    if (!rc) rc = jin_str(a, body, "founded_on", 16, &in->founded_on, err);
    if (!rc) rc = jin_str(a, body, "term_start", 16, &in->term_start, err);
    if (!rc) rc = jin_str(a, body, "dissolved_on", 16, &in->dissolved_on, err);
    if (rc) return rc;
    json_t *parent = json_object_get(body, "parent"), *years = json_object_get(body, "term_years");
    if (parent && !json_is_null(parent) &&
        (!json_is_integer(parent) || json_integer_value(parent) <= 0))
        return err_set_field(err, ERR_INVALID, "parent", "parent 须为上级党组织编号");
    if (parent) in->parent_id = json_is_null(parent) ? 0 : json_integer_value(parent);
    if (years && (!json_is_integer(years) || json_integer_value(years) < 1 ||
                  json_integer_value(years) > 10))
        return err_set_field(err, ERR_INVALID, "term_years", "每届任期须为 1 到 10 年");
    if (years) in->term_years = (int)json_integer_value(years);
    return ERR_OK;
}

static int write_org(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                     struct err *err)
{
    struct org_view v;
    int rc = people_org_get(req->app, req->user, id, req->arena, &v, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    write_org_fields(&w, req, &v.o);
    jw_kstr_or_null(&w, "term_end", v.term_end[0] ? v.term_end : NULL);
    jw_kint(&w, "formal_members", v.formal);
    jw_kint(&w, "members_total", v.total);
    api_write_memberships(&w, req, "members", v.members, v.nmembers);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_orgs_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct org_in in;
    int64_t id;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = read_org(req, body, &in, err);
    if (!rc) rc = people_org_create(req->app, req->user, &in, req->client, &id, err);
    return rc ? rc : write_org(req, resp, id, 201, err);
}

int api_org_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "党组织", &id, err);
    return rc ? rc : write_org(req, resp, id, 200, err);
}

int api_org_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct org_in in;
    int64_t id;
    int rc = app_parse_id(req->param[0], "党组织", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = read_org(req, body, &in, err);
    if (!rc) rc = people_org_update(req->app, req->user, id, &in, req->client, err);
    return rc ? rc : write_org(req, resp, id, 200, err);
}

int api_org_member_add(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct membership_in in;
    int64_t org, id;
    int rc = app_parse_id(req->param[0], "党组织", &org, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = api_read_membership(req, body, true, &in, err);
    if (rc) return rc;
    in.org_id = org;
    if ((rc = people_membership_add(req->app, req->user, &in, true, req->client, &id, err)))
        return rc;
    return write_org(req, resp, org, 201, err);
}

int api_org_member_end(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t org, id;
    const char *to, *reason;
    int rc = app_parse_id(req->param[0], "党组织", &org, err);
    if (!rc) rc = app_parse_id(req->param[1], "身份记录", &id, err);
    if (!rc) rc = api_read_end(req, &to, &reason, err);
    if (!rc)
        rc =
            people_membership_end(req->app, req->user, org, true, id, to, reason, req->client, err);
    return rc ? rc : write_org(req, resp, org, 200, err);
}

/* {"stage", "from"}: 转阶段 (积极分子 → 发展对象 …, or a new post). */
int api_org_member_stage(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"stage", "from", NULL};
    json_t *body;
    int64_t org, id, new_id;
    const char *stage = NULL, *from = NULL;
    int rc = app_parse_id(req->param[0], "党组织", &org, err);
    if (!rc) rc = app_parse_id(req->param[1], "身份记录", &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "stage", 32, &stage, err);
    if (!rc) rc = jin_str(req->arena, body, "from", 16, &from, err);
    if (!rc && !stage) rc = err_set_field(err, ERR_INVALID, "stage", "请选择新的阶段");
    if (!rc && !from) rc = err_set_field(err, ERR_INVALID, "from", "请填写新阶段的起始日期");
    if (!rc)
        rc = people_membership_stage(req->app, req->user, org, id, stage, from, req->client,
                                     &new_id, err);
    return rc ? rc : write_org(req, resp, org, 200, err);
}

/* ?unit=&days= : 应建尽建 findings and terms ending within days (or over). */
int api_orgs_report(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long days;
    int rc = http_query_int(req, "days", 0, 0, 3650, &days, err);
    if (rc) return rc;
    struct org_report r;
    if ((rc = people_org_report(req->app, req->unit, (int)days, req->arena, &r, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "days", r.days);
    jw_key(&w, "setup");
    jw_arr(&w);
    for (size_t i = 0; i < r.nfindings; i++) {
        const struct org_finding *f = &r.findings[i];
        jw_obj(&w);
        jw_kstr(&w, "rule", f->rule);
        jw_kstr(&w, "message", f->message);
        if (f->org_id) {
            jw_key(&w, "org");
            jw_obj(&w);
            jw_kint(&w, "id", f->org_id);
            jw_kstr(&w, "name", f->org_name);
            jw_obj_end(&w);
        } else {
            jw_knull(&w, "org");
        }
        api_unit_ref(&w, req->tree, "unit", f->unit);
        jw_kint(&w, "formal_members", f->formal);
        jw_kint(&w, "members", f->members);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "terms");
    jw_arr(&w);
    for (size_t i = 0; i < r.nterms; i++) {
        const struct org_term *t = &r.terms[i];
        jw_obj(&w);
        jw_key(&w, "org");
        jw_obj(&w);
        jw_kint(&w, "id", t->org_id);
        jw_kstr(&w, "name", t->org_name);
        jw_obj_end(&w);
        api_unit_ref(&w, req->tree, "unit", t->unit);
        jw_kstr(&w, "term_start", t->term_start);
        jw_kstr(&w, "term_end", t->term_end);
        jw_kint(&w, "days_left", t->days_left);
        jw_kbool(&w, "overdue", t->days_left < 0);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}
