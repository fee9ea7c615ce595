/* evaluations.c — evaluation campaigns, their groups, subjects, ballot
 * codes and ballots (store.h, "evaluations"; migration 032). A ballot row
 * carries no code, rater nor time: casting marks the code used and inserts
 * the ballot under a random id, in one transaction the caller holds. */
#include "store/store.h"

#include <string.h>

#define CAMPAIGN_COLS                                                                              \
    "c.id, c.name, c.year, c.kind, c.form, c.rule, c.unit, c.status, c.notice_until, "             \
    "c.created_by, c.created_at, c.closed_at"

static const char sql_campaign_insert[] =
    "INSERT INTO eval_campaigns (name, year, kind, form, rule, unit, status, created_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id";
static const char sql_campaign_get[] =
    "SELECT " CAMPAIGN_COLS " FROM eval_campaigns c WHERE c.id = $1";
static const char sql_campaigns[] =
    "SELECT " CAMPAIGN_COLS " FROM eval_campaigns c WHERE " DB_SUBTREE(
        "c.unit", 1) " AND ($2 = 0 OR c.year = $2) ORDER BY c.year DESC, c.id DESC LIMIT 500";
static const char sql_campaign_close[] =
    "UPDATE eval_campaigns SET status = 'closed', closed_at = $2, notice_until = $3 "
    "WHERE id = $1 AND status = 'open'";
static const char sql_group_insert[] =
    "INSERT INTO eval_groups (campaign_id, seq, name, weight) VALUES ($1, $2, $3, $4)";
static const char sql_groups[] =
    "SELECT g.seq, g.name, g.weight, "
    "(SELECT count(*) FROM eval_codes k WHERE k.campaign_id = g.campaign_id AND k.grp = g.seq) "
    "AS issued, g.cast_n FROM eval_groups g WHERE g.campaign_id = $1 ORDER BY g.seq";
static const char sql_group_names[] =
    "SELECT g.seq, g.name, g.weight, 0 AS issued, 0 AS cast_n FROM eval_groups g "
    "WHERE g.campaign_id = $1 ORDER BY g.seq";
static const char sql_subject_insert[] =
    "INSERT INTO eval_subjects (campaign_id, seq, name, department_id, person_id, unit) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
static const char sql_subjects[] =
    "SELECT s.seq, s.name, coalesce(s.department_id, 0) AS department_id, "
    "coalesce(s.person_id, 0) AS person_id, coalesce(s.unit, '') AS unit FROM eval_subjects s "
    "WHERE s.campaign_id = $1 ORDER BY s.seq";
static const char sql_code_insert[] =
    "INSERT INTO eval_codes (hash, campaign_id, grp) VALUES ($1, $2, $3)";
static const char sql_code_ballot[] =
    "SELECT k.campaign_id, k.grp, k.used, c.status, c.form, c.unit, "
    "(SELECT count(*) FROM eval_subjects s WHERE s.campaign_id = k.campaign_id) AS nsubjects "
    "FROM eval_codes k JOIN eval_campaigns c ON c.id = k.campaign_id WHERE k.hash = $1";
static const char sql_code_use[] =
    "UPDATE eval_codes SET used = 1 WHERE hash = $1 AND used = 0"
    " AND campaign_id IN (SELECT id FROM eval_campaigns WHERE status = 'open')";
static const char sql_ballot_insert[] =
    "INSERT INTO eval_ballots (id, campaign_id, grp, answers) VALUES ($1, $2, $3, $4)";
static const char sql_group_cast[] =
    "UPDATE eval_groups SET cast_n = cast_n + 1 WHERE campaign_id = $1 AND seq = $2";
static const char sql_ballots[] =
    "SELECT grp, answers FROM eval_ballots WHERE campaign_id = $1 ORDER BY grp, id";
/* Cast is counted per group as ballots are written (migration 049): the
 * code index leaves `used` out, so casting does not touch it. */
