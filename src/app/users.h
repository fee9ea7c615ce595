/*
 * users.h — creating and changing users, shared by the CLI and the API.
 *
 * The actor (the command line acts as auth_cli()) may only hand out roles no stronger than their
 * own and scopes inside their own subtree, and may not change users stronger than themselves. Every
 * change is audited with before/after JSON in the same transaction; phone numbers are sealed
 * (core/seal.h) and shown masked.
 */
#ifndef JICENG_USERS_H
#define JICENG_USERS_H

#include <stdbool.h>

#include "app/app.h"
#include "core/user.h"
#include "io/json_out.h"

#define USERNAME_MAX     32
#define DISPLAY_NAME_MAX 32 /* characters */

/* A create or a change: NULL fields are left as they are (create needs
 * username, password, role; scope NULL means the actor's own). */
struct user_input {
    const char *username, *display_name, *password, *role, *scope, *phone;
    int disabled; /* -1 unchanged, 0 enable, 1 disable */
    /* The password is the user's own choice (`jiceng user add|passwd
     * --own-password`, tests and the demo). Otherwise a password set by
     * someone else must be changed at the next sign-in: until then the
     * account reaches only 修改密码 (users.must_change_password). */
    bool own_password;
};

/* The scope unit code of a user ("" = whole tree); ERR_NOT_FOUND if none. */
int users_scope_of(struct app *app, struct arena *a, const char *username, const char **scope,
                   struct err *err);
/* Inside the caller's write transaction, after a division change moved
 * user username's scope (units_apply.c): audits the user's new image as
 * `user.move`, and tells the other servers to forget what they
 * kept of the user; the caller calls auth_forget_user(app, *uid) once it
 * committed. */
int users_moved(struct app *app, struct db *db, struct arena *a, const char *username,
                const char *actor, const char *client, int64_t *uid, struct err *err);
int users_create(struct app *app, const struct auth_user *actor, const struct user_input *in,
                 const char *client, struct arena *a, struct user_row *out, struct err *err);
int users_update(struct app *app, const struct auth_user *actor, const char *username,
                 const struct user_input *in, const char *client, struct arena *a,
                 struct user_row *out, struct err *err);
/* The signed-in user `actor` changes their own password: `old` must be the
 * current one, `new` pass the policy and differ from it. Clears the
 * password-change gate; ends the user's other sessions (all of them when
 * keep_token, the session cookie's value, is NULL) and revokes their API
 * tokens, audited as user.password. ERR_INVALID (field old_password or
 * new_password) with a message a person can act on. */
int users_change_password(struct app *app, const struct auth_user *actor, const char *old,
                          const char *new_password, const char *keep_token, const char *client,
                          struct err *err);
/* Where `jiceng init` leaves the administrator's one-time password
 * (DATA/admin-password.txt); removed when admin changes it. */
void users_admin_password_path(const struct app *app, char *out, size_t cap);

/* ---- names instead of login names ---- */

/* The display names of login names, each read once (a request's memo, in
 * its arena): what people see wherever the trail or a case keeps a login
 * name. The command line, scheduled work and residents have names of their
 * own (命令行, 系统, 群众); a login no account has any more stays as it is. */
struct users_names;
struct users_names *users_names_new(struct app *app, struct arena *a);
/* NULL for NULL; "" for "" (nobody, e.g. a refused sign-in). Reads the
 * database on a miss: never call it while a store callback holds a
 * connection (the pool may have none left) — note the login there and
 * write them all afterwards with users_names_json. */
const char *users_name_of(struct users_names *n, const char *login);
/* Remembers login for users_names_json, without reading anything. */
void users_names_note(struct users_names *n, const char *login);
/* Writes "key": {login: display name, …} for every login noted or looked up. */
void users_names_json(struct users_names *n, struct jw *w, const char *key);

/* ---- many users from a file (users_import.c) ---- */

#define USERS_IMPORT_MAX        5000
#define USERS_IMPORT_ERRORS_MAX 100 /* refused rows reported at most; the count goes on */

/* One refused row of a user list. */
struct user_row_error {
    long line; /* 1-based row in the file */
    char column[32];
    char msg[ERR_MSG_MAX];
};

/* One created user: the file's row, the user, and its one-time password. */
struct user_import_row {
    long row;
    struct user_row user;
    const char *role_name, *unit_name;
    const char *password;
};
/* Creates every user of an XLSX or CSV file (UTF-8 or GB18030) with the
 * columns 登录名, 姓名, 角色 (its Chinese name), 管辖单位 (code, or name with
 * as much of the path above as makes it unique: 辛安镇/郝庄村) and, optional,
 * 手机 — all or none, each with a one-time password they must change at
 * their first sign-in. Errors name the file's row and column. *rows (in a)
 * hold the passwords: hand them over (users_import_sheet), never log them.
 * Every row is checked: when some are refused, err is the first one's and
 * *errors (in a) the first USERS_IMPORT_ERRORS_MAX, *nerrors how many there
 * were (0 for a refusal of the whole file: heading, size, encoding). */
int users_import(struct app *app, const struct auth_user *actor, const char *data, size_t len,
                 const char *name, const char *client, struct arena *a,
                 struct user_import_row **rows, size_t *n, struct user_row_error **errors,
                 size_t *nerrors, struct err *err);
/* The workbook of one-time passwords (*data malloc'd, caller frees). */
int users_import_sheet(const struct user_import_row *rows, size_t n, char **data, size_t *len,
                       struct err *err);
/* The headings of an import file, for the template. */
void users_import_template(const char *const **titles, int *n);

/* A user by login name (ERR_NOT_FOUND when none). Revealing the phone
 * number to the actor is audited first. */
int users_get(struct app *app, const struct auth_user *actor, struct arena *a, const char *username,
              bool reveal, const char *client, struct user_row *out, struct err *err);
/* The account behind a session (strings in a). */
int users_by_id(struct app *app, struct arena *a, int64_t id, struct user_row *out,
                struct err *err);
/* The user as the API shows it; the phone masked unless `reveal`. */
void users_write_json(struct jw *w, struct app *app, const struct user_row *u, bool reveal);

/* Writes one page of users (scope subtree, q, after the login name
 * `after`) as objects into the open JSON array w, phones masked; *n is how
 * many and *last the last login name written (after when none). */
int users_list_json(struct app *app, struct arena *a, struct jw *w, const char *scope,
                    const char *q, const char *after, int limit, int *n, const char **last,
                    struct err *err);

/* Writes the API tokens of `username` (newest first, never a secret) as
 * objects into the open JSON array w; actor must be able to change them. */
int users_tokens_json(struct app *app, const struct auth_user *actor, struct arena *a,
                      const char *username, struct jw *w, struct err *err);
/* Revokes one token of `username` (ERR_NOT_FOUND unless it is theirs and
 * valid): audited, and refused by every server from then on. */
int users_token_revoke(struct app *app, const struct auth_user *actor, struct arena *a,
                       const char *username, int64_t id, const char *client, struct err *err);

#endif
