/* units.c — the units table (store.h). */
#include "store/store.h"
#include "core/unit.h"

static const char sql_each[] =
    "SELECT code, name, kind, since, retired, successor FROM units ORDER BY code";
static const char sql_insert[] = "INSERT INTO units (code, name, parent_code, level, kind, since) "
                                 "VALUES ($1, $2, $3, $4, $5, $6)";
static const char sql_update[] = "UPDATE units SET name = $2, kind = $3, since = $4, "
                                 "retired = NULL, successor = NULL WHERE code = $1";
static const char sql_count[] = "SELECT count(*) FROM units";

int store_units_each(struct db *db, int (*fn)(void *ctx, const struct store_unit *u), void *ctx,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_each, &st, err);
    if (rc) return rc;
    int col[6] = {-1}; /* code, name, kind, since, retired, successor: looked up once */
    static const char *const names[6] = {"code", "name", "kind", "since", "retired", "successor"};
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (col[0] < 0)
            for (int k = 0; k < 6; k++)
                col[k] = db_col(st, names[k]);
        struct store_unit u = {0};
        size_t klen;
        u.code = db_col_text(st, col[0], &u.code_len);
        u.name = db_col_text(st, col[1], &u.name_len);
        const char *kind = db_col_text(st, col[2], &klen);
        u.level = unit_level_of_len(u.code_len);
        u.kind = klen ? unit_kind_parse(kind, klen) : UNIT_KIND_NONE;
        if (u.kind < 0) u.kind = UNIT_KIND_OTHER;
        u.since = db_col_null(st, col[3]) ? NULL : db_col_text(st, col[3], &klen);
        u.retired = db_col_null(st, col[4]) ? NULL : db_col_text(st, col[4], &klen);
        u.successor = db_col_null(st, col[5]) ? NULL : db_col_text(st, col[5], &klen);
        if ((rc = fn(ctx, &u)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

static void bind_unit(struct db_stmt *st, const struct store_unit *u)
{
    size_t plen = unit_parent_len(u->code_len);
    db_bind_text(st, 1, u->code, u->code_len);
    db_bind_text(st, 2, u->name, u->name_len);
    if (plen)
        db_bind_text(st, 3, u->code, plen);
    else
        db_bind_null(st, 3);
    db_bind_str(st, 4, unit_level_name(u->level));
    db_bind_opt(st, 5, unit_kind_name(u->kind)); /* UNIT_KIND_NONE's "": NULL */
    db_bind_opt(st, 6, u->since);
}

int store_units_insert(struct db *db, const struct store_unit *u, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_insert, &st, err);
    if (rc) return rc;
    bind_unit(st, u);
    return db_run(st, err);
}

static const char copy_target[] = "units (code, name, parent_code, level, kind, since)";

int store_units_copy_begin(struct db *db, struct db_stmt **st, struct err *err)
{
    return db_copy_begin(db, sql_insert, copy_target, st, err);
}

int store_units_copy_row(struct db_stmt *st, const struct store_unit *u, struct err *err)
{
    bind_unit(st, u);
    return db_copy_row(st, err);
}

int store_units_update(struct db *db, const struct store_unit *u, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_update, &st, err);
    if (rc) return rc;
    db_bind_text(st, 1, u->code, u->code_len);
    db_bind_text(st, 2, u->name, u->name_len);
    db_bind_opt(st, 3, unit_kind_name(u->kind));
    db_bind_opt(st, 4, u->since);
    return db_run(st, err);
}

int store_units_count(struct db *db, int64_t *n, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_count, &st, err);
    if (rc) return rc;
    *n = 0;
    return db_run_returning(st, n, NULL, err);
}
