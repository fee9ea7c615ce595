/*
 * openapi.c — GET /api/v1/openapi.json: the API described as an OpenAPI
 * 3.1 document, built once from two sources that cannot drift apart:
 *
 *   - the route table (api/routes.c) gives every path, method, permission
 *     (x-permission), scope (x-scope) and whether a login is needed;
 *   - the files of openapi/ (embedded at build time, like kinds/ and schemes/)
 *     give what a route's last field names, "FAMILY.OPERATION": the
 *     operation in openapi/FAMILY.json with its summary, parameters,
 *     request body and responses, and the schemas they refer to.
 *
 * openapi/document.json is the frame (info, servers, security schemes);
 * every other file is one resource family:
 *
 *   {"tag": {"name", "description"},
 *    "schemas": {…}, "parameters": {…}, "responses": {…},   → components
 *    "errors_ref": "Error",           the responses 4xx statuses refer to
 *    "operations": {"NAME": {OpenAPI operation, plus "errors": [400, 409]}}}
 *
 * The builder adds what the table knows: the path parameters the pattern
 * has and the operation does not describe, 401 for routes needing a login,
 * 403 for a permission or a write (CSRF), 404 for a unit or record in the
 * path or query, 400/413/415 for a JSON body, and a default error response;
 * each refers to the family's `errors_ref` + status (#/components/responses/
 * Error404). Whatever does not fit — a route without an operation, an
 * operation no route uses, a $ref to nothing, a name given twice — is a
 * problem: the document is still served, the problem logged once, and
 * tests/unit/test_openapi.c fails on any (tests/api/openapi.test.js also
 * checks real answers against the schemas).
 */
#include "api/api.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/mem.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct embed_file openapi_defs[];

#define FRAME "document.json"

__attribute__((format(printf, 2, 3))) static void problem(struct buf *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(p, fmt, ap);
    va_end(ap);
    buf_putc(p, '\n');
}

/* o[key] as an object, created when absent. */
static json_t *member_object(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_object(v)) {
        v = json_object();
        json_object_set_new(o, key, v);
    }
    return v;
}

static const char *const method_names[] = {"",    "get",   "head",   "post",
                                           "put", "patch", "delete", "options"};
static const char *const scope_names[] = {"none",  "path",  "query",      "user",      "body",
                                          "items", "item",  "person",     "household", "org",
                                          "case",  "event", "evaluation", "contest"};
_Static_assert(sizeof scope_names / sizeof scope_names[0] == HTTP_SCOPE_COUNT, "a name per scope");

/* ---- $ref resolution ---- */

/* The value a local reference ("#/components/schemas/Unit") points at, or NULL. */
static json_t *resolve(json_t *doc, const char *ref)
{
    if (strncmp(ref, "#/", 2) != 0) return NULL;
    json_t *at = doc;
    const char *p = ref + 2;
    char seg[256];
    while (at && *p) {
        size_t n = 0;
        for (; *p && *p != '/'; p++) {
            if (n + 1 >= sizeof seg) return NULL;
            if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
                seg[n++] = p[1] == '0' ? '~' : '/';
                p++;
            } else {
                seg[n++] = *p;
            }
        }
        seg[n] = '\0';
        if (*p == '/') p++;
        if (json_is_object(at)) {
            at = json_object_get(at, seg);
        } else if (json_is_array(at)) {
            char *end;
            long i = strtol(seg, &end, 10);
            at = *end || !n ? NULL : json_array_get(at, (size_t)i);
        } else {
            at = NULL;
        }
    }
    return at;
}

/* Every "$ref" in v resolves inside doc. */
static void check_refs(json_t *doc, json_t *v, struct buf *p)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            check_refs(doc, x, p);
        }
        return;
    }
    if (!json_is_object(v)) return;
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x)
    {
        if (strcmp(key, "$ref") == 0 && json_is_string(x)) {
            if (!resolve(doc, json_string_value(x)))
                problem(p, "$ref %s points at nothing", json_string_value(x));
        } else {
            check_refs(doc, x, p);
        }
    }
}

/* ---- families ---- */

/* Merges a family's components into the document's, refusing a name given twice. */
static void merge_components(json_t *components, json_t *family, const char *file, struct buf *p)
{
    static const char *const kinds[] = {"schemas", "parameters", "responses"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        json_t *from = json_object_get(family, kinds[k]), *v;
        const char *name;
        if (!from) continue;
        if (!json_is_object(from)) {
            problem(p, "openapi/%s: %s must be an object", file, kinds[k]);
            continue;
        }
        json_t *to = member_object(components, kinds[k]);
        json_object_foreach(from, name, v)
        {
            if (json_object_get(to, name))
                problem(p, "openapi/%s: %s %s is defined twice", file, kinds[k], name);
            else
                json_object_set(to, name, v);
        }
    }
}

