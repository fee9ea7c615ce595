/* test_scheme.c — "五星" schemes (core/scheme.c): the shipped schemes in
 * schemes/ against what MISSION.md §2 asks of them, the rating rules on
 * crafted schemes (thresholds, vetoes, the prerequisite star, every kind of
 * indicator, missing data and answers, the reasons given) and the
 * validation errors of malformed definitions. */
#include "testing.h"

#include <jansson.h>
#include <math.h>

#include "core/scheme.h"
#include "core/unit.h"

/* ---- helpers ----------------------------------------------------------- */

/* A folder of the source tree: JICENG_TEST_DATA is tests/fixtures when run
 * by ctest; run by hand, the path comes from this file's own. */
static const char *source_path(const char *rel)
{
    static char path[1024];
    const char *data = getenv("JICENG_TEST_DATA");
    const char *cut = strstr(__FILE__, "tests/unit/");
    if (data)
        snprintf(path, sizeof path, "%s/../../%s", data, rel);
    else
        snprintf(path, sizeof path, "%.*s%s", cut ? (int)(cut - __FILE__) : 0, __FILE__, rel);
    return path;
}

static char *slurp(const char *rel, size_t *len)
{
    const char *path = source_path(rel);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    static char text[256 * 1024];
    *len = fread(text, 1, sizeof text, f);
    fclose(f);
    assert_true(*len < sizeof text);
    return text;
}

static struct scheme *load(const char *file)
{
    char rel[64];
    size_t len;
    snprintf(rel, sizeof rel, "schemes/%s", file);
    const char *text = slurp(rel, &len);
    struct scheme *s = NULL;
    struct err e;
    err_clear(&e);
    if (scheme_parse(text, len, file, &s, &e) != ERR_OK) {
        char msg[1024];
        err_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return s;
}

/* Definitions are written with ' for " to stay readable here. */
static int parse_quoted(const char *src, struct scheme **out, struct err *e)
{
    static char json[64 * 1024];
    size_t n = strlen(src);
    assert_true(n < sizeof json);
    for (size_t i = 0; i <= n; i++)
        json[i] = src[i] == '\'' ? '"' : src[i];
    err_clear(e);
    return scheme_parse(json, n, "bad.json", out, e);
}

static struct scheme *parse_ok(const char *src)
{
    struct scheme *s = NULL;
    struct err e;
    if (parse_quoted(src, &s, &e) != ERR_OK) fail_msg("%s", e.msg);
    return s;
}

__attribute__((format(printf, 3, 4))) static void append(char *buf, size_t cap, const char *fmt,
                                                         ...)
{
    size_t n = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

static int ind(const struct scheme *s, const char *code)
{
    int i = scheme_indicator_index(s, code);
    if (i < 0) fail_msg("%s: no indicator %s", s->code, code);
    return i;
}

static int veto(const struct scheme *s, const char *code)
{
    int i = scheme_veto_index(s, code);
    if (i < 0) fail_msg("%s: no veto %s", s->code, code);
    return i;
}

static int cat(const struct scheme *s, const char *code)
{
    int i = scheme_category_index(s, code);
    if (i < 0) fail_msg("%s: no category %s", s->code, code);
    return i;
}

static int elem(const struct scheme *s, const char *code)
{
    for (int i = 0; i < s->nelements; i++)
        if (strcmp(s->elements[i], code) == 0) return i;
    fail_msg("%s: no element %s", s->code, code);
    abort(); /* fail_msg does not return */
}

static void rate_ok(const struct scheme *s, const struct scheme_inputs *in, struct scheme_rating *r)
{
    struct err e;
    err_clear(&e);
    if (scheme_rate(s, in, r, &e) != ERR_OK) fail_msg("%s", e.msg);
}

/* Everything given and at its best: every assessed indicator at its max,
 * every yes/no answered yes, every veto answered no. Values are left to
 * the caller. */
static void all_full(const struct scheme *s, struct scheme_answer *ia, struct scheme_answer *va)
{
    for (int i = 0; i < s->nindicators; i++)
        ia[i] = (struct scheme_answer){true, s->indicators[i].max, true};
    for (int i = 0; i < s->nvetoes; i++)
        va[i] = (struct scheme_answer){true, 0, false};
}

/* ---- the shipped schemes ----------------------------------------------- */

/* Values at which every shipped formula scores full marks: 100 of
 * everything (every rate 100%, collective income 100万元), yes (1) for
 * the yes/no elements. */
static void best_values(const struct scheme *s, struct fvalue *values)
{
    for (int i = 0; i < s->nelements; i++)
        values[i] =
            (struct fvalue){strcmp(s->elements[i], "branch.standardised") == 0 ? 1 : 100, false};
}

static const char *const village_stars[] = {"支部过硬星", "产业兴旺星", "生态宜居星",
                                            "平安法治星", "文明幸福星", NULL};
static const char *const community_stars[] = {"支部过硬星", "宜业兴业星", "平安法治星",
                                              "幸福和谐星", "共建共享星", NULL};

static const struct {
    const char *file, *code;
    int kind;
    const char *const *stars;
} shipped[] = {
    {"village.json", "village-2026", UNIT_KIND_VILLAGE, village_stars},
    {"community.json", "community-2026", UNIT_KIND_COMMUNITY, community_stars},
};
#define NSHIPPED (int)(sizeof shipped / sizeof shipped[0])

/* Every data element a shipped formula references exists in
 * data/definitions.json (and may be entered at village level). */
static bool element_defined(json_t *defs, const char *code)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(defs, "elements"), i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "code")), code) != 0) continue;
        json_t *levels = json_object_get(e, "levels"), *l;
        size_t k;
        if (!levels) return true; /* any level */
        json_array_foreach(levels, k,
                           l) if (strcmp(json_string_value(l), "village") == 0) return true;
        return false;
    }
    return false;
}

static void test_shipped_schemes(void **state)
{
    (void)state;
    size_t len;
    const char *text = slurp("data/definitions.json", &len);
    json_error_t je;
    json_t *defs = json_loadb(text, len, 0, &je);
    assert_non_null(defs);
    for (int k = 0; k < NSHIPPED; k++) {
        struct scheme *s = load(shipped[k].file);
        assert_string_equal(s->code, shipped[k].code);
        assert_int_equal(s->year, 2026);
        assert_true(scheme_applies(s, shipped[k].kind));
        assert_false(scheme_applies(s, shipped[k].kind == UNIT_KIND_VILLAGE ? UNIT_KIND_COMMUNITY
                                                                            : UNIT_KIND_VILLAGE));
        assert_int_equal(s->ncategories, 5);
        assert_int_equal(s->prerequisite, cat(s, "party"));
        assert_true(strlen(s->source) > 0);
        for (int c = 0; c < s->ncategories; c++) {
            const struct scheme_category *sc = &s->categories[c];
            assert_string_equal(sc->name, shipped[k].stars[c]);
            assert_true(sc->max_score == 100);
            assert_true(sc->pass_score >= 80 && sc->pass_score <= 85);
            assert_in_range(sc->nindicators, 4, 6);
            assert_in_range(sc->nvetoes, 1, 2);
            int formulas = 0;
            for (int i = sc->first_indicator; i < sc->first_indicator + sc->nindicators; i++) {
                const struct scheme_indicator *x = &s->indicators[i];
                assert_int_equal(x->category, c);
                assert_true(strlen(x->guide) > 20); /* every indicator explains its scoring */
                formulas += x->kind == SCHEME_FORMULA;
            }
            if (formulas == 0) fail_msg("%s %s: no formula indicator", s->code, sc->name);
        }
        for (int i = 0; i < s->nelements; i++)
            if (!element_defined(defs, s->elements[i]))
                fail_msg("%s: element %s not in data/definitions.json", s->code, s->elements[i]);
        scheme_free(s);
    }
    json_decref(defs);
}

