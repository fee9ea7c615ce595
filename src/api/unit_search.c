/*
 * unit_search.c — the unit search both the staff API (GET /api/v1/units,
 * units.c) and the residents' (GET /api/v1/public/units, public.c) answer:
 *
 *   q=WORDS      words matched along the path (core/tree_query.h): "郝庄",
 *                "舞阳 郝庄", a path pasted whole, a code prefix
 *   level=L[,L]  only units of these levels (province … building)
 *   limit, after a page: after=CODE continues after the last unit answered
 *
 * inside the subtree the caller gives (the reader's scope or ?unit=). The
 * answer is {"items":[…],"next":CODE|null}; each handler writes its items.
 * A query that needs more steps than TREE_QUERY_STEPS (words found all
 * over the country but seldom on one path) answers a shorter page, maybe
 * empty, whose `next` goes on where it stopped: a page is never slow.
 */
#include "api/api.h"
#include "core/tree_query.h"

#include <stdio.h>
#include <string.h>

/* ?level=village,grid as a bit per level; *levels is left alone when the
 * parameter is absent. */
static int parse_levels(struct http_req *req, unsigned *levels, struct err *err)
{
    const char *text;
    int rc = http_query_text(req, "level", 100, &text, err);
    if (rc || !text) return rc;
    unsigned bits = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, ",");
        int level = unit_level_parse(p, n);
        if (level == UNIT_LEVEL_NONE)
            return err_set_field(err, ERR_INVALID, "level",
                                 "level=%s 不是有效的层级（可用 province、city、county、"
                                 "township、village、grid、building，以逗号分隔）",
                                 text);
        bits |= 1u << level;
        p += n + (p[n] == ',');
    }
    if (!bits) return err_set_field(err, ERR_INVALID, "level", "level 不能为空");
    *levels = bits;
    return ERR_OK;
}

int api_unit_search_parse(struct http_req *req, const struct api_unit_search *s,
                          struct api_unit_page *page, struct err *err)
{
    const char *q;
    const struct tree *t = req->tree;
    int rc = http_query_text(req, "q", s->qmax, &q, err);
    if (rc) return rc;
    page->levels_given = http_query(req, "level") != NULL;
    page->words = false;
    if ((rc = tree_query_init(&page->q, t, q ? q : "", q ? strlen(q) : 0, err))) {
        snprintf(err->field, sizeof err->field, "q");
        return rc;
    }
    page->words = page->q.nterms > 0;
    page->q.lo = s->lo;
    page->q.hi = s->hi;
    page->q.levels = s->levels;
    if ((rc = parse_levels(req, &page->q.levels, err))) return rc;
    if (!page->words && !page->levels_given) return ERR_OK; /* no search: the caller's listing */
    if ((rc = http_query_int(req, "limit", s->limit_default, 1, s->limit_max, &page->limit, err)))
        return rc;
    const char *after;
    if ((rc = http_query_text(req, "after", UNIT_CODE_MAX, &after, err))) return rc;
    page->from = s->lo;
    if (after) {
        uint32_t a = tree_find(t, after, strlen(after));
        if (a == TREE_NONE || a < s->lo || a > s->hi)
            return err_set_field(err, ERR_INVALID, "after",
                                 "after=%s 不是本次搜索的结果；请传入上一页返回的 next 值", after);
        page->from = a + 1;
    }
    return ERR_OK;
}

void api_unit_search_write(struct http_req *req, struct http_resp *resp, struct api_unit_page *page,
                           void (*item)(struct jw *w, const struct tree *t, uint32_t i))
{
    const struct tree *t = req->tree;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    uint32_t last = TREE_NONE, i = tree_query_next(t, &page->q, page->from);
    for (long k = 0; i != TREE_NONE && k < page->limit; k++) {
        item(&w, t, i);
        last = i;
        i = tree_query_next(t, &page->q, i + 1);
    }
    jw_arr_end(&w);
    const char *next = i != TREE_NONE ? tree_node(t, last)->code : NULL;
    if (i == TREE_NONE && page->q.stopped != TREE_NONE) /* cut short: go on where it stopped */
        next = tree_node(t, page->q.stopped - 1)->code;
    jw_kstr_or_null(&w, "next", next);
    jw_obj_end(&w);
}
