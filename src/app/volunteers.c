/* volunteers.c — volunteer teams and members, the volunteer list with
 * hours and stars, the service certificate and the computed data
 * elements (volunteers.h). Sign-in and sign-out: volunteers_sign.c. */
#include "app/volunteers.h"
#include "app/audit.h"
#include "app/people.h"
#include "base/clock.h"
#include "core/tree.h"
#include "store/store_timebank.h"
#include "store/store_volunteers.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether the actor reaches person (whole country: the person exists). */
int volunteers_reach(struct app *app, const struct auth_user *actor, struct arena *a,
                     int64_t person, const char *field, struct err *err)
{
    const char *unit = NULL;
    int rc;
    if (person <= 0) {
        rc = ERR_NOT_FOUND;
    } else if (!actor->scope[0]) {
        struct person_row row;
        struct db *db = store_acquire(app->store);
        rc = store_person_get(db, a, person, &row, err);
        store_release(app->store, db);
        unit = rc ? NULL : row.unit;
    } else {
        rc = people_unit_of(app, a, PEOPLE_PERSON, arena_printf(a, "%lld", (long long)person),
                            actor->scope, &unit, err);
    }
    if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(actor->scope, unit))) {
        err_clear(err);
        return err_set_field(err, ERR_INVALID, field,
                             "没有编号为 %lld 的人员（或不在您的管辖范围内）", (long long)person);
    }
    return rc;
}

static const char *unit_name(const struct tree *t, const char *code)
{
    uint32_t i = tree_find_any(t, code, strlen(code));
    return i == TREE_NONE ? "" : tree_name(t, i);
}

/* ---- teams ---- */

struct team_write {
    struct vol_team_row t;
    struct vol_member_row leader;
};

static int write_team(struct db *db, void *ctx, struct err *err)
{
    struct team_write *w = ctx;
    int rc = store_vol_team_insert(db, &w->t, err);
    w->leader.team_id = w->t.id;
    if (!rc && w->leader.person_id) rc = store_vol_member_add(db, &w->leader, err);
    return rc;
}

static int write_member(struct db *db, void *ctx, struct err *err)
{
    return store_vol_member_add(db, ctx, err);
}

/* Runs write and its audit record in one write transaction. */
static int in_tx(struct app *app, struct audit_entry *ae,
                 int (*write)(struct db *db, void *ctx, struct err *err), void *ctx,
                 struct err *err)
{
    return app_write_tx(app, ae, NULL, write, ctx, err);
}

int volunteers_team_check(struct app *app, const struct auth_user *actor, const char *unit,
                          const char *name, struct err *err)
{
    if (!unit || !unit[0])
        return err_set_field(err, ERR_INVALID, "unit", "请选择志愿服务队所属单位");
    if (!name || !name[0] || strlen(name) > VOL_NAME_MAX)
        return err_set_field(err, ERR_INVALID, "name", "请填写志愿服务队名称（至多 %d 字节）",
                             VOL_NAME_MAX);
    struct tree *t = app_tree(app);
    bool known = tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!known)
        return err_set_field(err, ERR_INVALID, "unit", "所属单位不存在，请从单位列表中选择");
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "所属单位不在您的管辖范围内");
    return ERR_OK;
}

int volunteers_team_create(struct app *app, const struct auth_user *actor, const char *unit,
                           const char *name, int64_t leader, const char *client, int64_t *id,
                           struct err *err)
{
    int rc = volunteers_team_check(app, actor, unit, name, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    char at[32], today[11];
    auth_now_iso(at);
    clock_today(today, 0);
    rc = leader ? volunteers_reach(app, actor, a, leader, "leader", err) : ERR_OK;
    struct team_write w = {.t = {.unit = unit,
                                 .name = name,
                                 .leader_id = leader,
                                 .created_by = actor->name,
                                 .created_at = at},
                           .leader = {.person_id = leader, .joined_on = today}};
    if (!rc) {
        json_t *o = json_pack("{s:s,s:I}", "name", name, "leader", (json_int_t)leader);
        char *after = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        struct audit_entry ae = {.user = actor->name,
                                 .action = "volunteer.team_create",
                                 .entity = "volunteer_team",
                                 .unit = unit,
                                 .after = after,
                                 .client = client};
        rc = in_tx(app, &ae, write_team, &w, err);
        free(after);
    }
    *id = rc ? 0 : w.t.id;
    arena_free(a);
    return rc;
}

int volunteers_join(struct app *app, const struct auth_user *actor, int64_t person, int64_t team,
                    const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct vol_team_row t;
    char today[11];
    clock_today(today, 0);
    struct db *db = store_acquire(app->store);
    int rc = team > 0 ? store_vol_team_get(db, a, team, &t, err) : ERR_NOT_FOUND;
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(actor->scope, t.unit))) {
        err_clear(err);
        rc = err_set_field(err, ERR_INVALID, "team",
                           "没有编号为 %lld 的志愿服务队（或不在您的管辖范围内）", (long long)team);
    }
    if (!rc) {
        struct vol_member_row m = {.team_id = team, .person_id = person, .joined_on = today};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "volunteer.join",
                                 .entity = arena_printf(a, "person:%lld", (long long)person),
                                 .unit = t.unit,
                                 .after = arena_printf(a, "{\"team\":%lld}", (long long)team),
                                 .client = client};
        rc = in_tx(app, &ae, write_member, &m, err);
    }
    arena_free(a);
    return rc;
}

