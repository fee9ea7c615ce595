/* fuzz_form.c — libFuzzer harness: form-encoded bodies (Open311 POSTs),
 * JSON request bodies through jin_parse (the number check) and the checked
 * member readers, and num_parse on the raw bytes. */
#include "base/num.h"
#include "io/form.h"
#include "io/json_in.h"

#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"api_key", "service_code", "lat", "description", "x"};
    struct arena *a = arena_new();
    struct err e;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        err_clear(&e);
        const char *v;
        int rc = form_get((const char *)data, size, names[i], 64, a, &v, &e);
        if (rc == ERR_OK && v && strlen(v) > 64) abort();
        if (rc != ERR_OK && e.kind == ERR_OK) abort();
    }
    double v;
    enum num_status ns = num_parse((const char *)data, size, &v);
    if (ns == NUM_OK && (!isfinite(v) || (v != 0 && fabs(v) < DBL_MIN))) abort();
    if (ns != NUM_OK && v != 0) abort();
    json_t *j;
    err_clear(&e);
    int jrc = jin_parse((const char *)data, size, &j, &e);
    if ((jrc == ERR_OK) != (j != NULL) || (jrc != ERR_OK && e.kind != ERR_INVALID)) abort();
    if (json_is_object(j)) {
        static const char *const allowed[] = {"username", "scope", NULL};
        const char *s;
        bool has;
        double d;
        int b;
        err_clear(&e);
        jin_only(j, allowed, &e);
        jin_str(a, j, "username", 64, &s, &e);
        jin_num(j, "scope", &has, &d, &e);
        jin_bool(j, "x", &b, &e);
    }
    json_decref(j);
    arena_free(a);
    return 0;
}