/* The best a unit can do wins every star; nothing given wins none, and
 * every star says why. */
static void test_shipped_schemes_rate(void **state)
{
    (void)state;
    for (int k = 0; k < NSHIPPED; k++) {
        struct scheme *s = load(shipped[k].file);
        struct scheme_answer ia[SCHEME_ALL_INDICATORS], va[SCHEME_ALL_VETOES];
        struct fvalue values[SCHEME_ELEMENTS_MAX];
        all_full(s, ia, va);
        best_values(s, values);
        struct scheme_inputs in = {ia, va, values};
        struct scheme_rating r;
        rate_ok(s, &in, &r);
        assert_int_equal(r.level, 5);
        for (int c = 0; c < 5; c++) {
            assert_true(r.stars[c].won);
            assert_true(r.stars[c].score == 100);
            assert_int_equal(r.stars[c].nreasons, 0);
        }
        rate_ok(s, NULL, &r);
        assert_int_equal(r.level, 0);
        for (int c = 0; c < 5; c++) {
            /* nothing answered, no data: below every pass (a formula that
             * holds without data, like 组织生活's coalesce, may still score) */
            assert_false(r.stars[c].won);
            assert_true(r.stars[c].score < s->categories[c].pass_score);
            assert_int_equal(r.stars[c].reasons[0].why, SCHEME_WHY_BELOW_PASS);
        }
        scheme_free(s);
    }
}

/* The village scheme's own formulas: the sanitary toilet rate at 90%,
 * collective income scored in proportion and 空壳村 vetoed below 5万元. */
static void test_village_formulas(void **state)
{
    (void)state;
    struct scheme *s = load("village.json");
    struct scheme_answer ia[SCHEME_ALL_INDICATORS], va[SCHEME_ALL_VETOES];
    struct fvalue values[SCHEME_ELEMENTS_MAX];
    all_full(s, ia, va);
    best_values(s, values);
    values[elem(s, "households")] = (struct fvalue){200, false};
    values[elem(s, "toilet.sanitary")] = (struct fvalue){179, false}; /* 89.5% */
    values[elem(s, "income.collective")] = (struct fvalue){4, false};
    struct scheme_inputs in = {ia, va, values};
    struct scheme_rating r;
    rate_ok(s, &in, &r);
    int toilet = ind(s, "ecology.toilet"), income = ind(s, "industry.income");
    int ecology = cat(s, "ecology"), industry = cat(s, "industry");
    assert_true(r.scores[toilet].score == 0);
    assert_int_equal(r.scores[toilet].why, SCHEME_WHY_UNMET);
    assert_true(r.stars[ecology].score == 100 - s->indicators[toilet].max);
    assert_true(fabs(r.scores[income].score - 2) < 1e-9); /* 4万元 × 0.5 */
    assert_int_equal(r.scores[income].why, SCHEME_WHY_PARTIAL);
    assert_true(r.vetoed[veto(s, "industry.veto.shell")]);
    assert_false(r.stars[industry].won);
    assert_int_equal(r.stars[industry].reasons[0].why, SCHEME_WHY_BELOW_PASS);
    assert_int_equal(r.stars[industry].reasons[1].index, income);
    assert_int_equal(r.stars[industry].reasons[2].why, SCHEME_WHY_VETO);
    values[elem(s, "toilet.sanitary")] = (struct fvalue){180, false}; /* exactly 90% */
    values[elem(s, "income.collective")] = (struct fvalue){50, false};
    rate_ok(s, &in, &r);
    assert_int_equal(r.scores[toilet].why, SCHEME_WHY_FULL);
    assert_int_equal(r.scores[income].why, SCHEME_WHY_FULL);
    assert_int_equal(r.level, 5);
    /* not standardised: 支部过硬星 lost, and with it every star */
    values[elem(s, "branch.standardised")] = (struct fvalue){0, false};
    rate_ok(s, &in, &r);
    assert_int_equal(r.level, 0);
    assert_int_equal(r.stars[industry].nreasons, 1);
    assert_int_equal(r.stars[industry].reasons[0].why, SCHEME_WHY_PREREQUISITE);
    scheme_free(s);
}

/* ---- a crafted scheme -------------------------------------------------- */

/* Five stars; a is the prerequisite. b holds the formula kinds over the
 * elements e1 and e2; c, d, e one yes/no indicator each. */
#define STAR(c, name)                                                                              \
    "{'code':'" c "','name':'" name "','pass_score':10,'indicators':[{'code':'" c                  \
    ".ok','name':'是否','max':10,'kind':'yesno'}]}"
#define CRAFTED                                                                                    \
    "{'code':'t-2026','name':'测试','year':2026,'applies_to':['village','社区'],"              \
    "'prerequisite':'a','source':'测试\\n第二行','categories':["                              \
    "{'code':'a','name':'甲星','pass_score':80,'indicators':["                                   \
    "{'code':'a.x','name':'评分','guide':'细则','max':60,'kind':'assessed'},"                  \
    "{'code':'a.y','name':'是否','max':40,'kind':'yesno'}],"                                     \
    "'vetoes':[{'code':'a.v','name':'否决','kind':'yesno'},"                                     \
    "{'code':'a.w','name':'否决二','kind':'yesno'}]},"                                          \
    "{'code':'b','name':'乙星','pass_score':15,'indicators':["                                   \
    "{'code':'b.bool','name':'布尔','max':10,'kind':'formula','formula':'#{e1} >= 5'},"          \
    "{'code':'b.num','name':'数值','max':10,'kind':'formula','formula':'#{e2} * 2 - #{e1}'}],"   \
    "'vetoes':[{'code':'b.v','name':'公式否决','kind':'formula','formula':'#{e2} > 100'}]}," STAR( \
        "c", "丙星") "," STAR("d", "丁星") "," STAR("e", "戊星") "]}"

enum { AX, AY, BBOOL, BNUM, COK, DOK, EOK }; /* indicator indexes */
enum { AV, AW, BV };                         /* veto indexes */
enum { A, B, C, D, E };                      /* category indexes */

struct crafted {
    struct scheme *s;
    struct scheme_answer ia[SCHEME_ALL_INDICATORS], va[SCHEME_ALL_VETOES];
    struct fvalue values[2]; /* e1, e2 */
    struct scheme_inputs in;
    struct scheme_rating r;
};

