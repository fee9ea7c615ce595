/* demo_cadres.c — 14. 干部队伍 (demo.h): a reserve cadre pool of this year
 * in every township, 536 reserves county-wide with the seed's shape (about
 * 291 aged 35 or less, 431 college-educated or more [000] [001]), each a
 * new person with a birth date and education meeting data/cadres.json; in
 * the first township four weeks of "周一培训 + 周五考试" with the first 40
 * reserves, the failed ones sitting a make-up the week after; and the
 * community workers of the first township's villages (正职, 副职, 委员)
 * whose 三岗十八级 grade the pay report computes. Written through the app
 * layer; deterministic from the seed. */
#include "cli/demo.h"
#include "app/cadres.h"
#include "app/events.h"
#include "app/people.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESERVES      536 /* the seed's county-wide pool */
#define TRAINEES      40
#define WEEKS         4
#define VILLAGE_CREWS 10 /* villages with 3 workers each */

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
static const char *const given[] = {"晓明", "佳怡", "志远", "雨欣", "浩然", "思琪", "俊杰",
                                    "梦瑶", "宇航", "欣然", "建军", "丽华", "国庆", "春梅"};
static const char *const posts[] = {"村党支部书记", "村委会主任", "村党支部委员", "村委会委员",
                                    "村务监督委员会主任"};

/* A birth date `age` years before today's year, on a day of the seed. */
static void birth(struct demo *d, struct rng *r, int age, char out[48])
{
    unsigned year = (unsigned)(strtol(d->today, NULL, 10) - age - 1) % 10000u;
    unsigned month = 1 + (unsigned)rng_below(r, 12), day = 1 + (unsigned)rng_below(r, 28);
    snprintf(out, 48, "%04u-%02u-%02u", year, month, day);
}

/* Age 25..45 (291 of 536 at 35 or less) and education (431 of 536 大专+). */
static int reserve_person(struct demo *d, struct rng *r, const char *unit, size_t k, int64_t *id)
{
    static const char *const higher[] = {"大学本科", "大学专科", "研究生"};
    static const char *const lower[] = {"高中", "中专"};
    char born[48], name[64];
    int age = rng_below(r, RESERVES) < 291 ? 24 + (int)rng_below(r, 11) : 36 + (int)rng_below(r, 9);
    birth(d, r, age, born);
    bool college = rng_below(r, RESERVES) < 431;
    snprintf(name, sizeof name, "%s%s", surnames[k % 10], given[rng_below(r, 14)]);
    struct person_in p = {.name = name,
                          .sex = rng_chance(r, 0.6) ? "男" : "女",
                          .birth_date = born,
                          .education = college ? higher[rng_below(r, 3) % (age > 30 ? 2 : 3)]
                                               : lower[rng_below(r, 2)],
                          .unit = unit};
    int64_t existing = 0;
    return people_person_create(d->app, d->actor, &p, AUTH_CLI_NAME, id, &existing, &d->e);
}

static int event(struct demo *d, const char *type, const char *unit, const char *day,
                 const char *topic, int64_t *id)
{
    char starts[24];
    snprintf(starts, sizeof starts, "%sT09:00", day);
    struct event_in in = {.type = type,
                          .unit = unit,
                          .status = "held",
                          .starts_at = starts,
                          .place = "乡镇党校",
                          .topic = topic};
    return events_create(d->app, d->actor, &in, AUTH_CLI_NAME, id, &d->e);
}

/* A training attended by every trainee (3 hours) on the Monday, an exam on
 * the Friday, the failed ones at a make-up the next Monday. */
