/* test_audit_chain.c — the audit trail: canonical serialisation, hash and
 * MAC, keys and checkpoints (core/audit_chain.c), and the chain in a real
 * SQLite database (store/audit.c): appends, listing, and each kind of
 * tampering that `jiceng audit verify` must name — also by someone who
 * can write the database but has no key. */
#include "testing.h"

#include "core/audit_chain.h"
#include "store/store.h"

#include <unistd.h>

#define AUDIT_ZERO_HASH_TEXT "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- keys ---- */

static const struct audit_keys *test_keys(void)
{
    static struct audit_keys k;
    static bool done;
    if (!done) {
        unsigned char master[AUDIT_KEY_BYTES];
        for (int i = 0; i < AUDIT_KEY_BYTES; i++)
            master[i] = (unsigned char)i;
        assert_int_equal(audit_keys_derive(master, &k), 0);
        done = true;
    }
    return &k;
}

static void hex(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_keys_are_derived_for_their_purpose(void **state)
{
    (void)state;
    const struct audit_keys *k = test_keys();
    char h[2 * AUDIT_KEY_BYTES + 1];
    /* fixed values (also computed with Python's hashlib.blake2b, salt = the
     * subkey id, person = "jcaudit1"): changing the derivation would make
     * every keyed record unverifiable */
    hex(k->record, sizeof k->record, h);
    assert_string_equal(h, "ad92c1524657fe27cd1e04fa009c5967b982c70d0bd45fdd8d7f071945b4bd58");
    hex(k->checkpoint, sizeof k->checkpoint, h);
    assert_string_equal(h, "a7540b7c0d6026081c1bc5d3174066b77d5c3208e335a818352d603311845a68");
    hex(k->fingerprint, sizeof k->fingerprint, h);
    assert_string_equal(h, "5f4303eca6fd518936c4d1dde78915dda2f2afb87f9f9a7a352ea5144a0514fb");
    char fp[AUDIT_FP_HEX + 1];
    audit_fingerprint(k, "hello", 5, fp);
    assert_string_equal(fp, "ee76d5b984e2d0324e43e23be49eaf03");
}

/* ---- serialisation and hash ---- */

static struct audit_record sample(void)
{
    return (struct audit_record){
        .seq = 17,
        .format = AUDIT_FORMAT_PLAIN,
        .at = "2026-11-23T09:41:07.123Z",
        .e = {"zhangsan", "user.create", "user:李四", "411121", NULL, "{\"name\":\"李四\"}",
              "127.0.0.1"},
        .prev_hash = AUDIT_ZERO_HASH,
    };
}

static void test_serialization_is_length_prefixed_and_stable(void **state)
{
    (void)state;
    struct audit_record r = sample();
    struct buf b = BUF_INIT;
    audit_serialize(&r, &b);
    assert_string_equal(b.p,
                        "jiceng-audit-1\n"
                        "2:17\n"
                        "24:2026-11-23T09:41:07.123Z\n"
                        "8:zhangsan\n"
                        "11:user.create\n"
                        "11:user:李四\n"
                        "6:411121\n"
                        "-\n"
                        "17:{\"name\":\"李四\"}\n"
                        "9:127.0.0.1\n"
                        "64:0000000000000000000000000000000000000000000000000000000000000000\n");
    buf_free(&b);
    /* fixed values (also computed with Python's hashlib): a change of
     * format would silently invalidate every stored chain */
    char h[AUDIT_HASH_HEX + 1];
    audit_hash(&r, NULL, h);
    assert_string_equal(h, "10f7580bbdab8951b40803644834bff2ffb759df34be133c4905286b17914037");
    r.e.unit = "";
    audit_hash(&r, NULL, h);
    assert_string_equal(h, "1c329b8d6b1dcce0a6a414b56e26a4844f0ac7f2a461e5b5e85518f6570f00b0");
}

static void test_keyed_format_is_a_mac(void **state)
{
    (void)state;
    struct audit_record r = sample();
    r.format = AUDIT_FORMAT_KEYED;
    struct buf b = BUF_INIT;
    audit_serialize(&r, &b);
    assert_memory_equal(b.p, "jiceng-audit-2\n2:17\n", 20); /* only the first line differs */
    buf_free(&b);
    char h[AUDIT_HASH_HEX + 1], plain[AUDIT_HASH_HEX + 1];
    audit_hash(&r, test_keys()->record, h);
    assert_string_equal(h, "66b6b971c84a624aee1ed6eb11d6df895687f5c559fb83115302c54815fb1faf");
    r.format = AUDIT_FORMAT_PLAIN;
    audit_hash(&r, test_keys()->record, plain); /* format 1 ignores the key */
    assert_string_not_equal(h, plain);
    /* another key, another MAC */
    struct audit_keys other = *test_keys();
    other.record[0] ^= 1;
    r.format = AUDIT_FORMAT_KEYED;
    audit_hash(&r, other.record, plain);
    assert_string_not_equal(h, plain);
}

static void test_fields_cannot_run_into_each_other(void **state)
{
    (void)state;
    struct audit_record a = sample(), b = sample();
    char ha[AUDIT_HASH_HEX + 1], hb[AUDIT_HASH_HEX + 1];
    a.e.user = "ab";
    a.e.action = "c";
    b.e.user = "a";
    b.e.action = "bc";
    audit_hash(&a, NULL, ha);
    audit_hash(&b, NULL, hb);
    assert_string_not_equal(ha, hb);
    a = sample();
    b = sample();
    a.e.before = NULL;
    b.e.before = "";
    audit_hash(&a, NULL, ha);
    audit_hash(&b, NULL, hb);
    assert_string_not_equal(ha, hb);
}

static void test_time_format_and_parse(void **state)
{
    (void)state;
    char t[AUDIT_TIME_LEN + 1];
    audit_time_format(1795426867123LL, t);
    assert_string_equal(t, "2026-11-23T09:41:07.123Z");
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"2026-11-23", "2026-11-23T00:00:00.000Z"},
        {"2026-11-23T09:41", "2026-11-23T09:41:00.000Z"},
        {"2026-11-23T09:41:07Z", "2026-11-23T09:41:07.000Z"},
        {"2026-11-23 09:41:07.12", "2026-11-23T09:41:07.120Z"},
        {"2026-11-23T09:41:07.123456Z", "2026-11-23T09:41:07.123Z"},
        {"2026-11-23T09:41:07+08:00", "2026-11-23T01:41:07.000Z"},
        {"2026-11-23T09:41:07 08:00", "2026-11-23T01:41:07.000Z"}, /* '+' decoded as space */
        {"2026-01-01T01:00-02:30", "2026-01-01T03:30:00.000Z"},
        {"2024-02-29", "2024-02-29T00:00:00.000Z"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_true(audit_time_parse(ok[i].in, t));
        assert_string_equal(t, ok[i].out);
    }
    static const char *const bad[] = {
        "",
        "2026",
        "2026-13-01",
        "2026-02-30",
        "2025-02-29",
        "2026-1-1",
        "26-11-23",
        "2026-11-23T",
        "2026-11-23T24:00",
        "2026-11-23T9:41",
        "2026/11/23",
        "2026-11-23x",
        "2026-11-23T09:41:07.",
        "1969-12-31",
        "2026-11-23T09:60",
        "yesterday",
        "2026-11-23Z00",
        "2026-11-23T09:41+8",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(audit_time_parse(bad[i], t));
}

/* ---- the chain in memory ---- */

struct problems {
    int n;
    int64_t seq[16];
    char text[16][256];
};

static void collect(void *ctx, int64_t seq, const char *problem)
{
    struct problems *p = ctx;
    if (p->n == 16) return;
    p->seq[p->n] = seq;
    snprintf(p->text[p->n++], sizeof p->text[0], "%s", problem);
}

#define CHAIN 5

struct chain {
    struct audit_record r[CHAIN];
    char hash[CHAIN][AUDIT_HASH_HEX + 1];
};

/* Records 1..CHAIN, those from `keyed_from` on in format 2. */
static void build_from(struct chain *c, int keyed_from)
{
    for (int i = 0; i < CHAIN; i++) {
        c->r[i] = sample();
        c->r[i].seq = i + 1;
        c->r[i].format = i + 1 >= keyed_from ? AUDIT_FORMAT_KEYED : AUDIT_FORMAT_PLAIN;
        c->r[i].prev_hash = i ? c->hash[i - 1] : AUDIT_ZERO_HASH;
        audit_hash(&c->r[i], test_keys()->record, c->hash[i]);
        c->r[i].hash = c->hash[i];
    }
}

static void build(struct chain *c)
{
    build_from(c, 1);
}

/* Verifies c->r[0..n) except `skip` (-1 for none) against a head and the
 * checkpoints cps[0..ncps). */
static int verify_cps(struct chain *c, int n, int skip, int64_t head_seq,
                      const struct audit_checkpoint *cps, size_t ncps, bool prefix,
                      struct problems *p)
{
    struct audit_verifier v;
    memset(p, 0, sizeof *p);
    audit_verify_init(&v, test_keys(), collect, p);
    v.cps = cps;
    v.ncps = ncps;
    v.prefix = prefix;
    for (int i = 0; i < n; i++)
        if (i != skip) audit_verify_next(&v, &c->r[i]);
    audit_verify_end(&v, true, head_seq, head_seq ? c->hash[head_seq - 1] : AUDIT_ZERO_HASH);
    assert_int_equal(v.problems, p->n);
    return v.problems;
}

static int verify(struct chain *c, int n, int skip, int64_t head_seq, struct problems *p)
{
    return verify_cps(c, n, skip, head_seq, NULL, 0, false, p);
}

static void test_chain_in_memory(void **state)
{
    (void)state;
    struct chain c;
    struct problems p;
    build(&c);
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 0);

    c.r[2].e.entity = "user:wangwu"; /* altered, hash left as it was */
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 1);
    assert_int_equal(p.seq[0], 3);
    assert_string_equal(p.text[0], "第 3 条记录内容被改动（哈希不符）");
    build(&c);

    assert_int_equal(verify(&c, CHAIN, 1, CHAIN, &p), 1); /* record 2 deleted */
    assert_string_equal(p.text[0], "第 3 条之前缺少记录（序号 2 被删除）");

    assert_int_equal(verify(&c, 3, -1, CHAIN, &p), 1); /* 4 and 5 cut off */
    assert_string_equal(p.text[0], "第 3 条之后缺少记录（序号 4–5 被删除）");

    char h0[AUDIT_HASH_HEX + 1]; /* a re-linked first record, rehashed with the key */
    c.r[0].prev_hash = c.hash[4];
    audit_hash(&c.r[0], test_keys()->record, h0);
    c.r[0].hash = h0;
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 2);
    assert_string_equal(p.text[0], "第 1 条的前一哈希不是全零（链首被改动）");
    assert_string_equal(p.text[1], "第 2 条与第 1 条的链接不符（记录被删除后重新编号，或被替换）");
}

