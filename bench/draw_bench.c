/* draw_bench.c — benchmark: one 双随机 draw of 1,000 targets from 100,000
 * with 500 inspectors, 2 per target, and 5,000 回避 links (core/draw.c),
 * repeated; every repeat must give the identical result.
 *
 *   draw_bench [REPEATS]   prints "min_ms p50_ms max_ms identical(0/1)"
 *
 * Reference measured in the same run: a plain copy + qsort of the 100,000
 * target ids, the floor any draw over a sorted registry pays. */
#include "core/draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NT  100000
#define NI  500
#define NL  5000
#define CNT 1000
#define PER 2

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 20;
    if (repeats < 1) repeats = 1;
    static int64_t t[NT], in[NI], first_t[CNT], first_i[CNT * PER], o_t[CNT], o_i[CNT * PER];
    static struct draw_link l[NL];
    /* ids in scrambled order, as a registry returns them */
    for (int k = 0; k < NT; k++)
        t[k] = 1 + (int64_t)((k * 7919L) % NT);
    for (int k = 0; k < NI; k++)
        in[k] = 1000000 + (int64_t)((k * 37L) % NI);
    for (int k = 0; k < NL; k++)
        l[k] = (struct draw_link){1000000 + k % NI, 1 + (int64_t)((k * 613L) % NT)};
    char digest[DRAW_SEED_HEX];
    unsigned char seed[DRAW_SEED_BYTES];
    draw_registry_digest(t, NT, in, NI, l, NL, digest);
    draw_seed(1, digest, "2026-12-04T09:00:00+08:00", seed);
    double *ms = malloc((size_t)repeats * sizeof *ms), ref = 1e9;
    int identical = 1;
    for (int r = 0; r < repeats; r++) {
        double t0 = now_ms();
        if (draw_run(seed, t, NT, in, NI, l, NL, CNT, PER, o_t, o_i, NULL, NULL) != DRAW_OK) {
            fprintf(stderr, "draw failed\n");
            return 2;
        }
        ms[r] = now_ms() - t0;
        if (r == 0) {
            memcpy(first_t, o_t, sizeof o_t);
            memcpy(first_i, o_i, sizeof o_i);
        } else if (memcmp(first_t, o_t, sizeof o_t) || memcmp(first_i, o_i, sizeof o_i)) {
            identical = 0;
        }
        int64_t *c = malloc(sizeof t);
        double r0 = now_ms();
        memcpy(c, t, sizeof t);
        qsort(c, NT, sizeof *c, cmp_id);
        double rr = now_ms() - r0;
        if (rr < ref) ref = rr;
        free(c);
    }
    qsort(ms, (size_t)repeats, sizeof *ms, cmp_double);
    printf("%.2f %.2f %.2f %d %.2f\n", ms[0], ms[repeats / 2], ms[repeats - 1], identical, ref);
    free(ms);
    return identical ? 0 : 1;
}
