/* grids.c — grids' sizes, contact links and visits (app/grids.h). */
#include "store/db.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* Households and residents of each unit of the subtree that holds any. */
static const char sql_sizes[] =
    "SELECT h.unit, count(DISTINCT h.id) AS households, count(m.person_id) AS people "
    "FROM households h LEFT JOIN memberships m ON m.household_id = h.id AND m.kind = 'resident' "
    "AND m.to_date IS NULL WHERE " DB_SUBTREE("h.unit", 1) " GROUP BY h.unit ORDER BY h.unit";

int store_grid_sizes(struct db *db, const char *scope,
                     int (*fn)(void *ctx, const char *unit, long households, long people),
                     void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_sizes, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "unit"), (long)db_int(st, "households"),
                     (long)db_int(st, "people"))) != 0)
            break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* Current grid workers and building heads per unit of the subtree. */
static const char sql_workers[] =
    "SELECT m.unit, count(*) AS n FROM memberships m WHERE m.kind IN ('grid_worker', "
    "'building_head') AND m.to_date IS NULL AND " DB_SUBTREE("m.unit", 1) " GROUP BY m.unit";

int store_grid_workers(struct db *db, const char *scope,
                       int (*fn)(void *ctx, const char *unit, long n), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_workers, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "unit"), (long)db_int(st, "n"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* Per unit of the subtree: the members holding a current link of duty to
 * its households, and the households so linked. */
static const char sql_member_links[] =
    "SELECT unit, count(DISTINCT person_id) AS members, count(DISTINCT household_id) AS linked "
    "FROM contact_links WHERE duty = $2 AND to_date = '' AND household_id IS NOT NULL "
    "AND " DB_SUBTREE("unit", 1) " GROUP BY unit";

int store_grid_member_links(struct db *db, const char *scope, const char *duty,
                            int (*fn)(void *ctx, const char *unit, long members, long linked),
                            void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_member_links, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, duty);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "unit"), (long)db_int(st, "members"),
                     (long)db_int(st, "linked"))) != 0)
            break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static const char sql_person_links[] =
    "SELECT count(*) AS n FROM contact_links WHERE person_id = $1 AND duty = $2 AND to_date = ''";

int store_contact_links_of(struct db *db, int64_t person, const char *duty, long *n,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_links, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    db_bind_str(st, 2, duty);
    rc = db_step(st, err);
    *n = rc == DB_ROW ? (long)db_int(st, "n") : 0;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static const char sql_move_all[] =
    "UPDATE households SET unit = $2, updated_at = $3 WHERE unit = $1";
static const char sql_move_links[] = "UPDATE contact_links SET unit = $2 WHERE unit = $1";
static const char sql_move_members[] =
    "UPDATE memberships SET unit = $2 WHERE unit = $1 AND kind = 'resident'";

int store_grid_move_all(struct db *db, const char *from, const char *to, const char *at,
                        int64_t *moved, struct err *err)
{
    const char *sql[] = {sql_move_all, sql_move_links, sql_move_members};
    for (int i = 0; i < 3; i++) {
        struct db_stmt *st;
        int rc = db_prepare(db, sql[i], &st, err);
        if (rc) return rc;
        db_bind_str(st, 1, from);
        db_bind_str(st, 2, to);
        if (i == 0) db_bind_str(st, 3, at);
        if ((rc = db_run(st, err))) return rc;
        if (i == 0 && moved) *moved = db_changes(db);
    }
    return ERR_OK;
}

static const char sql_move_one[] = "UPDATE households SET unit = $2, updated_at = $3 WHERE id = $1";
static const char sql_move_one_links[] =
    "UPDATE contact_links SET unit = $2 WHERE household_id = $1";
static const char sql_move_one_members[] =
    "UPDATE memberships SET unit = $2 WHERE household_id = $1 AND kind = 'resident'";

int store_household_move(struct db *db, int64_t id, const char *to, const char *at, struct err *err)
{
    const char *sql[] = {sql_move_one, sql_move_one_links, sql_move_one_members};
    for (int i = 0; i < 3; i++) {
        struct db_stmt *st;
        int rc = db_prepare(db, sql[i], &st, err);
        if (rc) return rc;
        db_bind_int(st, 1, id);
        db_bind_str(st, 2, to);
        if (i == 0) db_bind_str(st, 3, at);
        if ((rc = db_run(st, err))) return rc;
    }
    return ERR_OK;
}

static const char sql_link_insert[] =
    "INSERT INTO contact_links (duty, person_id, unit, household_id, partner, from_date, "
    "created_by, created_at, mentee_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";

int store_contact_link_insert(struct db *db, const char *duty, int64_t person, const char *unit,
                              int64_t household, int64_t mentee, const char *partner,
                              const char *from, const char *by, const char *at, int64_t *id,
                              struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_link_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, duty);
    db_bind_int(st, 2, person);
    db_bind_str(st, 3, unit);
    db_bind_opt_int(st, 4, household);
    db_bind_str(st, 5, partner ? partner : "");
    db_bind_str(st, 6, from);
    db_bind_str(st, 7, by);
    db_bind_str(st, 8, at);
    db_bind_opt_int(st, 9, mentee);
    return db_run_returning(st, id, "contact link", err);
}

