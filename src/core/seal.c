/*
 * seal.c — see seal.h. All the cryptography is libsodium's; this file only
 * fixes the token format and keeps plaintext out of freed memory.
 */
#include "core/seal.h"
#include "base/mem.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define PREFIX_LEN  (sizeof SEAL_TOKEN_PREF - 1)
#define OVERHEAD    (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)

/* The KDF context names the purpose, so these subkeys can never collide
 * with keys a later feature derives from the same master key. */
static const char kdf_context[crypto_kdf_CONTEXTBYTES] = {'j', 'c', 'p', 'i', 'i', 'v', '1', '0'};
enum { SUBKEY_ENC = 1, SUBKEY_MAC = 2 };

static int ensure_init(struct err *err)
{
    if (sodium_init() < 0) return err_set(err, ERR_INTERNAL, "无法初始化加密库 libsodium");
    return ERR_OK;
}

int seal_key_derive(const unsigned char master[SEAL_KEY_BYTES], struct seal_key *out,
                    struct err *err)
{
    int rc = ensure_init(err);
    if (rc) return rc;
    if (crypto_kdf_derive_from_key(out->enc, sizeof out->enc, SUBKEY_ENC, kdf_context, master) ||
        crypto_kdf_derive_from_key(out->mac, sizeof out->mac, SUBKEY_MAC, kdf_context, master)) {
        seal_key_wipe(out);
        return err_set(err, ERR_INTERNAL, "密钥派生失败");
    }
    return ERR_OK;
}

void seal_key_wipe(struct seal_key *k)
{
    if (k) sodium_memzero(k, sizeof *k);
}

int seal_encrypt(const struct seal_key *k, const char *plain, size_t len, char **out,
                 struct err *err)
{
    *out = NULL;
    int rc = ensure_init(err);
    if (rc) return rc;
    if (len > SEAL_PLAIN_MAX)
        return err_set(err, ERR_TOO_LARGE, "待加密的内容过长（%zu 字节）", len);
    size_t bin_len = OVERHEAD + len;
    unsigned char *bin = xmalloc(bin_len);
    randombytes_buf(bin, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(bin + crypto_secretbox_NONCEBYTES,
                          (const unsigned char *)(len ? plain : ""), len, bin, k->enc);
    size_t b64_cap = sodium_base64_ENCODED_LEN(bin_len, B64_VARIANT);
    char *token = xmalloc(PREFIX_LEN + b64_cap);
    memcpy(token, SEAL_TOKEN_PREF, PREFIX_LEN);
    sodium_bin2base64(token + PREFIX_LEN, b64_cap, bin, bin_len, B64_VARIANT);
    free(bin); /* ciphertext only: nothing to wipe */
    *out = token;
    return ERR_OK;
}

int seal_decrypt(const struct seal_key *k, const char *token, char **out, size_t *out_len,
                 struct err *err)
{
    *out = NULL;
    if (out_len) *out_len = 0;
    int rc = ensure_init(err);
    if (rc) return rc;
    size_t tlen = strlen(token);
    if (tlen < PREFIX_LEN || memcmp(token, SEAL_TOKEN_PREF, PREFIX_LEN) != 0)
        return err_set(err, ERR_INVALID, "加密数据格式无效：缺少版本前缀 v1:");
    const char *b64 = token + PREFIX_LEN;
    size_t b64_len = tlen - PREFIX_LEN;
    if (b64_len > sodium_base64_ENCODED_LEN(OVERHEAD + SEAL_PLAIN_MAX, B64_VARIANT))
        return err_set(err, ERR_INVALID, "加密数据格式无效：长度超出上限");
    size_t bin_cap = b64_len / 4 * 3 + 3, bin_len = 0;
    unsigned char *bin = xmalloc(bin_cap);
    /* b64_end NULL: the whole text must be base64, nothing may trail */
    if (sodium_base642bin(bin, bin_cap, b64, b64_len, NULL, &bin_len, NULL, B64_VARIANT) != 0) {
        free(bin);
        return err_set(err, ERR_INVALID, "加密数据格式无效：不是合法的 base64 编码");
    }
    if (bin_len < OVERHEAD) {
        free(bin);
        return err_set(err, ERR_INVALID, "加密数据格式无效：数据过短");
    }
    size_t plain_len = bin_len - OVERHEAD;
    unsigned char *plain = xmalloc(plain_len + 1);
    if (crypto_secretbox_open_easy(plain, bin + crypto_secretbox_NONCEBYTES,
                                   bin_len - crypto_secretbox_NONCEBYTES, bin, k->enc) != 0) {
        free(bin);
        free(plain); /* nothing was written: open fails before decrypting */
        return err_set(err, ERR_INVALID, "无法解密：密钥不匹配或数据已被篡改");
    }
    free(bin);
    plain[plain_len] = '\0';
    *out = (char *)plain;
    if (out_len) *out_len = plain_len;
    return ERR_OK;
}

void seal_lookup_hash(const struct seal_key *k, const char *plain, size_t len,
                      char out[SEAL_HASH_HEX])
{
    unsigned char h[crypto_generichash_BYTES]; /* 32: BLAKE2b-256 */
    crypto_generichash(h, sizeof h, (const unsigned char *)(len ? plain : ""), len, k->mac,
                       sizeof k->mac);
    sodium_bin2hex(out, SEAL_HASH_HEX, h, sizeof h);
    sodium_memzero(h, sizeof h);
}
