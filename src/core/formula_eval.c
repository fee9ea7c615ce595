/*
 * formula_eval.c — running compiled formulas and writing them back as
 * canonical text (formula.h, formula_int.h).
 *
 * The evaluator is one loop over the instructions with a value stack whose
 * size the compiler computed; it keeps a missing value as a NaN, so plain
 * IEEE arithmetic propagates it, and turns every non-finite arithmetic
 * result (overflow to ±inf, 0/0) into missing as well. Only the logical
 * operators, the comparisons and isnull/coalesce look at missingness
 * explicitly. Nothing here recurses or writes to the formula, so any number
 * of threads may evaluate one formula at once.
 */
#include "core/formula_int.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

const struct formula_op formula_ops[FOP_COUNT] = {
    [FOP_CONST] = {"", FSHAPE_ATOM, FPREC_ATOM, false},
    [FOP_REF] = {"", FSHAPE_ATOM, FPREC_ATOM, false},
    [FOP_NEG] = {"-", FSHAPE_PREFIX, FPREC_UNARY, false},
    [FOP_NOT] = {"not ", FSHAPE_PREFIX, FPREC_NOT, true},
    [FOP_OR] = {"or", FSHAPE_BINARY, FPREC_OR, true},
    [FOP_AND] = {"and", FSHAPE_BINARY, FPREC_AND, true},
    [FOP_EQ] = {"=", FSHAPE_BINARY, FPREC_CMP, true},
    [FOP_NE] = {"!=", FSHAPE_BINARY, FPREC_CMP, true},
    [FOP_LT] = {"<", FSHAPE_BINARY, FPREC_CMP, true},
    [FOP_LE] = {"<=", FSHAPE_BINARY, FPREC_CMP, true},
    [FOP_GT] = {">", FSHAPE_BINARY, FPREC_CMP, true},
    [FOP_GE] = {">=", FSHAPE_BINARY, FPREC_CMP, true},
    [FOP_ADD] = {"+", FSHAPE_BINARY, FPREC_ADD, false},
    [FOP_SUB] = {"-", FSHAPE_BINARY, FPREC_ADD, false},
    [FOP_MUL] = {"*", FSHAPE_BINARY, FPREC_MUL, false},
    [FOP_DIV] = {"/", FSHAPE_BINARY, FPREC_MUL, false},
    [FOP_IF] = {"if", FSHAPE_CALL, FPREC_ATOM, false},
    [FOP_MIN] = {"min", FSHAPE_CALL, FPREC_ATOM, false},
    [FOP_MAX] = {"max", FSHAPE_CALL, FPREC_ATOM, false},
    [FOP_ABS] = {"abs", FSHAPE_CALL, FPREC_ATOM, false},
    [FOP_ISNULL] = {"isnull", FSHAPE_CALL, FPREC_ATOM, true},
    [FOP_COALESCE] = {"coalesce", FSHAPE_CALL, FPREC_ATOM, false},
    [FOP_ROUND] = {"round", FSHAPE_CALL, FPREC_ATOM, false},
};

size_t formula_insn_pops(const struct formula_insn *in)
{
    switch (formula_ops[in->op].shape) {
    case FSHAPE_ATOM:
        return 0;
    case FSHAPE_PREFIX:
        return 1;
    case FSHAPE_BINARY:
        return 2;
    default:
        return in->op == FOP_ROUND ? 1 : in->arg;
    }
}

void formula_free(struct formula *f)
{
    if (!f) return;
    free(f->code);
    free(f->consts);
    free(f->refs);
    free(f);
}

size_t formula_nrefs(const struct formula *f)
{
    return f->nrefs;
}

const char *formula_ref(const struct formula *f, size_t i)
{
    return i < f->nrefs ? f->refs[i] : NULL;
}

bool formula_is_boolean(const struct formula *f)
{
    assert(f->ncode > 0);
    return formula_ops[f->code[f->ncode - 1].op].boolean;
}

/* ---- evaluation; NaN is missing ---- */

static double finite_or_missing(double x)
{
    return isfinite(x) ? x : NAN;
}

