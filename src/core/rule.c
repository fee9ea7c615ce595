/* rule.c — validation rules (rule.h). */
#include "core/rule.h"
#include "core/element.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[RULE_OPS] = {"<=", "<", ">=", ">", "==", "!="};
static const char *const severity_names[RULE_SEVERITIES] = {"error", "warning"};
static const char *const severity_labels[RULE_SEVERITIES] = {"错误", "警告"};

static int find(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

int rule_op_parse(const char *s)
{
    return find(op_names, RULE_OPS, s);
}

const char *rule_op_name(int op)
{
    return op >= 0 && op < RULE_OPS ? op_names[op] : "?";
}

int rule_severity_parse(const char *s)
{
    return find(severity_names, RULE_SEVERITIES, s);
}

const char *rule_severity_name(int severity)
{
    return severity >= 0 && severity < RULE_SEVERITIES ? severity_names[severity] : "?";
}

const char *rule_severity_label(int severity)
{
    return severity >= 0 && severity < RULE_SEVERITIES ? severity_labels[severity] : "?";
}

/* Compiles one side, naming it in err->field. */
static int compile_side(const char *src, const char *field, struct formula **out, struct err *err)
{
    *out = NULL;
    if (!src || !src[0])
        return err_set_field(err, ERR_INVALID, field, "请填写%s公式 %s",
                             strcmp(field, "left") == 0 ? "左边的" : "右边的", field);
    int rc = formula_compile(src, strlen(src), out, err);
    if (rc) {
        snprintf(err->field, sizeof err->field, "%s", field);
        err_wrap(err, "%s", strcmp(field, "left") == 0 ? "左边的公式" : "右边的公式");
    }
    return rc;
}

/* The index of code in r->refs, adding it when new. */
static size_t ref_index(struct rule *r, const char *code)
{
    for (size_t i = 0; i < r->nrefs; i++)
        if (strcmp(r->refs[i], code) == 0) return i;
    r->refs[r->nrefs] = code;
    return r->nrefs++;
}

int rule_compile(const struct rule_def *d, struct rule **out, struct err *err)
{
    *out = NULL;
    int rc = element_code_check(d->code ? d->code : "", err);
    if (rc) return rc;
    if (!d->message || !d->message[0] || strlen(d->message) > RULE_MESSAGE_MAX)
        return err_set_field(err, ERR_INVALID, "message",
                             "请填写规则被违反时的提示 message（不超过 %d 字节）",
                             RULE_MESSAGE_MAX);
    if (d->op < 0 || d->op >= RULE_OPS)
        return err_set_field(err, ERR_INVALID, "operator", "operator 须为 <=, <, >=, >, == 或 !=");
    if (d->severity < 0 || d->severity >= RULE_SEVERITIES)
        return err_set_field(err, ERR_INVALID, "severity", "severity 须为 error 或 warning");
    struct rule *r = xcalloc(1, sizeof *r);
    if ((rc = compile_side(d->left, "left", &r->left, err)) ||
        (rc = compile_side(d->right, "right", &r->right, err))) {
        rule_free(r);
        return rc;
    }
    r->def = *d;
    r->def.code = xstrdup(d->code);
    r->def.message = xstrdup(d->message);
    r->def.left = xstrdup(d->left);
    r->def.right = xstrdup(d->right);
    r->def.description = xstrdup(d->description ? d->description : "");
    size_t nl = formula_nrefs(r->left), nr = formula_nrefs(r->right);
    r->refs = xcalloc(nl + nr + 1, sizeof *r->refs);
    r->left_map = xcalloc(nl + 1, sizeof *r->left_map);
    r->right_map = xcalloc(nr + 1, sizeof *r->right_map);
    for (size_t i = 0; i < nl; i++)
        r->left_map[i] = ref_index(r, formula_ref(r->left, i));
    for (size_t i = 0; i < nr; i++)
        r->right_map[i] = ref_index(r, formula_ref(r->right, i));
    *out = r;
    return ERR_OK;
}

void rule_free(struct rule *r)
{
    if (!r) return;
    formula_free(r->left);
    formula_free(r->right);
    free((char *)r->def.code);
    free((char *)r->def.message);
    free((char *)r->def.left);
    free((char *)r->def.right);
    free((char *)r->def.description);
    free(r->refs);
    free(r->left_map);
    free(r->right_map);
    free(r);
}

bool rule_uses(const struct rule *r, const char *code)
{
    for (size_t i = 0; i < r->nrefs; i++)
        if (strcmp(r->refs[i], code) == 0) return true;
    return false;
}

/* One side's value, its references gathered from values by map. */
static struct fvalue side(const struct formula *f, const size_t *map, const struct fvalue *values)
{
    struct fvalue in[FORMULA_REFS_MAX];
    size_t n = formula_nrefs(f);
    for (size_t i = 0; i < n; i++)
        in[i] = values[map[i]];
    return formula_eval(f, n ? in : NULL);
}

static double rounded(double x)
{
    return round(x * 1e6) / 1e6;
}

void rule_eval(const struct rule *r, const struct fvalue *values, struct rule_outcome *out)
{
    out->left = side(r->left, r->left_map, values);
    out->right = side(r->right, r->right_map, values);
    out->skipped = out->left.missing || out->right.missing;
    out->holds = true;
    if (out->skipped) return;
    double a = rounded(out->left.v), b = rounded(out->right.v);
    switch (r->def.op) {
    case RULE_LE:
        out->holds = a <= b;
        break;
    case RULE_LT:
        out->holds = a < b;
        break;
    case RULE_GE:
        out->holds = a >= b;
        break;
    case RULE_GT:
        out->holds = a > b;
        break;
    case RULE_EQ:
        out->holds = a == b;
        break;
    default:
        out->holds = a != b;
        break;
    }
}
