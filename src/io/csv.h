/*
 * csv.h — RFC 4180 CSV reader over a mutable UTF-8 buffer, and the one
 * writer of the text cells of every CSV jiceng exports.
 *
 * Fields are returned as slices into the buffer; quoted fields are
 * unescaped in place ("" → "), which is why the buffer must be writable.
 * Accepts LF and CRLF line ends, quoted fields spanning lines, and an empty
 * last line. Errors (a stray quote, too many fields, an oversized field)
 * carry the line and field number.
 */
#ifndef JICENG_CSV_H
#define JICENG_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct csv_field {
    char *p;
    size_t len;
};

struct csv_reader {
    char *p, *end;
    long line;      /* line where the current record starts, 1-based */
    long next_line; /* line where the next record starts */
    size_t max_field;
};

/* Starts reading buf[0..len). max_field bounds a field's bytes. */
void csv_init(struct csv_reader *r, char *buf, size_t len, size_t max_field);

/* Reads the next record into fields (at most max). Returns the number of
 * fields, 0 at end of input, or a negative ERR_* with err filled (line and
 * column set). A blank line is returned as one empty field. */
int csv_next(struct csv_reader *r, struct csv_field *fields, int max, struct err *err);

/* True if the field equals the NUL-terminated s, ignoring ASCII case and
 * surrounding blanks. */
bool csv_field_is(const struct csv_field *f, const char *s);

/* Appends s to b as one CSV text field, always quoted (RFC 4180: quotes
 * doubled), for the ledgers jiceng exports. Text a spreadsheet would take
 * for a formula — starting with = + - @, a tab or a carriage return
 * (OWASP's rule against CSV injection) — gets a leading single quote, so
 * Excel and WPS show it as text and never evaluate it: every text cell of
 * every export goes through here, numbers through csv_write_number. */
void csv_write_field(struct buf *b, const char *s);
/* True if a spreadsheet could read s as a formula (see csv_write_field). */
bool csv_formula_like(const char *s);
/* Appends a number cell, unquoted, in its shortest form up to 15
 * significant digits; nothing (an empty cell) when v is not finite. */
void csv_write_number(struct buf *b, double v);

/* Trims ASCII spaces and tabs at both ends of the field. */
void csv_field_trim(struct csv_field *f);

#endif
