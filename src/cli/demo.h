/*
 * demo.h — `jiceng demo --county CODE [--year Y] [--seed N]`: a synthetic
 * year of the "五星"支部创建 campaign in one county, so that a fresh
 * installation (`make run`) shows a newcomer a living county and benchmarks
 * have data to chew on. What the files share:
 *
 *   cmd_demo.c     the command: checks, the plan, the summary it prints
 *   demo_plan.c    random streams and the plan (quality, target, stars
 *                  aimed for, where each unit's rating ends)
 *   demo_values.c  1. the year's data values of every village
 *   demo_ratings.c 2. ratings through the cycle, 3. creation checklists,
 *                  4. 支部联建 pairs
 *   demo_items.c   5. weekly dispatch, residents' requests and hazards, and
 *                  the walk that moves any case along its kind
 *   demo_checks.c  6. approved periods (审核) of every other township
 *   demo_people.c  0. party organisations and their members (the rosters
 *                  party.members is counted from)
 *   demo_events.c  7. a year of meetings (三会一课, 主题党日 …) with sign-in,
 *                  some duties missed (party.meetings.held / due)
 *   demo_points.c  8. 党员积分 claims and 党费 of the first township's members
 *   demo_grids.c   9. grids, 党员联户 and 包联 links and a year of visits
 *   demo_health.c  11. 卫生院 and 村卫生室 located in the county, family-doctor
 *                  teams, health tags and contracts (health.*)
 *   demo_contests.c 14. 擂台比武: a contest with judges' scores, awards and
 *                  金点子
 *   demo_accounts.c last, who signs in: accounts of the county, a township, a
 *                  village and one of its members, and a notice
 *
 * Everything is written through the app layer as the command line's actor
 * (auth_cli), so every write is checked and audited like an operator's.
 * Nothing knows a state or step by name: where a rating ends is a state of
 * the cycle's kind reached by its shortest path, and items move along the
 * path to their kind's last final state. Naming needs a public notice that
 * has ended, so units to be named take their steps with the clock shifted
 * a month back (base/clock.h) and are named today.
 *
 * Deterministic: every draw comes from a splitmix64 stream seeded by (seed,
 * unit code, purpose), so a unit's figures do not depend on the order or
 * number of the others and one seed always gives the same county; only
 * timestamps and tracking codes differ between runs. Idempotent: a county
 * that already has a rating under a scheme of the year is left alone.
 */
#ifndef JICENG_DEMO_H
#define JICENG_DEMO_H

#include "app/items.h"
#include "app/ratings.h"
#include "cli/cli.h"
#include "core/period.h"

#include <stdint.h>

/* ---- random numbers: splitmix64 streams ---- */

struct rng {
    uint64_t s;
};

/* What a stream is for: each purpose of each unit draws its own numbers. */
enum {
    P_QUALITY = 1,
    P_STRENGTH,
    P_VALUES,
    P_ANSWERS,
    P_STEPS,
    P_ITEMS,
    P_STATES,
    P_WORK,
    P_PEOPLE,
    P_POINTS,
    P_EVENTS,
    P_GRIDS,
    P_PROJECTS,
    P_VOLUNTEERS,
    P_HEALTH,
    P_REVIEWS,
    P_SHARE,
    P_CADRES,
    P_CONTESTS
};

struct rng rng_for(uint64_t seed, const char *code, unsigned purpose);
double rng_u(struct rng *r);               /* uniform in [0, 1) */
double rng_n(struct rng *r);               /* bell-shaped in [-1, 1] */
bool rng_chance(struct rng *r, double p);  /* true with probability p */
size_t rng_below(struct rng *r, size_t n); /* uniform in [0, n) */
double clamp01(double x);

/* ---- the plan ---- */

/* The data elements written: yearly ones, then monthly, then the quarterly
 * satisfaction. */
enum {
    V_HOUSEHOLDS,
    V_POPULATION,
    V_TOILET,
    V_INCOME,
    V_DOCTOR,
    V_VACC_TARGET,
    V_VACC_DONE,
    V_VOLUNTEERS,
    V_PARTY,
    V_BRANCH,
    V_INV_PLANNED,
    V_INV_DONE,
    V_YEARLY,
    V_REQ_RECEIVED = V_YEARLY,
    V_REQ_RESOLVED,
    V_HAZ_FOUND,
    V_HAZ_FIXED,
    V_MONTHLY_END,
    V_SATISFACTION = V_MONTHLY_END,
    V_COUNT
};
extern const char *const demo_elements[V_COUNT];

/* A scheme of the year and, per element, the star whose formulas use it
 * (-1: none), whose strength then shapes the element's figures. */
struct demo_scheme {
    const struct scheme *s;
    int star_of[V_COUNT];
};

struct demo_unit {
    uint32_t node;
    const char *code; /* in the tree */
    size_t township;  /* index into demo.townships */
    const struct demo_scheme *ds;
    double quality; /* 0..1 */
    int target;
    int state; /* where its rating ends: a state of the cycle's kind */
    double strength[SCHEME_CATEGORIES_MAX];
    const char *partner; /* the strong unit of its 支部联建 pair (in the tree), NULL none */
};