/* Every star won with full marks: a.x 60, a.y yes, e1 = 5, e2 = 10. */
static struct crafted *crafted(void)
{
    static struct crafted t;
    memset(&t, 0, sizeof t);
    t.s = parse_ok(CRAFTED);
    all_full(t.s, t.ia, t.va);
    t.values[0] = (struct fvalue){5, false};
    t.values[1] = (struct fvalue){10, false};
    t.in = (struct scheme_inputs){t.ia, t.va, t.values};
    return &t;
}

static void rate(struct crafted *t)
{
    rate_ok(t->s, &t->in, &t->r);
}

static void test_crafted_layout(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    const struct scheme *s = t->s;
    assert_string_equal(s->code, "t-2026");
    assert_int_equal(s->ncategories, 5);
    assert_int_equal(s->nindicators, 7);
    assert_int_equal(s->nvetoes, 3);
    assert_int_equal(s->prerequisite, A);
    assert_string_equal(s->source, "测试\n第二行");
    assert_true(scheme_applies(s, UNIT_KIND_VILLAGE));
    assert_true(scheme_applies(s, UNIT_KIND_COMMUNITY)); /* given as 社区 */
    assert_false(scheme_applies(s, UNIT_KIND_TOWN));
    assert_false(scheme_applies(s, -1));
    assert_false(scheme_applies(s, UNIT_KIND_COUNT));
    /* flat arrays, one contiguous range per category */
    assert_int_equal(s->categories[A].first_indicator, 0);
    assert_int_equal(s->categories[A].nindicators, 2);
    assert_int_equal(s->categories[B].first_indicator, 2);
    assert_int_equal(s->categories[E].first_indicator, 6);
    assert_int_equal(s->categories[A].nvetoes, 2);
    assert_int_equal(s->categories[B].first_veto, 2);
    assert_int_equal(s->categories[C].nvetoes, 0);
    assert_true(s->categories[A].max_score == 100);
    assert_true(s->categories[B].max_score == 20);
    assert_int_equal(s->indicators[BNUM].category, B);
    /* lookups */
    assert_int_equal(scheme_category_index(s, "d"), D);
    assert_int_equal(scheme_category_index(s, "a.x"), -1);
    assert_int_equal(scheme_indicator_index(s, "b.num"), BNUM);
    assert_int_equal(scheme_indicator_index(s, "b.v"), -1);
    assert_int_equal(scheme_veto_index(s, "b.v"), BV);
    assert_int_equal(scheme_veto_index(s, "nope"), -1);
    /* kinds, texts, formulas */
    assert_string_equal(scheme_kind_name(s->indicators[AX].kind), "assessed");
    assert_string_equal(scheme_kind_name(s->indicators[AY].kind), "yesno");
    assert_string_equal(scheme_kind_name(s->vetoes[BV].kind), "formula");
    assert_null(scheme_kind_name(0));
    assert_string_equal(s->indicators[AX].guide, "细则");
    assert_string_equal(s->indicators[AY].guide, "");
    assert_null(s->indicators[AX].formula);
    assert_null(s->indicators[AX].formula_text);
    assert_string_equal(s->indicators[BNUM].formula_text, "#{e2} * 2 - #{e1}");
    assert_non_null(s->vetoes[BV].formula);
    assert_null(s->vetoes[AV].formula);
    /* the elements, in order of first appearance, and each formula's map */
    assert_int_equal(s->nelements, 2);
    assert_string_equal(s->elements[0], "e1");
    assert_string_equal(s->elements[1], "e2");
    assert_int_equal(s->indicators[BNUM].refs[0], 1); /* its own first reference is e2 */
    assert_int_equal(s->indicators[BNUM].refs[1], 0);
    assert_int_equal(s->vetoes[BV].refs[0], 1);
    assert_string_equal(scheme_why_label(SCHEME_WHY_UNSCORED), "未评分");
    assert_string_equal(scheme_why_label(SCHEME_WHY_MISSING), "数据缺失");
    assert_string_equal(scheme_why_label(99), "");
    assert_string_equal(scheme_why_label(-1), "");
    scheme_free(t->s);
    scheme_free(NULL);
}

static void test_all_won(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    rate(t);
    assert_int_equal(t->r.level, 5);
    for (int c = A; c <= E; c++) {
        assert_true(t->r.stars[c].won);
        assert_true(t->r.stars[c].qualified);
        assert_int_equal(t->r.stars[c].nreasons, 0);
    }
    assert_true(t->r.stars[A].score == 100);
    assert_true(t->r.stars[B].score == 20); /* e1 >= 5; 10 * 2 - 5 = 15 clamped to 10 */
    for (int i = 0; i < t->s->nindicators; i++)
        assert_int_equal(t->r.scores[i].why, SCHEME_WHY_FULL);
    scheme_free(t->s);
}

/* A score equal to pass_score wins; half a point less loses. */
static void test_exact_threshold(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    t->ia[AX].score = 40; /* 40 + 40 = 80 = pass_score */
    rate(t);
    assert_true(t->r.stars[A].score == 80);
    assert_true(t->r.stars[A].won);
    assert_int_equal(t->r.stars[A].nreasons, 0);
    assert_int_equal(t->r.scores[AX].why, SCHEME_WHY_PARTIAL);
    t->ia[AX].score = 39.5;
    rate(t);
    assert_true(t->r.stars[A].score == 79.5);
    assert_false(t->r.stars[A].won);
    assert_false(t->r.stars[A].qualified);
    assert_int_equal(t->r.stars[A].nreasons, 2);
    assert_int_equal(t->r.stars[A].reasons[0].why, SCHEME_WHY_BELOW_PASS);
    assert_int_equal(t->r.stars[A].reasons[0].index, -1);
    assert_int_equal(t->r.stars[A].reasons[1].why, SCHEME_WHY_PARTIAL);
    assert_int_equal(t->r.stars[A].reasons[1].index, AX);
    /* sums are compared at 6 decimals, so inexact fractions add up as
     * people expect (b: 10 + (16.06 - 11.06) reaches its 15) */
    t->ia[AX].score = 39.9;
    t->ia[AY] = (struct scheme_answer){true, 0, true};
    rate(t);
    assert_true(t->r.stars[A].score == 79.9);
    assert_false(t->r.stars[A].won);
    t->ia[AX].score = 40;
    t->values[0] = (struct fvalue){5.1, false};
    t->values[1] = (struct fvalue){5, false}; /* 10 - 5.1 = 4.9 */
    rate(t);
    assert_true(fabs(t->r.scores[BNUM].score - 4.9) < 1e-9);
    assert_true(t->r.stars[B].score == 14.9);
    assert_false(t->r.stars[B].won);
    t->values[0] = (struct fvalue){11.06, false};
    t->values[1] = (struct fvalue){8.03, false}; /* 16.06 - 11.06 = 5 (nearly) */
    rate(t);
    assert_true(t->r.scores[BNUM].score < 5); /* as doubles go */
    assert_true(t->r.stars[B].score == 15);
    assert_true(t->r.stars[B].won);
    scheme_free(t->s);
}