#define CAMPAIGN_ISSUED "(SELECT count(*) FROM eval_codes k WHERE k.campaign_id = c.id)"
#define CAMPAIGN_CAST   "(SELECT sum(g.cast_n) FROM eval_groups g WHERE g.campaign_id = c.id)"
static const char sql_counts[] =
    "SELECT CAST(coalesce(sum(" CAMPAIGN_ISSUED "), 0) AS BIGINT) AS issued, "
    "CAST(coalesce(sum(" CAMPAIGN_CAST "), 0) AS BIGINT) AS cast_n FROM eval_campaigns c "
    "WHERE " DB_SUBTREE("c.unit", 1) " AND c.year = $2";
static const char sql_unit_counts[] =
    "SELECT c.unit, CAST(sum(" CAMPAIGN_ISSUED ") AS BIGINT) AS issued, "
    "CAST(sum(" CAMPAIGN_CAST ") AS BIGINT) AS cast_n FROM eval_campaigns c "
    "WHERE c.year >= $1 AND c.year <= $2 AND EXISTS (SELECT 1 FROM eval_codes k "
    "WHERE k.campaign_id = c.id) GROUP BY c.unit";
static const char sql_department_add[] =
    "INSERT INTO eval_departments (county, name) VALUES ($1, $2) RETURNING id";
static const char sql_department_get[] = "SELECT county, name FROM eval_departments WHERE id = $1";

static struct eval_campaign_row read_campaign(struct db_stmt *st, struct arena *a)
{
    return (struct eval_campaign_row){.id = db_int(st, "id"),
                                      .name = db_dup(st, a, "name"),
                                      .year = (int)db_int(st, "year"),
                                      .kind = db_dup(st, a, "kind"),
                                      .form = db_dup(st, a, "form"),
                                      .rule = db_dup(st, a, "rule"),
                                      .unit = db_dup(st, a, "unit"),
                                      .status = db_dup(st, a, "status"),
                                      .notice_until = db_dup(st, a, "notice_until"),
                                      .created_by = db_dup(st, a, "created_by"),
                                      .created_at = db_dup(st, a, "created_at"),
                                      .closed_at = db_dup(st, a, "closed_at")};
}

int store_eval_campaign_insert(struct db *db, struct eval_campaign_row *c, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_campaign_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, c->name);
    db_bind_int(st, 2, c->year);
    db_bind_str(st, 3, c->kind);
    db_bind_str(st, 4, c->form);
    db_bind_str(st, 5, c->rule);
    db_bind_str(st, 6, c->unit);
    db_bind_str(st, 7, c->created_by);
    db_bind_str(st, 8, c->created_at);
    return db_run_returning(st, &c->id, NULL, err);
}

int store_eval_campaign_get(struct db *db, struct arena *a, int64_t id,
                            struct eval_campaign_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_campaign_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_campaign(st, a);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的评议", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_eval_campaigns(struct db *db, struct arena *a, const char *scope, int year,
                         int (*fn)(void *ctx, const struct eval_campaign_row *c), void *ctx,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_campaigns, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_int(st, 2, year);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct eval_campaign_row c = read_campaign(st, a);
        if ((rc = fn(ctx, &c))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_eval_campaign_close(struct db *db, int64_t id, const char *closed_at,
                              const char *notice_until, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_campaign_close, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, closed_at);
    db_bind_str(st, 3, notice_until);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1 ? ERR_OK : err_set(err, ERR_CONFLICT, "该评议已结束");
}

int store_eval_group_insert(struct db *db, int64_t campaign_id, const struct eval_group_row *g,
                            struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_group_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, campaign_id);
    db_bind_int(st, 2, g->seq);
    db_bind_str(st, 3, g->name);
    db_bind_int(st, 4, g->weight);
    return db_run(st, err);
}

