/* checks.c — validation rules applied to figures: on every write, inside
 * its transaction, and as the report of a subtree for one period
 * (checks.h). */
#include "app/checks.h"
#include "base/mem.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The values of one unit and period, by element. */
struct figures {
    struct figure {
        char element[ELEMENT_CODE_MAX + 1];
        double v;
    } * f;
    size_t n, cap;
};

static int keep_figure(void *ctx, const char *element, double v)
{
    struct figures *x = ctx;
    x->f = xgrow(x->f, sizeof *x->f, x->n + 1, &x->cap);
    snprintf(x->f[x->n].element, sizeof x->f[x->n].element, "%s", element);
    x->f[x->n++].v = v;
    return 0;
}

/* Evaluates r on the figures; a broken rule is added to chk. */
static void evaluate(const struct rule *r, const struct figures *x, const char *unit,
                     const char *period, struct values_checks *chk)
{
    struct fvalue in[2 * FORMULA_REFS_MAX];
    for (size_t i = 0; i < r->nrefs; i++) {
        in[i] = (struct fvalue){0, true};
        for (size_t k = 0; k < x->n; k++)
            if (strcmp(x->f[k].element, r->refs[i]) == 0) in[i] = (struct fvalue){x->f[k].v, false};
    }
    struct rule_outcome out;
    rule_eval(r, in, &out);
    if (out.holds) return;
    if (r->def.severity == RULE_ERROR)
        chk->errors++;
    else
        chk->warnings++;
    if (chk->n == CHECKS_REPORT_MAX) return; /* counted, not listed */
    struct arena *a = chk->a;
    chk->violations =
        arena_grow(a, chk->violations, sizeof *chk->violations, chk->n, chk->n + 1, &chk->cap);
    const char **elements = arena_alloc(a, (r->nrefs ? r->nrefs : 1) * sizeof *elements);
    for (size_t i = 0; i < r->nrefs; i++)
        elements[i] = arena_strdup(a, r->refs[i]);
    chk->violations[chk->n++] = (struct rule_violation){
        .rule = arena_strdup(a, r->def.code),
        .message = arena_strdup(a, r->def.message),
        .op = r->def.op,
        .severity = r->def.severity,
        .left_formula = arena_strdup(a, r->def.left),
        .right_formula = arena_strdup(a, r->def.right),
        .unit = arena_strdup(a, unit),
        .period = arena_strdup(a, period),
        .left = out.left,
        .right = out.right,
        .elements = elements,
        .nelements = r->nrefs,
    };
}

/* ---- on a write ---- */

static int by_unit_period(const void *x, const void *y)
{
    const struct value_in *a = *(const struct value_in *const *)x,
                          *b = *(const struct value_in *const *)y;
    int c = strcmp(a->unit, b->unit);
    return c ? c : strcmp(a->period, b->period);
}

/* The end of the group (same unit and period) that starts at i. */
static size_t group_end(const struct value_in **order, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && by_unit_period(&order[i], &order[j]) == 0)
        j++;
    return j;
}

/* Does a changed item of the group order[i..j) write an element r reads? */
static bool touches(const struct rule *r, const struct value_in **order, const bool *changed,
                    const struct value_in *items, size_t i, size_t j)
{
    for (size_t k = i; k < j; k++)
        if ((!changed || changed[order[k] - items]) && rule_uses(r, order[k]->element)) return true;
    return false;
}

/* "1000", "0.25": a figure in a message. */
static const char *figure_text(struct arena *a, struct fvalue v)
{
    return v.missing ? "空" : arena_printf(a, "%.10g", v.v);
}

static const char *unit_name(struct arena *a, const struct tree *t, const char *unit)
{
    uint32_t i = tree_find(t, unit, strlen(unit));
    return i == TREE_NONE ? unit : arena_strdup(a, tree_name(t, i));
}

/* The sentence for a broken rule: "郝庄村 2026：message（1000 <= 900 不成立）". */
static const char *violation_text(struct arena *a, const struct tree *t,
                                  const struct rule_violation *v)
{
    return arena_printf(a, "%s %s：%s（%s %s %s 不成立）", unit_name(a, t, v->unit), v->period,
                        v->message, figure_text(a, v->left), rule_op_name(v->op),
                        figure_text(a, v->right));
}

/* The first violation of the severity. */
static const struct rule_violation *first_of(const struct values_checks *chk, int severity)
{
    for (size_t i = 0; i < chk->n; i++)
        if (chk->violations[i].severity == severity) return &chk->violations[i];
    return NULL;
}

