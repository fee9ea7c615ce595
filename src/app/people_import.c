/* people_import.c — rosters of persons with their party membership, read
 * from a ledger file and written all or nothing (people.h). De-duplicated
 * by the keyed hash of the ID number, within the file and against the
 * registry. */
#include "app/people_int.h"
#include "app/people_sheet_int.h"
#include "base/clock.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROSTER_ROWS_MAX 1000000

enum col {
    C_NAME,
    C_SEX,
    C_BIRTH,
    C_ETHNICITY,
    C_EDUCATION,
    C_ID,
    C_PHONE,
    C_UNIT,
    C_ORG,
    C_STAGE,
    C_FROM,
    C_COUNT
};
static const struct sheet_col cols[C_COUNT] = {
    {"name", "姓名", NULL},
    {"sex", "性别", NULL},
    {"birth_date", "出生日期", NULL},
    {"ethnicity", "民族", NULL},
    {"education", "学历", "文化程度"},
    {"id_number", "身份证号", "公民身份号码"},
    {"phone", "手机号", "联系电话"},
    {"unit", "单位代码", NULL},
    {"org", "党组织", "所在党支部"},
    {"stage", "发展阶段", "人员类别"},
    {"from", "起始日期", "入党时间"},
};

static const char *const example[C_COUNT] = {
    "张建国",      "男", "1975-12-31",   "汉族",     "高中",      "411121197512310018",
    "13812345678", "",   "某某村党支部", "正式党员", "2005-07-01"};
const struct sheet_form people_roster_form = {cols, example, C_COUNT};

struct reader {
    struct sheet s;
    const char *default_unit;
    struct person_import_row *rows;
    size_t n, cap;
    struct err *err;
};

static int row_fn(void *ctx, long row, struct table_cell *cells, int n)
{
    struct reader *r = ctx;
    if (!r->s.header) return sheet_header(&r->s, cells, n, row, r->err);
    if (sheet_blank(cells, n)) return 0;
    if (r->n >= ROSTER_ROWS_MAX)
        return err_set(r->err, ERR_TOO_LARGE, "花名册最多 %d 行", ROSTER_ROWS_MAX);
    r->rows = arena_grow(r->s.a, r->rows, sizeof *r->rows, r->n, r->n + 1, &r->cap);
    struct person_import_row *x = &r->rows[r->n++];
    memset(x, 0, sizeof *x);
    const struct sheet *s = &r->s;
    x->line = row;
    x->p.name = sheet_cell(s, cells, n, C_NAME);
    x->p.sex = sheet_cell(s, cells, n, C_SEX);
    x->p.birth_date = sheet_date(s->a, sheet_cell(s, cells, n, C_BIRTH));
    x->p.ethnicity = sheet_cell(s, cells, n, C_ETHNICITY);
    x->p.education = sheet_cell(s, cells, n, C_EDUCATION);
    x->p.id_number = sheet_cell(s, cells, n, C_ID);
    x->p.phone = sheet_cell(s, cells, n, C_PHONE);
    x->p.unit = sheet_cell(s, cells, n, C_UNIT);
    if (!x->p.unit) x->p.unit = r->default_unit;
    x->org = sheet_cell(s, cells, n, C_ORG);
    x->stage = sheet_cell(s, cells, n, C_STAGE);
    x->from = sheet_date(s->a, sheet_cell(s, cells, n, C_FROM));
    return 0;
}

int people_roster_read(struct app *app, struct arena *a, const char *data, size_t len,
                       const char *name, const char *default_unit, struct person_import_row **rows,
                       size_t *n, struct err *err)
{
    (void)app;
    struct reader r = {.s = {.a = a,
                             .cols = cols,
                             .ncols = C_COUNT,
                             .what = "花名册",
                             .needs = SHEET_NEED(C_NAME)},
                       .default_unit = default_unit,
                       .err = err};
    int rc = table_read(data, len, name, row_fn, &r, err);
    if (!rc && !r.s.header) rc = err_set(err, ERR_INVALID, "%s 是空的", name);
    if (!rc && !r.n) rc = err_set(err, ERR_INVALID, "%s 中没有任何人员", name);
    *rows = r.rows;
    *n = r.n;
    return rc;
}

