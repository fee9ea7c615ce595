/* cases_computed.c — computed elements counted from cases (cases_computed.h). */
#include "app/cases_computed.h"
#include "app/kinds.h"
#include "store/store_cases_counts.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct spec {
    char kind[WF_CODE_MAX], transition[WF_CODE_MAX]; /* transition "" = count creations */
};

static int spec_parse(const struct app *app, const char *text, struct spec *s, struct err *err)
{
    memset(s, 0, sizeof *s);
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    const char *kind = json_string_value(json_object_get(o, "kind"));
    const char *count = json_string_value(json_object_get(o, "count"));
    const char *tr = json_string_value(json_object_get(o, "transition"));
    const struct wf_kind *k = kind ? kinds_find(app, kind) : NULL;
    bool steps = count && strcmp(count, "steps") == 0;
    int rc = ERR_OK;
    if (!k)
        rc = err_set_field(err, ERR_INVALID, "computed", "computed.kind 须为已安装的事项类型");
    else if (!count || (!steps && strcmp(count, "created") != 0))
        rc = err_set_field(err, ERR_INVALID, "computed",
                           "computed.count 须为 created（期内新建）或 steps（期内办理某一步）");
    else if (steps && (!tr || !wf_transition_find(k, tr)))
        rc = err_set_field(err, ERR_INVALID, "computed", "computed.transition 须为%s的一步",
                           k->name);
    else if (json_object_size(o) != 3u + steps)
        rc = err_set_field(err, ERR_INVALID, "computed",
                           "computed 只能有 source、kind、count（steps 时另有 transition）");
    else {
        snprintf(s->kind, sizeof s->kind, "%s", k->code);
        snprintf(s->transition, sizeof s->transition, "%s", steps ? tr : "");
    }
    json_decref(o);
    return rc;
}

int cases_computed_check(const struct app *app, const char *computed, struct err *err)
{
    struct spec s;
    return spec_parse(app, computed, &s, err);
}

int cases_computed_counts(struct app *app, const char *computed, const char *start,
                          const char *next, const char *date, computed_add fn, void *ctx,
                          struct err *err)
{
    (void)date;
    struct spec s;
    int rc = spec_parse(app, computed, &s, err);
    if (rc) return rc;
    struct db *db = store_acquire(app->store);
    rc = s.transition[0]
             ? store_cases_step_counts(db, s.kind, s.transition, start, next, fn, ctx, err)
             : store_cases_created_counts(db, s.kind, start, next, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
