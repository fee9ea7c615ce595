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
    struct sheet_run run; /* first: row() gets the import as its ctx */
    const char *at, *today;
    struct vol_team_row *have; /* the teams inside scope */
    size_t nhave;
    struct sheet_seen members; /* "team id:person" already joined, and the file's pairs */
    struct vteam *teams;
    size_t nteams, tcap;
    struct vmember *v;
    size_t n, cap, existing;
    size_t added; /* teams created */
};

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
               arena_printf(im->run.a, "%lld:%lld", (long long)m->team_id, (long long)m->person_id),
               -1);
    return 0;
}

/* The teams and memberships already inside scope. */
static int load(struct sheet_run *r)
{
    struct vol_import *im = (struct vol_import *)r;
    sheet_seen_init(&im->members, r->a, 2 * (size_t)VOL_MEMBERS_MAX);
    im->have = arena_zalloc(r->a, VOL_LIST_MAX * sizeof *im->have);
    int rc = store_vol_teams(r->db, r->a, r->scope, VOL_LIST_MAX, keep_team, im, r->err);
    if (rc == 1) rc = ERR_OK;
    if (!rc)
        rc = store_vol_members(r->db, r->a, r->scope, VOL_MEMBERS_MAX, keep_member, im, r->err);
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
    int rc =
        t.id ? ERR_OK : volunteers_team_check(im->run.app, im->run.actor, unit, name, im->run.err);
    if (rc) return rc;
    im->teams =
        arena_grow(im->run.a, im->teams, sizeof *im->teams, im->nteams, im->nteams + 1, &im->tcap);
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
    if (!number)
        return err_set(im->run.err, ERR_INVALID, "请填写队员的身份证号（人员库据此找到此人）");
    int rc = sheet_person_by_id_number(im->run.app, number, id, im->run.err);
    if (!rc)
        rc = volunteers_reach(im->run.app, im->run.actor, im->run.a, *id, "person", im->run.err);
    if (rc == ERR_INVALID && strcmp(im->run.err->field, "person") == 0) { /* a name, not an id */
        err_clear(im->run.err);
        rc = err_set(im->run.err, ERR_INVALID,
                     "此身份证号的人员不在您的管辖范围内，不能由您加入志愿服务队");
    }
    if (rc || !name) return rc;
    struct person_row p;
    struct db *db = store_acquire(im->run.app->store);
    rc = store_person_get(db, im->run.a, *id, &p, im->run.err);
    store_release(im->run.app->store, db);
    if (!rc && strcmp(p.name, name) != 0)
        rc = (*c = C_NAME,
              err_set(im->run.err, ERR_INVALID,
                      "人员库中此身份证号的人员名为“%s”，不是“%s”，请核对", p.name, name));
    return rc;
}

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct vol_import *im = ctx;
    struct sheet *s = &im->run.s;
    if (!s->header) return sheet_header(s, cells, n, row, im->run.err);
    if (sheet_blank(cells, n)) return 0;
    if (im->n >= VOL_ROWS_MAX)
        return err_set(im->run.err, ERR_TOO_LARGE, "志愿服务队名单最多 %d 行，请分成几个文件",
                       VOL_ROWS_MAX);
    const char *team = sheet_cell(s, cells, n, C_TEAM),
               *unit_cell = sheet_cell(s, cells, n, C_UNIT);
    const char *unit = im->run.scope;
    int rc = unit_cell
                 ? sheet_unit(im->run.a, im->run.t, im->run.scope, unit_cell, &unit, im->run.err)
                 : ERR_OK;
    if (rc) return sheet_refuse(&im->run, row, C_UNIT, rc);
    if (!team)
        return sheet_refuse(&im->run, row, C_TEAM,
                            err_set(im->run.err, ERR_INVALID, "请填写志愿服务队的名称"));
    size_t ti;
    if ((rc = team_of(im, unit, team, &ti)))
        return sheet_refuse(&im->run, row,
                            strcmp(im->run.err->field, "unit") == 0 ? C_UNIT : C_TEAM, rc);
    int64_t person = 0;
    int c;
    rc = person_of(im, sheet_cell(s, cells, n, C_ID), sheet_cell(s, cells, n, C_NAME), &person, &c);
    if (rc) return sheet_refuse(&im->run, row, c, rc);
    const struct vteam *t = &im->teams[ti];
    const char *key =
        t->id ? arena_printf(im->run.a, "%lld:%lld", (long long)t->id, (long long)person)
              : arena_printf(im->run.a, "new%zu:%lld", ti, (long long)person);
    long twin = sheet_seen(&im->members, key, row);
    if (twin < 0) {
        im->existing++;
        return ERR_OK;
    }
    if (twin)
        return sheet_refuse(
            &im->run, row, C_ID,
            err_set(im->run.err, ERR_INVALID, "此人在“%s”中与第 %ld 行重复", t->name, twin));
    im->v = arena_grow(im->run.a, im->v, sizeof *im->v, im->n, im->n + 1, &im->cap);
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
        struct vol_team_row r = {.unit = t->unit,
                                 .name = t->name,
                                 .created_by = im->run.actor->name,
                                 .created_at = im->at};
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
            people_row_refuse(im->run.errors, im->v[i].line, cols[C_ID].zh, err);
            rc = people_rows_refused(im->run.errors, err);
        }
    }
    return rc;
}

/* A file of members already in their teams writes nothing. */
static int commit(struct sheet_run *r)
{
    struct vol_import *im = (struct vol_import *)r;
    if (!im->n && !im->existing) return err_set(r->err, ERR_INVALID, "%s 中没有任何队员", r->name);
    for (size_t i = 0; i < im->nteams; i++)
        im->added += im->teams[i].id == 0;
    if (!im->n) return ERR_OK;
    json_t *o = json_pack("{s:s, s:I, s:I}", "file", r->name, "teams_added", (json_int_t)im->added,
                          "members_added", (json_int_t)im->n);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    struct audit_entry ae = sheet_audit(r, "volunteer.import", "volunteer_team:import", im->n);
    ae.after = arena_strdup(r->a, text ? text : "{}");
    free(text);
    return app_write_tx(r->app, &ae, NULL, write_all, im, r->err);
}

int volunteers_import(struct app *app, const struct auth_user *actor, const char *unit,
                      const char *data, size_t len, const char *name, const char *client,
                      struct people_row_errors *errors, struct vol_import_result *res,
                      struct err *err)
{
    *res = (struct vol_import_result){0};
    char at[32], today[11];
    auth_now_iso(at);
    clock_today(today, 0);
    struct vol_import im = {.run = {.app = app,
                                    .actor = actor,
                                    .scope = unit,
                                    .client = client,
                                    .reads = true,
                                    .s = {.cols = cols,
                                          .ncols = C_COUNT,
                                          .what = "志愿服务队名单",
                                          .needs = SHEET_NEED(C_TEAM) | SHEET_NEED(C_ID)},
                                    .load = load,
                                    .row = read_row,
                                    .commit = commit},
                            .at = at,
                            .today = today};
    int rc = sheet_run(&im.run, data, len, name, errors, err);
    if (rc) return rc;
    *res = (struct vol_import_result){.rows = im.n + im.existing,
                                      .teams_added = im.added,
                                      .members_added = im.n,
                                      .members_existing = im.existing};
    return ERR_OK;
}
