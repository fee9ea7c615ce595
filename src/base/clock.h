/*
 * clock.h — "now", and the days people count in.
 *
 * Timestamps are UTC ("2026-12-01T07:30:00Z"); days — deadlines, today,
 * the months and weeks of a review — are the deployment's own, in its
 * time zone (config `time_zone`, Asia/Shanghai by default), whatever the
 * server's TZ: clock_zone sets it once for the process at start.
 *
 * The command line may shift "now" for a whole run (`jiceng demo` lays out
 * a year in the past so that a notice it opens has ended when it names); a
 * server never does, and sessions, lockouts and rate limits always use the
 * real time.
 */
#ifndef JICENG_CLOCK_H
#define JICENG_CLOCK_H

#include <time.h>

#include "base/err.h"

/* Sets the zone days are counted in: an IANA name (Asia/Shanghai, needs
 * the system's tz database) or a POSIX TZ string (CST-8). ERR_INVALID for
 * a name the system does not know. */
int clock_zone(const char *zone, struct err *err);
/* The real time plus the shift. */
time_t clock_now(void);
/* Shifts clock_now by seconds (negative: into the past) for the rest of
 * the process; 0 restores the real time. Not for servers. */
void clock_shift(time_t seconds);
/* Today plus some days, in the zone, as YYYY-MM-DD. */
void clock_today(char out[11], int plus_days);
/* The UTC timestamp at which local day `date` (YYYY-MM-DD) begins:
 * "2026-12-01" → "2026-11-30T16:00:00Z" in Asia/Shanghai. "" for a
 * malformed date. */
void clock_day_start_utc(const char *date, char out[21]);
/* The local day a UTC timestamp ("2026-11-30T16:30:00Z") falls on. */
void clock_local_day(const char *utc, char out[11]);
/* A UTC timestamp as the local time people read: "2026-12-01 00:30". ""
 * for a malformed timestamp. */
void clock_local_minute(const char *utc, char out[17]);

#endif