static void test_empty_chain_is_a_problem(void **state)
{
    (void)state;
    struct chain c;
    struct problems p;
    build(&c);
    /* "complete, 0 records" used to pass: init always records something */
    assert_int_equal(verify(&c, 0, -1, 0, &p), 1);
    assert_non_null(strstr(p.text[0], "没有任何审计记录"));
}

static void test_old_records_then_keyed_ones(void **state)
{
    (void)state;
    struct chain c;
    struct problems p;
    build_from(&c, 3); /* 1–2 written before keys, 3–5 keyed */
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 0);

    /* Without the key, an edited keyed record can only be given a format-1
     * hash: from there on the chain falls back to the old format. */
    char h[CHAIN][AUDIT_HASH_HEX + 1];
    c.r[3].e.after = "{\"role\":\"admin\"}";
    for (int i = 3; i < CHAIN; i++) {
        c.r[i].format = AUDIT_FORMAT_PLAIN;
        c.r[i].prev_hash = i ? c.r[i - 1].hash : AUDIT_ZERO_HASH;
        audit_hash(&c.r[i], NULL, h[i]);
        c.r[i].hash = h[i];
    }
    struct audit_verifier v;
    memset(&p, 0, sizeof p);
    audit_verify_init(&v, test_keys(), collect, &p);
    for (int i = 0; i < CHAIN; i++)
        audit_verify_next(&v, &c.r[i]);
    audit_verify_end(&v, true, CHAIN, h[CHAIN - 1]); /* the head reset to match */
    assert_int_equal(v.problems, 2);
    assert_int_equal(p.seq[0], 4);
    assert_non_null(strstr(p.text[0], "第 4 条是不带密钥的旧格式，却排在带密钥的记录之后"));
    assert_int_equal(p.seq[1], 5);

    /* a keyed record rehashed without the key: its MAC does not match */
    build(&c);
    char fake[AUDIT_HASH_HEX + 1];
    c.r[4].e.user = "wangwu";
    c.r[4].format = AUDIT_FORMAT_PLAIN;
    audit_hash(&c.r[4], NULL, fake);
    c.r[4].format = AUDIT_FORMAT_KEYED;
    c.r[4].hash = fake;
    assert_int_equal(verify(&c, CHAIN, -1, 0, &p), 2); /* the head names the true hash */
    assert_string_equal(p.text[0], "第 5 条记录内容被改动（哈希不符）");

    /* an unknown format, and a keyed record without keys */
    build(&c);
    c.r[1].format = 7;
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 1);
    assert_string_equal(p.text[0], "第 2 条的记录格式 7 未知（记录被改动）");
    build(&c);
    struct audit_verifier nokey;
    memset(&p, 0, sizeof p);
    audit_verify_init(&nokey, NULL, collect, &p);
    audit_verify_next(&nokey, &c.r[0]);
    assert_int_equal(nokey.problems, 1);
    assert_string_equal(p.text[0], "第 1 条带密钥，但没有密钥，无法核对");
}

