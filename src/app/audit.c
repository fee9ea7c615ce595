/*
 * audit.c — the trail's keys, its checkpoints and `audit verify` (audit.h).
 *
 * A checkpoint records committed state only: the head is read in a
 * transaction of its own, after the writes it covers committed, never
 * inside one (a checkpoint of a record that then rolled back would later
 * look like tampering). The checkpoint file is opened for each line
 * (O_APPEND, so lines from several processes never overwrite each other,
 * and a file moved aside is simply started anew) and synced before the
 * next is written.
 */
#include "app/audit_int.h"
#include "app/keyfile.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WATCH_SECONDS 1
#define TAIL_BYTES    4096 /* enough for the last lines of the file */

struct audit_state {
    struct audit_keys keys;
    char path[CONFIG_PATH_MAX + 32];
    bool syslog;
    pthread_mutex_t mu;           /* guards last, have_last, tampered, and writing */
    struct audit_checkpoint last; /* the newest checkpoint known: written here or in the file */
    bool have_last;
    bool tampered;       /* the record of `last` changed: alarm raised, no more checkpoints */
    bool ready;          /* keys loaded, head read: checkpoints may be written */
    int64_t open_seq;    /* the head when the app opened */
    pthread_t thread;    /* the watcher, when `watching` */
    bool watching, stop; /* stop guarded by wmu */
    pthread_mutex_t wmu;
    pthread_cond_t wcv;
};

const struct audit_keys *audit_keys_of(const struct app *app)
{
    return &app->audit->keys;
}

const char *audit_checkpoints_path(const struct app *app)
{
    return app->audit->path;
}

/* ---- the checkpoint file ---- */

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Makes a new file's directory entry durable. */
static void sync_parent(const char *path)
{
    char dir[CONFIG_PATH_MAX + 32];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

static int append_line(const char *path, const char *line, struct err *err)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0) return err_set(err, ERR_IO, "无法打开检查点文件 %s：%s", path, strerror(errno));
    struct stat st;
    bool fresh = fstat(fd, &st) == 0 && st.st_size == 0;
    int rc = ERR_OK;
    if (write_all(fd, line, strlen(line)) != 0 || fsync(fd) != 0)
        rc = err_set(err, ERR_IO, "无法写入检查点文件 %s：%s", path, strerror(errno));
    if (close(fd) != 0 && rc == ERR_OK)
        rc = err_set(err, ERR_IO, "无法写入检查点文件 %s：%s", path, strerror(errno));
    if (rc == ERR_OK && fresh) sync_parent(path);
    return rc;
}

