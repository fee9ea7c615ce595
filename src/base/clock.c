/* clock.c — see clock.h. */
#include "base/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic long long shift;

int clock_zone(const char *zone, struct err *err)
{
    /* A name with a '/' must be in the tz database; a name the library
     * does not know silently means UTC, which would move every day. */
    if (strchr(zone, '/')) {
        char path[300];
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
        FILE *f = strstr(zone, "..") ? NULL : fopen(path, "rb");
        if (!f)
            return err_set(err, ERR_INVALID,
                           "time_zone: 不认识的时区 %s（需要系统的时区数据 tzdata，或写作 CST-8）",
                           zone);
        fclose(f);
    }
    setenv("TZ", zone, 1);
    tzset();
    return ERR_OK;
}

time_t clock_now(void)
{
    return time(NULL) + (time_t)atomic_load(&shift);
}

void clock_shift(time_t seconds)
{
    atomic_store(&shift, (long long)seconds);
}

void clock_today(char out[11], int plus_days)
{
    time_t now = clock_now() + (time_t)plus_days * 86400;
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void clock_day_start_utc(const char *date, char out[21])
{
    struct tm tm = {0};
    const char *end = date ? strptime(date, "%Y-%m-%d", &tm) : NULL;
    out[0] = '\0';
    if (!end || *end) return;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    struct tm u;
    if (t != (time_t)-1 && gmtime_r(&t, &u)) strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &u);
}

void clock_local_day(const char *utc, char out[11])
{
    struct tm tm = {0};
    const char *end = utc ? strptime(utc, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    out[0] = '\0';
    if (!end) return;
    time_t t = timegm(&tm);
    struct tm l;
    if (localtime_r(&t, &l)) strftime(out, 11, "%Y-%m-%d", &l);
}

void clock_local_minute(const char *utc, char out[17])
{
    struct tm tm = {0};
    const char *end = utc ? strptime(utc, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    out[0] = '\0';
    if (!end) return;
    time_t t = timegm(&tm);
    struct tm l;
    if (localtime_r(&t, &l)) strftime(out, 17, "%Y-%m-%d %H:%M", &l);
}
