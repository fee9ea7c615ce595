/*
 * reply.c — request helpers and the error document. One table maps error
 * kinds to statuses; server-side failures are logged in full and answered
 * with a generic message so internals never leak to a client.
 */
#include "app/contests.h"
#include "app/evaluations.h"
#include "app/events.h"
#include "app/idempotency.h"
#include "app/people.h"
#include "app/pipeline.h"
#include "http/http.h"
#include "app/cases.h"
#include "app/users.h"
#include "base/log.h"
#include "base/utf8.h"

#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    int kind, status;
} statuses[] = {
    {ERR_OK, 200},        {ERR_INVALID, 400},    {ERR_NOT_FOUND, 404},
    {ERR_CONFLICT, 409},  {ERR_TOO_LARGE, 413},  {ERR_UNAUTHORIZED, 401},
    {ERR_FORBIDDEN, 403}, {ERR_METHOD, 405},     {ERR_UNSUPPORTED, 415},
    {ERR_BUSY, 503},      {ERR_RATE_LIMIT, 429}, {ERR_IO, 500},
    {ERR_DB, 500},        {ERR_INTERNAL, 500},   {ERR_PASSWORD_CHANGE, 403},
};

/* What a session whose password someone else set may reach before the user
 * chose their own (users.must_change_password): who they are, signing out,
 * and changing the password. */
static const char *const before_password_change[] = {"/api/v1/me", "/api/v1/me/password",
                                                     "/api/v1/session", NULL};

static bool open_before_password_change(const struct http_route *r)
{
    for (int i = 0; before_password_change[i]; i++)
        if (strcmp(r->pattern, before_password_change[i]) == 0) return true;
    return false;
}

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

const char *http_cookie(struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
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

int http_created_id(struct http_resp *resp, int64_t id)
{
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_obj_end(&w);
    return ERR_OK;
}

void http_add_header(struct http_resp *resp, const char *name, const char *value)
{
    if (resp->nheaders == (int)(sizeof resp->headers / sizeof resp->headers[0])) return;
    resp->headers[resp->nheaders][0] = name;
    resp->headers[resp->nheaders][1] = value;
    resp->nheaders++;
}

bool http_has_header(const struct http_resp *resp, const char *name)
{
    for (int i = 0; i < resp->nheaders; i++)
        if (strcasecmp(resp->headers[i][0], name) == 0) return true;
    return false;
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
    if (strncmp(req->path, "/open311/", 9) == 0) { /* GeoReport v2's error format */
        jw_arr(&w);
        jw_obj(&w);
        jw_kint(&w, "code", status);
        char msg[ERR_MSG_MAX + 300];
        err_format(e, msg, sizeof msg);
        jw_kstr(&w, "description", status >= 500 ? "internal error" : msg);
        jw_obj_end(&w);
        jw_arr_end(&w);
        if (status >= 500)
            log_msg(LOG_ERROR, "http.error", "path=%s kind=%s msg=\"%s\"", req->path,
                    err_kind_name(e->kind), e->msg);
        return;
    }
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
    if (e->item > 0) jw_kint(&w, "item", e->item);
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

/* The body as JSON of the given jansson type, parsed on first use. */
static int body_json(struct http_req *req, json_type want, json_t **out, struct err *err)
{
    *out = NULL;
    if (!req->json) {
        const char *type = http_header(req, "Content-Type");
        if (!type || strncasecmp(type, "application/json", 16) != 0)
            return err_set(err, ERR_UNSUPPORTED,
                           "请求内容必须是 JSON（Content-Type: application/json）");
        int rc = jin_parse(req->body.p ? req->body.p : "", req->body.len, &req->json, err);
        if (rc) return rc;
    }
    if (json_typeof(req->json) != want)
        return err_set(err, ERR_INVALID, "请求内容必须是一个 JSON %s",
                       want == JSON_OBJECT ? "对象 {…}" : "数组 […]");
    *out = req->json;
    return ERR_OK;
}

int http_body_json(struct http_req *req, json_t **out, struct err *err)
{
    return body_json(req, JSON_OBJECT, out, err);
}

int http_body_json_array(struct http_req *req, json_t **out, struct err *err)
{
    return body_json(req, JSON_ARRAY, out, err);
}

static bool is_write(int method)
{
    return method != HTTP_GET && method != HTTP_HEAD && method != HTTP_OPTIONS;
}

/* Who is asking: a bearer token, else the session cookie. */
static int authenticate(struct http_req *req, struct err *e)
{
    struct auth_user *u = arena_zalloc(req->arena, sizeof *u);
    const char *authz = http_header(req, "Authorization");
    int rc;
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0)
            return err_set(e, ERR_UNAUTHORIZED, "只支持 Bearer 访问令牌");
        rc = auth_bearer_user(req->app, req->arena, authz + 7, u, e);
    } else {
        const char *cookie = http_cookie(req, AUTH_COOKIE);
        if (!cookie) return err_set(e, ERR_UNAUTHORIZED, "请先登录");
        rc = auth_session_user(req->app, req->arena, cookie, u, e);
    }
    if (rc) return rc;
    req->user = u;
    return ERR_OK;
}

