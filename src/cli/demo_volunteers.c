/* demo_volunteers.c — 11. volunteers and the time bank (demo.h): in each
 * township a 志愿服务队 of its party members (a person may also serve in a
 * second, 巾帼 team of the first township) and about 190 activities
 * county-wide (the seed's [004] shape: 2,200 volunteers, 190 activities,
 * scaled to the party members the demo has) held on past days, where
 * volunteers sign in and out (travel excluded) and so earn time coins; a
 * family (parent and child in one household) where the parent gives coins
 * to the child and both redeem some. Written through the app layer;
 * deterministic from the seed. */
#include "cli/demo.h"
#include "app/people.h"
#include "app/events.h"
#include "app/timebank.h"
#include "app/volunteers.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

#define ACTIVITIES   190 /* county-wide, the seed's [004] */
#define TEAM_MAX     60  /* volunteers per township's team */
#define PER_ACTIVITY 12  /* person-times of an activity, at most */

static const char *const topics[] = {"敬老院义务劳动", "环境卫生整治", "关爱留守儿童", "义务理发",
                                     "防溺水宣传",     "文明交通劝导", "助农秋收",     "义诊咨询"};

struct pick {
    int64_t ids[TEAM_MAX];
    size_t n;
};

static int pick_person(void *ctx, const struct person_row *p, const char *at_unit,
                       const char *at_stage)
{
    (void)at_unit;
    (void)at_stage;
    struct pick *x = ctx;
    for (size_t i = 0; i < x->n; i++)
        if (x->ids[i] == p->id) return 0;
    if (x->n < TEAM_MAX) x->ids[x->n++] = p->id;
    return x->n < TEAM_MAX ? 0 : 1;
}

static int members_of(struct demo *d, struct arena *a, const char *unit, struct pick *out)
{
    struct person_query q = {.unit = unit, .membership = "party_member", .limit = TEAM_MAX};
    const char *next = NULL;
    memset(out, 0, sizeof *out);
    int rc = people_persons_list(d->app, d->actor, &q, a, pick_person, out, &next, &d->e);
    return rc == 1 ? ERR_OK : rc;
}

/* One activity on day of the township's team: some volunteers sign in at
 * 08:00–08:59 and out 1–4 hours later with 0–40 minutes of travel. */
static int activity(struct demo *d, struct rng *r, const char *town, const struct pick *team,
                    const char *day, size_t k, size_t *signs)
{
    char starts[24];
    snprintf(starts, sizeof starts, "%sT08:00", day);
    struct event_in in = {.type = "volunteer",
                          .unit = town,
                          .status = "held",
                          .starts_at = starts,
                          .place = "村党群服务中心",
                          .topic = topics[k % (sizeof topics / sizeof topics[0])]};
    int64_t ev = 0, minutes = 0;
    int rc = events_create(d->app, d->actor, &in, AUTH_CLI_NAME, &ev, &d->e);
    size_t n = team->n < PER_ACTIVITY ? team->n : 4 + rng_below(r, PER_ACTIVITY - 3);
    size_t first = team->n ? rng_below(r, team->n) : 0;
    for (size_t i = 0; !rc && i < n && i < team->n; i++) {
        int64_t person = team->ids[(first + i) % team->n];
        int in_min = (int)rng_below(r, 60), out_min = in_min + 60 + (int)rng_below(r, 180);
        char at_in[48], at_out[48];
        snprintf(at_in, sizeof at_in, "%sT08:%02d", day, in_min);
        snprintf(at_out, sizeof at_out, "%sT%02d:%02d", day, (8 + out_min / 60) % 24, out_min % 60);
        rc = volunteers_sign_in(d->app, d->actor, ev, person, at_in, AUTH_CLI_NAME, &d->e);
        if (!rc)
            rc = volunteers_sign_out(d->app, d->actor, ev, person, at_out,
                                     (int)rng_below(r, 5) * 10, AUTH_CLI_NAME, &minutes, &d->e);
        (*signs) += !rc;
    }
    return rc;
}

/* A parent and child in one household, both in team, the parent's coins
 * partly given to the child; both redeem. */
