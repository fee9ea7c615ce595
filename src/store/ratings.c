/* ratings.c — what only a five-star rating case has: its row beside the
 * case, its answers, and 支部联建 pairs (store.h). */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define RATING_COLS                                                                                \
    "r.case_id, r.scheme, r.unit, r.target, coalesce(r.level, -1) AS level, r.stars, "             \
    "coalesce(r.notice_until, '') AS notice_until, coalesce(r.named_at, '') AS named_at, "         \
    "coalesce(r.checklist, 0) AS checklist, c.state, c.final, c.version, c.created_by, "           \
    "c.created_at, c.updated_at, coalesce(c.closed_at, '') AS closed_at"

static const char sql_insert[] =
    "INSERT INTO case_ratings (case_id, scheme, unit, target) VALUES ($1, $2, $3, $4)";
static const char sql_get[] = "SELECT r.case_id FROM case_ratings r WHERE r.scheme = $1 AND "
                              "r.unit = $2";
static const char sql_get_side[] = "SELECT " RATING_COLS " FROM case_ratings r "
                                   "JOIN cases c ON c.id = r.case_id WHERE r.case_id = $1";
static const char sql_update[] =
    "UPDATE case_ratings SET target = $2, level = $3, stars = $4, notice_until = $5, "
    "named_at = $6, checklist = $7 WHERE case_id = $1";
static const char sql_list[] =
    "SELECT " RATING_COLS " FROM case_ratings r JOIN cases c ON c.id = r.case_id "
    "WHERE r.scheme = $1 AND " DB_SUBTREE("r.unit", 2) " AND ($3 = '' OR c.state = $3) "
                                                       "AND r.unit > $4 ORDER BY r.unit LIMIT $5";
static const char sql_answer_put[] =
    "INSERT INTO case_answers (case_id, code, score, yes, note, adjusted, updated_by, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id, code) DO UPDATE SET "
    "score = excluded.score, yes = excluded.yes, note = excluded.note, "
    "adjusted = excluded.adjusted, updated_by = excluded.updated_by, "
    "updated_at = excluded.updated_at";
static const char sql_answers[] =
    "SELECT code, score, yes, note, adjusted, updated_by, updated_at FROM case_answers "
    "WHERE case_id = $1 ORDER BY code";
/* Only what rating needs: many rows, for a whole subtree. */
static const char sql_answers_in[] =
    "SELECT r.case_id, a.code, a.score, a.yes FROM case_ratings r "
    "JOIN case_answers a ON a.case_id = r.case_id "
    "WHERE r.scheme = $1 AND " DB_SUBTREE("r.unit", 2) " ORDER BY r.unit";
/* Only what the kept results need of every rating, by position. */
static const char sql_brief[] =
    "SELECT r.case_id, r.unit, c.state, r.target, coalesce(r.level, -1) AS level, r.stars, "
    "coalesce(r.notice_until, '') AS notice_until, coalesce(r.named_at, '') AS named_at "
    "FROM case_ratings r JOIN cases c ON c.id = r.case_id "
    "WHERE r.scheme = $1 AND " DB_SUBTREE("r.unit", 2) " ORDER BY r.unit";
/* The ratings written after an audit record, from the audit trail: every
 * rating write is audited with the entity "rating:<scheme>:<unit>". */
static const char sql_audit_last[] = "SELECT coalesce(max(seq), 0) AS seq FROM audit";
static const char sql_changed[] =
    "SELECT entity FROM audit WHERE seq > $1 AND seq <= $2 AND entity >= $3 AND entity < $4 "
    "ORDER BY seq";
static const char sql_pairings_clear[] =
    "DELETE FROM pairings WHERE scheme = $1 AND " DB_SUBTREE("weak", 2);
static const char sql_pairing_add[] = "INSERT INTO pairings (scheme, weak, strong, created_by, "
                                      "created_at) VALUES ($1, $2, $3, $4, $5)";
static const char sql_pairings[] =
    "SELECT weak, strong FROM pairings WHERE scheme = $1 AND " DB_SUBTREE("weak",
                                                                          2) " ORDER BY weak";

