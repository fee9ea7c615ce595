/*
 * http.h — the request/response model handlers see, and the route table.
 *
 * A handler reads a struct http_req (method, path parameters, query, body,
 * the tree as of the request's start) and writes a struct http_resp, or
 * returns a negative ERR_* with err filled; the router turns that into the
 * JSON error document and the status from one table (reply.c). Everything
 * a request allocates comes from req->arena and is freed when the response
 * has been sent.
 *
 * Routes are rows of a table: method, path pattern with {name} segments,
 * the permission it needs, the handler and the operation documenting it
 * (api/openapi.c). The router checks the
 * permission before any handler runs; a route without a declared
 * permission is never served (HTTP_PUBLIC must be explicit).
 */
#ifndef JICENG_HTTP_H
#define JICENG_HTTP_H

#ifdef JICENG_LAYER_CORE
#error "http.h: core/ is pure domain logic, it includes nothing above it"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/tree.h"
#include "io/json_in.h"
#include "io/json_out.h"

enum http_method {
    HTTP_GET = 1,
    HTTP_HEAD,
    HTTP_POST,
    HTTP_PUT,
    HTTP_PATCH,
    HTTP_DELETE,
    HTTP_OPTIONS,
    HTTP_OTHER
};

#define HTTP_MAX_PARAMS 4
#define HTTP_PUBLIC     "public" /* permission of routes open to everyone */
#define HTTP_LOGIN      "login"  /* permission every signed-in user has */

struct MHD_Connection;
struct json_t;

struct http_req {
    struct MHD_Connection *conn;
    struct arena *arena;
    struct app *app;
    struct tree *tree; /* referenced for the whole request */
    int method;
    const char *path;
    const char *param[HTTP_MAX_PARAMS]; /* {name} captures in pattern order */
    int nparam;
    struct buf body;
    struct json_t
        *json;       /* the body parsed as JSON, once (http_body_json); freed with the request */
    char client[64]; /* peer address, for logs and rate limits */
    bool secure;     /* came over HTTPS (a trusted proxy's X-Forwarded-Proto) */
    const struct auth_user *user; /* NULL when anonymous */
    /* The unit the route concerns, already checked to lie inside the
     * user's scope: the {code} segment (HTTP_SCOPE_PATH) or ?unit=
     * (HTTP_SCOPE_QUERY, defaulting to the user's scope); NULL otherwise. */
    const char *unit;
    bool deferred; /* http_defer: the answer comes from http_resume */
};

struct http_resp {
    int status;
    const char *content_type;
    struct buf body;
    const char *headers[8][2];
    int nheaders;
    const void *static_body; /* when set, sent instead of body (not copied) */
    size_t static_len;
};

typedef int (*http_handler)(struct http_req *req, struct http_resp *resp, struct err *err);

/* Where a route finds the unit its permission applies to. */
enum http_scope {
    HTTP_SCOPE_NONE,      /* no unit: the permission alone decides */
    HTTP_SCOPE_PATH,      /* the first {segment} is a unit code */
    HTTP_SCOPE_QUERY,     /* ?unit=CODE, default the user's own scope */
    HTTP_SCOPE_USER,      /* the first {segment} is a login name: that user's scope unit */
    HTTP_SCOPE_BODY,      /* the JSON body's "scope" (or "unit") member, default the user's scope */
    HTTP_SCOPE_ITEMS,     /* the body is a JSON array; every item's "unit" member */
    HTTP_SCOPE_ITEM,      /* the first {segment} is a work item's id: its owner unit */
    HTTP_SCOPE_PERSON,    /* … a person's id: their home unit or a current membership's */
    HTTP_SCOPE_HOUSEHOLD, /* … a household's id: its unit */
    HTTP_SCOPE_ORG,       /* … a party organisation's id: its unit */
    HTTP_SCOPE_CASE,      /* … a case about a person's id: its owner unit, or the unit it is
                             sent to (a transfer's receiving side) */
    HTTP_SCOPE_EVENT,     /* … an event's id: its organiser's unit */
    HTTP_SCOPE_EVALUATION, /* … an evaluation campaign's id: its organiser's unit */
    HTTP_SCOPE_CONTEST,    /* … a contest's (擂台比武) id: its organiser's unit */
    HTTP_SCOPE_COUNT
};

