/*
 * log.h — one logging function with levels and key=value fields (OpenBSD
 * daemons' log.c). Lines go to stderr as
 *   2026-11-22T10:00:00Z info event=serve.start listen=127.0.0.1:8080
 * Never pass personal data (ID-card or phone numbers) or secrets here.
 */
#ifndef JICENG_LOG_H
#define JICENG_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_set_level(enum log_level level);
/* Parses "debug", "info", "warn", "error" or "off"; -1 if unknown. */
int log_level_parse(const char *name);
/* fields is a printf format producing space-separated key=value pairs. */
void log_msg(enum log_level level, const char *event, const char *fields, ...)
    __attribute__((format(printf, 3, 4)));

#endif
