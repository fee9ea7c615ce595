/*
 * json_out.h — streaming JSON writer into a struct buf.
 *
 * Responses are written directly, without building a document tree: the
 * writer tracks nesting to place commas, escapes strings per RFC 8259 and
 * never emits invalid JSON for valid UTF-8 input. Request bodies are
 * parsed with jansson; output goes through here because it is on the hot
 * path of every read.
 */
#ifndef JICENG_JSON_OUT_H
#define JICENG_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define JW_MAX_DEPTH 32

struct jw {
    struct buf *b;
    int depth;
    bool first[JW_MAX_DEPTH]; /* no element written yet at this depth */
    bool after_key;           /* a key was written; the next value needs no comma */
};

void jw_init(struct jw *w, struct buf *b);
void jw_obj(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w);
void jw_arr_end(struct jw *w);
/* Writes "key": ; the next call writes its value. */
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
/* Writes a finite double with up to 15 significant digits; null if not finite. */
void jw_num(struct jw *w, double v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Writes pre-encoded JSON as a value (caller guarantees validity). */
void jw_raw(struct jw *w, const char *json, size_t n);

/* Shorthands for "key": value pairs. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kstrn(struct jw *w, const char *key, const char *s, size_t n);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_knum(struct jw *w, const char *key, double v);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_knull(struct jw *w, const char *key);
/* Writes a string, or null when s is NULL. */
void jw_kstr_or_null(struct jw *w, const char *key, const char *s);

/* Appends s[0..n) to b as a JSON string literal with quotes. */
void json_escape(struct buf *b, const char *s, size_t n);

#endif
