/*
 * server.c — libmicrohttpd glue: one http_req per request, body
 * accumulation with a size limit (a declared Content-Length above it is
 * answered 413 before any of the body is read), the response with
 * security headers, and cleanup when the response has been sent. Each
 * connection is followed by conns.c (request deadline, limits per address
 * and in all, shedding the slowest).
 *
 * Threads: MHD's internal epoll thread pool, four threads per CPU by
 * default. A request that waits for another thread (http_defer) is
 * suspended meanwhile, so its worker serves its other connections: with a
 * handler blocking instead, the connections sharing its worker queued
 * behind it (ballots' p99 was three times the median). Each request holds a
 * reference to the tree it started with.
 * On a database shared with other servers (PostgreSQL), starting also
 * starts following their changes (app_follow).
 */
#include "http/http.h"
#include "http/conns.h"
#include "base/log.h"
#include "base/mem.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

struct http_server {
    struct MHD_Daemon *d;
    struct app *app;
    struct conns *conns;
    int port;
    pthread_mutex_t mu;
    pthread_cond_t resumed;
    int deferred;  /* requests deferred and not yet resumed */
    bool stopping; /* no more deferring: MHD must stop with none suspended */
};

struct ctx {
    struct http_req req;
    struct http_resp resp;
    struct http_server *server;
    bool too_large;
    /* a deferred request (http_defer): answered before the worker could
     * suspend it, or suspended and to be resumed by the answer */
    pthread_mutex_t mu;
    bool answered, suspended;
};

static const struct {
    const char *name;
    int method;
} methods[] = {{"GET", HTTP_GET},        {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
               {"PUT", HTTP_PUT},        {"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE},
               {"OPTIONS", HTTP_OPTIONS}};

static int method_of(const char *m)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(methods[i].name, m) == 0) return methods[i].method;
    return HTTP_OTHER;
}

/* Headers on every response (see docs/security.md). */
static const char *const security_headers[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
     "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
};

static enum MHD_Result send_response(struct MHD_Connection *conn, struct ctx *c)
{
    struct http_resp *r = &c->resp;
    struct MHD_Response *mr;
    if (r->static_body) {
        mr = MHD_create_response_from_buffer(r->static_len, (void *)r->static_body,
                                             MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len;
        char *body = buf_detach(&r->body, &len);
        mr = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
        if (!mr) free(body);
    }
    if (!mr) return MHD_NO;
    if (r->content_type) MHD_add_response_header(mr, "Content-Type", r->content_type);
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(mr, security_headers[i][0], security_headers[i][1]);
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(mr, r->headers[i][0], r->headers[i][1]);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->status, mr);
    MHD_destroy_response(mr);
    return ok;
}

/* The last comma-separated entry of a header, trimmed: what the nearest
 * proxy wrote. */
static void last_entry(const char *v, const char **p, size_t *n)
{
    const char *start = strrchr(v, ',');
    start = start ? start + 1 : v;
    size_t len = strlen(start);
    while (len && *start == ' ')
        start++, len--;
    while (len && start[len - 1] == ' ')
        len--;
    *p = start;
    *n = len;
}

/* The client's address: the peer's, or, when the peer is a trusted reverse
 * proxy, the rightmost address of X-Forwarded-For that is not itself a
 * trusted proxy (the left part of the header is the client's to forge).
 * *secure: the request came over HTTPS, as a trusted proxy's
 * X-Forwarded-Proto says (this server speaks plain HTTP itself). */
static void client_address(struct MHD_Connection *conn, const char *trusted, char *out, size_t cap,
                           bool *secure)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    *secure = false;
    if (!ci || !ci->client_addr) return;
    conns_address(ci->client_addr, out, cap);
    if (!trusted[0] || !conns_listed(trusted, out, strlen(out))) return;
    const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    if (proto) {
        const char *p;
        size_t n;
        last_entry(proto, &p, &n);
        *secure = n == 5 && strncasecmp(p, "https", 5) == 0;
    }
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff) return;
    for (size_t end = strlen(xff); end > 0;) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        const char *p = xff + start;
        size_t n = end - start;
        for (; n && *p == ' '; n--)
            p++;
        while (n && p[n - 1] == ' ')
            n--;
        end = start ? start - 1 : 0;
        char addr[INET6_ADDRSTRLEN];
        unsigned char bin[sizeof(struct in6_addr)];
        if (n == 0 || n >= sizeof addr) return; /* malformed: keep the proxy's */
        memcpy(addr, p, n);
        addr[n] = '\0';
        if (inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1) return;
        if (!conns_listed(trusted, addr, n)) {
            snprintf(out, cap, "%s", addr);
            return;
        }
    }
}

