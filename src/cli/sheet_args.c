/* sheet_args.c — what the sheet imports (`import persons|households|KIND
 * FILE --unit CODE`) share: their arguments, the file, the app and the
 * refused rows printed (cli.h). */
#include "app/people.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

static int sheet_args(int argc, char **argv, const char **file, const char **unit)
{
    *file = *unit = NULL;
    for (int i = 2; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--unit", unit);
        if (m < 0) return cli_usage_error("import", "--unit needs a unit code, e.g. 411121100201");
        if (m > 0) continue;
        if (argv[i][0] == '-' || *file)
            return cli_usage_error("import", "unexpected argument \"%s\"", argv[i]);
        *file = argv[i];
    }
    if (!*file || !*unit)
        return cli_usage_error("import", "usage: jiceng import %s FILE --unit CODE", argv[1]);
    return EXIT_OK;
}

static void print_refused(const struct people_row_errors *e)
{
    for (size_t i = 1; i < e->n; i++)
        fprintf(stderr, "  第 %ld 行%s%s%s：%s\n", e->v[i].line, e->v[i].column[0] ? "“" : "",
                e->v[i].column, e->v[i].column[0] ? "”" : "", e->v[i].msg);
    if (e->total > e->n) fprintf(stderr, "  …另有 %zu 行有错\n", e->total - e->n);
}

int cli_sheet_run(struct cli *cli, int argc, char **argv, const char *what, cli_sheet_fn *fn,
                  const void *ctx)
{
    const char *file, *unit;
    int rc = sheet_args(argc, argv, &file, &unit);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    char *data;
    size_t len;
    if (cli_read_file_max(file, CLI_SHEET_MAX, &data, &len, &e)) return cli_fail(&e, what);
    struct app *app;
    rc = cli_open_app(cli, false, 1, &app);
    if (rc) {
        free(data);
        return rc;
    }
    struct arena *a = arena_new();
    struct people_row_errors errors = {.a = a};
    rc = fn(app, ctx, file, data, len, unit, &errors, &e);
    free(data);
    app_close(app);
    if (rc) {
        rc = cli_fail(&e, "import failed, nothing was imported");
        print_refused(&errors);
    }
    arena_free(a);
    return rc ? rc : EXIT_OK;
}
