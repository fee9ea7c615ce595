/* data.c — elements, indicators and values (data.h). */
#include "app/computed_sources.h"
#include "app/data.h"
#include "app/people.h"
#include "app/checks.h"
#include "app/memo.h"
#include "app/analytics.h"
#include "base/mem.h"
#include "base/num.h"
#include "core/formula.h"
#include "io/json_out.h"
#include "io/table.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- catalogue ---- */

struct grow {
    struct arena *a;
    void **items;
    size_t *n, cap, size;
};

static void *grow_next(struct grow *g)
{
    if (*g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        void *p = arena_alloc(g->a, cap * g->size);
        if (*g->n) memcpy(p, *g->items, *g->n * g->size);
        *g->items = p;
        g->cap = cap;
    }
    return (char *)*g->items + (*g->n)++ * g->size;
}

static int add_element(void *ctx, const struct element *e)
{
    memcpy(grow_next(ctx), e, sizeof *e);
    return 0;
}

static int add_indicator(void *ctx, const struct indicator *ind)
{
    memcpy(grow_next(ctx), ind, sizeof *ind);
    return 0;
}

int catalog_load(struct app *app, struct arena *a, struct catalog *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    struct grow ge = {a, (void **)&out->elements, &out->nelements, 0, sizeof(struct element)};
    struct grow gi = {a, (void **)&out->indicators, &out->nindicators, 0, sizeof(struct indicator)};
    struct db *db = store_acquire(app->store);
    int rc = store_elements_each(db, a, add_element, &ge, err);
    if (!rc) rc = store_indicators_each(db, a, add_indicator, &gi, err);
    store_release(app->store, db);
    return rc;
}

const struct element *catalog_element(const struct catalog *c, const char *code)
{
    for (size_t i = 0; i < c->nelements; i++)
        if (strcmp(c->elements[i].code, code) == 0) return &c->elements[i];
    return NULL;
}

const struct indicator *catalog_indicator(const struct catalog *c, const char *code)
{
    for (size_t i = 0; i < c->nindicators; i++)
        if (strcmp(c->indicators[i].code, code) == 0) return &c->indicators[i];
    return NULL;
}

/* ---- definitions ---- */

/* Runs write(db, ctx) and appends the audit record in one transaction. */
static int write_audited(struct app *app, const struct audit_entry *e,
                         int (*write)(struct db *db, const void *ctx, struct err *err),
                         const void *ctx, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = write(db, ctx, err);
    if (!rc) rc = store_audit_append(db, e, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

static char *element_json(struct arena *a, const struct element *e)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "code", e->code);
    jw_kstr(&w, "name", e->name);
    jw_kstr(&w, "value_type", value_type_name(e->value_type));
    jw_kstr(&w, "aggregation", aggregation_name(e->aggregation));
    jw_kstr(&w, "period_type", period_type_name(e->period_type));
    jw_obj_end(&w);
    char *s = arena_strndup(a, b.p, b.len);
    buf_free(&b);
    return s;
}

struct element_write {
    const struct element *e;
    const char *by, *at;
};

static int element_insert(struct db *db, const void *ctx, struct err *err)
{
    const struct element_write *w = ctx;
    int rc = store_element_insert(db, w->e, w->by, w->at, err);
    return rc ? rc : db_notify(db, APP_CHANGED_MEMO, err); /* as memo_bump for other servers */
}

int data_element_check(const struct element *e, struct err *err)
{
    int rc = element_code_check(e->code, err);
    if (rc) return rc;
    if (!e->name || !e->name[0] || strlen(e->name) > 200)
        return err_set_field(err, ERR_INVALID, "name", "请填写数据元名称（不超过 200 字节）");
    if (e->has_min && e->has_max && e->min > e->max)
        return err_set_field(err, ERR_INVALID, "min", "下限 %g 大于上限 %g", e->min, e->max);
    return ERR_OK;
}

/* Elements and indicators are one national catalogue: their codes are the
 * namespace every formula, scheme and ledger shares, and every unit's
 * entry grid offers them. So defining one needs data:define (the route)
 * with a whole-country scope: a county administrator proposes, the
 * system administrator defines. */
