/*
 * scheme.c — "五星" schemes read from JSON definitions, and the rating of
 * one unit against a scheme (scheme.h).
 *
 * Parsing reads the whole definition into one fixed-size struct scheme;
 * only guides, the source text, formulas and their reference maps are
 * separate allocations. Indicators and vetoes of all categories sit in two
 * flat arrays, each category owning a contiguous range, so callers index
 * inputs and results by one number. Formulas are compiled once here; the
 * data elements they reference are collected into one list, and each
 * formula keeps a map from its own references to that list, so a caller
 * fetches each element's value once and rating is a loop without lookups.
 * Every error names the JSON path it concerns, since a definition is
 * written by hand.
 *
 * Rating allocates nothing and never fails on data: missing values and
 * missing answers score 0 (or trigger no veto) and say why.
 */
#include "core/scheme.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "io/json_def.h"
#include "core/unit.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEME_JSON_MAX ((size_t)512 * 1024) /* a scheme is some tens of kilobytes */

/* The kinds by name; `veto` says whether a veto may have it. */
static const struct {
    const char *name;
    int kind;
    bool veto;
} kinds_table[] = {
    {"assessed", SCHEME_ASSESSED, false},
    {"yesno", SCHEME_YESNO, true},
    {"formula", SCHEME_FORMULA, true},
};
#define NKINDS (sizeof kinds_table / sizeof kinds_table[0])

static const char *const why_labels[] = {
    [SCHEME_WHY_FULL] = "满分",
    [SCHEME_WHY_PARTIAL] = "未得满分",
    [SCHEME_WHY_UNSCORED] = "未评分",
    [SCHEME_WHY_UNMET] = "未达到要求",
    [SCHEME_WHY_MISSING] = "数据缺失",
    [SCHEME_WHY_VETO] = "触发否决项",
    [SCHEME_WHY_BELOW_PASS] = "得分低于达标分",
    [SCHEME_WHY_PREREQUISITE] = "前置星未获得",
};

/* ---- parsing helpers --------------------------------------------------- */

struct parse {
    struct jdef d; /* file name and error */
    struct scheme *s;
};

/* s cut to whole characters within 40 bytes, for quoting in a message. */
static const char *clip(const char *s, char buf[48])
{
    size_t n = 0, len = strlen(s), k;
    while (n < len && (k = utf8_seq_len((const unsigned char *)s + n, len - n)) && n + k <= 40)
        n += k;
    snprintf(buf, 48, "%.*s%s", (int)n, s, n < len ? "…" : "");
    return buf;
}

/* An optional long text (a guide, the source): at most SCHEME_GUIDE_MAX
 * bytes, line breaks and tabs allowed but no other control character.
 * *out is a new copy, "" when absent. */
static int text_member(struct parse *p, json_t *o, const char *path, const char *key,
                       const char **out)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    json_t *v = jdef_member(o, key);
    *out = NULL;
    if (v && !json_is_string(v)) return jdef_bad(&p->d, at, "必须是字符串");
    const char *s = v ? json_string_value(v) : "";
    size_t n = v ? json_string_length(v) : 0;
    if (n > SCHEME_GUIDE_MAX) return jdef_bad(&p->d, at, "超过 %d 字节", SCHEME_GUIDE_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
            return jdef_bad(&p->d, at, "含有控制字符");
    }
    *out = xstrndup(s, n);
    return ERR_OK;
}

/* Codes: a lower-case letter, then lower-case letters, digits, '_', '.'
 * and '-' (indicator codes read like data element codes: party.members). */
static int code_member(struct parse *p, json_t *o, const char *path, char *dst)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "code");
    int rc = jdef_str(&p->d, o, path, "code", dst, SCHEME_CODE_MAX);
    if (rc) return rc;
    bool ok = dst[0] >= 'a' && dst[0] <= 'z';
    for (const char *c = dst; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr("_.-", *c);
    if (ok) return ERR_OK;
    char quoted[48];
    return jdef_bad(&p->d, at, "代码 \"%s\" 须以小写字母开头，只含小写字母、数字和 _ . -",
                    clip(dst, quoted));
}

/* A number member: present and a JSON number (integer or real). */
static int num_member(struct parse *p, json_t *o, const char *path, const char *key, double *out)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    json_t *v = jdef_member(o, key);
    *out = 0;
    if (!v) return jdef_bad(&p->d, at, "缺少此项");
    if (!json_is_number(v)) return jdef_bad(&p->d, at, "必须是数字");
    *out = json_number_value(v);
    return ERR_OK;
}

