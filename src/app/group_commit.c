/* group_commit.c — writes committed in batches (group_commit.h). */
#include "app/group_commit.h"
#include "base/mem.h"
#include "store/store.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct job {
    int (*write)(void *ctx, struct db *db, struct err *err);
    void *ctx;
    struct err *err;
    int rc;
    bool done, lead;     /* answered; or handed the lead of the next batch */
    pthread_cond_t wake; /* this caller's own: a batch wakes its callers only */
    struct job *next;
};

struct group_commit {
    pthread_mutex_t mu;
    struct job *head, **tail; /* queued, not yet taken by a leader */
    bool leading;             /* a leader is writing a batch or was handed one */
};

struct group_commit *group_commit_new(void)
{
    struct group_commit *g = xcalloc(1, sizeof *g);
    pthread_mutex_init(&g->mu, NULL);
    g->tail = &g->head;
    return g;
}

void group_commit_free(struct group_commit *g)
{
    if (!g) return;
    pthread_mutex_destroy(&g->mu);
    free(g);
}

/* Every job of the batch that has no answer yet answers with e. */
static void fail_all(struct job *batch, const struct err *e)
{
    for (struct job *j = batch; j; j = j->next)
        if (j->rc == ERR_OK) {
            *j->err = *e;
            j->rc = e->kind ? e->kind : ERR_DB;
        }
}

/* One transaction for the batch; a savepoint per job, so that a job's
 * failure undoes that job only. */
static void write_batch(struct store *store, struct job *batch)
{
    struct err e = {0};
    struct db *db = store_acquire(store);
    int rc = db_begin(db, true, &e);
    for (struct job *j = batch; !rc && j; j = j->next) {
        if ((rc = db_exec(db, "SAVEPOINT group_commit", &e))) break;
        j->rc = j->write(j->ctx, db, j->err);
        if (j->rc) rc = db_exec(db, "ROLLBACK TO SAVEPOINT group_commit", &e);
        if (!rc) rc = db_exec(db, "RELEASE SAVEPOINT group_commit", &e);
    }
    if (!rc) rc = db_commit(db, &e);
    if (rc) {
        db_rollback(db);
        fail_all(batch, &e);
    }
    store_release(store, db);
}

int group_commit_run(struct group_commit *g, struct store *store,
                     int (*write)(void *ctx, struct db *db, struct err *err), void *ctx,
                     struct err *err)
{
    struct job job = {.write = write, .ctx = ctx, .err = err};
    pthread_cond_init(&job.wake, NULL);
    pthread_mutex_lock(&g->mu);
    /* the job lives on this stack until it is done: the leader unlinks it
     * (taking the whole queue) before it is marked done */
    *g->tail = &job;
    // cppcheck-suppress autoVariables
    g->tail = &job.next;
    if (g->leading)
        while (!job.done && !job.lead)
            pthread_cond_wait(&job.wake, &g->mu);
    if (job.done) {
        pthread_mutex_unlock(&g->mu);
        pthread_cond_destroy(&job.wake);
        return job.rc;
    }
    /* lead: take everything queued (this job first among it) */
    g->leading = true;
    struct job *batch = g->head;
    g->head = NULL;
    g->tail = &g->head;
    pthread_mutex_unlock(&g->mu);

    write_batch(store, batch);

    /* Wake the batch's callers, each on its own condition (a broadcast
     * would also wake every caller queued for the next batch, to sleep
     * again), and hand the lead to the first of those. A woken caller
     * needs the mutex to return, so the list is read safely under it. */
    pthread_mutex_lock(&g->mu);
    for (struct job *j = batch; j; j = j->next) {
        j->done = true;
        if (j != &job) pthread_cond_signal(&j->wake);
    }
    if (g->head) {
        g->head->lead = true;
        pthread_cond_signal(&g->head->wake);
    } else {
        g->leading = false;
    }
    pthread_mutex_unlock(&g->mu);
    pthread_cond_destroy(&job.wake);
    return job.rc;
}
