/* test_pii.c — personal data: ID and phone checks and masks (core/pii.c),
 * sealed tokens and lookup hashes (core/seal.c), the key file
 * (app/keyfile.c). */
#include "testing.h"

#include "app/keyfile.h"
#include "core/pii.h"
#include "core/seal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define TODAY 20240615L

/* Completes 17 digits with their ISO 7064 MOD 11-2 check character, so
 * the tests state the rule independently of pii.c. */
static const char *with_check(const char *first17)
{
    static char id[19];
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * w[i];
    snprintf(id, sizeof id, "%.17s%c", first17, "10X98765432"[sum % 11]);
    return id;
}

static struct err e;

static int id_at(const char *s, long today)
{
    err_clear(&e);
    return pii_idcard_check_at(s, strlen(s), today, &e);
}

static int id(const char *s)
{
    return id_at(s, TODAY);
}

static void test_idcard_valid(void **state)
{
    (void)state;
    assert_string_equal(with_check("11010519491231002"), "11010519491231002X");
    assert_int_equal(id("11010519491231002X"), ERR_OK);
    assert_int_equal(id("11010519491231002x"), ERR_OK);
    assert_int_equal(id(with_check("41032919850101123")), ERR_OK);
    assert_int_equal(id(with_check("65010220240615001")), ERR_OK); /* born today */
    assert_int_equal(id(with_check("81000019000101001")), ERR_OK); /* Hong Kong, 1900 */
    assert_int_equal(pii_idcard_check("11010519491231002X", 18, &e), ERR_OK);
    char out[PII_IDCARD_LEN + 1];
    assert_int_equal(pii_idcard_normalize(" 11010519491231002x\t", 20, out, &e), ERR_OK);
    assert_string_equal(out, "11010519491231002X");
}

static void test_idcard_invalid(void **state)
{
    (void)state;
    assert_int_equal(id("11010519491231002"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "长度"));
    assert_int_equal(id("11010519491231002X1"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "长度"));
    assert_int_equal(id(""), ERR_INVALID);
    assert_int_equal(id("1101051949123100XX"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "含非法字符"));
    assert_int_equal(id("11010519491231002Y"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "含非法字符"));
    assert_int_equal(id("11010519491231 02X"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "含非法字符"));
    assert_int_equal(id("110105194912310021"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "校验码"));
    assert_int_equal(id("11010519491231003X"), ERR_INVALID); /* one digit mistyped */
    assert_non_null(strstr(e.msg, "校验码"));
    /* the message never quotes the number */
    assert_null(strstr(e.msg, "110105"));
    char out[PII_IDCARD_LEN + 1];
    assert_int_equal(pii_idcard_normalize("11010519491231002", 17, out, &e), ERR_INVALID);
}

static void test_idcard_region(void **state)
{
    (void)state;
    static const char *bad[] = {"00", "10", "16", "20", "24", "38", "47", "55", "66", "72", "91"};
    char first17[18];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(first17, sizeof first17, "%s010519800101001", bad[i]);
        assert_int_equal(id(with_check(first17)), ERR_INVALID);
        assert_non_null(strstr(e.msg, "地区代码"));
    }
    static const char *good[] = {"11", "15", "21", "23", "31", "37", "41", "46",
                                 "50", "54", "61", "65", "71", "81", "82"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(first17, sizeof first17, "%s010519800101001", good[i]);
        assert_int_equal(id(with_check(first17)), ERR_OK);
    }
}

static void test_idcard_birth_date(void **state)
{
    (void)state;
    assert_int_equal(id(with_check("41032920000229001")), ERR_OK); /* 2000: leap */
    assert_int_equal(id(with_check("41032920240229001")), ERR_OK);
    assert_int_equal(id(with_check("41032919000229001")), ERR_INVALID); /* 1900: not leap */
    assert_non_null(strstr(e.msg, "出生日期"));
    assert_int_equal(id(with_check("41032920230229001")), ERR_INVALID);
    assert_non_null(strstr(e.msg, "出生日期"));
    static const char *bad[] = {"19800001", "19801301", "19800100", "19800132",
                                "19800431", "18991231", "00000101"};
    char first17[18];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(first17, sizeof first17, "410329%s001", bad[i]);
        assert_int_equal(id(with_check(first17)), ERR_INVALID);
        assert_non_null(strstr(e.msg, "出生日期"));
    }
    /* the future: one day after today, and any date with the real clock */
    assert_int_equal(id(with_check("41032920240616001")), ERR_INVALID);
    assert_non_null(strstr(e.msg, "晚于今天"));
    assert_int_equal(id_at(with_check("41032920240616001"), 20240616), ERR_OK);
    const char *future = with_check("41032999991231001");
    assert_int_equal(pii_idcard_check(future, 18, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "出生日期"));
}

