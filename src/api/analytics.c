/*
 * analytics.c — GET /api/v1/analytics: a formula (or a named indicator)
 * for a unit and period, rolled up over its subtree, with the values of
 * its children or of every unit of a level inside it (ranked), or the
 * number of units of a level for which a yes/no formula holds. Also as a
 * CSV or XLSX table (&format=csv|xlsx).
 */
#include "api/api.h"
#include "app/analytics.h"
#include "base/mem.h"
#include "io/csv.h"
#include "io/xlsx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_MAX 100000

struct row {
    uint32_t node;
    struct fvalue v;
};

static int sort_desc(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->v.missing != y->v.missing) return x->v.missing ? 1 : -1; /* missing last */
    if (x->v.missing || x->v.v == y->v.v) return x->node < y->node ? -1 : 1;
    return x->v.v > y->v.v ? -1 : 1;
}

static int sort_asc(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->v.missing != y->v.missing) return x->v.missing ? 1 : -1;
    if (x->v.missing || x->v.v == y->v.v) return x->node < y->node ? -1 : 1;
    return x->v.v < y->v.v ? -1 : 1;
}

static void write_value(struct jw *w, const char *key, struct fvalue v)
{
    if (v.missing)
        jw_knull(w, key);
    else
        jw_knum(w, key, v.v);
}

/* The days of the period [from, to): the tree of that time — the units
 * alive then, with the names they had (core/tree.h, "History"). */
struct span {
    int32_t from, to;
};

/* The rows the request asks for: children, or units of a level, that
 * existed during the period. */
static size_t collect(const struct query *q, struct span s, uint32_t unit, int by_level,
                      struct row **out)
{
    const struct tree *t = q->tree;
    uint32_t post = tree_node(t, unit)->post;
    size_t n = 0, cap = 64;
    struct row *rows = xmalloc(cap * sizeof *rows);
    for (uint32_t i = by_level < 0 ? tree_first_child_in(t, unit, s.from, s.to) : unit;
         i != TREE_NONE && i <= post;
         i = by_level < 0 ? tree_next_sibling_in(t, i, s.from, s.to) : i + 1) {
        if (by_level >= 0 &&
            (tree_node(t, i)->level != by_level || !tree_alive_in(t, i, s.from, s.to)))
            continue;
        if (n == cap) rows = xrealloc(rows, (cap *= 2) * sizeof *rows);
        rows[n++] = (struct row){i, analytics_eval(q, i)};
    }
    *out = rows;
    return n;
}

static int export_table(struct http_req *req, struct http_resp *resp, const char *format,
                        const char *title, const struct query *q, struct span s, uint32_t unit,
                        const struct row *rows, size_t n, struct err *err);

static const char *name_in(const struct query *q, struct span s, uint32_t i)
{
    return tree_name_in(q->tree, i, s.from, s.to, NULL, NULL);
}

