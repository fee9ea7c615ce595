/*
 * notices.h — 通知公告: a unit's announcement to every account in a
 * subtree (all villages of a township), with attachments and read
 * receipts.
 *
 * A notice reaches the enabled accounts inside its unit when it is sent
 * (later accounts do not receive old notices); each gets a notification,
 * and reading the notice is its receipt. A notice can be read by its
 * recipients and by anyone whose scope covers its unit (the sender's unit
 * and those above it), who also see the receipts.
 */
#ifndef JICENG_NOTICES_H
#define JICENG_NOTICES_H

#include "app/auth.h"
#include "app/files.h"
#include "core/notice.h"

#define NOTICES_LIST_MAX 100

struct notice_new {
    const char *unit, *title, *body;
    const struct file_ref *files;
    size_t nfiles;
};

/* Sends a notice (checked: unit in the sender's scope and with someone to
 * receive it, title, body, files); *out (in a) as stored. */
int notices_create(struct app *app, const struct auth_user *sender, const struct notice_new *in,
                   const char *client, struct arena *a, struct notice *out, struct err *err);
/* Newest first: those the reader received, or (sent) those sent to units
 * in the reader's scope. Rows valid during fn. */
int notices_list(struct app *app, const struct auth_user *reader, bool sent, int64_t before_id,
                 int limit, int (*fn)(void *ctx, const struct notice *n), void *ctx,
                 struct err *err);

/* A notice as its reader sees it. */
struct notice_view {
    struct notice n;
    struct notice_file *files;
    size_t nfiles;
    bool recipient; /* the reader received it (and may mark it read) */
    bool overseer;  /* the reader's scope covers its unit: they see the receipts */
};
/* ERR_NOT_FOUND unless the reader received it or oversees its unit. */
int notices_get(struct app *app, const struct auth_user *reader, int64_t id, struct arena *a,
                struct notice_view *out, struct err *err);
/* The reader's receipt (only a recipient's counts; idempotent). */
int notices_read(struct app *app, const struct auth_user *reader, int64_t id, struct err *err);
/* Who received it and when each read it, ordered by unit; overseers only. */
int notices_receipts(struct app *app, const struct auth_user *reader, int64_t id,
                     int (*fn)(void *ctx, const struct notice_receipt *r), void *ctx,
                     struct err *err);
/* An attached file with its bytes (in a). */
int notices_file(struct app *app, const struct auth_user *reader, int64_t id, const char *sha256,
                 struct arena *a, struct notice_file *out, const void **data, struct err *err);

#endif
