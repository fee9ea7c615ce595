/*
 * group_commit.h — many small writes sharing one transaction and so one
 * durable commit (one fsync) instead of one each. Callers hand their writes
 * to the group; a writer thread of its own takes every write queued so far,
 * runs each in its own savepoint (a write that fails is undone alone and
 * answers with its own error), commits them together and answers each.
 * Writes that arrive while a batch commits make the next batch.
 *
 * The writer has a connection of its own (store_connect): no other
 * connection writes between its batches, so SQLite keeps its page cache.
 * Submitting never waits for the disk, so an HTTP worker thread can serve
 * its other connections meanwhile (http_defer). Thread-safe.
 */
#ifndef JICENG_GROUP_COMMIT_H
#define JICENG_GROUP_COMMIT_H

#include "base/err.h"

struct db;
struct store;
struct group_commit;

/* A write on its way. The caller owns it until done(job) is called, once,
 * from the writer thread, with rc and err set; done may free it. */
struct group_job {
    /* runs inside the batch's write transaction; must not begin or end one */
    int (*write)(void *ctx, struct db *db, struct err *err);
    void (*done)(struct group_job *job);
    void *ctx;
    int rc;
    struct err err;
    struct group_job *next; /* the group's */
};

struct group_commit *group_commit_new(void);
/* Answers the writes still queued, then stops the writer. */
void group_commit_free(struct group_commit *g);

/* Queues job for the next batch on store (the same store every time). */
void group_commit_submit(struct group_commit *g, struct store *store, struct group_job *job);

/* Runs write(ctx, db, err) in the next batch and returns once that batch
 * committed (ERR_OK) or this write or the commit failed (its error in err). */
int group_commit_run(struct group_commit *g, struct store *store,
                     int (*write)(void *ctx, struct db *db, struct err *err), void *ctx,
                     struct err *err);

#endif
