/* evaluations_defs.c — data/evaluations.json, read and checked at start
 * (evaluations.h): ballot forms (grades with points, or criteria with
 * ranges), aggregation rules and the follow-up threshold. The file is
 * compiled in; an unknown key, a duplicate code, an unknown rule or a form
 * without a valid grade fails the start with the JSON path. */
#include "app/evaluations.h"
#include "app/evaluations_int.h"
#include "app/kinds.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"
#include "io/json_out.h"

#include <string.h>

extern const struct embed_file data_defs[];

#define EVAL_FILE     "evaluations.json"
#define EVAL_JSON_MAX ((size_t)64 * 1024)
#define EVAL_LIST_MAX 32

static int list(struct jdef *d, json_t *o, const char *key, json_t **out)
{
    *out = jdef_member(o, key);
    if (!json_is_array(*out) || json_array_size(*out) == 0 || json_array_size(*out) > EVAL_LIST_MAX)
        return jdef_bad(d, key, "须为 1 至 %d 项的数组", EVAL_LIST_MAX);
    return ERR_OK;
}

static int number(struct jdef *d, json_t *o, const char *path, const char *key, double *out)
{
    json_t *v = jdef_member(o, key);
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    if (!json_is_number(v)) return jdef_bad(d, at, "须为数字");
    *out = json_number_value(v);
    return ERR_OK;
}

static int read_grades(struct jdef *d, json_t *l, const char *path, struct arena *a,
                       struct eval_form *f)
{
    f->ngrades = json_array_size(l);
    f->grades = arena_zalloc(a, (f->ngrades + 1) * sizeof *f->grades);
    size_t i, nvalid = 0;
    json_t *v;
    json_array_foreach(l, i, v)
    {
        static const char *const keys[] = {"code", "name", "points", "valid", "top", NULL};
        char at[JDEF_PATH_MAX];
        jdef_index(at, path, i);
        struct eval_grade *g = &f->grades[i];
        int rc = jdef_object(d, v, at);
        if (!rc) rc = jdef_only(d, v, at, keys);
        if (!rc) rc = jdef_text(d, v, at, "code", true, 64, &g->code);
        if (!rc) rc = jdef_text(d, v, at, "name", true, 64, &g->name);
        if (rc) return rc;
        g->valid = !json_is_false(jdef_member(v, "valid"));
        g->top = json_is_true(jdef_member(v, "top"));
        if (g->valid && (rc = number(d, v, at, "points", &g->points))) return rc;
        nvalid += g->valid;
        for (size_t k = 0; k < i; k++)
            if (strcmp(f->grades[k].code, g->code) == 0)
                return jdef_bad(d, at, "代码 \"%s\" 重复", g->code);
    }
    return nvalid ? ERR_OK : jdef_bad(d, path, "至少须有一个有效等次");
}

static int read_criteria(struct jdef *d, json_t *l, const char *path, struct arena *a,
                         struct eval_form *f)
{
    f->ncriteria = json_array_size(l);
    f->criteria = arena_zalloc(a, (f->ncriteria + 1) * sizeof *f->criteria);
    size_t i;
    json_t *v;
    json_array_foreach(l, i, v)
    {
        static const char *const keys[] = {"code", "name", "min", "max", NULL};
        char at[JDEF_PATH_MAX];
        jdef_index(at, path, i);
        struct eval_criterion *c = &f->criteria[i];
        int rc = jdef_object(d, v, at);
        if (!rc) rc = jdef_only(d, v, at, keys);
        if (!rc) rc = jdef_text(d, v, at, "code", true, 64, &c->code);
        if (!rc) rc = jdef_text(d, v, at, "name", true, 64, &c->name);
        if (!rc) rc = number(d, v, at, "min", &c->min);
        if (!rc) rc = number(d, v, at, "max", &c->max);
        if (rc) return rc;
        if (c->min >= c->max) return jdef_bad(d, at, "min 须小于 max");
        for (size_t k = 0; k < i; k++)
            if (strcmp(f->criteria[k].code, c->code) == 0)
                return jdef_bad(d, at, "代码 \"%s\" 重复", c->code);
    }
    return ERR_OK;
}

/* "bands": [{"grade", "min"}…] from the highest min down, the last 0: the
 * grade a member review gives a score. */
