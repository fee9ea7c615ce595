/* test_audit_chain.c — the audit trail: canonical serialisation and hash
 * (core/audit_chain.c), and the chain in a real SQLite database
 * (store/audit.c): appends, listing, and each kind of tampering that
 * `jiceng audit verify` must name. */
#include "testing.h"

#include "core/audit_chain.h"
#include "store/store.h"

#include <unistd.h>

/* ---- serialisation and hash ---- */

static struct audit_record sample(void)
{
    return (struct audit_record){
        .seq = 17,
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
    audit_hash(&r, h);
    assert_string_equal(h, "10f7580bbdab8951b40803644834bff2ffb759df34be133c4905286b17914037");
    r.e.unit = "";
    audit_hash(&r, h);
    assert_string_equal(h, "1c329b8d6b1dcce0a6a414b56e26a4844f0ac7f2a461e5b5e85518f6570f00b0");
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
    audit_hash(&a, ha);
    audit_hash(&b, hb);
    assert_string_not_equal(ha, hb);
    a = sample();
    b = sample();
    a.e.before = NULL;
    b.e.before = "";
    audit_hash(&a, ha);
    audit_hash(&b, hb);
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

static void build(struct chain *c)
{
    for (int i = 0; i < CHAIN; i++) {
        c->r[i] = sample();
        c->r[i].seq = i + 1;
        c->r[i].prev_hash = i ? c->hash[i - 1] : AUDIT_ZERO_HASH;
        audit_hash(&c->r[i], c->hash[i]);
        c->r[i].hash = c->hash[i];
    }
}

/* Verifies c->r[0..n) except `skip` (-1 for none) against a head. */
static int verify(struct chain *c, int n, int skip, int64_t head_seq, struct problems *p)
{
    struct audit_verifier v;
    memset(p, 0, sizeof *p);
    audit_verify_init(&v, collect, p);
    for (int i = 0; i < n; i++)
        if (i != skip) audit_verify_next(&v, &c->r[i]);
    audit_verify_end(&v, true, head_seq, head_seq ? c->hash[head_seq - 1] : AUDIT_ZERO_HASH);
    assert_int_equal(v.problems, p->n);
    return v.problems;
}

static void test_chain_in_memory(void **state)
{
    (void)state;
    struct chain c;
    struct problems p;
    build(&c);
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 0);
    assert_int_equal(verify(&c, 0, -1, 0, &p), 0);

    c.r[2].e.entity = "user:wangwu"; /* altered, hash left as it was */
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 1);
    assert_int_equal(p.seq[0], 3);
    assert_string_equal(p.text[0], "第 3 条记录内容被改动（哈希不符）");
    build(&c);

    assert_int_equal(verify(&c, CHAIN, 1, CHAIN, &p), 1); /* record 2 deleted */
    assert_string_equal(p.text[0], "第 3 条之前缺少记录（序号 2 被删除）");

    assert_int_equal(verify(&c, 3, -1, CHAIN, &p), 1); /* 4 and 5 cut off */
    assert_string_equal(p.text[0], "第 3 条之后缺少记录（序号 4–5 被删除）");

    char h0[AUDIT_HASH_HEX + 1]; /* a re-linked first record, rehashed */
    c.r[0].prev_hash = c.hash[4];
    audit_hash(&c.r[0], h0);
    c.r[0].hash = h0;
    assert_int_equal(verify(&c, CHAIN, -1, CHAIN, &p), 2);
    assert_string_equal(p.text[0], "第 1 条的前一哈希不是全零（链首被改动）");
    assert_string_equal(p.text[1], "第 2 条与第 1 条的链接不符（记录被删除后重新编号，或被替换）");
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

static int run_verify(struct fx *fx, struct problems *p, int64_t *checked)
{
    struct err e;
    int n = -1;
    err_clear(&e);
    memset(p, 0, sizeof *p);
    assert_int_equal(store_audit_verify(fx->db, collect, p, checked, &n, &e), ERR_OK);
    assert_int_equal(n, p->n);
    return n;
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
    assert_int_equal(run_verify(fx, &p, &checked), 0);
    assert_int_equal(checked, 0);
}

static void test_intact_chain_verifies(void **state)
{
    struct fx *fx = *state;
    write_five(fx);
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 0);
    assert_int_equal(checked, 5);
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

/* Rewrites record `seq` as an attacker who knows the algorithm would:
 * a new seq and the hash recomputed; prev_hash kept. */
static void rewrite(struct fx *fx, int64_t seq, int64_t new_seq)
{
    static const char get[] = "SELECT at, user_name, action, entity, unit, before_json, "
                              "after_json, client, prev_hash FROM audit WHERE seq = $1";
    static const char put[] = "UPDATE audit SET seq = $2, prev_hash = $3, hash = $4 WHERE seq = $1";
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
    struct audit_record r = {
        new_seq, col[0], {col[1], col[2], col[3], col[4], col[5], col[6], col[7]}, col[8], NULL};
    char hash[AUDIT_HASH_HEX + 1];
    audit_hash(&r, hash);
    assert_int_equal(db_prepare(fx->db, put, &st, &e), ERR_OK);
    db_bind_int(st, 1, seq);
    db_bind_int(st, 2, new_seq);
    db_bind_str(st, 3, col[8]);
    db_bind_str(st, 4, hash);
    assert_int_equal(db_run(st, &e), ERR_OK);
    for (int i = 0; i < 9; i++)
        free(col[i]);
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
    assert_int_equal(run_verify(fx, &p, &checked), 2);
    assert_int_equal(p.seq[0], 3);
    assert_string_equal(p.text[0], "第 3 条与第 2 条的链接不符（记录被删除后重新编号，或被替换）");
    assert_string_equal(p.text[1], "第 5 条之前缺少记录（序号 4 被删除）");
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
    rewrite(fx, 5, 5); /* the content fits its hash again; the head does not */
    struct problems p;
    int64_t checked;
    assert_int_equal(run_verify(fx, &p, &checked), 1);
    assert_string_equal(p.text[0], "第 5 条的哈希与链头登记不符（记录被替换）");
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
        cmocka_unit_test(test_serialization_is_length_prefixed_and_stable),
        cmocka_unit_test(test_fields_cannot_run_into_each_other),
        cmocka_unit_test(test_time_format_and_parse),
        cmocka_unit_test(test_chain_in_memory),
        cmocka_unit_test_setup_teardown(test_append_needs_a_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intact_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_altered_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_and_renumbered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaced_tail_and_missing_head, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rehashed_tail_differs_from_head, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
