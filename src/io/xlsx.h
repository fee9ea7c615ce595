/*
 * xlsx.h — Excel workbooks in and out: the ledgers offices exchange with
 * Excel and WPS.
 *
 * Reading (io/xlsx_read.c) streams the first worksheet of an .xlsx held in
 * memory, row by row, as text: what a person sees in the cell with the
 * General format. Nothing is trusted from the file: sizes, counts and
 * references are checked against Excel's own limits, and every refusal is
 * an ERR_INVALID or ERR_TOO_LARGE with a Chinese message and err->where set
 * to the name given.
 *
 * Writing (io/xlsx_write.c) is a small table writer over libxlsxwriter for
 * exports: one sheet, a bold frozen header row, text and number cells,
 * column widths fitted to the (CJK) text. It always builds in a temporary
 * file, which then either replaces the destination atomically or is read
 * back into memory (for HTTP), and is removed in every case.
 */
#ifndef JICENG_XLSX_H
#define JICENG_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Excel's limits, which the reader enforces and the writer respects. */
#define XLSX_MAX_ROWS       1048576L
#define XLSX_MAX_COLS       16384
#define XLSX_MAX_CELL_CHARS 32767 /* UTF-16 code units, as Excel counts */
/* Uncompressed bytes the reader inflates in all, at most. */
#define XLSX_MAX_UNPACKED (64u << 20)

/* One cell as read. text is never NULL and is NUL-terminated; an empty
 * cell has len 0. Numbers (is_number) also come as text: integers of up to
 * 2^53 exactly ("5416", "9007199254740992"), other values with Excel's 15
 * significant digits and no trailing zeros ("94.6", "0.3", "1e+20").
 * Dates are numbers too (serial days since 1899-12-30), as is any other
 * number format: styles are not applied. Booleans are "TRUE"/"FALSE" (as
 * Chinese Excel and WPS show them; number 1/0, is_number false), error
 * values their code ("#DIV/0!", "#N/A"), formulas their cached result. */
struct xlsx_cell {
    const char *text;
    size_t len;
    bool is_number;
    double number;
};

/* Called once per non-empty row, in order. row is Excel's 1-based row
 * number; cells[0] is column A, and ncells (>= 1) runs to the last
 * non-empty cell, gaps filled with empty cells. cells and their text are
 * valid only during the call. Returns 0 to go on, or a negative ERR_* to
 * stop, which xlsx_read_rows then returns as is. */
typedef int (*xlsx_row_fn)(void *ctx, long row, const struct xlsx_cell *cells, int ncells);

/* Reads the first worksheet (in workbook order; chart sheets are skipped)
 * of the .xlsx in data[0..len), calling row_fn for each row that holds a
 * non-empty cell. name (e.g. the uploaded file's name; may be NULL) goes
 * into err->where; errors in a cell set err->line/column to its row and
 * column, XML errors to the line and column in the named part. Memory use
 * is bounded by XLSX_MAX_UNPACKED plus the rows' width, whatever the input. */
int xlsx_read_rows(const void *data, size_t len, const char *name, xlsx_row_fn row_fn, void *ctx,
                   struct err *err);

struct xlsx_writer;

/* Starts a workbook with one sheet named sheet_name (at most 31
 * characters, none of []:*?/\). path is where xlsx_writer_close puts the
 * file; the work happens in a temporary file beside it, or in $TMPDIR (or
 * /tmp) when path is NULL, for xlsx_writer_close_to_memory. */
int xlsx_writer_open(const char *path, const char *sheet_name, struct xlsx_writer **out,
                     struct err *err);

/* Writes n titles into the header row: bold, frozen when scrolling. Call
 * before any data row. */
void xlsx_write_header(struct xlsx_writer *w, const char *const *titles, int n);

/* Write one cell of data row `row` (1 = first row below the header; rows
 * in increasing order, the cells of a row in any order) and column `col`
 * (0 = A). s is UTF-8; NULL or "" leaves the cell empty. A failure (row or
 * column out of range or out of order, invalid UTF-8, text over 32,767
 * characters, a number that is not finite) is kept and returned by the
 * close call, which then writes nothing; later writes are ignored. */
void xlsx_write_text(struct xlsx_writer *w, long row, int col, const char *s);
void xlsx_write_number(struct xlsx_writer *w, long row, int col, double v);

/* Finishes the workbook and moves it to the path given to
 * xlsx_writer_open, replacing any file there in one step. Frees w. */
int xlsx_writer_close(struct xlsx_writer *w, struct err *err);

/* Finishes the workbook and returns its bytes (*data malloc'd, owned by
 * the caller) instead of writing it anywhere. Frees w. */
int xlsx_writer_close_to_memory(struct xlsx_writer *w, char **data, size_t *len, struct err *err);

/* Abandons the workbook, leaving no file behind. NULL is a no-op. */
void xlsx_writer_free(struct xlsx_writer *w);

#endif
