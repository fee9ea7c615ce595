/*
 * err.h — result codes and the human-readable error record.
 *
 * Every function that can fail returns an int: 0 (ERR_OK) or a negative
 * ERR_* kind, and, where a person will read it, fills a struct err with the
 * message, the offending field and, for parsers, the file/line/column.
 * Callers propagate the code; only cli/ and http/ print or send errors.
 * The kind decides the HTTP status (http/reply.c) and the CLI exit code.
 */
#ifndef JICENG_ERR_H
#define JICENG_ERR_H

#include <stddef.h>

enum err_kind {
    ERR_OK = 0,
    ERR_INVALID = -1,          /* malformed or out-of-range input */
    ERR_NOT_FOUND = -2,        /* the named thing does not exist (or is out of scope) */
    ERR_CONFLICT = -3,         /* clashes with existing state */
    ERR_TOO_LARGE = -4,        /* input exceeds a limit */
    ERR_UNAUTHORIZED = -5,     /* no or bad credentials */
    ERR_FORBIDDEN = -6,        /* authenticated but not allowed */
    ERR_METHOD = -7,           /* method not allowed on this path */
    ERR_UNSUPPORTED = -8,      /* unsupported media type or encoding */
    ERR_BUSY = -9,             /* temporarily unavailable, retry */
    ERR_IO = -10,              /* file system or network failure */
    ERR_DB = -11,              /* database failure */
    ERR_INTERNAL = -12,        /* a bug: an invariant did not hold */
    ERR_RATE_LIMIT = -13,      /* too many requests */
    ERR_PASSWORD_CHANGE = -14, /* signed in, but must first change a password someone else set */
};

#define ERR_MSG_MAX 512

struct err {
    int kind;
    char field[64];  /* offending field or parameter, "" if none */
    char where[256]; /* file or source name for parsers, "" if none */
    long line;       /* 1-based line in `where`, 0 if none */
    int column;      /* 1-based column (or field index), 0 if none */
    long item;       /* 1-based position in a request's list of items, 0 if none */
    char msg[ERR_MSG_MAX];
};

/* Clears *e to ERR_OK. e may be NULL. */
void err_clear(struct err *e);

/* Sets kind, field (NULL for none) and a printf-style message. e may be NULL. */
void err_setf(struct err *e, int kind, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* err_set(e, kind, fmt, ...) sets kind and message and evaluates to kind,
 * so callers write `return err_set(e, ERR_INVALID, "...")`. A macro rather
 * than a function so that static analysis sees the (non-zero) kind being
 * returned; `kind` must not have side effects. */
#define err_set(e, kind, ...) (err_setf((e), (kind), NULL, __VA_ARGS__), (kind))
/* As err_set, naming the offending field. */
#define err_set_field(e, kind, field, ...) (err_setf((e), (kind), (field), __VA_ARGS__), (kind))

/* Records a source position (file, line, column) for parser errors. */
void err_at(struct err *e, const char *where, long line, int column);

/* Prepends context to the message: "context: old message". Returns e->kind. */
int err_wrap(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Stable machine-readable name of a kind, e.g. "invalid", "not_found". */
const char *err_kind_name(int kind);

/* Writes "where:line: msg" (or just msg) into out. */
void err_format(const struct err *e, char *out, size_t cap);

#endif