static const char sql_link_end[] =
    "UPDATE contact_links SET to_date = $2 WHERE id = $1 AND to_date = '' AND from_date < $2";

int store_contact_link_end(struct db *db, int64_t id, const char *to, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_link_end, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, to);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db)
               ? ERR_OK
               : err_set(err, ERR_CONFLICT, "联系关系 %lld 不存在、已结束或结束日期不晚于开始日期",
                         (long long)id);
}

static const char sql_link_unit[] = "SELECT unit FROM contact_links WHERE id = $1";

int store_contact_link_unit(struct db *db, int64_t id, char unit[19], struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_link_unit, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        strncpy(unit, db_text(st, "unit"), 18);
        unit[18] = '\0';
    }
    db_reset(st);
    return rc == DB_ROW ? ERR_OK : rc < 0 ? rc : err_set(err, ERR_NOT_FOUND, "没有这个联系关系");
}

/* The links of a subtree holding on some day of [from, next), with names. */
static const char sql_links[] =
    "SELECT l.id, l.duty, l.person_id, l.unit, coalesce(l.household_id, 0) AS household_id, "
    "l.partner, l.from_date, l.to_date, p.name AS person_name, "
    "coalesce(l.mentee_id, 0) AS mentee_id, coalesce(h.address, mp.name, '') AS address "
    "FROM contact_links l JOIN persons p ON p.id = l.person_id "
    "LEFT JOIN households h ON h.id = l.household_id "
    "LEFT JOIN persons mp ON mp.id = l.mentee_id "
    "WHERE " DB_SUBTREE("l.unit", 1) " AND l.from_date < $3 AND (l.to_date = '' OR l.to_date > $2) "
                                     "ORDER BY l.unit, l.duty, p.name, l.id";

int store_contact_links(struct db *db, const char *scope, const char *from, const char *next,
                        int (*fn)(void *ctx, struct db_stmt *row), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_links, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, from);
    db_bind_str(st, 3, next);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, st)) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* Visits of a subtree on days [from, next), in no order (the caller sorts
 * them: an ORDER BY here would lead the planner to walk every visit by
 * person rather than the subtree's by unit). */
static const char sql_visit_days[] =
    "SELECT person_id, unit, coalesce(household_id, 0) AS household_id, "
    "coalesce(mentee_id, 0) AS mentee_id, day FROM visits "
    "WHERE " DB_SUBTREE("unit", 1) " AND day >= $2 AND day < $3";

int store_visit_days(struct db *db, const char *scope, const char *from, const char *next,
                     int (*fn)(void *ctx, int64_t person, const char *unit, int64_t household,
                               int64_t mentee, const char *day),
                     void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_visit_days, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, from);
    db_bind_str(st, 3, next);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_int(st, "person_id"), db_text(st, "unit"), db_int(st, "household_id"),
                     db_int(st, "mentee_id"), db_text(st, "day"))) != 0)
            break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static const char sql_event_insert[] =
    "INSERT INTO events (type, org_id, unit, status, starts_at, day, place, topic, notes, "
    "created_by, created_at, updated_at) VALUES ('visit', NULL, $1, 'held', $2, $3, $4, $5, $6, "
    "$7, $8, $8) RETURNING id";
