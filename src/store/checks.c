/* checks.c — validation rules, values by unit and period, and data
 * approvals (store.h). */
#include "store/store.h"
#include "core/period.h"

/* ---- validation rules ---- */

static const char sql_rule_insert[] =
    "INSERT INTO validation_rules (code, message, left_side, operator, right_side, severity, "
    "period_type, description, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
static const char sql_rules[] = "SELECT code, message, left_side, operator, right_side, severity, "
                                "period_type, description FROM validation_rules ORDER BY code";

int store_rule_insert(struct db *db, const struct rule_def *d, const char *by, const char *at,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_rule_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, d->code);
    db_bind_str(st, 2, d->message);
    db_bind_str(st, 3, d->left);
    db_bind_str(st, 4, rule_op_name(d->op));
    db_bind_str(st, 5, d->right);
    db_bind_str(st, 6, rule_severity_name(d->severity));
    db_bind_str(st, 7, period_type_name(d->period_type));
    db_bind_str(st, 8, d->description ? d->description : "");
    db_bind_str(st, 9, by);
    db_bind_str(st, 10, at);
    rc = db_run(st, err);
    if (rc == ERR_CONFLICT)
        return err_set_field(err, ERR_CONFLICT, "code", "校验规则代码 %s 已存在", d->code);
    return rc;
}

int store_rules_each(struct db *db, struct arena *a, int (*fn)(void *ctx, const struct rule_def *d),
                     void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_rules, &st, err);
    if (rc) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct rule_def d = {
            .code = db_dup(st, a, "code"),
            .message = db_dup(st, a, "message"),
            .left = db_dup(st, a, "left_side"),
            .right = db_dup(st, a, "right_side"),
            .op = rule_op_parse(db_text(st, "operator")),
            .severity = rule_severity_parse(db_text(st, "severity")),
            .period_type = period_type_parse(db_text(st, "period_type")),
            .description = db_dup(st, a, "description"),
        };
        if ((rc = fn(ctx, &d)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- values by unit and period ---- */

static const char sql_values_of[] =
    "SELECT element, value FROM data_values WHERE unit = $1 AND period = $2";
static const char sql_values_at[] = "SELECT unit, element, value FROM data_values "
                                    "WHERE " DB_SUBTREE("unit", 1) " AND period = $2 "
                                                                   "ORDER BY unit";

int store_values_of(struct db *db, const char *unit, const char *period,
                    int (*fn)(void *ctx, const char *element, double v), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_values_of, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_str(st, 2, period);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "element"), db_double(st, "value"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_values_at(struct db *db, const char *scope, const char *period,
                    int (*fn)(void *ctx, const char *unit, const char *element, double v),
                    void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_values_at, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope ? scope : "");
    db_bind_str(st, 2, period);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "unit"), db_text(st, "element"), db_double(st, "value"))) !=
            0)
            break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- approvals ---- */

#define APPROVAL_COLUMNS                                                                           \
    "SELECT a.unit AS unit, a.period AS period, a.approved_by AS approved_by, "                    \
    "a.approved_at AS approved_at, coalesce(u.display_name, '') AS approver_name "                 \
    "FROM data_approvals a LEFT JOIN users u ON u.username = a.approved_by "

static const char sql_approval_insert[] =
    "INSERT INTO data_approvals (unit, period, approved_by, approved_at) VALUES ($1, $2, $3, $4)";
static const char sql_approval_delete[] =
    "DELETE FROM data_approvals WHERE unit = $1 AND period = $2";
/* A unit's ancestors are exactly the codes it starts with (DB_SUBTREE). */
static const char sql_approvals_covering[] =
    APPROVAL_COLUMNS "WHERE a.period = $2 AND a.unit = substr($1, 1, length(a.unit)) "
                     "ORDER BY length(a.unit)";
static const char sql_approvals_in[] =
    APPROVAL_COLUMNS "WHERE a.period = $2 AND " DB_SUBTREE("a.unit", 1) " ORDER BY a.unit";

int store_approval_insert(struct db *db, const struct store_approval *ap, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_approval_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, ap->unit);
    db_bind_str(st, 2, ap->period);
    db_bind_str(st, 3, ap->approved_by);
    db_bind_str(st, 4, ap->approved_at);
    rc = db_run(st, err);
    if (rc == ERR_CONFLICT)
        return err_set(err, ERR_CONFLICT, "%s %s 的数据已审核", ap->unit, ap->period);
    return rc;
}

int store_approval_delete(struct db *db, const char *unit, const char *period, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_approval_delete, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_str(st, 2, period);
    if ((rc = db_run(st, err))) return rc;
    if (db_changes(db) == 0)
        return err_set(err, ERR_NOT_FOUND, "%s %s 的数据尚未审核", unit, period);
    return ERR_OK;
}

static int each_approval(struct db_stmt *st, int (*fn)(void *ctx, const struct store_approval *ap),
                         void *ctx, struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_approval ap = {
            .unit = db_text(st, "unit"),
            .period = db_text(st, "period"),
            .approved_by = db_text(st, "approved_by"),
            .approver_name = db_text(st, "approver_name"),
            .approved_at = db_text(st, "approved_at"),
        };
        if ((rc = fn(ctx, &ap)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_approvals_covering(struct db *db, const char *unit, const char *period,
                             int (*fn)(void *ctx, const struct store_approval *ap), void *ctx,
                             struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_approvals_covering, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_str(st, 2, period);
    return each_approval(st, fn, ctx, err);
}

int store_approvals_in(struct db *db, const char *scope, const char *period,
                       int (*fn)(void *ctx, const struct store_approval *ap), void *ctx,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_approvals_in, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope ? scope : "");
    db_bind_str(st, 2, period);
    return each_approval(st, fn, ctx, err);
}
