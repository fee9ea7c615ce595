/*
 * open311.c — Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2)
 * over 群众诉求 items, for client applications with an API key
 * (`jiceng open311 key create`):
 *
 *   GET  /open311/v2/services.json          the categories of 群众诉求
 *   GET  /open311/v2/services/{code}.json   a service's definition (no extra attributes)
 *   POST /open311/v2/requests.json          submit (form-encoded, api_key required)
 *   GET  /open311/v2/requests.json          search (api_key required here: requests
 *                                           concern residents, so they are not public)
 *   GET  /open311/v2/requests/{id}.json     one request
 *   GET  /open311/v2/tokens/{token}.json    the request a token (tracking code) stands for
 *
 * Field names and the error format ([{"code","description"}]) are the
 * standard's. service_code is the category; jurisdiction_id is the unit
 * code the request concerns (required when submitting).
 */
#include "api/api.h"
#include "app/items.h"
#include "io/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUEST_TYPE "request"
#define SEARCH_MAX   1000

static const struct wf_kind *request_type(struct http_req *req, struct err *err)
{
    const struct wf_kind *t = items_kind(req->app, REQUEST_TYPE);
    if (!t) err_setf(err, ERR_INTERNAL, NULL, "the request workflow is not installed");
    return t;
}

/* "{name}.json" → name; anything else (another format) is not served. */
static int strip_json(struct http_req *req, const char *file, const char **out, struct err *err)
{
    size_t n = strlen(file);
    if (n <= 5 || strcmp(file + n - 5, ".json") != 0)
        return err_set(err, ERR_NOT_FOUND, "only the .json format is provided");
    *out = arena_strndup(req->arena, file, n - 5);
    return ERR_OK;
}

static void write_service(struct jw *w, const char *category)
{
    jw_obj(w);
    jw_kstr(w, "service_code", category);
    jw_kstr(w, "service_name", category);
    jw_kstr(w, "description", category);
    jw_kbool(w, "metadata", false);
    jw_kstr(w, "type", "realtime");
    jw_kstr(w, "keywords", "");
    jw_kstr(w, "group", "群众诉求");
    jw_obj_end(w);
}

int api_open311_services(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct wf_kind *t = request_type(req, err);
    if (!t) return err->kind;
    struct jw w;
    http_json(resp, &w);
    jw_arr(&w);
    for (int i = 0; i < t->ncategories; i++)
        write_service(&w, t->categories[i]);
    jw_arr_end(&w);
    return ERR_OK;
}

static bool known_service(const struct wf_kind *t, const char *code)
{
    for (int i = 0; code && i < t->ncategories; i++)
        if (strcmp(t->categories[i], code) == 0) return true;
    return false;
}

int api_open311_service(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct wf_kind *t = request_type(req, err);
    const char *code;
    if (!t) return err->kind;
    int rc = strip_json(req, req->param[0], &code, err);
    if (rc) return rc;
    if (!known_service(t, code)) return err_set(err, ERR_NOT_FOUND, "no service %s", code);
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "service_code", code);
    jw_key(&w, "attributes");
    jw_arr(&w);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* A request as the standard describes it. */
static void write_request(struct jw *w, struct http_req *req, const struct case_row *it)
{
    const struct wf_kind *t = items_kind(req->app, it->kind);
    int s = t ? wf_state_index(t, it->state) : -1;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)it->id);
    jw_obj(w);
    jw_kstr(w, "service_request_id", id);
    jw_kstr(w, "status", it->final ? "closed" : "open");
    jw_kstr(w, "status_notes", s >= 0 ? t->states[s].label : it->state);
    jw_kstr(w, "service_name", it->category);
    jw_kstr(w, "service_code", it->category);
    /* public: personal numbers in the text are masked (api_view) */
    api_ktext(w, "description", it->description[0] ? it->description : it->title, API_VIEW_PUBLIC);
    uint32_t u = tree_find(req->tree, it->owner_unit, strlen(it->owner_unit));
    jw_kstr_or_null(w, "agency_responsible", u == TREE_NONE ? NULL : tree_name(req->tree, u));
    jw_knull(w, "service_notice");
    jw_kstr(w, "requested_datetime", it->created_at);
    jw_kstr(w, "updated_datetime", it->updated_at);
    jw_kstr_or_null(w, "expected_datetime", it->deadline[0] ? it->deadline : NULL);
    /* A location is either "lat,long" (stored by the submit below) or an address. */
    char *end;
    double lat = strtod(it->location, &end), lon = 0;
    bool point = end != it->location && *end == ',';
    if (point) {
        const char *second = end + 1;
        lon = strtod(second, &end);
        point = end != second && *end == '\0';
    }
    api_ktext(w, "address", point || !it->location[0] ? NULL : it->location, API_VIEW_PUBLIC);
    jw_kstr(w, "address_id", it->unit);
    jw_knull(w, "zipcode");
    if (point) {
        jw_knum(w, "lat", lat);
        jw_knum(w, "long", lon);
    } else {
        jw_knull(w, "lat");
        jw_knull(w, "long");
    }
    jw_knull(w, "media_url");
    jw_obj_end(w);
}