static const char sql_participant[] =
    "INSERT INTO event_participants (event_id, person_id, attendance) VALUES ($1, $2, 'present')";
static const char sql_visit_insert[] =
    "INSERT INTO visits (event_id, person_id, unit, household_id, day, method, findings, needs, "
    "case_id, mentee_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

int store_visit_insert(struct db *db, const struct store_visit *v, int64_t *event_id,
                       struct err *err)
{
    struct db_stmt *st;
    char starts[17];
    snprintf(starts, sizeof starts, "%.10sT09:00", v->day);
    int rc = db_prepare(db, sql_event_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, v->unit);
    db_bind_str(st, 2, starts);
    db_bind_str(st, 3, v->day);
    db_bind_str(st, 4, v->place);
    db_bind_str(st, 5, v->topic);
    db_bind_str(st, 6, v->findings);
    db_bind_str(st, 7, v->by);
    db_bind_str(st, 8, v->at);
    if ((rc = db_run_returning(st, event_id, "visit event", err))) return rc;
    if ((rc = db_prepare(db, sql_participant, &st, err))) return rc;
    db_bind_int(st, 1, *event_id);
    db_bind_int(st, 2, v->person_id);
    if ((rc = db_run(st, err))) return rc;
    if ((rc = db_prepare(db, sql_visit_insert, &st, err))) return rc;
    db_bind_int(st, 1, *event_id);
    db_bind_int(st, 2, v->person_id);
    db_bind_str(st, 3, v->unit);
    db_bind_opt_int(st, 4, v->household_id);
    db_bind_str(st, 5, v->day);
    db_bind_str(st, 6, v->method);
    db_bind_str(st, 7, v->findings);
    db_bind_str(st, 8, v->needs);
    db_bind_opt_int(st, 9, v->case_id);
    db_bind_opt_int(st, 10, v->mentee_id);
    return db_run(st, err);
}

/* The latest visits of a subtree, with names. */
static const char sql_visits[] =
    "SELECT v.event_id, v.person_id, p.name AS person_name, v.unit, "
    "coalesce(v.household_id, 0) AS household_id, coalesce(h.address, '') AS address, v.day, "
    "v.method, v.findings, v.needs, coalesce(v.case_id, 0) AS case_id, "
    "coalesce(v.mentee_id, 0) AS mentee_id, coalesce(mp.name, '') AS mentee_name FROM visits v "
    "JOIN persons p ON p.id = v.person_id LEFT JOIN households h ON h.id = v.household_id "
    "LEFT JOIN persons mp ON mp.id = v.mentee_id "
    "WHERE " DB_SUBTREE("v.unit", 1) " ORDER BY v.day DESC, v.event_id DESC LIMIT $2";

int store_visits_list(struct db *db, const char *scope, int limit,
                      int (*fn)(void *ctx, struct db_stmt *row), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_visits, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, st)) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* The visit a case was raised from (visits.case_id, indexed), as above. */
static const char sql_visit_of_case[] =
    "SELECT v.event_id, v.person_id, p.name AS person_name, v.unit, "
    "coalesce(v.household_id, 0) AS household_id, coalesce(h.address, '') AS address, v.day, "
    "v.method, v.findings, v.needs, coalesce(v.case_id, 0) AS case_id, "
    "coalesce(v.mentee_id, 0) AS mentee_id, coalesce(mp.name, '') AS mentee_name FROM visits v "
    "JOIN persons p ON p.id = v.person_id LEFT JOIN households h ON h.id = v.household_id "
    "LEFT JOIN persons mp ON mp.id = v.mentee_id "
    "WHERE v.case_id = $1";

int store_visit_of_case(struct db *db, int64_t case_id, int (*fn)(void *ctx, struct db_stmt *row),
                        void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_visit_of_case, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, st)) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
