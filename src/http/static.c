/*
 * static.c — the embedded web UI (web/ compiled in by tools/embed.c).
 *
 * Files are found by exact name in the embedded table, never on disk, so
 * no path — "..", encoded or not — can reach anything else.
 *
 * Caching: the build gives the whole set a version (a hash of every file)
 * and index.html names its assets under it, /v/VERSION/app.js; modules
 * import each other relatively, so everything the page loads lives under
 * that prefix. Those answers are `public, max-age=31536000, immutable`: a
 * new binary has a new version, hence new addresses. index.html itself,
 * the bare names (/app.js) and an address under another version (a page
 * still open from before an upgrade) must be revalidated: `no-cache` with
 * an ETag (the content's hash), answered 304 when If-None-Match has it.
 *
 * Compression: files the build stored gzipped are sent as such, with
 * `Content-Encoding: gzip`, to clients whose Accept-Encoding takes gzip,
 * and as they are to the others; `Vary: Accept-Encoding` either way, and
 * each form has its own ETag.
 */
#include "http/http.h"
#include "base/embed.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const struct embed_file web_assets[];
extern const char web_assets_version[];

#define VERSION_PREFIX "/v/"
#define IMMUTABLE      "public, max-age=31536000, immutable"

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".webmanifest", "application/manifest+json"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

/* Whether Accept-Encoding takes gzip: "gzip" (or "x-gzip"), or "*" when
 * gzip is not named, with a q-value above 0 ("gzip;q=0" refuses it). */
static bool accepts_gzip(const char *ae)
{
    if (!ae) return false;
    int gzip = -1, star = -1; /* -1 not named, 0 refused, 1 accepted */
    const char *p = ae;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t n = (size_t)(p - tok);
        int ok = 1;
        while (*p && *p != ',') { /* parameters: only q matters */
            if (*p == ';') {
                p++;
                while (*p == ' ' || *p == '\t')
                    p++;
                if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') ok = strtod(p + 2, NULL) > 0;
                continue;
            }
            p++;
        }
        if ((n == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
            (n == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
            gzip = ok;
        else if (n == 1 && *tok == '*')
            star = ok;
    }
    return gzip == 1 || (gzip == -1 && star == 1);
}

/* Whether If-None-Match ("a", W/"b", or *) matches etag (weak comparison,
 * as RFC 9110 asks for If-None-Match). */
static bool none_match(const char *inm, const char *etag)
{
    if (!inm) return false;
    size_t el = strlen(etag);
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*') return true;
        if (strncmp(p, "W/", 2) == 0) p += 2;
        const char *end = p;
        if (*end == '"') {
            end = strchr(end + 1, '"');
            end = end ? end + 1 : p + strlen(p);
        } else {
            while (*end && *end != ',')
                end++;
        }
        if ((size_t)(end - p) == el && strncmp(p, etag, el) == 0) return true;
        p = end;
        while (*p && *p != ',')
            p++;
    }
    return false;
}

int http_static(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name = req->path;
    bool current = false; /* under this build's version: cached for ever */
    if (strncmp(name, VERSION_PREFIX, strlen(VERSION_PREFIX)) == 0) {
        const char *v = name + strlen(VERSION_PREFIX), *slash = strchr(v, '/');
        if (!slash) return err_set(err, ERR_NOT_FOUND, "没有页面 %s", req->path);
        current = (size_t)(slash - v) == strlen(web_assets_version) &&
                  strncmp(v, web_assets_version, (size_t)(slash - v)) == 0;
        name = slash;
    }
    name = strcmp(name, "/") == 0 ? "index.html" : name + 1;
    const struct embed_file *f = embed_find(web_assets, name, strlen(name));
    if (!f || strstr(name, "..")) return err_set(err, ERR_NOT_FOUND, "没有页面 %s", req->path);
    bool gz = f->gz && accepts_gzip(http_header(req, "Accept-Encoding"));
    /* The content's hash (tools/embed.c), one ETag per form. */
    char *etag = arena_alloc(req->arena, 24);
    snprintf(etag, 24, "\"%016llx%s\"", f->hash, gz ? "-gz" : "");
    resp->content_type = type_of(f->name);
    http_add_header(resp, "ETag", etag);
    http_add_header(resp, "Cache-Control",
                    current && strcmp(name, "index.html") != 0 ? IMMUTABLE : "no-cache");
    if (f->gz) http_add_header(resp, "Vary", "Accept-Encoding");
    if (none_match(http_header(req, "If-None-Match"), etag)) {
        resp->status = 304;
        resp->static_body = "";
        resp->static_len = 0;
        return ERR_OK;
    }
    if (gz) http_add_header(resp, "Content-Encoding", "gzip");
    resp->status = 200;
    resp->static_body = gz ? f->gz : f->data;
    resp->static_len = gz ? f->gz_len : f->len;
    return ERR_OK;
}
