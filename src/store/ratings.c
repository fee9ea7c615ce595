/* ratings.c — five-star ratings, their answers, timeline, files,
 * objections, withdrawals and 支部联建 pairs (store.h). */
#include "store/store.h"

#include <string.h>

#define RATING_COLS                                                                                \
    "id, scheme, unit, target, state, coalesce(level, -1), stars, coalesce(notice_until, ''), "    \
    "coalesce(checklist, 0), created_by, created_at, updated_at, coalesce(named_at, '')"
/* A subtree as a range of codes (digits sort below ';'); "" = every code.
 * A range, not "$n = '' OR …", so that SQLite searches the index. */
#define IN_SCOPE(col, n) "(" col " >= $" #n " AND " col " < $" #n " || ';')"

static const char sql_insert[] =
    "INSERT INTO ratings (scheme, unit, target, state, created_by, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
static const char sql_get[] = "SELECT " RATING_COLS " FROM ratings WHERE scheme = $1 AND unit = $2";
static const char sql_update[] =
    "UPDATE ratings SET state = $2, level = $3, stars = $4, notice_until = $5, checklist = $6, "
    "updated_at = $7, named_at = $8 WHERE id = $1";
static const char sql_list[] =
    "SELECT " RATING_COLS " FROM ratings WHERE scheme = $1 AND " IN_SCOPE(
        "unit", 2) " AND ($3 = '' OR state = $3) AND unit > $4 ORDER BY unit LIMIT $5";
static const char sql_answer_put[] =
    "INSERT INTO rating_answers (rating, code, score, yes, note, adjusted, updated_by, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (rating, code) DO UPDATE SET "
    "score = excluded.score, yes = excluded.yes, note = excluded.note, "
    "adjusted = excluded.adjusted, updated_by = excluded.updated_by, "
    "updated_at = excluded.updated_at";
#define ANSWER_COLS "code, score, yes, note, adjusted, updated_by, updated_at"
static const char sql_answers[] =
    "SELECT " ANSWER_COLS " FROM rating_answers WHERE rating = $1 ORDER BY code";
/* Only what rating needs: many rows, for a whole subtree. */
static const char sql_answers_in[] =
    "SELECT r.id, a.code, a.score, a.yes FROM ratings r JOIN rating_answers a ON a.rating = r.id "
    "WHERE r.scheme = $1 AND " IN_SCOPE("r.unit", 2) " ORDER BY r.unit";
static const char sql_event_add[] =
    "INSERT INTO rating_events (rating, at, actor, kind, transition, from_state, to_state, note, "
    "changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char sql_events[] =
    "SELECT at, actor, kind, coalesce(transition, ''), coalesce(from_state, ''), "
    "coalesce(to_state, ''), note, coalesce(changes, '') FROM rating_events WHERE rating = $1 "
    "ORDER BY id";
static const char sql_file_add[] = "INSERT INTO rating_files (rating, code, sha256, name) "
                                   "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
static const char sql_files[] =
    "SELECT x.code, x.sha256, x.name, f.type, f.size FROM rating_files x "
    "JOIN files f ON f.sha256 = x.sha256 WHERE x.rating = $1 ORDER BY x.code, x.name";
static const char sql_file_get[] =
    "SELECT x.name, f.type, f.data FROM rating_files x JOIN files f ON f.sha256 = x.sha256 "
    "WHERE x.rating = $1 AND x.sha256 = $2 LIMIT 1";
static const char sql_objection_add[] =
    "INSERT INTO rating_objections (rating, text, recorded_by, recorded_at) "
    "VALUES ($1, $2, $3, $4)";
static const char sql_objection_resolve[] =
    "UPDATE rating_objections SET resolution = $3, upheld = $4, resolved_by = $5, "
    "resolved_at = $6 WHERE rating = $1 AND id = $2 AND resolved_at IS NULL RETURNING id";
static const char sql_objections[] =
    "SELECT id, text, recorded_by, recorded_at, coalesce(resolution, ''), coalesce(upheld, -1), "
    "coalesce(resolved_by, ''), coalesce(resolved_at, '') FROM rating_objections "
    "WHERE rating = $1 ORDER BY id";
static const char sql_withdrawal_add[] =
    "INSERT INTO rating_withdrawals (rating, star, reason, by, at) VALUES ($1, $2, $3, $4, $5)";
static const char sql_withdrawals[] =
    "SELECT star, reason, by, at FROM rating_withdrawals WHERE rating = $1 ORDER BY at, star";
static const char sql_pairings_clear[] =
    "DELETE FROM pairings WHERE scheme = $1 AND " IN_SCOPE("weak", 2);
static const char sql_pairing_add[] = "INSERT INTO pairings (scheme, weak, strong, created_by, "
                                      "created_at) VALUES ($1, $2, $3, $4, $5)";
