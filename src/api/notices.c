/*
 * notices.c — 通知公告 over HTTP: GET/POST /api/v1/notices, GET
 * /api/v1/notices/{id}, POST /api/v1/notices/{id}/read, GET
 * /api/v1/notices/{id}/receipts and …/files/{sha256}. Who may see what is
 * app/notices.c's: a recipient, or someone whose scope covers the notice.
 */
#include "api/api.h"
#include "app/notices.h"

#include <jansson.h>
#include <string.h>

static void write_notice(struct jw *w, const struct tree *t, const struct notice *n)
{
    jw_kint(w, "id", n->id);
    api_unit_ref(w, t, "unit", n->unit);
    api_unit_ref(w, t, "from_unit", n->from_unit);
    jw_kstr(w, "title", n->title);
    jw_kstr(w, "sender", n->sender);
    jw_kstr(w, "created_at", n->created_at);
    jw_kint(w, "recipients", n->recipients);
    jw_kint(w, "read", n->read);
    jw_kstr_or_null(w, "read_at", n->read_at[0] ? n->read_at : NULL);
}

struct page {
    struct http_req *req;
    struct api_page pg;
};

static int write_row(void *ctx, const struct notice *n)
{
    struct page *p = ctx;
    if (!api_page_row(&p->pg, n->id)) return 1;
    jw_obj(p->pg.w);
    write_notice(p->pg.w, p->req->tree, n);
    jw_obj_end(p->pg.w);
    return 0;
}

/* ?box=received (default) or sent; ?after=ID, the previous page's next. */
int api_notices_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *box;
    long limit;
    int64_t before;
    int rc = http_query_text(req, "box", 16, &box, err);
    if (!rc) rc = api_page_query(req, 20, NOTICES_LIST_MAX, &limit, &before, err);
    if (rc) return rc;
    bool sent = box && strcmp(box, "sent") == 0;
    if (box && *box && !sent && strcmp(box, "received") != 0)
        return err_set_field(err, ERR_INVALID, "box",
                             "box 须为 received（收到的）或 sent（发出的）");
    struct jw w;
    struct page p = {.req = req};
    http_json(resp, &w);
    jw_obj(&w);
    api_page_start(&p.pg, &w, limit);
    rc = notices_list(req->app, req->user, sent, before, (int)limit + 1, write_row, &p, err);
    if (rc < 0) return rc;
    api_page_end(&p.pg);
    jw_obj_end(&w);
    return ERR_OK;
}

static int write_view(struct http_req *req, struct http_resp *resp, int64_t id, int status,
                      struct err *err)
{
    struct notice_view v;
    int rc = notices_get(req->app, req->user, id, req->arena, &v, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    jw_obj(&w);
    write_notice(&w, req->tree, &v.n);
    jw_kstr(&w, "body", v.n.body);
    jw_kbool(&w, "recipient", v.recipient);
    jw_kbool(&w, "receipts", v.overseer);
    jw_key(&w, "files");
    jw_arr(&w);
    for (size_t i = 0; i < v.nfiles; i++) {
        const struct notice_file *f = &v.files[i];
        char url[160];
        snprintf(url, sizeof url, "/api/v1/notices/%lld/files/%s", (long long)id, f->sha256);
        jw_obj(&w);
        jw_kstr(&w, "sha256", f->sha256);
        jw_kstr(&w, "name", f->name);
        jw_kstr(&w, "type", f->type);
        jw_kint(&w, "size", f->size);
        jw_kstr(&w, "url", url);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_notices_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"unit", "title", "body", "files", NULL};
    json_t *body;
    struct notice_new in = {0};
    struct arena *a = req->arena;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(a, body, "unit", 32, &in.unit, err);
    if (!rc) rc = jin_str(a, body, "title", NOTICE_TITLE_MAX, &in.title, err);
    if (!rc) rc = jin_text(a, body, "body", NOTICE_BODY_MAX, &in.body, err);
    if (!rc) rc = api_file_refs(a, body, &in.files, &in.nfiles, err);
    struct notice n;
    if (!rc) rc = notices_create(req->app, req->user, &in, req->client, a, &n, err);
    return rc ? rc : write_view(req, resp, n.id, 201, err);
}

int api_notice_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "通知", &id, err);
    return rc ? rc : write_view(req, resp, id, 200, err);
}

int api_notice_read(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "通知", &id, err);
    if (!rc) rc = notices_read(req->app, req->user, id, err);
    return rc ? rc : write_view(req, resp, id, 200, err);
}

struct receipts {
    const struct tree *t;
    struct jw *w;
    int64_t total, read;
};

static int write_receipt(void *ctx, const struct notice_receipt *r)
{
    struct receipts *x = ctx;
    jw_obj(x->w);
    jw_kstr(x->w, "display_name", r->display_name);
    api_unit_ref(x->w, x->t, "unit", r->scope);
    jw_kstr_or_null(x->w, "read_at", r->read_at[0] ? r->read_at : NULL);
    jw_obj_end(x->w);
    x->total++;
    x->read += r->read_at[0] != 0;
    return 0;
}

int api_notice_receipts(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    int rc = app_parse_id(req->param[0], "通知", &id, err);
    if (rc) return rc;
    struct jw w;
    struct receipts x = {req->tree, &w, 0, 0};
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    if ((rc = notices_receipts(req->app, req->user, id, write_receipt, &x, err))) return rc;
    jw_arr_end(&w);
    jw_kint(&w, "total", x.total);
    jw_kint(&w, "read", x.read);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_notice_file(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    struct notice_file f;
    const void *data;
    int rc = app_parse_id(req->param[0], "通知", &id, err);
    if (!rc) rc = notices_file(req->app, req->user, id, req->param[1], req->arena, &f, &data, err);
    if (!rc) api_send_file(req, resp, f.type, f.name, data, (size_t)f.size);
    return rc;
}
