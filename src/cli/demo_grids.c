/* demo_grids.c — 9. grids, 党员联户, 包联 and a year of visits (demo.h): in
 * the first villages of the first township, two grids each with their
 * households; each village's first party members linked to households
 * (党员联户), a member of the township's last village as 包联领导 of those
 * villages (≥ 1 visit a month); visits from January to today, most periods
 * kept, some missed (visits.due / visits.done), a few needs raised as
 * 群众诉求; an enterprise ↔ village pair (万企兴万村) per village with
 * the year's projects, jobs, purchases and donations recorded, and a
 * 培养联系人 (mentor) visiting a member of the village monthly.
 * Deterministic from the seed. */
#include "app/grids.h"
#include "app/people.h"
#include "base/mem.h"
#include "cli/demo.h"

#include <stdio.h>
#include <string.h>

#define DEMO_GRID_VILLAGES 3
#define DEMO_GRID_HOUSES   12 /* per grid */
#define DEMO_MEMBERS       4  /* linked members per village */
#define DEMO_MEMBER_HOUSES 3

struct pick {
    int64_t ids[DEMO_MEMBERS];
    size_t n;
};

static int pick_person(void *ctx, const struct person_row *p, const char *at_unit,
                       const char *at_stage)
{
    (void)at_unit;
    (void)at_stage;
    struct pick *x = ctx;
    if (x->n < DEMO_MEMBERS) x->ids[x->n++] = p->id;
    return x->n < DEMO_MEMBERS ? 0 : 1;
}

static int members_of(struct demo *d, struct arena *a, const char *unit, struct pick *out)
{
    struct person_query q = {.unit = unit, .membership = "party_member", .limit = DEMO_MEMBERS};
    const char *next = NULL;
    memset(out, 0, sizeof *out);
    int rc = people_persons_list(d->app, d->actor, &q, a, pick_person, out, &next, &d->e);
    return rc == 1 ? ERR_OK : rc;
}

/* Visits of one link through the year: in each month (each quarter's
 * months for a quarterly duty) with probability keep. */
static int visits_of(struct demo *d, struct arena *a, struct rng *r, const struct grid_visit *base,
                     double keep, size_t *nvisits, size_t *nraised)
{
    for (int m = 1; m <= 12; m++) {
        char day[24];
        snprintf(day, sizeof day, "%04d-%02d-%02d", d->year % 10000, m,
                 1 + (int)rng_below(r, 25) % 28);
        if (strcmp(day, d->today) > 0) break;
        if (!rng_chance(r, keep)) continue;
        struct grid_visit v = *base;
        v.day = day;
        v.method = d->app->grids->methods[rng_below(r, d->app->grids->nmethods)].code;
        v.raise = rng_chance(r, 0.06);
        v.findings = v.raise ? "家中有困难" : "情况正常";
        v.needs = v.raise ? "屋顶漏雨，希望村里帮助维修" : "";
        int64_t event_id, case_id;
        int rc =
            grids_visit_add(d->app, d->actor, &v, AUTH_CLI_NAME, a, &event_id, &case_id, &d->e);
        if (rc) return rc;
        ++*nvisits;
        *nraised += case_id != 0;
    }
    return ERR_OK;
}

static const char *const enterprises[] = {"舞阳县盐化集团有限公司", "漯河双汇食品有限公司",
                                          "河南舞钢农牧科技有限公司"};

/* 万企兴万村: an enterprise paired with the village, its year recorded; a
 * mentor (the village's first member) for its second member, visited
 * most months. */
