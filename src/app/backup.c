/* backup.c — a checked, consistent copy of the whole database (backup.h). */
#include "app/backup.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Syncs a file's bytes, or (dir) a directory's entries. */
static int sync_path(const char *path, bool dir, struct err *err)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int kind = err_set(err, ERR_IO, "cannot sync %s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return kind;
    }
    close(fd);
    return ERR_OK;
}

static void parent_of(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    char *slash = strrchr(out, '/');
    if (slash == out)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(out, cap, ".");
}

static const struct audit_verify_opts copy_opts = {.prefix = true}; /* an earlier state */

static int backup_sqlite(struct app *app, const char *tmp, audit_report_fn report, void *ctx,
                         struct backup_result *out, struct err *err)
{
    int rc = store_backup_sqlite(app->cfg.data, tmp, err);
    struct db *db = NULL;
    if (!rc) rc = db_open_sqlite(tmp, false, &db, err);
    if (!rc) rc = store_integrity_check(db, out->integrity, sizeof out->integrity, err);
    if (!rc) rc = audit_verify_db(app, db, &copy_opts, report, ctx, &out->audit, err);
    db_close(db); /* the last connection: SQLite folds its WAL back in */
    if (!rc) rc = store_backup_standalone(tmp, err);
    return rc;
}

static int backup_postgres(struct app *app, const char *tmp, audit_report_fn report, void *ctx,
                           struct backup_result *out, struct err *err)
{
    char snapshot[128];
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err); /* REPEATABLE READ: one snapshot until rollback */
    if (!rc) rc = store_snapshot_export(db, snapshot, sizeof snapshot, err);
    if (!rc) rc = store_dump_postgres(app->cfg.db, snapshot, tmp, err);
    if (!rc) rc = audit_verify_db(app, db, &copy_opts, report, ctx, &out->audit, err);
    db_rollback(db);
    store_release(app->store, db);
    return rc;
}

int app_backup(struct app *app, const char *path, audit_report_fn report, void *ctx,
               struct backup_result *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    out->postgres = store_shared(app->store);
    struct stat st;
    if (lstat(path, &st) == 0)
        return err_set(err, ERR_CONFLICT, "%s 已存在：备份不会覆盖已有的文件", path);
    char tmp[PATH_MAX], dir[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return err_set(err, ERR_INVALID, "备份文件路径过长：%s", path);
    int fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600: the copy holds password hashes */
    if (fd < 0) return err_set(err, ERR_IO, "无法创建备份文件 %s：%s", tmp, strerror(errno));
    close(fd);
    int rc = out->postgres ? backup_postgres(app, tmp, report, ctx, out, err)
                           : backup_sqlite(app, tmp, report, ctx, out, err);
    parent_of(path, dir, sizeof dir);
    if (!rc) rc = sync_path(tmp, false, err);
    if (!rc && link(tmp, path) != 0) /* unlike rename, never replaces a file made meanwhile */
        rc = err_set(err, errno == EEXIST ? ERR_CONFLICT : ERR_IO, "无法写入备份文件 %s：%s", path,
                     strerror(errno));
    unlink(tmp);
    if (!rc) rc = sync_path(dir, true, err);
    if (!rc && stat(path, &st) == 0) out->bytes = (long long)st.st_size;
    out->seq = out->audit.head;
    return rc;
}
