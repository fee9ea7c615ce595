/* csv.c — see csv.h. One pass, no allocation. */
#include "io/csv.h"

#include <math.h>
#include <string.h>
#include <strings.h>

void csv_init(struct csv_reader *r, char *buf, size_t len, size_t max_field)
{
    r->p = buf;
    r->end = buf + len;
    r->line = 0;
    r->next_line = 1;
    r->max_field = max_field;
}

/* Parses a quoted field starting after the opening quote; unescapes in
 * place. On success *q points after the closing quote. */
static int quoted(struct csv_reader *r, char **q, struct csv_field *f, int col, struct err *err)
{
    char *src = *q, *dst = *q;
    f->p = dst;
    for (;;) {
        if (src == r->end) {
            err_at(err, NULL, r->line, col);
            return err_set(err, ERR_INVALID, "第 %d 列：引号没有闭合", col);
        }
        if (*src == '"') {
            if (src + 1 < r->end && src[1] == '"') {
                *dst++ = '"';
                src += 2;
                continue;
            }
            src++;
            break;
        }
        if (*src == '\n') r->next_line++;
        *dst++ = *src++;
    }
    f->len = (size_t)(dst - f->p);
    *q = src;
    return ERR_OK;
}

int csv_next(struct csv_reader *r, struct csv_field *fields, int max, struct err *err)
{
    if (r->p >= r->end) return 0;
    r->line = r->next_line;
    char *q = r->p;
    int n = 0;
    for (;;) {
        if (n == max) {
            err_at(err, NULL, r->line, n + 1);
            return err_set(err, ERR_INVALID, "列数过多（最多 %d 列）", max);
        }
        struct csv_field *f = &fields[n++];
        if (q < r->end && *q == '"') {
            q++;
            int rc = quoted(r, &q, f, n, err);
            if (rc) return rc;
            while (q < r->end && (*q == ' ' || *q == '\t'))
                q++;
            if (q < r->end && *q != ',' && *q != '\n' && *q != '\r') {
                err_at(err, NULL, r->line, n);
                return err_set(err, ERR_INVALID, "第 %d 列：右引号后还有内容", n);
            }
        } else {
            f->p = q;
            while (q < r->end && *q != ',' && *q != '\n' && *q != '\r') {
                if (*q == '"') {
                    err_at(err, NULL, r->line, n);
                    return err_set(err, ERR_INVALID,
                                   "第 %d 列：未加引号的字段中出现引号（请给整个字段加引号，"
                                   "并把其中的引号写两遍）",
                                   n);
                }
                q++;
            }
            f->len = (size_t)(q - f->p);
        }
        if (f->len > r->max_field) {
            err_at(err, NULL, r->line, n);
            return err_set(err, ERR_TOO_LARGE, "第 %d 列超过 %zu 字节", n, r->max_field);
        }
        if (q < r->end && *q == ',') {
            q++;
            continue;
        }
        if (q < r->end && *q == '\r') q++;
        if (q < r->end && *q == '\n') q++;
        r->next_line++;
        break;
    }
    r->p = q;
    return n;
}

void csv_field_trim(struct csv_field *f)
{
    while (f->len && (f->p[0] == ' ' || f->p[0] == '\t')) {
        f->p++;
        f->len--;
    }
    while (f->len && (f->p[f->len - 1] == ' ' || f->p[f->len - 1] == '\t'))
        f->len--;
}

bool csv_field_is(const struct csv_field *f, const char *s)
{
    struct csv_field t = *f;
    csv_field_trim(&t);
    size_t n = strlen(s);
    return t.len == n && strncasecmp(t.p, s, n) == 0;
}

bool csv_formula_like(const char *s)
{
    return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

void csv_write_field(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    if (csv_formula_like(s)) buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"') buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

void csv_write_number(struct buf *b, double v)
{
    if (isfinite(v)) buf_printf(b, "%.15g", v);
}
