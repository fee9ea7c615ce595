/*
 * store.h — the one interface to persistent data.
 *
 * A store is a database (a SQLite file in the data directory, or
 * PostgreSQL) with a pool of connections. Callers take a connection with
 * store_acquire, call the typed store_* functions, and give it back with
 * store_release. No SQL exists outside src/store/.
 *
 * Opening a store applies pending migrations (src/store/sql/<backend>/
 * NNN_name.sql, embedded in the binary), each in its own transaction.
 */
#ifndef JICENG_STORE_H
#define JICENG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

struct store;

#define STORE_DB_FILE "jiceng.db"

/* Opens (or with `create`, creates) the database and migrates it: the
 * PostgreSQL database at db_url when that is a postgres:// URL, else (NULL
 * or "") the SQLite file in data_dir. ERR_NOT_FOUND if it does not exist
 * (PostgreSQL: has no schema yet) and !create; a PostgreSQL database itself
 * is never created here. */
int store_open(const char *data_dir, const char *db_url, bool create, int pool_size,
               struct store **out, struct err *err);
/* Whether db_url names a PostgreSQL database (postgres:// or postgresql://). */
bool store_url_is_postgres(const char *db_url);
void store_close(struct store *s);
/* Takes a connection, waiting while all are busy. Never NULL. */
struct db *store_acquire(struct store *s);
void store_release(struct store *s, struct db *db);
/* Highest applied migration. */
int store_schema_version(struct db *db, int *version, struct err *err);
/* Whether other processes may write the same database (PostgreSQL): then
 * caches follow their changes (store_listen) and counters live in it. */
bool store_shared(const struct store *s);
/* Starts following the change notices (db_notify) of other processes on
 * a shared store; *out stays NULL on SQLite. Stop with db_listener_stop. */
int store_listen(struct store *s, db_notify_fn fn, void *ctx, struct db_listener **out,
                 struct err *err);

/* ---- units ---- */

struct store_unit {
    const char *code;
    size_t code_len;
    const char *name;
    size_t name_len;
    int level; /* enum unit_level */
    int kind;  /* enum unit_kind */
};

/* Calls fn for every unit in code order (= depth-first pre-order); a
 * non-zero return from fn stops the scan and is returned. */
int store_units_each(struct db *db, int (*fn)(void *ctx, const struct store_unit *u), void *ctx,
                     struct err *err);
int store_units_insert(struct db *db, const struct store_unit *u, struct err *err);
/* Updates name and kind of an existing unit. */
int store_units_update(struct db *db, const struct store_unit *u, struct err *err);
int store_units_count(struct db *db, int64_t *n, struct err *err);
/* Many new units at once (db.h's bulk loading: COPY on PostgreSQL), in a
 * write transaction, parents before children: begin, a row per unit, then
 * db_copy_end(st, ok, err). */
int store_units_copy_begin(struct db *db, struct db_stmt **st, struct err *err);
int store_units_copy_row(struct db_stmt *st, const struct store_unit *u, struct err *err);

/* ---- roles, users, sessions, API tokens (users.c) ---- */

/* Calls fn once per (role, permission) row, roles by rank descending. */
int store_roles_each(struct db *db,
                     int (*fn)(void *ctx, const char *code, const char *name, int rank,
                               const char *perm),
                     void *ctx, struct err *err);

struct store_user {
    int64_t id;
    const char *username, *display_name, *role;
    const char *scope;        /* "" = the whole tree */
    const char *phone_sealed; /* NULL when none */
    const char *phone_hash;   /* NULL when none */
    const char *password_hash;
    bool disabled;
    int failed_logins;
    int64_t locked_until;                   /* unix seconds */
    const char *created_at, *last_login_at; /* last_login_at NULL until the first login */
};

/* Strings of *out are copied into `a`. ERR_NOT_FOUND when absent. */
int store_user_get(struct db *db, struct arena *a, const char *username, struct store_user *out,
                   struct err *err);
int store_user_by_id(struct db *db, struct arena *a, int64_t id, struct store_user *out,
                     struct err *err);
/* ERR_CONFLICT when the username is taken. Sets u->id. */
int store_user_insert(struct db *db, struct store_user *u, struct err *err);
/* Writes every mutable field of u (by id). */
int store_user_update(struct db *db, const struct store_user *u, struct err *err);
/* Users whose scope lies inside `scope` ("" = all), optionally matching q
 * in login or display name, ordered by login name after `after`. */
int store_users_list(struct db *db, struct arena *a, const char *scope, const char *q,
                     const char *after, int limit, int (*fn)(void *ctx, const struct store_user *u),
                     void *ctx, struct err *err);

