/*
 * postgres.c — the PostgreSQL backend of the driver (db.h), on libpq.
 *
 * The SQL is the store's own, shared with SQLite: $1, $2 … are already
 * PostgreSQL's placeholders. A statement is prepared on the server
 * (PQprepare) the first time it runs on a connection, and cached by the
 * address of its SQL text like sqlite.c does. Preparation waits for that
 * first step so that the parameter types are known: integers go as int8,
 * doubles as float8, blobs as bytea in binary; text and NULL leave the type
 * to PostgreSQL's inference from the SQL. Values travel as text.
 *
 * db_step runs the statement on its first call and keeps the whole result
 * (PGresult); later steps walk its rows. Columns read back as text; bytea
 * arrives hex-escaped and db_col_blob decodes it.
 *
 * Transactions: a write transaction takes a transaction-scoped advisory
 * lock first (BEGIN_WRITE), so writers to one database are serialised as
 * with SQLite's single writer, across every connection and every server
 * process. That is what keeps the audit hash chain one chain: each append
 * reads audit_head and writes the next link under that lock. A read
 * transaction is REPEATABLE READ, one snapshot for all its statements.
 *
 * The database must use UTF8 and the C collation: unit subtrees are code
 * ranges [code, code || ';') and listings sort like SQLite, byte-wise.
 * db_open_postgres checks both.
 */
#include "store/db.h"
#include "base/log.h"
#include "base/mem.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 64

/* Type OIDs from PostgreSQL's catalog (pg_type.dat); stable across versions. */
#define OID_BYTEA  17
#define OID_INT8   20
#define OID_FLOAT8 701

/* The advisory lock every write transaction holds: "jiceng" in ASCII. */
#define BEGIN_WRITE "BEGIN; SELECT pg_advisory_xact_lock(106105099101110103)"

struct pg_stmt {
    struct db_stmt base;
    char name[24]; /* server-side name, "j<n>"; "" until prepared */
    int nparam;    /* the highest $n, bound or in the SQL */
    Oid types[MAX_PARAMS];
    char *values[MAX_PARAMS]; /* owned copies; NULL = SQL NULL */
    int lengths[MAX_PARAMS];
    int formats[MAX_PARAMS]; /* 0 text, 1 binary (bytea) */
    PGresult *res;           /* after the first step, until reset */
    int row, nrows;
    unsigned char *blob; /* the last bytea read, until the next step or reset */
};

struct pg_db {
    struct db base;
    PGconn *conn;
    struct db_cache cache;
    unsigned long next_name;
    int64_t changes;
    int active; /* statements holding a result (stepped, not yet reset) */
};

/* Maps a failed result (or, when res is NULL, the connection's state) to an ERR_* kind. */
static int map_error(struct pg_db *d, const PGresult *res, struct err *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    int kind = ERR_DB;
    if (!state) {
        kind = PQstatus(d->conn) == CONNECTION_OK ? ERR_DB : ERR_IO;
    } else if (strncmp(state, "23", 2) == 0) { /* integrity constraint violation */
        kind = ERR_CONFLICT;
    } else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
               strcmp(state, "55P03") == 0 || strcmp(state, "53300") == 0 ||
               strcmp(state, "57014") == 0) {
        kind = ERR_BUSY; /* serialisation, deadlock, lock timeout, too many connections */
    } else if (strncmp(state, "54", 2) == 0) {
        kind = ERR_TOO_LARGE;
    } else if (strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 ||
               strncmp(state, "57P", 3) == 0 || strncmp(state, "58", 2) == 0) {
        kind = ERR_IO; /* connection lost, disk full, server shutting down */
    }
    /* Only the primary message: the detail may quote the row's values. */
    if (!msg || !*msg) msg = PQerrorMessage(d->conn);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    return err_set(err, kind, "database: %.*s%s%s%s", (int)n, msg, state ? " (SQLSTATE " : "",
                   state ? state : "", state ? ")" : "");
}

static void stmt_clear_values(struct pg_stmt *q)
{
    for (int i = 0; i < q->nparam; i++) {
        free(q->values[i]);
        q->values[i] = NULL;
        q->lengths[i] = 0;
        q->formats[i] = 0;
    }
}

