/* cmd_import_people.c — `jiceng import persons FILE --unit CODE`: a roster
 * (花名册) of persons with their party membership, and `jiceng import
 * households FILE --unit CODE`: households with their residents (住户表);
 * each all or nothing, every refused row printed. */
#include "app/people.h"
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROSTER_FILE_MAX (256L << 20)

static int read_file(const char *path, char **data, size_t *len, struct err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
    char *buf = malloc(ROSTER_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, ROSTER_FILE_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || n > ROSTER_FILE_MAX) {
        free(buf);
        return err_set(err, ERR_TOO_LARGE, "%s is larger than %ld MiB", path,
                       ROSTER_FILE_MAX >> 20);
    }
    *data = buf;
    *len = n;
    return ERR_OK;
}

/* Every refused row after the first (which cli_fail prints), one a line. */
static void print_refused(const struct people_row_errors *e)
{
    for (size_t i = 1; i < e->n; i++)
        fprintf(stderr, "  第 %ld 行%s%s%s：%s\n", e->v[i].line, e->v[i].column[0] ? "“" : "",
                e->v[i].column, e->v[i].column[0] ? "”" : "", e->v[i].msg);
    if (e->total > e->n) fprintf(stderr, "  …另有 %zu 行有错\n", e->total - e->n);
}

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
    const char *file = NULL, *unit = NULL;
    for (int i = 2; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--unit", &unit);
        if (m < 0) return cli_usage_error("import", "--unit needs a unit code, e.g. 411121100201");
        if (m > 0) continue;
        if (argv[i][0] == '-' || file)
            return cli_usage_error("import", "unexpected argument \"%s\"", argv[i]);
        file = argv[i];
    }
    if (!file || !unit)
        return cli_usage_error("import", "usage: jiceng import %s FILE --unit CODE", argv[1]);
    struct err e;
    err_clear(&e);
    char *data;
    size_t len;
    if (read_file(file, &data, &len, &e))
        return cli_fail(&e, households ? "import households" : "import persons");
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
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
        print_refused(&errors);
    }
    arena_free(a);
    return rc ? rc : EXIT_OK;
}