int store_session_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
                         int64_t now, const char *client, struct err *err);
/* ERR_NOT_FOUND when there is no such session. */
int store_session_get(struct db *db, struct arena *a, const char *token_hash, int64_t *user_id,
                      const char **csrf, int64_t *last_seen, struct err *err);
int store_session_touch(struct db *db, const char *token_hash, int64_t now, struct err *err);
int store_session_delete(struct db *db, const char *token_hash, struct err *err);
/* Ends every session of a user (disabled, password or role changed). */
int store_sessions_delete_user(struct db *db, int64_t user_id, struct err *err);

/* Counts one attempt (a login, a public submission) from key in `minute`
 * (unix time / 60) and sets *count to the attempts of that minute so far,
 * from every process; one statement, its own transaction (call it outside
 * one). */
int store_attempt_count(struct db *db, const char *key, int64_t minute, int *count,
                        struct err *err);
/* Forgets the counts of minutes before `minute`. */
int store_attempts_expire(struct db *db, int64_t minute, struct err *err);

int store_token_insert(struct db *db, const char *token_hash, int64_t user_id, const char *label,
                       const char *created_at, int64_t *id, struct err *err);
/* ERR_NOT_FOUND when unknown; *revoked tells a revoked one. */
int store_token_get(struct db *db, const char *token_hash, int64_t *user_id, bool *revoked,
                    struct err *err);
/* ERR_NOT_FOUND when no unrevoked token has this id; *user_id is its owner. */
int store_token_revoke(struct db *db, int64_t id, const char *revoked_at, int64_t *user_id,
                       struct err *err);

/* ---- data elements, values and indicators (data.c) ---- */

#include "core/element.h"

/* ERR_CONFLICT when the code exists. */
int store_element_insert(struct db *db, const struct element *e, const char *by, const char *at,
                         struct err *err);
/* All elements by code; strings are copied into a. */
int store_elements_each(struct db *db, struct arena *a,
                        int (*fn)(void *ctx, const struct element *e), void *ctx, struct err *err);
/* *found tells whether a value exists. */
int store_value_get(struct db *db, const char *element, const char *unit, const char *period,
                    double *v, bool *found, struct err *err);
/* Inserts or replaces one value. */
int store_value_put(struct db *db, const char *element, const char *unit, const char *period,
                    double v, const char *by, const char *at, struct err *err);
int store_value_delete(struct db *db, const char *element, const char *unit, const char *period,
                       struct err *err);
/* Every value of `element` with lo <= period <= hi, in no particular order. */
int store_values_scan(struct db *db, const char *element, const char *lo, const char *hi,
                      int (*fn)(void *ctx, const char *unit, size_t len, double v), void *ctx,
                      struct err *err);

struct store_value {
    const char *element, *unit, *period, *updated_by, *updated_at;
    double value;
};
struct store_value_filter {
    const char *scope;    /* unit subtree ("" = all) */
    const char *element;  /* NULL = all */
    const char *lo, *hi;  /* period text range, NULL = all */
    const char *after[3]; /* cursor: unit, element, period of the last row seen; NULL = start */
    int limit;
};
/* Values in (unit, element, period) order after the cursor. */
int store_values_list(struct db *db, const struct store_value_filter *f,
                      int (*fn)(void *ctx, const struct store_value *v), void *ctx,
                      struct err *err);

struct indicator {
    const char *code, *name, *formula, *format, *measure, *description;
    int decimals;
};
int store_indicator_insert(struct db *db, const struct indicator *ind, const char *by,
                           const char *at, struct err *err);
int store_indicators_each(struct db *db, struct arena *a,
                          int (*fn)(void *ctx, const struct indicator *ind), void *ctx,
                          struct err *err);

/* ---- work items (items.c) ---- */

struct store_item {
    int64_t id;
    const char *type, *title, *description, *unit, *owner_unit, *helper_unit, *assignee;
    const char *measures, *category, *deadline, *location, *state;
    const char *created_by, *created_at, *updated_at, *closed_at; /* "" when none */
    int priority;                                                 /* 1 high, 2 normal, 3 low */
    int rating;                                                   /* 1–5, 0 none */
    bool immediate, final;
    int64_t batch;              /* the dispatch batch it came from, 0 none */
    const char *tracking_code;  /* what a resident follows it by */
    const char *contact_sealed; /* the submitter's contact, sealed; NULL none (never shown) */
    const char *escalated_to;   /* the unit an overdue item was reported to; "" none */
};
struct store_item_event {
    int64_t id;
    const char *at, *actor, *kind, *transition, *from_state, *to_state, *note, *evidence;
    const char *changes; /* reassignment: JSON {"field": ["old", "new"], …}; "" or NULL none */
    int rating;
};
struct store_item_filter {
    const char *scope, *type, *state; /* "" or NULL = any */
    const char *overdue_on;           /* YYYY-MM-DD: only items past their deadline then */
    int64_t before_id;                /* cursor: ids below it; 0 = from the newest */
    int64_t batch;                    /* only this dispatch batch; 0 = any */
    const char *escalated_in;         /* only items escalated to a unit in this subtree ("" = any
                                         escalated one); NULL = no such filter */
    int limit;
};