static void check_family_keys(json_t *family, const char *file, struct buf *p)
{
    static const char *const known[] = {"tag",       "schemas",    "parameters",
                                        "responses", "errors_ref", "operations"};
    const char *key;
    json_t *v;
    json_object_foreach(family, key, v)
    {
        size_t k = 0;
        while (k < sizeof known / sizeof known[0] && strcmp(known[k], key) != 0)
            k++;
        if (k == sizeof known / sizeof known[0])
            problem(p, "openapi/%s: unknown member %s", file, key);
    }
}

/* ---- operations ---- */

/* A parameter, or the one its $ref names (NULL for none). */
static json_t *parameter(json_t *doc, json_t *x)
{
    const char *ref = json_string_value(json_object_get(x, "$ref"));
    return ref ? resolve(doc, ref) : x;
}

/* Adds the path parameters of the pattern the operation leaves out, and
 * notes those it describes that the pattern does not have. */
static void path_parameters(json_t *doc, json_t *op, const char *pattern, const char *name,
                            struct buf *p)
{
    json_t *params = json_object_get(op, "parameters");
    if (!json_is_array(params)) {
        params = json_array();
        json_object_set_new(op, "parameters", params);
    }
    size_t i;
    json_t *x;
    json_array_foreach(params, i, x)
    {
        x = parameter(doc, x);
        const char *in = json_string_value(json_object_get(x, "in"));
        const char *pname = json_string_value(json_object_get(x, "name"));
        if (!in || strcmp(in, "path") != 0 || !pname) continue;
        char braced[80];
        snprintf(braced, sizeof braced, "{%s}", pname);
        if (!strstr(pattern, braced))
            problem(p, "%s: path parameter %s is not in %s", name, pname, pattern);
    }
    size_t at = 0;
    for (const char *s = strchr(pattern, '{'); s; s = strchr(s + 1, '{')) {
        const char *end = strchr(s, '}');
        if (!end) break;
        char pname[64];
        snprintf(pname, sizeof pname, "%.*s", (int)(end - s - 1), s + 1);
        bool found = false;
        json_array_foreach(params, i, x)
        {
            x = parameter(doc, x);
            const char *in = json_string_value(json_object_get(x, "in"));
            const char *n = json_string_value(json_object_get(x, "name"));
            found = found || (in && n && strcmp(in, "path") == 0 && strcmp(n, pname) == 0);
        }
        if (!found)
            json_array_insert_new(params, at,
                                  json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", pname, "in", "path",
                                            "required", 1, "schema", "type", "string"));
        at++;
    }
    /* a parameter is its name and location: each once */
    json_array_foreach(params, i, x)
    {
        json_t *a = parameter(doc, x), *y;
        size_t k;
        json_array_foreach(params, k, y)
        {
            json_t *b = parameter(doc, y);
            if (k > i && a && b &&
                json_equal(json_object_get(a, "name"), json_object_get(b, "name")) &&
                json_equal(json_object_get(a, "in"), json_object_get(b, "in")))
                problem(p, "%s: parameter %s given twice", name,
                        json_string_value(json_object_get(a, "name")));
        }
    }
    if (!json_array_size(params)) json_object_del(op, "parameters");
}

static int by_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the error responses the route can give and sorts the responses by
 * status ("default" last). */
