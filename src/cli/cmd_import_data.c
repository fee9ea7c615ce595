/* cmd_import_data.c — `jiceng import elements FILE.json` and
 * `jiceng import values FILE [--period P]`: definitions and ledgers. */
#include "app/data.h"
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int import_elements(struct cli *cli, const char *path)
{
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    size_t added, existing;
    rc = definitions_load(app, path, &added, &existing, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "import elements");
    printf("jiceng: definitions from %s: %zu added, %zu already present\n", path, added, existing);
    return EXIT_OK;
}

static int import_values(struct cli *cli, const char *path, const char *period)
{
    struct err e;
    err_clear(&e);
    char *data;
    size_t len;
    if (cli_read_file(path, &data, &len, &e)) return cli_fail(&e, "import values");
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) {
        free(data);
        return rc;
    }
    struct arena *a = arena_new();
    struct value_in *items;
    size_t n = 0, changed = 0;
    rc = data_ledger_read(app, a, data, len, path, period, &items, &n, &e);
    if (!rc)
        rc = data_values_write(app, auth_cli(app), items, n, AUTH_CLI_NAME, path, &changed, &e);
    arena_free(a);
    free(data);
    app_close(app);
    if (rc) return cli_fail(&e, "import failed, nothing was imported");
    printf("jiceng: %zu values read from %s, %zu changed\n", n, path, changed);
    return EXIT_OK;
}

int cmd_import_data(struct cli *cli, int argc, char **argv)
{
    bool elements = strcmp(argv[1], "elements") == 0;
    const char *file = NULL, *period = NULL;
    for (int i = 2; i < argc; i++) {
        int m = elements ? 0 : cli_opt(argc, argv, &i, "--period", &period);
        if (m < 0) return cli_usage_error("import", "--period needs a value, e.g. 2023");
        if (m > 0) continue;
        if (argv[i][0] == '-' || file)
            return cli_usage_error("import", "unexpected argument \"%s\"", argv[i]);
        file = argv[i];
    }
    if (!file)
        return cli_usage_error("import", elements ? "give the definitions file (JSON)"
                                                  : "give the ledger file (CSV or XLSX)");
    return elements ? import_elements(cli, file) : import_values(cli, file, period);
}
