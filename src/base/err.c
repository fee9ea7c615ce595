/* err.c — see err.h. Messages are truncated, never overflowed. */
#include "base/err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
    if (e) memset(e, 0, sizeof *e);
}

void err_setf(struct err *e, int kind, const char *field, const char *fmt, ...)
{
    if (!e) return;
    e->kind = kind;
    if (field) snprintf(e->field, sizeof e->field, "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

void err_at(struct err *e, const char *where, long line, int column)
{
    if (!e) return;
    snprintf(e->where, sizeof e->where, "%s", where ? where : "");
    e->line = line;
    e->column = column;
}

int err_wrap(struct err *e, const char *fmt, ...)
{
    if (!e) return ERR_INTERNAL;
    char prefix[256], old[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    /* A Chinese context reads with a full-width colon: "第 3 项：…". */
    size_t plen = strlen(prefix);
    bool cjk = plen && (unsigned char)prefix[plen - 1] >= 0x80;
    size_t n = (size_t)snprintf(e->msg, sizeof e->msg, "%s%s", prefix, cjk ? "：" : ": ");
    if (n < sizeof e->msg) { /* append as much of the old message as fits */
        size_t room = sizeof e->msg - n - 1, len = strnlen(old, sizeof old);
        memcpy(e->msg + n, old, len < room ? len : room);
        e->msg[n + (len < room ? len : room)] = '\0';
    }
    return e->kind;
}

static const char *const kind_names[] = {
    [0] = "ok",
    [-ERR_INVALID] = "invalid",
    [-ERR_NOT_FOUND] = "not_found",
    [-ERR_CONFLICT] = "conflict",
    [-ERR_TOO_LARGE] = "too_large",
    [-ERR_UNAUTHORIZED] = "unauthorized",
    [-ERR_FORBIDDEN] = "forbidden",
    [-ERR_METHOD] = "method_not_allowed",
    [-ERR_UNSUPPORTED] = "unsupported",
    [-ERR_BUSY] = "busy",
    [-ERR_IO] = "io_error",
    [-ERR_DB] = "db_error",
    [-ERR_INTERNAL] = "internal",
    [-ERR_RATE_LIMIT] = "rate_limited",
    [-ERR_PASSWORD_CHANGE] = "password_change_required",
};

const char *err_kind_name(int kind)
{
    int i = -kind;
    if (i < 0 || i >= (int)(sizeof kind_names / sizeof kind_names[0]) || !kind_names[i])
        return "internal";
    return kind_names[i];
}

void err_format(const struct err *e, char *out, size_t cap)
{
    if (e->where[0] && e->line > 0)
        snprintf(out, cap, "%s:%ld: %s", e->where, e->line, e->msg);
    else if (e->where[0])
        snprintf(out, cap, "%s: %s", e->where, e->msg);
    else
        snprintf(out, cap, "%s", e->msg);
}
