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
 *
 * Change notices (db_notify, db_listen_postgres): several server processes
 * on one database each keep caches (the tree, rollups, kept answers). A
 * writer sends pg_notify('jiceng', '<origin> <what>') inside its write
 * transaction, so the notice leaves on commit and never for a rollback;
 * <origin> is a random tag of the sending process, by which a listener
 * skips its own process's notices. A listener is one more connection, in a
 * thread that sleeps in poll() on its socket and on a pipe that stops it.
 */
#include "store/db.h"
#include "base/log.h"
#include "base/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

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
    struct {    /* rows of a COPY FROM STDIN not sent yet (db_copy_*) */
        char *buf;
        size_t len, cap;
    } copy;
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

static int pg_col_index(struct db_stmt *s, const char *name)
{
    const PGresult *res = ((struct pg_stmt *)s)->res;
    int n = res ? PQnfields(res) : 0;
    for (int i = 0; i < n; i++)
        if (strcmp(PQfname(res, i), name) == 0) return i;
    return -1;
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
    free(d->copy.buf);
    free(d);
}

/* ---- change notices ---- */

#define NOTIFY_CHANNEL "jiceng"
#define ORIGIN_HEX     16

static char origin[ORIGIN_HEX + 1];
static pthread_once_t origin_once = PTHREAD_ONCE_INIT;

/* A random tag for this process, so its listener can skip its own notices. */
static void origin_init(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
        r = ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&r;
    snprintf(origin, sizeof origin, "%016llx", (unsigned long long)r);
}

static const char sql_notify[] = "SELECT pg_notify('" NOTIFY_CHANNEL "', $1)";

static int pg_notify_send(struct db *db, const char *payload, struct err *err)
{
    pthread_once(&origin_once, origin_init);
    char msg[ORIGIN_HEX + 2 + 512];
    int len = snprintf(msg, sizeof msg, "%s %s", origin, payload);
    if (len < 0 || (size_t)len >= sizeof msg)
        return err_set(err, ERR_INTERNAL, "change notice too long: %.40s", payload);
    struct db_stmt *st;
    int rc = db_prepare(db, sql_notify, &st, err);
    if (rc) return rc;
    db_bind_text(st, 1, msg, (size_t)len);
    rc = db_step(st, err);
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- bulk loading: COPY … FROM STDIN in the text format ---- */

#define COPY_FLUSH (1u << 20) /* send the rows every MiB */

static void copy_put(struct pg_db *d, const char *p, size_t n)
{
    if (d->copy.len + n > d->copy.cap) {
        d->copy.cap = (d->copy.len + n) * 2;
        d->copy.buf = xrealloc(d->copy.buf, d->copy.cap);
    }
    memcpy(d->copy.buf + d->copy.len, p, n);
    d->copy.len += n;
}

/* A field in COPY's text format: backslash escapes; bytea as \x and hex. */
static void copy_field(struct pg_db *d, const char *v, size_t len, bool bytes)
{
    static const char hex[] = "0123456789abcdef";
    if (bytes) {
        copy_put(d, "\\\\x", 3);
        for (size_t i = 0; i < len; i++) {
            char h[2] = {hex[(unsigned char)v[i] >> 4], hex[(unsigned char)v[i] & 15]};
            copy_put(d, h, 2);
        }
        return;
    }
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        char c = v[i], e = c == '\\'   ? '\\'
                           : c == '\n' ? 'n'
                           : c == '\r' ? 'r'
                           : c == '\t' ? 't'
                                       : 0;
        if (!e) continue;
        copy_put(d, v + run, i - run);
        char esc[2] = {'\\', e};
        copy_put(d, esc, 2);
        run = i + 1;
    }
    copy_put(d, v + run, len - run);
}

static int copy_flush(struct pg_db *d, struct err *err)
{
    if (!d->copy.len) return ERR_OK;
    int ok = PQputCopyData(d->conn, d->copy.buf, (int)d->copy.len);
    d->copy.len = 0;
    return ok == 1 ? ERR_OK : map_error(d, NULL, err);
}

static int pg_copy_begin(struct db_stmt *s, const char *target, struct err *err)
{
    struct pg_db *d = (struct pg_db *)s->db;
    size_t n = strlen(target);
    char *sql = xmalloc(n + 32);
    snprintf(sql, n + 32, "COPY %s FROM STDIN", target);
    PGresult *res = PQexec(d->conn, sql);
    free(sql);
    int rc = PQresultStatus(res) == PGRES_COPY_IN ? ERR_OK : map_error(d, res, err);
    PQclear(res);
    d->copy.len = 0;
    return rc;
}

