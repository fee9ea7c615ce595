/* health_followups.c — 随访 rows (store.h, "health followups"; migration
 * 044). One SQL for SQLite and PostgreSQL. */
#include "store/store.h"

static const char sql_insert[] =
    "INSERT INTO health_followups (person_id, unit, team_id, day, method, doctor, note, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
#define COLS                                                                                       \
    "f.id, f.person_id, f.unit, f.team_id, f.day, f.method, f.doctor, f.note, f.created_by, "      \
    "f.created_at, t.name AS team_name"
static const char sql_of_person[] =
    "SELECT " COLS " FROM health_followups f JOIN health_teams t ON t.id = f.team_id "
    "WHERE f.person_id = $1 ORDER BY f.day DESC, f.id DESC LIMIT $2";
/* follow-ups in [$2, $3] of the residents now living in the subtree $1,
 * in person and day order (the compliance scan merges them in C) */
static const char sql_days[] =
    "SELECT f.person_id, f.day, f.method FROM health_followups f JOIN persons p ON p.id = "
    "f.person_id WHERE " DB_SUBTREE("p.unit", 1) " AND f.day >= $2 AND f.day <= $3 "
                                                 "ORDER BY f.person_id, f.day";

/* contracts of the residents now living in the subtree $1 holding on some
 * day of [$2, $3), in person and start order */
static const char sql_spans[] =
    "SELECT c.person_id, c.start_date, c.end_date FROM health_contracts c JOIN persons p ON p.id = "
    "c.person_id WHERE " DB_SUBTREE("p.unit", 1) " AND c.start_date < $3 AND c.end_date > $2 "
                                                 "ORDER BY c.person_id, c.start_date, c.id";

int store_health_followup_insert(struct db *db, struct health_followup_row *f, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, f->person_id);
    db_bind_str(st, 2, f->unit);
    db_bind_int(st, 3, f->team_id);
    db_bind_str(st, 4, f->day);
    db_bind_str(st, 5, f->method);
    db_bind_str(st, 6, f->doctor);
    db_bind_str(st, 7, f->note ? f->note : "");
    db_bind_str(st, 8, f->created_by);
    db_bind_str(st, 9, f->created_at);
    return db_run_returning(st, &f->id, NULL, err);
}

int store_health_followups_of(struct db *db, struct arena *a, int64_t person_id, int limit,
                              int (*fn)(void *ctx, const struct health_followup_row *f), void *ctx,
                              struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_of_person, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person_id);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct health_followup_row f = {.id = db_int(st, "id"),
                                        .person_id = db_int(st, "person_id"),
                                        .team_id = db_int(st, "team_id"),
                                        .unit = db_dup(st, a, "unit"),
                                        .day = db_dup(st, a, "day"),
                                        .method = db_dup(st, a, "method"),
                                        .doctor = db_dup(st, a, "doctor"),
                                        .note = db_dup(st, a, "note"),
                                        .created_by = db_dup(st, a, "created_by"),
                                        .created_at = db_dup(st, a, "created_at"),
                                        .team_name = db_dup(st, a, "team_name")};
        if ((rc = fn(ctx, &f))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_health_followup_days(struct db *db, struct arena *a, const char *scope, const char *from,
                               const char *to,
                               int (*fn)(void *ctx, int64_t person_id, const char *day,
                                         const char *method),
                               void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_days, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, from);
    db_bind_str(st, 3, to);
    while ((rc = db_step(st, err)) == DB_ROW) {
        rc = fn(ctx, db_int(st, "person_id"), db_dup(st, a, "day"), db_dup(st, a, "method"));
        if (rc) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_health_contract_spans(struct db *db, struct arena *a, const char *scope, const char *from,
                                const char *next,
                                int (*fn)(void *ctx, int64_t person_id, const char *start,
                                          const char *end),
                                void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_spans, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, from);
    db_bind_str(st, 3, next);
    while ((rc = db_step(st, err)) == DB_ROW) {
        rc = fn(ctx, db_int(st, "person_id"), db_dup(st, a, "start_date"),
                db_dup(st, a, "end_date"));
        if (rc) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}
