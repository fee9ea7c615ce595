/* health.c — facilities, teams, contracts and residents' health tags
 * (store.h, "health"; migration 030). One SQL for SQLite and PostgreSQL. */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char sql_facility_insert[] =
    "INSERT INTO health_facilities (unit, type, name, lat, lng, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
static const char sql_facilities[] =
    "SELECT id, unit, type, name, lat, lng, created_by, created_at FROM health_facilities "
    "WHERE " DB_SUBTREE("unit", 1) " ORDER BY unit, id";
static const char sql_facility_get[] =
    "SELECT id, unit, type, name, lat, lng, created_by, created_at FROM health_facilities "
    "WHERE id = $1";
static const char sql_facility_update[] =
    "UPDATE health_facilities SET type = $2, name = $3, lat = $4, lng = $5 WHERE id = $1";
static const char sql_team_insert[] =
    "INSERT INTO health_teams (facility_id, unit, name, leader_id, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_teams[] =
    "SELECT t.id, t.facility_id, coalesce(t.leader_id, 0) AS leader_id, t.unit, t.name, "
    "t.created_by, t.created_at, f.name AS facility_name FROM health_teams t "
    "JOIN health_facilities f ON f.id = t.facility_id WHERE " DB_SUBTREE(
        "t.unit", 1) " ORDER BY t.unit, t.id";
static const char sql_team_get[] =
    "SELECT t.id, t.facility_id, coalesce(t.leader_id, 0) AS leader_id, t.unit, t.name, "
    "t.created_by, t.created_at, f.name AS facility_name FROM health_teams t "
    "JOIN health_facilities f ON f.id = t.facility_id WHERE t.id = $1";
/* contracts of the person overlapping [$2, $3): the one-at-a-time rule */
static const char sql_contract_overlap[] =
    "SELECT id, start_date, end_date FROM health_contracts WHERE person_id = $1 "
    "AND start_date < $3 AND end_date > $2 ORDER BY start_date LIMIT 1";
static const char sql_contract_insert[] =
    "INSERT INTO health_contracts (person_id, unit, team_id, package, start_date, end_date, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
static const char sql_contract_stop[] =
    "UPDATE health_contracts SET end_date = $2, stop_reason = $3 WHERE id = $1";
#define CONTRACT_COLS                                                                              \
    "c.id, c.person_id, c.team_id, c.unit, c.package, c.start_date, c.end_date, c.stop_reason, "   \
    "c.created_by, c.created_at, p.name AS person_name, t.name AS team_name"
static const char sql_contract_get[] =
    "SELECT " CONTRACT_COLS " FROM health_contracts c JOIN persons p ON p.id = c.person_id "
    "JOIN health_teams t ON t.id = c.team_id WHERE c.id = $1";
static const char sql_contracts[] =
    "SELECT " CONTRACT_COLS " FROM health_contracts c JOIN persons p ON p.id = c.person_id "
    "JOIN health_teams t ON t.id = c.team_id WHERE " DB_SUBTREE(
        "c.unit", 1) " AND ($2 = '' OR (c.start_date <= $2 AND c.end_date > $2)) "
                     "ORDER BY c.unit, c.start_date DESC, c.id DESC LIMIT $3";
static const char sql_tag_insert[] =
    "INSERT INTO health_person_tags (person_id, tag) VALUES ($1, $2) "
    "ON CONFLICT (person_id, tag) DO NOTHING";
static const char sql_tags_clear[] = "DELETE FROM health_person_tags WHERE person_id = $1";
/* residents of a subtree with today's contract flag, in person order; the
 * tags come from a second ordered scan merged in C (no string_agg /
 * group_concat: they differ between the two databases) */
static const char sql_residents[] =
    "SELECT p.id, p.unit, coalesce(p.birth_date, '') AS birth_date, "
    "CASE WHEN EXISTS (SELECT 1 FROM health_contracts c WHERE c.person_id = p.id "
    "AND c.start_date <= $2 AND c.end_date > $2) THEN 1 ELSE 0 END AS signed_now "
    "FROM persons p WHERE " DB_SUBTREE("p.unit", 1) " ORDER BY p.id";
/* the residents of a province or the whole tree: the table in id order,
 * filtered without the unit index (unit || '' keeps the planner off it,
 * which would sort the scope by id), and today's contracts as a third
 * ordered scan merged in C rather than a correlated EXISTS per resident;
 * contracts and tags of persons not read are skipped by the merge */
