/* cmd_demo.c — `jiceng demo`: the command, its checks and the summary it
 * prints (demo.h says what the demo writes and how). */
#include "cli/demo.h"
#include "app/analytics.h"
#include "base/mem.h"
#include "base/clock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* *filled: some unit of the county already has a rating under its scheme. */
static int already_filled(struct demo *d, bool *filled)
{
    *filled = false;
    struct arena *a = arena_new();
    int rc = ERR_OK;
    for (size_t i = 0; i < d->n && !*filled; i++) {
        struct case_full rt;
        rc = ratings_get(d->app, a, d->units[i].ds->s->code, d->units[i].code, &rt, &d->e);
        if (rc == ERR_NOT_FOUND) {
            rc = ERR_OK;
            err_clear(&d->e);
            continue;
        }
        if (rc) break;
        *filled = true;
    }
    arena_free(a);
    return rc;
}

/* The data elements the values and the schemes' formulas need, all defined. */
static int check_elements(struct demo *d)
{
    const char *need[V_COUNT + UNIT_KIND_COUNT * SCHEME_ELEMENTS_MAX];
    size_t nneed = 0;
    for (int v = 0; v < V_COUNT; v++)
        need[nneed++] = demo_elements[v];
    for (int k = 0; k < UNIT_KIND_COUNT; k++)
        for (int i = 0; d->schemes[k].s && i < d->schemes[k].s->nelements; i++)
            need[nneed++] = d->schemes[k].s->elements[i];
    struct arena *a = arena_new();
    struct catalog cat;
    int rc = catalog_load(d->app, a, &cat, &d->e);
    char missing[ERR_MSG_MAX / 2] = "";
    size_t len = 0, count = 0;
    for (size_t i = 0; !rc && i < nneed; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(need[i], need[j]) == 0;
        if (seen || catalog_element(&cat, need[i])) continue;
        int w = snprintf(missing + len, sizeof missing - len, "%s%s", count ? ", " : "", need[i]);
        if (w > 0 && (size_t)w < sizeof missing - len) len += (size_t)w;
        count++;
    }
    arena_free(a);
    if (!rc && count)
        rc = err_set(&d->e, ERR_NOT_FOUND,
                     "%zu data element(s) not defined: %s; load them first with "
                     "`jiceng import elements data/definitions.json`",
                     count, missing);
    return rc;
}

/* The county's levels as GET /api/v1/ratings/summary counts them. */
static int tally(struct demo *d, struct rating_summary *total)
{
    *total = (struct rating_summary){0};
    const char *county = tree_node(d->tree, d->county)->code;
    for (int k = 0; k < UNIT_KIND_COUNT; k++) {
        const struct scheme *s = d->schemes[k].s;
        bool seen = false;
        for (int j = 0; j < k; j++)
            seen = seen || d->schemes[j].s == s;
        if (!s || seen) continue;
        struct rating_summary sum;
        int rc = ratings_summary(d->app, s, NULL, county, NULL, NULL, &sum, &d->e);
        if (rc) return err_wrap(&d->e, "summary of %s", s->code);
        total->units += sum.units;
        total->named += sum.named;
        for (int l = 0; l <= SCHEME_CATEGORIES_MAX; l++)
            total->levels[l] += sum.levels[l];
    }
    return ERR_OK;
}