static void stmt_free(struct db_stmt *s)
{
    struct pg_stmt *q = (struct pg_stmt *)s;
    stmt_clear_values(q);
    PQclear(q->res);
    PQfreemem(q->blob);
    free(q);
}

static int configure(struct pg_db *d, struct err *err);

/* After a lost connection is re-established, the server has forgotten
 * every prepared statement and setting: drop the statements, set again.
 * Only outside a transaction and while no statement is in use (a caller
 * may be walking one's rows). */
static int reconnect(struct pg_db *d, struct err *err)
{
    db_cache_clear(&d->cache, stmt_free);
    PQreset(d->conn);
    if (PQstatus(d->conn) != CONNECTION_OK)
        return err_set(err, ERR_IO, "database connection lost: %s", PQerrorMessage(d->conn));
    log_msg(LOG_WARN, "db.reconnect", "backend=postgres");
    return configure(d, err);
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
    struct pg_db *d = (struct pg_db *)db;
    if (PQstatus(d->conn) != CONNECTION_OK && db->tx_depth == 0 && d->active == 0) {
        int rc = reconnect(d, err);
        if (rc) return rc;
    }
    if ((*out = db_cache_find(&d->cache, sql))) return ERR_OK;
    struct pg_stmt *q = xcalloc(1, sizeof *q);
    q->base.db = db;
    q->base.sql = sql;
    db_cache_add(&d->cache, &q->base);
    *out = &q->base;
    return ERR_OK;
}

/* The slot of $n, growing nparam; NULL (and nothing bound) when out of range. */
static struct pg_stmt *slot(struct db_stmt *s, int n, Oid type)
{
    struct pg_stmt *q = (struct pg_stmt *)s;
    if (n < 1 || n > MAX_PARAMS) return NULL;
    if (n > q->nparam) q->nparam = n;
    free(q->values[n - 1]);
    q->values[n - 1] = NULL;
    q->formats[n - 1] = 0;
    q->lengths[n - 1] = 0;
    if (!q->name[0] && type) q->types[n - 1] = type; /* fixed once prepared */
    return q;
}

static void put_text(struct db_stmt *s, int n, Oid type, const char *v, size_t len)
{
    struct pg_stmt *q = slot(s, n, type);
    if (!q) return;
    char *copy = xmalloc(len + 1);
    memcpy(copy, v, len);
    copy[len] = '\0';
    q->values[n - 1] = copy;
    q->lengths[n - 1] = (int)len;
}

static void pg_bind_text(struct db_stmt *s, int n, const char *v, size_t len)
{
    put_text(s, n, 0, v, len);
}

static void pg_bind_blob(struct db_stmt *s, int n, const void *v, size_t len)
{
    struct pg_stmt *q = slot(s, n, OID_BYTEA);
    if (!q) return;
    char *copy = xmalloc(len ? len : 1);
    if (len) memcpy(copy, v, len);
    q->values[n - 1] = copy;
    q->lengths[n - 1] = (int)len;
    q->formats[n - 1] = 1;
}

static void pg_bind_int(struct db_stmt *s, int n, int64_t v)
{
    char buf[24];
    int len = snprintf(buf, sizeof buf, "%lld", (long long)v);
    put_text(s, n, OID_INT8, buf, (size_t)len);
}

static void pg_bind_double(struct db_stmt *s, int n, double v)
{
    char buf[32];
    int len;
    if (isnan(v))
        len = snprintf(buf, sizeof buf, "NaN");
    else if (isinf(v))
        len = snprintf(buf, sizeof buf, "%sInfinity", v < 0 ? "-" : "");
    else
        len = snprintf(buf, sizeof buf, "%.17g", v);
    put_text(s, n, OID_FLOAT8, buf, (size_t)len);
}

static void pg_bind_null(struct db_stmt *s, int n)
{
    slot(s, n, 0);
}

