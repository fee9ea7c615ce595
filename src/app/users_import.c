/* users_import.c — many users at once from an Excel or CSV file, all rows or
 * none, each with a one-time password (users.h).
 *
 * A county creates its 400 village secretaries in one go: the file names
 * each person's login, name, role (by its Chinese name, as 用户管理 shows
 * it) and unit (by code, or by name with as much of the path above it as
 * makes it unique: 辛安镇/郝庄村). Every row is checked before anything is
 * written — the same rules as one user at a time (users_apply): roles no
 * stronger than the importer's, units inside the importer's scope, logins
 * not taken — and any bad row refuses the whole file; every refused row is
 * listed with its row and column. Then every
 * user is written in one transaction with its own user.create record and
 * one user.import record for the file. The passwords exist only in the
 * workbook handed back (users_import_sheet); they are never logged. */
#include "app/audit.h"
#include "app/users.h"
#include "app/unit_named.h"
#include "app/users_int.h"
#include "io/table.h"
#include "io/xlsx.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COL_USERNAME, COL_NAME, COL_ROLE, COL_UNIT, COL_PHONE, NCOLS };

/* The columns: Chinese heading (as the template has it) or the API's field. */
static const struct {
    const char *label, *field;
} columns[NCOLS] = {
    [COL_USERNAME] = {"登录名", "username"}, [COL_NAME] = {"姓名", "display_name"},
    [COL_ROLE] = {"角色", "role"},           [COL_UNIT] = {"管辖单位", "scope"},
    [COL_PHONE] = {"手机", "phone"},
};

struct import {
    struct app *app;
    const struct auth_user *actor;
    struct tree *tree;
    const char *name;
    struct arena *a;
    int col[NCOLS]; /* file column of each, -1 absent */
    bool header;
    struct user_import_row *rows;
    size_t n, cap;
    struct user_row_error *errors; /* the first USERS_IMPORT_ERRORS_MAX refused rows */
    size_t nerrors, errcap;
    struct err first; /* the first refused row's error */
    struct err *err;
};

void users_import_template(const char *const **titles, int *n)
{
    static const char *const t[NCOLS] = {"登录名", "姓名", "角色", "管辖单位", "手机"};
    *titles = t;
    *n = NCOLS;
}

static bool cell_is(const struct table_cell *c, const char *s)
{
    return strlen(s) == c->len && memcmp(c->p, s, c->len) == 0;
}

static const char *cell_text(struct import *im, const struct table_cell *cells, int n, int f)
{
    int c = im->col[f];
    if (c < 0 || c >= n) return NULL;
    struct table_cell v = cells[c];
    table_cell_trim(&v);
    return v.len ? arena_strndup(im->a, v.p, v.len) : NULL;
}

/* A refused row: "第 N 行“列”：…", kept (the first one as the error of the
 * whole file) while the other rows are checked on. */
static int row_error(struct import *im, long row, int f, int rc)
{
    err_wrap(im->err, "第 %ld 行“%s”", row, columns[f].label);
    err_at(im->err, "", row, im->col[f] + 1); /* the message names the row */
    im->err->kind = rc;
    if (!im->nerrors) im->first = *im->err;
    if (im->nerrors < USERS_IMPORT_ERRORS_MAX) {
        im->errors = arena_grow(im->a, im->errors, sizeof *im->errors, im->nerrors, im->nerrors + 1,
                                &im->errcap);
        struct user_row_error *e = &im->errors[im->nerrors];
        e->line = row;
        snprintf(e->column, sizeof e->column, "%s", columns[f].label);
        snprintf(e->msg, sizeof e->msg, "%s", im->err->msg);
    }
    im->nerrors++;
    err_clear(im->err);
    return 0; /* on to the next row */
}

/* The role by its Chinese name (村(社区)书记) or its code. */
static const struct auth_role *role_named(struct app *app, const char *s)
{
    for (int i = 0; i < app->nroles; i++)
        if (strcmp(app->roles[i].name, s) == 0 || strcmp(app->roles[i].code, s) == 0)
            return &app->roles[i];
    return NULL;
}

/* The unit a cell names, inside the importer's scope: its code. */
static int resolve_unit(struct import *im, const char *s, const char **code)
{
    return app_unit_named(im->tree, im->a, im->actor->scope, s, code, im->err);
}

