/* health_defs.c — data/health.json, read and checked at start (health.h).
 * The file is compiled in; an unknown key, a duplicate code, a key group
 * naming an unknown tag or a setting out of range fails the start with
 * the JSON path. */
#include "app/health.h"
#include "app/people.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct embed_file data_defs[];

#define HEALTH_FILE     "health.json"
#define HEALTH_JSON_MAX ((size_t)64 * 1024)
#define HEALTH_LIST_MAX 64

const char *health_name(const struct health_named *l, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(l[i].code, code) == 0) return l[i].name;
    return NULL;
}

/* A list of {code, name} (plus `extra` keys the caller reads). */
static int named(struct jdef *d, json_t *root, const char *key, const char *const *allowed,
                 struct health_named **out, size_t *n)
{
    json_t *l = jdef_member(root, key), *v;
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > HEALTH_LIST_MAX)
        return jdef_bad(d, key, "须为 1 至 %d 项的数组", HEALTH_LIST_MAX);
    *n = json_array_size(l);
    *out = xcalloc(*n, sizeof **out);
    size_t i;
    json_array_foreach(l, i, v)
    {
        char at[JDEF_PATH_MAX];
        jdef_index(at, key, i);
        int rc = jdef_object(d, v, at);
        if (!rc) rc = jdef_only(d, v, at, allowed);
        if (!rc) rc = jdef_text(d, v, at, "code", true, 32, &(*out)[i].code);
        if (!rc) rc = jdef_text(d, v, at, "name", true, 80, &(*out)[i].name);
        if (rc) return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp((*out)[j].code, (*out)[i].code) == 0)
                return jdef_bad(d, at, "代码 %s 重复", (*out)[i].code);
    }
    return ERR_OK;
}

static int number(struct jdef *d, json_t *o, const char *path, const char *key, double lo,
                  double hi, double *out)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    json_t *v = jdef_member(o, key);
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi)
        return jdef_bad(d, at, "须为 %g 至 %g 之间的数", lo, hi);
    *out = json_number_value(v);
    return ERR_OK;
}

/* Appends the codes of list `key` of group v to buf ",a,b,", each with
 * prefix, after checking it against the named list. */
static int tag_list(struct jdef *d, json_t *v, const char *at, const char *key, const char *prefix,
                    const struct health_named *known, size_t nknown, char *buf, size_t cap)
{
    json_t *tags = jdef_member(v, key), *t;
    if (!tags) return ERR_OK;
    if (!json_is_array(tags) || json_array_size(tags) > 8)
        return jdef_bad(d, at, "%s 须为至多 8 个标签代码的数组", key);
    size_t j;
    json_array_foreach(tags, j, t)
    {
        const char *c = json_string_value(t);
        bool ok = false;
        for (size_t k = 0; c && k < nknown; k++)
            ok = ok || strcmp(known[k].code, c) == 0;
        if (!ok) return jdef_bad(d, at, "%s 第 %zu 项不是已定义的标签代码", key, j + 1);
        size_t len = strlen(buf);
        int n = snprintf(buf + len, cap - len, "%s%s%s,", len ? "" : ",", prefix, c);
        if (n < 0 || (size_t)n >= cap - len) return jdef_bad(d, at, "%s 太长", key);
    }
    return ERR_OK;
}

static int read_groups(struct jdef *d, json_t *root, struct health_defs *h,
                       const struct health_named *household, size_t nhousehold)
{
    static const char *const allowed[] = {"code", "name",           "age_min", "age_max",
                                          "tags", "household_tags", NULL};
    json_t *l = jdef_member(root, "key_groups"), *v;
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > HEALTH_LIST_MAX)
        return jdef_bad(d, "key_groups", "须为 1 至 %d 项的数组", HEALTH_LIST_MAX);
    h->ngroups = json_array_size(l);
    h->groups = xcalloc(h->ngroups, sizeof *h->groups);
    size_t i;
    json_array_foreach(l, i, v)
    {
        char at[JDEF_PATH_MAX];
        jdef_index(at, "key_groups", i);
        struct keygroup *g = &h->groups[i];
        g->age_min = g->age_max = -1;
        g->tags = "";
        int rc = jdef_object(d, v, at);
        if (!rc) rc = jdef_only(d, v, at, allowed);
        if (!rc) rc = jdef_text(d, v, at, "code", true, 32, &g->code);
        if (!rc) rc = jdef_text(d, v, at, "name", true, 80, &g->name);
        double x = 0;
        if (!rc && jdef_member(v, "age_min") && !(rc = number(d, v, at, "age_min", 0, 150, &x)))
            g->age_min = (int)x;
        if (!rc && jdef_member(v, "age_max") && !(rc = number(d, v, at, "age_max", 0, 150, &x)))
            g->age_max = (int)x;
        if (rc) return rc;
        char buf[512] = "";
        if ((rc = tag_list(d, v, at, "tags", "", h->person_tags, h->nperson_tags, buf,
                           sizeof buf)) ||
            (rc = tag_list(d, v, at, "household_tags", HEALTH_HOUSEHOLD_TAG, household, nhousehold,
                           buf, sizeof buf)))
            return rc;
        if (*buf) {
            /* owned by the root: kept as a JSON string member */
            json_object_set_new(v, "_tags", json_string(buf));
            g->tags = json_string_value(json_object_get(v, "_tags"));
        }
        if ((g->age_min < 0 && g->age_max < 0) == (!*g->tags))
            return jdef_bad(d, at, "须按年龄（age_min/age_max）或按标签（tags）二者之一认定");
        for (size_t j = 0; j < i; j++)
            if (strcmp(h->groups[j].code, g->code) == 0)
                return jdef_bad(d, at, "代码 %s 重复", g->code);
    }
    return ERR_OK;
}

