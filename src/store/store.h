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

#if defined(JICENG_LAYER_API) || defined(JICENG_LAYER_CORE)
#error "store.h: only app/ calls the store (api/ calls app/; core/ does no I/O)"/* Persons per unit of a subtree, in unit order. */
int store_health_people_by_unit(struct db *db, const char *scope,
                                int (*fn)(void *ctx, const char *unit, long n), void *ctx,
                                struct err *err);
/* A person's contracts, newest first, and their health tags ",a,b,"
 * (with those of their households on `on`, prefixed) into tags[cap]. */
int store_health_person(struct db *db, struct arena *a, int64_t person_id, const char *on,
                        int (*fn)(void *ctx, const struct health_contract_row *c), void *ctx,
                        char *tags, size_t cap, struct err *err);

#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"
#include "core/event.h"
#include "core/person.h"
#include "core/user.h"

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
/* A connection outside the pool, for a caller that writes often and keeps
 * one (the ballots' group commit): no other connection writes between its
 * transactions, so SQLite keeps its page cache instead of reading every
 * page again. It has the audit key s has now. store_disconnect closes it
 * (NULL: a no-op), before store_close. */
int store_connect(struct store *s, struct db **out, struct err *err);
void store_disconnect(struct db *db);
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
    /* History (migration 018), "YYYY-MM-DD" or NULL: the day the current
     * name began (NULL: before the records), the day the unit retired
     * (NULL: current) and the unit its current work went to. */
    const char *since, *retired, *successor;
};

/* Calls fn for every unit in code order (= depth-first pre-order), retired
 * ones included; a non-zero return from fn stops the scan and is returned. */
int store_units_each(struct db *db, int (*fn)(void *ctx, const struct store_unit *u), void *ctx,
                     struct err *err);
int store_units_insert(struct db *db, const struct store_unit *u, struct err *err);
/* Updates name, kind and since of an existing unit, and makes it current
 * (a retired code an edition lists again). */
int store_units_update(struct db *db, const struct store_unit *u, struct err *err);
int store_units_count(struct db *db, int64_t *n, struct err *err);
/* Many new units at once (db.h's bulk loading: COPY on PostgreSQL), in a
 * write transaction, parents before children: begin, a row per unit, then
 * db_copy_end(st, ok, err). */
int store_units_copy_begin(struct db *db, struct db_stmt **st, struct err *err);
int store_units_copy_row(struct db_stmt *st, const struct store_unit *u, struct err *err);

/* ---- division changes (unit_history.c): former names, retirement,
 * editions, and moving a retired unit's current work (docs/architecture.md
 * "Division changes") ---- */

/* A former name: code held name/kind on the days [from, to) ("YYYY-MM-DD";
 * from NULL: before the records). */
struct store_unit_name {
    const char *code, *name, *kind, *from, *to;
};
/* Every former name, by code then day; strings valid during fn. */
int store_unit_names_each(struct db *db, int (*fn)(void *ctx, const struct store_unit_name *n),
                          void *ctx, struct err *err);
/* The former names of one unit, oldest first. */
int store_unit_names_of(struct db *db, const char *code,
                        int (*fn)(void *ctx, const struct store_unit_name *n), void *ctx,
                        struct err *err);
int store_unit_name_add(struct db *db, const struct store_unit_name *n, int64_t edition,
                        struct err *err);
/* Marks code retired on `day`, its current work gone to successor (NULL: none). */
int store_unit_retire(struct db *db, const char *code, const char *day, const char *successor,
                      struct err *err);
/* The successor of code into out ("" when none). */
int store_unit_successor(struct db *db, const char *code, char out[19], struct err *err);
/* The units whose successor is code (what merged into it); strings valid
 * during fn. */
int store_unit_predecessors(struct db *db, const char *code,
                            int (*fn)(void *ctx, const char *code, const char *name,
                                      const char *retired),
                            void *ctx, struct err *err);
/* Records an applied edition; sets *id. */
int store_unit_edition_insert(struct db *db, const char *effective, const char *source,
                              const char *summary, const char *by, const char *at, int64_t *id,
                              struct err *err);
/* The applied editions, newest first; strings valid during fn. */
struct store_unit_edition {
    int64_t id;
    const char *effective, *source, *summary, *applied_by, *applied_at;
};
int store_unit_editions(struct db *db, int (*fn)(void *ctx, const struct store_unit_edition *e),
                        void *ctx, struct err *err);

/* Open (not final) cases other than ratings whose owner, unit concerned,
 * helping unit or escalation is code, by id; strings valid during fn. */
int store_cases_open_at(struct db *db, const char *code,
                        int (*fn)(void *ctx, int64_t id, const char *unit, const char *owner,
                                  const char *helper, const char *escalated),
                        void *ctx, struct err *err);
/* Replaces `from` by `to` in case id's unit, owner, helping unit and
 * escalation, moving its version on. */
int store_case_move(struct db *db, int64_t id, const char *from, const char *to, const char *at,
                    struct err *err);
/* Moves rating case id (its case row and case_ratings row) to unit `to`. */
int store_rating_move(struct db *db, int64_t id, const char *to, const char *at, struct err *err);
/* Whether rating case id is final. */
int store_case_final(struct db *db, int64_t id, bool *final, struct err *err);
/* The users whose scope is code (fn may be NULL), then gives them scope `to`. */
int store_users_rescope(struct db *db, const char *code, const char *to,
                        int (*fn)(void *ctx, const char *username), void *ctx, struct err *err);
/* The pairs of scheme naming code as weak or strong partner. */
int store_pairings_at(struct db *db, const char *scheme, const char *code,
                      int (*fn)(void *ctx, const char *weak, const char *strong), void *ctx,
                      struct err *err);
/* Deletes the pair of scheme whose weak unit is weak. */
int store_pairing_delete(struct db *db, const char *scheme, const char *weak, struct err *err);
/* Rewrites the pair of scheme whose weak unit is weak as (to_weak, to_strong). */
int store_pairing_move(struct db *db, const char *scheme, const char *weak, const char *to_weak,
                       const char *to_strong, struct err *err);
/* Whether scheme has a pair whose weak unit is weak. */
int store_pairing_has(struct db *db, const char *scheme, const char *weak, bool *has,
                      struct err *err);

/* ---- roles, users, sessions, API tokens (users.c) ---- */

/* Calls fn once per (role, permission) row, roles by rank descending. */
int store_roles_each(struct db *db,
                     int (*fn)(void *ctx, const char *code, const char *name, int rank,
                               const char *perm),
                     void *ctx, struct err *err);

/* Makes role `code` hold exactly this name, rank and permissions
 * (NULL-terminated); inside the caller's write transaction. */
int store_role_put(struct db *db, const char *code, const char *name, int rank,
                   const char *const *perms, struct err *err);

/* Strings of *out are copied into `a`. ERR_NOT_FOUND when absent. */
int store_user_get(struct db *db, struct arena *a, const char *username, struct user_row *out,
                   struct err *err);
int store_user_by_id(struct db *db, struct arena *a, int64_t id, struct user_row *out,
                     struct err *err);
/* ERR_CONFLICT when the username is taken. Sets u->id. */
int store_user_insert(struct db *db, struct user_row *u, struct err *err);
/* Writes every mutable field of u (by id). */
int store_user_update(struct db *db, const struct user_row *u, struct err *err);
/* Users whose scope lies inside `scope` ("" = all), optionally matching q
 * in login or display name, ordered by login name after `after`. */
