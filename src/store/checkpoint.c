/* checkpoint.c — SQLite's WAL checkpointed off the committing thread
 * (checkpoint.h). */
#include "store/checkpoint.h"
#include "base/log.h"
#include "base/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

enum {
    CHECKPOINT_FRAMES = 250,    /* ~1 MiB (SQLite's own: 1,000): small copies, short contention */
    RESTART_FRAMES = 16 * 1000, /* the WAL's bound (64 MiB) while writes never pause */
    RESTART_POLLS = 50,         /* 200 µs apart: readers' 10 ms to leave the WAL */
};

struct checkpointer {
    struct db *db;           /* its own connection: never waits for the pool's */
    pthread_mutex_t *writer; /* the store's one-writer lock (db.h) */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int frames; /* in the WAL after the last commit */
    int copied; /* in the WAL when the last checkpoint ran */
    bool stop;
};

static bool due(const struct checkpointer *c)
{
    return c->frames - c->copied >= CHECKPOINT_FRAMES;
}

/* Called by every commit, in the committing thread: counts, never waits. */
static void on_commit(void *ctx, int frames)
{
    struct checkpointer *c = ctx;
    pthread_mutex_lock(&c->mu);
    if (frames < c->copied) c->copied = 0; /* the WAL started over */
    c->frames = frames;
    if (due(c)) pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void *run(void *arg)
{
    struct checkpointer *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->stop && !due(c))
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->stop) break;
        pthread_mutex_unlock(&c->mu);

        struct err e = {0};
        int frames = 0;
        int rc = db_sqlite_checkpoint(c->db, false, &frames, &e);
        if (!rc && frames >= RESTART_FRAMES) {
            /* Writes have not paused for the WAL to start over: pause them
             * (writers wait on the store's writer lock, woken when it is
             * free), copy what came meanwhile and wait for readers to leave
             * the WAL. They leave within a request: a short poll, not
             * SQLite's busy handler, whose sleeps grow to 100 ms. */
            pthread_mutex_lock(c->writer);
            for (int i = 0; i < RESTART_POLLS; i++) {
                rc = db_sqlite_checkpoint(c->db, true, &frames, &e);
                if (rc != ERR_BUSY) break;
                usleep(200);
            }
            pthread_mutex_unlock(c->writer);
        }
        /* a busy database is checkpointed at the next commit's count */
        if (rc && rc != ERR_BUSY) log_msg(LOG_WARN, "db.checkpoint", "error=\"%s\"", e.msg);

        pthread_mutex_lock(&c->mu);
        c->copied = frames;
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

struct checkpointer *checkpointer_start(const char *path, pthread_mutex_t *writer)
{
    struct checkpointer *c = xcalloc(1, sizeof *c);
    c->writer = writer;
    struct err e = {0};
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    /* busy: answered at once (run polls where it waits) */
    if (db_open_sqlite(path, false, &c->db, &e) || db_exec(c->db, "PRAGMA busy_timeout=0", &e) ||
        pthread_create(&c->thread, NULL, run, c)) {
        /* SQLite goes on checkpointing in the committing thread */
        log_msg(LOG_WARN, "db.checkpoint", "start=failed error=\"%s\"", e.msg);
        db_close(c->db);
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        free(c);
        return NULL;
    }
    return c;
}

void checkpointer_watch(struct checkpointer *c, struct db *db)
{
    if (c) db_sqlite_on_commit(db, on_commit, c);
}

void checkpointer_stop(struct checkpointer *c)
{
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    db_close(c->db);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}
