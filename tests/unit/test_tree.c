/* test_tree.c — DFS numbering, subtree ranges, ancestry, children, path,
 * search and build errors (core/tree.c). */
#include "testing.h"

#include "core/tree.h"

static void add(struct tree_builder *b, const char *code, const char *name)
{
    tree_builder_add(b, code, strlen(code), name, strlen(name),
                     unit_kind_from_code(code, strlen(code)));
}

/* Two provinces, added out of order on purpose:
 *   41 河南省
 *     4111 漯河市
 *       411121 舞阳县
 *         411121100 舞泉镇 → 411121100201, 411121100202
 *         411121101 吴城镇
 *       411122 临颍县
 *   42 湖北省
 */
static struct tree *sample(void)
{
    struct tree_builder *b = tree_builder_new();
    add(b, "42", "湖北省");
    add(b, "411121100202", "高庄村");
    add(b, "411121", "舞阳县");
    add(b, "41", "河南省");
    add(b, "411121101", "吴城镇");
    add(b, "4111", "漯河市");
    add(b, "411121100", "舞泉镇");
    add(b, "411122", "临颍县");
    add(b, "411121100201", "大杨庄村");
    struct tree *t;
    struct err e;
    err_clear(&e);
    assert_int_equal(tree_build(b, &t, &e), ERR_OK);
    return t;
}

static uint32_t at(const struct tree *t, const char *code)
{
    return tree_find(t, code, strlen(code));
}

static void test_preorder_and_ranges(void **state)
{
    (void)state;
    struct tree *t = sample();
    assert_int_equal(tree_count(t), 9);
    static const char *const order[] = {"41",        "4111",         "411121",
                                        "411121100", "411121100201", "411121100202",
                                        "411121101", "411122",       "42"};
    for (uint32_t i = 0; i < 9; i++)
        assert_string_equal(tree_node(t, i)->code, order[i]);
    /* [pre, post] ranges */
    assert_int_equal(tree_node(t, at(t, "41"))->post, 7);
    assert_int_equal(tree_node(t, at(t, "411121"))->post, 6);
    assert_int_equal(tree_node(t, at(t, "411121100"))->post, 5);
    assert_int_equal(tree_node(t, at(t, "411121100201"))->post, 4); /* leaf: itself */
    assert_int_equal(tree_node(t, at(t, "42"))->post, 8);
    assert_int_equal(tree_descendants(t, at(t, "41")), 7);
    assert_int_equal(tree_descendants(t, at(t, "42")), 0);
    tree_unref(t);
}

static void test_within_is_ancestry(void **state)
{
    (void)state;
    struct tree *t = sample();
    uint32_t henan = at(t, "41"), wuyang = at(t, "411121"), village = at(t, "411121100202");
    assert_true(tree_within(t, village, henan));
    assert_true(tree_within(t, village, wuyang));
    assert_true(tree_within(t, wuyang, wuyang));
    assert_false(tree_within(t, wuyang, village));
    assert_false(tree_within(t, at(t, "42"), henan));
    assert_false(tree_within(t, at(t, "411122"), wuyang)); /* sibling county */
    tree_unref(t);
}

static void test_children_and_parents(void **state)
{
    (void)state;
    struct tree *t = sample();
    uint32_t wuyang = at(t, "411121");
    assert_int_equal(tree_node(t, wuyang)->nchildren, 2);
    uint32_t c = tree_first_child(t, wuyang);
    assert_string_equal(tree_node(t, c)->code, "411121100");
    c = tree_next_sibling(t, c);
    assert_string_equal(tree_node(t, c)->code, "411121101");
    assert_int_equal(tree_next_sibling(t, c), TREE_NONE);
    assert_int_equal(tree_first_child(t, at(t, "411121101")), TREE_NONE);
    assert_int_equal(tree_node(t, at(t, "4111"))->parent, at(t, "41"));
    assert_int_equal(tree_node(t, at(t, "41"))->parent, TREE_NONE);
    /* provinces are siblings of one another */
    assert_int_equal(tree_first_root(t), at(t, "41"));
    assert_int_equal(tree_next_sibling(t, at(t, "41")), at(t, "42"));
    assert_int_equal(tree_next_sibling(t, at(t, "42")), TREE_NONE);
    tree_unref(t);
}

