/*
 * pairings.c — 支部联建 over HTTP: GET /api/v1/pairings/suggest (balanced,
 * same township preferred: core/pairing.c), PUT /api/v1/pairings to save a
 * county's pairs, GET /api/v1/pairings with each pair's progress. And the
 * public list of named units and open notices, GET /api/v1/public/ratings.
 */
#include "api/api.h"
#include "app/items.h"
#include "app/ratings.h"
#include "core/pairing.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAIRS_MAX 5000

static int scheme_of(struct http_req *req, const struct scheme **s, struct err *err)
{
    const char *code;
    int rc = http_query_text(req, "scheme", SCHEME_CODE_MAX, &code, err);
    if (rc) return rc;
    if (!code || !(*s = ratings_scheme(req->app, code)))
        return err_set_field(err, ERR_INVALID, "scheme", "请给出创建标准 scheme，如 village-2026");
    if (!req->unit[0]) return err_set_field(err, ERR_INVALID, "unit", "请给出县（区）的代码 unit");
    return ERR_OK;
}

static void write_ref(struct jw *w, const struct tree *t, const char *key, uint32_t i)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "code", tree_node(t, i)->code);
    jw_kstr(w, "name", tree_name(t, i));
    jw_obj_end(w);
}

int api_pairings_suggest(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct scheme *s = NULL;
    int rc = scheme_of(req, &s, err);
    struct pairing_pair *pairs = NULL;
    size_t n = 0, nstrong = 0, nweak = 0;
    if (!rc) rc = pairings_suggest(req->app, s, req->unit, &pairs, &n, &nstrong, &nweak, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "strong", (int64_t)nstrong);
    jw_kint(&w, "weak", (int64_t)nweak);
    jw_key(&w, "pairs");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        write_ref(&w, req->tree, "strong", pairs[i].strong);
        write_ref(&w, req->tree, "weak", pairs[i].weak);
        jw_kbool(&w, "same_township", pairs[i].same_group);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    free(pairs);
    return ERR_OK;
}

int api_pairings_save(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"pairs", NULL}, *const pair_fields[] = {"strong", "weak",
                                                                                 NULL};
    const struct scheme *s = NULL;
    int rc = scheme_of(req, &s, err);
    json_t *body = NULL;
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    json_t *list = body ? json_object_get(body, "pairs") : NULL;
    if (!rc && !json_is_array(list))
        rc = err_set_field(err, ERR_INVALID, "pairs", "pairs 须为 [{\"strong\",\"weak\"}…]");
    size_t n = rc ? 0 : json_array_size(list);
    if (n > PAIRS_MAX) rc = err_set_field(err, ERR_TOO_LARGE, "pairs", "最多 %d 对", PAIRS_MAX);
    const char **weak = arena_zalloc(req->arena, (n ? n : 1) * sizeof *weak);
    const char **strong = arena_zalloc(req->arena, (n ? n : 1) * sizeof *strong);
    for (size_t i = 0; i < n && !rc; i++) {
        json_t *o = json_array_get(list, i);
        if (!json_is_object(o))
            rc = err_set_field(err, ERR_INVALID, "pairs", "pairs[%zu] 须为对象", i);
        if (!rc) rc = jin_only(o, pair_fields, err);
        if (!rc) rc = jin_str(req->arena, o, "strong", 32, &strong[i], err);
        if (!rc) rc = jin_str(req->arena, o, "weak", 32, &weak[i], err);
    }
    if (!rc)
        rc = pairings_save(req->app, req->user, s, req->unit, weak, strong, n, req->client, err);
    return rc ? rc : api_pairings_list(req, resp, err);
}

/* A unit of a pair with where its rating stands. A partner outside the
 * caller's scope (the strong village of another township paired with a
 * weak one here) is named, but its rating — level, target, state,
 * checklist — is not the caller's to read: "readable" false, those null. */
static int write_party(struct http_req *req, struct jw *w, const struct scheme *s, const char *key,
                       const char *code, int64_t *checklist, struct err *err)
{
    uint32_t i = tree_find(req->tree, code, strlen(code));
    if (checklist) *checklist = 0;
    if (i == TREE_NONE) return ERR_OK;
    bool readable = auth_in_scope(req->user->scope, code);
    struct case_full r;
    int rc = readable ? ratings_get(req->app, req->arena, s->code, code, &r, err) : ERR_NOT_FOUND;
    if (rc && rc != ERR_NOT_FOUND) return rc;
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "name", tree_name(req->tree, i));
    jw_kbool(w, "readable", readable);
    if (!rc && r.rating.level >= 0)
        jw_kint(w, "level", r.rating.level);
    else
        jw_knull(w, "level");
    if (!rc)
        jw_kint(w, "target", r.rating.target);
    else
        jw_knull(w, "target");
    jw_kstr_or_null(w, "state", rc ? NULL : r.c.state);
    jw_kstr_or_null(w, "state_label", rc ? NULL : api_rating_state(req->app, r.c.state));
    jw_kbool(w, "final", !rc && r.c.final);
    jw_obj_end(w);
    if (checklist) *checklist = rc ? 0 : r.rating.checklist;
    return ERR_OK;
}

struct progress {
    long total, done;
};

static int count_item(void *ctx, const struct case_row *it)
{
    struct progress *p = ctx;
    p->total++;
    p->done += it->final;
    return 0;
}

struct pair_list {
    const char **weak, **strong;
    size_t n, cap;
    struct arena *a;
};

