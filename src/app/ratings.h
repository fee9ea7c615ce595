/*
 * ratings.h — the "五星"支部创建 year of a unit: target, self-assessment
 * with evidence, township and county review, public notice with
 * objections, naming and withdrawal of stars; computed results per unit
 * and per subtree; the creation checklist; 支部联建 pairs.
 *
 * The stars are data (schemes/NAME.json, core/scheme.c); the cycle's states
 * and who may take each step are data (cycles/rating.json, checked by
 * core/workflow.c). Every change is permission-checked, scoped, written
 * with its timeline event and audit record in one transaction. A unit has
 * at most one rating per scheme.
 *
 * Results: a unit's stars are what scheme_rate gives from its answers and
 * the year's data values (each formula element rolled up for the scheme's
 * year, app/analytics.c); once named, the level and stars won are fixed,
 * less the stars withdrawn since.
 */
#ifndef JICENG_RATINGS_H
#define JICENG_RATINGS_H

#include "app/app.h"
#include "app/files.h"
#include "core/scheme.h"
#include "core/workflow.h"

#define RATING_NOTE_MAX    2000 /* bytes of a note, reason or objection */
#define RATING_NOTICE_DAYS 5    /* default length of the public notice (公示) */
#define RATING_NOTICE_MAX  30

int ratings_init(struct app *app, struct err *err);
void ratings_free(struct app *app);
/* The scheme with this code, or NULL; the schemes in load order. */
const struct scheme *ratings_scheme(const struct app *app, const char *code);
const struct scheme *ratings_scheme_at(const struct app *app, int i);
int ratings_nschemes(const struct app *app);
/* The annual cycle (cycles/rating.json). */
const struct wf_type *ratings_cycle(const struct app *app);

/* One answer of a self-assessment or adjustment. */
struct rating_answer {
    const char *code; /* indicator or veto */
    bool has_score, has_yes;
    double score;
    bool yes;
    const char *note;             /* NULL = keep / none */
    const struct file_ref *files; /* evidence to attach (files.h) */
    size_t nfiles;
    const char *path; /* where it came from, for errors ("indicators[2]"); NULL: "answers[i]" */
};

/* A unit's computed result for one scheme. */
struct rating_result {
    const struct scheme *scheme;
    struct scheme_rating r; /* from answers and data */
    struct scheme_answer answers[SCHEME_ALL_INDICATORS];
    struct scheme_answer vetoes[SCHEME_ALL_VETOES];
    bool named; /* level and won below are the named ones */
    int level;
    bool won[SCHEME_CATEGORIES_MAX]; /* named stars less withdrawn, or r's */
    bool withdrawn[SCHEME_CATEGORIES_MAX];
};

/* Declares a target (争创几星): creates the rating in state "declared". */
int ratings_declare(struct app *app, const struct auth_user *actor, const char *scheme,
                    const char *unit, int target, const char *client, struct err *err);
/* The rating of unit under scheme (ERR_NOT_FOUND when none). */
int ratings_get(struct app *app, struct arena *a, const char *scheme, const char *unit,
                struct store_rating *out, struct err *err);
/* Self-assessment: writes n answers (all checked first) while the rating
 * is declared or returned. err->field names the answer by its path
 * ("indicators[2]"); submitting names a missing answer by its code. */
int ratings_answer(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const struct rating_answer *answers, size_t n,
                   const char *client, struct err *err);
/* A reviewer's change of one answer with a reason: the township while
 * submitted (ratings:review), the county while township_passed (ratings:approve). */
int ratings_adjust(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const struct rating_answer *answer, const char *reason,
                   const char *client, struct err *err);
/* Takes step `code` of the cycle; days: the notice length for "publish"
 * (0 = RATING_NOTICE_DAYS). */
int ratings_transition(struct app *app, const struct auth_user *actor, const char *scheme,
                       const char *unit, const char *code, const char *note, int days,
                       const char *client, struct err *err);
int ratings_object(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const char *text, const char *client, struct err *err);
int ratings_resolve(struct app *app, const struct auth_user *actor, const char *scheme,
                    const char *unit, int64_t objection, const char *resolution, bool upheld,
                    const char *client, struct err *err);
/* 摘星: withdraws a won star of a named rating. */
int ratings_withdraw(struct app *app, const struct auth_user *actor, const char *scheme,
                     const char *unit, const char *star, const char *reason, const char *client,
                     struct err *err);
/* The creation checklist: the failing indicators of the stars the target
 * needs become `problem` items of one batch (*batch, *n). */
int ratings_checklist(struct app *app, const struct auth_user *actor, const char *scheme,
                      const char *unit, const char *assignee, const char *helper_unit,
                      const char *deadline, const char *client, struct arena *a, int64_t *batch,
                      struct store_item **items, size_t *n, struct err *err);

/* The computed result of one unit (rating may be NULL: data alone). */
int ratings_result(struct app *app, const struct scheme *s, const char *unit,
                   const struct store_rating *rating, struct rating_result *out, struct err *err);

/* The subtree figures of GET /api/v1/ratings/summary. */
struct rating_summary {
    long units, declared, named;
    long levels[SCHEME_CATEGORIES_MAX + 1];  /* named level, 0 when not named */
    long targets[SCHEME_CATEGORIES_MAX + 1]; /* 0 = not declared */
    long won[SCHEME_CATEGORIES_MAX];
    long meets_now[SCHEME_CATEGORIES_MAX];
};
/* Per unit of the scheme's kind inside `unit`: fn (may be NULL) with its
 * tree index, named level (-1 not named), target (0 none) and computed
 * result; totals in *out. */
int ratings_summary(struct app *app, const struct scheme *s, const char *unit,
                    int (*fn)(void *ctx, uint32_t node, const struct store_rating *rating,
                              const struct rating_result *res),
                    void *ctx, struct rating_summary *out, struct err *err);

/* 支部联建 (pairings.c): the suggested pairs within unit (core/pairing.c;
 * ids are tree indexes; *pairs malloc'd, the caller's), and saving the
 * pairs of unit's subtree (replacing those there; all checked first). */
struct pairing_pair;
int pairings_suggest(struct app *app, const struct scheme *s, const char *unit,
                     struct pairing_pair **pairs, size_t *n, size_t *nstrong, size_t *nweak,
                     struct err *err);
int pairings_save(struct app *app, const struct auth_user *actor, const struct scheme *s,
                  const char *unit, const char *const *weak, const char *const *strong, size_t n,
                  const char *client, struct err *err);

#endif
