/*
 * audit_chain.h — the audit trail (留痕) as a keyed hash chain, without I/O.
 *
 * Every write appends one record; record n carries the hash of record n-1
 * (prev_hash) and its own hash over a canonical serialisation of all its
 * fields, so changing, deleting or re-linking a stored record breaks the
 * chain at a place the verifier can name. store/audit.c keeps the records
 * in SQL; this file only serialises, hashes and checks a sequence of them.
 *
 * Two record formats, named by the first line of the serialisation:
 * jiceng-audit-1 (plain SHA-256, written before keys) stays readable;
 * every new record is jiceng-audit-2, a keyed BLAKE2b MAC whose key lives
 * outside the database (audit_keys_derive, from the key file), so someone
 * who can write the database cannot recompute a record. A chain may hold
 * format 1 then format 2, never format 1 after format 2.
 *
 * Checkpoints (audit_checkpoint_*) are signed lines "this chain had seq N
 * with hash H" kept outside the database (app/audit.c appends them to a
 * file and to syslog): records deleted at the end, a head reset, or a chain
 * recomputed in format 1 no longer match them.
 */
#ifndef JICENG_AUDIT_CHAIN_H
#define JICENG_AUDIT_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define AUDIT_HASH_HEX  64 /* hex digits of a SHA-256 or a BLAKE2b-256 MAC */
#define AUDIT_KEY_BYTES 32
#define AUDIT_FP_HEX    32 /* hex digits of a fingerprint (audit_fingerprint) */
#define AUDIT_TIME_LEN  24 /* "2026-11-23T09:41:07.123Z" */
#define AUDIT_USER_MAX  64 /* bytes of a login name */

/* What a write records. unit, before and after may be NULL (NULL is kept
 * distinct from ""); before/after are JSON text (the old and new state). */
struct audit_entry {
    const char *user;   /* login name, "" when anonymous */
    const char *action; /* e.g. "session.create", "user.create" */
    const char *entity; /* e.g. "user:zhangsan" */
    const char *unit;   /* unit code the change concerns */
    const char *before, *after;
    const char *client; /* IP address, or "cli" */
};

enum audit_format {
    AUDIT_FORMAT_PLAIN = 1, /* "jiceng-audit-1": SHA-256, anyone can recompute it */
    AUDIT_FORMAT_KEYED = 2, /* "jiceng-audit-2": BLAKE2b-256 keyed with audit_keys.record */
};

/* The keys of the trail, all derived from the master key file
 * (audit_keys_derive), none stored in the database. */
struct audit_keys {
    unsigned char record[AUDIT_KEY_BYTES];      /* MAC of format-2 records */
    unsigned char checkpoint[AUDIT_KEY_BYTES];  /* MAC of checkpoint lines */
    unsigned char fingerprint[AUDIT_KEY_BYTES]; /* audit_fingerprint */
};

/* Derives keys from the 32-byte master key (crypto_kdf, a context of its
 * own, so they differ from the personal-data keys). -1 only if libsodium
 * cannot start. */
int audit_keys_derive(const unsigned char master[AUDIT_KEY_BYTES], struct audit_keys *out);
/* Hex of a keyed BLAKE2b-128 of n bytes: what an after-image holds of a
 * value it must not show (a password hash) or need not repeat (a case row). */
void audit_fingerprint(const struct audit_keys *k, const char *s, size_t n,
                       char out[AUDIT_FP_HEX + 1]);

/* A stored record: the entry plus its place in the chain. Strings are
 * borrowed from the caller. */
struct audit_record {
    int64_t seq; /* 1, 2, 3 … without gaps */
    int format;  /* enum audit_format; anything else is reported by the verifier */
    const char *at;
    struct audit_entry e;
    const char *prev_hash; /* hex; AUDIT_ZERO_HASH for seq 1 */
    const char *hash;      /* hex hash or MAC of audit_serialize(record) */
};

extern const char AUDIT_ZERO_HASH[AUDIT_HASH_HEX + 1];

/* Appends the canonical serialisation of r (everything except r->hash)
 * to out. Format, version 1 (version 2 differs only in its first line,
 * "jiceng-audit-2"):
 *
 *     "jiceng-audit-1\n" then, for seq, at, user, action, entity, unit,
 *     before, after, client, prev_hash in this order:
 *         NULL      →  "-\n"
 *         text s    →  "<byte length of s in decimal>:" s "\n"
 *     (seq is written as decimal text)
 *
 * The length prefix makes it unambiguous whatever bytes a field holds,
 * and "-" can never start a length, so NULL differs from "". */
