/* volunteers_import.c — volunteer teams (志愿服务队) and their members in
 * from a sheet, XLSX or CSV (UTF-8 or GB18030), all or nothing
 * (volunteers.h). One row a member: 队伍名称, 所属单位 (by name or code,
 * inside the import's unit; empty: that unit), 队员姓名, 身份证号.
 *
 * A team not yet in its unit is created by the rules of one made by hand
 * (volunteers_team_check); the person is found in the registry by the
 * keyed hash of the ID-card number (refused when absent: the clerk imports
 * them in 花名册 first), must be one the importer reaches, and the name
 * written must be theirs; one already in the team is counted, not added
 * again. Every refused row is listed; then everything is written in one
 * transaction with one audit record. */
#include "app/audit.h"
#include "app/people_sheet_int.h"
#include "app/volunteers.h"
#include "base/clock.h"
#include "core/tree.h"
#include "store/store_volunteers.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define VOL_ROWS_MAX VOL_MEMBERS_MAX

enum { C_TEAM, C_UNIT, C_NAME, C_ID, C_COUNT };
static const struct sheet_col cols[C_COUNT] = {
    {"team", "队伍名称", "志愿服务队"},
    {"unit", "所属单位", NULL},
    {"name", "队员姓名", "姓名"},
    {"id_number", "身份证号", "公民身份号码"},
};
static const char *const example[C_COUNT] = {"郝庄村巾帼志愿服务队", "郝庄村", "李四",
                                             "410000199001011234"};

const struct sheet_form volunteers_import_form = {cols, example, C_COUNT};

/* A team of the file: found in the store (id) or to be created (id 0). */
struct vteam {
    const char *unit, *name;
    int64_t id;
};
struct vmember {
    size_t team; /* index into teams */
    int64_t person;
    long line;
};

struct vol_import {
    struct app *app;
    const struct auth_user *actor;
    const char *scope, *at, *today;
    struct arena *a;
    struct sheet s;
    struct tree *t;
    struct vol_team_row *have; /* the teams inside scope */
    size_t nhave;
    struct sheet_seen members; /* "team id:person" already joined, and the file's pairs */
    struct vteam *teams;
    size_t nteams, tcap;
    struct vmember *v;
    size_t n, cap, existing;
    struct people_row_errors *errors;
    struct err *err;
};

static int refuse(struct vol_import *im, long line, int c, int rc)
{
    if (!people_row_refusable(rc)) return rc;
    people_row_refuse(im->errors, line, cols[c].zh, im->err);
    return ERR_OK;
}

static int keep_team(void *ctx, const struct vol_team_row *t)
{
    struct vol_import *im = ctx;
    im->have[im->nhave++] = *t;
    return im->nhave == VOL_LIST_MAX;
}

static int keep_member(void *ctx, const struct vol_member_row *m)
{
    struct vol_import *im = ctx;
    sheet_seen(&im->members,
               arena_printf(im->a, "%lld:%lld", (long long)m->team_id, (long long)m->person_id),
               -1);
    return 0;
}

/* The teams and memberships already inside scope. */
static int load(struct vol_import *im)
{
    im->have = arena_zalloc(im->a, VOL_LIST_MAX * sizeof *im->have);
    struct db *db = store_acquire(im->app->store);
    int rc = store_vol_teams(db, im->a, im->scope, VOL_LIST_MAX, keep_team, im, im->err);
    if (rc == 1) rc = ERR_OK;
    if (!rc)
        rc = store_vol_members(db, im->a, im->scope, VOL_MEMBERS_MAX, keep_member, im, im->err);
    store_release(im->app->store, db);
    return rc;
}