/* The connection's record in conns.c (its socket context). */
static struct conn *conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* 413 with the error document. */
static enum MHD_Result too_large(struct MHD_Connection *conn, struct http_server *s, struct ctx *c)
{
    struct err e;
    err_clear(&e);
    err_setf(&e, ERR_TOO_LARGE, NULL, "请求内容超过 %ld 字节", s->app->cfg.max_body);
    struct jw w;
    http_json(&c->resp, &w);
    c->resp.status = 413;
    jw_obj(&w);
    jw_key(&w, "error");
    jw_obj(&w);
    jw_kstr(&w, "code", err_kind_name(e.kind));
    jw_kstr(&w, "message", e.msg);
    jw_obj_end(&w);
    jw_obj_end(&w);
    conns_busy(s->conns, conn_of(conn));
    conns_linger(s->conns, conn_of(conn));
    return send_response(conn, c);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state)
{
    (void)version;
    struct http_server *s = cls;
    struct ctx *c = *state;
    if (!c) { /* first call: headers are in */
        c = xcalloc(1, sizeof *c);
        c->server = s;
        pthread_mutex_init(&c->mu, NULL);
        c->req.conn = conn;
        c->req.arena = arena_new();
        c->req.app = s->app;
        c->req.method = method_of(method);
        c->req.path = arena_strdup(c->req.arena, url);
        client_address(conn, s->app->cfg.trusted_proxies, c->req.client, sizeof c->req.client,
                       &c->req.secure);
        *state = c;
        /* Refused before a byte of the body is read (nor 100 Continue sent):
         * libmicrohttpd closes the connection after this answer. */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoll(cl, NULL, 10) > s->app->cfg.max_body) {
            c->too_large = true;
            return too_large(conn, s, c);
        }
        return MHD_YES;
    }
    if (c->req.deferred) return send_response(conn, c); /* resumed: answered */
    if (*upload_size) {                                 /* a piece of the body */
        if (!c->too_large && c->req.body.len + *upload_size <= (size_t)s->app->cfg.max_body)
            buf_add(&c->req.body, upload_data, *upload_size);
        else
            c->too_large = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (c->too_large) return too_large(conn, s, c);
    conns_busy(s->conns, conn_of(conn));
    c->req.tree = app_tree(s->app);
    http_dispatch(&c->req, &c->resp);
    if (c->req.deferred) {
        /* held while suspending, so that the answer resumes only a
         * suspended connection */
        pthread_mutex_lock(&c->mu);
        bool answered = c->answered;
        if (!answered) {
            c->suspended = true;
            MHD_suspend_connection(conn);
        }
        pthread_mutex_unlock(&c->mu);
        if (!answered) return MHD_YES;
    }
    return send_response(conn, c);
}

static struct ctx *ctx_of(struct http_req *req)
{
    return (struct ctx *)((char *)req - offsetof(struct ctx, req));
}

bool http_defer(struct http_req *req)
{
    if (!req->conn) return false;
    struct http_server *s = ctx_of(req)->server;
    pthread_mutex_lock(&s->mu);
    bool ok = !s->stopping;
    if (ok) s->deferred++;
    pthread_mutex_unlock(&s->mu);
    req->deferred = ok;
    return ok;
}

void http_resume(struct http_req *req, struct http_resp *resp, int rc, const struct err *err)
{
    struct ctx *c = ctx_of(req);
    struct http_server *s = c->server;
    http_finish(req, resp, rc, err);
    pthread_mutex_lock(&c->mu);
    c->answered = true;
    bool suspended = c->suspended;
    pthread_mutex_unlock(&c->mu);
    /* c may be gone once resumed: its worker sends the answer and frees it */
    if (suspended) MHD_resume_connection(req->conn);
    pthread_mutex_lock(&s->mu);
    if (--s->deferred == 0) pthread_cond_broadcast(&s->resumed);
    pthread_mutex_unlock(&s->mu);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    /* The connection waits for its next request: the deadline starts again. */
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) conns_idle(s->conns, conn_of(conn));
    struct ctx *c = *state;
    if (!c) return;
    tree_unref(c->req.tree);
    json_decref(c->req.json);
    buf_free(&c->req.body);
    buf_free(&c->resp.body);
    arena_free(c->req.arena);
    pthread_mutex_destroy(&c->mu);
    free(c);
    *state = NULL;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes %HH in paths and query values, except %00: a NUL would cut the
 * C string short and make "/index.html%00.js" read as "/index.html", so it
 * stays literal text. Malformed escapes stay literal too. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *out = s;
    for (const char *in = s; *in; in++) {
        int hi, lo;
        if (in[0] == '%' && (hi = hex_value(in[1])) >= 0 && (lo = hex_value(in[2])) >= 0 &&
            (hi | lo) != 0) {
            *out++ = (char)(hi * 16 + lo);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
    (void)len;
    struct http_server *s = cls;
    return conns_accept(s->conns, addr) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fd =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *ca =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (fd && ca) *socket_context = conns_started(s->conns, fd->connect_fd, ca->client_addr);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        conns_closed(s->conns, *socket_context);
        *socket_context = NULL;
    }
}

