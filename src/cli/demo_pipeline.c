/* demo_pipeline.c — 发展党员 and 组织关系转接 (demo.h): in the first
 * village of the first townships, a 发展党员 case at every point of the
 * 2014 细则 — from a fresh application to an archived full member — each
 * taken step by step through the case engine with dates its rules allow
 * (the memberships follow the cases), and three transfers between two
 * townships: one accepted, one waiting, one overdue. */
#include "cli/demo.h"
#include "app/cases.h"
#include "app/people.h"
#include "app/pipeline.h"
#include "base/clock.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

/* The steps of kinds/development.json in order, with the day each is
 * taken after the application (inside every date rule of the kind). */
static const struct {
    const char *code;
    int day;
} walk[] = {
    {"talk", 20},         {"make_activist", 60}, {"assess", 240}, {"make_candidate", 430},
    {"introducers", 440}, {"vet", 450},          {"train", 460},  {"precheck", 470},
    {"branch_vote", 480}, {"approve", 510},      {"oath", 515},   {"conversion_vote", 880},
    {"convert", 900},     {"archive", 910},
};
#define APPROVE 9 /* walk[APPROVE]: from then on a member */

/* How far each demo person goes: the index of their last step (-1: applied). */
static const int reach[] = {-1, 0, 2, 3, 6, 8, 10, 13};
static const char *const names[] = {"孙晓雯", "周明辉", "吴佳琪", "郑浩然",
                                    "冯思远", "陈雨萱", "褚子涵", "卫志强"};

static const char *day_from(struct arena *a, int plus)
{
    char out[11];
    clock_today(out, plus);
    return arena_strdup(a, out);
}

/* Two formal members of org on day `on` (0 when there are not two). */
static void introducers(struct demo *d, struct arena *a, int64_t org, const char *on, long ids[2])
{
    struct org_view v;
    ids[0] = ids[1] = 0;
    if (people_org_get(d->app, d->actor, org, a, &v, &d->e)) return;
    int n = 0;
    for (size_t i = 0; i < v.nmembers && n < 2; i++) {
        const struct membership_row *m = &v.members[i];
        if (strcmp(m->kind, "party_member") == 0 && strcmp(m->stage, "formal") == 0 &&
            strcmp(m->from_date, on) < 0)
            ids[n++] = (long)m->person_id;
    }
    if (n < 2) ids[0] = ids[1] = 0;
}

static int take(struct demo *d, struct arena *a, int64_t id, int64_t org, int k, const char *on)
{
    struct case_step s = {.on = on, .note = "按程序办理（演示数据）"};
    const char *codes[WF_INPUTS_MAX];
    long values[WF_INPUTS_MAX];
    int n = 0;
    if (strcmp(walk[k].code, "introducers") == 0) {
        long ids[2];
        introducers(d, a, org, on, ids);
        if (!ids[0]) return ERR_NOT_FOUND; /* no two formal members yet: stop here */
        codes[n] = "introducer1", values[n++] = ids[0];
        codes[n] = "introducer2", values[n++] = ids[1];
    } else if (strcmp(walk[k].code, "train") == 0) {
        codes[n] = "days", values[n++] = 3;
        codes[n] = "hours", values[n++] = 24;
    } else if (strstr(walk[k].code, "vote")) {
        codes[n] = "entitled", values[n++] = 20;
        codes[n] = "present", values[n++] = 18;
        codes[n] = "agreeing", values[n++] = 18;
    }
    for (int i = 0; i < n; i++) {
        s.number_codes[i] = codes[i];
        s.numbers[i] = values[i];
    }
    s.nnumbers = n;
    return cases_step(d->app, d->actor, id, walk[k].code, &s, AUTH_CLI_NAME, a, NULL, &d->e);
}

/* The development cases of one village's organisation. */
static int develop(struct demo *d, struct arena *a, const char *unit, int64_t org, size_t *made)
{
    for (size_t i = 0; i < sizeof reach / sizeof reach[0]; i++) {
        int last = reach[i];
        int start = -(last >= 0 ? walk[last].day : 0) - 15 - (int)i;
        struct person_in p = {.name = names[i],
                              .sex = i % 2 ? "男" : "女",
                              .birth_date =
                                  arena_printf(a, "%04d-05-%02d", 1996 + (int)i, 3 + (int)i),
                              .unit = unit};
        int64_t person, existing = 0, id;
        int rc =
            people_person_create(d->app, d->actor, &p, AUTH_CLI_NAME, &person, &existing, &d->e);
        struct pipeline_in in = {.kind = "development",
                                 .person_id = person,
                                 .org_id = org,
                                 .on = day_from(a, start),
                                 .note = "递交入党申请书"};
        if (!rc) rc = pipeline_create(d->app, d->actor, &in, AUTH_CLI_NAME, &id, &d->e);
        int k = 0;
        for (; k <= last && !rc; k++) {
            rc = take(d, a, id, org, k, day_from(a, start + walk[k].day));
            if (rc == ERR_NOT_FOUND) {
                rc = ERR_OK;
                break;
            }
        }
        if (!rc && k > APPROVE) d->members++; /* 预备 or 正式: counted by party.members */
        if (rc) return err_wrap(&d->e, "发展党员 %s", names[i]);
        ++*made;
    }
    return ERR_OK;
}

/* A formal member of org (not one of the demo's own), 0 when none. */
static int64_t formal_member(struct demo *d, struct arena *a, int64_t org, int skip)
{
    struct org_view v;
    if (people_org_get(d->app, d->actor, org, a, &v, &d->e)) return 0;
    for (size_t i = 0; i < v.nmembers; i++) {
        const struct membership_row *m = &v.members[i];
        if (strcmp(m->kind, "party_member") == 0 && strcmp(m->stage, "formal") == 0 &&
            strcmp(m->from_date, day_from(a, -400)) < 0 && skip-- == 0)
            return m->person_id;
    }
    return 0;
}

/* Three transfers from `from` to `to`: accepted, waiting, overdue. */
static int transfers(struct demo *d, struct arena *a, int64_t from, int64_t to, size_t *made)
{
    static const int issued[] = {-20, -5, -45}; /* days ago; the kind gives 30 to answer */
    for (int i = 0; i < 3; i++) {
        int64_t person = formal_member(d, a, from, 2 + i), id;
        if (!person) return ERR_OK;
        struct pipeline_in in = {.kind = "transfer",
                                 .person_id = person,
                                 .org_id = from,
                                 .to_org_id = to,
                                 .on = day_from(a, issued[i]),
                                 .note = "外出务工，转往就业地党组织"};
        int rc = pipeline_create(d->app, d->actor, &in, AUTH_CLI_NAME, &id, &d->e);
        if (!rc && i == 0) {
            struct case_step s = {.on = day_from(a, -12)};
            rc = cases_step(d->app, d->actor, id, "accept", &s, AUTH_CLI_NAME, a, NULL, &d->e);
        }
        if (rc) return err_wrap(&d->e, "组织关系转接");
        ++*made;
    }
    return ERR_OK;
}

int demo_write_pipeline(struct demo *d, const int64_t *orgs, const char *const *units, size_t n)
{
    struct arena *a = arena_new();
    int rc = ERR_OK;
    for (size_t i = 0; i < n && i < 2 && !rc; i++)
        rc = develop(d, a, units[i], orgs[i], &d->pipeline_cases);
    if (!rc && n >= 2) rc = transfers(d, a, orgs[0], orgs[1], &d->transfers);
    arena_free(a);
    return rc;
}