/* A triggered veto beats a perfect score, by answer or by formula. */
static void test_veto_beats_perfect_score(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    t->va[AW].yes = true;
    t->values[1] = (struct fvalue){101, false}; /* e2 > 100 */
    rate(t);
    assert_true(t->r.stars[B].score == 20);
    assert_false(t->r.stars[B].won);
    assert_true(t->r.vetoed[BV]);
    assert_int_equal(t->r.stars[B].nreasons, 2);
    assert_int_equal(t->r.stars[B].reasons[0].why, SCHEME_WHY_VETO);
    assert_int_equal(t->r.stars[B].reasons[0].index, BV);
    assert_int_equal(t->r.stars[B].reasons[1].why, SCHEME_WHY_PREREQUISITE);
    /* a is the prerequisite: vetoed, it takes every star with it */
    assert_true(t->r.stars[A].score == 100);
    assert_false(t->r.vetoed[AV]);
    assert_true(t->r.vetoed[AW]);
    assert_false(t->r.stars[A].won);
    assert_int_equal(t->r.stars[A].nreasons, 1);
    assert_int_equal(t->r.stars[A].reasons[0].why, SCHEME_WHY_VETO);
    assert_int_equal(t->r.stars[A].reasons[0].index, AW);
    assert_int_equal(t->r.level, 0);
    /* an unanswered veto, a veto answered no and a missing value veto nothing */
    t->va[AW].given = false;
    t->va[AV] = (struct scheme_answer){true, 0, false};
    t->values[1] = (struct fvalue){0, true};
    rate(t);
    assert_false(t->r.vetoed[AW]);
    assert_false(t->r.vetoed[BV]);
    assert_true(t->r.stars[A].won);
    /* the answers of a formula veto are ignored */
    t->va[BV] = (struct scheme_answer){true, 0, true};
    rate(t);
    assert_false(t->r.vetoed[BV]);
    scheme_free(t->s);
}

/* Without the prerequisite star the level is 0, even with all four other
 * stars qualified on their own, and each says why. */
static void test_prerequisite(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    t->ia[AX].score = 30;
    rate(t);
    assert_int_equal(t->r.level, 0);
    assert_false(t->r.stars[A].won);
    assert_int_equal(t->r.stars[A].nreasons, 2); /* below pass, a.x short */
    for (int c = B; c <= E; c++) {
        assert_true(t->r.stars[c].qualified);
        assert_false(t->r.stars[c].won);
        assert_int_equal(t->r.stars[c].nreasons, 1);
        assert_int_equal(t->r.stars[c].reasons[0].why, SCHEME_WHY_PREREQUISITE);
        assert_int_equal(t->r.stars[c].reasons[0].index, A);
    }
    /* a star failing on its own lists its own reasons first */
    t->ia[COK].yes = false;
    rate(t);
    assert_int_equal(t->r.stars[C].nreasons, 3);
    assert_int_equal(t->r.stars[C].reasons[0].why, SCHEME_WHY_BELOW_PASS);
    assert_int_equal(t->r.stars[C].reasons[1].why, SCHEME_WHY_UNMET);
    assert_int_equal(t->r.stars[C].reasons[1].index, COK);
    assert_int_equal(t->r.stars[C].reasons[2].why, SCHEME_WHY_PREREQUISITE);
    /* with the prerequisite won, the level counts the stars won */
    t->ia[AX].score = 60;
    rate(t);
    assert_int_equal(t->r.level, 4);
    assert_false(t->r.stars[C].won);
    assert_int_equal(t->r.stars[C].nreasons, 2);
    /* a scheme without a prerequisite counts every star on its own */
    struct scheme *free_of =
        parse_ok("{'code':'t','name':'测试','year':2026,'applies_to':["
                 "'village'],'categories':[" STAR("a", "甲") "," STAR("b", "乙") "]}");
    struct scheme_answer ia[2] = {{true, 0, false}, {true, 0, true}};
    struct scheme_inputs in = {ia, NULL, NULL};
    struct scheme_rating r;
    assert_int_equal(free_of->prerequisite, -1);
    rate_ok(free_of, &in, &r);
    assert_int_equal(r.level, 1);
    assert_false(r.stars[0].won);
    assert_true(r.stars[1].won);
    scheme_free(free_of);
    scheme_free(t->s);
}

/* A person scheme (党员积分 bands): applies to no unit kind; its level is
 * the band a score reaches through numeric formulas and pass scores. */
