/* db.c — backend-independent part of the driver (db.h): dispatch and transactions. */
#include "store/db.h"

#include "base/mem.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static size_t slot_of(const struct db_cache *c, const char *sql)
{
    uintptr_t x = (uintptr_t)sql;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 7) & (c->cap - 1);
}

struct db_stmt *db_cache_find(const struct db_cache *c, const char *sql)
{
    if (!c->cap) return NULL;
    for (size_t j = slot_of(c, sql); c->slot[j]; j = (j + 1) & (c->cap - 1))
        if (c->slot[j]->sql == sql) return c->slot[j];
    return NULL;
}

static void place(struct db_cache *c, struct db_stmt *s)
{
    size_t j = slot_of(c, s->sql);
    while (c->slot[j])
        j = (j + 1) & (c->cap - 1);
    c->slot[j] = s;
}

void db_cache_add(struct db_cache *c, struct db_stmt *s)
{
    if ((c->len + 1) * 2 > c->cap) {
        size_t old_cap = c->cap;
        struct db_stmt **old = c->slot;
        c->cap = old_cap ? old_cap * 2 : 64;
        c->slot = xcalloc(c->cap, sizeof *c->slot);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i]) place(c, old[i]);
        free(old);
    }
    place(c, s);
    c->len++;
}

void db_cache_clear(struct db_cache *c, void (*free_stmt)(struct db_stmt *s))
{
    for (size_t i = 0; i < c->cap && free_stmt; i++)
        if (c->slot[i]) free_stmt(c->slot[i]);
    free(c->slot);
    *c = (struct db_cache){0};
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
    return db->ops->prepare(db, sql, out, err);
}

void db_bind_text(struct db_stmt *s, int n, const char *v, size_t len)
{
    s->db->ops->bind_text(s, n, v, len);
}

void db_bind_str(struct db_stmt *s, int n, const char *v)
{
    if (v)
        s->db->ops->bind_text(s, n, v, __builtin_strlen(v));
    else
        s->db->ops->bind_null(s, n);
}

void db_bind_blob(struct db_stmt *s, int n, const void *v, size_t len)
{
    s->db->ops->bind_blob(s, n, v, len);
}

void db_bind_int(struct db_stmt *s, int n, int64_t v)
{
    s->db->ops->bind_int(s, n, v);
}

void db_bind_double(struct db_stmt *s, int n, double v)
{
    s->db->ops->bind_double(s, n, v);
}

void db_bind_null(struct db_stmt *s, int n)
{
    s->db->ops->bind_null(s, n);
}

int db_step(struct db_stmt *s, struct err *err)
{
    return s->db->ops->step(s, err);
}

const char *db_col_text(struct db_stmt *s, int col, size_t *len)
{
    return s->db->ops->col_text(s, col, len);
}

const void *db_col_blob(struct db_stmt *s, int col, size_t *len)
{
    return s->db->ops->col_blob(s, col, len);
}

int64_t db_col_int(struct db_stmt *s, int col)
{
    return s->db->ops->col_int(s, col);
}

double db_col_double(struct db_stmt *s, int col)
{
    return s->db->ops->col_double(s, col);
}

bool db_col_null(struct db_stmt *s, int col)
{
    return s->db->ops->col_null(s, col);
}

int db_col(struct db_stmt *s, const char *name)
{
    int i = s->db->ops->col_index(s, name);
    assert(i >= 0 && "the statement returns no column of this name");
    return i;
}

const char *db_text(struct db_stmt *s, const char *name)
{
    return db_col_text(s, db_col(s, name), NULL);
}

const char *db_dup(struct db_stmt *s, struct arena *a, const char *name)
{
    size_t n;
    const char *t = db_col_text(s, db_col(s, name), &n);
    return arena_strndup(a, t, n);
}

int64_t db_int(struct db_stmt *s, const char *name)
{
    return db_col_int(s, db_col(s, name));
}

double db_double(struct db_stmt *s, const char *name)
{
    return db_col_double(s, db_col(s, name));
}

bool db_null(struct db_stmt *s, const char *name)
{
    return db_col_null(s, db_col(s, name));
}

void db_bind_opt(struct db_stmt *s, int n, const char *v)
{
    db_bind_str(s, n, v && v[0] ? v : NULL);
}

void db_bind_opt_int(struct db_stmt *s, int n, int64_t v)
{
    if (v)
        db_bind_int(s, n, v);
    else
        db_bind_null(s, n);
}