static int may_define(const struct auth_user *actor, struct err *err)
{
    if (!actor->scope[0]) return ERR_OK;
    return err_set(
        err, ERR_FORBIDDEN,
        "数据元和指标全国通用（代码由所有公式、创建标准和台账共用），只能由管辖范围为全国"
        "的账号定义；请联系系统管理员");
}

int data_element_create(struct app *app, const struct auth_user *actor, const struct element *e,
                        const char *client, struct err *err)
{
    int rc = may_define(actor, err);
    if (!rc) rc = data_element_check(e, err);
    if (!rc && e->computed) rc = computed_check(app, e->computed, err);
    if (rc) return rc;
    memo_bump(app->memo); /* formulas over an element not defined before change */
    char at[32];
    auth_now_iso(at);
    struct arena *a = arena_new();
    struct element_write w = {e, actor->name, at};
    struct audit_entry ae = {.user = actor->name,
                             .action = "element.create",
                             .entity = arena_printf(a, "element:%s", e->code),
                             .after = element_json(a, e),
                             .client = client};
    rc = write_audited(app, &ae, element_insert, &w, err);
    arena_free(a);
    return rc;
}

struct indicator_write {
    const struct indicator *ind;
    const char *by, *at;
};

static int indicator_insert(struct db *db, const void *ctx, struct err *err)
{
    const struct indicator_write *w = ctx;
    return store_indicator_insert(db, w->ind, w->by, w->at, err);
}

int data_indicator_check(const struct indicator *ind, bool (*known)(void *ctx, const char *code),
                         void *ctx, struct err *err)
{
    int rc = element_code_check(ind->code, err);
    if (rc) return rc;
    if (!ind->name || !ind->name[0])
        return err_set_field(err, ERR_INVALID, "name", "请填写指标名称");
    static const char *const formats[] = {"number", "percent", "integer", "boolean"};
    bool format_ok = !ind->format;
    for (size_t i = 0; i < 4 && !format_ok; i++)
        format_ok = strcmp(ind->format, formats[i]) == 0;
    if (!format_ok)
        return err_set_field(err, ERR_INVALID, "format",
                             "显示格式只能是 number, percent, integer 或 boolean");
    if (ind->decimals < 0 || ind->decimals > 6)
        return err_set_field(err, ERR_INVALID, "decimals", "小数位数须在 0 到 6 之间");
    struct formula *f = NULL;
    if ((rc = formula_compile(ind->formula, strlen(ind->formula), &f, err)))
        snprintf(err->field, sizeof err->field, "formula");
    for (size_t i = 0; !rc && i < formula_nrefs(f); i++)
        if (!known(ctx, formula_ref(f, i)))
            rc = err_set_field(err, ERR_INVALID, "formula", "公式引用了不存在的数据元 %s",
                               formula_ref(f, i));
    formula_free(f);
    return rc;
}

static bool in_catalog(void *ctx, const char *code)
{
    return catalog_element(ctx, code) != NULL;
}

int data_indicator_create(struct app *app, const struct auth_user *actor,
                          const struct indicator *ind, const char *client, struct err *err)
{
    int rc = may_define(actor, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct catalog cat;
    rc = catalog_load(app, a, &cat, err);
    if (!rc) rc = data_indicator_check(ind, in_catalog, &cat, err);
    if (!rc) {
        char at[32];
        auth_now_iso(at);
        struct indicator_write w = {ind, actor->name, at};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "indicator.create",
                                 .entity = arena_printf(a, "indicator:%s", ind->code),
                                 .after = NULL,
                                 .client = client};
        rc = write_audited(app, &ae, indicator_insert, &w, err);
    }
    arena_free(a);
    return rc;
}

/* ---- values ---- */

/* Names the item an error is about: a file position or a list index. */
static int item_error(const struct value_in *v, size_t i, const char *source, struct err *err)
{
    if (v->line > 0 && v->column > 0) {
        err_at(err, source, v->line, v->column);
    } else {
        err_wrap(err, "第 %zu 项", i + 1);
        err->item = (long)i + 1;
    }
    return err->kind;
}

