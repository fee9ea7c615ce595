/*
 * backup.h — `jiceng backup FILE`: a consistent copy of the whole database
 * taken while servers write, checked before it is called a backup.
 *
 * SQLite: one read transaction copies every page (store_backup_sqlite);
 * the copy is made standalone, passes SQLite's integrity check, and its
 * audit trail is verified in full (app/audit.h, with the checkpoints up to
 * its end). PostgreSQL: pg_dump in a snapshot exported by a transaction of
 * ours, in which the audit trail is verified meanwhile — the dump holds
 * exactly what was checked; the archive is read back (pg_restore --list).
 * Either way the copy is written next to FILE under a temporary name,
 * synced, and renamed to FILE only when complete; an existing FILE is
 * never replaced. The personal-data key file is not in the copy.
 */
#ifndef JICENG_BACKUP_H
#define JICENG_BACKUP_H

#include "app/audit.h"

struct backup_result {
    bool postgres;       /* a pg_dump archive; else a SQLite database file */
    long long bytes;     /* size of FILE */
    int64_t seq;         /* the last audit record the copy holds */
    char integrity[256]; /* SQLite's first integrity finding, "" none */
    struct audit_verify_result audit;
};

/* Writes the backup to path. ERR_OK when the copy was written, even if
 * its checks found problems (out->integrity, out->audit.problems: the
 * copy is then kept as evidence of what the database held); report gets
 * each audit problem. ERR_CONFLICT when path exists. */
int app_backup(struct app *app, const char *path, audit_report_fn report, void *ctx,
               struct backup_result *out, struct err *err);

#endif
