/* audit.c — reading and checking the audit trail (audit.h). */
#include "app/audit.h"
#include "store/store.h"

int audit_list(struct app *app, const struct audit_filter *f,
               int (*fn)(void *ctx, const struct audit_record *r), void *ctx, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_audit_list(db, f, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}

int audit_verify(struct app *app, void (*report)(void *ctx, int64_t seq, const char *problem),
                 void *ctx, int64_t *checked, int *problems, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_audit_verify(db, report, ctx, checked, problems, err);
    store_release(app->store, db);
    return rc;
}

int audit_write(struct app *app, const struct audit_entry *e, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_audit_write(db, e, err);
    store_release(app->store, db);
    return rc;
}
