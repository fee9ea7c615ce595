/* volunteers.c — volunteer teams, members and sign-in/out rows
 * (store_volunteers.h). One SQL for SQLite and PostgreSQL. */
#include "store/store_volunteers.h"

static const char sql_team_insert[] =
    "INSERT INTO volunteer_teams (unit, name, leader_id, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id";
#define TEAM_COLS                                                                                  \
    "t.id, t.unit, t.name, coalesce(t.leader_id, 0) AS leader_id, "                                \
    "coalesce((SELECT p.name FROM persons p WHERE p.id = t.leader_id), '') AS leader_name, "       \
    "t.created_by, t.created_at, "                                                                 \
    "(SELECT count(*) FROM volunteer_members m WHERE m.team_id = t.id) AS members "
static const char sql_team_get[] = "SELECT " TEAM_COLS "FROM volunteer_teams t WHERE t.id = $1";
static const char sql_teams[] =
    "SELECT " TEAM_COLS
    "FROM volunteer_teams t WHERE " DB_SUBTREE("t.unit", 1) " ORDER BY t.unit, t.name LIMIT $2";
static const char sql_member_add[] =
    "INSERT INTO volunteer_members (team_id, person_id, joined_on) VALUES ($1, $2, $3) "
    "ON CONFLICT (team_id, person_id) DO NOTHING";
static const char sql_members[] =
    "SELECT m.team_id, m.person_id, p.name AS person_name, m.joined_on FROM volunteer_members m "
    "JOIN volunteer_teams t ON t.id = m.team_id JOIN persons p ON p.id = m.person_id "
    "WHERE " DB_SUBTREE("t.unit", 1) " ORDER BY m.team_id, p.name, m.person_id LIMIT $2";
static const char sql_person_teams[] =
    "SELECT t.name FROM volunteer_members m JOIN volunteer_teams t ON t.id = m.team_id "
    "WHERE m.person_id = $1 ORDER BY t.name";
#define SIGN_COLS                                                                                  \
    "s.event_id, s.person_id, p.name AS person_name, s.signed_in, "                                \
    "coalesce(s.signed_out, '') AS signed_out, s.travel_minutes, "                                 \
    "coalesce(s.minutes, -1) AS minutes, s.created_by "
static const char sql_sign_get[] =
    "SELECT " SIGN_COLS "FROM volunteer_signs s JOIN persons p ON p.id = s.person_id "
    "WHERE s.event_id = $1 AND s.person_id = $2";
static const char sql_sign_in[] =
    "INSERT INTO volunteer_signs (event_id, person_id, signed_in, created_by) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (event_id, person_id) DO NOTHING";
static const char sql_sign_out[] =
    "UPDATE volunteer_signs SET signed_out = $3, travel_minutes = $4, minutes = $5 "
    "WHERE event_id = $1 AND person_id = $2 AND signed_out IS NULL";
static const char sql_participant[] =
    "INSERT INTO event_participants (event_id, person_id, attendance, data) "
    "VALUES ($1, $2, 'present', $3) ON CONFLICT (event_id, person_id) DO UPDATE SET "
    "attendance = 'present', data = excluded.data";
static const char sql_signs[] =
    "SELECT " SIGN_COLS "FROM volunteer_signs s JOIN persons p ON p.id = s.person_id "
    "WHERE s.event_id = $1 ORDER BY s.signed_in, p.name";
/* Minutes and activities over every activity, wherever held; who is listed
 * is decided by the subtree. */
static const char sql_people[] =
    "SELECT p.id AS person_id, p.name, "
    "(SELECT coalesce(sum(s.minutes), 0) FROM volunteer_signs s WHERE s.person_id = p.id) "
    "AS minutes, "
    "(SELECT count(s.minutes) FROM volunteer_signs s WHERE s.person_id = p.id) AS activities, "
    "coalesce((SELECT b.cents FROM timebank_balances b WHERE b.person_id = p.id), 0) AS cents "
    "FROM persons p WHERE p.id IN (SELECT m.person_id FROM volunteer_members m JOIN "
    "volunteer_teams t ON t.id = m.team_id WHERE " DB_SUBTREE(
        "t.unit", 1) " UNION SELECT s.person_id FROM volunteer_signs s JOIN events e ON e.id = "
                     "s.event_id WHERE " DB_SUBTREE("e.unit", 1) ") "
                                                                 "ORDER BY 3 DESC, p.id LIMIT $2";
