/* people_sheet.c — reading the ledgers of the people registry and
 * collecting their refused rows (people_sheet_int.h). */
#include "app/people_sheet_int.h"
#include "app/analytics.h"
#include "app/app.h"
#include "app/audit.h"
#include "base/clock.h"
#include "core/tree.h"
#include "store/store.h"

#include <assert.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool cell_is(const struct table_cell *c, const char *s)
{
    return s && strlen(s) == c->len && memcmp(c->p, s, c->len) == 0;
}

static const char *headings(const struct sheet *s)
{
    const char *list = "";
    for (int c = 0; c < s->ncols; c++)
        list = arena_printf(s->a, "%s%s%s", list, c ? "、" : "", s->cols[c].zh);
    return list;
}

static int read_header(struct sheet *s, struct table_cell *cells, int n, struct err *err)
{
    assert(s->ncols <= SHEET_COLS_MAX);
    s->header = true;
    for (int c = 0; c < s->ncols; c++)
        s->at[c] = -1;
    for (int i = 0; i < n; i++) {
        struct table_cell x = cells[i];
        table_cell_trim(&x);
        bool known = x.len == 0;
        for (int c = 0; c < s->ncols && !known; c++) {
            const struct sheet_col *col = &s->cols[c];
            if (!cell_is(&x, col->api) && !cell_is(&x, col->zh) && !cell_is(&x, col->zh2)) continue;
            if (s->at[c] >= 0) {
                err_setf(err, ERR_INVALID, NULL, "表头“%s”出现了两次", col->zh);
                err->column = i + 1;
                return ERR_INVALID;
            }
            s->at[c] = i;
            known = true;
        }
        if (!known) {
            err_setf(err, ERR_INVALID, NULL, "表头第 %d 列“%.*s”不是%s的列（%s）", i + 1,
                     (int)(x.len > 60 ? 60 : x.len), x.p, s->what, headings(s));
            err->column = i + 1;
            return ERR_INVALID;
        }
    }
    for (int c = 0; c < s->ncols; c++)
        if (s->needs & SHEET_NEED(c) && s->at[c] < 0)
            return err_set(err, ERR_INVALID, "%s须有“%s”一列", s->what, s->cols[c].zh);
    return ERR_OK;
}

int sheet_header(struct sheet *s, struct table_cell *cells, int n, long row, struct err *err)
{
    int rc = read_header(s, cells, n, err);
    if (rc) err->line = row;
    return rc;
}

const char *sheet_cell(const struct sheet *s, const struct table_cell *cells, int n, int c)
{
    int i = s->at[c];
    if (i < 0 || i >= n) return NULL;
    struct table_cell x = cells[i];
    table_cell_trim(&x);
    return x.len ? arena_strndup(s->a, x.p, x.len) : NULL;
}

bool sheet_blank(const struct table_cell *cells, int n)
{
    for (int i = 0; i < n; i++) {
        struct table_cell x = cells[i];
        table_cell_trim(&x);
        if (x.len) return false;
    }
    return true;
}

const char *sheet_date(struct arena *a, const char *s)
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
    return s;
}

const char *sheet_label(const struct sheet_col *cols, int n, const char *field)
{
    for (int c = 0; field && field[0] && c < n; c++)
        if (strcmp(cols[c].api, field) == 0) return cols[c].zh;
    return "";
}

void sheet_seen_init(struct sheet_seen *s, struct arena *a, size_t rows)
{
    s->cap = 16;
    while (s->cap < 2 * rows)
        s->cap *= 2;
    s->keys = arena_zalloc(a, s->cap * sizeof *s->keys);
    s->lines = arena_zalloc(a, s->cap * sizeof *s->lines);
}

long sheet_seen(struct sheet_seen *s, const char *key, long line)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (size_t i = (size_t)h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (!s->keys[i]) {
            s->keys[i] = key;
            s->lines[i] = line;
            return 0;
        }
        if (strcmp(s->keys[i], key) == 0) return s->lines[i];
    }
}

bool people_row_refusable(int rc)
{
    return rc == ERR_INVALID || rc == ERR_CONFLICT || rc == ERR_FORBIDDEN || rc == ERR_NOT_FOUND;
}

