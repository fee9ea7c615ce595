/*
 * search_bench.c — benchmark 9: unit search over the national tree, the
 * index (core/tree_query.c) against a linear scan of the same query.
 *
 *   search_bench DB [REPEATS [WORDS]]
 *
 * Loads the units of a jiceng SQLite database (DB, read only) into a tree
 * as the server does, then asks each query of the table below for its
 * first page (20 units plus one to know there is a next page, as the API
 * does) REPEATS times (default 200) through the index and through a scan
 * that checks every unit of the range against the definition (own name
 * holds a word, the path holds every word, the level). Both must answer
 * the same units, or the run fails. With WORDS, only that query, over the
 * whole tree (for a profiler). Prints a line per query and, last,
 * `key=value` lines for bench/search.sh: the p50, p99 and slowest time of
 * every indexed request pooled (wall clock, and the p99 and slowest in CPU
 * time of the thread), and the ratio of the scan's total time to the
 * index's.
 */
#include "core/tree_query.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 21 /* 20 answered plus one: is there a next page */

struct query {
    const char *text;
    const char *unit; /* the subtree, NULL for the whole tree */
    unsigned levels;
    const char *about;
};

#define VILLAGES ((1u << UNIT_VILLAGE) | (1u << UNIT_GRID) | (1u << UNIT_BUILDING))

static const struct query queries[] = {
    {"郝庄", NULL, 0, "a village name, 140 villages"},
    {"郝庄", NULL, VILLAGES, "the same, villages only (residents)"},
    {"大杨庄", NULL, 0, "three characters"},
    {"舞阳 郝庄", NULL, 0, "county and village"},
    {"舞阳 郝庄", NULL, VILLAGES, "the same, residents"},
    {"漯河 郝庄", NULL, 0, "city and village"},
    {"河南省 › 漯河市 › 舞阳县 › 辛安镇 › 郝庄村", NULL, 0, "a path pasted whole"},
    {"辛安 郝庄", NULL, 0, "township and village"},
    {"村", NULL, 0, "one common character"},
    {"社区", NULL, 0, "a common word"},
    {"居委会", NULL, 0, "a common three-character word"},
    {"不存在的地名", NULL, 0, "nothing matches"},
    {"郝庄 不存在", NULL, 0, "one word matches nothing"},
    {"4111211", NULL, 0, "a code prefix"},
    {"张 王", NULL, 0, "two common surnames"},
    {"东 西 南 北", NULL, 0, "four common characters"},
    {"新村 社区", NULL, 0, "two common words"},
    {"村 社区", NULL, 0, "two common words, rarely together"},
    {"河南 村", NULL, 0, "a province and a common character"},
    {"舞阳 村", NULL, 0, "a county and a common character"},
    {"镇 村 组", NULL, 0, "three common characters"},
    {"郝庄", "41", 0, "in a province"},
    {"郝庄", "411121", 0, "in a county"},
    {"村", "411121", 0, "one character in a county"},
    {"舞阳 郝庄", "41", 0, "two words in a province"},
    {"王", "41", 1u << UNIT_TOWNSHIP, "townships of a province"},
    {"", NULL, 1u << UNIT_PROVINCE, "the provinces (walk)"},
    {"", "411121", 1u << UNIT_TOWNSHIP, "a county's townships (walk)"},
    {"", "41", 1u << UNIT_COUNTY, "a province's counties (walk)"},
};
#define NQUERIES (sizeof queries / sizeof queries[0])

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Wall-clock time, and the CPU time of this thread: on a machine shared
 * with other work the first includes waiting for a core, the second not. */
static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

static double cpu_ms(void)
{
    return clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

static struct tree *load(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT code, name FROM units ORDER BY code", -1, &st, NULL) !=
            SQLITE_OK) {
        fprintf(stderr, "search_bench: %s: %s\n", path, sqlite3_errmsg(db));
        exit(1);
    }
    struct tree_builder *b = tree_builder_new();
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        tree_builder_add(b, code, len, (const char *)sqlite3_column_text(st, 1),
                         (size_t)sqlite3_column_bytes(st, 1), unit_kind_from_code(code, len));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    struct tree *t;
    struct err e;
    err_clear(&e);
    if (tree_build(b, &t, &e)) {
        fprintf(stderr, "search_bench: %s\n", e.msg);
        exit(1);
    }
    return t;
}

static void setup(const struct tree *t, const struct query *qy, struct tree_query *q)
{
    if (tree_query_init(q, t, qy->text, strlen(qy->text), NULL)) exit(1);
    if (qy->unit) {
        q->lo = tree_find(t, qy->unit, strlen(qy->unit));
        q->hi = tree_node(t, q->lo)->post;
    }
    q->levels = qy->levels;
}

static uint32_t steps; /* of the last by_index */

/* The first page through the index, without the server's limit of steps
 * (so that it can be compared with the scan; main checks the limit). */
static size_t by_index(const struct tree *t, const struct query *qy, uint32_t *out)
{
    struct tree_query q;
    setup(t, qy, &q);
    size_t n = 0;
    q.budget = UINT32_MAX;
    for (uint32_t i = tree_query_next(t, &q, q.lo); i != TREE_NONE && n < PAGE;
         i = tree_query_next(t, &q, i + 1))
        out[n++] = i;
    steps = UINT32_MAX - q.budget;
    return n;
}

