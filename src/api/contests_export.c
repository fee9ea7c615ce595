/* contests_export.c — a contest's results as a workbook:
 * GET /api/v1/contests/{id}?format=xlsx, made from the page's own answer
 * so the two never disagree: contestants by rank (unranked last) with
 * their stage, site-visit and total scores, award and support fund. */
#include "api/api.h"
#include "app/contests.h"
#include "io/json_out.h"
#include "io/xlsx.h"

#include <jansson.h>

#define RESULT_COLUMNS 8

static const char *const titles[RESULT_COLUMNS] = {
    "名次", "选手", "单位", "现场比武得分", "实地察看得分", "总分", "奖项", "扶持资金（元）"};

static void number_or_blank(struct xlsx_writer *xw, long row, int col, json_t *v)
{
    if (json_is_number(v)) xlsx_write_number(xw, row, col, json_number_value(v));
}

static void write_row(struct xlsx_writer *xw, long row, json_t *c)
{
    json_int_t rank = json_integer_value(json_object_get(c, "rank"));
    if (rank > 0) xlsx_write_number(xw, row, 0, (double)rank);
    xlsx_write_text(xw, row, 1, json_string_value(json_object_get(c, "name")));
    xlsx_write_text(xw, row, 2,
                    json_string_value(json_object_get(json_object_get(c, "unit"), "name")));
    number_or_blank(xw, row, 3, json_object_get(c, "stage_score"));
    number_or_blank(xw, row, 4, json_object_get(c, "site_score"));
    number_or_blank(xw, row, 5, json_object_get(c, "total"));
    const char *award = json_string_value(json_object_get(c, "award"));
    xlsx_write_text(xw, row, 6, award ? award : "");
    if (award) number_or_blank(xw, row, 7, json_object_get(c, "fund"));
}

int api_contest_export(struct http_req *req, struct http_resp *resp, int64_t id, struct err *err)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    int rc = contests_write(req->app, id, req->user->name, req->arena, &w, err);
    json_t *root = rc ? NULL : json_loadb(b.p, b.len, 0, NULL);
    buf_free(&b);
    if (!rc && !root) rc = err_set(err, ERR_INTERNAL, "比武结果无法读取");
    struct xlsx_writer *xw = NULL;
    if (!rc) rc = xlsx_writer_open(NULL, "比武结果", &xw, err);
    if (rc) {
        json_decref(root);
        return rc;
    }
    xlsx_write_header(xw, titles, RESULT_COLUMNS);
    json_t *list = json_object_get(root, "contestants");
    size_t n = json_array_size(list);
    long row = 1;
    /* by rank, the unranked (not yet scored) last in the order on stage */
    for (json_int_t r = 1; r <= (json_int_t)n; r++)
        for (size_t i = 0; i < n; i++)
            if (json_integer_value(json_object_get(json_array_get(list, i), "rank")) == r)
                write_row(xw, row++, json_array_get(list, i));
    for (size_t i = 0; i < n; i++)
        if (json_integer_value(json_object_get(json_array_get(list, i), "rank")) < 1)
            write_row(xw, row++, json_array_get(list, i));
    http_add_header(
        resp, "Content-Disposition",
        arena_printf(req->arena, "attachment; filename=\"contest-%lld.xlsx\"", (long long)id));
    json_decref(root);
    resp->status = 200;
    return api_send_xlsx(resp, xw, err);
}
