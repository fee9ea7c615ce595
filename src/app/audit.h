/*
 * audit.h — reading and checking the audit trail (store/audit.c writes it
 * with every change; core/audit_chain.c is its hash chain).
 */
#ifndef JICENG_AUDIT_H
#define JICENG_AUDIT_H

#include "app/app.h"
#include "core/audit_chain.h"

/* Records matching f, newest first; strings valid during fn. */
int audit_list(struct app *app, const struct audit_filter *f,
               int (*fn)(void *ctx, const struct audit_record *r), void *ctx, struct err *err);
/* Checks the whole chain (report may be NULL); *problems == 0 when intact. */
int audit_verify(struct app *app, void (*report)(void *ctx, int64_t seq, const char *problem),
                 void *ctx, int64_t *checked, int *problems, struct err *err);
/* One record in a transaction of its own, for reads worth recording
 * (a phone number revealed) and refusals. */
int audit_write(struct app *app, const struct audit_entry *e, struct err *err);

#endif