/* The two rows of the current row; strings valid until the next step. */
static void read_rating(struct db_stmt *st, struct case_row *c, struct case_rating *r)
{
    *r = (struct case_rating){
        .case_id = db_int(st, "case_id"),
        .scheme = db_text(st, "scheme"),
        .unit = db_text(st, "unit"),
        .target = (int)db_int(st, "target"),
        .level = (int)db_int(st, "level"),
        .stars = db_text(st, "stars"),
        .notice_until = db_text(st, "notice_until"),
        .named_at = db_text(st, "named_at"),
        .checklist = db_int(st, "checklist"),
    };
    *c = (struct case_row){
        .id = r->case_id,
        .kind = "rating",
        .title = "",
        .description = "",
        .unit = r->unit,
        .owner_unit = r->unit,
        .helper_unit = "",
        .assignee = "",
        .measures = "",
        .category = "",
        .deadline = "",
        .location = "",
        .state = db_text(st, "state"),
        .final = db_int(st, "final") != 0,
        .version = db_int(st, "version"),
        .created_by = db_text(st, "created_by"),
        .created_at = db_text(st, "created_at"),
        .updated_at = db_text(st, "updated_at"),
        .closed_at = db_text(st, "closed_at"),
        .tracking_code = "",
        .escalated_to = "",
        .priority = 2,
    };
}

int store_rating_insert(struct db *db, const struct case_rating *r, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, r->case_id);
    db_bind_str(st, 2, r->scheme);
    db_bind_str(st, 3, r->unit);
    db_bind_int(st, 4, r->target);
    return db_run(st, err);
}

int store_rating_find(struct db *db, const char *scheme, const char *unit, int64_t *case_id,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, unit);
    char none[160];
    snprintf(none, sizeof none, "单位 %s 还没有申报 %s 的创建目标", unit, scheme);
    return db_run_returning(st, case_id, none, err);
}

int store_rating_by_case(struct db *db, struct arena *a, int64_t case_id, struct case_rating *r,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_get_side, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    if ((rc = db_step(st, err)) == DB_ROW) {
        struct case_row ignored;
        read_rating(st, &ignored, r);
        r->scheme = arena_strdup(a, r->scheme);
        r->unit = arena_strdup(a, r->unit);
        r->stars = arena_strdup(a, r->stars);
        r->notice_until = arena_strdup(a, r->notice_until);
        r->named_at = arena_strdup(a, r->named_at);
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_INTERNAL, "case %lld has no rating row", (long long)case_id);
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_rating_update(struct db *db, const struct case_rating *r, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, r->case_id);
    db_bind_int(st, 2, r->target);
    if (r->level >= 0)
        db_bind_int(st, 3, r->level);
    else
        db_bind_null(st, 3);
    db_bind_str(st, 4, r->stars ? r->stars : "");
    db_bind_opt(st, 5, r->notice_until);
    db_bind_opt(st, 6, r->named_at);
    db_bind_opt_int(st, 7, r->checklist);
    return db_run(st, err);
}

