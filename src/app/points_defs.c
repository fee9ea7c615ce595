/* points_defs.c — data/points.json and data/dues.json, read and checked at
 * start (points.h). Both are compiled in; an unknown key, a duplicate code,
 * an unknown permission or membership kind, or a band scheme that does not
 * parse fails the start with the JSON path. */
#include "app/events.h"
#include "app/people.h"
#include "app/points.h"
#include "base/embed.h"
#include "base/mem.h"
#include "core/scheme.h"
#include "io/json_def.h"

#include <stdlib.h>
#include <string.h>

extern const struct embed_file data_defs[];

#define POINTS_FILE "points.json"
#define DUES_FILE   "dues.json"
#define DEFS_MAX    ((size_t)64 * 1024)
#define LIST_MAX    64

static int integer(struct jdef *d, json_t *o, const char *path, const char *key, bool required,
                   int64_t lo, int64_t hi, int64_t *out)
{
    json_t *v = jdef_member(o, key);
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    if (!v) return required ? jdef_bad(d, at, "缺少") : ERR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return jdef_bad(d, at, "须为 %lld 到 %lld 之间的整数", (long long)lo, (long long)hi);
    *out = json_integer_value(v);
    return ERR_OK;
}

static int list(struct jdef *d, json_t *root, const char *key, json_t **out)
{
    *out = jdef_member(root, key);
    if (!json_is_array(*out) || json_array_size(*out) == 0 || json_array_size(*out) > LIST_MAX)
        return jdef_bad(d, key, "须为 1 到 %d 项的数组", LIST_MAX);
    return ERR_OK;
}

static int period(struct jdef *d, json_t *o, const char *path, int *out)
{
    const char *p = NULL;
    int rc = jdef_text(d, o, path, "period", true, 2000, &p);
    if (rc || !p) return rc ? rc : jdef_bad(d, path, "缺少 period");
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "period");
    if (strcmp(p, "month") == 0)
        *out = POINTS_MONTH;
    else if (strcmp(p, "year") == 0)
        *out = POINTS_YEAR;
    else
        return jdef_bad(d, at, "须为 month 或 year");
    return ERR_OK;
}

static bool perm_known(const struct app *app, const char *perm)
{
    for (size_t i = 0; app->perms[i]; i++)
        if (strcmp(app->perms[i], perm) == 0) return true;
    return false;
}

/* "event_types": the event types whose attendance earns the rule, kept as
 * ",a,b," (points_attendance.c). */
static int event_types(const struct app *app, struct jdef *d, json_t *types, const char *path,
                       struct points_rule *r)
{
    if (!types) return ERR_OK;
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "event_types");
    if (!json_is_array(types) || json_array_size(types) == 0)
        return jdef_bad(d, at, "须为活动类型代码的数组");
    const char *list = ",";
    json_t *v;
    size_t i;
    json_array_foreach(types, i, v)
    {
        const char *code = json_string_value(v);
        if (!code || !events_type(app, code))
            return jdef_bad(d, at, "第 %zu 项不是 data/events.json 定义的活动类型", i + 1);
        list = arena_printf(app->points->arena, "%s%s,", list, code);
    }
    r->event_types = list;
    return ERR_OK;
}

