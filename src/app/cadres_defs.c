/* cadres_defs.c — data/cadres.json read and checked at start (cadres.h):
 * the reserve criteria, the exam pass mark and the 三岗十八级 table. An
 * unknown key, a bad figure or an unknown education level fails the start
 * with the JSON path. */
#include "app/cadres.h"
#include "app/events.h"
#include "app/people.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_def.h"

#include <string.h>

extern const struct embed_file data_defs[];

#define CADRES_FILE     "cadres.json"
#define CADRES_JSON_MAX ((size_t)32 * 1024)

static int int_in(struct jdef *d, json_t *o, const char *path, const char *key, int lo, int hi,
                  int *out)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    json_t *v = jdef_member(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return jdef_bad(d, at, "须为 %d 到 %d 的整数", lo, hi);
    *out = (int)json_integer_value(v);
    return ERR_OK;
}

static int load_reserves(struct jdef *d, const struct app *app, json_t *o, struct cadre_defs *c)
{
    static const char *const keys[] = {"max_age", "young_age", "min_education", "source", NULL};
    const char *level;
    int rc = jdef_object(d, o, "reserves");
    if (!rc) rc = jdef_only(d, o, "reserves", keys);
    if (!rc) rc = int_in(d, o, "reserves", "max_age", 18, 70, &c->max_age);
    if (!rc) rc = int_in(d, o, "reserves", "young_age", 18, c->max_age, &c->young_age);
    if (!rc) rc = jdef_text(d, o, "reserves", "source", true, 2000, &c->reserves_source);
    if (!rc) rc = jdef_text(d, o, "reserves", "min_education", true, 32, &level);
    if (rc) return rc;
    const struct people_defs *p = app->people;
    for (size_t i = 0; i < p->neducation; i++)
        if (strcmp(p->education[i].code, level) == 0) {
            c->min_education = i;
            return ERR_OK;
        }
    return jdef_bad(d, "reserves.min_education", "须为 people.json education_levels 的代码");
}

static int load_exams(struct jdef *d, const struct app *app, json_t *o, struct cadre_defs *c)
{
    static const char *const keys[] = {"type", "training_type", "pass_mark", "source", NULL};
    const char *source;
    int rc = jdef_object(d, o, "exams");
    if (!rc) rc = jdef_only(d, o, "exams", keys);
    if (!rc) rc = jdef_text(d, o, "exams", "type", true, 32, &c->exam_type);
    if (!rc) rc = jdef_text(d, o, "exams", "training_type", true, 32, &c->training_type);
    if (!rc) rc = jdef_text(d, o, "exams", "source", true, 2000, &source);
    if (rc) return rc;
    const struct event_type *exam = events_type(app, c->exam_type);
    const struct event_type *training = events_type(app, c->training_type);
    if (!exam || exam->nfields != 1 || strcmp(exam->fields[0].code, "score") != 0)
        return jdef_bad(d, "exams.type", "须为 events.json 中只有 score 字段的活动类型");
    if (!training || training->nfields != 1 || strcmp(training->fields[0].code, "hours") != 0)
        return jdef_bad(d, "exams.training_type", "须为 events.json 中只有 hours 字段的活动类型");
    json_t *pass = jdef_member(o, "pass_mark");
    if (!json_is_number(pass) || json_number_value(pass) <= exam->fields[0].min ||
        json_number_value(pass) > exam->fields[0].max)
        return jdef_bad(d, "exams.pass_mark", "须在考试成绩的范围内（%g 到 %g）",
                        exam->fields[0].min, exam->fields[0].max);
    c->pass_mark = json_number_value(pass);
    return ERR_OK;
}

static int load_steps(struct jdef *d, json_t *o, const char *key, struct cadre_step *out, size_t *n)
{
    static const char *const keys[] = {"code", "name", "steps", NULL};
    char path[JDEF_PATH_MAX];
    jdef_join(path, "grades", key);
    json_t *l = jdef_member(o, key);
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > CADRE_LIST_MAX)
        return jdef_bad(d, path, "须为 1 到 %d 项的数组", CADRE_LIST_MAX);
    *n = json_array_size(l);
    for (size_t i = 0; i < *n; i++) {
        char at[JDEF_PATH_MAX];
        jdef_index(at, path, i);
        json_t *s = json_array_get(l, i);
        int rc;
        if ((rc = jdef_object(d, s, at)) || (rc = jdef_only(d, s, at, keys)) ||
            (rc = jdef_text(d, s, at, "code", true, 32, &out[i].code)) ||
            (rc = jdef_text(d, s, at, "name", true, 64, &out[i].name)) ||
            (rc = int_in(d, s, at, "steps", 0, 10, &out[i].steps)))
            return rc;
        if (cadres_step(out, i, out[i].code)) return jdef_bad(d, at, "代码 %s 重复", out[i].code);
    }
    return ERR_OK;
}