static const char sql_pairings[] =
    "SELECT weak, strong FROM pairings WHERE scheme = $1 AND " IN_SCOPE("weak", 2) " ORDER BY weak";

/* A text column copied into a, or as it is (valid until the next step) when a is NULL. */
static const char *dup(struct db_stmt *st, struct arena *a, int col)
{
    size_t n;
    const char *s = db_col_text(st, col, &n);
    return a ? arena_strndup(a, s, n) : s;
}

static void read_rating(struct db_stmt *st, struct arena *a, struct store_rating *r)
{
    *r = (struct store_rating){
        .id = db_col_int(st, 0),
        .scheme = dup(st, a, 1),
        .unit = dup(st, a, 2),
        .target = (int)db_col_int(st, 3),
        .state = dup(st, a, 4),
        .level = (int)db_col_int(st, 5),
        .stars = dup(st, a, 6),
        .notice_until = dup(st, a, 7),
        .checklist = db_col_int(st, 8),
        .created_by = dup(st, a, 9),
        .created_at = dup(st, a, 10),
        .updated_at = dup(st, a, 11),
        .named_at = dup(st, a, 12),
    };
}

/* Runs a statement bound by the caller that returns one id, or none. */
static int run_returning(struct db_stmt *st, int64_t *id, const char *none, struct err *err)
{
    int rc = db_step(st, err);
    if (rc == DB_ROW && id) *id = db_col_int(st, 0);
    if (rc == DB_DONE && none) rc = err_set(err, ERR_NOT_FOUND, "%s", none);
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static void bind_opt(struct db_stmt *st, int n, const char *s)
{
    db_bind_str(st, n, s && s[0] ? s : NULL);
}

int store_rating_insert(struct db *db, struct store_rating *r, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, r->scheme);
    db_bind_str(st, 2, r->unit);
    db_bind_int(st, 3, r->target);
    db_bind_str(st, 4, r->state);
    db_bind_str(st, 5, r->created_by);
    db_bind_str(st, 6, r->created_at);
    return run_returning(st, &r->id, NULL, err);
}

int store_rating_get(struct db *db, struct arena *a, const char *scheme, const char *unit,
                     struct store_rating *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_get, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, unit);
    rc = db_step(st, err);
    if (rc == DB_ROW) read_rating(st, a, out);
    if (rc == DB_DONE)
        rc = err_set(err, ERR_NOT_FOUND, "单位 %s 还没有申报 %s 的创建目标", unit, scheme);
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_rating_update(struct db *db, const struct store_rating *r, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, r->id);
    db_bind_str(st, 2, r->state);
    if (r->level >= 0)
        db_bind_int(st, 3, r->level);
    else
        db_bind_null(st, 3);
    db_bind_str(st, 4, r->stars ? r->stars : "");
    bind_opt(st, 5, r->notice_until);
    if (r->checklist)
        db_bind_int(st, 6, r->checklist);
    else
        db_bind_null(st, 6);
    db_bind_str(st, 7, r->updated_at);
    bind_opt(st, 8, r->named_at);
    return db_run(st, err);
}

