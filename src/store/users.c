/* users.c — roles, users, login sessions and API tokens (store.h). */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char sql_roles[] = "SELECT r.code, r.name, r.rank, p.perm FROM roles r "
                                "JOIN role_perms p ON p.role = r.code ORDER BY r.rank DESC, p.perm";

int store_roles_each(struct db *db,
                     int (*fn)(void *ctx, const char *code, const char *name, int rank,
                               const char *perm),
                     void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_roles, &st, err);
    if (rc) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        rc = fn(ctx, db_text(st, "code"), db_text(st, "name"), (int)db_int(st, "rank"),
                db_text(st, "perm"));
        if (rc) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

#define USER_COLS                                                                                  \
    "id, username, display_name, role, coalesce(scope, '') AS scope, phone_sealed, phone_hash, "   \
    "password_hash, disabled, failed_logins, locked_until, created_at, last_login_at, "            \
    "must_change_password"

static const char sql_user_get[] = "SELECT " USER_COLS " FROM users WHERE username = $1";
static const char sql_user_by_id[] = "SELECT " USER_COLS " FROM users WHERE id = $1";
static const char sql_user_insert[] =
    "INSERT INTO users (username, display_name, role, scope, phone_sealed, phone_hash, "
    "password_hash, disabled, failed_logins, locked_until, created_at, last_login_at, "
    "must_change_password) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
static const char sql_user_update[] =
    "UPDATE users SET display_name = $2, role = $3, scope = $4, phone_sealed = $5, "
    "phone_hash = $6, password_hash = $7, disabled = $8, failed_logins = $9, "
    "locked_until = $10, last_login_at = $11, must_change_password = $12 WHERE id = $1";
/* Two statements: "" lists everyone, also the users of the whole tree
 * (scope NULL), which DB_SUBTREE never takes, and walks the username index;
 * a scope searches its code range in users_scope. Parameters stay numbered
 * without gaps for PostgreSQL. */
#define USERS_WHERE                                                                                \
    "SELECT " USER_COLS " FROM users "                                                             \
    "WHERE ($1 = '' OR instr(username, $1) > 0 OR instr(display_name, $1) > 0) "                   \
    "AND username > $2"
#define USERS_ORDER " ORDER BY username LIMIT $3"
static const char *const sql_users_list[2] = {
    USERS_WHERE USERS_ORDER,
    USERS_WHERE " AND " DB_SUBTREE("scope", 4) USERS_ORDER,
};

/* db_dup, except that NULL stays NULL: callers tell "no phone" and
 * "never logged in" from an empty string. */
static const char *dup_or_null(struct db_stmt *st, struct arena *a, const char *name)
{
    return db_null(st, name) ? NULL : db_dup(st, a, name);
}

static void read_user(struct db_stmt *st, struct arena *a, struct user_row *u)
{
    u->id = db_int(st, "id");
    u->username = db_dup(st, a, "username");
    u->display_name = db_dup(st, a, "display_name");
    u->role = db_dup(st, a, "role");
    u->scope = db_dup(st, a, "scope"); /* "" for the whole tree (coalesce) */
    u->phone_sealed = dup_or_null(st, a, "phone_sealed");
    u->phone_hash = dup_or_null(st, a, "phone_hash");
    u->password_hash = db_dup(st, a, "password_hash");
    u->disabled = db_int(st, "disabled") != 0;
    u->failed_logins = (int)db_int(st, "failed_logins");
    u->locked_until = db_int(st, "locked_until");
    u->created_at = db_dup(st, a, "created_at");
    u->last_login_at = dup_or_null(st, a, "last_login_at");
    u->must_change_password = db_int(st, "must_change_password") != 0;
}

static int get_one(struct db_stmt *st, struct arena *a, struct user_row *out, struct err *err)
{
    int rc = db_step(st, err);
    if (rc == DB_ROW) read_user(st, a, out);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这个用户");
    return rc < 0 ? rc : ERR_OK;
}

int store_user_get(struct db *db, struct arena *a, const char *username, struct user_row *out,
                   struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_user_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username);
    return get_one(st, a, out, err);
}

int store_user_by_id(struct db *db, struct arena *a, int64_t id, struct user_row *out,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_user_by_id, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    return get_one(st, a, out, err);
}

/* $2…$10, the same in the insert and the update. */
static void bind_mutable(struct db_stmt *st, const struct user_row *u)
{
    db_bind_str(st, 2, u->display_name);
    db_bind_str(st, 3, u->role);
    db_bind_opt(st, 4, u->scope); /* NULL: the whole tree, which has no unit row */
    db_bind_str(st, 5, u->phone_sealed);
    db_bind_str(st, 6, u->phone_hash);
    db_bind_str(st, 7, u->password_hash);
    db_bind_int(st, 8, u->disabled);
    db_bind_int(st, 9, u->failed_logins);
    db_bind_int(st, 10, u->locked_until);
}

