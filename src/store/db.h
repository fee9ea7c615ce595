/*
 * db.h — the SQL driver beneath the store: one interface, a backend per
 * database (sqlite.c, postgres.c).
 *
 * SQL text is written once, portable, with $1, $2 … placeholders; each
 * backend maps them to its own binding. Statements are prepared once per
 * connection and cached by the address of their SQL text, so callers pass
 * string constants. A connection is used by one thread at a time (the pool
 * in store.c hands them out).
 *
 * Protocol: db_prepare → db_bind_* → db_step until DB_DONE → db_reset.
 * db_reset must follow every use, also after an error, so read locks and
 * result memory are released.
 */
#ifndef JICENG_DB_H
#define JICENG_DB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

/* The one subtree predicate: unit codes inside the subtree of the code
 * bound to $n ("" = every unit), as a range of codes (a code's subtree is
 * exactly the codes that start with it, and digits sort below ';'). A
 * range, not "$n = '' OR …", so that both databases search the index. */
#define DB_SUBTREE(col, n) "(" col " >= $" #n " AND " col " < $" #n " || ';')"

#define DB_ROW  1
#define DB_DONE 0

struct db;
struct db_stmt;

struct db_ops {
    const char *name;        /* "sqlite", "postgres" */
    const char *begin_write; /* SQL that opens a transaction holding the write lock */
    const char *begin_read;  /* SQL that opens a read transaction on one snapshot */
    /* Migrations that rebuild a table (SQLite's way to change a constraint)
     * run with foreign keys off, as SQLite documents, and fk_check (no rows
     * = consistent) before they commit; NULL where not needed. */
    const char *fk_off, *fk_on, *fk_check;
    /* A write transaction of very many rows (db_bulk): settings that keep
     * its pages and statement journals in memory, and the defaults back;
     * NULL where not needed. */
    const char *bulk_on, *bulk_off;
    void (*close)(struct db *db);
    int (*prepare)(struct db *db, const char *sql, struct db_stmt **out, struct err *err);
    void (*bind_text)(struct db_stmt *s, int n, const char *v, size_t len);
    void (*bind_blob)(struct db_stmt *s, int n, const void *v, size_t len);
    void (*bind_int)(struct db_stmt *s, int n, int64_t v);
    void (*bind_double)(struct db_stmt *s, int n, double v);
    void (*bind_null)(struct db_stmt *s, int n);
    int (*step)(struct db_stmt *s, struct err *err);
    const char *(*col_text)(struct db_stmt *s, int col, size_t *len);
    const void *(*col_blob)(struct db_stmt *s, int col, size_t *len);
    int64_t (*col_int)(struct db_stmt *s, int col);
    double (*col_double)(struct db_stmt *s, int col);
    bool (*col_null)(struct db_stmt *s, int col);
    /* The index of the result column called `name`, -1 when there is none
     * (valid once a statement was stepped). */
    int (*col_index)(struct db_stmt *s, const char *name);
    void (*reset)(struct db_stmt *s);
    int (*exec)(struct db *db, const char *script, struct err *err);
    int64_t (*changes)(struct db *db);
    /* The catalog, for copying a whole database (store/copy.c): */
    const char *tables_sql;   /* rows: name, of every table but schema_migrations */
    const char *columns_sql;  /* $1 table → rows: name, type, place in the primary key (0: not in
                                 it), in column order */
    const char *parents_sql;  /* $1 table → rows: the tables its foreign keys reference */
    const char *id_reset_sql; /* $1 table, $2 column, $3 next value: moves an identity column's
                                 sequence on after rows were copied in; NULL when none is needed */
    /* Bulk loading (db_copy_*); NULL: the INSERT runs once a row. */
    int (*copy_begin)(struct db_stmt *s, const char *target, struct err *err);
    int (*copy_row)(struct db_stmt *s, struct err *err);
    int (*copy_end)(struct db_stmt *s, bool ok, struct err *err);
    /* Tells the other processes on this database what changed (db_notify);
     * NULL where one process owns the database (SQLite). */
    int (*notify)(struct db *db, const char *payload, struct err *err);
};

