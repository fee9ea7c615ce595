/* rating_summary.c — the ratings of a subtree over HTTP: GET
 * /api/v1/ratings (the review queues) and /api/v1/ratings/summary (levels,
 * stars won and met now, targets, the townships' ranking; or the per-unit
 * ledger as CSV/XLSX), kept between requests (app/memo.c). */
#include "api/api.h"
#include "app/memo.h"
#include "app/ratings.h"
#include "io/csv.h"
#include "io/xlsx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 100
#define LIST_MAX     1000

struct list_ctx {
    struct http_req *req;
    struct jw *w;
    const char *last;
    long n;
};

static int list_one(void *ctx, const struct case_full *f)
{
    struct list_ctx *c = ctx;
    const struct case_rating *r = &f->rating;
    uint32_t node = tree_find(c->req->tree, r->unit, strlen(r->unit));
    if (node == TREE_NONE) return 0;
    struct jw *w = c->w;
    jw_obj(w);
    api_write_unit_ref(w, c->req->tree, "unit", node);
    jw_kstr(w, "scheme", r->scheme);
    jw_kint(w, "target", r->target);
    jw_kstr(w, "state", f->c.state);
    jw_kstr(w, "state_label", api_rating_state(c->req->app, f->c.state));
    jw_kbool(w, "final", f->c.final);
    jw_kbool(w, "named", r->named_at[0] != '\0');
    if (r->level >= 0)
        jw_kint(w, "level", r->level);
    else
        jw_knull(w, "level");
    jw_kstr(w, "updated_at", f->c.updated_at);
    jw_obj_end(w);
    c->last = arena_strdup(c->req->arena, r->unit);
    c->n++;
    return 0;
}

int api_ratings_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct scheme *s = NULL;
    const char *state, *after;
    long limit;
    int rc = api_scheme_param(req, &s, err);
    if (!rc) rc = http_query_text(req, "state", 32, &state, err);
    if (!rc) rc = http_query_text(req, "after", 32, &after, err);
    if (!rc) rc = http_query_int(req, "limit", LIST_DEFAULT, 1, LIST_MAX, &limit, err);
    if (rc) return rc;
    if (state && wf_state_index(ratings_kind(req->app), state) < 0)
        return err_set_field(err, ERR_INVALID, "state", "创建流程没有状态 %s", state);
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct list_ctx c = {req, &w, NULL, 0};
    rc = ratings_list(req->app, s->code, req->unit, state, after, (int)limit, list_one, &c, err);
    jw_arr_end(&w);
    jw_kstr_or_null(&w, "next", c.n == limit ? c.last : NULL);
    jw_obj_end(&w);
    return rc;
}

/* Per township (child of the summary's unit): units, named, level sum. */
struct township {
    uint32_t node;
    long units, named, level_sum;
    long levels[SCHEME_CATEGORIES_MAX + 1];
};

struct summary_ctx {
    struct http_req *req;
    const struct scheme *s;
    uint32_t root;
    struct township *towns;
    size_t ntowns;
    /* the ledger (format=csv|xlsx), else NULL */
    struct buf *csv;
    struct xlsx_writer *xw;
    long row;
};

/* The child of root that holds node. */
static struct township *township_of(struct summary_ctx *c, uint32_t node)
{
    const struct tree *t = c->req->tree;
    while (node != TREE_NONE && tree_node(t, node)->parent != c->root)
        node = tree_node(t, node)->parent;
    for (size_t i = 0; node != TREE_NONE && i < c->ntowns; i++)
        if (c->towns[i].node == node) return &c->towns[i];
    return NULL;
}