static void error_responses(json_t *op, const struct http_route *r, const char *errors_ref,
                            const char *name, struct buf *p)
{
    json_t *responses = member_object(op, "responses");
    int statuses[24], n = 0;
    json_t *listed = json_object_get(op, "errors"), *x;
    size_t i;
    if (listed && !json_is_array(listed)) problem(p, "%s: errors must be a list of statuses", name);
    json_array_foreach(listed, i, x)
    {
        if (json_is_integer(x) && json_integer_value(x) >= 400 && json_integer_value(x) < 600 &&
            n < 16)
            statuses[n++] = (int)json_integer_value(x);
        else
            problem(p, "%s: errors holds something other than a 4xx or 5xx status", name);
    }
    json_object_del(op, "errors");
    bool is_public = strcmp(r->perm, HTTP_PUBLIC) == 0;
    bool write = r->method != HTTP_GET && r->method != HTTP_HEAD;
    if (!is_public) statuses[n++] = 401;
    if (!is_public && (write || strcmp(r->perm, HTTP_LOGIN) != 0)) statuses[n++] = 403;
    if (r->scope != HTTP_SCOPE_NONE && r->scope != HTTP_SCOPE_BODY && r->scope != HTTP_SCOPE_ITEMS)
        statuses[n++] = write ? 403 : 404;
    json_t *body = json_object_get(op, "requestBody");
    if (body) {
        statuses[n++] = 413;
        if (json_object_get(json_object_get(body, "content"), "application/json")) {
            statuses[n++] = 400;
            statuses[n++] = 415;
        }
    }
    for (int k = 0; k < n; k++) {
        char status[8], ref[128];
        snprintf(status, sizeof status, "%d", statuses[k]);
        if (json_object_get(responses, status)) continue;
        snprintf(ref, sizeof ref, "#/components/responses/%s%d", errors_ref, statuses[k]);
        json_object_set_new(responses, status, json_pack("{s:s}", "$ref", ref));
    }
    if (!json_object_get(responses, "default")) {
        char ref[128];
        snprintf(ref, sizeof ref, "#/components/responses/%s", errors_ref);
        json_object_set_new(responses, "default", json_pack("{s:s}", "$ref", ref));
    }
    /* statuses in order, default last */
    size_t count = json_object_size(responses), k = 0;
    const char **keys = xcalloc(count ? count : 1, sizeof *keys);
    const char *key;
    bool success = false;
    json_object_foreach(responses, key, x)
    {
        keys[k++] = key;
        success = success || key[0] == '2';
    }
    qsort(keys, count, sizeof *keys, by_key); /* digits sort before "default" */
    json_t *sorted = json_object();
    for (k = 0; k < count; k++)
        json_object_set(sorted, keys[k], json_object_get(responses, keys[k]));
    free(keys);
    json_object_set_new(op, "responses", sorted);
    if (!success) problem(p, "%s: no 2xx response", name);
}

/* The operation for route r, or a stand-in marked x-undocumented. */
static json_t *operation(json_t *doc, json_t *families, json_t *used, const struct http_route *r,
                         struct buf *p)
{
    const char *name = r->schema;
    json_t *family = NULL, *op = NULL;
    char fam[64] = "";
    const char *dot = name ? strchr(name, '.') : NULL;
    if (!name) {
        problem(p, "%s %s: no operation named in api/routes.c", method_names[r->method],
                r->pattern);
    } else if (!dot || (size_t)(dot - name) >= sizeof fam) {
        problem(p, "%s %s: %s is not FAMILY.OPERATION", method_names[r->method], r->pattern, name);
    } else {
        snprintf(fam, sizeof fam, "%.*s", (int)(dot - name), name);
        family = json_object_get(families, fam);
        op = json_object_get(json_object_get(family, "operations"), dot + 1);
        if (!family)
            problem(p, "%s %s: no file openapi/%s.json", method_names[r->method], r->pattern, fam);
        else if (!json_is_object(op))
            problem(p, "%s %s: openapi/%s.json has no operation %s", method_names[r->method],
                    r->pattern, fam, dot + 1);
        else if (json_object_get(used, name))
            problem(p, "%s: used by two routes", name);
    }
    json_t *out;
    if (json_is_object(op)) {
        out = json_deep_copy(op);
        json_object_set_new(used, name, json_true());
    } else {
        out = json_pack("{s:s, s:b, s:{s:{s:s}}}", "summary", "（未写说明）", "x-undocumented", 1,
                        "responses", "200", "description", "undocumented");
    }
    if (!json_is_string(json_object_get(out, "summary")))
        problem(p, "%s: no summary", name ? name : r->pattern);
    if (name) json_object_set_new(out, "operationId", json_string(name));
    json_t *tag = json_object_get(json_object_get(family, "tag"), "name");
    if (json_is_string(tag) && !json_object_get(out, "tags"))
        json_object_set_new(out, "tags", json_pack("[O]", tag));
    json_object_set_new(out, "x-permission", json_string(r->perm));
    json_object_set_new(out, "x-scope", json_string(scope_names[r->scope]));
    if (strcmp(r->perm, HTTP_PUBLIC) == 0) json_object_set_new(out, "security", json_array());
    if (r->method == HTTP_GET && json_object_get(out, "requestBody"))
        problem(p, "%s: a GET with a request body", name);
    const char *label = name ? name : r->pattern;
    path_parameters(doc, out, r->pattern, label, p);
    const char *errors_ref = json_string_value(json_object_get(family, "errors_ref"));
    error_responses(out, r, errors_ref ? errors_ref : "Error", label, p);
    return out;
}