static struct audit_checkpoint checkpoint(int64_t seq, const char *hash, const char *at)
{
    struct audit_checkpoint cp = {.seq = seq};
    snprintf(cp.hash, sizeof cp.hash, "%s", hash);
    snprintf(cp.at, sizeof cp.at, "%s", at);
    return cp;
}

static void test_checkpoint_lines(void **state)
{
    (void)state;
    const struct audit_keys *k = test_keys();
    char a64[AUDIT_HASH_HEX + 1];
    memset(a64, 'a', AUDIT_HASH_HEX);
    a64[AUDIT_HASH_HEX] = '\0';
    struct audit_checkpoint cp = checkpoint(5, a64, "2026-11-23T09:41:07.123Z"), got;
    char line[AUDIT_CHECKPOINT_MAX];
    audit_checkpoint_format(k, &cp, line);
    /* the MAC is BLAKE2b-256 keyed with the checkpoint key over the line
     * before " mac=" (also computed with Python's hashlib) */
    char want[AUDIT_CHECKPOINT_MAX];
    snprintf(want, sizeof want,
             "jiceng-checkpoint-1 seq=5 head=%s at=2026-11-23T09:41:07.123Z "
             "mac=fff01d91c2c2452ff3c25d6e10c6c604daebf4d6617517c6b5be3438a70cb33e\n",
             a64);
    assert_string_equal(line, want);
    size_t n = strlen(line) - 1;
    assert_int_equal(audit_checkpoint_parse(k, line, n, &got), AUDIT_CP_OK);
    assert_int_equal(got.seq, 5);
    assert_string_equal(got.hash, a64);
    assert_string_equal(got.at, "2026-11-23T09:41:07.123Z");

    /* as syslog keeps it: a prefix before the tag */
    char logged[AUDIT_CHECKPOINT_MAX + 64];
    snprintf(logged, sizeof logged, "Nov 23 09:41:07 host jiceng[812]: %.*s", (int)n, line);
    assert_int_equal(audit_checkpoint_parse(k, logged, strlen(logged), &got), AUDIT_CP_OK);

    /* anything else */
    assert_int_equal(audit_checkpoint_parse(k, "hello", 5, &got), AUDIT_CP_NONE);
    char bad[AUDIT_CHECKPOINT_MAX];
    memcpy(bad, line, n + 1);
    bad[24] = '6'; /* seq=6 */
    assert_int_equal(audit_checkpoint_parse(k, bad, n, &got), AUDIT_CP_BAD);
    assert_int_equal(audit_checkpoint_parse(k, line, n - 1, &got), AUDIT_CP_BAD); /* cut short */
    struct audit_keys other = *k;
    other.checkpoint[0] ^= 1;
    assert_int_equal(audit_checkpoint_parse(&other, line, n, &got), AUDIT_CP_BAD);
    memcpy(bad, line, n + 1);
    memcpy(strstr(bad, "seq=5"), "seq=x", 5);
    assert_int_equal(audit_checkpoint_parse(k, bad, n, &got), AUDIT_CP_BAD);

    struct audit_checkpoint list[3] = {checkpoint(9, a64, "c"), checkpoint(2, a64, "a"),
                                       checkpoint(5, a64, "b")};
    audit_checkpoints_sort(list, 3);
    assert_int_equal(list[0].seq, 2);
    assert_int_equal(list[2].seq, 9);
}

