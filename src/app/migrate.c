/*
 * migrate.c — the whole database of one backend copied into an empty
 * PostgreSQL database or a new SQLite data directory, then proved by
 * counting and hashing every table on both sides (store/copy.c; migrate.h).
 *
 * Both stores are opened first, which brings both to this binary's schema
 * version; the target's seeded rows (roles, the audit head) are replaced
 * by the source's. The copy is one read transaction on the source (one
 * snapshot) and one write transaction on the target (all or nothing).
 * The migration itself writes no audit record: the copy must equal the
 * source.
 */
#include "app/migrate.h"
#include "base/mem.h"
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
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

/* The copy: target cleared of its seeded rows, then every table in order. */
static int copy_all(struct side *src, struct side *dst, struct migrate_table *tl,
                    void (*progress)(void *ctx, const char *table, int64_t rows), void *ctx,
                    struct err *err)
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
        if (rc == ERR_OK && progress) progress(ctx, ts->t[i].name, tl[i].rows_src);
    }
    if (rc == ERR_OK) rc = db_commit(dst->db, err);
    db_rollback(dst->db);
    db_rollback(src->db);
    return rc;
}

/* Counts and hashes the target's tables again, in a transaction of their own. */
static int verify_all(struct side *src, struct side *dst, struct migrate_table *tl, struct err *err)
{
    int rc = db_begin(dst->db, false, err);
    for (size_t i = 0; i < src->tables.n && rc == ERR_OK; i++)
        rc = store_table_sum(dst->db, &src->tables.t[i], &tl[i].rows_dst, tl[i].sum_dst, err);
    db_rollback(dst->db);
    return rc;
}

int app_migrate(const char *data, const char *db_url, const char *to,
                void (*progress)(void *ctx, const char *table, int64_t rows), void *ctx,
                struct migrate_result *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    bool pg = store_url_is_postgres(to);
    if (!pg && strstr(to, "://"))
        return err_set(err, ERR_INVALID, "--to %s is neither a postgres:// URL nor a directory",
                       to);
    out->to_postgres = pg;
    struct side src = {0}, dst = {0};
    int rc = pg ? check_pg_empty(to, err) : prepare_dir(to, err);
    if (rc) return err_wrap(err, "target");
    if (open_side(data, db_url, false, &src, err)) {
        side_close(&src);
        return err_wrap(err, "source");
    }
    rc = open_side(pg ? data : to, pg ? to : NULL, true, &dst, err);
    int v_dst = 0;
    if (rc == ERR_OK && (rc = store_schema_version(src.db, &out->version, err)) == ERR_OK &&
        (rc = store_schema_version(dst.db, &v_dst, err)) == ERR_OK && out->version != v_dst)
        rc = err_set(err, ERR_CONFLICT, "schema versions differ: source %d, target %d",
                     out->version, v_dst);
    if (rc == ERR_OK) rc = store_tables_same(&src.tables, &dst.tables, err);
    if (rc == ERR_OK) {
        out->n = src.tables.n;
        out->tables = xcalloc(out->n ? out->n : 1, sizeof *out->tables);
        for (size_t i = 0; i < out->n; i++)
            out->tables[i].name = xstrdup(src.tables.t[i].name);
        out->from = src.db->ops->name;
        out->into = dst.db->ops->name;
        if (progress) progress(ctx, NULL, (int64_t)out->n);
        rc = copy_all(&src, &dst, out->tables, progress, ctx, err);
    }
    if (rc == ERR_OK) rc = verify_all(&src, &dst, out->tables, err);
    for (size_t i = 0; rc == ERR_OK && i < out->n; i++) {
        const struct migrate_table *t = &out->tables[i];
        bool same = t->rows_src == t->rows_dst && memcmp(t->sum_src, t->sum_dst, 32) == 0;
        out->mismatches += !same;
    }
    side_close(&src);
    side_close(&dst);
    return rc;
}

void migrate_result_free(struct migrate_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free((char *)r->tables[i].name);
    free(r->tables);
    memset(r, 0, sizeof *r);
}