/* An array member of at most max elements; *out NULL when absent and optional. */
static int array_member(struct parse *p, json_t *o, const char *path, const char *key,
                        bool optional, size_t max, const char *what, json_t **out)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    json_t *v = jdef_member(o, key);
    *out = v;
    if (!v) return optional ? ERR_OK : jdef_bad(&p->d, at, "缺少此项");
    if (!json_is_array(v)) return jdef_bad(&p->d, at, "必须是数组");
    if (json_array_size(v) > max) return jdef_bad(&p->d, at, "最多 %zu 个%s", max, what);
    if (!optional && json_array_size(v) == 0) return jdef_bad(&p->d, at, "不能为空");
    return ERR_OK;
}

/* ---- codes ------------------------------------------------------------- */

/* The JSON path of whatever already has this code, other than `self`
 * (categories, indicators and vetoes share one namespace); false if none. */
static bool code_taken(const struct scheme *s, const char *code, const char *self, char *where)
{
    for (int c = 0; c < s->ncategories; c++) {
        const struct scheme_category *cat = &s->categories[c];
        if (cat->code != self && strcmp(cat->code, code) == 0) {
            snprintf(where, JDEF_PATH_MAX, "categories[%d]", c);
            return true;
        }
    }
    for (int i = 0; i < s->nindicators; i++) {
        const struct scheme_indicator *ind = &s->indicators[i];
        if (ind->code != self && strcmp(ind->code, code) == 0) {
            snprintf(where, JDEF_PATH_MAX, "categories[%d].indicators[%d]", ind->category,
                     i - s->categories[ind->category].first_indicator);
            return true;
        }
    }
    for (int i = 0; i < s->nvetoes; i++) {
        const struct scheme_veto *v = &s->vetoes[i];
        if (v->code != self && strcmp(v->code, code) == 0) {
            snprintf(where, JDEF_PATH_MAX, "categories[%d].vetoes[%d]", v->category,
                     i - s->categories[v->category].first_veto);
            return true;
        }
    }
    return false;
}

static int unique_code(struct parse *p, const char *path, const char *code)
{
    char at[JDEF_PATH_MAX], where[JDEF_PATH_MAX];
    if (!code_taken(p->s, code, code, where)) return ERR_OK;
    jdef_join(at, path, "code");
    return jdef_bad(&p->d, at, "代码 \"%s\" 重复（已在 %s）", code, where);
}

/* ---- kinds and formulas ------------------------------------------------ */

static int kind_member(struct parse *p, json_t *o, const char *path, bool veto, int *out)
{
    char at[JDEF_PATH_MAX], kind[16], quoted[48];
    jdef_join(at, path, "kind");
    json_t *v = jdef_member(o, "kind");
    if (!v) return jdef_bad(&p->d, at, "缺少此项");
    if (!json_is_string(v)) return jdef_bad(&p->d, at, "必须是字符串");
    const char *s = json_string_value(v);
    for (size_t k = 0; k < NKINDS; k++) {
        if (strcmp(kinds_table[k].name, s) != 0) continue;
        if (veto && !kinds_table[k].veto)
            return jdef_bad(&p->d, at, "否决项只能是 yesno 或 formula");
        *out = kinds_table[k].kind;
        return ERR_OK;
    }
    snprintf(kind, sizeof kind, "%s", veto ? "" : "assessed、");
    return jdef_bad(&p->d, at, "不认识的类型 \"%s\"（可用 %syesno、formula）", clip(s, quoted),
                    kind);
}

/* The index of element `code` in s->elements, appending it if new. */
static int element_slot(struct parse *p, const char *path, const char *code)
{
    struct scheme *s = p->s;
    for (int i = 0; i < s->nelements; i++)
        if (strcmp(s->elements[i], code) == 0) return i;
    if (s->nelements == SCHEME_ELEMENTS_MAX)
        return jdef_bad(&p->d, path, "整个方案最多引用 %d 个数据元", SCHEME_ELEMENTS_MAX);
    s->elements[s->nelements] = code;
    return s->nelements++;
}

/* The "formula" member: present exactly for the formula kind, compiled,
 * boolean for a veto; its references registered as scheme elements. */
