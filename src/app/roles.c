/*
 * roles.c — the permissions and roles, declared once in data/roles.json
 * (compiled in), checked, and seeded into the database when the app opens
 * (auth.h). Whatever else names a permission — a route, a case kind, the
 * command line's actor — is checked against this declaration, so a typo
 * fails at start instead of locking everyone out of a page at run time.
 *
 * Seeding rewrites a role only when the database differs from the file, in
 * one write transaction with an audit record, so starting a server normally
 * writes nothing. Roles the database holds beyond the file are left alone
 * (users may still have them) and logged.
 */
#include "app/app.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/mem.h"
#include "io/json_def.h"
#include "io/json_out.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

extern const struct embed_file data_defs[];

#define ROLES_FILE     "roles.json"
#define ROLES_JSON_MAX ((size_t)64 * 1024)

static bool perm_code_ok(const char *s)
{
    bool ok = s[0] >= 'a' && s[0] <= 'z';
    for (const char *c = s; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr(":_.", *c);
    return ok;
}

static int read_perms(struct jdef *d, json_t *root, struct app *app)
{
    json_t *a = jdef_member(root, "permissions"), *v;
    size_t i;
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > AUTH_MAX_PERMS)
        return jdef_bad(d, "permissions", "须为 1 到 %d 项的数组", AUTH_MAX_PERMS);
    app->perms = xcalloc(json_array_size(a) + 1, sizeof *app->perms);
    app->perm_names = xcalloc(json_array_size(a) + 1, sizeof *app->perm_names);
    json_array_foreach(a, i, v)
    {
        static const char *const keys[] = {"code", "name", NULL};
        char path[JDEF_PATH_MAX], code[48], name[64];
        jdef_index(path, "permissions", i);
        int rc = jdef_object(d, v, path);
        if (!rc) rc = jdef_only(d, v, path, keys);
        if (!rc) rc = jdef_str(d, v, path, "code", code, sizeof code);
        if (!rc) rc = jdef_str(d, v, path, "name", name, sizeof name);
        if (rc) return rc;
        if (!perm_code_ok(code)) return jdef_bad(d, path, "权限代码 \"%s\" 不合规范", code);
        if (auth_perm_declared(app, code)) return jdef_bad(d, path, "权限 \"%s\" 重复", code);
        app->perms[i] = xstrdup(code);
        app->perm_names[i] = xstrdup(name);
    }
    return ERR_OK;
}

static int read_role(struct jdef *d, json_t *o, const char *path, struct app *app,
                     struct auth_role *r)
{
    static const char *const keys[] = {"code", "name", "rank", "permissions", NULL};
    char at[JDEF_PATH_MAX];
    int rc = jdef_object(d, o, path);
    if (!rc) rc = jdef_only(d, o, path, keys);
    if (!rc) rc = jdef_str(d, o, path, "code", r->code, sizeof r->code);
    if (!rc) rc = jdef_str(d, o, path, "name", r->name, sizeof r->name);
    if (rc) return rc;
    json_t *rank = jdef_member(o, "rank"), *perms = jdef_member(o, "permissions"), *v;
    jdef_join(at, path, "rank");
    if (!json_is_integer(rank) || json_integer_value(rank) < 0 || json_integer_value(rank) > 1000)
        return jdef_bad(d, at, "须为 0 到 1000 的整数");
    r->rank = (int)json_integer_value(rank);
    jdef_join(at, path, "permissions");
    if (!json_is_array(perms) || json_array_size(perms) > AUTH_MAX_PERMS)
        return jdef_bad(d, at, "须为至多 %d 项的数组", AUTH_MAX_PERMS);
    size_t i;
    json_array_foreach(perms, i, v)
    {
        char item[JDEF_PATH_MAX];
        jdef_index(item, at, i);
        const char *p = json_string_value(v);
        if (!p || !auth_perm_declared(app, p))
            return jdef_bad(d, item, "没有声明权限 \"%s\"（见 permissions）", p ? p : "");
        for (size_t k = 0; k < i; k++)
            if (strcmp(r->perms[k], p) == 0) return jdef_bad(d, item, "权限 \"%s\" 重复", p);
        r->perms[i] = xstrdup(p);
    }
    return ERR_OK;
}