int db_run_returning(struct db_stmt *s, int64_t *id, const char *none, struct err *err)
{
    int rc = db_step(s, err);
    if (rc == DB_ROW && id) *id = db_col_int(s, 0);
    if (rc == DB_DONE && none) rc = err_set(err, ERR_NOT_FOUND, "%s", none);
    db_reset(s);
    return rc < 0 ? rc : ERR_OK;
}

void db_reset(struct db_stmt *s)
{
    s->db->ops->reset(s);
}

int db_run(struct db_stmt *s, struct err *err)
{
    int rc = db_step(s, err);
    db_reset(s);
    return rc < 0 ? rc : ERR_OK;
}

int db_exec(struct db *db, const char *script, struct err *err)
{
    return db->ops->exec(db, script, err);
}

int64_t db_changes(struct db *db)
{
    return db->ops->changes(db);
}

int db_bulk(struct db *db, bool on, struct err *err)
{
    assert(db->tx_depth == 0);
    const char *sql = on ? db->ops->bulk_on : db->ops->bulk_off;
    return sql ? db_exec(db, sql, err) : ERR_OK;
}

int db_notify(struct db *db, const char *payload, struct err *err)
{
    return db->ops->notify ? db->ops->notify(db, payload, err) : ERR_OK;
}

int db_copy_begin(struct db *db, const char *insert_sql, const char *target, struct db_stmt **out,
                  struct err *err)
{
    assert(db->tx_depth == 1);
    int rc = db_prepare(db, insert_sql, out, err);
    if (rc == ERR_OK && db->ops->copy_begin) rc = db->ops->copy_begin(*out, target, err);
    return rc;
}

int db_copy_row(struct db_stmt *s, struct err *err)
{
    return s->db->ops->copy_row ? s->db->ops->copy_row(s, err) : db_run(s, err);
}

int db_copy_end(struct db_stmt *s, bool ok, struct err *err)
{
    if (s->db->ops->copy_end) return s->db->ops->copy_end(s, ok, err);
    db_reset(s);
    return ERR_OK;
}

/* The hook of db_before_commit: this thread's, for its next write transaction. */
static _Thread_local struct {
    int (*fn)(void *ctx, struct db *db, struct err *err);
    void *ctx;
    struct db *db; /* the connection whose write transaction runs it */
    bool done;
} hook;

void db_before_commit(int (*fn)(void *ctx, struct db *db, struct err *err), void *ctx)
{
    hook.fn = fn;
    hook.ctx = ctx;
    hook.db = NULL;
    hook.done = false;
}

bool db_before_commit_done(void)
{
    return hook.done;
}

/* Takes the one-writer lock (db.h), waiting as long as SQLite's busy
 * timeout would have. */
static int writer_lock(struct db *db, struct err *err)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    if (pthread_mutex_timedlock(db->writer, &until) != 0)
        return err_set(err, ERR_BUSY, "服务器正忙（其他写入未完成），请稍后重试");
    db->writing = true;
    return ERR_OK;
}

static void writer_unlock(struct db *db)
{
    if (!db->writing) return;
    db->writing = false;
    pthread_mutex_unlock(db->writer);
}

int db_begin(struct db *db, bool write, struct err *err)
{
    assert(db->tx_depth == 0);
    int rc = write && db->writer ? writer_lock(db, err) : ERR_OK;
    if (!rc) rc = db_exec(db, write ? db->ops->begin_write : db->ops->begin_read, err);
    if (rc == ERR_OK) db->tx_depth = 1;
    if (rc) writer_unlock(db);
    if (rc == ERR_OK && write && hook.fn && !hook.done && !hook.db) hook.db = db;
    return rc;
}

int db_commit(struct db *db, struct err *err)
{
    assert(db->tx_depth == 1);
    bool hooked = hook.fn && hook.db == db && !hook.done;
    int rc = hooked ? hook.fn(hook.ctx, db, err) : ERR_OK;
    if (!rc) rc = db_exec(db, "COMMIT", err);
    if (rc == ERR_OK) db->tx_depth = 0;
    if (rc == ERR_OK) writer_unlock(db);
    if (hooked) { /* run once: a failed commit is rolled back, and the hook with it */
        hook.db = NULL;
        hook.done = rc == ERR_OK;
        if (rc == ERR_OK) hook.fn = NULL;
    }
    return rc;
}

void db_rollback(struct db *db)
{
    if (hook.db == db) hook.db = NULL; /* the next write transaction carries it */
    if (db->tx_depth != 0) db_exec(db, "ROLLBACK", NULL);
    db->tx_depth = 0;
    writer_unlock(db);
}
