/*
 * reply.c — request helpers and the error document. One table maps error
 * kinds to statuses; server-side failures are logged in full and answered
 * with a generic message so internals never leak to a client.
 */
#include "http/http.h"
#include "base/log.h"
#include "base/utf8.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    int kind, status;
} statuses[] = {
    {ERR_OK, 200},          {ERR_INVALID, 400},      {ERR_NOT_FOUND, 404},  {ERR_CONFLICT, 409},
    {ERR_TOO_LARGE, 413},   {ERR_UNAUTHORIZED, 401}, {ERR_FORBIDDEN, 403},  {ERR_METHOD, 405},
    {ERR_UNSUPPORTED, 415}, {ERR_BUSY, 503},         {ERR_RATE_LIMIT, 429}, {ERR_IO, 500},
    {ERR_DB, 500},          {ERR_INTERNAL, 500},
};

int http_status_of(int kind)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (statuses[i].kind == kind) return statuses[i].status;
    return 500;
}

const char *http_query(struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

int http_query_int(struct http_req *req, const char *name, long def, long lo, long hi, long *out,
                   struct err *err)
{
    const char *v = http_query(req, name);
    *out = def;
    if (!v) return ERR_OK;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < lo || n > hi)
        return err_set_field(err, ERR_INVALID, name, "参数 %s 必须是 %ld 到 %ld 之间的整数", name,
                             lo, hi);
    *out = n;
    return ERR_OK;
}

int http_query_text(struct http_req *req, const char *name, size_t max, const char **out,
                    struct err *err)
{
    const char *v = http_query(req, name);
    *out = NULL;
    if (!v) return ERR_OK;
    size_t n = strlen(v);
    if (n > max) return err_set_field(err, ERR_INVALID, name, "参数 %s 超过 %zu 字节", name, max);
    if (!utf8_valid(v, n, NULL) || utf8_has_control(v, n))
        return err_set_field(err, ERR_INVALID, name, "参数 %s 不是合法的 UTF-8 文本", name);
    *out = v;
    return ERR_OK;
}

void http_json(struct http_resp *resp, struct jw *w)
{
    resp->status = 200;
    resp->content_type = "application/json; charset=utf-8";
    buf_reset(&resp->body);
    jw_init(w, &resp->body);
}

void http_add_header(struct http_resp *resp, const char *name, const char *value)
{
    if (resp->nheaders == (int)(sizeof resp->headers / sizeof resp->headers[0])) return;
    resp->headers[resp->nheaders][0] = name;
    resp->headers[resp->nheaders][1] = value;
    resp->nheaders++;
}

/* Replaces whatever the handler wrote with the error document. */
static void error_reply(struct http_req *req, struct http_resp *resp, const struct err *e)
{
    int status = http_status_of(e->kind);
    struct jw w;
    http_json(resp, &w);
    resp->static_body = NULL;
    resp->status = status;
    resp->nheaders = 0;
    jw_obj(&w);
    jw_key(&w, "error");
    jw_obj(&w);
    jw_kstr(&w, "code", err_kind_name(e->kind));
    if (status >= 500) {
        log_msg(LOG_ERROR, "http.error", "method=%d path=%s kind=%s msg=\"%s\"", req->method,
                req->path, err_kind_name(e->kind), e->msg);
        jw_kstr(&w, "message", "内部错误，请稍后再试 (internal error; it has been logged)");
    } else {
        char msg[ERR_MSG_MAX + 300];
        err_format(e, msg, sizeof msg);
        jw_kstr(&w, "message", msg);
    }
    if (e->field[0]) jw_kstr(&w, "field", e->field);
    if (e->line > 0) jw_kint(&w, "line", e->line);
    jw_obj_end(&w);
    jw_obj_end(&w);
}

/* Matches path against pattern, capturing {name} segments. */
static bool match(const char *pattern, const char *path, struct http_req *req)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            if (len == 0 || n == HTTP_MAX_PARAMS) return false;
            req->param[n++] = arena_strndup(req->arena, s, len);
            s += len;
            p = strchr(p, '}') + 1;
            continue;
        }
        if (*p != *s) return false;
        p++;
        s++;
    }
    if (*p || *s) return false;
    req->nparam = n;
    return true;
}

static const char *const method_names[] = {"",    "GET",   "HEAD",   "POST",
                                           "PUT", "PATCH", "DELETE", "OPTIONS"};

/* The Allow header for a 405: the methods routed at this path. */
static const char *allowed_methods(struct http_req *req)
{
    struct buf b = BUF_INIT;
    if (strncmp(req->path, "/api/", 5) != 0) buf_puts(&b, "GET, HEAD");
    for (const struct http_route *r = api_routes; r->pattern; r++)
        if (match(r->pattern, req->path, req)) {
            buf_puts(&b, b.len ? ", " : "");
            buf_puts(&b, method_names[r->method]);
            if (r->method == HTTP_GET) buf_puts(&b, ", HEAD");
        }
    char *s = arena_strndup(req->arena, b.p ? b.p : "", b.len);
    buf_free(&b);
    return s;
}

void http_dispatch(struct http_req *req, struct http_resp *resp)
{
    struct err e;
    err_clear(&e);
    int method = req->method == HTTP_HEAD ? HTTP_GET : req->method;
    bool path_known = false;
    const struct http_route *route = NULL;
    for (const struct http_route *r = api_routes; r->pattern; r++) {
        if (!match(r->pattern, req->path, req)) continue;
        path_known = true;
        if (r->method == method) {
            route = r;
            break;
        }
    }
    int rc;
    if (route) {
        rc = route->perm
                 ? route->fn(req, resp, &e)
                 : err_set(&e, ERR_INTERNAL, "route %s declares no permission", route->pattern);
    } else if (path_known) {
        rc = err_set(&e, ERR_METHOD, "此地址不支持该请求方法");
    } else if (strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0) {
        rc = err_set(&e, ERR_NOT_FOUND, "没有接口 %s", req->path);
    } else if (method != HTTP_GET) {
        rc = err_set(&e, ERR_METHOD, "网页只支持 GET 和 HEAD 请求");
    } else {
        rc = http_static(req, resp, &e);
    }
    if (rc < 0) {
        if (!e.kind) e.kind = rc;
        error_reply(req, resp, &e);
        if (rc == ERR_METHOD) http_add_header(resp, "Allow", allowed_methods(req));
    }
}