static int read_all(struct jdef *d, json_t *root, struct health_defs *h,
                    const struct health_named *household, size_t nhousehold)
{
    static const char *const top[] = {
        "about",        "facility_types", "person_tags", "key_groups", "packages",
        "stop_reasons", "contract",       "circle",      "followups",  NULL};
    static const char *const nm[] = {"code", "name", NULL};
    int rc = jdef_object(d, root, "");
    if (!rc) rc = jdef_only(d, root, "", top);
    if (!rc) rc = named(d, root, "facility_types", nm, &h->facility_types, &h->nfacility_types);
    if (!rc) rc = named(d, root, "person_tags", nm, &h->person_tags, &h->nperson_tags);
    if (!rc) rc = named(d, root, "packages", nm, &h->packages, &h->npackages);
    if (!rc) rc = named(d, root, "stop_reasons", nm, &h->stop_reasons, &h->nstop_reasons);
    if (!rc) rc = read_groups(d, root, h, household, nhousehold);
    if (rc) return rc;
    static const char *const contract[] = {"min_days", "max_days", NULL};
    static const char *const circle[] = {"minutes", "detour", "speed_kmh", "source", NULL};
    json_t *c = jdef_member(root, "contract"), *k = jdef_member(root, "circle");
    double mn = 0, mx = 0;
    if (!(rc = jdef_object(d, c, "contract"))) rc = jdef_only(d, c, "contract", contract);
    if (!rc) rc = number(d, c, "contract", "min_days", 1, 3660, &mn);
    if (!rc) rc = number(d, c, "contract", "max_days", mn, 3660, &mx);
    if (!rc) rc = jdef_object(d, k, "circle");
    if (!rc) rc = jdef_only(d, k, "circle", circle);
    if (!rc) rc = number(d, k, "circle", "minutes", 1, 240, &h->circle_minutes);
    if (!rc) rc = number(d, k, "circle", "detour", 1, 5, &h->circle_detour);
    if (!rc) rc = number(d, k, "circle", "speed_kmh", 1, 200, &h->circle_speed);
    if (!rc) rc = jdef_text(d, k, "circle", "source", true, 400, &h->circle_source);
    if (!rc) rc = health_followup_defs_read(d, root, h);
    h->contract_min_days = (int)mn;
    h->contract_max_days = (int)mx;
    return rc;
}

int health_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, HEALTH_FILE, strlen(HEALTH_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "data/%s is not compiled in", HEALTH_FILE);
    struct health_defs *h = xcalloc(1, sizeof *h);
    app->health = h;
    int rc = jdef_load((const char *)f->data, f->len, HEALTH_JSON_MAX, "健康服务定义", HEALTH_FILE,
                       &h->root, err);
    struct jdef d = {HEALTH_FILE, err, (const char *)f->data, f->len};
    /* household tags are data/people.json's, read before this file */
    const struct people_defs *pd = app->people;
    struct health_named *household = xcalloc(pd ? pd->ntags + 1 : 1, sizeof *household);
    for (size_t i = 0; pd && i < pd->ntags; i++)
        household[i] = (struct health_named){pd->tags[i].code, pd->tags[i].name};
    if (!rc) rc = read_all(&d, h->root, h, household, pd ? pd->ntags : 0);
    free(household);
    return rc ? err_wrap(err, "data/%s", HEALTH_FILE) : ERR_OK;
}

void health_defs_free(struct app *app)
{
    struct health_defs *h = app->health;
    if (!h) return;
    free(h->facility_types);
    free(h->person_tags);
    free(h->packages);
    free(h->stop_reasons);
    free(h->groups);
    free(h->followup_methods);
    free(h->followup_duties);
    if (h->root) json_decref(h->root);
    free(h);
    app->health = NULL;
}
