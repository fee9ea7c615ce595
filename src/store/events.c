/* events.c — events, their participants and evidence files (store.h,
 * "events"). Compliance reads held events by (status, day) and attendance
 * by person; the indexes of migration 024 serve both. */
#include "store/store.h"

#include <string.h>

#define EVENT_COLS                                                                                 \
    "e.id, coalesce(e.org_id, 0) AS org_id, e.type, e.unit, e.status, e.starts_at, e.day, "        \
    "e.place, e.topic, e.notes, e.actions, "                                                       \
    "coalesce((SELECT o.name FROM party_orgs o WHERE o.id = e.org_id), '') AS org_name, "          \
    "e.created_by, e.created_at, e.updated_at"

static const char sql_event_insert[] =
    "INSERT INTO events (type, org_id, unit, status, starts_at, day, place, topic, notes, "
    "actions, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11, $12, $12) RETURNING id";
static const char sql_event_update[] =
    "UPDATE events SET status = $2, starts_at = $3, day = $4, place = $5, topic = $6, notes = $7, "
    "actions = $8, updated_at = $9 WHERE id = $1";
static const char sql_event_get[] = "SELECT " EVENT_COLS " FROM events e WHERE e.id = $1";
static const char sql_events_list[] = "SELECT " EVENT_COLS " FROM events e WHERE " DB_SUBTREE(
    "e.unit", 1) " AND ($2 = '' OR e.type = $2) AND ($3 = '' OR e.status = $3) "
                 "AND ($4 = '' OR e.day >= $4) AND ($5 = '' OR e.day < $5) "
                 "AND ($6 = 0 OR e.org_id = $6) "
                 "AND ($7 = '' OR e.day < $7 OR (e.day = $7 AND e.id < $8)) "
                 "ORDER BY e.day DESC, e.id DESC LIMIT $9";
static const char sql_participants_clear[] = "DELETE FROM event_participants WHERE event_id = $1";
static const char sql_participant_insert[] =
    "INSERT INTO event_participants (event_id, person_id, attendance, data) "
    "VALUES ($1, $2, $3, $4)";
static const char sql_participants[] =
    "SELECT x.person_id, p.name AS person_name, x.attendance, x.data FROM event_participants x "
    "JOIN persons p ON p.id = x.person_id WHERE x.event_id = $1 ORDER BY p.name, x.person_id";
/* events_rollup (029) hands the rows over in this order, without a sort:
 * day || '' and unit || '' keep SQLite from preferring the day or unit
 * range of another index (a year, a province: all of it) and sorting
 * after. */
static const char sql_events_held[] =
    "SELECT e.org_id, e.type, e.day FROM events e WHERE e.status = 'held' "
    "AND e.org_id IS NOT NULL AND (e.day || '') >= $2 AND (e.day || '') < $3 AND " DB_SUBTREE(
        "(e.unit || '')", 1) " ORDER BY e.org_id, e.type, e.day";
/* unit || '' keeps SQLite on memberships_kind_stage (covering, stage
 * first: a stage is a few per cent of the members, where a unit range can
 * be all of them); callers count, so no order. */
static const char sql_memberships_between[] =
    "SELECT m.person_id, coalesce(m.org_id, 0) AS org_id, m.from_date, "
    "coalesce(m.to_date, '') AS to_date FROM memberships m WHERE m.kind = $1 AND "
    "m.stage = $2 AND " DB_SUBTREE("(m.unit || '')", 3) " AND m.from_date < $5 AND "
                                                        "(m.to_date IS NULL OR m.to_date > $4)";
/* Driven from the members the duty is about (a few per cent, through
 * memberships_kind_stage and event_participants_person): reading every
 * sign-in of the type instead costs a table row per sign-in. */
static const char sql_attended[] =
    "SELECT x.person_id, e.day FROM events e JOIN event_participants x ON x.event_id = e.id "
    "WHERE e.status = 'held' AND e.type = $1 AND e.day >= $3 AND e.day < $4 "
    "AND instr($2, ',' || x.attendance || ',') > 0 AND x.person_id IN (SELECT m.person_id "
    "FROM memberships m WHERE m.kind = $5 AND m.stage = $6 AND m.from_date < $4 AND "
    "(m.to_date IS NULL OR m.to_date > $3)) ORDER BY 1, 2";
static const char sql_person_events[] =
    "SELECT " EVENT_COLS ", x.attendance, x.data FROM event_participants x "
    "JOIN events e ON e.id = x.event_id WHERE x.person_id = $1 AND ($2 = '' OR e.day >= $2) "
    "AND ($3 = '' OR e.day < $3) ORDER BY e.day, e.starts_at, e.id";

static struct event_row read_event(struct db_stmt *st, struct arena *a)
{
    return (struct event_row){.id = db_int(st, "id"),
                              .org_id = db_int(st, "org_id"),
                              .type = db_dup(st, a, "type"),
                              .unit = db_dup(st, a, "unit"),
                              .status = db_dup(st, a, "status"),
                              .starts_at = db_dup(st, a, "starts_at"),
                              .day = db_dup(st, a, "day"),
                              .place = db_dup(st, a, "place"),
                              .topic = db_dup(st, a, "topic"),
                              .notes = db_dup(st, a, "notes"),
                              .actions = db_dup(st, a, "actions"),
                              .org_name = db_dup(st, a, "org_name"),
                              .created_by = db_dup(st, a, "created_by"),
                              .created_at = db_dup(st, a, "created_at"),
                              .updated_at = db_dup(st, a, "updated_at")};
}

