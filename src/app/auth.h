/*
 * auth.h — who is asking and what they may do.
 *
 * Roles are data (tables roles, role_perms), loaded once when the app
 * opens. A user's effective right is their role's permissions within
 * their scope subtree; since a unit's code starts with its ancestors'
 * codes, "inside the scope" is a prefix test, and "" is the whole tree.
 *
 * Sessions: a random token in an HttpOnly cookie, stored as its SHA-256,
 * with a CSRF token for unsafe methods and an idle expiry. API tokens for
 * scripts: a random bearer token, stored as its SHA-256, revocable.
 * Passwords: argon2id (libsodium), a policy (core/password.h), lockout
 * after repeated failures and a per-address rate limit on attempts.
 */
#ifndef JICENG_AUTH_H
#define JICENG_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "core/user.h"

struct app;
struct db;

#define AUTH_MAX_PERMS    32
#define AUTH_LOCK_FAILS   5   /* failed sign-ins of one account from one address before … */
#define AUTH_LOCK_SECONDS 900 /* … that address is locked out of it this long (15 minutes) */
#define AUTH_TOKEN_HEX    64  /* session and API tokens: 32 random bytes */
#define AUTH_COOKIE       "jiceng_session"

struct auth_role {
    char code[32];
    char name[64];
    int rank;
    const char *perms[AUTH_MAX_PERMS + 1]; /* NULL-terminated, owned by the role table */
};

/* The signed-in user of a request or a CLI action. Strings are owned by
 * whoever filled the struct (a request arena, or static for the CLI). */
struct auth_user {
    int64_t id;
    const char *name; /* login name */
    const char *display_name;
    const char *role; /* role code */
    const char *role_name;
    int role_rank;
    const char *scope;         /* unit code of the scope subtree; "" = the whole tree */
    const char *const *perms;  /* the role's permissions, NULL-terminated */
    bool via_token;            /* bearer token (no CSRF needed) rather than a session cookie */
    bool must_change_password; /* reaches only 修改密码 until they choose their own */
    const char *csrf;          /* the session's CSRF token; NULL for bearer tokens */
};

/* The permissions and roles declared in data/roles.json (roles.c): read
 * and checked (roles_load), then made the database's role table
 * (roles_seed, a write only when the two differ). */
int roles_load(struct app *app, struct err *err);
int roles_seed(struct app *app, struct err *err);
void roles_free(struct app *app);
/* Is perm a declared permission? */
bool auth_perm_declared(const struct app *app, const char *perm);
/* The declared name of a permission (查看单位…), or the code itself. */
const char *auth_perm_name(const struct app *app, const char *perm);

/* Who the command line acts as: the named actor AUTH_CLI_NAME with the
 * role AUTH_CLI_ROLE over the whole tree; and scheduled work
 * (AUTH_SYSTEM_NAME, e.g. escalation) acts with the same rights. */
#define AUTH_CLI_NAME    "cli"
#define AUTH_SYSTEM_NAME "system"
#define AUTH_CLI_ROLE    "admin"

/* Sets up the command line's actor and the attempt limiter (at app open,
 * after the roles). */
int auth_init(struct app *app, struct err *err);
void auth_free(struct app *app);
/* The command line's actor (never NULL once the app is open). */
const struct auth_user *auth_cli(const struct app *app);
/* The role with this code, or NULL. */
const struct auth_role *auth_role(const struct app *app, const char *code);

bool auth_has_perm(const struct auth_user *u, const char *perm);
/* Is unit `code` inside the subtree `scope` ("" = everything)? */
bool auth_in_scope(const char *scope, const char *code);
/* May `actor` hand out `role`: rank not above theirs, permissions a subset? */
bool auth_role_assignable(const struct auth_user *actor, const struct auth_role *role);

/* Checks the password and opens a session. Every refusal that concerns the
 * account — unknown name, wrong password, disabled account, locked out — is
 * ERR_UNAUTHORIZED with one message (AUTH_FAIL_MSG) after the same work (a
 * password hash verified, one write), and is audited. Failures are counted
 * per account name AND client address: AUTH_LOCK_FAILS of them lock that
 * pair for AUTH_LOCK_SECONDS, so nobody elsewhere can lock the user out.
 * ERR_RATE_LIMIT when the address made more than login_rate attempts this
 * minute (audited once per address and minute). *token (cookie value) and
 * the user come from arena. */
#define AUTH_FAIL_MSG                                                                              \
    "用户名或密码错误（或账号已停用、因多次输错被暂时锁定 15 分钟），请核对后再试或联系管理员"