int store_eval_groups(struct db *db, struct arena *a, int64_t campaign_id, bool counts,
                      int (*fn)(void *ctx, const struct eval_group_row *g), void *ctx,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, counts ? sql_groups : sql_group_names, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, campaign_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct eval_group_row g = {.seq = (int)db_int(st, "seq"),
                                   .weight = (int)db_int(st, "weight"),
                                   .name = db_dup(st, a, "name"),
                                   .issued = db_int(st, "issued"),
                                   .cast = db_int(st, "cast_n")};
        if ((rc = fn(ctx, &g))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_eval_subject_insert(struct db *db, int64_t campaign_id, const struct eval_subject_row *s,
                              struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_subject_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, campaign_id);
    db_bind_int(st, 2, s->seq);
    db_bind_str(st, 3, s->name);
    db_bind_opt_int(st, 4, s->department_id);
    db_bind_opt_int(st, 5, s->person_id);
    db_bind_opt(st, 6, s->unit);
    return db_run(st, err);
}

int store_eval_subjects(struct db *db, struct arena *a, int64_t campaign_id,
                        int (*fn)(void *ctx, const struct eval_subject_row *s), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_subjects, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, campaign_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct eval_subject_row s = {.seq = (int)db_int(st, "seq"),
                                     .name = db_dup(st, a, "name"),
                                     .unit = db_dup(st, a, "unit"),
                                     .department_id = db_int(st, "department_id"),
                                     .person_id = db_int(st, "person_id")};
        if ((rc = fn(ctx, &s))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_eval_code_insert(struct db *db, const char *hash, int64_t campaign_id, int grp,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_code_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, hash);
    db_bind_int(st, 2, campaign_id);
    db_bind_int(st, 3, grp);
    return db_run(st, err);
}

int store_eval_code_ballot(struct db *db, struct arena *a, const char *hash,
                           struct eval_code_ballot *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_code_ballot, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, hash);
    rc = db_step(st, err);
    if (rc == DB_ROW)
        *out = (struct eval_code_ballot){.campaign_id = db_int(st, "campaign_id"),
                                         .grp = (int)db_int(st, "grp"),
                                         .used = db_int(st, "used") != 0,
                                         .status = db_dup(st, a, "status"),
                                         .form = db_dup(st, a, "form"),
                                         .unit = db_dup(st, a, "unit"),
                                         .nsubjects = (size_t)db_int(st, "nsubjects")};
    db_reset(st);
    if (rc == DB_DONE) return err_set_field(err, ERR_NOT_FOUND, "code", "评议码无效，请核对后重试");
    return rc < 0 ? rc : ERR_OK;
}

int store_eval_code_use(struct db *db, const char *hash, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_code_use, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, hash);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1
               ? ERR_OK
               : err_set_field(err, ERR_CONFLICT, "code",
                               "这个评议码已经投过票或本次评议已经结束，不能再投票");
}

int store_eval_ballot_insert(struct db *db, const char *id, int64_t campaign_id, int grp,
                             const char *answers, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_ballot_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, id);
    db_bind_int(st, 2, campaign_id);
    db_bind_int(st, 3, grp);
    db_bind_str(st, 4, answers);
    if ((rc = db_run(st, err)) || (rc = db_prepare(db, sql_group_cast, &st, err))) return rc;
    db_bind_int(st, 1, campaign_id);
    db_bind_int(st, 2, grp);
    return db_run(st, err);
}

int store_eval_ballots(struct db *db, int64_t campaign_id,
                       int (*fn)(void *ctx, int grp, const char *answers), void *ctx,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_ballots, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, campaign_id);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, (int)db_int(st, "grp"), db_text(st, "answers")))) break;
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_eval_counts(struct db *db, const char *scope, int year, int64_t *issued, int64_t *cast,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_counts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_int(st, 2, year);
    rc = db_step(st, err);
    *issued = *cast = 0;
    if (rc == DB_ROW) {
        *issued = db_int(st, "issued");
        *cast = db_int(st, "cast_n");
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_eval_department_add(struct db *db, const char *county, const char *name, int64_t *id,
                              struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_department_add, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, county);
    db_bind_str(st, 2, name);
    return db_run_returning(st, id, NULL, err);
}

int store_eval_department_get(struct db *db, struct arena *a, int64_t id, const char **county,
                              const char **name, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_department_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *county = db_dup(st, a, "county");
        *name = db_dup(st, a, "name");
    }
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的县直部门", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_eval_unit_counts(struct db *db, int from_year, int to_year,
                           int (*fn)(void *ctx, const char *unit, int64_t issued, int64_t cast),
                           void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_unit_counts, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, from_year);
    db_bind_int(st, 2, to_year);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "unit"), db_int(st, "issued"), db_int(st, "cast_n")))) break;
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}