int api_analytics(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *expr, *indicator, *period_text, *by, *level_text, *agg, *sort, *format;
    long limit;
    int rc = http_query_text(req, "expr", 4096, &expr, err);
    if (!rc) rc = http_query_text(req, "indicator", ELEMENT_CODE_MAX, &indicator, err);
    if (!rc) rc = http_query_text(req, "period", 16, &period_text, err);
    if (!rc) rc = http_query_text(req, "by", 16, &by, err);
    if (!rc) rc = http_query_text(req, "level", 16, &level_text, err);
    if (!rc) rc = http_query_text(req, "agg", 16, &agg, err);
    if (!rc) rc = http_query_text(req, "sort", 8, &sort, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (!rc) rc = http_query_int(req, "limit", ROWS_MAX, 1, ROWS_MAX, &limit, err);
    if (rc) return rc;
    if (!expr == !indicator)
        return err_set_field(err, ERR_INVALID, "expr",
                             "请给出公式 expr 或指标 indicator（二选一）");
    if (!period_text) return err_set_field(err, ERR_INVALID, "period", "缺少期间 period，如 2023");
    struct period p;
    if ((rc = period_parse(period_text, &p, err))) return rc;
    int level = -1;
    if (level_text && (level = unit_level_parse(level_text, strlen(level_text))) < 0)
        return err_set_field(err, ERR_INVALID, "level", "不认识的层级 %s", level_text);
    if (by && strcmp(by, "children") != 0 && strcmp(by, "level") != 0)
        return err_set_field(err, ERR_INVALID, "by", "by 只能是 children 或 level");
    if (by && strcmp(by, "level") == 0 && level < 0)
        return err_set_field(err, ERR_INVALID, "level", "by=level 需要 level 参数");
    if (agg && (strcmp(agg, "count_true") != 0 || level < 0))
        return err_set_field(err, ERR_INVALID, "agg", "agg 只能是 count_true，且需要 level 参数");
    if (sort && strcmp(sort, "desc") != 0 && strcmp(sort, "asc") != 0 && strcmp(sort, "code") != 0)
        return err_set_field(err, ERR_INVALID, "sort", "sort 只能是 desc, asc 或 code");
    if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
        strcmp(format, "xlsx") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 只能是 json, csv 或 xlsx");

    struct catalog cat;
    if ((rc = catalog_load(req->app, req->arena, &cat, err))) return rc;
    const char *title = expr;
    if (indicator) {
        const struct indicator *ind = catalog_indicator(&cat, indicator);
        if (!ind) return err_set_field(err, ERR_NOT_FOUND, "indicator", "没有指标 %s", indicator);
        expr = ind->formula;
        title = ind->name;
    }
    struct query q;
    if ((rc = analytics_prepare(req->app, &cat, expr, &p, &q, err))) {
        if (!err->field[0]) snprintf(err->field, sizeof err->field, "expr");
        err->where[0] = '\0'; /* the message already says which character */
        err->line = 0;
        return rc;
    }
    struct span span;
    char start[11], next[11];
    period_dates(&p, start, next);
    tree_day_parse(start, &span.from);
    tree_day_parse(next, &span.to);
    /* a unit retired since is found for the periods it existed in */
    uint32_t unit = req->unit[0] ? tree_find_any(q.tree, req->unit, strlen(req->unit)) : TREE_NONE;
    if (unit != TREE_NONE && !tree_alive_in(q.tree, unit, span.from, span.to)) unit = TREE_NONE;
    if (unit == TREE_NONE) {
        analytics_query_free(&q);
        return err_set_field(err, ERR_INVALID, "unit", "请给出单位 unit");
    }
    if (agg && !q.boolean) {
        analytics_query_free(&q);
        return err_set_field(err, ERR_INVALID, "expr",
                             "agg=count_true 需要一个“是/否”公式（比较或 and/or）");
    }
    const struct tree_node *un = tree_node(q.tree, unit);
    struct row *rows;
    size_t n = 0;
    if (agg || by)
        n = collect(&q, span, unit, agg || strcmp(by, "level") == 0 ? level : -1, &rows);
    else
        rows = xmalloc(sizeof *rows); /* no rows asked for: the unit alone */
    if (sort && strcmp(sort, "code") != 0)
        qsort(rows, n, sizeof *rows, strcmp(sort, "desc") == 0 ? sort_desc : sort_asc);
    if ((size_t)limit < n) n = (size_t)limit;

    if (format && strcmp(format, "json") != 0) {
        rc = export_table(req, resp, format, title, &q, span, unit, rows, n, err);
        free(rows);
        analytics_query_free(&q);
        return rc;
    }
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "unit");
    jw_obj(&w);
    jw_kstr(&w, "code", un->code);
    jw_kstr(&w, "name", name_in(&q, span, unit));
    jw_obj_end(&w);
    jw_kstr(&w, "period", period_text);
    jw_kstr(&w, "expr", expr);
    if (agg) {
        size_t yes = 0, of = 0;
        struct row *all;
        size_t m = collect(&q, span, unit, level, &all);
        of = m;
        for (size_t k = 0; k < m; k++)
            yes += !all[k].v.missing && all[k].v.v != 0;
        free(all);
        jw_kstr(&w, "level", unit_level_name(level));
        jw_kint(&w, "value", (int64_t)yes);
        jw_kint(&w, "of", (int64_t)of);
    } else {
        write_value(&w, "value", analytics_eval(&q, unit));
        if (by) {
            jw_key(&w, strcmp(by, "children") == 0 ? "children" : "units");
            jw_arr(&w);
            for (size_t k = 0; k < n; k++) {
                jw_obj(&w);
                jw_kstr(&w, "code", tree_node(q.tree, rows[k].node)->code);
                jw_kstr(&w, "name", name_in(&q, span, rows[k].node));
                jw_kstr(&w, "level", unit_level_name(tree_node(q.tree, rows[k].node)->level));
                jw_kint(&w, "child_count", tree_node(q.tree, rows[k].node)->nchildren);
                write_value(&w, "value", rows[k].v);
                jw_obj_end(&w);
            }
            jw_arr_end(&w);
        }
    }
    jw_obj_end(&w);
    free(rows);
    analytics_query_free(&q);
    return ERR_OK;
}

/* The unit's own figure (the total) and the rows asked for, as a table:
 * 单位代码, 单位名称, title. */
static int export_table(struct http_req *req, struct http_resp *resp, const char *format,
                        const char *title, const struct query *q, struct span s, uint32_t unit,
                        const struct row *rows, size_t n, struct err *err)
{
    const char *file = arena_printf(req->arena, "%s.%s", tree_node(q->tree, unit)->code, format);
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"%s\"", file));
    resp->status = 200;
    struct row total = {unit, analytics_eval(q, unit)};
    if (strcmp(format, "csv") == 0) {
        resp->content_type = "text/csv; charset=utf-8";
        buf_reset(&resp->body);
        buf_puts(&resp->body, "\xEF\xBB\xBF单位代码,单位名称,"); /* BOM: Excel reads UTF-8 */
        csv_write_field(&resp->body, title);
        buf_putc(&resp->body, '\n');
        for (size_t k = 0; k <= n; k++) {
            const struct row *r = k ? &rows[k - 1] : &total;
            buf_printf(&resp->body, "%s,", tree_node(q->tree, r->node)->code);
            csv_write_field(&resp->body, name_in(q, s, r->node));
            buf_putc(&resp->body, ',');
            if (!r->v.missing) csv_write_number(&resp->body, r->v.v);
            buf_putc(&resp->body, '\n');
        }
        return ERR_OK;
    }
    struct xlsx_writer *xw;
    int rc = xlsx_writer_open(NULL, "数据", &xw, err);
    if (rc) return rc;
    const char *titles[] = {"单位代码", "单位名称", title};
    xlsx_write_header(xw, titles, 3);
    for (size_t k = 0; k <= n; k++) {
        const struct row *r = k ? &rows[k - 1] : &total;
        xlsx_write_text(xw, (long)k + 1, 0, tree_node(q->tree, r->node)->code);
        xlsx_write_text(xw, (long)k + 1, 1, name_in(q, s, r->node));
        if (!r->v.missing) xlsx_write_number(xw, (long)k + 1, 2, r->v.v);
    }
    return api_send_xlsx(resp, xw, err);
}