void people_row_refuse(struct people_row_errors *e, long line, const char *column, struct err *err)
{
    if (!e->total) {
        e->first = *err;
        e->first_line = line;
        snprintf(e->first_column, sizeof e->first_column, "%s", column);
    }
    if (e->n < PEOPLE_IMPORT_ERRORS_MAX) {
        e->v = arena_grow(e->a, e->v, sizeof *e->v, e->n, e->n + 1, &e->cap);
        struct people_row_error *r = &e->v[e->n++];
        r->line = line;
        snprintf(r->column, sizeof r->column, "%s", column);
        snprintf(r->field, sizeof r->field, "%s", column[0] ? err->field : "");
        snprintf(r->msg, sizeof r->msg, "%s", err->msg);
    }
    e->total++;
    err_clear(err);
}

int people_rows_refused(struct people_row_errors *e, struct err *err)
{
    if (!e->total) return ERR_OK;
    *err = e->first;
    if (e->first_column[0])
        err_wrap(err, "第 %ld 行“%s”", e->first_line, e->first_column);
    else
        err_wrap(err, "第 %ld 行", e->first_line);
    err->line = e->first_line;
    if (e->total > 1) err_wrap(err, "%zu 行有错，整个文件未导入；第一处", e->total);
    return e->first.kind;
}

int sheet_commit(struct app *app, const struct sheet_commit *c, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = c->bulk ? db_bulk(db, true, err) : ERR_OK;
    if (!rc) rc = db_begin(db, true, err);
    if (!rc) rc = c->write(c->ctx, db, err);
    if (!rc) {
        struct audit_entry ae = {.user = c->actor->name,
                                 .action = c->action,
                                 .entity = c->entity,
                                 .unit = c->scope,
                                 .after = c->summary(c->ctx),
                                 .client = c->client};
        rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT "@memberships", err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    if (c->bulk) { /* the connection goes back to the pool as it was */
        struct err e2;
        err_clear(&e2);
        int off = db_bulk(db, false, &e2);
        if (!rc && off) rc = err_set(err, off, "%s", e2.msg);
    }
    store_release(app->store, db);
    if (!rc) analytics_invalidate(app, "@memberships");
    return rc;
}

int sheet_refuse(struct sheet_run *r, long line, int c, int rc)
{
    if (!people_row_refusable(rc)) return rc;
    people_row_refuse(r->errors, line, c >= 0 ? r->s.cols[c].zh : "", r->err);
    return ERR_OK;
}

int sheet_run(struct sheet_run *r, const char *data, size_t len, const char *name,
              struct people_row_errors *errors, struct err *err)
{
    if (!r->anywhere && !auth_in_scope(r->actor->scope, r->scope))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", r->scope);
    struct arena *a = arena_new();
    struct people_row_errors unlisted = {.a = a};
    r->name = name;
    r->a = r->s.a = a;
    r->t = app_tree(r->app);
    r->errors = errors ? errors : &unlisted;
    r->err = err;
    r->db = r->reads ? store_acquire(r->app->store) : NULL;
    if (r->seen_rows) sheet_seen_init(&r->seen, a, r->seen_rows);
    int rc = r->load ? r->load(r) : ERR_OK;
    if (!rc) rc = table_read(data, len, name, r->row, r, err);
    if (r->db) store_release(r->app->store, r->db);
    r->db = NULL;
    if (!rc && !r->s.header) rc = err_set(err, ERR_INVALID, "%s 是空的：请按导入模板填写", name);
    if (!rc) rc = people_rows_refused(r->errors, err);
    if (!rc && r->none && !*r->kept)
        rc = err_set(err, ERR_INVALID, "%s 中没有任何%s", name, r->none);
    if (!rc && r->commit) {
        rc = r->commit(r);
    } else if (!rc) {
        struct audit_entry ae = sheet_audit(r, r->action, r->entity, *r->kept);
        rc = app_write_tx(r->app, &ae, r->changed, r->write, r, err);
    }
    tree_unref(r->t);
    r->t = NULL;
    arena_free(a);
    r->a = r->s.a = NULL;
    r->errors = NULL; /* unlisted is gone */
    return rc;
}

struct audit_entry sheet_audit(const struct sheet_run *r, const char *action, const char *entity,
                               size_t rows)
{
    json_t *o = json_pack("{s:s, s:I}", "file", r->name, "rows", (json_int_t)rows);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    struct audit_entry ae = {.user = r->actor->name,
                             .action = action,
                             .entity = entity,
                             .unit = r->scope,
                             .after = arena_strdup(r->a, text ? text : "{}"),
                             .client = r->client};
    free(text);
    json_decref(o);
    return ae;
}
