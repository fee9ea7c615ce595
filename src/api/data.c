/*
 * data.c — data elements, indicators and values over HTTP:
 * GET/POST /api/v1/elements, GET/POST /api/v1/indicators,
 * GET/POST /api/v1/values and POST /api/v1/values/import (a CSV or XLSX
 * ledger). Checks and the all-or-nothing write are in app/data.c.
 */
#include "api/api.h"
#include "app/checks.h"
#include "app/data.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define VALUES_DEFAULT 100
#define VALUES_MAX     1000

static void write_element(struct jw *w, const struct element *e)
{
    jw_obj(w);
    jw_kstr(w, "code", e->code);
    jw_kstr(w, "name", e->name);
    jw_kstr(w, "measure", e->measure);
    jw_kstr(w, "value_type", value_type_name(e->value_type));
    jw_kstr(w, "aggregation", aggregation_name(e->aggregation));
    jw_kstr(w, "period_type", period_type_name(e->period_type));
    /* counted from the registry (people.h): never entered */
    if (e->computed) {
        jw_key(w, "computed");
        jw_raw(w, e->computed, strlen(e->computed));
    } else {
        jw_knull(w, "computed");
    }
    jw_key(w, "levels");
    jw_arr(w);
    for (int l = UNIT_PROVINCE; l < UNIT_LEVEL_COUNT; l++)
        if (e->levels & (1u << l)) jw_str(w, unit_level_name(l));
    jw_arr_end(w);
    if (e->has_min)
        jw_knum(w, "min", e->min);
    else
        jw_knull(w, "min");
    if (e->has_max)
        jw_knum(w, "max", e->max);
    else
        jw_knull(w, "max");
    jw_kstr(w, "description", e->description);
    jw_obj_end(w);
}

static void write_indicator(struct jw *w, const struct indicator *ind)
{
    jw_obj(w);
    jw_kstr(w, "code", ind->code);
    jw_kstr(w, "name", ind->name);
    jw_kstr(w, "formula", ind->formula);
    jw_kstr(w, "format", ind->format);
    jw_kint(w, "decimals", ind->decimals);
    jw_kstr(w, "measure", ind->measure);
    jw_kstr(w, "description", ind->description);
    jw_obj_end(w);
}

int api_elements_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct catalog cat;
    int rc = catalog_load(req->app, req->arena, &cat, err);
    if (rc) return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < cat.nelements; i++)
        write_element(&w, &cat.elements[i]);
    api_items_end(&w);
    return ERR_OK;
}

int api_elements_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct element e;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    rc = definitions_read_element(req->arena, body, &e, err);
    if (!rc) rc = data_element_create(req->app, req->user, &e, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    write_element(&w, &e);
    return ERR_OK;
}

int api_indicators_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct catalog cat;
    int rc = catalog_load(req->app, req->arena, &cat, err);
    if (rc) return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < cat.nindicators; i++)
        write_indicator(&w, &cat.indicators[i]);
    api_items_end(&w);
    return ERR_OK;
}

int api_indicators_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct indicator ind;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    rc = definitions_read_indicator(req->arena, body, &ind, err);
    if (!rc) rc = data_indicator_create(req->app, req->user, &ind, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    write_indicator(&w, &ind);
    return ERR_OK;
}

/* ---- values ---- */

/* {"received","changed","warnings"}: the warnings confirmed with the write. */
static void write_changed(struct http_req *req, struct http_resp *resp, size_t n, size_t changed,
                          const struct values_checks *chk)
{
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "received", (int64_t)n);
    jw_kint(&w, "changed", (int64_t)changed);
    api_write_violations(&w, req->tree, "warnings", chk);
    jw_obj_end(&w);
}

/* POST /api/v1/values?confirm= [{"element","unit","period","value"}…]; a
 * null value removes it. One transaction: all or nothing; checked against
 * approvals and validation rules (app/checks.h). */
int api_values_write(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"element", "unit", "period", "value", NULL};
    json_t *body, *item;
    size_t i, n, changed = 0;
    int rc = http_body_json_array(req, &body, err);
    if (rc) return rc;
    n = json_array_size(body);
    struct value_in *items = arena_zalloc(req->arena, (n ? n : 1) * sizeof *items);
    json_array_foreach(body, i, item)
    {
        struct value_in *v = &items[i];
        bool has = false;
        if (!json_is_object(item))
            rc =
                err_set(err, ERR_INVALID, "每一项须为 {\"element\",\"unit\",\"period\",\"value\"}");
        if (!rc) rc = jin_only(item, fields, err);
        if (!rc) rc = jin_str(req->arena, item, "element", ELEMENT_CODE_MAX + 1, &v->element, err);
        if (!rc) rc = jin_str(req->arena, item, "unit", 32, &v->unit, err);
        if (!rc) rc = jin_str(req->arena, item, "period", 16, &v->period, err);
        if (!rc) rc = jin_num(item, "value", &has, &v->value, err);
        if (!rc && !has && !json_is_null(json_object_get(item, "value")))
            rc = err_set_field(err, ERR_INVALID, "value", "缺少 value（删除数据请传 null）");
        v->clear = !has;
        if (rc) {
            err_wrap(err, "第 %zu 项", i + 1);
            err->item = (long)i + 1;
            break;
        }
    }
    struct values_checks chk = {.a = req->arena};
    if (!rc) rc = api_confirm_param(req, &chk.confirm, err);
    if (!rc)
        rc = data_values_write_checked(req->app, req->user, items, n, req->client, "api", &chk,
                                       &changed, err);
    if (rc) return api_values_refused(req, resp, rc, err, &chk);
    write_changed(req, resp, n, changed, &chk);
    return ERR_OK;
}

