/* events_defs.c — data/events.json, read and checked at start (events.h).
 * The file is compiled in; an unknown key, a duplicate code, an unknown
 * organisation type, membership kind, stage or event type fails the start
 * with the JSON path. Read after data/people.json, whose codes it names. */
#include "app/events.h"
#include "base/buf.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"

#include <string.h>

extern const struct embed_file data_defs[];

#define EVENTS_FILE     "events.json"
#define EVENTS_JSON_MAX ((size_t)64 * 1024)
#define EVENTS_LIST_MAX 64

/* A list of at most EVENTS_LIST_MAX entries (absent: empty). */
static int list(struct jdef *d, json_t *o, const char *path, const char *key, json_t **out)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    *out = jdef_member(o, key);
    if (*out && (!json_is_array(*out) || json_array_size(*out) > EVENTS_LIST_MAX))
        return jdef_bad(d, at, "须为至多 %d 项的数组", EVENTS_LIST_MAX);
    return ERR_OK;
}

/* ",a,b," of string codes each accepted by known(code). */
static int codes(struct jdef *d, json_t *o, const char *path, const char *key,
                 bool (*known)(const struct app *, const void *, const char *),
                 const struct app *app, const void *arg, struct arena *a, const char **out)
{
    json_t *l, *v;
    int rc = list(d, o, path, key, &l);
    *out = "";
    if (rc || !l) return rc;
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    struct buf b = BUF_INIT;
    size_t i;
    json_array_foreach(l, i, v)
    {
        const char *code = json_string_value(v);
        if (!code || !known(app, arg, code)) {
            buf_free(&b);
            return jdef_bad(d, at, "第 %zu 项不是已定义的代码", i + 1);
        }
        buf_printf(&b, "%s%s,", i ? "" : ",", code);
    }
    *out = arena_strndup(a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return ERR_OK;
}

static bool org_type_known(const struct app *app, const void *arg, const char *code)
{
    (void)arg;
    return people_name(app->people->org_types, app->people->norg_types, code) != NULL;
}

static bool stage_known(const struct app *app, const void *arg, const char *code)
{
    (void)app;
    return people_stage(arg, code) != NULL;
}

static int named(struct jdef *d, json_t *l, const char *path, struct arena *a,
                 struct people_named **out, size_t *n)
{
    *n = json_array_size(l);
    *out = arena_zalloc(a, (*n + 1) * sizeof **out);
    json_t *v;
    size_t i;
    json_array_foreach(l, i, v)
    {
        static const char *const keys[] = {"code", "name", NULL};
        char at[JDEF_PATH_MAX];
        jdef_index(at, path, i);
        int rc = jdef_object(d, v, at);
        if (!rc) rc = jdef_only(d, v, at, keys);
        if (!rc) rc = jdef_text(d, v, at, "code", true, 400, &(*out)[i].code);
        if (!rc) rc = jdef_text(d, v, at, "name", true, 400, &(*out)[i].name);
        if (rc) return rc;
        if (people_name(*out, i, (*out)[i].code))
            return jdef_bad(d, at, "代码 \"%s\" 重复", (*out)[i].code);
    }
    return ERR_OK;
}

static int read_fields(struct jdef *d, json_t *o, const char *path, struct arena *a,
                       struct event_type *t)
{
    json_t *l, *v;
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "fields");
    int rc = list(d, o, path, "fields", &l);
    if (rc) return rc;
    t->nfields = l ? json_array_size(l) : 0;
    t->fields = arena_zalloc(a, (t->nfields + 1) * sizeof *t->fields);
    size_t i;
    json_array_foreach(l, i, v)
    {
        static const char *const keys[] = {"code", "name", "min", "max", NULL};
        char fp[JDEF_PATH_MAX];
        jdef_index(fp, at, i);
        struct event_field *f = &t->fields[i];
        rc = jdef_object(d, v, fp);
        if (!rc) rc = jdef_only(d, v, fp, keys);
        if (!rc) rc = jdef_text(d, v, fp, "code", true, 400, &f->code);
        if (!rc) rc = jdef_text(d, v, fp, "name", true, 400, &f->name);
        if (rc) return rc;
        json_t *min = jdef_member(v, "min"), *max = jdef_member(v, "max");
        if (!json_is_number(min) || !json_is_number(max) ||
            json_number_value(min) > json_number_value(max))
            return jdef_bad(d, fp, "min 和 max 须为数字且 min 不大于 max");
        f->min = json_number_value(min);
        f->max = json_number_value(max);
        for (size_t k = 0; k < i; k++)
            if (strcmp(t->fields[k].code, f->code) == 0)
                return jdef_bad(d, fp, "代码 \"%s\" 重复", f->code);
    }
    return ERR_OK;
}

