/*
 * unit_history.c — division changes in the database (store.h): former
 * names, retirement, the editions applied, and moving what is current of
 * a retired unit to its successor — open cases, ratings not yet named,
 * users' scopes, pairs. Every statement here finds its rows by index on
 * one unit's code (migration 018 adds the ones that were missing), so a
 * merge costs what it moves, whatever the size of the tables.
 */
#include "store/store.h"
#include "core/unit.h"

#include <stdio.h>

static const char *opt_text(struct db_stmt *st, const char *name)
{
    return db_null(st, name) ? NULL : db_text(st, name);
}

/* ---- former names ---- */

static const char sql_names_each[] =
    "SELECT code, name, kind, valid_from, valid_to FROM unit_names ORDER BY code, valid_to";
static const char sql_names_of[] = "SELECT code, name, kind, valid_from, valid_to FROM unit_names "
                                   "WHERE code = $1 ORDER BY valid_to";
static const char sql_name_add[] =
    "INSERT INTO unit_names (code, valid_from, valid_to, name, kind, edition) "
    "VALUES ($1, $2, $3, $4, $5, $6)";

static int names_scan(struct db_stmt *st, int (*fn)(void *ctx, const struct store_unit_name *n),
                      void *ctx, struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_unit_name n = {db_text(st, "code"), db_text(st, "name"), opt_text(st, "kind"),
                                    opt_text(st, "valid_from"), db_text(st, "valid_to")};
        if ((rc = fn(ctx, &n)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_unit_names_each(struct db *db, int (*fn)(void *ctx, const struct store_unit_name *n),
                          void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_names_each, &st, err);
    return rc ? rc : names_scan(st, fn, ctx, err);
}

int store_unit_names_of(struct db *db, const char *code,
                        int (*fn)(void *ctx, const struct store_unit_name *n), void *ctx,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_names_of, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, code);
    return names_scan(st, fn, ctx, err);
}

int store_unit_name_add(struct db *db, const struct store_unit_name *n, int64_t edition,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_name_add, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, n->code);
    db_bind_opt(st, 2, n->from);
    db_bind_str(st, 3, n->to);
    db_bind_str(st, 4, n->name);
    db_bind_opt(st, 5, n->kind);
    db_bind_opt_int(st, 6, edition);
    return db_run(st, err);
}

/* ---- retirement and editions ---- */

static const char sql_retire[] = "UPDATE units SET retired = $2, successor = $3 WHERE code = $1";
static const char sql_successor[] = "SELECT successor FROM units WHERE code = $1";
static const char sql_predecessors[] =
    "SELECT code, name, retired FROM units WHERE successor = $1 ORDER BY code";
static const char sql_edition_insert[] =
    "INSERT INTO unit_editions (effective, source, summary, applied_by, applied_at) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_editions[] = "SELECT id, effective, source, summary, applied_by, applied_at "
                                   "FROM unit_editions ORDER BY id DESC";

int store_unit_retire(struct db *db, const char *code, const char *day, const char *successor,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_retire, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, code);
    db_bind_str(st, 2, day);
    db_bind_opt(st, 3, successor);
    return db_run(st, err);
}

int store_unit_successor(struct db *db, const char *code, char out[UNIT_CODE_MAX + 1],
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_successor, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, code);
    out[0] = '\0';
    if ((rc = db_step(st, err)) == DB_ROW) {
        const char *s = opt_text(st, "successor");
        if (s) snprintf(out, UNIT_CODE_MAX + 1, "%s", s);
        rc = ERR_OK;
    }
    db_reset(st);
    return rc;
}

int store_unit_predecessors(struct db *db, const char *code,
                            int (*fn)(void *ctx, const char *code, const char *name,
                                      const char *retired),
                            void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_predecessors, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, code);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "code"), db_text(st, "name"), opt_text(st, "retired"))))
            break;
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_unit_edition_insert(struct db *db, const char *effective, const char *source,
                              const char *summary, const char *by, const char *at, int64_t *id,
                              struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_edition_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, effective);
    db_bind_str(st, 2, source);
    db_bind_str(st, 3, summary);
    db_bind_str(st, 4, by);
    db_bind_str(st, 5, at);
    return db_run_returning(st, id, NULL, err);
}

