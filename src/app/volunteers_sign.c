/* volunteers_sign.c — sign-in and sign-out at a volunteer activity; a
 * sign-out counts the service and credits the time bank in the same
 * transaction (volunteers.h). */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/volunteers.h"
#include "base/clock.h"
#include "core/tree.h"
#include "store/store_timebank.h"
#include "store/store_volunteers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SKEW_MINUTES 10 /* a phone's clock a little ahead of the server's */

/* "YYYY-MM-DDTHH:MM" → minutes since 1970-01-01 00:00; false when malformed. */
static bool parse_minute(const char *s, int64_t *out)
{
    if (!s || strlen(s) != 16 || s[10] != 'T' || s[13] != ':') return false;
    for (int i = 11; i < 16; i++)
        if (i != 13 && (s[i] < '0' || s[i] > '9')) return false;
    char day[11];
    memcpy(day, s, 10);
    day[10] = '\0';
    int32_t d;
    if (!tree_day_parse(day, &d)) return false;
    int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
    if (hh > 23 || mm > 59) return false;
    *out = (int64_t)d * 1440 + (int64_t)hh * 60 + mm;
    return true;
}

/* The local time now as "YYYY-MM-DDTHH:MM". */
static void now_minute(char out[17])
{
    char utc[32];
    auth_now_iso(utc);
    clock_local_minute(utc, out);
    if (out[0]) out[10] = 'T';
}

/* The activity: an event of type volunteer the caller already reaches (the
 * route's scope). */
static int load_activity(struct app *app, struct arena *a, int64_t id, struct event_row *e,
                         struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_event_get(db, a, id, e, err);
    store_release(app->store, db);
    if (!rc && strcmp(e->type, "volunteer") != 0)
        rc = err_set(err, ERR_INVALID, "只有志愿服务活动才能签到、签退（此活动不是志愿服务）");
    return rc;
}

/* at (NULL: now) checked and as minutes; what names 签到 or 签退. */
static int check_time(const char **at, const char *what, struct arena *a, int64_t *minutes,
                      struct err *err)
{
    char now[17];
    int64_t now_min = 0;
    now_minute(now);
    if (!*at || !(*at)[0]) *at = arena_strdup(a, now);
    if (!parse_minute(*at, minutes))
        return err_set_field(err, ERR_INVALID, "at",
                             "%s时间须为“年-月-日T时:分”，如 2026-05-01T08:30", what);
    if (parse_minute(now, &now_min) && *minutes > now_min + SKEW_MINUTES)
        return err_set_field(err, ERR_INVALID, "at", "%s时间 %s 晚于现在，不能预先%s", what, *at,
                             what);
    return ERR_OK;
}

static int write_tx(struct app *app, const struct audit_entry *ae,
                    int (*write)(struct db *db, void *ctx, struct err *err), void *ctx,
                    bool changed, struct err *err)
{
    return app_write_tx(app, ae, changed ? VOLUNTEERS_CHANGED : NULL, write, ctx, err);
}

static int write_in(struct db *db, void *ctx, struct err *err)
{
    return store_vol_sign_in(db, ctx, err);
}

int volunteers_sign_in(struct app *app, const struct auth_user *actor, int64_t event,
                       int64_t person, const char *at, const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct event_row e;
    int64_t in = 0;
    int rc = load_activity(app, a, event, &e, err);
    if (!rc) rc = check_time(&at, "签到", a, &in, err);
    if (!rc && strncmp(at, e.day, 10) != 0)
        rc = err_set_field(err, ERR_INVALID, "at", "签到须在活动当天（%s），%s 不在这一天", e.day,
                           at);
    if (!rc) rc = volunteers_reach(app, actor, a, person, "person", err);
    if (!rc) {
        struct vol_sign_row s = {
            .event_id = event, .person_id = person, .signed_in = at, .created_by = actor->name};
        struct audit_entry ae = {
            .user = actor->name,
            .action = "volunteer.sign_in",
            .entity = arena_printf(a, "event:%lld", (long long)event),
            .unit = e.unit,
            .after = arena_printf(a, "{\"person\":%lld,\"at\":\"%s\"}", (long long)person, at),
            .client = client};
        rc = write_tx(app, &ae, write_in, &s, false, err);
    }
    arena_free(a);
    return rc;
}

struct out_write {
    struct vol_sign_row s;
    const char *data;
    struct timebank_entry_row credit;
};

static int write_out(struct db *db, void *ctx, struct err *err)
{
    struct out_write *w = ctx;
    int rc = store_vol_sign_out(db, &w->s, err);
    if (!rc) rc = store_vol_participant(db, w->s.event_id, w->s.person_id, w->data, err);
    if (!rc && w->credit.cents > 0) {
        rc = store_timebank_add(db, &w->credit, err);
        if (!rc) rc = store_timebank_move(db, w->credit.person_id, w->credit.cents, err);
    }
    return rc;
}

