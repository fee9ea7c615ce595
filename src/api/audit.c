/*
 * audit.c — GET /api/v1/audit: the audit trail, newest first, filtered by
 * subtree, user and time, cursor-paginated by seq. The router has already
 * resolved req->unit inside the caller's scope; the subtree filter runs in
 * SQL, so records outside it are never read. Next to the codes it keeps,
 * each record comes with what people read: the person's display name
 * (user_name), the unit's name (unit_name) and, for a user's record, that
 * user's name (entity_name). The records of a page are read first and
 * written after, so the names are looked up with no connection held.
 */
#include "api/api.h"
#include "app/audit.h"
#include "app/users.h"

#include <stdlib.h>
#include <string.h>

#define AUDIT_DEFAULT 50
#define AUDIT_MAX     200
#define SINCE_MAX     40 /* bytes of a date-time with fraction and offset */

/* before/after are stored as JSON and sent as JSON values; text that is
 * not JSON (only possible if someone edited the database) is sent as a
 * string rather than breaking the document. */
static void write_json(struct jw *w, const char *key, const char *json)
{
    jw_key(w, key);
    size_t n = json ? strlen(json) : 0;
    if (!json)
        jw_null(w);
    else if (audit_json_valid(json, n))
        jw_raw(w, json, n);
    else
        jw_strn(w, json, n);
}

/* The records of one page, copied out of the store's callback. */
struct page_rows {
    struct arena *a;
    struct audit_record *r;
    size_t n, cap;
};

static const char *dup(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

static int keep_row(void *ctx, const struct audit_record *r)
{
    struct page_rows *p = ctx;
    p->r = arena_grow(p->a, p->r, sizeof *p->r, p->n, p->n + 1, &p->cap);
    p->r[p->n++] = (struct audit_record){.seq = r->seq,
                                         .at = dup(p->a, r->at),
                                         .e = {.user = dup(p->a, r->e.user),
                                               .action = dup(p->a, r->e.action),
                                               .entity = dup(p->a, r->e.entity),
                                               .unit = dup(p->a, r->e.unit),
                                               .before = dup(p->a, r->e.before),
                                               .after = dup(p->a, r->e.after),
                                               .client = dup(p->a, r->e.client)}};
    return 0;
}

static void write_item(struct http_req *req, struct jw *w, struct users_names *names,
                       const struct audit_record *r)
{
    jw_obj(w);
    jw_kint(w, "seq", r->seq);
    jw_kstr(w, "at", r->at);
    jw_kstr(w, "user", r->e.user);
    jw_kstr_or_null(w, "user_name", users_name_of(names, r->e.user));
    jw_kstr(w, "action", r->e.action);
    jw_kstr(w, "entity", r->e.entity);
    const char *e = r->e.entity;
    jw_kstr_or_null(w, "entity_name",
                    e && strncmp(e, "user:", 5) == 0 ? users_name_of(names, e + 5) : NULL);
    jw_kstr_or_null(w, "unit", r->e.unit);
    uint32_t i = r->e.unit ? tree_find_any(req->tree, r->e.unit, strlen(r->e.unit)) : TREE_NONE;
    jw_kstr_or_null(w, "unit_name", i == TREE_NONE ? NULL : tree_name(req->tree, i));
    write_json(w, "before", r->e.before);
    write_json(w, "after", r->e.after);
    jw_kstr(w, "client", r->e.client);
    jw_obj_end(w);
}

/* Reads the filters other than the unit into f; since is normalised into
 * since_buf. Empty parameters count as absent (what forms send). */
static int read_filter(struct http_req *req, struct audit_filter *f,
                       char since_buf[AUDIT_TIME_LEN + 1], struct err *err)
{
    const char *since;
    long limit;
    int rc = http_query_text(req, "user", AUDIT_USER_MAX, &f->user, err);
    if (!rc) rc = http_query_text(req, "since", SINCE_MAX, &since, err);
    if (!rc) rc = api_page_query(req, AUDIT_DEFAULT, AUDIT_MAX, &limit, &f->before_seq, err);
    if (rc) return rc;
    f->limit = limit;
    if (f->user && !*f->user) f->user = NULL;
    if (since && *since) {
        if (!audit_time_parse(since, since_buf))
            return err_set_field(err, ERR_INVALID, "since",
                                 "参数 since 必须是日期或时间，如 2026-11-23 或 "
                                 "2026-11-23T09:41:07Z（未注明时区按 UTC）");
        f->since = since_buf;
    }
    return ERR_OK;
}

int api_audit_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    if (!req->unit) /* fail closed: never list the whole trail by accident */
        return err_set(err, ERR_INTERNAL, "/api/v1/audit needs HTTP_SCOPE_QUERY");
    struct audit_filter f = {.unit = req->unit};
    char since[AUDIT_TIME_LEN + 1];
    int rc = read_filter(req, &f, since, err);
    if (rc) return rc;
    struct jw w;
    struct api_page p;
    http_json(resp, &w);
    jw_obj(&w);
    api_page_start(&p, &w, f.limit);
    f.limit++; /* one more than the page, to know whether a next page exists */
    struct page_rows rows = {.a = req->arena};
    rc = audit_list(req->app, &f, keep_row, &rows, err);
    if (rc < 0) return rc;
    struct users_names *names = users_names_new(req->app, req->arena);
    for (size_t k = 0; k < rows.n && api_page_row(&p, rows.r[k].seq); k++)
        write_item(req, &w, names, &rows.r[k]);
    api_page_end(&p);
    jw_obj_end(&w);
    return ERR_OK;
}