static int pair_and_mentor(struct demo *d, struct arena *a, struct rng *r, const char *village,
                           const struct pick *members, const char *from)
{
    if (members->n < 2) return ERR_OK;
    int64_t id;
    struct grid_link l = {.duty = "enterprise.village",
                          .person_id = members->ids[members->n - 1],
                          .unit = village,
                          .partner = enterprises[rng_below(r, 3)],
                          .from = from};
    int rc = grids_link_add(d->app, d->actor, &l, AUTH_CLI_NAME, a, &id, NULL, &d->e);
    struct grid_visit v = {.person_id = l.person_id, .unit = village};
    if (!rc) rc = visits_of(d, a, r, &v, 0.3, &d->visits, &d->visit_cases);
    struct pair_record rec = {.link_id = id,
                              .year = d->year,
                              .projects = 1 + (long)rng_below(r, 3),
                              .jobs = 5 + (long)rng_below(r, 40),
                              .purchases = (double)(10 + rng_below(r, 500)) / 10.0,
                              .donations = (double)rng_below(r, 100) / 10.0,
                              .notes = "结对帮扶：产业项目、吸纳就业、消费帮扶"};
    if (!rc) rc = grids_pair_put(d->app, d->actor, &rec, AUTH_CLI_NAME, &d->e);
    d->contact_links += !rc;
    struct grid_link m = {.duty = "mentor.new_member",
                          .person_id = members->ids[0],
                          .mentee_id = members->ids[1],
                          .from = from};
    if (!rc) rc = grids_link_add(d->app, d->actor, &m, AUTH_CLI_NAME, a, &id, NULL, &d->e);
    struct grid_visit mv = {.person_id = m.person_id, .mentee_id = m.mentee_id};
    if (!rc) rc = visits_of(d, a, r, &mv, 0.7, &d->visits, &d->visit_cases);
    d->contact_links += !rc;
    return rc;
}

int demo_write_grids(struct demo *d)
{
    struct arena *a = arena_new();
    char from[16];
    snprintf(from, sizeof from, "%04d-01-01", d->year % 10000);
    const char *villages[DEMO_GRID_VILLAGES];
    size_t nv = 0;
    for (size_t i = 0; i < d->n && nv < DEMO_GRID_VILLAGES; i++)
        if (d->units[i].township == 0) villages[nv++] = d->units[i].code;
    const char *leader_unit = NULL;
    for (size_t i = d->n; i-- > 0 && !leader_unit;)
        if (d->units[i].township == 0) leader_unit = d->units[i].code;
    struct pick leader = {0};
    int rc = leader_unit ? members_of(d, a, leader_unit, &leader) : ERR_OK;
    for (size_t k = 0; k < nv && !rc; k++) {
        const char *village = villages[k];
        struct rng r = rng_for(d->seed, village, P_GRIDS);
        int64_t houses[2 * DEMO_GRID_HOUSES];
        size_t nh = 0;
        for (int g = 0; g < 2 && !rc; g++) {
            char code[16];
            rc = grids_create(d->app, d->actor, village, g ? "第二网格" : "第一网格", AUTH_CLI_NAME,
                              code, &d->e);
            for (int i = 0; !rc && i < DEMO_GRID_HOUSES; i++) {
                struct household_in in = {.unit = code,
                                          .address = arena_printf(a, "%d 组 %d 号", g + 1, i + 1),
                                          .head_id = -1};
                rc = people_household_create(d->app, d->actor, &in, AUTH_CLI_NAME, &houses[nh++],
                                             &d->e);
            }
            d->grids += !rc;
        }
        struct pick members;
        if (!rc) rc = members_of(d, a, village, &members);
        /* 党员联户: each member three households; most keep their quarters */
        double keep = 0.25 + 0.2 * rng_u(&r);
        for (size_t m = 0; !rc && m < members.n; m++)
            for (size_t j = 0; !rc && j < DEMO_MEMBER_HOUSES; j++) {
                int64_t id;
                struct grid_link l = {.duty = "member.household",
                                      .person_id = members.ids[m],
                                      .household_id = houses[(m * DEMO_MEMBER_HOUSES + j) % nh],
                                      .from = from};
                rc = grids_link_add(d->app, d->actor, &l, AUTH_CLI_NAME, a, &id, NULL, &d->e);
                struct grid_visit v = {.person_id = l.person_id, .household_id = l.household_id};
                if (!rc) rc = visits_of(d, a, &r, &v, keep, &d->visits, &d->visit_cases);
                d->contact_links += !rc;
            }
        /* 包联领导: the village is a key village, visited most months */
        if (!rc && leader.n) {
            int64_t id;
            struct grid_link l = {.duty = "leader.village",
                                  .person_id = leader.ids[0],
                                  .unit = village,
                                  .from = from};
            rc = grids_link_add(d->app, d->actor, &l, AUTH_CLI_NAME, a, &id, NULL, &d->e);
            struct grid_visit v = {.person_id = l.person_id, .unit = village};
            if (!rc)
                rc = visits_of(d, a, &r, &v, 0.6 + 0.3 * rng_u(&r), &d->visits, &d->visit_cases);
            d->contact_links += !rc;
        }
        if (!rc) rc = pair_and_mentor(d, a, &r, village, &members, from);
        if (rc) err_wrap(&d->e, "grids of %s", village);
    }
    arena_free(a);
    return rc;
}