static void test_checkpoints_catch_what_the_database_hides(void **state)
{
    (void)state;
    struct chain c;
    struct problems p;
    build(&c);
    struct audit_checkpoint cps[2] = {checkpoint(2, c.hash[1], "2026-11-23T09:00:00.000Z"),
                                      checkpoint(5, c.hash[4], "2026-11-23T10:00:00.000Z")};
    assert_int_equal(verify_cps(&c, CHAIN, -1, CHAIN, cps, 2, false, &p), 0);

    /* the last two deleted and the head reset to record 3: the chain
     * itself is consistent, the checkpoint is not */
    assert_int_equal(verify_cps(&c, 3, -1, 3, cps, 2, false, &p), 1);
    assert_string_equal(p.text[0],
                        "2026-11-23T10:00:00.000Z 的检查点登记到第 5 条，数据库中只到第 3 "
                        "条（序号 4–5 被删除）");
    /* …unless the database is a backup taken before record 4 */
    assert_int_equal(verify_cps(&c, 3, -1, 3, cps, 2, true, &p), 0);

    /* every record deleted, head reset: no longer "complete, 0 records" */
    assert_int_equal(verify_cps(&c, 0, -1, 0, cps, 2, false, &p), 1);
    assert_non_null(strstr(p.text[0], "数据库中没有任何审计记录（序号 1–5 被删除）"));

    /* the whole chain recomputed in format 1 after an edit of record 2 */
    char h[CHAIN][AUDIT_HASH_HEX + 1];
    c.r[1].e.after = "{\"role\":\"admin\"}";
    for (int i = 0; i < CHAIN; i++) {
        c.r[i].format = AUDIT_FORMAT_PLAIN;
        c.r[i].prev_hash = i ? h[i - 1] : AUDIT_ZERO_HASH;
        audit_hash(&c.r[i], NULL, h[i]);
        c.r[i].hash = h[i];
        memcpy(c.hash[i], h[i], sizeof h[i]); /* the head follows */
    }
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 0); /* what checkpoints are for */
    assert_int_equal(verify_cps(&c, CHAIN, -1, CHAIN, cps, 2, false, &p), 2);
    assert_int_equal(p.seq[0], 2);
    assert_string_equal(p.text[0],
                        "第 2 条与 2026-11-23T09:00:00.000Z 的检查点登记的哈希不符（记录被"
                        "改写或整条链被重算）");
    assert_int_equal(p.seq[1], 5);
}

