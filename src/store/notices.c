/* notices.c — notifications, notices (通知公告) and who may hear of a case
 * (store.h). */
#include "store/store.h"

#include <string.h>

#define NOTIFICATION_COLS                                                                          \
    "x.id, x.username, x.at, x.unit, x.kind, coalesce(x.case_id, 0) AS case_id, "                  \
    "coalesce(x.notice_id, 0) AS notice_id, x.what, x.title, coalesce(x.read_at, '') AS read_at"
#define NOTICE_COLS                                                                                \
    "n.id, n.unit, coalesce(n.from_unit, '') AS from_unit, n.title, n.body, n.created_by, "        \
    "coalesce((SELECT u.display_name FROM users u WHERE u.username = n.created_by), "              \
    "n.created_by) AS sender, n.created_at, n.recipients, (SELECT count(*) FROM notifications r "  \
    "WHERE r.notice_id = n.id "                                                                    \
    "AND r.read_at IS NOT NULL) AS nread"

static const char sql_recipients[] =
    "SELECT u.username, coalesce(u.scope, '') AS scope, p.perm FROM users u "
    "JOIN role_perms p ON p.role = u.role WHERE u.disabled = 0 AND (u.scope IN ($1, $2, $3, $4, "
    "$5, $6, $7, $8) OR ($9 = 1 AND u.scope IS NULL)) ORDER BY u.username";
static const char sql_add[] =
    "INSERT INTO notifications (username, at, unit, kind, case_id, notice_id, what, title, "
    "push_next) VALUES ($1, $2, $3, $9, $4, $5, $6, $7, $8) RETURNING id";
/* A notice reaches every enabled account inside its subtree but the sender's. */
static const char sql_fanout[] =
    "INSERT INTO notifications (username, at, unit, kind, notice_id, what, title, push_next) "
    "SELECT username, $2, $1, 'notice', $3, '通知公告', $4, $5 FROM users WHERE disabled = 0 "
    "AND scope IS NOT NULL AND " DB_SUBTREE("scope", 1) " AND username <> $6";
static const char sql_list[] =
    "SELECT " NOTIFICATION_COLS " FROM notifications x WHERE x.username = $1 "
    "AND (x.notice_id IS NOT NULL OR " DB_SUBTREE(
        "x.unit", 2) ") AND ($3 = 0 OR x.read_at IS NULL) AND ($4 = 0 OR x.id < $4) "
                     "ORDER BY x.id DESC LIMIT $5";
static const char sql_unread[] =
    "SELECT count(*) FROM notifications x WHERE x.username = $1 "
    "AND x.read_at IS NULL AND (x.notice_id IS NOT NULL OR " DB_SUBTREE("x.unit", 2) ")";
static const char sql_read[] = "UPDATE notifications SET read_at = $3 WHERE username = $1 "
                               "AND read_at IS NULL AND ($2 = 0 OR id = $2)";
static const char sql_read_of[] = "UPDATE notifications SET read_at = $4 WHERE username = $1 "
                                  "AND read_at IS NULL AND (case_id = $2 OR notice_id = $3)";

static const char sql_notice_insert[] =
    "INSERT INTO notices (unit, from_unit, title, body, recipients, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, 0, $5, $6) RETURNING id";
static const char sql_notice_count[] = "UPDATE notices SET recipients = $2 WHERE id = $1";
/* Only a file that was uploaded; a second mention of one is no change. */
static const char sql_notice_get[] =
    "SELECT " NOTICE_COLS ", coalesce((SELECT coalesce(r.read_at, '') FROM notifications r "
    "WHERE r.notice_id = n.id AND r.username = $2 ORDER BY r.id LIMIT 1), '-') AS mine "
    "FROM notices n WHERE n.id = $1";
static const char sql_notices_sent[] =
    "SELECT " NOTICE_COLS ", '' AS mine FROM notices n WHERE " DB_SUBTREE(
        "n.unit", 1) " AND ($2 = 0 OR n.id < $2) ORDER BY n.id DESC LIMIT $3";
static const char sql_notices_received[] =
    "SELECT " NOTICE_COLS ", coalesce(x.read_at, '') AS mine FROM notifications x "
    "JOIN notices n ON n.id = x.notice_id WHERE x.username = $1 AND ($2 = 0 OR n.id < $2) "
    "ORDER BY n.id DESC LIMIT $3";
