/* demo_community.c — 11. micro-wishes (微心愿), micro-projects (微项目) and
 * village deliberations (四议两公开) of the demo county (demo.h): in every
 * village of the first townships a few wishes at every stage, from collected
 * to closed, claimed by members, enterprises and units; a micro-project
 * packaging the village's checked wishes with a budget and participants
 * (enterprises, units, volunteers) at a drawn stage; a deliberation or two with the
 * attendance and votes of each meeting. Written through the case engine;
 * deterministic from the seed. */
#include "cli/demo.h"
#include "app/items.h"
#include "app/microprojects.h"

#include <inttypes.h>
#include <string.h>

#define TOWNSHIPS 3 /* the first townships get them: enough to see every stage */

static const struct {
    const char *category, *description;
} wishes[] = {
    {"学习用品", "留守儿童想要一个新书包和一套课外读物"},
    {"助老助残", "独居老人希望有人帮忙更换家里老化的电线和灯泡"},
    {"生活用品", "困难家庭冬季缺少棉被，希望得到两床棉被"},
    {"医疗健康", "行动不便的老人希望有人定期陪同去乡卫生院复查"},
    {"文体活动", "村里老年人希望添置一套广场舞音响"},
    {"学习用品", "初三学生希望有一台可以上网课的旧电脑"},
};
#define NWISHES (sizeof wishes / sizeof wishes[0])

static const struct {
    const char *who, *how;
} claimants[] = {
    {"王建国", "党员认领"},
    {"县供电公司第三党支部", "单位认领"},
    {"舞泉食品有限公司", "企业认领"},
    {"李秀兰", "党员认领"},
};
#define NCLAIMANTS (sizeof claimants / sizeof claimants[0])

/* The main line of a wish; how far each goes is drawn. */
static const char *const wish_line[] = {"list", "claim", "deliver", "confirm_for", "close"};
#define WISH_STEPS (sizeof wish_line / sizeof wish_line[0])

static const struct {
    const char *title, *description;
} issues[] = {
    {"村内主干道硬化及路灯安装",
     "村内主干道 1.2 公里硬化并安装路灯 40 盏，资金来源为一事一议财政奖补和村集体收入"},
    {"村集体土地流转方案", "村集体 120 亩机动地公开流转，流转期限 5 年，收益用于村公益事业"},
    {"文化广场建设", "利用废弃坑塘建设村文化广场，面积约 2000 平方米"},
    {"低保评议对象名单", "对本年度新申请低保的 6 户进行民主评议"},
};
#define NISSUES (sizeof issues / sizeof issues[0])

/* The line of 四议两公开; the first three steps are meetings with votes. */
static const char *const deliberation_line[] = {"consult",  "review",    "resolve",
                                                "announce", "implement", "publicise"};
#define DELIB_STEPS (sizeof deliberation_line / sizeof deliberation_line[0])

static int step(struct demo *d, struct arena *a, int64_t id, const char *code,
                const struct case_step *s)
{
    if (cases_step(d->app, d->actor, id, code, s, AUTH_CLI_NAME, a, NULL, &d->e))
        return err_wrap(&d->e, "case %" PRId64 " %s", id, code);
    d->community_steps++;
    return ERR_OK;
}

/* A wish at a drawn stage; *listed gets its id when it was checked (0 otherwise). */
static int write_wish(struct demo *d, struct arena *a, const char *unit, struct rng *r,
                      int64_t *listed)
{
    size_t w = rng_below(r, NWISHES), c = rng_below(r, NCLAIMANTS);
    struct item_input in = {.type = "wish",
                            .unit = unit,
                            .title = wishes[w].description,
                            .description = wishes[w].description,
                            .category = wishes[w].category,
                            .immediate = -1};
    struct case_row it;
    if (items_create(d->app, d->actor, &in, AUTH_CLI_NAME, a, &it, &d->e))
        return err_wrap(&d->e, "wish of %s", unit);
    d->wishes++;
    size_t n = rng_below(r, WISH_STEPS + 2); /* some go all the way */
    *listed = n > 0 ? it.id : 0;
    for (size_t k = 0; k < n && k < WISH_STEPS; k++) {
        struct case_step s = {.note = k == 1 ? claimants[c].how : NULL};
        if (k == 1) s.assignee = claimants[c].who;
        if (k == 2) s.evidence = "已送达受助群众，现场照片存档";
        if (k == 3) s.note = "受助群众电话反馈已收到，表示感谢";
        int rc = step(d, a, it.id, wish_line[k], &s);
        if (rc) return rc;
        if (k == WISH_STEPS - 1) d->wishes_done++;
    }
    return ERR_OK;
}