/* ---- the chain in SQLite ---- */

struct fx {
    char dir[64];
    struct store *store;
    struct db *db;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/jiceng-audit-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    struct err e;
    err_clear(&e);
    assert_int_equal(store_open(fx->dir, NULL, true, 1, &fx->store, &e), ERR_OK);
    store_audit_key(fx->store, test_keys()->record);
    fx->db = store_acquire(fx->store);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    store_release(fx->store, fx->db);
    store_close(fx->store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    return 0;
}

static void write_entry(struct fx *fx, const char *user, const char *unit)
{
    struct audit_entry e = {user, "user.create", "user:x", unit, NULL, "{\"a\":1}", "cli"};
    struct err err;
    err_clear(&err);
    assert_int_equal(store_audit_write(fx->db, &e, &err), ERR_OK);
}

/* Five records: 1 zhangsan@411121, 2 lisi@411121100, 3 zhangsan@NULL,
 * 4 ''@411122, 5 lisi@41. */
static void write_five(struct fx *fx)
{
    write_entry(fx, "zhangsan", "411121");
    write_entry(fx, "lisi", "411121100");
    write_entry(fx, "zhangsan", NULL);
    write_entry(fx, "", "411122");
    write_entry(fx, "lisi", "41");
}

/* The chain with checkpoints cps[0..ncps), as `audit verify` reads it. */
static int run_verify_cps(struct fx *fx, const struct audit_checkpoint *cps, size_t ncps,
                          struct problems *p, int64_t *checked)
{
    struct err e;
    struct audit_verifier v;
    err_clear(&e);
    memset(p, 0, sizeof *p);
    audit_verify_init(&v, test_keys(), collect, p);
    v.cps = cps;
    v.ncps = ncps;
    assert_int_equal(store_audit_verify(fx->db, &v, NULL, NULL, &e), ERR_INTERNAL); /* no tx */
    assert_int_equal(db_begin(fx->db, false, &e), ERR_OK);
    assert_int_equal(store_audit_verify(fx->db, &v, NULL, NULL, &e), ERR_OK);
    db_rollback(fx->db);
    *checked = v.checked;
    assert_int_equal(v.problems, p->n);
    return v.problems;
}

static int run_verify(struct fx *fx, struct problems *p, int64_t *checked)
{
    return run_verify_cps(fx, NULL, 0, p, checked);
}

static void sql(struct fx *fx, const char *script)
{
    struct err e;
    err_clear(&e);
    assert_int_equal(db_exec(fx->db, script, &e), ERR_OK);
}

static void test_append_needs_a_transaction(void **state)
{
    struct fx *fx = *state;
    struct audit_entry e = {"zhangsan", "user.create", "user:x", NULL, NULL, NULL, "cli"};
    struct err err;
    err_clear(&err);
    assert_int_equal(store_audit_append(fx->db, &e, &err), ERR_INTERNAL);
    assert_non_null(strstr(err.msg, "transaction"));
    /* rolled back with the change it records */
    assert_int_equal(db_begin(fx->db, true, &err), ERR_OK);
    assert_int_equal(store_audit_append(fx->db, &e, &err), ERR_OK);
    db_rollback(fx->db);
    e.after = "{not json";
    assert_int_equal(store_audit_write(fx->db, &e, &err), ERR_INTERNAL);
    struct problems p;
    int64_t checked = -1;
    assert_int_equal(run_verify(fx, &p, &checked), 1); /* nothing written */
    assert_int_equal(checked, 0);
    /* without the key, nothing is written either */
    e.after = NULL;
    store_audit_key(fx->store, NULL);
    assert_int_equal(store_audit_write(fx->db, &e, &err), ERR_INTERNAL);
    assert_non_null(strstr(err.msg, "audit key"));
}

static void test_intact_chain_verifies(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 0);
    assert_int_equal(checked, 5);
    /* every record is keyed */
    sql(fx, "CREATE TEMP TABLE n AS SELECT count(*) AS c FROM audit WHERE format = 2");
    struct db_stmt *st;
    struct err e;
    err_clear(&e);
    assert_int_equal(db_prepare(fx->db, "SELECT c FROM n", &st, &e), ERR_OK);
    assert_int_equal(db_step(st, &e), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 5);
    db_reset(st);
}