/* ERR_CONFLICT when an account has this login already. */
static int login_taken(struct import *im, const char *username)
{
    struct user_row u;
    struct err e;
    err_clear(&e);
    struct db *db = store_acquire(im->app->store);
    int rc = store_user_get(db, im->a, username, &u, &e);
    store_release(im->app->store, db);
    if (rc == ERR_NOT_FOUND) return ERR_OK;
    if (rc) {
        *im->err = e;
        return rc;
    }
    return err_set(im->err, ERR_CONFLICT, "登录名 %s 已被使用", username);
}

static bool header_row(struct import *im, long row, struct table_cell *cells, int n)
{
    im->header = true;
    for (int f = 0; f < NCOLS; f++)
        im->col[f] = -1;
    for (int c = 0; c < n; c++) {
        struct table_cell v = cells[c];
        table_cell_trim(&v);
        for (int f = 0; f < NCOLS; f++)
            if (im->col[f] < 0 && (cell_is(&v, columns[f].label) || cell_is(&v, columns[f].field)))
                im->col[f] = c;
    }
    for (int f = 0; f < COL_PHONE; f++)
        if (im->col[f] < 0) {
            err_setf(im->err, ERR_INVALID, NULL,
                     "第一行须是标题行，含“登录名”“姓名”“角色”“管辖单位”四列（“手机”可选），"
                     "缺少“%s”列；可先下载导入模板",
                     columns[f].label);
            err_at(im->err, im->name, row, 0);
            return false;
        }
    return true;
}

static int import_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct import *im = ctx;
    if (!im->header) return header_row(im, row, cells, n) ? 0 : ERR_INVALID;
    bool any = false;
    for (int c = 0; c < n; c++)
        any = any || cells[c].len;
    if (!any) return 0;
    if (im->n == USERS_IMPORT_MAX)
        return err_set(im->err, ERR_TOO_LARGE, "一次最多导入 %d 个用户，请分成几个文件",
                       USERS_IMPORT_MAX);
    const char *v[NCOLS];
    for (int f = 0; f < NCOLS; f++)
        v[f] = cell_text(im, cells, n, f);
    for (int f = 0; f < COL_PHONE; f++)
        if (!v[f]) return row_error(im, row, f, err_set(im->err, ERR_INVALID, "不能为空"));
    int rc;
    for (size_t k = 0; k < im->n; k++)
        if (strcmp(im->rows[k].user.username, v[COL_USERNAME]) == 0)
            return row_error(im, row, COL_USERNAME,
                             err_set(im->err, ERR_CONFLICT, "登录名 %s 与第 %ld 行重复",
                                     v[COL_USERNAME], im->rows[k].row));
    const struct auth_role *role = role_named(im->app, v[COL_ROLE]);
    if (!role) {
        const char *names = "";
        for (int i = 0; i < im->app->nroles; i++)
            names = arena_printf(im->a, "%s%s%s", names, i ? "、" : "", im->app->roles[i].name);
        return row_error(
            im, row, COL_ROLE,
            err_set(im->err, ERR_INVALID, "没有角色“%s”，可填：%s", v[COL_ROLE], names));
    }
    const char *scope;
    if ((rc = resolve_unit(im, v[COL_UNIT], &scope))) return row_error(im, row, COL_UNIT, rc);
    struct user_input in = {.username = v[COL_USERNAME],
                            .display_name = v[COL_NAME],
                            .role = role->code,
                            .scope = scope,
                            .phone = v[COL_PHONE],
                            .disabled = -1};
    char iso[32];
    auth_now_iso(iso);
    struct user_row u = {.username = in.username,
                         .display_name = in.username,
                         .created_at = arena_strdup(im->a, iso),
                         .must_change_password = true};
    bool logout = false;
    if ((rc = users_check_username(in.username, im->err)))
        return row_error(im, row, COL_USERNAME, rc);
    if ((rc = login_taken(im, in.username)))
        return rc == ERR_CONFLICT ? row_error(im, row, COL_USERNAME, rc) : rc;
    if ((rc = users_apply(im->app, im->actor, &in, im->a, &u, &logout, im->err))) {
        const char *field = im->err->field;
        int f = strcmp(field, "display_name") == 0 ? COL_NAME
                : strcmp(field, "role") == 0       ? COL_ROLE
                : strcmp(field, "scope") == 0      ? COL_UNIT
                : strcmp(field, "phone") == 0      ? COL_PHONE
                                                   : COL_USERNAME;
        return row_error(im, row, f, rc);
    }
    char password[AUTH_ONETIME_LEN + 1], hash[128];
    auth_random_password(password);
    if ((rc = auth_password_hash_onetime(password, hash, im->err))) return rc;
    u.password_hash = arena_strdup(im->a, hash);
    im->rows = arena_grow(im->a, im->rows, sizeof *im->rows, im->n, im->n + 1, &im->cap);
    im->rows[im->n++] = (struct user_import_row){
        .row = row,
        .user = u,
        .role_name = role->name,
        .unit_name =
            arena_strdup(im->a, tree_name(im->tree, tree_find(im->tree, scope, strlen(scope)))),
        .password = arena_strdup(im->a, password)};
    sodium_memzero(password, sizeof password);
    return 0;
}

