/*
 * keygroup.h — 重点人群 of family-doctor contracting: a resident belongs to
 * a key group by age (65+, 0–6) or by a health tag (hypertension,
 * diabetes …). The groups are data (data/health.json key_groups); this is
 * the test, with no I/O.
 */
#ifndef JICENG_KEYGROUP_H
#define JICENG_KEYGROUP_H

#include <stdbool.h>

struct keygroup {
    const char *code, *name;
    int age_min, age_max; /* whole years, inclusive; -1: no bound */
    const char *tags;     /* ",a,b,": any of them; "" none */
};

/* Whole years between birth and on ("YYYY-MM-DD"); -1 when either is not
 * a date or birth is after on. */
int keygroup_age(const char *birth, const char *on);

/* Whether a resident of age (-1 unknown) with tags ",a,b," is in g: by
 * age when g has an age bound (unknown age never matches), else by any of
 * g's tags. */
bool keygroup_match(const struct keygroup *g, int age, const char *tags);

/* Day number of a "YYYY-MM-DD" date (days since 1970-01-01), or false when
 * it is not a real date. */
bool keygroup_day(const char *date, long *day);

/* The date of a day number, "YYYY-MM-DD". */
void keygroup_date(long day, char out[11]);

#endif