static void test_person_bands(void **state)
{
    (void)state;
    struct scheme *s = parse_ok(
        "{'code':'bands','name':'等次','year':2026,'applies_to':['person'],'prerequisite':'ok',"
        "'categories':[{'code':'ok','name':'合格','pass_score':70,'indicators':[{'code':'ok.s',"
        "'name':'分','max':1000,'kind':'formula','formula':'#{points.score}'}]},{'code':'top',"
        "'name':'优秀','pass_score':95,'indicators':[{'code':'top.s','name':'分','max':1000,"
        "'kind':'formula','formula':'#{points.score}'}]}]}");
    assert_true(s->persons);
    for (int k = UNIT_KIND_NONE; k < UNIT_KIND_COUNT; k++)
        assert_false(scheme_applies(s, k));
    static const struct {
        double score;
        int level;
    } cases[] = {{-5, 0}, {69.99, 0}, {70, 1}, {94, 1}, {95, 2}, {120, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fvalue v = {cases[i].score, false};
        struct scheme_inputs in = {NULL, NULL, &v};
        struct scheme_rating r;
        rate_ok(s, &in, &r);
        assert_int_equal(r.level, cases[i].level);
    }
    scheme_free(s);
    /* "person" stands alone */
    struct err e;
    struct scheme *bad = NULL;
    assert_int_equal(parse_quoted("{'code':'b','name':'等次','year':2026,'applies_to':['person',"
                                  "'village'],'categories':[" STAR("a", "甲") "]}",
                                  &bad, &e),
                     ERR_INVALID);
    assert_null(bad);
}

static void test_assessed_and_yesno_scoring(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    /* not given: 0, 未评分 */
    t->ia[AX].given = false;
    t->ia[AY].given = false;
    rate(t);
    assert_true(t->r.scores[AX].score == 0);
    assert_int_equal(t->r.scores[AX].why, SCHEME_WHY_UNSCORED);
    assert_true(t->r.scores[AY].score == 0);
    assert_int_equal(t->r.scores[AY].why, SCHEME_WHY_UNSCORED);
    assert_int_equal(t->r.stars[A].nreasons, 3);
    assert_int_equal(t->r.stars[A].reasons[1].why, SCHEME_WHY_UNSCORED);
    assert_int_equal(t->r.stars[A].reasons[1].index, AX);
    assert_int_equal(t->r.stars[A].reasons[2].index, AY);
    /* no indicator answers at all: the same */
    t->in.indicators = NULL;
    rate(t);
    assert_int_equal(t->r.scores[AX].why, SCHEME_WHY_UNSCORED);
    assert_int_equal(t->r.scores[COK].why, SCHEME_WHY_UNSCORED);
    t->in.indicators = t->ia;
    /* yes = max, no = 0; the score of a yes/no answer is ignored */
    t->ia[AX] = (struct scheme_answer){true, 0, false};
    t->ia[AY] = (struct scheme_answer){true, 3, true};
    rate(t);
    assert_true(t->r.scores[AX].score == 0);
    assert_int_equal(t->r.scores[AX].why, SCHEME_WHY_PARTIAL); /* scored 0 */
    assert_true(t->r.scores[AY].score == 40);
    assert_int_equal(t->r.scores[AY].why, SCHEME_WHY_FULL);
    t->ia[AY].yes = false;
    rate(t);
    assert_true(t->r.scores[AY].score == 0);
    assert_int_equal(t->r.scores[AY].why, SCHEME_WHY_UNMET);
    /* an assessed score between 0 and max, both ends included */
    t->ia[AX] = (struct scheme_answer){true, 60, false};
    rate(t);
    assert_int_equal(t->r.scores[AX].why, SCHEME_WHY_FULL);
    t->ia[AX].score = 12.25;
    rate(t);
    assert_true(t->r.scores[AX].score == 12.25);
    scheme_free(t->s);
}

static void test_assessed_score_out_of_range(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    static const struct {
        double score;
        const char *msg;
    } cases[] = {
        {61, "a.x: 评分须在 0 到 60 之间，不能是 61"},
        {-0.5, "a.x: 评分须在 0 到 60 之间，不能是 -0.5"},
        {NAN, "a.x: 评分须在 0 到 60 之间，不能是 nan"},
        {INFINITY, "a.x: 评分须在 0 到 60 之间，不能是 inf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t->ia[AX].score = cases[i].score;
        struct err e;
        err_clear(&e);
        t->r.level = 42;
        assert_int_equal(scheme_rate(t->s, &t->in, &t->r, &e), ERR_INVALID);
        assert_string_equal(e.msg, cases[i].msg);
        assert_string_equal(e.field, "a.x");
        assert_int_equal(t->r.level, 42); /* untouched */
    }
    /* not given, the score does not matter */
    t->ia[AX].given = false;
    rate(t);
    scheme_free(t->s);
}

/* Boolean formulas score max or 0; numeric ones their value clamped to
 * [0, max]; missing data 0 with 数据缺失. */
static void test_formula_scoring(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    static const struct {
        double e1, e2;
        bool m1, m2;
        double bool_score, num_score;
        int bool_why, num_why;
    } cases[] = {
        {5, 10, 0, 0, 10, 10, SCHEME_WHY_FULL, SCHEME_WHY_FULL},        /* 15 → 10 */
        {4.99, 4, 0, 0, 0, 3.01, SCHEME_WHY_UNMET, SCHEME_WHY_PARTIAL}, /* 8 - 4.99 */
        {6, 8, 0, 0, 10, 10, SCHEME_WHY_FULL, SCHEME_WHY_FULL},         /* exactly 10 */
        {9, 2, 0, 0, 10, 0, SCHEME_WHY_FULL, SCHEME_WHY_PARTIAL},       /* -5 → 0 */
        {0, 3, 1, 0, 0, 0, SCHEME_WHY_MISSING, SCHEME_WHY_MISSING},     /* e1 missing */
        {5, 0, 0, 1, 10, 0, SCHEME_WHY_FULL, SCHEME_WHY_MISSING},       /* e2 missing */
        {INFINITY, 1, 0, 0, 0, 0, SCHEME_WHY_MISSING, SCHEME_WHY_MISSING},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t->values[0] = (struct fvalue){cases[i].e1, cases[i].m1};
        t->values[1] = (struct fvalue){cases[i].e2, cases[i].m2};
        rate(t);
        if (fabs(t->r.scores[BBOOL].score - cases[i].bool_score) > 1e-9 ||
            fabs(t->r.scores[BNUM].score - cases[i].num_score) > 1e-9 ||
            t->r.scores[BBOOL].why != cases[i].bool_why ||
            t->r.scores[BNUM].why != cases[i].num_why)
            fail_msg("case %zu: %g (%d), %g (%d)", i, t->r.scores[BBOOL].score,
                     t->r.scores[BBOOL].why, t->r.scores[BNUM].score, t->r.scores[BNUM].why);
    }
    /* no values at all: every formula missing */
    t->in.values = NULL;
    rate(t);
    assert_int_equal(t->r.scores[BBOOL].why, SCHEME_WHY_MISSING);
    assert_int_equal(t->r.scores[BNUM].why, SCHEME_WHY_MISSING);
    assert_false(t->r.vetoed[BV]);
    assert_false(t->r.stars[B].won);
    assert_int_equal(t->r.stars[B].nreasons, 3);
    assert_int_equal(t->r.stars[B].reasons[0].why, SCHEME_WHY_BELOW_PASS);
    assert_int_equal(t->r.stars[B].reasons[1].why, SCHEME_WHY_MISSING);
    assert_int_equal(t->r.stars[B].reasons[1].index, BBOOL);
    assert_int_equal(t->r.stars[B].reasons[2].index, BNUM);
    /* the answers given for formula indicators are ignored */
    t->ia[BBOOL] = (struct scheme_answer){true, 10, true};
    rate(t);
    assert_int_equal(t->r.scores[BBOOL].why, SCHEME_WHY_MISSING);
    scheme_free(t->s);
}

/* Everything wrong at once: reasons in their documented order. */
static void test_reasons_order(void **state)
{
    (void)state;
    struct crafted *t = crafted();
    t->ia[AX].score = 10;
    t->ia[AY].given = false;
    t->va[AV].yes = true;
    t->va[AW].yes = true;
    rate(t);
    const struct scheme_star *a = &t->r.stars[A];
    static const int whys[] = {SCHEME_WHY_BELOW_PASS, SCHEME_WHY_PARTIAL, SCHEME_WHY_UNSCORED,
                               SCHEME_WHY_VETO, SCHEME_WHY_VETO};
    static const int idx[] = {-1, AX, AY, AV, AW};
    assert_int_equal(a->nreasons, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(a->reasons[i].why, whys[i]);
        assert_int_equal(a->reasons[i].index, idx[i]);
    }
    assert_true(a->score == 10);
    assert_false(a->qualified);
    /* above pass, a short indicator is no reason: only the veto */
    t->ia[AX].score = 50;
    t->ia[AY] = (struct scheme_answer){true, 0, true};
    t->va[AV].yes = false;
    rate(t);
    assert_true(t->r.stars[A].score == 90);
    assert_int_equal(t->r.stars[A].nreasons, 1);
    assert_int_equal(t->r.stars[A].reasons[0].why, SCHEME_WHY_VETO);
    assert_int_equal(t->r.stars[A].reasons[0].index, AW);
    assert_int_equal(t->r.scores[AX].why, SCHEME_WHY_PARTIAL); /* the gap is still visible */
    scheme_free(t->s);
}

/* ---- validation of definitions ----------------------------------------- */

#define HEAD "{'code':'t','name':'测试','year':2026,'applies_to':['village'],"
#define I(c) "{'code':'" c "','name':'指标','max':10,'kind':'assessed'}"
#define CAT1 "{'code':'a','name':'甲','pass_score':10,'indicators':[" I("a.x") "]}"
#define CATS "'categories':[" CAT1 "]"
#define WITH_IND(ind)                                                                              \
    HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'indicators':[" ind "]}]}"
#define WITH_VETO(v)                                                                               \
    HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'indicators':[" I(                  \
        "a.x") "],'vetoes':[" v "]}]}"

