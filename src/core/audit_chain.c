/*
 * audit_chain.c — canonical serialisation, hashes, MACs, checkpoints and
 * chain checks for the audit trail (audit_chain.h). The serialisation
 * format is versioned by its first line; changing it means a new version
 * tag, never an edit, or every stored hash would stop matching.
 */
#include "core/audit_chain.h"

#include <assert.h>
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

/* The KDF context names the purpose, so these keys never equal the
 * personal-data keys (core/seal.c) derived from the same master key. */
static const char kdf_context[crypto_kdf_CONTEXTBYTES] = {'j', 'c', 'a', 'u', 'd', 'i', 't', '1'};
enum { SUBKEY_RECORD = 1, SUBKEY_CHECKPOINT = 2, SUBKEY_FINGERPRINT = 3 };

int audit_keys_derive(const unsigned char master[AUDIT_KEY_BYTES], struct audit_keys *out)
{
    if (sodium_init() < 0 ||
        crypto_kdf_derive_from_key(out->record, sizeof out->record, SUBKEY_RECORD, kdf_context,
                                   master) ||
        crypto_kdf_derive_from_key(out->checkpoint, sizeof out->checkpoint, SUBKEY_CHECKPOINT,
                                   kdf_context, master) ||
        crypto_kdf_derive_from_key(out->fingerprint, sizeof out->fingerprint, SUBKEY_FINGERPRINT,
                                   kdf_context, master)) {
        sodium_memzero(out, sizeof *out);
        return -1;
    }
    return 0;
}

/* Hex of a BLAKE2b MAC of `bytes` bytes over s[0..n) into out. */
static void mac_hex(const unsigned char key[AUDIT_KEY_BYTES], const char *s, size_t n, size_t bytes,
                    char *out)
{
    unsigned char md[crypto_generichash_BYTES_MAX];
    crypto_generichash(md, bytes, (const unsigned char *)(n ? s : ""), n, key, AUDIT_KEY_BYTES);
    sodium_bin2hex(out, 2 * bytes + 1, md, bytes);
}

void audit_fingerprint(const struct audit_keys *k, const char *s, size_t n,
                       char out[AUDIT_FP_HEX + 1])
{
    mac_hex(k->fingerprint, s, n, AUDIT_FP_HEX / 2, out);
}

