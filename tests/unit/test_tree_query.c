/* test_tree_query.c — words matched along the path, levels and subtrees
 * (core/tree_query.c), against a plain scan of every unit. */
#include "testing.h"

#include "core/tree_query.h"

static void add(struct tree_builder *b, const char *code, const char *name)
{
    tree_builder_add(b, code, strlen(code), name, strlen(name),
                     unit_kind_from_code(code, strlen(code)));
}

/*   41 河南省
 *     4111 漯河市
 *       411121 舞阳县
 *         411121100 舞泉镇 → 大杨庄村, 郝庄村
 *         411121104 辛安镇 → 郝庄村 (→ 网格 郝庄一组)
 *       411122 临颍县
 *         411122100 城关镇 → 郝庄村
 *   42 湖北省 → 4201 武汉市 → 420102 江岸区 → 420102001 郝庄街道
 */
static struct tree *sample(void)
{
    struct tree_builder *b = tree_builder_new();
    add(b, "41", "河南省");
    add(b, "4111", "漯河市");
    add(b, "411121", "舞阳县");
    add(b, "411121100", "舞泉镇");
    add(b, "411121100201", "大杨庄村村民委员会");
    add(b, "411121100202", "郝庄村村民委员会");
    add(b, "411121104", "辛安镇");
    add(b, "411121104211", "郝庄村村民委员会");
    add(b, "411121104211001", "郝庄一组");
    add(b, "411122", "临颍县");
    add(b, "411122100", "城关镇");
    add(b, "411122100201", "郝庄村村民委员会");
    add(b, "42", "湖北省");
    add(b, "4201", "武汉市");
    add(b, "420102", "江岸区");
    add(b, "420102001", "郝庄街道");
    struct tree *t;
    assert_int_equal(tree_build(b, &t, NULL), ERR_OK);
    return t;
}

/* The codes a query finds, each after the last, joined by spaces. */
static const char *found(const struct tree *t, const char *text, const char *within,
                         unsigned levels)
{
    static char out[512];
    struct tree_query q;
    assert_int_equal(tree_query_init(&q, t, text, strlen(text), NULL), ERR_OK);
    if (within) {
        q.lo = tree_find(t, within, strlen(within));
        q.hi = tree_node(t, q.lo)->post;
    }
    q.levels = levels;
    size_t len = 0;
    out[0] = '\0';
    for (uint32_t i = tree_query_next(t, &q, 0); i != TREE_NONE; i = tree_query_next(t, &q, i + 1))
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", len ? " " : "",
                                tree_node(t, i)->code);
    return out;
}

static void test_words_along_the_path(void **state)
{
    (void)state;
    struct tree *t = sample();
    /* one word is a name search */
    assert_string_equal(found(t, "郝庄", NULL, 0),
                        "411121100202 411121104211 411121104211001 411122100201 420102001");
    /* the county narrows it; the order of the words does not matter */
    assert_string_equal(found(t, "舞阳 郝庄", NULL, 0),
                        "411121100202 411121104211 411121104211001");
    assert_string_equal(found(t, "郝庄 舞阳", NULL, 0),
                        "411121100202 411121104211 411121104211001");
    assert_string_equal(found(t, "舞阳 辛安 郝庄村", NULL, 0), "411121104211");
    /* a path pasted whole, with its separators */
    assert_string_equal(found(t, "河南省 › 漯河市 › 舞阳县 › 辛安镇 › 郝庄村", NULL, 0),
                        "411121104211");
    assert_string_equal(found(t, "舞阳县，辛安镇、郝庄村", NULL, 0), "411121104211");
    /* an ideographic space (U+3000) between the words */
    assert_string_equal(found(t, "舞阳　郝庄村/", NULL, 0), "411121100202 411121104211");
    /* words the unit's own name holds together */
    assert_string_equal(found(t, "郝庄 委员会", "41", 0),
                        "411121100202 411121104211 411121104211001 411122100201");
    /* a word no path holds */
    assert_string_equal(found(t, "舞阳 城关", NULL, 0), "");
    assert_string_equal(found(t, "湖北 郝庄", NULL, 0), "420102001");
    /* codes: a prefix, alone or with a name */
    assert_string_equal(found(t, "4111211", NULL, 0),
                        "411121100 411121100201 411121100202 411121104 411121104211 "
                        "411121104211001");
    assert_string_equal(found(t, "411122 郝庄", NULL, 0), "411122100201");
    tree_unref(t);
}

static void test_levels_and_subtrees(void **state)
{
    (void)state;
    struct tree *t = sample();
    unsigned village = 1u << UNIT_VILLAGE, county = 1u << UNIT_COUNTY;
    assert_string_equal(found(t, "郝庄", NULL, village), "411121100202 411121104211 411122100201");
    assert_string_equal(found(t, "郝庄", "411121", village), "411121100202 411121104211");
    assert_string_equal(found(t, "郝庄", "411121104", 0), "411121104211 411121104211001");
    /* no word: the units of the levels asked for */
    assert_string_equal(found(t, "", NULL, 1u << UNIT_PROVINCE), "41 42");
    assert_string_equal(found(t, "", "41", county), "411121 411122");
    assert_string_equal(found(t, " ", "411121", 1u << UNIT_TOWNSHIP), "411121100 411121104");
    assert_string_equal(found(t, "", "411121", village | (1u << UNIT_GRID)),
                        "411121100201 411121100202 411121104211 411121104211001");
    assert_string_equal(found(t, "舞阳", NULL, county), "411121");
    tree_unref(t);
}