static int formula_member(struct parse *p, json_t *o, const char *path, int kind, bool veto,
                          const char **text, struct formula **f, int **refs)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "formula");
    json_t *v = jdef_member(o, "formula");
    if (kind != SCHEME_FORMULA)
        return v ? jdef_bad(&p->d, at, "只有 \"kind\": \"formula\" 时才能有公式") : ERR_OK;
    if (!v) return jdef_bad(&p->d, at, "缺少此项");
    if (!json_is_string(v)) return jdef_bad(&p->d, at, "必须是字符串");
    if (json_string_length(v) == 0) return jdef_bad(&p->d, at, "不能为空");
    struct err fe;
    err_clear(&fe);
    if (formula_compile(json_string_value(v), json_string_length(v), f, &fe) != ERR_OK) {
        jdef_bad(&p->d, at, "%s", fe.msg);
        p->d.err->column = fe.column;
        return ERR_INVALID;
    }
    *text = xstrndup(json_string_value(v), json_string_length(v));
    if (veto && !formula_is_boolean(*f))
        return jdef_bad(&p->d, at, "否决项的公式须是判断（比较、and、or、not），结果为是或否");
    size_t n = formula_nrefs(*f);
    *refs = xcalloc(n ? n : 1, sizeof **refs);
    for (size_t i = 0; i < n; i++) {
        int slot = element_slot(p, at, formula_ref(*f, i));
        if (slot < 0) return slot;
        (*refs)[i] = slot;
    }
    return ERR_OK;
}

/* ---- indicators, vetoes, categories ------------------------------------ */

static int read_indicator(struct parse *p, json_t *o, const char *path,
                          struct scheme_indicator *ind)
{
    static const char *const keys[] = {"code", "name", "guide", "max", "kind", "formula", NULL};
    char at[JDEF_PATH_MAX];
    int rc = jdef_object(&p->d, o, path);
    if (!rc) rc = jdef_only(&p->d, o, path, keys);
    if (!rc) rc = code_member(p, o, path, ind->code);
    if (!rc) rc = unique_code(p, path, ind->code);
    if (!rc) rc = jdef_str(&p->d, o, path, "name", ind->name, sizeof ind->name);
    if (!rc) rc = text_member(p, o, path, "guide", &ind->guide);
    if (!rc) rc = num_member(p, o, path, "max", &ind->max);
    if (rc) return rc;
    jdef_join(at, path, "max");
    if (!(ind->max > 0)) return jdef_bad(&p->d, at, "须为正数");
    if (ind->max > SCHEME_SCORE_MAX) return jdef_bad(&p->d, at, "不能超过 %d", SCHEME_SCORE_MAX);
    rc = kind_member(p, o, path, false, &ind->kind);
    if (!rc)
        rc = formula_member(p, o, path, ind->kind, false, &ind->formula_text, &ind->formula,
                            &ind->refs);
    return rc;
}

static int read_veto(struct parse *p, json_t *o, const char *path, struct scheme_veto *v)
{
    static const char *const keys[] = {"code", "name", "guide", "kind", "formula", NULL};
    int rc = jdef_object(&p->d, o, path);
    if (!rc) rc = jdef_only(&p->d, o, path, keys);
    if (!rc) rc = code_member(p, o, path, v->code);
    if (!rc) rc = unique_code(p, path, v->code);
    if (!rc) rc = jdef_str(&p->d, o, path, "name", v->name, sizeof v->name);
    if (!rc) rc = text_member(p, o, path, "guide", &v->guide);
    if (!rc) rc = kind_member(p, o, path, true, &v->kind);
    if (!rc)
        rc = formula_member(p, o, path, v->kind, true, &v->formula_text, &v->formula, &v->refs);
    return rc;
}

/* Indicators and vetoes are appended to the scheme's arrays as they are
 * read (counted before they are filled, so scheme_free releases whatever
 * a failed parse left in them). */
static int read_indicators(struct parse *p, json_t *o, const char *path, int c)
{
    struct scheme *s = p->s;
    struct scheme_category *cat = &s->categories[c];
    char at[JDEF_PATH_MAX];
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, o, path, "indicators", false, SCHEME_INDICATORS_MAX, "指标", &a);
    if (rc) return rc;
    jdef_join(at, path, "indicators");
    cat->first_indicator = s->nindicators;
    json_array_foreach(a, i, v)
    {
        char item[JDEF_PATH_MAX];
        jdef_index(item, at, i);
        struct scheme_indicator *ind = &s->indicators[s->nindicators++];
        ind->category = c;
        cat->nindicators++;
        if ((rc = read_indicator(p, v, item, ind))) return rc;
        cat->max_score += ind->max;
    }
    return ERR_OK;
}

