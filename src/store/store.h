/*
 * store.h — the one interface to persistent data.
 *
 * A store is a database (SQLite file in the data directory; PostgreSQL
 * later) with a pool of connections. Callers take a connection with
 * store_acquire, call the typed store_* functions, and give it back with
 * store_release. No SQL exists outside src/store/.
 *
 * Opening a store applies pending migrations (src/store/sql/<backend>/
 * NNN_name.sql, embedded in the binary), each in its own transaction.
 */
#ifndef JICENG_STORE_H
#define JICENG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

struct store;

#define STORE_DB_FILE "jiceng.db"

/* Opens (or with `create`, creates) the database in data_dir and
 * migrates it. ERR_NOT_FOUND if it does not exist and !create. */
int store_open(const char *data_dir, bool create, int pool_size, struct store **out,
               struct err *err);
void store_close(struct store *s);
/* Takes a connection, waiting while all are busy. Never NULL. */
struct db *store_acquire(struct store *s);
void store_release(struct store *s, struct db *db);
/* Highest applied migration. */
int store_schema_version(struct db *db, int *version, struct err *err);

/* ---- units ---- */

struct store_unit {
    const char *code;
    size_t code_len;
    const char *name;
    size_t name_len;
    int level; /* enum unit_level */
    int kind;  /* enum unit_kind */
};

/* Calls fn for every unit in code order (= depth-first pre-order); a
 * non-zero return from fn stops the scan and is returned. */
int store_units_each(struct db *db, int (*fn)(void *ctx, const struct store_unit *u), void *ctx,
                     struct err *err);
int store_units_insert(struct db *db, const struct store_unit *u, struct err *err);
/* Updates name and kind of an existing unit. */
int store_units_update(struct db *db, const struct store_unit *u, struct err *err);
int store_units_count(struct db *db, int64_t *n, struct err *err);

#endif