static double from_bool(bool b)
{
    return b ? 1.0 : 0.0;
}

static double unary(int op, double x)
{
    if (op == FOP_NEG) return -x;
    assert(op == FOP_NOT);
    return isnan(x) ? NAN : from_bool(x == 0);
}

static double binary(int op, double a, double b)
{
    bool na = isnan(a), nb = isnan(b);
    switch (op) {
    case FOP_OR: /* three-valued: true wins over missing */
        if ((!na && a != 0) || (!nb && b != 0)) return 1;
        return na || nb ? NAN : 0;
    case FOP_AND: /* three-valued: false wins over missing */
        if ((!na && a == 0) || (!nb && b == 0)) return 0;
        return na || nb ? NAN : 1;
    default:
        break;
    }
    if (na || nb) return NAN;
    switch (op) {
    case FOP_EQ:
        return from_bool(a == b);
    case FOP_NE:
        return from_bool(a != b);
    case FOP_LT:
        return from_bool(a < b);
    case FOP_LE:
        return from_bool(a <= b);
    case FOP_GT:
        return from_bool(a > b);
    case FOP_GE:
        return from_bool(a >= b);
    case FOP_ADD:
        return finite_or_missing(a + b);
    case FOP_SUB:
        return finite_or_missing(a - b);
    case FOP_MUL:
        return finite_or_missing(a * b);
    case FOP_DIV:
        return b == 0 ? NAN : finite_or_missing(a / b);
    default:
        assert(!"not a binary operator");
        return NAN;
    }
}

/* Rounds half away from zero at `places` decimals, on the value's 15
 * significant digits (as spreadsheets do), so that round(2.675, 2) is 2.68
 * although the double nearest 2.675 lies just below it. */
static double round_places(double x, uint32_t places)
{
    static const double scale[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};
    assert(places < sizeof scale / sizeof scale[0]);
    double y = x * scale[places];
    if (!(fabs(y) < 1e15)) return x; /* already whole at this precision, or missing */
    char text[32];
    snprintf(text, sizeof text, "%.15g", y);
    return round(strtod(text, NULL)) / scale[places];
}

/* A function over the n values at v. */
static double call(int op, const double *v, size_t n, uint32_t arg)
{
    assert(n >= 1 && (op != FOP_IF || n == 3)); /* step() checked the counts */
    double r = v[0];
    switch (op) {
    case FOP_IF:
        return isnan(v[0]) ? NAN : v[0] != 0 ? v[1] : v[2];
    case FOP_MIN:
    case FOP_MAX:
        for (size_t i = 1; i < n && !isnan(r); i++)
            if (isnan(v[i]) || (op == FOP_MIN ? v[i] < r : v[i] > r)) r = v[i];
        return r;
    case FOP_ABS:
        return fabs(r);
    case FOP_ISNULL:
        return from_bool(isnan(r));
    case FOP_COALESCE:
        for (size_t i = 1; i < n && isnan(r); i++)
            r = v[i];
        return r;
    case FOP_ROUND:
        return round_places(r, arg);
    default:
        assert(!"not a function");
        return NAN;
    }
}

/* Runs one instruction on the stack st of *sp values. The compiler
 * guarantees that each finds its operands and stays within max_stack;
 * checking anyway costs a compare or two and keeps a damaged program from
 * touching memory outside the stack. False if the program is broken. */
static bool step(const struct formula *f, const struct formula_insn *in, const struct fvalue *refs,
                 double *st, size_t *sp)
{
    size_t n = *sp;
    switch (formula_ops[in->op].shape) {
    case FSHAPE_ATOM:
        if (n >= f->max_stack) return false;
        if (in->op == FOP_CONST)
            st[n] = f->consts[in->arg];
        else
            st[n] = refs[in->arg].missing ? NAN : finite_or_missing(refs[in->arg].v);
        *sp = n + 1;
        return true;
    case FSHAPE_PREFIX:
        if (n < 1) return false;
        st[n - 1] = unary(in->op, st[n - 1]);
        return true;
    case FSHAPE_BINARY:
        if (n < 2) return false;
        st[n - 2] = binary(in->op, st[n - 2], st[n - 1]);
        *sp = n - 1;
        return true;
    default: {
        size_t args = in->op == FOP_ROUND ? 1 : in->arg;
        if (args < 1 || args > n || (in->op == FOP_IF && args != 3)) return false;
        st[n - args] = call(in->op, st + n - args, args, in->arg);
        *sp = n - args + 1;
        return true;
    }
    }
}

