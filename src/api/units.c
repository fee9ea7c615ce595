/*
 * units.c — the administrative tree over HTTP, read from the in-memory
 * tree (core/tree.h), never from SQL: a unit, its children (cursor
 * pagination by code), counts per level below it, and name search within
 * a subtree.
 */
#include "api/api.h"
#include "app/units_import.h"

#include <stdio.h>
#include <string.h>

#define CHILDREN_DEFAULT 100
#define CHILDREN_MAX     1000
#define SEARCH_DEFAULT   20
#define SEARCH_MAX       100
#define QUERY_MAX        100 /* bytes of a search text */

/* Resolves a unit code given in the path or a parameter: 400 when it is
 * not a code at all, 404 when no such unit exists. */
static int find_unit(struct http_req *req, const char *code, const char *field, uint32_t *out,
                     struct err *err)
{
    size_t len = strlen(code);
    int rc = unit_code_check(code, len, err);
    if (rc < 0) {
        snprintf(err->field, sizeof err->field, "%s", field);
        return rc;
    }
    *out = tree_find(req->tree, code, len);
    if (*out == TREE_NONE)
        return err_set_field(err, ERR_NOT_FOUND, field, "没有代码为 %s 的单位", code);
    return ERR_OK;
}

static void write_brief(struct jw *w, const struct tree *t, uint32_t i)
{
    jw_obj(w);
    jw_kstr(w, "code", tree_node(t, i)->code);
    jw_kstr(w, "name", tree_name(t, i));
    jw_obj_end(w);
}

static void write_path(struct jw *w, const struct tree *t, uint32_t i)
{
    uint32_t path[UNIT_LEVEL_COUNT];
    size_t depth = tree_path(t, i, path, UNIT_LEVEL_COUNT);
    jw_key(w, "path");
    jw_arr(w);
    for (size_t k = 0; k < depth; k++)
        write_brief(w, t, path[k]);
    jw_arr_end(w);
}

/* The members of the unit object of the API; `path` adds the chain from
 * the province down to the unit itself. */
static void write_members(struct jw *w, const struct tree *t, uint32_t i, bool path)
{
    const struct tree_node *n = tree_node(t, i);
    jw_kstr(w, "code", n->code);
    jw_kstrn(w, "name", tree_name(t, i), n->name_len);
    jw_kstr(w, "level", unit_level_name(n->level));
    if (n->kind) {
        jw_kstr(w, "kind", unit_kind_name(n->kind));
        jw_kstr(w, "kind_label", unit_kind_label(n->kind));
    } else {
        jw_knull(w, "kind");
        jw_knull(w, "kind_label");
    }
    jw_kstr_or_null(w, "parent", n->parent == TREE_NONE ? NULL : tree_node(t, n->parent)->code);
    if (path) write_path(w, t, i);
    jw_kint(w, "child_count", n->nchildren);
    jw_kint(w, "subtree_count", tree_descendants(t, i));
}

static void write_unit(struct jw *w, const struct tree *t, uint32_t i, bool path)
{
    jw_obj(w);
    write_members(w, t, i, path);
    jw_obj_end(w);
}

/* A unit, current or retired: a retired one (kept for history) says since
 * when and where its work went. */
int api_unit_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    uint32_t i;
    int rc = find_unit(req, req->param[0], "code", &i, err);
    if (rc == ERR_NOT_FOUND) {
        i = tree_find_any(req->tree, req->param[0], strlen(req->param[0]));
        if (i == TREE_NONE) return rc;
        err_clear(err);
        rc = ERR_OK;
    }
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    write_members(&w, req->tree, i, true);
    rc = units_retired_json(req->app, req->tree, i, &w, err); /* an error replaces the body */
    jw_obj_end(&w);
    return rc;
}

/* Writes {"items":[…],"next":code|null} for the siblings starting at
 * `first`, at most `limit` of them; with !more, next is always null. */
static void write_page(struct http_resp *resp, const struct tree *t, uint32_t first, long limit,
                       bool more)
{
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    uint32_t i = first, last = TREE_NONE;
    for (long k = 0; i != TREE_NONE && k < limit; k++, i = tree_next_sibling(t, i)) {
        write_unit(&w, t, i, false);
        last = i;
    }
    jw_arr_end(&w);
    jw_kstr_or_null(&w, "next",
                    more && i != TREE_NONE && last != TREE_NONE ? tree_node(t, last)->code : NULL);
    jw_obj_end(&w);
}

