/* share.c — 共享小区 needs, offers and matches (store_share.h). One SQL
 * for SQLite and PostgreSQL. */
#include "store/store_share.h"

#define POST_COLS                                                                                  \
    "p.id, p.kind, p.category, p.unit, p.building, p.day_from, p.day_to, p.title, p.body, "        \
    "coalesce(p.contact_sealed, '') AS contact_sealed, p.contact_masked, "                         \
    "coalesce(p.code_hash, '') AS code_hash, p.state, p.created_by, p.created_at, p.created_on, "  \
    "coalesce((SELECT m.id FROM share_matches m WHERE m.need_id = p.id OR m.offer_id = p.id), "    \
    "0) AS match_id "
static const char sql_post_insert[] =
    "INSERT INTO share_posts (kind, category, unit, building, day_from, day_to, title, body, "
    "contact_sealed, contact_masked, code_hash, created_by, created_at, created_on) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
static const char sql_post_get[] = "SELECT " POST_COLS "FROM share_posts p WHERE p.id = $1";
static const char sql_post_by_code[] =
    "SELECT " POST_COLS "FROM share_posts p WHERE p.code_hash = $1";
static const char sql_posts[] = "SELECT " POST_COLS "FROM share_posts p WHERE " DB_SUBTREE(
    "p.unit", 1) " AND ($2 = '' OR p.kind = $2) AND ($3 = '' OR p.state = $3) "
                 "ORDER BY p.id DESC LIMIT $4";
/* The index share_posts_open (unit, category, kind, day_from) WHERE
 * state = 'open' narrows to one community's category and kind before the
 * window; the ordering sorts the few rows left. */
static const char sql_suggest[] =
    "SELECT " POST_COLS "FROM share_posts p WHERE p.unit = $1 AND p.category = $2 AND p.kind = $3 "
    "AND p.state = 'open' AND p.day_from <= $5 AND p.day_to >= $4 AND p.id <> $7 "
    "ORDER BY CASE WHEN p.building <> '' AND p.building = $6 THEN 0 ELSE 1 END, "
    "(CASE WHEN p.day_to < $5 THEN p.day_to ELSE $5 END) - "
    "(CASE WHEN p.day_from > $4 THEN p.day_from ELSE $4 END) DESC, "
    "abs(p.day_from - $4), p.id LIMIT $8";
static const char sql_post_take[] =
    "UPDATE share_posts SET state = $2 WHERE id = $1 AND state = 'open'";

#define MATCH_COLS                                                                                 \
    "m.id, m.need_id, m.offer_id, m.unit, m.created_by, m.created_at, "                            \
    "coalesce(m.need_confirmed_at, '') AS need_confirmed_at, "                                     \
    "coalesce(m.offer_confirmed_at, '') AS offer_confirmed_at, coalesce(m.done_on, '') AS "        \
    "done_on, "                                                                                    \
    "coalesce(m.need_rating, 0) AS need_rating, coalesce(m.offer_rating, 0) AS offer_rating, "     \
    "n.title AS need_title, o.title AS offer_title "                                               \
    "FROM share_matches m JOIN share_posts n ON n.id = m.need_id "                                 \
    "JOIN share_posts o ON o.id = m.offer_id "
static const char sql_match_insert[] =
    "INSERT INTO share_matches (need_id, offer_id, unit, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_match_get[] = "SELECT " MATCH_COLS "WHERE m.id = $1";
static const char sql_matches[] =
    "SELECT " MATCH_COLS "WHERE " DB_SUBTREE("m.unit", 1) " ORDER BY m.id DESC LIMIT $2";
static const char sql_confirm_need[] =
    "UPDATE share_matches SET need_confirmed_at = $2, need_rating = $3 "
    "WHERE id = $1 AND need_confirmed_at IS NULL";
