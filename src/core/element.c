/* element.c — data elements (element.h). */
#include "core/element.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const vt_names[] = {"integer", "number", "percentage", "boolean"};
static const char *const agg_names[] = {"sum", "average", "none"};

static int find(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (s && strcmp(s, names[i]) == 0) return i;
    return -1;
}

int value_type_parse(const char *s)
{
    return find(vt_names, 4, s);
}

const char *value_type_name(int t)
{
    return t >= 0 && t < 4 ? vt_names[t] : "?";
}

int aggregation_parse(const char *s)
{
    return find(agg_names, 3, s);
}

const char *aggregation_name(int a)
{
    return a >= 0 && a < 3 ? agg_names[a] : "?";
}

int element_code_check(const char *code, struct err *err)
{
    size_t n = strlen(code);
    bool ok = n >= 1 && n <= ELEMENT_CODE_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        char c = code[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '.' || c == '-';
    }
    if (!ok)
        return err_set_field(err, ERR_INVALID, "code",
                             "数据元代码须为 1–%d 个字母、数字或 _ . -，如 toilet.sanitary",
                             ELEMENT_CODE_MAX);
    return ERR_OK;
}

int element_levels_parse(const char *s, uint32_t *out, struct err *err)
{
    *out = 0;
    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        int level = unit_level_parse(s, n);
        if (level <= UNIT_LEVEL_NONE)
            return err_set_field(err, ERR_INVALID, "levels",
                                 "不认识的层级“%.*s”（可用 province, city, county, township, "
                                 "village, grid, building）",
                                 (int)(n > 32 ? 32 : n), s);
        *out |= 1u << level;
        s = comma ? comma + 1 : s + n;
    }
    return ERR_OK;
}

bool element_level_ok(const struct element *e, int level)
{
    return e->levels == 0 || (e->levels & (1u << level)) != 0;
}

int element_value_check(const struct element *e, double v, struct err *err)
{
    if (!isfinite(v)) return err_set_field(err, ERR_INVALID, "value", "数值无效");
    if (e->value_type == VT_INTEGER && v != floor(v))
        return err_set_field(err, ERR_INVALID, "value", "%s 须为整数，收到 %g", e->code, v);
    if (e->value_type == VT_BOOLEAN && v != 0 && v != 1)
        return err_set_field(err, ERR_INVALID, "value", "%s 是“是/否”项，只能填 1（是）或 0（否）",
                             e->code);
    double lo = e->has_min ? e->min : e->value_type == VT_PERCENTAGE ? 0 : -INFINITY;
    double hi = e->has_max ? e->max : e->value_type == VT_PERCENTAGE ? 100 : INFINITY;
    if (v < lo || v > hi) {
        char range[96];
        if (isinf(lo))
            snprintf(range, sizeof range, "不大于 %g", hi);
        else if (isinf(hi))
            snprintf(range, sizeof range, "不小于 %g", lo);
        else
            snprintf(range, sizeof range, "在 %g 到 %g 之间", lo, hi);
        return err_set_field(err, ERR_INVALID, "value", "%s 的值须%s，收到 %g", e->code, range, v);
    }
    return ERR_OK;
}
