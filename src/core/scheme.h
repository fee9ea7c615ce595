/*
 * scheme.h — "五星"支部创建 schemes: stars, their indicators (考评细则) and
 * vetoes as data, and the rating of one unit against them (MISSION.md §2).
 *
 * A scheme is one JSON definition (schemes/<name>.json, format and rules
 * in docs/architecture.md, "Five-star schemes"), versioned per year:
 *
 *   {"code": "village-2026", "name": "农村党支部“五星”创建标准", "year": 2026,
 *    "applies_to": ["village"],          unit kind names (unit_kind_parse), ≥ 1,
 *                                        or ["person"]: a scheme rating persons
 *                                        (党员积分 bands, app/points.h)
 *    "prerequisite": "party",            optional: the category without which
 *                                        no other star counts
 *    "source": "…",                      optional: where the rules come from
 *    "categories": [                     1–8 stars
 *      {"code": "party", "name": "支部过硬星", "pass_score": 80,
 *       "indicators": [                  1–32
 *         {"code": "party.organisation", "name": "组织体系健全", "guide": "考评细则…",
 *          "max": 20, "kind": "assessed"},               a score 0..max given by people
 *         {… "kind": "yesno"},                           yes = max, no = 0
 *         {… "kind": "formula", "formula": "#{party.members} >= 10"}],
 *       "vetoes": [                      0–8
 *         {"code": "party.veto.discipline", "name": "…", "kind": "yesno"},
 *         {… "kind": "formula", "formula": "#{petitions.mass} > 0"}]}]}
 *
 * A formula indicator whose formula is boolean (formula_is_boolean) scores
 * max when true and 0 when false; a numeric one scores its value clamped
 * to [0, max]; a missing value scores 0 ("数据缺失"). A veto is triggered
 * by a yes answer or a true (boolean) formula; an unanswered veto or a
 * missing value does not trigger it. A star (category) is won when its
 * score reaches pass_score and no veto is triggered; the level is the
 * number of stars won, or 0 when the prerequisite star is not won (and
 * then no star counts as won).
 *
 * Nothing about particular stars lives in C: the shipped schemes are data.
 *
 * Ownership: scheme_parse hands the caller a scheme it frees with
 * scheme_free; everything inside (guides, formulas, element codes) belongs
 * to the scheme. A parsed scheme is immutable: any number of threads may
 * share it and rate units against it at once. scheme_rate allocates
 * nothing; its result lives in the caller's struct scheme_rating.
 *
 * Invariants of a scheme that scheme_parse returned: all codes distinct
 * (categories, indicators and vetoes share one namespace); every category
 * has 1–32 indicators and 0–8 vetoes, occupying the ranges
 * [first_indicator, first_indicator + nindicators) of indicators[] and
 * [first_veto, first_veto + nvetoes) of vetoes[], in definition order;
 * 0 < pass_score ≤ max_score; formula != NULL exactly for the formula
 * kind, and a veto's formula is boolean.
 */
#ifndef JICENG_SCHEME_H
#define JICENG_SCHEME_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "core/formula.h"

#define SCHEME_CODE_MAX       48   /* bytes of a code with its NUL */
#define SCHEME_NAME_MAX       65   /* bytes of a name with its NUL (64 of UTF-8) */
#define SCHEME_GUIDE_MAX      2000 /* bytes of a guide (考评细则) or the source text */
#define SCHEME_SCORE_MAX      1000 /* the largest max of one indicator */
#define SCHEME_YEAR_MIN       2000
#define SCHEME_YEAR_MAX       2100
#define SCHEME_CATEGORIES_MAX 8
#define SCHEME_INDICATORS_MAX 32  /* per category */
#define SCHEME_VETOES_MAX     8   /* per category */
#define SCHEME_ELEMENTS_MAX   256 /* distinct data elements over all formulas */
#define SCHEME_ALL_INDICATORS (SCHEME_CATEGORIES_MAX * SCHEME_INDICATORS_MAX)
#define SCHEME_ALL_VETOES     (SCHEME_CATEGORIES_MAX * SCHEME_VETOES_MAX)
/* At most: every indicator short, every veto triggered, below pass, prerequisite. */
#define SCHEME_REASONS_MAX (SCHEME_INDICATORS_MAX + SCHEME_VETOES_MAX + 2)

