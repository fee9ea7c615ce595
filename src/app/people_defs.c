/* people_defs.c — data/people.json, read and checked at start (people.h).
 * The file is compiled in; an unknown key, a duplicate code or a rule
 * naming an unknown type fails the start with the JSON path. */
#include "app/people.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"

#include <string.h>

extern const struct embed_file data_defs[];

#define PEOPLE_FILE     "people.json"
#define PEOPLE_JSON_MAX ((size_t)64 * 1024)

static bool flag(json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key));
}

/* [{"code","name"}…] with unique codes. */
static int named_list(struct jdef *d, json_t *root, const char *key, struct arena *a,
                      struct people_named **out, size_t *n)
{
    json_t *list = jdef_member(root, key), *v;
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > 256)
        return jdef_bad(d, key, "须为 1 到 256 项的数组");
    *out = arena_zalloc(a, json_array_size(list) * sizeof **out);
    size_t i;
    json_array_foreach(list, i, v)
    {
        static const char *const keys[] = {"code", "name", NULL};
        char path[JDEF_PATH_MAX];
        jdef_index(path, key, i);
        int rc = jdef_object(d, v, path);
        if (!rc) rc = jdef_only(d, v, path, keys);
        if (!rc) rc = jdef_text(d, v, path, "code", true, 400, &(*out)[i].code);
        if (!rc) rc = jdef_text(d, v, path, "name", true, 400, &(*out)[i].name);
        if (rc) return rc;
        if (people_name(*out, i, (*out)[i].code))
            return jdef_bad(d, path, "代码 \"%s\" 重复", (*out)[i].code);
    }
    *n = json_array_size(list);
    return ERR_OK;
}

/* ",a,b," of a string array whose entries are codes of `known`. */
static int code_list(struct jdef *d, json_t *o, const char *path, const char *key,
                     const struct people_named *known, size_t nknown, struct arena *a,
                     const char **out)
{
    json_t *list = jdef_member(o, key), *v;
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    *out = "";
    if (!list) return ERR_OK;
    if (!json_is_array(list)) return jdef_bad(d, at, "须为代码的数组");
    struct buf b = BUF_INIT;
    size_t i;
    json_array_foreach(list, i, v)
    {
        const char *code = json_string_value(v);
        if (!code || !people_name(known, nknown, code)) {
            buf_free(&b);
            return jdef_bad(d, at, "第 %zu 项不是已定义的代码", i + 1);
        }
        buf_printf(&b, "%s%s,", i ? "" : ",", code);
    }
    *out = arena_strndup(a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return ERR_OK;
}

static int read_kind(struct jdef *d, json_t *o, const char *path, struct people_defs *p,
                     struct people_kind *k)
{
    static const char *const keys[] = {"code",        "name",      "target", "org_types",
                                       "stage_label", "exclusive", "stages", NULL};
    const char *target = NULL;
    int rc = jdef_object(d, o, path);
    if (!rc) rc = jdef_only(d, o, path, keys);
    if (!rc) rc = jdef_text(d, o, path, "code", true, 400, &k->code);
    if (!rc) rc = jdef_text(d, o, path, "name", true, 400, &k->name);
    if (!rc) rc = jdef_text(d, o, path, "target", true, 400, &target);
    if (!rc) rc = jdef_text(d, o, path, "stage_label", false, 400, &k->stage_label);
    if (!rc) rc = jdef_text(d, o, path, "exclusive", false, 400, &k->exclusive);
    if (!rc)
        rc = code_list(d, o, path, "org_types", p->org_types, p->norg_types, p->arena,
                       &k->org_types);
    if (rc || !target) return rc ? rc : ERR_INVALID;
    static const char *const targets[] = {"org", "unit", "household"};
    k->target = -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(target, targets[i]) == 0) k->target = i;
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "target");
    if (k->target < 0) return jdef_bad(d, at, "须为 org、unit 或 household");
    if (k->target == PEOPLE_TO_ORG && !k->org_types[0])
        return jdef_bad(d, at, "挂在党组织上的身份须列出 org_types");
    if (!k->stage_label) k->stage_label = "";
    json_t *stages = jdef_member(o, "stages"), *v;
    jdef_join(at, path, "stages");
    if (stages && (!json_is_array(stages) || json_array_size(stages) > 64))
        return jdef_bad(d, at, "须为至多 64 项的数组");
    k->nstages = stages ? json_array_size(stages) : 0;
    k->stages = arena_zalloc(p->arena, (k->nstages + 1) * sizeof *k->stages);
    struct buf mb = BUF_INIT, fb = BUF_INIT;
    size_t i;
    json_array_foreach(stages, i, v)
    {
        static const char *const skeys[] = {"code", "name", "member", "formal", "head", NULL};
        char sp[JDEF_PATH_MAX];
        jdef_index(sp, at, i);
        struct people_stage *s = &k->stages[i];
        rc = jdef_object(d, v, sp);
        if (!rc) rc = jdef_only(d, v, sp, skeys);
        if (!rc) rc = jdef_text(d, v, sp, "code", true, 400, &s->code);
        if (!rc) rc = jdef_text(d, v, sp, "name", true, 400, &s->name);
        if (!rc && i &&
            people_stage(&(struct people_kind){.stages = k->stages, .nstages = i}, s->code))
            rc = jdef_bad(d, sp, "阶段 \"%s\" 重复", s->code);
        if (rc) break;
        s->member = flag(v, "member");
        s->formal = flag(v, "formal");
        s->head = flag(v, "head");
        if (s->member) buf_printf(&mb, "%s%s,", mb.len ? "" : ",", s->code);
        if (s->formal) buf_printf(&fb, "%s%s,", fb.len ? "" : ",", s->code);
    }
    k->member_stages = arena_strndup(p->arena, mb.p ? mb.p : "", mb.len);
    k->formal_stages = arena_strndup(p->arena, fb.p ? fb.p : "", fb.len);
    buf_free(&mb);
    buf_free(&fb);
    return rc;
}

