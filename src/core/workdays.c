/*
 * workdays.c — see workdays.h. Date arithmetic after Howard Hinnant's
 * days_from_civil / civil_from_days (public domain).
 */
#include "core/workdays.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int32_t workdays_parse(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
    int32_t day = days_from_civil(y, m, d);
    int yy, mm, dd;
    civil_from_days(day, &yy, &mm, &dd);
    return (yy == y && mm == m && dd == d) ? day : -1; /* rejects 02-30 */
}

void workdays_format(int32_t day, char out[11])
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u, dd = (unsigned)d % 100u;
    snprintf(out, 11, "%04u-%02u-%02u", yy, mm, dd);
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