static int pg_copy_row(struct db_stmt *s, struct err *err)
{
    struct pg_stmt *q = (struct pg_stmt *)s;
    struct pg_db *d = (struct pg_db *)s->db;
    for (int i = 0; i < q->nparam; i++) {
        if (i) copy_put(d, "\t", 1);
        if (q->values[i])
            copy_field(d, q->values[i], (size_t)q->lengths[i], q->formats[i] == 1);
        else
            copy_put(d, "\\N", 2);
    }
    copy_put(d, "\n", 1);
    stmt_clear_values(q);
    return d->copy.len >= COPY_FLUSH ? copy_flush(d, err) : ERR_OK;
}

static int pg_copy_end(struct db_stmt *s, bool ok, struct err *err)
{
    struct pg_db *d = (struct pg_db *)s->db;
    stmt_clear_values((struct pg_stmt *)s);
    int rc = ok ? copy_flush(d, err) : ERR_OK;
    d->copy.len = 0;
    if (PQputCopyEnd(d->conn, rc == ERR_OK && ok ? NULL : "abandoned") != 1 && rc == ERR_OK && ok)
        rc = map_error(d, NULL, err);
    PGresult *res;
    while ((res = PQgetResult(d->conn))) {
        if (PQresultStatus(res) == PGRES_COMMAND_OK)
            d->changes = strtoll(PQcmdTuples(res), NULL, 10);
        else if (rc == ERR_OK && ok)
            rc = map_error(d, res, err);
        PQclear(res);
    }
    return rc;
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
    .col_index = pg_col_index,
    .reset = pg_reset,
    .exec = pg_exec,
    .changes = pg_changes,
    .tables_sql = "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p') "
                  "AND c.relnamespace = current_schema()::regnamespace "
                  "AND c.relname <> 'schema_migrations' ORDER BY 1",
    .columns_sql = "SELECT a.attname, format_type(a.atttypid, NULL), "
                   "coalesce((SELECT k.n FROM unnest(i.indkey::int2[]) WITH ORDINALITY "
                   "AS k (attnum, n) WHERE k.attnum = a.attnum AND k.n <= i.indnkeyatts), 0) "
                   "FROM pg_attribute a LEFT JOIN pg_index i "
                   "ON i.indrelid = a.attrelid AND i.indisprimary "
                   "WHERE a.attrelid = to_regclass($1::text) AND a.attnum > 0 "
                   "AND NOT a.attisdropped ORDER BY a.attnum",
    .parents_sql = "SELECT DISTINCT confrelid::regclass::text FROM pg_constraint "
                   "WHERE contype = 'f' AND conrelid = to_regclass($1::text)",
    .id_reset_sql = "SELECT setval(q.s, $3::bigint, false) "
                    "FROM (SELECT pg_get_serial_sequence($1::text, $2::text) AS s) q "
                    "WHERE q.s IS NOT NULL",
    .copy_begin = pg_copy_begin,
    .copy_row = pg_copy_row,
    .copy_end = pg_copy_end,
    .notify = pg_notify_send,
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

/* ---- the listener ---- */

#define LISTEN_BATCH 64

struct db_listener {
    char *conninfo;
    db_notify_fn fn;
    void *ctx;
    PGconn *conn;
    int stop_pipe[2]; /* a byte on [1] ends the thread */
    pthread_t thread;
};

/* A connection that LISTENs, or NULL (message in err). TCP keepalives find
 * a server that vanished without closing the socket within about a minute;
 * options in conninfo win over these defaults. */
static PGconn *listen_connect(const char *conninfo, struct err *err)
{
    static const char *const keys[] = {"keepalives",
                                       "keepalives_idle",
                                       "keepalives_interval",
                                       "keepalives_count",
                                       "connect_timeout",
                                       "dbname",
                                       NULL};
    const char *values[] = {"1", "30", "10", "3", "10", conninfo, NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (!conn) {
        err_setf(err, ERR_INTERNAL, NULL, "out of memory connecting to the database");
        return NULL;
    }
    PGresult *res = NULL;
    if (PQstatus(conn) == CONNECTION_OK) res = PQexec(conn, "LISTEN " NOTIFY_CHANNEL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        char msg[ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(conn));
        msg[strcspn(msg, "\n")] = '\0';
        err_setf(err, ERR_IO, NULL, "cannot listen for changes on the database: %s", msg);
        PQclear(res);
        PQfinish(conn);
        return NULL;
    }
    PQclear(res);
    if (PQsetnonblocking(conn, 1) != 0) log_msg(LOG_WARN, "db.listen", "nonblocking=failed");
    return conn;
}

/* Waits up to ms for input on the connection (fd >= 0) or a stop request;
 * true when asked to stop. */
static bool listen_wait(struct db_listener *l, int fd, int ms, bool *readable)
{
    struct pollfd p[2] = {{.fd = l->stop_pipe[0], .events = POLLIN}, {.fd = fd, .events = POLLIN}};
    *readable = false;
    int n = poll(p, fd >= 0 ? 2 : 1, ms);
    if (n < 0 && errno != EINTR) return true;
    if (n > 0 && p[0].revents) return true;
    *readable = n > 0 && fd >= 0 && p[1].revents != 0;
    return false;
}

/* Hands fn the notices waiting on the connection, other processes' only. */
static void listen_deliver(struct db_listener *l)
{
    pthread_once(&origin_once, origin_init);
    PGnotify *got[LISTEN_BATCH];
    const char *payloads[LISTEN_BATCH];
    for (;;) {
        size_t n = 0, k = 0;
        PGnotify *nt;
        while (n < LISTEN_BATCH && (nt = PQnotifies(l->conn))) {
            got[n++] = nt;
            const char *p = nt->extra;
            if (strncmp(p, origin, ORIGIN_HEX) == 0 && p[ORIGIN_HEX] == ' ') continue; /* ours */
            const char *sp = strchr(p, ' ');
            if (sp && sp[1]) payloads[k++] = sp + 1;
        }
        if (k) l->fn(l->ctx, payloads, k);
        for (size_t i = 0; i < n; i++)
            PQfreemem(got[i]);
        if (n < LISTEN_BATCH) return;
    }
}

static void *listen_thread(void *arg)
{
    struct db_listener *l = arg;
    int backoff_ms = 100;
    bool readable;
    for (;;) {
        if (!l->conn) { /* lost: connect again, then everything may be stale */
            struct err err;
            err_clear(&err);
            l->conn = listen_connect(l->conninfo, &err);
            if (!l->conn) {
                log_msg(LOG_WARN, "db.listen", "reconnect=failed retry_ms=%d msg=\"%s\"",
                        backoff_ms, err.msg);
                if (listen_wait(l, -1, backoff_ms, &readable)) break;
                backoff_ms = backoff_ms < 5000 ? backoff_ms * 2 : 5000;
                continue;
            }
            log_msg(LOG_WARN, "db.listen", "reconnect=ok");
            backoff_ms = 100;
            const char *all = DB_NOTIFY_ALL;
            l->fn(l->ctx, &all, 1);
        }
        if (listen_wait(l, PQsocket(l->conn), 30000, &readable)) break;
        if (!readable) continue;
        if (PQconsumeInput(l->conn) == 0 || PQstatus(l->conn) != CONNECTION_OK) {
            log_msg(LOG_WARN, "db.listen", "connection=lost msg=\"%.*s\"",
                    (int)strcspn(PQerrorMessage(l->conn), "\n"), PQerrorMessage(l->conn));
            PQfinish(l->conn);
            l->conn = NULL;
            continue;
        }
        listen_deliver(l);
    }
    return NULL;
}

int db_listen_postgres(const char *conninfo, db_notify_fn fn, void *ctx, struct db_listener **out,
                       struct err *err)
{
    *out = NULL;
    struct db_listener *l = xcalloc(1, sizeof *l);
    l->fn = fn;
    l->ctx = ctx;
    l->conninfo = xstrdup(conninfo);
    l->stop_pipe[0] = l->stop_pipe[1] = -1;
    int rc = ERR_OK;
    if (pipe2(l->stop_pipe, O_CLOEXEC) != 0)
        rc = err_set(err, ERR_IO, "cannot create a pipe: %s", strerror(errno));
    if (!rc && !(l->conn = listen_connect(conninfo, err))) rc = ERR_IO;
    if (!rc && pthread_create(&l->thread, NULL, listen_thread, l) != 0)
        rc = err_set(err, ERR_INTERNAL, "cannot start the change listener thread");
    if (rc) {
        PQfinish(l->conn);
        if (l->stop_pipe[0] >= 0) close(l->stop_pipe[0]);
        if (l->stop_pipe[1] >= 0) close(l->stop_pipe[1]);
        free(l->conninfo);
        free(l);
        return rc;
    }
    *out = l;
    return ERR_OK;
}

void db_listener_stop(struct db_listener *l)
{
    if (!l) return;
    ssize_t w;
    do
        w = write(l->stop_pipe[1], "x", 1);
    while (w < 0 && errno == EINTR);
    pthread_join(l->thread, NULL);
    PQfinish(l->conn);
    close(l->stop_pipe[0]);
    close(l->stop_pipe[1]);
    free(l->conninfo);
    free(l);
}
