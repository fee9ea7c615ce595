/* users.c — creating and changing users (users.h). */
#include "app/users.h"
#include "app/users_int.h"
#include "app/audit.h"
#include "base/utf8.h"
#include "core/pii.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int users_scope_of(struct app *app, struct arena *a, const char *username, const char **scope,
                   struct err *err)
{
    struct user_row u;
    struct db *db = store_acquire(app->store);
    int rc = store_user_get(db, a, username, &u, err);
    store_release(app->store, db);
    if (!rc) *scope = u.scope;
    return rc;
}

int users_check_username(const char *s, struct err *err)
{
    size_t n = strlen(s);
    bool ok = n >= 3 && n <= USERNAME_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             (i > 0 && (c == '_' || c == '.' || c == '-'));
    }
    if (!ok)
        return err_set_field(err, ERR_INVALID, "username",
                             "登录名须为 3–%d 个小写字母、数字或 _ . -，并以字母或数字开头",
                             USERNAME_MAX);
    /* Names the system writes for who acted without an account (api/public.c, cli). */
    if (strcmp(s, "resident") == 0 || strcmp(s, AUTH_CLI_NAME) == 0 ||
        strcmp(s, AUTH_SYSTEM_NAME) == 0)
        return err_set_field(err, ERR_INVALID, "username", "登录名 %s 保留给系统使用", s);
    return ERR_OK;
}

static int check_display_name(const char *s, struct err *err)
{
    size_t n = strlen(s);
    if (!n || !utf8_valid(s, n, NULL) || utf8_has_control(s, n) ||
        utf8_chars(s, n) > DISPLAY_NAME_MAX)
        return err_set_field(err, ERR_INVALID, "display_name", "姓名须为 1–%d 个字符",
                             DISPLAY_NAME_MAX);
    return ERR_OK;
}

/* The role must exist and be within the actor's power. */
static int check_role(struct app *app, const struct auth_user *actor, const char *code,
                      struct err *err)
{
    const struct auth_role *r = auth_role(app, code);
    if (!r) return err_set_field(err, ERR_INVALID, "role", "没有角色 %s", code);
    if (!auth_role_assignable(actor, r))
        return err_set_field(err, ERR_FORBIDDEN, "role", "不能授予比自己权限更高的角色（%s）",
                             r->name);
    return ERR_OK;
}

/* The scope must be an existing unit inside the actor's own subtree; ""
 * (the whole tree) only from someone who has the whole tree. */
static int check_scope(struct app *app, const struct auth_user *actor, const char *code,
                       struct err *err)
{
    const char *own = actor->scope;
    if (!auth_in_scope(own, code))
        return err_set_field(err, ERR_FORBIDDEN, "scope", "管辖范围 %s 超出了您自己的管辖范围",
                             code[0] ? code : "全国");
    if (!code[0]) return ERR_OK;
    struct tree *t = app_tree(app);
    bool found = tree_find(t, code, strlen(code)) != TREE_NONE;
    tree_unref(t);
    if (!found) return err_set_field(err, ERR_INVALID, "scope", "没有代码为 %s 的单位", code);
    return ERR_OK;
}

/* Normalises, seals and hashes a phone number ("" removes it). */
static int set_phone(struct app *app, struct arena *a, const char *phone, struct user_row *u,
                     struct err *err)
{
    if (!phone[0]) {
        u->phone_sealed = u->phone_hash = NULL;
        return ERR_OK;
    }
    char norm[PII_PHONE_LEN + 1], hash[SEAL_HASH_HEX];
    int rc = pii_phone_normalize(phone, strlen(phone), norm, err);
    if (rc) {
        snprintf(err->field, sizeof err->field, "phone");
        return rc;
    }
    char *sealed;
    if ((rc = seal_encrypt(&app->seal, norm, strlen(norm), &sealed, err))) return rc;
    seal_lookup_hash(&app->seal, norm, strlen(norm), hash);
    u->phone_sealed = arena_strdup(a, sealed);
    u->phone_hash = arena_strdup(a, hash);
    free(sealed);
    return ERR_OK;
}

