/*
 * copy.c — a whole database from one backend into another (`jiceng
 * migrate`), table by table, and the checksums that prove the copy equal.
 *
 * Nothing here knows jiceng's tables: the backend's catalog (db_ops'
 * tables_sql, columns_sql, parents_sql) lists them with their columns,
 * types and foreign keys, so a table a later migration adds is copied too.
 * Tables go parents first; a table's rows go in primary-key order, which
 * for a self-reference (units.parent_code) is parents first as well,
 * because a parent's code is a prefix of its children's.
 *
 * The SQL is built once per table from the catalog and kept in the
 * struct store_table: the statement caches key on its address (db.h).
 *
 * A row's checksum input is, per column, a tag and the value: 'N' for
 * NULL; 'I' and 8 bytes (little-endian) for integers; 'R' and the 8 bytes
 * of the IEEE double for reals; 'T' or 'B', an 8-byte length and the bytes
 * for text and blobs. Both backends hand back the same values for the
 * same rows (integers exact, doubles round-tripped, text and bytes as
 * stored), so equal SHA-256 sums mean equal tables.
 */
#include "store/store.h"
#include "base/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value class of a declared type, as SQLite's affinity rules put it. */
static char type_class(const char *type)
{
    if (strstr(type, "int")) return 'i';
    if (strstr(type, "blob") || strstr(type, "bytea")) return 'b';
    if (strstr(type, "char") || strstr(type, "text") || strstr(type, "clob")) return 't';
    if (strstr(type, "real") || strstr(type, "floa") || strstr(type, "doub") ||
        strstr(type, "numeric"))
        return 'r';
    return 't';
}

static char *xstrdup_len(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* A growing string for the SQL of one table. */
struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

/* Identifiers are quoted: a column may be a keyword (rating_withdrawals.by). */
static void sb_ident(struct sbuf *b, const char *name)
{
    sb_add(b, "\"");
    sb_add(b, name);
    sb_add(b, "\"");
}

static char *sb_take(struct sbuf *b)
{
    char *p = b->p;
    *b = (struct sbuf){0};
    return p;
}

static void sb_cols(struct sbuf *b, const struct store_table *t)
{
    for (int i = 0; i < t->ncols; i++) {
        if (i) sb_add(b, ", ");
        sb_ident(b, t->cols[i]);
    }
}

/* The ORDER BY list: the primary key in its order, or every column. */
static void sb_order(struct sbuf *b, const struct store_table *t)
{
    int n = 0;
    for (int place = 1; place <= t->ncols; place++)
        for (int i = 0; i < t->ncols; i++)
            if (t->pk[i] == place) {
                if (n++) sb_add(b, ", ");
                sb_ident(b, t->cols[i]);
            }
    if (!n) sb_cols(b, t);
}

static void build_sql(struct store_table *t)
{
    struct sbuf b = {0};
    char num[16];
    sb_add(&b, "SELECT ");
    sb_cols(&b, t);
    sb_add(&b, " FROM ");
    sb_ident(&b, t->name);
    sb_add(&b, " ORDER BY ");
    sb_order(&b, t);
    t->select_sql = sb_take(&b);

    sb_ident(&b, t->name);
    sb_add(&b, " (");
    sb_cols(&b, t);
    sb_add(&b, ")");
    t->target = sb_take(&b);

    sb_add(&b, "INSERT INTO ");
    sb_add(&b, t->target);
    sb_add(&b, " VALUES (");
    for (int i = 0; i < t->ncols; i++) {
        snprintf(num, sizeof num, "%s$%d", i ? ", " : "", i + 1);
        sb_add(&b, num);
    }
    sb_add(&b, ")");
    t->insert_sql = sb_take(&b);

    sb_add(&b, "SELECT count(*) FROM ");
    sb_ident(&b, t->name);
    t->count_sql = sb_take(&b);

    sb_add(&b, "DELETE FROM ");
    sb_ident(&b, t->name);
    t->clear_sql = sb_take(&b);

    /* The largest value of each integer primary-key column, for the sequences. */
    sb_add(&b, "SELECT ");
    int n = 0;
    for (int i = 0; i < t->ncols; i++)
        if (t->pk[i] && t->types[i] == 'i') {
            if (n++) sb_add(&b, ", ");
            sb_add(&b, "coalesce(max(");
            sb_ident(&b, t->cols[i]);
            sb_add(&b, "), 0)");
        }
    if (!n) sb_add(&b, "0");
    sb_add(&b, " FROM ");
    sb_ident(&b, t->name);
    t->max_sql = sb_take(&b);
}

static int read_columns(struct db *db, struct store_table *t, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, db->ops->columns_sql, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, t->name);
    size_t cap = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if ((size_t)t->ncols == cap) {
            cap = cap ? cap * 2 : 16;
            t->cols = xrealloc(t->cols, cap * sizeof *t->cols);
            t->types = xrealloc(t->types, cap);
            t->pk = xrealloc(t->pk, cap * sizeof *t->pk);
        }
        size_t len;
        const char *name = db_col_text(st, 0, &len);
        t->cols[t->ncols] = xstrdup_len(name, len);
        t->types[t->ncols] = type_class(db_col_text(st, 1, NULL));
        t->pk[t->ncols] = (int)db_col_int(st, 2);
        t->ncols++;
    }
    db_reset(st);
    if (rc < 0) return rc;
    if (t->ncols == 0) return err_set(err, ERR_DB, "database: table %s has no columns", t->name);
    return ERR_OK;
}