static int check_item(struct app *app, const struct catalog *cat, const struct tree *t,
                      const struct auth_user *actor, const struct value_in *v, struct err *err)
{
    const struct element *e = v->element ? catalog_element(cat, v->element) : NULL;
    if (!e)
        return err_set_field(err, ERR_INVALID, "element", "没有数据元 %s",
                             v->element ? v->element : "（未填）");
    uint32_t i = v->unit ? tree_find(t, v->unit, strlen(v->unit)) : TREE_NONE;
    if (i == TREE_NONE)
        return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位",
                             v->unit ? v->unit : "（未填）");
    if (!auth_in_scope(actor->scope, v->unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", v->unit);
    const struct tree_node *n = tree_node(t, i);
    if (!element_level_ok(e, n->level))
        return err_set_field(err, ERR_INVALID, "unit", "%s 不在%s级填报", e->name,
                             unit_level_label(n->level));
    struct period p;
    int rc = period_parse(v->period ? v->period : "", &p, err);
    if (rc) return rc;
    if (p.type != e->period_type)
        return err_set_field(err, ERR_INVALID, "period", "%s 按%s填报，期间 %s 不符", e->name,
                             period_type_label(e->period_type), v->period);
    (void)app;
    if (e->computed)
        return err_set_field(err, ERR_INVALID, "element",
                             "%s 由系统根据人员、党组织和活动档案统计，不能填报", e->name);
    return v->clear ? ERR_OK : element_value_check(e, v->value, err);
}

/* Appends [element, unit, period, value] to an audit array. */
static void audit_item(struct jw *w, const struct value_in *v, bool has, double value)
{
    jw_arr(w);
    jw_str(w, v->element);
    jw_str(w, v->unit);
    jw_str(w, v->period);
    if (has)
        jw_num(w, value);
    else
        jw_null(w);
    jw_arr_end(w);
}

/* The lowest unit containing every item, for the audit record's unit. */
static size_t common_prefix(const struct value_in *items, size_t n)
{
    size_t len = n ? strlen(items[0].unit) : 0;
    for (size_t i = 1; i < n && len; i++)
        while (len && strncmp(items[i].unit, items[0].unit, len) != 0)
            len = unit_parent_len(len);
    return len;
}

int data_values_write(struct app *app, const struct auth_user *actor, const struct value_in *items,
                      size_t n, const char *client, const char *source, size_t *changed,
                      struct err *err)
{
    return data_values_write_checked(app, actor, items, n, client, source, NULL, changed, err);
}

int data_values_write_checked(struct app *app, const struct auth_user *actor,
                              const struct value_in *items, size_t n, const char *client,
                              const char *source, struct values_checks *chk, size_t *changed,
                              struct err *err)
{
    *changed = 0;
    if (n == 0) return err_set(err, ERR_INVALID, "没有要保存的数据");
    if (n > DATA_BATCH_MAX)
        return err_set(err, ERR_TOO_LARGE, "一次最多保存 %d 个数据", DATA_BATCH_MAX);
    struct arena *a = arena_new();
    struct catalog cat;
    int rc = catalog_load(app, a, &cat, err);
    struct tree *t = app_tree(app);
    for (size_t i = 0; !rc && i < n; i++)
        if ((rc = check_item(app, &cat, t, actor, &items[i], err)))
            item_error(&items[i], i, source, err);
    tree_unref(t);
    struct rule_set rules = {0};
    struct values_checks confirmed = {.confirm = true, .a = a};
    bool *did = arena_zalloc(a, n);
    if (!rc) rc = rules_load(app, &rules, err);
    char at[32];
    auth_now_iso(at);
    struct buf before = BUF_INIT, after = BUF_INIT;
    struct jw wb, wa;
    jw_init(&wb, &before);
    jw_init(&wa, &after);
    jw_arr(&wb);
    jw_arr(&wa);
    struct db *db = store_acquire(app->store);
    if (!rc) rc = db_begin(db, true, err);
    for (size_t i = 0; !rc && i < n; i++) {
        const struct value_in *v = &items[i];
        double old;
        bool found;
        if ((rc = store_value_get(db, v->element, v->unit, v->period, &old, &found, err))) break;
        if (v->clear ? !found : found && old == v->value) continue; /* unchanged */
        rc = v->clear ? store_value_delete(db, v->element, v->unit, v->period, err)
                      : store_value_put(db, v->element, v->unit, v->period, v->value, actor->name,
                                        at, err);
        audit_item(&wb, v, found, old);
        audit_item(&wa, v, !v->clear, v->value);
        did[i] = true;
        ++*changed;
    }
    jw_arr_end(&wb);
    jw_arr_end(&wa);
    if (!rc) rc = checks_written(app, db, &rules, items, n, did, chk ? chk : &confirmed, err);
    if (!rc && *changed) {
        size_t plen = common_prefix(items, n);
        struct audit_entry e = {.user = actor->name,
                                .action = "values.write",
                                .entity = arena_printf(a, "values:%s", source),
                                .unit = plen ? arena_strndup(a, items[0].unit, plen) : NULL,
                                .before = before.p,
                                .after = after.p,
                                .client = client};
        rc = store_audit_append(db, &e, err);
    }
    /* The elements written: their cached rollups are stale now, here and,
     * told on commit, on the other servers of the database. */
    const char **seen = !rc && *changed ? arena_alloc(a, cat.nelements * sizeof *seen + 1) : NULL;
    size_t nseen = 0;
    for (size_t i = 0; seen && !rc && i < n; i++) {
        size_t k = 0;
        while (k < nseen && strcmp(seen[k], items[i].element) != 0)
            k++;
        if (k < nseen || nseen == cat.nelements) continue;
        seen[nseen++] = items[i].element;
        rc = db_notify(db, arena_printf(a, APP_CHANGED_ELEMENT "%s", items[i].element), err);
    }
    if (!rc) rc = db_commit(db, err);
    if (rc) {
        db_rollback(db);
        *changed = 0;
    }
    store_release(app->store, db);
    rules_free(&rules);
    for (size_t k = 0; !rc && k < nseen; k++)
        analytics_invalidate(app, seen[k]);
    buf_free(&before);
    buf_free(&after);
    arena_free(a);
    return rc;
}

/* ---- ledgers ---- */

struct ledger {
    struct arena *a;
    const struct catalog *cat;
    const char *name, *period;
    int code_col, period_col;
    const struct element **cols; /* element per column, NULL for others */
    int ncols;
    struct value_in *items;
    size_t n, cap;
    struct err *err;
};

/* "A", "B", … "AA" for a 0-based column. */
static void column_name(int col, char out[8])
{
    char tmp[8];
    int n = 0;
    for (col++; col > 0 && n < 7; col = (col - 1) / 26)
        tmp[n++] = (char)('A' + (col - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

static int cell_error(struct ledger *l, long row, int col, const char *msg)
{
    char c[8];
    column_name(col, c);
    err_setf(l->err, ERR_INVALID, NULL, "%s", msg);
    err_wrap(l->err, "第 %ld 行 %s 列", row, c);
    err_at(l->err, l->name, row, col + 1);
    return ERR_INVALID;
}

static bool cell_is(const struct table_cell *c, const char *s)
{
    return c->len == strlen(s) && strncasecmp(c->p, s, c->len) == 0;
}

static int ledger_header(struct ledger *l, long row, struct table_cell *cells, int n)
{
    l->ncols = n;
    l->cols = arena_zalloc(l->a, (size_t)(n ? n : 1) * sizeof *l->cols);
    l->code_col = l->period_col = -1;
    for (int i = 0; i < n; i++) {
        struct table_cell *c = &cells[i];
        char *text = arena_strndup(l->a, c->p, c->len);
        if (!c->len || cell_is(c, "单位名称") || cell_is(c, "name")) continue;
        if (cell_is(c, "单位代码") || cell_is(c, "code") || cell_is(c, "unit")) {
            l->code_col = i;
        } else if (cell_is(c, "期间") || cell_is(c, "period")) {
            l->period_col = i;
        } else {
            const struct element *e = catalog_element(l->cat, text);
            for (size_t k = 0; !e && k < l->cat->nelements; k++)
                if (strcmp(l->cat->elements[k].name, text) == 0) e = &l->cat->elements[k];
            if (!e)
                return cell_error(l, row, i,
                                  arena_printf(l->a, "不认识的列“%s”：应为数据元代码或名称", text));
            l->cols[i] = e;
        }
    }
    if (l->code_col < 0) return cell_error(l, row, 0, "第一行须有“单位代码”列");
    if (l->period_col < 0 && !l->period)
        return cell_error(l, row, 0, "没有“期间”列时须指定期间（如 2023）");
    return ERR_OK;
}

/* A cell's number: digits with optional thousands separators, a trailing
 * % for percentages, 是/否 or TRUE/FALSE for yes/no. */
static bool cell_number(const struct table_cell *c, double *out)
{
    if (cell_is(c, "是") || cell_is(c, "true")) return *out = 1, true;
    if (cell_is(c, "否") || cell_is(c, "false")) return *out = 0, true;
    char tmp[64];
    size_t k = 0;
    for (size_t i = 0; i < c->len && k + 1 < sizeof tmp; i++)
        if (c->p[i] != ',') tmp[k++] = c->p[i];
    if (k && tmp[k - 1] == '%') k--;
    return num_parse(tmp, k, out) == NUM_OK; /* 1e-400 is refused, not read as 0 */
}

static int ledger_row(struct ledger *l, long row, struct table_cell *cells, int n)
{
    if (!l->cols) return ledger_header(l, row, cells, n);
    for (int i = 0; i < n; i++)
        table_cell_trim(&cells[i]);
    struct table_cell empty = {"", 0};
    struct table_cell *code = l->code_col < n ? &cells[l->code_col] : &empty;
    bool any = false;
    for (int i = 0; i < n; i++)
        any = any || cells[i].len;
    if (!any) return 0; /* blank line */
    if (!code->len) return cell_error(l, row, l->code_col, "缺少单位代码");
    const char *unit = arena_strndup(l->a, code->p, code->len);
    const char *period = l->period;
    if (l->period_col >= 0) {
        struct table_cell *pc = l->period_col < n ? &cells[l->period_col] : &empty;
        if (!pc->len) return cell_error(l, row, l->period_col, "缺少期间");
        period = arena_strndup(l->a, pc->p, pc->len);
    }
    for (int i = 0; i < n && i < l->ncols; i++) {
        if (!l->cols[i] || !cells[i].len) continue;
        double v;
        if (!cell_number(&cells[i], &v))
            return cell_error(l, row, i,
                              arena_printf(l->a, "“%.*s”不是数字",
                                           (int)(cells[i].len > 64 ? 64 : cells[i].len),
                                           cells[i].p));
        if (l->n == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 256;
            struct value_in *p = arena_alloc(l->a, cap * sizeof *p);
            if (l->n) memcpy(p, l->items, l->n * sizeof *p);
            l->items = p;
            l->cap = cap;
        }
        if (l->n == DATA_BATCH_MAX) {
            return err_set(l->err, ERR_TOO_LARGE, "台账中的数据超过 %d 个，请分批导入",
                           DATA_BATCH_MAX);
        }
        l->items[l->n++] = (struct value_in){.element = l->cols[i]->code,
                                             .unit = unit,
                                             .period = period,
                                             .value = v,
                                             .line = row,
                                             .column = i + 1};
    }
    return 0;
}

static int table_row(void *ctx, long row, struct table_cell *cells, int n)
{
    return ledger_row(ctx, row, cells, n);
}

int data_ledger_read(struct app *app, struct arena *a, const char *data, size_t len,
                     const char *name, const char *period, struct value_in **items, size_t *n,
                     struct err *err)
{
    *items = NULL;
    *n = 0;
    struct catalog cat;
    int rc = catalog_load(app, a, &cat, err);
    if (rc) return rc;
    if (period) {
        struct period p;
        if ((rc = period_parse(period, &p, err))) return rc;
    }
    struct ledger l = {.a = a, .cat = &cat, .name = name, .period = period, .err = err};
    rc = table_read(data, len, name, table_row, &l, err);
    if (!rc && !l.cols) rc = err_set(err, ERR_INVALID, "%s 是空文件", name);
    if (rc) return rc;
    *items = l.items;
    *n = l.n;
    return ERR_OK;
}

int data_values_list(struct app *app, const struct value_filter *f,
                     int (*fn)(void *ctx, const struct value_row *v), void *ctx, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_values_list(db, f, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
