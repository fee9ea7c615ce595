/*
 * audit_int.h — what the files of the audit trail share (audit.c: keys,
 * checkpoints, verify; audit_syslog.c).
 * Not for other callers: they use audit.h.
 */
#ifndef JICENG_AUDIT_INT_H
#define JICENG_AUDIT_INT_H

#include "app/audit.h"

#include <stdbool.h>

/* The trail's keys of an open app. */
const struct audit_keys *audit_keys_of(const struct app *app);

/* One line to syslog (facility authpriv): a checkpoint, or an alarm. */
void audit_syslog(bool alarm, const char *text);

#endif