static int read_bands(struct jdef *d, json_t *l, const char *path, struct arena *a,
                      struct eval_form *f)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "bands");
    if (!l) return ERR_OK;
    if (f->scores || !json_is_array(l) || json_array_size(l) == 0 ||
        json_array_size(l) > EVAL_LIST_MAX)
        return jdef_bad(d, at, "须为按等次评议的评议表的 1 至 %d 项数组", EVAL_LIST_MAX);
    f->nbands = json_array_size(l);
    f->bands = arena_zalloc(a, f->nbands * sizeof *f->bands);
    size_t i;
    json_t *v;
    json_array_foreach(l, i, v)
    {
        static const char *const keys[] = {"grade", "min", NULL};
        char one[JDEF_PATH_MAX];
        jdef_index(one, at, i);
        struct eval_band *b = &f->bands[i];
        int rc = jdef_object(d, v, one);
        if (!rc) rc = jdef_only(d, v, one, keys);
        if (!rc) rc = jdef_text(d, v, one, "grade", true, 64, &b->grade);
        if (!rc) rc = number(d, v, one, "min", &b->min);
        if (rc) return rc;
        const struct eval_grade *g = eval_grade_find(f, b->grade);
        if (!g || !g->valid) return jdef_bad(d, one, "grade 须为本表的一个有效等次");
        if (i > 0 && b->min >= f->bands[i - 1].min) return jdef_bad(d, one, "min 须从高到低排列");
    }
    if (f->bands[f->nbands - 1].min != 0) return jdef_bad(d, at, "最后一项的 min 须为 0");
    return ERR_OK;
}

const struct eval_grade *eval_grade_find(const struct eval_form *f, const char *code)
{
    for (size_t i = 0; code && i < f->ngrades; i++)
        if (strcmp(f->grades[i].code, code) == 0) return &f->grades[i];
    return NULL;
}

const struct eval_grade *eval_grade_of(const struct eval_form *f, double score)
{
    for (size_t i = 0; i < f->nbands; i++)
        if (score >= f->bands[i].min) return eval_grade_find(f, f->bands[i].grade);
    return NULL;
}

static int read_form(struct jdef *d, json_t *v, const char *at, struct arena *a,
                     struct eval_form *f)
{
    static const char *const keys[] = {"code", "name", "kind", "grades", "criteria", "bands", NULL};
    const char *kind;
    int rc = jdef_object(d, v, at);
    if (!rc) rc = jdef_only(d, v, at, keys);
    if (!rc) rc = jdef_text(d, v, at, "code", true, 64, &f->code);
    if (!rc) rc = jdef_text(d, v, at, "name", true, 64, &f->name);
    if (!rc) rc = jdef_text(d, v, at, "kind", true, 16, &kind);
    if (rc) return rc;
    char sub[JDEF_PATH_MAX];
    f->scores = strcmp(kind, "scores") == 0;
    if (!f->scores && strcmp(kind, "grades") != 0)
        return jdef_bad(d, at, "kind 须为 grades 或 scores");
    const char *key = f->scores ? "criteria" : "grades";
    json_t *l = jdef_member(v, key);
    jdef_join(sub, at, key);
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > EVAL_LIST_MAX)
        return jdef_bad(d, sub, "须为 1 至 %d 项的数组", EVAL_LIST_MAX);
    rc = f->scores ? read_criteria(d, l, sub, a, f) : read_grades(d, l, sub, a, f);
    return rc ? rc : read_bands(d, jdef_member(v, "bands"), at, a, f);
}

static int read_all(struct jdef *d, json_t *root, struct eval_defs *e)
{
    static const char *const keys[] = {"about",     "sources",       "forms", "rules",
                                       "follow_up", "group_presets", NULL};
    json_t *forms, *rules, *v;
    int rc = jdef_only(d, root, "", keys);
    if (!rc) rc = list(d, root, "forms", &forms);
    if (!rc) rc = list(d, root, "rules", &rules);
    if (rc) return rc;
    e->nforms = json_array_size(forms);
    e->forms = arena_zalloc(e->arena, (e->nforms + 1) * sizeof *e->forms);
    size_t i;
    json_array_foreach(forms, i, v)
    {
        char at[JDEF_PATH_MAX];
        jdef_index(at, "forms", i);
        if ((rc = read_form(d, v, at, e->arena, &e->forms[i]))) return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(e->forms[k].code, e->forms[i].code) == 0)
                return jdef_bad(d, at, "代码 \"%s\" 重复", e->forms[i].code);
    }
    e->nrules = json_array_size(rules);
    e->rules = arena_zalloc(e->arena, (e->nrules + 1) * sizeof *e->rules);
    json_array_foreach(rules, i, v)
    {
        static const char *const rkeys[] = {"code", "name", "about", "threshold", NULL};
        char at[JDEF_PATH_MAX];
        jdef_index(at, "rules", i);
        struct eval_rule_def *r = &e->rules[i];
        rc = jdef_object(d, v, at);
        if (!rc) rc = jdef_only(d, v, at, rkeys);
        if (!rc) rc = jdef_text(d, v, at, "code", true, 64, &r->code);
        if (!rc) rc = jdef_text(d, v, at, "name", true, 200, &r->name);
        if (!rc) rc = jdef_text(d, v, at, "about", false, 1000, &r->about);
        if (rc) return rc;
        if (!eval_rule_parse(r->code, &r->rule))
            return jdef_bad(d, at, "没有 \"%s\" 这一计分规则", r->code);
        r->threshold = -1; /* follow_up.threshold, read below */
        if (jdef_member(v, "threshold") && (rc = number(d, v, at, "threshold", &r->threshold)))
            return rc;
    }
    static const char *const fkeys[] = {"threshold",   "kind",  "deadline_days",
                                        "notice_days", "about", NULL};
    json_t *f = jdef_member(root, "follow_up");
    double days = 0, notice = 0;
    rc = jdef_object(d, f, "follow_up");
    if (!rc) rc = jdef_only(d, f, "follow_up", fkeys);
    if (!rc) rc = number(d, f, "follow_up", "threshold", &e->threshold);
    if (!rc) rc = number(d, f, "follow_up", "deadline_days", &days);
    if (!rc) rc = number(d, f, "follow_up", "notice_days", &notice);
    if (!rc) rc = jdef_text(d, f, "follow_up", "kind", true, 64, &e->follow_kind);
    if (rc) return rc;
    if (days < 1 || days > 366 || notice < 0 || notice > 60)
        return jdef_bad(d, "follow_up", "deadline_days 须在 1–366，notice_days 须在 0–60");
    e->deadline_days = (int)days;
    e->notice_days = (int)notice;
    for (size_t k = 0; k < e->nrules; k++)
        if (e->rules[k].threshold < 0) e->rules[k].threshold = e->threshold;
    return ERR_OK;
}