static void test_too_many_words(void **state)
{
    (void)state;
    struct tree *t = sample();
    struct tree_query q;
    struct err e;
    err_clear(&e);
    const char *text = "一 二 三 四 五 六 七 八 九";
    assert_int_equal(tree_query_init(&q, t, text, strlen(text), &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "最多"));
    tree_unref(t);
}

/* A query out of steps stops, and going on where it stopped with new
 * steps finds the rest: the pages together are the whole answer. */
static void test_budget_goes_on(void **state)
{
    (void)state;
    struct tree *t = sample();
    for (uint32_t budget = 1; budget <= 6; budget++) {
        struct tree_query q;
        const char *text = "郝庄 委员会";
        assert_int_equal(tree_query_init(&q, t, text, strlen(text), NULL), ERR_OK);
        char out[256] = "";
        size_t len = 0;
        int pages = 0;
        for (uint32_t from = 0; from != TREE_NONE && pages < 100; pages++) {
            q.budget = budget;
            q.stopped = TREE_NONE;
            uint32_t i = tree_query_next(t, &q, from);
            if (i != TREE_NONE)
                len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", len ? " " : "",
                                        tree_node(t, i)->code);
            from = i != TREE_NONE ? i + 1 : q.stopped;
        }
        assert_string_equal(out, "411121100202 411121104211 411121104211001 411122100201");
    }
    tree_unref(t);
}

/* The definition, unit by unit. */
static bool holds(const struct tree *t, uint32_t i, const struct tree_term *w)
{
    if (w->code) return strncmp(tree_node(t, i)->code, w->p, w->len) == 0;
    return memmem(tree_name(t, i), tree_node(t, i)->name_len, w->p, w->len) != NULL;
}

static bool matches(const struct tree *t, uint32_t i, const struct tree_query *q)
{
    if (q->levels && !(q->levels & (1u << tree_node(t, i)->level))) return false;
    bool names = false, own = q->nterms == 0;
    for (int m = 0; m < q->nterms; m++)
        names |= !q->terms[m].code;
    for (int m = 0; m < q->nterms; m++) {
        const struct tree_term *w = &q->terms[m];
        if ((!names || !w->code) && holds(t, i, w)) own = true;
        bool path = false;
        for (uint32_t j = i; j != TREE_NONE && !path; j = tree_node(t, j)->parent)
            path = holds(t, j, w);
        if (!path) return false;
    }
    return own;
}

static void test_index_matches_a_scan(void **state)
{
    (void)state;
    static const char *const parts[] = {"郝", "庄", "村", "王", "李", "店", "新", "河", "南"};
    const size_t nparts = sizeof parts / sizeof parts[0];
    uint64_t r = 4242;
#define NEXT() (r = r * 6364136223846793005ull + 1442695040888963407ull, (size_t)(r >> 33))
    struct tree_builder *b = tree_builder_new();
    char code[64], name[64];
    /* 2 provinces × 3 cities × 9 counties × 9 townships × 6 villages, random names */
    for (int p = 41; p <= 42; p++)
        for (int c = 0; c <= 3; c++)
            for (int x = 0; x <= (c ? 9 : 0); x++)
                for (int s = 0; s <= (x ? 9 : 0); s++)
                    for (int v = 0; v <= (s ? 6 : 0); v++) {
                        if (!c)
                            snprintf(code, sizeof code, "%d", p);
                        else if (!x)
                            snprintf(code, sizeof code, "%d%02d", p, c);
                        else if (!s)
                            snprintf(code, sizeof code, "%d%02d%02d", p, c, x);
                        else if (!v)
                            snprintf(code, sizeof code, "%d%02d%02d%03d", p, c, x, s);
                        else
                            snprintf(code, sizeof code, "%d%02d%02d%03d%03d", p, c, x, s, 200 + v);
                        size_t len = 0, k = 1 + NEXT() % 3;
                        for (size_t j = 0; j < k; j++)
                            len += (size_t)snprintf(name + len, sizeof name - len, "%s",
                                                    parts[NEXT() % nparts]);
                        add(b, code, name);
                    }
    struct tree *t;
    assert_int_equal(tree_build(b, &t, NULL), ERR_OK);
    static const char *const queries[] = {"郝庄",
                                          "河 郝",
                                          "南 庄 村",
                                          "郝 郝",
                                          "王李 店",
                                          "4101 村",
                                          "410203",
                                          "新 42",
                                          "不 存在",
                                          "河南 新店",
                                          "店 王 李 郝 庄 村 新 河"};
    uint32_t n = tree_count(t);
    for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
        for (int k = 0; k < 30; k++) {
            struct tree_query q;
            assert_int_equal(tree_query_init(&q, t, queries[qi], strlen(queries[qi]), NULL),
                             ERR_OK);
            if (k % 3 == 1) q.levels = 1u << (1 + NEXT() % 5);
            if (k % 3 == 2) {
                q.lo = (uint32_t)(NEXT() % n);
                q.hi = tree_node(t, q.lo)->post;
            }
            uint32_t from = q.lo;
            for (;;) {
                uint32_t want = TREE_NONE;
                for (uint32_t i = from; i <= q.hi && want == TREE_NONE; i++)
                    if (matches(t, i, &q)) want = i;
                uint32_t got = tree_query_next(t, &q, from);
                if (want != got)
                    fail_msg("\"%s\" from %u in [%u, %u] levels %x: index %u, scan %u", queries[qi],
                             from, q.lo, q.hi, q.levels, got, want);
                if (got == TREE_NONE) break;
                from = got + 1;
            }
        }
    }
    tree_unref(t);
#undef NEXT
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_along_the_path), cmocka_unit_test(test_levels_and_subtrees),
        cmocka_unit_test(test_too_many_words),       cmocka_unit_test(test_budget_goes_on),
        cmocka_unit_test(test_index_matches_a_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
