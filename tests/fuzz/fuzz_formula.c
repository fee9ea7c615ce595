/* fuzz_formula.c — libFuzzer harness for the formula language
 * (core/formula_*.c). Arbitrary bytes are compiled; a failure must be
 * ERR_INVALID with a message and a column inside the text. A formula that
 * compiles is evaluated with a few value vectors (results must be finite or
 * missing, and 1/0/missing for a yes/no formula), then formatted and
 * recompiled: the canonical text must give the same references, the same
 * results and the same canonical text again. */
#include "core/formula.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { VECTORS = 4 };

/* all missing, all zero, all 1e308, and a mix */
static void fill(struct fvalue *refs, size_t n, int which)
{
    static const struct fvalue mix[] = {{1, false}, {0, true}, {-2.5, false}, {1e-300, false}};
    for (size_t i = 0; i < n; i++) {
        switch (which) {
        case 0:
            refs[i] = (struct fvalue){0, true};
            break;
        case 1:
            refs[i] = (struct fvalue){0, false};
            break;
        case 2:
            refs[i] = (struct fvalue){1e308, false};
            break;
        default:
            refs[i] = mix[i % 4];
            break;
        }
    }
}

static void evaluate(const struct formula *f, struct fvalue out[VECTORS])
{
    static struct fvalue refs[FORMULA_REFS_MAX];
    size_t n = formula_nrefs(f);
    if (n > FORMULA_REFS_MAX) abort();
    for (int k = 0; k < VECTORS; k++) {
        fill(refs, n, k);
        out[k] = formula_eval(f, refs);
        if (out[k].missing ? out[k].v != 0 : !isfinite(out[k].v)) abort();
        if (formula_is_boolean(f) && !out[k].missing && out[k].v != 0 && out[k].v != 1) abort();
    }
}

static void check_refs(const struct formula *f)
{
    size_t n = formula_nrefs(f);
    for (size_t i = 0; i < n; i++) {
        const char *code = formula_ref(f, i);
        size_t len = strlen(code);
        if (len < 1 || len > FORMULA_CODE_MAX) abort();
        for (size_t j = 0; j < i; j++)
            if (strcmp(code, formula_ref(f, j)) == 0) abort();
    }
    if (formula_ref(f, n) != NULL) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct formula *f = (struct formula *)&f, *g = NULL;
    struct err e;
    err_clear(&e);
    if (formula_compile((const char *)data, size, &f, &e) != ERR_OK) {
        if (f || e.kind != ERR_INVALID || !e.msg[0] || e.column < 0) abort();
        if (size <= FORMULA_SRC_MAX && (e.column < 1 || (size_t)e.column > size + 1)) abort();
        return 0;
    }
    check_refs(f);
    struct fvalue a[VECTORS], b[VECTORS];
    evaluate(f, a);

    struct buf text = BUF_INIT, again = BUF_INIT;
    formula_format(f, &text);
    if (formula_compile(text.p, text.len, &g, &e) != ERR_OK) {
        /* spacing may push the canonical text over the length limit; nothing else */
        if (text.len <= FORMULA_SRC_MAX) abort();
    } else {
        if (formula_nrefs(g) != formula_nrefs(f)) abort();
        for (size_t i = 0; i < formula_nrefs(f); i++)
            if (strcmp(formula_ref(f, i), formula_ref(g, i)) != 0) abort();
        if (formula_is_boolean(g) != formula_is_boolean(f)) abort();
        evaluate(g, b);
        for (int k = 0; k < VECTORS; k++)
            if (a[k].missing != b[k].missing || a[k].v != b[k].v) abort();
        formula_format(g, &again);
        if (again.len != text.len || memcmp(again.p, text.p, text.len) != 0) abort();
    }
    formula_free(g);
    formula_free(f);
    buf_free(&again);
    buf_free(&text);
    return 0;
}