static void print_summary(const struct demo *d, const struct rating_summary *sum, double seconds)
{
    uint32_t city = tree_node(d->tree, d->county)->parent;
    printf("jiceng: demo %s%s (%s), %d, seed %" PRIu64 ", %.1f s\n",
           city != TREE_NONE ? tree_name(d->tree, city) : "", tree_name(d->tree, d->county),
           tree_node(d->tree, d->county)->code, d->year, d->seed, seconds);
    printf("  units:      %zu in %zu townships\n", d->n, d->ntownships);
    printf("  party:      %zu organisations, %zu persons on the rosters, %zu members\n", d->orgs,
           d->persons, d->members);
    printf("  pipeline:   %zu 发展党员 cases at every stage, %zu 组织关系转接 (accepted, waiting, "
           "overdue)\n",
           d->pipeline_cases, d->transfers);
    printf("  meetings:   %zu events held (三会一课, 主题党日 …), %zu sign-ins\n", d->events,
           d->attendance);
    printf("  values:     %zu written (%zu changed), %d month(s), %d quarter(s)\n", d->values,
           d->changed, d->months, d->quarters);
    printf("  ratings:   ");
    for (int st = 0; st < d->cycle->nstates; st++)
        printf(" %s %zu%s", d->cycle->states[st].label, d->by_state[st],
               st + 1 < d->cycle->nstates ? "," : "\n");
    printf("              %zu adjusted, %zu objection(s) (%zu resolved), %zu star(s) withdrawn\n",
           d->adjusted, d->objections, d->resolved, d->withdrawn);
    printf("  named:      %ld:", sum->named);
    for (int l = SCHEME_CATEGORIES_MAX; l >= 0; l--) {
        long k = l > 0 ? sum->levels[l] : sum->levels[0] - (sum->units - sum->named);
        if (k > 0) printf(" %d★ %ld", l, k);
    }
    printf("\n  pairs:      %zu (%zu strong, %zu weak units)\n", d->pairs, d->strong, d->weak);
    printf("  checklists: %zu units, %zu items, %zu steps taken\n", d->checklists,
           d->checklist_items, d->checklist_steps);
    printf("  work items: %zu dispatch batch(es) of %zu items, %zu requests, %zu hazards, %zu "
           "steps in all\n",
           d->batches, d->dispatched, d->requests, d->hazards, d->steps);
    printf("  approvals:  %zu period(s) of %zu townships (审核)\n", d->approvals,
           d->approved_townships);
    printf("  points:     %zu claim(s), %zu reviewed (%zu refused); dues: %zu bases, %zu "
           "payment(s), %zu member(s) in arrears\n",
           d->point_claims, d->point_steps, d->point_rejected, d->dues_bases, d->dues_payments,
           d->dues_arrears);
    printf("  evaluations: 述职评议 of the county's departments, %zu ballot(s) cast\n", d->ballots);
    printf("  reviews:    %zu department(s) in the register, 民主评议党员 of %zu member(s)\n",
           d->departments, d->reviewed);
    printf("  grids:      %zu grid(s), %zu contact link(s), %zu visit(s), %zu need(s) raised as "
           "群众诉求\n",
           d->grids, d->contact_links, d->visits, d->visit_cases);
    printf("  projects:   %zu key project(s), %zu monthly report(s), %zu milestone(s), %zu late, "
           "each opening a problem case\n",
           d->projects, d->project_reports, d->project_milestones, d->project_cases);
    printf("  inspections: %zu target(s) in the 双随机 registry, %zu plan(s) drawn, %zu check(s), "
           "%zu with results\n",
           d->insp_targets, d->insp_plans, d->insp_checks, d->insp_done);
    printf("  volunteers: %zu team(s) of %zu volunteer(s), %zu activities, %zu sign-out(s) "
           "credited to the time bank, %zu transfer(s), %zu redemption(s)\n",
           d->volunteer_teams, d->volunteers, d->volunteer_activities, d->volunteer_signs,
           d->timebank_transfers, d->timebank_redemptions);
    printf(
        "  health:     %zu facilities, %zu family-doctor team(s), %zu village(s) located; %zu of "
        "%zu residents signed, %zu with health tags, %zu contract(s) stopped\n",
        d->health_facilities, d->health_teams, d->health_points, d->health_contracts,
        d->health_residents, d->health_tagged, d->health_stops);
    printf("  followups:  %zu 随访 of hypertensive, diabetic and mental-health residents\n",
           d->health_followups);
    printf("  community:  %zu 微心愿 (%zu closed), %zu 议事事项 (四议两公开), %zu step(s)\n",
           d->wishes, d->wishes_done, d->deliberations, d->community_steps);
    printf("  share:      %zu need(s) and offer(s) in 共享小区, %zu matched, %zu done\n",
           d->share_posts, d->share_matches, d->share_done);
    printf("  微项目:     %zu project(s) (%zu delivered), %zu participation(s)\n", d->microprojects,
           d->microprojects_done, d->participations);
    printf("  cadres:     %zu reserve(s) in the pools, %zu training(s) and %zu exam(s) with %zu "
           "score(s), %zu make-up(s), %zu community worker(s) on 三岗十八级\n",
           d->cadre_reserves, d->cadre_trainings, d->cadre_exams, d->cadre_scores, d->cadre_makeups,
           d->cadre_workers);
    printf("  contests:   %zu 擂台比武 of %zu village secretaries, %zu judges' score(s), %zu "
           "金点子\n",
           d->contests, d->contestants, d->contest_scores, d->ideas);
    if (d->accounts) {
        char path[CONFIG_PATH_MAX + 32];
        demo_accounts_path(d, path, sizeof path);
        printf("  accounts:   %zu with one-time passwords in %s\n", d->accounts, path);
    }
}

static int fill(struct demo *d)
{
    int rc;
    if ((rc = demo_write_people(d)) || (rc = demo_write_events(d)) || (rc = demo_write_values(d)) ||
        (rc = demo_write_ratings(d)) || (rc = demo_write_items(d)))
        return rc;
    if ((rc = demo_write_approvals(d))) return rc;
    if ((rc = demo_write_points(d))) return rc;
    if ((rc = demo_write_evaluations(d))) return rc;
    if ((rc = demo_write_reviews(d))) return rc;
    if ((rc = demo_write_grids(d))) return rc;
    if ((rc = demo_write_projects(d))) return rc;
    if ((rc = demo_write_inspections(d))) return rc;
    if ((rc = demo_write_volunteers(d))) return rc;
    if ((rc = demo_write_cadres(d))) return rc; /* its new people are residents too */
    if ((rc = demo_write_health(d))) return rc;
    if ((rc = demo_write_community(d))) return rc;
    if ((rc = demo_write_share(d))) return rc;
    if ((rc = demo_write_contests(d))) return rc;
    return demo_write_accounts(d);
}