static int read_type(struct jdef *d, json_t *o, const char *path, const struct app *app,
                     struct event_defs *e, struct event_type *t)
{
    static const char *const keys[] = {"code",       "name",   "org_types", "unit",
                                       "attendance", "fields", "actions",   NULL};
    int rc = jdef_object(d, o, path);
    if (!rc) rc = jdef_only(d, o, path, keys);
    if (!rc) rc = jdef_text(d, o, path, "code", true, 400, &t->code);
    if (!rc) rc = jdef_text(d, o, path, "name", true, 400, &t->name);
    if (!rc)
        rc = codes(d, o, path, "org_types", org_type_known, app, NULL, e->arena, &t->org_types);
    if (!rc) rc = read_fields(d, o, path, e->arena, t);
    if (rc) return rc;
    t->unit = json_is_true(json_object_get(o, "unit"));
    t->attendance = json_is_true(json_object_get(o, "attendance"));
    if (!t->org_types[0] && !t->unit) return jdef_bad(d, path, "须列出 org_types 或设 unit");
    json_t *actions = jdef_member(o, "actions");
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "actions");
    t->required = t->optional = arena_zalloc(e->arena, sizeof *t->required);
    if (!actions) return ERR_OK;
    static const char *const akeys[] = {"required", "optional", NULL};
    json_t *req, *opt;
    if ((rc = jdef_object(d, actions, at)) || (rc = jdef_only(d, actions, at, akeys)) ||
        (rc = list(d, actions, at, "required", &req)) ||
        (rc = list(d, actions, at, "optional", &opt)))
        return rc;
    char rp[JDEF_PATH_MAX], op[JDEF_PATH_MAX];
    jdef_join(rp, at, "required");
    jdef_join(op, at, "optional");
    if ((rc = named(d, req, rp, e->arena, &t->required, &t->nrequired))) return rc;
    if ((rc = named(d, opt, op, e->arena, &t->optional, &t->noptional))) return rc;
    for (size_t i = 0; i < t->noptional; i++)
        if (people_name(t->required, t->nrequired, t->optional[i].code))
            return jdef_bad(d, op, "\"%s\" 已是规定动作", t->optional[i].code);
    return ERR_OK;
}

static int read_duty(struct jdef *d, json_t *o, const char *path, const struct app *app,
                     struct event_defs *e, struct duty_def *u)
{
    static const char *const keys[] = {"code",        "name",          "org_types",
                                       "member_kind", "member_stages", "event_type",
                                       "every",       "source",        NULL};
    const char *every;
    int rc = jdef_object(d, o, path);
    if (!rc) rc = jdef_only(d, o, path, keys);
    if (!rc) rc = jdef_text(d, o, path, "code", true, 400, &u->code);
    if (!rc) rc = jdef_text(d, o, path, "name", true, 400, &u->name);
    if (!rc) rc = jdef_text(d, o, path, "event_type", true, 400, &u->event_type);
    if (!rc) rc = jdef_text(d, o, path, "every", true, 400, &every);
    if (!rc) rc = jdef_text(d, o, path, "source", true, 400, &u->source);
    if (!rc) rc = jdef_text(d, o, path, "member_kind", false, 400, &u->member_kind);
    if (!rc)
        rc = codes(d, o, path, "org_types", org_type_known, app, NULL, e->arena, &u->org_types);
    if (rc) return rc;
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "event_type");
    if (!events_type(app, u->event_type)) return jdef_bad(d, at, "不是已定义的活动类型");
    jdef_join(at, path, "every");
    u->every = period_type_parse(every);
    if (u->every != PERIOD_YEAR && u->every != PERIOD_QUARTER && u->every != PERIOD_MONTH)
        return jdef_bad(d, at, "须为 year、quarter 或 month");
    u->member_stages = "";
    if (u->member_kind) {
        const struct people_kind *k = people_kind(app, u->member_kind);
        jdef_join(at, path, "member_kind");
        if (!k) return jdef_bad(d, at, "不是已定义的身份类别");
        u->member_kind = k->code;
        if ((rc = codes(d, o, path, "member_stages", stage_known, app, k, e->arena,
                        &u->member_stages)))
            return rc;
        jdef_join(at, path, "member_stages");
        if (!u->member_stages[0]) return jdef_bad(d, at, "须列出成员的阶段");
    }
    if (!u->org_types[0] == !u->member_kind)
        return jdef_bad(d, path, "须列出 org_types（每个党组织）或 member_kind（每名成员）之一");
    return ERR_OK;
}