/* The one permission check, before any handler: signed in, the route's
 * permission, the CSRF token for unsafe methods on a session, and the
 * target unit inside the user's scope (404 for reads so that existence
 * is not revealed, 403 for writes). */
static int authorize(struct http_req *req, const struct http_route *r, struct err *e)
{
    if (strcmp(r->perm, HTTP_PUBLIC) == 0) return ERR_OK;
    int rc = authenticate(req, e);
    if (rc) return rc;
    const struct auth_user *u = req->user;
    bool write = is_write(req->method);
    if (write && !u->via_token) {
        const char *csrf = http_header(req, "X-CSRF-Token");
        if (!csrf || strlen(csrf) != strlen(u->csrf) ||
            sodium_memcmp(csrf, u->csrf, strlen(csrf)) != 0)
            return err_set(e, ERR_FORBIDDEN, "缺少或错误的 CSRF 令牌，请刷新页面后重试");
    }
    if (u->must_change_password && !open_before_password_change(r))
        return err_set(e, ERR_PASSWORD_CHANGE,
                       "您的密码是别人设置的（初始密码或重置的密码），请先修改密码再使用系统");
    if (strcmp(r->perm, HTTP_LOGIN) != 0 && !auth_has_perm(u, r->perm))
        return err_set(e, ERR_FORBIDDEN, "当前角色（%s）没有此操作的权限", u->role_name);
    const char *unit = NULL;
    switch (r->scope) {
    case HTTP_SCOPE_NONE:
        return ERR_OK;
    case HTTP_SCOPE_PATH:
        unit = req->param[0];
        break;
    case HTTP_SCOPE_QUERY:
        unit = http_query(req, "unit");
        if (!unit || !*unit) {
            req->unit = u->scope;
            return ERR_OK;
        }
        break;
    case HTTP_SCOPE_BODY: {
        json_t *body;
        if ((rc = http_body_json(req, &body, e))) return rc;
        rc = jin_str(req->arena, body, "scope", 32, &unit, e);
        if (!rc && !unit) rc = jin_str(req->arena, body, "unit", 32, &unit, e);
        if (rc) return rc;
        if (!unit) {
            req->unit = u->scope;
            return ERR_OK;
        }
        break;
    }
    case HTTP_SCOPE_ITEMS: {
        /* Every item's unit inside the scope, or the whole write is refused. */
        json_t *items, *item;
        size_t i;
        if ((rc = http_body_json_array(req, &items, e))) return rc;
        json_array_foreach(items, i, item)
        {
            const char *code = json_string_value(json_object_get(item, "unit"));
            if (code && !auth_in_scope(u->scope, code)) {
                rc = err_set_field(e, ERR_FORBIDDEN, "unit",
                                   "第 %zu 项：单位 %s 不在您的管辖范围内", i + 1, code);
                e->item = (long)i + 1;
                break;
            }
        }
        req->unit = u->scope;
        return rc;
    }
    case HTTP_SCOPE_ITEM:
        rc = cases_unit_of(req->app, req->arena, req->param[0], &unit, e);
        if (rc == ERR_NOT_FOUND || rc == ERR_INVALID || (!rc && !auth_in_scope(u->scope, unit)))
            return err_set(e, write ? ERR_FORBIDDEN : ERR_NOT_FOUND,
                           "没有编号为 %s 的事项（或不在您的管辖范围内）", req->param[0]);
        if (rc) return rc;
        req->unit = unit;
        return ERR_OK;
    case HTTP_SCOPE_CASE: {
        /* its owner's scope, or the receiving side's (which may take only
         * the steps marked "by": "receiver": app/cases.c) */
        const char *other = NULL;
        rc = pipeline_units_of(req->app, req->arena, req->param[0], &unit, &other, e);
        if (!rc && !auth_in_scope(u->scope, unit) && other && auth_in_scope(u->scope, other))
            unit = other;
        if (rc == ERR_NOT_FOUND || rc == ERR_INVALID || (!rc && !auth_in_scope(u->scope, unit)))
            return err_set(e, write ? ERR_FORBIDDEN : ERR_NOT_FOUND,
                           "没有编号为 %s 的党员事项（或不在您的管辖范围内）", req->param[0]);
        if (rc) return rc;
        req->unit = unit;
        return ERR_OK;
    }
    case HTTP_SCOPE_PERSON:
    case HTTP_SCOPE_HOUSEHOLD:
    case HTTP_SCOPE_ORG: {
        static const char *const what[] = {"人员", "户", "党组织"};
        int record = r->scope - HTTP_SCOPE_PERSON;
        rc = people_unit_of(req->app, req->arena, record, req->param[0], u->scope, &unit, e);
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(u->scope, unit)))
            return err_set(e, write ? ERR_FORBIDDEN : ERR_NOT_FOUND,
                           "没有编号为 %s 的%s（或不在您的管辖范围内）", req->param[0],
                           what[record]);
        if (rc) return rc;
        req->unit = unit;
        return ERR_OK;
    }
    case HTTP_SCOPE_EVENT:
        rc = events_unit_of(req->app, req->arena, req->param[0], &unit, e);
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(u->scope, unit)))
            return err_set(e, write ? ERR_FORBIDDEN : ERR_NOT_FOUND,
                           "没有编号为 %s 的活动（或不在您的管辖范围内）", req->param[0]);
        if (rc) return rc;
        req->unit = unit;
        return ERR_OK;
    case HTTP_SCOPE_EVALUATION:
        rc = evaluations_unit_of(req->app, req->arena, req->param[0], &unit, e);
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(u->scope, unit)))
            return err_set(e, write ? ERR_FORBIDDEN : ERR_NOT_FOUND,
                           "没有编号为 %s 的评议（或不在您的管辖范围内）", req->param[0]);
        if (rc) return rc;
        req->unit = unit;
        return ERR_OK;
    case HTTP_SCOPE_CONTEST:
        rc = contests_unit_of(req->app, req->arena, req->param[0], &unit, e);
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(u->scope, unit)))
            return err_set(e, write ? ERR_FORBIDDEN : ERR_NOT_FOUND,
                           "没有编号为 %s 的擂台比武（或不在您的管辖范围内）", req->param[0]);
        if (rc) return rc;
        req->unit = unit;
        return ERR_OK;
    case HTTP_SCOPE_USER:
        rc = users_scope_of(req->app, req->arena, req->param[0], &unit, e);
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(u->scope, unit)))
            return err_set(e, write ? ERR_FORBIDDEN : ERR_NOT_FOUND,
                           "没有用户 %s（或不在您的管辖范围内）", req->param[0]);
        if (rc) return rc;
        req->unit = unit;
        return ERR_OK;
    default:
        return err_set(e, ERR_INTERNAL, "route %s has an unknown scope", r->pattern);
    }
    if (!auth_in_scope(u->scope, unit)) {
        if (write) return err_set(e, ERR_FORBIDDEN, "单位 %s 不在您的管辖范围内", unit);
        return err_set_field(e, ERR_NOT_FOUND, r->scope == HTTP_SCOPE_PATH ? "code" : "unit",
                             "没有代码为 %s 的单位", unit);
    }
    req->unit = unit;
    return ERR_OK;
}

