/* fuzz_pii.c — libFuzzer harness: the free-text scanner (core/pii.c,
 * pii_find and pii_mask_text) on arbitrary bytes. Matches stay inside the
 * text and in order, each is a number its validator accepts, and masking
 * valid UTF-8 gives valid UTF-8 (masked text goes into JSON). */
#include "base/utf8.h"
#include "core/pii.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct pii_match m;
    struct err e;
    size_t from = 0, found = 0;
    while (pii_find(s, size, from, &m)) {
        if (m.start < from || m.end > size || m.start >= m.end) abort();
        size_t n = strlen(m.value);
        if (m.kind == PII_IDCARD
                ? n != PII_IDCARD_LEN || pii_idcard_check_at(m.value, n, 99991231L, &e) != ERR_OK
                : n != PII_PHONE_LEN || pii_phone_check(m.value, n, &e) != ERR_OK)
            abort();
        from = m.end;
        found++;
    }
    struct buf out = BUF_INIT;
    if (pii_mask_text(s, size, &out) != found) abort();
    if (utf8_valid(s, size, NULL) && !utf8_valid(out.p ? out.p : "", out.len, NULL)) abort();
    buf_free(&out);
    return 0;
}