struct http_route {
    int method;
    const char *pattern;
    const char *perm; /* HTTP_PUBLIC or a permission such as "units:read" */
    int scope;        /* enum http_scope */
    http_handler fn;
    /* The operation describing it in the OpenAPI document (api/openapi.c):
     * "FAMILY.OPERATION", an entry of openapi/FAMILY.json's "operations". */
    const char *schema;
};

/* The API's route table (api/routes.c), ending with a zeroed row. */
extern const struct http_route api_routes[];

/* Query parameter (decoded), or NULL when absent. */
const char *http_query(struct http_req *req, const char *name);
/* Cookie value, or NULL. */
const char *http_cookie(struct http_req *req, const char *name);
/* Request header, or NULL. */
const char *http_header(struct http_req *req, const char *name);
/* Reads an optional integer parameter within [lo, hi]; def if absent. */
int http_query_int(struct http_req *req, const char *name, long def, long lo, long hi, long *out,
                   struct err *err);
/* Reads an optional text parameter: valid UTF-8, at most max bytes.
 * *out is NULL when absent. */
int http_query_text(struct http_req *req, const char *name, size_t max, const char **out,
                    struct err *err);

/* Starts a 200 JSON response and returns a writer into its body. */
void http_json(struct http_resp *resp, struct jw *w);
/* Answers 201 with {"id": id}: a record created. Returns ERR_OK. */
int http_created_id(struct http_resp *resp, int64_t id);
void http_add_header(struct http_resp *resp, const char *name, const char *value);

/* Status code for an ERR_* kind. */
int http_status_of(int kind);

/* The body as a JSON object (jansson), parsed once per request: the router
 * (scope from the body) and the handler see the same document, which the
 * request owns (never json_decref it). ERR_UNSUPPORTED unless the content
 * type is JSON, ERR_INVALID with the position for bad JSON. */
int http_body_json(struct http_req *req, struct json_t **out, struct err *err);
/* The body as a JSON array (each element is the caller's to check). */
int http_body_json_array(struct http_req *req, struct json_t **out, struct err *err);
/* Dispatches a complete request: route, permission, handler, error
 * document. Called by the server for every request. */
void http_dispatch(struct http_req *req, struct http_resp *resp);

/* Answering later, so that a worker thread serves its other connections
 * while this request waits (a ballot for its group commit). A handler
 * calls http_defer and, when it returns true, returns ERR_OK without an
 * answer; exactly one http_resume(req, resp, rc, err) then answers, from
 * any thread: resp filled when rc is ERR_OK, else the error document is
 * written from err. The request lives until then. false: the server
 * cannot wait now (it is stopping, or there is none); answer as usual. */
bool http_defer(struct http_req *req);
void http_resume(struct http_req *req, struct http_resp *resp, int rc, const struct err *err);
/* What http_dispatch does after a handler: the error document for rc < 0,
 * the headers every API answer carries. */
void http_finish(struct http_req *req, struct http_resp *resp, int rc, const struct err *err);

/* Whether the response already carries a header (case-insensitive name). */
bool http_has_header(const struct http_resp *resp, const char *name);

/* Serves the embedded web UI; ERR_NOT_FOUND for unknown files. */
int http_static(struct http_req *req, struct http_resp *resp, struct err *err);

struct http_server;
/* Starts serving on `listen` (host:port; port 0 picks a free port). */
int http_server_start(struct app *app, const char *listen, int threads, struct http_server **out,
                      struct err *err);
/* The bound port (useful after port 0). */
int http_server_port(const struct http_server *s);
void http_server_stop(struct http_server *s);

#endif
