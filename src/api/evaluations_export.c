/* evaluations_export.c — a closed campaign's results as a workbook:
 * GET /api/v1/evaluations/{id}?format=xlsx. The sheet is made from the
 * same answer the page reads (kept once the campaign closed), so the two
 * never disagree. */
#include "api/api.h"
#include "app/evaluations.h"
#include "io/json_out.h"
#include "io/xlsx.h"

#include <jansson.h>

#define RESULT_COLUMNS 7

static const char *const titles[RESULT_COLUMNS] = {
    "名次", "评议对象", "得分", "等次", "有效票", "无效票（不了解等）", "是否整改"};

static void write_row(struct xlsx_writer *xw, long row, json_t *r)
{
    json_t *rank = json_object_get(r, "rank"), *score = json_object_get(r, "score");
    if (json_integer_value(rank) > 0)
        xlsx_write_number(xw, row, 0, (double)json_integer_value(rank));
    xlsx_write_text(xw, row, 1, json_string_value(json_object_get(r, "name")));
    if (json_is_number(score)) xlsx_write_number(xw, row, 2, json_number_value(score));
    const char *grade = json_string_value(json_object_get(r, "grade_name"));
    xlsx_write_text(xw, row, 3, grade ? grade : "");
    xlsx_write_number(xw, row, 4, (double)json_integer_value(json_object_get(r, "valid")));
    xlsx_write_number(xw, row, 5, (double)json_integer_value(json_object_get(r, "invalid")));
    xlsx_write_text(xw, row, 6, json_is_true(json_object_get(r, "follow_up")) ? "须整改" : "");
}

int api_evaluation_export(struct http_req *req, struct http_resp *resp, int64_t id, struct err *err)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    int rc = evaluations_write(req->app, id, false, req->arena, &w, err);
    json_t *root = rc ? NULL : json_loadb(b.p, b.len, 0, NULL);
    buf_free(&b);
    if (!rc && !root) rc = err_set(err, ERR_INTERNAL, "评议结果无法读取");
    json_t *results = rc ? NULL : json_object_get(root, "results");
    if (!rc && !json_is_array(results)) rc = err_set(err, ERR_CONFLICT, "评议结束后才能导出结果");
    struct xlsx_writer *xw = NULL;
    if (!rc) rc = xlsx_writer_open(NULL, "评议结果", &xw, err);
    if (rc) {
        json_decref(root);
        return rc;
    }
    xlsx_write_header(xw, titles, RESULT_COLUMNS);
    for (size_t i = 0; i < json_array_size(results); i++)
        write_row(xw, (long)i + 1, json_array_get(results, i));
    http_add_header(
        resp, "Content-Disposition",
        arena_printf(req->arena, "attachment; filename=\"evaluation-%lld.xlsx\"", (long long)id));
    json_decref(root);
    resp->status = 200;
    return api_send_xlsx(resp, xw, err);
}