static int read_rule(const struct app *app, struct jdef *d, json_t *o, const char *path,
                     struct points_rule *r)
{
    static const char *const keys[] = {"code",   "name",        "points", "period",
                                       "cap",    "evidence",    "claim",  "approver",
                                       "source", "event_types", "grade",  NULL};
    int64_t pts = 0, cap = 0;
    int rc = jdef_object(d, o, path);
    if (!rc) rc = jdef_only(d, o, path, keys);
    if (!rc) rc = jdef_text(d, o, path, "code", true, 2000, &r->code);
    if (!rc) rc = jdef_text(d, o, path, "name", true, 2000, &r->name);
    if (!rc) rc = integer(d, o, path, "points", true, -100, 100, &pts);
    if (!rc) rc = period(d, o, path, &r->period);
    if (!rc) rc = integer(d, o, path, "cap", true, 1, 1000, &cap);
    if (!rc) rc = jdef_text(d, o, path, "approver", true, 2000, &r->approver);
    if (!rc) rc = jdef_text(d, o, path, "source", false, 2000, &r->source);
    if (rc) return rc;
    char at[JDEF_PATH_MAX];
    r->points = (int)pts;
    r->cap = (int)cap;
    r->evidence = json_is_true(json_object_get(o, "evidence"));
    if (pts == 0) return jdef_bad(d, path, "points 不能为 0");
    if (cap < (pts < 0 ? -pts : pts)) return jdef_bad(d, path, "cap 不能小于一次的分值");
    jdef_join(at, path, "approver");
    if (!perm_known(app, r->approver)) return jdef_bad(d, at, "不是已声明的权限");
    if (!r->source) r->source = "claim";
    jdef_join(at, path, "source");
    bool event = strcmp(r->source, "event") == 0;
    bool review = strcmp(r->source, "evaluation") == 0; /* 民主评议党员: evaluations_close */
    if (!event && !review && strcmp(r->source, "claim") != 0)
        return jdef_bad(d, at, "须为 claim、event 或 evaluation");
    if ((rc = jdef_text(d, o, path, "grade", review, 64, &r->grade))) return rc;
    if (!review && r->grade)
        return jdef_bad(d, at, "只有评议记分的规则（source evaluation）写 grade");
    if (review && jdef_member(o, "claim")) return jdef_bad(d, at, "评议记分的规则不能申报");
    if (review)
        return jdef_member(o, "event_types") ? jdef_bad(d, at, "评议记分的规则不写 event_types")
                                             : ERR_OK;
    json_t *types = jdef_member(o, "event_types"), *v;
    size_t i;
    if (event != (types != NULL))
        return jdef_bad(d, at, "活动记分的规则（source event）须且只有它须写 event_types");
    if ((rc = event_types(app, d, types, path, r))) return rc;
    json_t *claim = jdef_member(o, "claim");
    jdef_join(at, path, "claim");
    if (event && claim) return jdef_bad(d, at, "活动记分的规则不能申报");
    if (!event && (!json_is_array(claim) || json_array_size(claim) == 0))
        return jdef_bad(d, at, "须为 [\"member\"]、[\"branch\"] 或两者");
    json_array_foreach(claim, i, v)
    {
        const char *who = json_string_value(v);
        if (who && strcmp(who, "member") == 0)
            r->by_member = true;
        else if (who && strcmp(who, "branch") == 0)
            r->by_branch = true;
        else
            return jdef_bad(d, at, "第 %zu 项须为 member 或 branch", i + 1);
    }
    return ERR_OK;
}

static int read_bands(struct jdef *d, json_t *root, struct points_defs *p)
{
    static const char *const keys[] = {"levels", "scheme", NULL};
    json_t *bands = jdef_member(root, "bands"), *levels, *v;
    int rc = jdef_object(d, bands, "bands");
    if (!rc) rc = jdef_only(d, bands, "bands", keys);
    if (!rc) rc = list(d, bands, "levels", &levels);
    if (rc) return rc;
    p->nbands = json_array_size(levels);
    p->bands = arena_zalloc(p->arena, p->nbands * sizeof *p->bands);
    size_t i;
    json_array_foreach(levels, i, v)
    {
        static const char *const bkeys[] = {"level", "code", "name", "face", NULL};
        char path[JDEF_PATH_MAX];
        jdef_index(path, "bands.levels", i);
        struct points_band *b = &p->bands[i];
        int64_t level = 0;
        rc = jdef_object(d, v, path);
        if (!rc) rc = jdef_only(d, v, path, bkeys);
        if (!rc) rc = integer(d, v, path, "level", true, 0, SCHEME_CATEGORIES_MAX, &level);
        if (!rc) rc = jdef_text(d, v, path, "code", true, 2000, &b->code);
        if (!rc) rc = jdef_text(d, v, path, "name", true, 2000, &b->name);
        if (!rc) rc = jdef_text(d, v, path, "face", true, 2000, &b->face);
        if (rc) return rc;
        b->level = (int)level;
        if (level != (int64_t)i) return jdef_bad(d, path, "level 须从 0 起依次排列");
    }
    json_t *scheme = jdef_member(bands, "scheme");
    char *json = scheme ? json_dumps(scheme, JSON_COMPACT) : NULL;
    if (!json) return jdef_bad(d, "bands.scheme", "缺少");
    rc = scheme_parse(json, strlen(json), POINTS_FILE, &p->scheme, d->err);
    free(json);
    if (rc) return rc;
    if (!p->scheme->persons) return jdef_bad(d, "bands.scheme", "applies_to 须为 [\"person\"]");
    if ((size_t)p->scheme->ncategories + 1 != p->nbands)
        return jdef_bad(d, "bands.levels", "等次须比方案的类别多一个（0 级为未达任何类别）");
    for (int k = 0; k < p->scheme->nelements; k++)
        if (strcmp(p->scheme->elements[k], p->score_element) != 0)
            return jdef_bad(d, "bands.scheme", "公式只能引用 %s", p->score_element);
    return ERR_OK;
}