static int read_attendance(struct jdef *d, json_t *root, struct event_defs *e)
{
    json_t *l, *v;
    int rc = list(d, root, "", "attendance", &l);
    if (rc) return rc;
    if (!l || json_array_size(l) == 0) return jdef_bad(d, "attendance", "缺少");
    e->nattendance = json_array_size(l);
    e->attendance = arena_zalloc(e->arena, e->nattendance * sizeof *e->attendance);
    struct buf b = BUF_INIT;
    size_t i;
    json_array_foreach(l, i, v)
    {
        static const char *const keys[] = {"code", "name", "present", NULL};
        char at[JDEF_PATH_MAX];
        jdef_index(at, "attendance", i);
        struct attendance_code *c = &e->attendance[i];
        rc = jdef_object(d, v, at);
        if (!rc) rc = jdef_only(d, v, at, keys);
        if (!rc) rc = jdef_text(d, v, at, "code", true, 400, &c->code);
        if (!rc) rc = jdef_text(d, v, at, "name", true, 400, &c->name);
        if (rc) break;
        c->present = json_is_true(json_object_get(v, "present"));
        if (c->present) buf_printf(&b, "%s%s,", b.len ? "" : ",", c->code);
    }
    e->present_codes = arena_strndup(e->arena, b.p ? b.p : "", b.len);
    buf_free(&b);
    return rc;
}

static int read_all(struct jdef *d, json_t *root, const struct app *app, struct event_defs *e)
{
    static const char *const keys[] = {"about",       "held_future_days", "attendance",
                                       "event_types", "duties",           NULL};
    int rc = jdef_only(d, root, "", keys);
    if (!rc) rc = read_attendance(d, root, e);
    if (rc) return rc;
    json_t *days = jdef_member(root, "held_future_days");
    if (!json_is_integer(days) || json_integer_value(days) < 0 || json_integer_value(days) > 30)
        return jdef_bad(d, "held_future_days", "须为 0 到 30 的整数");
    e->held_future_days = (int)json_integer_value(days);
    json_t *types, *duties, *v;
    if ((rc = list(d, root, "", "event_types", &types)) ||
        (rc = list(d, root, "", "duties", &duties)))
        return rc;
    e->types = arena_zalloc(e->arena, (json_array_size(types) + 1) * sizeof *e->types);
    size_t i;
    json_array_foreach(types, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "event_types", i);
        if ((rc = read_type(d, v, path, app, e, &e->types[i]))) return rc;
        if (events_type(app, e->types[i].code))
            return jdef_bad(d, path, "活动类型 \"%s\" 重复", e->types[i].code);
        e->ntypes++;
    }
    e->duties = arena_zalloc(e->arena, (json_array_size(duties) + 1) * sizeof *e->duties);
    json_array_foreach(duties, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "duties", i);
        if ((rc = read_duty(d, v, path, app, e, &e->duties[i]))) return rc;
        if (events_duty(app, e->duties[i].code))
            return jdef_bad(d, path, "职责 \"%s\" 重复", e->duties[i].code);
        e->nduties++;
    }
    return ERR_OK;
}

int events_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, EVENTS_FILE, strlen(EVENTS_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "data/%s is not compiled in", EVENTS_FILE);
    struct event_defs *e = xcalloc(1, sizeof *e);
    e->arena = arena_new();
    events_memo_init(e);
    app->events = e;
    int rc = jdef_load((const char *)f->data, f->len, EVENTS_JSON_MAX, "活动定义", EVENTS_FILE,
                       &e->root, err);
    struct jdef d = {EVENTS_FILE, err, (const char *)f->data, f->len};
    if (!rc) rc = read_all(&d, e->root, app, e);
    return rc ? err_wrap(err, "data/%s", EVENTS_FILE) : ERR_OK;
}

void events_defs_free(struct app *app)
{
    struct event_defs *e = app->events;
    if (!e) return;
    events_memo_free(e);
    if (e->root) json_decref(e->root);
    arena_free(e->arena);
    free(e);
    app->events = NULL;
}

const struct event_type *events_type(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->events->ntypes; i++)
        if (strcmp(app->events->types[i].code, code) == 0) return &app->events->types[i];
    return NULL;
}

const struct duty_def *events_duty(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->events->nduties; i++)
        if (strcmp(app->events->duties[i].code, code) == 0) return &app->events->duties[i];
    return NULL;
}

const struct attendance_code *events_attendance(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->events->nattendance; i++)
        if (strcmp(app->events->attendance[i].code, code) == 0) return &app->events->attendance[i];
    return NULL;
}
