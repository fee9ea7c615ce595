/*
 * workdays.c — see workdays.h. Days are the tree's (core/tree.h: days since
 * 1970-01-01).
 */
#include "core/workdays.h"
#include "core/tree.h"

#include <stdlib.h>

int32_t workdays_parse(const char *s)
{
    int32_t day;
    return tree_day_parse(s, &day) && day >= 0 ? day : -1; /* from 1970 on */
}

void workdays_format(int32_t day, char out[11])
{
    tree_day_format(day, out);
}

static bool contains(const int32_t *a, size_t n, int32_t day)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] == day) return true;
        if (a[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool workdays_is_working(const struct workdays *c, int32_t day)
{
    if (contains(c->off, c->noff, day)) return false;
    int wd = (int)(((int64_t)day % 7 + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
    if (wd < 5) return true;
    return contains(c->work, c->nwork, day);
}

int32_t workdays_add(const struct workdays *c, int32_t day, int n)
{
    while (n > 0) {
        day++;
        if (workdays_is_working(c, day)) n--;
    }
    return day;
}