static int read_rule(struct jdef *d, json_t *o, const char *path, struct people_defs *p,
                     struct org_rule *r)
{
    static const char *const keys[] = {"code", "types", "forms",   "count",
                                       "op",   "value", "message", NULL};
    const char *count = NULL, *op = NULL;
    int rc = jdef_object(d, o, path);
    if (!rc) rc = jdef_only(d, o, path, keys);
    if (!rc) rc = jdef_text(d, o, path, "code", true, 400, &r->code);
    if (!rc) rc = jdef_text(d, o, path, "message", true, 400, &r->message);
    if (!rc) rc = jdef_text(d, o, path, "count", true, 400, &count);
    if (!rc) rc = jdef_text(d, o, path, "op", true, 400, &op);
    if (!rc) rc = code_list(d, o, path, "types", p->org_types, p->norg_types, p->arena, &r->types);
    if (!rc) rc = code_list(d, o, path, "forms", p->org_forms, p->norg_forms, p->arena, &r->forms);
    if (rc || !count || !op) return rc ? rc : ERR_INVALID;
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "count");
    if (strcmp(count, "formal") == 0)
        r->count = ORG_COUNT_FORMAL;
    else if (strcmp(count, "members") == 0)
        r->count = ORG_COUNT_MEMBERS;
    else
        return jdef_bad(d, at, "须为 formal 或 members");
    jdef_join(at, path, "op");
    if ((r->op = org_op_parse(op)) < 0) return jdef_bad(d, at, "须为 <、<=、> 或 >=");
    json_t *v = jdef_member(o, "value");
    jdef_join(at, path, "value");
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000)
        return jdef_bad(d, at, "须为 0 到 100000 的整数");
    r->value = (long)json_integer_value(v);
    return ERR_OK;
}

static int years(struct jdef *d, json_t *o, const char *path, const char *key, int *out)
{
    json_t *v = jdef_member(o, key);
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    if (!v) return ERR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 10)
        return jdef_bad(d, at, "须为 1 到 10 的整数");
    *out = (int)json_integer_value(v);
    return ERR_OK;
}

