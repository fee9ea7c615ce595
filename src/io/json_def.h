/*
 * json_def.h — reading definitions people write by hand in JSON (work-item
 * types, five-star schemes): members checked one by one, every error
 * naming the JSON path it concerns, e.g. `categories[2].indicators[0].max:
 * 须为正数`, with err->field the path and err->where the file.
 */
#ifndef JICENG_JSON_DEF_H
#define JICENG_JSON_DEF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define JDEF_PATH_MAX 64 /* longer paths are cut short in messages, harmlessly */

/* What a reader carries: the file name for err->where, the error, and the
 * text itself (may be NULL), so that an error also names its line. */
struct jdef {
    const char *name;
    struct err *err;
    const char *text;
    size_t len;
};

/* Parses json[0..len): ERR_TOO_LARGE beyond max bytes ("<what>超过 … KiB"),
 * ERR_INVALID with line and column for bad JSON or a duplicate member.
 * *root is the caller's, to json_decref. */
int jdef_load(const char *json, size_t len, size_t max, const char *what, const char *name,
              json_t **root, struct err *err);
/* ERR_INVALID with message "<path>: <text>", field = path, and the line
 * of that path in d->text (jdef_line). */
__attribute__((format(printf, 3, 4))) int jdef_bad(struct jdef *d, const char *path,
                                                   const char *fmt, ...);
/* The 1-based line where the value at path (`states[2].code`, "" or
 * "(根)" for the root) starts in json[0..len), or where its nearest
 * existing parent starts when it is absent; 0 when json is not a JSON text. */
long jdef_line(const char *json, size_t len, const char *path);
/* out = parent.key, out = parent[i]. */
void jdef_join(char out[JDEF_PATH_MAX], const char *parent, const char *key);
void jdef_index(char out[JDEF_PATH_MAX], const char *parent, size_t i);
/* A member, treating null as absent. */
json_t *jdef_member(json_t *o, const char *key);
/* Refuses members not in allowed (NULL-terminated). */
int jdef_only(struct jdef *d, json_t *o, const char *path, const char *const *allowed);
int jdef_object(struct jdef *d, json_t *v, const char *path);
/* A string member copied into dst[cap]: present, a string, not empty,
 * shorter than cap, no control characters (jansson has checked UTF-8). */
int jdef_str(struct jdef *d, json_t *o, const char *path, const char *key, char *dst, size_t cap);
/* A string member in place (*out NULL when absent and not required): a
 * string of 1 to max bytes. *out lives as long as o. */
int jdef_text(struct jdef *d, json_t *o, const char *path, const char *key, bool required,
              size_t max, const char **out);

#endif