/* The file's team named name in unit, added (new or found in the store). */
static int team_of(struct vol_import *im, const char *unit, const char *name, size_t *out)
{
    for (size_t i = 0; i < im->nteams; i++)
        if (strcmp(im->teams[i].unit, unit) == 0 && strcmp(im->teams[i].name, name) == 0)
            return *out = i, ERR_OK;
    struct vteam t = {.unit = unit, .name = name};
    for (size_t i = 0; i < im->nhave && !t.id; i++)
        if (strcmp(im->have[i].unit, unit) == 0 && strcmp(im->have[i].name, name) == 0)
            t.id = im->have[i].id;
    int rc = t.id ? ERR_OK : volunteers_team_check(im->app, im->actor, unit, name, im->err);
    if (rc) return rc;
    im->teams =
        arena_grow(im->a, im->teams, sizeof *im->teams, im->nteams, im->nteams + 1, &im->tcap);
    im->teams[im->nteams] = t;
    *out = im->nteams++;
    return ERR_OK;
}

/* The registry's person of the row: by ID-card number, reached by the
 * importer, carrying the name written (when one is). */
static int person_of(struct vol_import *im, const char *number, const char *name, int64_t *id,
                     int *c)
{
    *c = C_ID;
    if (!number) return err_set(im->err, ERR_INVALID, "请填写队员的身份证号（人员库据此找到此人）");
    int rc = sheet_person_by_id_number(im->app, number, id, im->err);
    if (!rc) rc = volunteers_reach(im->app, im->actor, im->a, *id, "person", im->err);
    if (rc == ERR_INVALID && strcmp(im->err->field, "person") == 0) { /* a name, not an id */
        err_clear(im->err);
        rc = err_set(im->err, ERR_INVALID,
                     "此身份证号的人员不在您的管辖范围内，不能由您加入志愿服务队");
    }
    if (rc || !name) return rc;
    struct person_row p;
    struct db *db = store_acquire(im->app->store);
    rc = store_person_get(db, im->a, *id, &p, im->err);
    store_release(im->app->store, db);
    if (!rc && strcmp(p.name, name) != 0)
        rc = (*c = C_NAME,
              err_set(im->err, ERR_INVALID, "人员库中此身份证号的人员名为“%s”，不是“%s”，请核对",
                      p.name, name));
    return rc;
}

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct vol_import *im = ctx;
    struct sheet *s = &im->s;
    if (!s->header) return sheet_header(s, cells, n, row, im->err);
    if (sheet_blank(cells, n)) return 0;
    if (im->n >= VOL_ROWS_MAX)
        return err_set(im->err, ERR_TOO_LARGE, "志愿服务队名单最多 %d 行，请分成几个文件",
                       VOL_ROWS_MAX);
    const char *team = sheet_cell(s, cells, n, C_TEAM),
               *unit_cell = sheet_cell(s, cells, n, C_UNIT);
    const char *unit = im->scope;
    int rc = unit_cell ? sheet_unit(im->a, im->t, im->scope, unit_cell, &unit, im->err) : ERR_OK;
    if (rc) return refuse(im, row, C_UNIT, rc);
    if (!team)
        return refuse(im, row, C_TEAM, err_set(im->err, ERR_INVALID, "请填写志愿服务队的名称"));
    size_t ti;
    if ((rc = team_of(im, unit, team, &ti)))
        return refuse(im, row, strcmp(im->err->field, "unit") == 0 ? C_UNIT : C_TEAM, rc);
    int64_t person = 0;
    int c;
    rc = person_of(im, sheet_cell(s, cells, n, C_ID), sheet_cell(s, cells, n, C_NAME), &person, &c);
    if (rc) return refuse(im, row, c, rc);
    const struct vteam *t = &im->teams[ti];
    const char *key = t->id ? arena_printf(im->a, "%lld:%lld", (long long)t->id, (long long)person)
                            : arena_printf(im->a, "new%zu:%lld", ti, (long long)person);
    long twin = sheet_seen(&im->members, key, row);
    if (twin < 0) {
        im->existing++;
        return ERR_OK;
    }
    if (twin)
        return refuse(im, row, C_ID,
                      err_set(im->err, ERR_INVALID, "此人在“%s”中与第 %ld 行重复", t->name, twin));
    im->v = arena_grow(im->a, im->v, sizeof *im->v, im->n, im->n + 1, &im->cap);
    im->v[im->n++] = (struct vmember){.team = ti, .person = person, .line = row};
    return ERR_OK;
}