static int read_points(const struct app *app, struct jdef *d, json_t *root, struct points_defs *p)
{
    static const char *const keys[] = {"about", "year_base", "member_kind", "score_element",
                                       "caps",  "rules",     "bands",       NULL};
    json_t *caps, *rules, *v;
    int64_t base = 0;
    int rc = jdef_object(d, root, "(根)");
    if (!rc) rc = jdef_only(d, root, "", keys);
    if (!rc) rc = integer(d, root, "", "year_base", true, 0, 1000, &base);
    if (!rc) rc = jdef_text(d, root, "", "member_kind", true, 2000, &p->member_kind);
    if (!rc) rc = jdef_text(d, root, "", "score_element", true, 2000, &p->score_element);
    if (!rc && !people_kind(app, p->member_kind))
        rc = jdef_bad(d, "member_kind", "不是 people.json 的身份类别");
    if (!rc) rc = list(d, root, "caps", &caps);
    if (!rc) rc = list(d, root, "rules", &rules);
    if (rc) return rc;
    p->year_base = (int)base;
    p->ncaps = json_array_size(caps);
    p->caps = arena_zalloc(p->arena, p->ncaps * sizeof *p->caps);
    size_t i;
    json_array_foreach(caps, i, v)
    {
        static const char *const ckeys[] = {"period", "bonus", "message", NULL};
        char path[JDEF_PATH_MAX];
        jdef_index(path, "caps", i);
        int64_t bonus = 0;
        rc = jdef_object(d, v, path);
        if (!rc) rc = jdef_only(d, v, path, ckeys);
        if (!rc) rc = period(d, v, path, &p->caps[i].period);
        if (!rc) rc = integer(d, v, path, "bonus", true, 1, 10000, &bonus);
        if (!rc) rc = jdef_text(d, v, path, "message", true, 2000, &p->caps[i].message);
        if (rc) return rc;
        p->caps[i].bonus = (int)bonus;
    }
    p->nrules = json_array_size(rules);
    p->rules = arena_zalloc(p->arena, p->nrules * sizeof *p->rules);
    json_array_foreach(rules, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "rules", i);
        if ((rc = read_rule(app, d, v, path, &p->rules[i]))) return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->rules[k].code, p->rules[i].code) == 0)
                return jdef_bad(d, path, "代码 \"%s\" 重复", p->rules[i].code);
    }
    return read_bands(d, root, p);
}

static int read_category(struct jdef *d, json_t *o, const char *path, struct dues_category *c)
{
    static const char *const keys[] = {"code",    "name",    "basis",       "note", "bands",
                                       "min_fen", "max_fen", "default_fen", NULL};
    const char *basis;
    int rc = jdef_object(d, o, path);
    if (!rc) rc = jdef_only(d, o, path, keys);
    if (!rc) rc = jdef_text(d, o, path, "code", true, 2000, &c->code);
    if (!rc) rc = jdef_text(d, o, path, "name", true, 2000, &c->name);
    if (!rc) rc = jdef_text(d, o, path, "note", false, 2000, &c->note);
    if (!rc) rc = jdef_text(d, o, path, "basis", true, 2000, &basis);
    if (rc) return rc;
    if (!c->note) c->note = "";
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "basis");
    c->income = strcmp(basis, "income") == 0;
    if (!c->income && strcmp(basis, "fixed") != 0) return jdef_bad(d, at, "须为 income 或 fixed");
    if (!c->income) {
        if ((rc = integer(d, o, path, "min_fen", true, 1, 100000, &c->min_fen)) ||
            (rc = integer(d, o, path, "max_fen", true, c->min_fen, 100000, &c->max_fen)) ||
            (rc =
                 integer(d, o, path, "default_fen", true, c->min_fen, c->max_fen, &c->default_fen)))
            return rc;
        return jdef_member(o, "bands") ? jdef_bad(d, path, "固定金额的类别不能有 bands") : ERR_OK;
    }
    json_t *bands = jdef_member(o, "bands"), *v;
    jdef_join(at, path, "bands");
    if (!json_is_array(bands) || json_array_size(bands) == 0 || json_array_size(bands) > 8)
        return jdef_bad(d, at, "须为 1 到 8 档");
    size_t i;
    json_array_foreach(bands, i, v)
    {
        static const char *const bkeys[] = {"upto_fen", "permille", NULL};
        char bp[JDEF_PATH_MAX];
        jdef_index(bp, at, i);
        bool last = i + 1 == json_array_size(bands);
        int64_t upto = 0, permille = 0;
        rc = jdef_object(d, v, bp);
        if (!rc) rc = jdef_only(d, v, bp, bkeys);
        if (!rc) rc = integer(d, v, bp, "upto_fen", !last, 1, INT64_MAX / 1000, &upto);
        if (!rc) rc = integer(d, v, bp, "permille", true, 1, 1000, &permille);
        if (rc) return rc;
        if (last && jdef_member(v, "upto_fen")) return jdef_bad(d, bp, "最后一档不写 upto_fen");
        if (i && upto && upto <= c->bands[i - 1].upto_fen)
            return jdef_bad(d, bp, "upto_fen 须逐档递增");
        c->bands[i].upto_fen = upto;
        c->bands[i].permille = (int)permille;
    }
    c->nbands = (int)json_array_size(bands);
    return ERR_OK;
}