int store_ratings_list(struct db *db, const struct store_rating_filter *f,
                       int (*fn)(void *ctx, const struct case_row *c, const struct case_rating *r),
                       void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->scheme);
    db_bind_str(st, 2, f->scope ? f->scope : "");
    db_bind_str(st, 3, f->state ? f->state : "");
    db_bind_str(st, 4, f->after_unit ? f->after_unit : "");
    db_bind_int(st, 5, f->limit > 0 ? f->limit : INT64_MAX); /* no limit */
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct case_row c;
        struct case_rating r;
        read_rating(st, &c, &r);
        if ((rc = fn(ctx, &c, &r)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_answer_put(struct db *db, int64_t case_id, const struct case_answer *an, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_answer_put, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    db_bind_str(st, 2, an->code);
    if (an->has_score)
        db_bind_double(st, 3, an->score);
    else
        db_bind_null(st, 3);
    if (an->has_yes)
        db_bind_int(st, 4, an->yes);
    else
        db_bind_null(st, 4);
    db_bind_str(st, 5, an->note ? an->note : "");
    db_bind_int(st, 6, an->adjusted);
    db_bind_str(st, 7, an->updated_by);
    db_bind_str(st, 8, an->updated_at);
    return db_run(st, err);
}

int store_answers(struct db *db, int64_t case_id,
                  int (*fn)(void *ctx, const struct case_answer *an), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_answers, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct case_answer an = {
            .code = db_text(st, "code"),
            .has_score = !db_null(st, "score"),
            .score = db_double(st, "score"),
            .has_yes = !db_null(st, "yes"),
            .yes = db_int(st, "yes") != 0,
            .note = db_text(st, "note"),
            .adjusted = db_int(st, "adjusted") != 0,
            .updated_by = db_text(st, "updated_by"),
            .updated_at = db_text(st, "updated_at"),
        };
        if ((rc = fn(ctx, &an)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_ratings_answers_in(struct db *db, const char *scheme, const char *scope,
                             int (*fn)(void *ctx, int64_t case_id, const struct case_answer *an),
                             void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_answers_in, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, scope ? scope : "");
    /* Positions, not names: this loop reads a million rows for a province. */
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct case_answer an = {.code = db_col_text(st, 1, NULL),
                                 .has_score = !db_col_null(st, 2),
                                 .score = db_col_double(st, 2),
                                 .has_yes = !db_col_null(st, 3),
                                 .yes = db_col_int(st, 3) != 0,
                                 .note = "",
                                 .updated_by = "",
                                 .updated_at = ""};
        if ((rc = fn(ctx, db_col_int(st, 0), &an)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_ratings_brief(struct db *db, const char *scheme, const char *scope,
                        int (*fn)(void *ctx, const struct store_rating_brief *b), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_brief, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, scope ? scope : "");
    /* Positions, not names: this loop reads every rating of a scheme. */
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_rating_brief b = {.case_id = db_col_int(st, 0),
                                       .unit = db_col_text(st, 1, NULL),
                                       .state = db_col_text(st, 2, NULL),
                                       .target = (int)db_col_int(st, 3),
                                       .level = (int)db_col_int(st, 4),
                                       .stars = db_col_text(st, 5, NULL),
                                       .notice_until = db_col_text(st, 6, NULL),
                                       .named_at = db_col_text(st, 7, NULL)};
        if ((rc = fn(ctx, &b)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_ratings_changed(struct db *db, const char *scheme, int64_t after, int64_t *last,
                          int (*fn)(void *ctx, const char *unit), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_audit_last, &st, err);
    if (rc) return rc;
    rc = db_step(st, err);
    *last = rc == DB_ROW ? db_int(st, "seq") : after;
    db_reset(st);
    if (rc < 0) return rc;
    if (*last <= after || !fn) return ERR_OK;
    char lo[96], hi[96];
    snprintf(lo, sizeof lo, "rating:%s:", scheme);
    snprintf(hi, sizeof hi, "rating:%s;", scheme); /* ';' sorts right after ':' */
    if ((rc = db_prepare(db, sql_changed, &st, err))) return rc;
    db_bind_int(st, 1, after);
    db_bind_int(st, 2, *last);
    db_bind_str(st, 3, lo);
    db_bind_str(st, 4, hi);
    size_t skip = strlen(lo);
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *entity = db_text(st, "entity");
        if (strlen(entity) > skip && (rc = fn(ctx, entity + skip)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_pairings_replace(struct db *db, const char *scheme, const char *scope,
                           const char *const *weak, const char *const *strong, size_t n,
                           const char *by, const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_pairings_clear, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, scope);
    if ((rc = db_run(st, err)) || (rc = db_prepare(db, sql_pairing_add, &st, err))) return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        db_bind_str(st, 1, scheme);
        db_bind_str(st, 2, weak[i]);
        db_bind_str(st, 3, strong[i]);
        db_bind_str(st, 4, by);
        db_bind_str(st, 5, at);
        rc = db_run(st, err);
    }
    return rc;
}

int store_pairings_list(struct db *db, const char *scheme, const char *scope,
                        int (*fn)(void *ctx, const char *weak, const char *strong), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_pairings, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, scope ? scope : "");
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "weak"), db_text(st, "strong"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static const char sql_snapshot_put[] =
    "INSERT INTO rating_snapshots (case_id, named_at, snapshot) VALUES ($1, $2, $3) "
    "ON CONFLICT (case_id) DO UPDATE SET named_at = excluded.named_at, "
    "snapshot = excluded.snapshot";
static const char sql_snapshot_get[] = "SELECT snapshot FROM rating_snapshots WHERE case_id = $1";

int store_rating_snapshot_put(struct db *db, int64_t case_id, const char *named_at,
                              const char *snapshot, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_snapshot_put, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    db_bind_str(st, 2, named_at);
    db_bind_str(st, 3, snapshot);
    return db_run(st, err);
}

int store_rating_snapshot_get(struct db *db, struct arena *a, int64_t case_id,
                              const char **snapshot, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_snapshot_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    rc = db_step(st, err);
    *snapshot = rc == DB_ROW ? db_dup(st, a, "snapshot") : NULL;
    db_reset(st);
    if (rc == DB_DONE) /* named before snapshots were kept */
        return err_set(err, ERR_NOT_FOUND, "rating %lld has no snapshot", (long long)case_id);
    return rc < 0 ? rc : ERR_OK;
}
