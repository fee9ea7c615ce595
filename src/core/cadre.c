/* cadre.c — full years between dates and the 三岗十八级 grade (cadre.h). */
#include "core/cadre.h"

#include <string.h>

/* The number of n digits at s (the caller gave a checked date). */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int cadre_full_years(const char *from, const char *to)
{
    int years = digits(to, 4) - digits(from, 4);
    /* "MM-DD" compares as text: a birthday not reached yet this year */
    if (strncmp(to + 5, from + 5, 5) < 0) years--;
    return years;
}

int cadre_grade(int start, int years, int years_per_step, int extra, int grades)
{
    int g = start + extra + (years > 0 && years_per_step > 0 ? years / years_per_step : 0);
    if (g < 1) g = 1;
    return g > grades ? grades : g;
}
