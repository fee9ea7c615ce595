/* cmd_user.c — `jiceng user add|passwd|disable|enable|list`: users from scripts. */
#include "app/users.h"
#include "cli/cli.h"

#include <stdio.h>
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

int cmd_user(struct cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("user", "say what to do: add, passwd, disable, enable, list");
    const char *verb = argv[1];
    if (strcmp(verb, "list") == 0) {
        if (argc > 2) return cli_usage_error("user", "unexpected argument \"%s\"", argv[2]);
        return list(cli);
    }
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
        } else if (argv[i][0] == '-') {
            return cli_usage_error("user", "unknown option \"%s\"", argv[i]);
        } else if (!name) {
            name = argv[i];
        } else {
            return cli_usage_error("user", "unexpected argument \"%s\"", argv[i]);
        }
    }
    if (!name) return cli_usage_error("user", "give the user's login name");
    if (!add && (in.role || scope || in.display_name || in.phone || (!passwd && password_file)))
        return cli_usage_error("user", "%s takes no options but the name%s", verb,
                               passwd ? " and --password-file" : "");
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
