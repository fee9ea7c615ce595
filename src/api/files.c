/*
 * files.c — uploads over HTTP: POST /api/v1/files (the raw bytes as the
 * body) answers the digest to attach them by; GET
 * /api/v1/items/{id}/files/{sha256} serves a file attached to an item the
 * caller may see (the router checked the item's scope); every file a case
 * holds is answered by api_send_case_file. The rules live in app/files.c.
 */
#include "api/api.h"
#include "app/files.h"
#include "app/items.h"
#include "io/xlsx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int api_files_upload(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct case_file f;
    int rc = files_upload(req->app, req->user, req->body.p, req->body.len, req->client, req->arena,
                          &f, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kstr(&w, "sha256", f.sha256);
    jw_kstr(&w, "type", f.type);
    jw_kint(&w, "size", (int64_t)f.size);
    jw_obj_end(&w);
    return ERR_OK;
}

/* RFC 5987 filename*: UTF-8 bytes percent-encoded but for unreserved ones. */
static const char *disposition(struct arena *a, const char *name)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "inline; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            buf_putc(&b, (char)*p);
        else
            buf_printf(&b, "%%%02X", *p);
    const char *out = arena_strdup(a, b.p);
    buf_free(&b);
    return out;
}

int api_item_file(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t id;
    struct case_full f;
    int rc = cases_parse_id(req->param[0], &id, err);
    if (!rc) rc = items_load(req->app, req->arena, id, &f, err);
    return rc ? rc : api_send_case_file(req, resp, id, req->param[1], err);
}

int api_send_case_file(struct http_req *req, struct http_resp *resp, int64_t id, const char *sha256,
                       struct err *err)
{
    struct case_file f;
    const void *data;
    int rc = cases_file(req->app, req->arena, id, sha256, &f, &data, err);
    if (!rc) api_send_file(req, resp, f.type, f.name, data, f.size);
    return rc;
}

void api_send_file(struct http_req *req, struct http_resp *resp, const char *type, const char *name,
                   const void *data, size_t size)
{
    resp->status = 200;
    resp->content_type = type;
    buf_reset(&resp->body);
    buf_add(&resp->body, data, size);
    http_add_header(resp, "Content-Disposition", disposition(req->arena, name));
}

int api_send_xlsx(struct http_resp *resp, struct xlsx_writer *xw, struct err *err)
{
    char *data;
    size_t len;
    int rc = xlsx_writer_close_to_memory(xw, &data, &len, err);
    if (rc) return rc;
    resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    buf_reset(&resp->body);
    buf_add(&resp->body, data, len);
    free(data);
    return ERR_OK;
}

int api_file_refs(struct arena *a, json_t *body, const struct file_ref **refs, size_t *n,
                  struct err *err)
{
    static const char *const fields[] = {"sha256", "name", NULL};
    *refs = NULL;
    *n = 0;
    json_t *list = json_object_get(body, "files");
    if (!list || json_is_null(list)) return ERR_OK;
    if (!json_is_array(list))
        return err_set_field(err, ERR_INVALID, "files", "files 须为 [{\"sha256\", \"name\"}…]");
    size_t count = json_array_size(list);
    if (count > FILES_PER_STEP)
        return err_set_field(err, ERR_INVALID, "files", "一次最多附 %d 个文件", FILES_PER_STEP);
    struct file_ref *out = arena_zalloc(a, (count ? count : 1) * sizeof *out);
    for (size_t i = 0; i < count; i++) {
        json_t *o = json_array_get(list, i);
        int rc;
        if (!json_is_object(o))
            return err_set_field(err, ERR_INVALID, "files", "files[%zu] 须为对象", i);
        if ((rc = jin_only(o, fields, err)) ||
            (rc = jin_str(a, o, "sha256", 64, &out[i].sha256, err)) ||
            (rc = jin_str(a, o, "name", FILE_NAME_MAX, &out[i].name, err))) {
            err_wrap(err, "files[%zu]", i);
            return rc;
        }
    }
    *refs = out;
    *n = count;
    return files_check_refs(out, count, err);
}
