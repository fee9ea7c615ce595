/*
 * store.c — opening the database, the connection pool and migrations.
 *
 * The pool is a fixed array of connections with a free stack guarded by a
 * mutex; store_acquire waits on a condition variable when all are busy.
 * With SQLite every connection opens the same file; WAL lets readers run
 * beside the single writer. With PostgreSQL (a postgres:// URL) every
 * connection is a session to the server, and write transactions are
 * serialised by an advisory lock (postgres.c); each backend has its own
 * migrations (sql/sqlite/, sql/postgres/), numbered alike.
 */
#include "store/store.h"
#include "base/embed.h"
#include "base/mem.h"
#include "store/checkpoint.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern const struct embed_file store_sql_sqlite[];
extern const struct embed_file store_sql_postgres[];

struct store {
    char *url;  /* the PostgreSQL URL; NULL for SQLite */
    char *path; /* the SQLite file */
    const unsigned char *audit_key;
    struct db **conns;
    int n, nfree;
    struct db **free_stack;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_mutex_t writer;            /* SQLite's write transactions, one at a time (db.h) */
    struct checkpointer *checkpointer; /* SQLite only */
};

static const char sql_migrations_table[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
static const char sql_migration_applied[] = "SELECT 1 FROM schema_migrations WHERE version = $1";
static const char sql_migration_record[] =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
static const char sql_schema_version[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";

int store_schema_version(struct db *db, int *version, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_schema_version, &st, err);
    if (rc) return rc;
    rc = db_step(st, err);
    *version = rc == DB_ROW ? (int)db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static int migration_version(const char *name)
{
    return (int)strtol(name, NULL, 10);
}

/* Fails when the migration left a row whose foreign key points nowhere. */
static int check_foreign_keys(struct db *db, const char *name, struct err *err)
{
    struct db_stmt *st;
    int rc = db->ops->fk_check ? db_prepare(db, db->ops->fk_check, &st, err) : ERR_OK;
    if (rc || !db->ops->fk_check) return rc;
    rc = db_step(st, err);
    if (rc == DB_ROW)
        rc = err_set(err, ERR_INTERNAL, "migration %s leaves rows of %s without their parent", name,
                     db_col_text(st, 0, NULL));
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static int apply_one(struct db *db, const struct embed_file *f, struct err *err)
{
    struct db_stmt *st;
    int rc = db_begin(db, true, err);
    if (rc) return rc;
    if ((rc = db_prepare(db, sql_migration_applied, &st, err))) goto fail;
    db_bind_int(st, 1, migration_version(f->name));
    rc = db_step(st, err);
    db_reset(st);
    if (rc < 0) goto fail;
    if (rc == DB_ROW) { /* another process applied it first */
        db_rollback(db);
        return ERR_OK;
    }
    if ((rc = db_exec(db, (const char *)f->data, err)) ||
        (rc = check_foreign_keys(db, f->name, err))) {
        err_wrap(err, "migration %s", f->name);
        goto fail;
    }
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if ((rc = db_prepare(db, sql_migration_record, &st, err))) goto fail;
    db_bind_int(st, 1, migration_version(f->name));
    db_bind_str(st, 2, f->name);
    db_bind_str(st, 3, stamp);
    if ((rc = db_run(st, err))) goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return rc;
}

static int migrate(struct db *db, const struct embed_file *files, struct err *err)
{
    int rc = db_exec(db, sql_migrations_table, err);
    if (rc) return rc;
    int have, known = 0;
    if ((rc = store_schema_version(db, &have, err))) return rc;
    for (const struct embed_file *f = files; f->name; f++) {
        int v = migration_version(f->name);
        if (v > known) known = v;
        if (v <= have) continue;
        /* Outside the transaction: SQLite ignores the pragma inside one. */
        if (db->ops->fk_off && (rc = db_exec(db, db->ops->fk_off, err))) return rc;
        rc = apply_one(db, f, err);
        int on = db->ops->fk_on ? db_exec(db, db->ops->fk_on, err) : ERR_OK;
        if (rc || (rc = on)) return rc;
    }
    if (have > known)
        return err_set(err, ERR_CONFLICT,
                       "the database has schema version %d but this jiceng knows only up to %d: "
                       "use a newer jiceng",
                       have, known);
    return ERR_OK;
}

bool store_url_is_postgres(const char *db_url)
{
    return db_url &&
           (strncmp(db_url, "postgres://", 11) == 0 || strncmp(db_url, "postgresql://", 13) == 0);
}

/* Opens connection i of the pool; *files are the backend's migrations. */
static int open_conn(const char *path, const char *db_url, bool create, struct db **out,
                     const struct embed_file **files, struct err *err)
{
    if (store_url_is_postgres(db_url)) {
        *files = store_sql_postgres;
        return db_open_postgres(db_url, out, err);
    }
    *files = store_sql_sqlite;
    return db_open_sqlite(path, create, out, err);
}

/* A PostgreSQL database that `jiceng init` has not set up yet. */
static int check_initialised(struct db *db, struct err *err)
{
    static const char sql[] = "SELECT count(*) FROM information_schema.tables "
                              "WHERE table_schema = current_schema() "
                              "AND table_name = 'schema_migrations'";
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    rc = db_step(st, err);
    bool found = rc == DB_ROW && db_col_int(st, 0) > 0;
    db_reset(st);
    if (rc < 0) return rc;
    return found ? ERR_OK
                 : err_set(err, ERR_NOT_FOUND,
                           "the database has no jiceng schema: run `jiceng init` first");
}

int store_open(const char *data_dir, const char *db_url, bool create, int pool_size,
               struct store **out, struct err *err)
{
    *out = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", data_dir, STORE_DB_FILE);
    bool pg = store_url_is_postgres(db_url);
    if (db_url && *db_url && !pg)
        return err_set_field(err, ERR_INVALID, "db",
                             "db: \"%s\" is not a postgres:// URL (leave it empty for SQLite "
                             "in the data directory)",
                             db_url);
    if (!pg && !create && access(path, F_OK) != 0)
        return err_set(err, ERR_NOT_FOUND,
                       "no database at %s: run `jiceng init` first (or pass --data DIR)", path);
    if (pool_size < 1) pool_size = 1;
    struct store *s = xcalloc(1, sizeof *s);
    s->url = pg ? xstrdup(db_url) : NULL;
    s->path = xstrdup(path);
    s->conns = xcalloc((size_t)pool_size, sizeof *s->conns);
    s->free_stack = xcalloc((size_t)pool_size, sizeof *s->free_stack);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_init(&s->writer, NULL);
    int rc = ERR_OK;
    for (int i = 0; i < pool_size && rc == ERR_OK; i++) {
        const struct embed_file *files;
        rc = open_conn(path, db_url, create, &s->conns[i], &files, err);
        if (rc == ERR_OK) s->n++;
        if (rc == ERR_OK && !pg) s->conns[i]->writer = &s->writer;
        if (rc == ERR_OK && i == 0 && pg && !create) rc = check_initialised(s->conns[0], err);
        if (rc == ERR_OK && i == 0) rc = migrate(s->conns[0], files, err);
    }
    if (rc) {
        store_close(s);
        return rc;
    }
    for (int i = 0; i < s->n; i++)
        s->free_stack[i] = s->conns[i];
    s->nfree = s->n;
    if (!pg) s->checkpointer = checkpointer_start(path, &s->writer);
    for (int i = 0; i < s->n; i++)
        checkpointer_watch(s->checkpointer, s->conns[i]);
    *out = s;
    return ERR_OK;
}

void store_close(struct store *s)
{
    if (!s) return;
    checkpointer_stop(s->checkpointer);
    for (int i = 0; i < s->n; i++)
        db_close(s->conns[i]);
    free(s->conns);
    free(s->free_stack);
    free(s->url);
    free(s->path);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->writer);
    free(s);
}

struct db *store_acquire(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->nfree == 0)
        pthread_cond_wait(&s->cv, &s->mu);
    struct db *db = s->free_stack[--s->nfree];
    pthread_mutex_unlock(&s->mu);
    return db;
}

void store_release(struct store *s, struct db *db)
{
    db_rollback(db); /* a handler that failed half-way leaves nothing open */
    pthread_mutex_lock(&s->mu);
    s->free_stack[s->nfree++] = db;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

int store_connect(struct store *s, struct db **out, struct err *err)
{
    const struct embed_file *files;
    int rc = open_conn(s->path, s->url, false, out, &files, err);
    if (rc) return rc;
    /* SQLite keeps this connection's cache between its transactions: room
     * for the pages a stream of writes lands on (a campaign's ballots) */
    if (!s->url && (rc = db_exec(*out, "PRAGMA cache_size=-65536", err))) {
        db_close(*out);
        return rc;
    }
    if (!s->url) (*out)->writer = &s->writer;
    (*out)->audit_key = s->audit_key;
    checkpointer_watch(s->checkpointer, *out);
    return ERR_OK;
}

void store_disconnect(struct db *db)
{
    if (db) db_rollback(db);
    db_close(db);
}

void store_audit_key(struct store *s, const unsigned char *key)
{
    s->audit_key = key;
    for (int i = 0; i < s->n; i++)
        s->conns[i]->audit_key = key;
}

bool store_shared(const struct store *s)
{
    return s->url != NULL;
}

int store_listen(struct store *s, db_notify_fn fn, void *ctx, struct db_listener **out,
                 struct err *err)
{
    *out = NULL;
    return s->url ? db_listen_postgres(s->url, fn, ctx, out, err) : ERR_OK;
}
