/* cmd_import_people.c — `jiceng import persons FILE --unit CODE`: a roster
 * (花名册) of persons with their party membership, and `jiceng import
 * households FILE --unit CODE`: households with their residents (住户表);
 * each all or nothing, every refused row printed. */
#include "app/people.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int import_persons(struct app *app, struct arena *a, const char *file, const char *data,
                          size_t len, const char *unit, struct people_row_errors *errors,
                          struct err *e)
{
    struct person_import_row *rows;
    size_t n = 0;
    struct people_import_result res;
    int rc = people_roster_read(app, a, data, len, file, unit, &rows, &n, e);
    if (!rc) rc = people_import(app, auth_cli(app), unit, rows, n, AUTH_CLI_NAME, errors, &res, e);
    if (rc) return rc;
    printf("jiceng: %zu rows read from %s: %zu persons added, %zu already registered; %zu "
           "memberships added, %zu already present\n",
           n, file, res.persons_added, res.persons_existing, res.memberships_added,
           res.memberships_existing);
    return ERR_OK;
}

static int import_households(struct app *app, const char *file, const char *data, size_t len,
                             const char *unit, struct people_row_errors *errors, struct err *e)
{
    struct households_import_result res;
    int rc = people_households_import(app, auth_cli(app), unit, data, len, file, AUTH_CLI_NAME,
                                      errors, &res, e);
    if (rc) return rc;
    printf("jiceng: %zu rows read from %s: %zu households added, %zu already registered; %zu "
           "persons added, %zu already registered; %zu residents added, %zu already present\n",
           res.rows, file, res.households_added, res.households_existing, res.persons_added,
           res.persons_existing, res.members_added, res.members_existing);
    return ERR_OK;
}

int cmd_import_people(struct cli *cli, int argc, char **argv)
{
    bool households = strcmp(argv[1], "households") == 0;
    const char *file, *unit;
    int rc = cli_sheet_args(argc, argv, &file, &unit);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    char *data;
    size_t len;
    if (cli_read_file_max(file, CLI_SHEET_MAX, &data, &len, &e))
        return cli_fail(&e, households ? "import households" : "import persons");
    struct app *app;
    rc = cli_open_app(cli, false, 1, &app);
    if (rc) {
        free(data);
        return rc;
    }
    struct arena *a = arena_new();
    struct people_row_errors errors = {.a = a};
    rc = households ? import_households(app, file, data, len, unit, &errors, &e)
                    : import_persons(app, a, file, data, len, unit, &errors, &e);
    free(data);
    app_close(app);
    if (rc) {
        rc = cli_fail(&e, "import failed, nothing was imported");
        cli_print_refused(&errors);
    }
    arena_free(a);
    return rc ? rc : EXIT_OK;
}
