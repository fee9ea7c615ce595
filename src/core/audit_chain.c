/*
 * audit_chain.c — canonical serialisation, SHA-256 and chain checks for
 * the audit trail (audit_chain.h). The serialisation format is versioned
 * by its first line; changing it means a new version tag, never an edit,
 * or every stored hash would stop matching.
 */
#include "core/audit_chain.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char AUDIT_ZERO_HASH[AUDIT_HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void put_field(struct buf *out, const char *s)
{
    if (!s) {
        buf_puts(out, "-\n");
        return;
    }
    size_t n = strlen(s);
    buf_printf(out, "%zu:", n);
    buf_add(out, s, n);
    buf_putc(out, '\n');
}

void audit_serialize(const struct audit_record *r, struct buf *out)
{
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    buf_puts(out, "jiceng-audit-1\n");
    put_field(out, seq);
    put_field(out, r->at);
    put_field(out, r->e.user);
    put_field(out, r->e.action);
    put_field(out, r->e.entity);
    put_field(out, r->e.unit);
    put_field(out, r->e.before);
    put_field(out, r->e.after);
    put_field(out, r->e.client);
    put_field(out, r->prev_hash);
}

void audit_hash(const struct audit_record *r, char out[AUDIT_HASH_HEX + 1])
{
    if (sodium_init() < 0) abort(); /* idempotent; fails only without entropy */
    struct buf b = BUF_INIT;
    audit_serialize(r, &b);
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, (const unsigned char *)b.p, b.len);
    buf_free(&b);
    sodium_bin2hex(out, AUDIT_HASH_HEX + 1, md, sizeof md);
}

void audit_time_format(int64_t ms, char out[AUDIT_TIME_LEN + 1])
{
    time_t sec = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&sec, &tm);
    /* the modulos bound every field's width for the compiler; gmtime_r
     * already keeps them in range for years up to 9999 */
    snprintf(out, AUDIT_TIME_LEN + 1, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ",
             (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
             (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
             (unsigned)tm.tm_sec % 100u, (unsigned)(ms % 1000) % 1000u);
}

/* Reads exactly n digits at *s; -1 if they are not there. */
static int digits(const char **s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9') return -1;
        v = v * 10 + (**s - '0');
    }
    return v;
}

/* Parses "HH:MM[:SS[.f…]]" after the date; fills tm and the milliseconds. */
static bool parse_clock(const char **s, struct tm *tm, int *ms)
{
    tm->tm_hour = digits(s, 2);
    if (tm->tm_hour < 0 || *(*s)++ != ':' || (tm->tm_min = digits(s, 2)) < 0) return false;
    if (**s != ':') return true;
    (*s)++;
    if ((tm->tm_sec = digits(s, 2)) < 0) return false;
    if (**s != '.') return true;
    (*s)++;
    int n = 0;
    for (; **s >= '0' && **s <= '9'; (*s)++, n++)
        if (n < 3) *ms = *ms * 10 + (**s - '0');
    for (int k = n; k < 3; k++)
        *ms *= 10;
    return n > 0;
}

/* Parses "Z" or "±HH:MM" into seconds east of UTC. A space stands for '+'
 * because an unencoded '+' in a query string arrives as a space. */
static bool parse_offset(const char *s, long *off)
{
    *off = 0;
    if (!*s) return true;
    if ((s[0] == 'Z' || s[0] == 'z') && !s[1]) return true;
    if (s[0] != '+' && s[0] != '-' && s[0] != ' ') return false;
    int sign = s[0] == '-' ? -1 : 1;
    s++;
    int h = digits(&s, 2);
    if (h < 0 || h > 23 || *s++ != ':') return false;
    int m = digits(&s, 2);
    if (m < 0 || m > 59 || *s) return false;
    *off = sign * (h * 3600L + m * 60L);
    return true;
}