static int read_vetoes(struct parse *p, json_t *o, const char *path, int c)
{
    struct scheme *s = p->s;
    struct scheme_category *cat = &s->categories[c];
    char at[JDEF_PATH_MAX];
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, o, path, "vetoes", true, SCHEME_VETOES_MAX, "否决项", &a);
    cat->first_veto = s->nvetoes;
    if (rc || !a) return rc;
    jdef_join(at, path, "vetoes");
    json_array_foreach(a, i, v)
    {
        char item[JDEF_PATH_MAX];
        jdef_index(item, at, i);
        struct scheme_veto *veto = &s->vetoes[s->nvetoes++];
        veto->category = c;
        cat->nvetoes++;
        if ((rc = read_veto(p, v, item, veto))) return rc;
    }
    return ERR_OK;
}

static int read_category(struct parse *p, json_t *o, const char *path, int c)
{
    static const char *const keys[] = {"code", "name", "pass_score", "indicators", "vetoes", NULL};
    struct scheme_category *cat = &p->s->categories[c];
    char at[JDEF_PATH_MAX];
    int rc = jdef_object(&p->d, o, path);
    if (!rc) rc = jdef_only(&p->d, o, path, keys);
    if (!rc) rc = code_member(p, o, path, cat->code);
    if (!rc) rc = unique_code(p, path, cat->code);
    if (!rc) rc = jdef_str(&p->d, o, path, "name", cat->name, sizeof cat->name);
    if (!rc) rc = num_member(p, o, path, "pass_score", &cat->pass_score);
    if (!rc) rc = read_indicators(p, o, path, c);
    if (!rc) rc = read_vetoes(p, o, path, c);
    if (rc) return rc;
    jdef_join(at, path, "pass_score");
    if (!(cat->pass_score > 0) || cat->pass_score > cat->max_score)
        return jdef_bad(&p->d, at, "须大于 0 且不超过各指标满分之和 %g", cat->max_score);
    return ERR_OK;
}

static int read_categories(struct parse *p, json_t *root)
{
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, root, "", "categories", false, SCHEME_CATEGORIES_MAX, "类别", &a);
    if (rc) return rc;
    json_array_foreach(a, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "categories", i);
        if ((rc = read_category(p, v, path, p->s->ncategories++))) return rc;
    }
    return ERR_OK;
}

/* ---- the scheme -------------------------------------------------------- */

static int read_year(struct parse *p, json_t *root)
{
    json_t *v = jdef_member(root, "year");
    if (!v) return jdef_bad(&p->d, "year", "缺少此项");
    json_int_t y = json_is_integer(v) ? json_integer_value(v) : 0;
    if (y < SCHEME_YEAR_MIN || y > SCHEME_YEAR_MAX)
        return jdef_bad(&p->d, "year", "必须是 %d 到 %d 之间的整数", SCHEME_YEAR_MIN,
                        SCHEME_YEAR_MAX);
    p->s->year = (int)y;
    return ERR_OK;
}

static int read_applies_to(struct parse *p, json_t *root)
{
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, root, "", "applies_to", false, UNIT_KIND_COUNT, "单位类型", &a);
    if (rc) return rc;
    json_array_foreach(a, i, v)
    {
        char path[JDEF_PATH_MAX], quoted[48];
        jdef_index(path, "applies_to", i);
        if (!json_is_string(v)) return jdef_bad(&p->d, path, "必须是字符串");
        if (strcmp(json_string_value(v), "person") == 0 && json_array_size(a) == 1) {
            p->s->persons = true; /* rates persons: no unit kind with it */
            continue;
        }
        int kind = unit_kind_parse(json_string_value(v), json_string_length(v));
        if (kind <= UNIT_KIND_NONE)
            return jdef_bad(&p->d, path, "不认识的单位类型 \"%s\"（如 village、community）",
                            clip(json_string_value(v), quoted));
        if (p->s->applies_to & (1u << kind))
            return jdef_bad(&p->d, path, "单位类型 \"%s\" 重复", unit_kind_name(kind));
        p->s->applies_to |= 1u << kind;
    }
    return ERR_OK;
}

