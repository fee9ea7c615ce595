/* cmd_import_sheets.c — `jiceng import KIND FILE --unit CODE` for the
 * registers that come in from a sheet over HTTP too (projects, volunteer
 * teams, health facilities, contracts and village locations, the 双随机
 * registries, grids): one row of the table below per KIND, each an app
 * import with one signature (adapters where the app's differs); all or
 * nothing, every refused row printed, acting as the command line. */
#include "app/grids.h"
#include "app/health.h"
#include "app/inspections.h"
#include "app/people.h"
#include "app/projects.h"
#include "app/volunteers.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

/* The common signature; errors->a is the arena of the run. */
typedef int sheet_import_fn(struct app *app, const struct auth_user *actor, const char *scope,
                            const char *data, size_t len, const char *name, const char *client,
                            struct people_row_errors *errors, size_t *rows, struct err *err);

/* Adapters whose import counts more than rows print their own line. */
static int import_volunteers(struct app *app, const struct auth_user *actor, const char *scope,
                             const char *data, size_t len, const char *name, const char *client,
                             struct people_row_errors *errors, size_t *rows, struct err *err)
{
    struct vol_import_result res = {0};
    int rc = volunteers_import(app, actor, scope, data, len, name, client, errors, &res, err);
    if (rc) return rc;
    *rows = res.rows;
    printf("jiceng: %zu rows read from %s: %zu teams added; %zu members added, %zu already "
           "members\n",
           res.rows, name, res.teams_added, res.members_added, res.members_existing);
    return ERR_OK;
}

static int import_grids(struct app *app, const struct auth_user *actor, const char *scope,
                        const char *data, size_t len, const char *name, const char *client,
                        struct people_row_errors *errors, size_t *rows, struct err *err)
{
    struct grids_import_result res = {0};
    int rc = grids_import(app, actor, scope, data, len, name, client, errors->a, errors, &res, err);
    if (rc) return rc;
    *rows = res.grids;
    printf("jiceng: %zu rows read from %s: %zu grids added, %zu grid workers appointed\n",
           res.grids, name, res.grids, res.workers);
    for (size_t i = 0; i < res.nwarnings; i++)
        printf("  注意 %s\n", res.warnings[i]);
    return ERR_OK;
}

#define INSPECTIONS_ADAPTER(fn, which)                                                             \
    static int fn(struct app *app, const struct auth_user *actor, const char *scope,               \
                  const char *data, size_t len, const char *name, const char *client,              \
                  struct people_row_errors *errors, size_t *rows, struct err *err)                 \
    {                                                                                              \
        return inspections_import(app, actor, which, scope, data, len, name, client, errors, rows, \
                                  err);                                                            \
    }
INSPECTIONS_ADAPTER(import_insp_items, INSP_ITEMS)
INSPECTIONS_ADAPTER(import_insp_targets, INSP_TARGETS)
INSPECTIONS_ADAPTER(import_insp_inspectors, INSP_INSPECTORS)

static const struct sheet_kind {
    const char *kind; /* argv[1] */
    const char *done; /* "N <done>" after the rows read; NULL: fn prints */
    sheet_import_fn *fn;
} kinds[] = {
    {"projects", "projects added", projects_import},
    {"volunteer-teams", NULL, import_volunteers},
    {"facilities", "facilities added", health_facilities_import},
    {"contracts", "contracts added", health_contracts_sheet_import},
    {"health-points", "village locations set", health_points_import},
    {"inspection-items", "inspection items added", import_insp_items},
    {"inspection-targets", "inspection targets added", import_insp_targets},
    {"inspection-inspectors", "inspectors added", import_insp_inspectors},
    {"grids", NULL, import_grids},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* Every KIND of `jiceng import`, for the usage error. */
static void kinds_list(char *out, size_t cap)
{
    int n = snprintf(out, cap, "units, elements, values, persons, households");
    for (size_t i = 0; i < NKINDS && n > 0 && (size_t)n < cap; i++)
        n += snprintf(out + n, cap - (size_t)n, "%s%s", i + 1 < NKINDS ? ", " : " or ",
                      kinds[i].kind);
}

static int unit_known(struct app *app, const char *unit, struct err *err)
{
    struct tree *t = app_tree(app);
    bool found = t && tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!found) return err_set_field(err, ERR_NOT_FOUND, "unit", "没有代码为 %s 的单位", unit);
    return ERR_OK;
}

static int import_sheet(struct app *app, const void *ctx, const char *file, const char *data,
                        size_t len, const char *unit, struct people_row_errors *errors,
                        struct err *e)
{
    const struct sheet_kind *k = ctx;
    size_t rows = 0;
    int rc = unit_known(app, unit, e);
    if (!rc) rc = k->fn(app, auth_cli(app), unit, data, len, file, AUTH_CLI_NAME, errors, &rows, e);
    if (!rc && k->done)
        printf("jiceng: %zu rows read from %s: %zu %s\n", rows, file, rows, k->done);
    return rc;
}

int cmd_import_sheets(struct cli *cli, int argc, char **argv)
{
    const struct sheet_kind *k = NULL;
    for (size_t i = 0; argc >= 2 && i < NKINDS && !k; i++)
        if (strcmp(argv[1], kinds[i].kind) == 0) k = &kinds[i];
    if (!k) {
        char list[512];
        kinds_list(list, sizeof list);
        if (argc < 2) return cli_usage_error("import", "say what to import: %s", list);
        return cli_usage_error("import", "cannot import \"%s\": say %s", argv[1], list);
    }
    return cli_sheet_run(cli, argc, argv, "import", import_sheet, k);
}
