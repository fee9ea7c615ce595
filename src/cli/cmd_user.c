/* cmd_user.c — `jiceng user add|passwd|disable|enable|list|import`: users from
 * scripts. A password given to add or passwd is a one-time password the user
 * must change at the next sign-in, unless --own-password says it is theirs. */
#include "app/users.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The command line's scope argument: a unit code, or "all" for the whole tree. */
static const char *scope_arg(const char *v)
{
    return strcmp(v, "all") == 0 ? "" : v;
}

static int run(struct cli *cli, const char *name, struct user_input *in, bool create)
{
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    struct arena *a = arena_new();
    struct user_row u;
    rc = create ? users_create(app, auth_cli(app), in, AUTH_CLI_NAME, a, &u, &e)
                : users_update(app, auth_cli(app), name, in, AUTH_CLI_NAME, a, &u, &e);
    if (!rc)
        printf("jiceng: user %s %s (%s, scope %s)\n", u.username, create ? "created" : "updated",
               u.role, u.scope[0] ? u.scope : "all");
    arena_free(a);
    app_close(app);
    return rc ? cli_fail(&e, name) : EXIT_OK;
}

/* Prints every user as a JSON array, phone numbers masked. */
static int list(struct cli *cli)
{
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    struct arena *a = arena_new();
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_arr(&w);
    const char *last = "";
    int n;
    do /* in pages, so a large table does not sit in one result */
        rc = users_list_json(app, a, &w, "", NULL, last, 500, &n, &last, &e);
    while (!rc && n == 500);
    jw_arr_end(&w);
    if (!rc) printf("%.*s\n", (int)b.len, b.p);
    buf_free(&b);
    arena_free(a);
    app_close(app);
    return rc ? cli_fail(&e, "user list") : EXIT_OK;
}

/* `user import FILE [--out F]`: every user of the file or none; their
 * one-time passwords go to F (0600), never to the terminal. */
static int import(struct cli *cli, int argc, char **argv)
{
    const char *path = NULL, *out = NULL;
    for (int i = 2; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--out", &out);
        if (m < 0) return cli_usage_error("user", "--out needs a value");
        if (m) continue;
        if (argv[i][0] == '-' || path)
            return cli_usage_error("user", "unexpected argument \"%s\"", argv[i]);
        path = argv[i];
    }
    if (!path) return cli_usage_error("user", "import needs the file of users");
    struct err e;
    err_clear(&e);
    char *data = NULL, *sheet = NULL;
    size_t len, slen = 0, n = 0;
    if (cli_read_file(path, &data, &len, &e)) return cli_fail(&e, "user import");
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) {
        free(data);
        return rc;
    }
    struct arena *a = arena_new();
    const char *dest = out ? out : arena_printf(a, "%s.passwords.xlsx", path);
    struct user_import_row *rows;
    struct user_row_error *errors;
    size_t nerrors;
    rc = users_import(app, auth_cli(app), data, len, path, AUTH_CLI_NAME, a, &rows, &n, &errors,
                      &nerrors, &e);
    for (size_t i = 1; rc && i < nerrors && i < USERS_IMPORT_ERRORS_MAX; i++)
        fprintf(stderr, "jiceng: %s\n", errors[i].msg); /* the first is the error itself */
    if (!rc) rc = users_import_sheet(rows, n, &sheet, &slen, &e);
    if (!rc) rc = cli_write_private(dest, sheet, slen, &e);
    if (!rc)
        printf("jiceng: %zu users created from %s; their one-time passwords are in %s\n"
               "jiceng: hand each person theirs; they must choose their own at the first sign-in\n",
               n, path, dest);
    free(sheet);
    free(data);
    arena_free(a);
    app_close(app);
    return rc ? cli_fail(&e, "user import") : EXIT_OK;
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("user",
                               "say what to do: add, passwd, disable, enable, list, import");
    const char *verb = argv[1];
    if (strcmp(verb, "list") == 0) {
        if (argc > 2) return cli_usage_error("user", "unexpected argument \"%s\"", argv[2]);
        return list(cli);
    }
    if (strcmp(verb, "import") == 0) return import(cli, argc, argv);
    bool add = strcmp(verb, "add") == 0, passwd = strcmp(verb, "passwd") == 0;
    int disabled = strcmp(verb, "disable") == 0 ? 1 : strcmp(verb, "enable") == 0 ? 0 : -1;
    if (!add && !passwd && disabled < 0)
        return cli_usage_error("user", "unknown action \"%s\"", verb);
    struct user_input in = {.disabled = add ? -1 : disabled};
    const char *name = NULL, *password_file = NULL, *scope = NULL;
    for (int i = 2; i < argc; i++) {
        int m;
        if ((m = cli_opt(argc, argv, &i, "--role", &in.role)) ||
            (m = cli_opt(argc, argv, &i, "--scope", &scope)) ||
            (m = cli_opt(argc, argv, &i, "--password-file", &password_file)) ||
            (m = cli_opt(argc, argv, &i, "--display-name", &in.display_name)) ||
            (m = cli_opt(argc, argv, &i, "--phone", &in.phone))) {
            if (m < 0) return cli_usage_error("user", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--own-password") == 0) {
            in.own_password = true;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("user", "unknown option \"%s\"", argv[i]);
        } else if (!name) {
            name = argv[i];
        } else {
            return cli_usage_error("user", "unexpected argument \"%s\"", argv[i]);
        }
    }
    if (!name) return cli_usage_error("user", "give the user's login name");
    if (!add && (in.role || scope || in.display_name || in.phone ||
                 (!passwd && (password_file || in.own_password))))
        return cli_usage_error("user", "%s takes no options but the name%s", verb,
                               passwd ? ", --password-file and --own-password" : "");
    if (add && (!in.role || !scope || !password_file))
        return cli_usage_error("user", "add needs --role, --scope and --password-file");
    if (passwd && !password_file) return cli_usage_error("user", "passwd needs --password-file");
    char password[1025];
    if (password_file) {
        struct err e;
        err_clear(&e);
        if (cli_read_password(password_file, password, sizeof password, &e))
            return cli_fail(&e, "--password-file");
        in.password = password;
    }
    if (scope) in.scope = scope_arg(scope);
    in.username = name;
    return run(cli, name, &in, add);
}
