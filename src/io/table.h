/*
 * table.h — the rows of a ledger (台账) file as offices send it: CSV in
 * UTF-8 or GB18030 (as Chinese Excel saves it) or XLSX, told apart by the
 * zip signature. Errors carry the file name and the row.
 */
#ifndef JICENG_TABLE_H
#define JICENG_TABLE_H

#include <stddef.h>

#include "base/err.h"

#define TABLE_COLS_MAX 512

struct table_cell {
    const char *p;
    size_t len;
};

/* Trims spaces, tabs and a stray CR at both ends of the cell. */
void table_cell_trim(struct table_cell *c);

/* Called per row with its 1-based number; cells are valid during the call
 * only. A negative return stops the reading and is returned. */
typedef int (*table_row_fn)(void *ctx, long row, struct table_cell *cells, int n);

int table_read(const char *data, size_t len, const char *name, table_row_fn fn, void *ctx,
               struct err *err);

#endif