int store_users_list(struct db *db, struct arena *a, const char *scope, const char *q,
                     const char *after, int limit, int (*fn)(void *ctx, const struct user_row *u),
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
/* Ends every session of a user but the one whose token hashes to keep_hash
 * (the user changed their own password in it). */
int store_sessions_delete_others(struct db *db, int64_t user_id, const char *keep_hash,
                                 struct err *err);

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
int store_token_get(struct db *db, const char *token_hash, int64_t *id, int64_t *user_id,
                    bool *revoked, struct err *err);
/* ERR_NOT_FOUND when no unrevoked token has this id (and, when owner > 0,
 * belongs to user `owner`); *user_id is its owner. */
int store_token_revoke(struct db *db, int64_t id, int64_t owner, const char *revoked_at,
                       int64_t *user_id, struct err *err);
/* Revokes every valid token of a user; *n is how many. */
int store_tokens_revoke_user(struct db *db, int64_t user_id, const char *revoked_at, int *n,
                             struct err *err);
/* A user's tokens, newest first (strings in a). */
int store_tokens_list(struct db *db, struct arena *a, int64_t user_id,
                      int (*fn)(void *ctx, const struct token_row *t), void *ctx, struct err *err);

/* Failed sign-ins of one account name from one address (app/auth.c):
 * all zero when there are none. */
struct login_failures {
    int fails;
    int64_t last_at, locked_until; /* unix seconds */
};
int store_login_failures_get(struct db *db, const char *username, const char *client,
                             struct login_failures *out, struct err *err);
int store_login_failures_put(struct db *db, const char *username, const char *client,
                             const struct login_failures *f, struct err *err);
/* Forgets the failures of an account name from every address (a
 * successful sign-in from client forgets that address's only). */
int store_login_failures_clear(struct db *db, const char *username, const char *client,
                               struct err *err);
/* Forgets failures older than `before` that hold no lock. */
int store_login_failures_expire(struct db *db, int64_t before, struct err *err);

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

/* Values in (unit, element, period) order after the cursor. */
int store_values_list(struct db *db, const struct value_filter *f,
                      int (*fn)(void *ctx, const struct value_row *v), void *ctx, struct err *err);

int store_indicator_insert(struct db *db, const struct indicator *ind, const char *by,
                           const char *at, struct err *err);
int store_indicators_each(struct db *db, struct arena *a,
                          int (*fn)(void *ctx, const struct indicator *ind), void *ctx,
                          struct err *err);

/* ---- checked data (checks.c): validation rules, values by unit and
 * period, data approvals ---- */

#include "core/rule.h"

/* ERR_CONFLICT when the code exists. */
int store_rule_insert(struct db *db, const struct rule_def *d, const char *by, const char *at,
                      struct err *err);
/* All rules by code; strings are copied into a. */
int store_rules_each(struct db *db, struct arena *a, int (*fn)(void *ctx, const struct rule_def *d),
                     void *ctx, struct err *err);
/* The values of one unit (exactly) for one period; strings valid during fn. */
int store_values_of(struct db *db, const char *unit, const char *period,
                    int (*fn)(void *ctx, const char *element, double v), void *ctx,
                    struct err *err);
/* The values of every unit inside scope ("" all) for one period, in unit
 * order; strings valid during fn. */
int store_values_at(struct db *db, const char *scope, const char *period,
                    int (*fn)(void *ctx, const char *unit, const char *element, double v),
                    void *ctx, struct err *err);

/* An approval (审核) of a unit's subtree for one period. approver_name is
 * the approver's display name ("" when no user has that login). */
struct store_approval {
    const char *unit, *period, *approved_by, *approver_name, *approved_at;
};
/* ERR_CONFLICT when that unit and period are approved already. */
int store_approval_insert(struct db *db, const struct store_approval *ap, struct err *err);
/* ERR_NOT_FOUND when they are not approved. */
int store_approval_delete(struct db *db, const char *unit, const char *period, struct err *err);
/* The approvals of period on unit and on the units above it, highest
 * first; strings valid during fn. */
int store_approvals_covering(struct db *db, const char *unit, const char *period,
                             int (*fn)(void *ctx, const struct store_approval *ap), void *ctx,
                             struct err *err);
/* The approvals of period on units inside scope, by unit; strings valid during fn. */
int store_approvals_in(struct db *db, const char *scope, const char *period,
                       int (*fn)(void *ctx, const struct store_approval *ap), void *ctx,
                       struct err *err);

/* ---- cases (cases.c): everything that moves through states ---- */

#include "core/case.h"

/* Sets c->id and c->version (1). */
int store_case_insert(struct db *db, struct case_row *c, struct err *err);
/* ERR_NOT_FOUND when absent; strings in a. */
int store_case_get(struct db *db, struct arena *a, int64_t id, struct case_row *out,
                   struct err *err);
/* ERR_NOT_FOUND when no case has this tracking code. */
int store_case_by_code(struct db *db, struct arena *a, const char *code, struct case_row *out,
                       struct err *err);
/* Writes what a step may change (state, final, rating, owner, helper and
 * assignee, escalation, updated_at, closed_at) if the stored version is
 * still c->version, and moves c->version on; ERR_CONFLICT when someone
 * changed the case since it was read. */
int store_case_update(struct db *db, struct case_row *c, struct err *err);
/* Cases owned inside f->scope, newest first; strings valid during fn. */
int store_cases_list(struct db *db, const struct case_filter *f,
                     int (*fn)(void *ctx, const struct case_row *c), void *ctx, struct err *err);
/* Cases past their deadline on `today` (YYYY-MM-DD), not final and not yet
 * escalated, oldest first; strings valid during fn. */
int store_cases_overdue(struct db *db, const char *today,
                        int (*fn)(void *ctx, const struct case_row *c), void *ctx, struct err *err);
/* The desk: open cases owned by `unit` itself (below = false) or strictly
 * inside its subtree (below = true; "" = the whole tree), per kind and
 * state, with how many are past their deadline on `today` and how many are
 * due by `soon` (YYYY-MM-DD). Strings valid during fn. */
struct store_case_count {
    const char *kind, *state;
    int64_t count, overdue, due_soon;
};
int store_cases_count(struct db *db, const char *unit, bool below, const char *today,
                      const char *soon, int (*fn)(void *ctx, const struct store_case_count *c),
                      void *ctx, struct err *err);
/* Open cases escalated (督办) to `unit`. */
int store_cases_escalated_count(struct db *db, const char *unit, int64_t *n, struct err *err);
/* Open cases owned by `unit` with a deadline, soonest first, at most limit. */
int store_cases_due(struct db *db, const char *unit, int limit,
                    int (*fn)(void *ctx, const struct case_row *c), void *ctx, struct err *err);
/* A batch (weekly dispatch, checklist) of n cases; sets *id. */
int store_case_batch_insert(struct db *db, const char *kind, const char *title, int n,
                            const char *by, const char *at, int64_t *id, struct err *err);

/* Appends e to the timeline of case_id; sets e->id. */
int store_case_event_add(struct db *db, int64_t case_id, struct case_event *e, struct err *err);
/* The timeline in order; strings valid during fn. */
int store_case_events(struct db *db, int64_t case_id,
                      int (*fn)(void *ctx, const struct case_event *e), void *ctx, struct err *err);
/* Attaches an uploaded file that `actor` uploaded or that the case already
 * holds; ERR_NOT_FOUND otherwise, alike whether it was never uploaded or
 * only by others (so attaching reveals nothing about other people's files). */
int store_case_file_add(struct db *db, int64_t case_id, int64_t event, const char *topic,
                        const char *sha256, const char *name, const char *actor, struct err *err);
/* The files attached to a case, by event then name; strings valid during fn. */
int store_case_files(struct db *db, int64_t case_id,
                     int (*fn)(void *ctx, const struct case_file *f), void *ctx, struct err *err);
/* A file attached to the case, with its bytes (*data in a); ERR_NOT_FOUND
 * when the case has no such file. */
int store_case_file_get(struct db *db, struct arena *a, int64_t case_id, const char *sha256,
                        struct case_file *out, const void **data, struct err *err);

/* What the monthly review needs of each case of `kinds` (",a,b,") owned
 * inside `scope` that was open at some time in [start, next) (UTC
 * timestamps): owner, created, closed ("" if not), deadline ("" if none),
 * rating (0 if none), how often it was reopened. Strings valid during fn.
 * `wide`: the scope holds most cases, so they are read in table order. */
struct store_case_review {
    const char *owner_unit, *created_at, *closed_at, *deadline;
    int rating, reopens;
};
int store_cases_review(struct db *db, const char *scope, bool wide, const char *kinds,
                       const char *start, const char *next,
                       int (*fn)(void *ctx, const struct store_case_review *c), void *ctx,
                       struct err *err);
/* Calls fn with the owner unit of each step taken in [start, next) whose
 * "kind:transition" is in `steps` (",a:b,c:d,"). */
int store_cases_stepped(struct db *db, const char *scope, const char *kinds, const char *start,
                        const char *next, const char *steps,
                        int (*fn)(void *ctx, const char *owner_unit), void *ctx, struct err *err);

/* ---- uploaded files (files.c): stored once by content ---- */

/* Stores data (f->size bytes) unless a file with its digest exists, and
 * records f->created_by as one of its uploaders (file_uploads). */
int store_file_put(struct db *db, const struct case_file *f, const void *data, struct err *err);

/* ---- Open311 client keys (open311.c) ---- */

int store_open311_key_insert(struct db *db, const char *name, const char *key_hash, const char *at,
                             int64_t *id, struct err *err);
/* The name of an unrevoked key; ERR_NOT_FOUND otherwise. */
int store_open311_key_get(struct db *db, struct arena *a, const char *key_hash, const char **name,
                          struct err *err);
/* ERR_NOT_FOUND when no unrevoked key has this id. */
int store_open311_key_revoke(struct db *db, int64_t id, const char *at, struct err *err);

/* ---- cases about a person (cases.c): what only they have ---- */

/* Writes p's row (insert: p->case_id is the case just inserted; update:
 * org, to_org, steps, since). */
int store_case_person_put(struct db *db, const struct case_person *p, bool insert, struct err *err);
/* The person row of a case with the names it refers to (strings in a). */
int store_case_person_get(struct db *db, struct arena *a, int64_t case_id, struct case_person *out,
                          struct err *err);
/* Cases of kinds (",a,b,") owned inside scope ("" all) or whose unit is
 * inside it (a transfer's receiving side), of person_id (0 any), open only
 * or all, newest first, at most limit. Rows valid during fn. */
int store_person_cases(struct db *db, const char *scope, const char *kinds, int64_t person_id,
                       bool open_only, int limit,
                       int (*fn)(void *ctx, const struct case_row *c, const struct case_person *p),
                       void *ctx, struct err *err);

/* ---- five-star ratings (ratings.c): what only a rating case has ---- */

/* Sets nothing: r->case_id is the case just inserted. ERR_CONFLICT when the
 * unit already has a rating for the scheme. */
int store_rating_insert(struct db *db, const struct case_rating *r, struct err *err);
/* The id of the rating case of unit under scheme; ERR_NOT_FOUND when none. */
int store_rating_find(struct db *db, const char *scheme, const char *unit, int64_t *case_id,
                      struct err *err);
/* The rating row of a case (strings in a). */
int store_rating_by_case(struct db *db, struct arena *a, int64_t case_id, struct case_rating *r,
                         struct err *err);
/* Writes target, level, stars, notice_until, named_at and checklist. */
int store_rating_update(struct db *db, const struct case_rating *r, struct err *err);
/* The ratings of scheme inside scope ("" all) by unit code after
 * after_unit (NULL from the first), in state (NULL any), at most limit (0
 * no limit); strings valid during fn. */
struct store_rating_filter {
    const char *scheme, *scope, *state, *after_unit;
    int limit;
};
int store_ratings_list(struct db *db, const struct store_rating_filter *f,
                       int (*fn)(void *ctx, const struct case_row *c, const struct case_rating *r),
                       void *ctx, struct err *err);
/* What the kept five-star results need of every rating of scheme inside
 * scope ("" all), by unit code: level -1 when not named; strings valid
 * during fn ("" for none). */
struct store_rating_brief {
    int64_t case_id;
    const char *unit, *state, *stars, *notice_until, *named_at;
    int target, level;
};
int store_ratings_brief(struct db *db, const char *scheme, const char *scope,
                        int (*fn)(void *ctx, const struct store_rating_brief *b), void *ctx,
                        struct err *err);
/* The units whose rating under scheme was written after audit record
 * `after` (fn once per write, oldest first; fn may be NULL), read from the
 * audit trail, which names every rating write "rating:<scheme>:<unit>";
 * *last is the newest record's seq, what to pass as `after` next time. */
int store_ratings_changed(struct db *db, const char *scheme, int64_t after, int64_t *last,
                          int (*fn)(void *ctx, const char *unit), void *ctx, struct err *err);
/* The audited writes after record `after` up to `upto`, in order: fn gets
 * each record's action and, for values.write, its after-image, a JSON array
 * of [element, unit, period, value] (NULL for other actions; standings.c). */
int store_writes_since(struct db *db, int64_t after, int64_t upto,
                       int (*fn)(void *ctx, const char *action, const char *after_json), void *ctx,
                       struct err *err);
/* The five-star standings kept across restarts (app/rating_results.c packs
 * the rows): per scheme, what they were written for, and a row per unit. */
struct store_standings_meta {
    char key[65];    /* hex digest of what they depend on besides the writes */
    char writer[33]; /* the server process that wrote them */
    char written_at[32];
    int64_t seq;     /* the audit record they reflect the writes up to; -1: being written */
    int64_t units;   /* rows */
    uint64_t digest; /* sum of the rows' hashes */
};
int store_standings_meta(struct db *db, const char *scheme, struct store_standings_meta *m,
                         bool *found, struct err *err);
/* The rows of scheme by unit code; p valid during fn. */
int store_standings_each(struct db *db, const char *scheme,
                         int (*fn)(void *ctx, const char *unit, const void *p, size_t len),
                         void *ctx, struct err *err);
/* Deletes every row of scheme. */
int store_standings_clear(struct db *db, const char *scheme, struct err *err);
/* Writes rows 0..n-1 (row() gives each; its error ends the write) in the
 * caller's write transaction: appended (bulk loaded: new units only), or
 * else inserted or replaced one by one. */
int store_standings_rows(struct db *db, const char *scheme, bool append, size_t n,
                         int (*row)(void *ctx, size_t i, const char **unit, const void **p,
                                    size_t *len),
                         void *ctx, struct err *err);
int store_standings_meta_put(struct db *db, const char *scheme,
                             const struct store_standings_meta *m, const char *at, struct err *err);
/* Inserts or replaces one answer of case_id. */
int store_answer_put(struct db *db, int64_t case_id, const struct case_answer *an, struct err *err);
/* The answers of a case by code; strings valid during fn. */
int store_answers(struct db *db, int64_t case_id,
                  int (*fn)(void *ctx, const struct case_answer *an), void *ctx, struct err *err);
/* The answers of every rating of scheme inside scope, by unit code: code,
 * score and yes only (note "", not adjusted); valid during fn. */
int store_ratings_answers_in(struct db *db, const char *scheme, const char *scope,
                             int (*fn)(void *ctx, int64_t case_id, const struct case_answer *an),
                             void *ctx, struct err *err);
/* What a rating was named with (JSON, app/rating_snapshot.c): written
 * with the naming, replacing an earlier one; read back by case id
 * (ERR_NOT_FOUND when it has none: named before snapshots were kept). */
int store_rating_snapshot_put(struct db *db, int64_t case_id, const char *named_at,
                              const char *snapshot, struct err *err);
int store_rating_snapshot_get(struct db *db, struct arena *a, int64_t case_id,
                              const char **snapshot, struct err *err);
/* Replaces the pairs of scheme whose weak unit lies inside scope. */
int store_pairings_replace(struct db *db, const char *scheme, const char *scope,
                           const char *const *weak, const char *const *strong, size_t n,
                           const char *by, const char *at, struct err *err);
int store_pairings_list(struct db *db, const char *scheme, const char *scope,
                        int (*fn)(void *ctx, const char *weak, const char *strong), void *ctx,
                        struct err *err);

/* ---- notifications and notices, 通知公告 (notices.c) ---- */

#include "core/notice.h"

/* Enabled accounts whose scope is one of units[0..n) ("" = the whole tree,
 * n ≤ STORE_RECIPIENT_UNITS), once per permission their role holds. */
#define STORE_RECIPIENT_UNITS 8
struct store_recipient {
    const char *username, *scope, *perm;
};
int store_recipients(struct db *db, const char *const *units, int n,
                     int (*fn)(void *ctx, const struct store_recipient *r), void *ctx,
                     struct err *err);
/* Adds x (sets x->id); push_next ≥ 0: the webhook pushes it from then
 * (unix seconds), -1: never. */
int store_notification_add(struct db *db, struct notification *x, int64_t push_next,
                           struct err *err);
/* The reader's notifications about units inside `scope`, newest first. */
int store_notifications_list(struct db *db, const char *username, const char *scope, bool unread,
                             int64_t before_id, int limit,
                             int (*fn)(void *ctx, const struct notification *x), void *ctx,
                             struct err *err);
int store_notifications_unread(struct db *db, const char *username, const char *scope, int64_t *n,
                               struct err *err);
/* Marks the reader's notification `id` (0: all of them) read at `at`. */
int store_notifications_read(struct db *db, const char *username, int64_t id, const char *at,
                             int64_t *changed, struct err *err);
/* Marks read what the reader was told about this case or notice (0: none). */
int store_notifications_read_of(struct db *db, const char *username, int64_t case_id,
                                int64_t notice_id, const char *at, struct err *err);
/* Inserts n (sets id and recipients) and sends it to every enabled account
 * inside n->unit but `except`. push_next as store_notification_add. */
int store_notice_insert(struct db *db, struct notice *n, const char *except, int64_t push_next,
                        struct err *err);
/* Notice id in a; *recipient: whether `username` received it (then
 * out->read_at is when they read it, "" unread). */
int store_notice_get(struct db *db, struct arena *a, int64_t id, const char *username,
                     struct notice *out, bool *recipient, struct err *err);
/* Newest first: those `username` received, or (username NULL) those sent
 * to units inside `scope`. */
int store_notices_list(struct db *db, const char *username, const char *scope, int64_t before_id,
                       int limit, int (*fn)(void *ctx, const struct notice *n), void *ctx,
                       struct err *err);
/* Files attached by name to a notice or an event (attached.c). add:
 * ERR_NOT_FOUND when sha256 was never uploaded, a second mention is no
 * change; get: the file with its bytes (in a), ERR_NOT_FOUND when the record
 * has none by that digest. */
enum store_attach { STORE_ATTACH_NOTICE, STORE_ATTACH_EVENT, STORE_ATTACH_COUNT };
int store_attached_add(struct db *db, enum store_attach to, int64_t owner, const char *sha256,
                       const char *name, struct err *err);
/* files: the record's, by name, in a */
int store_attached_files(struct db *db, struct arena *a, enum store_attach to, int64_t owner,
                         struct notice_file **out, size_t *n, struct err *err);
int store_attached_get(struct db *db, struct arena *a, enum store_attach to, int64_t owner,
                       const char *sha256, struct notice_file *out, const void **data,
                       struct err *err);
/* Who received the notice and when they read it, by unit. */
int store_notice_receipts(struct db *db, int64_t notice_id,
                          int (*fn)(void *ctx, const struct notice_receipt *r), void *ctx,
                          struct err *err);
/* The webhook's queue: notifications due to be pushed at `now`, oldest
 * first; a worker claims one (until `until`) before sending it. */
struct store_push {
    struct notification x;
    const char *display_name;
    int tries;
};
int store_push_due(struct db *db, int64_t now, int limit,
                   int (*fn)(void *ctx, const struct store_push *p), void *ctx, struct err *err);
int store_push_claim(struct db *db, int64_t id, int64_t now, int64_t until, bool *won,
                     struct err *err);
int store_push_done(struct db *db, int64_t id, const char *at, struct err *err);
int store_push_retry(struct db *db, int64_t id, int64_t next, struct err *err);

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
/* Feeds every record in seq order to v (audit_verify_next), calling each
 * (may be NULL; a non-zero return stops the scan and is returned) with it
 * too, then the head (audit_verify_end). Runs inside the caller's
 * transaction, so the chain, its head and the rows the caller compares
 * them with are one snapshot; ERR_INTERNAL outside one. Returns ERR_OK
 * when the check ran, whatever it found: v->problems == 0 means intact. */
int store_audit_verify(struct db *db, struct audit_verifier *v,
                       int (*each)(void *ctx, const struct audit_record *r), void *ctx,
                       struct err *err);
/* The head: the latest seq and its hash (seq 0 and zeros before the first
 * record); ERR_INTERNAL when the head row is missing. */
int store_audit_head(struct db *db, int64_t *seq, char hash[AUDIT_HASH_HEX + 1], struct err *err);
/* The stored hash of record seq; *found false when there is none. */
int store_audit_hash_at(struct db *db, int64_t seq, char hash[AUDIT_HASH_HEX + 1], bool *found,
                        struct err *err);
/* The audited state of a case as the database holds it: every column of
 * its cases row, its case_ratings row and its case_answers (by code), as
 * canonical text ("<table>.<column>=<length>:<bytes>\n", "=-\n" for
 * NULL, numbers as decimal text); and what an after-image shows of it.
 * Strings valid during the call. */
#define STORE_CASE_DIGEST_VERSION 1 /* the columns canon covers (store/audit.c) */
struct store_case_image {
    int64_t id, version;
    const char *kind, *state, *owner_unit;
    const char *canon;
    size_t canon_len;
};
/* fn for case id, or for every case in id order when id is 0; a non-zero
 * return from fn stops and is returned. */
int store_audit_case_images(struct db *db, int64_t id,
                            int (*fn)(void *ctx, const struct store_case_image *c), void *ctx,
                            struct err *err);
/* Gives every connection of s the key new records are MACed with
 * (audit_keys.record; the caller keeps it alive while s is open, NULL
 * takes it away); appends refuse without one. */
void store_audit_key(struct store *s, const unsigned char *key);

/* Calls fn for matching records, newest first, at most f->limit; strings
 * are valid during the call only. A non-zero return from fn stops the
 * scan and is returned. */
int store_audit_list(struct db *db, const struct audit_filter *f,
                     int (*fn)(void *ctx, const struct audit_record *r), void *ctx,
                     struct err *err);

/* ---- backups: a consistent copy while the database is in use (backup.c) ---- */

/* Copies the SQLite database of data_dir into the existing empty file path
 * in one read transaction (the backup API, every page in one step):
 * writers carry on, the copy is one snapshot. ERR_BUSY when the database
 * stayed locked. */
int store_backup_sqlite(const char *data_dir, const char *path, struct err *err);
/* Makes the SQLite file at path standalone (journal_mode DELETE: no -wal
 * file beside it is needed), as a backup should be. */
int store_backup_standalone(const char *path, struct err *err);
/* SQLite's integrity check; *problem "" when it found none, else its first
 * finding (cap bytes). */
int store_integrity_check(struct db *db, char *problem, size_t cap, struct err *err);
/* PostgreSQL: the id of the snapshot of db's open read transaction
 * (pg_export_snapshot), for pg_dump --snapshot. */
int store_snapshot_export(struct db *db, char *id, size_t cap, struct err *err);
/* Runs pg_dump --format=custom of the database at url in the exported
 * snapshot into path (an existing file, which it overwrites), then reads
 * the archive back with pg_restore --list. Both programs come from PATH;
 * the password goes in their environment, not on their command line. */
int store_dump_postgres(const char *url, const char *snapshot, const char *path, struct err *err);

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

/* ---- people: persons, memberships, households, party organisations
 * (people.c; rows of core/person.h, strings in the arena) ---- */

/* Persons inside scope (by home unit), or with kind: those with a
 * membership of that kind (stages ",a,b," or "" for any; of org_id unless
 * 0) holding on date, by the membership's unit; in (unit, id) order after
 * (after_unit, after_id). */
struct store_person_filter {
    const char *scope, *kind, *stages, *date, *after_unit;
    int64_t after_id, org_id;
    int limit;
};
int store_person_insert(struct db *db, struct person_row *p, struct err *err);
int store_person_update(struct db *db, const struct person_row *p, struct err *err);
int store_person_get(struct db *db, struct arena *a, int64_t id, struct person_row *out,
                     struct err *err);
int store_person_by_hash(struct db *db, struct arena *a, const char *hash, struct person_row *out,
                         struct err *err);
/* The id of the person whose ID hash is `hash`, or ERR_NOT_FOUND (no row is
 * read: the import's de-duplication asks this once a row). */
int store_person_id_by_hash(struct db *db, const char *hash, int64_t *id, struct err *err);
/* The ids of at most two persons named `name` (exactly) inside scope: an
 * import naming a person finds one, none or too many. */
int store_person_ids_by_name(struct db *db, const char *name, const char *scope, int64_t ids[2],
                             int *n, struct err *err);
int store_person_by_account(struct db *db, struct arena *a, const char *account,
                            struct person_row *out, struct err *err);
int store_persons_list(struct db *db, struct arena *a, const struct store_person_filter *f,
                       int (*fn)(void *ctx, const struct person_row *p, const char *at_unit,
                                 const char *at_stage),
                       void *ctx, struct err *err);
/* The units of the person's memberships holding on date. */
int store_person_units(struct db *db, int64_t id, const char *date,
                       int (*fn)(void *ctx, const char *unit), void *ctx, struct err *err);
int store_membership_insert(struct db *db, struct membership_row *m, struct err *err);
int store_membership_get(struct db *db, struct arena *a, int64_t id, struct membership_row *out,
                         struct err *err);
int store_membership_end(struct db *db, int64_t id, const char *to, const char *reason,
                         struct err *err);
/* A person's memberships (of kind, or all when NULL) in time order. */
int store_memberships_of_person(struct db *db, struct arena *a, int64_t person_id, const char *kind,
                                int (*fn)(void *ctx, const struct membership_row *m), void *ctx,
                                struct err *err);
/* The memberships of an organisation (or a household) holding on date. */
int store_memberships_of(struct db *db, struct arena *a, bool household, int64_t id,
                         const char *date, int (*fn)(void *ctx, const struct membership_row *m),
                         void *ctx, struct err *err);
/* Distinct persons per unit with a membership of kind (stages ",a,b," or
 * "") holding on date, in unit order: the computed elements' source. */
/* Persons per unit who entered a stage of kind (",a,b,", "" any) on a day
 * in (after, until], not moved there from the same stage (a transfer):
 * their count, or with ages the sum of their ages on that day (persons
 * with a birth date only). */
int store_membership_entered(struct db *db, const char *kind, const char *stages, const char *after,
                             const char *until, bool ages,
                             int (*fn)(void *ctx, const char *unit, size_t len, double n),
                             void *ctx, struct err *err);
int store_membership_counts(struct db *db, const char *kind, const char *stages, const char *date,
                            int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                            struct err *err);
/* Per organisation (org_id 0: members attached to a unit without one)
 * inside scope: persons of kind with a `members` stage holding on date,
 * and those among them with a `formal` stage. */
int store_member_counts(struct db *db, const char *kind, const char *formal, const char *members,
                        const char *date, const char *scope,
                        int (*fn)(void *ctx, int64_t org_id, const char *unit, long formal,
                                  long members),
                        void *ctx, struct err *err);

/* ---- party statistics (party_stats.c) ---- */

#define STORE_STATS_BOUNDS 8 /* age bounds a query takes */
/* Memberships of kind inside scope holding on date, grouped by their
 * unit's first prefix_len characters (the unit's own code for those at the
 * unit itself when it is shorter); ages put in bands by how many of the
 * days born_by[] (YYYY-MM-DD, rising ages: falling days) the birth date is
 * on or before. */
struct store_stats_query {
    const char *kind, *scope, *date;
    int prefix_len;
    const char *const *born_by;
    int nbounds; /* at most STORE_STATS_BOUNDS */
};
/* One group of members: band -1 when the birth date is unknown. */
struct store_stats_group {
    const char *prefix, *stage, *sex, *education, *ethnicity;
    int band;
    long n;
};
int store_member_stats(struct db *db, const struct store_stats_query *q,
                       int (*fn)(void *ctx, const struct store_stats_group *g), void *ctx,
                       struct err *err);
/* Per prefix: memberships of the query's kind and scope that entered stage
 * on a day in (after, date] other than by a transfer (as
 * store_membership_entered counts them); aged of them with a birth date,
 * ages the sum of their whole years on the day they entered. */
int store_admitted_stats(struct db *db, const struct store_stats_query *q, const char *stage,
                         const char *after,
                         int (*fn)(void *ctx, const char *prefix, long n, long aged, long ages),
                         void *ctx, struct err *err);

int store_household_insert(struct db *db, struct household_row *h, struct err *err);
int store_household_update(struct db *db, struct household_row *h, struct err *err);
int store_household_get(struct db *db, struct arena *a, int64_t id, struct household_row *out,
                        struct err *err);
/* The first household of unit at exactly this address (ERR_NOT_FOUND: none). */
int store_household_find(struct db *db, struct arena *a, const char *unit, const char *address,
                         struct household_row *out, struct err *err);
int store_households_list(struct db *db, struct arena *a, const char *scope, const char *tag,
                          const char *after_unit, int64_t after_id, int limit,
                          int (*fn)(void *ctx, const struct household_row *h), void *ctx,
                          struct err *err);
int store_household_tags(struct db *db, int64_t id, int (*fn)(void *ctx, const char *tag),
                         void *ctx, struct err *err);
int store_household_tags_set(struct db *db, int64_t id, const char *const *tags, size_t n,
                             struct err *err);
int store_org_insert(struct db *db, struct org_row *o, struct err *err);
int store_org_update(struct db *db, const struct org_row *o, struct err *err);
int store_org_get(struct db *db, struct arena *a, int64_t id, struct org_row *out, struct err *err);
/* Organisations attached to units inside scope (current: not dissolved). */
int store_orgs_list(struct db *db, struct arena *a, const char *scope, bool current,
                    int (*fn)(void *ctx, const struct org_row *o), void *ctx, struct err *err);
/* Every organisation by id with only its id, type, unit, founded_on and
 * dissolved_on ("" while it exists; the other strings ""): what a
 * province's compliance needs. */
int store_orgs_spans(struct db *db, struct arena *a, int (*fn)(void *ctx, const struct org_row *o),
                     void *ctx, struct err *err);
/* Organisations per unit of the types (",a,b," or "" for all) existing on date. */
int store_org_counts(struct db *db, const char *types, const char *date,
                     int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                     struct err *err);

/* ---- 党员积分 and 党费 (points.c): a point claim's row (the subject of a
 * "points" case) and a member's dues basis and paid months ---- */

/* Sets p->id. */
int store_points_insert(struct db *db, struct case_points *p, struct err *err);
/* Writes counted and day of entry p->id (a step changes counted; an event
 * moved to another day moves the points its attendance earned). */
int store_points_update(struct db *db, const struct case_points *p, struct err *err);
int store_points_by_case(struct db *db, struct arena *a, int64_t case_id, struct case_points *out,
                         struct err *err);
/* The entries another engine wrote from `source` record `ref` (an event's
 * attendance: "event", its id), in case order. */
int store_points_by_source(struct db *db, struct arena *a, const char *source, const char *ref,
                           int (*fn)(void *ctx, const struct case_points *p), void *ctx,
                           struct err *err);
/* A person's entries with day in [from, to), other than entry `skip`:
 * *rule_abs the sum of |points| of rule `rule`, *bonus the sum of the
 * positive points of any rule; counted ones, and with pending_too the
 * open (not final) ones as well. */
int store_points_sums(struct db *db, int64_t person, const char *rule, const char *from,
                      const char *to, bool pending_too, int64_t skip, long *rule_abs, long *bonus,
                      struct err *err);
struct point_filter {
    int64_t person_id;     /* 0: any, inside scope */
    const char *scope;     /* entry unit's subtree, "" all */
    const char *from, *to; /* day in [from, to) */
    int open;              /* 1: only open (待审) ones, 0 any */
    int64_t before_id;     /* cursor: entry ids below it; 0 = from the newest */
    int limit;
};
/* Newest first; rows valid during fn. */
int store_points_list(struct db *db, const struct point_filter *f,
                      int (*fn)(void *ctx, const struct point_row *r), void *ctx, struct err *err);
/* Counted points per person of entries in scope with day in [from, to). */
int store_points_totals(struct db *db, const char *scope, const char *from, const char *to,
                        int (*fn)(void *ctx, int64_t person, long total), void *ctx,
                        struct err *err);
/* Counted points per unit with day in [from, to), in unit order. */
int store_points_unit_sums(struct db *db, const char *from, const char *to,
                           int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                           struct err *err);

/* Inserts or replaces the person's basis for the year. */
int store_dues_basis_put(struct db *db, const struct dues_basis_row *b, struct err *err);
/* The person's bases, by year. */
int store_dues_bases(struct db *db, int64_t person,
                     int (*fn)(void *ctx, const struct dues_basis_row *b), void *ctx,
                     struct err *err);
/* ERR_CONFLICT when the month is paid already. */
int store_dues_payment_insert(struct db *db, const struct dues_payment_row *p, struct err *err);
/* The person's paid months in [from, to) ("YYYY-MM"), by month. */
int store_dues_payments(struct db *db, int64_t person, const char *from, const char *to,
                        int (*fn)(void *ctx, const struct dues_payment_row *p), void *ctx,
                        struct err *err);
/* ---- events: meetings, visits, trainings … with participants and files
 * (events.c; strings in the arena unless said) ---- */

/* Events inside scope with day in [from, next) (either may be ""), of type
 * and org_id and status unless ""/0, newest first after (after_day,
 * after_id) unless after_day is "". */
struct store_event_filter {
    const char *scope, *type, *status, *from, *next, *after_day;
    int64_t org_id, after_id;
    int limit;
};
int store_event_insert(struct db *db, struct event_row *e, struct err *err);
int store_event_update(struct db *db, const struct event_row *e, struct err *err);
int store_event_get(struct db *db, struct arena *a, int64_t id, struct event_row *out,
                    struct err *err);
int store_events_list(struct db *db, struct arena *a, const struct store_event_filter *f,
                      int (*fn)(void *ctx, const struct event_row *e), void *ctx, struct err *err);
/* Replaces the event's participants with rows[0..n). */
int store_event_participants_set(struct db *db, int64_t event_id,
                                 const struct participant_row *rows, size_t n, struct err *err);
int store_event_participants(struct db *db, struct arena *a, int64_t event_id,
                             int (*fn)(void *ctx, const struct participant_row *p), void *ctx,
                             struct err *err);
/* Held events of an organisation inside scope with day in [from, next),
 * by organiser, type and day (strings valid during fn). */
int store_events_held(struct db *db, const char *scope, const char *from, const char *next,
                      int (*fn)(void *ctx, int64_t org_id, const char *type, const char *day),
                      void *ctx, struct err *err);
/* Memberships of kind at stage holding some day of [from, next), inside
 * scope (by the membership's unit), in no particular order. */
int store_memberships_between(struct db *db, const char *kind, const char *stage, const char *scope,
                              const char *from, const char *next,
                              int (*fn)(void *ctx, int64_t person_id, int64_t org_id,
                                        const char *from_date, const char *to_date),
                              void *ctx, struct err *err);
/* Attendance with a code in ",a,b," at held events of type in [from, next),
 * by person and day, of the persons holding a membership of kind and stage
 * at some time in [from, next). */
int store_attended(struct db *db, const char *type, const char *codes, const char *kind,
                   const char *stage, const char *from, const char *next,
                   int (*fn)(void *ctx, int64_t person_id, const char *day), void *ctx,
                   struct err *err);
/* A person's events with day in [from, next), oldest first, with their
 * own attendance and values. */
int store_person_events(struct db *db, struct arena *a, int64_t person_id, const char *from,
                        const char *next,
                        int (*fn)(void *ctx, const struct event_row *e,
                                  const struct participant_row *p),
                        void *ctx, struct err *err);

/* ---- requests made with an Idempotency-Key (app/idempotency.c) ---- */

struct idem_row {
    const char *fingerprint, *content_type;
    int status; /* 0: the write committed, its answer not stored */
    void *body;
    size_t len;
};
/* The record of (principal, key), strings in a; ERR_NOT_FOUND when none. */
int store_idem_get(struct db *db, struct arena *a, const char *principal, const char *key,
                   struct idem_row *out, struct err *err);
/* Inserts the record, status 0; ERR_CONFLICT when (principal, key) has one. */
int store_idem_claim(struct db *db, const char *principal, const char *key, const char *fingerprint,
                     const char *created_at, struct err *err);
/* Stores the answer of the record. */
int store_idem_answer(struct db *db, const char *principal, const char *key, int status,
                      const char *content_type, const void *body, size_t len, struct err *err);
/* Deletes the records made before `before` (an ISO time). */
int store_idem_prune(struct db *db, const char *before, struct err *err);

/* ---- evaluations: campaigns, subjects, rater groups, ballot codes and
 * ballots (evaluations.c; strings in the arena) ---- */

struct eval_campaign_row {
    int64_t id;
    const char *name;
    int year;
    const char *kind, *form, *rule, *unit, *status, *notice_until;
    const char *created_by, *created_at, *closed_at;
};
/* A rater group with its codes issued and used (turnout). */
struct eval_group_row {
    int seq, weight;
    const char *name;
    int64_t issued, cast;
};
struct eval_subject_row {
    int seq;
    const char *name, *unit;          /* unit: "" when none */
    int64_t department_id, person_id; /* 0 when none */
};
int store_eval_campaign_insert(struct db *db, struct eval_campaign_row *c, struct err *err);
int store_eval_campaign_get(struct db *db, struct arena *a, int64_t id,
                            struct eval_campaign_row *out, struct err *err);
/* Campaigns whose unit is inside scope, of year unless 0, newest first. */
int store_eval_campaigns(struct db *db, struct arena *a, const char *scope, int year,
                         int (*fn)(void *ctx, const struct eval_campaign_row *c), void *ctx,
                         struct err *err);
int store_eval_campaign_close(struct db *db, int64_t id, const char *closed_at,
                              const char *notice_until, struct err *err);
int store_eval_group_insert(struct db *db, int64_t campaign_id, const struct eval_group_row *g,
                            struct err *err);
/* The campaign's rater groups; issued and cast counted only if counts (a
 * count reads every code of the group). */
int store_eval_groups(struct db *db, struct arena *a, int64_t campaign_id, bool counts,
                      int (*fn)(void *ctx, const struct eval_group_row *g), void *ctx,
                      struct err *err);
int store_eval_subject_insert(struct db *db, int64_t campaign_id, const struct eval_subject_row *s,
                              struct err *err);
int store_eval_subjects(struct db *db, struct arena *a, int64_t campaign_id,
                        int (*fn)(void *ctx, const struct eval_subject_row *s), void *ctx,
                        struct err *err);
int store_eval_code_insert(struct db *db, const char *hash, int64_t campaign_id, int grp,
                           struct err *err);
/* What casting a ballot needs of the code of hash, read in one statement
 * (one snapshot): its campaign's status, form and unit, its group, whether
 * it was used and the campaign's number of subjects; ERR_NOT_FOUND when
 * there is no such code. */
struct eval_code_ballot {
    int64_t campaign_id;
    int grp;
    bool used;
    const char *status, *form, *unit;
    size_t nsubjects;
};
int store_eval_code_ballot(struct db *db, struct arena *a, const char *hash,
                           struct eval_code_ballot *out, struct err *err);
/* Marks an unused code of an open campaign used: ERR_CONFLICT when it was
 * used already, is unknown or its campaign has closed; of concurrent callers
 * exactly one succeeds. */
int store_eval_code_use(struct db *db, const char *hash, struct err *err);
/* Stores a ballot and counts it in its group's turnout (eval_groups.cast_n). */
int store_eval_ballot_insert(struct db *db, const char *id, int64_t campaign_id, int grp,
                             const char *answers, struct err *err);
/* Every ballot of a campaign, by group then id (answers valid during fn). */
int store_eval_ballots(struct db *db, int64_t campaign_id,
                       int (*fn)(void *ctx, int grp, const char *answers), void *ctx,
                       struct err *err);
/* Codes issued and ballots cast of campaigns of year whose unit is inside scope. */
int store_eval_counts(struct db *db, const char *scope, int year, int64_t *issued, int64_t *cast,
                      struct err *err);
/* Codes issued and used per organiser's unit of the campaigns of years
 * [from_year, to_year]. */
int store_eval_unit_counts(struct db *db, int from_year, int to_year,
                           int (*fn)(void *ctx, const char *unit, int64_t issued, int64_t cast),
                           void *ctx, struct err *err);
int store_eval_department_add(struct db *db, const char *county, const char *name, int64_t *id,
                              struct err *err);
int store_eval_department_get(struct db *db, struct arena *a, int64_t id, const char **county,
                              const char **name, struct err *err);
/* ---- evaluations, part two (eval_outcomes.c): outcomes of closed
 * campaigns, the department register, codes revoked ---- */
struct eval_outcome_row {
    int seq, rank;     /* rank 0: not ranked */
    int64_t person_id; /* 0 when the subject is no person */
    bool scored;       /* false: no valid vote (score meaningless) */
    double score;
    const char *grade; /* a member review's grade code, "" none */
    int64_t case_id;   /* the 整改 case, 0 none */
};
struct eval_department_row {
    int64_t id;
    const char *county, *name;
    bool active;
};
int store_eval_outcome_insert(struct db *db, int64_t campaign_id, const struct eval_outcome_row *o,
                              struct err *err);
int store_eval_outcomes(struct db *db, struct arena *a, int64_t campaign_id,
                        int (*fn)(void *ctx, const struct eval_outcome_row *o), void *ctx,
                        struct err *err);
/* A person's outcomes (as a subject) with their campaigns, newest first;
 * the campaign row has id, name, year, form and closed_at only. */
int store_eval_person_outcomes(struct db *db, struct arena *a, int64_t person_id,
                               int (*fn)(void *ctx, const struct eval_campaign_row *c,
                                         const struct eval_outcome_row *o),
                               void *ctx, struct err *err);
int store_eval_ballot_count(struct db *db, int64_t campaign_id, int64_t *n, struct err *err);
/* Departments of counties inside scope (retired ones only when asked). */
int store_eval_departments(struct db *db, struct arena *a, const char *scope, bool retired_too,
                           int (*fn)(void *ctx, const struct eval_department_row *d), void *ctx,
                           struct err *err);
int store_eval_department_update(struct db *db, int64_t id, const char *name, bool active,
                                 struct err *err);
int store_eval_department_active(struct db *db, int64_t id, bool *active, struct err *err);
/* Deletes an unused code of the campaign: ERR_NOT_FOUND (no message) when
 * there is none such (unknown, of another campaign, or used). */
int store_eval_code_revoke(struct db *db, const char *hash, int64_t campaign_id, struct err *err);
/* ---- grids, contact links and visits (store/grids.c, app/grids.h) ---- */
int store_grid_sizes(struct db *db, const char *scope,
                     int (*fn)(void *ctx, const char *unit, long households, long people),
                     void *ctx, struct err *err);
int store_grid_workers(struct db *db, const char *scope,
                       int (*fn)(void *ctx, const char *unit, long n), void *ctx, struct err *err);
/* Per unit of the subtree: members with current links of duty to its
 * households, and the households linked (党员联户 ratio). */
int store_grid_member_links(struct db *db, const char *scope, const char *duty,
                            int (*fn)(void *ctx, const char *unit, long members, long linked),
                            void *ctx, struct err *err);
/* The current links of duty held by person. */
int store_contact_links_of(struct db *db, int64_t person, const char *duty, long *n,
                           struct err *err);
/* Moves the households (their residents, their contact links) of unit from
 * into unit to; *moved (may be NULL) the households moved. */
int store_grid_move_all(struct db *db, const char *from, const char *to, const char *at,
                        int64_t *moved, struct err *err);
int store_household_move(struct db *db, int64_t id, const char *to, const char *at,
                         struct err *err);
int store_contact_link_insert(struct db *db, const char *duty, int64_t person, const char *unit,
                              int64_t household, int64_t mentee, const char *partner,
                              const char *from, const char *by, const char *at, int64_t *id,
                              struct err *err);
int store_contact_link_end(struct db *db, int64_t id, const char *to, struct err *err);
int store_contact_link_unit(struct db *db, int64_t id, char unit[19], struct err *err);
/* Rows: id, duty, person_id, unit, household_id, partner, from_date,
 * to_date, person_name, address. */
int store_contact_links(struct db *db, const char *scope, const char *from, const char *next,
                        int (*fn)(void *ctx, struct db_stmt *row), void *ctx, struct err *err);
int store_visit_days(struct db *db, const char *scope, const char *from, const char *next,
                     int (*fn)(void *ctx, int64_t person, const char *unit, int64_t household,
                               int64_t mentee, const char *day),
                     void *ctx, struct err *err);
struct store_visit {
    int64_t person_id, household_id, case_id, mentee_id; /* 0: none */
    const char *unit, *day, *method, *findings, *needs, *place, *topic, *by, *at;
};
/* The held event of type "visit", its participant and its details. */
int store_visit_insert(struct db *db, const struct store_visit *v, int64_t *event_id,
                       struct err *err);
/* Rows: event_id, person_id, person_name, unit, household_id, address,
 * day, method, findings, needs, case_id, mentee_id, mentee_name. */
int store_visits_list(struct db *db, const char *scope, int limit,
                      int (*fn)(void *ctx, struct db_stmt *row), void *ctx, struct err *err);
/* ---- 万企兴万村 records per pair and year (grid_pairs.c, migration 036) ---- */
/* A contact link's duty, unit and whether it has ended. */
int store_contact_link_get(struct db *db, int64_t id, char duty[65], char unit[19], bool *ended,
                           struct err *err);
struct store_pair_record {
    int64_t link_id, year, projects, jobs;
    double purchases, donations; /* 万元 */
    const char *unit, *notes, *by, *at;
};
/* Inserts or replaces the record of (link_id, year). */
int store_pair_record_put(struct db *db, const struct store_pair_record *r, struct err *err);
/* Rows: id, person_id, person_name, unit, partner, from_date, to_date,
 * projects, jobs, purchases, donations, notes, updated_at ('' no record). */
int store_pairs_list(struct db *db, const char *scope, const char *duty, int year,
                     int (*fn)(void *ctx, struct db_stmt *row), void *ctx, struct err *err);
/* Sums per village (projects, jobs, purchases, donations) of years [first, last]. */
int store_pair_totals(struct db *db, int first, int last,
                      int (*fn)(void *ctx, const char *unit, const double sums[4]), void *ctx,
                      struct err *err);
/* The visit case_id was raised from (rows as store_visits_list). */
int store_visit_of_case(struct db *db, int64_t case_id, int (*fn)(void *ctx, struct db_stmt *row),
                        void *ctx, struct err *err);
/* ---- health: facilities, family-doctor teams, contracts, residents'
 * health tags and unit locations (health.c, migration 030) ---- */
#include "store/health_rows.h"
int store_health_facility_insert(struct db *db, struct health_facility_row *f, struct err *err);
/* Type, name and location of facility f->id (its unit stays). */
int store_health_facility_update(struct db *db, const struct health_facility_row *f,
                                 struct err *err);
int store_health_facility_get(struct db *db, struct arena *a, int64_t id,
                              struct health_facility_row *out, struct err *err);
int store_health_facilities(struct db *db, struct arena *a, const char *scope,
                            int (*fn)(void *ctx, const struct health_facility_row *f), void *ctx,
                            struct err *err);
int store_health_team_insert(struct db *db, struct health_team_row *t, struct err *err);
int store_health_team_get(struct db *db, struct arena *a, int64_t id, struct health_team_row *out,
                          struct err *err);
int store_health_teams(struct db *db, struct arena *a, const char *scope,
                       int (*fn)(void *ctx, const struct health_team_row *t), void *ctx,
                       struct err *err);
/* The first contract of the person overlapping [start, end) (*id 0: none). */
int store_health_contract_overlap(struct db *db, struct arena *a, int64_t person_id,
                                  const char *start, const char *end, int64_t *id,
                                  const char **ostart, const char **oend, struct err *err);
int store_health_contract_insert(struct db *db, struct health_contract_row *c, struct err *err);
int store_health_contract_stop(struct db *db, int64_t id, const char *day, const char *reason,
                               struct err *err);
int store_health_contract_get(struct db *db, struct arena *a, int64_t id,
                              struct health_contract_row *out, struct err *err);
/* Contracts of a subtree (holding on `on` when not ""), newest first. */
int store_health_contracts(struct db *db, struct arena *a, const char *scope, const char *on,
                           int limit, int (*fn)(void *ctx, const struct health_contract_row *c),
                           void *ctx, struct err *err);
int store_health_tags_set(struct db *db, int64_t person_id, const char *const *tags, size_t n,
                          struct err *err);
int store_health_point_set(struct db *db, const char *unit, double lat, double lng,
                           struct err *err);
int store_health_points(struct db *db, const char *scope,
                        int (*fn)(void *ctx, const char *unit, double lat, double lng), void *ctx,
                        struct err *err);
/* Every resident of a subtree in person order with tags and whether a
 * contract holds on today (row strings valid during fn only). */
int store_health_residents(struct db *db, struct arena *a, const char *scope, const char *today,
                           int (*fn)(void *ctx, const struct health_resident_row *r), void *ctx,
                           struct err *err);
/* Persons per unit of a subtree, in unit order (kept by migration 048's triggers). */
int store_health_people_by_unit(struct db *db, const char *scope,
                                int (*fn)(void *ctx, const char *unit, long n), void *ctx,
                                struct err *err);
/* A person's contracts, newest first, and their health tags ",a,b,"
 * (with those of their households on `on`, prefixed) into tags[cap]. */
int store_health_person(struct db *db, struct arena *a, int64_t person_id, const char *on,
                        int (*fn)(void *ctx, const struct health_contract_row *c), void *ctx,
                        char *tags, size_t cap, struct err *err);

/* ---- health followups: 随访 (health_followups.c, migration 044) ---- */
int store_health_followup_insert(struct db *db, struct health_followup_row *f, struct err *err);
/* A resident's follow-ups, newest first, at most limit. */
int store_health_followups_of(struct db *db, struct arena *a, int64_t person_id, int limit,
                              int (*fn)(void *ctx, const struct health_followup_row *f), void *ctx,
                              struct err *err);
/* (person, day, method) of the follow-ups on days [from, to] of the
 * residents of the subtree scope, in person and day order. */
int store_health_followup_days(struct db *db, struct arena *a, const char *scope, const char *from,
                               const char *to,
                               int (*fn)(void *ctx, int64_t person_id, const char *day,
                                         const char *method),
                               void *ctx, struct err *err);
/* (person, start, end) of the family-doctor contracts [start, end) of the
 * residents of the subtree scope holding on some day of [from, next), in
 * person and start order. */
int store_health_contract_spans(struct db *db, struct arena *a, const char *scope, const char *from,
                                const char *next,
                                int (*fn)(void *ctx, int64_t person_id, const char *start,
                                          const char *end),
                                void *ctx, struct err *err);

#endif
