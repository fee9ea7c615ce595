/*
 * formula.h — the indicator formula language (engine 6 of DESIGN.md).
 *
 * Offices define indicators over data elements, e.g.
 *
 *     #{toilet.sanitary} / #{households} * 100 >= 90
 *
 * A formula is compiled once into straight-line bytecode for a small stack
 * machine and then evaluated per unit and period without recursion and
 * without allocation (except for pathologically wide formulas). Values are
 * doubles, booleans are 1/0, and a missing value is explicit: arithmetic and
 * comparisons with a missing operand give missing, `and`/`or` use
 * three-valued logic, division by zero and non-finite results give missing.
 * The full grammar and rules are in docs/architecture.md, "Formulas".
 *
 * Ownership: formula_compile hands the caller a formula it frees with
 * formula_free. A compiled formula is immutable, so one may be shared by any
 * number of threads evaluating it at once.
 */
#ifndef JICENG_FORMULA_H
#define JICENG_FORMULA_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define FORMULA_SRC_MAX   4096 /* bytes of source text */
#define FORMULA_DEPTH_MAX 64   /* nested parentheses, calls and prefix operators */
#define FORMULA_REFS_MAX  256  /* distinct #{…} references */
#define FORMULA_INSNS_MAX 4096 /* bytecode instructions */
#define FORMULA_CODE_MAX  64   /* characters of a data element code */

struct formula; /* compiled, immutable, shareable across threads */

/* A value: v is meaningful only when !missing (and is 0 when missing). */
struct fvalue {
    double v;
    bool missing;
};

/* Compiles src[0..len) (UTF-8). On success *out owns the new formula; on
 * failure *out is NULL and ERR_INVALID is returned with a Chinese message,
 * err->where "formula", line 1 and err->column the 1-based character (code
 * point) column of the offending token (0 when the whole text is at fault,
 * as for an over-long formula). */
int formula_compile(const char *src, size_t len, struct formula **out, struct err *err);
/* Frees f; formula_free(NULL) is a no-op. */
void formula_free(struct formula *f);

/* The distinct data element codes referenced, in order of first
 * appearance; formula_ref(f, i) is NUL-terminated and lives as long as f. */
size_t formula_nrefs(const struct formula *f);
const char *formula_ref(const struct formula *f, size_t i);

/* True if the top-level operation is a comparison, and, or, not or isnull:
 * a yes/no formula whose value is always 1, 0 or missing. */
bool formula_is_boolean(const struct formula *f);

/* Evaluates f with refs[i] the value of formula_ref(f, i) (refs may be NULL
 * when formula_nrefs(f) is 0). A non-finite input value counts as missing. */
struct fvalue formula_eval(const struct formula *f, const struct fvalue *refs);

/* Appends a canonical text of f to out: single spaces around binary
 * operators, lower-case keywords and function names, ASCII operators
 * (`=`, `!=`, `*`, `/`), the fewest parentheses, numbers in their shortest
 * exact form. Compiling the text gives a formula that evaluates the same. */
void formula_format(const struct formula *f, struct buf *out);

#endif
