/*
 * webhook.h — notifications pushed out to a gateway (SMS, WeChat).
 *
 * With `webhook_url` set, every notification row is queued in the
 * database when it is written (notify.h) and a thread of `serve` POSTs
 * the due ones, a batch at a time, as
 *
 *   {"notifications": [{"id", "at", "user", "display_name", "unit",
 *                       "unit_name", "what", "title", "text", "link"}, …]}
 *
 * signed with X-Jiceng-Signature: sha256=HEX (HMAC-SHA256 of the body
 * under `webhook_secret`, when set). A 2xx answer delivers the batch;
 * anything else retries each row later (after webhook_retry seconds,
 * 30 by default, doubling, at most an hour). Rows are claimed before they are sent, so several
 * servers on one database push each at most once per claim: delivery is at least once, and `id`
 * lets the gateway drop repeats. No phone number is sent: the gateway maps accounts to its own
 * contacts.
 */
#ifndef JICENG_WEBHOOK_H
#define JICENG_WEBHOOK_H

#include "app/app.h"

#define WEBHOOK_BATCH 50

struct webhook;

/* Starts the pusher (*out NULL when no webhook_url is set); ERR_INVALID
 * for an address that is not http:// or https://. */
int webhook_start(struct app *app, struct webhook **out, struct err *err);
/* Stops it, after the batch in flight. NULL is fine. */
void webhook_stop(struct webhook *w);
/* Pushes what is due now, once (the thread's round; also for tests). */
int webhook_push_due(struct app *app, size_t *sent, struct err *err);

#endif
