/* health_contracts_import.c — a sheet of 家庭医生签约 in (health.h), XLSX
 * or CSV (UTF-8 or GB18030), all or nothing: columns 姓名, 身份证号,
 * 签约团队, 开始日期, 结束日期 and 服务包. The resident must be registered
 * (found by the keyed hash of the ID number, as the people imports find
 * one) and inside the import's unit; the team is found by its name; each
 * row is then checked as a per-person signing is (health_int.h: dates,
 * package, the one-at-a-time rule against the registry) and against the
 * file's other rows of the same resident. Every refused row is listed;
 * the rows are written by health_contracts_write, one transaction. */
#include "app/health_int.h"
#include "app/people_sheet_int.h"
#include "core/pii.h"
#include "core/tree.h"
#include "store/store.h"

#include <string.h>

#define CONTRACT_ROWS_MAX 200000
#define TEAM_LEVELS       2

enum { C_NAME, C_ID, C_TEAM, C_START, C_END, C_PACKAGE, C_COUNT };
static const struct sheet_col cols[C_COUNT] = {
    {"name", "姓名", NULL},         {"person", "身份证号", "公民身份号码"},
    {"team", "签约团队", "团队"},   {"start_date", "开始日期", "签约日期"},
    {"end_date", "结束日期", NULL}, {"package", "服务包", NULL},
};

static const char *const example[C_COUNT] = {
    "张建国",     "411121197512310018", "郝庄村家庭医生团队",
    "2025-01-01", "2026-01-01",         "基础包（免费）"};
const struct sheet_form health_contracts_form = {cols, example, C_COUNT};

struct contracts_import {
    struct sheet_run run; /* first: row() gets the import as its ctx */
    const char *at;
    struct health_team_row *teams;
    size_t nteams, teamcap;
    int64_t known_team;
    const char *above; /* while reading an ancestor's teams */
    struct health_contract_row *v;
    long *lines;
    size_t *same; /* index + 1 of the resident's next row, 0 none */
    size_t n, cap, linecap, samecap;
};

static int keep_team(void *ctx, const struct health_team_row *t)
{
    struct contracts_import *im = ctx;
    /* from an ancestor's subtree: only the ancestor's own teams */
    if (im->above && strcmp(t->unit, im->above) != 0) return 0;
    im->teams = arena_grow(im->run.a, im->teams, sizeof *im->teams, im->nteams, im->nteams + 1,
                           &im->teamcap);
    im->teams[im->nteams++] = *t;
    return 0;
}

/* The teams the rows may name: the actor's, and those of the units up to
 * TEAM_LEVELS above the import's unit (a township's team serves its
 * villages) outside the actor's scope. */
static int teams_of(struct contracts_import *im)
{
    int rc =
        store_health_teams(im->run.db, im->run.a, im->run.actor->scope, keep_team, im, im->run.err);
    struct tree *t = app_tree(im->run.app);
    uint32_t path[16];
    uint32_t i = tree_find(t, im->run.scope, strlen(im->run.scope));
    size_t depth = i == TREE_NONE ? 0 : tree_path(t, i, path, 16);
    for (size_t k = depth > TEAM_LEVELS + 1 ? depth - TEAM_LEVELS - 1 : 0; !rc && k + 1 < depth;
         k++) {
        const char *code = tree_node(t, path[k])->code;
        if (auth_in_scope(im->run.actor->scope, code)) continue;
        im->above = arena_strdup(im->run.a, code);
        rc = store_health_teams(im->run.db, im->run.a, code, keep_team, im, im->run.err);
    }
    im->above = NULL;
    tree_unref(t);
    return rc;
}

/* A team by its name among the actor's; of two with one name, the one
 * above or inside the import's unit. */
