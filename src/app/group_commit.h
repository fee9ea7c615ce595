/*
 * group_commit.h — many small writes sharing one transaction and so one
 * durable commit (one fsync) instead of one each. A caller hands its write
 * to the group and waits; the first waiting caller becomes the leader,
 * takes every write queued so far, runs each in its own savepoint (a write
 * that fails is undone alone and answers with its own error) and commits
 * them together; the others wake with their answers. Writes that arrive
 * while a batch commits make the next batch. Thread-safe.
 */
#ifndef JICENG_GROUP_COMMIT_H
#define JICENG_GROUP_COMMIT_H

#include "base/err.h"

struct db;
struct store;
struct group_commit;

struct group_commit *group_commit_new(void);
void group_commit_free(struct group_commit *g);

/* Runs write(ctx, db, err) inside a write transaction of the store shared
 * with other callers' writes, and returns once that transaction committed
 * (ERR_OK) or this write or the commit failed (its error in err). write must
 * not begin or end transactions. */
int group_commit_run(struct group_commit *g, struct store *store,
                     int (*write)(void *ctx, struct db *db, struct err *err), void *ctx,
                     struct err *err);

#endif