static int phone(const char *s)
{
    err_clear(&e);
    return pii_phone_check(s, strlen(s), &e);
}

static int norm(const char *s, char out[PII_PHONE_LEN + 1])
{
    err_clear(&e);
    memset(out, 0, PII_PHONE_LEN + 1);
    return pii_phone_normalize(s, strlen(s), out, &e);
}

static void test_phone(void **state)
{
    (void)state;
    assert_int_equal(phone("13812345678"), ERR_OK);
    assert_int_equal(phone("19912345678"), ERR_OK);
    assert_int_equal(phone("1381234567"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "长度"));
    assert_int_equal(phone("138123456789"), ERR_INVALID);
    assert_int_equal(phone(""), ERR_INVALID);
    assert_int_equal(phone("1381234567a"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "含非法字符"));
    assert_int_equal(phone("12812345678"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "号段"));
    assert_int_equal(phone("23812345678"), ERR_INVALID);
    assert_int_equal(phone("+8613812345"), ERR_INVALID); /* prefixes only via normalize */

    char out[PII_PHONE_LEN + 1];
    assert_int_equal(norm("13812345678", out), ERR_OK);
    assert_string_equal(out, "13812345678");
    assert_int_equal(norm("+86 138-1234-5678", out), ERR_OK);
    assert_string_equal(out, "13812345678");
    assert_int_equal(norm("+8613812345678", out), ERR_OK);
    assert_string_equal(out, "13812345678");
    assert_int_equal(norm("8613812345678", out), ERR_OK);
    assert_string_equal(out, "13812345678");
    assert_int_equal(norm("138 1234 5678", out), ERR_OK);
    assert_string_equal(out, "13812345678");
    assert_int_equal(norm("+85261234567", out), ERR_INVALID);
    assert_non_null(strstr(e.msg, "+86"));
    assert_int_equal(norm("008613812345678", out), ERR_INVALID);
    assert_int_equal(norm("+86 12812345678", out), ERR_INVALID);
    assert_non_null(strstr(e.msg, "号段"));
    assert_int_equal(norm("86138123456789", out), ERR_INVALID);
    assert_int_equal(norm("1381234567812345678901234567890", out), ERR_INVALID);
    assert_non_null(strstr(e.msg, "长度"));
    assert_int_equal(norm("138１2345678", out), ERR_INVALID); /* full-width digit */
    assert_int_equal(norm("", out), ERR_INVALID);
    assert_int_equal(norm(" - ", out), ERR_INVALID);
    assert_string_equal(out, ""); /* nothing written on failure */
}

static const char *mask_id(const char *s, size_t cap)
{
    static char out[64];
    memset(out, '#', sizeof out);
    pii_mask_idcard(s, strlen(s), out, cap);
    return out;
}

static const char *mask_phone(const char *s, size_t cap)
{
    static char out[64];
    memset(out, '#', sizeof out);
    pii_mask_phone(s, strlen(s), out, cap);
    return out;
}

static void test_masks(void **state)
{
    (void)state;
    assert_string_equal(mask_id("410329198501011234", 64), "410329********1234");
    assert_string_equal(mask_id("11010519491231002X", 64), "110105********002X");
    assert_string_equal(mask_id("410329850101123", 64), "410**********23"); /* 15 digits */
    assert_string_equal(mask_id("4103298501", 64), "410*****01");
    assert_string_equal(mask_id("410329850", 64), "*********");
    assert_string_equal(mask_id("", 64), "");
    assert_string_equal(mask_id("410329198501011234", 10), "410329***");
    assert_string_equal(mask_id("410329198501011234", 1), "");
    assert_string_equal(mask_id("身份证号码", 64), "***************");
    char untouched = '#';
    pii_mask_idcard("410329198501011234", 18, &untouched, 0);
    assert_int_equal(untouched, '#');

    assert_string_equal(mask_phone("13812345678", 64), "138****5678");
    assert_string_equal(mask_phone("13812345678", 12), "138****5678");
    assert_string_equal(mask_phone("13812345678", 5), "138*");
    assert_string_equal(mask_phone("1381234567", 64), "138*****67");
    assert_string_equal(mask_phone("+8613812345678", 64), "*86*********78"); /* only [0-9A-Za-z] */
    assert_string_equal(mask_phone("1234567", 64), "*******");
    assert_string_equal(mask_phone("电话13812345678", 64), "***************78"); /* 17 bytes */
}