static void test_definition_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json, *field, *msg;
    } cases[] = {
        /* indicators */
        {WITH_IND("{'code':'a.x','name':'指标','max':0,'kind':'assessed'}"),
         "categories[0].indicators[0].max", "categories[0].indicators[0].max: 须为正数"},
        {WITH_IND("{'code':'a.x','name':'指标','max':-5,'kind':'assessed'}"),
         "categories[0].indicators[0].max", "categories[0].indicators[0].max: 须为正数"},
        {WITH_IND("{'code':'a.x','name':'指标','max':1000.5,'kind':'assessed'}"),
         "categories[0].indicators[0].max", "categories[0].indicators[0].max: 不能超过 1000"},
        {WITH_IND("{'code':'a.x','name':'指标','max':'10','kind':'assessed'}"),
         "categories[0].indicators[0].max", "categories[0].indicators[0].max: 必须是数字"},
        {WITH_IND("{'code':'a.x','name':'指标','kind':'assessed'}"),
         "categories[0].indicators[0].max", "categories[0].indicators[0].max: 缺少此项"},
        {WITH_IND("{'code':'a.x','name':'指标','max':10,'kind':'score'}"),
         "categories[0].indicators[0].kind",
         "categories[0].indicators[0].kind: 不认识的类型 \"score\"（可用 "
         "assessed、yesno、formula）"},
        {WITH_IND("{'code':'a.x','name':'指标','max':10}"), "categories[0].indicators[0].kind",
         "categories[0].indicators[0].kind: 缺少此项"},
        {WITH_IND("{'code':'a.x','name':'指标','max':10,'kind':'formula'}"),
         "categories[0].indicators[0].formula", "categories[0].indicators[0].formula: 缺少此项"},
        {WITH_IND("{'code':'a.x','name':'指标','max':10,'kind':'formula','formula':''}"),
         "categories[0].indicators[0].formula", "categories[0].indicators[0].formula: 不能为空"},
        {WITH_IND("{'code':'a.x','name':'指标','max':10,'kind':'yesno','formula':'#{a} > 1'}"),
         "categories[0].indicators[0].formula",
         "categories[0].indicators[0].formula: 只有 \"kind\": \"formula\" 时才能有公式"},
        {WITH_IND("{'code':'a.x','name':'指标','max':10,'kind':'formula','formula':'(1 + 2'}"),
         "categories[0].indicators[0].formula",
         "categories[0].indicators[0].formula: 第 7 个字符处：缺少右括号（与第 1 "
         "个字符处的左括号配对）"},
        {WITH_IND("{'code':'a.x','name':'指标','max':10,'kind':'assessed','weight':2}"),
         "categories[0].indicators[0].weight", "categories[0].indicators[0].weight: 不认识的字段"},
        {WITH_IND("{'code':'A.x','name':'指标','max':10,'kind':'assessed'}"),
         "categories[0].indicators[0].code",
         "categories[0].indicators[0].code: 代码 \"A.x\" 须以小写字母开头，只含小写字母、数字和 _ "
         ". -"},
        {WITH_IND("{'code':'a x','name':'指标','max':10,'kind':'assessed'}"),
         "categories[0].indicators[0].code",
         "categories[0].indicators[0].code: 代码 \"a x\" 须以小写字母开头，只含小写字母、数字和 _ "
         ". -"},
        {WITH_IND("{'code':'a.x','max':10,'kind':'assessed'}"), "categories[0].indicators[0].name",
         "categories[0].indicators[0].name: 缺少此项"},
        {WITH_IND("{'code':'a.x','name':'指\\t标','max':10,'kind':'assessed'}"), NULL, NULL},
        {WITH_IND("{'code':'a.x','name':'指\\n标','max':10,'kind':'assessed'}"),
         "categories[0].indicators[0].name", "categories[0].indicators[0].name: 含有控制字符"},
        {WITH_IND("{'code':'a.x','name':'指标','guide':'一\\u0001','max':10,'kind':'assessed'}"),
         "categories[0].indicators[0].guide", "categories[0].indicators[0].guide: 含有控制字符"},
        {WITH_IND("{'code':'a.x','name':'指标','guide':7,'max':10,'kind':'assessed'}"),
         "categories[0].indicators[0].guide", "categories[0].indicators[0].guide: 必须是字符串"},
        {WITH_IND("'a.x'"), "categories[0].indicators[0]",
         "categories[0].indicators[0]: 必须是对象"},
        /* codes are unique across the scheme */
        {WITH_IND(I("a.x") "," I("a.x")), "categories[0].indicators[1].code",
         "categories[0].indicators[1].code: 代码 \"a.x\" 重复（已在 categories[0].indicators[0]）"},
        {HEAD "'categories':[" CAT1
              ",{'code':'b','name':'乙','pass_score':1,'indicators':[" I("b.x") "," I("a.x") "]}]}",
         "categories[1].indicators[1].code",
         "categories[1].indicators[1].code: 代码 \"a.x\" 重复（已在 categories[0].indicators[0]）"},
        {WITH_VETO("{'code':'a.x','name':'否决','kind':'yesno'}"), "categories[0].vetoes[0].code",
         "categories[0].vetoes[0].code: 代码 \"a.x\" 重复（已在 categories[0].indicators[0]）"},
        {HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'indicators':[" I(
             "a.x") "],'vetoes':[{'code':'a.v','name':'否','kind':'yesno'}]},"
                    "{'code':'b','name':'乙','pass_score':1,'indicators':[" I("a.v") "]}]}",
         "categories[1].indicators[0].code",
         "categories[1].indicators[0].code: 代码 \"a.v\" 重复（已在 categories[0].vetoes[0]）"},
        {HEAD "'categories':[" CAT1
              ",{'code':'a','name':'乙','pass_score':1,'indicators':[" I("b.x") "]}]}",
         "categories[1].code", "categories[1].code: 代码 \"a\" 重复（已在 categories[0]）"},
        {WITH_IND(I("a")), "categories[0].indicators[0].code",
         "categories[0].indicators[0].code: 代码 \"a\" 重复（已在 categories[0]）"},
        /* vetoes */
        {WITH_VETO("{'code':'a.v','name':'否决','kind':'assessed'}"),
         "categories[0].vetoes[0].kind",
         "categories[0].vetoes[0].kind: 否决项只能是 yesno 或 formula"},
        {WITH_VETO("{'code':'a.v','name':'否决','kind':'maybe'}"), "categories[0].vetoes[0].kind",
         "categories[0].vetoes[0].kind: 不认识的类型 \"maybe\"（可用 yesno、formula）"},
        {WITH_VETO("{'code':'a.v','name':'否决','kind':'formula','formula':'#{petitions.mass}'}"),
         "categories[0].vetoes[0].formula",
         "categories[0].vetoes[0].formula: "
         "否决项的公式须是判断（比较、and、or、not），结果为是或否"},
        {WITH_VETO("{'code':'a.v','name':'否决','kind':'yesno','max':10}"),
         "categories[0].vetoes[0].max", "categories[0].vetoes[0].max: 不认识的字段"},
        {WITH_VETO("{'code':'a.v','kind':'yesno'}"), "categories[0].vetoes[0].name",
         "categories[0].vetoes[0].name: 缺少此项"},
        {WITH_VETO("{'code':'a.v','name':'否决','kind':'formula','formula':'#{x} >'}"),
         "categories[0].vetoes[0].formula",
         "categories[0].vetoes[0].formula: 第 7 个字符处：公式不完整，末尾缺少运算数"},
        /* categories */
        {HEAD "'categories':[{'code':'a','name':'甲','pass_score':20.5,'indicators':[" I(
             "a.x") "," I("a.y") "]}]}",
         "categories[0].pass_score",
         "categories[0].pass_score: 须大于 0 且不超过各指标满分之和 20"},
        {HEAD "'categories':[{'code':'a','name':'甲','pass_score':0,'indicators':[" I("a.x") "]}]}",
         "categories[0].pass_score",
         "categories[0].pass_score: 须大于 0 且不超过各指标满分之和 10"},
        {HEAD
         "'categories':[{'code':'a','name':'甲','pass_score':'80','indicators':[" I("a.x") "]}]}",
         "categories[0].pass_score", "categories[0].pass_score: 必须是数字"},
        {HEAD "'categories':[{'code':'a','name':'甲','indicators':[" I("a.x") "]}]}",
         "categories[0].pass_score", "categories[0].pass_score: 缺少此项"},
        {HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'indicators':[]}]}",
         "categories[0].indicators", "categories[0].indicators: 不能为空"},
        {HEAD "'categories':[{'code':'a','name':'甲','pass_score':1}]}", "categories[0].indicators",
         "categories[0].indicators: 缺少此项"},
        {HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'indicators':{}}]}",
         "categories[0].indicators", "categories[0].indicators: 必须是数组"},
        {HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'indicators':[" I(
             "a.x") "],'vetoes':'none'}]}",
         "categories[0].vetoes", "categories[0].vetoes: 必须是数组"},
        {HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'star':5,'indicators':[" I(
             "a.x") "]}]}",
         "categories[0].star", "categories[0].star: 不认识的字段"},
        {HEAD "'categories':[]}", "categories", "categories: 不能为空"},
        {HEAD "'prerequisite':'a'}", "categories", "categories: 缺少此项"},
        /* the scheme */
        {HEAD CATS ",'prerequisite':'z'}", "prerequisite", "prerequisite: 没有类别 \"z\""},
        {HEAD CATS ",'prerequisite':'a.x'}", "prerequisite", "prerequisite: 没有类别 \"a.x\""},
        {HEAD CATS ",'prerequisite':3}", "prerequisite", "prerequisite: 必须是字符串"},
        {HEAD CATS ",'catgories':[]}", "catgories", "catgories: 不认识的字段"},
        {"{'code':'t','name':'测试','year':1999,'applies_to':['village']," CATS "}", "year",
         "year: 必须是 2000 到 2100 之间的整数"},
        {"{'code':'t','name':'测试','year':2101,'applies_to':['village']," CATS "}", "year",
         "year: 必须是 2000 到 2100 之间的整数"},
        {"{'code':'t','name':'测试','year':2026.5,'applies_to':['village']," CATS "}", "year",
         "year: 必须是 2000 到 2100 之间的整数"},
        {"{'code':'t','name':'测试','year':'2026','applies_to':['village']," CATS "}", "year",
         "year: 必须是 2000 到 2100 之间的整数"},
        {"{'code':'t','name':'测试','applies_to':['village']," CATS "}", "year", "year: 缺少此项"},
        {"{'code':'t','name':'测试','year':2026,'applies_to':['city']," CATS "}", "applies_to[0]",
         "applies_to[0]: 不认识的单位类型 \"city\"（如 village、community）"},
        {"{'code':'t','name':'测试','year':2026,'applies_to':['village','村']," CATS "}",
         "applies_to[1]", "applies_to[1]: 单位类型 \"village\" 重复"},
        {"{'code':'t','name':'测试','year':2026,'applies_to':[]," CATS "}", "applies_to",
         "applies_to: 不能为空"},
        {"{'code':'t','name':'测试','year':2026,'applies_to':'village'," CATS "}", "applies_to",
         "applies_to: 必须是数组"},
        {"{'code':'t','name':'测试','year':2026,'applies_to':[3]," CATS "}", "applies_to[0]",
         "applies_to[0]: 必须是字符串"},
        {"{'code':'t','name':'测试','year':2026," CATS "}", "applies_to", "applies_to: 缺少此项"},
        {"{'code':'t','name':'测试','year':2026,'applies_to':['village'],'source':['x']," CATS "}",
         "source", "source: 必须是字符串"},
        {"{'name':'测试','year':2026,'applies_to':['village']," CATS "}", "code", "code: 缺少此项"},
        {"{'code':'Village','name':'测试','year':2026,'applies_to':['village']," CATS "}", "code",
         "code: 代码 \"Village\" 须以小写字母开头，只含小写字母、数字和 _ . -"},
        {"{'code':'t','name':'','year':2026,'applies_to':['village']," CATS "}", "name",
         "name: 不能为空"},
        {"['village']", "(根)", "(根): 必须是对象"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct scheme *s = (struct scheme *)1;
        struct err e;
        int rc = parse_quoted(cases[i].json, &s, &e);
        if (!cases[i].msg) { /* a case that must parse */
            if (rc != ERR_OK) fail_msg("case %zu: %s", i, e.msg);
            scheme_free(s);
            continue;
        }
        if (rc != ERR_INVALID) fail_msg("case %zu parsed: %s", i, cases[i].json);
        assert_null(s);
        if (strcmp(e.msg, cases[i].msg) != 0 || strcmp(e.field, cases[i].field) != 0)
            fail_msg("case %zu: [%s] %s", i, e.field, e.msg);
        assert_string_equal(e.where, "bad.json");
    }
}

