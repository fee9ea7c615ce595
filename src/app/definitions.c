/* definitions.c — element and indicator definitions from JSON: request
 * bodies and the definitions file shipped in data/ (data.h). */
#include "app/computed_sources.h"
#include "app/checks.h"
#include "app/data.h"
#include "app/people.h"
#include "io/json_in.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int definitions_read_element(struct arena *a, json_t *o, struct element *e, struct err *err)
{
    static const char *const fields[] = {"code",        "name",        "measure",  "value_type",
                                         "aggregation", "period_type", "levels",   "min",
                                         "max",         "description", "computed", NULL};
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
    json_t *computed = json_object_get(o, "computed");
    if (!rc && computed) {
        char *text = json_is_object(computed) ? json_dumps(computed, JSON_COMPACT) : NULL;
        if (!text)
            rc = err_set_field(err, ERR_INVALID, "computed",
                               "computed 须为对象，如 {\"source\":\"memberships\"}");
        else if (strlen(text) > 1000)
            rc = err_set_field(err, ERR_INVALID, "computed", "computed 过长");
        else
            e->computed = arena_strdup(a, text);
        free(text);
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
                             "period_type 须为 year, quarter, month 或 week");
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

int definitions_read_rule(struct arena *a, json_t *o, struct rule_def *d, struct err *err)
{
    static const char *const fields[] = {"code",        "message",     "left",
                                         "operator",    "right",       "severity",
                                         "period_type", "description", NULL};
    const char *op = NULL, *severity = NULL, *pt = NULL;
    memset(d, 0, sizeof *d);
    int rc = jin_only(o, fields, err);
    if (!rc) rc = jin_str(a, o, "code", ELEMENT_CODE_MAX + 1, &d->code, err);
    if (!rc) rc = jin_str(a, o, "message", RULE_MESSAGE_MAX, &d->message, err);
    if (!rc) rc = jin_str(a, o, "left", FORMULA_SRC_MAX, &d->left, err);
    if (!rc) rc = jin_str(a, o, "operator", 8, &op, err);
    if (!rc) rc = jin_str(a, o, "right", FORMULA_SRC_MAX, &d->right, err);
    if (!rc) rc = jin_str(a, o, "severity", 16, &severity, err);
    if (!rc) rc = jin_str(a, o, "period_type", 16, &pt, err);
    if (!rc) rc = jin_str(a, o, "description", 2000, &d->description, err);
    if (rc) return rc;
    if (!d->code) return err_set_field(err, ERR_INVALID, "code", "缺少校验规则代码 code");
    if (!op) return err_set_field(err, ERR_INVALID, "operator", "缺少比较符 operator，如 <=");
    d->op = rule_op_parse(op);
    d->severity = severity ? rule_severity_parse(severity) : RULE_ERROR;
    d->period_type = pt ? period_type_parse(pt) : -1;
    if (pt && d->period_type < 0)
        return err_set_field(err, ERR_INVALID, "period_type",
                             "period_type 须为 year, quarter, month 或 week");
    if (!d->description) d->description = "";
    return ERR_OK; /* the rest is rule_compile's (core/rule.c) */
}

/* The definitions of one file, read and checked before any is written. */
struct defs {
    struct app *app;
    struct catalog cat; /* what the database has */
    struct element *elements;
    struct indicator *indicators;
    struct rule_def *rules;
    size_t nelements, nindicators, nrules;
    struct rule_def *existing; /* the rules the database has */
    size_t nexisting;
};

/* An element the database has, or one the file defines. */
static bool known(void *ctx, const char *code)
{
    const struct defs *d = ctx;
    for (size_t i = 0; i < d->nelements; i++)
        if (strcmp(d->elements[i].code, code) == 0) return true;
    return catalog_element(&d->cat, code) != NULL;
}

/* An element the database has or the file defines, for rules. */
static const struct element *find_element(void *ctx, const char *code)
{
    const struct defs *d = ctx;
    for (size_t i = 0; i < d->nelements; i++)
        if (strcmp(d->elements[i].code, code) == 0) return &d->elements[i];
    return catalog_element(&d->cat, code);
}

/* Reads and checks a rule of the file; *is_new says whether to create it. */
static int read_rule(struct defs *d, json_t *o, struct arena *a, bool *is_new, struct err *err)
{
    struct rule_def *r = &d->rules[d->nrules];
    int rc = definitions_read_rule(a, o, r, err);
    if (rc) return rc;
    *is_new = true;
    for (size_t i = 0; i < d->nexisting && *is_new; i++)
        *is_new = strcmp(d->existing[i].code, r->code) != 0;
    if (!*is_new) return ERR_OK;
    for (size_t i = 0; i < d->nrules; i++)
        if (strcmp(d->rules[i].code, r->code) == 0)
            return err_set_field(err, ERR_INVALID, "code", "代码 %s 在文件中出现了两次", r->code);
    if (!(rc = rules_check_def(r, find_element, d, err))) d->nrules++;
    return rc;
}

/* Reads and checks entry i of a list; *is_new says whether to create it. */
static int read_one(struct defs *d, json_t *o, bool element, struct arena *a, bool *is_new,
                    struct err *err)
{
    struct element *e = &d->elements[d->nelements];
    struct indicator *ind = &d->indicators[d->nindicators];
    int rc = element ? definitions_read_element(a, o, e, err)
                     : definitions_read_indicator(a, o, ind, err);
    if (rc) return rc;
    *is_new = element ? catalog_element(&d->cat, e->code) == NULL
                      : catalog_indicator(&d->cat, ind->code) == NULL;
    if (!*is_new) return ERR_OK;
    const char *code = element ? e->code : ind->code;
    for (size_t i = 0; i < (element ? d->nelements : d->nindicators); i++)
        if (strcmp(element ? d->elements[i].code : d->indicators[i].code, code) == 0)
            return err_set_field(err, ERR_INVALID, "code", "代码 %s 在文件中出现了两次", code);
    if (element) {
        rc = data_element_check(e, err);
        if (!rc && e->computed) rc = computed_check(d->app, e->computed, err);
        if (!rc) d->nelements++;
    } else {
        if (!(rc = data_indicator_check(ind, known, d, err))) d->nindicators++;
    }
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
    static const char *const keys[] = {"elements", "indicators", "rules", NULL};
    static const char *const lists[] = {"elements", "indicators", "rules"};
    struct arena *a = arena_new();
    struct defs d = {.app = app};
    int rc = json_is_object(root)
                 ? jin_only(root, keys, err)
                 : err_set(err, ERR_INVALID,
                           "%s 须为 {\"elements\":[…],\"indicators\":[…],\"rules\":[…]}", path);
    if (!rc) rc = catalog_load(app, a, &d.cat, err);
    if (!rc) rc = rules_list(app, a, &d.existing, &d.nexisting, err);
    /* Elements first: indicators and rules refer to them. */
    for (int pass = 0; pass < 3 && !rc; pass++) {
        json_t *list = json_object_get(root, lists[pass]), *o;
        size_t i;
        if (list && !json_is_array(list))
            rc = err_set(err, ERR_INVALID, "%s 须为数组", lists[pass]);
        size_t n = list ? json_array_size(list) : 0;
        if (pass == 0)
            d.elements = arena_zalloc(a, (n ? n : 1) * sizeof *d.elements);
        else if (pass == 1)
            d.indicators = arena_zalloc(a, (n ? n : 1) * sizeof *d.indicators);
        else
            d.rules = arena_zalloc(a, (n ? n : 1) * sizeof *d.rules);
        json_array_foreach(list, i, o)
        {
            bool is_new;
            if (rc) break;
            rc = pass < 2 ? read_one(&d, o, pass == 0, a, &is_new, err)
                          : read_rule(&d, o, a, &is_new, err);
            if (rc)
                err_wrap(err, "%s 第 %zu 项", lists[pass], i + 1);
            else if (!is_new)
                ++*existing;
        }
    }
    for (size_t i = 0; !rc && i < d.nelements; i++)
        if (!(rc = data_element_create(app, auth_cli(app), &d.elements[i], AUTH_CLI_NAME, err)))
            ++*added;
    for (size_t i = 0; !rc && i < d.nindicators; i++)
        if (!(rc = data_indicator_create(app, auth_cli(app), &d.indicators[i], AUTH_CLI_NAME, err)))
            ++*added;
    for (size_t i = 0; !rc && i < d.nrules; i++)
        if (!(rc = rules_create(app, auth_cli(app), &d.rules[i], AUTH_CLI_NAME, err))) ++*added;
    json_decref(root);
    arena_free(a);
    return rc;
}
