/*
 * audit.h — the audit trail beyond its records: its keys, the signed
 * checkpoints that anchor it outside the database, the after-images the
 * writers record, and `audit verify`, which checks the chain, the
 * checkpoints and the current rows against the trail (store/audit.c
 * writes the records with every change; core/audit_chain.c is the chain).
 *
 * Keys: derived from the master key file (app/keyfile.h) when the app
 * opens; the record key goes to every store connection, so appends MAC
 * each new record. Checkpoints: one signed line "the chain had seq N with
 * hash H" appended (O_APPEND, fsync) to cfg.audit_checkpoints (default
 * DATA/audit.checkpoints) and, with cfg.audit_syslog, to syslog — at most
 * once a second while a server runs (audit_watch), and when the app
 * closes. Before writing one, the writer checks that the record of its
 * previous checkpoint still has the same hash, and logs `audit.tamper`
 * when it does not (then it writes none: the file keeps the evidence).
 */
#ifndef JICENG_AUDIT_H
#define JICENG_AUDIT_H

#include "app/app.h"
#include "base/arena.h"
#include "core/audit_chain.h"

struct db;

/* Loads the keys, gives the store the record key and finds the
 * checkpoint file (app_open). */
int audit_open(struct app *app, struct err *err);
/* Stops the watcher, writes a last checkpoint, wipes the keys
 * (app_close, before the store closes). NULL-safe. */
void audit_close(struct app *app);
/* Starts the watcher thread: a checkpoint each second the head moved
 * (`serve`). */
int audit_watch(struct app *app, struct err *err);
/* Writes a checkpoint now if the head moved since the last one. */
int audit_checkpoint(struct app *app, struct err *err);
/* The checkpoint file of the app (cfg.audit_checkpoints or its default). */
const char *audit_checkpoints_path(const struct app *app);

/* Records matching f, newest first; strings valid during fn. */
int audit_list(struct app *app, const struct audit_filter *f,
               int (*fn)(void *ctx, const struct audit_record *r), void *ctx, struct err *err);
/* One record in a transaction of its own, for reads worth recording
 * (a phone number revealed) and refusals. */
int audit_write(struct app *app, const struct audit_entry *e, struct err *err);

/* ---- verification ---- */

struct audit_verify_opts {
    const char *const *checkpoints; /* more checkpoint files (from syslog), NULL-terminated */
    bool prefix; /* the database is an earlier copy (a backup): checkpoints past its end are
                    not records deleted from it */
};

struct audit_verify_result {
    int64_t records, keyed;       /* records checked, of which MACed (format 2) */
    int64_t head;                 /* seq of the last record */
    int64_t checkpoints;          /* checkpoints read … */
    int64_t cps_matched;          /* … and found with their hash */
    bool cp_file;                 /* the configured checkpoint file exists */
    int64_t users, values, cases; /* current rows compared with their last after-image */
    int64_t cases_older;          /* cases created before after-images were written, not compared */
    int row_problems;             /* rows that differ from their image, have none, or are gone */
    int problems;                 /* all problems, those of the rows included */
};

/* Checks the whole trail in one read snapshot: every record's hash or MAC
 * and link, the head, the checkpoints, and every current user, data value
 * and case against the last after-image the trail holds of it. report
 * (may be NULL) gets each problem with the seq it concerns (0 when none).
 * Returns ERR_OK when the check ran, whatever it found. */
int audit_verify(struct app *app, const struct audit_verify_opts *o, audit_report_fn report,
                 void *ctx, struct audit_verify_result *out, struct err *err);
/* The same on another connection (a backup's copy); inside db's open
 * transaction when there is one, else in a read transaction of its own. */
int audit_verify_db(struct app *app, struct db *db, const struct audit_verify_opts *o,
                    audit_report_fn report, void *ctx, struct audit_verify_result *out,
                    struct err *err);

/* ---- after-images the writers record ---- */

/* A user's JSON (users_write_json) with "password": the fingerprint of the
 * password hash, so verify notices a hash swapped in the database. In a. */
const char *audit_user_image(struct app *app, struct arena *a, const char *user_json,
                             const char *password_hash);
/* The after-image of the cases ids[0..n) as written in db's open write
 * transaction: for one case {"changes": changes, "case": {id, kind, state,
 * owner_unit, version, digest, dv}}, for several {"changes": changes,
 * "dv": …, "columns": [...], "cases": [[...], …]} (changes: what the
 * record held before, JSON; left out when NULL); digest is the fingerprint
 * of every column of the case's row, its rating row and its answers, dv
 * the version of that list of columns (STORE_CASE_DIGEST_VERSION). In a. */
int audit_case_after(struct app *app, struct db *db, struct arena *a, const int64_t *ids, size_t n,
                     const char *changes, const char **after, struct err *err);

#endif