/* Every backend's connection struct starts with this header … */
struct db {
    const struct db_ops *ops;
    int tx_depth;                   /* open transactions (0 or 1; nesting is a bug) */
    const unsigned char *audit_key; /* MAC key of new audit records (store_audit_key), or NULL */
    /* SQLite: the store's one-writer lock, held from a write transaction's
     * begin to its end, so that writers queue on it in turn instead of
     * sleeping in SQLite's busy handler (whose back-off makes the slowest
     * writer wait seconds under load). NULL for PostgreSQL. */
    pthread_mutex_t *writer;
    bool writing; /* holds *writer */
};

/* … and every backend's statement struct with this one. */
struct db_stmt {
    struct db *db;
    const char *sql; /* the cache key: the address of the SQL text */
};

/* A backend's per-connection statement cache: open addressing on the
 * address of the SQL text. The backend owns and frees the statements. */
struct db_cache {
    struct db_stmt **slot;
    size_t cap, len;
};
struct db_stmt *db_cache_find(const struct db_cache *c, const char *sql);
void db_cache_add(struct db_cache *c, struct db_stmt *s);
/* Empties the cache, calling free_stmt (if not NULL) on each statement. */
void db_cache_clear(struct db_cache *c, void (*free_stmt)(struct db_stmt *s));

/* Opens a SQLite database file, creating it if `create`. */
int db_open_sqlite(const char *path, bool create, struct db **out, struct err *err);
/* SQLite: fn(ctx, frames) is called after each commit of db with the
 * frames then in the WAL, instead of SQLite checkpointing in the committing
 * thread (store/checkpoint.c). */
void db_sqlite_on_commit(struct db *db, void (*fn)(void *ctx, int frames), void *ctx);
/* SQLite: copies the WAL's frames into the database file; with `restart`,
 * waits for writers and readers so that the next commit starts the WAL
 * over. *frames: the WAL's frames it found. */
int db_sqlite_checkpoint(struct db *db, bool restart, int *frames, struct err *err);
/* Connects to PostgreSQL (a postgres:// URL or a libpq key=value string).
 * The database must exist, use UTF8 and the C collation (the store's SQL
 * relies on byte order for code ranges). */
int db_open_postgres(const char *conninfo, struct db **out, struct err *err);

static inline void db_close(struct db *db)
{
    if (db) db->ops->close(db);
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err);
void db_bind_text(struct db_stmt *s, int n, const char *v, size_t len);
void db_bind_str(struct db_stmt *s, int n, const char *v);              /* NULL binds NULL */
void db_bind_blob(struct db_stmt *s, int n, const void *v, size_t len); /* bytes, not text */
void db_bind_int(struct db_stmt *s, int n, int64_t v);
void db_bind_double(struct db_stmt *s, int n, double v);
void db_bind_null(struct db_stmt *s, int n);
/* DB_ROW, DB_DONE, or a negative ERR_* (ERR_CONFLICT for constraint
 * violations, ERR_BUSY when the database stays locked). */
int db_step(struct db_stmt *s, struct err *err);
/* Column accessors; text is valid until the next step or reset. NULL
 * text reads as "" with *len 0. */
const char *db_col_text(struct db_stmt *s, int col, size_t *len);
const void *db_col_blob(struct db_stmt *s, int col, size_t *len); /* NULL when empty */
int64_t db_col_int(struct db_stmt *s, int col);
double db_col_double(struct db_stmt *s, int col);
bool db_col_null(struct db_stmt *s, int col);
void db_reset(struct db_stmt *s);

/* Reading a row by the names its SELECT gives the columns (a bare column
 * name or an AS alias), so that adding a column never shifts the others.
 * A name the statement does not return is a programming error (assert).
 * Text is "" for NULL and valid until the next step; db_dup copies it
 * into a. */
int db_col(struct db_stmt *s, const char *name);
const char *db_text(struct db_stmt *s, const char *name);
const char *db_dup(struct db_stmt *s, struct arena *a, const char *name);
int64_t db_int(struct db_stmt *s, const char *name);
double db_double(struct db_stmt *s, const char *name);
bool db_null(struct db_stmt *s, const char *name);
/* Optional values: NULL or "" binds SQL NULL (db_bind_opt), 0 binds SQL
 * NULL (db_bind_opt_int). */
