/* definitions.c — element and indicator definitions from JSON: request
 * bodies and the definitions file shipped in data/ (data.h). */
#include "app/data.h"
#include "io/json_in.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

int definitions_read_element(struct arena *a, json_t *o, struct element *e, struct err *err)
{
    static const char *const fields[] = {"code",        "name",        "measure", "value_type",
                                         "aggregation", "period_type", "levels",  "min",
                                         "max",         "description", NULL};
    const char *code, *vt, *agg, *pt, *levels = NULL;
    memset(e, 0, sizeof *e);
    int rc = jin_only(o, fields, err);
    if (!rc) rc = jin_str(a, o, "code", ELEMENT_CODE_MAX + 1, &code, err);
    if (!rc) rc = jin_str(a, o, "name", 200, &e->name, err);
    if (!rc) rc = jin_str(a, o, "measure", 32, &e->measure, err);
    if (!rc) rc = jin_str(a, o, "value_type", 16, &vt, err);
    if (!rc) rc = jin_str(a, o, "aggregation", 16, &agg, err);
    if (!rc) rc = jin_str(a, o, "period_type", 16, &pt, err);
    if (!rc) rc = jin_str(a, o, "description", 2000, &e->description, err);
    if (!rc) rc = jin_num(o, "min", &e->has_min, &e->min, err);
    if (!rc) rc = jin_num(o, "max", &e->has_max, &e->max, err);
    if (!rc && json_is_array(json_object_get(o, "levels"))) {
        /* ["village", "township"] as well as "village,township" */
        struct buf b = BUF_INIT;
        json_t *v;
        size_t i;
        json_array_foreach(json_object_get(o, "levels"), i, v)
        {
            if (!json_is_string(v) || json_string_length(v) > 16) {
                buf_free(&b);
                return err_set_field(err, ERR_INVALID, "levels", "levels 须为层级名称的数组");
            }
            buf_printf(&b, "%s%s", i ? "," : "", json_string_value(v));
        }
        levels = arena_strndup(a, b.p ? b.p : "", b.len);
        buf_free(&b);
    } else if (!rc) {
        rc = jin_str(a, o, "levels", 128, &levels, err);
    }
    if (rc) return rc;
    if (!code) return err_set_field(err, ERR_INVALID, "code", "缺少数据元代码 code");
    snprintf(e->code, sizeof e->code, "%s", code);
    if ((e->value_type = value_type_parse(vt)) < 0)
        return err_set_field(err, ERR_INVALID, "value_type",
                             "value_type 须为 integer, number, percentage 或 boolean");
    if ((e->aggregation = aggregation_parse(agg)) < 0)
        return err_set_field(err, ERR_INVALID, "aggregation",
                             "aggregation 须为 sum, average 或 none");
    if ((e->period_type = period_type_parse(pt)) < 0)
        return err_set_field(err, ERR_INVALID, "period_type",
                             "period_type 须为 year, quarter 或 month");
    if (!e->measure) e->measure = "";
    if (!e->description) e->description = "";
    return element_levels_parse(levels, &e->levels, err);
}

int definitions_read_indicator(struct arena *a, json_t *o, struct indicator *ind, struct err *err)
{
    static const char *const fields[] = {"code",     "name",    "formula",     "format",
                                         "decimals", "measure", "description", NULL};
    memset(ind, 0, sizeof *ind);
    ind->decimals = 1;
    ind->format = "number";
    int rc = jin_only(o, fields, err);
    const char *format = NULL;
    if (!rc) rc = jin_str(a, o, "code", ELEMENT_CODE_MAX + 1, &ind->code, err);
    if (!rc) rc = jin_str(a, o, "name", 200, &ind->name, err);
    if (!rc) rc = jin_str(a, o, "formula", 4096, &ind->formula, err);
    if (!rc) rc = jin_str(a, o, "format", 16, &format, err);
    if (!rc) rc = jin_str(a, o, "measure", 32, &ind->measure, err);
    if (!rc) rc = jin_str(a, o, "description", 2000, &ind->description, err);
    bool has = false;
    double decimals;
    if (!rc) rc = jin_num(o, "decimals", &has, &decimals, err);
    if (rc) return rc;
    if (format) ind->format = format;
    if (has)
        ind->decimals =
            decimals >= 0 && decimals <= 6 && decimals == (int)decimals ? (int)decimals : -1;
    if (!ind->code) return err_set_field(err, ERR_INVALID, "code", "缺少指标代码 code");
    if (!ind->formula) return err_set_field(err, ERR_INVALID, "formula", "缺少公式 formula");
    if (!ind->measure) ind->measure = "";
    if (!ind->description) ind->description = "";
    return ERR_OK;
}

/* Creates one definition unless its code exists (then it is left alone). */
static int load_one(struct app *app, const struct catalog *cat, json_t *o, bool element,
                    struct arena *a, size_t *added, size_t *existing, struct err *err)
{
    struct element e;
    struct indicator ind;
    int rc = element ? definitions_read_element(a, o, &e, err)
                     : definitions_read_indicator(a, o, &ind, err);
    if (rc) return rc;
    const char *code = element ? e.code : ind.code;
    if (element ? catalog_element(cat, code) != NULL : catalog_indicator(cat, code) != NULL) {
        ++*existing;
        return ERR_OK;
    }
    rc = element ? data_element_create(app, NULL, &e, "cli", err)
                 : data_indicator_create(app, NULL, &ind, "cli", err);
    if (!rc) ++*added;
    return rc;
}

int definitions_load(struct app *app, const char *path, size_t *added, size_t *existing,
                     struct err *err)
{
    *added = *existing = 0;
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        err_setf(err, ERR_INVALID, NULL, "不是合法的 JSON：%s", je.text);
        err_at(err, path, je.line, je.column);
        return ERR_INVALID;
    }
    static const char *const keys[] = {"elements", "indicators", NULL};
    struct arena *a = arena_new();
    int rc = json_is_object(root)
                 ? jin_only(root, keys, err)
                 : err_set(err, ERR_INVALID, "%s 须为 {\"elements\":[…],\"indicators\":[…]}", path);
    /* Elements first: indicators refer to them. */
    for (int pass = 0; pass < 2 && !rc; pass++) {
        json_t *list = json_object_get(root, pass ? "indicators" : "elements"), *o;
        size_t i;
        if (list && !json_is_array(list))
            rc = err_set(err, ERR_INVALID, "%s 须为数组", pass ? "indicators" : "elements");
        json_array_foreach(list, i, o)
        {
            if (rc) break;
            struct catalog cat;
            if (!(rc = catalog_load(app, a, &cat, err)))
                rc = load_one(app, &cat, o, pass == 0, a, added, existing, err);
            if (rc) err_wrap(err, "%s 第 %zu 项", pass ? "indicators" : "elements", i + 1);
        }
    }
    json_decref(root);
    arena_free(a);
    return rc;
}