/* ---- writing ---- */

/* The organisations in scope, sorted by name and by id once, so that a
 * roster of a million rows looks each one up in log time. */
struct org_index {
    struct org_row *v;
    size_t n, cap;
    const struct org_row **by_name, **by_id;
    struct arena *a;
};

static int keep_org(void *ctx, const struct org_row *o)
{
    struct org_index *x = ctx;
    x->v = arena_grow(x->a, x->v, sizeof *x->v, x->n, x->n + 1, &x->cap);
    x->v[x->n++] = *o;
    return 0;
}

static int org_name_cmp(const void *a, const void *b)
{
    const struct org_row *x = *(const struct org_row *const *)a;
    const struct org_row *y = *(const struct org_row *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int org_id_cmp(const void *a, const void *b)
{
    const struct org_row *x = *(const struct org_row *const *)a;
    const struct org_row *y = *(const struct org_row *const *)b;
    return (x->id > y->id) - (x->id < y->id);
}

static void org_index_sort(struct org_index *x)
{
    x->by_name = arena_alloc(x->a, (x->n + 1) * sizeof *x->by_name);
    x->by_id = arena_alloc(x->a, (x->n + 1) * sizeof *x->by_id);
    for (size_t i = 0; i < x->n; i++)
        x->by_name[i] = x->by_id[i] = &x->v[i];
    if (x->n > 1) {
        qsort(x->by_name, x->n, sizeof *x->by_name, org_name_cmp);
        qsort(x->by_id, x->n, sizeof *x->by_id, org_id_cmp);
    }
}

/* The first of `x->by_name` named `name`, or x->n. */
static size_t org_first_named(const struct org_index *x, const char *name)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(x->by_name[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->n && strcmp(x->by_name[lo]->name, name) == 0 ? lo : x->n;
}

/* The organisation named `name` (unique among those listed). */
static int find_org(const struct org_index *x, const char *name, const struct org_row **out,
                    struct err *err)
{
    *out = NULL;
    if (name[0] == '#') { /* "#12": by id, as the demo names them */
        struct org_row key = {.id = strtoll(name + 1, NULL, 10)};
        const struct org_row *k = &key, **hit = NULL;
        if (x->n) hit = bsearch(&k, x->by_id, x->n, sizeof *x->by_id, org_id_cmp);
        if (hit) *out = *hit;
        return *out ? ERR_OK
                    : err_set_field(err, ERR_INVALID, "org", "没有编号为 %s 的党组织", name + 1);
    }
    size_t i = org_first_named(x, name);
    if (i == x->n)
        return err_set_field(err, ERR_INVALID, "org", "没有名为“%s”的党组织（须先建立）", name);
    if (i + 1 < x->n && strcmp(x->by_name[i + 1]->name, name) == 0)
        return err_set_field(err, ERR_INVALID, "org", "有两个名为“%s”的党组织，请改名后再导入",
                             name);
    *out = x->by_name[i];
    return ERR_OK;
}

static const struct people_stage *stage_of(const struct people_kind *k, const char *s)
{
    for (size_t i = 0; s && i < k->nstages; i++)
        if (strcmp(k->stages[i].code, s) == 0 || strcmp(k->stages[i].name, s) == 0)
            return &k->stages[i];
    return NULL;
}

/* One checked row, ready to write. */
struct prepared {
    struct person_row p;
    const struct org_row *org;
    const struct people_stage *stage;
    int64_t dup_of; /* index+1 of an earlier row with the same ID number */
};

struct same_ms {
    const struct membership_row *m;
    bool found;
};

static int same_membership(void *ctx, const struct membership_row *o)
{
    struct same_ms *x = ctx;
    if (o->org_id == x->m->org_id && strcmp(o->stage, x->m->stage) == 0 &&
        strcmp(o->from_date, x->m->from_date) == 0)
        x->found = true;
    return 0;
}

static long line_of(const struct person_import_row *r, size_t i)
{
    return r->line ? r->line : (long)i + 1;
}

/* Wraps the error of a row with its line (one that stops the import). */
static int at_row(struct err *err, const struct person_import_row *r, size_t i, int rc)
{
    err_wrap(err, "第 %ld 行", line_of(r, i));
    err->line = line_of(r, i);
    return rc;
}

/* "入党申请人、…或正式党员": the kind's stages, as data/people.json names them. */
static const char *stage_names(struct arena *a, const struct people_kind *k)
{
    const char *s = "";
    for (size_t i = 0; i < k->nstages; i++)
        s = arena_printf(a, "%s%s%s", s,
                         !i                    ? ""
                         : i + 1 == k->nstages ? "或"
                                               : "、",
                         k->stages[i].name);
    return s;
}

/* Checks row i into x: rc a refusal (err->field naming the column). */
static int prepare_row(struct app *app, const struct auth_user *actor, const struct org_index *orgs,
                       const struct people_kind *k, const struct person_import_row *r,
                       struct arena *a, struct prepared *x, struct err *err)
{
    int rc = !r->p.name ? err_set_field(err, ERR_INVALID, "name", "请填写姓名")
                        : people_person_apply(app, actor, &r->p, a, &x->p, err);
    if (!rc && !x->p.unit)
        rc = err_set_field(err, ERR_INVALID, "unit", "请填写单位代码或指定导入到的单位");
    if (rc) return rc;
    if (r->org && r->org[0]) {
        if ((rc = find_org(orgs, r->org, &x->org, err))) return rc;
        if (!(x->stage = stage_of(k, r->stage)))
            return err_set_field(err, ERR_INVALID, "stage", "发展阶段须为%s", stage_names(a, k));
        if (!r->from || !person_date_ok(r->from))
            return err_set_field(err, ERR_INVALID, "from", "请填写起始日期，格式如 2020-07-01");
    } else if ((r->stage && r->stage[0]) || (r->from && r->from[0])) {
        return err_set_field(err, ERR_INVALID, "org", "填写了发展阶段或起始日期，须同时填写党组织");
    }
    return ERR_OK;
}

/* Checks every row; the refused ones go to errors. */
static int prepare(struct app *app, const struct auth_user *actor, const struct org_index *orgs,
                   const struct people_kind *k, const struct person_import_row *rows, size_t n,
                   struct arena *a, struct prepared *out, struct people_row_errors *errors,
                   struct err *err)
{
    char at[32];
    auth_now_iso(at);
    const char *created = arena_strdup(a, at);
    struct sheet_seen seen;
    sheet_seen_init(&seen, a, n);
    for (size_t i = 0; i < n; i++) {
        const struct person_import_row *r = &rows[i];
        struct prepared *x = &out[i];
        x->p = (struct person_row){.sex = "",
                                   .ethnicity = "",
                                   .education = "",
                                   .id_masked = "",
                                   .phone_masked = "",
                                   .created_by = actor->name,
                                   .created_at = created,
                                   .updated_at = created};
        int rc = prepare_row(app, actor, orgs, k, r, a, x, err);
        long twin = !rc && x->p.id_hash ? sheet_seen(&seen, x->p.id_hash, line_of(r, i)) : 0;
        if (twin)
            rc = err_set_field(err, ERR_INVALID, "id_number", "身份证号与第 %ld 行相同", twin);
        if (rc && !people_row_refusable(rc)) return at_row(err, r, i, rc);
        if (rc)
            people_row_refuse(errors, line_of(r, i), sheet_label(cols, C_COUNT, err->field), err);
    }
    return people_rows_refused(errors, err);
}

struct import_write {
    struct app *app;
    const struct people_kind *k;
    const struct person_import_row *rows;
    struct prepared *px;
    size_t n;
    struct people_import_result *res;
    struct people_row_errors *errors;
    struct arena *a;
};

/* A row refused while writing (a member in two organisations at once):
 * listed like the others; anything else stops the import. */
static int write_refused(struct import_write *w, size_t i, int rc, struct err *err)
{
    if (!people_row_refusable(rc)) return at_row(err, &w->rows[i], i, rc);
    people_row_refuse(w->errors, line_of(&w->rows[i], i), sheet_label(cols, C_COUNT, err->field),
                      err);
    return people_rows_refused(w->errors, err);
}

static int import_write(void *ctx, struct db *db, struct err *err)
{
    struct import_write *w = ctx;
    for (size_t i = 0; i < w->n; i++) {
        struct prepared *x = &w->px[i];
        int64_t old_id = 0;
        int rc = ERR_NOT_FOUND;
        if (x->p.id_hash) {
            struct err e2;
            err_clear(&e2);
            rc = store_person_id_by_hash(db, x->p.id_hash, &old_id, &e2);
            if (rc && rc != ERR_NOT_FOUND)
                return at_row(err, &w->rows[i], i, err_set(err, rc, "%s", e2.msg));
        }
        bool added = rc != ERR_OK;
        if (!added) {
            x->p.id = old_id;
            w->res->persons_existing++;
        } else {
            if ((rc = store_person_insert(db, &x->p, err))) return write_refused(w, i, rc, err);
            w->res->persons_added++;
        }
        if (!x->org) continue;
        struct membership_row m = {.person_id = x->p.id,
                                   .kind = w->k->code,
                                   .stage = x->stage->code,
                                   .unit = x->org->unit,
                                   .org_id = x->org->id,
                                   .from_date = w->rows[i].from,
                                   .created_by = x->p.created_by,
                                   .created_at = x->p.created_at};
        /* A person added just now has no memberships to match or overlap
         * (the file holds each ID number once): nothing to read first. */
        struct same_ms same = {&m, false};
        if (!added && (rc = store_memberships_of_person(db, w->a, x->p.id, w->k->code,
                                                        same_membership, &same, err)))
            return at_row(err, &w->rows[i], i, rc);
        if (same.found) {
            w->res->memberships_existing++;
            continue;
        }
        rc = added ? store_membership_insert(db, &m, err)
                   : people_membership_insert(db, w->k, &m, 0, w->a, err);
        if (rc) return write_refused(w, i, rc, err);
        w->res->memberships_added++;
    }
    return ERR_OK;
}

static const char *import_summary(void *ctx)
{
    const struct import_write *w = ctx;
    const struct people_import_result *r = w->res;
    return arena_printf(w->a,
                        "{\"rows\":%zu,\"persons_added\":%zu,\"persons_existing\":%zu,"
                        "\"memberships_added\":%zu}",
                        w->n, r->persons_added, r->persons_existing, r->memberships_added);
}

int people_import(struct app *app, const struct auth_user *actor, const char *scope,
                  const struct person_import_row *rows, size_t n, const char *client,
                  struct people_row_errors *errors, struct people_import_result *res,
                  struct err *err)
{
    memset(res, 0, sizeof *res);
    const struct people_kind *k = people_kind(app, "party_member");
    if (!k) return err_set(err, ERR_INTERNAL, "data/people.json has no party_member kind");
    if (!auth_in_scope(actor->scope, scope))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", scope);
    struct arena *a = arena_new();
    struct people_row_errors unlisted = {.a = a};
    if (!errors) errors = &unlisted;
    struct org_index orgs = {.a = a};
    struct db *db = store_acquire(app->store);
    int rc = store_orgs_list(db, a, scope, true, keep_org, &orgs, err);
    store_release(app->store, db);
    org_index_sort(&orgs);
    struct prepared *px = arena_zalloc(a, (n + 1) * sizeof *px);
    if (!rc) rc = prepare(app, actor, &orgs, k, rows, n, a, px, errors, err);
    if (rc) {
        arena_free(a);
        return rc;
    }
    struct import_write w = {app, k, rows, px, n, res, errors, a};
    rc = sheet_commit(app,
                      &(struct sheet_commit){.actor = actor,
                                             .scope = scope,
                                             .client = client,
                                             .action = "person.import",
                                             .entity = "persons",
                                             .bulk = true,
                                             .write = import_write,
                                             .summary = import_summary,
                                             .ctx = &w},
                      err);
    if (rc) memset(res, 0, sizeof *res);
    arena_free(a);
    return rc;
}
