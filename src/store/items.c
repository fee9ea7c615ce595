/* items.c — work items and their timelines (store.h). */
#include "store/store.h"

#include <string.h>

#define ITEM_COLS                                                                                  \
    "id, type, title, description, unit, owner_unit, coalesce(helper_unit, ''), assignee, "        \
    "measures, category, priority, coalesce(deadline, ''), location, immediate, state, final, "    \
    "coalesce(rating, 0), created_by, created_at, updated_at, coalesce(closed_at, ''), "           \
    "coalesce(batch, 0), coalesce(tracking_code, ''), coalesce(escalated_to, '')"

static const char sql_item_insert[] =
    "INSERT INTO items (type, title, description, unit, owner_unit, helper_unit, assignee, "
    "measures, category, priority, deadline, location, immediate, state, final, created_by, "
    "created_at, updated_at, batch, tracking_code, contact_sealed) VALUES ($1, $2, $3, $4, $5, "
    "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20) RETURNING id";
static const char sql_batch_insert[] = "INSERT INTO item_batches (type, title, units, created_by, "
                                       "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_item_get[] = "SELECT " ITEM_COLS " FROM items WHERE id = $1";
static const char sql_item_by_code[] = "SELECT " ITEM_COLS " FROM items WHERE tracking_code = $1";
static const char sql_key_insert[] =
    "INSERT INTO open311_keys (name, key_hash, created_at) VALUES ($1, $2, $3) RETURNING id";
static const char sql_key_get[] =
    "SELECT name FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL";
static const char sql_key_revoke[] = "UPDATE open311_keys SET revoked_at = $2 "
                                     "WHERE id = $1 AND revoked_at IS NULL RETURNING id";
static const char sql_item_state[] =
    "UPDATE items SET state = $2, final = $3, rating = $4, assignee = $5, updated_at = $6, "
    "closed_at = $7 WHERE id = $1";
/* Items owned inside a subtree, newest first; overdue = past the deadline and not final. */
static const char sql_items_list[] =
    "SELECT " ITEM_COLS " FROM items "
    "WHERE ($1 = '' OR (owner_unit >= $1 AND owner_unit < $1 || ';')) "
    "AND ($2 = '' OR type = $2) AND ($3 = '' OR state = $3) "
    "AND ($4 = '' OR (final = 0 AND deadline IS NOT NULL AND deadline < $4)) "
    "AND ($5 = 0 OR id < $5) AND ($7 = 0 OR batch = $7) "
    "AND ($9 = 0 OR (escalated_to >= $8 AND escalated_to < $8 || ';')) "
    "ORDER BY id DESC LIMIT $6";
static const char sql_overdue_unescalated[] =
    "SELECT " ITEM_COLS " FROM items WHERE final = 0 AND deadline IS NOT NULL AND deadline < $1 "
    "AND escalated_to IS NULL ORDER BY id";
static const char sql_escalate[] = "UPDATE items SET escalated_to = $2 WHERE id = $1";
static const char sql_event_add[] =
    "INSERT INTO item_events (item, at, actor, kind, transition, from_state, to_state, note, "
    "evidence, rating, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
    "RETURNING id";
static const char sql_events[] = "SELECT at, actor, kind, coalesce(transition, ''), "
                                 "coalesce(from_state, ''), coalesce(to_state, ''), note, "
                                 "evidence, coalesce(rating, 0), id, coalesce(changes, '') "
                                 "FROM item_events WHERE item = $1 ORDER BY id";
static const char sql_item_people[] =
    "UPDATE items SET owner_unit = $2, helper_unit = $3, assignee = $4, updated_at = $5 "
    "WHERE id = $1";

static const char *dup(struct db_stmt *st, struct arena *a, int col)
{
    size_t n;
    const char *s = db_col_text(st, col, &n);
    return arena_strndup(a, s, n);
}

static void read_item(struct db_stmt *st, struct arena *a, struct store_item *it)
{
    it->id = db_col_int(st, 0);
    it->type = dup(st, a, 1);
    it->title = dup(st, a, 2);
    it->description = dup(st, a, 3);
    it->unit = dup(st, a, 4);
    it->owner_unit = dup(st, a, 5);
    it->helper_unit = dup(st, a, 6);
    it->assignee = dup(st, a, 7);
    it->measures = dup(st, a, 8);
    it->category = dup(st, a, 9);
    it->priority = (int)db_col_int(st, 10);
    it->deadline = dup(st, a, 11);
    it->location = dup(st, a, 12);
    it->immediate = db_col_int(st, 13) != 0;
    it->state = dup(st, a, 14);
    it->final = db_col_int(st, 15) != 0;
    it->rating = (int)db_col_int(st, 16);
    it->created_by = dup(st, a, 17);
    it->created_at = dup(st, a, 18);
    it->updated_at = dup(st, a, 19);
    it->closed_at = dup(st, a, 20);
    it->batch = db_col_int(st, 21);
    it->tracking_code = dup(st, a, 22);
    it->contact_sealed = NULL;
    it->escalated_to = dup(st, a, 23);
}

