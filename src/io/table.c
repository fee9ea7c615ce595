/* table.c — ledger files row by row (table.h). */
#include "io/table.h"
#include "io/csv.h"
#include "io/text.h"
#include "io/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void table_cell_trim(struct table_cell *c)
{
    while (c->len && (c->p[0] == ' ' || c->p[0] == '\t'))
        c->p++, c->len--;
    while (c->len &&
           (c->p[c->len - 1] == ' ' || c->p[c->len - 1] == '\t' || c->p[c->len - 1] == '\r'))
        c->len--;
}

struct adapter {
    table_row_fn fn;
    void *ctx;
    struct err *err;
};

static int xlsx_row(void *ctx, long row, const struct xlsx_cell *xc, int n)
{
    struct adapter *ad = ctx;
    struct table_cell cells[TABLE_COLS_MAX];
    if (n > TABLE_COLS_MAX)
        return err_set(ad->err, ERR_TOO_LARGE, "第 %ld 行超过 %d 列", row, TABLE_COLS_MAX);
    for (int i = 0; i < n; i++)
        cells[i] = (struct table_cell){xc[i].text, xc[i].len};
    return ad->fn(ad->ctx, row, cells, n);
}

int table_read(const char *data, size_t len, const char *name, table_row_fn fn, void *ctx,
               struct err *err)
{
    if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
        struct adapter ad = {fn, ctx, err};
        return xlsx_read_rows(data, len, name, xlsx_row, &ad, err);
    }
    char *text;
    size_t tlen;
    int charset, rc = text_decode(data, len, &text, &tlen, &charset, err);
    if (rc) {
        snprintf(err->where, sizeof err->where, "%s", name);
        return rc;
    }
    struct csv_reader r;
    struct csv_field f[TABLE_COLS_MAX];
    struct table_cell cells[TABLE_COLS_MAX];
    csv_init(&r, text, tlen, 4096);
    int nf;
    while (!rc && (nf = csv_next(&r, f, TABLE_COLS_MAX, err)) > 0) {
        for (int i = 0; i < nf; i++)
            cells[i] = (struct table_cell){f[i].p, f[i].len};
        rc = fn(ctx, r.line, cells, nf);
    }
    if (!rc && nf < 0) {
        rc = nf;
        snprintf(err->where, sizeof err->where, "%s", name);
    }
    free(text);
    return rc;
}