/* Applies the fields of `in` that are set, checking each (users_int.h). */
int users_apply(struct app *app, const struct auth_user *actor, const struct user_input *in,
                struct arena *a, struct user_row *u, bool *logout, struct err *err)
{
    int rc;
    if (in->display_name) {
        if ((rc = check_display_name(in->display_name, err))) return rc;
        u->display_name = in->display_name;
    }
    if (in->role && (!u->role || strcmp(in->role, u->role) != 0)) {
        if ((rc = check_role(app, actor, in->role, err))) return rc;
        u->role = in->role;
        *logout = true;
    }
    if (in->scope && (!u->scope || strcmp(in->scope, u->scope) != 0)) {
        if ((rc = check_scope(app, actor, in->scope, err))) return rc;
        u->scope = in->scope;
        *logout = true;
    }
    if (in->password) {
        char hash[128];
        if ((rc = auth_password_hash(u->username, in->password, hash, err))) return rc;
        u->password_hash = arena_strdup(a, hash);
        /* Someone else's choice must be changed at the next sign-in. */
        u->must_change_password = !in->own_password && (!u->id || actor->id != u->id);
        *logout = true;
    }
    if (in->phone && (rc = set_phone(app, a, in->phone, u, err))) return rc;
    if (in->disabled >= 0 && in->disabled != u->disabled) {
        u->disabled = in->disabled;
        *logout = *logout || u->disabled;
    }
    return ERR_OK;
}

const char *users_image(struct app *app, struct arena *a, const struct user_row *u)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    users_write_json(&w, app, u, false);
    const char *s = audit_user_image(app, a, b.p, u->password_hash); /* + "password" */
    buf_free(&b);
    return s;
}

int users_moved(struct app *app, struct db *db, struct arena *a, const char *username,
                const char *actor, const char *client, int64_t *uid, struct err *err)
{
    struct user_row u;
    int rc = store_user_get(db, a, username, &u, err);
    if (rc) return rc;
    struct audit_entry e = {.user = actor,
                            .action = "user.move",
                            .entity = arena_printf(a, "user:%s", u.username),
                            .unit = u.scope[0] ? u.scope : NULL,
                            .after = users_image(app, a, &u),
                            .client = client};
    *uid = u.id;
    rc = store_audit_append(db, &e, err);
    return rc ? rc : auth_notify(db, u.id, err);
}

/* Writes u (insert when before is NULL) with its audit record. When the
 * user's rights or password changed, or they were disabled (`logout`),
 * their sessions end and their API tokens are revoked, audited too; a new
 * password also lifts every lock on the account. Every server forgets what
 * it kept of the user (auth_notify, auth_forget_user). */
static int save(struct app *app, const struct auth_user *actor, const char *action,
                const char *before, struct user_row *u, bool logout, bool password,
                const char *keep_hash, const char *client, struct arena *a, struct err *err)
{
    struct audit_entry e = {.user = actor->name,
                            .action = action,
                            .entity = arena_printf(a, "user:%s", u->username),
                            .unit = u->scope[0] ? u->scope : NULL,
                            .before = before,
                            .after = users_image(app, a, u),
                            .client = client};
    char iso[32];
    int ntokens = 0;
    auth_now_iso(iso);
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = before ? store_user_update(db, u, err) : store_user_insert(db, u, err);
    if (!rc && logout)
        rc = keep_hash ? store_sessions_delete_others(db, u->id, keep_hash, err)
                       : store_sessions_delete_user(db, u->id, err);
    if (!rc && logout) rc = store_tokens_revoke_user(db, u->id, iso, &ntokens, err);
    if (!rc && password) rc = store_login_failures_clear(db, u->username, NULL, err);
    if (!rc) rc = store_audit_append(db, &e, err);
    if (!rc && ntokens) {
        struct audit_entry t = {
            .user = actor->name,
            .action = "token.revoke",
            .entity = e.entity,
            .unit = e.unit,
            .after = arena_printf(a, "{\"tokens\":%d,\"by\":\"%s\"}", ntokens, action),
            .client = client};
        rc = store_audit_append(db, &t, err);
    }
    if (!rc && before) rc = auth_notify(db, u->id, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc && before) auth_forget_user(app, u->id);
    return rc;
}