static void test_path(void **state)
{
    (void)state;
    struct tree *t = sample();
    uint32_t path[UNIT_LEVEL_COUNT];
    size_t n = tree_path(t, at(t, "411121100201"), path, UNIT_LEVEL_COUNT);
    assert_int_equal(n, 5);
    assert_string_equal(tree_node(t, path[0])->code, "41");
    assert_string_equal(tree_node(t, path[4])->code, "411121100201");
    assert_string_equal(tree_name(t, path[2]), "舞阳县");
    assert_int_equal(tree_path(t, at(t, "42"), path, UNIT_LEVEL_COUNT), 1);
    tree_unref(t);
}

static void test_counts_and_search(void **state)
{
    (void)state;
    struct tree *t = sample();
    uint32_t by_level[UNIT_LEVEL_COUNT] = {0}, by_kind[UNIT_KIND_COUNT] = {0};
    tree_count_below(t, at(t, "41"), by_level, by_kind);
    assert_int_equal(by_level[UNIT_CITY], 1);
    assert_int_equal(by_level[UNIT_COUNTY], 2);
    assert_int_equal(by_level[UNIT_TOWNSHIP], 2);
    assert_int_equal(by_level[UNIT_VILLAGE], 2);
    assert_int_equal(by_kind[UNIT_KIND_TOWN], 2);
    assert_int_equal(by_kind[UNIT_KIND_VILLAGE], 2);
    uint32_t hit = tree_search(t, 0, 8, "镇", strlen("镇"));
    assert_string_equal(tree_node(t, hit)->code, "411121100");
    hit = tree_search(t, hit + 1, 8, "镇", strlen("镇"));
    assert_string_equal(tree_node(t, hit)->code, "411121101");
    assert_int_equal(tree_search(t, hit + 1, 8, "镇", strlen("镇")), TREE_NONE);
    /* digits search codes by prefix */
    assert_string_equal(tree_node(t, tree_search(t, 0, 8, "411122", 6))->code, "411122");
    /* restricted to a subtree range */
    assert_int_equal(tree_search(t, at(t, "42"), 8, "镇", strlen("镇")), TREE_NONE);
    tree_unref(t);
}

static void test_build_rejects_duplicates_and_orphans(void **state)
{
    (void)state;
    struct tree *t = (struct tree *)1;
    struct err e;
    err_clear(&e);
    struct tree_builder *b = tree_builder_new();
    add(b, "41", "河南省");
    add(b, "41", "河南省");
    assert_int_equal(tree_build(b, &t, &e), ERR_INVALID);
    assert_null(t);
    assert_non_null(strstr(e.msg, "41"));

    b = tree_builder_new();
    add(b, "41", "河南省");
    add(b, "411121", "舞阳县"); /* city 4111 missing */
    assert_int_equal(tree_build(b, &t, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "4111"));
}

static void test_placeholder_zero_segments(void **state)
{
    (void)state;
    /* 金门县: county 350527, township 350527000, village 350527000000 */
    struct tree_builder *b = tree_builder_new();
    add(b, "35", "福建省");
    add(b, "3505", "泉州市");
    add(b, "350527", "金门县");
    add(b, "350527000", "金门县");
    add(b, "350527000000", "金门县");
    add(b, "350582", "晋江市");
    struct tree *t;
    struct err e;
    err_clear(&e);
    assert_int_equal(tree_build(b, &t, &e), ERR_OK);
    assert_int_equal(tree_node(t, at(t, "350527000"))->parent, at(t, "350527"));
    assert_int_equal(tree_node(t, at(t, "350527000000"))->parent, at(t, "350527000"));
    assert_int_equal(tree_descendants(t, at(t, "350527")), 2);
    tree_unref(t);
}

static void test_empty_and_refcount(void **state)
{
    (void)state;
    struct tree *t = tree_empty();
    assert_int_equal(tree_count(t), 0);
    assert_int_equal(tree_first_root(t), TREE_NONE);
    assert_int_equal(at(t, "41"), TREE_NONE);
    tree_ref(t);
    tree_unref(t);
    tree_unref(t); /* freed here; ASan reports a leak otherwise */
    tree_unref(NULL);
}

/* The name index answers exactly what a scan of every name would, for
 * queries of one, two and more characters, digits, bytes that are not
 * UTF-8, in every subtree, one hit at a time. */
static uint32_t scan(const struct tree *t, uint32_t from, uint32_t last, const char *q, size_t n)
{
    bool digits = n > 0;
    for (size_t i = 0; i < n; i++)
        digits = digits && q[i] >= '0' && q[i] <= '9';
    for (uint32_t i = from; i <= last && i < tree_count(t); i++) {
        const struct tree_node *node = tree_node(t, i);
        if (digits ? strncmp(node->code, q, n) == 0
                   : memmem(tree_name(t, i), node->name_len, q, n) != NULL)
            return i;
    }
    return TREE_NONE;
}