/* The latest scheme year not after this one (else the earliest). */
static int default_year(struct app *app, int now)
{
    int best = 0, first = 0;
    for (int i = 0; i < ratings_nschemes(app); i++) {
        int y = ratings_scheme_at(app, i)->year;
        if (y <= now && y > best) best = y;
        if (!first || y < first) first = y;
    }
    return best ? best : first;
}

static int run(struct demo *d, const char *county)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int this_year = tm.tm_year + 1900;
    if (!d->year) d->year = default_year(d->app, this_year);
    d->months = d->year < this_year ? 12 : d->year == this_year ? tm.tm_mon + 1 : 0;
    d->quarters = (d->months + 2) / 3;
    clock_today(d->today, 0);
    snprintf(d->p_year, sizeof d->p_year, "%04d", d->year);
    for (int q = 0; q < 4; q++)
        snprintf(d->p_quarter[q], sizeof d->p_quarter[q], "%04dQ%d", d->year, q + 1);
    for (int m = 0; m < 12; m++)
        snprintf(d->p_month[m], sizeof d->p_month[m], "%04d-%02d", d->year, m + 1);

    d->county = tree_find(d->tree, county, strlen(county));
    if (d->county == TREE_NONE)
        return err_set(&d->e, ERR_NOT_FOUND, "no county with the code %s", county);
    demo_plan_schemes(d);
    bool any = false;
    for (int k = 0; k < UNIT_KIND_COUNT; k++)
        any = any || d->schemes[k].s;
    if (!any)
        return err_set(&d->e, ERR_NOT_FOUND, "there is no five-star scheme for %d (schemes/*.json)",
                       d->year);
    demo_plan_units(d);
    if (!d->n)
        return err_set(&d->e, ERR_NOT_FOUND,
                       "%s (%s) has no village or community that a %d scheme applies to", county,
                       tree_name(d->tree, d->county), d->year);
    bool filled;
    int rc = already_filled(d, &filled);
    if (rc) return rc;
    if (filled) {
        printf("jiceng: %s (%s) is already filled for %d: it has ratings; nothing written\n",
               tree_name(d->tree, d->county), county, d->year);
        return ERR_OK;
    }
    if ((rc = check_elements(d))) return rc;
    demo_plan_ratings(d);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct rating_summary sum;
    if ((rc = fill(d)) || (rc = tally(d, &sum))) return rc;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_summary(d, &sum,
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return ERR_OK;
}

/* Parses a decimal number within [lo, hi]. */
static bool parse_num(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!s || s[0] < '0' || s[0] > '9') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
    const char *county = NULL, *year = NULL, *seed = NULL;
    for (int i = 1; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--county", &county);
        if (m == 0) m = cli_opt(argc, argv, &i, "--year", &year);
        if (m == 0) m = cli_opt(argc, argv, &i, "--seed", &seed);
        if (m < 0) return cli_usage_error("demo", "%s needs a value", argv[i]);
        if (m == 0) return cli_usage_error("demo", "unexpected argument \"%s\"", argv[i]);
    }
    struct demo d = {.seed = 1};
    uint64_t v;
    if (!county) return cli_usage_error("demo", "--county CODE is required, e.g. 411121");
    if (strlen(county) != 6 || !parse_num(county, 0, 999999, &v))
        return cli_usage_error("demo", "--county needs a 6-digit county code, not \"%s\"", county);
    if (year && !parse_num(year, SCHEME_YEAR_MIN, SCHEME_YEAR_MAX, &v))
        return cli_usage_error("demo", "--year needs a year %d–%d, not \"%s\"", SCHEME_YEAR_MIN,
                               SCHEME_YEAR_MAX, year);
    if (year) d.year = (int)v;
    if (seed && !parse_num(seed, 0, UINT64_MAX, &d.seed))
        return cli_usage_error("demo", "--seed needs a non-negative integer, not \"%s\"", seed);

    int rc = cli_open_app(cli, false, 1, &d.app);
    if (rc) return rc;
    err_clear(&d.e);
    d.tree = app_tree(d.app);
    d.actor = auth_cli(d.app);
    d.cycle = ratings_kind(d.app);
    rc = run(&d, county);
    free(d.units);
    free(d.townships);
    tree_unref(d.tree);
    app_close(d.app);
    return rc ? cli_fail(&d.e, "demo") : EXIT_OK;
}