int users_create(struct app *app, const struct auth_user *actor, const struct user_input *in,
                 const char *client, struct arena *a, struct user_row *out, struct err *err)
{
    if (!in->username || !in->password || !in->role)
        return err_set_field(err, ERR_INVALID,
                             !in->username   ? "username"
                             : !in->password ? "password"
                                             : "role",
                             "缺少 %s",
                             !in->username   ? "登录名"
                             : !in->password ? "密码"
                                             : "角色");
    int rc = users_check_username(in->username, err);
    if (rc) return rc;
    char iso[32];
    auth_now_iso(iso);
    struct user_row u = {
        .username = in->username, .display_name = in->username, .created_at = arena_strdup(a, iso)};
    struct user_input first = *in;
    if (!first.scope) first.scope = actor->scope;
    bool logout = false;
    if ((rc = users_apply(app, actor, &first, a, &u, &logout, err))) return rc;
    if ((rc = save(app, actor, "user.create", NULL, &u, false, false, NULL, client, a, err)))
        return rc;
    *out = u;
    return ERR_OK;
}

/* The user `username`, if actor may change them: not stronger than actor. */
static int manageable(struct app *app, const struct auth_user *actor, struct arena *a,
                      const char *username, struct user_row *u, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_user_get(db, a, username, u, err);
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND) return err_set(err, ERR_NOT_FOUND, "没有用户 %s", username);
    if (rc) return rc;
    const struct auth_role *r = auth_role(app, u->role);
    if (r && !auth_role_assignable(actor, r))
        return err_set(err, ERR_FORBIDDEN, "不能修改权限比自己高的用户 %s", username);
    return ERR_OK;
}

int users_update(struct app *app, const struct auth_user *actor, const char *username,
                 const struct user_input *in, const char *client, struct arena *a,
                 struct user_row *out, struct err *err)
{
    struct user_row u;
    int rc = manageable(app, actor, a, username, &u, err);
    if (rc) return rc;
    if (actor->id == u.id && (in->role || in->scope || in->disabled >= 0))
        return err_set(err, ERR_FORBIDDEN, "不能修改自己的角色、管辖范围或停用自己");
    const char *before = users_image(app, a, &u);
    bool logout = false;
    if ((rc = users_apply(app, actor, in, a, &u, &logout, err))) return rc;
    const char *action = in->disabled == 1 ? "user.disable" : "user.update";
    if ((rc = save(app, actor, action, before, &u, logout, in->password != NULL, NULL, client, a,
                   err)))
        return rc;
    *out = u;
    return ERR_OK;
}

void users_admin_password_path(const struct app *app, char *out, size_t cap)
{
    snprintf(out, cap, "%s/admin-password.txt", app->cfg.data);
}

