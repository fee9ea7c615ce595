/* demo_share.c — 14. 共享小区 (demo.h): in the villages and communities of
 * the first townships, needs and offers of every category posted by staff
 * and by residents (a phone number, a confirmation code) with windows
 * around today, some in the same building; the first suggestion of most
 * needs matched, and most matches confirmed and rated by both sides, so
 * that matches.done has figures. Written through the app layer;
 * deterministic from the seed. */
#include "cli/demo.h"
#include "app/share.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

#define SHARE_TOWNSHIPS 2
#define PER_UNIT        8 /* posts of a village, needs and offers alternately */

static const char *const needs[][2] = {{"goods", "借用轮椅一个月"},
                                       {"skill", "老人家里水管漏水需维修"},
                                       {"space", "周末需要场地办孩子生日会"},
                                       {"time", "工作日下午接孩子放学"}};
static const char *const offers[][2] = {{"goods", "闲置轮椅可借用"},
                                        {"skill", "会水电维修，可上门帮忙"},
                                        {"space", "院子可借给邻里办活动"},
                                        {"time", "退休在家，可帮忙接送孩子"}};

static int post(struct demo *d, struct rng *r, const char *unit, size_t k, int64_t *id)
{
    bool need = k % 2 == 0;
    size_t c = (k / 2 + rng_below(r, 2)) % 4;
    char from[11], to[11], building[32], phone[24], code[SHARE_CODE_LEN + 1];
    clock_today(from, -(int)rng_below(r, 10));
    clock_today(to, 5 + (int)rng_below(r, 30));
    snprintf(building, sizeof building, "%d号楼", 1 + (int)rng_below(r, 4));
    snprintf(phone, sizeof phone, "139%08u", (unsigned)rng_below(r, 100000000));
    bool resident = rng_chance(r, 0.6);
    struct share_input in = {.kind = need ? "need" : "offer",
                             .category = (need ? needs : offers)[c][0],
                             .unit = unit,
                             .building = building,
                             .from = from,
                             .to = to,
                             .title = (need ? needs : offers)[c][1],
                             .body = need ? "请有条件的邻居联系，谢谢" : "邻里互助，不收费用",
                             .contact = resident ? phone : NULL};
    return share_post_create(d->app, resident ? NULL : d->actor, &in, AUTH_CLI_NAME, id,
                             resident ? code : NULL, &d->e);
}

/* The first suggestion for need, matched; most then confirmed by both. */
static int match(struct demo *d, struct arena *a, struct rng *r, int64_t need)
{
    struct share_post_row *rows;
    size_t n;
    int64_t id = 0;
    int rc = share_suggest(d->app, d->actor, need, a, &rows, &n, &d->e);
    if (rc || n == 0 || !rng_chance(r, 0.8)) return rc;
    if ((rc = share_match(d->app, d->actor, need, rows[0].id, AUTH_CLI_NAME, &id, &d->e)))
        return rc;
    d->share_matches++;
    if (!rng_chance(r, 0.7)) return ERR_OK;
    rc =
        share_confirm(d->app, d->actor, id, "need", 4 + (int)rng_below(r, 2), AUTH_CLI_NAME, &d->e);
    if (!rc)
        rc = share_confirm(d->app, d->actor, id, "offer", 4 + (int)rng_below(r, 2), AUTH_CLI_NAME,
                           &d->e);
    d->share_done += !rc;
    return rc;
}

int demo_write_share(struct demo *d)
{
    struct arena *a = arena_new();
    int rc = ERR_OK;
    for (size_t i = 0; i < d->n && !rc; i++) {
        const struct demo_unit *u = &d->units[i];
        if (u->township >= SHARE_TOWNSHIPS) continue;
        struct rng r = rng_for(d->seed, u->code, P_SHARE);
        int64_t ids[PER_UNIT];
        for (size_t k = 0; k < PER_UNIT && !rc; k++) {
            rc = post(d, &r, u->code, k, &ids[k]);
            d->share_posts += !rc;
        }
        for (size_t k = 0; k < PER_UNIT && !rc; k += 2)
            rc = match(d, a, &r, ids[k]);
    }
    arena_free(a);
    return rc;
}
