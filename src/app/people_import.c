/* people_import.c — rosters of persons with their party membership, read
 * from a ledger file and written all or nothing (people.h). De-duplicated
 * by the keyed hash of the ID number, within the file and against the
 * registry. */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/people_int.h"
#include "base/clock.h"
#include "base/mem.h"
#include "io/table.h"

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
static const struct {
    const char *api, *zh, *zh2;
} cols[C_COUNT] = {
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

struct reader {
    struct arena *a;
    const char *default_unit;
    int at[C_COUNT]; /* column index per field, -1 absent */
    struct person_import_row *rows;
    size_t n, cap;
    struct err *err;
};

static const char *cell(struct reader *r, struct table_cell *cells, int n, int c)
{
    int i = r->at[c];
    if (i < 0 || i >= n) return NULL;
    struct table_cell x = cells[i];
    table_cell_trim(&x);
    return x.len ? arena_strndup(r->a, x.p, x.len) : NULL;
}

/* "2020-07-01", "2020/7/1", "2020.7.1" or an Excel day number → YYYY-MM-DD. */
static const char *date_of(struct arena *a, const char *s)
{
    if (!s) return NULL;
    char *end;
    long serial = strtol(s, &end, 10);
    if (!*end && serial > 0 && serial < 80000) { /* Excel: day 25569 is 1970-01-01 */
        int32_t day = (int32_t)(serial - 25569);
        char out[11];
        tree_day_format(day, out);
        return arena_strdup(a, out);
    }
    /* 2026-3-5, 2026/03/05 or 2026.3.5: one separator twice */
    char *p1, *p2, *p3;
    long y = strtol(s, &p1, 10);
    if (p1 == s || !*p1 || !strchr("-/.", *p1)) return s;
    long m = strtol(p1 + 1, &p2, 10);
    if (p2 == p1 + 1 || *p2 != *p1) return s;
    long d = strtol(p2 + 1, &p3, 10);
    if (p3 != p2 + 1 && !*p3 && y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
        return arena_printf(a, "%04ld-%02ld-%02ld", y, m, d);
    return s; /* left for the checks to refuse */
}

static int header(struct reader *r, struct table_cell *cells, int n)
{
    for (int c = 0; c < C_COUNT; c++)
        r->at[c] = -1;
    for (int i = 0; i < n; i++) {
        struct table_cell x = cells[i];
        table_cell_trim(&x);
        bool known = x.len == 0;
        for (int c = 0; c < C_COUNT && !known; c++) {
            bool is = (strlen(cols[c].api) == x.len && memcmp(cols[c].api, x.p, x.len) == 0) ||
                      (strlen(cols[c].zh) == x.len && memcmp(cols[c].zh, x.p, x.len) == 0) ||
                      (cols[c].zh2 && strlen(cols[c].zh2) == x.len &&
                       memcmp(cols[c].zh2, x.p, x.len) == 0);
            if (!is) continue;
            if (r->at[c] >= 0) {
                err_setf(r->err, ERR_INVALID, NULL, "表头“%s”出现了两次", cols[c].zh);
                r->err->column = i + 1;
                return ERR_INVALID;
            }
            r->at[c] = i;
            known = true;
        }
        if (!known) {
            err_setf(r->err, ERR_INVALID, NULL,
                     "表头第 %d "
                     "列“%.*"
                     "s”不是花名册的列（姓名、性别、出生日期、民族、学历、身份证号、手机号、单位代"
                     "码、党组织、发展阶段、起始日期）",
                     i + 1, (int)(x.len > 60 ? 60 : x.len), x.p);
            r->err->column = i + 1;
            return ERR_INVALID;
        }
    }
    if (r->at[C_NAME] < 0) return err_set(r->err, ERR_INVALID, "花名册须有“姓名”一列");
    return ERR_OK;
}

static int row_fn(void *ctx, long row, struct table_cell *cells, int n)
{
    struct reader *r = ctx;
    if (r->n == 0 && r->at[C_NAME] == -2) {
        int rc = header(r, cells, n);
        if (rc) r->err->line = row;
        return rc;
    }
    if (r->n >= ROSTER_ROWS_MAX)
        return err_set(r->err, ERR_TOO_LARGE, "花名册最多 %d 行", ROSTER_ROWS_MAX);
    r->rows = arena_grow(r->a, r->rows, sizeof *r->rows, r->n, r->n + 1, &r->cap);
    struct person_import_row *x = &r->rows[r->n++];
    memset(x, 0, sizeof *x);
    x->line = row;
    x->p.name = cell(r, cells, n, C_NAME);
    x->p.sex = cell(r, cells, n, C_SEX);
    x->p.birth_date = date_of(r->a, cell(r, cells, n, C_BIRTH));
    x->p.ethnicity = cell(r, cells, n, C_ETHNICITY);
    x->p.education = cell(r, cells, n, C_EDUCATION);
    x->p.id_number = cell(r, cells, n, C_ID);
    x->p.phone = cell(r, cells, n, C_PHONE);
    x->p.unit = cell(r, cells, n, C_UNIT);
    if (!x->p.unit) x->p.unit = r->default_unit;
    x->org = cell(r, cells, n, C_ORG);
    x->stage = cell(r, cells, n, C_STAGE);
    x->from = date_of(r->a, cell(r, cells, n, C_FROM));
    return 0;
}

int people_roster_read(struct app *app, struct arena *a, const char *data, size_t len,
                       const char *name, const char *default_unit, struct person_import_row **rows,
                       size_t *n, struct err *err)
{
    (void)app;
    struct reader r = {.a = a, .default_unit = default_unit, .err = err};
    r.at[C_NAME] = -2; /* the header comes first */
    int rc = table_read(data, len, name, row_fn, &r, err);
    if (!rc && r.at[C_NAME] == -2) rc = err_set(err, ERR_INVALID, "%s 是空的", name);
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

/* The rows seen so far by ID hash: open addressing over the hash's first
 * 16 hex digits (a keyed hash, so evenly spread), slots hold index + 1. */
struct seen {
    size_t *slot;
    size_t mask;
};

static void seen_init(struct seen *s, struct arena *a, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap <<= 1;
    s->slot = arena_zalloc(a, cap * sizeof *s->slot);
    s->mask = cap - 1;
}

/* Records row i under its hash; returns the earlier row with the same hash
 * (index + 1), or 0. */
static size_t seen_add(struct seen *s, const struct prepared *px, size_t i)
{
    const char *h = px[i].p.id_hash;
    uint64_t k = 0;
    for (int d = 0; d < 16 && h[d]; d++)
        k = k << 4 | (uint64_t)(h[d] <= '9' ? h[d] - '0' : (h[d] | 0x20) - 'a' + 10);
    for (size_t j = (size_t)k & s->mask;; j = (j + 1) & s->mask) {
        if (!s->slot[j]) {
            s->slot[j] = i + 1;
            return 0;
        }
        if (strcmp(px[s->slot[j] - 1].p.id_hash, h) == 0) return s->slot[j];
    }
}

/* Wraps the error of a row with its line. */
static int at_row(struct err *err, const struct person_import_row *r, size_t i, int rc)
{
    err_wrap(err, "第 %ld 行", r->line ? r->line : (long)i + 1);
    err->line = r->line;
    return rc;
}

static int prepare(struct app *app, const struct auth_user *actor, const struct org_index *orgs,
                   const struct people_kind *k, const struct person_import_row *rows, size_t n,
                   struct arena *a, struct prepared *out, struct err *err)
{
    char at[32];
    auth_now_iso(at);
    struct seen seen;
    seen_init(&seen, a, n);
    for (size_t i = 0; i < n; i++) {
        const struct person_import_row *r = &rows[i];
        struct prepared *x = &out[i];
        x->p = (struct person_row){.sex = "",
                                   .ethnicity = "",
                                   .education = "",
                                   .id_masked = "",
                                   .phone_masked = "",
                                   .created_by = actor->name,
                                   .created_at = arena_strdup(a, at),
                                   .updated_at = NULL};
        x->p.updated_at = x->p.created_at;
        int rc = !r->p.name ? err_set_field(err, ERR_INVALID, "name", "请填写姓名")
                            : people_person_apply(app, actor, &r->p, a, &x->p, err);
        if (!rc && !x->p.unit)
            rc = err_set_field(err, ERR_INVALID, "unit", "请填写单位代码或用 --unit 指定");
        if (!rc && r->org && r->org[0]) {
            if ((rc = find_org(orgs, r->org, &x->org, err))) return at_row(err, r, i, rc);
            x->stage = stage_of(k, r->stage);
            if (!x->stage)
                rc = err_set_field(
                    err, ERR_INVALID, "stage",
                    "发展阶段须为入党申请人、入党积极分子、发展对象、预备党员或正式党员");
            else if (!r->from || !person_date_ok(r->from))
                rc = err_set_field(err, ERR_INVALID, "from", "请填写起始日期，格式如 2020-07-01");
        } else if (!rc && ((r->stage && r->stage[0]) || (r->from && r->from[0]))) {
            rc = err_set_field(err, ERR_INVALID, "org",
                               "填写了发展阶段或起始日期，须同时填写党组织");
        }
        if (rc) return at_row(err, r, i, rc);
        size_t dup = x->p.id_hash ? seen_add(&seen, out, i) : 0;
        if (dup) {
            size_t j = dup - 1;
            int bad = err_set_field(err, ERR_INVALID, "id_number", "身份证号与第 %ld 行相同",
                                    rows[j].line ? rows[j].line : (long)j + 1);
            return at_row(err, r, i, bad);
        }
    }
    return ERR_OK;
}

struct import_write {
    struct app *app;
    const struct people_kind *k;
    const struct person_import_row *rows;
    struct prepared *px;
    size_t n;
    struct people_import_result *res;
    struct arena *a;
};

static int import_write(struct db *db, struct import_write *w, struct err *err)
{
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
            if ((rc = store_person_insert(db, &x->p, err))) return at_row(err, &w->rows[i], i, rc);
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
        if (rc) return at_row(err, &w->rows[i], i, rc);
        w->res->memberships_added++;
    }
    return ERR_OK;
}

int people_import(struct app *app, const struct auth_user *actor, const char *scope,
                  const struct person_import_row *rows, size_t n, const char *client,
                  struct people_import_result *res, struct err *err)
{
    memset(res, 0, sizeof *res);
    const struct people_kind *k = people_kind(app, "party_member");
    if (!k) return err_set(err, ERR_INTERNAL, "data/people.json has no party_member kind");
    if (!auth_in_scope(actor->scope, scope))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", scope);
    struct arena *a = arena_new();
    struct org_index orgs = {.a = a};
    struct db *db = store_acquire(app->store);
    int rc = store_orgs_list(db, a, scope, true, keep_org, &orgs, err);
    store_release(app->store, db);
    org_index_sort(&orgs);
    struct prepared *px = arena_zalloc(a, (n + 1) * sizeof *px);
    if (!rc) rc = prepare(app, actor, &orgs, k, rows, n, a, px, err);
    if (rc) {
        arena_free(a);
        return rc;
    }
    struct import_write w = {app, k, rows, px, n, res, a};
    db = store_acquire(app->store);
    rc = db_bulk(db, true, err);
    if (!rc) rc = db_begin(db, true, err);
    if (!rc) rc = import_write(db, &w, err);
    if (!rc) {
        struct audit_entry ae = {
            .user = actor->name,
            .action = "person.import",
            .entity = "persons",
            .unit = scope,
            .after =
                arena_printf(a,
                             "{\"rows\":%zu,\"persons_added\":%zu,\"persons_existing\":%zu,"
                             "\"memberships_added\":%zu}",
                             n, res->persons_added, res->persons_existing, res->memberships_added),
            .client = client};
        rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT "@memberships", err);
    if (!rc) rc = db_commit(db, err);
    if (rc) {
        db_rollback(db);
        memset(res, 0, sizeof *res);
    }
    struct err e2;
    err_clear(&e2);
    int off = db_bulk(db, false, &e2); /* the connection goes back to the pool as it was */
    if (!rc && off) rc = err_set(err, off, "%s", e2.msg);
    store_release(app->store, db);
    if (!rc) analytics_invalidate(app, "@memberships");
    arena_free(a);
    return rc;
}