int users_change_password(struct app *app, const struct auth_user *actor, const char *old,
                          const char *new_password, const char *keep_token, const char *client,
                          struct err *err)
{
    if (!old || !*old) return err_set_field(err, ERR_INVALID, "old_password", "请输入原密码");
    if (!new_password || !*new_password)
        return err_set_field(err, ERR_INVALID, "new_password", "请输入新密码");
    if (!auth_rate_allow(app, client))
        return err_set(err, ERR_RATE_LIMIT, "尝试过于频繁，请一分钟后再试");
    struct arena *a = arena_new();
    struct user_row u;
    struct db *db = store_acquire(app->store);
    int rc = store_user_by_id(db, a, actor->id, &u, err);
    store_release(app->store, db);
    if (!rc && !auth_password_matches(u.password_hash, old))
        rc = err_set_field(err, ERR_INVALID, "old_password", "原密码不对，请重新输入");
    if (!rc && strcmp(old, new_password) == 0)
        rc = err_set_field(err, ERR_INVALID, "new_password", "新密码不能与原密码相同");
    char hash[128], keep[65];
    if (!rc && (rc = auth_password_hash(u.username, new_password, hash, err)))
        snprintf(err->field, sizeof err->field, "new_password");
    if (!rc) {
        const char *before = users_image(app, a, &u);
        u.password_hash = arena_strdup(a, hash);
        u.must_change_password = false;
        if (keep_token) auth_hash_secret(keep_token, keep);
        rc = save(app, actor, "user.password", before, &u, true, true, keep_token ? keep : NULL,
                  client, a, err);
    }
    if (!rc && strcmp(u.username, "admin") == 0) { /* the one-time password is gone */
        char path[CONFIG_PATH_MAX + 32];
        users_admin_password_path(app, path, sizeof path);
        remove(path);
    }
    sodium_memzero(hash, sizeof hash);
    arena_free(a);
    return rc;
}

int users_get(struct app *app, const struct auth_user *actor, struct arena *a, const char *username,
              bool reveal, const char *client, struct user_row *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_user_get(db, a, username, out, err);
    if (!rc && reveal) {
        struct audit_entry e = {.user = actor->name,
                                .action = "user.reveal_phone",
                                .entity = arena_printf(a, "user:%s", out->username),
                                .unit = out->scope[0] ? out->scope : NULL,
                                .client = client};
        rc = store_audit_write(db, &e, err);
    }
    store_release(app->store, db);
    return rc;
}

int users_by_id(struct app *app, struct arena *a, int64_t id, struct user_row *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_user_by_id(db, a, id, out, err);
    store_release(app->store, db);
    return rc;
}

void users_write_json(struct jw *w, struct app *app, const struct user_row *u, bool reveal)
{
    const struct auth_role *r = auth_role(app, u->role);
    jw_obj(w);
    jw_kstr(w, "username", u->username);
    jw_kstr(w, "display_name", u->display_name);
    jw_kstr(w, "role", u->role);
    jw_kstr(w, "role_name", r ? r->name : u->role);
    jw_key(w, "scope");
    if (u->scope && u->scope[0]) {
        struct tree *t = app_tree(app);
        uint32_t i = tree_find(t, u->scope, strlen(u->scope));
        jw_obj(w);
        jw_kstr(w, "code", u->scope);
        jw_kstr_or_null(w, "name", i == TREE_NONE ? NULL : tree_name(t, i));
        jw_obj_end(w);
        tree_unref(t);
    } else {
        jw_null(w);
    }
    jw_key(w, "permissions");
    jw_arr(w);
    for (int k = 0; r && r->perms[k]; k++)
        jw_str(w, r->perms[k]);
    jw_arr_end(w);
    jw_key(w, "phone");
    char *plain = NULL;
    struct err ignore;
    if (u->phone_sealed && seal_decrypt(&app->seal, u->phone_sealed, &plain, NULL, &ignore) == 0) {
        char masked[32];
        pii_mask_phone(plain, strlen(plain), masked, sizeof masked);
        jw_str(w, reveal ? plain : masked);
        free(plain);
    } else {
        jw_null(w);
    }
    jw_kbool(w, "disabled", u->disabled);
    jw_kbool(w, "must_change_password", u->must_change_password);
    jw_kstr(w, "created_at", u->created_at);
    jw_kstr_or_null(w, "last_login_at", u->last_login_at);
    jw_obj_end(w);
}

struct list_ctx {
    struct jw *w;
    struct app *app;
    int n;
    const char *last;
};

static int list_one(void *ctx, const struct user_row *u)
{
    struct list_ctx *c = ctx;
    users_write_json(c->w, c->app, u, false);
    c->n++;
    c->last = u->username;
    return 0;
}