static void test_search_index_matches_a_scan(void **state)
{
    (void)state;
    static const char *const parts[] = {"郝", "庄",   "村", "王", "李",   "店", "社区",  "新",
                                        "河", "郝庄", "南", "a",  "\xff", "镇", "居委会"};
    const size_t nparts = sizeof parts / sizeof parts[0];
    uint64_t r = 12345;
#define NEXT() (r = r * 6364136223846793005ull + 1442695040888963407ull, (size_t)(r >> 33))
    struct tree_builder *b = tree_builder_new();
    char code[16], name[64];
    for (int p = 41; p <= 42; p++) {
        snprintf(code, sizeof code, "%d", p);
        tree_builder_add(b, code, 2, "省", strlen("省"), UNIT_KIND_NONE);
        for (int c = 1; c <= 3; c++) {
            snprintf(code, sizeof code, "%d%02d", p, c);
            tree_builder_add(b, code, 4, "市", strlen("市"), UNIT_KIND_NONE);
            for (int v = 1; v <= 99; v++) {
                snprintf(code, sizeof code, "%d%02d%02d", p, c, v);
                size_t len = 0, k = 1 + NEXT() % 4;
                for (size_t j = 0; j < k; j++)
                    len += (size_t)snprintf(name + len, sizeof name - len, "%s",
                                            parts[NEXT() % nparts]);
                tree_builder_add(b, code, 6, name, len, UNIT_KIND_NONE);
            }
        }
    }
    struct tree *t;
    assert_int_equal(tree_build(b, &t, NULL), ERR_OK);
    static const char *const queries[] = {
        "郝",   "郝庄", "庄村", "郝庄村", "村王", "社区", "区新",   "居委会", "委",
        "\xff", "a",    "aa",   "不存在", "41",   "4102", "420315", "9",      "郝庄郝庄郝庄"};
    uint32_t n = tree_count(t);
    for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
        const char *q = queries[qi];
        size_t qn = strlen(q);
        for (int k = 0; k < 40; k++) {
            uint32_t from = k ? (uint32_t)(NEXT() % n) : 0;
            uint32_t last = k ? from + (uint32_t)(NEXT() % (n - from)) : n - 1;
            for (uint32_t at = from;;) {
                uint32_t want = scan(t, at, last, q, qn), got = tree_search(t, at, last, q, qn);
                if (want != got)
                    fail_msg("\"%s\" in [%u, %u]: index %u, scan %u", q, at, last, got, want);
                if (got == TREE_NONE || got >= last) break;
                at = got + 1;
            }
        }
    }
    assert_int_equal(tree_search(t, 0, n - 1, "", 0), TREE_NONE);
    assert_int_equal(tree_search(t, n, n + 5, "村", strlen("村")), TREE_NONE);
    tree_unref(t);
#undef NEXT
}

static int32_t day(const char *s)
{
    int32_t d = 0;
    assert_true(tree_day_parse(s, &d));
    return d;
}

/* Retired units stay in the arrays (pre-order, code-prefix subtrees) but
 * leave every current view; spans of days see the tree of their time. */