int store_user_insert(struct db *db, struct user_row *u, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_user_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, u->username);
    bind_mutable(st, u);
    db_bind_str(st, 11, u->created_at);
    db_bind_str(st, 12, u->last_login_at);
    db_bind_int(st, 13, u->must_change_password);
    rc = db_run_returning(st, &u->id, NULL, err);
    if (rc == ERR_CONFLICT)
        return err_set_field(err, ERR_CONFLICT, "username", "登录名 %s 已被使用", u->username);
    return rc;
}

int store_user_update(struct db *db, const struct user_row *u, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_user_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, u->id);
    bind_mutable(st, u);
    db_bind_str(st, 11, u->last_login_at);
    db_bind_int(st, 12, u->must_change_password);
    return db_run(st, err);
}

int store_users_list(struct db *db, struct arena *a, const char *scope, const char *q,
                     const char *after, int limit, int (*fn)(void *ctx, const struct user_row *u),
                     void *ctx, struct err *err)
{
    struct db_stmt *st;
    bool scoped = scope && *scope;
    int rc = db_prepare(db, sql_users_list[scoped], &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, q ? q : "");
    db_bind_str(st, 2, after ? after : "");
    db_bind_int(st, 3, limit);
    if (scoped) db_bind_str(st, 4, scope);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct user_row u;
        read_user(st, a, &u);
        if ((rc = fn(ctx, &u)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- sessions ---- */

static const char sql_session_insert[] = "INSERT INTO sessions (token_hash, user_id, csrf, "
                                         "created_at, last_seen, client) "
                                         "VALUES ($1, $2, $3, $4, $4, $5)";
static const char sql_session_get[] =
    "SELECT user_id, csrf, last_seen FROM sessions WHERE token_hash = $1";
static const char sql_session_touch[] = "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1";
static const char sql_session_delete[] = "DELETE FROM sessions WHERE token_hash = $1";
static const char sql_sessions_delete_user[] = "DELETE FROM sessions WHERE user_id = $1";
static const char sql_sessions_delete_others[] =
    "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2";

int store_session_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
                         int64_t now, const char *client, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_session_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, token_hash);
    db_bind_int(st, 2, user_id);
    db_bind_str(st, 3, csrf);
    db_bind_int(st, 4, now);
    db_bind_str(st, 5, client);
    return db_run(st, err);
}

int store_session_get(struct db *db, struct arena *a, const char *token_hash, int64_t *user_id,
                      const char **csrf, int64_t *last_seen, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_session_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, token_hash);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *user_id = db_int(st, "user_id");
        *csrf = db_dup(st, a, "csrf");
        *last_seen = db_int(st, "last_seen");
    }
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这个会话");
    return rc < 0 ? rc : ERR_OK;
}

static int run_text_int(struct db *db, const char *sql, const char *text, int64_t v,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, text);
    if (v >= 0) db_bind_int(st, 2, v);
    return db_run(st, err);
}

int store_session_touch(struct db *db, const char *token_hash, int64_t now, struct err *err)
{
    return run_text_int(db, sql_session_touch, token_hash, now, err);
}

int store_session_delete(struct db *db, const char *token_hash, struct err *err)
{
    return run_text_int(db, sql_session_delete, token_hash, -1, err);
}

int store_sessions_delete_user(struct db *db, int64_t user_id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_sessions_delete_user, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, user_id);
    return db_run(st, err);
}

int store_sessions_delete_others(struct db *db, int64_t user_id, const char *keep_hash,
                                 struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_sessions_delete_others, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, user_id);
    db_bind_str(st, 2, keep_hash);
    return db_run(st, err);
}

/* ---- API tokens ---- */

static const char sql_token_insert[] = "INSERT INTO api_tokens (token_hash, user_id, label, "
                                       "created_at) VALUES ($1, $2, $3, $4) RETURNING id";
static const char sql_token_get[] = "SELECT id, user_id, revoked_at IS NOT NULL AS revoked "
                                    "FROM api_tokens WHERE token_hash = $1";
static const char sql_token_revoke[] =
    "UPDATE api_tokens SET revoked_at = $2 "
    "WHERE id = $1 AND ($3 = 0 OR user_id = $3) AND revoked_at IS NULL RETURNING user_id";
static const char sql_tokens_revoke_user[] =
    "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
static const char sql_tokens_list[] = "SELECT id, label, created_at, revoked_at FROM api_tokens "
                                      "WHERE user_id = $1 ORDER BY id DESC";

int store_token_insert(struct db *db, const char *token_hash, int64_t user_id, const char *label,
                       const char *created_at, int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_token_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, token_hash);
    db_bind_int(st, 2, user_id);
    db_bind_str(st, 3, label);
    db_bind_str(st, 4, created_at);
    return db_run_returning(st, id, NULL, err);
}

