/* cmd_init.c — `jiceng init`: create or bring up to date the data directory,
 * and on the first run the administrator. */
#include "app/keyfile.h"
#include "app/users.h"
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define ADMIN "admin"

/* Creates `admin` unless it exists; prints the password when generated. */
static int ensure_admin(struct app *app, const char *password_file, struct err *err)
{
    struct arena *a = arena_new();
    const char *scope;
    int rc = users_scope_of(app, a, ADMIN, &scope, err);
    if (rc != ERR_NOT_FOUND) {
        if (!rc && password_file) printf("jiceng: user admin exists; password left unchanged\n");
        arena_free(a);
        return rc;
    }
    err_clear(err);
    char password[1025];
    rc = ERR_OK;
    if (password_file)
        rc = cli_read_password(password_file, password, sizeof password, err);
    else
        auth_random_password(password);
    struct user_input in = {.username = ADMIN,
                            .display_name = "系统管理员",
                            .password = password,
                            .role = "admin",
                            .scope = "",
                            .disabled = -1,
                            /* a file: the operator's own choice; generated: one-time */
                            .own_password = password_file != NULL};
    struct user_row u;
    if (!rc) rc = users_create(app, auth_cli(app), &in, AUTH_CLI_NAME, a, &u, err);
    char path[CONFIG_PATH_MAX + 32];
    users_admin_password_path(app, path, sizeof path);
    char line[1100];
    int ll = snprintf(line, sizeof line, "%s\n", password);
    if (!rc && !password_file && (rc = cli_write_private(path, line, (size_t)ll, err)) == ERR_OK)
        printf("jiceng: administrator `admin` created; its one-time password is in %s\n"
               "jiceng: sign in as admin with it and choose your own (the file is then removed)\n",
               path);
    else if (!rc)
        printf("jiceng: administrator `admin` created with the password from %s\n", password_file);
    sodium_memzero(password, sizeof password);
    sodium_memzero(line, sizeof line);
    arena_free(a);
    return rc;
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
    const char *password_file = NULL;
    for (int i = 1; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--admin-password-file", &password_file);
        if (m < 0) return cli_usage_error("init", "--admin-password-file needs a value");
        if (m == 0) return cli_usage_error("init", "unexpected argument \"%s\"", argv[i]);
    }
    struct app *app;
    int rc = cli_open_app(cli, true, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    int version = 0;
    rc = app_schema_version(app, &version, &e);
    if (rc == ERR_OK)
        printf("jiceng: data directory %s ready (schema version %d, %u units)\n", cli->cfg.data,
               version, tree_count(app->tree));
    if (rc == ERR_OK) {
        char key[CONFIG_PATH_MAX + 32];
        keyfile_path(&cli->cfg, key, sizeof key);
        printf("jiceng: personal-data key file %s\n", key);
        printf("jiceng: 警告：请把密钥文件与数据库分开备份；密钥文件一旦丢失，"
               "已加密的个人信息将永远无法读取。\n");
        rc = ensure_admin(app, password_file, &e);
    }
    app_close(app);
    return rc ? cli_fail(&e, "init") : EXIT_OK;
}