static void test_masks_never_reveal_much(void **state)
{
    (void)state;
    char in[40], out[64];
    for (size_t len = 0; len < sizeof in; len++) {
        memset(in, '7', len);
        pii_mask_idcard(in, len, out, sizeof out);
        assert_int_equal(strlen(out), len);
        size_t shown = 0;
        for (size_t i = 0; i < len; i++)
            shown += out[i] != '*';
        assert_true(shown <= 10);
        assert_true(len < 10 ? shown == 0 : shown <= len / 2 + 1);
        pii_mask_phone(in, len, out, sizeof out);
        shown = 0;
        for (size_t i = 0; i < len; i++)
            shown += out[i] != '*';
        assert_true(shown <= 7);
        assert_true(len < 10 ? shown == 0 : shown < len);
    }
}

static void key_from(unsigned char fill, struct seal_key *k)
{
    unsigned char master[SEAL_KEY_BYTES];
    memset(master, fill, sizeof master);
    assert_int_equal(seal_key_derive(master, k, &e), ERR_OK);
}

static void roundtrip(const struct seal_key *k, const char *plain, size_t len)
{
    char *token = NULL, *back = NULL;
    size_t back_len = 99;
    assert_int_equal(seal_encrypt(k, plain, len, &token, &e), ERR_OK);
    assert_true(strncmp(token, "v1:", 3) == 0);
    assert_int_equal(strspn(token + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_"),
                     strlen(token + 3));
    assert_int_equal(seal_decrypt(k, token, &back, &back_len, &e), ERR_OK);
    assert_int_equal(back_len, len);
    if (len) assert_memory_equal(back, plain, len);
    assert_int_equal(back[len], '\0');
    free(token);
    free(back);
}

static void test_seal_roundtrip(void **state)
{
    (void)state;
    struct seal_key k;
    key_from(1, &k);
    assert_memory_not_equal(k.enc, k.mac, SEAL_KEY_BYTES);
    roundtrip(&k, "", 0);
    roundtrip(&k, NULL, 0);
    roundtrip(&k, "11010519491231002X", 18);
    const char *zh = "张三，河南省舞阳县北舞渡镇；电话 13812345678";
    roundtrip(&k, zh, strlen(zh));
    roundtrip(&k, "a\0b", 3); /* binary-safe */

    char *t1, *t2, *back;
    assert_int_equal(seal_encrypt(&k, "13812345678", 11, &t1, &e), ERR_OK);
    assert_int_equal(seal_encrypt(&k, "13812345678", 11, &t2, &e), ERR_OK);
    assert_string_not_equal(t1, t2); /* random nonce */
    assert_int_equal(seal_decrypt(&k, t2, &back, NULL, &e), ERR_OK);
    assert_string_equal(back, "13812345678");
    free(t1);
    free(t2);
    free(back);

    char *big = calloc(1, SEAL_PLAIN_MAX + 1);
    assert_non_null(big);
    char *tok = (char *)1;
    assert_int_equal(seal_encrypt(&k, big, SEAL_PLAIN_MAX + 1, &tok, &e), ERR_TOO_LARGE);
    assert_null(tok);
    free(big);
}

static int open_token(const struct seal_key *k, const char *token)
{
    char *back = (char *)1;
    size_t len = 99;
    err_clear(&e);
    int rc = seal_decrypt(k, token, &back, &len, &e);
    if (rc) {
        assert_null(back);
        assert_int_equal(len, 0);
    }
    free(back);
    return rc;
}

static void test_seal_rejects(void **state)
{
    (void)state;
    struct seal_key k, other;
    key_from(1, &k);
    key_from(2, &other);
    char *token;
    assert_int_equal(seal_encrypt(&k, "张三", strlen("张三"), &token, &e), ERR_OK);

    assert_int_equal(open_token(&other, token), ERR_INVALID);
    assert_non_null(strstr(e.msg, "无法解密"));

    /* every single-character change is caught */
    char *bad = strdup(token);
    assert_non_null(bad);
    for (size_t i = 3; bad[i]; i++) {
        char was = bad[i];
        bad[i] = was == 'A' ? 'B' : 'A';
        assert_int_equal(open_token(&k, bad), ERR_INVALID);
        bad[i] = was;
    }
    assert_int_equal(open_token(&k, bad), ERR_OK);
    bad[strlen(bad) - 1] = '\0'; /* truncated */
    assert_int_equal(open_token(&k, bad), ERR_INVALID);
    free(bad);

    assert_int_equal(open_token(&k, token + 1), ERR_INVALID); /* "1:…" */
    assert_non_null(strstr(e.msg, "v1:"));
    assert_int_equal(open_token(&k, ""), ERR_INVALID);
    assert_int_equal(open_token(&k, "v2:AAAA"), ERR_INVALID);
    assert_int_equal(open_token(&k, "V1:AAAA"), ERR_INVALID);
    assert_int_equal(open_token(&k, "v1:"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "过短"));
    assert_int_equal(open_token(&k, "v1:AAAA"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "过短"));
    assert_int_equal(open_token(&k, "v1:!!!!"), ERR_INVALID);
    assert_non_null(strstr(e.msg, "base64"));
    assert_int_equal(open_token(&k, "v1:AAAA="), ERR_INVALID);     /* padding */
    assert_int_equal(open_token(&k, "v1:AA+/AAAA"), ERR_INVALID);  /* not URL-safe */
    assert_int_equal(open_token(&k, "v1:AAAA AAAA"), ERR_INVALID); /* space */
    assert_int_equal(open_token(&k, "v1:A"), ERR_INVALID);         /* impossible length */
    size_t n = strlen(token);
    char *trail = calloc(1, n + 2);
    assert_non_null(trail);
    snprintf(trail, n + 2, "%s\n", token);
    assert_int_equal(open_token(&k, trail), ERR_INVALID);
    free(trail);
    free(token);
}

static void test_lookup_hash(void **state)
{
    (void)state;
    struct seal_key k, other;
    key_from(1, &k);
    key_from(2, &other);
    char h1[SEAL_HASH_HEX], h2[SEAL_HASH_HEX], h3[SEAL_HASH_HEX], h4[SEAL_HASH_HEX];
    seal_lookup_hash(&k, "13812345678", 11, h1);
    seal_lookup_hash(&k, "13812345678", 11, h2);
    seal_lookup_hash(&other, "13812345678", 11, h3);
    seal_lookup_hash(&k, "13812345679", 11, h4);
    assert_int_equal(strlen(h1), 64);
    assert_int_equal(strspn(h1, "0123456789abcdef"), 64);
    assert_string_equal(h1, h2);
    assert_string_not_equal(h1, h3);
    assert_string_not_equal(h1, h4);
    seal_lookup_hash(&k, NULL, 0, h4);
    assert_int_equal(strlen(h4), 64);
    /* the hash key is not the encryption key, nor the plain hash */
    struct seal_key swapped = k;
    memcpy(swapped.mac, k.enc, SEAL_KEY_BYTES);
    seal_lookup_hash(&swapped, "13812345678", 11, h3);
    assert_string_not_equal(h1, h3);
    seal_key_wipe(&k);
    static const struct seal_key zero;
    assert_memory_equal(&k, &zero, sizeof k);
}

/* Key files live in a fresh temporary directory per test. */
struct kf {
    char dir[64], path[128];
};

static int kf_setup(void **state)
{
    struct kf *kf = calloc(1, sizeof *kf);
    assert_non_null(kf);
    snprintf(kf->dir, sizeof kf->dir, "/tmp/jiceng-pii-XXXXXX");
    assert_non_null(mkdtemp(kf->dir));
    snprintf(kf->path, sizeof kf->path, "%s/secret.key", kf->dir);
    *state = kf;
    return 0;
}

static int kf_teardown(void **state)
{
    struct kf *kf = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", kf->dir);
    assert_int_equal(system(cmd), 0);
    free(kf);
    return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static int files_in(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
    return system(cmd) == 0 ? 1 : 0;
}

static void test_keyfile_create_and_load(void **state)
{
    struct kf *kf = *state;
    struct seal_key k1, k2;
    err_clear(&e);
    assert_int_equal(keyfile_load(kf->path, false, &k1, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, kf->path));
    assert_int_equal(access(kf->path, F_OK), -1); /* not created */

    assert_int_equal(keyfile_load(kf->path, true, &k1, &e), ERR_OK);
    struct stat st;
    assert_int_equal(stat(kf->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    assert_int_equal(files_in(kf->dir), 1); /* the temporary file is gone */

    assert_int_equal(keyfile_load(kf->path, false, &k2, &e), ERR_OK);
    assert_memory_equal(&k1, &k2, sizeof k1);
    assert_int_equal(keyfile_load(kf->path, true, &k2, &e), ERR_OK); /* never replaced */
    assert_memory_equal(&k1, &k2, sizeof k1);

    /* a value sealed before a restart opens after it */
    char *token, *back;
    assert_int_equal(seal_encrypt(&k1, "13812345678", 11, &token, &e), ERR_OK);
    assert_int_equal(seal_decrypt(&k2, token, &back, NULL, &e), ERR_OK);
    assert_string_equal(back, "13812345678");
    free(token);
    free(back);

    /* a second directory gets a different key */
    void *fx = NULL;
    kf_setup(&fx);
    assert_int_equal(keyfile_load(((struct kf *)fx)->path, true, &k2, &e), ERR_OK);
    assert_memory_not_equal(&k1, &k2, sizeof k1);
    kf_teardown(&fx);
}

static void test_keyfile_refuses(void **state)
{
    struct kf *kf = *state;
    struct seal_key k;
    const char *hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    char text[80];

    snprintf(text, sizeof text, "%s\n", hex);
    write_file(kf->path, text, 0600);
    assert_int_equal(keyfile_load(kf->path, false, &k, &e), ERR_OK);
    write_file(kf->path, hex, 0400); /* no newline, read-only: fine */
    assert_int_equal(keyfile_load(kf->path, false, &k, &e), ERR_OK);

    static const mode_t loose[] = {0644, 0640, 0604, 0620, 0602, 0610};
    for (size_t i = 0; i < sizeof loose / sizeof loose[0]; i++) {
        write_file(kf->path, text, loose[i]);
        err_clear(&e);
        assert_int_equal(keyfile_load(kf->path, true, &k, &e), ERR_INVALID);
        assert_non_null(strstr(e.msg, kf->path));
        assert_non_null(strstr(e.msg, "权限"));
    }

    static const char *malformed[] = {
        "",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1\n", /* 63 */
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0\n",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n\n",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g\n",
        " 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\r\n",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        write_file(kf->path, malformed[i], 0600);
        err_clear(&e);
        assert_int_equal(keyfile_load(kf->path, true, &k, &e), ERR_INVALID);
        assert_non_null(strstr(e.msg, kf->path));
        assert_non_null(strstr(e.msg, "格式无效"));
        static const struct seal_key zero;
        assert_memory_equal(&k, &zero, sizeof k); /* nothing half-loaded */
    }

    unlink(kf->path);
    assert_int_equal(mkdir(kf->path, 0700), 0);
    assert_int_equal(keyfile_load(kf->path, true, &k, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "普通文件"));
    rmdir(kf->path);

    char missing_dir[200];
    snprintf(missing_dir, sizeof missing_dir, "%s/no/such/secret.key", kf->dir);
    assert_int_equal(keyfile_load(missing_dir, true, &k, &e), ERR_IO);
}

static void test_keyfile_path(void **state)
{
    (void)state;
    struct config cfg;
    config_defaults(&cfg);
    snprintf(cfg.data, sizeof cfg.data, "/srv/jiceng");
    char path[256];
    keyfile_path(&cfg, path, sizeof path);
    assert_string_equal(path, "/srv/jiceng/secret.key");
    err_clear(&e);
    assert_int_equal(config_set(&cfg, "key_file", "/etc/jiceng/key", CONFIG_FLAG, &e), ERR_OK);
    keyfile_path(&cfg, path, sizeof path);
    assert_string_equal(path, "/etc/jiceng/key");
}

/* ---- free text ---- */

static char *masked(const char *text, size_t *count)
{
    static char out[512];
    struct buf b = BUF_INIT;
    *count = pii_mask_text(text, strlen(text), &b);
    snprintf(out, sizeof out, "%s", b.p ? b.p : "");
    buf_free(&b);
    return out;
}

static void test_free_text_masked(void **state)
{
    (void)state;
    char id[19], text[256];
    snprintf(id, sizeof id, "%s", with_check("41032919850101123"));
    static const struct {
        const char *in, *out;
        size_t n;
    } cases[] = {
        {"请联系13812345678，谢谢", "请联系138****5678，谢谢", 1},
        {"电话：138 1234 5678。", "电话：138****5678。", 1},
        {"电话 138-1234-5678", "电话 138****5678", 1},
        {"+8613812345678 或 86 139 0000 1111", "+86138****5678 或 86 139****1111", 2},
        {"手机１３８１２３４５６７８", "手机138****5678", 1}, /* full-width digits */
        {"身份证11010519491231002X，户主", "身份证110105********002X，户主", 1},
        {"身份证11010519491231002x。", "身份证110105********002X。", 1},
        {"a13812345678b", "a138****5678b", 1},
        /* not numbers of a person: left alone */
        {"电话138123456789", "电话138123456789", 0},       /* 12 digits */
        {"编号213812345678", "编号213812345678", 0},       /* a digit before */
        {"单位411121100201001", "单位411121100201001", 0}, /* a grid's code */
        {"12812345678", "12812345678", 0},                 /* no such mobile prefix */
        {"0395-12345678", "0395-12345678", 0},             /* a landline */
        {"11010519491231003X", "11010519491231003X", 0},   /* check character wrong */
        {"金额 1,381,234,567 元", "金额 1,381,234,567 元", 0},
        {"2026-10-11 13:45", "2026-10-11 13:45", 0},
        {"", "", 0},
    };
    size_t n;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(masked(cases[i].in, &n), cases[i].out);
        assert_int_equal(n, cases[i].n);
    }
    /* an ID with spaces between its groups, and one beside a phone */
    snprintf(text, sizeof text, "%.6s %.8s %.4s;13912345678", id, id + 6, id + 14);
    char want[128];
    snprintf(want, sizeof want, "%.6s********%.4s;139****5678", id, id + 14);
    assert_string_equal(masked(text, &n), want);
    assert_int_equal(n, 2);
    /* a future birth date is not today's business: masked all the same */
    const char *future = with_check("41032920991231123");
    snprintf(want, sizeof want, "410329********%s", future + 14);
    assert_string_equal(masked(future, &n), want);
}

static void test_free_text_find(void **state)
{
    (void)state;
    const char *t = "张三 138 1234 5678 李四13900001111";
    struct pii_match m;
    assert_true(pii_find(t, strlen(t), 0, &m));
    assert_int_equal(m.kind, PII_PHONE);
    assert_string_equal(m.value, "13812345678");
    assert_int_equal(m.start, strlen("张三 "));
    assert_int_equal(m.end, strlen("张三 138 1234 5678"));
    assert_true(pii_find(t, strlen(t), m.end, &m));
    assert_string_equal(m.value, "13900001111");
    assert_false(pii_find(t, strlen(t), m.end, &m));
    /* double separators, or a separator at the end, end the number */
    assert_false(pii_find("138  1234 5678", 14, 0, &m));
    assert_true(pii_find("13812345678-", 12, 0, &m));
    /* any bytes: never past the end */
    char junk[64];
    for (int seed = 0; seed < 2000; seed++) {
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = "1389 -\xEF\xBC\x91X"[(seed * 7 + i * 13 + (size_t)seed / 3) % 10];
        size_t from = 0;
        while (pii_find(junk, sizeof junk, from, &m)) {
            assert_true(m.start >= from && m.end <= sizeof junk && m.start < m.end);
            from = m.end;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idcard_valid),
        cmocka_unit_test(test_idcard_invalid),
        cmocka_unit_test(test_idcard_region),
        cmocka_unit_test(test_idcard_birth_date),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_masks_never_reveal_much),
        cmocka_unit_test(test_free_text_masked),
        cmocka_unit_test(test_free_text_find),
        cmocka_unit_test(test_seal_roundtrip),
        cmocka_unit_test(test_seal_rejects),
        cmocka_unit_test(test_lookup_hash),
        cmocka_unit_test_setup_teardown(test_keyfile_create_and_load, kf_setup, kf_teardown),
        cmocka_unit_test_setup_teardown(test_keyfile_refuses, kf_setup, kf_teardown),
        cmocka_unit_test(test_keyfile_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
