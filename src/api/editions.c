/*
 * editions.c — division changes (区划调整) over HTTP: the editions applied
 * and the edition folders on the server, and one endpoint that compares an
 * edition with the tree (dry_run) or applies it with its map. Parsing only;
 * app/units_import.h does the work.
 */
#include "api/api.h"
#include "app/units_import.h"
#include "base/utf8.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int api_editions_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    int rc = units_editions_json(req->app, &w, err);
    jw_key(&w, "folders");
    units_edition_folders_json(req->app, &w);
    jw_obj_end(&w);
    return rc;
}

/* The uploaded CSV text as a file the import reads (a folder of its own,
 * so that messages name "上传文件.csv"); removed by the caller. */
static int upload_file(struct http_req *req, const char *csv, char dir[64], char path[96],
                       struct err *err)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, 64, "%s/jiceng-edition-XXXXXX", tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    if (!mkdtemp(dir)) return err_set(err, ERR_IO, "cannot create a temporary folder");
    snprintf(path, 96, "%s/上传文件.csv", dir);
    FILE *f = fopen(path, "wb");
    size_t n = strlen(csv);
    bool ok = f && fwrite(csv, 1, n, f) == n;
    if (f && fclose(f) != 0) ok = false;
    (void)req;
    return ok ? ERR_OK : err_set(err, ERR_IO, "cannot write a temporary file");
}

/* A member holding a file's text: lines allowed, valid UTF-8, ≤ max bytes. */
static int text_member(json_t *body, const char *key, size_t max, const char **out, struct err *err)
{
    json_t *v = json_object_get(body, key);
    *out = NULL;
    if (!v || json_is_null(v)) return ERR_OK;
    if (!json_is_string(v)) return err_set_field(err, ERR_INVALID, key, "%s 须为文本", key);
    size_t n = json_string_length(v);
    if (n > max) return err_set_field(err, ERR_TOO_LARGE, key, "%s 超过 %zu 字节", key, max);
    const char *s = json_string_value(v);
    if (strlen(s) != n || !utf8_valid(s, n, NULL))
        return err_set_field(err, ERR_INVALID, key, "%s 不是合法的 UTF-8 文本", key);
    *out = s;
    return ERR_OK;
}

int api_editions_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"folder", "csv", "map", "date", "dry_run", NULL};
    json_t *body = NULL;
    const char *folder = NULL, *csv = NULL, *map = NULL, *date = NULL;
    int dry_run = 1;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "folder", 64, &folder, err);
    if (!rc) rc = text_member(body, "csv", IMPORT_MAX_FILE_BYTES, &csv, err);
    if (!rc) rc = text_member(body, "map", EDITION_MAP_MAX, &map, err);
    if (!rc) rc = jin_str(req->arena, body, "date", 10, &date, err);
    if (!rc) rc = jin_bool(body, "dry_run", &dry_run, err);
    if (rc) return rc;
    if (!folder == !csv)
        return err_set_field(
            err, ERR_INVALID, "folder",
            "请给出区划文件：上传的 csv，或服务器 editions/ 下的文件夹 folder（二选一）");
    struct import_file files[16];
    char paths[16][CONFIG_PATH_MAX + 32], dir[64] = "", upload[96] = "";
    size_t nfiles = 0;
    if (folder) {
        rc = units_edition_folder(req->app, folder, files, &nfiles, paths, 16, err);
    } else if (!(rc = upload_file(req, csv, dir, upload, err))) {
        files[0] = (struct import_file){upload, NULL};
        nfiles = 1;
    }
    struct edition_diff *d = NULL;
    if (!rc) {
        struct edition_opts o = {.dry_run = dry_run != 0,
                                 .date = date && date[0] ? date : NULL,
                                 .map_text = map,
                                 .map_len = map ? strlen(map) : 0,
                                 .source = folder ? folder : "上传文件.csv",
                                 .actor = req->user,
                                 .client = req->client};
        rc = units_edition(req->app, files, nfiles, &o, &d, NULL, NULL, err);
    }
    if (upload[0]) unlink(upload);
    if (dir[0]) rmdir(dir);
    if (!rc) {
        struct jw w;
        http_json(resp, &w);
        edition_diff_json(d, &w, 0);
    }
    edition_diff_free(d);
    return rc;
}

int api_unit_history(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *code = req->param[0];
    int rc = unit_code_check(code, strlen(code), err);
    if (rc < 0) {
        snprintf(err->field, sizeof err->field, "code");
        return rc;
    }
    if (tree_find_any(req->tree, code, strlen(code)) == TREE_NONE)
        return err_set_field(err, ERR_NOT_FOUND, "code", "没有代码为 %s 的单位", code);
    struct jw w;
    http_json(resp, &w);
    return units_history_json(req->app, code, &w, err);
}
