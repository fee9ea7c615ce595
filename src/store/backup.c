/*
 * backup.c — consistent copies of a whole database while it is in use
 * (store.h).
 *
 * SQLite: the online backup API copying every page in one step
 * (sqlite3_backup_step(-1)) holds one read transaction on the source for
 * the whole copy, so the copy is one snapshot and, in WAL mode, writers
 * carry on meanwhile. (Copying in steps, as the sqlite3 shell's .backup
 * does, starts over whenever another connection writes, and under steady
 * writes never ends.)
 *
 * PostgreSQL: pg_dump reads in a snapshot of its own; --snapshot makes it
 * read the snapshot a transaction of ours exported, so what we check in
 * that transaction is exactly what was dumped. The connection's password
 * reaches pg_dump through its environment (libpq's PG* variables, readable
 * only by the same user), never its command line (readable by everyone in
 * /proc).
 */
#include "store/store.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int store_backup_sqlite(const char *data_dir, const char *path, struct err *err)
{
    char src_path[4096];
    snprintf(src_path, sizeof src_path, "%s/%s", data_dir, STORE_DB_FILE);
    sqlite3 *src = NULL, *dst = NULL;
    int rc = sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        rc = err_set(err, ERR_IO, "cannot open %s: %s", dst ? path : src_path,
                     sqlite3_errmsg(dst ? dst : src));
        sqlite3_close_v2(dst);
        sqlite3_close_v2(src);
        return rc;
    }
    sqlite3_busy_timeout(src, 10000);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    int step = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR; /* every page in one step */
    int done = b ? sqlite3_backup_finish(b) : sqlite3_errcode(dst);
    if (step != SQLITE_DONE || done != SQLITE_OK)
        rc = err_set(err, step == SQLITE_BUSY || step == SQLITE_LOCKED ? ERR_BUSY : ERR_IO,
                     "backup of %s failed: %s", src_path, sqlite3_errmsg(dst));
    else
        rc = ERR_OK;
    sqlite3_close_v2(dst);
    sqlite3_close_v2(src);
    return rc;
}

int store_backup_standalone(const char *path, struct err *err)
{
    sqlite3 *h = NULL;
    char *msg = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(h, "PRAGMA journal_mode=DELETE", NULL, NULL, &msg);
    if (rc != SQLITE_OK) rc = err_set(err, ERR_IO, "%s: %s", path, msg ? msg : sqlite3_errmsg(h));
    sqlite3_free(msg);
    sqlite3_close_v2(h);
    return rc;
}

int store_integrity_check(struct db *db, char *problem, size_t cap, struct err *err)
{
    static const char sql[] = "PRAGMA integrity_check";
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    rc = db_step(st, err);
    snprintf(problem, cap, "%s", rc == DB_ROW ? db_col_text(st, 0, NULL) : "");
    if (rc == DB_ROW && strcmp(problem, "ok") == 0) problem[0] = '\0';
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_snapshot_export(struct db *db, char *id, size_t cap, struct err *err)
{
    static const char sql[] = "SELECT pg_export_snapshot() AS id";
    if (db->tx_depth == 0)
        return err_set(err, ERR_INTERNAL, "a snapshot is exported from an open transaction");
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    rc = db_step(st, err);
    if (rc == DB_ROW) snprintf(id, cap, "%s", db_text(st, "id"));
    db_reset(st);
    return rc < 0 ? rc : rc == DB_ROW ? ERR_OK : err_set(err, ERR_DB, "no snapshot exported");
}

extern char **environ;

/* The environment plus "VAR=value" for every connection parameter of opts
 * (libpq's own variables: PGHOST, PGPASSWORD …); free the array and the
 * strings after the `PG` ones with free_env. */
static char **env_with(const PQconninfoOption *opts, size_t *added)
{
    size_t n = 0, k = 0;
    for (char **e = environ; *e; e++)
        n++;
    for (const PQconninfoOption *o = opts; o->keyword; o++)
        n += o->val && o->envvar;
    char **env = calloc(n + 1, sizeof *env);
    if (!env) abort();
    for (const PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !o->envvar) continue;
        size_t len = strlen(o->envvar) + strlen(o->val) + 2;
        env[k] = malloc(len);
        if (!env[k]) abort();
        snprintf(env[k++], len, "%s=%s", o->envvar, o->val);
    }
    *added = k;
    for (char **e = environ; *e; e++) {
        bool set = false;
        for (size_t i = 0; i < *added && !set; i++)
            set = strncmp(*e, env[i], strcspn(env[i], "=") + 1) == 0;
        if (!set) env[k++] = *e;
    }
    return env;
}

static void free_env(char **env, size_t added)
{
    for (size_t i = 0; i < added; i++) {
        explicit_bzero(env[i], strlen(env[i])); /* a password among them */
        free(env[i]);
    }
    free(env);
}

/* Runs argv[0] (found in PATH) with url's connection parameters in its
 * environment and its output to /dev/null; ERR_IO unless it exits 0. */
static int run_with(const char *url, char *const argv[], struct err *err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &msg);
    if (!opts) {
        int kind = err_set(err, ERR_INVALID, "bad database URL: %s", msg ? msg : "");
        PQfreemem(msg);
        return kind;
    }
    size_t added;
    char **env = env_with(opts, &added);
    PQconninfoFree(opts);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    pid_t pid = fork();
    if (pid == 0) { /* only async-signal-safe calls from here */
        if (null >= 0) dup2(null, STDOUT_FILENO);
        execvpe(argv[0], argv, env);
        static const char cant[] = "jiceng: cannot run a PostgreSQL client program\n";
        ssize_t w = write(STDERR_FILENO, cant, sizeof cant - 1);
        (void)w;
        _exit(127);
    }
    int saved = errno;
    if (null >= 0) close(null);
    free_env(env, added);
    if (pid < 0) return err_set(err, ERR_IO, "cannot start %s: %s", argv[0], strerror(saved));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return err_set(err, ERR_IO, "%s: %s", argv[0], strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return err_set(err, ERR_IO, "%s failed (exit status %d): see its message above", argv[0],
                       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return ERR_OK;
}

int store_dump_postgres(const char *url, const char *snapshot, const char *path, struct err *err)
{
    char snap[128], file[4200];
    snprintf(snap, sizeof snap, "--snapshot=%s", snapshot);
    snprintf(file, sizeof file, "--file=%s", path);
    char *dump[] = {"pg_dump", "--format=custom", snap, file, NULL};
    int rc = run_with(url, dump, err);
    /* the archive reads back: its table of contents is whole */
    char *list[] = {"pg_restore", "--list", (char *)path, NULL};
    if (!rc) rc = run_with(url, list, err);
    return rc;
}
