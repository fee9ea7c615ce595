/*
 * cmd_migrate.c — `jiceng migrate --to URL|DIR`: copies the whole database
 * of the current backend (--data, --db) into an empty PostgreSQL database
 * or a new SQLite data directory, then proves the copy by counting and
 * hashing every table on both sides (store/copy.c).
 *
 * Both stores are opened first, which brings both to this binary's schema
 * version; the target's seeded rows (roles, the audit head) are replaced
 * by the source's. The copy is one read transaction on the source (one
 * snapshot) and one write transaction on the target (all or nothing).
 * The migration itself writes no audit record: the copy must equal the
 * source. The personal-data key file is not in the database and is not
 * copied; the command says where it is.
 */
#include "app/keyfile.h"
#include "base/mem.h"
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct side {
    struct store *store;
    struct db *db;
    struct store_tables tables;
};

static void side_close(struct side *s)
{
    if (s->db) store_release(s->store, s->db);
    store_close(s->store);
    store_tables_free(&s->tables); /* after the connections: their caches hold its SQL */
}

/* A new data directory: absent (then created) or empty. */
static int prepare_dir(const char *dir, struct err *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT) return err_set(err, ERR_IO, "%s: %s", dir, strerror(errno));
        if (mkdir(dir, 0750) != 0) return err_set(err, ERR_IO, "%s: %s", dir, strerror(errno));
        return ERR_OK;
    }
    const struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (!empty)
        return err_set(err, ERR_CONFLICT, "%s is not empty: migrate into a new data directory",
                       dir);
    return ERR_OK;
}

/* An empty PostgreSQL database: no tables in its schema yet. */
static int check_pg_empty(const char *url, struct err *err)
{
    struct db *db;
    int rc = db_open_postgres(url, &db, err);
    if (rc) return rc;
    struct store_tables t;
    rc = store_tables_list(db, &t, err);
    size_t n = t.n;
    db_close(db);
    store_tables_free(&t);
    if (rc == ERR_OK && n)
        rc = err_set(err, ERR_CONFLICT,
                     "the target database already has %zu tables: migrate into an empty one "
                     "(createdb --encoding=UTF8 --locale=C --template=template0 NAME)",
                     n);
    return rc;
}

static int open_side(const char *data, const char *url, bool create, struct side *s,
                     struct err *err)
{
    int rc = store_open(data, url, create, 1, &s->store, err);
    if (rc) return rc;
    s->db = store_acquire(s->store);
    return store_tables_list(s->db, &s->tables, err);
}

struct tally {
    int64_t rows_src, rows_dst;
    unsigned char sum_src[32], sum_dst[32];
};

/* The copy: target cleared of its seeded rows, then every table in order. */
static int copy_all(struct side *src, struct side *dst, struct tally *tl, struct err *err)
{
    int rc = db_begin(src->db, false, err);
    if (rc) return rc;
    if ((rc = db_begin(dst->db, true, err))) {
        db_rollback(src->db);
        return rc;
    }
    const struct store_tables *ts = &src->tables;
    for (size_t i = ts->n; i-- > 0 && rc == ERR_OK;)
        rc = store_table_clear(dst->db, &ts->t[i], err);
    for (size_t i = 0; i < ts->n && rc == ERR_OK; i++) {
        rc = store_table_copy(src->db, dst->db, &ts->t[i], &tl[i].rows_src, tl[i].sum_src, err);
        if (rc == ERR_OK) rc = store_table_reset_ids(dst->db, &ts->t[i], err);
        if (rc == ERR_OK)
            fprintf(stderr, "jiceng: copied %s (%" PRId64 " rows)\n", ts->t[i].name,
                    tl[i].rows_src);
    }
    if (rc == ERR_OK) rc = db_commit(dst->db, err);
    db_rollback(dst->db);
    db_rollback(src->db);
    return rc;
}

/* Counts and hashes the target's tables again, in a transaction of their own. */
static int verify_all(struct side *src, struct side *dst, struct tally *tl, struct err *err)
{
    int rc = db_begin(dst->db, false, err);
    for (size_t i = 0; i < src->tables.n && rc == ERR_OK; i++)
        rc = store_table_sum(dst->db, &src->tables.t[i], &tl[i].rows_dst, tl[i].sum_dst, err);
    db_rollback(dst->db);
    return rc;
}