/* Prepares q on the server with the types of its first binding. */
static int server_prepare(struct pg_db *d, struct pg_stmt *q, struct err *err)
{
    char name[sizeof q->name];
    snprintf(name, sizeof name, "j%lu", ++d->next_name);
    PGresult *res = PQprepare(d->conn, name, q->base.sql, q->nparam, q->types);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? ERR_OK : map_error(d, res, err);
    PQclear(res);
    if (rc) return rc;
    /* Parameters the caller left unbound are NULL, as in SQLite. */
    res = PQdescribePrepared(d->conn, name);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = map_error(d, res, err);
    else if (PQnparams(res) > MAX_PARAMS)
        rc = err_set(err, ERR_INTERNAL, "SQL has more than $%d parameters", MAX_PARAMS);
    else if (PQnparams(res) > q->nparam)
        q->nparam = PQnparams(res);
    PQclear(res);
    if (rc == ERR_OK) memcpy(q->name, name, sizeof name);
    return rc;
}

/* Rows changed by an INSERT, UPDATE or DELETE; other commands leave it. */
static void count_changes(struct pg_db *d, PGresult *res)
{
    const char *cmd = PQcmdStatus(res);
    if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
        strncmp(cmd, "DELETE", 6) == 0 || strncmp(cmd, "MERGE", 5) == 0)
        d->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

static int pg_step(struct db_stmt *s, struct err *err)
{
    struct pg_stmt *q = (struct pg_stmt *)s;
    struct pg_db *d = (struct pg_db *)s->db;
    PQfreemem(q->blob);
    q->blob = NULL;
    if (!q->res) {
        int rc = q->name[0] ? ERR_OK : server_prepare(d, q, err);
        if (rc) return rc;
        PGresult *res = PQexecPrepared(d->conn, q->name, q->nparam, (const char *const *)q->values,
                                       q->lengths, q->formats, 0);
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            rc = map_error(d, res, err);
            PQclear(res);
            return rc;
        }
        count_changes(d, res);
        q->res = res;
        d->active++;
        q->row = -1;
        q->nrows = PQntuples(res);
    }
    if (q->row < q->nrows) q->row++;
    return q->row < q->nrows ? DB_ROW : DB_DONE;
}

/* The current row's value of col, NULL for SQL NULL or no such cell. */
static const char *cell(struct db_stmt *s, int col, size_t *len)
{
    struct pg_stmt *q = (struct pg_stmt *)s;
    if (len) *len = 0;
    if (!q->res || q->row < 0 || q->row >= q->nrows || col < 0 || col >= PQnfields(q->res) ||
        PQgetisnull(q->res, q->row, col))
        return NULL;
    if (len) *len = (size_t)PQgetlength(q->res, q->row, col);
    return PQgetvalue(q->res, q->row, col);
}

static const char *pg_col_text(struct db_stmt *s, int col, size_t *len)
{
    const char *t = cell(s, col, len);
    return t ? t : "";
}

static const void *pg_col_blob(struct db_stmt *s, int col, size_t *len)
{
    struct pg_stmt *q = (struct pg_stmt *)s;
    *len = 0;
    const char *t = cell(s, col, NULL);
    if (!t) return NULL;
    PQfreemem(q->blob);
    q->blob = PQunescapeBytea((const unsigned char *)t, len);
    if (!q->blob) *len = 0;
    return *len ? q->blob : NULL;
}

static int64_t pg_col_int(struct db_stmt *s, int col)
{
    const char *t = cell(s, col, NULL);
    if (!t) return 0;
    if (t[0] == 't' && !t[1]) return 1; /* boolean expressions */
    if (t[0] == 'f' && !t[1]) return 0;
    if (strpbrk(t, ".eE")) return (int64_t)strtod(t, NULL); /* as SQLite casts a real */
    return strtoll(t, NULL, 10);
}

static double pg_col_double(struct db_stmt *s, int col)
{
    const char *t = cell(s, col, NULL);
    return t ? strtod(t, NULL) : 0;
}

static bool pg_col_null(struct db_stmt *s, int col)
{
    size_t len;
    return cell(s, col, &len) == NULL;
}

static void pg_reset(struct db_stmt *s)
{
    struct pg_stmt *q = (struct pg_stmt *)s;
    if (q->res) ((struct pg_db *)s->db)->active--;
    PQclear(q->res);
    q->res = NULL;
    PQfreemem(q->blob);
    q->blob = NULL;
    stmt_clear_values(q);
}

