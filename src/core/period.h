/*
 * period.h — reporting periods: a year "2023", a quarter "2023Q3" or a
 * month "2023-07". Values are entered for the period type of their data
 * element; queries may ask for a coarser period, which then covers the
 * finer ones inside it (a year holds its four quarters and twelve months).
 */
#ifndef JICENG_PERIOD_H
#define JICENG_PERIOD_H

#include <stdbool.h>

#include "base/err.h"

enum period_type { PERIOD_YEAR, PERIOD_QUARTER, PERIOD_MONTH };

#define PERIOD_TEXT_MAX 8 /* "2023-07" plus NUL */
#define PERIOD_YEAR_MIN 1949
#define PERIOD_YEAR_MAX 2100

struct period {
    int type; /* enum period_type */
    int year;
    int sub; /* quarter 1–4 or month 1–12; 0 for a year */
};

/* Parses "2023", "2023Q3" (also "2023q3") or "2023-07"; ERR_INVALID with a
 * message naming the accepted forms. */
int period_parse(const char *s, struct period *out, struct err *err);
void period_format(const struct period *p, char out[PERIOD_TEXT_MAX]);
/* "year", "quarter", "month" ↔ enum period_type (-1 if unknown). */
int period_type_parse(const char *s);
const char *period_type_name(int type);
const char *period_type_label(int type); /* 年, 季度, 月 */

/* The stored periods of type `type` that lie inside q, as the inclusive
 * text range [lo, hi] (the stored texts sort chronologically within a
 * type). ERR_INVALID when `type` is coarser than q (a yearly value cannot
 * answer for a month). */
int period_range(const struct period *q, int type, char lo[PERIOD_TEXT_MAX],
                 char hi[PERIOD_TEXT_MAX], struct err *err);

#endif
