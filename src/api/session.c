/*
 * session.c — signing in and out: POST/DELETE /api/v1/session and
 * GET /api/v1/me, and changing one's own password: POST /api/v1/me/password
 * (the only thing a password someone else set reaches). The session lives in an HttpOnly,
 * SameSite=Strict cookie, Secure when the request came over HTTPS (through a trusted proxy); the
 * CSRF token in the answer must accompany every unsafe request.
 */
#include "api/api.h"
#include "app/users.h"

#include <jansson.h>
#include <string.h>

/* {"user":{…},"csrf":…} for the signed-in user. */
static int write_me(struct http_req *req, struct http_resp *resp, const struct auth_user *u,
                    struct err *err)
{
    struct user_row su;
    int rc = users_by_id(req->app, req->arena, u->id, &su, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "user");
    users_write_json(&w, req->app, &su, false);
    jw_kstr_or_null(&w, "csrf", u->csrf);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_session_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"username", "password", NULL};
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    const char *username = NULL, *password = NULL;
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_str(req->arena, body, "username", 64, &username, err)))
        rc = jin_str(req->arena, body, "password", 1024, &password, err);
    if (rc) return rc;
    if (!username || !*username) return err_set_field(err, ERR_INVALID, "username", "请输入用户名");
    if (!password || !*password) return err_set_field(err, ERR_INVALID, "password", "请输入密码");
    const char *token;
    struct auth_user *u = arena_zalloc(req->arena, sizeof *u);
    if ((rc = auth_login(req->app, req->arena, username, password, req->client, &token, u, err)))
        return rc;
    if ((rc = write_me(req, resp, u, err))) return rc;
    http_add_header(resp, "Set-Cookie",
                    arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
                                 AUTH_COOKIE, token, req->secure ? "; Secure" : ""));
    return ERR_OK;
}

int api_session_delete(struct http_req *req, struct http_resp *resp, struct err *err)
{
    if (req->user->via_token)
        return err_set(err, ERR_INVALID, "访问令牌不能退出登录；请用 jiceng token revoke 吊销");
    const char *cookie = http_cookie(req, AUTH_COOKIE);
    int rc = auth_logout(req->app, req->user, cookie, req->client, err);
    if (rc) return rc;
    resp->status = 204;
    http_add_header(resp, "Set-Cookie",
                    req->secure ? AUTH_COOKIE
                        "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
                                : AUTH_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return ERR_OK;
}

int api_me(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return write_me(req, resp, req->user, err);
}

int api_me_password(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"old_password", "new_password", NULL};
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    const char *old = NULL, *new_password = NULL;
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_str(req->arena, body, "old_password", 1024, &old, err)))
        rc = jin_str(req->arena, body, "new_password", 1024, &new_password, err);
    if (rc) return rc;
    const char *keep = req->user->via_token ? NULL : http_cookie(req, AUTH_COOKIE);
    if ((rc =
             users_change_password(req->app, req->user, old, new_password, keep, req->client, err)))
        return rc;
    return write_me(req, resp, req->user, err);
}
