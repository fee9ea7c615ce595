/* eval_outcomes.c — what a closed evaluation campaign decided per subject
 * (score, rank, a member's grade, the 整改 case), the department register
 * and the codes added to or revoked from a running campaign (store.h,
 * "evaluations, part two"; migration 039). */
#include "store/store.h"

#include <string.h>

static const char sql_outcome_insert[] =
    "INSERT INTO eval_outcomes (campaign_id, seq, person_id, score, rank, grade, case_id) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char sql_outcomes[] =
    "SELECT o.seq, coalesce(o.person_id, 0) AS person_id, o.score, o.rank, o.grade, "
    "coalesce(o.case_id, 0) AS case_id FROM eval_outcomes o WHERE o.campaign_id = $1 "
    "ORDER BY o.seq";
static const char sql_person_outcomes[] =
    "SELECT c.id, c.name, c.year, c.form, o.seq, o.score, o.rank, o.grade, "
    "coalesce(o.case_id, 0) AS case_id, c.closed_at FROM eval_outcomes o "
    "JOIN eval_campaigns c ON c.id = o.campaign_id WHERE o.person_id = $1 "
    "ORDER BY c.year DESC, c.id DESC LIMIT 100";
static const char sql_ballot_count[] =
    "SELECT count(*) AS n FROM eval_ballots WHERE campaign_id = $1";
static const char sql_departments[] =
    "SELECT d.id, d.county, d.name, d.active FROM eval_departments d WHERE " DB_SUBTREE(
        "d.county", 1) " AND ($2 = 1 OR d.active = 1) ORDER BY d.county, d.active DESC, d.id";
static const char sql_department_update[] =
    "UPDATE eval_departments SET name = $2, active = $3 WHERE id = $1";
static const char sql_department_active[] = "SELECT active FROM eval_departments WHERE id = $1";
static const char sql_code_revoke[] =
    "DELETE FROM eval_codes WHERE hash = $1 AND campaign_id = $2 AND used = 0";

int store_eval_outcome_insert(struct db *db, int64_t campaign_id, const struct eval_outcome_row *o,
                              struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_outcome_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, campaign_id);
    db_bind_int(st, 2, o->seq);
    db_bind_opt_int(st, 3, o->person_id);
    if (o->scored)
        db_bind_double(st, 4, o->score);
    else
        db_bind_null(st, 4);
    db_bind_int(st, 5, o->rank);
    db_bind_str(st, 6, o->grade ? o->grade : "");
    db_bind_opt_int(st, 7, o->case_id);
    return db_run(st, err);
}

static struct eval_outcome_row read_outcome(struct db_stmt *st, struct arena *a)
{
    return (struct eval_outcome_row){.seq = (int)db_int(st, "seq"),
                                     .scored = !db_null(st, "score"),
                                     .score = db_double(st, "score"),
                                     .rank = (int)db_int(st, "rank"),
                                     .grade = db_dup(st, a, "grade"),
                                     .case_id = db_int(st, "case_id")};
}

int store_eval_outcomes(struct db *db, struct arena *a, int64_t campaign_id,
                        int (*fn)(void *ctx, const struct eval_outcome_row *o), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_outcomes, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, campaign_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct eval_outcome_row o = read_outcome(st, a);
        o.person_id = db_int(st, "person_id");
        if ((rc = fn(ctx, &o))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_eval_person_outcomes(struct db *db, struct arena *a, int64_t person_id,
                               int (*fn)(void *ctx, const struct eval_campaign_row *c,
                                         const struct eval_outcome_row *o),
                               void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_outcomes, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct eval_campaign_row c = {.id = db_int(st, "id"),
                                      .name = db_dup(st, a, "name"),
                                      .year = (int)db_int(st, "year"),
                                      .form = db_dup(st, a, "form"),
                                      .closed_at = db_dup(st, a, "closed_at")};
        struct eval_outcome_row o = read_outcome(st, a);
        o.person_id = person_id;
        if ((rc = fn(ctx, &c, &o))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_eval_ballot_count(struct db *db, int64_t campaign_id, int64_t *n, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_ballot_count, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, campaign_id);
    rc = db_step(st, err);
    *n = rc == DB_ROW ? db_int(st, "n") : 0;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_eval_departments(struct db *db, struct arena *a, const char *scope, bool retired_too,
                           int (*fn)(void *ctx, const struct eval_department_row *d), void *ctx,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_departments, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_int(st, 2, retired_too ? 1 : 0);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct eval_department_row d = {.id = db_int(st, "id"),
                                        .county = db_dup(st, a, "county"),
                                        .name = db_dup(st, a, "name"),
                                        .active = db_int(st, "active") != 0};
        if ((rc = fn(ctx, &d))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_eval_department_update(struct db *db, int64_t id, const char *name, bool active,
                                 struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_department_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, name);
    db_bind_int(st, 3, active ? 1 : 0);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1
               ? ERR_OK
               : err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的县直部门", (long long)id);
}

int store_eval_department_active(struct db *db, int64_t id, bool *active, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_department_active, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    *active = rc == DB_ROW && db_int(st, "active") != 0;
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的县直部门", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_eval_code_revoke(struct db *db, const char *hash, int64_t campaign_id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_code_revoke, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, hash);
    db_bind_int(st, 2, campaign_id);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1 ? ERR_OK : ERR_NOT_FOUND;
}
