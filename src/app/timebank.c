/* timebank.c — the time bank (timebank.h). */
#include "app/timebank.h"
#include "app/audit.h"
#include "base/embed.h"
#include "store/store_timebank.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct embed_file data_defs[];

#define TIMEBANK_FILE "timebank.json"
#define MOVES_MAX     100

/* data/timebank.json, parsed when used (a few hundred bytes). */
static int rules_load(json_t **root, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, TIMEBANK_FILE, strlen(TIMEBANK_FILE));
    *root = f ? json_loadb((const char *)f->data, f->len, 0, NULL) : NULL;
    if (!json_is_integer(json_object_get(*root, "max_transfer")) ||
        !json_is_array(json_object_get(*root, "rules"))) {
        json_decref(*root);
        return err_set(err, ERR_INTERNAL, "内置的 data/%s 缺失或格式不对", TIMEBANK_FILE);
    }
    return ERR_OK;
}

struct tx {
    struct timebank_entry_row rows[2];
    int nrows;
    /* credit: the event's participants */
    struct timebank_entry_row *many;
    size_t nmany;
    int credited;
};

/* The rows and their balance moves, one transaction with the audit record. */
static int write_tx(struct app *app, struct tx *t, const struct audit_entry *ae, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    for (int i = 0; !rc && i < t->nrows; i++) {
        rc = store_timebank_move(db, t->rows[i].person_id, t->rows[i].cents, err);
        if (!rc) rc = store_timebank_add(db, &t->rows[i], err);
    }
    for (size_t i = 0; !rc && i < t->nmany; i++) {
        rc = store_timebank_add(db, &t->many[i], err);
        if (rc == ERR_CONFLICT) { /* credited before: once per event and person */
            err_clear(err);
            rc = ERR_OK;
            continue;
        }
        if (!rc) rc = store_timebank_move(db, t->many[i].person_id, t->many[i].cents, err);
        if (!rc) t->credited++;
    }
    if (!rc) rc = store_audit_append(db, ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

struct parts {
    struct arena *a;
    struct timebank_entry_row *rows;
    size_t n, cap;
    int64_t event_id;
    const char *by, *at;
};

static int keep_part(void *ctx, const struct participant_row *p)
{
    struct parts *x = ctx;
    if (strcmp(p->attendance, "present") != 0) return 0;
    json_t *o = json_loads(p->data ? p->data : "{}", 0, NULL);
    double hours = json_number_value(json_object_get(o, "hours"));
    json_decref(o);
    if (!(hours > 0) || hours > 24) return 0; /* events.json bounds a day's service */
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 32;
        struct timebank_entry_row *rows = arena_alloc(x->a, cap * sizeof *rows);
        if (x->n) memcpy(rows, x->rows, x->n * sizeof *rows);
        x->rows = rows;
        x->cap = cap;
    }
    x->rows[x->n++] = (struct timebank_entry_row){.person_id = p->person_id,
                                                  .kind = "credit",
                                                  .cents = llround(hours * 100.0),
                                                  .event_id = x->event_id,
                                                  .created_by = x->by,
                                                  .created_at = x->at};
    return 0;
}

int timebank_credit_event(struct app *app, const struct auth_user *actor, int64_t event_id,
                          const char *client, int *credited, struct err *err)
{
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    struct event_row e;
    struct parts x = {.a = a, .event_id = event_id, .by = actor->name, .at = at};
    struct db *db = store_acquire(app->store);
    int rc = store_event_get(db, a, event_id, &e, err);
    if (!rc && strcmp(e.type, "volunteer") != 0)
        rc = err_set(err, ERR_INVALID, "只有志愿服务活动的服务时长记入时间银行");
    else if (!rc && strcmp(e.status, "held") != 0)
        rc = err_set(err, ERR_INVALID, "活动召开后才能记入时间币（此活动尚在计划中）");
    if (!rc) rc = store_event_participants(db, a, event_id, keep_part, &x, err);
    store_release(app->store, db);
    struct tx t = {.many = x.rows, .nmany = x.n};
    if (!rc) {
        struct audit_entry ae = {.user = actor->name,
                                 .action = "timebank.credit",
                                 .entity = arena_printf(a, "event:%lld", (long long)event_id),
                                 .unit = e.unit,
                                 .after = arena_printf(a, "{\"participants\":%zu}", x.n),
                                 .client = client};
        rc = write_tx(app, &t, &ae, err);
    }
    *credited = rc ? 0 : t.credited;
    arena_free(a);
    return rc;
}

static int to_cents(double coins, double max, int64_t *out, struct err *err)
{
    if (!isfinite(coins) || coins <= 0 || coins > max ||
        fabs(coins * 100 - round(coins * 100)) > 1e-6)
        return err_set_field(err, ERR_INVALID, "coins",
                             "转赠的时间币须大于 0、至多 %.0f 个，最多两位小数", max);
    *out = llround(coins * 100.0);
    return ERR_OK;
}

int timebank_transfer(struct app *app, const struct auth_user *actor, int64_t from, int64_t to,
                      double coins, const char *client, struct err *err)
{
    json_t *root;
    int rc = rules_load(&root, err);
    if (rc) return rc;
    double max = (double)json_integer_value(json_object_get(root, "max_transfer"));
    json_decref(root);
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    int64_t cents = 0;
    bool relatives = false;
    struct person_row to_row;
    rc = to_cents(coins, max, &cents, err);
    if (!rc && from == to) rc = err_set_field(err, ERR_INVALID, "to", "不能转赠给自己");
    if (!rc) {
        struct db *db = store_acquire(app->store);
        rc = store_person_get(db, a, to, &to_row, err);
        if (rc == ERR_NOT_FOUND)
            rc = err_set_field(err, ERR_INVALID, "to", "受赠人须为人员库中的人员");
        if (!rc) rc = store_timebank_relatives(db, from, to, &relatives, err);
        store_release(app->store, db);
    }
    if (!rc && !relatives)
        rc = err_set_field(err, ERR_INVALID, "to", "时间币只能转赠给近亲属（须与转出人同在一户）");
    if (!rc) {
        struct tx t = {.nrows = 2,
                       .rows = {{.person_id = from,
                                 .kind = "transfer_out",
                                 .cents = -cents,
                                 .counterpart = to,
                                 .created_by = actor->name,
                                 .created_at = at},
                                {.person_id = to,
                                 .kind = "transfer_in",
                                 .cents = cents,
                                 .counterpart = from,
                                 .created_by = actor->name,
                                 .created_at = at}}};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "timebank.transfer",
                                 .entity = arena_printf(a, "person:%lld", (long long)from),
                                 .after = arena_printf(a, "{\"to\":%lld,\"cents\":%lld}",
                                                       (long long)to, (long long)cents),
                                 .client = client};
        rc = write_tx(app, &t, &ae, err);
        if (rc == ERR_INVALID)
            rc = err_set_field(err, ERR_INVALID, "coins", "时间币余额不足：转赠 %.2f 个超过了余额",
                               coins);
    }
    arena_free(a);
    return rc;
}

