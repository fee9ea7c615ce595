/*
 * audit_chain.h — the audit trail (留痕) as a hash chain, without I/O.
 *
 * Every write appends one record; record n carries the hash of record n-1
 * (prev_hash) and its own hash over a canonical serialisation of all its
 * fields, so changing, deleting or re-linking a stored record breaks the
 * chain at a place the verifier can name. store/audit.c keeps the records
 * in SQL; this file only serialises, hashes and checks a sequence of them.
 */
#ifndef JICENG_AUDIT_CHAIN_H
#define JICENG_AUDIT_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define AUDIT_HASH_HEX 64 /* hex digits of a SHA-256 */
#define AUDIT_TIME_LEN 24 /* "2026-11-23T09:41:07.123Z" */
#define AUDIT_USER_MAX 64 /* bytes of a login name */

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

/* A stored record: the entry plus its place in the chain. Strings are
 * borrowed from the caller. */
struct audit_record {
    int64_t seq; /* 1, 2, 3 … without gaps */
    const char *at;
    struct audit_entry e;
    const char *prev_hash; /* hex; AUDIT_ZERO_HASH for seq 1 */
    const char *hash;      /* hex SHA-256 of audit_serialize(record) */
};

extern const char AUDIT_ZERO_HASH[AUDIT_HASH_HEX + 1];

/* Appends the canonical serialisation of r (everything except r->hash)
 * to out. Format, version 1:
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
/* Lower-case hex SHA-256 of audit_serialize(r) into out (65 bytes). */
void audit_hash(const struct audit_record *r, char out[AUDIT_HASH_HEX + 1]);
/* Formats ms since the epoch as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void audit_time_format(int64_t ms, char out[AUDIT_TIME_LEN + 1]);
/* Parses a date "YYYY-MM-DD" or datetime "YYYY-MM-DDTHH:MM[:SS[.f…]]"
 * (also with a space for T), optionally ending in Z or ±HH:MM (UTC when
 * absent), into the stored format for comparison. False if malformed. */
bool audit_time_parse(const char *s, char out[AUDIT_TIME_LEN + 1]);
/* True if s[0..n) is one valid JSON value. */
bool audit_json_valid(const char *s, size_t n);

/* Checks records fed in seq order. Each problem is reported once with the
 * seq it concerns and a Chinese sentence; the verifier compares each
 * record's prev_hash with the previous record's *stored* hash, so one
 * altered record yields one problem, not two. */
typedef void (*audit_report_fn)(void *ctx, int64_t seq, const char *problem);

struct audit_verifier {
    audit_report_fn report;
    void *ctx;
    int64_t last_seq; /* 0 before the first record */
    char last_hash[AUDIT_HASH_HEX + 1];
    int64_t checked;
    int problems;
};

void audit_verify_init(struct audit_verifier *v, audit_report_fn report, void *ctx);
void audit_verify_next(struct audit_verifier *v, const struct audit_record *r);
/* Compares the end of the chain with the head recorded beside it (the
 * latest seq and hash, written in the same transaction as each record),
 * which is what reveals deleted records at the end. has_head false means
 * no head was found. */
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