/* How an indicator is scored or a veto decided. */
enum scheme_kind {
    SCHEME_ASSESSED = 1, /* "assessed": a score 0..max given by people (indicators only) */
    SCHEME_YESNO,        /* "yesno": a yes/no answer given by people */
    SCHEME_FORMULA,      /* "formula": computed from data elements */
};

struct scheme_indicator {
    char code[SCHEME_CODE_MAX]; /* e.g. "party.organisation" */
    char name[SCHEME_NAME_MAX]; /* 组织体系健全 */
    const char *guide;          /* 考评细则, "" if none (owned by the scheme) */
    double max;                 /* full score, 0 < max ≤ 1000 */
    int kind;                   /* enum scheme_kind */
    int category;               /* index into categories */
    const char *formula_text;   /* as written; NULL unless kind is SCHEME_FORMULA */
    struct formula *formula;    /* compiled; NULL unless kind is SCHEME_FORMULA */
    int *refs; /* refs[i]: index into elements of formula_ref(formula, i) (owned) */
};

struct scheme_veto {
    char code[SCHEME_CODE_MAX]; /* e.g. "party.veto.discipline" */
    char name[SCHEME_NAME_MAX]; /* 班子成员受到党纪政务处分 */
    const char *guide;          /* "" if none (owned by the scheme) */
    int kind;                   /* SCHEME_YESNO or SCHEME_FORMULA */
    int category;
    const char *formula_text;
    struct formula *formula; /* boolean */
    int *refs;
};

struct scheme_category {
    char code[SCHEME_CODE_MAX]; /* e.g. "party" */
    char name[SCHEME_NAME_MAX]; /* 支部过硬星 */
    double pass_score;          /* the star is won from this score on */
    double max_score;           /* sum of the indicators' max */
    int first_indicator, nindicators;
    int first_veto, nvetoes;
};

struct scheme {
    char code[SCHEME_CODE_MAX]; /* e.g. "village-2026" */
    char name[SCHEME_NAME_MAX];
    int year;
    unsigned applies_to; /* bit (1u << kind) per enum unit_kind */
    bool persons;        /* rates persons ("applies_to": ["person"]), no unit kind */
    int prerequisite;    /* category index, -1 if none */
    const char *source;  /* "" if none (owned) */
    struct scheme_category categories[SCHEME_CATEGORIES_MAX];
    int ncategories;
    struct scheme_indicator indicators[SCHEME_ALL_INDICATORS]; /* grouped by category */
    int nindicators;
    struct scheme_veto vetoes[SCHEME_ALL_VETOES]; /* grouped by category */
    int nvetoes;
    /* The distinct data element codes the formulas reference, in order of
     * first appearance: what a caller fetches before rating. The strings
     * live as long as the scheme. */
    const char *elements[SCHEME_ELEMENTS_MAX];
    int nelements;
};

/* Parses and validates one definition. `name` (the file name) goes into
 * err->where; err->field is the JSON path of the offending member and the
 * message starts with it: `categories[2].indicators[0].max: 须为正数`. A
 * formula's compile error keeps the formula's message and, in
 * err->column, the character column within the formula. Invalid JSON
 * carries its line and column. On success *out is the caller's, to free
 * with scheme_free; on failure *out is NULL. */
int scheme_parse(const char *json, size_t len, const char *name, struct scheme **out,
                 struct err *err);
/* scheme_free(NULL) is a no-op. */
void scheme_free(struct scheme *s);

