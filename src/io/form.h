/*
 * form.h — application/x-www-form-urlencoded bodies (Open311 POSTs).
 */
#ifndef JICENG_FORM_H
#define JICENG_FORM_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

/* The decoded value of the first `name=` in body (+ as space, %XX), copied
 * into a; *out NULL when absent. ERR_INVALID for bad escapes, NUL or
 * control bytes, invalid UTF-8, or a value longer than max bytes. */
int form_get(const char *body, size_t len, const char *name, size_t max, struct arena *a,
             const char **out, struct err *err);

#endif
