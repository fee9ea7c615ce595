/*
 * period.h — reporting periods: a year "2023", a quarter "2023Q3", a
 * month "2023-07" or an ISO 8601 week "2023-W07" (Monday to Sunday; week 1
 * holds the year's first Thursday). Values are entered for the period type
 * of their data element; queries may ask for a coarser period, which then
 * covers the finer ones inside it (a year holds its four quarters, twelve
 * months and the weeks of that ISO week-year). Weeks straddle months and
 * quarters, so weekly values answer only for a week or a year.
 */
#ifndef JICENG_PERIOD_H
#define JICENG_PERIOD_H

#include <stdbool.h>

#include "base/err.h"

enum period_type { PERIOD_YEAR, PERIOD_QUARTER, PERIOD_MONTH, PERIOD_WEEK };

#define PERIOD_TEXT_MAX 9 /* "2023-W07" plus NUL */
#define PERIOD_YEAR_MIN 1949
#define PERIOD_YEAR_MAX 2100

struct period {
    int type; /* enum period_type */
    int year;
    int sub; /* quarter 1–4, month 1–12 or week 1–53; 0 for a year */
};

/* Parses "2023", "2023Q3" (also "2023q3"), "2023-07" or "2023-W07" (also
 * "2023-w07"; week 53 only in years that have one); ERR_INVALID with a
 * message naming the accepted forms. */
int period_parse(const char *s, struct period *out, struct err *err);
void period_format(const struct period *p, char out[PERIOD_TEXT_MAX]);
/* "year", "quarter", "month", "week" ↔ enum period_type (-1 if unknown). */
int period_type_parse(const char *s);
const char *period_type_name(int type);
const char *period_type_label(int type); /* 年, 季度, 月, 周 */

/* The calendar days p covers, as dates "YYYY-MM-DD": [start, next). */
void period_dates(const struct period *p, char start[11], char next[11]);
/* The ISO week holding the date "YYYY-MM-DD"; ERR_INVALID if it is no date. */
int period_week_of(const char *date, struct period *out, struct err *err);

/* The stored periods of type `type` that lie inside q, as the inclusive
 * text range [lo, hi] (the stored texts sort chronologically within a
 * type). ERR_INVALID when `type` is coarser than q (a yearly value cannot
 * answer for a month), or weekly and q a quarter or a month. */
int period_range(const struct period *q, int type, char lo[PERIOD_TEXT_MAX],
                 char hi[PERIOD_TEXT_MAX], struct err *err);

#endif