static int read_prerequisite(struct parse *p, json_t *root)
{
    char code[SCHEME_CODE_MAX], quoted[48];
    p->s->prerequisite = -1;
    if (!jdef_member(root, "prerequisite")) return ERR_OK;
    int rc = jdef_str(&p->d, root, "", "prerequisite", code, sizeof code);
    if (rc) return rc;
    p->s->prerequisite = scheme_category_index(p->s, code);
    if (p->s->prerequisite < 0)
        return jdef_bad(&p->d, "prerequisite", "没有类别 \"%s\"", clip(code, quoted));
    return ERR_OK;
}

static int read_scheme(struct parse *p, json_t *root)
{
    static const char *const keys[] = {"code",   "name",       "year",         "applies_to",
                                       "source", "categories", "prerequisite", NULL};
    struct scheme *s = p->s;
    int rc = jdef_object(&p->d, root, "(根)");
    if (!rc) rc = jdef_only(&p->d, root, "", keys);
    if (!rc) rc = code_member(p, root, "", s->code);
    if (!rc) rc = jdef_str(&p->d, root, "", "name", s->name, sizeof s->name);
    if (!rc) rc = read_year(p, root);
    if (!rc) rc = read_applies_to(p, root);
    if (!rc) rc = text_member(p, root, "", "source", &s->source);
    if (!rc) rc = read_categories(p, root);
    if (!rc) rc = read_prerequisite(p, root);
    return rc;
}

int scheme_parse(const char *json, size_t len, const char *name, struct scheme **out,
                 struct err *err)
{
    *out = NULL;
    json_t *root;
    int rc = jdef_load(json, len, SCHEME_JSON_MAX, "创建标准", name, &root, err);
    if (rc) return rc;
    struct parse p = {{name, err, json, len}, xcalloc(1, sizeof(struct scheme))};
    rc = read_scheme(&p, root);
    json_decref(root);
    if (rc) {
        scheme_free(p.s);
        return rc;
    }
    *out = p.s;
    return ERR_OK;
}

void scheme_free(struct scheme *s)
{
    if (!s) return;
    for (int i = 0; i < s->nindicators; i++) {
        struct scheme_indicator *ind = &s->indicators[i];
        free((char *)ind->guide);
        free((char *)ind->formula_text);
        formula_free(ind->formula);
        free(ind->refs);
    }
    for (int i = 0; i < s->nvetoes; i++) {
        struct scheme_veto *v = &s->vetoes[i];
        free((char *)v->guide);
        free((char *)v->formula_text);
        formula_free(v->formula);
        free(v->refs);
    }
    free((char *)s->source);
    free(s);
}

/* ---- queries ----------------------------------------------------------- */

int scheme_category_index(const struct scheme *s, const char *code)
{
    for (int i = 0; i < s->ncategories; i++)
        if (strcmp(s->categories[i].code, code) == 0) return i;
    return -1;
}

int scheme_indicator_index(const struct scheme *s, const char *code)
{
    for (int i = 0; i < s->nindicators; i++)
        if (strcmp(s->indicators[i].code, code) == 0) return i;
    return -1;
}

int scheme_veto_index(const struct scheme *s, const char *code)
{
    for (int i = 0; i < s->nvetoes; i++)
        if (strcmp(s->vetoes[i].code, code) == 0) return i;
    return -1;
}

bool scheme_applies(const struct scheme *s, int kind)
{
    return kind > UNIT_KIND_NONE && kind < UNIT_KIND_COUNT && (s->applies_to & (1u << kind));
}

const char *scheme_kind_name(int kind)
{
    for (size_t k = 0; k < NKINDS; k++)
        if (kinds_table[k].kind == kind) return kinds_table[k].name;
    return NULL;
}

const char *scheme_why_label(int why)
{
    if (why < 0 || why >= (int)(sizeof why_labels / sizeof why_labels[0])) return "";
    return why_labels[why];
}

/* ---- rating ------------------------------------------------------------ */

/* A formula's value with its references looked up in the caller's values. */
static struct fvalue eval(const struct formula *f, const int *refs, const struct fvalue *values)
{
    struct fvalue args[FORMULA_REFS_MAX];
    size_t n = formula_nrefs(f);
    assert(n <= FORMULA_REFS_MAX);
    for (size_t i = 0; i < n; i++)
        args[i] = values ? values[refs[i]] : (struct fvalue){0, true};
    return formula_eval(f, n ? args : NULL);
}