static int week(struct demo *d, struct rng *r, const char *town, const int64_t *who, size_t n,
                int w)
{
    char mon[11], fri[11], next[11];
    /* weeks ago: Monday 7w+11 days back, Friday 4 days later */
    clock_today(mon, -(7 * (WEEKS - w) + 11));
    clock_today(fri, -(7 * (WEEKS - w) + 7));
    clock_today(next, -(7 * (WEEKS - w) + 4));
    struct arena *a = arena_new();
    struct participant_in *parts = arena_zalloc(a, n * sizeof *parts);
    struct cadre_score_in *scores = arena_zalloc(a, n * sizeof *scores);
    struct event_value *hours = arena_zalloc(a, sizeof *hours);
    *hours = (struct event_value){.code = "hours", .v = 3};
    int64_t training = 0, exam = 0, makeup = 0;
    int rc =
        event(d, "training", town, mon, arena_printf(a, "周一培训：第 %d 讲", w + 1), &training);
    for (size_t i = 0; i < n; i++)
        parts[i] = (struct participant_in){
            .person_id = who[i], .attendance = "present", .values = hours, .nvalues = 1};
    if (!rc) rc = events_attendance_set(d->app, d->actor, training, parts, n, AUTH_CLI_NAME, &d->e);
    if (!rc) rc = event(d, "exam", town, fri, arena_printf(a, "周五考试：第 %d 讲", w + 1), &exam);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        scores[i] =
            (struct cadre_score_in){.person = who[i], .score = 45 + (double)rng_below(r, 56)};
        failed += scores[i].score < d->app->cadres->pass_mark;
    }
    if (!rc) rc = cadres_exam_scores(d->app, d->actor, exam, scores, n, AUTH_CLI_NAME, &d->e);
    d->cadre_trainings += !rc;
    d->cadre_exams += !rc;
    d->cadre_scores += rc ? 0 : n;
    if (!rc && failed) {
        char at[24];
        snprintf(at, sizeof at, "%sT09:00", next);
        rc = cadres_exam_makeup(d->app, d->actor, exam, at, AUTH_CLI_NAME, &makeup, &d->e);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (scores[i].score < d->app->cadres->pass_mark)
                scores[m++] = (struct cadre_score_in){.person = scores[i].person,
                                                      .score = 55 + (double)rng_below(r, 40)};
        if (!rc) rc = cadres_exam_scores(d->app, d->actor, makeup, scores, m, AUTH_CLI_NAME, &d->e);
        d->cadre_makeups += !rc;
    }
    arena_free(a);
    return rc;
}

/* Three workers (正职, 副职, 委员) in each of the first township's villages. */
static int workers(struct demo *d, struct rng *r)
{
    static const char *const post_codes[] = {"chief", "deputy", "member"};
    static const char *const degrees[] = {"none", "college", "bachelor", "postgraduate"};
    static const char *const certs[] = {"none", "none", "assistant", "social_worker"};
    int rc = ERR_OK;
    size_t crews = 0;
    for (size_t u = 0; !rc && u < d->n && crews < VILLAGE_CREWS; u++) {
        if (d->units[u].township != 0) continue;
        crews++;
        for (int k = 0; !rc && k < 3; k++) {
            char born[48], start[48], name[64];
            birth(d, r, 30 + (int)rng_below(r, 20), born);
            snprintf(name, sizeof name, "%s%s", surnames[rng_below(r, 10)],
                     given[rng_below(r, 14)]);
            struct person_in p = {.name = name, .birth_date = born, .unit = d->units[u].code};
            int64_t id = 0, existing = 0, wid = 0;
            rc = people_person_create(d->app, d->actor, &p, AUTH_CLI_NAME, &id, &existing, &d->e);
            snprintf(start, sizeof start, "%04d-%02d-01",
                     (int)strtol(d->today, NULL, 10) - 1 - (int)rng_below(r, 20),
                     1 + (int)rng_below(r, 12));
            if (!rc)
                rc = cadres_worker_add(d->app, d->actor, d->units[u].code, id, post_codes[k], start,
                                       degrees[rng_below(r, 4)], certs[rng_below(r, 4)],
                                       AUTH_CLI_NAME, &wid, &d->e);
            d->cadre_workers += !rc;
        }
    }
    return rc;
}

int demo_write_cadres(struct demo *d)
{
    if (!d->ntownships) return ERR_OK;
    int year = (int)strtol(d->today, NULL, 10);
    int64_t trainees[TRAINEES];
    size_t ntrainees = 0;
    int rc = ERR_OK;
    for (size_t t = 0; !rc && t < d->ntownships; t++) {
        const char *town = tree_node(d->tree, d->townships[t])->code;
        struct rng r = rng_for(d->seed, town, P_CADRES);
        size_t share = RESERVES / d->ntownships + (t < RESERVES % d->ntownships);
        for (size_t k = 0; !rc && k < share; k++) {
            int64_t person = 0, id = 0;
            rc = reserve_person(d, &r, town, k, &person);
            if (!rc)
                rc = cadres_reserve_add(d->app, d->actor, town, year, person, posts[k % 5],
                                        AUTH_CLI_NAME, &id, &d->e);
            d->cadre_reserves += !rc;
            if (!rc && t == 0 && ntrainees < TRAINEES) trainees[ntrainees++] = person;
        }
        if (rc) err_wrap(&d->e, "%s的后备干部库", tree_name(d->tree, d->townships[t]));
    }
    const char *first = tree_node(d->tree, d->townships[0])->code;
    struct rng r = rng_for(d->seed, first, P_CADRES + 1);
    for (int w = 0; !rc && w < WEEKS; w++)
        rc = week(d, &r, first, trainees, ntrainees, w);
    if (!rc) rc = workers(d, &r);
    if (rc) err_wrap(&d->e, "干部队伍");
    return rc;
}
