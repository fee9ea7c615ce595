/* demo_inspections.c — 11. 双随机、一公开 in the county (demo.h): the
 * 抽查事项清单, a 检查对象名录库 of shops and firms in the villages, the
 * county's 执法检查人员名录库 with a few 回避 links, and two plans, each
 * announced with its public value and drawn: the first past its deadline
 * with every result but one recorded (that one is overdue), the second
 * under way with about two thirds done. Written through the app layer
 * (app/inspections.h); deterministic from the seed. */
#include "cli/demo.h"
#include "app/inspections.h"
#include "base/clock.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const struct insp_item_row items[] = {
    {.code = "food-sale",
     .name = "食品经营者监督检查",
     .basis = "《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》",
     .ratio_permille = 50,
     .frequency = "每年一次",
     .department = "县市场监督管理局",
     .active = true},
    {.code = "special-equipment",
     .name = "特种设备使用单位监督检查",
     .basis = "《中华人民共和国特种设备安全法》第五十七条",
     .ratio_permille = 100,
     .frequency = "每年一次",
     .department = "县市场监督管理局",
     .active = true},
    {.code = "disclosure",
     .name = "企业公示信息抽查",
     .basis = "《企业信息公示暂行条例》第十四条",
     .ratio_permille = 30,
     .frequency = "每年一次",
     .department = "县市场监督管理局",
     .active = true},
};

static const char *const shops[] = {"惠民超市", "副食店", "饭店",   "农资店",     "面粉厂",
                                    "粮油店",   "烟酒店", "肉品店", "蛋糕店",     "农机合作社",
                                    "豆制品坊", "批发部", "药店",   "养殖合作社", "加油站"};
static const char *const kinds[] = {"个体工商户", "个体工商户", "企业", "农民专业合作社"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given[] = {"建国", "丽", "伟", "敏", "志强", "秀英", "军", "静"};
static const char *const results[] = {"no_problem", "no_problem", "no_problem",  "no_problem",
                                      "corrected",  "no_problem", "no_activity", "not_disclosed"};

#define TARGETS_PER_UNIT 3
#define INSPECTORS       16

static int registries(struct demo *d, struct rng *r, int64_t *item_ids)
{
    int rc = ERR_OK;
    for (size_t i = 0; !rc && i < sizeof items / sizeof items[0]; i++)
        rc = inspections_item_save(d->app, d->actor, &items[i], "demo", &item_ids[i], &d->e);
    const char *county = tree_node(d->tree, d->county)->code;
    int64_t first_target = 0, id = 0;
    for (size_t u = 0; !rc && u < d->n; u++) {
        for (int k = 0; !rc && k < TARGETS_PER_UNIT; k++) {
            const char *shop = shops[rng_below(r, sizeof shops / sizeof shops[0])];
            char name[160];
            snprintf(name, sizeof name, "%s%s%s", tree_name(d->tree, d->units[u].node),
                     surnames[rng_below(r, 16)], shop);
            struct insp_target_row t = {.name = name,
                                        .kind = kinds[rng_below(r, 4)],
                                        .credit_code = "",
                                        .unit = d->units[u].code,
                                        .active = true};
            rc = inspections_target_save(d->app, d->actor, &t, "demo", &id, &d->e);
            if (!first_target) first_target = id;
        }
    }
    int64_t first_inspector = 0;
    for (int k = 0; !rc && k < INSPECTORS; k++) {
        char name[32];
        snprintf(name, sizeof name, "%s%s", surnames[(size_t)k % 16], given[rng_below(r, 8)]);
        struct insp_inspector_row i = {.name = name,
                                       .department =
                                           k < 12 ? "县市场监督管理局" : "县市场监管综合执法大队",
                                       .unit = county,
                                       .active = true};
        rc = inspections_inspector_save(d->app, d->actor, &i, "demo", &id, &d->e);
        if (!first_inspector) first_inspector = id;
    }
    /* 回避: a few inspectors related to a target of their home village */
    static const char *const reasons[] = {"近亲属", "曾在该单位任职", "利害关系"};
    for (int k = 0; !rc && k < 6; k++)
        rc = inspections_link_set(d->app, d->actor, first_inspector + k,
                                  first_target + (int64_t)rng_below(r, d->n * TARGETS_PER_UNIT),
                                  reasons[k % 3], "demo", &d->e);
    if (rc == ERR_CONFLICT) rc = ERR_OK; /* the same pair drawn twice */
    d->insp_targets = d->n * TARGETS_PER_UNIT;
    return rc;
}

/* Records the results of plan's checks but the last keep_open, each
 * checked up to ten days before today + checked_offset and published two
 * days after its check. */
static int results_of(struct demo *d, struct rng *r, int64_t plan, size_t keep_open,
                      int checked_offset)
{
    struct arena *a = arena_new();
    struct insp_plan_row p;
    struct insp_check_row *c;
    size_t n;
    int rc = inspections_plan(d->app, a, NULL, plan, &p, &c, &n, &d->e);
    d->insp_checks += rc ? 0 : n;
    for (size_t k = 0; !rc && k + keep_open < n; k++) {
        char checked[11], published[11];
        int day = checked_offset - (int)rng_below(r, 10);
        clock_today(checked, day);
        clock_today(published, day + 2);
        rc = inspections_result(d->app, NULL, c[k].id, results[rng_below(r, 8)], checked, published,
                                d->actor->name, "demo", &d->e);
        d->insp_done += !rc;
    }
    arena_free(a);
    return rc;
}

int demo_write_inspections(struct demo *d)
{
    struct rng r = rng_for(d->seed, "inspections", P_PROJECTS);
    int64_t item_ids[sizeof items / sizeof items[0]];
    int rc = registries(d, &r, item_ids);
    const char *county = tree_node(d->tree, d->county)->code;
    char past[11], ahead[11], value[64];
    clock_today(past, -20);
    clock_today(ahead, 60);
    snprintf(value, sizeof value, "舞阳县双随机摇号公开值 %" PRIu64 "-1", d->seed);
    struct insp_plan_row food = {.name = "食品经营者双随机抽查",
                                 .item_id = item_ids[0],
                                 .unit = county,
                                 .per_target = 2,
                                 .deadline = past,
                                 .public_value = value};
    int64_t plan1 = 0, plan2 = 0, draw;
    if (!rc) rc = inspections_plan_create(d->app, d->actor, &food, "demo", &plan1, &d->e);
    if (!rc) rc = inspections_draw(d->app, NULL, plan1, NULL, d->actor->name, "demo", &draw, &d->e);
    if (!rc) rc = results_of(d, &r, plan1, 1, -25); /* one overdue */
    char value2[64];
    snprintf(value2, sizeof value2, "舞阳县双随机摇号公开值 %" PRIu64 "-2", d->seed);
    struct insp_plan_row equip = {.name = "特种设备使用单位双随机抽查",
                                  .item_id = item_ids[1],
                                  .unit = county,
                                  .target_count = 24,
                                  .per_target = 3,
                                  .deadline = ahead,
                                  .public_value = value2};
    if (!rc) rc = inspections_plan_create(d->app, d->actor, &equip, "demo", &plan2, &d->e);
    if (!rc) rc = inspections_draw(d->app, NULL, plan2, NULL, d->actor->name, "demo", &draw, &d->e);
    if (!rc) rc = results_of(d, &r, plan2, 8, -3);
    d->insp_plans = rc ? 0 : 2;
    if (rc) return err_wrap(&d->e, "writing the 双随机 inspections");
    return ERR_OK;
}
