/*
 * sqlite.c — the SQLite backend of the driver (db.h).
 *
 * Each connection runs in WAL mode with foreign keys on and
 * synchronous=FULL, so an acknowledged write survives a crash or a power
 * cut. Statements are cached per connection (db_cache, keyed by the
 * address of their SQL text). Placeholders are written
 * $1, $2 …; SQLite sees them as named parameters, and each statement keeps
 * the map from number to SQLite's parameter index.
 */
#include "store/db.h"
#include "base/mem.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 64

struct sq_stmt {
    struct db_stmt base;
    sqlite3_stmt *st;
    int nparam;
    int index[MAX_PARAMS + 1]; /* $n → SQLite parameter index, 0 if unused */
    /* the result's column names, copied once: sqlite3_column_name takes the
     * connection's mutex, and rows are read by column name */
    int ncols;
    char **cols;
};

struct sq_db {
    struct db base;
    sqlite3 *h;
    struct db_cache cache;
    void (*on_commit)(void *ctx, int frames);
    void *on_commit_ctx;
};

static int map_rc(sqlite3 *h, int rc, struct err *err)
{
    int kind;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        kind = ERR_CONFLICT;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        kind = ERR_BUSY;
        break;
    case SQLITE_NOMEM:
        kind = ERR_INTERNAL;
        break;
    case SQLITE_TOOBIG:
        kind = ERR_TOO_LARGE;
        break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
        kind = ERR_IO;
        break;
    default:
        kind = ERR_DB;
    }
    return err_set(err, kind, "database: %s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
}

static int sq_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
    struct sq_db *d = (struct sq_db *)db;
    if ((*out = db_cache_find(&d->cache, sql))) return ERR_OK;
    struct sq_stmt *s = xcalloc(1, sizeof *s);
    int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
    if (rc != SQLITE_OK) {
        free(s);
        return map_rc(d->h, rc, err);
    }
    s->base.db = db;
    s->base.sql = sql;
    int count = sqlite3_bind_parameter_count(s->st);
    for (int i = 1; i <= count; i++) {
        const char *name = sqlite3_bind_parameter_name(s->st, i);
        int n = name && name[0] == '$' ? (int)strtol(name + 1, NULL, 10) : 0;
        if (n < 1 || n > MAX_PARAMS) {
            sqlite3_finalize(s->st);
            free(s);
            return err_set(err, ERR_INTERNAL, "SQL parameter %s is not $1..$%d", name ? name : "?",
                           MAX_PARAMS);
        }
        s->index[n] = i;
        if (n > s->nparam) s->nparam = n;
    }
    s->ncols = sqlite3_column_count(s->st);
    s->cols = xcalloc((size_t)s->ncols + 1, sizeof *s->cols);
    for (int i = 0; i < s->ncols; i++)
        s->cols[i] = xstrdup(sqlite3_column_name(s->st, i));
    db_cache_add(&d->cache, &s->base);
    *out = &s->base;
    return ERR_OK;
}

static int param(struct db_stmt *s, int n)
{
    struct sq_stmt *q = (struct sq_stmt *)s;
    return n >= 1 && n <= q->nparam ? q->index[n] : 0;
}

static void sq_bind_text(struct db_stmt *s, int n, const char *v, size_t len)
{
    sqlite3_bind_text(((struct sq_stmt *)s)->st, param(s, n), v, (int)len, SQLITE_TRANSIENT);
}

static void sq_bind_blob(struct db_stmt *s, int n, const void *v, size_t len)
{
    sqlite3_bind_blob64(((struct sq_stmt *)s)->st, param(s, n), v, len, SQLITE_TRANSIENT);
}

static void sq_bind_int(struct db_stmt *s, int n, int64_t v)
{
    sqlite3_bind_int64(((struct sq_stmt *)s)->st, param(s, n), v);
}

static void sq_bind_double(struct db_stmt *s, int n, double v)
{
    sqlite3_bind_double(((struct sq_stmt *)s)->st, param(s, n), v);
}

static void sq_bind_null(struct db_stmt *s, int n)
{
    sqlite3_bind_null(((struct sq_stmt *)s)->st, param(s, n));
}

static int sq_step(struct db_stmt *s, struct err *err)
{
    struct sq_stmt *q = (struct sq_stmt *)s;
    int rc = sqlite3_step(q->st);
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    return map_rc(((struct sq_db *)s->db)->h, rc, err);
}

static const char *sq_col_text(struct db_stmt *s, int col, size_t *len)
{
    sqlite3_stmt *st = ((struct sq_stmt *)s)->st;
    const char *t = (const char *)sqlite3_column_text(st, col);
    if (len) *len = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    return t ? t : "";
}

static const void *sq_col_blob(struct db_stmt *s, int col, size_t *len)
{
    sqlite3_stmt *st = ((struct sq_stmt *)s)->st;
    const void *p = sqlite3_column_blob(st, col);
    *len = p ? (size_t)sqlite3_column_bytes(st, col) : 0;
    return p;
}