struct demo {
    struct app *app;
    const struct auth_user *actor;
    struct tree *tree;
    const struct wf_kind *cycle;
    uint64_t seed;
    int year, months, quarters;
    uint32_t county;
    char today[11];
    struct demo_scheme schemes[UNIT_KIND_COUNT]; /* by unit kind; s NULL = none */
    uint32_t *townships;
    size_t ntownships;
    struct demo_unit *units;
    size_t n;
    char p_year[PERIOD_TEXT_MAX], p_quarter[4][PERIOD_TEXT_MAX], p_month[12][PERIOD_TEXT_MAX];
    /* what was written */
    size_t values, changed;
    size_t by_state[WF_STATES_MAX], adjusted, objections, resolved, withdrawn;
    size_t pairs, strong, weak;
    size_t checklists, checklist_items, checklist_steps;
    size_t batches, dispatched, requests, hazards, steps;
    size_t approvals, approved_townships;
    size_t orgs, persons, members;                    /* demo_people.c */
    size_t pipeline_cases, transfers;                 /* demo_pipeline.c */
    size_t events, attendance;                        /* demo_events.c */
    size_t point_claims, point_steps, point_rejected; /* demo_points.c */
    size_t dues_bases, dues_payments, dues_arrears;
    size_t accounts;                                                     /* demo_accounts.c */
    size_t ballots;                                                      /* demo_evaluations.c */
    size_t departments, reviewed;                                        /* demo_reviews.c */
    size_t grids, contact_links, visits, visit_cases;                    /* demo_grids.c */
    size_t projects, project_reports, project_milestones, project_cases; /* demo_projects.c */
    size_t insp_targets, insp_plans, insp_checks, insp_done;             /* demo_inspections.c */
    size_t volunteer_teams, volunteers, volunteer_activities,
        volunteer_signs; /* demo_volunteers.c */
    size_t timebank_transfers, timebank_redemptions;
    size_t health_facilities, health_teams, health_points, health_residents; /* demo_health.c */
    size_t health_tagged, health_contracts, health_stops;
    size_t health_followups;                                    /* demo_health.c: 随访 */
    size_t wishes, wishes_done, deliberations, community_steps; /* demo_community.c */
    size_t share_posts, share_matches, share_done;              /* demo_share.c */
    size_t microprojects, microprojects_done, participations;   /* demo_community.c */
    size_t cadre_reserves, cadre_trainings, cadre_exams, cadre_scores, cadre_makeups,
        cadre_workers;                                   /* demo_cadres.c */
    size_t contests, contestants, contest_scores, ideas; /* demo_contests.c */
    struct err e;
};

/* The schemes of the year, the units they apply to, and each unit's plan. */
void demo_plan_schemes(struct demo *d);
void demo_plan_units(struct demo *d);
void demo_plan_ratings(struct demo *d);

int demo_write_values(struct demo *d);
/* The formal and probationary members the unit's figures ask for. */
long demo_party_members(const struct demo *d, const struct demo_unit *u);
/* 0. party organisations (a 党委 per township, a branch per village) and
 * their members by stage (demo_people.c). */
int demo_write_people(struct demo *d);
/* 发展党员 cases at every stage in the organisations orgs[i] of units[i]
 * (the first two), and transfers from the first to the second. */
int demo_write_pipeline(struct demo *d, const int64_t *orgs, const char *const *units, size_t n);
/* 7. a year of meetings of every village's organisation (demo_events.c). */
int demo_write_events(struct demo *d);
int demo_write_ratings(struct demo *d);
int demo_write_items(struct demo *d);
int demo_write_approvals(struct demo *d);
/* 7. 党员积分 and 党费 of the first township's members (demo_points.c). */
int demo_write_points(struct demo *d);
/* 9. 述职评议 of the county's departments, one closed, one open (demo_evaluations.c). */
int demo_write_evaluations(struct demo *d);
/* 9. the county's departments in the register (ids: n) and last year's
 * 民主评议党员 of the first village, closed (demo_reviews.c). */
int demo_register_departments(struct demo *d, const char *const *names, size_t n, int64_t *ids);
int demo_write_reviews(struct demo *d);
/* 10. grids, 党员联户, 包联 and their visits in the first township (demo_grids.c). */
int demo_write_grids(struct demo *d);
/* Last: accounts with one-time passwords (in demo_accounts_path) and a notice. */
int demo_write_accounts(struct demo *d);
void demo_accounts_path(const struct demo *d, char *out, size_t cap);
/* 9. the county's key projects with reports and milestones (demo_projects.c). */
int demo_write_projects(struct demo *d);
/* 11. 双随机、一公开: registries, two plans drawn, most results (demo_inspections.c). */
int demo_write_inspections(struct demo *d);
/* 12. volunteer teams, activities with sign-ins and the time bank (demo_volunteers.c). */
int demo_write_volunteers(struct demo *d);
/* 14. 共享小区 needs, offers, matches and confirmations (demo_share.c). */
int demo_write_share(struct demo *d);
/* 15. reserve pools, trainings with exams and make-ups, community workers (demo_cadres.c). */
int demo_write_cadres(struct demo *d);
/* 13. facilities, family-doctor teams, village locations, health tags and
 * contracts of every township (demo_health.c). */
int demo_write_health(struct demo *d);

/* 11. micro-wishes and 四议两公开 deliberations of the first townships
 * (demo_community.c). */
int demo_write_community(struct demo *d);

/* 16. the year's 擂台比武 of village secretaries with judges' scores, site
 * visits, awards and 金点子 (demo_contests.c). */
int demo_write_contests(struct demo *d);

/* Takes up to n steps of case id along the shortest path to its kind's
 * last final state, giving each what it needs; *taken counts them. */
int demo_walk(struct demo *d, struct arena *a, int64_t id, int n, size_t *taken);

#endif
