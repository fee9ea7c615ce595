/*
 * num.h — decimal numbers read from text, the one way every edge reads
 * them (JSON bodies, ledger cells, formula literals): the whole text is a
 * decimal number, and the number it names is one a double holds. Text
 * that overflows (1e999) or underflows — a non-zero number that would
 * become 0 or lose its precision as a subnormal (1e-400, 1e-310) — is
 * refused instead of being stored as infinity or 0.
 */
#ifndef JICENG_NUM_H
#define JICENG_NUM_H

#include <stdbool.h>
#include <stddef.h>

enum num_status {
    NUM_OK = 0,
    NUM_SYNTAX = -1, /* not a decimal number: [+-]digits[.digits][e[+-]digits] */
    NUM_RANGE = -2,  /* a number, but beyond what a double holds */
};

/* Parses s[0..len) (no surrounding blanks; no hex, inf or nan) into *out.
 * Returns NUM_OK, NUM_SYNTAX or NUM_RANGE (*out is then 0). */
enum num_status num_parse(const char *s, size_t len, double *out);

/* True if s[0..len) is an integer literal ([+-]digits) whose value lies
 * outside int64_t, which no JSON reader here can hold exactly. */
bool num_int_overflows(const char *s, size_t len);

#endif