static int pg_exec(struct db *db, const char *script, struct err *err)
{
    struct pg_db *d = (struct pg_db *)db;
    if (PQstatus(d->conn) != CONNECTION_OK && db->tx_depth == 0 && d->active == 0) {
        int rc = reconnect(d, err);
        if (rc) return rc;
    }
    PGresult *res = PQexec(d->conn, script);
    ExecStatusType st = PQresultStatus(res);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? ERR_OK : map_error(d, res, err);
    if (rc == ERR_OK) count_changes(d, res);
    PQclear(res);
    return rc;
}

static int64_t pg_changes(struct db *db)
{
    return ((struct pg_db *)db)->changes;
}

static void pg_close(struct db *db)
{
    struct pg_db *d = (struct pg_db *)db;
    db_cache_clear(&d->cache, stmt_free);
    PQfinish(d->conn);
    free(d);
}

static const struct db_ops postgres_ops = {
    .name = "postgres",
    .begin_write = BEGIN_WRITE,
    .begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    .close = pg_close,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_null = pg_col_null,
    .reset = pg_reset,
    .exec = pg_exec,
    .changes = pg_changes,
};

/* Server notices ("relation already exists, skipping") are for debugging only. */
static void on_notice(void *ctx, const PGresult *res)
{
    (void)ctx;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    log_msg(LOG_DEBUG, "db.notice", "sqlstate=%s msg=\"%s\"", state ? state : "-", msg ? msg : "");
}

/* One row, one text column: the answer to a parameterless query. */
static int query_text(struct pg_db *d, const char *sql, char *out, size_t cap, struct err *err)
{
    PGresult *res = PQexec(d->conn, sql);
    int rc = ERR_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = map_error(d, res, err);
    else if (PQntuples(res) != 1)
        rc = err_set(err, ERR_DB, "database: no answer to %s", sql);
    else
        snprintf(out, cap, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

/* UTF8 for the names of the tree, the C collation for its code ranges; a
 * lock wait ends as ERR_BUSY after 10 s like SQLite's busy timeout. */
static int configure(struct pg_db *d, struct err *err)
{
    char enc[64], coll[64];
    if (PQsetClientEncoding(d->conn, "UTF8") != 0)
        return err_set(err, ERR_DB, "database: cannot use client encoding UTF8: %s",
                       PQerrorMessage(d->conn));
    int rc = pg_exec(&d->base, "SET lock_timeout = '10s'; SET TIME ZONE 'UTC'", err);
    if (rc == ERR_OK) rc = query_text(d, "SHOW server_encoding", enc, sizeof enc, err);
    if (rc == ERR_OK)
        rc = query_text(d, "SELECT datcollate FROM pg_database WHERE datname = current_database()",
                        coll, sizeof coll, err);
    if (rc) return rc;
    /* C.UTF-8 orders by code point, which for UTF-8 is byte order too */
    bool bytewise = strcmp(coll, "C") == 0 || strcmp(coll, "POSIX") == 0 ||
                    strcmp(coll, "C.UTF-8") == 0 || strcmp(coll, "C.utf8") == 0;
    if (strcmp(enc, "UTF8") != 0 || !bytewise)
        return err_set(err, ERR_INVALID,
                       "database %s has encoding %s and collation %s; jiceng needs UTF8 and C "
                       "(create it with: createdb --encoding=UTF8 --locale=C --template=template0 "
                       "NAME)",
                       PQdb(d->conn), enc, coll);
    return ERR_OK;
}

int db_open_postgres(const char *conninfo, struct db **out, struct err *err)
{
    *out = NULL;
    PGconn *conn = PQconnectdb(conninfo);
    if (!conn) return err_set(err, ERR_INTERNAL, "out of memory connecting to the database");
    if (PQstatus(conn) != CONNECTION_OK) {
        /* libpq's message names host, port and user, never the password */
        char msg[ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(conn));
        msg[strcspn(msg, "\n")] = '\0';
        PQfinish(conn);
        return err_set(err, ERR_IO, "cannot connect to the database: %s", msg);
    }
    PQsetNoticeReceiver(conn, on_notice, NULL);
    struct pg_db *d = xcalloc(1, sizeof *d);
    d->base.ops = &postgres_ops;
    d->conn = conn;
    int rc = configure(d, err);
    if (rc) {
        pg_close(&d->base);
        return rc;
    }
    *out = &d->base;
    return ERR_OK;
}
