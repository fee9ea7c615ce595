/*
 * embed.c — build tool: turns files into a C table of struct embed_file.
 *
 *   embed [-z] [-v TOKEN] OUTPUT.c SYMBOL BASEDIR FILE...
 *
 * Each FILE's name in the table is its path relative to BASEDIR, or, for
 * an argument NAME=PATH, NAME (files from elsewhere, such as vendored npm
 * packages). Entries are written in the order given.
 *
 * Each entry also carries its content's FNV-1a hash (an ETag for the
 * server, computed here rather than at run time).
 *
 * -z  also stores each file gzipped (zlib, level 9, no time stamp, so the
 *     output is reproducible) when that saves at least an eighth of it:
 *     the server sends those bytes to clients that accept gzip, and the
 *     already-compressed (PNG) stay as they are.
 * -v TOKEN  computes the version of the whole set (FNV-1a over every name
 *     and content, 12 hex digits), writes it as `const char SYMBOL_version[]`
 *     and replaces TOKEN by it in every file: index.html names its assets
 *     as v/TOKEN/app.js, so a new build gets new addresses and the old
 *     ones may be cached for ever.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct file {
    const char *name; /* as in the table */
    int nlen;
    unsigned char *data; /* owned */
    size_t len;
    unsigned char *gz; /* owned; NULL when not worth it */
    size_t gz_len;
};

static int slurp(const char *path, unsigned char **out, size_t *len)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, in)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *more = realloc(buf, cap *= 2);
            if (!more) free(buf);
            buf = more;
        }
    }
    int bad = ferror(in);
    fclose(in);
    if (!buf || bad) {
        free(buf);
        fprintf(stderr, "%s: read failed\n", path);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* Replaces every `token` in f->data by `with` (same or any length). */
static int substitute(struct file *f, const char *token, const char *with)
{
    size_t tl = strlen(token), wl = strlen(with), count = 0;
    for (size_t i = 0; i + tl <= f->len; i++)
        if (memcmp(f->data + i, token, tl) == 0) count++, i += tl - 1;
    if (!count) return 0;
    unsigned char *out = malloc(f->len - count * tl + count * wl + 1);
    if (!out) return -1;
    size_t n = 0;
    for (size_t i = 0; i < f->len;) {
        if (i + tl <= f->len && memcmp(f->data + i, token, tl) == 0) {
            for (size_t k = 0; k < wl; k++)
                out[n++] = (unsigned char)with[k];
            i += tl;
        } else {
            out[n++] = f->data[i++];
        }
    }
    free(f->data);
    f->data = out;
    f->len = n;
    return 0;
}

static int gzip(struct file *f)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    uLong cap = deflateBound(&z, (uLong)f->len) + 32;
    unsigned char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = f->data;
    z.avail_in = (uInt)f->len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return -1;
    }
    if (n + f->len / 8 > f->len) { /* saves too little */
        free(out);
        return 0;
    }
    f->gz = out;
    f->gz_len = n;
    return 0;
}

static void emit_bytes(FILE *out, const char *what, int index, const unsigned char *p, size_t len)
{
    fprintf(out, "static const unsigned char %s_%d[] = {", what, index);
    for (size_t n = 0; n < len; n++)
        fprintf(out, "%s%d,", n % 24 ? "" : "\n", p[n]);
    fprintf(out, "0};\n");
}

static int usage(void)
{
    fprintf(stderr, "usage: embed [-z] [-v TOKEN] OUTPUT.c SYMBOL BASEDIR FILE...\n");
    return 2;
}

int main(int argc, char **argv)
{
    int zip = 0, a = 1;
    const char *token = NULL;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "-z") == 0)
            zip = 1;
        else if (strcmp(argv[a], "-v") == 0 && a + 1 < argc)
            token = argv[++a];
        else
            return usage();
    }
    if (argc - a < 3) return usage();
    const char *output = argv[a], *symbol = argv[a + 1], *base = argv[a + 2];
    size_t blen = strlen(base);
    int nfiles = argc - a - 3;
    struct file *files = calloc((size_t)nfiles + 1, sizeof *files);
    if (!files) return 1;
    int rc = 1;
    FILE *out = NULL;
    unsigned long long version = 1469598103934665603ull;
    for (int i = 0; i < nfiles; i++) {
        const char *arg = argv[a + 3 + i], *eq = strchr(arg, '=');
        struct file *f = &files[i];
        f->name = arg;
        f->nlen = eq ? (int)(eq - arg) : (int)strlen(arg);
        if (!eq && strncmp(arg, base, blen) == 0) f->name += blen, f->nlen -= (int)blen;
        while (*f->name == '/')
            f->name++, f->nlen--;
        if (slurp(eq ? eq + 1 : arg, &f->data, &f->len) != 0) goto done;
        for (int k = 0; k <= f->nlen; k++) /* the name and its end */
            version = (version ^ (k < f->nlen ? (unsigned char)f->name[k] : 0)) * 1099511628211ull;
        for (size_t k = 0; k < f->len; k++)
            version = (version ^ f->data[k]) * 1099511628211ull;
    }
    char vtext[16];
    snprintf(vtext, sizeof vtext, "%012llx", version & 0xffffffffffffull);

    out = fopen(output, "w");
    if (!out) {
        perror(output);
        goto done;
    }
    fprintf(out, "/* generated by tools/embed.c — do not edit */\n#include \"base/embed.h\"\n");
    for (int i = 0; i < nfiles; i++) {
        struct file *f = &files[i];
        if ((token && substitute(f, token, vtext) != 0) || (zip && gzip(f) != 0)) {
            fprintf(stderr, "%.*s: out of memory or gzip failed\n", f->nlen, f->name);
            goto done;
        }
        emit_bytes(out, "data", i, f->data, f->len);
        if (f->gz) emit_bytes(out, "gz", i, f->gz, f->gz_len);
    }
    if (token) fprintf(out, "const char %s_version[] = \"%s\";\n", symbol, vtext);
    fprintf(out, "const struct embed_file %s[] = {\n", symbol);
    for (int i = 0; i < nfiles; i++) {
        const struct file *f = &files[i];
        unsigned long long h = 1469598103934665603ull;
        for (size_t k = 0; k < f->len; k++)
            h = (h ^ f->data[k]) * 1099511628211ull;
        fprintf(out, "    {\"%.*s\", data_%d, sizeof data_%d - 1, 0x%016llxull, ", f->nlen, f->name,
                i, i, h);
        if (f->gz)
            fprintf(out, "gz_%d, sizeof gz_%d - 1},\n", i, i);
        else
            fprintf(out, "NULL, 0},\n");
    }
    fprintf(out, "    {NULL, NULL, 0, 0, NULL, 0}};\n");
    rc = 0;
done:
    if (out && fclose(out) != 0) rc = 1;
    for (int i = 0; i < nfiles; i++) {
        free(files[i].data);
        free(files[i].gz);
    }
    free(files);
    return rc;
}