static int need_key(struct http_req *req, const char *key, const char **client, struct err *err)
{
    return open311_key_check(req->app, req->arena, key, client, err);
}

/* Reads a coordinate in range; *has false when absent. */
static int coordinate(const char *text, const char *name, double lo, double hi, bool *has,
                      double *out, struct err *err)
{
    *has = text != NULL;
    if (!text) return ERR_OK;
    char *end;
    *out = strtod(text, &end);
    if (!*text || *end || *out < lo || *out > hi)
        return err_set_field(err, ERR_INVALID, name, "%s must be a number from %g to %g", name, lo,
                             hi);
    return ERR_OK;
}

int api_open311_submit(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct wf_kind *t = request_type(req, err);
    if (!t) return err->kind;
    const char *body = req->body.p ? req->body.p : "";
    size_t len = req->body.len;
    const char *key, *service, *jurisdiction, *lat_text, *long_text, *address, *description, *email,
        *phone, *first, *last, *client;
    struct arena *a = req->arena;
    int rc = form_get(body, len, "api_key", 128, a, &key, err);
    if (!rc) rc = need_key(req, key, &client, err);
    if (!rc) rc = form_get(body, len, "service_code", 64, a, &service, err);
    if (!rc) rc = form_get(body, len, "jurisdiction_id", 32, a, &jurisdiction, err);
    if (!rc) rc = form_get(body, len, "lat", 32, a, &lat_text, err);
    if (!rc) rc = form_get(body, len, "long", 32, a, &long_text, err);
    if (!rc) rc = form_get(body, len, "address_string", 200, a, &address, err);
    if (!rc) rc = form_get(body, len, "description", ITEM_TEXT_MAX, a, &description, err);
    if (!rc) rc = form_get(body, len, "email", 100, a, &email, err);
    if (!rc) rc = form_get(body, len, "phone", 32, a, &phone, err);
    if (!rc) rc = form_get(body, len, "first_name", 50, a, &first, err);
    if (!rc) rc = form_get(body, len, "last_name", 50, a, &last, err);
    if (rc) return rc;
    if (!service)
        return err_set_field(err, ERR_INVALID, "service_code", "service_code is required");
    if (!known_service(t, service))
        return err_set_field(err, ERR_INVALID, "service_code", "unknown service_code %s", service);
    if (!jurisdiction)
        return err_set_field(err, ERR_INVALID, "jurisdiction_id",
                             "jurisdiction_id (the division code of the unit) is required");
    bool has_lat, has_long;
    double lat = 0, lon = 0;
    if ((rc = coordinate(lat_text, "lat", -90, 90, &has_lat, &lat, err)) ||
        (rc = coordinate(long_text, "long", -180, 180, &has_long, &lon, err)))
        return rc;
    if (has_lat != has_long)
        return err_set_field(err, ERR_INVALID, "lat", "lat and long must be given together");
    if (!has_lat && (!address || !address[0]))
        return err_set_field(err, ERR_INVALID, "address_string",
                             "a location is required: lat and long, or address_string");
    const char *title = description && description[0] ? description : service;
    size_t tl = strlen(title);
    struct item_input in = {
        .type = REQUEST_TYPE,
        .title = tl > 60 ? arena_printf(a, "%.60s…", title) : title,
        .description = description,
        .unit = jurisdiction,
        .category = service,
        .location = has_lat ? arena_printf(a, "%.6f,%.6f", lat, lon) : address,
        .immediate = -1,
        .contact = phone || email
                       ? arena_printf(a, "%s %s %s %s", first ? first : "", last ? last : "",
                                      phone ? phone : "", email ? email : "")
                       : NULL,
    };
    if (tl > 60) { /* cut at a character boundary */
        char *cut = (char *)in.title;
        size_t n = 60;
        while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
            n--;
        memcpy(cut, title, n);
        snprintf(cut + n, 4, "…");
    }
    /* The client application submits for a resident: no rights of its own. */
    struct auth_user submitter = {.name = arena_printf(a, "open311:%s", client),
                                  .display_name = client,
                                  .role = "",
                                  .scope = "",
                                  .perms = (const char *const[]){NULL}};
    struct case_row it;
    if ((rc = items_create(req->app, &submitter, &in, req->client, a, &it, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_arr(&w);
    jw_obj(&w);
    jw_kstr(&w, "service_request_id", arena_printf(a, "%lld", (long long)it.id));
    jw_kstr(&w, "token", it.tracking_code);
    jw_kstr(&w, "service_notice", "已受理登记，可凭查询码查看办理进度");
    jw_knull(&w, "account_id");
    jw_obj_end(&w);
    jw_arr_end(&w);
    return ERR_OK;
}

struct search_ctx {
    struct jw *w;
    struct http_req *req;
    const char *service, *status, *start, *end;
    const char *const *ids;
    int nids, n;
};

static int search_one(void *ctx, const struct case_row *it)
{
    struct search_ctx *c = ctx;
    if (c->service && strcmp(it->category, c->service) != 0) return 0;
    if (c->status && strcmp(c->status, it->final ? "closed" : "open") != 0) return 0;
    if (c->start && strcmp(it->created_at, c->start) < 0) return 0;
    if (c->end && strcmp(it->created_at, c->end) > 0) return 0;
    if (c->nids) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)it->id);
        int k = 0;
        while (k < c->nids && strcmp(c->ids[k], id) != 0)
            k++;
        if (k == c->nids) return 0;
    }
    write_request(c->w, c->req, it);
    return ++c->n >= SEARCH_MAX;
}

