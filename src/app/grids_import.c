/* grids_import.c — a sheet of grids in (grids.h), XLSX or CSV (UTF-8 or
 * GB18030), all or nothing: 村（社区） by name inside the import's unit,
 * 网格名称, and optionally the grid worker (网格员 and 网格员身份证号, a
 * registered person). Each row is checked as grids_create does, every
 * refused row is listed, then the grids and their workers' memberships are
 * written in one transaction with one audit record. Sizes are warned
 * about after, never refused. */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/grids.h"
#include "app/people_int.h"
#include "app/people_sheet_int.h"
#include "base/clock.h"
#include "core/pii.h"
#include "core/seal.h"
#include "core/tree.h"
#include "core/unit.h"
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define GRID_ROWS_MAX 20000
#define GRID_WORKER   "grid_worker"

enum { G_VILLAGE, G_NAME, G_WORKER, G_ID, G_COUNT };
static const struct sheet_col cols[G_COUNT] = {
    {"village", "村（社区）", "村(社区)"},
    {"name", "网格名称", NULL},
    {"worker", "网格员", NULL},
    {"id_number", "网格员身份证号", "身份证号"},
};

static const char *const example[G_COUNT] = {"幸福村", "第一网格", "赵小红", "411121197512310018"};
const struct sheet_form grids_import_form = {cols, example, G_COUNT};

struct grid_row {
    char code[16];
    const char *name;
    int64_t worker; /* 0: none */
};

struct grids_import {
    struct sheet_run run; /* first: row() gets the import as its ctx */
    struct sheet_seen names, codes;
    struct grid_row *v;
    size_t n, cap, workers;
    struct arena *out; /* the warnings' */
    struct grids_import_result *res;
};

/* A name already under the village in the tree. */
static bool name_taken(const struct tree *t, uint32_t v, const char *name)
{
    for (uint32_t c = tree_first_child(t, v); c != TREE_NONE; c = tree_next_sibling(t, c))
        if (!(tree_node(t, c)->flags & TREE_RETIRED) && strcmp(tree_name(t, c), name) == 0)
            return true;
    return false;
}

/* The worker named and numbered in the row: registered, in the actor's
 * scope, the name the registry has. The number is never in a message. */
static int worker_of(struct grids_import *im, const char *name, const char *id, int64_t *out)
{
    if (!name || !id)
        return err_set_field(im->run.err, ERR_INVALID, name ? "id_number" : "worker",
                             "安排网格员须同时写明姓名和身份证号");
    char norm[PII_IDCARD_LEN + 1], hash[SEAL_HASH_HEX];
    int rc = pii_idcard_normalize(id, strlen(id), norm, im->run.err);
    if (rc) return err_set_field(im->run.err, ERR_INVALID, "id_number", "网格员身份证号格式不对");
    seal_lookup_hash(&im->run.app->seal, norm, strlen(norm), hash);
    struct person_row p;
    rc = store_person_by_hash(im->run.db, im->run.a, hash, &p, im->run.err);
    if (rc == ERR_NOT_FOUND)
        return err_set_field(im->run.err, ERR_INVALID, "id_number",
                             "人员库中没有这个身份证号的人员，请先登记%s", name);
    if (rc) return rc;
    if (strcmp(p.name, name) != 0)
        return err_set_field(im->run.err, ERR_INVALID, "worker",
                             "网格员姓名与身份证号登记的姓名不符");
    if (!auth_in_scope(im->run.actor->scope, p.unit))
        return err_set_field(im->run.err, ERR_FORBIDDEN, "worker", "%s不在您的管辖范围内", name);
    *out = p.id;
    return ERR_OK;
}

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct grids_import *im = ctx;
    struct sheet *s = &im->run.s;
    if (!s->header) return sheet_header(s, cells, n, row, im->run.err);
    if (sheet_blank(cells, n)) return 0;
    if (im->n >= GRID_ROWS_MAX)
        return err_set(im->run.err, ERR_TOO_LARGE, "网格表最多 %d 行，请分成几个文件",
                       GRID_ROWS_MAX);
    const char *village = sheet_cell(s, cells, n, G_VILLAGE), *code = NULL;
    struct grid_row r = {.name = sheet_cell(s, cells, n, G_NAME)};
    uint32_t v = TREE_NONE;
    int rc = village ? sheet_unit(im->run.a, im->run.t, im->run.scope, village, &code, im->run.err)
                     : err_set(im->run.err, ERR_INVALID, "请填写网格所在的村（社区）");
    if (rc) return sheet_refuse(&im->run, row, G_VILLAGE, rc);
    rc = grids_create_check(im->run.t, im->run.actor, code, r.name, &v, im->run.err);
    if (rc)
        return sheet_refuse(&im->run, row,
                            strcmp(im->run.err->field, "name") == 0 ? G_NAME : G_VILLAGE, rc);
    long twin = sheet_seen(&im->names, arena_printf(im->run.a, "%s\x1f%s", code, r.name), row);
    if (twin || name_taken(im->run.t, v, r.name))
        return sheet_refuse(
            &im->run, row, G_NAME,
            twin ? err_set(im->run.err, ERR_CONFLICT, "%s已有网格“%s”（第 %ld 行）", village,
                           r.name, twin)
                 : err_set(im->run.err, ERR_CONFLICT, "%s已有名为“%s”的网格", village, r.name));
    const char *worker = sheet_cell(s, cells, n, G_WORKER), *id = sheet_cell(s, cells, n, G_ID);
    if (worker || id) {
        rc = worker_of(im, worker, id, &r.worker);
        if (rc)
            return sheet_refuse(&im->run, row,
                                strcmp(im->run.err->field, "id_number") == 0 ? G_ID : G_WORKER, rc);
    }
    int k = 1;
    do
        rc = grids_next_code(im->run.t, v, &k, r.code, im->run.err);
    while (!rc && sheet_seen(&im->codes, arena_strdup(im->run.a, r.code), row));
    if (rc) return sheet_refuse(&im->run, row, G_VILLAGE, rc);
    im->v = arena_grow(im->run.a, im->v, sizeof *im->v, im->n, im->n + 1, &im->cap);
    im->v[im->n++] = r;
    im->workers += r.worker != 0;
    return ERR_OK;
}

