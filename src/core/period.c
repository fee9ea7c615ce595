/* period.c — reporting periods (period.h). */
#include "core/period.h"
#include "core/civil.h"

#include <stdio.h>
#include <string.h>

static const char *const type_names[] = {"year", "quarter", "month", "week"};
static const char *const type_labels[] = {"年", "季度", "月", "周"};
#define NTYPES 4

/* 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
static int iso_weekday(long days)
{
    long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w) + 1;
}

/* The Monday of week 1 of ISO week-year y: the week holding 4 January. */
static long week1_monday(int y)
{
    long jan4 = civil_days(y, 1, 4);
    return jan4 - (iso_weekday(jan4) - 1);
}

static int weeks_in_year(int y)
{
    return (int)((week1_monday(y + 1) - week1_monday(y)) / 7);
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* The value of n decimal digits (checked by digits). */
static int number(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int period_parse(const char *s, struct period *out, struct err *err)
{
    size_t n = strlen(s);
    memset(out, 0, sizeof *out);
    bool ok = n >= 4 && digits(s, 4);
    if (ok) out->year = number(s, 4);
    if (ok && n == 4) {
        out->type = PERIOD_YEAR;
    } else if (ok && n == 6 && (s[4] == 'Q' || s[4] == 'q') && s[5] >= '1' && s[5] <= '4') {
        out->type = PERIOD_QUARTER;
        out->sub = s[5] - '0';
    } else if (ok && n == 7 && s[4] == '-' && digits(s + 5, 2)) {
        out->type = PERIOD_MONTH;
        out->sub = number(s + 5, 2);
        ok = out->sub >= 1 && out->sub <= 12;
    } else if (ok && n == 8 && s[4] == '-' && (s[5] == 'W' || s[5] == 'w') && digits(s + 6, 2)) {
        out->type = PERIOD_WEEK;
        out->sub = number(s + 6, 2);
        ok = out->year >= PERIOD_YEAR_MIN && out->year <= PERIOD_YEAR_MAX && out->sub >= 1 &&
             out->sub <= weeks_in_year(out->year);
    } else {
        ok = false;
    }
    if (!ok || out->year < PERIOD_YEAR_MIN || out->year > PERIOD_YEAR_MAX)
        return err_set_field(err, ERR_INVALID, "period",
                             "期间“%.16s”无效：应写作 2023（年）、2023Q3（季度）、2023-07（月）"
                             "或 2023-W07（周）",
                             s);
    return ERR_OK;
}

void period_format(const struct period *p, char out[PERIOD_TEXT_MAX])
{
    if (p->type == PERIOD_QUARTER)
        snprintf(out, PERIOD_TEXT_MAX, "%04dQ%d", p->year, p->sub);
    else if (p->type == PERIOD_MONTH)
        snprintf(out, PERIOD_TEXT_MAX, "%04d-%02d", p->year, p->sub);
    else if (p->type == PERIOD_WEEK)
        snprintf(out, PERIOD_TEXT_MAX, "%04d-W%02d", p->year, p->sub);
    else
        snprintf(out, PERIOD_TEXT_MAX, "%04d", p->year);
}

int period_type_parse(const char *s)
{
    for (int t = 0; t < NTYPES; t++)
        if (s && strcmp(s, type_names[t]) == 0) return t;
    return -1;
}

const char *period_type_name(int type)
{
    return type >= 0 && type < NTYPES ? type_names[type] : "?";
}

const char *period_type_label(int type)
{
    return type >= 0 && type < NTYPES ? type_labels[type] : "?";
}

int period_range(const struct period *q, int type, char lo[PERIOD_TEXT_MAX],
                 char hi[PERIOD_TEXT_MAX], struct err *err)
{
    if (type < q->type)
        return err_set_field(err, ERR_INVALID, "period", "按%s填报的数据不能按%s查询",
                             period_type_label(type), period_type_label(q->type));
    if (type == PERIOD_WEEK && (q->type == PERIOD_QUARTER || q->type == PERIOD_MONTH))
        return err_set_field(err, ERR_INVALID, "period",
                             "按周填报的数据只能按周或年查询：周会跨月、跨季度");
    struct period a = {type, q->year, 0}, b = {type, q->year, 0};
    if (type == PERIOD_WEEK) { /* q is an ISO week-year or this week */
        a.sub = q->type == PERIOD_WEEK ? q->sub : 1;
        b.sub = q->type == PERIOD_WEEK ? q->sub : weeks_in_year(q->year);
    } else if (type == PERIOD_QUARTER) { /* q is a year or this quarter */
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

static void format_date(long days, char out[11])
{
    civil_format(days, out);
}

void period_dates(const struct period *p, char start[11], char next[11])
{
    long a, b;
    if (p->type == PERIOD_WEEK) {
        a = week1_monday(p->year) + 7L * (p->sub - 1);
        b = a + 7;
    } else if (p->type == PERIOD_MONTH || p->type == PERIOD_QUARTER) {
        int m = p->type == PERIOD_MONTH ? p->sub : p->sub * 3 - 2;
        int span = p->type == PERIOD_MONTH ? 1 : 3;
        a = civil_days(p->year, m, 1);
        b = m + span > 12 ? civil_days(p->year + 1, m + span - 12, 1)
                          : civil_days(p->year, m + span, 1);
    } else {
        a = civil_days(p->year, 1, 1);
        b = civil_days(p->year + 1, 1, 1);
    }
    format_date(a, start);
    format_date(b, next);
}

int period_week_of(const char *date, struct period *out, struct err *err)
{
    char check[11];
    if (strlen(date) != 10 || !digits(date, 4) || date[4] != '-' || !digits(date + 5, 2) ||
        date[7] != '-' || !digits(date + 8, 2))
        return err_set(err, ERR_INVALID, "日期“%.16s”无效：应写作 2026-11-23", date);
    int y = number(date, 4), m = number(date + 5, 2), d = number(date + 8, 2);
    if (y < PERIOD_YEAR_MIN || y > PERIOD_YEAR_MAX || m < 1 || m > 12 || d < 1 || d > 31)
        return err_set(err, ERR_INVALID, "日期“%.16s”无效：应写作 2026-11-23", date);
    long days = civil_days(y, m, d);
    format_date(days, check);
    if (strcmp(check, date) != 0)
        return err_set(err, ERR_INVALID, "日期“%.16s”无效：应写作 2026-11-23", date);
    /* The week-year is the year of this week's Thursday. */
    int wy, wm, wd;
    civil_date(days - iso_weekday(days) + 4, &wy, &wm, &wd);
    *out = (struct period){PERIOD_WEEK, wy, (int)((days - week1_monday(wy)) / 7) + 1};
    return ERR_OK;
}