static int summary_unit(void *ctx, uint32_t node, const struct case_full *r,
                        const struct rating_result *res)
{
    struct summary_ctx *c = ctx;
    struct township *tw = township_of(c, node);
    int level = res->named ? res->level : 0;
    if (tw) {
        tw->units++;
        tw->named += res->named;
        tw->level_sum += level;
        tw->levels[level]++;
    }
    if (!c->csv && !c->xw) return 0;
    const struct tree *t = c->req->tree;
    const struct scheme *s = c->s;
    const char *cells[6 + 2 * SCHEME_CATEGORIES_MAX];
    int n = 0;
    cells[n++] = tree_node(t, node)->code;
    cells[n++] = tree_name(t, node);
    uint32_t town = node; /* the 乡镇 above the unit */
    while (town != TREE_NONE && tree_node(t, town)->level > UNIT_TOWNSHIP)
        town = tree_node(t, town)->parent;
    cells[n++] = town != TREE_NONE ? tree_name(t, town) : "";
    cells[n++] = r ? arena_printf(c->req->arena, "%d", r->rating.target) : "";
    cells[n++] = r ? api_rating_state(c->req->app, r->c.state) : "未申报";
    cells[n++] = res->named ? arena_printf(c->req->arena, "%d", level) : "";
    for (int k = 0; k < s->ncategories; k++) {
        cells[n++] = res->named ? (res->won[k] ? "是" : "否") : "";
        cells[n++] = res->r.stars[k].qualified ? "是" : "否";
    }
    c->row++;
    for (int i = 0; i < n; i++) {
        if (c->csv) {
            if (i) buf_putc(c->csv, ',');
            csv_write_field(c->csv, cells[i]);
        } else {
            xlsx_write_text(c->xw, c->row, i, cells[i]);
        }
    }
    if (c->csv) buf_putc(c->csv, '\n');
    return 0;
}

static int by_average(const void *x, const void *y)
{
    const struct township *a = x, *b = y;
    double va = a->units ? (double)a->level_sum / (double)a->units : -1;
    double vb = b->units ? (double)b->level_sum / (double)b->units : -1;
    return (va < vb) - (va > vb);
}

static void write_counts(struct jw *w, const char *key, const long *counts, int n)
{
    jw_key(w, key);
    jw_obj(w);
    for (int i = 0; i <= n; i++) {
        char k[12];
        snprintf(k, sizeof k, "%d", i);
        jw_kint(w, k, counts[i]);
    }
    jw_obj_end(w);
}

static int ledger_start(struct summary_ctx *c, struct http_resp *resp, const char *format,
                        struct err *err)
{
    const struct scheme *s = c->s;
    const char *titles[6 + 2 * SCHEME_CATEGORIES_MAX] = {"单位代码", "单位名称", "乡镇",
                                                         "争创星级", "状态",     "命名星级"};
    int n = 6;
    for (int k = 0; k < s->ncategories; k++) {
        titles[n++] = arena_printf(c->req->arena, "%s（已命名）", s->categories[k].name);
        titles[n++] = arena_printf(c->req->arena, "%s（当前达标）", s->categories[k].name);
    }
    resp->status = 200;
    http_add_header(
        resp, "Content-Disposition",
        arena_printf(c->req->arena, "attachment; filename=\"ratings-%s-%s.%s\"",
                     c->root != TREE_NONE ? tree_node(c->req->tree, c->root)->code : "all", s->code,
                     format));
    if (strcmp(format, "csv") == 0) {
        c->csv = &resp->body;
        buf_reset(c->csv);
        buf_puts(c->csv, "\xEF\xBB\xBF");
        for (int i = 0; i < n; i++) {
            if (i) buf_putc(c->csv, ',');
            csv_write_field(c->csv, titles[i]);
        }
        buf_putc(c->csv, '\n');
        return ERR_OK;
    }
    int rc = xlsx_writer_open(NULL, "五星创建", &c->xw, err);
    if (!rc) xlsx_write_header(c->xw, titles, n);
    return rc;
}