static int write_all(struct grids_import *im, struct db *db, struct err *err)
{
    const struct people_kind *k = people_kind(im->run.app, GRID_WORKER);
    if (!k) return err_set(err, ERR_INTERNAL, "data/people.json 没有 %s 身份", GRID_WORKER);
    char at[32], day[11];
    auth_now_iso(at);
    clock_today(day, 0);
    int rc = ERR_OK;
    for (size_t i = 0; i < im->n && !rc; i++) {
        rc = grids_insert_unit(db, im->v[i].code, im->v[i].name, err);
        if (rc || !im->v[i].worker) continue;
        struct membership_row m = {.person_id = im->v[i].worker,
                                   .kind = k->code,
                                   .stage = "",
                                   .unit = im->v[i].code,
                                   .from_date = day,
                                   .created_by = im->run.actor->name,
                                   .created_at = at};
        rc = people_membership_insert(db, k, &m, 0, im->run.a, err);
    }
    return rc;
}

/* The size warnings of the new grids (they start empty: 户数 0 …). */
static int warnings(struct grids_import *im, struct arena *a, struct grids_import_result *res,
                    struct err *err)
{
    struct grid_info *g;
    size_t n;
    long unplaced;
    int rc = grids_list(im->run.app, a, im->run.scope, &g, &n, &unplaced, err);
    res->warnings = rc ? NULL : arena_alloc(a, (im->n + 1) * sizeof *res->warnings);
    for (size_t i = 0; !rc && i < n; i++) {
        bool mine = false;
        for (size_t j = 0; j < im->n && !mine; j++)
            mine = strcmp(im->v[j].code, g[i].code) == 0;
        if (mine && g[i].warning)
            res->warnings[res->nwarnings++] = arena_printf(a, "%s：%s", g[i].name, g[i].warning);
    }
    return rc;
}

static int load(struct sheet_run *r)
{
    struct grids_import *im = (struct grids_import *)r;
    sheet_seen_init(&im->names, r->a, GRID_ROWS_MAX);
    sheet_seen_init(&im->codes, r->a, GRID_ROWS_MAX);
    return ERR_OK;
}

/* The grids are units: the tree is reloaded once they are written. */
static int commit(struct sheet_run *r)
{
    struct grids_import *im = (struct grids_import *)r;
    struct err *err = r->err;
    json_t *o = json_pack("{s:s, s:I, s:I}", "file", r->name, "grids", (json_int_t)im->n, "workers",
                          (json_int_t)im->workers);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    struct audit_entry ae = sheet_audit(r, "grid.import", "grids:import", im->n);
    ae.after = arena_strdup(r->a, text ? text : "{}");
    free(text);
    json_decref(o);
    struct db *db = store_acquire(r->app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = write_all(im, db, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT PEOPLE_MEMBERSHIPS_CHANGED, err);
    rc = grids_write_end(r->app, db, rc, err);
    if (!rc) analytics_invalidate(r->app, PEOPLE_MEMBERSHIPS_CHANGED);
    if (!rc) rc = app_tree_reload(r->app, err);
    if (!rc) {
        im->res->grids = im->n;
        im->res->workers = im->workers;
        rc = warnings(im, im->out, im->res, err);
    }
    return rc;
}

int grids_import(struct app *app, const struct auth_user *actor, const char *scope,
                 const char *data, size_t len, const char *name, const char *client,
                 struct arena *out, struct people_row_errors *errors,
                 struct grids_import_result *res, struct err *err)
{
    *res = (struct grids_import_result){0};
    struct grids_import im = {.run = {.app = app,
                                      .actor = actor,
                                      .scope = scope,
                                      .client = client,
                                      .reads = true,
                                      .s = {.cols = cols,
                                            .ncols = G_COUNT,
                                            .what = "网格表",
                                            .needs = SHEET_NEED(G_VILLAGE) | SHEET_NEED(G_NAME)},
                                      .none = "网格",
                                      .kept = &im.n,
                                      .load = load,
                                      .row = read_row,
                                      .commit = commit},
                              .out = out,
                              .res = res};
    return sheet_run(&im.run, data, len, name, errors, err);
}