static int read_terms(struct jdef *d, json_t *root, struct people_defs *p)
{
    static const char *const keys[] = {"years_by_unit_kind", "years_default", "reminder_days",
                                       "source", NULL};
    json_t *t = jdef_member(root, "terms");
    p->term_default = 3;
    p->reminder_days = 90;
    p->term_source = "";
    int rc = jdef_object(d, t, "terms");
    if (!rc) rc = jdef_only(d, t, "terms", keys);
    if (!rc) rc = years(d, t, "terms", "years_default", &p->term_default);
    if (!rc) rc = jdef_text(d, t, "terms", "source", false, 400, &p->term_source);
    if (rc) return rc;
    p->term_village = p->term_community = p->term_default;
    json_t *by = jdef_member(t, "years_by_unit_kind");
    if (by) {
        static const char *const kinds[] = {"village", "community", NULL};
        if ((rc = jdef_only(d, by, "terms.years_by_unit_kind", kinds))) return rc;
        if ((rc = years(d, by, "terms.years_by_unit_kind", "village", &p->term_village))) return rc;
        if ((rc = years(d, by, "terms.years_by_unit_kind", "community", &p->term_community)))
            return rc;
    }
    json_t *days = jdef_member(t, "reminder_days");
    if (days) {
        if (!json_is_integer(days) || json_integer_value(days) < 1 ||
            json_integer_value(days) > 730)
            return jdef_bad(d, "terms.reminder_days", "须为 1 到 730 的整数");
        p->reminder_days = (int)json_integer_value(days);
    }
    return ERR_OK;
}

/* education_levels: [{"code","name","higher","aliases"}…], unique codes. */
static int read_education(struct jdef *d, json_t *root, struct people_defs *p)
{
    json_t *list = jdef_member(root, "education_levels"), *v;
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > 32)
        return jdef_bad(d, "education_levels", "须为 1 到 32 项的数组");
    p->education = arena_zalloc(p->arena, json_array_size(list) * sizeof *p->education);
    size_t i;
    json_array_foreach(list, i, v)
    {
        static const char *const keys[] = {"code", "name", "higher", "aliases", NULL};
        char path[JDEF_PATH_MAX], at[JDEF_PATH_MAX];
        jdef_index(path, "education_levels", i);
        struct people_level *l = &p->education[i];
        int rc = jdef_object(d, v, path);
        if (!rc) rc = jdef_only(d, v, path, keys);
        if (!rc) rc = jdef_text(d, v, path, "code", true, 400, &l->code);
        if (!rc) rc = jdef_text(d, v, path, "name", true, 400, &l->name);
        if (rc) return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->education[k].code, l->code) == 0)
                return jdef_bad(d, path, "代码 \"%s\" 重复", l->code);
        l->higher = flag(v, "higher");
        json_t *aliases = jdef_member(v, "aliases");
        jdef_join(at, path, "aliases");
        if (aliases && (!json_is_array(aliases) || json_array_size(aliases) > 32))
            return jdef_bad(d, at, "须为至多 32 项的数组");
        l->naliases = aliases ? json_array_size(aliases) : 0;
        l->aliases = arena_zalloc(p->arena, (l->naliases + 1) * sizeof *l->aliases);
        for (size_t k = 0; k < l->naliases; k++)
            if (!(l->aliases[k] = json_string_value(json_array_get(aliases, k))))
                return jdef_bad(d, at, "第 %zu 项须为文本", k + 1);
    }
    p->neducation = json_array_size(list);
    return ERR_OK;
}

