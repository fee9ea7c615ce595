/*
 * users.c — user management within the caller's scope: GET/POST
 * /api/v1/users, PATCH/DELETE /api/v1/users/{name}, GET /api/v1/roles, and
 * a user's API tokens: GET /api/v1/users/{name}/tokens, DELETE
 * /api/v1/users/{name}/tokens/{id}.
 * The rules (roles no stronger than one's own, scopes inside one's own)
 * are in app/users.c; the router has already checked users:manage and
 * that the target lies inside the caller's scope.
 */
#include "api/api.h"
#include "app/users.h"
#include "io/xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 50
#define LIST_MAX     200

int api_users_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *q, *after;
    long limit;
    int rc = http_query_text(req, "q", 64, &q, err);
    if (!rc) rc = http_query_text(req, "after", USERNAME_MAX, &after, err);
    if (!rc) rc = http_query_int(req, "limit", LIST_DEFAULT, 1, LIST_MAX, &limit, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    int n;
    const char *last;
    rc = users_list_json(req->app, req->arena, &w, req->unit, q, after, (int)limit, &n, &last, err);
    if (rc) return rc;
    jw_arr_end(&w);
    /* A full page may have a next one; the cursor is the last login name. */
    jw_kstr_or_null(&w, "next", n == limit ? last : NULL);
    jw_obj_end(&w);
    return ERR_OK;
}

/* Reads the writable fields of a user from the body. */
static int read_input(struct http_req *req, bool create, struct user_input *in, struct err *err)
{
    static const char *const create_fields[] = {"username", "display_name", "password", "role",
                                                "scope",    "phone",        NULL};
    static const char *const update_fields[] = {"display_name", "password", "role", "scope",
                                                "phone",        "disabled", NULL};
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    memset(in, 0, sizeof *in);
    in->disabled = -1;
    if (!(rc = jin_only(body, create ? create_fields : update_fields, err)) &&
        !(rc = jin_str(req->arena, body, "username", 64, &in->username, err)) &&
        !(rc = jin_str(req->arena, body, "display_name", 256, &in->display_name, err)) &&
        !(rc = jin_str(req->arena, body, "password", 1024, &in->password, err)) &&
        !(rc = jin_str(req->arena, body, "role", 32, &in->role, err)) &&
        !(rc = jin_str(req->arena, body, "scope", 32, &in->scope, err)) &&
        !(rc = jin_str(req->arena, body, "phone", 32, &in->phone, err)) && !create)
        rc = jin_bool(body, "disabled", &in->disabled, err);
    return rc;
}

static void write_user(struct http_req *req, struct http_resp *resp, const struct user_row *u,
                       int status)
{
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    users_write_json(&w, req->app, u, false);
}

int api_users_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct user_input in;
    struct user_row u;
    int rc = read_input(req, true, &in, err);
    if (!rc) rc = users_create(req->app, req->user, &in, req->client, req->arena, &u, err);
    if (rc) return rc;
    write_user(req, resp, &u, 201);
    return ERR_OK;
}

int api_users_update(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct user_input in;
    struct user_row u;
    int rc = read_input(req, false, &in, err);
    if (!rc)
        rc =
            users_update(req->app, req->user, req->param[0], &in, req->client, req->arena, &u, err);
    if (rc) return rc;
    write_user(req, resp, &u, 200);
    return ERR_OK;
}

/* GET /api/v1/users/{name}[?reveal=phone]: revealing the phone number
 * needs pii:read and is itself audited, since reading personal data must
 * be as traceable as changing it. */
int api_users_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *reveal;
    int rc = http_query_text(req, "reveal", 16, &reveal, err);
    if (rc) return rc;
    if (reveal && strcmp(reveal, "phone") != 0)
        return err_set_field(err, ERR_INVALID, "reveal", "reveal 只能是 phone");
    if (reveal && !auth_has_perm(req->user, "pii:read"))
        return err_set(err, ERR_FORBIDDEN, "当前角色（%s）不能查看完整的个人信息",
                       req->user->role_name);
    struct user_row u;
    if ((rc = users_get(req->app, req->user, req->arena, req->param[0], reveal != NULL, req->client,
                        &u, err)))
        return rc;
    struct jw w;
    http_json(resp, &w);
    users_write_json(&w, req->app, &u, reveal != NULL);
    return ERR_OK;
}

/* DELETE disables: the user's name stays in the audit trail. */
int api_users_disable(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct user_input in = {.disabled = 1};
    struct user_row u;
    int rc =
        users_update(req->app, req->user, req->param[0], &in, req->client, req->arena, &u, err);
    if (rc) return rc;
    write_user(req, resp, &u, 200);
    return ERR_OK;
}

int api_user_tokens_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct jw w;
    api_items_start(resp, &w);
    int rc = users_tokens_json(req->app, req->user, req->arena, req->param[0], &w, err);
    if (rc) return rc;
    api_items_end(&w);
    return ERR_OK;
}

