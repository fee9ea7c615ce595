/* timebank.c — the time bank's ledger and balances (store_timebank.h). */
#include "store/store_timebank.h"

static const char sql_add[] =
    "INSERT INTO timebank_entries (person_id, kind, cents, event_id, counterpart, rule, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
    "ON CONFLICT (event_id, person_id) DO NOTHING";
/* The guard in WHERE is re-checked under the row lock (PostgreSQL) or the
 * write lock (SQLite): two debits at once never both pass. */
static const char sql_credit[] =
    "INSERT INTO timebank_balances (person_id, cents) VALUES ($1, $2) "
    "ON CONFLICT (person_id) DO UPDATE SET cents = timebank_balances.cents + excluded.cents";
/* The guard in WHERE is re-checked under the row lock (PostgreSQL) or the
 * write lock (SQLite): two debits at once never both pass. */
static const char sql_debit[] =
    "UPDATE timebank_balances SET cents = cents + $2 WHERE person_id = $1 AND cents + $2 >= 0";
static const char sql_balance[] =
    "SELECT coalesce((SELECT cents FROM timebank_balances WHERE person_id = $1), 0) AS n";
static const char sql_entries[] =
    "SELECT e.id, e.person_id, e.kind, e.cents, coalesce(e.event_id, 0) AS event_id, "
    "coalesce(e.counterpart, 0) AS counterpart, e.rule, e.created_by, e.created_at, "
    "coalesce((SELECT p.name FROM persons p WHERE p.id = e.counterpart), '') AS counterpart_name "
    "FROM timebank_entries e WHERE e.person_id = $1 ORDER BY e.id DESC LIMIT $2";
static const char sql_relatives[] =
    "SELECT count(*) AS n FROM memberships a JOIN memberships b ON b.household_id = "
    "a.household_id WHERE a.person_id = $1 AND b.person_id = $2 AND a.household_id IS NOT NULL "
    "AND a.to_date IS NULL AND b.to_date IS NULL";
static const char sql_totals[] =
    "SELECT (SELECT coalesce(sum(cents), 0) FROM timebank_entries) AS ledger, "
    "(SELECT coalesce(sum(cents), 0) FROM timebank_balances) AS balances";

int store_timebank_add(struct db *db, const struct timebank_entry_row *e, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, e->person_id);
    db_bind_str(st, 2, e->kind);
    db_bind_int(st, 3, e->cents);
    db_bind_opt_int(st, 4, e->event_id);
    db_bind_opt_int(st, 5, e->counterpart);
    db_bind_str(st, 6, e->rule ? e->rule : "");
    db_bind_str(st, 7, e->created_by);
    db_bind_str(st, 8, e->created_at);
    if ((rc = db_run(st, err))) return rc;
    return db_changes(db) == 1 ? ERR_OK
                               : err_set(err, ERR_CONFLICT, "该志愿服务活动已经为此人记入时间币");
}

int store_timebank_move(struct db *db, int64_t person, int64_t delta, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, delta >= 0 ? sql_credit : sql_debit, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    db_bind_int(st, 2, delta);
    rc = db_run(st, err);
    if (rc == ERR_CONFLICT || (!rc && db_changes(db) != 1))
        return err_set_field(err, ERR_INVALID, "coins", "时间币余额不足");
    return rc;
}

int store_timebank_balance(struct db *db, int64_t person, int64_t *cents, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_balance, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    return db_run_returning(st, cents, NULL, err);
}

int store_timebank_entries(struct db *db, struct arena *a, int64_t person, int limit,
                           int (*fn)(void *ctx, const struct timebank_entry_row *e), void *ctx,
                           struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_entries, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person);
    db_bind_int(st, 2, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct timebank_entry_row e = {.id = db_int(st, "id"),
                                       .person_id = db_int(st, "person_id"),
                                       .kind = db_dup(st, a, "kind"),
                                       .cents = db_int(st, "cents"),
                                       .event_id = db_int(st, "event_id"),
                                       .counterpart = db_int(st, "counterpart"),
                                       .rule = db_dup(st, a, "rule"),
                                       .created_by = db_dup(st, a, "created_by"),
                                       .created_at = db_dup(st, a, "created_at"),
                                       .counterpart_name = db_dup(st, a, "counterpart_name")};
        if ((rc = fn(ctx, &e)) != 0) break;
    }
    db_reset(st);
    return rc;
}

int store_timebank_relatives(struct db *db, int64_t a, int64_t b, bool *yes, struct err *err)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_prepare(db, sql_relatives, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, a);
    db_bind_int(st, 2, b);
    rc = db_run_returning(st, &n, NULL, err);
    *yes = n > 0;
    return rc;
}

int store_timebank_totals(struct db *db, int64_t *ledger, int64_t *balances, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_totals, &st, err);
    if (rc) return rc;
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *ledger = db_int(st, "ledger");
        *balances = db_int(st, "balances");
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
