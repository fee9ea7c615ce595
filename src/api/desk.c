/*
 * desk.c — GET /api/v1/desk (工作台: what awaits the reader) and the
 * reader's notifications: GET /api/v1/notifications, POST
 * /api/v1/notifications/read. Everything is the signed-in reader's own, so
 * the routes need a login and no permission.
 */
#include "api/api.h"
#include "app/desk.h"
#include "app/kinds.h"
#include "app/notify.h"

#include <jansson.h>
#include <string.h>

/* What the desk links a kind's cases by: "item", "rating", "points" or "person". */
static const char *subject_name(const struct wf_kind *k)
{
    static const char *const names[CASE_SUBJECTS] = {"item", "rating", "points", "person"};
    return names[k->subject];
}

static void write_rows(struct jw *w, const char *key, const struct desk_row *rows, size_t n,
                       bool deadlines)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const struct desk_row *r = &rows[i];
        jw_obj(w);
        jw_kstr(w, "kind", r->kind->code);
        jw_kstr(w, "kind_name", r->kind->name);
        jw_kstr(w, "subject", subject_name(r->kind));
        jw_kstr(w, "state", r->state->code);
        jw_kstr(w, "state_label", r->state->label);
        jw_kint(w, "count", r->count);
        if (deadlines) {
            jw_kint(w, "overdue", r->overdue);
            jw_kint(w, "due_soon", r->due_soon);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int api_desk(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct desk d;
    int rc = desk_get(req->app, req->user, req->arena, &d, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    api_unit_ref(&w, req->tree, "unit", req->user->scope);
    jw_kstr(&w, "today", d.today);
    jw_kstr(&w, "due_by", d.soon);
    write_rows(&w, "todo", d.todo, d.ntodo, true);
    write_rows(&w, "review", d.review, d.nreview, false);
    jw_key(&w, "due");
    jw_arr(&w);
    for (size_t i = 0; i < d.ndue; i++) {
        const struct case_row *c = &d.due[i];
        const struct wf_kind *k = kinds_find(req->app, c->kind);
        jw_obj(&w);
        jw_kint(&w, "id", c->id);
        jw_kstr(&w, "title", c->title);
        jw_kstr(&w, "kind", c->kind);
        jw_kstr(&w, "kind_name", k->name);
        jw_kstr(&w, "subject", subject_name(k));
        jw_kstr(&w, "state_label", k->states[wf_state_index(k, c->state)].label);
        jw_kstr(&w, "deadline", c->deadline);
        jw_kbool(&w, "overdue", strcmp(c->deadline, d.today) < 0);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "escalated", d.escalated);
    jw_kint(&w, "unread", d.unread);
    jw_obj_end(&w);
    return ERR_OK;
}

struct page {
    struct http_req *req;
    struct api_page pg;
};

static int write_notification(void *ctx, const struct notification *x)
{
    struct page *p = ctx;
    if (!api_page_row(&p->pg, x->id)) return 1;
    struct jw *w = p->pg.w;
    char link[96];
    notify_link(p->req->app, x, link, sizeof link);
    const struct wf_kind *k = x->case_id ? kinds_find(p->req->app, x->kind) : NULL;
    jw_obj(w);
    jw_kint(w, "id", x->id);
    jw_kstr(w, "at", x->at);
    jw_kstr(w, "kind", x->kind);
    jw_kstr(w, "kind_name", k ? k->name : "通知公告");
    api_unit_ref(w, p->req->tree, "unit", x->unit);
    jw_kstr(w, "what", x->what);
    jw_kstr(w, "title", x->title);
    jw_kstr(w, "link", link);
    jw_kbool(w, "read", x->read_at[0] != 0);
    jw_obj_end(w);
    return 0;
}

int api_notifications_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long limit, unread;
    int64_t before, count;
    int rc = api_page_query(req, 20, NOTIFY_LIST_MAX, &limit, &before, err);
    if (!rc) rc = http_query_int(req, "unread", 0, 0, 1, &unread, err);
    if (!rc) rc = notify_unread(req->app, req->user, &count, err);
    if (rc) return rc;
    struct jw w;
    struct page p = {.req = req};
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "unread", count);
    api_page_start(&p.pg, &w, limit);
    rc = notify_list(req->app, req->user, unread, before, (int)limit + 1, write_notification, &p,
                     err);
    if (rc < 0) return rc;
    api_page_end(&p.pg);
    jw_obj_end(&w);
    return ERR_OK;
}

/* {"id": N} marks one read, {"all": true} every one. */
int api_notifications_read(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"id", "all", NULL};
    json_t *body;
    int all = 0;
    bool has_id = false;
    double id = 0;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_bool(body, "all", &all, err);
    if (!rc) rc = jin_num(body, "id", &has_id, &id, err);
    if (rc) return rc;
    all = all == 1;
    if (all == has_id || (has_id && (id < 1 || id > 9e15 || id != (double)(int64_t)id)))
        return err_set_field(err, ERR_INVALID, has_id ? "id" : "all",
                             "请给出要标为已读的通知编号 id，或 all: true 全部标为已读");
    int64_t changed;
    if ((rc = notify_read(req->app, req->user, all ? 0 : (int64_t)id, &changed, err))) return rc;
    int64_t count;
    if ((rc = notify_unread(req->app, req->user, &count, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "marked", changed);
    jw_kint(&w, "unread", count);
    jw_obj_end(&w);
    return ERR_OK;
}