int volunteers_sign_out(struct app *app, const struct auth_user *actor, int64_t event,
                        int64_t person, const char *at, int travel_minutes, const char *client,
                        int64_t *minutes, struct err *err)
{
    const struct volunteer_defs *v = app->vol;
    struct arena *a = arena_new();
    struct event_row e;
    struct vol_sign_row s = {.signed_in = NULL, .signed_out = ""};
    int64_t in = 0, out = 0, served = 0;
    char now[32];
    auth_now_iso(now);
    int rc = load_activity(app, a, event, &e, err);
    if (!rc) rc = check_time(&at, "签退", a, &out, err);
    if (!rc) rc = volunteers_reach(app, actor, a, person, "person", err);
    if (!rc) {
        struct db *db = store_acquire(app->store);
        rc = store_vol_sign_get(db, a, event, person, &s, err);
        store_release(app->store, db);
        if (rc == ERR_NOT_FOUND) {
            err_clear(err);
            rc = err_set_field(err, ERR_INVALID, "person", "此人尚未在本次活动签到，请先签到");
        }
    }
    if (!rc && s.signed_out[0])
        rc = err_set_field(err, ERR_CONFLICT, "person", "此人已在 %s 签退，不能重复签退",
                           s.signed_out);
    if (!rc && (!parse_minute(s.signed_in, &in) || out <= in))
        rc =
            err_set_field(err, ERR_INVALID, "at", "签退时间 %s 须晚于签到时间 %s", at, s.signed_in);
    if (!rc && (travel_minutes < 0 || travel_minutes > v->max_travel_minutes))
        rc = err_set_field(err, ERR_INVALID, "travel_minutes",
                           "路途时间须为 0 到 %d 分钟（路途时间不计入服务时长）",
                           v->max_travel_minutes);
    if (!rc) served = out - in - travel_minutes;
    if (!rc && served <= 0)
        rc = err_set_field(err, ERR_INVALID, "travel_minutes",
                           "扣除路途时间 %d 分钟后没有服务时长，请核对签到、签退和路途时间",
                           travel_minutes);
    if (!rc && served > v->max_minutes)
        rc = err_set_field(err, ERR_INVALID, "at",
                           "服务时长 %.1f 小时超过了一天的上限 %d 小时（不含路途），请核对签退时间",
                           (double)served / 60.0, v->max_minutes / 60);
    if (!rc) {
        double hours = round((double)served / 60.0 * 100.0) / 100.0;
        struct out_write w = {
            .s = {.event_id = event,
                  .person_id = person,
                  .signed_out = at,
                  .travel_minutes = travel_minutes,
                  .minutes = served},
            .data = arena_printf(a, "{\"hours\":%.2f}", hours),
            .credit = {.person_id = person,
                       .kind = "credit",
                       .cents = llround((double)served / 60.0 * v->coins_per_hour * 100.0),
                       .event_id = event,
                       .created_by = actor->name,
                       .created_at = now}};
        struct audit_entry ae = {
            .user = actor->name,
            .action = "volunteer.sign_out",
            .entity = arena_printf(a, "event:%lld", (long long)event),
            .unit = e.unit,
            .after =
                arena_printf(a, "{\"person\":%lld,\"at\":\"%s\",\"minutes\":%lld,\"cents\":%lld}",
                             (long long)person, at, (long long)served, (long long)w.credit.cents),
            .client = client};
        rc = write_tx(app, &ae, write_out, &w, true, err);
    }
    *minutes = rc ? 0 : served;
    arena_free(a);
    return rc;
}

struct sheet_ctx {
    struct vol_sign_row *rows;
    size_t n;
};

static int keep_sign(void *ctx, const struct vol_sign_row *s)
{
    struct sheet_ctx *x = ctx;
    if (x->n == EVENT_SIGNS_MAX) return 0;
    x->rows[x->n++] = *s;
    return 0;
}

int volunteers_sheet(struct app *app, int64_t event, struct arena *a, struct vol_sign_row **out,
                     size_t *n, struct err *err)
{
    struct event_row e;
    struct sheet_ctx x = {.rows = arena_zalloc(a, EVENT_SIGNS_MAX * sizeof *x.rows)};
    int rc = load_activity(app, a, event, &e, err);
    if (!rc) {
        struct db *db = store_acquire(app->store);
        rc = store_vol_signs(db, a, event, keep_sign, &x, err);
        store_release(app->store, db);
    }
    *out = x.rows;
    *n = x.n;
    return rc;
}
