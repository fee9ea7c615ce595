/* projects_defs.c — data/projects.json, read and checked at start
 * (projects.h). An unknown key or a duplicate code fails the start with
 * the JSON path. */
#include "app/projects.h"
#include "app/items.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"

#include <string.h>

extern const struct embed_file data_defs[];

#define PROJECTS_FILE     "projects.json"
#define PROJECTS_JSON_MAX ((size_t)32 * 1024)
#define NATURES_MAX       32

static int load(struct app *app, struct jdef *d, json_t *root, struct project_defs *p)
{
    static const char *const top[] = {"about", "natures", "due_soon_days", "late_case", NULL};
    static const char *const nature_keys[] = {"code", "name", NULL};
    static const char *const late_keys[] = {"kind", "deadline_days", NULL};
    int rc = jdef_only(d, root, "", top);
    if (rc) return rc;
    json_t *l = jdef_member(root, "natures");
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > NATURES_MAX)
        return jdef_bad(d, "natures", "须为 1 到 %d 项的数组", NATURES_MAX);
    p->nnatures = json_array_size(l);
    p->natures = xcalloc(p->nnatures, sizeof *p->natures);
    for (size_t i = 0; i < p->nnatures; i++) {
        char at[JDEF_PATH_MAX];
        jdef_index(at, "natures", i);
        json_t *o = json_array_get(l, i);
        if ((rc = jdef_object(d, o, at)) || (rc = jdef_only(d, o, at, nature_keys)) ||
            (rc = jdef_text(d, o, at, "code", true, 32, &p->natures[i].code)) ||
            (rc = jdef_text(d, o, at, "name", true, 64, &p->natures[i].name)))
            return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->natures[k].code, p->natures[i].code) == 0)
                return jdef_bad(d, at, "代码 %s 重复", p->natures[i].code);
    }
    json_t *days = jdef_member(root, "due_soon_days");
    if (!json_is_integer(days) || json_integer_value(days) < 1 || json_integer_value(days) > 90)
        return jdef_bad(d, "due_soon_days", "须为 1 到 90 的整数（天）");
    p->due_soon_days = (int)json_integer_value(days);
    json_t *late = jdef_member(root, "late_case");
    if ((rc = jdef_object(d, late, "late_case")) ||
        (rc = jdef_only(d, late, "late_case", late_keys)) ||
        (rc = jdef_text(d, late, "late_case", "kind", true, 32, &p->late_kind)))
        return rc;
    if (!items_kind(app, p->late_kind))
        return jdef_bad(d, "late_case.kind", "须为事项类的案件种类（如 problem）");
    json_t *dl = jdef_member(late, "deadline_days");
    if (!json_is_integer(dl) || json_integer_value(dl) < 1 || json_integer_value(dl) > 365)
        return jdef_bad(d, "late_case.deadline_days", "须为 1 到 365 的整数（天）");
    p->late_deadline_days = (int)json_integer_value(dl);
    return ERR_OK;
}

int projects_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, PROJECTS_FILE, strlen(PROJECTS_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "缺少内置的 data/%s", PROJECTS_FILE);
    struct project_defs *p = xcalloc(1, sizeof *p);
    app->projects = p;
    int rc = jdef_load((const char *)f->data, f->len, PROJECTS_JSON_MAX, "重点项目规则",
                       PROJECTS_FILE, &p->root, err);
    if (rc) return rc;
    struct jdef d = {PROJECTS_FILE, err, (const char *)f->data, f->len};
    return load(app, &d, p->root, p);
}

void projects_defs_free(struct app *app)
{
    struct project_defs *p = app->projects;
    if (!p) return;
    free(p->natures);
    json_decref(p->root);
    free(p);
    app->projects = NULL;
}

const struct project_nature *projects_nature(const struct app *app, const char *code)
{
    const struct project_defs *p = app->projects;
    for (size_t i = 0; code && i < p->nnatures; i++)
        if (strcmp(p->natures[i].code, code) == 0) return &p->natures[i];
    return NULL;
}
