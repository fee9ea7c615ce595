/*
 * checkpoint.h — SQLite's WAL copied into the database file by a thread of
 * its own (store.c starts one per SQLite store).
 *
 * SQLite checkpoints in the thread that commits: a commit that takes the
 * WAL past 1,000 frames also writes them into the database file and syncs
 * it (about 10 ms here), and every writer queued behind it waits that long
 * (a ballot's p99 was that stall). Here commits only count the WAL's
 * frames; the checkpointer copies them meanwhile. While writes never pause
 * the WAL cannot start over, so past RESTART_FRAMES the checkpointer makes
 * a short pause itself (SQLITE_CHECKPOINT_RESTART after a passive copy).
 */
#ifndef JICENG_STORE_CHECKPOINT_H
#define JICENG_STORE_CHECKPOINT_H

#include "store/db.h"

#include <pthread.h>

struct checkpointer;

/* Starts the thread, with a connection of its own to the database at path;
 * writer is the store's one-writer lock. NULL when it cannot start: SQLite
 * then checkpoints as it would by itself. */
struct checkpointer *checkpointer_start(const char *path, pthread_mutex_t *writer);
/* Hands the checkpointer db's commits (c NULL: a no-op). */
void checkpointer_watch(struct checkpointer *c, struct db *db);
/* Stops the thread (after the checkpoint it may be running). NULL is a no-op. */
void checkpointer_stop(struct checkpointer *c);

#endif
