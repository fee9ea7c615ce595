/* period.c — reporting periods (period.h). */
#include "core/period.h"

#include <stdio.h>
#include <string.h>

static const char *const type_names[] = {"year", "quarter", "month"};
static const char *const type_labels[] = {"年", "季度", "月"};

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

int period_parse(const char *s, struct period *out, struct err *err)
{
    size_t n = strlen(s);
    memset(out, 0, sizeof *out);
    bool ok = n >= 4 && digits(s, 4);
    if (ok) out->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (ok && n == 4) {
        out->type = PERIOD_YEAR;
    } else if (ok && n == 6 && (s[4] == 'Q' || s[4] == 'q') && s[5] >= '1' && s[5] <= '4') {
        out->type = PERIOD_QUARTER;
        out->sub = s[5] - '0';
    } else if (ok && n == 7 && s[4] == '-' && digits(s + 5, 2)) {
        out->type = PERIOD_MONTH;
        out->sub = (s[5] - '0') * 10 + (s[6] - '0');
        ok = out->sub >= 1 && out->sub <= 12;
    } else {
        ok = false;
    }
    if (!ok || out->year < PERIOD_YEAR_MIN || out->year > PERIOD_YEAR_MAX)
        return err_set_field(err, ERR_INVALID, "period",
                             "期间“%.16s”无效：应写作 2023（年）、2023Q3（季度）或 2023-07（月）",
                             s);
    return ERR_OK;
}

void period_format(const struct period *p, char out[PERIOD_TEXT_MAX])
{
    if (p->type == PERIOD_QUARTER)
        snprintf(out, PERIOD_TEXT_MAX, "%04dQ%d", p->year, p->sub);
    else if (p->type == PERIOD_MONTH)
        snprintf(out, PERIOD_TEXT_MAX, "%04d-%02d", p->year, p->sub);
    else
        snprintf(out, PERIOD_TEXT_MAX, "%04d", p->year);
}

int period_type_parse(const char *s)
{
    for (int t = 0; t < 3; t++)
        if (s && strcmp(s, type_names[t]) == 0) return t;
    return -1;
}

const char *period_type_name(int type)
{
    return type >= 0 && type < 3 ? type_names[type] : "?";
}

const char *period_type_label(int type)
{
    return type >= 0 && type < 3 ? type_labels[type] : "?";
}

int period_range(const struct period *q, int type, char lo[PERIOD_TEXT_MAX],
                 char hi[PERIOD_TEXT_MAX], struct err *err)
{
    if (type < q->type)
        return err_set_field(err, ERR_INVALID, "period", "按%s填报的数据不能按%s查询",
                             period_type_label(type), period_type_label(q->type));
    struct period a = {type, q->year, 0}, b = {type, q->year, 0};
    if (type == PERIOD_QUARTER) { /* q is a year or this quarter */
        a.sub = q->type == PERIOD_QUARTER ? q->sub : 1;
        b.sub = q->type == PERIOD_QUARTER ? q->sub : 4;
    } else if (type == PERIOD_MONTH) {
        a.sub = q->type == PERIOD_MONTH ? q->sub : q->type == PERIOD_QUARTER ? q->sub * 3 - 2 : 1;
        b.sub = q->type == PERIOD_MONTH ? q->sub : q->type == PERIOD_QUARTER ? q->sub * 3 : 12;
    }
    period_format(&a, lo);
    period_format(&b, hi);
    return ERR_OK;
}