/* ethnicities: [{"code","name","majority"}…], exactly one majority. */
static int read_ethnicities(struct jdef *d, json_t *root, struct people_defs *p)
{
    json_t *list = jdef_member(root, "ethnicities"), *v;
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > 256)
        return jdef_bad(d, "ethnicities", "须为 1 到 256 项的数组");
    p->ethnicities = arena_zalloc(p->arena, json_array_size(list) * sizeof *p->ethnicities);
    size_t i, majorities = 0;
    json_array_foreach(list, i, v)
    {
        static const char *const keys[] = {"code", "name", "majority", NULL};
        char path[JDEF_PATH_MAX];
        jdef_index(path, "ethnicities", i);
        int rc = jdef_object(d, v, path);
        if (!rc) rc = jdef_only(d, v, path, keys);
        if (!rc) rc = jdef_text(d, v, path, "code", true, 400, &p->ethnicities[i].code);
        if (!rc) rc = jdef_text(d, v, path, "name", true, 400, &p->ethnicities[i].name);
        if (rc) return rc;
        if (people_name(p->ethnicities, i, p->ethnicities[i].code))
            return jdef_bad(d, path, "代码 \"%s\" 重复", p->ethnicities[i].code);
        if (flag(v, "majority")) {
            p->majority = i;
            majorities++;
        }
    }
    if (majorities != 1) return jdef_bad(d, "ethnicities", "须恰有一项 \"majority\": true");
    p->nethnicities = json_array_size(list);
    return ERR_OK;
}

/* statistics: the kind counted, the admission stage, the age bands (max
 * rising, the last one open). */
static int read_stats(struct jdef *d, json_t *root, struct people_defs *p)
{
    static const char *const keys[] = {"kind",      "admitted_stage", "higher_label",
                                       "age_bands", "source",         NULL};
    struct people_stats_defs *s = &p->stats;
    json_t *o = jdef_member(root, "statistics"), *v;
    const char *kind = NULL, *source = NULL;
    int rc = jdef_object(d, o, "statistics");
    if (!rc) rc = jdef_only(d, o, "statistics", keys);
    if (!rc) rc = jdef_text(d, o, "statistics", "kind", true, 400, &kind);
    if (!rc) rc = jdef_text(d, o, "statistics", "admitted_stage", true, 400, &s->admitted_stage);
    if (!rc) rc = jdef_text(d, o, "statistics", "higher_label", true, 400, &s->higher_label);
    if (!rc) rc = jdef_text(d, o, "statistics", "source", false, 1000, &source);
    if (rc) return rc;
    for (size_t i = 0; i < p->nkinds; i++)
        if (strcmp(p->kinds[i].code, kind) == 0) s->kind = &p->kinds[i];
    if (!s->kind || !s->kind->nstages)
        return jdef_bad(d, "statistics.kind", "须为有阶段的身份类别");
    if (!people_stage(s->kind, s->admitted_stage))
        return jdef_bad(d, "statistics.admitted_stage", "不是%s的阶段", s->kind->name);
    json_t *bands = jdef_member(o, "age_bands");
    if (!json_is_array(bands) || json_array_size(bands) < 2 ||
        json_array_size(bands) > PEOPLE_BANDS_MAX)
        return jdef_bad(d, "statistics.age_bands", "须为 2 到 %d 项的数组", PEOPLE_BANDS_MAX);
    size_t i, n = json_array_size(bands);
    json_array_foreach(bands, i, v)
    {
        static const char *const bkeys[] = {"code", "name", "max", NULL};
        char path[JDEF_PATH_MAX];
        jdef_index(path, "statistics.age_bands", i);
        struct people_band *b = &s->bands[i];
        if ((rc = jdef_object(d, v, path)) || (rc = jdef_only(d, v, path, bkeys)) ||
            (rc = jdef_text(d, v, path, "code", true, 400, &b->code)) ||
            (rc = jdef_text(d, v, path, "name", true, 400, &b->name)))
            return rc;
        json_t *max = jdef_member(v, "max");
        bool last = i + 1 == n;
        if (last != !max) return jdef_bad(d, path, last ? "最后一段不设 max" : "须有 max");
        if (max && (!json_is_integer(max) || json_integer_value(max) < 1 ||
                    json_integer_value(max) > 150 ||
                    (i && json_integer_value(max) <= s->bands[i - 1].max)))
            return jdef_bad(d, path, "max 须为 1 到 150 的整数，且逐段增大");
        b->max = max ? (int)json_integer_value(max) : -1;
    }
    s->nbands = n;
    return ERR_OK;
}