static struct scheme_indicator_score score_of(const struct scheme_indicator *ind,
                                              const struct scheme_answer *a,
                                              const struct fvalue *values)
{
    struct scheme_indicator_score r = {0, SCHEME_WHY_UNSCORED};
    if (ind->kind == SCHEME_FORMULA) {
        struct fvalue v = eval(ind->formula, ind->refs, values);
        if (v.missing) {
            r.why = SCHEME_WHY_MISSING;
        } else if (formula_is_boolean(ind->formula)) {
            r.score = v.v != 0 ? ind->max : 0;
            r.why = v.v != 0 ? SCHEME_WHY_FULL : SCHEME_WHY_UNMET;
        } else {
            r.score = v.v < 0 ? 0 : v.v > ind->max ? ind->max : v.v;
            r.why = r.score >= ind->max ? SCHEME_WHY_FULL : SCHEME_WHY_PARTIAL;
        }
    } else if (a && a->given && ind->kind == SCHEME_YESNO) {
        r.score = a->yes ? ind->max : 0;
        r.why = a->yes ? SCHEME_WHY_FULL : SCHEME_WHY_UNMET;
    } else if (a && a->given) {
        r.score = a->score;
        r.why = a->score >= ind->max ? SCHEME_WHY_FULL : SCHEME_WHY_PARTIAL;
    }
    return r;
}

static bool vetoed(const struct scheme_veto *v, const struct scheme_answer *a,
                   const struct fvalue *values)
{
    if (v->kind == SCHEME_YESNO) return a && a->given && a->yes;
    struct fvalue r = eval(v->formula, v->refs, values);
    return !r.missing && r.v != 0;
}

static int check_answers(const struct scheme *s, const struct scheme_inputs *in, struct err *err)
{
    for (int i = 0; in->indicators && i < s->nindicators; i++) {
        const struct scheme_indicator *ind = &s->indicators[i];
        const struct scheme_answer *a = &in->indicators[i];
        if (ind->kind != SCHEME_ASSESSED || !a->given) continue;
        if (!isfinite(a->score) || a->score < 0 || a->score > ind->max)
            return err_set_field(err, ERR_INVALID, ind->code,
                                 "%s: 评分须在 0 到 %g 之间，不能是 %g", ind->code, ind->max,
                                 a->score);
    }
    return ERR_OK;
}

static void add_reason(struct scheme_star *st, int why, int index)
{
    assert(st->nreasons < SCHEME_REASONS_MAX);
    st->reasons[st->nreasons++] = (struct scheme_reason){why, index};
}

/* One star on its own merits: score, vetoes, qualified, and its reasons. */
static void rate_star(const struct scheme *s, int c, const struct scheme_inputs *in,
                      struct scheme_rating *out)
{
    const struct scheme_category *cat = &s->categories[c];
    struct scheme_star *st = &out->stars[c];
    int end = cat->first_indicator + cat->nindicators;
    double total = 0;
    for (int i = cat->first_indicator; i < end; i++) {
        out->scores[i] =
            score_of(&s->indicators[i], in->indicators ? &in->indicators[i] : NULL, in->values);
        total += out->scores[i].score;
    }
    st->score = round(total * 1e6) / 1e6;
    if (st->score < cat->pass_score) {
        add_reason(st, SCHEME_WHY_BELOW_PASS, -1);
        for (int i = cat->first_indicator; i < end; i++)
            if (out->scores[i].why != SCHEME_WHY_FULL) add_reason(st, out->scores[i].why, i);
    }
    for (int i = cat->first_veto; i < cat->first_veto + cat->nvetoes; i++) {
        out->vetoed[i] = vetoed(&s->vetoes[i], in->vetoes ? &in->vetoes[i] : NULL, in->values);
        if (out->vetoed[i]) add_reason(st, SCHEME_WHY_VETO, i);
    }
    st->qualified = st->nreasons == 0;
}

int scheme_rate(const struct scheme *s, const struct scheme_inputs *in, struct scheme_rating *out,
                struct err *err)
{
    static const struct scheme_inputs none = {0};
    if (!in) in = &none;
    int rc = check_answers(s, in, err);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    for (int c = 0; c < s->ncategories; c++)
        rate_star(s, c, in, out);
    int pre = s->prerequisite;
    bool pre_won = pre < 0 || out->stars[pre].qualified;
    for (int c = 0; c < s->ncategories; c++) {
        struct scheme_star *st = &out->stars[c];
        if (!pre_won && c != pre) add_reason(st, SCHEME_WHY_PREREQUISITE, pre);
        st->won = st->qualified && pre_won;
        out->level += st->won;
    }
    return ERR_OK;
}
