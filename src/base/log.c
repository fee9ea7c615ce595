/* log.c — see log.h. One fprintf per line keeps lines whole across threads. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static const char *const names[] = {"debug", "info", "warn", "error", "off"};

void log_set_level(enum log_level level)
{
    min_level = level;
}

int log_level_parse(const char *name)
{
    for (int i = 0; i <= LOG_OFF; i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

void log_msg(enum log_level level, const char *event, const char *fields, ...)
{
    if (level < min_level || level >= LOG_OFF) return;
    char stamp[32], rest[1024];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    va_list ap;
    va_start(ap, fields);
    vsnprintf(rest, sizeof rest, fields, ap);
    va_end(ap);
    fprintf(stderr, "%s %s event=%s%s%s\n", stamp, names[level], event, rest[0] ? " " : "", rest);
}