int users_list_json(struct app *app, struct arena *a, struct jw *w, const char *scope,
                    const char *q, const char *after, int limit, int *n, const char **last,
                    struct err *err)
{
    struct list_ctx c = {.w = w, .app = app, .last = after};
    struct db *db = store_acquire(app->store);
    int rc = store_users_list(db, a, scope, q, after, limit, list_one, &c, err);
    store_release(app->store, db);
    *n = c.n;
    *last = c.last;
    return rc;
}

struct tokens_ctx {
    struct jw *w;
};

static int token_one(void *ctx, const struct token_row *t)
{
    struct jw *w = ((struct tokens_ctx *)ctx)->w;
    jw_obj(w);
    jw_kint(w, "id", t->id);
    jw_kstr(w, "label", t->label);
    jw_kstr(w, "created_at", t->created_at);
    jw_kstr_or_null(w, "revoked_at", t->revoked_at);
    jw_obj_end(w);
    return 0;
}

int users_tokens_json(struct app *app, const struct auth_user *actor, struct arena *a,
                      const char *username, struct jw *w, struct err *err)
{
    struct user_row u;
    int rc = manageable(app, actor, a, username, &u, err);
    if (rc) return rc;
    struct tokens_ctx c = {.w = w};
    struct db *db = store_acquire(app->store);
    rc = store_tokens_list(db, a, u.id, token_one, &c, err);
    store_release(app->store, db);
    return rc;
}

int users_token_revoke(struct app *app, const struct auth_user *actor, struct arena *a,
                       const char *username, int64_t id, const char *client, struct err *err)
{
    struct user_row u;
    int rc = manageable(app, actor, a, username, &u, err);
    if (rc) return rc;
    rc = auth_token_revoke(app, actor, id, u.id, client, err);
    if (rc == ERR_NOT_FOUND)
        return err_set(err, ERR_NOT_FOUND, "用户 %s 没有编号为 %lld 的有效令牌", username,
                       (long long)id);
    return rc;
}

struct users_names {
    struct app *app;
    struct arena *a;
    struct {
        const char *login, *name;
    } * memo;
    size_t n, cap;
};

struct users_names *users_names_new(struct app *app, struct arena *a)
{
    struct users_names *n = arena_zalloc(a, sizeof *n);
    n->app = app;
    n->a = a;
    return n;
}

const char *users_name_of(struct users_names *n, const char *login)
{
    static const struct {
        const char *login, *name;
    } actors[] = {{AUTH_CLI_NAME, "命令行"}, {AUTH_SYSTEM_NAME, "系统"}, {"resident", "群众"}};
    if (!login || !login[0]) return login;
    for (size_t i = 0; i < sizeof actors / sizeof actors[0]; i++)
        if (strcmp(login, actors[i].login) == 0) return actors[i].name;
    size_t i = 0;
    while (i < n->n && strcmp(n->memo[i].login, login) != 0)
        i++;
    if (i < n->n && n->memo[i].name) return n->memo[i].name;
    struct user_row u;
    struct err err;
    err_clear(&err);
    struct db *db = store_acquire(n->app->store);
    int rc = store_user_get(db, n->a, login, &u, &err);
    store_release(n->app->store, db);
    const char *name = rc ? arena_strdup(n->a, login) : u.display_name;
    if (i == n->n) users_names_note(n, login);
    n->memo[i].name = name;
    return name;
}

void users_names_note(struct users_names *n, const char *login)
{
    if (!login || !login[0]) return;
    for (size_t i = 0; i < n->n; i++)
        if (strcmp(n->memo[i].login, login) == 0) return;
    n->memo = arena_grow(n->a, n->memo, sizeof *n->memo, n->n, n->n + 1, &n->cap);
    n->memo[n->n].login = arena_strdup(n->a, login);
    n->memo[n->n++].name = NULL;
}

void users_names_json(struct users_names *n, struct jw *w, const char *key)
{
    jw_key(w, key);
    jw_obj(w);
    for (size_t i = 0; i < n->n; i++)
        jw_kstr(w, n->memo[i].login, users_name_of(n, n->memo[i].login));
    jw_obj_end(w);
}