static const char sql_years[] =
    "SELECT substr(e.day, 1, 4) AS year, sum(s.minutes) AS minutes, count(*) AS activities "
    "FROM volunteer_signs s JOIN events e ON e.id = s.event_id "
    "WHERE s.person_id = $1 AND s.minutes IS NOT NULL GROUP BY substr(e.day, 1, 4) ORDER BY 1";
static const char sql_count_persons[] =
    "SELECT e.unit, count(DISTINCT s.person_id) AS n FROM volunteer_signs s JOIN events e "
    "ON e.id = s.event_id WHERE s.minutes IS NOT NULL AND e.day >= $1 AND e.day < $2 "
    "GROUP BY e.unit";
static const char sql_count_minutes[] =
    "SELECT e.unit, sum(s.minutes) AS n FROM volunteer_signs s JOIN events e "
    "ON e.id = s.event_id WHERE s.minutes IS NOT NULL AND e.day >= $1 AND e.day < $2 "
    "GROUP BY e.unit";

static void team_from(struct db_stmt *st, struct arena *a, struct vol_team_row *t)
{
    *t = (struct vol_team_row){.id = db_int(st, "id"),
                               .leader_id = db_int(st, "leader_id"),
                               .unit = db_dup(st, a, "unit"),
                               .name = db_dup(st, a, "name"),
                               .leader_name = db_dup(st, a, "leader_name"),
                               .created_by = db_dup(st, a, "created_by"),
                               .created_at = db_dup(st, a, "created_at"),
                               .members = db_int(st, "members")};
}

static void sign_from(struct db_stmt *st, struct arena *a, struct vol_sign_row *s)
{
    *s = (struct vol_sign_row){.event_id = db_int(st, "event_id"),
                               .person_id = db_int(st, "person_id"),
                               .person_name = db_dup(st, a, "person_name"),
                               .signed_in = db_dup(st, a, "signed_in"),
                               .signed_out = db_dup(st, a, "signed_out"),
                               .travel_minutes = db_int(st, "travel_minutes"),
                               .minutes = db_int(st, "minutes"),
                               .created_by = db_dup(st, a, "created_by")};
}

int store_vol_team_insert(struct db *db, struct vol_team_row *t, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_team_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, t->unit);
    db_bind_str(st, 2, t->name);
    db_bind_opt_int(st, 3, t->leader_id);
    db_bind_str(st, 4, t->created_by);
    db_bind_str(st, 5, t->created_at);
    rc = db_run_returning(st, &t->id, NULL, err);
    if (rc == ERR_CONFLICT)
        return err_set_field(err, ERR_CONFLICT, "name", "本单位已有名为“%s”的志愿服务队", t->name);
    return rc;
}