int store_ratings_list(struct db *db, struct arena *a, const struct store_rating_filter *f,
                       int (*fn)(void *ctx, const struct store_rating *r), void *ctx,
                       struct err *err)
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
        struct store_rating r;
        read_rating(st, a, &r);
        if ((rc = fn(ctx, &r)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_rating_answer_put(struct db *db, int64_t rating, const struct store_rating_answer *an,
                            struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_answer_put, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
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

/* An answer from columns first.. of the row (ANSWER_COLS). */
static struct store_rating_answer read_answer(struct db_stmt *st, struct arena *a, int first)
{
    return (struct store_rating_answer){
        .code = dup(st, a, first),
        .has_score = !db_col_null(st, first + 1),
        .score = db_col_double(st, first + 1),
        .has_yes = !db_col_null(st, first + 2),
        .yes = db_col_int(st, first + 2) != 0,
        .note = dup(st, a, first + 3),
        .adjusted = db_col_int(st, first + 4) != 0,
        .updated_by = dup(st, a, first + 5),
        .updated_at = dup(st, a, first + 6),
    };
}

int store_rating_answers(struct db *db, struct arena *a, int64_t rating,
                         int (*fn)(void *ctx, const struct store_rating_answer *an), void *ctx,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_answers, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_rating_answer an = read_answer(st, a, 0);
        if ((rc = fn(ctx, &an)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_ratings_answers_in(struct db *db, const char *scheme, const char *scope,
                             int (*fn)(void *ctx, int64_t rating,
                                       const struct store_rating_answer *an),
                             void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_answers_in, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, scope ? scope : "");
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_rating_answer an = {.code = db_col_text(st, 1, NULL),
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

int store_rating_event_add(struct db *db, int64_t rating, const struct store_rating_event *e,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_event_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    db_bind_str(st, 2, e->at);
    db_bind_str(st, 3, e->actor);
    db_bind_str(st, 4, e->kind);
    bind_opt(st, 5, e->transition);
    bind_opt(st, 6, e->from_state);
    bind_opt(st, 7, e->to_state);
    db_bind_str(st, 8, e->note ? e->note : "");
    bind_opt(st, 9, e->changes);
    return db_run(st, err);
}

int store_rating_events(struct db *db, struct arena *a, int64_t rating,
                        int (*fn)(void *ctx, const struct store_rating_event *e), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_events, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_rating_event e = {
            .at = dup(st, a, 0),
            .actor = dup(st, a, 1),
            .kind = dup(st, a, 2),
            .transition = dup(st, a, 3),
            .from_state = dup(st, a, 4),
            .to_state = dup(st, a, 5),
            .note = dup(st, a, 6),
            .changes = dup(st, a, 7),
        };
        if ((rc = fn(ctx, &e)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_rating_file_add(struct db *db, int64_t rating, const char *code, const char *sha256,
                          const char *name, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_file_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    db_bind_str(st, 2, code);
    db_bind_str(st, 3, sha256);
    db_bind_str(st, 4, name);
    return db_run(st, err);
}

int store_rating_files(struct db *db, struct arena *a, int64_t rating,
                       int (*fn)(void *ctx, const char *code, const struct store_file *f),
                       void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_files, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_file f = {.sha256 = dup(st, a, 1),
                               .name = dup(st, a, 2),
                               .type = dup(st, a, 3),
                               .size = (size_t)db_col_int(st, 4)};
        if ((rc = fn(ctx, dup(st, a, 0), &f)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_rating_file_get(struct db *db, struct arena *a, int64_t rating, const char *sha256,
                          struct store_file *out, const void **data, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_file_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    db_bind_str(st, 2, sha256);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        size_t len;
        const void *p = db_col_blob(st, 2, &len);
        void *copy = arena_alloc(a, len ? len : 1);
        if (len) memcpy(copy, p, len);
        *out = (struct store_file){.sha256 = arena_strdup(a, sha256),
                                   .name = dup(st, a, 0),
                                   .type = dup(st, a, 1),
                                   .size = len};
        *data = copy;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "没有这个佐证材料");
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_rating_objection_add(struct db *db, int64_t rating, const char *text, const char *by,
                               const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_objection_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    db_bind_str(st, 2, text);
    db_bind_str(st, 3, by);
    db_bind_str(st, 4, at);
    return db_run(st, err);
}

int store_rating_objection_resolve(struct db *db, int64_t rating, int64_t id,
                                   const char *resolution, bool upheld, const char *by,
                                   const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_objection_resolve, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    db_bind_int(st, 2, id);
    db_bind_str(st, 3, resolution);
    db_bind_int(st, 4, upheld);
    db_bind_str(st, 5, by);
    db_bind_str(st, 6, at);
    return run_returning(st, NULL, "没有这条待处理的异议", err);
}

int store_rating_objections(struct db *db, struct arena *a, int64_t rating,
                            int (*fn)(void *ctx, const struct store_rating_objection *o), void *ctx,
                            struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_objections, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_rating_objection o = {
            .id = db_col_int(st, 0),
            .text = dup(st, a, 1),
            .recorded_by = dup(st, a, 2),
            .recorded_at = dup(st, a, 3),
            .resolution = dup(st, a, 4),
            .upheld = (int)db_col_int(st, 5),
            .resolved_by = dup(st, a, 6),
            .resolved_at = dup(st, a, 7),
        };
        if ((rc = fn(ctx, &o)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_rating_withdrawal_add(struct db *db, int64_t rating,
                                const struct store_rating_withdrawal *w, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_withdrawal_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    db_bind_str(st, 2, w->star);
    db_bind_str(st, 3, w->reason);
    db_bind_str(st, 4, w->by);
    db_bind_str(st, 5, w->at);
    return db_run(st, err);
}

int store_rating_withdrawals(struct db *db, struct arena *a, int64_t rating,
                             int (*fn)(void *ctx, const struct store_rating_withdrawal *w),
                             void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_withdrawals, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, rating);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_rating_withdrawal w = {.star = dup(st, a, 0),
                                            .reason = dup(st, a, 1),
                                            .by = dup(st, a, 2),
                                            .at = dup(st, a, 3)};
        if ((rc = fn(ctx, &w)) != 0) break;
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
        if ((rc = fn(ctx, db_col_text(st, 0, NULL), db_col_text(st, 1, NULL))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