static int64_t sq_col_int(struct db_stmt *s, int col)
{
    return sqlite3_column_int64(((struct sq_stmt *)s)->st, col);
}

static double sq_col_double(struct db_stmt *s, int col)
{
    return sqlite3_column_double(((struct sq_stmt *)s)->st, col);
}

static bool sq_col_null(struct db_stmt *s, int col)
{
    return sqlite3_column_type(((struct sq_stmt *)s)->st, col) == SQLITE_NULL;
}

static int sq_col_index(struct db_stmt *s, const char *name)
{
    const struct sq_stmt *q = (const struct sq_stmt *)s;
    for (int i = 0; i < q->ncols; i++)
        if (strcmp(q->cols[i], name) == 0) return i;
    return -1;
}

static void sq_reset(struct db_stmt *s)
{
    sqlite3_stmt *st = ((struct sq_stmt *)s)->st;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int sq_exec(struct db *db, const char *script, struct err *err)
{
    struct sq_db *d = (struct sq_db *)db;
    char *msg = NULL;
    int rc = sqlite3_exec(d->h, script, NULL, NULL, &msg);
    if (rc == SQLITE_OK) return ERR_OK;
    int kind = map_rc(d->h, rc, err);
    sqlite3_free(msg);
    return kind;
}

static int64_t sq_changes(struct db *db)
{
    return sqlite3_changes64(((struct sq_db *)db)->h);
}

static void sq_stmt_free(struct db_stmt *s)
{
    struct sq_stmt *q = (struct sq_stmt *)s;
    sqlite3_finalize(q->st);
    for (int i = 0; i < q->ncols; i++)
        free(q->cols[i]);
    free(q->cols);
    free(s);
}

static void sq_close(struct db *db)
{
    struct sq_db *d = (struct sq_db *)db;
    db_cache_clear(&d->cache, sq_stmt_free);
    sqlite3_close_v2(d->h);
    free(d);
}

static const struct db_ops sqlite_ops = {
    .name = "sqlite",
    .begin_write = "BEGIN IMMEDIATE",
    .begin_read = "BEGIN",
    .fk_off = "PRAGMA foreign_keys=OFF",
    .fk_on = "PRAGMA foreign_keys=ON",
    .fk_check = "PRAGMA foreign_key_check",
    /* SQLite's defaults back: a 2 MiB cache, temporary files as compiled */
    .bulk_on = "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY",
    .bulk_off = "PRAGMA cache_size=-2000; PRAGMA temp_store=DEFAULT",
    .close = sq_close,
    .prepare = sq_prepare,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_null = sq_col_null,
    .col_index = sq_col_index,
    .reset = sq_reset,
    .exec = sq_exec,
    .changes = sq_changes,
    .tables_sql = "SELECT name FROM sqlite_schema WHERE type = 'table' "
                  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations' "
                  "ORDER BY 1",
    .columns_sql = "SELECT name, lower(type), pk FROM pragma_table_info($1) ORDER BY cid",
    .parents_sql = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)",
};

static int wal_hook(void *ctx, sqlite3 *h, const char *name, int frames)
{
    (void)h;
    (void)name;
    struct sq_db *d = ctx;
    d->on_commit(d->on_commit_ctx, frames);
    return SQLITE_OK;
}

void db_sqlite_on_commit(struct db *db, void (*fn)(void *ctx, int frames), void *ctx)
{
    struct sq_db *d = (struct sq_db *)db;
    d->on_commit = fn;
    d->on_commit_ctx = ctx;
    sqlite3_wal_hook(d->h, wal_hook, d); /* SQLite's own checkpoints stop */
}

int db_sqlite_checkpoint(struct db *db, bool restart, int *frames, struct err *err)
{
    struct sq_db *d = (struct sq_db *)db;
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(
        d->h, NULL, restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    *frames = log;
    return rc == SQLITE_OK ? ERR_OK : map_rc(d->h, rc, err);
}

/* Before SQLite's first use: no memory statistics, whose global mutex every
 * allocation of every connection would take (a quarter of the CPU of the
 * province's monthly review in a profile). A process that used SQLite
 * already keeps its settings. */
static void configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_open_sqlite(const char *path, bool create, struct db **out, struct err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure);
    *out = NULL;
    sqlite3 *h = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &h, flags, NULL);
    if (rc != SQLITE_OK) {
        int kind = err_set(err, rc == SQLITE_CANTOPEN ? ERR_NOT_FOUND : ERR_IO,
                           "cannot open database %s: %s", path,
                           h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close_v2(h);
        return kind;
    }
    sqlite3_extended_result_codes(h, 1);
    struct sq_db *d = xcalloc(1, sizeof *d);
    d->base.ops = &sqlite_ops;
    d->h = h;
    /* The busy timeout first: switching to WAL waits for other processes' locks. */
    rc = sq_exec(&d->base,
                 "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "PRAGMA foreign_keys=ON;",
                 err);
    if (rc) {
        err_wrap(err, "configuring %s", path);
        sq_close(&d->base);
        return rc;
    }
    *out = &d->base;
    return ERR_OK;
}