static const char sql_receipts[] =
    "SELECT x.username, coalesce(u.display_name, x.username) AS display_name, "
    "coalesce(u.scope, '') AS scope, coalesce(x.read_at, '') AS read_at FROM notifications x "
    "LEFT JOIN users u ON u.username = x.username WHERE x.notice_id = $1 "
    "ORDER BY u.scope, x.read_at IS NULL, x.username";

static const char sql_push_due[] =
    "SELECT " NOTIFICATION_COLS ", coalesce(u.display_name, x.username) AS display_name, "
    "x.push_tries FROM notifications x LEFT JOIN users u ON u.username = x.username "
    "WHERE x.push_next IS NOT NULL AND x.push_next <= $1 ORDER BY x.id LIMIT $2";
static const char sql_push_claim[] =
    "UPDATE notifications SET push_next = $3 WHERE id = $1 AND push_next IS NOT NULL "
    "AND push_next <= $2";
static const char sql_push_done[] =
    "UPDATE notifications SET push_next = NULL, pushed_at = $2, push_tries = push_tries + 1 "
    "WHERE id = $1";
static const char sql_push_retry[] =
    "UPDATE notifications SET push_next = $2, push_tries = push_tries + 1 WHERE id = $1";

int store_recipients(struct db *db, const char *const *units, int n,
                     int (*fn)(void *ctx, const struct store_recipient *r), void *ctx,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_recipients, &st, err);
    if (rc) return rc;
    bool root = false;
    for (int i = 0; i < STORE_RECIPIENT_UNITS; i++) {
        const char *u = i < n ? units[i] : NULL;
        root = root || (u && !u[0]);
        db_bind_opt(st, i + 1, u);
    }
    db_bind_int(st, STORE_RECIPIENT_UNITS + 1, root);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_recipient r = {db_text(st, "username"), db_text(st, "scope"),
                                    db_text(st, "perm")};
        if ((rc = fn(ctx, &r)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_notification_add(struct db *db, struct notification *x, int64_t push_next,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_add, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, x->username);
    db_bind_str(st, 2, x->at);
    db_bind_str(st, 3, x->unit);
    db_bind_opt_int(st, 4, x->case_id);
    db_bind_opt_int(st, 5, x->notice_id);
    db_bind_str(st, 6, x->what);
    db_bind_str(st, 7, x->title);
    if (push_next >= 0)
        db_bind_int(st, 8, push_next);
    else
        db_bind_null(st, 8);
    db_bind_str(st, 9, x->kind);
    return db_run_returning(st, &x->id, NULL, err);
}

static struct notification read_notification(struct db_stmt *st)
{
    return (struct notification){.id = db_int(st, "id"),
                                 .username = db_text(st, "username"),
                                 .at = db_text(st, "at"),
                                 .unit = db_text(st, "unit"),
                                 .kind = db_text(st, "kind"),
                                 .case_id = db_int(st, "case_id"),
                                 .notice_id = db_int(st, "notice_id"),
                                 .what = db_text(st, "what"),
                                 .title = db_text(st, "title"),
                                 .read_at = db_text(st, "read_at")};
}

int store_notifications_list(struct db *db, const char *username, const char *scope, bool unread,
                             int64_t before_id, int limit,
                             int (*fn)(void *ctx, const struct notification *x), void *ctx,
                             struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username);
    db_bind_str(st, 2, scope);
    db_bind_int(st, 3, unread);
    db_bind_int(st, 4, before_id);
    db_bind_int(st, 5, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct notification x = read_notification(st);
        if ((rc = fn(ctx, &x)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_notifications_unread(struct db *db, const char *username, const char *scope, int64_t *n,
                               struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_unread, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username);
    db_bind_str(st, 2, scope);
    return db_run_returning(st, n, NULL, err);
}

int store_notifications_read(struct db *db, const char *username, int64_t id, const char *at,
                             int64_t *changed, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_read, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username);
    db_bind_int(st, 2, id);
    db_bind_str(st, 3, at);
    if (!(rc = db_run(st, err)) && changed) *changed = db_changes(db);
    return rc;
}

int store_notifications_read_of(struct db *db, const char *username, int64_t case_id,
                                int64_t notice_id, const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_read_of, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username);
    db_bind_opt_int(st, 2, case_id);
    db_bind_opt_int(st, 3, notice_id);
    db_bind_str(st, 4, at);
    return db_run(st, err);
}

int store_notice_insert(struct db *db, struct notice *n, const char *except, int64_t push_next,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_notice_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, n->unit);
    db_bind_opt(st, 2, n->from_unit);
    db_bind_str(st, 3, n->title);
    db_bind_str(st, 4, n->body);
    db_bind_str(st, 5, n->created_by);
    db_bind_str(st, 6, n->created_at);
    if ((rc = db_run_returning(st, &n->id, NULL, err))) return rc;
    if ((rc = db_prepare(db, sql_fanout, &st, err))) return rc;
    db_bind_str(st, 1, n->unit);
    db_bind_str(st, 2, n->created_at);
    db_bind_int(st, 3, n->id);
    db_bind_str(st, 4, n->title);
    if (push_next >= 0)
        db_bind_int(st, 5, push_next);
    else
        db_bind_null(st, 5);
    db_bind_str(st, 6, except);
    if ((rc = db_run(st, err))) return rc;
    n->recipients = db_changes(db);
    if ((rc = db_prepare(db, sql_notice_count, &st, err))) return rc;
    db_bind_int(st, 1, n->id);
    db_bind_int(st, 2, n->recipients);
    return db_run(st, err);
}