static int read_dues(struct jdef *d, json_t *root, struct points_defs *p)
{
    static const char *const keys[] = {
        "about",         "source",         "categories",     "methods",         "income_max_fen",
        "month_max_fen", "advance_months", "arrears_months", "arrears_message", NULL};
    json_t *cats, *methods, *v;
    int64_t advance = 0, arrears = 0;
    int rc = jdef_object(d, root, "(根)");
    if (!rc) rc = jdef_only(d, root, "", keys);
    if (!rc) rc = jdef_text(d, root, "", "source", true, 2000, &p->dues_source);
    if (!rc) rc = jdef_text(d, root, "", "arrears_message", true, 2000, &p->arrears_message);
    if (!rc)
        rc = integer(d, root, "", "income_max_fen", true, 1, INT64_MAX / 1000, &p->income_max_fen);
    if (!rc)
        rc = integer(d, root, "", "month_max_fen", true, 1, INT64_MAX / 1000, &p->month_max_fen);
    if (!rc) rc = integer(d, root, "", "advance_months", true, 0, 60, &advance);
    if (!rc) rc = integer(d, root, "", "arrears_months", true, 1, 60, &arrears);
    if (!rc) rc = list(d, root, "categories", &cats);
    if (!rc) rc = list(d, root, "methods", &methods);
    if (rc) return rc;
    p->advance_months = (int)advance;
    p->arrears_months = (int)arrears;
    p->ncategories = json_array_size(cats);
    p->categories = arena_zalloc(p->arena, p->ncategories * sizeof *p->categories);
    size_t i;
    json_array_foreach(cats, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "categories", i);
        if ((rc = read_category(d, v, path, &p->categories[i]))) return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->categories[k].code, p->categories[i].code) == 0)
                return jdef_bad(d, path, "代码 \"%s\" 重复", p->categories[i].code);
    }
    p->nmethods = json_array_size(methods);
    p->methods = arena_zalloc(p->arena, p->nmethods * sizeof *p->methods);
    json_array_foreach(methods, i, v)
    {
        static const char *const mkeys[] = {"code", "name", NULL};
        char path[JDEF_PATH_MAX];
        jdef_index(path, "methods", i);
        rc = jdef_object(d, v, path);
        if (!rc) rc = jdef_only(d, v, path, mkeys);
        if (!rc) rc = jdef_text(d, v, path, "code", true, 2000, &p->methods[i].code);
        if (!rc) rc = jdef_text(d, v, path, "name", true, 2000, &p->methods[i].name);
        if (rc) return rc;
    }
    return ERR_OK;
}

static int load_one(const char *file, const char *what, json_t **root, struct jdef *d,
                    struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, file, strlen(file));
    if (!f) return err_set(err, ERR_INTERNAL, "data/%s is not compiled in", file);
    *d = (struct jdef){file, err, (const char *)f->data, f->len};
    return jdef_load((const char *)f->data, f->len, DEFS_MAX, what, file, root, err);
}

int points_defs_load(struct app *app, struct err *err)
{
    struct points_defs *p = xcalloc(1, sizeof *p);
    p->arena = arena_new();
    app->points = p;
    struct jdef d;
    int rc = load_one(POINTS_FILE, "积分规则", &p->root, &d, err);
    if (!rc) rc = read_points(app, &d, p->root, p);
    if (rc) return err_wrap(err, "data/%s", POINTS_FILE);
    rc = load_one(DUES_FILE, "党费标准", &p->dues_root, &d, err);
    if (!rc) rc = read_dues(&d, p->dues_root, p);
    return rc ? err_wrap(err, "data/%s", DUES_FILE) : ERR_OK;
}

void points_defs_free(struct app *app)
{
    struct points_defs *p = app->points;
    if (!p) return;
    if (p->root) json_decref(p->root);
    if (p->dues_root) json_decref(p->dues_root);
    scheme_free(p->scheme);
    arena_free(p->arena);
    free(p);
    app->points = NULL;
}

const struct points_rule *points_rule(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->points->nrules; i++)
        if (strcmp(app->points->rules[i].code, code) == 0) return &app->points->rules[i];
    return NULL;
}

const struct points_band *points_band(const struct app *app, int level)
{
    const struct points_defs *p = app->points;
    return level >= 0 && (size_t)level < p->nbands ? &p->bands[level] : NULL;
}

const struct dues_category *dues_category(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->points->ncategories; i++)
        if (strcmp(app->points->categories[i].code, code) == 0) return &app->points->categories[i];
    return NULL;
}

const char *dues_method_name(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->points->nmethods; i++)
        if (strcmp(app->points->methods[i].code, code) == 0) return app->points->methods[i].name;
    return NULL;
}
