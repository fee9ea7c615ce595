/*
 * civil.h — calendar dates as day numbers: days since 1970-01-01 in the
 * proleptic Gregorian calendar (H. Hinnant's days_from_civil and
 * civil_from_days), and the "YYYY-MM-DD" text of a date. The one place
 * of this arithmetic; each module keeps its own range of accepted years.
 * Pure: no I/O.
 */
#ifndef JICENG_CIVIL_H
#define JICENG_CIVIL_H

#include <stdbool.h>

#define CIVIL_TEXT 11 /* "YYYY-MM-DD" + NUL */

long civil_days(int y, int m, int d);
void civil_date(long day, int *y, int *m, int *d);
int civil_month_days(int y, int m);

/* y, m, d of "YYYY-MM-DD": false unless exactly that shape and a real
 * date (any year from 0000). */
bool civil_parse(const char *s, int *y, int *m, int *d);

/* "YYYY-MM-DD" of a day number (years 0–9999). */
void civil_format(long day, char out[CIVIL_TEXT]);

#endif