static int keep_pair(void *ctx, const char *weak, const char *strong)
{
    struct pair_list *l = ctx;
    size_t cap = l->cap;
    l->weak = arena_grow(l->a, l->weak, sizeof *l->weak, l->n, l->n + 1, &cap);
    l->strong = arena_grow(l->a, l->strong, sizeof *l->strong, l->n, l->n + 1, &l->cap);
    l->weak[l->n] = arena_strdup(l->a, weak);
    l->strong[l->n++] = arena_strdup(l->a, strong);
    return 0;
}

int api_pairings_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct scheme *s = NULL;
    int rc = scheme_of(req, &s, err);
    if (rc) return rc;
    struct pair_list l = {.a = req->arena};
    const char *kinds;
    if ((rc = pairings_list(req->app, s, req->unit, keep_pair, &l, err)) ||
        (rc = items_kinds(req->app, NULL, &kinds, err)))
        return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < l.n && !rc; i++) {
        int64_t checklist = 0;
        jw_obj(&w);
        if (!(rc = write_party(req, &w, s, "strong", l.strong[i], NULL, err)))
            rc = write_party(req, &w, s, "weak", l.weak[i], &checklist, err);
        struct progress p = {0};
        if (!rc && checklist) {
            struct case_filter f = {.kinds = kinds, .batch = checklist, .limit = 10000};
            rc = cases_list(req->app, &f, count_item, &p, err);
        }
        jw_key(&w, "weak_checklist");
        if (checklist) {
            jw_obj(&w);
            jw_kint(&w, "total", p.total);
            jw_kint(&w, "done", p.done);
            jw_obj_end(&w);
        } else {
            jw_null(&w);
        }
        jw_obj_end(&w);
    }
    api_items_end(&w);
    return rc;
}

/* ---- the public list ---- */

/* One pass over the county per scheme: named units go to `named`, units in
 * their notice to `notices` (a second writer, spliced in at the end). */
struct public_ctx {
    struct http_req *req;
    struct jw *named, *notices;
    const struct scheme *s;
};

static void write_stars(struct jw *w, const struct scheme *s, const struct rating_result *res,
                        bool named)
{
    jw_key(w, "stars");
    jw_arr(w);
    for (int k = 0; k < s->ncategories; k++)
        if (named ? res->won[k] : res->r.stars[k].won) jw_str(w, s->categories[k].name);
    jw_arr_end(w);
}

static int public_unit(void *ctx, uint32_t node, const struct case_full *r,
                       const struct rating_result *res)
{
    struct public_ctx *c = ctx;
    bool notice = r && wf_state_is(r->kind, wf_state_index(r->kind, r->c.state), WF_NOTICE);
    if (!r || (!notice && !res->named)) return 0;
    const struct tree *t = c->req->tree;
    uint32_t town = node;
    while (town != TREE_NONE && tree_node(t, town)->level > UNIT_TOWNSHIP)
        town = tree_node(t, town)->parent;
    struct jw *w = notice ? c->notices : c->named;
    jw_obj(w);
    jw_key(w, "unit");
    jw_obj(w);
    jw_kstr(w, "code", tree_node(t, node)->code);
    jw_kstr(w, "name", tree_name(t, node));
    jw_kstr(w, "township", town != TREE_NONE ? tree_name(t, town) : "");
    jw_obj_end(w);
    jw_kstr(w, "scheme", c->s->name);
    jw_kint(w, "level", notice ? res->r.level : res->level);
    write_stars(w, c->s, res, !notice);
    if (notice)
        jw_kstr(w, "notice_until", r->rating.notice_until);
    else
        jw_kstr(w, "named_at", r->rating.named_at);
    jw_obj_end(w);
    return 0;
}

int api_public_ratings(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *unit;
    long year;
    int rc = http_query_text(req, "unit", 32, &unit, err);
    if (!rc) rc = http_query_int(req, "year", 0, 2000, 2100, &year, err);
    if (rc) return rc;
    uint32_t root = unit ? tree_find(req->tree, unit, strlen(unit)) : TREE_NONE;
    if (root == TREE_NONE || tree_node(req->tree, root)->level > UNIT_COUNTY)
        return err_set_field(err, ERR_INVALID, "unit", "请给出县（区）的代码 unit，如 411121");
    if (!year) /* the latest year any scheme is for */
        for (int i = 0; i < ratings_nschemes(req->app); i++)
            if (ratings_scheme_at(req->app, i)->year > year)
                year = ratings_scheme_at(req->app, i)->year;
    struct jw w, nw;
    struct buf notices = BUF_INIT;
    http_json(resp, &w);
    jw_init(&nw, &notices);
    jw_obj(&w);
    jw_key(&w, "unit");
    jw_obj(&w);
    jw_kstr(&w, "code", unit);
    jw_kstr(&w, "name", tree_name(req->tree, root));
    jw_obj_end(&w);
    jw_kint(&w, "year", year);
    jw_key(&w, "named");
    jw_arr(&w);
    jw_arr(&nw);
    for (int i = 0; i < ratings_nschemes(req->app) && !rc; i++) {
        const struct scheme *s = ratings_scheme_at(req->app, i);
        if (s->year != year) continue;
        struct public_ctx c = {req, &w, &nw, s};
        struct rating_summary sum;
        rc = ratings_summary(req->app, s, req->tree, unit, public_unit, &c, &sum, err);
    }
    jw_arr_end(&w);
    jw_arr_end(&nw);
    jw_key(&w, "notices");
    jw_raw(&w, notices.p, notices.len);
    jw_obj_end(&w);
    buf_free(&notices);
    return rc;
}
