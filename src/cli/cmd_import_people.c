/* cmd_import_people.c — `jiceng import persons FILE --unit CODE`: a roster
 * (花名册) of persons with their party membership, and `jiceng import
 * households FILE --unit CODE`: households with their residents (住户表);
 * each all or nothing, every refused row printed. */
#include "app/people.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int import_persons(struct app *app, const void *ctx, const char *file, const char *data,
                          size_t len, const char *unit, struct people_row_errors *errors,
                          struct err *e)
{
    (void)ctx;
    struct person_import_row *rows;
    size_t n = 0;
    struct people_import_result res;
    int rc = people_roster_read(app, errors->a, data, len, file, unit, &rows, &n, e);
    if (!rc) rc = people_import(app, auth_cli(app), unit, rows, n, AUTH_CLI_NAME, errors, &res, e);
    if (rc) return rc;
    printf("jiceng: %zu rows read from %s: %zu persons added, %zu already registered; %zu "
           "memberships added, %zu already present\n",
           n, file, res.persons_added, res.persons_existing, res.memberships_added,
           res.memberships_existing);
    return ERR_OK;
}

static int import_households(struct app *app, const void *ctx, const char *file, const char *data,
                             size_t len, const char *unit, struct people_row_errors *errors,
                             struct err *e)
{
    (void)ctx;
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
    if (strcmp(argv[1], "households") == 0)
        return cli_sheet_run(cli, argc, argv, "import households", import_households, NULL);
    return cli_sheet_run(cli, argc, argv, "import persons", import_persons, NULL);
}
