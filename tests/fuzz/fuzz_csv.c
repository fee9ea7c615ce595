/* fuzz_csv.c — libFuzzer harness: text decoding (UTF-8/GB18030 detection)
 * then the CSV reader, over arbitrary bytes. Neither may crash, overrun or
 * leak; every error must carry a kind. */
#include "io/csv.h"
#include "io/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e;
    err_clear(&e);
    char *text;
    size_t len;
    int charset;
    if (text_decode((const char *)data, size, &text, &len, &charset, &e) != ERR_OK) {
        if (e.kind == ERR_OK) abort();
        return 0;
    }
    struct csv_reader r;
    struct csv_field f[16];
    csv_init(&r, text, len, 4096);
    int n;
    while ((n = csv_next(&r, f, 16, &e)) > 0)
        for (int i = 0; i < n; i++)
            if (f[i].p < text || f[i].p + f[i].len > text + len) abort();
    if (n < 0 && e.kind == ERR_OK) abort();
    free(text);
    return 0;
}