static void test_altered_record(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    sql(fx, "UPDATE audit SET unit = NULL WHERE seq = 2");
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 1);
    assert_int_equal(p.seq[0], 2);
    assert_string_equal(p.text[0], "第 2 条记录内容被改动（哈希不符）");
}

static void test_deleted_records(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    sql(fx, "DELETE FROM audit WHERE seq IN (2, 3)");
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 1);
    assert_int_equal(checked, 3);
    assert_string_equal(p.text[0], "第 4 条之前缺少记录（序号 2–3 被删除）");
}

/* Rewrites record `seq` as an attacker who knows the algorithm but not the
 * key would: a new seq and a hash recomputed in format 1 (the only one
 * they can compute); prev_hash kept, or `prev` when not NULL. Returns the
 * new hash in out. */
static void rewrite_as(struct fx *fx, int64_t seq, int64_t new_seq, const char *prev,
                       char out[AUDIT_HASH_HEX + 1])
{
    static const char get[] = "SELECT at, user_name, action, entity, unit, before_json, "
                              "after_json, client, prev_hash FROM audit WHERE seq = $1";
    static const char put[] =
        "UPDATE audit SET seq = $2, prev_hash = $3, hash = $4, format = 1 WHERE seq = $1";
    struct db_stmt *st;
    struct err e;
    err_clear(&e);
    assert_int_equal(db_prepare(fx->db, get, &st, &e), ERR_OK);
    db_bind_int(st, 1, seq);
    assert_int_equal(db_step(st, &e), DB_ROW);
    char *col[9];
    for (int i = 0; i < 9; i++)
        col[i] = db_col_null(st, i) ? NULL : strdup(db_col_text(st, i, NULL));
    db_reset(st);
    struct audit_record r = {new_seq,
                             AUDIT_FORMAT_PLAIN,
                             col[0],
                             {col[1], col[2], col[3], col[4], col[5], col[6], col[7]},
                             prev ? prev : col[8],
                             NULL};
    audit_hash(&r, NULL, out);
    assert_int_equal(db_prepare(fx->db, put, &st, &e), ERR_OK);
    db_bind_int(st, 1, seq);
    db_bind_int(st, 2, new_seq);
    db_bind_str(st, 3, r.prev_hash);
    db_bind_str(st, 4, out);
    assert_int_equal(db_run(st, &e), ERR_OK);
    for (int i = 0; i < 9; i++)
        free(col[i]);
}

static void rewrite(struct fx *fx, int64_t seq, int64_t new_seq)
{
    char h[AUDIT_HASH_HEX + 1];
    rewrite_as(fx, seq, new_seq, NULL, h);
}

/* The stored hash of record seq. */
static void hash_at(struct fx *fx, int64_t seq, char out[AUDIT_HASH_HEX + 1])
{
    struct err e;
    bool found;
    err_clear(&e);
    assert_int_equal(store_audit_hash_at(fx->db, seq, out, &found, &e), ERR_OK);
    assert_true(found);
}

static void test_deleted_and_renumbered(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    /* delete 3 and renumber 4 → 3 with a recomputed hash: no gap there,
     * but its prev_hash still names the deleted record */
    sql(fx, "DELETE FROM audit WHERE seq = 3");
    rewrite(fx, 4, 3);
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 3);
    assert_int_equal(p.seq[0], 3);
    /* it fell back to the format an attacker can compute … */
    assert_non_null(strstr(p.text[0], "第 3 条是不带密钥的旧格式"));
    assert_string_equal(p.text[1], "第 3 条与第 2 条的链接不符（记录被删除后重新编号，或被替换）");
    assert_string_equal(p.text[2], "第 5 条之前缺少记录（序号 4 被删除）");
}

