/*
 * static.c — the embedded web UI (web/ compiled in by tools/embed.c).
 *
 * Files are found by exact name in the embedded table, never on disk, so
 * no path — "..", encoded or not — can reach anything else. Responses
 * carry an ETag (content hash) and must be revalidated, so a new binary's
 * UI is picked up at once.
 */
#include "http/http.h"
#include "base/embed.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

extern const struct embed_file web_assets[];

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

#define MAX_ASSETS 128
static char etags[MAX_ASSETS][24];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void etags_init(void)
{
    for (int i = 0; i < MAX_ASSETS && web_assets[i].name; i++) {
        unsigned long long h = 1469598103934665603ull;
        for (size_t k = 0; k < web_assets[i].len; k++)
            h = (h ^ web_assets[i].data[k]) * 1099511628211ull;
        snprintf(etags[i], sizeof etags[i], "\"%016llx\"", h);
    }
}

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

int http_static(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name = strcmp(req->path, "/") == 0 ? "index.html" : req->path + 1;
    const struct embed_file *f = embed_find(web_assets, name, strlen(name));
    if (!f || strstr(name, "..")) return err_set(err, ERR_NOT_FOUND, "没有页面 %s", req->path);
    pthread_once(&etags_once, etags_init);
    const char *etag = etags[f - web_assets];
    const char *inm = http_header(req, "If-None-Match");
    resp->content_type = type_of(f->name);
    http_add_header(resp, "ETag", etag);
    http_add_header(resp, "Cache-Control", "no-cache");
    if (inm && strcmp(inm, etag) == 0) {
        resp->status = 304;
        resp->static_body = "";
        resp->static_len = 0;
        return ERR_OK;
    }
    resp->status = 200;
    resp->static_body = f->data;
    resp->static_len = f->len;
    return ERR_OK;
}
