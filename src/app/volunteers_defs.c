/* volunteers_defs.c — data/volunteers.json (and data/timebank.json's
 * coins_per_hour, checked by timebank_defs_check), read and checked at
 * start (volunteers.h). An unknown key or a bad figure fails the start
 * with the JSON path. */
#include "app/timebank.h"
#include "app/volunteers.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"

#include <string.h>

extern const struct embed_file data_defs[];

#define VOLUNTEERS_FILE     "volunteers.json"
#define VOLUNTEERS_JSON_MAX ((size_t)16 * 1024)

static int int_in(struct jdef *d, json_t *root, const char *key, int lo, int hi, int *out)
{
    json_t *v = jdef_member(root, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return jdef_bad(d, key, "须为 %d 到 %d 的整数", lo, hi);
    *out = (int)json_integer_value(v);
    return ERR_OK;
}

static int load(struct jdef *d, json_t *root, struct volunteer_defs *v)
{
    static const char *const top[] = {"about", "max_hours_per_day", "max_travel_minutes", "stars",
                                      NULL};
    static const char *const star_keys[] = {"level", "name", "hours", NULL};
    const char *about;
    int hours = 0;
    int rc = jdef_only(d, root, "", top);
    if (!rc) rc = jdef_text(d, root, "", "about", true, 4000, &about);
    if (!rc) rc = int_in(d, root, "max_hours_per_day", 1, 24, &hours);
    if (!rc) rc = int_in(d, root, "max_travel_minutes", 0, 24 * 60, &v->max_travel_minutes);
    if (rc) return rc;
    v->max_minutes = hours * 60;
    json_t *l = jdef_member(root, "stars");
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > VOL_STARS_MAX)
        return jdef_bad(d, "stars", "须为 1 到 %d 项的数组", VOL_STARS_MAX);
    v->nstars = json_array_size(l);
    for (size_t i = 0; i < v->nstars; i++) {
        char at[JDEF_PATH_MAX];
        jdef_index(at, "stars", i);
        json_t *o = json_array_get(l, i);
        if ((rc = jdef_object(d, o, at)) || (rc = jdef_only(d, o, at, star_keys)) ||
            (rc = jdef_text(d, o, at, "name", true, 64, &v->stars[i].name)))
            return rc;
        json_t *level = json_object_get(o, "level"), *h = json_object_get(o, "hours");
        if (!json_is_integer(level) || json_integer_value(level) != (json_int_t)i + 1)
            return jdef_bad(d, at, "level 须依次为 1、2、3……");
        if (!json_is_number(h) || json_number_value(h) <= 0 ||
            (i > 0 && json_number_value(h) <= v->stars[i - 1].hours))
            return jdef_bad(d, at, "hours 须为大于 0 且逐级递增的小时数");
        v->stars[i].level = (int)i + 1;
        v->stars[i].hours = json_number_value(h);
    }
    return ERR_OK;
}

int volunteers_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, VOLUNTEERS_FILE, strlen(VOLUNTEERS_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "缺少内置的 data/%s", VOLUNTEERS_FILE);
    struct volunteer_defs *v = xcalloc(1, sizeof *v);
    app->vol = v;
    int rc = timebank_defs_check(&v->coins_per_hour, err);
    if (!rc)
        rc = jdef_load((const char *)f->data, f->len, VOLUNTEERS_JSON_MAX, "志愿服务规则",
                       VOLUNTEERS_FILE, &v->root, err);
    if (rc) return rc;
    struct jdef d = {VOLUNTEERS_FILE, err, (const char *)f->data, f->len};
    return load(&d, v->root, v);
}

void volunteers_defs_free(struct app *app)
{
    struct volunteer_defs *v = app->vol;
    if (!v) return;
    json_decref(v->root);
    free(v);
    app->vol = NULL;
}

const struct vol_star *volunteers_star(const struct app *app, double hours)
{
    const struct volunteer_defs *v = app->vol;
    const struct vol_star *s = NULL;
    for (size_t i = 0; i < v->nstars; i++)
        if (hours + 1e-9 >= v->stars[i].hours) s = &v->stars[i];
    return s;
}
