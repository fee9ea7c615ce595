/* cmd_open311.c — `jiceng open311 key create --name NAME | key revoke ID`. */
#include "app/items.h"
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_open311(struct cli *cli, int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "key") != 0)
        return cli_usage_error("open311",
                               "use `open311 key create --name NAME` or `open311 key revoke ID`");
    bool create = strcmp(argv[2], "create") == 0;
    const char *name = NULL;
    long long id = 0;
    if (create) {
        for (int i = 3; i < argc; i++) {
            int m = cli_opt(argc, argv, &i, "--name", &name);
            if (m < 0) return cli_usage_error("open311", "--name needs a value");
            if (m == 0) return cli_usage_error("open311", "unexpected argument \"%s\"", argv[i]);
        }
        if (!name) return cli_usage_error("open311", "key create needs --name NAME");
    } else if (strcmp(argv[2], "revoke") == 0 && argc == 4) {
        char *end;
        errno = 0;
        id = strtoll(argv[3], &end, 10);
        if (errno || *end || id <= 0)
            return cli_usage_error("open311", "\"%s\" is not a key id", argv[3]);
    } else {
        return cli_usage_error("open311",
                               "use `open311 key create --name NAME` or `open311 key revoke ID`");
    }
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    char *key = NULL;
    int64_t new_id = 0;
    rc =
        create ? open311_key_create(app, name, &new_id, &key, &e) : open311_key_revoke(app, id, &e);
    app_close(app);
    if (rc) return cli_fail(&e, create ? "open311 key create" : "open311 key revoke");
    if (create && key) {
        /* The key alone on stdout, so scripts can capture it. */
        printf("%s\n", key);
        fprintf(stderr,
                "jiceng: Open311 API key %lld for \"%s\" created; revoke with "
                "`jiceng open311 key revoke %lld`\n",
                (long long)new_id, name, (long long)new_id);
        free(key);
    } else {
        printf("jiceng: Open311 API key %lld revoked\n", id);
    }
    return EXIT_OK;
}