static const char sql_residents_all[] =
    "SELECT id, unit, coalesce(birth_date, '') AS birth_date FROM persons WHERE unit || '' >= $1 "
    "AND unit || '' < $1 || ';' ORDER BY id";
static const char sql_signed_all[] =
    "SELECT DISTINCT person_id FROM health_contracts WHERE start_date <= $1 AND end_date > $1 "
    "ORDER BY person_id";
/* a resident's own tags and, prefixed, those of the households the
 * resident belongs to on $2 */
#define HOUSEHOLD_TAGS(who)                                                                        \
    " UNION ALL SELECT m.person_id, CAST($3 AS TEXT) || t.tag AS tag FROM memberships m "          \
    "JOIN household_tags t ON t.household_id = m.household_id JOIN persons p ON p.id = "           \
    "m.person_id WHERE " who " AND m.from_date <= $2 AND (m.to_date IS NULL OR m.to_date > $2)"
static const char sql_resident_tags[] =
    "SELECT x.person_id, x.tag FROM health_person_tags x JOIN persons p ON p.id = x.person_id "
    "WHERE " DB_SUBTREE("p.unit", 1) HOUSEHOLD_TAGS(DB_SUBTREE("p.unit", 1)) " ORDER BY 1, 2";
/* the same for every person, without looking each one up ($1, the scope,
 * is bound so both statements take the same parameters) */
#define ALL "CAST($1 AS TEXT) IS NOT NULL"
static const char sql_resident_tags_all[] =
    "SELECT x.person_id, x.tag FROM health_person_tags x WHERE " ALL HOUSEHOLD_TAGS(
        ALL) " ORDER BY 1, 2";
#undef ALL
static const char sql_point_set[] =
    "INSERT INTO health_unit_points (unit, lat, lng) VALUES ($1, $2, $3) "
    "ON CONFLICT (unit) DO UPDATE SET lat = excluded.lat, lng = excluded.lng";
static const char sql_points[] =
    "SELECT unit, lat, lng FROM health_unit_points WHERE " DB_SUBTREE("unit", 1) " ORDER BY unit";

static struct health_facility_row read_facility(struct db_stmt *st, struct arena *a)
{
    bool located = !db_null(st, "lat") && !db_null(st, "lng");
    return (struct health_facility_row){.id = db_int(st, "id"),
                                        .unit = db_dup(st, a, "unit"),
                                        .type = db_dup(st, a, "type"),
                                        .name = db_dup(st, a, "name"),
                                        .created_by = db_dup(st, a, "created_by"),
                                        .created_at = db_dup(st, a, "created_at"),
                                        .located = located,
                                        .lat = located ? db_double(st, "lat") : 0,
                                        .lng = located ? db_double(st, "lng") : 0};
}

/* A facility's coordinates at parameters i and i + 1: both NULL when it
 * is not located. */
static void bind_point(struct db_stmt *st, int i, const struct health_facility_row *f)
{
    if (f->located) {
        db_bind_double(st, i, f->lat);
        db_bind_double(st, i + 1, f->lng);
    } else {
        db_bind_null(st, i);
        db_bind_null(st, i + 1);
    }
}

int store_health_facility_insert(struct db *db, struct health_facility_row *f, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_facility_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->unit);
    db_bind_str(st, 2, f->type);
    db_bind_str(st, 3, f->name);
    bind_point(st, 4, f);
    db_bind_str(st, 6, f->created_by);
    db_bind_str(st, 7, f->created_at);
    return db_run_returning(st, &f->id, NULL, err);
}

int store_health_facility_update(struct db *db, const struct health_facility_row *f,
                                 struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_facility_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, f->id);
    db_bind_str(st, 2, f->type);
    db_bind_str(st, 3, f->name);
    bind_point(st, 4, f);
    return db_run(st, err);
}

