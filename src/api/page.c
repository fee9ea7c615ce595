/* page.c — list answers: whole ({"items": […]}, api_items_*) and in
 * cursor pages (api_page_*) (api.h). */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>

int api_page_query(struct http_req *req, long def, long max, long *limit, int64_t *before,
                   struct err *err)
{
    const char *after = NULL;
    int rc = http_query_int(req, "limit", def, 1, max, limit, err);
    if (!rc) rc = http_query_text(req, "after", 20, &after, err);
    *before = 0;
    if (rc || !after || !*after) return rc;
    char *end;
    errno = 0;
    long long v = strtoll(after, &end, 10);
    if (*end || errno || v < 1)
        return err_set_field(err, ERR_INVALID, "after",
                             "after=%s 不是有效的游标；请传入上一页返回的 next 值", after);
    *before = v;
    return ERR_OK;
}

void api_page_start(struct api_page *p, struct jw *w, long limit)
{
    *p = (struct api_page){.w = w, .limit = limit};
    jw_key(w, "items");
    jw_arr(w);
}

bool api_page_row(struct api_page *p, int64_t cursor)
{
    if (p->n == p->limit) { /* the extra row only tells that there is more */
        p->more = true;
        return false;
    }
    p->n++;
    p->last = cursor;
    return true;
}

void api_page_end(struct api_page *p)
{
    jw_arr_end(p->w);
    if (p->more)
        jw_kint(p->w, "next", p->last);
    else
        jw_knull(p->w, "next");
}

void api_items_start(struct http_resp *resp, struct jw *w)
{
    http_json(resp, w);
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
}

void api_items_end(struct jw *w)
{
    jw_arr_end(w);
    jw_obj_end(w);
}