void audit_serialize(const struct audit_record *r, struct buf *out)
{
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    buf_puts(out, r->format == AUDIT_FORMAT_KEYED ? "jiceng-audit-2\n" : "jiceng-audit-1\n");
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

void audit_hash(const struct audit_record *r, const unsigned char *key,
                char out[AUDIT_HASH_HEX + 1])
{
    if (sodium_init() < 0) abort(); /* idempotent; fails only without entropy */
    struct buf b = BUF_INIT;
    audit_serialize(r, &b);
    if (r->format == AUDIT_FORMAT_KEYED) {
        assert(key);
        mac_hex(key, b.p, b.len, AUDIT_HASH_HEX / 2, out);
    } else {
        unsigned char md[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(md, (const unsigned char *)b.p, b.len);
        sodium_bin2hex(out, AUDIT_HASH_HEX + 1, md, sizeof md);
    }
    buf_free(&b);
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

/* ---- checkpoints ---- */

/* "jiceng-checkpoint-1 seq=N head=HEX at=TIME": what the MAC covers. */
static int checkpoint_body(const struct audit_checkpoint *cp, char *out, size_t cap)
{
    return snprintf(out, cap, AUDIT_CHECKPOINT_TAG " seq=%lld head=%s at=%s", (long long)cp->seq,
                    cp->hash, cp->at);
}

void audit_checkpoint_format(const struct audit_keys *k, const struct audit_checkpoint *cp,
                             char out[AUDIT_CHECKPOINT_MAX])
{
    char mac[AUDIT_HASH_HEX + 1];
    int n = checkpoint_body(cp, out, AUDIT_CHECKPOINT_MAX);
    assert(n > 0 && (size_t)n + 6 + AUDIT_HASH_HEX + 2 <= AUDIT_CHECKPOINT_MAX);
    mac_hex(k->checkpoint, out, (size_t)n, AUDIT_HASH_HEX / 2, mac);
    snprintf(out + n, AUDIT_CHECKPOINT_MAX - (size_t)n, " mac=%s\n", mac);
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

/* Reads "<name>=" then exactly `len` bytes matching `ok` and a space or the
 * end; advances *p. */
static bool field(const char **p, const char *end, const char *name, size_t len, char *out)
{
    size_t nl = strlen(name);
    if ((size_t)(end - *p) < nl + 1 + len || memcmp(*p, name, nl) != 0 || (*p)[nl] != '=')
        return false;
    memcpy(out, *p + nl + 1, len);
    out[len] = '\0';
    *p += nl + 1 + len;
    if (*p < end && **p != ' ') return false;
    if (*p < end) (*p)++;
    return true;
}

int audit_checkpoint_parse(const struct audit_keys *k, const char *line, size_t n,
                           struct audit_checkpoint *out)
{
    static const size_t tag_len = sizeof AUDIT_CHECKPOINT_TAG - 1;
    const char *p = NULL, *end = line + n;
    for (const char *s = line; !p && (size_t)(end - s) >= tag_len; s++)
        if (memcmp(s, AUDIT_CHECKPOINT_TAG " ", tag_len) == 0 && s + tag_len < end &&
            s[tag_len] == ' ')
            p = s;
    if (!p) return AUDIT_CP_NONE;
    const char *body = p;
    p += tag_len + 1;
    char seq[21], mac[AUDIT_HASH_HEX + 1];
    size_t seq_len = 0;
    while (p + 4 + seq_len < end && p[4 + seq_len] >= '0' && p[4 + seq_len] <= '9' && seq_len < 19)
        seq_len++;
    memset(out, 0, sizeof *out);
    if (!seq_len || !field(&p, end, "seq", seq_len, seq) ||
        !field(&p, end, "head", AUDIT_HASH_HEX, out->hash) || !is_hex(out->hash, AUDIT_HASH_HEX) ||
        !field(&p, end, "at", AUDIT_TIME_LEN, out->at))
        return AUDIT_CP_BAD;
    size_t body_len = (size_t)(p - 1 - body); /* up to the space before mac= */
    if (!field(&p, end, "mac", AUDIT_HASH_HEX, mac) || p != end) return AUDIT_CP_BAD;
    out->seq = strtoll(seq, NULL, 10);
    char want[AUDIT_HASH_HEX + 1];
    mac_hex(k->checkpoint, body, body_len, AUDIT_HASH_HEX / 2, want);
    if (out->seq <= 0 || sodium_memcmp(want, mac, AUDIT_HASH_HEX) != 0) return AUDIT_CP_BAD;
    return AUDIT_CP_OK;
}

static int by_seq(const void *a, const void *b)
{
    const struct audit_checkpoint *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void audit_checkpoints_sort(struct audit_checkpoint *cps, size_t n)
{
    if (n > 1) qsort(cps, n, sizeof *cps, by_seq);
}

/* ---- verification ---- */

static void problem(struct audit_verifier *v, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct audit_verifier *v, int64_t seq, const char *fmt, ...)
{
    char msg[320];
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

void audit_verify_init(struct audit_verifier *v, const struct audit_keys *keys,
                       audit_report_fn report, void *ctx)
{
    memset(v, 0, sizeof *v);
    v->keys = keys;
    v->report = report;
    v->ctx = ctx;
    memcpy(v->last_hash, AUDIT_ZERO_HASH, sizeof v->last_hash);
}

/* Whether r's stored hash is what its content gives; reports why not. */
static void check_hash(struct audit_verifier *v, const struct audit_record *r)
{
    long long seq = (long long)r->seq;
    char want[AUDIT_HASH_HEX + 1];
    v->record_ok = false;
    if (r->format != AUDIT_FORMAT_PLAIN && r->format != AUDIT_FORMAT_KEYED) {
        problem(v, r->seq, "第 %lld 条的记录格式 %d 未知（记录被改动）", seq, r->format);
        return;
    }
    if (r->format == AUDIT_FORMAT_KEYED && !v->keys) {
        problem(v, r->seq, "第 %lld 条带密钥，但没有密钥，无法核对", seq);
        return;
    }
    audit_hash(r, v->keys ? v->keys->record : NULL, want);
    v->record_ok = r->hash && strcmp(want, r->hash) == 0;
    if (!v->record_ok)
        problem(v, r->seq, "第 %lld 条记录内容被改动（哈希不符）", seq);
    else if (r->format == AUDIT_FORMAT_PLAIN && v->last_format == AUDIT_FORMAT_KEYED)
        /* only someone without the key writes this: a recomputed tail */
        v->record_ok = false,
        problem(v, r->seq,
                "第 %lld 条是不带密钥的旧格式，却排在带密钥的记录之后（记录被改写后重算了哈希）",
                seq);
}

/* Compares the checkpoints up to r's seq with r; those inside a gap
 * already reported are skipped. */
static void check_checkpoints(struct audit_verifier *v, const struct audit_record *r)
{
    while (v->cp_next < v->ncps && v->cps[v->cp_next].seq <= r->seq) {
        const struct audit_checkpoint *cp = &v->cps[v->cp_next++];
        if (cp->seq < r->seq) continue; /* its record is missing: a gap or a duplicate seq */
        if (r->hash && strcmp(cp->hash, r->hash) == 0)
            v->cps_matched++;
        else
            problem(v, r->seq, "第 %lld 条与 %s 的检查点登记的哈希不符（记录被改写或整条链被重算）",
                    (long long)r->seq, cp->at);
    }
}

void audit_verify_next(struct audit_verifier *v, const struct audit_record *r)
{
    char range[64];
    long long seq = (long long)r->seq;
    v->checked++;
    if (r->format == AUDIT_FORMAT_KEYED) v->keyed++;
    check_hash(v, r);
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
    check_checkpoints(v, r);
    if (r->format == AUDIT_FORMAT_KEYED || r->format == AUDIT_FORMAT_PLAIN)
        v->last_format = v->last_format == AUDIT_FORMAT_KEYED ? v->last_format : r->format;
    v->last_seq = r->seq;
    snprintf(v->last_hash, sizeof v->last_hash, "%s", r->hash ? r->hash : "");
}

/* Checkpoints past the last record: records cut off at the end. */
static void check_tail_checkpoints(struct audit_verifier *v)
{
    if (v->cp_next >= v->ncps) return;
    const struct audit_checkpoint *last = &v->cps[v->ncps - 1];
    v->cp_next = v->ncps;
    if (v->prefix) return;
    char range[64];
    range_text(range, sizeof range, v->last_seq + 1, last->seq);
    if (v->last_seq)
        problem(v, v->last_seq, "%s 的检查点登记到第 %lld 条，数据库中只到第 %lld 条（%s 被删除）",
                last->at, (long long)last->seq, (long long)v->last_seq, range);
    else
        problem(v, 0, "%s 的检查点登记到第 %lld 条，数据库中没有任何审计记录（%s 被删除）",
                last->at, (long long)last->seq, range);
}

void audit_verify_end(struct audit_verifier *v, bool has_head, int64_t head_seq,
                      const char *head_hash)
{
    char range[64];
    long long last = (long long)v->last_seq;
    bool cut = v->cp_next < v->ncps && !v->prefix;
    check_tail_checkpoints(v);
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
    } else if (v->last_seq == 0 && !cut) {
        problem(v, 0, "没有任何审计记录：初始化时至少会记下所建的管理员，记录可能被全部删除");
    }
}