/* As many descriptors as the system lets us have; returns how many. */
static unsigned raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur > 1u << 20 ? 1u << 20 : (unsigned)rl.rlim_cur;
}

/* libmicrohttpd's own format strings, passed through. */
__attribute__((format(printf, 2, 0))) static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_msg(LOG_WARN, "http.mhd", "msg=\"%s\"", msg);
}

/* Splits "host:port" or "[v6]:port" and resolves it. */
static int resolve(const char *listen, struct addrinfo **out, struct err *err)
{
    char host[256], port[16];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof port)
        return err_set(err, ERR_INVALID, "listen address \"%s\" must be host:port", listen);
    size_t hlen = (size_t)(colon - listen);
    if (listen[0] == '[' && hlen >= 2 && listen[hlen - 1] == ']') {
        listen++;
        hlen -= 2;
    }
    if (hlen >= sizeof host) return err_set(err, ERR_INVALID, "listen host is too long");
    memcpy(host, listen, hlen);
    host[hlen] = '\0';
    snprintf(port, sizeof port, "%s", colon + 1);
    for (const char *p = port; *p; p++)
        if (*p < '0' || *p > '9')
            return err_set(err, ERR_INVALID, "listen port \"%s\" is not a number", port);
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    int rc = getaddrinfo(host, port, &hints, out);
    if (rc != 0)
        return err_set(err, ERR_INVALID, "cannot resolve listen address %s: %s", listen,
                       gai_strerror(rc));
    return ERR_OK;
}

/* Every route names a permission data/roles.json declares (or is public,
 * or needs a login only): a typo must stop the start, not lock a page. */
static int check_routes(const struct app *app, struct err *err)
{
    for (const struct http_route *r = api_routes; r->pattern; r++)
        if (strcmp(r->perm, HTTP_PUBLIC) != 0 && strcmp(r->perm, HTTP_LOGIN) != 0 &&
            !auth_perm_declared(app, r->perm))
            return err_set(err, ERR_INTERNAL, "route %s names the undeclared permission %s",
                           r->pattern, r->perm);
    return ERR_OK;
}

int http_server_start(struct app *app, const char *listen, int threads, struct http_server **out,
                      struct err *err)
{
    *out = NULL;
    struct addrinfo *ai = NULL;
    int rc = check_routes(app, err);
    if (rc) return rc;
    rc = resolve(listen, &ai, err);
    if (rc) return rc;
    if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads <= 0) threads = 2;
    /* Other servers on the same database: their writes must reach our caches. */
    if ((rc = app_follow(app, err))) {
        freeaddrinfo(ai);
        return rc;
    }
    struct http_server *s = xcalloc(1, sizeof *s);
    s->app = app;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->resumed, NULL);
    const struct config *cfg = &app->cfg;
    /* libmicrohttpd's own cap is a backstop above ours (shedding keeps the
     * count near max_connections), within the descriptors we may open. */
    unsigned fds = raise_fd_limit(), reserve = 64 + 4 * (unsigned)threads;
    unsigned cap = (unsigned)cfg->max_connections + (unsigned)cfg->max_connections / 8 + 16;
    int max_total = cfg->max_connections;
    if (fds > reserve && cap > fds - reserve) {
        cap = fds - reserve;
        if ((unsigned)max_total > cap * 7 / 8) max_total = (int)(cap * 7 / 8);
        log_msg(LOG_WARN, "http.limits", "max_connections=%d fds=%u", max_total, fds);
    }
    s->conns = conns_new(max_total, cfg->max_connections_per_address, cfg->request_timeout,
                         cfg->trusted_proxies);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(
        flags, 0, on_accept, s, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->request_timeout, MHD_OPTION_CONNECTION_LIMIT, cap,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        1024u, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!s->d) {
        conns_free(s->conns);
        pthread_cond_destroy(&s->resumed);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return err_set(err, ERR_IO,
                       "cannot listen on %s (in use, or not an address of this machine)", listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    *out = s;
    return ERR_OK;
}

int http_server_port(const struct http_server *s)
{
    return s->port;
}

void http_server_stop(struct http_server *s)
{
    if (!s) return;
    /* MHD must not stop with a connection suspended: the deferred answer
     * first (the ballots' writer answers within a commit) */
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    while (s->deferred > 0)
        pthread_cond_wait(&s->resumed, &s->mu);
    pthread_mutex_unlock(&s->mu);
    MHD_stop_daemon(s->d); /* closes every connection: conns_closed for each */
    conns_free(s->conns);
    pthread_cond_destroy(&s->resumed);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
