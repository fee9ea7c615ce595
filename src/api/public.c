/*
 * public.c — what residents use without an account: find their village,
 * submit a request (群众诉求), follow it by its tracking code and rate it
 * once it is resolved. Knowing the code is what lets one follow and rate
 * a request; contact details are sealed and never shown, and ID-card and
 * phone numbers typed into the description or notes are shown masked.
 * Submissions are rate limited per address.
 *
 *   GET  /api/v1/public/units?q=WORDS&unit=&level=  villages by name, or a walk down
 *   GET  /api/v1/public/categories?type=            the request (or that kind's) categories
 *   POST /api/v1/public/requests                    {"unit","category","description",…;
 *                                                    "type": a kind residents may create,
 *                                                    default request; wish: a 微心愿}
 *   GET  /api/v1/public/requests/{code}             status and timeline
 *   POST /api/v1/public/requests/{code}/rating      {"rating","note"}
 */
#include "api/api.h"
#include "app/items.h"
#include "core/pii.h"

#include <jansson.h>
#include <string.h>

#define RESIDENT      "resident" /* created_by of residents' requests, and who rates them */
#define REQUEST_TYPE  "request"
#define UNITS_DEFAULT 20
#define UNITS_MAX     100
#define UNITS_QUERY   50 /* bytes of q */

/* A unit as residents see it: its path as one line of names above it. */
static void write_public_unit(struct jw *w, const struct tree *t, uint32_t i)
{
    uint32_t path[UNIT_LEVEL_COUNT];
    size_t depth = tree_path(t, i, path, UNIT_LEVEL_COUNT);
    struct buf b = BUF_INIT;
    for (size_t k = 0; k + 1 < depth; k++)
        buf_printf(&b, "%s%s", k ? " › " : "", tree_name(t, path[k]));
    jw_obj(w);
    jw_kstr(w, "code", tree_node(t, i)->code);
    jw_kstr(w, "name", tree_name(t, i));
    jw_kstr(w, "level", unit_level_name(tree_node(t, i)->level));
    jw_kstrn(w, "path", b.p ? b.p : "", b.len);
    jw_obj_end(w);
    buf_free(&b);
}

/* Villages and communities (and below) by name, narrowed by words along
 * the path ("舞阳 郝庄") or by ?unit=; ?level= walks the tree instead
 * (level=province, then unit=41&level=city, …). */
int api_public_units(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct tree *t = req->tree;
    struct api_unit_search s = {
        .qmax = UNITS_QUERY,
        .limit_default = UNITS_DEFAULT,
        .limit_max = UNITS_MAX,
        .levels = (1u << UNIT_VILLAGE) | (1u << UNIT_GRID) | (1u << UNIT_BUILDING),
        .hi = tree_count(t) ? tree_count(t) - 1 : 0,
    };
    const char *unit;
    int rc = http_query_text(req, "unit", UNIT_CODE_MAX, &unit, err);
    if (rc) return rc;
    if (unit && unit[0]) {
        if ((rc = unit_code_check(unit, strlen(unit), err)) < 0) {
            snprintf(err->field, sizeof err->field, "unit");
            return rc;
        }
        s.lo = tree_find(t, unit, strlen(unit));
        if (s.lo == TREE_NONE)
            return err_set_field(err, ERR_NOT_FOUND, "unit", "没有代码为 %s 的单位", unit);
        s.hi = tree_node(t, s.lo)->post;
    }
    struct api_unit_page page;
    if ((rc = api_unit_search_parse(req, &s, &page, err))) return rc;
    if (!page.words && !page.levels_given)
        return err_set_field(err, ERR_INVALID, "q", "请输入村或社区的名称");
    api_unit_search_write(req, resp, &page, write_public_unit);
    return ERR_OK;
}

/* A kind residents may create: request unless `type` names another. */
static int public_kind(struct http_req *req, const char *type, const struct wf_kind **out,
                       struct err *err)
{
    bool given = type && type[0];
    const struct wf_kind *t = items_kind(req->app, given ? type : REQUEST_TYPE);
    if (given && (!t || strcmp(t->create_perm, WF_PERM_PUBLIC) != 0))
        return err_set_field(err, ERR_INVALID, "type", "群众不能提交这类事项（type 不可用）");
    if (!t) return err_set(err, ERR_INTERNAL, "the request workflow is not installed");
    *out = t;
    return ERR_OK;
}

int api_public_categories(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *type;
    const struct wf_kind *t = NULL;
    int rc = http_query_text(req, "type", 32, &type, err);
    if (!rc) rc = public_kind(req, type, &t, err);
    if (rc) return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (int i = 0; i < t->ncategories; i++)
        jw_str(&w, t->categories[i]);
    api_items_end(&w);
    return ERR_OK;
}

/* The resident behind a request: no permissions, the submitter of it. */
static const struct auth_user resident = {.name = RESIDENT,
                                          .display_name = "群众",
                                          .role = "",
                                          .scope = "",
                                          .perms = (const char *const[]){NULL}};