/* Resolves ?after=CODE to the sibling that follows it; the code must be
 * one of the siblings listed (children of `parent`, or provinces when
 * parent is TREE_NONE). */
static int after_cursor(struct http_req *req, uint32_t parent, uint32_t *first, struct err *err)
{
    const char *after;
    int rc = http_query_text(req, "after", UNIT_CODE_MAX, &after, err);
    if (rc || !after) return rc;
    uint32_t a = tree_find(req->tree, after, strlen(after));
    if (a == TREE_NONE || tree_node(req->tree, a)->parent != parent)
        return err_set_field(err, ERR_INVALID, "after",
                             "after=%s 不在此列表中；请传入上一页返回的 next 值", after);
    *first = tree_next_sibling(req->tree, a);
    return ERR_OK;
}

int api_unit_children(struct http_req *req, struct http_resp *resp, struct err *err)
{
    uint32_t i;
    long limit;
    int rc = find_unit(req, req->param[0], "code", &i, err);
    if (!rc) rc = http_query_int(req, "limit", CHILDREN_DEFAULT, 1, CHILDREN_MAX, &limit, err);
    if (rc) return rc;
    uint32_t first = tree_first_child(req->tree, i);
    if ((rc = after_cursor(req, i, &first, err))) return rc;
    write_page(resp, req->tree, first, limit, true);
    return ERR_OK;
}

int api_unit_summary(struct http_req *req, struct http_resp *resp, struct err *err)
{
    uint32_t i;
    int rc = find_unit(req, req->param[0], "code", &i, err);
    if (rc == ERR_NOT_FOUND && /* a retired unit: nothing current below it */
        (i = tree_find_any(req->tree, req->param[0], strlen(req->param[0]))) != TREE_NONE) {
        err_clear(err);
        rc = ERR_OK;
    }
    if (rc) return rc;
    uint32_t by_level[UNIT_LEVEL_COUNT] = {0}, by_kind[UNIT_KIND_COUNT] = {0};
    tree_count_below(req->tree, i, by_level, by_kind);
    const struct tree_node *n = tree_node(req->tree, i);
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "code", n->code);
    jw_key(&w, "counts");
    jw_obj(&w);
    for (int l = n->level + 1; l < UNIT_LEVEL_COUNT; l++)
        jw_kint(&w, unit_level_name(l), by_level[l]);
    jw_obj_end(&w);
    jw_key(&w, "kinds");
    jw_obj(&w);
    for (int k = 1; k < UNIT_KIND_COUNT; k++)
        if (by_kind[k]) jw_kint(&w, unit_kind_name(k), by_kind[k]);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

static void write_found(struct jw *w, const struct tree *t, uint32_t i)
{
    write_unit(w, t, i, true);
}

/* GET /api/v1/units: with q or level, the units inside ?unit= (default:
 * the user's scope) matching them (unit_search.c), in code order, each
 * with its path; without either, the top of that subtree: the unit
 * itself, or the provinces for the whole tree. */
int api_units_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *unit = req->unit && req->unit[0] ? req->unit : NULL;
    const struct tree *t = req->tree;
    struct api_unit_search s = {.qmax = QUERY_MAX,
                                .limit_default = SEARCH_DEFAULT,
                                .limit_max = SEARCH_MAX,
                                .hi = tree_count(t) ? tree_count(t) - 1 : 0};
    int rc;
    if (unit) {
        if ((rc = find_unit(req, unit, "unit", &s.lo, err))) return rc;
        s.hi = tree_node(t, s.lo)->post;
    }
    struct api_unit_page page;
    if ((rc = api_unit_search_parse(req, &s, &page, err))) return rc;
    if (page.words || page.levels_given) {
        api_unit_search_write(req, resp, &page, write_found);
        return ERR_OK;
    }
    long limit;
    if ((rc = http_query_int(req, "limit", CHILDREN_DEFAULT, 1, CHILDREN_MAX, &limit, err)))
        return rc;
    uint32_t first = tree_first_root(t);
    if (unit) {
        first = s.lo; /* the top of a subtree is the unit itself */
        limit = 1;
    } else if ((rc = after_cursor(req, TREE_NONE, &first, err))) {
        return rc;
    }
    write_page(resp, t, first, limit, !unit);
    return ERR_OK;
}