int api_open311_search(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *key, *client, *ids_text, *jurisdiction;
    struct search_ctx c = {.req = req};
    int rc = http_query_text(req, "api_key", 128, &key, err);
    if (!rc) rc = need_key(req, key, &client, err);
    if (!rc) rc = http_query_text(req, "service_request_id", 4000, &ids_text, err);
    if (!rc) rc = http_query_text(req, "service_code", 64, &c.service, err);
    if (!rc) rc = http_query_text(req, "status", 16, &c.status, err);
    if (!rc) rc = http_query_text(req, "start_date", 40, &c.start, err);
    if (!rc) rc = http_query_text(req, "end_date", 40, &c.end, err);
    if (!rc) rc = http_query_text(req, "jurisdiction_id", 32, &jurisdiction, err);
    if (rc) return rc;
    if (c.status && strcmp(c.status, "open") != 0 && strcmp(c.status, "closed") != 0)
        return err_set_field(err, ERR_INVALID, "status", "status must be open or closed");
    if (ids_text) { /* a comma-separated list */
        char *copy = arena_strdup(req->arena, ids_text);
        const char **ids = arena_alloc(req->arena, (strlen(copy) / 2 + 2) * sizeof *ids);
        for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save))
            ids[c.nids++] = tok;
        c.ids = ids;
    }
    const char *kinds;
    if ((rc = items_kinds(req->app, REQUEST_TYPE, &kinds, err))) return rc;
    struct case_filter f = {
        .scope = jurisdiction ? jurisdiction : "", .kinds = kinds, .limit = 1000000};
    struct jw w;
    http_json(resp, &w);
    jw_arr(&w);
    c.w = &w;
    if ((rc = cases_list(req->app, &f, search_one, &c, err)) < 0) return rc;
    jw_arr_end(&w);
    return ERR_OK;
}

int api_open311_request(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *key, *client, *id_text;
    int rc = http_query_text(req, "api_key", 128, &key, err);
    if (!rc) rc = need_key(req, key, &client, err);
    if (!rc) rc = strip_json(req, req->param[0], &id_text, err);
    if (rc) return rc;
    int64_t id;
    struct case_full it;
    if (cases_parse_id(id_text, &id, err))
        return err_set(err, ERR_NOT_FOUND, "no service request %s", id_text);
    rc = items_load(req->app, req->arena, id, &it, err);
    if (rc == ERR_NOT_FOUND || (!rc && strcmp(it.c.kind, REQUEST_TYPE) != 0))
        return err_set(err, ERR_NOT_FOUND, "no service request %s", id_text);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_arr(&w);
    write_request(&w, req, &it.c);
    jw_arr_end(&w);
    return ERR_OK;
}

int api_open311_token(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *key, *client, *token;
    int rc = http_query_text(req, "api_key", 128, &key, err);
    if (!rc) rc = need_key(req, key, &client, err);
    if (!rc) rc = strip_json(req, req->param[0], &token, err);
    if (rc) return rc;
    struct case_full it;
    if ((rc = items_by_code(req->app, req->arena, token, &it, err)) == ERR_NOT_FOUND)
        return err_set(err, ERR_NOT_FOUND, "no service request for token %s", token);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_arr(&w);
    jw_obj(&w);
    jw_kstr(&w, "service_request_id", arena_printf(req->arena, "%lld", (long long)it.c.id));
    jw_kstr(&w, "token", token);
    jw_obj_end(&w);
    jw_arr_end(&w);
    return ERR_OK;
}
