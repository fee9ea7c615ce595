/*
 * write_tx.c — the tail every write of app/ shares: the write and its audit
 * record in one transaction, and the computed source it makes stale, here
 * and (through the notice) on the other servers of a shared database.
 */
#include "app/app.h"
#include "app/analytics.h"
#include "store/store.h"

#include <stdio.h>

int app_write_tx(struct app *app, const struct audit_entry *ae, const char *changed,
                 app_write_fn write, void *ctx, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = write(db, ctx, err);
    if (!rc && ae) rc = store_audit_append(db, ae, err);
    if (!rc && changed) {
        char payload[64];
        snprintf(payload, sizeof payload, APP_CHANGED_ELEMENT "%s", changed);
        rc = db_notify(db, payload, err);
    }
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc && changed) analytics_invalidate(app, changed);
    return rc;
}
