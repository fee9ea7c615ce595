/* health.c — writes and lists of the family-doctor registry (health.h):
 * facilities, teams, contracts with the one-at-a-time rule, residents'
 * health tags and unit locations. Every write is scope-checked, audited
 * and one transaction. */
#include "app/health_int.h"
#include "app/analytics.h"
#include "app/audit.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/geo.h"
#include "core/tree.h"
#include "store/store.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef int (*write_fn)(struct db *db, void *ctx, struct err *err);

/* Runs write with the audit record in one write transaction. */
static int in_tx(struct app *app, const struct audit_entry *ae, write_fn write, void *ctx,
                 struct err *err)
{
    return app_write_tx(app, ae, HEALTH_CHANGED, write, ctx, err);
}

static const char *audit_json(struct arena *a, json_t *o)
{
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    const char *out = arena_strdup(a, text ? text : "{}");
    free(text);
    json_decref(o);
    return out;
}

/* A current unit inside the actor's scope, or 4xx naming it. */
static int unit_in_scope(struct app *app, const struct auth_user *actor, const char *unit,
                         const char *field, struct err *err)
{
    if (!unit || !*unit) return err_set_field(err, ERR_INVALID, field, "请选择所属单位");
    struct tree *t = app_tree(app);
    bool found = tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!found) return err_set_field(err, ERR_INVALID, field, "没有代码为 %s 的单位", unit);
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_NOT_FOUND, field, "该单位不在您的管辖范围内");
    return ERR_OK;
}

int health_coord(const char *crs, double lat, double lng, const char *field, double *wlat,
                 double *wlng, struct err *err)
{
    if (!isfinite(lat) || !isfinite(lng) || !geo_in_china(lat, lng))
        return err_set_field(
            err, ERR_INVALID, field,
            "坐标（纬度 %.4f，经度 %.4f）不在中国境内：纬度须在 0.83～55.83、经度须在 "
            "72.00～137.83 之间，请检查是否把经纬度填反",
            isfinite(lat) ? lat : 0, isfinite(lng) ? lng : 0);
    if (!crs || !*crs || strcmp(crs, "wgs84") == 0) {
        *wlat = lat;
        *wlng = lng;
    } else if (strcmp(crs, "gcj02") == 0) {
        geo_gcj_to_wgs(lat, lng, wlat, wlng);
    } else {
        return err_set_field(err, ERR_INVALID, "crs",
                             "坐标系须为 wgs84（GPS）或 gcj02（国内网络地图）");
    }
    return ERR_OK;
}

/* ---- facilities ---- */

struct facility_write {
    struct health_facility_row f;
};

static int facility_write(struct db *db, void *ctx, struct err *err)
{
    return store_health_facility_insert(db, &((struct facility_write *)ctx)->f, err);
}

int health_facility_check(const struct health_defs *h, const struct health_facility_in *in,
                          struct health_facility_row *f, struct err *err)
{
    if (!health_name(h->facility_types, h->nfacility_types, in->type))
        return err_set_field(err, ERR_INVALID, "type",
                             "请选择机构类型（乡镇卫生院、社区卫生服务中心、村卫生室等）");
    int rc = app_check_text(in->name, "name", 200, true, err);
    if (rc) return rc;
    f->type = in->type;
    f->name = in->name;
    f->located = in->located;
    if (in->located) rc = health_coord(in->crs, in->lat, in->lng, "lat", &f->lat, &f->lng, err);
    return rc;
}

int health_facility_create(struct app *app, const struct auth_user *actor,
                           const struct health_facility_in *in, const char *client, int64_t *id,
                           struct err *err)
{
    int rc = unit_in_scope(app, actor, in->unit, "unit", err);
    if (rc) return rc;
    char at[32];
    auth_now_iso(at);
    struct facility_write w = {{.unit = in->unit, .created_by = actor->name, .created_at = at}};
    if ((rc = health_facility_check(app->health, in, &w.f, err))) return rc;
    struct arena *a = arena_new();
    struct audit_entry ae = {.user = actor->name,
                             .action = "health.facility.create",
                             .entity = "health_facility:new",
                             .unit = in->unit,
                             .client = client};
    ae.after = audit_json(a, json_pack("{s:s, s:s, s:b}", "type", in->type, "name", in->name,
                                       "located", in->located));
    rc = in_tx(app, &ae, facility_write, &w, err);
    if (!rc) *id = w.f.id;
    arena_free(a);
    return rc;
}

