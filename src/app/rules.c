/* rules.c — validation rules as definitions: checked against the
 * elements, created (audited), listed and compiled for checking
 * (checks.h). */
#include "app/checks.h"
#include "base/mem.h"
#include "io/json_out.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* The side of r that reads its i-th element. */
static const char *side_of(const struct rule *r, size_t i)
{
    return i < formula_nrefs(r->left) ? "left" : "right";
}

int rules_check_def(struct rule_def *d, const struct element *(*find)(void *ctx, const char *code),
                    void *ctx, struct err *err)
{
    struct rule *r;
    int rc = rule_compile(d, &r, err);
    if (rc) return rc;
    const struct element *first = NULL;
    if (r->nrefs == 0)
        rc = err_set_field(err, ERR_INVALID, "left", "规则须引用至少一个数据元，如 #{population}");
    for (size_t i = 0; i < r->nrefs && !rc; i++) {
        const struct element *e = find(ctx, r->refs[i]);
        if (!e)
            rc = err_set_field(err, ERR_INVALID, side_of(r, i), "规则引用了不存在的数据元 %s",
                               r->refs[i]);
        else if (!first)
            first = e;
        else if (e->period_type != first->period_type)
            rc = err_set_field(err, ERR_INVALID, side_of(r, i),
                               "规则中的数据元须按同一周期填报：%s 按%s，%s 按%s", first->name,
                               period_type_label(first->period_type), e->name,
                               period_type_label(e->period_type));
    }
    if (!rc && d->period_type < 0) {
        d->period_type = first->period_type;
    } else if (!rc && d->period_type != first->period_type) {
        rc = err_set_field(
            err, ERR_INVALID, "period_type", "规则的周期（%s）与其数据元的填报周期（%s）不符",
            period_type_label(d->period_type), period_type_label(first->period_type));
    }
    rule_free(r);
    return rc;
}

static const struct element *in_catalog(void *ctx, const char *code)
{
    return catalog_element(ctx, code);
}

static const char *rule_json(struct arena *a, const struct rule_def *d)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "code", d->code);
    jw_kstr(&w, "left", d->left);
    jw_kstr(&w, "operator", rule_op_name(d->op));
    jw_kstr(&w, "right", d->right);
    jw_kstr(&w, "severity", rule_severity_name(d->severity));
    jw_kstr(&w, "period_type", period_type_name(d->period_type));
    jw_obj_end(&w);
    const char *s = arena_strndup(a, b.p, b.len);
    buf_free(&b);
    return s;
}

int rules_create(struct app *app, const struct auth_user *actor, struct rule_def *d,
                 const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct catalog cat;
    int rc = catalog_load(app, a, &cat, err);
    if (!rc) rc = rules_check_def(d, in_catalog, &cat, err);
    if (!rc) {
        char at[32];
        auth_now_iso(at);
        struct audit_entry ae = {.user = actor->name,
                                 .action = "rule.create",
                                 .entity = arena_printf(a, "rule:%s", d->code),
                                 .after = rule_json(a, d),
                                 .client = client};
        struct db *db = store_acquire(app->store);
        if (!(rc = db_begin(db, true, err)) &&
            !(rc = store_rule_insert(db, d, actor->name, at, err)) &&
            !(rc = store_audit_append(db, &ae, err)))
            rc = db_commit(db, err);
        if (rc) db_rollback(db);
        store_release(app->store, db);
    }
    arena_free(a);
    return rc;
}

struct defs {
    struct arena *a;
    struct rule_def *d;
    size_t n, cap;
};

static int keep_def(void *ctx, const struct rule_def *d)
{
    struct defs *x = ctx;
    x->d = arena_grow(x->a, x->d, sizeof *x->d, x->n, x->n + 1, &x->cap);
    x->d[x->n++] = *d; /* strings already in the arena */
    return 0;
}

int rules_list(struct app *app, struct arena *a, struct rule_def **out, size_t *n, struct err *err)
{
    struct defs x = {.a = a};
    struct db *db = store_acquire(app->store);
    int rc = store_rules_each(db, a, keep_def, &x, err);
    store_release(app->store, db);
    *out = x.d;
    *n = x.n;
    return rc;
}

int rules_load(struct app *app, struct rule_set *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    struct arena *a = arena_new();
    struct rule_def *defs;
    size_t n;
    int rc = rules_list(app, a, &defs, &n, err);
    out->rules = xcalloc(n ? n : 1, sizeof *out->rules);
    for (size_t i = 0; i < n && !rc; i++) {
        struct err why;
        if (rule_compile(&defs[i], &out->rules[i], &why))
            rc = err_set(err, ERR_INTERNAL, "stored rule %s: %s", defs[i].code, why.msg);
        else
            out->n++;
    }
    arena_free(a);
    if (rc) rules_free(out);
    return rc;
}

void rules_free(struct rule_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        rule_free(set->rules[i]);
    free(set->rules);
    set->rules = NULL;
    set->n = 0;
}