static void bind_opt(struct db_stmt *st, int n, const char *s)
{
    db_bind_str(st, n, s && s[0] ? s : NULL);
}

int store_item_insert(struct db *db, struct store_item *it, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, it->type);
    db_bind_str(st, 2, it->title);
    db_bind_str(st, 3, it->description ? it->description : "");
    db_bind_str(st, 4, it->unit);
    db_bind_str(st, 5, it->owner_unit);
    bind_opt(st, 6, it->helper_unit);
    db_bind_str(st, 7, it->assignee ? it->assignee : "");
    db_bind_str(st, 8, it->measures ? it->measures : "");
    db_bind_str(st, 9, it->category ? it->category : "");
    db_bind_int(st, 10, it->priority);
    bind_opt(st, 11, it->deadline);
    db_bind_str(st, 12, it->location ? it->location : "");
    db_bind_int(st, 13, it->immediate);
    db_bind_str(st, 14, it->state);
    db_bind_int(st, 15, it->final);
    db_bind_str(st, 16, it->created_by);
    db_bind_str(st, 17, it->created_at);
    if (it->batch)
        db_bind_int(st, 18, it->batch);
    else
        db_bind_null(st, 18);
    bind_opt(st, 19, it->tracking_code);
    bind_opt(st, 20, it->contact_sealed);
    rc = db_step(st, err);
    if (rc == DB_ROW) it->id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_item_batch_insert(struct db *db, const char *type, const char *title, int n,
                            const char *by, const char *at, int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_batch_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, type);
    db_bind_str(st, 2, title);
    db_bind_int(st, 3, n);
    db_bind_str(st, 4, by);
    db_bind_str(st, 5, at);
    rc = db_step(st, err);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_item_get(struct db *db, struct arena *a, int64_t id, struct store_item *out,
                   struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) read_item(st, a, out);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的事项", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_item_set_state(struct db *db, const struct store_item *it, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item_state, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, it->id);
    db_bind_str(st, 2, it->state);
    db_bind_int(st, 3, it->final);
    if (it->rating)
        db_bind_int(st, 4, it->rating);
    else
        db_bind_null(st, 4);
    db_bind_str(st, 5, it->assignee ? it->assignee : "");
    db_bind_str(st, 6, it->updated_at);
    bind_opt(st, 7, it->closed_at);
    return db_run(st, err);
}