static int facility_update(struct db *db, void *ctx, struct err *err)
{
    return store_health_facility_update(db, &((struct facility_write *)ctx)->f, err);
}

static json_t *facility_json(const struct health_facility_row *f)
{
    return f->located ? json_pack("{s:s, s:s, s:f, s:f}", "type", f->type, "name", f->name, "lat",
                                  f->lat, "lng", f->lng)
                      : json_pack("{s:s, s:s}", "type", f->type, "name", f->name);
}

int health_facility_update(struct app *app, struct arena *a, const struct auth_user *actor,
                           int64_t id, const struct health_facility_in *in, const char *client,
                           struct health_facility_row *out, struct err *err)
{
    struct facility_write w;
    struct db *db = store_acquire(app->store);
    int rc = store_health_facility_get(db, a, id, &w.f, err);
    store_release(app->store, db);
    if (!rc && !auth_in_scope(actor->scope, w.f.unit))
        /* the same answer as a missing one: nothing about it leaks */
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的医疗卫生机构", (long long)id);
    struct health_facility_row before = w.f;
    if (!rc) {
        /* what is not given stays as it is */
        struct health_facility_in merged = {.unit = w.f.unit,
                                            .type = in->type ? in->type : w.f.type,
                                            .name = in->name ? in->name : w.f.name,
                                            .crs = in->located ? in->crs : "wgs84",
                                            .located = in->located || w.f.located,
                                            .lat = in->located ? in->lat : w.f.lat,
                                            .lng = in->located ? in->lng : w.f.lng};
        rc = health_facility_check(app->health, &merged, &w.f, err);
    }
    if (!rc) {
        struct audit_entry ae = {.user = actor->name,
                                 .action = "health.facility.update",
                                 .entity = arena_printf(a, "health_facility:%lld", (long long)id),
                                 .unit = w.f.unit,
                                 .before = audit_json(a, facility_json(&before)),
                                 .after = audit_json(a, facility_json(&w.f)),
                                 .client = client};
        rc = in_tx(app, &ae, facility_update, &w, err);
    }
    if (!rc) *out = w.f;
    return rc;
}

struct grow {
    struct arena *a;
    void *items;
    size_t n, cap, size;
};

static void *grow_next(struct grow *g)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        void *p = arena_zalloc(g->a, cap * g->size);
        if (g->n) memcpy(p, g->items, g->n * g->size);
        g->items = p;
        g->cap = cap;
    }
    return (char *)g->items + g->n++ * g->size;
}

static int add_facility(void *ctx, const struct health_facility_row *f)
{
    *(struct health_facility_row *)grow_next(ctx) = *f;
    return 0;
}

int health_facilities(struct app *app, struct arena *a, const char *scope,
                      struct health_facility_row **out, size_t *n, struct err *err)
{
    struct grow g = {a, NULL, 0, 0, sizeof **out};
    struct db *db = store_acquire(app->store);
    int rc = store_health_facilities(db, a, scope ? scope : "", add_facility, &g, err);
    store_release(app->store, db);
    *out = g.items;
    *n = g.n;
    return rc;
}

/* ---- teams ---- */

static int team_write(struct db *db, void *ctx, struct err *err)
{
    return store_health_team_insert(db, ctx, err);
}