/* True when every table t references (but itself) is among the first `placed`. */
static int parents_placed(struct db *db, const struct store_tables *all, size_t placed,
                          const char *name, bool *ready, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, db->ops->parents_sql, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, name);
    *ready = true;
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *parent = db_col_text(st, 0, NULL);
        if (strcmp(parent, name) == 0) continue;
        bool found = false;
        for (size_t i = 0; i < placed && !found; i++)
            found = strcmp(all->t[i].name, parent) == 0;
        if (!found) *ready = false;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* Orders the tables parents first (a selection sort on "all parents placed"). */
static int order_tables(struct db *db, struct store_tables *all, struct err *err)
{
    for (size_t placed = 0; placed < all->n; placed++) {
        size_t pick = all->n;
        for (size_t i = placed; i < all->n && pick == all->n; i++) {
            bool ready;
            int rc = parents_placed(db, all, placed, all->t[i].name, &ready, err);
            if (rc) return rc;
            if (ready) pick = i;
        }
        if (pick == all->n)
            return err_set(err, ERR_DB, "database: the foreign keys of %s form a cycle",
                           all->t[placed].name);
        struct store_table tmp = all->t[placed];
        all->t[placed] = all->t[pick];
        all->t[pick] = tmp;
    }
    return ERR_OK;
}

/* Tables whose rows triggers make from other tables' rows (migration 048):
 * not copied, the target's triggers make the same rows as the copy goes. */
static bool derived(const char *name, size_t len)
{
    static const char *const names[] = {"unit_people"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) return true;
    return false;
}

int store_tables_list(struct db *db, struct store_tables *out, struct err *err)
{
    *out = (struct store_tables){0};
    if (!db->ops->tables_sql)
        return err_set(err, ERR_INTERNAL, "the %s backend has no catalog", db->ops->name);
    struct db_stmt *st;
    int rc = db_prepare(db, db->ops->tables_sql, &st, err);
    if (rc) return rc;
    size_t cap = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 32;
            out->t = xrealloc(out->t, cap * sizeof *out->t);
        }
        size_t len;
        const char *name = db_col_text(st, 0, &len);
        if (derived(name, len)) continue;
        out->t[out->n++] = (struct store_table){.name = xstrdup_len(name, len)};
    }
    db_reset(st);
    for (size_t i = 0; i < out->n && rc >= 0; i++)
        rc = read_columns(db, &out->t[i], err);
    if (rc >= 0) rc = order_tables(db, out, err);
    for (size_t i = 0; i < out->n && rc >= 0; i++)
        build_sql(&out->t[i]);
    if (rc < 0) {
        store_tables_free(out);
        return rc;
    }
    return ERR_OK;
}

void store_tables_free(struct store_tables *tables)
{
    for (size_t i = 0; i < tables->n; i++) {
        struct store_table *t = &tables->t[i];
        for (int c = 0; c < t->ncols; c++)
            free(t->cols[c]);
        free(t->cols);
        free(t->types);
        free(t->pk);
        free(t->name);
        free(t->select_sql);
        free(t->insert_sql);
        free(t->target);
        free(t->count_sql);
        free(t->clear_sql);
        free(t->max_sql);
    }
    free(tables->t);
    *tables = (struct store_tables){0};
}

static const struct store_table *find_table(const struct store_tables *all, const char *name)
{
    for (size_t i = 0; i < all->n; i++)
        if (strcmp(all->t[i].name, name) == 0) return &all->t[i];
    return NULL;
}

/* Column i of a's table in b's, or -1. */
static int find_col(const struct store_table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], name) == 0) return i;
    return -1;
}

int store_tables_same(const struct store_tables *a, const struct store_tables *b, struct err *err)
{
    for (int pass = 0; pass < 2; pass++) {
        const struct store_tables *x = pass ? b : a, *y = pass ? a : b;
        for (size_t i = 0; i < x->n; i++) {
            const struct store_table *t = &x->t[i], *u = find_table(y, t->name);
            if (!u)
                return err_set(err, ERR_CONFLICT, "table %s is only in the %s database", t->name,
                               pass ? "target" : "source");
            for (int c = 0; c < t->ncols; c++) {
                int k = find_col(u, t->cols[c]);
                if (k < 0)
                    return err_set(err, ERR_CONFLICT, "column %s.%s is only in the %s database",
                                   t->name, t->cols[c], pass ? "target" : "source");
                if (u->types[k] != t->types[c])
                    return err_set(err, ERR_CONFLICT,
                                   "column %s.%s has different types in the two databases", t->name,
                                   t->cols[c]);
            }
        }
    }
    return ERR_OK;
}

