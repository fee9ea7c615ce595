/*
 * review.c — GET /api/v1/items/review?unit=&month=&type=&format=: the
 * monthly review (月讲评) of work items per child unit, ranked by on-time
 * rate, as JSON or as an XLSX/CSV ledger. Figures: app/review.c.
 */
#include "api/api.h"
#include "core/period.h"
#include "app/items.h"
#include "app/review.h"
#include "io/csv.h"
#include "io/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The figures derived from a row; a missing one (nothing to average) is < 0. */
struct figures {
    double rate, days, satisfaction;
};

static struct figures figures_of(const struct review_row *r)
{
    struct figures f = {-1, -1, -1};
    if (r->done) {
        f.rate = 100.0 * (double)r->on_time / (double)r->done;
        f.days = r->days_sum / (double)r->done;
    }
    if (r->rated) f.satisfaction = r->rating_sum / (double)r->rated;
    return f;
}

/* Higher on-time rate first, then more finished, then code order. */
static int by_rank(const void *a, const void *b)
{
    const struct review_row *x = a, *y = b;
    double fx = figures_of(x).rate, fy = figures_of(y).rate;
    if (fx != fy) return fx > fy ? -1 : 1;
    if (x->done != y->done) return x->done > y->done ? -1 : 1;
    return x->node < y->node ? -1 : 1;
}

static void write_num(struct jw *w, const char *key, double v)
{
    if (v < 0)
        jw_knull(w, key);
    else
        jw_knum(w, key, (double)(long long)(v * 10 + 0.5) / 10); /* one decimal */
}

static void write_row(struct jw *w, const struct tree *t, const struct review_row *r, int rank)
{
    struct figures f = figures_of(r);
    jw_obj(w);
    jw_kstr(w, "code", tree_node(t, r->node)->code);
    jw_kstr(w, "name", tree_name(t, r->node));
    if (rank) jw_kint(w, "rank", rank);
    jw_kint(w, "received", r->received);
    jw_kint(w, "done", r->done);
    jw_kint(w, "on_time", r->on_time);
    jw_kint(w, "overdue", r->overdue);
    jw_kint(w, "reopened", r->reopened);
    write_num(w, "on_time_rate", f.rate);
    write_num(w, "avg_days", f.days);
    write_num(w, "satisfaction", f.satisfaction);
    jw_obj_end(w);
}

static const char *const titles[] = {"排名",          "单位代码",     "单位名称",  "受理",
                                     "办结",          "按时办结",     "超期",      "重新整改",
                                     "按时办结率(%)", "平均办理天数", "群众满意度"};

static int export_review(struct http_req *req, struct http_resp *resp, const char *format,
                         const struct tree *t, const struct review_row *rows, size_t n,
                         const struct review_row *total, const char *month, struct err *err)
{
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"review-%s-%s.%s\"",
                                 tree_node(t, total->node)->code, month, format));
    resp->status = 200;
    bool csv = strcmp(format, "csv") == 0;
    struct xlsx_writer *xw = NULL;
    int rc = ERR_OK;
    if (csv) {
        resp->content_type = "text/csv; charset=utf-8";
        buf_reset(&resp->body);
        buf_puts(&resp->body, "\xEF\xBB\xBF");
        for (int c = 0; c < 11; c++)
            buf_printf(&resp->body, "%s%s", c ? "," : "", titles[c]);
        buf_putc(&resp->body, '\n');
    } else {
        if ((rc = xlsx_writer_open(NULL, "月讲评", &xw, err))) return rc;
        xlsx_write_header(xw, titles, 11);
    }
    for (size_t k = 0; k <= n; k++) { /* the rows ranked, then the total */
        const struct review_row *r = k < n ? &rows[k] : total;
        struct figures f = figures_of(r);
        double nums[] = {(double)r->received,
                         (double)r->done,
                         (double)r->on_time,
                         (double)r->overdue,
                         (double)r->reopened,
                         f.rate,
                         f.days,
                         f.satisfaction};
        const char *rank = k < n ? arena_printf(req->arena, "%zu", k + 1) : "合计";
        if (csv) {
            buf_printf(&resp->body, "%s,%s,", rank, tree_node(t, r->node)->code);
            csv_write_field(&resp->body, tree_name(t, r->node));
            for (int c = 0; c < 8; c++) {
                buf_putc(&resp->body, ',');
                if (nums[c] >= 0)
                    csv_write_number(&resp->body, (double)(long long)(nums[c] * 10 + 0.5) / 10);
            }
            buf_putc(&resp->body, '\n');
        } else {
            xlsx_write_text(xw, (long)k + 1, 0, rank);
            xlsx_write_text(xw, (long)k + 1, 1, tree_node(t, r->node)->code);
            xlsx_write_text(xw, (long)k + 1, 2, tree_name(t, r->node));
            for (int c = 0; c < 8; c++)
                if (nums[c] >= 0)
                    xlsx_write_number(xw, (long)k + 1, 3 + c,
                                      (double)(long long)(nums[c] * 10 + 0.5) / 10);
        }
    }
    if (csv) return ERR_OK;
    return api_send_xlsx(resp, xw, err);
}

