/*
 * rule.h — validation rules (DHIS2's idea): a comparison between two
 * formulas over data elements that entered figures must satisfy, e.g.
 *
 *     #{doctor.contracts} <= #{population}     家庭医生签约人数不能多于常住人口
 *
 * A rule compares its left and right formulas (core/formula.h) for one
 * unit and one period. Both sides are rounded to 6 decimals first, so that
 * `#{a} <= #{b} * 0.2` is not broken by binary fractions. When either side
 * is missing (a value not entered, a division by zero) the rule is skipped:
 * it neither holds nor fails; a rule that should treat a missing value as
 * 0 says so with coalesce(). An error-severity rule refuses a write that
 * breaks it; a warning asks the person to confirm.
 *
 * Ownership: rule_compile hands the caller a rule (its texts copied, its
 * formulas compiled) that it frees with rule_free. A compiled rule is
 * immutable: any number of threads may evaluate it at once.
 */
#ifndef JICENG_RULE_H
#define JICENG_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "core/formula.h"

#define RULE_MESSAGE_MAX 200 /* bytes of a rule's message */

enum rule_op { RULE_LE, RULE_LT, RULE_GE, RULE_GT, RULE_EQ, RULE_NE, RULE_OPS };
enum rule_severity { RULE_ERROR, RULE_WARNING, RULE_SEVERITIES };

/* A rule as written (strings owned by the caller). */
struct rule_def {
    const char *code;         /* like an element code: [A-Za-z0-9_.-], 1–64 */
    const char *message;      /* what a person reads when it is broken (Chinese) */
    const char *left, *right; /* formulas */
    int op;                   /* enum rule_op */
    int severity;             /* enum rule_severity */
    int period_type;          /* enum period_type; -1: that of its elements */
    const char *description;  /* "" none */
};

struct rule {
    struct rule_def def; /* strings owned by the rule */
    struct formula *left, *right;
    const char **refs; /* the distinct elements of both sides, left's first */
    size_t nrefs;
    size_t *left_map, *right_map; /* a side's i-th reference → index into refs */
};

/* What one evaluation gave. */
struct rule_outcome {
    struct fvalue left, right;
    bool skipped; /* a side is missing */
    bool holds;   /* left op right (true when skipped) */
};

/* "<=", "<", ">=", ">", "==", "!=" ↔ enum rule_op; -1 if unknown. */
int rule_op_parse(const char *s);
const char *rule_op_name(int op);
/* "error", "warning" ↔ enum rule_severity; -1 if unknown. */
int rule_severity_parse(const char *s);
const char *rule_severity_name(int severity);
const char *rule_severity_label(int severity); /* 错误, 警告 */

/* Checks the definition (code, message, operator, severity) and compiles
 * both sides; ERR_INVALID with err->field "code", "message", "left",
 * "right", "operator" or "severity" (a formula's error keeps its column).
 * On success *out is the caller's; on failure it is NULL. */
int rule_compile(const struct rule_def *d, struct rule **out, struct err *err);
/* rule_free(NULL) is a no-op. */
void rule_free(struct rule *r);
/* Whether the rule reads element `code`. */
bool rule_uses(const struct rule *r, const char *code);
/* Evaluates with values[i] the value of r->refs[i]. */
void rule_eval(const struct rule *r, const struct fvalue *values, struct rule_outcome *out);

#endif