static int team_named(struct contracts_import *im, const char *name, int64_t *id)
{
    size_t found = 0, near = 0;
    int64_t first = 0, nearest = 0;
    for (size_t i = 0; i < im->nteams; i++) {
        const struct health_team_row *t = &im->teams[i];
        if (strcmp(t->name, name) != 0) continue;
        if (!found++) first = t->id;
        if ((auth_in_scope(t->unit, im->run.scope) || auth_in_scope(im->run.scope, t->unit)) &&
            !near++)
            nearest = t->id;
    }
    if (!found)
        return err_set_field(im->run.err, ERR_INVALID, "team",
                             "没有名为“%s”的家庭医生团队，请先在“团队与机构”中建立", name);
    if (found > 1 && near != 1)
        return err_set_field(im->run.err, ERR_INVALID, "team",
                             "有 %zu 个团队名为“%s”，请先把团队改为不同的名称", found, name);
    *id = found == 1 ? first : nearest;
    return ERR_OK;
}

/* A package by its name (基础服务包) or code; NULL when none is given. */
static int package_of(struct contracts_import *im, const char *s, const char **code)
{
    const struct health_defs *h = im->run.app->health;
    *code = NULL;
    if (!s) return ERR_OK;
    for (size_t i = 0; i < h->npackages; i++)
        if (strcmp(h->packages[i].name, s) == 0 || strcmp(h->packages[i].code, s) == 0) {
            *code = h->packages[i].code;
            return ERR_OK;
        }
    return err_set_field(im->run.err, ERR_INVALID, "package", "没有“%s”这一服务包", s);
}

/* The registered resident of the row, inside the import's unit. */
static int resident_of(struct contracts_import *im, const char *name, const char *number,
                       struct person_row *p)
{
    char norm[PII_IDCARD_LEN + 1], hash[SEAL_HASH_HEX];
    if (!number) return err_set_field(im->run.err, ERR_INVALID, "person", "请填写居民的身份证号");
    int rc = pii_idcard_normalize(number, strlen(number), norm, im->run.err);
    if (rc) {
        im->run.err->field[0] = 0;
        return err_set_field(im->run.err, rc, "person", "身份证号不符合 GB 11643 校验规则");
    }
    seal_lookup_hash(&im->run.app->seal, norm, strlen(norm), hash);
    rc = store_person_by_hash(im->run.db, im->run.a, hash, p, im->run.err);
    if (rc == ERR_NOT_FOUND || (!rc && (!auth_in_scope(im->run.scope, p->unit) ||
                                        !auth_in_scope(im->run.actor->scope, p->unit))))
        return err_set_field(
            im->run.err, ERR_INVALID, "person",
            "导入的单位中没有登记这个身份证号的居民：请先用花名册或住户表导入该居民");
    if (rc) return rc;
    if (!name) return err_set_field(im->run.err, ERR_INVALID, "name", "请填写居民姓名");
    if (strcmp(name, p->name) != 0)
        return err_set_field(im->run.err, ERR_INVALID, "name",
                             "姓名与该身份证号登记的姓名不符，请核对");
    return ERR_OK;
}

static bool overlap(const struct health_contract_row *x, const struct health_contract_row *y)
{
    return strcmp(x->start_date, y->end_date) < 0 && strcmp(y->start_date, x->end_date) < 0;
}

/* Another row of the file for the same resident overlapping c: its line. */
static long file_overlap(struct contracts_import *im, const struct health_contract_row *c)
{
    size_t first = (size_t)sheet_seen(
        &im->run.seen, arena_printf(im->run.a, "%lld", (long long)c->person_id), (long)im->n + 1);
    if (!first) return 0;
    size_t i = first - 1;
    for (;;) {
        if (overlap(&im->v[i], c)) return im->lines[i];
        if (!im->same[i]) break;
        i = im->same[i] - 1;
    }
    im->same[i] = im->n + 1; /* the last check: the row is accepted */
    return 0;
}

static int column_of(const char *field)
{
    for (int c = 0; c < C_COUNT; c++)
        if (strcmp(cols[c].api, field) == 0) return c;
    return -1;
}