int store_items_list(struct db *db, struct arena *a, const struct store_item_filter *f,
                     int (*fn)(void *ctx, const struct store_item *it), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_items_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->scope ? f->scope : "");
    db_bind_str(st, 2, f->type ? f->type : "");
    db_bind_str(st, 3, f->state ? f->state : "");
    db_bind_str(st, 4, f->overdue_on ? f->overdue_on : "");
    db_bind_int(st, 5, f->before_id);
    db_bind_int(st, 6, f->limit);
    db_bind_int(st, 7, f->batch);
    db_bind_str(st, 8, f->escalated_in ? f->escalated_in : "");
    db_bind_int(st, 9, f->escalated_in != NULL);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_item it;
        read_item(st, a, &it);
        if ((rc = fn(ctx, &it)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_item_event_add(struct db *db, int64_t item, const struct store_item_event *e, int64_t *id,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_event_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, item);
    db_bind_str(st, 2, e->at);
    db_bind_str(st, 3, e->actor);
    db_bind_str(st, 4, e->kind);
    bind_opt(st, 5, e->transition);
    bind_opt(st, 6, e->from_state);
    bind_opt(st, 7, e->to_state);
    db_bind_str(st, 8, e->note ? e->note : "");
    db_bind_str(st, 9, e->evidence ? e->evidence : "");
    if (e->rating)
        db_bind_int(st, 10, e->rating);
    else
        db_bind_null(st, 10);
    bind_opt(st, 11, e->changes);
    rc = db_step(st, err);
    if (rc == DB_ROW && id) *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_item_set_people(struct db *db, const struct store_item *it, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item_people, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, it->id);
    db_bind_str(st, 2, it->owner_unit);
    bind_opt(st, 3, it->helper_unit);
    db_bind_str(st, 4, it->assignee);
    db_bind_str(st, 5, it->updated_at);
    return db_run(st, err);
}

int store_item_events(struct db *db, struct arena *a, int64_t item,
                      int (*fn)(void *ctx, const struct store_item_event *e), void *ctx,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_events, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, item);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_item_event e = {
            .at = dup(st, a, 0),
            .actor = dup(st, a, 1),
            .kind = dup(st, a, 2),
            .transition = dup(st, a, 3),
            .from_state = dup(st, a, 4),
            .to_state = dup(st, a, 5),
            .note = dup(st, a, 6),
            .evidence = dup(st, a, 7),
            .rating = (int)db_col_int(st, 8),
            .id = db_col_int(st, 9),
            .changes = dup(st, a, 10),
        };
        if ((rc = fn(ctx, &e)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static const char sql_review[] =
    "SELECT owner_unit, created_at, coalesce(closed_at, ''), coalesce(deadline, ''), "
    "coalesce(rating, 0) FROM items "
    "WHERE owner_unit >= $1 AND owner_unit < $1 || ';' AND ($2 = '' OR type = $2) "
    "AND created_at < $4 AND (closed_at IS NULL OR closed_at >= $3)";
static const char sql_reopened[] =
    "SELECT i.owner_unit FROM item_events e JOIN items i ON i.id = e.item "
    "WHERE e.kind = 'transition' AND e.transition IN ('reopen', 'return') "
    "AND e.at >= $3 AND e.at < $4 AND i.owner_unit >= $1 AND i.owner_unit < $1 || ';' "
    "AND ($2 = '' OR i.type = $2)";

static void bind_review(struct db_stmt *st, const char *scope, const char *type, const char *start,
                        const char *next)
{
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, type ? type : "");
    db_bind_str(st, 3, start);
    db_bind_str(st, 4, next);
}

int store_items_review(struct db *db, const char *scope, const char *type, const char *start,
                       const char *next, int (*fn)(void *ctx, const struct store_item_review *it),
                       void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_review, &st, err);
    if (rc) return rc;
    bind_review(st, scope, type, start, next);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_item_review it = {.owner_unit = db_col_text(st, 0, NULL),
                                       .created_at = db_col_text(st, 1, NULL),
                                       .closed_at = db_col_text(st, 2, NULL),
                                       .deadline = db_col_text(st, 3, NULL),
                                       .rating = (int)db_col_int(st, 4)};
        if ((rc = fn(ctx, &it)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_items_reopened(struct db *db, const char *scope, const char *type, const char *start,
                         const char *next, int (*fn)(void *ctx, const char *owner_unit), void *ctx,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_reopened, &st, err);
    if (rc) return rc;
    bind_review(st, scope, type, start, next);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_col_text(st, 0, NULL))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_item_by_code(struct db *db, struct arena *a, const char *code, struct store_item *out,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_item_by_code, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, code);
    rc = db_step(st, err);
    if (rc == DB_ROW) read_item(st, a, out);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有查询码为 %s 的事项", code);
    return rc < 0 ? rc : ERR_OK;
}

int store_open311_key_insert(struct db *db, const char *name, const char *key_hash, const char *at,
                             int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_key_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, name);
    db_bind_str(st, 2, key_hash);
    db_bind_str(st, 3, at);
    rc = db_step(st, err);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_open311_key_get(struct db *db, struct arena *a, const char *key_hash, const char **name,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_key_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, key_hash);
    rc = db_step(st, err);
    if (rc == DB_ROW) *name = dup(st, a, 0);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "unknown or revoked api_key");
    return rc < 0 ? rc : ERR_OK;
}

int store_open311_key_revoke(struct db *db, int64_t id, const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_key_revoke, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, at);
    rc = db_step(st, err);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的有效 API key", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_items_overdue_unescalated(struct db *db, struct arena *a, const char *today,
                                    int (*fn)(void *ctx, const struct store_item *it), void *ctx,
                                    struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_overdue_unescalated, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, today);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_item it;
        read_item(st, a, &it);
        if ((rc = fn(ctx, &it)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_item_escalate(struct db *db, int64_t id, const char *to, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_escalate, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, to);
    return db_run(st, err);
}