static void test_truncated_tail(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    sql(fx, "DELETE FROM audit WHERE seq >= 4");
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 1);
    assert_string_equal(p.text[0], "第 3 条之后缺少记录（序号 4–5 被删除）");
    /* the next write links to the head, so the gap stays visible */
    write_entry(fx, "zhangsan", NULL);
    assert_int_equal(run_verify(fx, &p, &checked), 1);
    assert_int_equal(p.seq[0], 6);
    assert_string_equal(p.text[0], "第 6 条之前缺少记录（序号 4–5 被删除）");
    /* everything gone */
    sql(fx, "DELETE FROM audit");
    assert_int_equal(run_verify(fx, &p, &checked), 1);
    assert_string_equal(p.text[0], "审计记录全部缺失（序号 1–6 被删除）");
    /* …and the head reset too: still not an intact empty chain */
    sql(fx, "UPDATE audit_head SET seq = 0, hash = '" AUDIT_ZERO_HASH_TEXT "'");
    assert_int_equal(run_verify(fx, &p, &checked), 1);
    assert_non_null(strstr(p.text[0], "没有任何审计记录"));
}

/* Cut off at the end and the head reset consistently: the database alone
 * cannot tell; a checkpoint written before can. */
static void test_truncated_with_head_reset(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    struct audit_checkpoint cp = {.seq = 5, .at = "2026-11-23T10:00:00.000Z"};
    hash_at(fx, 5, cp.hash);
    char h3[AUDIT_HASH_HEX + 1];
    hash_at(fx, 3, h3);
    sql(fx, "DELETE FROM audit WHERE seq >= 4");
    struct db_stmt *st;
    struct err e;
    err_clear(&e);
    assert_int_equal(db_prepare(fx->db, "UPDATE audit_head SET seq = 3, hash = $1", &st, &e), 0);
    db_bind_str(st, 1, h3);
    assert_int_equal(db_run(st, &e), ERR_OK);
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 0);
    assert_int_equal(run_verify_cps(fx, &cp, 1, &p, &checked), 1);
    assert_non_null(
        strstr(p.text[0], "的检查点登记到第 5 条，数据库中只到第 3 条（序号 4–5 被删除）"));
}

/* An edited record, the chain from it recomputed and the head set to
 * match, by someone without the key. */
static void test_recomputed_chain(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    struct audit_checkpoint cp = {.seq = 5, .at = "2026-11-23T10:00:00.000Z"};
    hash_at(fx, 5, cp.hash);
    sql(fx, "UPDATE audit SET after_json = '{\"a\":2}' WHERE seq = 2");
    char h[AUDIT_HASH_HEX + 1], prev[AUDIT_HASH_HEX + 1];
    hash_at(fx, 1, prev);
    for (int64_t seq = 2; seq <= 5; seq++) {
        rewrite_as(fx, seq, seq, prev, h);
        memcpy(prev, h, sizeof h);
    }
    struct db_stmt *st;
    struct err e;
    err_clear(&e);
    assert_int_equal(db_prepare(fx->db, "UPDATE audit_head SET hash = $1", &st, &e), 0);
    db_bind_str(st, 1, h);
    assert_int_equal(db_run(st, &e), ERR_OK);
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 4); /* 2–5 fell back to format 1 */
    assert_non_null(strstr(p.text[0], "第 2 条是不带密钥的旧格式，却排在带密钥的记录之后"));
    /* relabelled from the first record on, only the checkpoint notices */
    sql(fx, "UPDATE audit SET format = 1 WHERE seq = 1");
    char h1[AUDIT_HASH_HEX + 1];
    rewrite_as(fx, 1, 1, NULL, h1);
    memcpy(prev, h1, sizeof h1);
    for (int64_t seq = 2; seq <= 5; seq++) {
        rewrite_as(fx, seq, seq, prev, h);
        memcpy(prev, h, sizeof h);
    }
    assert_int_equal(db_prepare(fx->db, "UPDATE audit_head SET hash = $1", &st, &e), 0);
    db_bind_str(st, 1, h);
    assert_int_equal(db_run(st, &e), ERR_OK);
    assert_int_equal(run_verify(fx, &p, &checked), 0);
    assert_int_equal(run_verify_cps(fx, &cp, 1, &p, &checked), 1);
    assert_string_equal(p.text[0],
                        "第 5 条与 2026-11-23T10:00:00.000Z 的检查点登记的哈希不符（记录被"
                        "改写或整条链被重算）");
}

/* Records written before keys (format 1, as migration 015 leaves them)
 * followed by keyed ones verify. */
static void test_upgraded_chain(void **state)
{
    struct fx *fx = *state;
    write_entry(fx, "zhangsan", "411121");
    write_entry(fx, "lisi", NULL);
    char h1[AUDIT_HASH_HEX + 1], h2[AUDIT_HASH_HEX + 1];
    rewrite_as(fx, 1, 1, NULL, h1); /* as the version before keys wrote them */
    rewrite_as(fx, 2, 2, h1, h2);
    struct db_stmt *st;
    struct err e;
    err_clear(&e);
    assert_int_equal(db_prepare(fx->db, "UPDATE audit_head SET hash = $1", &st, &e), 0);
    db_bind_str(st, 1, h2);
    assert_int_equal(db_run(st, &e), ERR_OK);
    write_entry(fx, "zhangsan", NULL); /* the upgraded version goes on, keyed */
    write_entry(fx, "", "411122");
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 0);
    assert_int_equal(checked, 4);
}