#define EVAL_LOCAL_STACK 128 /* values; deeper formulas use the heap */

struct fvalue formula_eval(const struct formula *f, const struct fvalue *refs)
{
    double local[EVAL_LOCAL_STACK];
    double *st = f->max_stack <= EVAL_LOCAL_STACK ? local : xmalloc(f->max_stack * sizeof *st);
    size_t sp = 0;
    for (size_t i = 0; i < f->ncode; i++)
        if (!step(f, &f->code[i], refs, st, &sp)) {
            assert(!"the program breaks its stack discipline");
            sp = 0;
            break;
        }
    assert(sp == 1);
    double v = sp == 1 ? st[0] : NAN;
    if (st != local) free(st);
    if (!isfinite(v)) return (struct fvalue){0, true};
    return (struct fvalue){v == 0 ? 0 : v, false}; /* no -0 */
}

/* ---- canonical text ---- */

/* The shortest text that reads back as exactly v (v is finite, >= 0);
 * whole numbers below 1e15 without an exponent. */
static void put_number(struct buf *b, double v)
{
    if (v < 1e15 && v == floor(v)) {
        buf_printf(b, "%.0f", v);
        return;
    }
    char text[40];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (strtod(text, NULL) == v) break;
    }
    buf_puts(b, text);
}

struct fragment {
    struct buf text;
    int prec;
};

static void put_operand(struct buf *b, struct fragment *x, bool parens)
{
    if (parens) buf_putc(b, '(');
    buf_add(b, x->text.p, x->text.len);
    if (parens) buf_putc(b, ')');
    buf_free(&x->text);
}

/* Rebuilds the text from the postfix code with a stack of fragments, each
 * remembering its precedence so that parentheses go only where needed. */
void formula_format(const struct formula *f, struct buf *out)
{
    struct fragment *st = xcalloc(f->max_stack, sizeof *st);
    size_t sp = 0;
    for (size_t i = 0; i < f->ncode; i++) {
        const struct formula_insn *in = &f->code[i];
        const struct formula_op *op = &formula_ops[in->op];
        size_t pops = formula_insn_pops(in);
        sp -= pops;
        struct fragment *x = &st[sp];
        struct fragment r = {BUF_INIT, op->prec};
        switch (op->shape) {
        case FSHAPE_ATOM:
            if (in->op == FOP_CONST)
                put_number(&r.text, f->consts[in->arg]);
            else
                buf_printf(&r.text, "#{%s}", f->refs[in->arg]);
            break;
        case FSHAPE_PREFIX:
            buf_puts(&r.text, op->text);
            put_operand(&r.text, &x[0], x[0].prec < op->prec);
            break;
        case FSHAPE_BINARY:
            put_operand(&r.text, &x[0],
                        x[0].prec < op->prec || (op->prec == FPREC_CMP && x[0].prec == op->prec));
            buf_printf(&r.text, " %s ", op->text);
            put_operand(&r.text, &x[1], x[1].prec <= op->prec);
            break;
        default:
            buf_printf(&r.text, "%s(", op->text);
            for (size_t k = 0; k < pops; k++) {
                if (k) buf_puts(&r.text, ", ");
                put_operand(&r.text, &x[k], false);
            }
            if (in->op == FOP_ROUND) buf_printf(&r.text, ", %u", (unsigned)in->arg);
            buf_putc(&r.text, ')');
            break;
        }
        st[sp++] = r;
    }
    assert(sp == 1);
    buf_add(out, st[0].text.p, st[0].text.len);
    buf_free(&st[0].text);
    free(st);
}