static int verdict(struct app *app, const struct values_checks *chk, struct err *err)
{
    if (!chk->errors && (!chk->warnings || chk->confirm)) return ERR_OK;
    struct arena *a = chk->a;
    struct tree *t = app_tree(app);
    int rc;
    if (chk->errors) {
        const char *what = violation_text(a, t, first_of(chk, RULE_ERROR));
        rc = chk->errors == 1 ? err_set_field(err, ERR_INVALID, "rules", "违反校验规则：%s", what)
                              : err_set_field(err, ERR_INVALID, "rules",
                                              "有 %zu 处违反校验规则，如 %s", chk->errors, what);
    } else {
        rc = err_set_field(err, ERR_CONFLICT, "confirm", "有 %zu 处校验警告，请核实后确认保存：%s",
                           chk->warnings, violation_text(a, t, first_of(chk, RULE_WARNING)));
    }
    tree_unref(t);
    return rc;
}

int checks_written(struct app *app, struct db *db, const struct rule_set *rules,
                   const struct value_in *items, size_t n, const bool *changed,
                   struct values_checks *chk, struct err *err)
{
    const struct value_in **order = xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = &items[i];
    qsort(order, n, sizeof *order, by_unit_period);
    int rc = ERR_OK;
    for (size_t i = 0; i < n && !rc; i = group_end(order, n, i))
        rc = approvals_check_open(app, db, order[i]->unit, order[i]->period, err);
    struct figures x = {0};
    for (size_t i = 0, j; i < n && !rc; i = j) {
        j = group_end(order, n, i);
        struct period p;
        if ((rc = period_parse(order[i]->period, &p, err))) break;
        bool read = false;
        for (size_t k = 0; k < rules->n && !rc; k++) {
            const struct rule *r = rules->rules[k];
            if (r->def.period_type != p.type || !touches(r, order, changed, items, i, j)) continue;
            if (!read) {
                x.n = 0;
                rc = store_values_of(db, order[i]->unit, order[i]->period, keep_figure, &x, err);
                read = true;
            }
            if (!rc) evaluate(r, &x, order[i]->unit, order[i]->period, chk);
        }
    }
    free(x.f);
    free(order);
    return rc ? rc : verdict(app, chk, err);
}

/* ---- the report ---- */

struct report {
    struct rule *const *rules; /* of the period's type */
    size_t nrules;
    const char *period;
    char unit[64]; /* whose figures are gathered */
    struct figures x;
    struct values_checks chk;
    size_t units;
};

static void report_unit(struct report *r)
{
    if (!r->unit[0]) return;
    r->units++;
    for (size_t k = 0; k < r->nrules; k++)
        evaluate(r->rules[k], &r->x, r->unit, r->period, &r->chk);
    r->x.n = 0;
}

static int report_value(void *ctx, const char *unit, const char *element, double v)
{
    struct report *r = ctx;
    if (strcmp(unit, r->unit) != 0) {
        report_unit(r);
        snprintf(r->unit, sizeof r->unit, "%s", unit);
    }
    return keep_figure(&r->x, element, v);
}

int checks_report(struct app *app, struct arena *a, const char *scope, const char *period,
                  struct checks_report *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    struct period p;
    int rc = period_parse(period ? period : "", &p, err);
    if (rc) return rc;
    char text[PERIOD_TEXT_MAX];
    period_format(&p, text);
    struct rule_set set;
    if ((rc = rules_load(app, &set, err))) return rc;
    struct rule **mine = xcalloc(set.n + 1, sizeof *mine);
    struct report r = {.rules = mine, .period = text, .chk = {.a = a}};
    for (size_t k = 0; k < set.n; k++)
        if (set.rules[k]->def.period_type == p.type) mine[r.nrules++] = set.rules[k];
    if (r.nrules) {
        struct db *db = store_acquire(app->store);
        rc = store_values_at(db, scope, text, report_value, &r, err);
        store_release(app->store, db);
        if (!rc) report_unit(&r);
    }
    *out = (struct checks_report){.rules = r.nrules,
                                  .units = r.units,
                                  .errors = r.chk.errors,
                                  .warnings = r.chk.warnings,
                                  .items = r.chk.violations,
                                  .n = r.chk.n};
    free(r.x.f);
    free(mine);
    rules_free(&set);
    return rc;
}