int api_ratings_summary(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct scheme *s = NULL;
    const char *format;
    int rc = api_scheme_param(req, &s, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (rc) return rc;
    if (format && strcmp(format, "json") == 0) format = NULL;
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 只能是 json, csv 或 xlsx");
    const struct tree *t = req->tree;
    /* "" is the whole country (TREE_NONE): its "townships" are the provinces */
    uint32_t root = req->unit[0] ? tree_find(t, req->unit, strlen(req->unit)) : TREE_NONE;
    if (root == TREE_NONE && req->unit[0])
        return err_set_field(err, ERR_INVALID, "unit", "请给出单位 unit");
    /* The JSON answer is kept until any rating or data changes (memo.h). */
    const char *key = arena_printf(req->arena, "ratings.summary:%s:%s", s->code, req->unit);
    uint64_t gen = memo_generation(req->app->memo);
    struct jw w;
    http_json(resp, &w);
    if (!format && memo_get(req->app->memo, key, gen, &resp->body)) return ERR_OK;
    struct summary_ctx c = {.req = req, .s = s, .root = root};
    if (root != TREE_NONE) {
        c.towns = arena_zalloc(req->arena, (tree_node(t, root)->nchildren + 1) * sizeof *c.towns);
        for (uint32_t k = tree_first_child(t, root); k != TREE_NONE; k = tree_next_sibling(t, k))
            c.towns[c.ntowns++].node = k;
    } else {
        size_t n = 0;
        for (uint32_t k = 0; k < tree_count(t); k = tree_node(t, k)->post + 1)
            n++;
        c.towns = arena_zalloc(req->arena, (n + 1) * sizeof *c.towns);
        for (uint32_t k = 0; k < tree_count(t); k = tree_node(t, k)->post + 1)
            c.towns[c.ntowns++].node = k;
    }
    if (format && (rc = ledger_start(&c, resp, format, err))) return rc;
    struct rating_summary sum;
    rc = ratings_summary(req->app, s, req->tree, req->unit, summary_unit, &c, &sum, err);
    if (rc || format) {
        if (rc || c.csv) {
            xlsx_writer_free(c.xw);
            if (!rc) resp->content_type = "text/csv; charset=utf-8";
            return rc;
        }
        return api_send_xlsx(resp, c.xw, err);
    }
    jw_obj(&w);
    if (root != TREE_NONE)
        api_write_unit_ref(&w, t, "unit", root);
    else
        jw_knull(&w, "unit"); /* the whole country */
    jw_kstr(&w, "scheme", s->code);
    jw_kint(&w, "units", sum.units);
    jw_kint(&w, "declared", sum.declared);
    jw_kint(&w, "named", sum.named);
    write_counts(&w, "levels", sum.levels, s->ncategories);
    write_counts(&w, "targets", sum.targets, s->ncategories);
    jw_key(&w, "stars");
    jw_obj(&w);
    for (int k = 0; k < s->ncategories; k++) {
        jw_key(&w, s->categories[k].name);
        jw_obj(&w);
        jw_kstr(&w, "code", s->categories[k].code);
        jw_kint(&w, "won", sum.won[k]);
        jw_kint(&w, "meets_now", sum.meets_now[k]);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
    qsort(c.towns, c.ntowns, sizeof *c.towns, by_average);
    jw_key(&w, "townships");
    jw_arr(&w);
    for (size_t i = 0; i < c.ntowns; i++) {
        const struct township *tw = &c.towns[i];
        if (!tw->units) continue;
        jw_obj(&w);
        jw_kstr(&w, "code", tree_node(t, tw->node)->code);
        jw_kstr(&w, "name", tree_name(t, tw->node));
        jw_kint(&w, "units", tw->units);
        jw_kint(&w, "named", tw->named);
        jw_knum(&w, "average_level", round((double)tw->level_sum / (double)tw->units * 100) / 100);
        write_counts(&w, "levels", tw->levels, s->ncategories);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    memo_put(req->app->memo, key, gen, resp->body.p, resp->body.len);
    return ERR_OK;
}