int evaluations_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, EVAL_FILE, strlen(EVAL_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "data/%s is not compiled in", EVAL_FILE);
    struct eval_defs *e = xcalloc(1, sizeof *e);
    e->arena = arena_new();
    app->evals = e;
    int rc = jdef_load((const char *)f->data, f->len, EVAL_JSON_MAX, "评议定义", EVAL_FILE,
                       &e->root, err);
    struct jdef d = {EVAL_FILE, err, (const char *)f->data, f->len};
    if (!rc) rc = read_all(&d, e->root, e);
    const struct wf_kind *k = rc ? NULL : kinds_find(app, e->follow_kind);
    if (!rc && (!k || k->subject != CASE_ITEM))
        rc = jdef_bad(&d, "follow_up.kind", "须为 kinds/ 中一个事项类的案件类型");
    return rc ? err_wrap(err, "data/%s", EVAL_FILE) : ERR_OK;
}

void evaluations_defs_free(struct app *app)
{
    struct eval_defs *e = app->evals;
    if (!e) return;
    if (e->root) json_decref(e->root);
    arena_free(e->arena);
    free(e);
    app->evals = NULL;
}

const struct eval_form *evaluations_form(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->evals->nforms; i++)
        if (strcmp(app->evals->forms[i].code, code) == 0) return &app->evals->forms[i];
    return NULL;
}

const struct eval_rule_def *evaluations_rule(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->evals->nrules; i++)
        if (strcmp(app->evals->rules[i].code, code) == 0) return &app->evals->rules[i];
    return NULL;
}

void evaluations_form_write(struct jw *w, const struct eval_form *f)
{
    jw_obj(w);
    jw_kstr(w, "code", f->code);
    jw_kstr(w, "name", f->name);
    jw_kstr(w, "kind", f->scores ? "scores" : "grades");
    jw_key(w, f->scores ? "criteria" : "grades");
    jw_arr(w);
    for (size_t i = 0; i < f->ngrades; i++) {
        jw_obj(w);
        jw_kstr(w, "code", f->grades[i].code);
        jw_kstr(w, "name", f->grades[i].name);
        jw_kbool(w, "valid", f->grades[i].valid);
        if (f->grades[i].valid) jw_knum(w, "points", f->grades[i].points);
        jw_obj_end(w);
    }
    for (size_t i = 0; i < f->ncriteria; i++) {
        jw_obj(w);
        jw_kstr(w, "code", f->criteria[i].code);
        jw_kstr(w, "name", f->criteria[i].name);
        jw_knum(w, "min", f->criteria[i].min);
        jw_knum(w, "max", f->criteria[i].max);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

void evaluations_defs_write(const struct app *app, struct jw *w)
{
    static const char *const kinds[][2] = {{"departments", "县直部门述职评议"},
                                           {"secretaries", "书记抓党建述职评议"},
                                           {"members", "民主评议党员"},
                                           {"units", "单位评议"}};
    jw_obj(w);
    jw_key(w, "forms");
    jw_arr(w);
    for (size_t i = 0; i < app->evals->nforms; i++)
        evaluations_form_write(w, &app->evals->forms[i]);
    jw_arr_end(w);
    jw_key(w, "rules");
    jw_arr(w);
    for (size_t i = 0; i < app->evals->nrules; i++) {
        jw_obj(w);
        jw_kstr(w, "code", app->evals->rules[i].code);
        jw_kstr(w, "name", app->evals->rules[i].name);
        jw_kstr_or_null(w, "about", app->evals->rules[i].about);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "kinds");
    jw_arr(w);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        jw_obj(w);
        jw_kstr(w, "code", kinds[i][0]);
        jw_kstr(w, "name", kinds[i][1]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_knum(w, "threshold", app->evals->threshold);
    jw_obj_end(w);
}