static int family(struct demo *d, const char *town, int64_t team, const struct pick *t)
{
    static const char *const names[] = {"刘桂兰", "刘晓东"};
    static const char *const relations[] = {"head", "other"};
    int64_t ids[2] = {0, 0}, hh = 0, existing = 0, mid = 0, minutes = 0;
    struct household_in h = {.unit = town, .address = "志愿者之家 1 号", .head_id = -1};
    int rc = people_household_create(d->app, d->actor, &h, AUTH_CLI_NAME, &hh, &d->e);
    for (int i = 0; !rc && i < 2; i++) {
        struct person_in p = {.name = names[i], .unit = town};
        rc = people_person_create(d->app, d->actor, &p, AUTH_CLI_NAME, &ids[i], &existing, &d->e);
        struct membership_in m = {.kind = "resident",
                                  .stage = relations[i],
                                  .from = "2015-01-01",
                                  .person_id = ids[i],
                                  .household_id = hh};
        if (!rc)
            rc = people_membership_add(d->app, d->actor, &m, false, AUTH_CLI_NAME, &mid, &d->e);
        if (!rc) rc = volunteers_join(d->app, d->actor, ids[i], team, AUTH_CLI_NAME, &d->e);
    }
    (void)t;
    /* the parent's service: three long days last month */
    for (int k = 0; !rc && k < 3; k++) {
        char day[11];
        clock_today(day, -20 - k);
        char starts[24], at_in[24], at_out[24];
        snprintf(starts, sizeof starts, "%sT07:30", day);
        snprintf(at_in, sizeof at_in, "%sT07:30", day);
        snprintf(at_out, sizeof at_out, "%sT17:30", day);
        struct event_in in = {.type = "volunteer",
                              .unit = town,
                              .status = "held",
                              .starts_at = starts,
                              .topic = "居家养老上门服务"};
        int64_t ev = 0;
        rc = events_create(d->app, d->actor, &in, AUTH_CLI_NAME, &ev, &d->e);
        if (!rc) rc = volunteers_sign_in(d->app, d->actor, ev, ids[0], at_in, AUTH_CLI_NAME, &d->e);
        if (!rc)
            rc = volunteers_sign_out(d->app, d->actor, ev, ids[0], at_out, 30, AUTH_CLI_NAME,
                                     &minutes, &d->e);
        d->volunteer_signs += !rc;
    }
    if (!rc) rc = timebank_transfer(d->app, d->actor, ids[0], ids[1], 8, AUTH_CLI_NAME, &d->e);
    if (!rc) rc = timebank_redeem(d->app, d->actor, ids[1], "haircut", AUTH_CLI_NAME, &d->e);
    if (!rc) rc = timebank_redeem(d->app, d->actor, ids[0], "daily_goods", AUTH_CLI_NAME, &d->e);
    if (!rc) {
        d->timebank_transfers += 1;
        d->timebank_redemptions += 2;
    }
    return rc;
}

int demo_write_volunteers(struct demo *d)
{
    if (!d->ntownships) return ERR_OK;
    struct arena *a = arena_new();
    size_t per_town = (ACTIVITIES + d->ntownships - 1) / d->ntownships;
    int rc = ERR_OK;
    int64_t first_team = 0;
    for (size_t t = 0; !rc && t < d->ntownships; t++) {
        const struct tree_node *node = tree_node(d->tree, d->townships[t]);
        const char *town = tree_name(d->tree, d->townships[t]);
        struct pick team;
        struct rng r = rng_for(d->seed, node->code, P_VOLUNTEERS);
        int64_t id = 0;
        rc = members_of(d, a, node->code, &team);
        if (!rc && team.n == 0) continue;
        const char *name = arena_printf(a, "%s志愿服务队", town);
        if (!rc)
            rc = volunteers_team_create(d->app, d->actor, node->code, name, team.ids[0],
                                        AUTH_CLI_NAME, &id, &d->e);
        for (size_t i = 1; !rc && i < team.n; i++)
            rc = volunteers_join(d->app, d->actor, team.ids[i], id, AUTH_CLI_NAME, &d->e);
        if (!rc) {
            d->volunteer_teams++;
            d->volunteers += team.n;
        }
        for (size_t k = 0; !rc && k < per_town && d->volunteer_activities < ACTIVITIES; k++) {
            char day[11];
            clock_today(day, -(int)(1 + k * 300 / per_town + rng_below(&r, 10)));
            rc = activity(d, &r, node->code, &team, day, k, &d->volunteer_signs);
            d->volunteer_activities += !rc;
        }
        if (!rc && t == 0) {
            first_team = id;
            rc = volunteers_team_create(d->app, d->actor, node->code,
                                        arena_printf(a, "%s巾帼志愿服务队", town), 0, AUTH_CLI_NAME,
                                        &id, &d->e);
            for (size_t i = 0; !rc && i < team.n / 3; i++)
                rc = volunteers_join(d->app, d->actor, team.ids[i], id, AUTH_CLI_NAME, &d->e);
            d->volunteer_teams += !rc;
            if (!rc) rc = family(d, node->code, first_team, &team);
        }
        if (rc) err_wrap(&d->e, "%s的志愿服务", town);
    }
    arena_free(a);
    return rc;
}
