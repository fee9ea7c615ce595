/*
 * units_edition_int.h — what the phases of an import share (units_import.c
 * reads and checks, units_diff.c compares with the tree and reads the map,
 * units_apply.c writes).
 */
#ifndef JICENG_UNITS_EDITION_INT_H
#define JICENG_UNITS_EDITION_INT_H

#include "app/units_import.h"

enum { ROW_NEW, ROW_CHANGED, ROW_SAME, ROW_RESTORED };

/* One imported row; code and name point into the decoded file buffers. */
struct row {
    const char *code, *name;
    uint16_t name_len;
    uint8_t code_len, level, kind, status;
    uint32_t file, line;
    uint32_t node; /* in the current tree (retired too), TREE_NONE if new */
};

/* The imported codes: an open-addressing hash of row indexes + 1. */
struct codeset {
    uint32_t *slot;
    size_t mask;
};

/* A removed unit (an index into the tree) and what the map makes of it. */
struct removal {
    uint32_t node;
    bool cascade;                   /* below the national levels, under a removed unit */
    bool mapped;                    /* a map line (or, cascade, its ancestor's) decides it */
    char target[UNIT_CODE_MAX + 1]; /* "" retire */
    int outcome;                    /* enum edition_outcome */
    uint32_t map_line;
};

struct job {
    struct app *app;
    const struct import_file *files;
    size_t nfiles;
    char **bufs; /* decoded file contents, one per file */
    struct row *rows;
    size_t nrows, cap;
    struct codeset set;
    struct tree *tree; /* the tree the diff is against (a reference) */
    struct removal *removed;
    size_t nremoved;
    uint8_t *mark; /* per tree node: removed (1), covered by the edition (2); NULL if none */
    struct edition_diff *diff;
    struct import_report *rep;
    int32_t day;          /* the effective day */
    bool first_load[100]; /* per province: not in the tree before (no per-unit history) */
    import_progress_fn progress;
    void *ctx;
};

uint32_t edition_codeset_find(const struct codeset *s, const struct row *rows, const char *code,
                              size_t len);
/* The diff phase: removals, changes, counts (units_diff.c). */
int edition_diff_build(struct job *j, struct err *err);
/* Reads and checks the map, deciding removals (units_diff.c). */
int edition_map_read(struct job *j, const struct edition_opts *o, struct err *err);
/* Fills d->changes from the rows and the removals (units_diff.c). */
void edition_changes_fill(struct job *j);
/* The write phase (units_apply.c). */
int edition_apply(struct job *j, const struct edition_opts *o, struct err *err);
const char *edition_file_name(const struct job *j, size_t f);

#endif
