/*
 * checks.h — checked data (DHIS2's validation rules and data approval):
 *
 * Validation rules (core/rule.h) are definitions like indicators: in the
 * definitions file ({"rules": […]}, data/definitions.json) or created over
 * the API, stored in validation_rules. Every element a rule reads must
 * exist and all must share one period type, the rule's. When values are
 * written (data_values_write_checked), the rules reading a written element
 * are evaluated at each written unit and period on the figures as they
 * would be after the write: a broken error-severity rule refuses the whole
 * write; broken warnings refuse it too unless the person confirmed them.
 * The validation report evaluates every rule of a period's type at every
 * unit of a subtree that has values for it.
 *
 * Approval (审核): a unit above approves the figures of a unit's subtree
 * for one period; every value there is locked (writes refused, naming who
 * approved when) until the approval is withdrawn. An approval above covers
 * those below it: an approved unit cannot be approved again, nor withdrawn,
 * while a unit above it is approved. A subtree with broken error rules
 * cannot be approved.
 */
#ifndef JICENG_CHECKS_H
#define JICENG_CHECKS_H

#include "app/data.h"
#include "core/rule.h"

struct db;
struct json_t;

#define CHECKS_APPROVE_PERM "data:approve" /* declared in data/roles.json */
#define CHECKS_REPORT_MAX   1000           /* violations a report lists */

/* ---- rules (rules.c) ---- */

/* Every rule, compiled; rules_free releases them. */
struct rule_set {
    struct rule **rules;
    size_t n;
};
int rules_load(struct app *app, struct rule_set *out, struct err *err);
void rules_free(struct rule_set *set);

/* Checks a rule to create against the elements find(ctx, code) knows:
 * both sides compile, every element exists, all share one period type;
 * d->period_type, when -1, becomes theirs, else must equal it. */
int rules_check_def(struct rule_def *d, const struct element *(*find)(void *ctx, const char *code),
                    void *ctx, struct err *err);
/* Creates a rule (checked against the catalogue; audited). */
int rules_create(struct app *app, const struct auth_user *actor, struct rule_def *d,
                 const char *client, struct err *err);
/* The rule definitions by code, strings in a. */
int rules_list(struct app *app, struct arena *a, struct rule_def **out, size_t *n, struct err *err);
/* A rule from a JSON object (request body, definitions file):
 * {"code","message","left","operator","right","severity","period_type",
 * "description"}; severity defaults to "error", period_type to -1. */
int definitions_read_rule(struct arena *a, struct json_t *o, struct rule_def *d, struct err *err);

/* ---- checking values (checks.c) ---- */

/* A rule broken at one unit and period. */
struct rule_violation {
    const char *rule, *message; /* the rule's code and message */
    int op, severity;
    const char *left_formula, *right_formula;
    const char *unit, *period;
    struct fvalue left, right;
    const char **elements; /* the elements the rule reads (for the cells of a grid) */
    size_t nelements;
};

/* What a write's checks were told and found. */
struct values_checks {
    bool confirm;    /* the person confirmed the warnings */
    struct arena *a; /* where the violations are kept */
    struct rule_violation *violations;
    size_t n, cap, errors, warnings;
};

/* Inside the write transaction of data_values_write_checked, after the
 * items were written: refuses (ERR_CONFLICT) a write into an approved unit
 * and period, then evaluates the rules reading an element whose value
 * changed (changed[i] for items[i]; NULL: all) at each written unit and
 * period. Broken errors: ERR_INVALID (field "rules"); broken warnings not
 * confirmed: ERR_CONFLICT (field "confirm"); the violations in chk either
 * way. */
int checks_written(struct app *app, struct db *db, const struct rule_set *rules,
                   const struct value_in *items, size_t n, const bool *changed,
                   struct values_checks *chk, struct err *err);

/* The validation report of a subtree for one period. */
struct checks_report {
    size_t rules;  /* rules of the period's type */
    size_t units;  /* units with values for the period */
    size_t errors; /* broken error rules */
    size_t warnings;
    struct rule_violation *items; /* at most CHECKS_REPORT_MAX, by unit */
    size_t n;
};
int checks_report(struct app *app, struct arena *a, const char *scope, const char *period,
                  struct checks_report *out, struct err *err);

/* ---- approvals (approvals.c) ---- */

struct approval {
    const char *unit, *period, *approved_by, *approver_name, *approved_at;
};
/* Approves the figures of unit's subtree for period; *out (strings in a)
 * is the new approval. The actor's scope must lie above unit. */
int approvals_approve(struct app *app, const struct auth_user *actor, const char *unit,
                      const char *period, const char *client, struct arena *a, struct approval *out,
                      struct err *err);
/* Withdraws the approval of unit for period. */
int approvals_withdraw(struct app *app, const struct auth_user *actor, const char *unit,
                       const char *period, const char *client, struct err *err);
/* The approvals that concern the figures inside unit for period: those on
 * unit and above it, then those inside it, by unit (strings in a). */
int approvals_list(struct app *app, struct arena *a, const char *unit, const char *period,
                   struct approval **out, size_t *n, struct err *err);
/* ERR_CONFLICT, naming who approved when, when the figures of unit for
 * period are approved (inside a transaction on db). */
int approvals_check_open(struct app *app, struct db *db, const char *unit, const char *period,
                         struct err *err);

#endif