static int check_row(struct contracts_import *im, struct table_cell *cells, int n,
                     struct health_contract_row *out)
{
    const struct sheet *s = &im->run.s;
    struct person_row p = {0};
    const char *team = sheet_cell(s, cells, n, C_TEAM);
    struct health_contract_in in = {
        .start_date = sheet_date(im->run.a, sheet_cell(s, cells, n, C_START)),
        .end_date = sheet_date(im->run.a, sheet_cell(s, cells, n, C_END))};
    int rc = resident_of(im, sheet_cell(s, cells, n, C_NAME), sheet_cell(s, cells, n, C_ID), &p);
    if (!rc && !team) rc = err_set_field(im->run.err, ERR_INVALID, "team", "请填写签约团队的名称");
    if (!rc) rc = team_named(im, team, &in.team_id);
    if (!rc) rc = package_of(im, sheet_cell(s, cells, n, C_PACKAGE), &in.package);
    in.person_id = p.id;
    if (!rc)
        rc = health_contract_prepare(im->run.app, im->run.db, im->run.a, im->run.actor, &in, im->at,
                                     &im->known_team, out, im->run.err);
    if (!rc) rc = health_contract_free(im->run.db, im->run.a, out, im->run.err);
    long twin = rc ? 0 : file_overlap(im, out);
    if (twin)
        rc = err_set_field(im->run.err, ERR_CONFLICT, "start_date",
                           "同一居民同一时间只能有一份家庭医生签约：与第 %ld 行的签约期重叠", twin);
    return rc;
}

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct contracts_import *im = ctx;
    struct sheet *s = &im->run.s;
    if (!s->header) return sheet_header(s, cells, n, row, im->run.err);
    if (sheet_blank(cells, n)) return 0;
    if (im->n >= CONTRACT_ROWS_MAX)
        return err_set(im->run.err, ERR_TOO_LARGE, "签约表最多 %d 行，请分成几个文件",
                       CONTRACT_ROWS_MAX);
    struct health_contract_row c = {0};
    int rc = check_row(im, cells, n, &c);
    if (rc) {
        if (!people_row_refusable(rc)) return rc;
        int col = column_of(im->run.err->field);
        people_row_refuse(im->run.errors, row, col >= 0 ? cols[col].zh : "", im->run.err);
        return 0;
    }
    im->v = arena_grow(im->run.a, im->v, sizeof *im->v, im->n, im->n + 1, &im->cap);
    im->lines = arena_grow(im->run.a, im->lines, sizeof *im->lines, im->n, im->n + 1, &im->linecap);
    im->same = arena_grow(im->run.a, im->same, sizeof *im->same, im->n, im->n + 1, &im->samecap);
    im->v[im->n] = c;
    im->lines[im->n] = row;
    im->same[im->n] = 0;
    im->n++;
    return 0;
}

static int load(struct sheet_run *r)
{
    return teams_of((struct contracts_import *)r);
}

static int commit(struct sheet_run *r)
{
    struct contracts_import *im = (struct contracts_import *)r;
    return health_contracts_write(r->app, r->actor, r->a, im->v, im->lines, im->n, r->scope,
                                  r->name, r->client, r->err);
}

int health_contracts_sheet_import(struct app *app, const struct auth_user *actor, const char *scope,
                                  const char *data, size_t len, const char *name,
                                  const char *client, struct people_row_errors *errors,
                                  size_t *rows, struct err *err)
{
    char at[32];
    auth_now_iso(at);
    struct contracts_import im = {.run = {.app = app,
                                          .actor = actor,
                                          .scope = scope,
                                          .client = client,
                                          .reads = true,
                                          .s = {.cols = cols,
                                                .ncols = C_COUNT,
                                                .what = "签约表",
                                                .needs = SHEET_NEED(C_NAME) | SHEET_NEED(C_ID) |
                                                         SHEET_NEED(C_TEAM) | SHEET_NEED(C_START)},
                                          .none = "签约",
                                          .kept = &im.n,
                                          .seen_rows = CONTRACT_ROWS_MAX,
                                          .load = load,
                                          .row = read_row,
                                          .commit = commit},
                                  .at = at};
    int rc = sheet_run(&im.run, data, len, name, errors, err);
    *rows = rc ? 0 : im.n;
    return rc;
}