/* Index of the category, indicator or veto with this code; -1 if none. */
int scheme_category_index(const struct scheme *s, const char *code);
int scheme_indicator_index(const struct scheme *s, const char *code);
int scheme_veto_index(const struct scheme *s, const char *code);
/* True if the scheme is meant for units of this kind (enum unit_kind). */
bool scheme_applies(const struct scheme *s, int kind);
/* "assessed", "yesno", "formula"; NULL for anything else. */
const char *scheme_kind_name(int kind);

/* ---- rating ------------------------------------------------------------ */

/* What people gave for one indicator or veto. */
struct scheme_answer {
    bool given;   /* false: not scored / not answered yet */
    double score; /* an assessed indicator's score, 0..max */
    bool yes;     /* a yesno indicator's or veto's answer */
};

struct scheme_inputs {
    /* [s->nindicators], by index; NULL = nothing given. Ignored for formula indicators. */
    const struct scheme_answer *indicators;
    /* [s->nvetoes], by index; NULL = nothing given. Ignored for formula vetoes. */
    const struct scheme_answer *vetoes;
    /* [s->nelements]: values of s->elements[i]; NULL = all missing. */
    const struct fvalue *values;
};

/* Why an indicator scored what it did, or why a star is not won. */
enum scheme_why {
    SCHEME_WHY_FULL = 0,     /* 满分 */
    SCHEME_WHY_PARTIAL,      /* 未得满分: an assessed score or a numeric formula below max */
    SCHEME_WHY_UNSCORED,     /* 未评分: an assessed or yesno indicator not given: 0 */
    SCHEME_WHY_UNMET,        /* 未达到要求: answered no, or a boolean formula false */
    SCHEME_WHY_MISSING,      /* 数据缺失: a formula whose value is missing: 0 */
    SCHEME_WHY_VETO,         /* 触发否决项 */
    SCHEME_WHY_BELOW_PASS,   /* 得分低于达标分 */
    SCHEME_WHY_PREREQUISITE, /* 前置星未获得 */
};

struct scheme_reason {
    int why; /* enum scheme_why */
    /* FULL…MISSING: indicator index; VETO: veto index; PREREQUISITE: the
     * prerequisite's category index; BELOW_PASS: -1. */
    int index;
};

struct scheme_indicator_score {
    double score; /* 0..max */
    int why;      /* SCHEME_WHY_FULL … SCHEME_WHY_MISSING */
};

struct scheme_star {
    double score;   /* sum of its indicators' scores */
    bool qualified; /* on its own merits: score ≥ pass_score and no veto */
    bool won;       /* qualified, and the prerequisite (if any) won */
    /* Why it is not won (nreasons 0 when won), in this order: when the
     * score is below pass_score, BELOW_PASS followed by every indicator
     * below its max; every triggered veto; PREREQUISITE when the
     * prerequisite star (another one) is not won. */
    struct scheme_reason reasons[SCHEME_REASONS_MAX];
    int nreasons;
};

struct scheme_rating {
    int level; /* stars won, 0 if the prerequisite is not won */
    struct scheme_star stars[SCHEME_CATEGORIES_MAX];             /* by category index */
    struct scheme_indicator_score scores[SCHEME_ALL_INDICATORS]; /* by indicator index */
    bool vetoed[SCHEME_ALL_VETOES];                              /* by veto index */
};

/* Rates one unit. Scores are compared with pass_score after rounding their
 * sum to 6 decimals, so that 79.9 + 0.1 reaches 80. Returns ERR_INVALID,
 * err->field the indicator code and out untouched, when a given assessed
 * score is not a number within 0..max (`party.organisation: 评分须在 0 到
 * 20 之间，不能是 25`). */
int scheme_rate(const struct scheme *s, const struct scheme_inputs *in, struct scheme_rating *out,
                struct err *err);

/* 满分, 未得满分, 未评分, 未达到要求, 数据缺失, 触发否决项, 得分低于达标分,
 * 前置星未获得; "" for anything else. */
const char *scheme_why_label(int why);

#endif