static int write_all(struct db *db, void *ctx, struct err *err)
{
    struct vol_import *im = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < im->nteams && !rc; i++) {
        struct vteam *t = &im->teams[i];
        if (t->id) continue;
        struct vol_team_row r = {
            .unit = t->unit, .name = t->name, .created_by = im->actor->name, .created_at = im->at};
        rc = store_vol_team_insert(db, &r, err);
        t->id = r.id;
    }
    for (size_t i = 0; i < im->n && !rc; i++) {
        struct vol_member_row m = {.team_id = im->teams[im->v[i].team].id,
                                   .person_id = im->v[i].person,
                                   .joined_on = im->today};
        rc = store_vol_member_add(db, &m, err);
        if (rc == ERR_CONFLICT) { /* joined since the file was checked */
            err_clear(err);
            (void)err_set(err, ERR_CONFLICT, "此人已在“%s”中", im->teams[im->v[i].team].name);
            people_row_refuse(im->errors, im->v[i].line, cols[C_ID].zh, err);
            rc = people_rows_refused(im->errors, err);
        }
    }
    return rc;
}

int volunteers_import(struct app *app, const struct auth_user *actor, const char *unit,
                      const char *data, size_t len, const char *name, const char *client,
                      struct people_row_errors *errors, struct vol_import_result *res,
                      struct err *err)
{
    *res = (struct vol_import_result){0};
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", unit);
    struct arena *a = arena_new();
    char at[32], today[11];
    auth_now_iso(at);
    clock_today(today, 0);
    struct people_row_errors unlisted = {.a = a};
    struct vol_import im = {.app = app,
                            .actor = actor,
                            .scope = unit,
                            .at = at,
                            .today = today,
                            .a = a,
                            .s = {.a = a,
                                  .cols = cols,
                                  .ncols = C_COUNT,
                                  .what = "志愿服务队名单",
                                  .needs = SHEET_NEED(C_TEAM) | SHEET_NEED(C_ID)},
                            .t = app_tree(app),
                            .errors = errors ? errors : &unlisted,
                            .err = err};
    sheet_seen_init(&im.members, a, 2 * (size_t)VOL_MEMBERS_MAX);
    int rc = load(&im);
    if (!rc) rc = table_read(data, len, name, read_row, &im, err);
    if (!rc && !im.s.header) rc = err_set(err, ERR_INVALID, "%s 是空的：请按导入模板填写", name);
    if (!rc) rc = people_rows_refused(im.errors, err);
    if (!rc && !im.n && !im.existing) rc = err_set(err, ERR_INVALID, "%s 中没有任何队员", name);
    tree_unref(im.t);
    size_t added = 0;
    for (size_t i = 0; i < im.nteams; i++)
        added += im.teams[i].id == 0;
    if (!rc && im.n) {
        json_t *o = json_pack("{s:s, s:I, s:I}", "file", name, "teams_added", (json_int_t)added,
                              "members_added", (json_int_t)im.n);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        struct audit_entry ae = {.user = actor->name,
                                 .action = "volunteer.import",
                                 .entity = "volunteer_team:import",
                                 .unit = unit,
                                 .after = arena_strdup(a, text ? text : "{}"),
                                 .client = client};
        free(text);
        rc = app_write_tx(app, &ae, NULL, write_all, &im, err);
    }
    if (!rc)
        *res = (struct vol_import_result){.rows = im.n + im.existing,
                                          .teams_added = added,
                                          .members_added = im.n,
                                          .members_existing = im.existing};
    arena_free(a);
    return rc;
}