char *api_openapi_build(const struct http_route *routes, struct buf *p)
{
    json_t *doc = NULL, *families = json_object();
    for (const struct embed_file *f = openapi_defs; f->name; f++) {
        json_error_t jerr;
        json_t *j = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
        size_t n = strlen(f->name);
        if (!j) {
            problem(p, "openapi/%s:%d:%d: %s", f->name, jerr.line, jerr.column, jerr.text);
        } else if (!json_is_object(j)) {
            problem(p, "openapi/%s: not a JSON object", f->name);
            json_decref(j);
        } else if (strcmp(f->name, FRAME) == 0) {
            doc = j;
        } else if (n > 5 && strcmp(f->name + n - 5, ".json") == 0 && !strchr(f->name, '/')) {
            char fam[64];
            snprintf(fam, sizeof fam, "%.*s", (int)(n - 5), f->name);
            json_object_set_new(families, fam, j);
        } else {
            problem(p, "openapi/%s: not a family file (NAME.json)", f->name);
            json_decref(j);
        }
    }
    if (!doc) {
        problem(p, "openapi/" FRAME " is missing or broken");
        json_decref(families);
        return NULL;
    }
    json_object_set_new(member_object(doc, "info"), "version", json_string(JICENG_VERSION));
    json_t *components = member_object(doc, "components"), *tags = json_object_get(doc, "tags");
    if (!json_is_array(tags)) {
        tags = json_array();
        json_object_set_new(doc, "tags", tags);
    }
    const char *fam;
    json_t *family;
    json_object_foreach(families, fam, family)
    {
        char file[80];
        snprintf(file, sizeof file, "%s.json", fam);
        check_family_keys(family, file, p);
        merge_components(components, family, file, p);
        json_t *tag = json_object_get(family, "tag");
        if (json_is_string(json_object_get(tag, "name"))) json_array_append(tags, tag);
    }
    json_t *paths = member_object(doc, "paths"), *used = json_object();
    for (const struct http_route *r = routes; r->pattern; r++) {
        json_t *item = member_object(paths, r->pattern);
        const char *m = r->method > 0 && r->method <= HTTP_OPTIONS ? method_names[r->method] : "";
        if (!m[0] || json_object_get(item, m)) {
            problem(p, "%s: a second %s route or an unknown method", r->pattern, m);
            continue;
        }
        json_object_set_new(item, m, operation(doc, families, used, r, p));
    }
    json_object_foreach(families, fam, family)
    {
        const char *op;
        json_t *v;
        json_object_foreach(json_object_get(family, "operations"), op, v)
        {
            char name[160];
            snprintf(name, sizeof name, "%s.%s", fam, op);
            if (!json_object_get(used, name))
                problem(p, "openapi/%s.json: operation %s belongs to no route", fam, op);
        }
    }
    check_refs(doc, doc, p);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(used);
    json_decref(families);
    json_decref(doc);
    return text;
}

/* ---- serving ---- */

static struct {
    char *text;
    size_t len;
    char etag[24];
} built;
static pthread_once_t built_once = PTHREAD_ONCE_INIT;

static void build(void)
{
    struct buf p = BUF_INIT;
    built.text = api_openapi_build(api_routes, &p);
    if (p.len) { /* tests/unit/test_openapi.c lists them all */
        int lines = 0;
        for (size_t k = 0; k < p.len; k++)
            lines += p.p[k] == '\n';
        log_msg(LOG_WARN, "openapi.problems", "count=%d first=\"%.*s\"", lines,
                (int)strcspn(p.p, "\n"), p.p);
    }
    buf_free(&p);
    if (!built.text) return;
    built.len = strlen(built.text);
    unsigned long long h = 1469598103934665603ull;
    for (size_t k = 0; k < built.len; k++)
        h = (h ^ (unsigned char)built.text[k]) * 1099511628211ull;
    snprintf(built.etag, sizeof built.etag, "\"%016llx\"", h);
}

int api_openapi(struct http_req *req, struct http_resp *resp, struct err *err)
{
    pthread_once(&built_once, build);
    if (!built.text) return err_set(err, ERR_INTERNAL, "the OpenAPI document could not be built");
    /* The same for everyone and for the binary's life: cacheable. */
    http_add_header(resp, "ETag", built.etag);
    http_add_header(resp, "Cache-Control", "public, max-age=300");
    resp->content_type = "application/json; charset=utf-8";
    const char *inm = http_header(req, "If-None-Match");
    if (inm && strcmp(inm, built.etag) == 0) {
        resp->status = 304;
        resp->static_body = "";
        resp->static_len = 0;
        return ERR_OK;
    }
    resp->status = 200;
    resp->static_body = built.text;
    resp->static_len = built.len;
    return ERR_OK;
}