bool audit_time_parse(const char *s, char out[AUDIT_TIME_LEN + 1])
{
    struct tm tm = {0};
    int ms = 0;
    tm.tm_year = digits(&s, 4);
    if (tm.tm_year < 0 || *s++ != '-' || (tm.tm_mon = digits(&s, 2)) < 0 || *s++ != '-' ||
        (tm.tm_mday = digits(&s, 2)) < 0)
        return false;
    if ((*s == 'T' || *s == 't' || *s == ' ') && s[1] >= '0' && s[1] <= '9') {
        s++;
        if (!parse_clock(&s, &tm, &ms)) return false;
    }
    long off;
    if (!parse_offset(s, &off)) return false;
    struct tm want = tm;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    /* timegm normalises 02-30 to 03-02; a changed field means it was invalid */
    if (tm.tm_year + 1900 != want.tm_year || tm.tm_mon + 1 != want.tm_mon ||
        tm.tm_mday != want.tm_mday || tm.tm_hour != want.tm_hour || tm.tm_min != want.tm_min ||
        tm.tm_sec != want.tm_sec)
        return false;
    int64_t sec = (int64_t)t - off;
    if (sec < 0) return false; /* before 1970: no record can be that old */
    audit_time_format(sec * 1000 + ms, out);
    return true;
}

bool audit_json_valid(const char *s, size_t n)
{
    json_error_t jerr;
    json_t *v = json_loadb(s, n, JSON_DECODE_ANY, &jerr);
    json_decref(v);
    return v != NULL;
}

/* ---- verification ---- */

static void problem(struct audit_verifier *v, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct audit_verifier *v, int64_t seq, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->problems++;
    if (v->report) v->report(v->ctx, seq, msg);
}

/* "序号 12–17" or "序号 12" for the missing range [a, b]. */
static void range_text(char *out, size_t cap, int64_t a, int64_t b)
{
    if (a == b)
        snprintf(out, cap, "序号 %lld", (long long)a);
    else
        snprintf(out, cap, "序号 %lld–%lld", (long long)a, (long long)b);
}

void audit_verify_init(struct audit_verifier *v, audit_report_fn report, void *ctx)
{
    memset(v, 0, sizeof *v);
    v->report = report;
    v->ctx = ctx;
    memcpy(v->last_hash, AUDIT_ZERO_HASH, sizeof v->last_hash);
}

void audit_verify_next(struct audit_verifier *v, const struct audit_record *r)
{
    char want[AUDIT_HASH_HEX + 1], range[64];
    long long seq = (long long)r->seq;
    v->checked++;
    audit_hash(r, want);
    if (!r->hash || strcmp(want, r->hash) != 0)
        problem(v, r->seq, "第 %lld 条记录内容被改动（哈希不符）", seq);
    if (r->seq <= v->last_seq) {
        problem(v, r->seq, "第 %lld 条序号重复或顺序错乱（前一条是第 %lld 条）", seq,
                (long long)v->last_seq);
    } else if (r->seq > v->last_seq + 1) {
        /* the prev_hash then names a deleted record: the gap says it all */
        range_text(range, sizeof range, v->last_seq + 1, r->seq - 1);
        problem(v, r->seq, "第 %lld 条之前缺少记录（%s 被删除）", seq, range);
    } else if (!r->prev_hash || strcmp(r->prev_hash, v->last_hash) != 0) {
        if (r->seq == 1)
            problem(v, r->seq, "第 1 条的前一哈希不是全零（链首被改动）");
        else
            problem(v, r->seq, "第 %lld 条与第 %lld 条的链接不符（记录被删除后重新编号，或被替换）",
                    seq, seq - 1);
    }
    v->last_seq = r->seq;
    snprintf(v->last_hash, sizeof v->last_hash, "%s", r->hash ? r->hash : "");
}

void audit_verify_end(struct audit_verifier *v, bool has_head, int64_t head_seq,
                      const char *head_hash)
{
    char range[64];
    long long last = (long long)v->last_seq;
    if (!has_head) {
        problem(v, v->last_seq, "链头记录缺失（audit_head 被删除），无法确认末尾是否有记录被删除");
    } else if (head_seq > v->last_seq) {
        range_text(range, sizeof range, v->last_seq + 1, head_seq);
        if (v->last_seq)
            problem(v, v->last_seq, "第 %lld 条之后缺少记录（%s 被删除）", last, range);
        else
            problem(v, 0, "审计记录全部缺失（%s 被删除）", range);
    } else if (head_seq < v->last_seq) {
        problem(v, head_seq + 1,
                "第 %lld 条及之后的记录未在链头登记（链头为第 %lld 条），可能是伪造的",
                (long long)head_seq + 1, (long long)head_seq);
    } else if (!head_hash || strcmp(head_hash, v->last_hash) != 0) {
        problem(v, v->last_seq, "第 %lld 条的哈希与链头登记不符（记录被替换）", last);
    }
}
