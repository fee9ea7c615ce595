/*
 * json_in.h — reading members of parsed JSON (jansson) with the checks
 * every request body and definitions file needs: known keys only, types,
 * lengths, no control characters. Errors name the member in err->field.
 */
#ifndef JICENG_JSON_IN_H
#define JICENG_JSON_IN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

struct json_t;

/* Parses a request body or definitions text as JSON (duplicate keys
 * refused). Every number in it must be one a double holds: one that
 * overflows (1e999) or underflows (1e-400, which JSON readers turn into 0)
 * is ERR_INVALID naming the member it belongs to, as is an integer beyond
 * int64. Other errors name the line and column. *out is the caller's
 * (json_decref). */
int jin_parse(const char *text, size_t len, struct json_t **out, struct err *err);

/* ERR_INVALID naming the first key of o not in the NULL-terminated list. */
int jin_only(struct json_t *o, const char *const *allowed, struct err *err);
/* A string member copied into the arena (NULL when absent or null);
 * ERR_INVALID when it is not a string, has control characters or is
 * longer than max bytes. */
int jin_str(struct arena *a, struct json_t *o, const char *key, size_t max, const char **out,
            struct err *err);
/* The same for text a person writes in several lines (a note, a
 * description, a notice's body): line breaks are kept, "\r\n" read as "\n". */
int jin_text(struct arena *a, struct json_t *o, const char *key, size_t max, const char **out,
             struct err *err);
/* A boolean member: -1 when absent, else 0 or 1. */
int jin_bool(struct json_t *o, const char *key, int *out, struct err *err);
/* A number member; *has false when absent or null. */
int jin_num(struct json_t *o, const char *key, bool *has, double *out, struct err *err);

#endif