static void test_history(void **state)
{
    (void)state;
    struct tree_builder *b = tree_builder_new();
    add(b, "41", "河南省");
    add(b, "4111", "漯河市");
    add(b, "411121", "舞阳县");
    add(b, "411121100", "舞泉镇");
    add(b, "411121100201", "大杨庄村"); /* merged on 2027-01-01 */
    tree_builder_dates(b, TREE_DAY_FIRST, day("2027-01-01"));
    add(b, "411121100202", "高庄社区"); /* renamed from 高庄村 on 2027-01-01 */
    tree_builder_dates(b, day("2027-01-01"), TREE_DAY_LAST);
    tree_builder_past(b, "411121100202", 12, "高庄村", strlen("高庄村"), UNIT_KIND_VILLAGE,
                      TREE_DAY_FIRST, day("2027-01-01"));
    add(b, "411121100203", "新村"); /* added on 2027-01-01 */
    tree_builder_dates(b, day("2027-01-01"), TREE_DAY_LAST);
    add(b, "411121100201001", "一网格"); /* retired with its village */
    tree_builder_dates(b, TREE_DAY_FIRST, day("2027-01-01"));
    struct tree *t;
    struct err e;
    err_clear(&e);
    assert_int_equal(tree_build(b, &t, &e), ERR_OK);
    assert_int_equal(tree_count(t), 8);
    assert_int_equal(tree_current_count(t), 6);
    uint32_t town = at(t, "411121100"), old = tree_find_any(t, "411121100201", 12);
    assert_int_equal(at(t, "411121100201"), TREE_NONE);
    assert_int_not_equal(old, TREE_NONE);
    assert_true(tree_node(t, old)->flags & TREE_RETIRED);
    assert_int_equal(tree_node(t, old)->parent, town);
    /* now: two children, the retired one skipped */
    assert_int_equal(tree_node(t, town)->nchildren, 2);
    assert_int_equal(tree_descendants(t, town), 2);
    assert_int_equal(tree_first_child(t, town), at(t, "411121100202"));
    assert_int_equal(tree_next_sibling(t, at(t, "411121100202")), at(t, "411121100203"));
    assert_int_equal(tree_search(t, 0, 7, "大杨", strlen("大杨")), TREE_NONE);
    assert_int_equal(tree_search(t, 0, 7, "411121100201", 12), TREE_NONE);
    assert_int_equal(tree_search(t, 0, 7, "4111211002", 10), at(t, "411121100202"));
    uint32_t lv[UNIT_LEVEL_COUNT] = {0};
    tree_count_below(t, town, lv, NULL);
    assert_int_equal(lv[UNIT_VILLAGE], 2);
    assert_int_equal(lv[UNIT_GRID], 0);
    /* 2026: the old village and its old neighbour's old name, no new village */
    int32_t from = day("2026-01-01"), to = day("2027-01-01");
    uint32_t c = tree_first_child_in(t, town, from, to);
    assert_int_equal(c, old);
    c = tree_next_sibling_in(t, c, from, to);
    assert_int_equal(c, at(t, "411121100202"));
    size_t len;
    int kind;
    assert_string_equal(tree_name_in(t, c, from, to, &len, &kind), "高庄村");
    assert_int_equal(kind, UNIT_KIND_VILLAGE);
    assert_int_equal(tree_next_sibling_in(t, c, from, to), TREE_NONE);
    assert_false(tree_alive_in(t, at(t, "411121100203"), from, to));
    /* 2027: the current tree */
    from = day("2027-01-01");
    to = day("2028-01-01");
    assert_false(tree_alive_in(t, old, from, to));
    assert_string_equal(tree_name_in(t, at(t, "411121100202"), from, to, NULL, NULL), "高庄社区");
    /* a year that spans the change sees both */
    assert_true(tree_alive_in(t, old, day("2026-06-01"), day("2027-06-01")));
    assert_string_equal(
        tree_name_in(t, at(t, "411121100202"), day("2026-06-01"), day("2027-06-01"), NULL, NULL),
        "高庄社区");
    assert_int_equal(tree_retired_on(t, old), day("2027-01-01"));
    assert_int_equal(tree_since(t, at(t, "411121100203")), day("2027-01-01"));
    assert_int_equal(tree_since(t, town), TREE_DAY_FIRST);
    char text[11];
    tree_day_format(day("2024-02-29"), text);
    assert_string_equal(text, "2024-02-29");
    tree_day_format(day("1970-01-01"), text);
    assert_string_equal(text, "1970-01-01");
    int32_t d;
    assert_false(tree_day_parse("2023-02-29", &d));
    assert_false(tree_day_parse("2023-13-01", &d));
    assert_false(tree_day_parse("2023-1-01", &d));
    tree_unref(t);

    /* a former name of a unit the tree does not hold */
    b = tree_builder_new();
    add(b, "41", "河南省");
    tree_builder_past(b, "42", 2, "湖北", 6, 0, TREE_DAY_FIRST, day("2020-01-01"));
    assert_int_equal(tree_build(b, &t, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "42"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_preorder_and_ranges),
        cmocka_unit_test(test_within_is_ancestry),
        cmocka_unit_test(test_children_and_parents),
        cmocka_unit_test(test_path),
        cmocka_unit_test(test_counts_and_search),
        cmocka_unit_test(test_search_index_matches_a_scan),
        cmocka_unit_test(test_build_rejects_duplicates_and_orphans),
        cmocka_unit_test(test_placeholder_zero_segments),
        cmocka_unit_test(test_empty_and_refcount),
        cmocka_unit_test(test_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
