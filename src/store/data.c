/* data.c — data elements, values and indicators (store.h). */
#include "store/store.h"
#include "core/period.h"

#include <stdio.h>
#include <string.h>

static const char sql_element_insert[] =
    "INSERT INTO elements (code, name, measure, value_type, aggregation, period_type, levels, "
    "min_value, max_value, description, created_by, created_at, computed) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
static const char sql_elements[] =
    "SELECT code, name, measure, value_type, aggregation, period_type, levels, min_value, "
    "max_value, description, coalesce(computed, '') AS computed FROM elements ORDER BY code";

static void bind_optional(struct db_stmt *st, int n, bool has, double v)
{
    if (has)
        db_bind_double(st, n, v);
    else
        db_bind_null(st, n);
}

/* Level bits as the comma list stored in the table. */
static void levels_text(uint32_t levels, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int l = UNIT_PROVINCE; l < UNIT_LEVEL_COUNT; l++) {
        if (!(levels & (1u << l))) continue;
        const char *name = unit_level_name(l);
        size_t k = strlen(name);
        if (n + k + 2 > cap) break;
        if (n) out[n++] = ',';
        memcpy(out + n, name, k + 1);
        n += k;
    }
}

int store_element_insert(struct db *db, const struct element *e, const char *by, const char *at,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_element_insert, &st, err);
    if (rc) return rc;
    char levels[128];
    levels_text(e->levels, levels, sizeof levels);
    db_bind_str(st, 1, e->code);
    db_bind_str(st, 2, e->name);
    db_bind_str(st, 3, e->measure ? e->measure : "");
    db_bind_str(st, 4, value_type_name(e->value_type));
    db_bind_str(st, 5, aggregation_name(e->aggregation));
    db_bind_str(st, 6, period_type_name(e->period_type));
    db_bind_str(st, 7, levels);
    bind_optional(st, 8, e->has_min, e->min);
    bind_optional(st, 9, e->has_max, e->max);
    db_bind_str(st, 10, e->description ? e->description : "");
    db_bind_str(st, 11, by);
    db_bind_str(st, 12, at);
    db_bind_opt(st, 13, e->computed);
    rc = db_run(st, err);
    if (rc == ERR_CONFLICT)
        return err_set_field(err, ERR_CONFLICT, "code", "数据元代码 %s 已存在", e->code);
    return rc;
}

int store_elements_each(struct db *db, struct arena *a,
                        int (*fn)(void *ctx, const struct element *e), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_elements, &st, err);
    if (rc) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct element e = {0};
        snprintf(e.code, sizeof e.code, "%s", db_text(st, "code"));
        e.name = db_dup(st, a, "name");
        e.measure = db_dup(st, a, "measure");
        e.value_type = value_type_parse(db_text(st, "value_type"));
        e.aggregation = aggregation_parse(db_text(st, "aggregation"));
        e.period_type = period_type_parse(db_text(st, "period_type"));
        struct err ignore;
        element_levels_parse(db_text(st, "levels"), &e.levels, &ignore);
        e.has_min = !db_null(st, "min_value");
        e.min = db_double(st, "min_value");
        e.has_max = !db_null(st, "max_value");
        e.max = db_double(st, "max_value");
        e.description = db_dup(st, a, "description");
        e.computed = db_null(st, "computed") || !db_text(st, "computed")[0]
                         ? NULL
                         : db_dup(st, a, "computed");
        if ((rc = fn(ctx, &e)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static const char sql_value_get[] =
    "SELECT value FROM data_values WHERE element = $1 AND period = $2 AND unit = $3";
static const char sql_value_put[] =
    "INSERT INTO data_values (element, period, unit, value, updated_by, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (element, period, unit) DO UPDATE SET "
    "value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
static const char sql_value_delete[] =
    "DELETE FROM data_values WHERE element = $1 AND period = $2 AND unit = $3";
static const char sql_values_scan[] = "SELECT unit, value FROM data_values "
                                      "WHERE element = $1 AND period >= $2 AND period <= $3";

static void bind_key(struct db_stmt *st, const char *element, const char *unit, const char *period)
{
    db_bind_str(st, 1, element);
    db_bind_str(st, 2, period);
    db_bind_str(st, 3, unit);
}

int store_value_get(struct db *db, const char *element, const char *unit, const char *period,
                    double *v, bool *found, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_value_get, &st, err);
    if (rc) return rc;
    bind_key(st, element, unit, period);
    rc = db_step(st, err);
    *found = rc == DB_ROW;
    *v = *found ? db_double(st, "value") : 0;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_value_put(struct db *db, const char *element, const char *unit, const char *period,
                    double v, const char *by, const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_value_put, &st, err);
    if (rc) return rc;
    bind_key(st, element, unit, period);
    db_bind_double(st, 4, v);
    db_bind_str(st, 5, by);
    db_bind_str(st, 6, at);
    return db_run(st, err);
}

int store_value_delete(struct db *db, const char *element, const char *unit, const char *period,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_value_delete, &st, err);
    if (rc) return rc;
    bind_key(st, element, unit, period);
    return db_run(st, err);
}

