/* cadres.c — reserve pools, community workers and make-up links
 * (store_cadres.h). One SQL for SQLite and PostgreSQL. */
#include "store/store_cadres.h"

static const char sql_reserve_insert[] =
    "INSERT INTO cadre_reserves (unit, year, person_id, post, age, college, created_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
#define RESERVE_COLS                                                                               \
    "r.id, r.unit, r.year, r.person_id, p.name AS person_name, p.education, r.post, r.age, "       \
    "r.college, r.created_by, r.created_at "
static const char sql_reserves[] =
    "SELECT " RESERVE_COLS "FROM cadre_reserves r JOIN persons p ON p.id = r.person_id "
    "WHERE " DB_SUBTREE("r.unit", 1) " AND r.year = $2 ORDER BY r.unit, p.name, r.id LIMIT $3";
static const char sql_reserve_counts[] =
    "SELECT unit, count(*) AS n FROM cadre_reserves WHERE year = $1 AND "
    "($2 <> 1 OR age <= $3) AND ($2 <> 2 OR college = 1) GROUP BY unit";
static const char sql_worker_insert[] =
    "INSERT INTO cadre_workers (unit, person_id, post, start_date, degree, certificate, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
static const char sql_workers[] =
    "SELECT w.id, w.unit, w.person_id, p.name AS person_name, w.post, w.start_date, w.degree, "
    "w.certificate, w.created_by, w.created_at FROM cadre_workers w "
    "JOIN persons p ON p.id = w.person_id WHERE " DB_SUBTREE(
        "w.unit", 1) " ORDER BY w.unit, p.name, w.id LIMIT $2";
static const char sql_makeup_of[] = "SELECT makeup_of FROM cadre_makeups WHERE event_id = $1";
static const char sql_makeup_insert[] =
    "INSERT INTO cadre_makeups (event_id, makeup_of, created_by, created_at) "
    "VALUES ($1, $2, $3, $4)";

static void reserve_from(struct db_stmt *st, struct arena *a, struct store_reserve *r)
{
    *r = (struct store_reserve){.id = db_int(st, "id"),
                                .person_id = db_int(st, "person_id"),
                                .unit = db_dup(st, a, "unit"),
                                .person_name = db_dup(st, a, "person_name"),
                                .post = db_dup(st, a, "post"),
                                .education = db_dup(st, a, "education"),
                                .created_by = db_dup(st, a, "created_by"),
                                .created_at = db_dup(st, a, "created_at"),
                                .year = db_int(st, "year"),
                                .age = db_int(st, "age"),
                                .college = db_int(st, "college") != 0};
}

int store_reserve_insert(struct db *db, struct store_reserve *r, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_reserve_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, r->unit);
    db_bind_int(st, 2, r->year);
    db_bind_int(st, 3, r->person_id);
    db_bind_str(st, 4, r->post);
    db_bind_int(st, 5, r->age);
    db_bind_int(st, 6, r->college ? 1 : 0);
    db_bind_str(st, 7, r->created_by);
    db_bind_str(st, 8, r->created_at);
    rc = db_run_returning(st, &r->id, NULL, err);
    if (rc == ERR_CONFLICT) {
        err_clear(err);
        return err_set_field(err, ERR_CONFLICT, "person", "此人已在该单位 %lld 年的后备干部库中",
                             (long long)r->year);
    }
    return rc;
}

int store_reserves(struct db *db, struct arena *a, const char *unit, int64_t year, int limit,
                   int (*fn)(void *ctx, const struct store_reserve *r), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_reserves, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, year);
    db_bind_int(st, 3, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_reserve r;
        reserve_from(st, a, &r);
        if ((rc = fn(ctx, &r)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_reserve_counts(struct db *db, int64_t year, int what, int64_t young,
                         int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_reserve_counts, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, year);
    db_bind_int(st, 2, what);
    db_bind_int(st, 3, young);
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, db_col(st, "unit"), &len);
        if ((rc = fn(ctx, unit, len, (double)db_int(st, "n"))) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_worker_insert(struct db *db, struct store_worker *w, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_worker_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, w->unit);
    db_bind_int(st, 2, w->person_id);
    db_bind_str(st, 3, w->post);
    db_bind_str(st, 4, w->start_date);
    db_bind_str(st, 5, w->degree);
    db_bind_str(st, 6, w->certificate);
    db_bind_str(st, 7, w->created_by);
    db_bind_str(st, 8, w->created_at);
    rc = db_run_returning(st, &w->id, NULL, err);
    if (rc == ERR_CONFLICT) {
        err_clear(err);
        return err_set_field(err, ERR_CONFLICT, "person", "此人已登记为社区工作者");
    }
    return rc;
}

int store_workers(struct db *db, struct arena *a, const char *unit, int limit,
                  int (*fn)(void *ctx, const struct store_worker *w), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_workers, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_worker w = {.id = db_int(st, "id"),
                                 .person_id = db_int(st, "person_id"),
                                 .unit = db_dup(st, a, "unit"),
                                 .person_name = db_dup(st, a, "person_name"),
                                 .post = db_dup(st, a, "post"),
                                 .start_date = db_dup(st, a, "start_date"),
                                 .degree = db_dup(st, a, "degree"),
                                 .certificate = db_dup(st, a, "certificate"),
                                 .created_by = db_dup(st, a, "created_by"),
                                 .created_at = db_dup(st, a, "created_at")};
        if ((rc = fn(ctx, &w)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_makeup_of(struct db *db, int64_t id, int64_t *of, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_makeup_of, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    *of = rc == DB_ROW ? db_int(st, "makeup_of") : 0;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_makeup_insert(struct db *db, int64_t id, int64_t of, const char *by, const char *at,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_makeup_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, of);
    db_bind_str(st, 3, by);
    db_bind_str(st, 4, at);
    return db_run(st, err);
}