static struct notice read_notice(struct db_stmt *st)
{
    return (struct notice){.id = db_int(st, "id"),
                           .unit = db_text(st, "unit"),
                           .from_unit = db_text(st, "from_unit"),
                           .title = db_text(st, "title"),
                           .body = db_text(st, "body"),
                           .created_by = db_text(st, "created_by"),
                           .sender = db_text(st, "sender"),
                           .created_at = db_text(st, "created_at"),
                           .recipients = db_int(st, "recipients"),
                           .read = db_int(st, "nread"),
                           .read_at = db_text(st, "mine")};
}

int store_notice_get(struct db *db, struct arena *a, int64_t id, const char *username,
                     struct notice *out, bool *recipient, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_notice_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, username);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *out = read_notice(st);
        *recipient = strcmp(out->read_at, "-") != 0;
        if (!*recipient) out->read_at = "";
        out->unit = arena_strdup(a, out->unit);
        out->from_unit = arena_strdup(a, out->from_unit);
        out->title = arena_strdup(a, out->title);
        out->body = arena_strdup(a, out->body);
        out->created_by = arena_strdup(a, out->created_by);
        out->sender = arena_strdup(a, out->sender);
        out->created_at = arena_strdup(a, out->created_at);
        out->read_at = arena_strdup(a, out->read_at);
    }
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这条通知");
    return rc < 0 ? rc : ERR_OK;
}

int store_notices_list(struct db *db, const char *username, const char *scope, int64_t before_id,
                       int limit, int (*fn)(void *ctx, const struct notice *n), void *ctx,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, username ? sql_notices_received : sql_notices_sent, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, username ? username : scope);
    db_bind_int(st, 2, before_id);
    db_bind_int(st, 3, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct notice n = read_notice(st);
        if ((rc = fn(ctx, &n)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_notice_receipts(struct db *db, int64_t notice_id,
                          int (*fn)(void *ctx, const struct notice_receipt *r), void *ctx,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_receipts, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, notice_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct notice_receipt r = {db_text(st, "username"), db_text(st, "display_name"),
                                   db_text(st, "scope"), db_text(st, "read_at")};
        if ((rc = fn(ctx, &r)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_push_due(struct db *db, int64_t now, int limit,
                   int (*fn)(void *ctx, const struct store_push *p), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_push_due, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_push p = {read_notification(st), db_text(st, "display_name"),
                               (int)db_int(st, "push_tries")};
        if ((rc = fn(ctx, &p)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_push_claim(struct db *db, int64_t id, int64_t now, int64_t until, bool *won,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_push_claim, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, until);
    if (!(rc = db_run(st, err))) *won = db_changes(db) == 1;
    return rc;
}

int store_push_done(struct db *db, int64_t id, const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_push_done, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, at);
    return db_run(st, err);
}

int store_push_retry(struct db *db, int64_t id, int64_t next, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_push_retry, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, next);
    return db_run(st, err);
}