/* Writes every user with its record, and the file's record, or nothing. */
static int write_all(struct import *im, const char *client)
{
    struct app *app = im->app;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, im->err);
    for (size_t k = 0; !rc && k < im->n; k++) {
        struct user_row *u = &im->rows[k].user;
        if ((rc = store_user_insert(db, u, im->err))) {
            err_wrap(im->err, "第 %ld 行“登录名”", im->rows[k].row);
            err_at(im->err, "", im->rows[k].row, im->col[COL_USERNAME] + 1);
            break;
        }
        struct audit_entry e = {.user = im->actor->name,
                                .action = "user.create",
                                .entity = arena_printf(im->a, "user:%s", u->username),
                                .unit = u->scope[0] ? u->scope : NULL,
                                .after = users_image(app, im->a, u),
                                .client = client};
        rc = store_audit_append(db, &e, im->err);
    }
    if (!rc) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b);
        jw_obj(&w);
        jw_kstr(&w, "file", im->name);
        jw_kint(&w, "users", (int64_t)im->n);
        jw_obj_end(&w);
        struct audit_entry e = {.user = im->actor->name,
                                .action = "user.import",
                                .entity = "users",
                                .unit = im->actor->scope[0] ? im->actor->scope : NULL,
                                .after = arena_strndup(im->a, b.p, b.len),
                                .client = client};
        buf_free(&b);
        rc = store_audit_append(db, &e, im->err);
    }
    if (!rc) rc = db_commit(db, im->err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

int users_import(struct app *app, const struct auth_user *actor, const char *data, size_t len,
                 const char *name, const char *client, struct arena *a,
                 struct user_import_row **rows, size_t *n, struct user_row_error **errors,
                 size_t *nerrors, struct err *err)
{
    *rows = NULL;
    *n = 0;
    *errors = NULL;
    *nerrors = 0;
    struct import im = {
        .app = app, .actor = actor, .tree = app_tree(app), .name = name, .a = a, .err = err};
    int rc = table_read(data, len, name, import_row, &im, err);
    if (!rc && im.nerrors) { /* refused rows: nothing is written */
        *err = im.first;
        if (im.nerrors > 1) err_wrap(err, "%zu 行有错，整个文件未导入；第一处", im.nerrors);
        rc = im.first.kind;
        *errors = im.errors;
        *nerrors = im.nerrors;
    }
    if (!rc && !im.header) rc = err_set(err, ERR_INVALID, "%s 是空的：请按导入模板填写", name);
    if (!rc && im.n == 0) rc = err_set(err, ERR_INVALID, "%s 中没有任何用户", name);
    if (!rc) rc = write_all(&im, client);
    tree_unref(im.tree);
    if (rc) {
        for (size_t k = 0; k < im.n; k++) /* nobody was created: the passwords go */
            sodium_memzero((char *)im.rows[k].password, AUTH_ONETIME_LEN);
        return rc;
    }
    *rows = im.rows;
    *n = im.n;
    return ERR_OK;
}

int users_import_sheet(const struct user_import_row *rows, size_t n, char **data, size_t *len,
                       struct err *err)
{
    static const char *const titles[] = {"登录名", "姓名", "角色", "管辖单位", "一次性密码"};
    struct xlsx_writer *w;
    int rc = xlsx_writer_open(NULL, "一次性密码", &w, err);
    if (rc) return rc;
    xlsx_write_header(w, titles, 5);
    for (size_t k = 0; k < n; k++) {
        long r = (long)k + 1;
        xlsx_write_text(w, r, 0, rows[k].user.username);
        xlsx_write_text(w, r, 1, rows[k].user.display_name);
        xlsx_write_text(w, r, 2, rows[k].role_name);
        xlsx_write_text(w, r, 3, rows[k].unit_name);
        xlsx_write_text(w, r, 4, rows[k].password);
    }
    return xlsx_writer_close_to_memory(w, data, len, err);
}