static int write_deliberation(struct demo *d, struct arena *a, const char *unit, struct rng *r)
{
    size_t i = rng_below(r, NISSUES);
    struct item_input in = {.type = "deliberation",
                            .unit = unit,
                            .title = issues[i].title,
                            .description = issues[i].description,
                            .immediate = -1};
    struct case_row it;
    if (items_create(d->app, d->actor, &in, AUTH_CLI_NAME, a, &it, &d->e))
        return err_wrap(&d->e, "deliberation of %s", unit);
    d->deliberations++;
    static const long sizes[3] = {7, 45, 31}; /* 两委, 党员大会, 村民代表会议 */
    size_t n = 1 + rng_below(r, DELIB_STEPS + 1);
    for (size_t k = 0; k < n && k < DELIB_STEPS; k++) {
        struct case_step s = {.note = k == 3 ? "决议内容已在村务公开栏和微信群公开"
                                      : k == 5 ? "实施结果及资金使用情况已公开，群众无异议"
                                               : "会议记录已归档，同意提交下一环节"};
        if (k == 4) s.evidence = "施工合同、验收单和现场照片已归档";
        if (k < 3) {
            long entitled = sizes[k], present = entitled - (long)rng_below(r, 3);
            s.number_codes[0] = "entitled", s.numbers[0] = entitled;
            s.number_codes[1] = "present", s.numbers[1] = present;
            s.number_codes[2] = "agreeing", s.numbers[2] = present - (long)rng_below(r, 3);
            s.nnumbers = 3;
        }
        int rc = step(d, a, it.id, deliberation_line[k], &s);
        if (rc) return rc;
    }
    return ERR_OK;
}

static const struct {
    const char *title, *description;
    int64_t budget; /* 元 */
} projects[] = {
    {"爱心助学微项目", "为留守儿童和困难学生集中兑现学习用品和网课设备心愿", 6000},
    {"幸福晚年微项目", "为独居和行动不便老人集中兑现助老服务心愿", 12000},
    {"温暖过冬微项目", "为困难家庭集中兑现冬季生活用品心愿", 8500},
};
#define NPROJECTS (sizeof projects / sizeof projects[0])

static const struct {
    const char *kind, *name;
    uint64_t base, spread; /* participations drawn in [base, base + spread) */
} takers[] = {
    {"enterprise", "舞泉食品有限公司", 40, 80}, {"unit", "县供电公司第三党支部", 20, 40},
    {"person", "党员志愿服务队", 60, 120},      {"person", "王建国", 1, 1},
    {"unit", "县农商银行舞泉支行", 10, 30},
};
#define NTAKERS (sizeof takers / sizeof takers[0])

static const char *const project_line[] = {"approve", "start", "deliver", "close"};
#define PROJECT_STEPS (sizeof project_line / sizeof project_line[0])

/* A micro-project of the village packaging its checked wishes, with
 * participants, at a drawn stage. */
static int write_microproject(struct demo *d, struct arena *a, const char *unit,
                              const int64_t *packaged, size_t npackaged, struct rng *r)
{
    size_t p = rng_below(r, NPROJECTS);
    struct mp_create in = {.unit = unit,
                           .title = projects[p].title,
                           .description = projects[p].description,
                           .budget = projects[p].budget,
                           .wishes = packaged,
                           .nwishes = npackaged};
    int64_t id;
    if (microprojects_create(d->app, d->actor, &in, AUTH_CLI_NAME, a, &id, &d->e))
        return err_wrap(&d->e, "micro-project of %s", unit);
    d->microprojects++;
    size_t n = rng_below(r, PROJECT_STEPS + 2);
    for (size_t k = 0; k < n && k < PROJECT_STEPS; k++) {
        struct case_step s = {.note = k == 0 ? "经村民代表会议议定立项" : NULL};
        if (k == 1) s.assignee = "村党支部书记";
        if (k == 2) s.evidence = "心愿物品已全部送达，签收单和照片存档";
        if (k == 1) /* those taking part, recorded once the work starts */
            for (size_t t = 0; t < NTAKERS; t++) {
                int64_t count = (int64_t)(takers[t].base + rng_below(r, takers[t].spread));
                if (microprojects_participant_add(d->app, d->actor, id, takers[t].kind,
                                                  takers[t].name, count, AUTH_CLI_NAME, NULL,
                                                  &d->e))
                    return err_wrap(&d->e, "participant of micro-project %" PRId64, id);
                d->participations += (size_t)count;
            }
        int rc = step(d, a, id, project_line[k], &s);
        if (rc) return rc;
        if (k == 2) d->microprojects_done++;
    }
    return ERR_OK;
}

int demo_write_community(struct demo *d)
{
    struct arena *a = arena_new();
    struct rng r = rng_for(d->seed, "community", P_WORK);
    int rc = ERR_OK;
    for (size_t i = 0; i < d->n && !rc; i++) {
        const struct demo_unit *u = &d->units[i];
        if (u->township >= TOWNSHIPS) continue;
        int64_t listed[3];
        size_t nlisted = 0;
        for (int k = 0; k < 3 && !rc; k++) {
            int64_t id = 0;
            rc = write_wish(d, a, u->code, &r, &id);
            if (id) listed[nlisted++] = id;
        }
        if (!rc && nlisted) rc = write_microproject(d, a, u->code, listed, nlisted, &r);
        if (!rc) rc = write_deliberation(d, a, u->code, &r);
    }
    arena_free(a);
    return rc;
}