static void hash_bytes(crypto_hash_sha256_state *h, char tag, const void *p, size_t len)
{
    unsigned char head[9] = {(unsigned char)tag};
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)((uint64_t)len >> (8 * i));
    crypto_hash_sha256_update(h, head, sizeof head);
    if (len) crypto_hash_sha256_update(h, p, len);
}

static void hash_u64(crypto_hash_sha256_state *h, char tag, uint64_t v)
{
    unsigned char b[9] = {(unsigned char)tag};
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)(v >> (8 * i));
    crypto_hash_sha256_update(h, b, sizeof b);
}

/* Hashes the current row of st and, when dst is not NULL, binds it there. */
static void take_row(const struct store_table *t, struct db_stmt *st, crypto_hash_sha256_state *h,
                     struct db_stmt *dst)
{
    for (int c = 0; c < t->ncols; c++) {
        if (db_col_null(st, c)) {
            crypto_hash_sha256_update(h, (const unsigned char *)"N", 1);
            if (dst) db_bind_null(dst, c + 1);
            continue;
        }
        size_t len;
        switch (t->types[c]) {
        case 'i': {
            int64_t v = db_col_int(st, c);
            hash_u64(h, 'I', (uint64_t)v);
            if (dst) db_bind_int(dst, c + 1, v);
            break;
        }
        case 'r': {
            double v = db_col_double(st, c);
            uint64_t bits;
            memcpy(&bits, &v, sizeof bits);
            hash_u64(h, 'R', bits);
            if (dst) db_bind_double(dst, c + 1, v);
            break;
        }
        case 'b': {
            const void *p = db_col_blob(st, c, &len);
            hash_bytes(h, 'B', p, len);
            if (dst) db_bind_blob(dst, c + 1, p ? p : "", len);
            break;
        }
        default: {
            const char *p = db_col_text(st, c, &len);
            hash_bytes(h, 'T', p, len);
            if (dst) db_bind_text(dst, c + 1, p, len);
        }
        }
    }
}

/* Reads t from src in key order, hashing (and, with dst, copying) each row. */
static int scan(struct db *src, struct db *dst, const struct store_table *t, int64_t *rows,
                unsigned char sum[32], struct err *err)
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    *rows = 0;
    struct db_stmt *st, *ins = NULL;
    int rc = db_prepare(src, t->select_sql, &st, err);
    if (rc) return rc;
    if (dst && (rc = db_copy_begin(dst, t->insert_sql, t->target, &ins, err))) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        take_row(t, st, &h, ins);
        (*rows)++;
        if (ins && (rc = db_copy_row(ins, err))) break;
    }
    db_reset(st);
    if (ins) {
        int end = db_copy_end(ins, rc == DB_DONE, err);
        if (rc == DB_DONE) rc = end;
    }
    if (rc < 0) return err_wrap(err, "table %s", t->name);
    crypto_hash_sha256_final(&h, sum);
    return ERR_OK;
}

int store_table_copy(struct db *src, struct db *dst, const struct store_table *t, int64_t *rows,
                     unsigned char sum[32], struct err *err)
{
    return scan(src, dst, t, rows, sum, err);
}

int store_table_sum(struct db *db, const struct store_table *t, int64_t *rows,
                    unsigned char sum[32], struct err *err)
{
    return scan(db, NULL, t, rows, sum, err);
}

int store_table_clear(struct db *db, const struct store_table *t, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, t->clear_sql, &st, err);
    return rc ? rc : db_run(st, err);
}

int store_table_reset_ids(struct db *db, const struct store_table *t, struct err *err)
{
    if (!db->ops->id_reset_sql) return ERR_OK;
    struct db_stmt *st, *reset;
    int rc = db_prepare(db, t->max_sql, &st, err);
    if (rc) return rc;
    rc = db_step(st, err);
    int64_t max[64] = {0};
    for (int i = 0, n = 0; rc == DB_ROW && i < t->ncols && n < 64; i++)
        if (t->pk[i] && t->types[i] == 'i') {
            max[n] = db_col_int(st, n);
            n++;
        }
    db_reset(st);
    if (rc < 0) return rc;
    if ((rc = db_prepare(db, db->ops->id_reset_sql, &reset, err))) return rc;
    for (int i = 0, n = 0; i < t->ncols && rc == ERR_OK && n < 64; i++) {
        if (!t->pk[i] || t->types[i] != 'i') continue;
        db_bind_str(reset, 1, t->name);
        db_bind_str(reset, 2, t->cols[i]);
        db_bind_int(reset, 3, max[n++] + 1);
        rc = db_run(reset, err);
    }
    return rc;
}