void audit_serialize(const struct audit_record *r, struct buf *out);
/* Lower-case hex of the record's hash into out (65 bytes): SHA-256 of
 * audit_serialize(r) for format 1, BLAKE2b-256 keyed with key (which must
 * not be NULL then) for format 2. */
void audit_hash(const struct audit_record *r, const unsigned char *key,
                char out[AUDIT_HASH_HEX + 1]);
/* Formats ms since the epoch as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void audit_time_format(int64_t ms, char out[AUDIT_TIME_LEN + 1]);
/* Parses a date "YYYY-MM-DD" or datetime "YYYY-MM-DDTHH:MM[:SS[.f…]]"
 * (also with a space for T), optionally ending in Z or ±HH:MM (UTC when
 * absent), into the stored format for comparison. False if malformed. */
bool audit_time_parse(const char *s, char out[AUDIT_TIME_LEN + 1]);
/* True if s[0..n) is one valid JSON value. */
bool audit_json_valid(const char *s, size_t n);

/* A signed checkpoint: the chain had record seq with this hash at `at`. */
struct audit_checkpoint {
    int64_t seq;
    char hash[AUDIT_HASH_HEX + 1];
    char at[AUDIT_TIME_LEN + 1];
};

#define AUDIT_CHECKPOINT_TAG "jiceng-checkpoint-1"
#define AUDIT_CHECKPOINT_MAX 256 /* bytes of a line, newline and NUL included */

/* One line "jiceng-checkpoint-1 seq=N head=HEX at=TIME mac=HEX\n" into out
 * (AUDIT_CHECKPOINT_MAX bytes); mac is BLAKE2b-256 keyed with
 * k->checkpoint over the line up to " mac=". */
void audit_checkpoint_format(const struct audit_keys *k, const struct audit_checkpoint *cp,
                             char out[AUDIT_CHECKPOINT_MAX]);
enum { AUDIT_CP_OK = 0, AUDIT_CP_NONE = 1, AUDIT_CP_BAD = 2 };
/* Reads a checkpoint from line[0..n) (without its newline); the tag may
 * follow anything, such as a syslog prefix. AUDIT_CP_NONE when the line
 * holds no tag, AUDIT_CP_BAD when it is malformed or its MAC is wrong. */
int audit_checkpoint_parse(const struct audit_keys *k, const char *line, size_t n,
                           struct audit_checkpoint *out);
/* Sorts checkpoints by seq (the order they are compared in). */
void audit_checkpoints_sort(struct audit_checkpoint *cps, size_t n);

/* Checks records fed in seq order. Each problem is reported once with the
 * seq it concerns and a Chinese sentence; the verifier compares each
 * record's prev_hash with the previous record's *stored* hash, so one
 * altered record yields one problem, not two. */
typedef void (*audit_report_fn)(void *ctx, int64_t seq, const char *problem);

struct audit_verifier {
    audit_report_fn report;
    void *ctx;
    const struct audit_keys *keys; /* NULL: format-2 records cannot be checked (reported) */
    /* checkpoints sorted by seq (audit_checkpoints_sort), borrowed; with
     * `prefix`, the chain is an earlier copy (a backup) and checkpoints
     * past its end are not missing records */
    const struct audit_checkpoint *cps;
    size_t ncps, cp_next;
    bool prefix;
    int64_t last_seq; /* 0 before the first record */
    char last_hash[AUDIT_HASH_HEX + 1];
    int last_format;
    int64_t checked, keyed; /* records seen, of which in format 2 */
    bool record_ok;         /* the last record's content matches its hash or MAC */
    int64_t cps_matched;    /* checkpoints whose record was found with their hash */
    int problems;
};

void audit_verify_init(struct audit_verifier *v, const struct audit_keys *keys,
                       audit_report_fn report, void *ctx);
void audit_verify_next(struct audit_verifier *v, const struct audit_record *r);
/* Compares the end of the chain with the head recorded beside it (the
 * latest seq and hash, written in the same transaction as each record),
 * which is what reveals deleted records at the end when nothing outside
 * the database says otherwise, then with the checkpoints past the last
 * record. has_head false means no head was found. An empty chain is a
 * problem: `jiceng init` records the administrator it creates. */
void audit_verify_end(struct audit_verifier *v, bool has_head, int64_t head_seq,
                      const char *head_hash);

/* Which records a reading of the trail returns. */
struct audit_filter {
    const char *unit;   /* subtree code; NULL or "" = all records */
    const char *user;   /* login name; NULL = anyone */
    const char *since;  /* at >= since (stored format, audit_time_parse); NULL = any */
    int64_t before_seq; /* seq < before_seq (cursor); 0 = no bound */
    int64_t limit;
};

#endif
