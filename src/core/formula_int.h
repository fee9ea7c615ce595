/*
 * formula_int.h — what formula_parse.c (source → bytecode) and
 * formula_eval.c (bytecode → value, bytecode → canonical text) share.
 * Not for use outside src/core/formula_*.c.
 *
 * The bytecode is a flat array of instructions in postfix order for a stack
 * machine: operands are pushed, operators pop theirs and push one result.
 * There are no jumps (both sides of and/or/if are evaluated; nothing has
 * side effects), so every program runs in exactly ncode steps. Inside the
 * machine a missing value is a NaN, which ordinary arithmetic propagates.
 */
#ifndef JICENG_FORMULA_INT_H
#define JICENG_FORMULA_INT_H

#include <stdint.h>

#include "core/formula.h"

enum formula_opcode {
    FOP_CONST, /* push consts[arg] */
    FOP_REF,   /* push refs[arg] */
    FOP_NEG,
    FOP_NOT,
    FOP_OR,
    FOP_AND,
    FOP_EQ,
    FOP_NE,
    FOP_LT,
    FOP_LE,
    FOP_GT,
    FOP_GE,
    FOP_ADD,
    FOP_SUB,
    FOP_MUL,
    FOP_DIV,
    FOP_IF,       /* pops cond, then, else */
    FOP_MIN,      /* pops arg values */
    FOP_MAX,      /* pops arg values */
    FOP_ABS,      /* pops 1 */
    FOP_ISNULL,   /* pops 1 */
    FOP_COALESCE, /* pops arg values */
    FOP_ROUND,    /* pops 1; arg = decimal places 0–10 */
    FOP_COUNT
};

/* How an operation is written, which formula_format needs. */
enum formula_shape {
    FSHAPE_ATOM,   /* a constant or reference */
    FSHAPE_PREFIX, /* "-x", "not x" */
    FSHAPE_BINARY, /* "a + b" */
    FSHAPE_CALL,   /* "min(a, b)" */
};

/* Precedence, low to high; comparisons do not associate, the rest of the
 * binary operators associate to the left. */
enum formula_prec {
    FPREC_OR = 1,
    FPREC_AND,
    FPREC_NOT,
    FPREC_CMP,
    FPREC_ADD,
    FPREC_MUL,
    FPREC_UNARY,
    FPREC_ATOM,
};

struct formula_op {
    const char *text; /* canonical spelling: "+", "and", "min" */
    int shape;        /* enum formula_shape */
    int prec;         /* enum formula_prec */
    bool boolean;     /* yields only 1, 0 or missing */
};

extern const struct formula_op formula_ops[FOP_COUNT];

struct formula_insn {
    uint8_t op;   /* enum formula_opcode */
    uint32_t arg; /* constant or reference index, argument count, or places */
};

struct formula {
    struct formula_insn *code;
    size_t ncode;
    double *consts;
    size_t nconsts;
    char (*refs)[FORMULA_CODE_MAX + 1];
    size_t nrefs;
    size_t max_stack; /* the deepest the value stack gets, computed at compile time */
};

/* Values popped by the instruction (pushes are always 1). */
size_t formula_insn_pops(const struct formula_insn *in);

#endif