int store_event_insert(struct db *db, struct event_row *e, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_event_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, e->type);
    db_bind_opt_int(st, 2, e->org_id);
    db_bind_str(st, 3, e->unit);
    db_bind_str(st, 4, e->status);
    db_bind_str(st, 5, e->starts_at);
    db_bind_str(st, 6, e->day);
    db_bind_str(st, 7, e->place);
    db_bind_str(st, 8, e->topic);
    db_bind_str(st, 9, e->notes);
    db_bind_str(st, 10, e->actions);
    db_bind_str(st, 11, e->created_by);
    db_bind_str(st, 12, e->created_at);
    return db_run_returning(st, &e->id, NULL, err);
}

int store_event_update(struct db *db, const struct event_row *e, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_event_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, e->id);
    db_bind_str(st, 2, e->status);
    db_bind_str(st, 3, e->starts_at);
    db_bind_str(st, 4, e->day);
    db_bind_str(st, 5, e->place);
    db_bind_str(st, 6, e->topic);
    db_bind_str(st, 7, e->notes);
    db_bind_str(st, 8, e->actions);
    db_bind_str(st, 9, e->updated_at);
    return db_run(st, err);
}

int store_event_get(struct db *db, struct arena *a, int64_t id, struct event_row *out,
                    struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_event_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_event(st, a);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的活动", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_events_list(struct db *db, struct arena *a, const struct store_event_filter *f,
                      int (*fn)(void *ctx, const struct event_row *e), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_events_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->scope);
    db_bind_str(st, 2, f->type ? f->type : "");
    db_bind_str(st, 3, f->status ? f->status : "");
    db_bind_str(st, 4, f->from ? f->from : "");
    db_bind_str(st, 5, f->next ? f->next : "");
    db_bind_int(st, 6, f->org_id);
    db_bind_str(st, 7, f->after_day ? f->after_day : "");
    db_bind_int(st, 8, f->after_id);
    db_bind_int(st, 9, f->limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct event_row e = read_event(st, a);
        if ((rc = fn(ctx, &e)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_event_participants_set(struct db *db, int64_t event_id,
                                 const struct participant_row *rows, size_t n, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_participants_clear, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, event_id);
    if ((rc = db_run(st, err))) return rc;
    for (size_t i = 0; i < n; i++) {
        if ((rc = db_prepare(db, sql_participant_insert, &st, err))) return rc;
        db_bind_int(st, 1, event_id);
        db_bind_int(st, 2, rows[i].person_id);
        db_bind_str(st, 3, rows[i].attendance);
        db_bind_str(st, 4, rows[i].data);
        if ((rc = db_run(st, err))) return rc;
    }
    return ERR_OK;
}

int store_event_participants(struct db *db, struct arena *a, int64_t event_id,
                             int (*fn)(void *ctx, const struct participant_row *p), void *ctx,
                             struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_participants, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, event_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct participant_row p = {db_int(st, "person_id"), db_dup(st, a, "person_name"),
                                    db_dup(st, a, "attendance"), db_dup(st, a, "data")};
        if ((rc = fn(ctx, &p)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_events_held(struct db *db, const char *scope, const char *from, const char *next,
                      int (*fn)(void *ctx, int64_t org_id, const char *type, const char *day),
                      void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_events_held, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, from);
    db_bind_str(st, 3, next);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_int(st, "org_id"), db_text(st, "type"), db_text(st, "day"))) != 0)
            break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_memberships_between(struct db *db, const char *kind, const char *stage, const char *scope,
                              const char *from, const char *next,
                              int (*fn)(void *ctx, int64_t person_id, int64_t org_id,
                                        const char *from_date, const char *to_date),
                              void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_memberships_between, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, kind);
    db_bind_str(st, 2, stage);
    db_bind_str(st, 3, scope);
    db_bind_str(st, 4, from);
    db_bind_str(st, 5, next);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_int(st, "person_id"), db_int(st, "org_id"), db_text(st, "from_date"),
                     db_text(st, "to_date"))) != 0)
            break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_attended(struct db *db, const char *type, const char *codes, const char *kind,
                   const char *stage, const char *from, const char *next,
                   int (*fn)(void *ctx, int64_t person_id, const char *day), void *ctx,
                   struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_attended, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, type);
    db_bind_str(st, 2, codes);
    db_bind_str(st, 3, from);
    db_bind_str(st, 4, next);
    db_bind_str(st, 5, kind);
    db_bind_str(st, 6, stage);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_int(st, "person_id"), db_text(st, "day"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_person_events(struct db *db, struct arena *a, int64_t person_id, const char *from,
                        const char *next,
                        int (*fn)(void *ctx, const struct event_row *e,
                                  const struct participant_row *p),
                        void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_events, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person_id);
    db_bind_str(st, 2, from ? from : "");
    db_bind_str(st, 3, next ? next : "");
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct event_row e = read_event(st, a);
        struct participant_row p = {person_id, "", db_dup(st, a, "attendance"),
                                    db_dup(st, a, "data")};
        if ((rc = fn(ctx, &e, &p)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
