/* fuzz_xlsx.c — libFuzzer harness for the .xlsx reader (io/xlsx_read.c).
 *
 * An input that starts with "PK" is a whole file and is read as it is.
 * Anything else is split at its first NUL into a worksheet and a
 * shared-strings part, which the harness packs with fixed workbook parts
 * into a zip, so that the fuzzer spends its time in the XML handling rather
 * than rediscovering the zip format. On either path the reader may not
 * crash, overrun, leak or fail without an error kind, and every row it
 * reports must keep the promises of xlsx.h. */
#include "base/utf8.h"
#include "io/xlsx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    long last_row, rows, stop_after;
};

static int check_row(void *ctx, long row, const struct xlsx_cell *cells, int ncells)
{
    struct seen *s = ctx;
    if (row <= s->last_row || row > XLSX_MAX_ROWS) abort();
    if (ncells < 1 || ncells > XLSX_MAX_COLS || cells[ncells - 1].len == 0) abort();
    for (int i = 0; i < ncells; i++) {
        if (!cells[i].text || cells[i].text[cells[i].len] != '\0') abort();
        if (!utf8_valid(cells[i].text, cells[i].len, NULL)) abort();
        if (cells[i].is_number && cells[i].len == 0) abort();
    }
    s->last_row = row;
    return ++s->rows == s->stop_after ? ERR_CONFLICT : 0;
}

static const char ROOT_RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char WORKBOOK[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WB_RELS[] =
    "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"sheet.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sst.xml\"/></Relationships>";

/* Packs the two parts into a stored zip; returns NULL if libzip fails. */
static char *pack(const char *sheet, size_t sheet_len, const char *sst, size_t sst_len, size_t *len)
{
    const char *names[] = {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/sheet.xml", "xl/sst.xml"};
    const char *parts[] = {ROOT_RELS, WORKBOOK, WB_RELS, sheet, sst};
    size_t lens[] = {sizeof ROOT_RELS - 1, sizeof WORKBOOK - 1, sizeof WB_RELS - 1, sheet_len,
                     sst_len};
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
    char *out = NULL;
    if (!za) goto done;
    zip_source_keep(src);
    for (int i = 0; i < 5; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i], lens[i], 0);
        zip_int64_t idx = s ? zip_file_add(za, names[i], s, 0) : -1;
        if (idx < 0) {
            zip_source_free(s);
            zip_discard(za);
            goto done;
        }
        zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    if (zip_close(za) != 0) {
        zip_discard(za);
        goto done;
    }
    zip_int64_t n = -1;
    if (zip_source_open(src) == 0) {
        if (zip_source_seek(src, 0, SEEK_END) == 0) n = zip_source_tell(src);
        if (n > 0 && zip_source_seek(src, 0, SEEK_SET) == 0) {
            out = malloc((size_t)n);
            if (zip_source_read(src, out, (zip_uint64_t)n) != n) {
                free(out);
                out = NULL;
            }
        }
        zip_source_close(src);
    }
    *len = (size_t)n;
done:
    if (src) zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen seen = {0, 0, size % 7 == 0 ? 3 : 0};
    struct err e;
    err_clear(&e);
    const char *p = (const char *)data;
    char *zip = NULL;
    size_t len = size;
    if (size < 2 || memcmp(p, "PK", 2) != 0) {
        const char *nul = memchr(p, '\0', size);
        size_t sheet_len = nul ? (size_t)(nul - p) : size;
        const char *sst = nul ? nul + 1 : "<sst/>";
        size_t sst_len = nul ? size - sheet_len - 1 : 6;
        zip = pack(p, sheet_len, sst, sst_len, &len);
        if (!zip) return 0;
        p = zip;
    }
    int rc = xlsx_read_rows(p, len, "fuzz.xlsx", check_row, &seen, &e);
    if (rc == ERR_CONFLICT && seen.rows != seen.stop_after) abort();
    if (rc != ERR_OK && rc != ERR_CONFLICT && (e.kind != rc || !e.msg[0])) abort();
    free(zip);
    return 0;
}
