/* cadres.c — reserve pools (后备干部) with their entry criteria and the
 * computed data elements (cadres.h). Exams: cadres_exams.c; 三岗十八级:
 * cadres_workers.c. */
#include "app/cadres.h"
#include "app/audit.h"
#include "app/people.h"
#include "app/volunteers.h"
#include "base/clock.h"
#include "core/cadre.h"
#include "core/person.h"
#include "core/tree.h"
#include "store/store_cadres.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_MIN 2000
#define YEAR_MAX 2100

/* The unit exists and lies in the actor's scope. */
static int unit_check(struct app *app, const struct auth_user *actor, const char *unit,
                      struct err *err)
{
    if (!unit || !unit[0]) return err_set_field(err, ERR_INVALID, "unit", "请选择单位");
    struct tree *t = app_tree(app);
    bool known = tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!known) return err_set_field(err, ERR_INVALID, "unit", "单位不存在，请从单位列表中选择");
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "该单位不在您的管辖范围内");
    return ERR_OK;
}

static const char *unit_name(const struct tree *t, const char *code)
{
    uint32_t i = tree_find_any(t, code, strlen(code));
    return i == TREE_NONE ? "" : tree_name(t, i);
}

/* The criteria of data/cadres.json "reserves": ERR_INVALID naming the
 * first one person fails; *age and *college as of today. */
static int criteria(struct app *app, const struct person_row *p, const char *today, int *age,
                    bool *college, struct err *err)
{
    const struct cadre_defs *c = app->cadres;
    const struct people_defs *pd = app->people;
    if (!p->birth_date || !person_date_ok(p->birth_date))
        return err_set_field(err, ERR_INVALID, "person",
                             "不符合后备干部条件（年龄 %d 周岁以下）：%s 没有登记出生日期，"
                             "请先在人员信息中补充",
                             c->max_age, p->name);
    *age = cadre_full_years(p->birth_date, today);
    if (*age > c->max_age)
        return err_set_field(err, ERR_INVALID, "person",
                             "不符合后备干部条件（年龄 %d 周岁以下）：%s 现年 %d 岁", c->max_age,
                             p->name, *age);
    size_t level = cadres_education_level(app, p->education);
    if (level == (size_t)-1 || level > c->min_education)
        return err_set_field(err, ERR_INVALID, "person",
                             "不符合后备干部条件（%s及以上学历）：%s 的学历为“%s”",
                             pd->education[c->min_education].name, p->name,
                             p->education && p->education[0] ? p->education : "未登记");
    *college = pd->education[level].higher;
    return ERR_OK;
}

static int write_reserve(struct db *db, void *ctx, struct err *err)
{
    return store_reserve_insert(db, ctx, err);
}

int cadres_reserve_add(struct app *app, const struct auth_user *actor, const char *unit, int year,
                       int64_t person, const char *post, const char *client, int64_t *id,
                       struct err *err)
{
    *id = 0;
    int rc = unit_check(app, actor, unit, err);
    if (rc) return rc;
    if (year < YEAR_MIN || year > YEAR_MAX)
        return err_set_field(err, ERR_INVALID, "year", "年度须为 %d 到 %d 的年份", YEAR_MIN,
                             YEAR_MAX);
    if ((rc = app_check_text(post, "post", CADRE_POST_MAX, true, err))) return rc;
    struct arena *a = arena_new();
    struct person_row p;
    char today[11], at[32];
    clock_today(today, 0);
    auth_now_iso(at);
    rc = volunteers_reach(app, actor, a, person, "person", err);
    if (!rc) {
        struct db *db = store_acquire(app->store);
        rc = store_person_get(db, a, person, &p, err);
        store_release(app->store, db);
    }
    struct store_reserve r = {.unit = unit,
                              .year = year,
                              .person_id = person,
                              .post = post,
                              .created_by = actor->name,
                              .created_at = at};
    int age = 0;
    if (!rc) rc = criteria(app, &p, today, &age, &r.college, err);
    if (!rc) {
        r.age = age;
        json_t *o = json_pack("{s:i,s:s,s:i,s:b}", "year", year, "post", post, "age", age,
                              "college", r.college);
        char *after = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        struct audit_entry ae = {.user = actor->name,
                                 .action = "cadre.reserve_add",
                                 .entity = arena_printf(a, "person:%lld", (long long)person),
                                 .unit = unit,
                                 .after = after,
                                 .client = client};
        rc = app_write_tx(app, &ae, CADRES_CHANGED, write_reserve, &r, err);
        free(after);
    }
    if (!rc) *id = r.id;
    arena_free(a);
    return rc;
}

struct reserves_ctx {
    struct arena *a;
    const struct app *app;
    struct cadre_reserve *rows;
    size_t n;
};

static int keep_reserve(void *ctx, const struct store_reserve *r)
{
    struct reserves_ctx *x = ctx;
    if (x->n == CADRE_ROWS_MAX) return 1;
    size_t level = cadres_education_level(x->app, r->education);
    x->rows[x->n++] = (struct cadre_reserve){
        .id = r->id,
        .person_id = r->person_id,
        .unit = r->unit,
        .person_name = r->person_name,
        .post = r->post,
        .education = level == (size_t)-1 ? r->education : x->app->people->education[level].name,
        .created_at = r->created_at,
        .year = (int)r->year,
        .age = (int)r->age,
        .college = r->college};
    return 0;
}

int cadres_reserves(struct app *app, const char *unit, int year, struct arena *a,
                    struct cadre_reserve **out, size_t *n, struct err *err)
{
    if (year < YEAR_MIN || year > YEAR_MAX)
        return err_set_field(err, ERR_INVALID, "year", "年度须为 %d 到 %d 的年份", YEAR_MIN,
                             YEAR_MAX);
    struct reserves_ctx x = {.a = a, .app = app};
    x.rows = arena_zalloc(a, CADRE_ROWS_MAX * sizeof *x.rows);
    struct db *db = store_acquire(app->store);
    int rc = store_reserves(db, a, unit, year, CADRE_ROWS_MAX, keep_reserve, &x, err);
    store_release(app->store, db);
    if (rc == 1) rc = ERR_OK;
    struct tree *t = app_tree(app);
    for (size_t i = 0; i < x.n; i++)
        x.rows[i].unit_name = arena_strdup(a, unit_name(t, x.rows[i].unit));
    tree_unref(t);
    *out = x.rows;
    *n = x.n;
    return rc;
}

/* ---- computed data elements ---- */

static const char *const computed_names[] = {"reserves", "young", "college", NULL};
static const char computed_choices[] =
    "reserves（后备干部人数）、young（35 岁及以下）或 college（大专及以上）";

int cadres_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, computed_names, computed_choices, err) < 0 ? ERR_INVALID
                                                                               : ERR_OK;
}

/* The pools of the period's year ("YYYY-MM-DD" start). */
int cadres_computed_counts(struct app *app, const char *computed, const char *start,
                           const char *next, const char *date, computed_add fn, void *ctx,
                           struct err *err)
{
    (void)next;
    (void)date;
    int what = computed_count(computed, computed_names, computed_choices, err);
    if (what < 0) return ERR_INVALID;
    char *end;
    long year = strtol(start, &end, 10);
    struct db *db = store_acquire(app->store);
    int rc = store_reserve_counts(db, year, what, app->cadres->young_age, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
