/* health_import.c — many contracts or residents' health tags at once
 * (health.h), all or nothing: every row is checked before anything is
 * written, the first refused row is named by its number, and the rows go
 * in one transaction with one audit record. The demo (cli/demo_health.c)
 * signs a county's residents through it. */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/health_int.h"
#include "base/mem.h"
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define HEALTH_IMPORT_MAX 200000

struct contracts_write {
    struct arena *a;
    struct health_contract_row *rows;
    const long *lines;
    size_t n;
};

int health_contract_free(struct db *db, struct arena *a, const struct health_contract_row *c,
                         struct err *err)
{
    int64_t other;
    const char *os = NULL, *oe = NULL;
    int rc = store_health_contract_overlap(db, a, c->person_id, c->start_date, c->end_date, &other,
                                           &os, &oe, err);
    if (!rc && other)
        rc = err_set_field(err, ERR_CONFLICT, "start_date",
                           "同一居民同一时间只能有一份家庭医生签约：与第 %lld 号签约（%s 至 %s）"
                           "重叠；请先解约或从其结束之日起签约",
                           (long long)other, os, oe);
    return rc;
}

/* The one-at-a-time rule inside the transaction: earlier rows of the
 * batch are already written, so two rows of one resident collide too. */
static int contracts_cb(struct db *db, void *ctx, struct err *err)
{
    struct contracts_write *w = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < w->n && !rc; i++) {
        rc = health_contract_free(db, w->a, &w->rows[i], err);
        if (!rc) rc = store_health_contract_insert(db, &w->rows[i], err);
        if (rc) err_wrap(err, "第 %ld 行", w->lines ? w->lines[i] : (long)i + 1);
    }
    return rc;
}

static const char *summary(struct arena *a, const char *what, const char *file, size_t n)
{
    json_t *o = json_pack("{s:s, s:I}", "what", what, "rows", (json_int_t)n);
    if (o && file) json_object_set_new(o, "file", json_string(file));
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    const char *out = arena_strdup(a, text ? text : "{}");
    free(text);
    json_decref(o);
    return out;
}

int health_contracts_write(struct app *app, const struct auth_user *actor, struct arena *a,
                           struct health_contract_row *rows, const long *lines, size_t n,
                           const char *unit, const char *file, const char *client, struct err *err)
{
    struct contracts_write w = {a, rows, lines, n};
    struct audit_entry ae = {.user = actor->name,
                             .action = "health.contracts.import",
                             .entity = "health_contract:import",
                             .unit = unit,
                             .after = summary(a, "contracts", file, n),
                             .client = client};
    return app_write_tx(app, &ae, HEALTH_CHANGED, contracts_cb, &w, err);
}

/* A resident inside the actor's scope, or 4xx (the same answer for one
 * outside it as for a missing one). */
static int resident(struct db *db, struct arena *a, const struct auth_user *actor, int64_t id,
                    struct person_row *p, struct err *err)
{
    int rc = store_person_get(db, a, id, p, err);
    if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(actor->scope, p->unit)))
        rc = err_set_field(err, ERR_INVALID, "person",
                           "没有编号为 %lld 的居民（或不在您的管辖范围内）", (long long)id);
    return rc;
}

int health_contract_prepare(struct app *app, struct db *db, struct arena *a,
                            const struct auth_user *actor, const struct health_contract_in *in,
                            const char *at, int64_t *known_team, struct health_contract_row *out,
                            struct err *err)
{
    char *end = arena_zalloc(a, 16);
    const char *package;
    struct person_row p;
    struct health_team_row t;
    int rc = health_contract_check(app->health, in, end, &package, err);
    if (!rc) rc = resident(db, a, actor, in->person_id, &p, err);
    if (!rc && in->team_id != *known_team) {
        *known_team = 0;
        rc = store_health_team_get(db, a, in->team_id, &t, err);
        if (!rc) *known_team = in->team_id;
    }
    if (rc) return rc;
    *out = (struct health_contract_row){.person_id = in->person_id,
                                        .team_id = in->team_id,
                                        .unit = p.unit,
                                        .package = package,
                                        .start_date = in->start_date,
                                        .end_date = end,
                                        .created_by = actor->name,
                                        .created_at = at};
    return ERR_OK;
}