struct teams_ctx {
    struct arena *a;
    struct vol_team_view *rows;
    size_t n, cap;
};

static int keep_team(void *ctx, const struct vol_team_row *t)
{
    struct teams_ctx *x = ctx;
    if (x->n == x->cap) return 1;
    x->rows[x->n++].t = *t;
    return 0;
}

static int keep_member(void *ctx, const struct vol_member_row *m)
{
    struct teams_ctx *x = ctx;
    /* members come by team id; teams by unit and name: find the team */
    for (size_t i = 0; i < x->n; i++) {
        struct vol_team_view *v = &x->rows[i];
        if (v->t.id != m->team_id) continue;
        if (v->nmembers < (size_t)v->t.members) v->members[v->nmembers++] = *m;
        break;
    }
    return 0;
}

int volunteers_teams(struct app *app, const char *unit, struct arena *a, struct vol_team_view **out,
                     size_t *n, struct err *err)
{
    struct teams_ctx x = {.a = a, .cap = VOL_LIST_MAX};
    x.rows = arena_zalloc(a, x.cap * sizeof *x.rows);
    struct db *db = store_acquire(app->store);
    int rc = store_vol_teams(db, a, unit, VOL_LIST_MAX, keep_team, &x, err);
    if (rc == 1) rc = ERR_OK;
    for (size_t i = 0; !rc && i < x.n; i++)
        x.rows[i].members =
            arena_zalloc(a, (size_t)x.rows[i].t.members * sizeof(struct vol_member_row) + 1);
    if (!rc) rc = store_vol_members(db, a, unit, VOL_MEMBERS_MAX, keep_member, &x, err);
    store_release(app->store, db);
    struct tree *t = app_tree(app);
    for (size_t i = 0; i < x.n; i++)
        x.rows[i].unit_name = arena_strdup(a, unit_name(t, x.rows[i].t.unit));
    tree_unref(t);
    *out = x.rows;
    *n = x.n;
    return rc;
}

/* ---- volunteers and the certificate ---- */

struct people_ctx {
    struct vol_person_row *rows;
    size_t n;
};

static int keep_person(void *ctx, const struct vol_person_row *p)
{
    struct people_ctx *x = ctx;
    x->rows[x->n++] = *p;
    return 0;
}

int volunteers_list(struct app *app, const char *unit, struct arena *a, struct vol_person_row **out,
                    size_t *n, struct err *err)
{
    struct people_ctx x = {.rows = arena_zalloc(a, VOL_LIST_MAX * sizeof *x.rows)};
    struct db *db = store_acquire(app->store);
    int rc = store_vol_people(db, a, unit, VOL_LIST_MAX, keep_person, &x, err);
    store_release(app->store, db);
    *out = x.rows;
    *n = x.n;
    return rc;
}

#define YEARS_MAX 100

static int keep_year(void *ctx, const struct vol_year_row *y)
{
    struct vol_certificate *c = ctx;
    if (c->nyears == YEARS_MAX) return 0;
    c->years[c->nyears++] = *y;
    c->minutes += y->minutes;
    c->activities += y->activities;
    return 0;
}

int volunteers_certificate(struct app *app, int64_t person, struct arena *a,
                           struct vol_certificate *out, struct err *err)
{
    *out = (struct vol_certificate){.person_id = person,
                                    .years = arena_zalloc(a, YEARS_MAX * sizeof *out->years)};
    struct person_row p;
    struct db *db = store_acquire(app->store);
    int rc = store_person_get(db, a, person, &p, err);
    if (!rc) rc = store_vol_years(db, a, person, keep_year, out, err);
    if (!rc) rc = store_vol_person_teams(db, a, person, &out->teams, err);
    if (!rc) rc = store_timebank_balance(db, person, &out->cents, err);
    store_release(app->store, db);
    if (rc) return rc;
    out->name = p.name;
    out->id_masked = p.id_masked ? p.id_masked : "";
    out->unit = p.unit;
    struct tree *t = app_tree(app);
    out->unit_name = arena_strdup(a, unit_name(t, p.unit));
    tree_unref(t);
    out->star = volunteers_star(app, (double)out->minutes / 60.0);
    return ERR_OK;
}

/* ---- computed data elements ---- */

static const char *const counts[] = {"persons", "hours", NULL};
#define COUNTS "persons（服务人数）或 hours（服务时长）"

int volunteers_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, counts, COUNTS, err) < 0 ? ERR_INVALID : ERR_OK;
}

int volunteers_computed_counts(struct app *app, const char *computed, const char *start,
                               const char *next, const char *date, computed_add fn, void *ctx,
                               struct err *err)
{
    (void)date;
    int which = computed_count(computed, counts, COUNTS, err);
    if (which < 0) return ERR_INVALID;
    bool persons = which == 0;
    struct db *db = store_acquire(app->store);
    int rc = store_vol_counts(db, persons, start, next, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
