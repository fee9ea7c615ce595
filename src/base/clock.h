/*
 * clock.h — "now" for what the platform records and counts in days: the
 * times of events and the dates of deadlines. The command line may shift
 * it for a whole run (`jiceng demo` lays out a year in the past so that a
 * notice it opens has ended when it names); a server never does, and
 * sessions, lockouts and rate limits always use the real time.
 */
#ifndef JICENG_CLOCK_H
#define JICENG_CLOCK_H

#include <time.h>

/* The real time plus the shift. */
time_t clock_now(void);
/* Shifts clock_now by seconds (negative: into the past) for the rest of
 * the process; 0 restores the real time. Not for servers. */
void clock_shift(time_t seconds);

#endif