int store_health_facility_get(struct db *db, struct arena *a, int64_t id,
                              struct health_facility_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_facility_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_facility(st, a);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的医疗卫生机构", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_health_facilities(struct db *db, struct arena *a, const char *scope,
                            int (*fn)(void *ctx, const struct health_facility_row *f), void *ctx,
                            struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_facilities, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct health_facility_row f = read_facility(st, a);
        if ((rc = fn(ctx, &f))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

static struct health_team_row read_team(struct db_stmt *st, struct arena *a)
{
    return (struct health_team_row){.id = db_int(st, "id"),
                                    .facility_id = db_int(st, "facility_id"),
                                    .leader_id = db_int(st, "leader_id"),
                                    .unit = db_dup(st, a, "unit"),
                                    .name = db_dup(st, a, "name"),
                                    .created_by = db_dup(st, a, "created_by"),
                                    .created_at = db_dup(st, a, "created_at"),
                                    .facility_name = db_dup(st, a, "facility_name")};
}

int store_health_team_insert(struct db *db, struct health_team_row *t, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_team_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, t->facility_id);
    db_bind_str(st, 2, t->unit);
    db_bind_str(st, 3, t->name);
    db_bind_opt_int(st, 4, t->leader_id);
    db_bind_str(st, 5, t->created_by);
    db_bind_str(st, 6, t->created_at);
    return db_run_returning(st, &t->id, NULL, err);
}

int store_health_team_get(struct db *db, struct arena *a, int64_t id, struct health_team_row *out,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_team_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_team(st, a);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set_field(err, ERR_INVALID, "team", "没有编号为 %lld 的家庭医生团队",
                             (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_health_teams(struct db *db, struct arena *a, const char *scope,
                       int (*fn)(void *ctx, const struct health_team_row *t), void *ctx,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_teams, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct health_team_row t = read_team(st, a);
        if ((rc = fn(ctx, &t))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_health_contract_overlap(struct db *db, struct arena *a, int64_t person_id,
                                  const char *start, const char *end, int64_t *id,
                                  const char **ostart, const char **oend, struct err *err)
{
    struct db_stmt *st;
    *id = 0;
    int rc = db_prepare(db, sql_contract_overlap, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person_id);
    db_bind_str(st, 2, start);
    db_bind_str(st, 3, end);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *id = db_int(st, "id");
        *ostart = db_dup(st, a, "start_date");
        *oend = db_dup(st, a, "end_date");
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_health_contract_insert(struct db *db, struct health_contract_row *c, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_contract_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, c->person_id);
    db_bind_str(st, 2, c->unit);
    db_bind_int(st, 3, c->team_id);
    db_bind_str(st, 4, c->package);
    db_bind_str(st, 5, c->start_date);
    db_bind_str(st, 6, c->end_date);
    db_bind_str(st, 7, c->created_by);
    db_bind_str(st, 8, c->created_at);
    return db_run_returning(st, &c->id, NULL, err);
}

int store_health_contract_stop(struct db *db, int64_t id, const char *day, const char *reason,
                               struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_contract_stop, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, day);
    db_bind_str(st, 3, reason);
    return db_run(st, err);
}

static struct health_contract_row read_contract(struct db_stmt *st, struct arena *a)
{
    return (struct health_contract_row){.id = db_int(st, "id"),
                                        .person_id = db_int(st, "person_id"),
                                        .team_id = db_int(st, "team_id"),
                                        .unit = db_dup(st, a, "unit"),
                                        .package = db_dup(st, a, "package"),
                                        .start_date = db_dup(st, a, "start_date"),
                                        .end_date = db_dup(st, a, "end_date"),
                                        .stop_reason = db_dup(st, a, "stop_reason"),
                                        .created_by = db_dup(st, a, "created_by"),
                                        .created_at = db_dup(st, a, "created_at"),
                                        .person_name = db_dup(st, a, "person_name"),
                                        .team_name = db_dup(st, a, "team_name")};
}

int store_health_contract_get(struct db *db, struct arena *a, int64_t id,
                              struct health_contract_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_contract_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_contract(st, a);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的签约", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_health_contracts(struct db *db, struct arena *a, const char *scope, const char *on,
                           int limit, int (*fn)(void *ctx, const struct health_contract_row *c),
                           void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_contracts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, on ? on : "");
    db_bind_int(st, 3, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct health_contract_row c = read_contract(st, a);
        if ((rc = fn(ctx, &c))) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_health_tags_set(struct db *db, int64_t person_id, const char *const *tags, size_t n,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_tags_clear, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person_id);
    if ((rc = db_run(st, err))) return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        if ((rc = db_prepare(db, sql_tag_insert, &st, err))) return rc;
        db_bind_int(st, 1, person_id);
        db_bind_str(st, 2, tags[i]);
        rc = db_run(st, err);
    }
    return rc;
}

int store_health_point_set(struct db *db, const char *unit, double lat, double lng, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_point_set, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_double(st, 2, lat);
    db_bind_double(st, 3, lng);
    return db_run(st, err);
}

int store_health_points(struct db *db, const char *scope,
                        int (*fn)(void *ctx, const char *unit, double lat, double lng), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_points, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "unit"), db_double(st, "lat"), db_double(st, "lng")))) break;
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

/* Residents merged with their tags (and, for every resident, today's
 * contracts): ordered scans stepped alongside, one pass. */
int store_health_residents(struct db *db, struct arena *a, const char *scope, const char *today,
                           int (*fn)(void *ctx, const struct health_resident_row *r), void *ctx,
                           struct err *err)
{
    (void)a;
    /* a short code (a province) holds so many that a sort would cost more */
    bool all = !scope || strlen(scope) <= 2;
    struct db_stmt *st, *tg, *sg = NULL;
    int rc = db_prepare(db, all ? sql_residents_all : sql_residents, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope ? scope : "");
    if (!all) db_bind_str(st, 2, today);
    /* the other scans run on their own statements */
    if ((rc = db_prepare(db, all ? sql_resident_tags_all : sql_resident_tags, &tg, err))) return rc;
    db_bind_str(tg, 1, scope ? scope : "");
    db_bind_str(tg, 2, today);
    db_bind_str(tg, 3, HEALTH_HOUSEHOLD_TAG);
    int src = DB_DONE;
    if (all) {
        if ((rc = db_prepare(db, sql_signed_all, &sg, err))) return rc;
        db_bind_str(sg, 1, today);
        src = db_step(sg, err);
    }
    int trc = db_step(tg, err);
    while (trc >= 0 && src >= 0 && (rc = db_step(st, err)) == DB_ROW) {
        struct health_resident_row r = {.person_id = db_int(st, "id"),
                                        .unit = db_text(st, "unit"),
                                        .birth_date = db_text(st, "birth_date"),
                                        .tags = ""};
        if (all) {
            while (src == DB_ROW && db_int(sg, "person_id") < r.person_id)
                src = db_step(sg, err);
            r.signed_now = src == DB_ROW && db_int(sg, "person_id") == r.person_id;
        } else {
            r.signed_now = db_int(st, "signed_now") != 0;
        }
        char tags[512] = "";
        size_t len = 0;
        while (trc == DB_ROW && db_int(tg, "person_id") <= r.person_id) {
            if (db_int(tg, "person_id") == r.person_id) {
                const char *t = db_text(tg, "tag");
                int k = snprintf(tags + len, sizeof tags - len, "%s%s,", len ? "" : ",", t);
                if (k > 0 && (size_t)k < sizeof tags - len) len += (size_t)k;
            }
            trc = db_step(tg, err);
        }
        r.tags = len ? tags : "";
        if ((rc = fn(ctx, &r))) break;
    }
    if (sg) db_reset(sg);
    db_reset(tg);
    db_reset(st);
    if (trc < 0) return trc;
    if (src < 0) return src;
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

/* kept by the triggers of migration 048 */
static const char sql_people_by_unit[] =
    "SELECT unit, n FROM unit_people WHERE n > 0 AND " DB_SUBTREE("unit", 1) " ORDER BY unit";

int store_health_people_by_unit(struct db *db, const char *scope,
                                int (*fn)(void *ctx, const char *unit, long n), void *ctx,
                                struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_people_by_unit, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "unit"), (long)db_int(st, "n")))) break;
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

