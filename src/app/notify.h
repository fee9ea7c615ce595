/*
 * notify.h — in-app notifications: who hears of a case step, and a
 * reader's own list, unread count and read marks.
 *
 * A case that enters a state tells whoever moves it on from there: the
 * accounts of its owner unit holding the permission of an owner's step
 * (签收, 整改, 自评), or, for a review step ("by": "above": 验收, 销号, 审核),
 * the accounts of the nearest unit above the owner that has someone
 * holding it. Never the one who took the step. Notices (notices.h) add a
 * row for each of their recipients. With a webhook set (webhook.h), every
 * row is also pushed out.
 */
#ifndef JICENG_NOTIFY_H
#define JICENG_NOTIFY_H

#include "app/auth.h"
#include "app/cases.h"
#include "core/notice.h"

struct db;

#define NOTIFY_LIST_MAX 100

/* Inside the caller's write transaction: the rows for this change of f. */
int notify_case(struct app *app, struct db *db, const struct case_full *f,
                const struct case_event *ev, struct arena *a, struct err *err);
/* Where the web app shows what x is about: "#/items/ID", "#/ratings/UNIT"
 * or "#/notices/ID". */
void notify_link(const struct app *app, const struct notification *x, char *out, size_t cap);
/* When a new row should first be pushed (unix seconds), -1 without a webhook. */
int64_t notify_push_from(const struct app *app);

/* The reader's notifications about units in their scope, newest first,
 * ids below before_id (0: from the newest), at most limit; rows valid
 * during fn. */
int notify_list(struct app *app, const struct auth_user *reader, bool unread, int64_t before_id,
                int limit, int (*fn)(void *ctx, const struct notification *x), void *ctx,
                struct err *err);
int notify_unread(struct app *app, const struct auth_user *reader, int64_t *n, struct err *err);
/* Marks notification id (0: every one) of the reader read; *changed rows. */
int notify_read(struct app *app, const struct auth_user *reader, int64_t id, int64_t *changed,
                struct err *err);
/* Marks read what the reader was told about this case (opening it). */
int notify_read_case(struct app *app, const struct auth_user *reader, int64_t case_id,
                     struct err *err);

#endif