/* POST /api/v1/values/import?period=P&confirm= with a CSV or XLSX ledger
 * as the body. */
int api_values_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *period, *name;
    struct values_checks chk = {.a = req->arena};
    int rc = http_query_text(req, "period", 16, &period, err);
    if (!rc) rc = http_query_text(req, "name", 200, &name, err);
    if (!rc) rc = api_confirm_param(req, &chk.confirm, err);
    if (rc) return rc;
    if (!req->body.len) return err_set(err, ERR_INVALID, "请上传 CSV 或 XLSX 台账文件");
    struct value_in *items;
    size_t n, changed;
    if (!name) name = "上传的文件";
    if ((rc = data_ledger_read(req->app, req->arena, req->body.p, req->body.len, name, period,
                               &items, &n, err)))
        return rc;
    if (n == 0) return err_set(err, ERR_INVALID, "%s 中没有任何数据", name);
    if ((rc = data_values_write_checked(req->app, req->user, items, n, req->client, name, &chk,
                                        &changed, err)))
        return api_values_refused(req, resp, rc, err, &chk);
    write_changed(req, resp, n, changed, &chk);
    return ERR_OK;
}

struct list_ctx {
    struct jw *w;
    const struct tree *t;
    int n;
    char last[128];
};

static int list_one(void *ctx, const struct value_row *v)
{
    struct list_ctx *c = ctx;
    uint32_t i = tree_find(c->t, v->unit, strlen(v->unit));
    jw_obj(c->w);
    jw_kstr(c->w, "element", v->element);
    jw_kstr(c->w, "unit", v->unit);
    jw_kstr_or_null(c->w, "unit_name", i == TREE_NONE ? NULL : tree_name(c->t, i));
    jw_kstr(c->w, "period", v->period);
    jw_knum(c->w, "value", v->value);
    jw_kstr(c->w, "updated_by", v->updated_by);
    jw_kstr(c->w, "updated_at", v->updated_at);
    jw_obj_end(c->w);
    snprintf(c->last, sizeof c->last, "%s|%s|%s", v->unit, v->element, v->period);
    c->n++;
    return 0;
}

/* GET /api/v1/values?unit=&element=&period=&limit=&after=: values entered
 * inside the unit's subtree (not rolled up; see /analytics for that). */
int api_values_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *element, *period, *after;
    long limit;
    int rc = http_query_text(req, "element", ELEMENT_CODE_MAX, &element, err);
    if (!rc) rc = http_query_text(req, "period", 16, &period, err);
    if (!rc) rc = http_query_text(req, "after", 127, &after, err);
    if (!rc) rc = http_query_int(req, "limit", VALUES_DEFAULT, 1, VALUES_MAX, &limit, err);
    if (rc) return rc;
    struct value_filter f = {.scope = req->unit, .element = element, .limit = (int)limit};
    char lo[PERIOD_TEXT_MAX], hi[PERIOD_TEXT_MAX];
    if (period) {
        struct period p;
        if ((rc = period_parse(period, &p, err))) return rc;
        period_format(&p, lo);
        snprintf(hi, sizeof hi, "%s", lo);
        f.lo = lo;
        f.hi = hi;
    }
    if (after) {
        char *copy = arena_strdup(req->arena, after), *bar1 = strchr(copy, '|'),
             *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
        if (!bar2)
            return err_set_field(err, ERR_INVALID, "after", "after 须为上一页返回的 next 值");
        *bar1 = *bar2 = '\0';
        f.after[0] = copy;
        f.after[1] = bar1 + 1;
        f.after[2] = bar2 + 1;
    }
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct list_ctx c = {.w = &w, .t = req->tree};
    if ((rc = data_values_list(req->app, &f, list_one, &c, err))) return rc;
    jw_arr_end(&w);
    jw_kstr_or_null(&w, "next", c.n == limit ? c.last : NULL);
    jw_obj_end(&w);
    return ERR_OK;
}