static const char sql_confirm_offer[] =
    "UPDATE share_matches SET offer_confirmed_at = $2, offer_rating = $3 "
    "WHERE id = $1 AND offer_confirmed_at IS NULL";
static const char sql_done[] =
    "UPDATE share_matches SET done_on = $2 WHERE id = $1 AND done_on IS NULL "
    "AND need_confirmed_at IS NOT NULL AND offer_confirmed_at IS NOT NULL";
static const char sql_count_done[] =
    "SELECT unit, count(*) AS n FROM share_matches WHERE done_on >= $1 AND done_on < $2 "
    "GROUP BY unit";
static const char sql_count_posts[] =
    "SELECT unit, count(*) AS n FROM share_posts WHERE created_on >= $1 AND created_on < $2 "
    "AND kind = $3 GROUP BY unit";

static void post_from(struct db_stmt *st, struct arena *a, struct share_post_row *p)
{
    *p = (struct share_post_row){.id = db_int(st, "id"),
                                 .kind = db_dup(st, a, "kind"),
                                 .category = db_dup(st, a, "category"),
                                 .unit = db_dup(st, a, "unit"),
                                 .building = db_dup(st, a, "building"),
                                 .day_from = db_int(st, "day_from"),
                                 .day_to = db_int(st, "day_to"),
                                 .title = db_dup(st, a, "title"),
                                 .body = db_dup(st, a, "body"),
                                 .contact_sealed = db_dup(st, a, "contact_sealed"),
                                 .contact_masked = db_dup(st, a, "contact_masked"),
                                 .code_hash = db_dup(st, a, "code_hash"),
                                 .state = db_dup(st, a, "state"),
                                 .created_by = db_dup(st, a, "created_by"),
                                 .created_at = db_dup(st, a, "created_at"),
                                 .created_on = db_dup(st, a, "created_on"),
                                 .match_id = db_int(st, "match_id")};
}

static void match_from(struct db_stmt *st, struct arena *a, struct share_match_row *m)
{
    *m = (struct share_match_row){.id = db_int(st, "id"),
                                  .need_id = db_int(st, "need_id"),
                                  .offer_id = db_int(st, "offer_id"),
                                  .unit = db_dup(st, a, "unit"),
                                  .created_by = db_dup(st, a, "created_by"),
                                  .created_at = db_dup(st, a, "created_at"),
                                  .need_confirmed_at = db_dup(st, a, "need_confirmed_at"),
                                  .offer_confirmed_at = db_dup(st, a, "offer_confirmed_at"),
                                  .done_on = db_dup(st, a, "done_on"),
                                  .need_rating = db_int(st, "need_rating"),
                                  .offer_rating = db_int(st, "offer_rating"),
                                  .need_title = db_dup(st, a, "need_title"),
                                  .offer_title = db_dup(st, a, "offer_title")};
}

int store_share_post_insert(struct db *db, struct share_post_row *p, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_post_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, p->kind);
    db_bind_str(st, 2, p->category);
    db_bind_str(st, 3, p->unit);
    db_bind_str(st, 4, p->building ? p->building : "");
    db_bind_int(st, 5, p->day_from);
    db_bind_int(st, 6, p->day_to);
    db_bind_str(st, 7, p->title);
    db_bind_str(st, 8, p->body ? p->body : "");
    db_bind_opt(st, 9, p->contact_sealed);
    db_bind_str(st, 10, p->contact_masked ? p->contact_masked : "");
    db_bind_opt(st, 11, p->code_hash);
    db_bind_str(st, 12, p->created_by);
    db_bind_str(st, 13, p->created_at);
    db_bind_str(st, 14, p->created_on);
    return db_run_returning(st, &p->id, NULL, err);
}

static int post_one(struct db *db, struct arena *a, const char *sql, const char *text, int64_t id,
                    struct share_post_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    if (text)
        db_bind_str(st, 1, text);
    else
        db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) post_from(st, a, out);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这条需求或服务");
    return rc < 0 ? rc : ERR_OK;
}

