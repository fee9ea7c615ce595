/* contests.c — contests, contestants, judges, scores and 金点子
 * (store_contests.h). One SQL for SQLite and PostgreSQL. */
#include "store/store_contests.h"

static const char sql_insert[] =
    "INSERT INTO contests (unit, name, year, stage_weight, site_weight, criteria, awards, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
static const char sql_contestant_insert[] =
    "INSERT INTO contest_contestants (contest_id, seq, person_id, name, unit) "
    "VALUES ($1, $2, $3, $4, $5)";
static const char sql_judge_insert[] =
    "INSERT INTO contest_judges (contest_id, seq, person_id, name, unit, code_hash, recused) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
#define CONTEST_COLS                                                                               \
    "c.id, c.unit, c.name, c.year, c.stage_weight, c.site_weight, c.criteria, c.awards, "          \
    "c.current_seq, c.created_by, c.created_at "
static const char sql_get[] = "SELECT " CONTEST_COLS "FROM contests c WHERE c.id = $1";
static const char sql_list[] = "SELECT " CONTEST_COLS "FROM contests c WHERE " DB_SUBTREE(
    "c.unit", 1) " AND ($2 = 0 OR c.year = $2) ORDER BY c.year DESC, c.id DESC LIMIT 500";
static const char sql_contestants[] =
    "SELECT seq, coalesce(person_id, 0) AS person_id, name, unit, round, "
    "site_score IS NOT NULL AS has_site, coalesce(site_score, 0) AS site_score "
    "FROM contest_contestants WHERE contest_id = $1 ORDER BY seq";
static const char sql_judge_code_set[] =
    "UPDATE contest_judges SET code_hash = $1 WHERE contest_id = $2 AND seq = $3";
static const char sql_judges[] =
    "SELECT seq, coalesce(person_id, 0) AS person_id, name, unit, recused "
    "FROM contest_judges WHERE contest_id = $1 ORDER BY seq";
static const char sql_scores[] =
    "SELECT contestant, judge, scores, total, scored_at FROM contest_scores "
    "WHERE contest_id = $1 ORDER BY contestant, judge";
static const char sql_judge_by_hash[] =
    "SELECT contest_id, seq, coalesce(person_id, 0) AS person_id, name, unit, recused "
    "FROM contest_judges WHERE code_hash = $1";
static const char sql_score_put[] =
    "INSERT INTO contest_scores (contest_id, contestant, judge, scores, total, scored_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (contest_id, contestant, judge) DO UPDATE SET "
    "scores = excluded.scores, total = excluded.total, scored_at = excluded.scored_at";
static const char sql_round[] =
    "UPDATE contest_contestants SET round = $3 WHERE contest_id = $1 AND seq = $2";
static const char sql_current[] = "UPDATE contests SET current_seq = $2 WHERE id = $1";
static const char sql_site[] =
    "UPDATE contest_contestants SET site_score = $3 WHERE contest_id = $1 AND seq = $2";
static const char sql_idea_insert[] =
    "INSERT INTO contest_ideas (contest_id, contestant, unit, title, body, tags, created_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
static const char sql_ideas[] =
    "SELECT i.id, i.contestant, i.unit, i.title, i.body, i.tags, i.created_by, i.created_at, "
    "(SELECT count(*) FROM contest_idea_votes v WHERE v.idea_id = i.id) AS votes, "
    "(SELECT count(*) FROM contest_idea_votes v WHERE v.idea_id = i.id AND v.username = $2) "
    "AS mine FROM contest_ideas i WHERE i.contest_id = $1 ORDER BY votes DESC, i.id LIMIT 1000";
static const char sql_idea_contest[] = "SELECT contest_id FROM contest_ideas WHERE id = $1";
static const char sql_vote[] = "INSERT INTO contest_idea_votes (idea_id, username) VALUES ($1, $2)";

