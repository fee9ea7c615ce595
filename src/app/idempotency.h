/*
 * idempotency.h — a write made with an Idempotency-Key happens once: a
 * repeat of the request (the same key from the same user, the same
 * method, path and body) gets the first answer and writes nothing more,
 * across restarts and across servers on one database. The record is
 * inserted by the request's own write transaction (db_before_commit), so
 * the write and its record commit together: a repeat arriving while the
 * first is still running, or after a crash between the commit and the
 * storing of the answer, is refused with 409, never run twice.
 */
#ifndef JICENG_IDEMPOTENCY_H
#define JICENG_IDEMPOTENCY_H

#include "base/arena.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

struct app;

#define IDEM_KEY_MAX 128

/* A stored answer, replayed to a repeat. */
struct idem_answer {
    int status;
    const char *content_type;
    const void *body;
    size_t len;
};

struct idem {
    struct app *app;
    const char *principal, *key;
    char fingerprint[65];
};

/* Checks key (1 to IDEM_KEY_MAX printable ASCII characters) and looks it
 * up for principal ("user:<id>" or "public"). A stored answer of the same
 * request: *found, and the answer in *replay. None: arms the commit hook
 * and returns ERR_OK with !*found, the request is to run. Errors: a key
 * used for another request (ERR_INVALID, field "Idempotency-Key"), a
 * request committed but not answered yet (ERR_CONFLICT). */
int idem_begin(struct app *app, struct arena *a, const char *principal, const char *key,
               const char *method, const char *path, const void *body, size_t len, struct idem *x,
               struct idem_answer *replay, bool *found, struct err *err);

/* Whether the request's write has committed with its record. */
bool idem_committed(void);

/* After the request ran: disarms the hook and keeps the answer — when its
 * write committed with the record, or when it succeeded without a write
 * transaction (then with a record of its own). A failed request that
 * wrote nothing leaves nothing: its repeat runs again. */
void idem_finish(struct idem *x, int status, const char *content_type, const void *body,
                 size_t len);

/* After the request failed: has a repeat that ran alongside committed
 * meanwhile? Then its answer (*found), or ERR_CONFLICT while it is being
 * answered — the failure was only the repeat meeting its own write. */
int idem_recheck(const struct idem *x, struct arena *a, struct idem_answer *replay, bool *found,
                 struct err *err);

#endif
