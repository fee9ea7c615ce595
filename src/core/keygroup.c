/* keygroup.c — see keygroup.h. */
#include "core/keygroup.h"
#include "core/civil.h"

#include <string.h>

/* The dates of people's lives: from 1800 on. */
static bool parse(const char *s, int *y, int *m, int *d)
{
    return civil_parse(s, y, m, d) && *y >= 1800;
}

bool keygroup_day(const char *date, long *day)
{
    int y, m, d;
    if (!parse(date, &y, &m, &d)) return false;
    *day = civil_days(y, m, d);
    return true;
}

void keygroup_date(long z, char out[11])
{
    civil_format(z, out);
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