int api_user_token_revoke(struct http_req *req, struct http_resp *resp, struct err *err)
{
    char *end;
    errno = 0;
    long long id = strtoll(req->param[1], &end, 10);
    if (errno || *end || id <= 0 || !isdigit((unsigned char)req->param[1][0]))
        return err_set_field(err, ERR_NOT_FOUND, "id", "没有编号为 %s 的令牌", req->param[1]);
    int rc =
        users_token_revoke(req->app, req->user, req->arena, req->param[0], id, req->client, err);
    if (rc) return rc;
    resp->status = 204;
    return ERR_OK;
}

int api_roles_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (int i = 0; i < req->app->nroles; i++) {
        const struct auth_role *r = &req->app->roles[i];
        if (!auth_role_assignable(req->user, r)) continue;
        jw_obj(&w);
        jw_kstr(&w, "code", r->code);
        jw_kstr(&w, "name", r->name);
        jw_kint(&w, "rank", r->rank);
        jw_key(&w, "permissions");
        jw_arr(&w);
        for (int k = 0; r->perms[k]; k++)
            jw_str(&w, r->perms[k]);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* POST /api/v1/users/import?name=FILE with an XLSX or CSV of users as the
 * body: all rows or none; a refusal lists every refused row ("row_errors",
 * the first USERS_IMPORT_ERRORS_MAX, and "row_errors_total"), as the
 * items import does. The answer is the workbook of their one-time
 * passwords (201, X-Users-Created: how many): it exists only in this
 * answer, never in a log or the database. */
int api_users_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *name;
    int rc = http_query_text(req, "name", 200, &name, err);
    if (rc) return rc;
    if (!req->body.len)
        return err_set(err, ERR_INVALID, "请上传用户名单（XLSX 或 CSV），可先下载导入模板");
    struct user_import_row *rows;
    struct user_row_error *errors;
    size_t n, nerrors;
    rc = users_import(req->app, req->user, req->body.p, req->body.len,
                      name && *name ? name : "上传的文件", req->client, req->arena, &rows, &n,
                      &errors, &nerrors, err);
    if (rc && nerrors) { /* the error, and every refused row */
        struct jw w;
        char msg[ERR_MSG_MAX + 300];
        err_format(err, msg, sizeof msg);
        http_json(resp, &w);
        resp->status = http_status_of(rc);
        jw_obj(&w);
        jw_key(&w, "error");
        jw_obj(&w);
        jw_kstr(&w, "code", err_kind_name(rc));
        jw_kstr(&w, "message", msg);
        if (err->line > 0) jw_kint(&w, "line", err->line);
        jw_obj_end(&w);
        jw_key(&w, "row_errors");
        jw_arr(&w);
        for (size_t i = 0; i < nerrors && i < USERS_IMPORT_ERRORS_MAX; i++) {
            jw_obj(&w);
            jw_kint(&w, "line", errors[i].line);
            jw_kstr(&w, "column", errors[i].column);
            jw_kstr(&w, "message", errors[i].msg);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_kint(&w, "row_errors_total", (int64_t)nerrors);
        jw_obj_end(&w);
        return ERR_OK;
    }
    if (rc) return rc;
    char *data;
    size_t len;
    rc = users_import_sheet(rows, n, &data, &len, err);
    for (size_t k = 0; k < n; k++)
        sodium_memzero((char *)rows[k].password, strlen(rows[k].password));
    if (rc) return err_wrap(err, "用户已创建，但一次性密码表生成失败，请逐个重置密码");
    resp->status = 201;
    resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    buf_reset(&resp->body);
    buf_add(&resp->body, data, len);
    sodium_memzero(data, len);
    free(data);
    http_add_header(resp, "Content-Disposition",
                    "attachment; filename=\"one-time-passwords.xlsx\"; "
                    "filename*=UTF-8''%E4%B8%80%E6%AC%A1%E6%80%A7%E5%AF%86%E7%A0%81.xlsx");
    http_add_header(resp, "X-Users-Created", arena_printf(req->arena, "%zu", n));
    return ERR_OK;
}

/* GET /api/v1/users/import/template: the headings as an XLSX. */
int api_users_import_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)req;
    const char *const *titles;
    int n;
    users_import_template(&titles, &n);
    struct xlsx_writer *xw;
    int rc = xlsx_writer_open(NULL, "用户", &xw, err);
    if (rc) return rc;
    xlsx_write_header(xw, titles, n);
    resp->status = 200;
    http_add_header(resp, "Content-Disposition",
                    "attachment; filename=\"users-template.xlsx\"; "
                    "filename*=UTF-8''%E7%94%A8%E6%88%B7%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx");
    return api_send_xlsx(resp, xw, err);
}