static bool holds(const struct tree *t, uint32_t i, const struct tree_term *w)
{
    if (w->code) return strncmp(tree_node(t, i)->code, w->p, w->len) == 0;
    return memmem(tree_name(t, i), tree_node(t, i)->name_len, w->p, w->len) != NULL;
}

/* The first page by looking at every unit of the range in turn. */
static size_t by_scan(const struct tree *t, const struct query *qy, uint32_t *out)
{
    struct tree_query q;
    setup(t, qy, &q);
    bool names = false;
    for (int m = 0; m < q.nterms; m++)
        names |= !q.terms[m].code;
    size_t n = 0;
    for (uint32_t i = q.lo; i <= q.hi && n < PAGE; i++) {
        if (q.levels && !(q.levels & (1u << tree_node(t, i)->level))) continue;
        bool own = q.nterms == 0, all = true;
        for (int m = 0; m < q.nterms && all; m++) {
            const struct tree_term *w = &q.terms[m];
            if ((!names || !w->code) && holds(t, i, w)) own = true;
            bool path = false;
            for (uint32_t j = i; j != TREE_NONE && !path; j = tree_node(t, j)->parent)
                path = holds(t, j, w);
            all = path;
        }
        if (own && all) out[n++] = i;
    }
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t k = (size_t)(p * (double)(n - 1) + 0.5);
    return v[k];
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: search_bench DB [REPEATS]\n");
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 200;
    if (reps < 1) reps = 1;
    double t0 = now_ms();
    struct tree *t = load(argv[1]);
    fprintf(stderr, "search_bench: %u units loaded in %.0f ms\n", tree_count(t), now_ms() - t0);
    double *all = malloc(sizeof *all * (NQUERIES + 1) * (size_t)reps);
    double *cpu = malloc(sizeof *cpu * (NQUERIES + 1) * (size_t)reps);
    double *one = malloc(sizeof *one * (size_t)reps);
    double index_total = 0, scan_total = 0;
    size_t nall = 0;
    printf("%-44s %5s %6s %8s %8s %8s %9s %8s\n", "query", "found", "steps", "p50 ms", "p99 ms",
           "max ms", "scan ms", "ratio");
    const struct query alone = {argc > 3 ? argv[3] : "", NULL, 0, "asked alone"};
    size_t nqueries = argc > 3 ? 1 : NQUERIES;
    for (size_t k = 0; k < nqueries; k++) {
        const struct query *qy = argc > 3 ? &alone : &queries[k];
        uint32_t a[PAGE], b[PAGE];
        size_t na = 0, nb = 0;
        double scan = 0, index = 0;
        for (int r = 0; r < reps; r++) {
            double s = now_ms(), c = cpu_ms();
            na = by_index(t, qy, a);
            one[r] = now_ms() - s;
            cpu[nall] = cpu_ms() - c;
            all[nall++] = one[r];
            index += one[r];
        }
        int scan_reps = reps < 20 ? reps : 20; /* a scan of the nation takes a while */
        for (int r = 0; r < scan_reps; r++) {
            double s = now_ms();
            nb = by_scan(t, qy, b);
            scan += now_ms() - s;
        }
        if (na != nb || memcmp(a, b, na * sizeof *a) != 0) {
            fprintf(stderr, "search_bench: \"%s\" in %s: the index and the scan disagree\n",
                    qy->text, qy->unit ? qy->unit : "the nation");
            return 1;
        }
        index /= reps;
        scan /= scan_reps;
        index_total += index;
        scan_total += scan;
        char label[160];
        snprintf(label, sizeof label, "%s%s%s%s", qy->text[0] ? qy->text : "(no words)",
                 qy->unit ? " in " : "", qy->unit ? qy->unit : "", qy->levels ? " +level" : "");
        double p50 = pct(one, (size_t)reps, 0.5), p99 = pct(one, (size_t)reps, 0.99);
        printf("%-44s %5zu %6u %8.3f %8.3f %8.3f %9.3f %8.0f  %s\n", label,
               na < PAGE ? na : PAGE - 1, steps, p50, p99, one[reps - 1], scan,
               scan / (index > 0 ? index : 1e-6), qy->about);
        if (steps > TREE_QUERY_STEPS) {
            fprintf(stderr, "search_bench: \"%s\" took %u steps, more than the server allows\n",
                    qy->text, steps);
            return 1;
        }
    }
    printf("search_queries=%zu\n", nqueries);
    printf("search_index_p50_ms=%.3f\n", pct(all, nall, 0.5));
    printf("search_index_p99_ms=%.3f\n", pct(all, nall, 0.99));
    printf("search_index_max_ms=%.3f\n", all[nall - 1]);
    printf("search_index_cpu_p99_ms=%.3f\n", pct(cpu, nall, 0.99));
    printf("search_index_cpu_max_ms=%.3f\n", cpu[nall - 1]);
    printf("search_index_mean_ms=%.4f\n", index_total / (double)nqueries);
    printf("search_scan_mean_ms=%.3f\n", scan_total / (double)nqueries);
    printf("search_ratio=%.0f\n", scan_total / index_total);
    free(all);
    free(cpu);
    free(one);
    tree_unref(t);
    return 0;
}
