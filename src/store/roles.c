/* roles.c — writing the role table declared in data/roles.json (store.h). */
#include "store/store.h"

static const char sql_role_put[] =
    "INSERT INTO roles (code, name, rank) VALUES ($1, $2, $3) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, rank = excluded.rank";
static const char sql_perms_clear[] = "DELETE FROM role_perms WHERE role = $1";
static const char sql_perm_add[] = "INSERT INTO role_perms (role, perm) VALUES ($1, $2)";

int store_role_put(struct db *db, const char *code, const char *name, int rank,
                   const char *const *perms, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_role_put, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, code);
    db_bind_str(st, 2, name);
    db_bind_int(st, 3, rank);
    if ((rc = db_run(st, err)) || (rc = db_prepare(db, sql_perms_clear, &st, err))) return rc;
    db_bind_str(st, 1, code);
    if ((rc = db_run(st, err)) || (rc = db_prepare(db, sql_perm_add, &st, err))) return rc;
    for (int k = 0; perms[k] && !rc; k++) {
        db_bind_str(st, 1, code);
        db_bind_str(st, 2, perms[k]);
        rc = db_run(st, err);
    }
    return rc;
}
