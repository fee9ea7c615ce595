/* contests_defs.c — data/contests.json (contests.h), read and checked at
 * start: weights adding up to 100, criteria with positive maxima, awards
 * each with a count or a share and a fund. A bad figure fails the start
 * with the JSON path. */
#include "app/contests.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"
#include "io/json_out.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

extern const struct embed_file data_defs[];

#define CONTESTS_FILE     "contests.json"
#define CONTESTS_JSON_MAX ((size_t)16 * 1024)

static int load_criteria(struct jdef *d, json_t *l)
{
    static const char *const keys[] = {"name", "max", NULL};
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > CONTEST_CRITERIA_MAX)
        return jdef_bad(d, "criteria", "须为 1 到 %d 项的数组", CONTEST_CRITERIA_MAX);
    for (size_t i = 0; i < json_array_size(l); i++) {
        char at[JDEF_PATH_MAX];
        const char *name;
        jdef_index(at, "criteria", i);
        json_t *o = json_array_get(l, i), *max = json_object_get(o, "max");
        int rc;
        if ((rc = jdef_object(d, o, at)) || (rc = jdef_only(d, o, at, keys)) ||
            (rc = jdef_text(d, o, at, "name", true, 64, &name)))
            return rc;
        if (!json_is_number(max) || json_number_value(max) <= 0 || json_number_value(max) > 1000)
            return jdef_bad(d, at, "max 须为大于 0、不超过 1000 的分数");
    }
    return ERR_OK;
}

static int load_awards(struct jdef *d, json_t *l)
{
    static const char *const keys[] = {"name", "count", "share", "fund", NULL};
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > CONTEST_AWARDS_MAX)
        return jdef_bad(d, "awards", "须为 1 到 %d 项的数组", CONTEST_AWARDS_MAX);
    for (size_t i = 0; i < json_array_size(l); i++) {
        char at[JDEF_PATH_MAX];
        const char *name;
        jdef_index(at, "awards", i);
        json_t *o = json_array_get(l, i);
        int rc;
        if ((rc = jdef_object(d, o, at)) || (rc = jdef_only(d, o, at, keys)) ||
            (rc = jdef_text(d, o, at, "name", true, 32, &name)))
            return rc;
        json_t *count = json_object_get(o, "count"), *share = json_object_get(o, "share"),
               *fund = json_object_get(o, "fund");
        bool by_count = json_is_integer(count) && json_integer_value(count) > 0 &&
                        json_integer_value(count) <= CONTEST_CONTESTANTS_MAX;
        bool by_share = json_is_number(share) && json_number_value(share) > 0 &&
                        json_number_value(share) <= 100;
        if (by_count == by_share)
            return jdef_bad(d, at, "须写 count（名额）或 share（所占百分比）之一");
        if (!json_is_number(fund) || json_number_value(fund) < 0)
            return jdef_bad(d, at, "fund 须为不小于 0 的扶持资金（元）");
    }
    return ERR_OK;
}

static char *dump(json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
}

static int load(struct jdef *d, json_t *root, struct contest_defs *c)
{
    static const char *const top[] = {"about",   "sources", "weights", "criteria",
                                      "recusal", "awards",  NULL};
    static const char *const wkeys[] = {"stage", "site", NULL};
    const char *about, *recusal;
    int rc = jdef_only(d, root, "", top);
    if (!rc) rc = jdef_text(d, root, "", "about", true, 4000, &about);
    if (!rc) rc = jdef_text(d, root, "", "recusal", true, 400, &recusal);
    json_t *w = jdef_member(root, "weights");
    if (!rc) rc = jdef_object(d, w, "weights");
    if (!rc) rc = jdef_only(d, w, "weights", wkeys);
    if (rc) return rc;
    json_t *stage = json_object_get(w, "stage"), *site = json_object_get(w, "site");
    if (!json_is_integer(stage) || !json_is_integer(site) ||
        !contest_weights_ok((int)json_integer_value(stage), (int)json_integer_value(site)))
        return jdef_bad(d, "weights", "stage 与 site 须为 0 到 100 的整数且合计 100");
    c->stage_weight = (int)json_integer_value(stage);
    c->site_weight = (int)json_integer_value(site);
    if ((rc = load_criteria(d, jdef_member(root, "criteria"))) ||
        (rc = load_awards(d, jdef_member(root, "awards"))))
        return rc;
    return ERR_OK;
}

int contests_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, CONTESTS_FILE, strlen(CONTESTS_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "缺少内置的 data/%s", CONTESTS_FILE);
    struct contest_defs *c = xcalloc(1, sizeof *c);
    app->contest = c;
    int rc = jdef_load((const char *)f->data, f->len, CONTESTS_JSON_MAX, "擂台比武规则",
                       CONTESTS_FILE, &c->root, err);
    if (rc) return rc;
    struct jdef d = {CONTESTS_FILE, err, (const char *)f->data, f->len};
    if ((rc = load(&d, c->root, c))) return rc;
    char *criteria = dump(json_object_get(c->root, "criteria"));
    char *awards = dump(json_object_get(c->root, "awards"));
    /* kept as members of root, so root owns them */
    json_object_set_new(c->root, "_criteria_text", json_string(criteria ? criteria : "[]"));
    json_object_set_new(c->root, "_awards_text", json_string(awards ? awards : "[]"));
    free(criteria);
    free(awards);
    c->criteria = json_string_value(json_object_get(c->root, "_criteria_text"));
    c->awards = json_string_value(json_object_get(c->root, "_awards_text"));
    return ERR_OK;
}

void contests_defs_free(struct app *app)
{
    struct contest_defs *c = app->contest;
    if (!c) return;
    json_decref(c->root);
    free(c);
    app->contest = NULL;
}

void contests_defs_write(const struct app *app, struct jw *w)
{
    const struct contest_defs *c = app->contest;
    jw_obj(w);
    jw_key(w, "weights");
    jw_obj(w);
    jw_kint(w, "stage", c->stage_weight);
    jw_kint(w, "site", c->site_weight);
    jw_obj_end(w);
    jw_key(w, "criteria");
    jw_raw(w, c->criteria, strlen(c->criteria));
    jw_key(w, "awards");
    jw_raw(w, c->awards, strlen(c->awards));
    jw_kstr(w, "recusal", json_string_value(json_object_get(c->root, "recusal")));
    jw_obj_end(w);
}
