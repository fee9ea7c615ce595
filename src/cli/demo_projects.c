/* demo_projects.c — 9. the county's key projects (demo.h): eleven projects
 * of about 38 亿元 in all (the seed's shape), placed in the townships, each
 * with the year's plan, monthly reports from January through last month and
 * milestones (倒排工期): those behind are reached, one is late and opens its
 * problem case. Written through the app layer; deterministic from the seed. */
#include "cli/demo.h"
#include "app/projects.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *nature, *scale;
    double total_wan;
} seeds[] = {
    {"食品产业园标准化厂房", "industry", "厂房 12 万平方米", 52000},
    {"县城污水处理厂提标改造", "ecology", "日处理 4 万吨", 45000},
    {"澧河生态治理", "ecology", "河道 18 公里", 38000},
    {"高标准农田建设", "rural", "8 万亩", 36000},
    {"县人民医院医技楼", "livelihood", "建筑面积 4.2 万平方米", 35000},
    {"乡村道路提质", "infrastructure", "农村公路 120 公里", 33000},
    {"城区集中供热管网", "infrastructure", "管网 46 公里", 32000},
    {"职业教育园区", "social", "在校生 6000 人规模", 30000},
    {"冷链物流中心", "industry", "库容 5 万吨", 28000},
    {"老旧小区改造", "livelihood", "42 个小区", 27000},
    {"光伏发电项目", "industry", "装机 50 兆瓦", 24000},
};
#define NSEEDS (sizeof seeds / sizeof seeds[0])

static const char *const steps[] = {"土地征收", "主体开工", "主体完工", "竣工验收"};

/* The months of the demo year that have ended by today: 12 for a past year. */
static int months_reported(const struct demo *d)
{
    int y = (int)strtol(d->today, NULL, 10), m = (int)strtol(d->today + 5, NULL, 10);
    return d->year < y ? 12 : d->year > y ? 0 : m - 1;
}

static int write_one(struct demo *d, size_t i, size_t *reports, size_t *milestones)
{
    const struct auth_user *who = d->actor;
    const char *town = tree_node(d->tree, d->townships[i % d->ntownships])->code;
    char starts[24], ends[24];
    snprintf(starts, sizeof starts, "%04d-03-01", d->year - 1);
    snprintf(ends, sizeof ends, "%04d-12-31", d->year + 1);
    struct project_in in = {.unit = town,
                            .name = seeds[i].name,
                            .scale = seeds[i].scale,
                            .nature = seeds[i].nature,
                            .owner_unit = town,
                            .starts_on = starts,
                            .ends_on = ends,
                            .total_wan = seeds[i].total_wan};
    int64_t id, mid;
    int rc = projects_create(d->app, who, &in, NULL, &id, &d->e);
    struct rng r = rng_for(d->seed, seeds[i].name, P_PROJECTS);
    double plan = seeds[i].total_wan * (0.3 + 0.1 * rng_u(&r));
    if (!rc) rc = projects_plan_set(d->app, who, id, d->year, plan, NULL, &d->e);
    for (int m = 1; !rc && m <= months_reported(d); m++) {
        char month[16];
        snprintf(month, sizeof month, "%04d-%02d", d->year % 10000, m % 100);
        double wan = (double)(long)(plan / 12.0 * (0.6 + 0.7 * rng_u(&r)));
        rc = projects_report(d->app, who, id, month, wan,
                             m % 3 ? "按计划推进" : "季度观摩：进度正常", NULL, &d->e);
        (*reports) += !rc;
    }
    /* 倒排工期: a milestone each few months back to 90 days ahead; the
     * first project's third one is late, the others were reached. */
    for (size_t k = 0; !rc && k < sizeof steps / sizeof steps[0]; k++) {
        char planned[11];
        int back = (int)(3 - k) * 60 - 30 + (int)rng_below(&r, 20);
        clock_today(planned, -back);
        rc = projects_milestone_add(d->app, who, id, steps[k], planned, NULL, &mid, &d->e);
        (*milestones) += !rc;
        bool late = i == 0 && k == 2;
        if (!rc && back > 0 && !late)
            rc = projects_milestone_done(d->app, who, id, mid, planned, NULL, &d->e);
    }
    if (rc) err_wrap(&d->e, "重点项目“%s”", seeds[i].name);
    return rc;
}

int demo_write_projects(struct demo *d)
{
    if (!d->ntownships) return ERR_OK;
    int rc = ERR_OK, opened = 0;
    for (size_t i = 0; i < NSEEDS && !rc; i++)
        rc = write_one(d, i, &d->project_reports, &d->project_milestones);
    if (!rc)
        rc = projects_open_late_cases(d->app, d->actor, tree_node(d->tree, d->county)->code, NULL,
                                      &opened, &d->e);
    if (!rc) {
        d->projects = NSEEDS;
        d->project_cases = (size_t)opened;
    }
    return rc;
}
