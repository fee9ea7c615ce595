/*
 * audit_int.h — what the files of the audit trail share (audit.c: keys,
 * checkpoints, verify; audit_rows.c: after-images and rows; audit_syslog.c).
 * Not for other callers: they use audit.h.
 */
#ifndef JICENG_AUDIT_INT_H
#define JICENG_AUDIT_INT_H

#include "app/audit.h"

#include <stdbool.h>

/* The trail's keys of an open app. */
const struct audit_keys *audit_keys_of(const struct app *app);

/* What the trail says each audited row should be: the last after-image of
 * every user, data value and case, taken record by record in seq order. */
struct audit_rows;
struct audit_rows *audit_rows_new(void);
void audit_rows_free(struct audit_rows *rows);
/* Takes the after-images r holds, record by record in seq order. When r's
 * content does not match its hash (`trusted` false; verify reports it),
 * the rows it names are left uncompared instead. */
void audit_rows_take(struct audit_rows *rows, const struct audit_record *r, bool trusted);
/* Compares every current user, data value and case (read on db, in its
 * open transaction) with rows, reporting each that differs, is missing,
 * or has no image; counts into out. */
int audit_rows_compare(struct app *app, struct db *db, struct audit_rows *rows,
                       audit_report_fn report, void *ctx, struct audit_verify_result *out,
                       struct err *err);

/* One line to syslog (facility authpriv): a checkpoint, or an alarm. */
void audit_syslog(bool alarm, const char *text);

#endif