static void contest_from(struct db_stmt *st, struct arena *a, struct contest_row *c)
{
    *c = (struct contest_row){.id = db_int(st, "id"),
                              .unit = db_dup(st, a, "unit"),
                              .name = db_dup(st, a, "name"),
                              .criteria = db_dup(st, a, "criteria"),
                              .awards = db_dup(st, a, "awards"),
                              .created_by = db_dup(st, a, "created_by"),
                              .created_at = db_dup(st, a, "created_at"),
                              .year = (int)db_int(st, "year"),
                              .stage_weight = (int)db_int(st, "stage_weight"),
                              .site_weight = (int)db_int(st, "site_weight"),
                              .current_seq = (int)db_int(st, "current_seq")};
}

int store_contest_insert(struct db *db, struct contest_row *c, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, c->unit);
    db_bind_str(st, 2, c->name);
    db_bind_int(st, 3, c->year);
    db_bind_int(st, 4, c->stage_weight);
    db_bind_int(st, 5, c->site_weight);
    db_bind_str(st, 6, c->criteria);
    db_bind_str(st, 7, c->awards);
    db_bind_str(st, 8, c->created_by);
    db_bind_str(st, 9, c->created_at);
    return db_run_returning(st, &c->id, NULL, err);
}

int store_contestant_insert(struct db *db, int64_t contest, const struct contestant_row *c,
                            struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_contestant_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, contest);
    db_bind_int(st, 2, c->seq);
    db_bind_opt_int(st, 3, c->person_id);
    db_bind_str(st, 4, c->name);
    db_bind_str(st, 5, c->unit);
    return db_run(st, err);
}

int store_judge_insert(struct db *db, int64_t contest, const struct judge_row *j,
                       const char *code_hash, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_judge_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, contest);
    db_bind_int(st, 2, j->seq);
    db_bind_opt_int(st, 3, j->person_id);
    db_bind_str(st, 4, j->name);
    db_bind_str(st, 5, j->unit);
    db_bind_str(st, 6, code_hash);
    db_bind_str(st, 7, j->recused);
    return db_run(st, err);
}

int store_judge_code_set(struct db *db, int64_t contest, int seq, const char *code_hash,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_judge_code_set, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, code_hash);
    db_bind_int(st, 2, contest);
    db_bind_int(st, 3, seq);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1 ? ERR_OK
                               : err_set_field(err, ERR_NOT_FOUND, "judge", "没有这名评委");
}

int store_contest_get(struct db *db, struct arena *a, int64_t id, struct contest_row *out,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) contest_from(st, a, out);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的擂台比武", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_contests(struct db *db, struct arena *a, const char *unit, int year,
                   int (*fn)(void *ctx, const struct contest_row *c), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, year);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct contest_row c;
        contest_from(st, a, &c);
        if ((rc = fn(ctx, &c)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : (rc == DB_DONE ? ERR_OK : rc);
}

int store_contestants(struct db *db, struct arena *a, int64_t id, struct contestant_row **out,
                      size_t *n, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_contestants, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        (*out)[(*n)++] = (struct contestant_row){.seq = (int)db_int(st, "seq"),
                                                 .person_id = db_int(st, "person_id"),
                                                 .name = db_dup(st, a, "name"),
                                                 .unit = db_dup(st, a, "unit"),
                                                 .round = db_dup(st, a, "round"),
                                                 .has_site = db_int(st, "has_site") != 0,
                                                 .site_score = db_double(st, "site_score")};
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static void judge_from(struct db_stmt *st, struct arena *a, struct judge_row *j)
{
    *j = (struct judge_row){.seq = (int)db_int(st, "seq"),
                            .person_id = db_int(st, "person_id"),
                            .name = db_dup(st, a, "name"),
                            .unit = db_dup(st, a, "unit"),
                            .recused = db_dup(st, a, "recused")};
}

int store_contest_judges(struct db *db, struct arena *a, int64_t id, struct judge_row **out,
                         size_t *n, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_judges, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        judge_from(st, a, &(*out)[(*n)++]);
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_contest_scores(struct db *db, struct arena *a, int64_t id, struct contest_score_row **out,
                         size_t *n, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_scores, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        (*out)[(*n)++] = (struct contest_score_row){.contestant = (int)db_int(st, "contestant"),
                                                    .judge = (int)db_int(st, "judge"),
                                                    .scores = db_dup(st, a, "scores"),
                                                    .total = db_double(st, "total"),
                                                    .scored_at = db_dup(st, a, "scored_at")};
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_judge_by_hash(struct db *db, struct arena *a, const char *hash, int64_t *contest,
                        struct judge_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_judge_by_hash, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, hash);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *contest = db_int(st, "contest_id");
        judge_from(st, a, out);
    }
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "评委码无效");
    return rc < 0 ? rc : ERR_OK;
}

int store_contest_score_put(struct db *db, int64_t contest, const struct contest_score_row *s,
                            struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_score_put, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, contest);
    db_bind_int(st, 2, s->contestant);
    db_bind_int(st, 3, s->judge);
    db_bind_str(st, 4, s->scores);
    db_bind_double(st, 5, s->total);
    db_bind_str(st, 6, s->scored_at);
    return db_run(st, err);
}