int store_unit_editions(struct db *db, int (*fn)(void *ctx, const struct store_unit_edition *e),
                        void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_editions, &st, err);
    if (rc) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_unit_edition e = {db_int(st, "id"),          db_text(st, "effective"),
                                       db_text(st, "source"),     db_text(st, "summary"),
                                       db_text(st, "applied_by"), db_text(st, "applied_at")};
        if ((rc = fn(ctx, &e)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

/* ---- moving current work ---- */

/* Each branch of the union reads one index (cases_owner, cases_open_unit,
 * cases_open_helper, cases_escalated). */
static const char sql_cases_open_at[] =
    "SELECT id, unit, owner_unit, helper_unit, escalated_to FROM cases WHERE id IN ("
    " SELECT id FROM cases WHERE owner_unit = $1 AND final = 0"
    " UNION SELECT id FROM cases WHERE unit = $1 AND final = 0"
    " UNION SELECT id FROM cases WHERE helper_unit = $1 AND final = 0"
    " UNION SELECT id FROM cases WHERE escalated_to = $1 AND final = 0)"
    " AND NOT EXISTS (SELECT 1 FROM case_ratings r WHERE r.case_id = cases.id) ORDER BY id";
static const char sql_case_move[] =
    "UPDATE cases SET unit = CASE WHEN unit = $2 THEN $3 ELSE unit END,"
    " owner_unit = CASE WHEN owner_unit = $2 THEN $3 ELSE owner_unit END,"
    " helper_unit = CASE WHEN helper_unit = $2 THEN $3 ELSE helper_unit END,"
    " escalated_to = CASE WHEN escalated_to = $2 THEN $3 ELSE escalated_to END,"
    " version = version + 1, updated_at = $4 WHERE id = $1";
static const char sql_rating_move[] = "UPDATE case_ratings SET unit = $2 WHERE case_id = $1";
static const char sql_rating_case_move[] =
    "UPDATE cases SET unit = $2, owner_unit = $2, version = version + 1, updated_at = $3 "
    "WHERE id = $1";
static const char sql_case_final[] = "SELECT final FROM cases WHERE id = $1";
static const char sql_users_at[] = "SELECT username FROM users WHERE scope = $1 ORDER BY username";
static const char sql_users_rescope[] = "UPDATE users SET scope = $2 WHERE scope = $1";
static const char sql_pairings_at[] =
    "SELECT weak, strong FROM pairings WHERE scheme = $1 AND weak = $2"
    " UNION SELECT weak, strong FROM pairings WHERE strong = $2 AND scheme = $1 ORDER BY weak";
static const char sql_pairing_delete[] = "DELETE FROM pairings WHERE scheme = $1 AND weak = $2";
static const char sql_pairing_move[] =
    "UPDATE pairings SET weak = $3, strong = $4 WHERE scheme = $1 AND weak = $2";
static const char sql_pairing_has[] =
    "SELECT count(*) FROM pairings WHERE scheme = $1 AND weak = $2";

int store_cases_open_at(struct db *db, const char *code,
                        int (*fn)(void *ctx, int64_t id, const char *unit, const char *owner,
                                  const char *helper, const char *escalated),
                        void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_cases_open_at, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, code);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_int(st, "id"), db_text(st, "unit"), db_text(st, "owner_unit"),
                     opt_text(st, "helper_unit"), opt_text(st, "escalated_to"))))
            break;
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_case_move(struct db *db, int64_t id, const char *from, const char *to, const char *at,
                    struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_case_move, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, from);
    db_bind_str(st, 3, to);
    db_bind_str(st, 4, at);
    return db_run(st, err);
}

int store_rating_move(struct db *db, int64_t id, const char *to, const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_rating_move, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, to);
    if ((rc = db_run(st, err))) return rc;
    if ((rc = db_prepare(db, sql_rating_case_move, &st, err))) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, to);
    db_bind_str(st, 3, at);
    return db_run(st, err);
}

int store_case_final(struct db *db, int64_t id, bool *final, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_case_final, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    int64_t v = 0;
    rc = db_run_returning(st, &v, "没有这件事项", err);
    *final = v != 0;
    return rc;
}

int store_users_rescope(struct db *db, const char *code, const char *to,
                        int (*fn)(void *ctx, const char *username), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc;
    if (fn) {
        if ((rc = db_prepare(db, sql_users_at, &st, err))) return rc;
        db_bind_str(st, 1, code);
        while ((rc = db_step(st, err)) == DB_ROW)
            if ((rc = fn(ctx, db_text(st, "username")))) break;
        db_reset(st);
        if (rc) return rc;
    }
    if ((rc = db_prepare(db, sql_users_rescope, &st, err))) return rc;
    db_bind_str(st, 1, code);
    db_bind_str(st, 2, to);
    return db_run(st, err);
}

int store_pairings_at(struct db *db, const char *scheme, const char *code,
                      int (*fn)(void *ctx, const char *weak, const char *strong), void *ctx,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_pairings_at, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, code);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "weak"), db_text(st, "strong")))) break;
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

int store_pairing_delete(struct db *db, const char *scheme, const char *weak, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_pairing_delete, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, weak);
    return db_run(st, err);
}

int store_pairing_move(struct db *db, const char *scheme, const char *weak, const char *to_weak,
                       const char *to_strong, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_pairing_move, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, weak);
    db_bind_str(st, 3, to_weak);
    db_bind_str(st, 4, to_strong);
    return db_run(st, err);
}

int store_pairing_has(struct db *db, const char *scheme, const char *weak, bool *has,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_pairing_has, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scheme);
    db_bind_str(st, 2, weak);
    int64_t n = 0;
    rc = db_run_returning(st, &n, NULL, err);
    *has = n > 0;
    return rc;
}
