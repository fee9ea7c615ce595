/* demo_evaluations.c — 9. 述职评议 of the county's departments (demo.h), from
 * the department register:
 * last year's campaign closed with results and ranks, this year's open
 * with part of the ballots cast, both through the app layer with
 * one-time codes as a rater would use them. Votes are drawn from the seed,
 * each department with its own standing, so the ranking varies. */
#include "cli/demo.h"
#include "app/evaluations.h"
#include "base/mem.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const departments[] = {
    "县委办公室",      "县政府办公室",       "县委组织部",
    "县委宣传部",      "县发展和改革委员会", "县教育局",
    "县民政局",        "县财政局",           "县人力资源和社会保障局",
    "县自然资源局",    "县住房和城乡建设局", "县交通运输局",
    "县农业农村局",    "县水利局",           "县卫生健康委员会",
    "县市场监督管理局"};
#define NDEP (sizeof departments / sizeof *departments)

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A campaign of the county's departments: raters per group, then `share`
 * of the codes cast (per mille), closed when `close`. */
static int campaign(struct demo *d, const int64_t *ids, int year, int share, bool close,
                    size_t *cast)
{
    static const struct eval_group_in groups[] = {
        {"乡镇（街道）", 40, 16}, {"村/社区书记", 40, 40}, {"党员群众代表", 20, 60}};
    struct eval_subject_in subjects[NDEP];
    for (size_t i = 0; i < NDEP; i++)
        subjects[i] = (struct eval_subject_in){.department_id = ids[i]};
    struct arena *a = arena_new();
    const char *county = tree_node(d->tree, d->county)->code;
    struct eval_campaign_in in = {.name = arena_printf(a, "%d年度县直部门述职评议", year),
                                  .kind = "departments",
                                  .form = "satisfaction",
                                  .rule = "weighted_mean",
                                  .unit = county,
                                  .year = year,
                                  .groups = groups,
                                  .ngroups = sizeof groups / sizeof *groups,
                                  .subjects = subjects,
                                  .nsubjects = NDEP};
    struct eval_codes codes;
    int rc = evaluations_create(d->app, d->actor, &in, "cli", a, &codes, &d->e);
    uint64_t s = d->seed ^ (uint64_t)year * 0x9E3779B97F4A7C15ull;
    if (!s) s = 1;
    static const char *const grades[] = {"satisfied", "fair", "unsatisfied", "unknown"};
    for (size_t k = 0; !rc && k < codes.n; k++) {
        if ((int)(next(&s) % 1000) >= share) continue;
        json_t *answers = json_array();
        for (size_t i = 0; i < NDEP; i++) {
            /* department i leans to 满意 the lower its index' draw */
            int r = (int)(next(&s) % 100) + (int)(i * 37 % 40);
            const char *g = grades[r < 70 ? 0 : r < 105 ? 1 : r < 125 ? 2 : 3];
            json_array_append_new(answers,
                                  json_pack("{s:I, s:s}", "subject", (json_int_t)i, "grade", g));
        }
        rc = evaluations_cast(d->app, codes.codes[k], answers, "cli", &d->e);
        json_decref(answers);
        if (!rc) (*cast)++;
    }
    if (!rc && close) rc = evaluations_close(d->app, d->actor, codes.campaign_id, "cli", &d->e);
    arena_free(a);
    return rc ? err_wrap(&d->e, "%d 年度述职评议", year) : ERR_OK;
}

int demo_write_evaluations(struct demo *d)
{
    int64_t ids[NDEP];
    int rc = demo_register_departments(d, departments, NDEP, ids);
    if (!rc) rc = campaign(d, ids, d->year - 1, 900, true, &d->ballots);
    if (!rc) rc = campaign(d, ids, d->year, 350, false, &d->ballots);
    return rc;
}
