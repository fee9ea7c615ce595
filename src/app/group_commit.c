/* group_commit.c — writes committed in batches by a writer thread (group_commit.h). */
#include "app/group_commit.h"
#include "base/mem.h"
#include "store/store.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

struct group_commit {
    pthread_mutex_t mu;
    pthread_cond_t work;
    struct group_job *head, **tail; /* queued, not yet taken by the writer */
    struct store *store;
    struct db *db; /* the writer's own connection, made by its first batch */
    pthread_t writer;
    bool started, stop;
};

struct group_commit *group_commit_new(void)
{
    struct group_commit *g = xcalloc(1, sizeof *g);
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->work, NULL);
    g->tail = &g->head;
    return g;
}

/* Every job of the batch that has no answer yet answers with e. */
static void fail_all(struct group_job *batch, const struct err *e)
{
    for (struct group_job *j = batch; j; j = j->next)
        if (j->rc == ERR_OK) {
            j->err = *e;
            j->rc = e->kind ? e->kind : ERR_DB;
        }
}

/* One transaction for the batch; a savepoint per job, so that a job's
 * failure undoes that job only. */
static void write_batch(struct group_commit *g, struct group_job *batch)
{
    struct err e = {0};
    int rc = g->db ? ERR_OK : store_connect(g->store, &g->db, &e);
    if (!rc) rc = db_begin(g->db, true, &e);
    for (struct group_job *j = batch; !rc && j; j = j->next) {
        if ((rc = db_exec(g->db, "SAVEPOINT group_commit", &e))) break;
        j->rc = j->write(j->ctx, g->db, &j->err);
        if (j->rc) rc = db_exec(g->db, "ROLLBACK TO SAVEPOINT group_commit", &e);
        if (!rc) rc = db_exec(g->db, "RELEASE SAVEPOINT group_commit", &e);
    }
    if (!rc) rc = db_commit(g->db, &e);
    if (rc) {
        if (g->db) db_rollback(g->db);
        fail_all(batch, &e);
    }
}

static void *run_writer(void *arg)
{
    struct group_commit *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        while (!g->head && !g->stop)
            pthread_cond_wait(&g->work, &g->mu);
        if (!g->head) break;
        struct group_job *batch = g->head;
        g->head = NULL;
        g->tail = &g->head;
        pthread_mutex_unlock(&g->mu);
        write_batch(g, batch);
        for (struct group_job *j = batch, *next; j; j = next) {
            next = j->next; /* done may free j */
            j->done(j);
        }
        pthread_mutex_lock(&g->mu);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

void group_commit_submit(struct group_commit *g, struct store *store, struct group_job *job)
{
    job->rc = ERR_OK;
    job->next = NULL;
    pthread_mutex_lock(&g->mu);
    if (!g->started && !g->stop) {
        g->store = store;
        g->started = pthread_create(&g->writer, NULL, run_writer, g) == 0;
    }
    if (!g->started || g->stop) {
        pthread_mutex_unlock(&g->mu);
        job->rc = err_set(&job->err, ERR_INTERNAL, "写入线程未能启动，请稍后重试");
        job->done(job);
        return;
    }
    *g->tail = job;
    g->tail = &job->next;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->mu);
}

void group_commit_free(struct group_commit *g)
{
    if (!g) return;
    pthread_mutex_lock(&g->mu);
    g->stop = true;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->mu);
    if (g->started) pthread_join(g->writer, NULL);
    store_disconnect(g->db);
    pthread_cond_destroy(&g->work);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

/* ---- waiting for the answer ---- */

struct waiter {
    struct group_job job;
    pthread_mutex_t mu;
    pthread_cond_t answered;
    bool done;
};

static void wake(struct group_job *job)
{
    struct waiter *w = (struct waiter *)((char *)job - offsetof(struct waiter, job));
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->answered);
    pthread_mutex_unlock(&w->mu);
}

int group_commit_run(struct group_commit *g, struct store *store,
                     int (*write)(void *ctx, struct db *db, struct err *err), void *ctx,
                     struct err *err)
{
    struct waiter w = {.job = {.write = write, .done = wake, .ctx = ctx}};
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.answered, NULL);
    group_commit_submit(g, store, &w.job);
    pthread_mutex_lock(&w.mu);
    while (!w.done)
        pthread_cond_wait(&w.answered, &w.mu);
    pthread_mutex_unlock(&w.mu);
    pthread_cond_destroy(&w.answered);
    pthread_mutex_destroy(&w.mu);
    if (w.job.rc) *err = w.job.err;
    return w.job.rc;
}
