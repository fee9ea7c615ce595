/* share_defs.c — data/share.json read and checked at start (share.h). An
 * unknown key or a bad figure fails the start with the JSON path. */
#include "app/share.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"

#include <string.h>

extern const struct embed_file data_defs[];

#define SHARE_FILE     "share.json"
#define SHARE_JSON_MAX ((size_t)16 * 1024)

static int int_in(struct jdef *d, json_t *root, const char *key, int lo, int hi, int *out)
{
    json_t *v = jdef_member(root, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return jdef_bad(d, key, "须为 %d 到 %d 的整数", lo, hi);
    *out = (int)json_integer_value(v);
    return ERR_OK;
}

static int load(struct jdef *d, json_t *root, struct share_defs *s)
{
    static const char *const top[] = {
        "about",          "categories",         "max_window_days", "max_title_bytes",
        "max_body_bytes", "max_building_bytes", "suggestions",     NULL};
    static const char *const cat_keys[] = {"code", "name", "hint", NULL};
    const char *about;
    int rc = jdef_only(d, root, "", top);
    if (!rc) rc = jdef_text(d, root, "", "about", true, 4000, &about);
    if (!rc) rc = int_in(d, root, "max_window_days", 1, 3660, &s->max_window_days);
    if (!rc) rc = int_in(d, root, "max_title_bytes", 10, 1000, &s->max_title);
    if (!rc) rc = int_in(d, root, "max_body_bytes", 10, 20000, &s->max_body);
    if (!rc) rc = int_in(d, root, "max_building_bytes", 4, 200, &s->max_building);
    if (!rc) rc = int_in(d, root, "suggestions", 1, 100, &s->suggestions);
    if (rc) return rc;
    json_t *l = jdef_member(root, "categories");
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > SHARE_CATEGORIES_MAX)
        return jdef_bad(d, "categories", "须为 1 到 %d 项的数组", SHARE_CATEGORIES_MAX);
    s->ncategories = json_array_size(l);
    for (size_t i = 0; i < s->ncategories; i++) {
        char at[JDEF_PATH_MAX];
        jdef_index(at, "categories", i);
        json_t *o = json_array_get(l, i);
        struct share_category *c = &s->categories[i];
        if ((rc = jdef_object(d, o, at)) || (rc = jdef_only(d, o, at, cat_keys)) ||
            (rc = jdef_text(d, o, at, "code", true, 32, &c->code)) ||
            (rc = jdef_text(d, o, at, "name", true, 32, &c->name)) ||
            (rc = jdef_text(d, o, at, "hint", true, 200, &c->hint)))
            return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(s->categories[k].code, c->code) == 0)
                return jdef_bad(d, at, "code “%s” 重复", c->code);
    }
    return ERR_OK;
}

int share_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, SHARE_FILE, strlen(SHARE_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "缺少内置的 data/%s", SHARE_FILE);
    struct share_defs *s = xcalloc(1, sizeof *s);
    app->share = s;
    int rc = jdef_load((const char *)f->data, f->len, SHARE_JSON_MAX, "共享小区规则", SHARE_FILE,
                       &s->root, err);
    if (rc) return rc;
    struct jdef d = {SHARE_FILE, err, (const char *)f->data, f->len};
    return load(&d, s->root, s);
}

void share_defs_free(struct app *app)
{
    struct share_defs *s = app->share;
    if (!s) return;
    json_decref(s->root);
    free(s);
    app->share = NULL;
}

const char *share_category_name(const struct app *app, const char *code)
{
    const struct share_defs *s = app->share;
    for (size_t i = 0; code && i < s->ncategories; i++)
        if (strcmp(s->categories[i].code, code) == 0) return s->categories[i].name;
    return NULL;
}
