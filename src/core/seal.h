/*
 * seal.h — field encryption and keyed lookup hashes for personal data.
 *
 * A sealed value is a text token "v1:" + base64url (no padding) of
 * nonce (24 bytes) || XSalsa20-Poly1305 ciphertext (libsodium
 * crypto_secretbox), so it fits a TEXT column and is authenticated: a
 * wrong key or any change to the token fails to open. The version prefix
 * leaves room for a later algorithm or key.
 *
 * Random nonces make equal values seal differently, so exact-match search
 * uses seal_lookup_hash instead: keyed BLAKE2b-256 of the normalized value,
 * useless without the key.
 *
 * Both keys derive from one 32-byte master key (app/keyfile.h keeps it).
 * Pure given a key; the caller owns every returned string (free()).
 */
#ifndef JICENG_SEAL_H
#define JICENG_SEAL_H

#include <stddef.h>

#include "base/err.h"

#define SEAL_KEY_BYTES  32
#define SEAL_HASH_HEX   65         /* 64 hex digits + NUL */
#define SEAL_PLAIN_MAX  (1u << 20) /* larger values are not fields */
#define SEAL_TOKEN_PREF "v1:"

struct seal_key {
    unsigned char enc[SEAL_KEY_BYTES]; /* crypto_secretbox key */
    unsigned char mac[SEAL_KEY_BYTES]; /* crypto_generichash key */
};

/* Derives both subkeys from the master key (crypto_kdf). ERR_INTERNAL only
 * if libsodium cannot initialise. */
int seal_key_derive(const unsigned char master[SEAL_KEY_BYTES], struct seal_key *out,
                    struct err *err);
/* Overwrites the key with zeros in a way the compiler cannot drop. */
void seal_key_wipe(struct seal_key *k);

/* Seals len bytes of plain into a malloc'd NUL-terminated token.
 * ERR_TOO_LARGE above SEAL_PLAIN_MAX. */
int seal_encrypt(const struct seal_key *k, const char *plain, size_t len, char **out,
                 struct err *err);
/* Opens a token into a malloc'd, NUL-terminated plaintext of *out_len bytes
 * (out_len may be NULL). ERR_INVALID when the token is malformed, or was
 * sealed with another key or altered. */
int seal_decrypt(const struct seal_key *k, const char *token, char **out, size_t *out_len,
                 struct err *err);
/* Hex of keyed BLAKE2b-256 over plain: equal inputs, equal hashes. */
void seal_lookup_hash(const struct seal_key *k, const char *plain, size_t len,
                      char out[SEAL_HASH_HEX]);

#endif
