/* microprojects.c — 微项目 budgets, packaged wishes and participants
 * (store_microprojects.h). One SQL for SQLite and PostgreSQL. */
#include "store/store_microprojects.h"

static const char sql_insert[] = "INSERT INTO microprojects (case_id, budget_yuan) VALUES ($1, $2)";
static const char sql_holder[] =
    "SELECT c.id, c.title FROM microproject_wishes w JOIN cases c ON c.id = w.project_id "
    "WHERE w.wish_id = $1 AND c.state <> 'dropped'";
/* A wish packaged by a project that was not approved is free again. */
static const char sql_unlink_dropped[] =
    "DELETE FROM microproject_wishes WHERE wish_id = $1 AND project_id IN "
    "(SELECT id FROM cases WHERE kind = 'microproject' AND state = 'dropped')";
static const char sql_link[] =
    "INSERT INTO microproject_wishes (wish_id, project_id, linked_at, linked_by) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (wish_id) DO NOTHING";
static const char sql_participant_add[] =
    "INSERT INTO microproject_participants (project_id, kind, name, count, added_at, added_by) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
#define MP_COLS                                                                                    \
    "c.id, c.unit, c.title, c.state, c.assignee, c.created_at, c.updated_at, "                     \
    "m.budget_yuan AS budget, "                                                                    \
    "(SELECT count(*) FROM microproject_wishes w WHERE w.project_id = c.id) AS wishes, "           \
    "(SELECT coalesce(sum(p.count), 0) FROM microproject_participants p "                          \
    "WHERE p.project_id = c.id) AS participations "
static const char sql_list[] =
    "SELECT " MP_COLS "FROM cases c JOIN microprojects m ON m.case_id = c.id "
    "WHERE c.kind = 'microproject' AND " DB_SUBTREE(
        "c.unit", 1) " AND ($2 = '' OR instr($2, ',' || c.state || ',') > 0) "
                     "ORDER BY c.created_at DESC, c.id DESC LIMIT $3";
static const char sql_get[] = "SELECT " MP_COLS "FROM cases c JOIN microprojects m ON m.case_id = "
                              "c.id WHERE c.id = $1 AND c.kind = 'microproject'";
static const char sql_wishes[] =
    "SELECT c.id, c.title, c.state, c.unit FROM microproject_wishes w JOIN cases c "
    "ON c.id = w.wish_id WHERE w.project_id = $1 ORDER BY c.id";
static const char sql_participants[] =
    "SELECT id, project_id, kind, name, count, added_at, added_by FROM microproject_participants "
    "WHERE project_id = $1 ORDER BY id";
static const char sql_counts[] =
    "SELECT c.unit, sum(p.count) AS n FROM microproject_participants p JOIN cases c "
    "ON c.id = p.project_id WHERE p.added_at >= $1 AND p.added_at < $2 GROUP BY c.unit";

int store_mp_insert(struct db *db, int64_t case_id, int64_t budget, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    db_bind_int(st, 2, budget);
    return db_run(st, err);
}

int store_mp_wish_holder(struct db *db, struct arena *a, int64_t wish, int64_t *project,
                         const char **title, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_holder, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, wish);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *project = db_int(st, "id");
        *title = db_dup(st, a, "title");
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = ERR_NOT_FOUND;
    }
    db_reset(st);
    return rc;
}

int store_mp_wish_link(struct db *db, int64_t project, int64_t wish, const char *at, const char *by,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_unlink_dropped, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, wish);
    if ((rc = db_run(st, err)) || (rc = db_prepare(db, sql_link, &st, err))) return rc;
    db_bind_int(st, 1, wish);
    db_bind_int(st, 2, project);
    db_bind_str(st, 3, at);
    db_bind_str(st, 4, by);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1
               ? ERR_OK
               : err_set_field(err, ERR_CONFLICT, "wishes",
                               "心愿 %lld 已纳入另一个微项目，一个心愿同时只能属于一个微项目",
                               (long long)wish);
}

int store_mp_participant_add(struct db *db, struct mp_participant_row *p, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_participant_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, p->project_id);
    db_bind_str(st, 2, p->kind);
    db_bind_str(st, 3, p->name);
    db_bind_int(st, 4, p->count);
    db_bind_str(st, 5, p->added_at);
    db_bind_str(st, 6, p->added_by);
    return db_run_returning(st, &p->id, NULL, err);
}

static void row_from(struct db_stmt *st, struct arena *a, struct mp_row *r)
{
    *r = (struct mp_row){.id = db_int(st, "id"),
                         .budget = db_int(st, "budget"),
                         .wishes = db_int(st, "wishes"),
                         .participations = db_int(st, "participations"),
                         .unit = db_dup(st, a, "unit"),
                         .title = db_dup(st, a, "title"),
                         .state = db_dup(st, a, "state"),
                         .assignee = db_dup(st, a, "assignee"),
                         .created_at = db_dup(st, a, "created_at"),
                         .updated_at = db_dup(st, a, "updated_at")};
}

int store_mp_list(struct db *db, struct arena *a, const char *unit, const char *states, int limit,
                  int (*fn)(void *ctx, const struct mp_row *r), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_str(st, 2, states ? states : "");
    db_bind_int(st, 3, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct mp_row r;
        row_from(st, a, &r);
        if ((rc = fn(ctx, &r)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_mp_get(struct db *db, struct arena *a, int64_t id, struct mp_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        row_from(st, a, out);
        rc = ERR_OK;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的微项目", (long long)id);
    }
    db_reset(st);
    return rc;
}

int store_mp_wishes(struct db *db, struct arena *a, int64_t project,
                    int (*fn)(void *ctx, const struct mp_wish_row *w), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_wishes, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, project);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct mp_wish_row w = {.id = db_int(st, "id"),
                                .title = db_dup(st, a, "title"),
                                .state = db_dup(st, a, "state"),
                                .unit = db_dup(st, a, "unit")};
        if ((rc = fn(ctx, &w)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_mp_participants(struct db *db, struct arena *a, int64_t project,
                          int (*fn)(void *ctx, const struct mp_participant_row *p), void *ctx,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_participants, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, project);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct mp_participant_row p = {.id = db_int(st, "id"),
                                       .project_id = db_int(st, "project_id"),
                                       .count = db_int(st, "count"),
                                       .kind = db_dup(st, a, "kind"),
                                       .name = db_dup(st, a, "name"),
                                       .added_at = db_dup(st, a, "added_at"),
                                       .added_by = db_dup(st, a, "added_by")};
        if ((rc = fn(ctx, &p)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_mp_participation_counts(struct db *db, const char *start, const char *next,
                                  int (*fn)(void *ctx, const char *unit, size_t len, double n),
                                  void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_counts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, start);
    db_bind_str(st, 2, next);
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, db_col(st, "unit"), &len);
        if ((rc = fn(ctx, unit, len, (double)db_int(st, "n"))) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