int api_items_review(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *month, *week, *type, *format;
    int rc = http_query_text(req, "month", 16, &month, err);
    if (!rc) rc = http_query_text(req, "week", 16, &week, err);
    if (!rc) rc = http_query_text(req, "type", 32, &type, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (rc) return rc;
    if (!month == !week)
        return err_set_field(err, ERR_INVALID, "month",
                             "请给出月份 month（如 2026-11）或周 week（如 2026-W48），只给一个");
    const char *period = month ? month : week;
    struct period p;
    if (period_parse(period, &p, err) == ERR_OK && p.type != (month ? PERIOD_MONTH : PERIOD_WEEK))
        return err_set_field(err, ERR_INVALID, month ? "month" : "week",
                             month ? "月份须写作 2026-11" : "周须写作 2026-W48（ISO 周）");
    if (type && !items_kind(req->app, type))
        return err_set_field(err, ERR_INVALID, "type", "没有事项类型 %s", type);
    if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
        strcmp(format, "xlsx") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 只能是 json, csv 或 xlsx");
    const struct tree *t = req->tree;
    uint32_t unit = req->unit[0] ? tree_find(t, req->unit, strlen(req->unit)) : TREE_NONE;
    if (unit == TREE_NONE) return err_set_field(err, ERR_INVALID, "unit", "请给出单位 unit");
    struct review_row *rows, total;
    size_t n;
    if ((rc = review_period(req->app, t, unit, period, type, &rows, &n, &total, err))) {
        if (strcmp(err->field, "period") == 0) /* name the parameter given */
            snprintf(err->field, sizeof err->field, "%s", month ? "month" : "week");
        return rc;
    }
    qsort(rows, n, sizeof *rows, by_rank);
    if (format && strcmp(format, "json") != 0) {
        rc = export_review(req, resp, format, t, rows, n, &total, period, err);
        free(rows);
        return rc;
    }
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "unit");
    jw_obj(&w);
    jw_kstr(&w, "code", tree_node(t, unit)->code);
    jw_kstr(&w, "name", tree_name(t, unit));
    jw_obj_end(&w);
    jw_kstr_or_null(&w, "month", month);
    jw_kstr_or_null(&w, "week", week);
    jw_kstr_or_null(&w, "type", type);
    jw_key(&w, "total");
    write_row(&w, t, &total, 0);
    jw_key(&w, "units");
    jw_arr(&w);
    for (size_t k = 0; k < n; k++)
        write_row(&w, t, &rows[k], (int)k + 1);
    jw_arr_end(&w);
    jw_obj_end(&w);
    free(rows);
    return ERR_OK;
}
