/* keygroup.c — see keygroup.h. */
#include "core/keygroup.h"

#include <string.h>

static bool parse(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (*y < 1800 || *m < 1 || *m > 12 || *d < 1) return false;
    bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    return *d <= mdays[*m - 1] + (*m == 2 && leap);
}

bool keygroup_day(const char *date, long *day)
{
    int y, m, d;
    if (!parse(date, &y, &m, &d)) return false;
    /* days from civil (H. Hinnant) */
    y -= m <= 2;
    long era = y / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *day = era * 146097 + doe - 719468;
    return true;
}

void keygroup_date(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    unsigned yy = (unsigned)((y + (m <= 2)) % 10000 + 10000) % 10000;
    out[0] = (char)('0' + yy / 1000);
    out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10);
    out[3] = (char)('0' + yy % 10);
    out[4] = out[7] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}

int keygroup_age(const char *birth, const char *on)
{
    int by, bm, bd, y, m, d;
    if (!parse(birth, &by, &bm, &bd) || !parse(on, &y, &m, &d)) return -1;
    int age = y - by - (m < bm || (m == bm && d < bd));
    return age < 0 ? -1 : age;
}

bool keygroup_match(const struct keygroup *g, int age, const char *tags)
{
    if (g->age_min >= 0 || g->age_max >= 0) {
        if (age < 0) return false;
        return (g->age_min < 0 || age >= g->age_min) && (g->age_max < 0 || age <= g->age_max);
    }
    if (!g->tags || !*g->tags || !tags || !*tags) return false;
    /* g->tags ",a,b,": look for each ",x," of it in tags */
    const char *p = g->tags;
    while (*p == ',' && p[1]) {
        const char *q = strchr(p + 1, ',');
        if (!q) break;
        char needle[80];
        size_t n = (size_t)(q - p) + 1;
        if (n < sizeof needle) {
            memcpy(needle, p, n);
            needle[n] = 0;
            if (strstr(tags, needle)) return true;
        }
        p = q;
    }
    return false;
}