int store_share_post_get(struct db *db, struct arena *a, int64_t id, struct share_post_row *out,
                         struct err *err)
{
    return post_one(db, a, sql_post_get, NULL, id, out, err);
}

int store_share_post_by_code(struct db *db, struct arena *a, const char *code_hash,
                             struct share_post_row *out, struct err *err)
{
    return post_one(db, a, sql_post_by_code, code_hash, 0, out, err);
}

static int post_rows(struct db_stmt *st, struct arena *a, store_share_post_fn fn, void *ctx,
                     struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct share_post_row p;
        post_from(st, a, &p);
        if ((rc = fn(ctx, &p)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_share_posts(struct db *db, struct arena *a, const char *unit, const char *kind,
                      const char *state, int limit, store_share_post_fn fn, void *ctx,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_posts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_str(st, 2, kind ? kind : "");
    db_bind_str(st, 3, state ? state : "");
    db_bind_int(st, 4, limit);
    return post_rows(st, a, fn, ctx, err);
}

int store_share_suggest(struct db *db, struct arena *a, const struct share_post_row *p, int limit,
                        store_share_post_fn fn, void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_suggest, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, p->unit);
    db_bind_str(st, 2, p->category);
    db_bind_str(st, 3, p->kind[0] == 'n' ? "offer" : "need");
    db_bind_int(st, 4, p->day_from);
    db_bind_int(st, 5, p->day_to);
    db_bind_str(st, 6, p->building);
    db_bind_int(st, 7, p->id);
    db_bind_int(st, 8, limit);
    return post_rows(st, a, fn, ctx, err);
}

int store_share_post_take(struct db *db, int64_t id, const char *to, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_post_take, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, to);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1
               ? ERR_OK
               : err_set(err, ERR_CONFLICT, "编号 %lld 的需求或服务已撮合、完成或撤回，不能再撮合",
                         (long long)id);
}

int store_share_match_insert(struct db *db, struct share_match_row *m, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_match_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, m->need_id);
    db_bind_int(st, 2, m->offer_id);
    db_bind_str(st, 3, m->unit);
    db_bind_str(st, 4, m->created_by);
    db_bind_str(st, 5, m->created_at);
    rc = db_run_returning(st, &m->id, NULL, err);
    if (rc == ERR_CONFLICT) return err_set(err, ERR_CONFLICT, "该需求或服务已有撮合");
    return rc;
}

int store_share_match_get(struct db *db, struct arena *a, int64_t id, struct share_match_row *out,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_match_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) match_from(st, a, out);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的撮合", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_share_matches(struct db *db, struct arena *a, const char *unit, int limit,
                        store_share_match_fn fn, void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_matches, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct share_match_row m;
        match_from(st, a, &m);
        if ((rc = fn(ctx, &m)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_share_confirm(struct db *db, int64_t match, bool need_side, const char *at, int rating,
                        const char *today, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, need_side ? sql_confirm_need : sql_confirm_offer, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, match);
    db_bind_str(st, 2, at);
    db_bind_int(st, 3, rating);
    if ((rc = db_run(st, err))) return rc;
    if (db_changes(db) != 1)
        return err_set(err, ERR_CONFLICT, "%s方已确认过这次服务", need_side ? "需求" : "服务");
    if ((rc = db_prepare(db, sql_done, &st, err))) return rc;
    db_bind_int(st, 1, match);
    db_bind_str(st, 2, today);
    return db_run(st, err);
}

int store_share_counts(struct db *db, int what, const char *start, const char *next,
                       int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, what == 0 ? sql_count_done : sql_count_posts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, start);
    db_bind_str(st, 2, next);
    if (what) db_bind_str(st, 3, what == 1 ? "need" : "offer");
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, db_col(st, "unit"), &len);
        if ((rc = fn(ctx, unit, len, (double)db_int(st, "n"))) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
