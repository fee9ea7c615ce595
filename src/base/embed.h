/*
 * embed.h — files compiled into the binary by tools/embed.c: the web UI
 * and the SQL migrations. Tables are sorted by name and end with a
 * {NULL, NULL, 0, 0, NULL, 0} entry.
 */
#ifndef JICENG_EMBED_H
#define JICENG_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *name; /* path relative to the embedded folder, e.g. "index.html" */
    const unsigned char *data;
    size_t len;
    unsigned long long hash; /* FNV-1a of data: the server's ETag */
    const unsigned char *gz; /* the same bytes gzipped (embed -z), NULL when not stored */
    size_t gz_len;
};

/* Finds a file by name in a table; NULL if absent. */
const struct embed_file *embed_find(const struct embed_file *table, const char *name, size_t len);

#endif