static void test_replaced_tail_and_missing_head(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    sql(fx, "UPDATE audit SET user_name = 'wangwu' WHERE seq = 5");
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 1);
    sql(fx, "DELETE FROM audit_head");
    assert_int_equal(run_verify(fx, &p, &checked), 2);
    assert_non_null(strstr(p.text[1], "链头记录缺失"));
    /* writing on would hide the loss: appends refuse */
    struct audit_entry e = {"zhangsan", "user.create", "user:x", NULL, NULL, NULL, "cli"};
    struct err err;
    err_clear(&err);
    assert_int_equal(store_audit_write(fx->db, &e, &err), ERR_INTERNAL);
}

static void test_rehashed_tail_differs_from_head(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    sql(fx, "UPDATE audit SET entity = 'user:y' WHERE seq = 5");
    rewrite(fx, 5, 5); /* the content fits its format-1 hash; the head does not */
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 2);
    assert_non_null(strstr(p.text[0], "第 5 条是不带密钥的旧格式"));
    assert_string_equal(p.text[1], "第 5 条的哈希与链头登记不符（记录被替换）");
}

/* ---- listing ---- */

struct seen {
    int n;
    int64_t seq[8];
};

static int see(void *ctx, const struct audit_record *r)
{
    struct seen *s = ctx;
    assert_true(s->n < 8);
    s->seq[s->n++] = r->seq;
    return 0;
}

static int list(struct fx *fx, const char *unit, const char *user, const char *since,
                int64_t before, int64_t limit, struct seen *s)
{
    struct audit_filter f = {unit, user, since, before, limit};
    struct err e;
    err_clear(&e);
    memset(s, 0, sizeof *s);
    assert_int_equal(store_audit_list(fx->db, &f, see, s, &e), ERR_OK);
    return s->n;
}

static void test_list_filters(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    struct seen s;
    assert_int_equal(list(fx, "", NULL, NULL, 0, 50, &s), 5);
    assert_int_equal(s.seq[0], 5); /* newest first */
    assert_int_equal(list(fx, NULL, NULL, NULL, 0, 2, &s), 2);
    assert_int_equal(s.seq[1], 4);
    assert_int_equal(list(fx, NULL, NULL, NULL, 4, 2, &s), 2); /* the page after seq 4 */
    assert_int_equal(s.seq[0], 3);
    assert_int_equal(s.seq[1], 2);
    assert_int_equal(list(fx, "411121", NULL, NULL, 0, 50, &s), 2); /* subtree, no NULL unit */
    assert_int_equal(s.seq[0], 2);
    assert_int_equal(s.seq[1], 1);
    assert_int_equal(list(fx, "41", NULL, NULL, 0, 50, &s), 4);
    assert_int_equal(list(fx, "42", NULL, NULL, 0, 50, &s), 0);
    assert_int_equal(list(fx, NULL, "zhangsan", NULL, 0, 50, &s), 2);
    assert_int_equal(list(fx, "41", "lisi", NULL, 0, 50, &s), 2);
    assert_int_equal(list(fx, "411121", "lisi", NULL, 0, 50, &s), 1);
    assert_int_equal(list(fx, NULL, "", NULL, 0, 50, &s), 1); /* anonymous */
    assert_int_equal(list(fx, NULL, NULL, "2000-01-01T00:00:00.000Z", 0, 50, &s), 5);
    assert_int_equal(list(fx, NULL, NULL, "9999-01-01T00:00:00.000Z", 0, 50, &s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_are_derived_for_their_purpose),
        cmocka_unit_test(test_serialization_is_length_prefixed_and_stable),
        cmocka_unit_test(test_keyed_format_is_a_mac),
        cmocka_unit_test(test_fields_cannot_run_into_each_other),
        cmocka_unit_test(test_time_format_and_parse),
        cmocka_unit_test(test_chain_in_memory),
        cmocka_unit_test(test_empty_chain_is_a_problem),
        cmocka_unit_test(test_old_records_then_keyed_ones),
        cmocka_unit_test(test_checkpoint_lines),
        cmocka_unit_test(test_checkpoints_catch_what_the_database_hides),
        cmocka_unit_test_setup_teardown(test_append_needs_a_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intact_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_altered_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_and_renumbered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_with_head_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recomputed_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgraded_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaced_tail_and_missing_head, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rehashed_tail_differs_from_head, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