/* A formula's error keeps its column within the formula. */
static void test_formula_error_column(void **state)
{
    (void)state;
    struct scheme *s;
    struct err e;
    assert_int_equal(parse_quoted(WITH_IND("{'code':'a.x','name':'指标','max':10,'kind':'formula',"
                                           "'formula':'#{a} + Sum(#{b})'}"),
                                  &s, &e),
                     ERR_INVALID);
    assert_string_equal(e.msg, "categories[0].indicators[0].formula: 第 8 个字符处：未知函数 Sum");
    assert_int_equal(e.column, 8);
    assert_string_equal(e.where, "bad.json");
    assert_int_equal(e.line, 1); /* the definition's line, found by its path */
    char line[1024];
    err_format(&e, line, sizeof line);
    assert_true(strncmp(line, "bad.json:1:", 11) == 0);
}

static void test_limits_and_bad_json(void **state)
{
    (void)state;
    struct scheme *s;
    struct err e;
    static char json[48 * 1024];
    /* invalid JSON carries its line and column; duplicate keys are refused */
    assert_int_equal(parse_quoted("{\n'code': 't',\n'name' '测试'}", &s, &e), ERR_INVALID);
    assert_int_equal(e.line, 3);
    assert_true(strncmp(e.msg, "不是合法的 JSON：", strlen("不是合法的 JSON：")) == 0);
    assert_int_equal(parse_quoted("{'code':'t','code':'u'}", &s, &e), ERR_INVALID);
    /* 9 categories */
    snprintf(json, sizeof json, "%s", HEAD "'categories':[");
    for (int i = 0; i < 9; i++)
        append(json, sizeof json,
               "%s{'code':'c%d','name':'星','pass_score':1,'indicators':[" I("c%d.x") "]}",
               i ? "," : "", i, i);
    append(json, sizeof json, "%s", "]}");
    assert_int_equal(parse_quoted(json, &s, &e), ERR_INVALID);
    assert_string_equal(e.msg, "categories: 最多 8 个类别");
    /* 8 are fine */
    char *cut = strstr(json, ",{'code':'c8'");
    assert_non_null(cut);
    snprintf(cut, sizeof json - (size_t)(cut - json), "%s", "]}");
    s = parse_ok(json);
    assert_int_equal(s->ncategories, 8);
    scheme_free(s);
    /* 33 indicators; 32 are fine */
    for (int n = 32; n <= 33; n++) {
        snprintf(json, sizeof json, "%s",
                 HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'indicators':[");
        for (int i = 0; i < n; i++)
            append(json, sizeof json, "%s" I("a.x%d"), i ? "," : "", i);
        append(json, sizeof json, "%s", "]}]}");
        if (n == 32) {
            s = parse_ok(json);
            assert_int_equal(s->nindicators, 32);
            assert_true(s->categories[0].max_score == 320);
            scheme_free(s);
            continue;
        }
        assert_int_equal(parse_quoted(json, &s, &e), ERR_INVALID);
        assert_string_equal(e.msg, "categories[0].indicators: 最多 32 个指标");
    }
    /* 9 vetoes */
    snprintf(json, sizeof json, "%s",
             HEAD "'categories':[{'code':'a','name':'甲','pass_score':1,'indicators':[" I(
                 "a.x") "],'vetoes':[");
    for (int i = 0; i < 9; i++)
        append(json, sizeof json, "%s{'code':'a.v%d','name':'否','kind':'yesno'}", i ? "," : "", i);
    append(json, sizeof json, "%s", "]}]}");
    assert_int_equal(parse_quoted(json, &s, &e), ERR_INVALID);
    assert_string_equal(e.msg, "categories[0].vetoes: 最多 8 个否决项");
    /* a name of 64 bytes is fine, 66 are not (three-byte characters) */
    s = parse_ok(WITH_IND("{'code':'a.x','name':'一二三四五六七八九十一二三四五六七八九十一a',"
                          "'max':10,'kind':'assessed'}"));
    assert_int_equal(strlen(s->indicators[0].name), 64);
    scheme_free(s);
    assert_int_equal(
        parse_quoted(WITH_IND("{'code':'a.x','name':'一二三四五六七八九十一二三四五六七八九十一二',"
                              "'max':10,'kind':'assessed'}"),
                     &s, &e),
        ERR_INVALID);
    assert_string_equal(e.msg, "categories[0].indicators[0].name: 超过 64 字节");
    /* a code of 47 bytes is fine, 48 are not */
    char code[64];
    memset(code, 'a', 48);
    code[48] = '\0';
    snprintf(json, sizeof json, WITH_IND("{'code':'%s','name':'指标','max':10,'kind':'assessed'}"),
             code);
    assert_int_equal(parse_quoted(json, &s, &e), ERR_INVALID);
    assert_string_equal(e.msg, "categories[0].indicators[0].code: 超过 47 字节");
    code[47] = '\0';
    snprintf(json, sizeof json, WITH_IND("{'code':'%s','name':'指标','max':10,'kind':'assessed'}"),
             code);
    scheme_free(parse_ok(json));
    /* a guide of 2000 bytes is fine, 2001 are not; line breaks are allowed */
    for (int n = 2000; n <= 2001; n++) {
        char guide[2100];
        memset(guide, 'x', (size_t)n);
        guide[0] = '\\';
        guide[1] = 'n'; /* one byte once decoded */
        guide[n] = 'x';
        guide[n + 1] = '\0';
        snprintf(json, sizeof json,
                 WITH_IND("{'code':'a.x','name':'指标','guide':'%s','max':10,'kind':'assessed'}"),
                 guide);
        if (n == 2000) {
            s = parse_ok(json);
            assert_int_equal(strlen(s->indicators[0].guide), 2000);
            assert_int_equal(s->indicators[0].guide[0], '\n');
            scheme_free(s);
        } else {
            assert_int_equal(parse_quoted(json, &s, &e), ERR_INVALID);
            assert_string_equal(e.msg, "categories[0].indicators[0].guide: 超过 2000 字节");
        }
    }
    /* a large max is fine up to 1000 */
    s = parse_ok(WITH_IND("{'code':'a.x','name':'指标','max':1000,'kind':'assessed'}"));
    assert_true(s->indicators[0].max == 1000);
    scheme_free(s);
    /* too large a document */
    size_t big = (size_t)600 * 1024;
    char *huge = calloc(1, big);
    assert_int_equal(scheme_parse(huge, big, "huge.json", &s, &e), ERR_TOO_LARGE);
    assert_null(s);
    free(huge);
}

/* Errors after allocations (guides, formulas) leak nothing: run under
 * ASan, this is what the sanitizer build checks. */
static void test_failed_parse_frees(void **state)
{
    (void)state;
    struct scheme *s;
    struct err e;
    assert_int_equal(
        parse_quoted(HEAD "'source':'来源','categories':[{'code':'a','name':'甲','pass_score':"
                          "100,'indicators':[{'code':'a.f','name':'公式','guide':'细则','max':10,"
                          "'kind':'formula','formula':'#{x} > 1'}],'vetoes':[{'code':'a.v',"
                          "'name':'否','guide':'g','kind':'formula','formula':'#{y} + 1'}]}]}",
                     &s, &e),
        ERR_INVALID);
    assert_string_equal(e.field, "categories[0].vetoes[0].formula");
    assert_int_equal(
        parse_quoted(HEAD "'source':'来源','categories':[{'code':'a','name':'甲','pass_score':"
                          "100,'indicators':[{'code':'a.f','name':'公式','guide':'细则','max':10,"
                          "'kind':'formula','formula':'#{x} > 1'}]}]}",
                     &s, &e),
        ERR_INVALID);
    assert_string_equal(e.field, "categories[0].pass_score");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_schemes),
        cmocka_unit_test(test_shipped_schemes_rate),
        cmocka_unit_test(test_village_formulas),
        cmocka_unit_test(test_crafted_layout),
        cmocka_unit_test(test_all_won),
        cmocka_unit_test(test_exact_threshold),
        cmocka_unit_test(test_veto_beats_perfect_score),
        cmocka_unit_test(test_prerequisite),
        cmocka_unit_test(test_person_bands),
        cmocka_unit_test(test_assessed_and_yesno_scoring),
        cmocka_unit_test(test_assessed_score_out_of_range),
        cmocka_unit_test(test_formula_scoring),
        cmocka_unit_test(test_reasons_order),
        cmocka_unit_test(test_definition_errors),
        cmocka_unit_test(test_formula_error_column),
        cmocka_unit_test(test_limits_and_bad_json),
        cmocka_unit_test(test_failed_parse_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