static int update3(struct db *db, const char *sql, int64_t contest, int seq, const char *text,
                   const double *num, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, contest);
    db_bind_int(st, 2, seq);
    if (text) db_bind_str(st, 3, text);
    if (num) db_bind_double(st, 3, *num);
    return db_run(st, err);
}

int store_contestant_round(struct db *db, int64_t contest, int seq, const char *round,
                           struct err *err)
{
    return update3(db, sql_round, contest, seq, round, NULL, err);
}

int store_contest_current(struct db *db, int64_t contest, int seq, struct err *err)
{
    return update3(db, sql_current, contest, seq, NULL, NULL, err);
}

int store_contestant_site(struct db *db, int64_t contest, int seq, double score, struct err *err)
{
    return update3(db, sql_site, contest, seq, NULL, &score, err);
}

int store_contest_idea_insert(struct db *db, int64_t contest, struct contest_idea_row *i,
                              struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_idea_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, contest);
    db_bind_int(st, 2, i->contestant);
    db_bind_str(st, 3, i->unit);
    db_bind_str(st, 4, i->title);
    db_bind_str(st, 5, i->body);
    db_bind_str(st, 6, i->tags);
    db_bind_str(st, 7, i->created_by);
    db_bind_str(st, 8, i->created_at);
    return db_run_returning(st, &i->id, NULL, err);
}

int store_contest_ideas(struct db *db, struct arena *a, int64_t contest, const char *user,
                        struct contest_idea_row **out, size_t *n, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_ideas, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, contest);
    db_bind_str(st, 2, user ? user : "");
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        *out = arena_grow(a, *out, sizeof **out, *n, *n + 1, &cap);
        (*out)[(*n)++] = (struct contest_idea_row){.id = db_int(st, "id"),
                                                   .votes = db_int(st, "votes"),
                                                   .contestant = (int)db_int(st, "contestant"),
                                                   .mine = db_int(st, "mine") > 0,
                                                   .unit = db_dup(st, a, "unit"),
                                                   .title = db_dup(st, a, "title"),
                                                   .body = db_dup(st, a, "body"),
                                                   .tags = db_dup(st, a, "tags"),
                                                   .created_by = db_dup(st, a, "created_by"),
                                                   .created_at = db_dup(st, a, "created_at")};
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_contest_idea_contest(struct db *db, int64_t idea, int64_t *contest, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_idea_contest, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, idea);
    rc = db_step(st, err);
    if (rc == DB_ROW) *contest = db_int(st, "contest_id");
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的金点子", (long long)idea);
    return rc < 0 ? rc : ERR_OK;
}

int store_contest_idea_vote(struct db *db, int64_t idea, const char *user, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_vote, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, idea);
    db_bind_str(st, 2, user);
    rc = db_run(st, err);
    if (rc == ERR_CONFLICT)
        return err_set_field(err, ERR_CONFLICT, "idea", "您已为这条金点子投过票：每人一票");
    return rc;
}