/* A dispatch batch of n items; sets *id. */
int store_item_batch_insert(struct db *db, const char *type, const char *title, int n,
                            const char *by, const char *at, int64_t *id, struct err *err);
/* Sets it->id. */
int store_item_insert(struct db *db, struct store_item *it, struct err *err);
/* ERR_NOT_FOUND when absent; strings in a. */
int store_item_get(struct db *db, struct arena *a, int64_t id, struct store_item *out,
                   struct err *err);
/* Marks every item past its deadline on `today` (YYYY-MM-DD), not final and
 * not yet escalated, as escalated to its owner's parent unit (computed by
 * the caller through fn, which also records the event); calls fn per item. */
int store_items_overdue_unescalated(struct db *db, struct arena *a, const char *today,
                                    int (*fn)(void *ctx, const struct store_item *it), void *ctx,
                                    struct err *err);
int store_item_escalate(struct db *db, int64_t id, const char *to, struct err *err);
/* ERR_NOT_FOUND when no item has this tracking code. */
int store_item_by_code(struct db *db, struct arena *a, const char *code, struct store_item *out,
                       struct err *err);
int store_open311_key_insert(struct db *db, const char *name, const char *key_hash, const char *at,
                             int64_t *id, struct err *err);
/* The name of an unrevoked key; ERR_NOT_FOUND otherwise. */
int store_open311_key_get(struct db *db, struct arena *a, const char *key_hash, const char **name,
                          struct err *err);
/* ERR_NOT_FOUND when no unrevoked key has this id. */
int store_open311_key_revoke(struct db *db, int64_t id, const char *at, struct err *err);
/* Writes state, final, rating, assignee, updated_at and closed_at. */
int store_item_set_state(struct db *db, const struct store_item *it, struct err *err);
int store_items_list(struct db *db, struct arena *a, const struct store_item_filter *f,
                     int (*fn)(void *ctx, const struct store_item *it), void *ctx, struct err *err);
/* What the monthly review needs of each item owned inside `scope` that was
 * open at some time in [start, next): owner, created, closed ("" if not),
 * deadline ("" if none), rating (0 if none). Strings valid during fn. */
struct store_item_review {
    const char *owner_unit, *created_at, *closed_at, *deadline;
    int rating;
};
int store_items_review(struct db *db, const char *scope, const char *type, const char *start,
                       const char *next, int (*fn)(void *ctx, const struct store_item_review *it),
                       void *ctx, struct err *err);
/* Calls fn with the owner unit of each reopen/return step taken in [start, next). */
int store_items_reopened(struct db *db, const char *scope, const char *type, const char *start,
                         const char *next, int (*fn)(void *ctx, const char *owner_unit), void *ctx,
                         struct err *err);
/* Appends e to item's timeline; *id (may be NULL) is the new event's id. */
int store_item_event_add(struct db *db, int64_t item, const struct store_item_event *e, int64_t *id,
                         struct err *err);
/* Writes owner_unit, helper_unit and assignee (reassignment). */
int store_item_set_people(struct db *db, const struct store_item *it, struct err *err);

/* ---- files (files.c): uploads stored once by content ---- */

struct store_file {
    const char *sha256; /* 64 lower-case hex digits */
    const char *type;   /* media type sniffed from the bytes */
    const char *name;   /* the name it was attached under (item files only) */
    size_t size;
    const char *created_by, *created_at; /* for store_file_put */
};
/* Stores data (f->size bytes) unless a file with its digest exists. */
int store_file_put(struct db *db, const struct store_file *f, const void *data, struct err *err);
/* Type and size of a stored file; ERR_NOT_FOUND when there is none. */
int store_file_info(struct db *db, struct arena *a, const char *sha256, struct store_file *out,
                    struct err *err);
int store_item_file_add(struct db *db, int64_t item, int64_t event, const char *sha256,
                        const char *name, struct err *err);
/* The files on item's timeline, by event; strings in a. */
int store_item_files(struct db *db, struct arena *a, int64_t item,
                     int (*fn)(void *ctx, int64_t event, const struct store_file *f), void *ctx,
                     struct err *err);