void db_bind_opt(struct db_stmt *s, int n, const char *v);
void db_bind_opt_int(struct db_stmt *s, int n, int64_t v);
/* Steps a statement bound by the caller that returns at most one row with
 * one integer column (INSERT … RETURNING id): *id (may be NULL) gets it;
 * when there is no row and `none` is not NULL, ERR_NOT_FOUND with that
 * message. Resets the statement. */
int db_run_returning(struct db_stmt *s, int64_t *id, const char *none, struct err *err);
/* Runs a statement that returns no rows and resets it. */
int db_run(struct db_stmt *s, struct err *err);
/* Runs a parameterless SQL script (migrations, pragmas). */
int db_exec(struct db *db, const char *script, struct err *err);
/* Rows changed by the last statement. */
int64_t db_changes(struct db *db);

/* Runs fn(ctx, db) inside the next write transaction this thread commits,
 * just before its COMMIT (once; fn NULL: none). Its failure fails the
 * commit, which the caller then rolls back. The record of a request made
 * with an Idempotency-Key (app/idempotency.c) commits so with the write. */
void db_before_commit(int (*fn)(void *ctx, struct db *db, struct err *err), void *ctx);
/* Whether the hook set by db_before_commit has run and been committed. */
bool db_before_commit_done(void);

/* Before (on) and after (off) a write transaction of very many rows, outside
 * it: on SQLite a page cache of 256 MiB and statement journals in memory, so
 * that the transaction does not spill pages to the WAL and journal every
 * statement to a temporary file; a no-op on PostgreSQL. Call off also after
 * a failure. */
int db_bulk(struct db *db, bool on, struct err *err);

/* Change notices between server processes on one database (PostgreSQL's
 * NOTIFY on the channel "jiceng"). db_notify inside a write transaction is
 * delivered when it commits and dropped when it rolls back; every process
 * following the database gets it except the one that sent it (which
 * applies its own change itself). A no-op on SQLite. payload: ASCII, short
 * (under 7,000 bytes), e.g. "tree", "element:pop", "memo". */
int db_notify(struct db *db, const char *payload, struct err *err);

/* A dedicated connection LISTENing for those notices in a thread of its
 * own. fn gets, on that thread, the payloads that arrived together (n >= 1;
 * other processes' only), or the single payload DB_NOTIFY_ALL after the
 * connection was lost and made again (notices may have been missed).
 * db_listen_postgres connects and listens before it returns, so a change
 * committed after that is never missed; it reconnects on its own. */
#define DB_NOTIFY_ALL "*"
struct db_listener;
typedef void (*db_notify_fn)(void *ctx, const char *const *payloads, size_t n);
int db_listen_postgres(const char *conninfo, db_notify_fn fn, void *ctx, struct db_listener **out,
                       struct err *err);
/* Stops the thread and closes the connection; NULL is a no-op. */
void db_listener_stop(struct db_listener *l);

/* Bulk loading of many rows into one table, inside a write transaction:
 * db_copy_begin, then for each row db_bind_* of every $n and db_copy_row,
 * then db_copy_end, also after an error (ok=false drops what was sent).
 * insert_sql is a constant INSERT of one row, "INSERT INTO t (a, b) VALUES
 * ($1, $2)", and target its "t (a, b)": PostgreSQL streams the rows with
 * COPY target FROM STDIN, SQLite runs the INSERT once a row. No other
 * statement may run on db in between; a constraint violation may only
 * surface at db_copy_end. */
int db_copy_begin(struct db *db, const char *insert_sql, const char *target, struct db_stmt **out,
                  struct err *err);
int db_copy_row(struct db_stmt *s, struct err *err);
int db_copy_end(struct db_stmt *s, bool ok, struct err *err);

/* Transactions: db_begin(write=true) takes the write lock at once, so a
 * write transaction never fails half-way for lock upgrades. */
int db_begin(struct db *db, bool write, struct err *err);
int db_commit(struct db *db, struct err *err);
/* Rolls back if a transaction is open; safe to call on error paths. */
void db_rollback(struct db *db);

#endif