int api_public_submit(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit",    "category", "description", "location",
                                         "contact", "type",     NULL};
    if (!auth_rate_allow(req->app, arena_printf(req->arena, "request:%s", req->client)))
        return err_set(err, ERR_RATE_LIMIT, "提交过于频繁，请稍后再试");
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    struct item_input in = {.type = REQUEST_TYPE, .immediate = -1};
    struct arena *a = req->arena;
    const char *type = NULL;
    const struct wf_kind *kind = NULL;
    if (!(rc = jin_only(body, fields, err)) && !(rc = jin_str(a, body, "type", 32, &type, err)) &&
        !(rc = public_kind(req, type, &kind, err)) &&
        !(rc = jin_text(a, body, "unit", 32, &in.unit, err)) &&
        !(rc = jin_str(a, body, "category", 32, &in.category, err)) &&
        !(rc = jin_str(a, body, "description", 2000, &in.description, err)) &&
        !(rc = jin_str(a, body, "location", 200, &in.location, err)))
        rc = jin_str(a, body, "contact", 100, &in.contact, err);
    if (rc) return rc;
    in.type = kind->code;
    if (!in.description || !in.description[0])
        return err_set_field(err, ERR_INVALID, "description", "请描述您反映的问题或心愿");
    if (!in.category || !in.category[0])
        return err_set_field(err, ERR_INVALID, "category", "请选择%s类别", kind->name);
    uint32_t u = in.unit ? tree_find(req->tree, in.unit, strlen(in.unit)) : TREE_NONE;
    if (u == TREE_NONE || tree_node(req->tree, u)->level < UNIT_VILLAGE)
        return err_set_field(err, ERR_INVALID, "unit", "请选择所在的村或社区");
    /* The title is the start of the description, cut at a character
     * boundary and never inside an ID-card or phone number (a half number
     * would escape masking). */
    size_t n = strlen(in.description);
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)in.description[n] & 0xC0) == 0x80)
            n--;
        struct pii_match m;
        for (size_t from = 0;
             pii_find(in.description, strlen(in.description), from, &m) && m.start < n;
             from = m.end)
            if (m.end > n) n = m.start;
    }
    in.title = arena_strndup(a, in.description, n);
    struct case_row it;
    if ((rc = items_create(req->app, &resident, &in, req->client, a, &it, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kstr(&w, "code", it.tracking_code);
    jw_obj_end(&w);
    return ERR_OK;
}

/* The request (or wish: any kind residents create) a code stands for; 404
 * alike for unknown codes and other kinds. */
static int find(struct http_req *req, struct case_full *it, struct err *err)
{
    int rc = items_by_code(req->app, req->arena, req->param[0], it, err);
    if (rc == ERR_NOT_FOUND || (!rc && strcmp(it->kind->create_perm, WF_PERM_PUBLIC) != 0))
        return err_set(err, ERR_NOT_FOUND, "查询码 %s 不存在", req->param[0]);
    return rc;
}

/* The resident's steps now: the one that asks for a rating, if any. */
static const struct wf_transition *rating_step(const struct case_full *it)
{
    const struct wf_transition *avail[WF_TRANSITIONS_MAX];
    int n = wf_available(it->kind, wf_state_index(it->kind, it->c.state), resident.perms, true,
                         avail, WF_TRANSITIONS_MAX);
    for (int k = 0; k < n; k++)
        if (avail[k]->needs & WF_NEED_RATING) return avail[k];
    return NULL;
}

static int write_status(struct http_req *req, struct http_resp *resp, const struct case_full *f,
                        struct err *err)
{
    const struct case_row *it = &f->c;
    int s = wf_state_index(f->kind, it->state);
    struct case_timeline t;
    int rc = cases_timeline(req->app, req->arena, it->id, &t, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "code", it->tracking_code);
    jw_kstr(&w, "type", f->kind->code);
    jw_kstr(&w, "type_name", f->kind->name);
    jw_kstr(&w, "category", it->category);
    api_ktext(&w, "description", it->description, API_VIEW_PUBLIC);
    uint32_t u = tree_find(req->tree, it->unit, strlen(it->unit));
    jw_key(&w, "unit");
    jw_obj(&w);
    jw_kstr(&w, "code", it->unit);
    jw_kstr_or_null(&w, "name", u == TREE_NONE ? NULL : tree_name(req->tree, u));
    jw_obj_end(&w);
    jw_kstr(&w, "state", it->state);
    jw_kstr(&w, "state_label", s >= 0 ? f->kind->states[s].label : it->state);
    jw_kbool(&w, "final", it->final);
    jw_kstr(&w, "created_at", it->created_at);
    if (it->rating)
        jw_kint(&w, "rating", it->rating);
    else
        jw_knull(&w, "rating");
    jw_kbool(&w, "can_rate", rating_step(f) != NULL);
    api_write_timeline(&w, f->kind, &t, "", "", API_VIEW_PUBLIC, NULL);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_public_status(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct case_full it;
    int rc = find(req, &it, err);
    return rc ? rc : write_status(req, resp, &it, err);
}

int api_public_rate(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"rating", "note", NULL};
    struct case_full it;
    int rc = find(req, &it, err);
    if (rc) return rc;
    json_t *body;
    if ((rc = http_body_json(req, &body, err))) return rc;
    struct case_step step = {0};
    bool has = false;
    double rating = 0;
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_text(req->arena, body, "note", 500, &step.note, err)))
        rc = jin_num(body, "rating", &has, &rating, err);
    if (rc) return rc;
    if (!has || rating != (int)rating || rating < 1 || rating > 5)
        return err_set_field(err, ERR_INVALID, "rating", "请给出 1 到 5 星的评价");
    step.rating = (int)rating;
    const struct wf_transition *tr = rating_step(&it);
    if (!tr) return err_set(err, ERR_INVALID, "诉求办结后才能评价（当前状态不可评价）");
    struct case_full out;
    if ((rc = cases_step(req->app, &resident, it.c.id, tr->code, &step, req->client, req->arena,
                         &out, err)))
        return rc;
    return write_status(req, resp, &out, err);
}