static int report(const struct side *src, const struct tally *tl)
{
    int bad = 0;
    printf("%-22s %12s %12s  %s\n", "table", "source rows", "target rows", "checksum");
    for (size_t i = 0; i < src->tables.n; i++) {
        bool same = tl[i].rows_src == tl[i].rows_dst &&
                    memcmp(tl[i].sum_src, tl[i].sum_dst, sizeof tl[i].sum_src) == 0;
        char hex[17];
        sodium_bin2hex(hex, sizeof hex, tl[i].sum_dst, 8);
        printf("%-22s %12" PRId64 " %12" PRId64 "  %s %s\n", src->tables.t[i].name, tl[i].rows_src,
               tl[i].rows_dst, hex, same ? "ok" : "MISMATCH");
        bad += !same;
    }
    return bad;
}

static int migrate(struct cli *cli, const char *to)
{
    bool pg = store_url_is_postgres(to);
    if (!pg && strstr(to, "://"))
        return cli_usage_error("migrate", "--to %s is neither a postgres:// URL nor a directory",
                               to);
    struct err e;
    err_clear(&e);
    struct side src = {0}, dst = {0};
    struct tally *tl = NULL;
    int rc = pg ? check_pg_empty(to, &e) : prepare_dir(to, &e);
    if (rc) return cli_fail(&e, "migrate: target");
    if (open_side(cli->cfg.data, cli->cfg.db, false, &src, &e)) {
        side_close(&src);
        return cli_fail(&e, "migrate: source");
    }
    rc = open_side(pg ? cli->cfg.data : to, pg ? to : NULL, true, &dst, &e);
    int v_src = 0, v_dst = 0;
    if (rc == ERR_OK && (rc = store_schema_version(src.db, &v_src, &e)) == ERR_OK &&
        (rc = store_schema_version(dst.db, &v_dst, &e)) == ERR_OK && v_src != v_dst)
        rc =
            err_set(&e, ERR_CONFLICT, "schema versions differ: source %d, target %d", v_src, v_dst);
    if (rc == ERR_OK) rc = store_tables_same(&src.tables, &dst.tables, &e);
    if (rc == ERR_OK) {
        tl = xcalloc(src.tables.n ? src.tables.n : 1, sizeof *tl);
        fprintf(stderr, "jiceng: copying %zu tables from %s to %s (schema version %d)\n",
                src.tables.n, src.db->ops->name, dst.db->ops->name, v_src);
        rc = copy_all(&src, &dst, tl, &e);
    }
    if (rc == ERR_OK) rc = verify_all(&src, &dst, tl, &e);
    int bad = rc == ERR_OK ? report(&src, tl) : 0;
    side_close(&src);
    side_close(&dst);
    free(tl);
    if (rc) return cli_fail(&e, "migrate");
    if (bad) {
        fprintf(stderr, "jiceng: migrate: %d tables differ after the copy: do not use the target\n",
                bad);
        return EXIT_FAIL;
    }
    char key[CONFIG_PATH_MAX];
    keyfile_path(&cli->cfg, key, sizeof key);
    printf("copied and verified: every table has the same rows and checksum on both sides\n"
           "the personal-data key file is not in the database and was not copied: it stays at\n"
           "%s. Servers on the new database need it: %s\n",
           key,
           pg ? "give them a --data directory holding it (or key_file in jiceng.conf)"
              : "copy it into the new data directory (mode 0600)");
    return EXIT_OK;
}

int cmd_migrate(struct cli *cli, int argc, char **argv)
{
    const char *to = NULL;
    for (int i = 1; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--to", &to);
        if (m < 0) return cli_usage_error("migrate", "--to needs a value");
        if (m == 0) return cli_usage_error("migrate", "unexpected argument \"%s\"", argv[i]);
    }
    if (!to || !*to) return cli_usage_error("migrate", "say where to: --to URL or --to DIR");
    return migrate(cli, to);
}