/* A file attached to item, with its bytes (*data in a); ERR_NOT_FOUND when
 * the item has no such file. */
int store_item_file_get(struct db *db, struct arena *a, int64_t item, const char *sha256,
                        struct store_file *out, const void **data, struct err *err);
int store_item_events(struct db *db, struct arena *a, int64_t item,
                      int (*fn)(void *ctx, const struct store_item_event *e), void *ctx,
                      struct err *err);

/* ---- five-star ratings (ratings.c) ---- */

struct store_rating {
    int64_t id;
    const char *scheme, *unit, *state;
    int target;               /* 争创几星 */
    int level;                /* fixed at naming, less stars withdrawn since; -1 before */
    const char *stars;        /* star codes won (named, not withdrawn), comma-separated */
    const char *notice_until; /* YYYY-MM-DD, "" when no notice was opened */
    int64_t checklist;        /* the creation checklist's item batch, 0 none */
    const char *created_by, *created_at, *updated_at, *named_at; /* named_at "" before */
};
struct store_rating_answer {
    const char *code; /* indicator or veto */
    bool has_score, has_yes;
    double score;
    bool yes;
    const char *note;
    bool adjusted; /* changed by a reviewer */
    const char *updated_by, *updated_at;
};
struct store_rating_event {
    const char *at, *actor, *kind, *transition, *from_state, *to_state, *note;
    const char *changes; /* JSON or "" */
};
struct store_rating_objection {
    int64_t id;
    const char *text, *recorded_by, *recorded_at;
    const char *resolution, *resolved_by, *resolved_at; /* "" while open */
    int upheld;                                         /* -1 open, 0 dismissed, 1 upheld */
};
struct store_rating_withdrawal {
    const char *star, *reason, *by, *at;
};
struct store_rating_filter {
    const char *scheme, *scope; /* scope: subtree code, "" = all */
    const char *state;          /* NULL or "" = any */
    const char *after_unit;     /* cursor: units above it; NULL = from the first */
    int limit;
};

/* Sets r->id; ERR_CONFLICT when the unit already has a rating for the scheme. */
int store_rating_insert(struct db *db, struct store_rating *r, struct err *err);
/* ERR_NOT_FOUND when none; strings in a. */
int store_rating_get(struct db *db, struct arena *a, const char *scheme, const char *unit,
                     struct store_rating *out, struct err *err);
/* Writes state, level, stars, notice_until, checklist, updated_at, named_at. */
int store_rating_update(struct db *db, const struct store_rating *r, struct err *err);
/* By unit code; strings valid during fn. */
int store_ratings_list(struct db *db, struct arena *a, const struct store_rating_filter *f,
                       int (*fn)(void *ctx, const struct store_rating *r), void *ctx,
                       struct err *err);
int store_rating_answer_put(struct db *db, int64_t rating, const struct store_rating_answer *an,
                            struct err *err);
int store_rating_answers(struct db *db, struct arena *a, int64_t rating,
                         int (*fn)(void *ctx, const struct store_rating_answer *an), void *ctx,
                         struct err *err);
/* The answers of every rating of scheme inside scope, by unit code: code,
 * score and yes only (note "", not adjusted); valid during fn. */
int store_ratings_answers_in(struct db *db, const char *scheme, const char *scope,
                             int (*fn)(void *ctx, int64_t rating,
                                       const struct store_rating_answer *an),
                             void *ctx, struct err *err);
int store_rating_event_add(struct db *db, int64_t rating, const struct store_rating_event *e,
                           struct err *err);
int store_rating_events(struct db *db, struct arena *a, int64_t rating,
                        int (*fn)(void *ctx, const struct store_rating_event *e), void *ctx,
                        struct err *err);
int store_rating_file_add(struct db *db, int64_t rating, const char *code, const char *sha256,
                          const char *name, struct err *err);
int store_rating_files(struct db *db, struct arena *a, int64_t rating,
                       int (*fn)(void *ctx, const char *code, const struct store_file *f),
                       void *ctx, struct err *err);
/* ERR_NOT_FOUND when the rating has no such file. */
int store_rating_file_get(struct db *db, struct arena *a, int64_t rating, const char *sha256,
                          struct store_file *out, const void **data, struct err *err);
int store_rating_objection_add(struct db *db, int64_t rating, const char *text, const char *by,
                               const char *at, struct err *err);
/* ERR_NOT_FOUND unless objection id of this rating is open. */
int store_rating_objection_resolve(struct db *db, int64_t rating, int64_t id,
                                   const char *resolution, bool upheld, const char *by,
                                   const char *at, struct err *err);