int timebank_redeem(struct app *app, const struct auth_user *actor, int64_t person,
                    const char *rule, const char *client, struct err *err)
{
    json_t *root, *r;
    int rc = rules_load(&root, err);
    if (rc) return rc;
    size_t i;
    int64_t cents = 0;
    const char *name = NULL;
    json_array_foreach(json_object_get(root, "rules"), i, r)
    {
        if (rule && strcmp(json_string_value(json_object_get(r, "code")), rule) == 0) {
            cents = llround(json_number_value(json_object_get(r, "coins")) * 100.0);
            name = json_string_value(json_object_get(r, "name"));
        }
    }
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    if (!name || cents <= 0) {
        rc = err_set_field(err, ERR_INVALID, "rule", "请选择兑换项目（没有“%s”这一项）",
                           rule ? rule : "");
    } else {
        struct tx t = {.nrows = 1,
                       .rows = {{.person_id = person,
                                 .kind = "redeem",
                                 .cents = -cents,
                                 .rule = rule,
                                 .created_by = actor->name,
                                 .created_at = at}}};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "timebank.redeem",
                                 .entity = arena_printf(a, "person:%lld", (long long)person),
                                 .after = arena_printf(a, "{\"rule\":\"%s\"}", rule),
                                 .client = client};
        rc = write_tx(app, &t, &ae, err);
        if (rc == ERR_INVALID)
            rc = err_set_field(err, ERR_INVALID, "rule", "时间币余额不足：%s需要 %.2f 个", name,
                               (double)cents / 100.0);
    }
    json_decref(root);
    arena_free(a);
    return rc;
}

struct moves_ctx {
    struct arena *a;
    struct timebank_move *rows;
    size_t n;
};

static int keep_move(void *ctx, const struct timebank_entry_row *e)
{
    struct moves_ctx *m = ctx;
    m->rows[m->n++] = (struct timebank_move){.id = e->id,
                                             .kind = e->kind,
                                             .rule = e->rule,
                                             .counterpart_name = e->counterpart_name,
                                             .created_at = e->created_at,
                                             .coins = (double)e->cents / 100.0};
    return 0;
}

int timebank_person(struct app *app, int64_t person, struct arena *a, double *balance,
                    struct timebank_move **moves, size_t *n, struct err *err)
{
    int64_t cents = 0;
    struct moves_ctx m = {.a = a, .rows = arena_zalloc(a, MOVES_MAX * sizeof *m.rows)};
    struct db *db = store_acquire(app->store);
    int rc = store_timebank_balance(db, person, &cents, err);
    if (!rc) rc = store_timebank_entries(db, a, person, MOVES_MAX, keep_move, &m, err);
    store_release(app->store, db);
    *balance = (double)cents / 100.0;
    *moves = m.rows;
    *n = m.n;
    return rc;
}