int health_contracts_import(struct app *app, const struct auth_user *actor,
                            const struct health_contract_in *rows, size_t n, const char *client,
                            size_t *added, struct err *err)
{
    *added = 0;
    if (n == 0) return err_set(err, ERR_INVALID, "没有要导入的签约");
    if (n > HEALTH_IMPORT_MAX)
        return err_set(err, ERR_INVALID, "一次至多导入 %d 份签约，请分批导入", HEALTH_IMPORT_MAX);
    struct arena *a = arena_new();
    struct health_contract_row *w = arena_zalloc(a, n * sizeof *w);
    char at[32];
    auth_now_iso(at);
    const char *unit = NULL;
    int rc = ERR_OK;
    int64_t team = 0;
    struct db *db = store_acquire(app->store);
    for (size_t i = 0; i < n && !rc; i++) {
        if ((rc = health_contract_prepare(app, db, a, actor, &rows[i], at, &team, &w[i], err))) {
            err_wrap(err, "第 %zu 行", i + 1);
            break;
        }
        /* filed under the rows' unit, or the actor's scope when they differ */
        if (!unit)
            unit = w[i].unit;
        else if (strcmp(unit, w[i].unit) != 0)
            unit = actor->scope;
    }
    store_release(app->store, db);
    if (!rc) rc = health_contracts_write(app, actor, a, w, NULL, n, unit, NULL, client, err);
    if (!rc) *added = n;
    arena_free(a);
    return rc;
}

struct tags_write {
    const struct health_tags_row *rows;
    size_t n;
};

static int tags_cb(struct db *db, void *ctx, struct err *err)
{
    struct tags_write *w = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < w->n && !rc; i++)
        if ((rc = store_health_tags_set(db, w->rows[i].person_id, w->rows[i].tags, w->rows[i].n,
                                        err)))
            err_wrap(err, "第 %zu 行", i + 1);
    return rc;
}

int health_tags_import(struct app *app, const struct auth_user *actor,
                       const struct health_tags_row *rows, size_t n, const char *client,
                       struct err *err)
{
    const struct health_defs *h = app->health;
    if (n == 0) return err_set(err, ERR_INVALID, "没有要导入的健康标签");
    if (n > HEALTH_IMPORT_MAX)
        return err_set(err, ERR_INVALID, "一次至多导入 %d 行，请分批导入", HEALTH_IMPORT_MAX);
    struct arena *a = arena_new();
    const char *unit = NULL;
    int rc = ERR_OK;
    struct db *db = store_acquire(app->store);
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t j = 0; j < rows[i].n && !rc; j++)
            if (!health_name(h->person_tags, h->nperson_tags, rows[i].tags[j]))
                rc = err_set_field(err, ERR_INVALID, "tags",
                                   "第 %zu 个健康标签不是已定义的标签（如高血压、2型糖尿病）",
                                   j + 1);
        struct person_row p;
        if (!rc) rc = resident(db, a, actor, rows[i].person_id, &p, err);
        if (rc) {
            err_wrap(err, "第 %zu 行", i + 1);
            break;
        }
        /* filed under the rows' unit, or the actor's scope when they differ */
        if (!unit)
            unit = p.unit;
        else if (strcmp(unit, p.unit) != 0)
            unit = actor->scope;
    }
    store_release(app->store, db);
    struct tags_write w = {rows, n};
    if (!rc) {
        struct audit_entry ae = {.user = actor->name,
                                 .action = "health.tags.import",
                                 .entity = "person:import",
                                 .unit = unit,
                                 .after = summary(a, "tags", NULL, n),
                                 .client = client};
        rc = app_write_tx(app, &ae, HEALTH_CHANGED, tags_cb, &w, err);
    }
    arena_free(a);
    return rc;
}