int store_rating_objections(struct db *db, struct arena *a, int64_t rating,
                            int (*fn)(void *ctx, const struct store_rating_objection *o), void *ctx,
                            struct err *err);
int store_rating_withdrawal_add(struct db *db, int64_t rating,
                                const struct store_rating_withdrawal *w, struct err *err);
int store_rating_withdrawals(struct db *db, struct arena *a, int64_t rating,
                             int (*fn)(void *ctx, const struct store_rating_withdrawal *w),
                             void *ctx, struct err *err);
/* Replaces the pairs of scheme whose weak unit lies inside scope. */
int store_pairings_replace(struct db *db, const char *scheme, const char *scope,
                           const char *const *weak, const char *const *strong, size_t n,
                           const char *by, const char *at, struct err *err);
int store_pairings_list(struct db *db, const char *scheme, const char *scope,
                        int (*fn)(void *ctx, const char *weak, const char *strong), void *ctx,
                        struct err *err);

/* ---- audit ---- */

#include "core/audit_chain.h" /* struct audit_entry, struct audit_record */

/* Appends e to the audit trail. MUST run inside the caller's write
 * transaction (db_begin(db, true, …)) so the record commits or rolls back
 * with the change it records; ERR_INTERNAL when no transaction is open.
 * Takes the next seq and the previous hash from audit_head, so records
 * deleted at the end still show up as a gap. */
int store_audit_append(struct db *db, const struct audit_entry *e, struct err *err);
/* store_audit_append in a write transaction of its own, for events that
 * write nothing else (a failed login). */
int store_audit_write(struct db *db, const struct audit_entry *e, struct err *err);
/* Checks the whole chain in seq order in one read transaction, calling
 * report (may be NULL) for each problem. Returns ERR_OK when the check
 * ran, whatever it found: *problems == 0 means the chain is intact. */
int store_audit_verify(struct db *db, void (*report)(void *ctx, int64_t seq, const char *problem),
                       void *ctx, int64_t *checked, int *problems, struct err *err);

struct store_audit_filter {
    const char *unit;   /* subtree code; NULL or "" = all records */
    const char *user;   /* login name; NULL = anyone */
    const char *since;  /* at >= since (stored format, audit_time_parse); NULL = any */
    int64_t before_seq; /* seq < before_seq (cursor); 0 = no bound */
    int64_t limit;
};
/* Calls fn for matching records, newest first, at most f->limit; strings
 * are valid during the call only. A non-zero return from fn stops the
 * scan and is returned. */
int store_audit_list(struct db *db, const struct store_audit_filter *f,
                     int (*fn)(void *ctx, const struct audit_record *r), void *ctx,
                     struct err *err);

/* ---- copying a whole database to another backend (copy.c) ---- */

/* A table as the catalog describes it, with the SQL to copy it. The SQL
 * strings are statement-cache keys (db.h): free the list only after
 * closing every connection it was used on. */
struct store_table {
    char *name;
    int ncols;
    char **cols;
    char *types; /* per column: 'i' integer, 'r' real, 't' text, 'b' bytes */
    int *pk;     /* per column: place in the primary key, 0 when not in it */
    char *select_sql, *insert_sql, *target, *count_sql, *clear_sql, *max_sql;
};
struct store_tables {
    struct store_table *t;
    size_t n;
};
/* Every table but schema_migrations, parents before the tables whose
 * foreign keys reference them. */
int store_tables_list(struct db *db, struct store_tables *out, struct err *err);
void store_tables_free(struct store_tables *tables);
/* ERR_CONFLICT, naming the difference, unless both list the same tables
 * with the same columns of the same types. */
int store_tables_same(const struct store_tables *a, const struct store_tables *b, struct err *err);
/* Copies t's rows from src to dst in primary-key order (dst in a write
 * transaction, src in a read one), with their ids; *rows and sum (SHA-256
 * over the rows, as store_table_sum) describe what was read. */
int store_table_copy(struct db *src, struct db *dst, const struct store_table *t, int64_t *rows,
                     unsigned char sum[32], struct err *err);
/* Counts t's rows and hashes them in primary-key order, every value with
 * its type, so equal sums on two backends mean equal rows. */
int store_table_sum(struct db *db, const struct store_table *t, int64_t *rows,
                    unsigned char sum[32], struct err *err);
/* Deletes t's rows (those a fresh schema seeds, before a copy). */
int store_table_clear(struct db *db, const struct store_table *t, struct err *err);
/* Moves identity sequences past the copied ids (PostgreSQL; a no-op elsewhere). */
int store_table_reset_ids(struct db *db, const struct store_table *t, struct err *err);

#endif
