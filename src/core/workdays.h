/*
 * workdays.h — counting working days on a calendar kept as data
 * (data/calendar.json): Monday to Friday work, Saturday and Sunday rest,
 * except the public holidays ("off") and the 调休 make-up working days
 * ("work") the 国务院办公厅 publishes each year.
 *
 * Days are day numbers (days since 1970-01-01, proleptic Gregorian). Pure:
 * no I/O; the caller owns the sorted arrays of holidays and make-up days.
 */
#ifndef JICENG_WORKDAYS_H
#define JICENG_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct workdays {
    const int32_t *off; /* sorted ascending: holidays that are not working days */
    size_t noff;
    const int32_t *work; /* sorted ascending: weekend days that are working days */
    size_t nwork;
};

/* "YYYY-MM-DD" → day number; -1 (and nothing else) when not a real date. */
int32_t workdays_parse(const char *s);
/* Day number → "YYYY-MM-DD". */
void workdays_format(int32_t day, char out[11]);

bool workdays_is_working(const struct workdays *c, int32_t day);

/* The day on which the n-th working day after `day` falls (n >= 1): the
 * deadline "within n working days from day" ends at the end of that day. */
int32_t workdays_add(const struct workdays *c, int32_t day, int n);

#endif