int roles_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, ROLES_FILE, strlen(ROLES_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "data/%s is not compiled in", ROLES_FILE);
    json_t *root;
    int rc = jdef_load((const char *)f->data, f->len, ROLES_JSON_MAX, "角色定义", ROLES_FILE, &root,
                       err);
    if (rc) return err_wrap(err, "data/%s", ROLES_FILE);
    struct jdef d = {ROLES_FILE, err, (const char *)f->data, f->len};
    json_t *list = jdef_member(root, "roles"), *v;
    rc = read_perms(&d, root, app);
    if (!rc && (!json_is_array(list) || json_array_size(list) == 0))
        rc = jdef_bad(&d, "roles", "须为非空数组");
    size_t i;
    if (!rc) app->roles = xcalloc(json_array_size(list), sizeof *app->roles);
    json_array_foreach(list, i, v)
    {
        if (rc) break;
        char path[JDEF_PATH_MAX];
        jdef_index(path, "roles", i);
        if ((rc = read_role(&d, v, path, app, &app->roles[i]))) break;
        if (auth_role(app, app->roles[i].code))
            rc = jdef_bad(&d, path, "角色 \"%s\" 重复", app->roles[i].code);
        app->nroles++;
    }
    json_decref(root);
    return rc ? err_wrap(err, "data/%s", ROLES_FILE) : ERR_OK;
}

void roles_free(struct app *app)
{
    for (int i = 0; i < app->nroles; i++)
        for (int k = 0; app->roles[i].perms[k]; k++)
            free((char *)app->roles[i].perms[k]);
    free(app->roles);
    app->roles = NULL;
    app->nroles = 0;
    for (int k = 0; app->perms && app->perms[k]; k++) {
        free((char *)app->perms[k]);
        free((char *)app->perm_names[k]);
    }
    free(app->perms);
    free(app->perm_names);
    app->perms = app->perm_names = NULL;
}

/* ---- seeding ---- */

/* What the database holds: role code → "name|rank|perm perm …". */
struct held {
    char text[16][AUTH_MAX_PERMS * 24 + 160];
    char code[16][32];
    int n;
};

static int hold(void *ctx, const char *code, const char *name, int rank, const char *perm)
{
    struct held *h = ctx;
    int i = 0;
    while (i < h->n && strcmp(h->code[i], code) != 0)
        i++;
    if (i == h->n) {
        if (h->n == 16) return 0; /* more roles than declared ones: nothing to compare */
        snprintf(h->code[h->n], sizeof h->code[0], "%s", code);
        snprintf(h->text[h->n++], sizeof h->text[0], "%s|%d|", name, rank);
    }
    size_t len = strlen(h->text[i]);
    snprintf(h->text[i] + len, sizeof h->text[0] - len, "%s ", perm);
    return 0;
}

/* The declared role as hold() writes it (permissions sorted, as the store lists them). */
static void declared(const struct auth_role *r, char *out, size_t cap)
{
    const char *sorted[AUTH_MAX_PERMS + 1] = {0};
    int n = 0;
    while (r->perms[n]) {
        int k = n;
        while (k > 0 && strcmp(sorted[k - 1], r->perms[n]) > 0) {
            sorted[k] = sorted[k - 1];
            k--;
        }
        sorted[k] = r->perms[n++];
    }
    size_t len = (size_t)snprintf(out, cap, "%s|%d|", r->name, r->rank);
    for (int k = 0; k < n && len < cap; k++)
        len += (size_t)snprintf(out + len, cap - len, "%s ", sorted[k]);
}

int roles_seed(struct app *app, struct err *err)
{
    struct held *h = xcalloc(1, sizeof *h);
    struct db *db = store_acquire(app->store);
    int rc = store_roles_each(db, hold, h, err);
    bool begun = false;
    struct buf changed = BUF_INIT;
    struct jw w;
    jw_init(&w, &changed);
    jw_arr(&w);
    for (int i = 0; i < app->nroles && !rc; i++) {
        const struct auth_role *r = &app->roles[i];
        char want[sizeof h->text[0]];
        declared(r, want, sizeof want);
        int k = 0;
        while (k < h->n && strcmp(h->code[k], r->code) != 0)
            k++;
        if (k < h->n && strcmp(h->text[k], want) == 0) continue;
        if (!begun && !(rc = db_begin(db, true, err))) begun = true;
        if (!rc) rc = store_role_put(db, r->code, r->name, r->rank, r->perms, err);
        jw_str(&w, r->code);
    }
    jw_arr_end(&w);
    struct audit_entry ae = {.user = AUTH_SYSTEM_NAME,
                             .action = "roles.seed",
                             .entity = "roles",
                             .after = changed.p,
                             .client = AUTH_CLI_NAME};
    if (begun && !rc) rc = store_audit_append(db, &ae, err);
    if (begun && !rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    for (int k = 0; k < h->n && !rc; k++)
        if (!auth_role(app, h->code[k]))
            log_msg(LOG_WARN, "roles.seed", "undeclared=%s", h->code[k]);
    buf_free(&changed);
    free(h);
    return rc ? err_wrap(err, "seeding the roles of data/%s", ROLES_FILE) : ERR_OK;
}