/* The newest valid checkpoint in the last TAIL_BYTES of the file. */
static void read_last(struct audit_state *st)
{
    int fd = open(st->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return;
    char buf[TAIL_BYTES + 1];
    off_t size = lseek(fd, 0, SEEK_END);
    off_t from = size > TAIL_BYTES ? size - TAIL_BYTES : 0;
    ssize_t n = size > 0 ? pread(fd, buf, (size_t)(size - from), from) : 0;
    close(fd);
    if (n <= 0) return;
    buf[n] = '\0';
    for (char *line = buf, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        struct audit_checkpoint cp;
        if (audit_checkpoint_parse(&st->keys, line, (size_t)(nl - line), &cp) == AUDIT_CP_OK &&
            (!st->have_last || cp.seq >= st->last.seq)) {
            st->last = cp;
            st->have_last = true;
        }
    }
}

/* The head, in a read transaction of its own. */
static int read_head(struct app *app, int64_t *seq, char hash[AUDIT_HASH_HEX + 1], bool *same,
                     const struct audit_checkpoint *anchor, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = store_audit_head(db, seq, hash, err);
    *same = true;
    if (!rc && anchor) {
        char at[AUDIT_HASH_HEX + 1];
        bool found;
        rc = store_audit_hash_at(db, anchor->seq, at, &found, err);
        *same = rc || (found && strcmp(at, anchor->hash) == 0);
    }
    db_rollback(db);
    store_release(app->store, db);
    return rc;
}

static void alarm_tamper(struct audit_state *st)
{
    char text[320];
    snprintf(text, sizeof text,
             "audit.tamper: record %lld no longer has the hash checkpointed at %s; run `jiceng "
             "audit verify`",
             (long long)st->last.seq, st->last.at);
    log_msg(LOG_ERROR, "audit.tamper", "seq=%lld checkpoint_at=%s", (long long)st->last.seq,
            st->last.at);
    if (st->syslog) audit_syslog(true, text);
}

int audit_checkpoint(struct app *app, struct err *err)
{
    struct audit_state *st = app->audit;
    pthread_mutex_lock(&st->mu);
    struct audit_checkpoint cp = {0};
    bool same = true;
    int rc = st->tampered
                 ? ERR_OK
                 : read_head(app, &cp.seq, cp.hash, &same, st->have_last ? &st->last : NULL, err);
    if (!rc && !st->tampered && !same) { /* also when every record is gone */
        st->tampered = true;
        alarm_tamper(st);
    }
    if (rc || st->tampered || cp.seq == 0 ||
        (st->have_last && cp.seq == st->last.seq && strcmp(cp.hash, st->last.hash) == 0)) {
        pthread_mutex_unlock(&st->mu);
        return rc;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    audit_time_format((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, cp.at);
    char line[AUDIT_CHECKPOINT_MAX];
    audit_checkpoint_format(&st->keys, &cp, line);
    rc = append_line(st->path, line, err);
    if (st->syslog) {
        line[strcspn(line, "\n")] = '\0';
        audit_syslog(false, line);
    }
    if (rc == ERR_OK) {
        st->last = cp;
        st->have_last = true;
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

/* ---- the watcher ---- */

static void *watch(void *arg)
{
    struct app *app = arg;
    struct audit_state *st = app->audit;
    bool failing = false; /* say it when it starts failing, not every second */
    pthread_mutex_lock(&st->wmu);
    while (!st->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += WATCH_SECONDS;
        pthread_cond_timedwait(&st->wcv, &st->wmu, &until);
        if (st->stop) break;
        pthread_mutex_unlock(&st->wmu);
        struct err err;
        err_clear(&err);
        int rc = audit_checkpoint(app, &err);
        if (rc && !failing) log_msg(LOG_ERROR, "audit.checkpoint", "msg=\"%s\"", err.msg);
        failing = rc != ERR_OK;
        pthread_mutex_lock(&st->wmu);
    }
    pthread_mutex_unlock(&st->wmu);
    return NULL;
}

int audit_watch(struct app *app, struct err *err)
{
    struct audit_state *st = app->audit;
    if (st->watching) return ERR_OK;
    if (pthread_create(&st->thread, NULL, watch, app) != 0)
        return err_set(err, ERR_INTERNAL, "cannot start the audit checkpoint thread");
    st->watching = true;
    return ERR_OK;
}

/* ---- opening and closing ---- */

static int load_keys(struct app *app, struct audit_state *st, struct err *err)
{
    char path[CONFIG_PATH_MAX + 32];
    unsigned char master[SEAL_KEY_BYTES];
    keyfile_path(&app->cfg, path, sizeof path);
    int rc = keyfile_read_master(path, master, err);
    if (!rc && audit_keys_derive(master, &st->keys) != 0)
        rc = err_set(err, ERR_INTERNAL, "审计密钥派生失败");
    sodium_memzero(master, sizeof master);
    return rc;
}

int audit_open(struct app *app, struct err *err)
{
    struct audit_state *st = xcalloc(1, sizeof *st);
    pthread_mutex_init(&st->mu, NULL);
    pthread_mutex_init(&st->wmu, NULL);
    pthread_cond_init(&st->wcv, NULL);
    app->audit = st;
    int rc = load_keys(app, st, err);
    if (rc) return rc;
    store_audit_key(app->store, st->keys.record);
    if (app->cfg.audit_checkpoints[0])
        snprintf(st->path, sizeof st->path, "%s", app->cfg.audit_checkpoints);
    else
        snprintf(st->path, sizeof st->path, "%s/audit.checkpoints", app->cfg.data);
    st->syslog = app->cfg.audit_syslog != 0;
    read_last(st);
    char hash[AUDIT_HASH_HEX + 1];
    bool same;
    struct err head_err;
    err_clear(&head_err);
    /* a missing head stops writes, not the opening: `audit verify` must
     * still run to report it */
    if (read_head(app, &st->open_seq, hash, &same, st->have_last ? &st->last : NULL, &head_err))
        log_msg(LOG_ERROR, "audit.head", "msg=\"%s\"", head_err.msg);
    else if (!same) {
        st->tampered = true;
        alarm_tamper(st);
    }
    st->ready = true;
    return ERR_OK;
}

void audit_close(struct app *app)
{
    struct audit_state *st = app ? app->audit : NULL;
    if (!st) return;
    if (st->watching) {
        pthread_mutex_lock(&st->wmu);
        st->stop = true;
        pthread_cond_signal(&st->wcv);
        pthread_mutex_unlock(&st->wmu);
        pthread_join(st->thread, NULL);
    }
    if (st->ready) {
        int64_t seq = 0;
        char hash[AUDIT_HASH_HEX + 1];
        bool same;
        struct err err;
        err_clear(&err);
        /* only a process whose writes moved the head writes a last one: a
         * reader (verify, backup) run as another user must not create the
         * file the server appends to */
        if (read_head(app, &seq, hash, &same, NULL, &err) == ERR_OK &&
            (seq != st->open_seq || st->watching) && audit_checkpoint(app, &err))
            log_msg(LOG_WARN, "audit.checkpoint", "msg=\"%s\"", err.msg);
    }
    if (app->store) store_audit_key(app->store, NULL);
    sodium_memzero(&st->keys, sizeof st->keys);
    pthread_mutex_destroy(&st->mu);
    pthread_mutex_destroy(&st->wmu);
    pthread_cond_destroy(&st->wcv);
    free(st);
    app->audit = NULL;
}

/* ---- reading ---- */

int audit_list(struct app *app, const struct audit_filter *f,
               int (*fn)(void *ctx, const struct audit_record *r), void *ctx, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_audit_list(db, f, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}

int audit_write(struct app *app, const struct audit_entry *e, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_audit_write(db, e, err);
    store_release(app->store, db);
    return rc;
}

/* ---- verify ---- */

struct cps {
    struct audit_checkpoint *v;
    size_t n, cap;
};

struct reporter {
    audit_report_fn report;
    void *ctx;
    int problems;
};

static void report_to(struct reporter *r, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report_to(struct reporter *r, int64_t seq, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->problems++;
    if (r->report) r->report(r->ctx, seq, msg);
}

/* Reads the checkpoints of one file; a line that names itself a
 * checkpoint but is malformed or wrongly signed is a problem, except a
 * last line without its newline (a write cut short by a crash). *found
 * false when the file does not exist. */
static int read_cps(const struct audit_keys *k, const char *path, struct cps *out, bool *found,
                    struct reporter *rep, struct err *err)
{
    FILE *f = fopen(path, "re");
    *found = f != NULL;
    if (!f)
        return errno == ENOENT
                   ? ERR_OK
                   : err_set(err, ERR_IO, "无法读取检查点文件 %s：%s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long no = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        no++;
        bool whole = line[n - 1] == '\n';
        struct audit_checkpoint cp;
        int r = audit_checkpoint_parse(k, line, (size_t)n - whole, &cp);
        if (r == AUDIT_CP_BAD && whole)
            report_to(rep, 0,
                      "检查点文件 %s 第 %ld 行签名无效或格式错误（被改动，或不是用本密钥写的）",
                      path, no);
        if (r != AUDIT_CP_OK) continue;
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 256;
            out->v = xrealloc(out->v, out->cap * sizeof *out->v);
        }
        out->v[out->n++] = cp;
    }
    free(line);
    fclose(f);
    return ERR_OK;
}

struct taking {
    struct audit_verifier *v;
    struct audit_rows *rows;
};

static int take(void *ctx, const struct audit_record *r)
{
    struct taking *t = ctx;
    audit_rows_take(t->rows, r, t->v->record_ok);
    return 0;
}

static void verify_report(void *ctx, int64_t seq, const char *problem)
{
    struct reporter *r = ctx;
    if (r->report) r->report(r->ctx, seq, problem);
}

int audit_verify_db(struct app *app, struct db *db, const struct audit_verify_opts *o,
                    audit_report_fn report, void *ctx, struct audit_verify_result *out,
                    struct err *err)
{
    static const struct audit_verify_opts none = {0};
    if (!o) o = &none;
    memset(out, 0, sizeof *out);
    const struct audit_keys *k = audit_keys_of(app);
    struct reporter rep = {report, ctx, 0};
    struct cps cps = {0};
    bool found;
    int rc = read_cps(k, app->audit->path, &cps, &out->cp_file, &rep, err);
    for (size_t i = 0; !rc && o->checkpoints && o->checkpoints[i]; i++)
        if (!(rc = read_cps(k, o->checkpoints[i], &cps, &found, &rep, err)) && !found)
            rc = err_set(err, ERR_NOT_FOUND, "检查点文件 %s 不存在", o->checkpoints[i]);
    audit_checkpoints_sort(cps.v, cps.n);
    struct audit_verifier v;
    audit_verify_init(&v, k, verify_report, &rep);
    v.cps = cps.v;
    v.ncps = cps.n;
    v.prefix = o->prefix;
    struct audit_rows *rows = audit_rows_new();
    struct taking t = {&v, rows};
    bool own = db->tx_depth == 0;
    if (!rc && own) rc = db_begin(db, false, err); /* one snapshot: chain, head and rows */
    if (!rc) rc = store_audit_verify(db, &v, take, &t, err);
    if (!rc) rc = audit_rows_compare(app, db, rows, report, ctx, out, err);
    if (own) db_rollback(db);
    audit_rows_free(rows);
    free(cps.v);
    out->records = v.checked;
    out->keyed = v.keyed;
    out->head = v.last_seq;
    out->checkpoints = (int64_t)cps.n;
    out->cps_matched = v.cps_matched;
    out->problems = v.problems + rep.problems + out->row_problems;
    return rc;
}

int audit_verify(struct app *app, const struct audit_verify_opts *o, audit_report_fn report,
                 void *ctx, struct audit_verify_result *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = audit_verify_db(app, db, o, report, ctx, out, err);
    store_release(app->store, db);
    return rc;
}