static int read_all(struct jdef *d, json_t *root, struct people_defs *p)
{
    static const char *const keys[] = {
        "about", "membership_kinds", "household_tags", "org_types",  "org_forms", "setup_rules",
        "terms", "education_levels", "ethnicities",    "statistics", NULL};
    int rc = jdef_only(d, root, "", keys);
    if (!rc) rc = named_list(d, root, "household_tags", p->arena, &p->tags, &p->ntags);
    if (!rc) rc = named_list(d, root, "org_types", p->arena, &p->org_types, &p->norg_types);
    if (!rc) rc = named_list(d, root, "org_forms", p->arena, &p->org_forms, &p->norg_forms);
    if (!rc) rc = read_terms(d, root, p);
    if (rc) return rc;
    json_t *kinds = jdef_member(root, "membership_kinds"), *v;
    if (!json_is_array(kinds) || json_array_size(kinds) == 0 || json_array_size(kinds) > 64)
        return jdef_bad(d, "membership_kinds", "须为 1 到 64 项的数组");
    p->kinds = arena_zalloc(p->arena, json_array_size(kinds) * sizeof *p->kinds);
    size_t i;
    json_array_foreach(kinds, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "membership_kinds", i);
        if ((rc = read_kind(d, v, path, p, &p->kinds[i]))) return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(p->kinds[k].code, p->kinds[i].code) == 0)
                return jdef_bad(d, path, "身份 \"%s\" 重复", p->kinds[i].code);
        p->nkinds++;
    }
    if ((rc = read_education(d, root, p)) || (rc = read_ethnicities(d, root, p)) ||
        (rc = read_stats(d, root, p)))
        return rc;
    json_t *rules = jdef_member(root, "setup_rules");
    if (!json_is_array(rules) || json_array_size(rules) > PERSON_RULES_MAX)
        return jdef_bad(d, "setup_rules", "须为至多 %d 项的数组", PERSON_RULES_MAX);
    p->rules = arena_zalloc(p->arena, (json_array_size(rules) + 1) * sizeof *p->rules);
    json_array_foreach(rules, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "setup_rules", i);
        if ((rc = read_rule(d, v, path, p, &p->rules[i]))) return rc;
        p->nrules++;
    }
    return ERR_OK;
}

int people_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, PEOPLE_FILE, strlen(PEOPLE_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "data/%s is not compiled in", PEOPLE_FILE);
    struct people_defs *p = xcalloc(1, sizeof *p);
    p->arena = arena_new();
    app->people = p;
    int rc = jdef_load((const char *)f->data, f->len, PEOPLE_JSON_MAX, "人员定义", PEOPLE_FILE,
                       &p->root, err);
    struct jdef d = {PEOPLE_FILE, err, (const char *)f->data, f->len};
    if (!rc) rc = read_all(&d, p->root, p);
    return rc ? err_wrap(err, "data/%s", PEOPLE_FILE) : ERR_OK;
}

void people_defs_free(struct app *app)
{
    struct people_defs *p = app->people;
    if (!p) return;
    if (p->root) json_decref(p->root);
    arena_free(p->arena);
    free(p);
    app->people = NULL;
}

const struct people_kind *people_kind(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->people->nkinds; i++)
        if (strcmp(app->people->kinds[i].code, code) == 0) return &app->people->kinds[i];
    return NULL;
}

const struct people_stage *people_stage(const struct people_kind *k, const char *code)
{
    for (size_t i = 0; code && i < k->nstages; i++)
        if (strcmp(k->stages[i].code, code) == 0) return &k->stages[i];
    return NULL;
}

const char *people_name(const struct people_named *list, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(list[i].code, code) == 0) return list[i].name;
    return NULL;
}