int store_vol_team_get(struct db *db, struct arena *a, int64_t id, struct vol_team_row *out,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_team_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) team_from(st, a, out);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的志愿服务队", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_vol_teams(struct db *db, struct arena *a, const char *unit, int limit,
                    int (*fn)(void *ctx, const struct vol_team_row *t), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_teams, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct vol_team_row t;
        team_from(st, a, &t);
        if ((rc = fn(ctx, &t)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_vol_member_add(struct db *db, const struct vol_member_row *m, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_member_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, m->team_id);
    db_bind_int(st, 2, m->person_id);
    db_bind_str(st, 3, m->joined_on);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1
               ? ERR_OK
               : err_set_field(err, ERR_CONFLICT, "team", "此人已是该志愿服务队的队员");
}

int store_vol_members(struct db *db, struct arena *a, const char *unit, int limit,
                      int (*fn)(void *ctx, const struct vol_member_row *m), void *ctx,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_members, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct vol_member_row m = {.team_id = db_int(st, "team_id"),
                                   .person_id = db_int(st, "person_id"),
                                   .person_name = db_dup(st, a, "person_name"),
                                   .joined_on = db_dup(st, a, "joined_on")};
        if ((rc = fn(ctx, &m)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_vol_person_teams(struct db *db, struct arena *a, int64_t person, const char **names,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_teams, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    const char *out = "";
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *name = db_dup(st, a, "name");
        out = out[0] ? arena_printf(a, "%s、%s", out, name) : name;
    }
    db_reset(st);
    *names = out;
    return rc < 0 ? rc : ERR_OK;
}

int store_vol_sign_get(struct db *db, struct arena *a, int64_t event, int64_t person,
                       struct vol_sign_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_sign_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, event);
    db_bind_int(st, 2, person);
    rc = db_step(st, err);
    if (rc == DB_ROW) sign_from(st, a, out);
    db_reset(st);
    if (rc == DB_DONE) return err_set_field(err, ERR_NOT_FOUND, "person", "此人尚未在本次活动签到");
    return rc < 0 ? rc : ERR_OK;
}

int store_vol_sign_in(struct db *db, const struct vol_sign_row *s, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_sign_in, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, s->event_id);
    db_bind_int(st, 2, s->person_id);
    db_bind_str(st, 3, s->signed_in);
    db_bind_str(st, 4, s->created_by);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1
               ? ERR_OK
               : err_set_field(err, ERR_CONFLICT, "person", "此人已在本次活动签到，不能重复签到");
}

int store_vol_sign_out(struct db *db, const struct vol_sign_row *s, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_sign_out, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, s->event_id);
    db_bind_int(st, 2, s->person_id);
    db_bind_str(st, 3, s->signed_out);
    db_bind_int(st, 4, s->travel_minutes);
    db_bind_int(st, 5, s->minutes);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1
               ? ERR_OK
               : err_set_field(err, ERR_CONFLICT, "person", "此人已在本次活动签退，不能重复签退");
}

int store_vol_participant(struct db *db, int64_t event, int64_t person, const char *data,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_participant, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, event);
    db_bind_int(st, 2, person);
    db_bind_str(st, 3, data);
    return db_run(st, err);
}

int store_vol_signs(struct db *db, struct arena *a, int64_t event,
                    int (*fn)(void *ctx, const struct vol_sign_row *s), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_signs, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, event);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct vol_sign_row s;
        sign_from(st, a, &s);
        if ((rc = fn(ctx, &s)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_vol_people(struct db *db, struct arena *a, const char *unit, int limit,
                     int (*fn)(void *ctx, const struct vol_person_row *p), void *ctx,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_people, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct vol_person_row p = {.person_id = db_int(st, "person_id"),
                                   .name = db_dup(st, a, "name"),
                                   .minutes = db_int(st, "minutes"),
                                   .activities = db_int(st, "activities"),
                                   .cents = db_int(st, "cents")};
        if ((rc = fn(ctx, &p)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_vol_years(struct db *db, struct arena *a, int64_t person,
                    int (*fn)(void *ctx, const struct vol_year_row *y), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_years, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct vol_year_row y = {.year = db_dup(st, a, "year"),
                                 .minutes = db_int(st, "minutes"),
                                 .activities = db_int(st, "activities")};
        if ((rc = fn(ctx, &y)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_vol_counts(struct db *db, bool persons, const char *start, const char *next,
                     int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, persons ? sql_count_persons : sql_count_minutes, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, start);
    db_bind_str(st, 2, next);
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, db_col(st, "unit"), &len);
        double n = (double)db_int(st, "n");
        if ((rc = fn(ctx, unit, len, persons ? n : n / 60.0)) != 0) break;
    }
    db_reset(st);
    return rc;
}