int auth_login(struct app *app, struct arena *a, const char *username, const char *password,
               const char *client, const char **token, struct auth_user *out, struct err *err);
/* Ends the session of this cookie token (audited). */
int auth_logout(struct app *app, const struct auth_user *u, const char *token, const char *client,
                struct err *err);
/* Resolves a session cookie or a bearer token to its user. ERR_UNAUTHORIZED
 * with a message saying why (unknown, expired, revoked, disabled). */
int auth_session_user(struct app *app, struct arena *a, const char *token, struct auth_user *out,
                      struct err *err);
int auth_bearer_user(struct app *app, struct arena *a, const char *token, struct auth_user *out,
                     struct err *err);

/* A random one-time password a person can type: AUTH_ONETIME_LEN
 * characters without the look-alikes 0/O, 1/l/I (about 93 bits). */
#define AUTH_ONETIME_LEN 16
void auth_random_password(char out[AUTH_ONETIME_LEN + 1]);
/* Hashes a password from auth_random_password with argon2id at its
 * smallest cost: stretching protects passwords people choose; ~93 random
 * bits need none, and a county's 400 accounts are made in a moment. */
int auth_password_hash_onetime(const char *password, char out[128], struct err *err);
/* Does password match the argon2id hash? */
bool auth_password_matches(const char *hash, const char *password);
/* Hashes a password with argon2id after checking the policy for `username`. */
int auth_password_hash(const char *username, const char *password, char out[128], struct err *err);

/* Creates an API token for user `username` labelled `label`; *token is
 * the only copy of the secret (malloc'd, caller frees). */
int auth_token_create(struct app *app, const char *username, const char *label, int64_t *id,
                      char **token, struct err *err);
/* Revokes token `id` (of user `owner` when owner > 0) on behalf of actor;
 * audited, and every server stops accepting it at once. */
int auth_token_revoke(struct app *app, const struct auth_user *actor, int64_t id, int64_t owner,
                      const char *client, struct err *err);

/* ---- sessions and tokens in memory (auth_cache.c) ---- */

#define AUTH_KEY_BYTES 32 /* SHA-256 of a session or token secret */
struct auth_cache;
struct auth_cache *auth_cache_new(const struct app *app);
void auth_cache_free(struct auth_cache *c);
/* Inside a write transaction that ends or changes user uid's sign-ins:
 * tells the other servers (PostgreSQL NOTIFY "auth:<uid>"). */
int auth_notify(struct db *db, int64_t uid, struct err *err);
/* After such a transaction committed: drops the user's cached sessions and
 * tokens here and in the other processes on this data directory. */
void auth_forget_user(struct app *app, int64_t uid);
/* This process only (another server's notice). */
void auth_cache_drop_user(struct app *app, int64_t uid);
void auth_cache_drop_all(struct app *app);
void auth_cache_drop_key(struct app *app, const unsigned char *key);

enum auth_cache_hit { AUTH_CACHE_MISS, AUTH_CACHE_HIT, AUTH_CACHE_HIT_TOUCH };
struct auth_cached {
    uint64_t gen;        /* pass to auth_cache_put after a miss */
    struct user_row row; /* id, username, display_name, role, scope */
    const char *csrf;    /* sessions */
    int64_t token_id;
};
/* A hit fills out (strings in a); HIT_TOUCH: write the session's last use. */
enum auth_cache_hit auth_cache_get(struct app *app, const unsigned char *key, bool token,
                                   int64_t now, struct arena *a, struct auth_cached *out);
/* Keeps what a miss read from the database, unless a drop came in between. */
void auth_cache_put(struct app *app, uint64_t gen, const unsigned char *key, bool token,
                    int64_t token_id, const struct user_row *u, const char *csrf, int64_t seen,
                    int64_t now);

/* Per-address attempt limiter: true if this attempt is allowed. */
bool auth_rate_allow(struct app *app, const char *client);
/* True when client has used up this minute's attempts (counts nothing):
 * for limits that count only failures (ballot codes, evaluations.h). */
bool auth_rate_exhausted(struct app *app, const char *client);

/* Hex SHA-256 of a random secret (session, token, API key): what is stored. */
void auth_hash_secret(const char *secret, char out[65]);
/* bytes random bytes as 2*bytes hex digits plus NUL (bytes <= 64). */
void auth_random_hex(char *out, size_t bytes);

/* Current time as UTC ISO 8601 with seconds ("2026-11-23T09:41:07Z"). */
void auth_now_iso(char out[32]);

#endif
