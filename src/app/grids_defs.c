/* grids_defs.c — data/grids.json read and checked at start (grids.h). */
#include "app/grids.h"
#include "base/embed.h"
#include "base/mem.h"
#include "core/period.h"

#include <jansson.h>
#include <string.h>

extern const struct embed_file data_defs[];

#define GRIDS_FILE "grids.json"

static int bad(struct err *err, const char *what)
{
    return err_set(err, ERR_INVALID, "data/%s: %s", GRIDS_FILE, what);
}

static bool positive(json_t *o, const char *key, long *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 1) return false;
    *out = (long)json_integer_value(v);
    return true;
}

static int read_duty(json_t *v, struct grid_duty *d, struct err *err)
{
    const char *every = json_string_value(json_object_get(v, "every"));
    const char *target = json_string_value(json_object_get(v, "target"));
    long visits = 0;
    d->code = json_string_value(json_object_get(v, "code"));
    d->name = json_string_value(json_object_get(v, "name"));
    d->source = json_string_value(json_object_get(v, "source"));
    if (!d->code || !d->name || !d->source) return bad(err, "每项职责须有 code、name、source");
    if (!target || (strcmp(target, "unit") != 0 && strcmp(target, "household") != 0 &&
                    strcmp(target, "person") != 0))
        return bad(err, "职责的 target 须为 unit、household 或 person");
    if (!every || (strcmp(every, "month") != 0 && strcmp(every, "quarter") != 0 &&
                   strcmp(every, "year") != 0))
        return bad(err, "职责的 every 须为 month、quarter 或 year");
    if (!positive(v, "visits", &visits) || visits > 31)
        return bad(err, "职责的 visits 须为 1 到 31 的整数");
    d->household = strcmp(target, "household") == 0;
    d->person = strcmp(target, "person") == 0;
    d->records = json_is_true(json_object_get(v, "records"));
    if (d->records && d->household) return bad(err, "records 只用于联系到村（社区）的职责");
    d->every = strcmp(every, "month") == 0     ? PERIOD_MONTH
               : strcmp(every, "quarter") == 0 ? PERIOD_QUARTER
                                               : PERIOD_YEAR;
    d->visits = (int)visits;
    return ERR_OK;
}

static int read_all(json_t *root, struct grid_defs *g, struct err *err)
{
    json_t *grid = json_object_get(root, "grid"), *mh = json_object_get(root, "member_households");
    json_t *methods = json_object_get(root, "methods"), *duties = json_object_get(root, "duties");
    if (!json_string_value(json_object_get(root, "about")) ||
        !json_is_array(json_object_get(root, "sources")))
        return bad(err, "须有 about 与 sources");
    if (!positive(grid, "households_min", &g->households_min) ||
        !positive(grid, "households_max", &g->households_max) ||
        !positive(grid, "people_max", &g->people_max) || g->households_min > g->households_max ||
        !(g->grid_source = json_string_value(json_object_get(grid, "source"))))
        return bad(err, "grid 须有 households_min ≤ households_max、people_max 与 source");
    if (!positive(mh, "min", &g->member_min) || !positive(mh, "max", &g->member_max) ||
        g->member_min > g->member_max ||
        !(g->member_source = json_string_value(json_object_get(mh, "source"))) ||
        !(g->member_duty = json_string_value(json_object_get(mh, "duty"))))
        return bad(err, "member_households 须有 min ≤ max、duty 与 source");
    if (!json_is_array(methods) || !json_array_size(methods) || !json_is_array(duties))
        return bad(err, "须有 methods 与 duties 数组");
    g->methods = xcalloc(json_array_size(methods) + 1, sizeof *g->methods);
    g->duties = xcalloc(json_array_size(duties) + 1, sizeof *g->duties);
    size_t i;
    json_t *v;
    json_array_foreach(methods, i, v)
    {
        struct grid_name *m = &g->methods[g->nmethods++];
        m->code = json_string_value(json_object_get(v, "code"));
        m->name = json_string_value(json_object_get(v, "name"));
        if (!m->code || !m->name) return bad(err, "每种走访方式须有 code 与 name");
    }
    json_array_foreach(duties, i, v)
    {
        int rc = read_duty(v, &g->duties[g->nduties], err);
        if (rc) return rc;
        for (size_t k = 0; k < g->nduties; k++)
            if (strcmp(g->duties[k].code, g->duties[g->nduties].code) == 0)
                return bad(err, "职责代码重复");
        if (g->duties[g->nduties].records && g->records_duty)
            return bad(err, "只能有一项职责记录项目、就业、采购、捐赠（records）");
        if (g->duties[g->nduties].records) g->records_duty = g->duties[g->nduties].code;
        g->nduties++;
    }
    const struct grid_duty *md = NULL;
    for (size_t k = 0; k < g->nduties; k++)
        if (strcmp(g->duties[k].code, g->member_duty) == 0) md = &g->duties[k];
    if (!md || !md->household) return bad(err, "member_households.duty 须为联系到户的职责");
    return ERR_OK;
}

int grids_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, GRIDS_FILE, strlen(GRIDS_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "data/%s is not compiled in", GRIDS_FILE);
    struct grid_defs *g = xcalloc(1, sizeof *g);
    app->grids = g;
    json_error_t je;
    json_t *root = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &je);
    g->root = root;
    if (!json_is_object(root))
        return err_set(err, ERR_INVALID, "data/%s: line %d: %s", GRIDS_FILE, je.line, je.text);
    return read_all(root, g, err);
}

void grids_defs_free(struct app *app)
{
    struct grid_defs *g = app->grids;
    if (!g) return;
    json_decref(g->root);
    free(g->methods);
    free(g->duties);
    free(g);
    app->grids = NULL;
}

const struct grid_duty *grids_duty(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->grids->nduties; i++)
        if (strcmp(app->grids->duties[i].code, code) == 0) return &app->grids->duties[i];
    return NULL;
}

const char *grids_method_name(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->grids->nmethods; i++)
        if (strcmp(app->grids->methods[i].code, code) == 0) return app->grids->methods[i].name;
    return NULL;
}