static const char sql_person_contracts[] =
    "SELECT " CONTRACT_COLS " FROM health_contracts c JOIN persons p ON p.id = c.person_id "
    "JOIN health_teams t ON t.id = c.team_id WHERE c.person_id = $1 ORDER BY c.start_date DESC, "
    "c.id DESC";
static const char sql_person_tags[] =
    "SELECT x.person_id, x.tag FROM health_person_tags x JOIN persons p ON p.id = x.person_id "
    "WHERE x.person_id = $1" HOUSEHOLD_TAGS("m.person_id = $1") " ORDER BY 2";

int store_health_person(struct db *db, struct arena *a, int64_t person_id, const char *on,
                        int (*fn)(void *ctx, const struct health_contract_row *c), void *ctx,
                        char *tags, size_t cap, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_contracts, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct health_contract_row c = read_contract(st, a);
        if ((rc = fn(ctx, &c))) break;
    }
    db_reset(st);
    if (rc < 0) return rc;
    if ((rc = db_prepare(db, sql_person_tags, &st, err))) return rc;
    db_bind_int(st, 1, person_id);
    db_bind_str(st, 2, on);
    db_bind_str(st, 3, HEALTH_HOUSEHOLD_TAG);
    size_t len = 0;
    tags[0] = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int k = snprintf(tags + len, cap - len, "%s%s,", len ? "" : ",", db_text(st, "tag"));
        if (k > 0 && (size_t)k < cap - len) len += (size_t)k;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