int store_values_scan(struct db *db, const char *element, const char *lo, const char *hi,
                      int (*fn)(void *ctx, const char *unit, size_t len, double v), void *ctx,
                      struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_values_scan, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, element);
    db_bind_str(st, 2, lo);
    db_bind_str(st, 3, hi);
    /* Positions, not names: this loop reads every value of an element. */
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t n;
        const char *unit = db_col_text(st, 0, &n);
        if ((rc = fn(ctx, unit, n, db_col_double(st, 1))) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* Empty strings stand for "no filter", so one statement serves every
 * combination; unit is NOT NULL, so the subtree of "" is every row. */
#define VALUES_IN_SCOPE DB_SUBTREE("unit", 1)
static const char sql_values_list[] =
    "SELECT element, unit, period, value, updated_by, updated_at FROM data_values "
    "WHERE " VALUES_IN_SCOPE " AND ($2 = '' OR element = $2) "
    "AND ($3 = '' OR (period >= $3 AND period <= $4)) "
    "AND ($5 = '' OR (unit, element, period) > ($5, $6, $7)) "
    "ORDER BY unit, element, period LIMIT $8";

int store_values_list(struct db *db, const struct value_filter *f,
                      int (*fn)(void *ctx, const struct value_row *v), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_values_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->scope ? f->scope : "");
    db_bind_str(st, 2, f->element ? f->element : "");
    db_bind_str(st, 3, f->lo ? f->lo : "");
    db_bind_str(st, 4, f->hi ? f->hi : "");
    for (int i = 0; i < 3; i++)
        db_bind_str(st, 5 + i, f->after[0] ? f->after[i] : "");
    db_bind_int(st, 8, f->limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct value_row v = {
            .element = db_text(st, "element"),
            .unit = db_text(st, "unit"),
            .period = db_text(st, "period"),
            .value = db_double(st, "value"),
            .updated_by = db_text(st, "updated_by"),
            .updated_at = db_text(st, "updated_at"),
        };
        if ((rc = fn(ctx, &v)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

static const char sql_indicator_insert[] =
    "INSERT INTO indicators (code, name, formula, format, decimals, measure, description, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char sql_indicators[] = "SELECT code, name, formula, format, decimals, measure, "
                                     "description FROM indicators ORDER BY code";

int store_indicator_insert(struct db *db, const struct indicator *ind, const char *by,
                           const char *at, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_indicator_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, ind->code);
    db_bind_str(st, 2, ind->name);
    db_bind_str(st, 3, ind->formula);
    db_bind_str(st, 4, ind->format ? ind->format : "number");
    db_bind_int(st, 5, ind->decimals);
    db_bind_str(st, 6, ind->measure ? ind->measure : "");
    db_bind_str(st, 7, ind->description ? ind->description : "");
    db_bind_str(st, 8, by);
    db_bind_str(st, 9, at);
    rc = db_run(st, err);
    if (rc == ERR_CONFLICT)
        return err_set_field(err, ERR_CONFLICT, "code", "指标代码 %s 已存在", ind->code);
    return rc;
}

int store_indicators_each(struct db *db, struct arena *a,
                          int (*fn)(void *ctx, const struct indicator *ind), void *ctx,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_indicators, &st, err);
    if (rc) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct indicator ind = {
            .code = db_dup(st, a, "code"),
            .name = db_dup(st, a, "name"),
            .formula = db_dup(st, a, "formula"),
            .format = db_dup(st, a, "format"),
            .decimals = (int)db_int(st, "decimals"),
            .measure = db_dup(st, a, "measure"),
            .description = db_dup(st, a, "description"),
        };
        if ((rc = fn(ctx, &ind)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
