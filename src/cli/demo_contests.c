/* demo_contests.c — 14. 擂台比武 of the demo county (demo.h): the year's
 * contest of village secretaries, one from villages spread over the
 * county, seven county judges scoring every contestant's round through the
 * judges' one-time codes as on the phone page, each round opened and
 * closed by the organiser, the site-visit scores typed in, and the last
 * contestant left on stage with part of the judges scored so that the live
 * screen has something to show. Ranks, awards and funds follow from the
 * rules (data/contests.json). Then the 金点子 library: a good practice of
 * each of the first contestants with tags, and votes. Written through the
 * app layer; scores drawn from the seed, each contestant with a standing. */
#include "cli/demo.h"
#include "app/contests.h"
#include "base/mem.h"
#include "core/tree.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#define CONTESTANTS 24 /* enough for every award of the default split (20) */

static const char *const judges[] = {
    "县委组织部 王振华", "县委组织部 刘敏",         "县农业农村局 陈志强", "县委党校 赵文静",
    "县财政局 孙卫东",   "乡镇党委书记代表 周海涛", "老党员代表 吴德明"};
#define NJUDGES (sizeof judges / sizeof *judges)

static const char *const surnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄",
                                       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given[] = {"建国", "国强", "红梅", "志刚", "海军", "秀英",
                                    "卫东", "春生", "玉兰", "新民", "保国", "振兴"};

static const struct {
    const char *title, *text, *tags[2];
} practices[] = {
    {"党支部领办合作社",
     "村党支部牵头成立土地股份合作社，整村流转土地统一经营，集体与农户按股分红。",
     {"集体经济", "产业发展"}},
    {"“四议两公开”事事上墙",
     "村内大事按四议两公开办理，每一步的会议记录和表决结果在公开栏公示。",
     {"基层治理", "村务公开"}},
    {"党员联户“一张图”",
     "每名党员联系周边 10 户群众，联户图挂在党群服务中心，群众有事找得到人。",
     {"党员作用", "基层治理"}},
    {"积分超市激励村民",
     "村民参与人居环境整治、志愿服务积分，可到积分超市兑换日用品。",
     {"乡风文明", "人居环境"}},
    {"闲置宅院盘活利用",
     "清理闲置宅院改造为民宿和手工作坊，租金归村集体，带动村民就业。",
     {"集体经济", "乡村建设"}},
    {"返乡人才回村任职",
     "建立在外人才库，动员返乡创业青年进入村“两委”后备力量。",
     {"队伍建设", "人才振兴"}},
    {"矛盾纠纷“三级调处”",
     "小事网格员当场调、大事村调委会集中调、难事乡镇联调，矛盾不出村。",
     {"基层治理", "平安建设"}},
    {"小麦订单种植",
     "与面粉企业签订优质小麦订单，村党支部统一供种、统一收购，亩均增收 150 元。",
     {"产业发展", "集体经济"}},
};
#define NPRACTICES (sizeof practices / sizeof *practices)

static double draw(struct rng *r, double max, double standing)
{
    double x = clamp01(standing + 0.08 * rng_n(r)) * max;
    return floor(x + 0.5);
}

static int score(struct demo *d, const char *code, int seq, const json_t *criteria, double standing,
                 struct rng *r)
{
    json_t *scores = json_array();
    for (size_t k = 0; k < json_array_size(criteria); k++) {
        double max = json_number_value(json_object_get(json_array_get(criteria, k), "max"));
        json_array_append_new(scores, json_real(draw(r, max, standing)));
    }
    json_t *body = json_pack("{s:i, s:o}", "contestant", seq, "scores", scores);
    int rc = contests_judge_score(d->app, code, body, AUTH_CLI_NAME, &d->e);
    json_decref(body);
    if (!rc) d->contest_scores++;
    return rc;
}

static int contest(struct demo *d, struct arena *a)
{
    const char *county = tree_node(d->tree, d->county)->code;
    size_t n = d->n < CONTESTANTS ? d->n : CONTESTANTS;
    if (!n) return ERR_OK;
    json_t *people = json_array(), *jury = json_array();
    double standing[CONTESTANTS];
    for (size_t i = 0; i < n; i++) {
        const struct demo_unit *u = &d->units[i * d->n / n];
        struct rng r = rng_for(d->seed, u->code, P_CONTESTS);
        const char *name =
            arena_printf(a, "%s%s", surnames[rng_below(&r, sizeof surnames / sizeof *surnames)],
                         given[rng_below(&r, sizeof given / sizeof *given)]);
        standing[i] = 0.62 + 0.3 * u->quality;
        json_array_append_new(people, json_pack("{s:s, s:s}", "name", name, "unit", u->code));
    }
    for (size_t j = 0; j < NJUDGES; j++)
        json_array_append_new(jury, json_pack("{s:s, s:s}", "name", judges[j], "unit", county));
    json_t *body = json_pack("{s:s, s:i, s:s, s:o, s:o}", "name",
                             arena_printf(a, "%d年村党组织书记擂台比武", d->year), "year", d->year,
                             "unit", county, "contestants", people, "judges", jury);
    struct contest_codes codes;
    int rc = contests_create(d->app, d->actor, body, AUTH_CLI_NAME, a, &codes, &d->e);
    json_decref(body);
    if (rc) return rc;
    d->contests++;
    d->contestants += n;
    json_t *criteria = json_loads(d->app->contest->criteria, 0, NULL);
    json_t *site = json_array();
    for (size_t i = 0; !rc && i < n; i++) {
        int seq = (int)i + 1;
        bool last = i + 1 == n;
        struct rng r = rng_for(d->seed, d->units[i * d->n / n].code, P_CONTESTS + 100);
        rc = contests_round(d->app, d->actor, codes.id, seq, "open", AUTH_CLI_NAME, &d->e);
        for (size_t j = 0; !rc && j < codes.n && (!last || j < 3); j++)
            rc = score(d, codes.codes[j], seq, criteria, standing[i], &r);
        if (!rc && !last)
            rc = contests_round(d->app, d->actor, codes.id, seq, "close", AUTH_CLI_NAME, &d->e);
        json_array_append_new(
            site, json_pack("{s:i, s:f}", "contestant", seq, "score", draw(&r, 100, standing[i])));
    }
    if (!rc) rc = contests_site_scores(d->app, d->actor, codes.id, site, AUTH_CLI_NAME, &d->e);
    json_decref(site);
    json_decref(criteria);
    for (size_t k = 0; !rc && k < NPRACTICES && k < n; k++) {
        json_t *idea = json_pack("{s:s, s:s, s:[s, s], s:i}", "title", practices[k].title, "text",
                                 practices[k].text, "tags", practices[k].tags[0],
                                 practices[k].tags[1], "contestant", (int)k + 1);
        int64_t id;
        rc = contests_idea_create(d->app, d->actor, codes.id, idea, AUTH_CLI_NAME, &id, &d->e);
        json_decref(idea);
        if (!rc) d->ideas++;
        if (!rc && k % 3 == 0)
            rc = contests_idea_vote(d->app, d->actor, codes.id, id, AUTH_CLI_NAME, &d->e);
    }
    return rc;
}

int demo_write_contests(struct demo *d)
{
    struct arena *a = arena_new();
    int rc = contest(d, a);
    arena_free(a);
    return rc ? err_wrap(&d->e, "擂台比武") : ERR_OK;
}