static int load_grades(struct jdef *d, json_t *o, struct cadre_defs *c)
{
    static const char *const keys[] = {
        "count", "years_per_step", "degree_steps", "certificate_steps", "source", "uncertain",
        NULL};
    int rc = jdef_object(d, o, "grades");
    if (!rc) rc = jdef_only(d, o, "grades", keys);
    if (!rc) rc = int_in(d, o, "grades", "count", 1, CADRE_GRADES_MAX, &c->grades);
    if (!rc) rc = int_in(d, o, "grades", "years_per_step", 1, 10, &c->years_per_step);
    if (!rc) rc = jdef_text(d, o, "grades", "source", true, 2000, &c->grades_source);
    if (!rc) rc = load_steps(d, o, "degree_steps", c->degrees, &c->ndegrees);
    if (!rc) rc = load_steps(d, o, "certificate_steps", c->certificates, &c->ncertificates);
    c->uncertain = json_is_true(jdef_member(o, "uncertain"));
    return rc;
}

static int load_posts(struct jdef *d, json_t *l, struct cadre_defs *c)
{
    static const char *const keys[] = {"code", "name", "start_grade", "pay", NULL};
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > CADRE_LIST_MAX)
        return jdef_bad(d, "posts", "须为 1 到 %d 项的数组", CADRE_LIST_MAX);
    c->nposts = json_array_size(l);
    for (size_t i = 0; i < c->nposts; i++) {
        char at[JDEF_PATH_MAX];
        jdef_index(at, "posts", i);
        json_t *o = json_array_get(l, i);
        struct cadre_post *p = &c->posts[i];
        int rc;
        if ((rc = jdef_object(d, o, at)) || (rc = jdef_only(d, o, at, keys)) ||
            (rc = jdef_text(d, o, at, "code", true, 32, &p->code)) ||
            (rc = jdef_text(d, o, at, "name", true, 64, &p->name)) ||
            (rc = int_in(d, o, at, "start_grade", 1, c->grades, &p->start_grade)))
            return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(c->posts[k].code, p->code) == 0)
                return jdef_bad(d, at, "代码 %s 重复", p->code);
        json_t *pay = json_object_get(o, "pay");
        if (!json_is_array(pay) || json_array_size(pay) != (size_t)c->grades)
            return jdef_bad(d, at, "pay 须为 %d 个等级的月工资（元）", c->grades);
        for (size_t g = 0; g < (size_t)c->grades; g++) {
            json_t *v = json_array_get(pay, g);
            if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > 1e6 ||
                (g > 0 && json_number_value(v) < p->pay[g - 1]))
                return jdef_bad(d, at, "pay 第 %zu 级须为不低于上一级的正数（元）", g + 1);
            p->pay[g] = json_number_value(v);
        }
    }
    return ERR_OK;
}

static int load(struct jdef *d, const struct app *app, json_t *root, struct cadre_defs *c)
{
    static const char *const top[] = {"about", "reserves", "exams", "grades", "posts", NULL};
    const char *about;
    int rc = jdef_only(d, root, "", top);
    if (!rc) rc = jdef_text(d, root, "", "about", true, 4000, &about);
    if (!rc) rc = load_reserves(d, app, jdef_member(root, "reserves"), c);
    if (!rc) rc = load_exams(d, app, jdef_member(root, "exams"), c);
    if (!rc) rc = load_grades(d, jdef_member(root, "grades"), c);
    if (!rc) rc = load_posts(d, jdef_member(root, "posts"), c);
    return rc;
}

int cadres_defs_load(struct app *app, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, CADRES_FILE, strlen(CADRES_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "缺少内置的 data/%s", CADRES_FILE);
    struct cadre_defs *c = xcalloc(1, sizeof *c);
    app->cadres = c;
    int rc = jdef_load((const char *)f->data, f->len, CADRES_JSON_MAX, "干部队伍规则", CADRES_FILE,
                       &c->root, err);
    if (rc) return rc;
    struct jdef d = {CADRES_FILE, err, (const char *)f->data, f->len};
    return load(&d, app, c->root, c);
}

void cadres_defs_free(struct app *app)
{
    struct cadre_defs *c = app->cadres;
    if (!c) return;
    json_decref(c->root);
    free(c);
    app->cadres = NULL;
}

const struct cadre_post *cadres_post(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->cadres->nposts; i++)
        if (strcmp(app->cadres->posts[i].code, code) == 0) return &app->cadres->posts[i];
    return NULL;
}

const struct cadre_step *cadres_step(const struct cadre_step *list, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(list[i].code, code) == 0) return &list[i];
    return NULL;
}

size_t cadres_education_level(const struct app *app, const char *text)
{
    const struct people_defs *p = app->people;
    for (size_t i = 0; text && text[0] && i < p->neducation; i++) {
        const struct people_level *l = &p->education[i];
        if (strcmp(l->name, text) == 0 || strcmp(l->code, text) == 0) return i;
        for (size_t k = 0; k < l->naliases; k++)
            if (strcmp(l->aliases[k], text) == 0) return i;
    }
    return (size_t)-1;
}