/* Not replayed: signing in and out and the password (their answers set
 * cookies, which a replay would not), and a secret ballot (a record
 * hashing its code with its answers, and its time, would tie the vote to
 * the rater; a code casts once anyway, a repeat is 409). */
static bool replayable(const struct http_route *r)
{
    return strncmp(r->schema, "session.", 8) != 0 && strcmp(r->pattern, "/api/v1/ballots") != 0;
}

/* A write made with an Idempotency-Key (app/idempotency.h): a repeat gets
 * the first answer, marked Idempotent-Replayed; else the handler runs. */
static int run_once(struct http_req *req, const struct http_route *r, const char *key,
                    struct http_resp *resp, struct err *e)
{
    const char *principal =
        req->user ? arena_printf(req->arena, "user:%lld", (long long)req->user->id) : "public";
    struct idem x;
    struct idem_answer replay;
    bool found;
    int rc = idem_begin(req->app, req->arena, principal, key, method_names[r->method], req->path,
                        req->body.p, req->body.len, &x, &replay, &found, e);
    if (rc) return rc;
    if (!found) {
        rc = r->fn(req, resp, e);
        if (rc < 0 && idem_committed()) { /* its write stands: the error is its answer */
            error_reply(req, resp, e);
            rc = ERR_OK;
        }
        if (rc >= 0) {
            idem_finish(&x, resp->status, resp->content_type, resp->body.p, resp->body.len);
            return rc;
        }
        idem_finish(&x, 0, NULL, NULL, 0);
        /* a repeat running alongside may have written first: its answer, not ours */
        struct err again;
        err_clear(&again);
        int rc2 = idem_recheck(&x, req->arena, &replay, &found, &again);
        if (rc2 < 0) *e = again;
        if (!found) return rc2 < 0 ? rc2 : rc;
        err_clear(e);
    }
    resp->status = replay.status;
    resp->content_type = replay.content_type[0] ? replay.content_type : NULL;
    buf_reset(&resp->body);
    if (replay.len) buf_add(&resp->body, replay.body, replay.len);
    http_add_header(resp, "Idempotent-Replayed", "true");
    return ERR_OK;
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
                 ? authorize(req, route, &e)
                 : err_set(&e, ERR_INTERNAL, "route %s declares no permission", route->pattern);
        const char *key =
            is_write(method) && replayable(route) ? http_header(req, "Idempotency-Key") : NULL;
        if (rc == ERR_OK) rc = key ? run_once(req, route, key, resp, &e) : route->fn(req, resp, &e);
    } else if (path_known) {
        rc = err_set(&e, ERR_METHOD, "此地址不支持该请求方法");
    } else if (strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0 ||
               strncmp(req->path, "/open311/", 9) == 0) {
        rc = err_set(&e, ERR_NOT_FOUND, "没有接口 %s", req->path);
    } else if (method != HTTP_GET) {
        rc = err_set(&e, ERR_METHOD, "网页只支持 GET 和 HEAD 请求");
    } else {
        rc = http_static(req, resp, &e);
    }
    if (!req->deferred) http_finish(req, resp, rc, &e);
}

void http_finish(struct http_req *req, struct http_resp *resp, int rc, const struct err *err)
{
    if (rc < 0) {
        struct err e = *err;
        if (!e.kind) e.kind = rc;
        error_reply(req, resp, &e);
        if (rc == ERR_METHOD) http_add_header(resp, "Allow", allowed_methods(req));
    }
    /* Answers, errors too, carry personal data and depend on who asks: no
     * shared caches (but for a public answer that says otherwise, the
     * OpenAPI document). */
    if ((strncmp(req->path, "/api/", 5) == 0 || strncmp(req->path, "/open311/", 9) == 0) &&
        !http_has_header(resp, "Cache-Control"))
        http_add_header(resp, "Cache-Control", "no-store");
}