int health_team_create(struct app *app, const struct auth_user *actor,
                       const struct health_team_in *in, const char *client, int64_t *id,
                       struct err *err)
{
    int rc = app_check_text(in->name, "name", 200, true, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct health_facility_row f = {0};
    struct person_row leader;
    struct db *db = store_acquire(app->store);
    rc = store_health_facility_get(db, a, in->facility_id, &f, err);
    if (rc == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_INVALID, "facility", "没有编号为 %lld 的医疗卫生机构",
                           (long long)in->facility_id);
    if (!rc && in->leader_id > 0) {
        rc = store_person_get(db, a, in->leader_id, &leader, err);
        if (rc == ERR_NOT_FOUND)
            rc = err_set_field(err, ERR_INVALID, "leader", "没有编号为 %lld 的人员",
                               (long long)in->leader_id);
    }
    store_release(app->store, db);
    if (!rc && !auth_in_scope(actor->scope, f.unit))
        /* the same answer as a missing one: nothing about it leaks */
        rc = err_set_field(err, ERR_INVALID, "facility", "没有编号为 %lld 的医疗卫生机构",
                           (long long)in->facility_id);
    char at[32];
    auth_now_iso(at);
    struct health_team_row t = {.facility_id = in->facility_id,
                                .leader_id = in->leader_id,
                                .unit = f.unit,
                                .name = in->name,
                                .created_by = actor->name,
                                .created_at = at};
    if (!rc) {
        struct audit_entry ae = {
            .user = actor->name,
            .action = "health.team.create",
            .entity = "health_team:new",
            .unit = f.unit,
            .after =
                audit_json(a, json_pack("{s:I, s:s, s:I}", "facility", (json_int_t)in->facility_id,
                                        "name", in->name, "leader", (json_int_t)in->leader_id)),
            .client = client};
        rc = in_tx(app, &ae, team_write, &t, err);
    }
    if (!rc) *id = t.id;
    arena_free(a);
    return rc;
}

static int add_team(void *ctx, const struct health_team_row *t)
{
    *(struct health_team_row *)grow_next(ctx) = *t;
    return 0;
}

int health_teams(struct app *app, struct arena *a, const char *scope, struct health_team_row **out,
                 size_t *n, struct err *err)
{
    struct grow g = {a, NULL, 0, 0, sizeof **out};
    struct db *db = store_acquire(app->store);
    int rc = store_health_teams(db, a, scope ? scope : "", add_team, &g, err);
    store_release(app->store, db);
    *out = g.items;
    *n = g.n;
    return rc;
}

/* ---- contracts ---- */

struct contract_write {
    struct arena *a;
    struct health_contract_row c;
};

/* The one-at-a-time rule is checked inside the writing transaction, so
 * two simultaneous requests cannot both pass it. */
static int contract_write(struct db *db, void *ctx, struct err *err)
{
    struct contract_write *w = ctx;
    int rc = health_contract_free(db, w->a, &w->c, err);
    if (!rc) rc = store_health_contract_insert(db, &w->c, err);
    return rc;
}

int health_contract_check(const struct health_defs *h, const struct health_contract_in *in,
                          char end[16], const char **package, struct err *err)
{
    long d0, d1;
    if (!in->start_date || !keygroup_day(in->start_date, &d0))
        return err_set_field(err, ERR_INVALID, "start_date", "签约开始日期须为 YYYY-MM-DD");
    if (in->end_date && *in->end_date) {
        if (!keygroup_day(in->end_date, &d1))
            return err_set_field(err, ERR_INVALID, "end_date", "签约结束日期须为 YYYY-MM-DD");
    } else {
        /* one year by default: the same day a year later (28 February
         * after a 29 February) */
        char next[16];
        snprintf(next, sizeof next, "%04d%.6s", ((int)strtol(in->start_date, NULL, 10) + 1) % 10000,
                 in->start_date + 4);
        if (!keygroup_day(next, &d1)) d1 = d0 + 365;
    }
    if (d1 - d0 < h->contract_min_days)
        return err_set_field(err, ERR_INVALID, "end_date",
                             "签约周期至少 %d 天（原则上一年一签），结束日期须不早于开始后一年",
                             h->contract_min_days);
    if (d1 - d0 > h->contract_max_days)
        return err_set_field(err, ERR_INVALID, "end_date", "签约周期至多 %d 天",
                             h->contract_max_days);
    keygroup_date(d1, end);
    *package = in->package && *in->package ? in->package : "basic";
    if (!health_name(h->packages, h->npackages, *package))
        return err_set_field(err, ERR_INVALID, "package", "请选择服务包（没有 %s 这一服务包）",
                             *package);
    return ERR_OK;
}

int health_contract_create(struct app *app, const struct auth_user *actor,
                           const struct health_contract_in *in, const char *client, int64_t *id,
                           struct err *err)
{
    char end[16];
    const char *package;
    int rc0 = health_contract_check(app->health, in, end, &package, err);
    if (rc0) return rc0;
    struct arena *a = arena_new();
    struct person_row p = {0};
    struct health_team_row t;
    struct db *db = store_acquire(app->store);
    int rc = store_person_get(db, a, in->person_id, &p, err);
    if (rc == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_INVALID, "person", "没有编号为 %lld 的居民",
                           (long long)in->person_id);
    if (!rc) rc = store_health_team_get(db, a, in->team_id, &t, err);
    store_release(app->store, db);
    if (!rc && !auth_in_scope(actor->scope, p.unit))
        rc = err_set_field(err, ERR_NOT_FOUND, "person", "该居民不在您的管辖范围内");
    char at[32];
    auth_now_iso(at);
    struct contract_write w = {a,
                               {.person_id = in->person_id,
                                .team_id = in->team_id,
                                .unit = rc ? "" : p.unit,
                                .package = package,
                                .start_date = in->start_date,
                                .end_date = end,
                                .created_by = actor->name,
                                .created_at = at}};
    if (!rc) {
        struct audit_entry ae = {
            .user = actor->name,
            .action = "health.contract.create",
            .entity = "health_contract:new",
            .unit = p.unit,
            .after = audit_json(a, json_pack("{s:I, s:I, s:s, s:s, s:s}", "person",
                                             (json_int_t)in->person_id, "team",
                                             (json_int_t)in->team_id, "package", package,
                                             "start_date", in->start_date, "end_date", end)),
            .client = client};
        rc = in_tx(app, &ae, contract_write, &w, err);
    }
    if (!rc) *id = w.c.id;
    arena_free(a);
    return rc;
}

struct stop_write {
    int64_t id;
    const char *day, *reason;
};

static int stop_write(struct db *db, void *ctx, struct err *err)
{
    struct stop_write *s = ctx;
    return store_health_contract_stop(db, s->id, s->day, s->reason, err);
}

int health_contract_stop(struct app *app, const struct auth_user *actor, int64_t id,
                         const char *reason, const char *day, const char *client, struct err *err)
{
    const struct health_defs *h = app->health;
    if (!health_name(h->stop_reasons, h->nstop_reasons, reason))
        return err_set_field(err, ERR_INVALID, "reason",
                             "请从标准解约原因中选择（死亡、迁出本辖区、居民申请解约等）");
    char today[11];
    clock_today(today, 0);
    long d;
    if (day && *day && !keygroup_day(day, &d))
        return err_set_field(err, ERR_INVALID, "day", "解约日期须为 YYYY-MM-DD");
    if (!day || !*day) day = today;
    struct arena *a = arena_new();
    struct health_contract_row c;
    int rc = health_contract_get(app, a, actor, id, &c, err);
    if (!rc && *c.stop_reason) rc = err_set(err, ERR_CONFLICT, "该签约已于 %s 解约", c.end_date);
    if (!rc && (strcmp(day, c.start_date) < 0 || strcmp(day, c.end_date) >= 0))
        rc = err_set_field(err, ERR_INVALID, "day", "解约日期须在签约期 %s 至 %s 之内",
                           c.start_date, c.end_date);
    struct stop_write s = {id, day, reason};
    if (!rc) {
        struct audit_entry ae = {
            .user = actor->name,
            .action = "health.contract.stop",
            .entity = arena_printf(a, "health_contract:%lld", (long long)id),
            .unit = c.unit,
            .before = audit_json(a, json_pack("{s:s}", "end_date", c.end_date)),
            .after = audit_json(a, json_pack("{s:s, s:s}", "end_date", day, "reason", reason)),
            .client = client};
        rc = in_tx(app, &ae, stop_write, &s, err);
    }
    arena_free(a);
    return rc;
}

int health_contract_get(struct app *app, struct arena *a, const struct auth_user *actor, int64_t id,
                        struct health_contract_row *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_health_contract_get(db, a, id, out, err);
    store_release(app->store, db);
    if (!rc && !auth_in_scope(actor->scope, out->unit))
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的签约", (long long)id);
    return rc;
}

static int add_contract(void *ctx, const struct health_contract_row *c)
{
    *(struct health_contract_row *)grow_next(ctx) = *c;
    return 0;
}

int health_contracts(struct app *app, struct arena *a, const char *scope, const char *on, int limit,
                     struct health_contract_row **out, size_t *n, struct err *err)
{
    long d;
    if (on && *on && !keygroup_day(on, &d))
        return err_set_field(err, ERR_INVALID, "on", "日期须为 YYYY-MM-DD");
    struct grow g = {a, NULL, 0, 0, sizeof **out};
    struct db *db = store_acquire(app->store);
    int rc = store_health_contracts(db, a, scope ? scope : "", on, limit, add_contract, &g, err);
    store_release(app->store, db);
    *out = g.items;
    *n = g.n;
    return rc;
}

int health_contract_stop_person(struct app *app, const struct auth_user *actor, int64_t person_id,
                                const char *reason, const char *day, const char *client,
                                struct err *err)
{
    char today[11], next[11];
    long d;
    if (day && *day && !keygroup_day(day, &d))
        return err_set_field(err, ERR_INVALID, "day", "解约日期须为 YYYY-MM-DD");
    clock_today(today, 0);
    if (!day || !*day) day = today;
    keygroup_day(day, &d);
    keygroup_date(d + 1, next);
    struct arena *a = arena_new();
    int64_t id;
    const char *os, *oe;
    struct db *db = store_acquire(app->store);
    int rc = store_health_contract_overlap(db, a, person_id, day, next, &id, &os, &oe, err);
    store_release(app->store, db);
    if (!rc && !id) rc = err_set(err, ERR_CONFLICT, "该居民在 %s 没有生效的家庭医生签约", day);
    if (!rc) rc = health_contract_stop(app, actor, id, reason, day, client, err);
    arena_free(a);
    return rc;
}

int health_person_get(struct app *app, struct arena *a, int64_t person_id, const char *on,
                      struct health_person *out, struct err *err)
{
    struct grow g = {a, NULL, 0, 0, sizeof *out->contracts};
    char *tags = arena_zalloc(a, 512);
    struct person_row p;
    struct db *db = store_acquire(app->store);
    int rc = store_person_get(db, a, person_id, &p, err);
    if (!rc) rc = store_health_person(db, a, person_id, on, add_contract, &g, tags, 512, err);
    store_release(app->store, db);
    if (rc) return rc;
    *out = (struct health_person){.contracts = g.items,
                                  .ncontracts = g.n,
                                  .tags = tags,
                                  .age = keygroup_age(p.birth_date ? p.birth_date : "", on),
                                  .name = p.name};
    return ERR_OK;
}

/* ---- tags and locations ---- */

struct tags_write {
    int64_t person_id;
    const char *const *tags;
    size_t n;
};

static int tags_write(struct db *db, void *ctx, struct err *err)
{
    struct tags_write *t = ctx;
    return store_health_tags_set(db, t->person_id, t->tags, t->n, err);
}

int health_tags_set(struct app *app, const struct auth_user *actor, int64_t person_id,
                    const char *const *tags, size_t n, const char *client, struct err *err)
{
    const struct health_defs *h = app->health;
    for (size_t i = 0; i < n; i++)
        if (!health_name(h->person_tags, h->nperson_tags, tags[i]))
            return err_set_field(err, ERR_INVALID, "tags",
                                 "第 %zu 个健康标签不是已定义的标签（如高血压、2型糖尿病）", i + 1);
    struct arena *a = arena_new();
    struct person_row p;
    struct db *db = store_acquire(app->store);
    int rc = store_person_get(db, a, person_id, &p, err);
    store_release(app->store, db);
    if (!rc && !auth_in_scope(actor->scope, p.unit))
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的人员", (long long)person_id);
    struct tags_write w = {person_id, tags, n};
    if (!rc) {
        json_t *l = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(l, json_string(tags[i]));
        struct audit_entry ae = {.user = actor->name,
                                 .action = "health.tags.set",
                                 .entity = arena_printf(a, "person:%lld", (long long)person_id),
                                 .unit = p.unit,
                                 .after = audit_json(a, json_pack("{s:o}", "tags", l)),
                                 .client = client};
        rc = in_tx(app, &ae, tags_write, &w, err);
    }
    arena_free(a);
    return rc;
}

struct point_write {
    const char *unit;
    double lat, lng;
};

static int point_write(struct db *db, void *ctx, struct err *err)
{
    struct point_write *p = ctx;
    return store_health_point_set(db, p->unit, p->lat, p->lng, err);
}

int health_point_set(struct app *app, const struct auth_user *actor, const char *unit,
                     const char *crs, double lat, double lng, const char *client, struct err *err)
{
    int rc = unit_in_scope(app, actor, unit, "unit", err);
    struct point_write p = {unit, 0, 0};
    if (!rc) rc = health_coord(crs, lat, lng, "lat", &p.lat, &p.lng, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct audit_entry ae = {.user = actor->name,
                             .action = "health.point.set",
                             .entity = arena_printf(a, "unit:%s", unit),
                             .unit = unit,
                             .after =
                                 audit_json(a, json_pack("{s:f, s:f}", "lat", p.lat, "lng", p.lng)),
                             .client = client};
    rc = in_tx(app, &ae, point_write, &p, err);
    arena_free(a);
    return rc;
}
