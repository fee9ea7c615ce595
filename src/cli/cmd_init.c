/* cmd_init.c — `jiceng init`: create or bring up to date the data directory. */
#include "cli/cli.h"

#include <stdio.h>

int cmd_init(struct cli *cli, int argc, char **argv)
{
    (void)argv;
    if (argc > 1) return cli_usage_error("init", "unexpected argument \"%s\"", argv[1]);
    struct app *app;
    int rc = cli_open_app(cli, true, 1, &app);
    if (rc) return rc;
    struct db *db = store_acquire(app->store);
    struct err e;
    err_clear(&e);
    int version = 0;
    rc = store_schema_version(db, &version, &e);
    store_release(app->store, db);
    if (rc == ERR_OK)
        printf("jiceng: data directory %s ready (schema version %d, %u units)\n", cli->cfg.data,
               version, tree_count(app->tree));
    app_close(app);
    return rc ? cli_fail(&e, "init") : EXIT_OK;
}
