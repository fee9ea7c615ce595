/* cmd_token.c — `jiceng token create|revoke`: bearer tokens for scripts. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int create(struct cli *cli, const char *user, const char *label)
{
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    int64_t id;
    char *token = NULL;
    rc = auth_token_create(app, user, label, &id, &token, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "token create");
    /* The token alone on stdout, so scripts can capture it; the id for revoking on stderr. */
    printf("%s\n", token);
    fprintf(stderr, "jiceng: token %lld for %s created; revoke with `jiceng token revoke %lld`\n",
            (long long)id, user, (long long)id);
    free(token);
    return EXIT_OK;
}

static int revoke(struct cli *cli, const char *arg)
{
    char *end;
    errno = 0;
    long long id = strtoll(arg, &end, 10);
    if (errno || *end || id <= 0) return cli_usage_error("token", "\"%s\" is not a token id", arg);
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    rc = auth_token_revoke(app, auth_cli(app), id, 0, AUTH_CLI_NAME, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "token revoke");
    printf("jiceng: token %lld revoked\n", id);
    return EXIT_OK;
}

int cmd_token(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "create") == 0) {
        const char *user = NULL, *label = "cli";
        for (int i = 2; i < argc; i++) {
            int m;
            if ((m = cli_opt(argc, argv, &i, "--user", &user)) ||
                (m = cli_opt(argc, argv, &i, "--label", &label))) {
                if (m < 0) return cli_usage_error("token", "%s needs a value", argv[i]);
            } else {
                return cli_usage_error("token", "unexpected argument \"%s\"", argv[i]);
            }
        }
        if (!user) return cli_usage_error("token", "create needs --user NAME");
        return create(cli, user, label);
    }
    if (argc == 3 && strcmp(argv[1], "revoke") == 0) return revoke(cli, argv[2]);
    return cli_usage_error("token", "use `token create --user NAME` or `token revoke ID`");
}
