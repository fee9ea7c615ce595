/*
 * migrate.h — copying the whole database into another backend (`jiceng
 * migrate`), verified table by table (migrate.c).
 */
#ifndef JICENG_MIGRATE_H
#define JICENG_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct migrate_table {
    const char *name;
    int64_t rows_src, rows_dst;
    unsigned char sum_src[32], sum_dst[32]; /* SHA-256 over the rows, both sides */
};

struct migrate_result {
    const char *from, *into; /* backend names */
    bool to_postgres;
    int version; /* the schema version of both */
    struct migrate_table *tables;
    size_t n;
    int mismatches; /* tables whose rows or checksum differ after the copy */
};

/* Copies the database of the data directory (or db_url) into `to`: an
 * empty PostgreSQL database (a postgres:// URL) or a new or empty
 * directory. progress (may be NULL) hears (NULL, table count) before the
 * copy and (table, rows) after each table. *out is filled even on failure;
 * free it with migrate_result_free. */
int app_migrate(const char *data, const char *db_url, const char *to,
                void (*progress)(void *ctx, const char *table, int64_t rows), void *ctx,
                struct migrate_result *out, struct err *err);
void migrate_result_free(struct migrate_result *r);

#endif