int store_token_get(struct db *db, const char *token_hash, int64_t *id, int64_t *user_id,
                    bool *revoked, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_token_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, token_hash);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *id = db_int(st, "id");
        *user_id = db_int(st, "user_id");
        *revoked = db_int(st, "revoked") != 0;
    }
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这个令牌");
    return rc < 0 ? rc : ERR_OK;
}

int store_token_revoke(struct db *db, int64_t id, int64_t owner, const char *revoked_at,
                       int64_t *user_id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_token_revoke, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, revoked_at);
    db_bind_int(st, 3, owner > 0 ? owner : 0);
    char none[96];
    snprintf(none, sizeof none, "没有编号为 %lld 的有效令牌", (long long)id);
    return db_run_returning(st, user_id, none, err);
}

int store_tokens_revoke_user(struct db *db, int64_t user_id, const char *revoked_at, int *n,
                             struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_tokens_revoke_user, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, user_id);
    db_bind_str(st, 2, revoked_at);
    rc = db_run(st, err);
    *n = rc ? 0 : (int)db_changes(db);
    return rc;
}

int store_tokens_list(struct db *db, struct arena *a, int64_t user_id,
                      int (*fn)(void *ctx, const struct token_row *t), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_tokens_list, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, user_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct token_row t = {.id = db_int(st, "id"),
                              .label = db_dup(st, a, "label"),
                              .created_at = db_dup(st, a, "created_at"),
                              .revoked_at = dup_or_null(st, a, "revoked_at")};
        if ((rc = fn(ctx, &t)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- failed sign-ins per account name and address (app/auth.c) ---- */

static const char sql_failures_get[] = "SELECT fails, last_at, locked_until FROM login_failures "
                                       "WHERE username = $1 AND client = $2";
static const char sql_failures_put[] =
    "INSERT INTO login_failures (username, client, fails, last_at, locked_until) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username, client) DO UPDATE SET "
    "fails = excluded.fails, last_at = excluded.last_at, locked_until = excluded.locked_until";
static const char *const sql_failures_clear[2] = {
    "DELETE FROM login_failures WHERE username = $1",
    "DELETE FROM login_failures WHERE username = $1 AND client = $2",
};
static const char sql_failures_expire[] =
    "DELETE FROM login_failures WHERE last_at < $1 AND locked_until < $1";

int store_login_failures_get(struct db *db, const char *username, const char *client,
                             struct login_failures *out, struct err *err)
{
    struct db_stmt *st;
    memset(out, 0, sizeof *out);
    int rc = db_prepare(db, sql_failures_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username);
    db_bind_str(st, 2, client);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        out->fails = (int)db_int(st, "fails");
        out->last_at = db_int(st, "last_at");
        out->locked_until = db_int(st, "locked_until");
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_login_failures_put(struct db *db, const char *username, const char *client,
                             const struct login_failures *f, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_failures_put, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username);
    db_bind_str(st, 2, client);
    db_bind_int(st, 3, f->fails);
    db_bind_int(st, 4, f->last_at);
    db_bind_int(st, 5, f->locked_until);
    return db_run(st, err);
}

int store_login_failures_clear(struct db *db, const char *username, const char *client,
                               struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_failures_clear[client != NULL], &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username);
    if (client) db_bind_str(st, 2, client);
    return db_run(st, err);
}

int store_login_failures_expire(struct db *db, int64_t before, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_failures_expire, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, before);
    return db_run(st, err);
}

/* ---- attempt counters (the per-address limiter of app/auth.c) ---- */

/* A later minute starts the count again; an earlier one (a server whose
 * clock lags) adds to the current count. */
static const char sql_attempt_count[] =
    "INSERT INTO rate_attempts (client, minute, n) VALUES ($1, $2, 1) "
    "ON CONFLICT (client) DO UPDATE SET "
    "n = CASE WHEN rate_attempts.minute >= excluded.minute THEN rate_attempts.n + 1 ELSE 1 END, "
    "minute = CASE WHEN rate_attempts.minute >= excluded.minute THEN rate_attempts.minute "
    "ELSE excluded.minute END "
    "RETURNING n";
static const char sql_attempts_expire[] = "DELETE FROM rate_attempts WHERE minute < $1";

int store_attempt_count(struct db *db, const char *key, int64_t minute, int *count, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_attempt_count, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, key);
    db_bind_int(st, 2, minute);
    int64_t n = 0;
    rc = db_run_returning(st, &n, NULL, err);
    *count = (int)n;
    return rc;
}

int store_attempts_expire(struct db *db, int64_t minute, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_attempts_expire, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, minute);
    return db_run(st, err);
}
