/*
 * ratings.h — the "五星"支部创建 year of a unit: target, self-assessment
 * with evidence, township and county review, public notice with
 * objections, naming and withdrawal of stars; computed results per unit
 * and per subtree; the creation checklist; 支部联建 pairs.
 *
 * A unit's yearly rating under a scheme is a case of the kind whose
 * subject is "rating" (kinds/rating.json, cases.h): the states, who may
 * take each step, which states allow answers to be edited, adjusted by a
 * reviewer or objected to, and what submitting (answers_complete) and
 * naming (notice_over, objections_resolved, name_stars) check and do are
 * that file's; this module implements those named guards and effects and
 * what only ratings have. The stars are data too (schemes/NAME.json,
 * core/scheme.c). A unit has at most one rating per scheme.
 *
 * Results: a unit's stars are what scheme_rate gives from its answers and
 * the year's data values (each formula element rolled up for the scheme's
 * year, app/analytics.c); once named, the level and stars won are fixed,
 * less the stars withdrawn since.
 */
#ifndef JICENG_RATINGS_H
#define JICENG_RATINGS_H

#include "app/cases.h"
#include "core/scheme.h"

#define RATING_NOTE_MAX 2000 /* bytes of a note, reason or objection */

int ratings_init(struct app *app, struct err *err);
void ratings_free(struct app *app);
/* The scheme with this code, or NULL; the schemes in load order. */
const struct scheme *ratings_scheme(const struct app *app, const char *code);
const struct scheme *ratings_scheme_at(const struct app *app, int i);
int ratings_nschemes(const struct app *app);
/* The kind of the yearly cycle (the one kind whose subject is "rating"). */
const struct wf_kind *ratings_kind(const struct app *app);

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
    /* The figures rated: values of scheme->elements (the year's, rolled up,
     * or those the rating was named with). */
    struct fvalue values[SCHEME_ELEMENTS_MAX];
    bool snapshot; /* answers, figures and scores are those it was named with */
};

/* Declares a target (争创几星): creates the rating in the kind's initial state. */
int ratings_declare(struct app *app, const struct auth_user *actor, const char *scheme,
                    const char *unit, int target, const char *client, struct err *err);
/* The rating case of unit under scheme with its rating row (ERR_NOT_FOUND when none). */
int ratings_get(struct app *app, struct arena *a, const char *scheme, const char *unit,
                struct case_full *out, struct err *err);
/* Self-assessment: writes n answers (all checked first) while the rating's
 * state is editable. err->field names the answer by its path
 * ("indicators[2]"). */
int ratings_answer(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const struct rating_answer *answers, size_t n,
                   const char *client, struct err *err);
/* A reviewer's change of one answer with a reason, by whoever holds the
 * permission the current state names as its reviewer. */
int ratings_adjust(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const struct rating_answer *answer, const char *reason,
                   const char *client, struct err *err);
/* Takes step `code` of the cycle (cases_step); the step's numbers (e.g.
 * the days of the notice) in step. */
int ratings_transition(struct app *app, const struct auth_user *actor, const char *scheme,
                       const char *unit, const char *code, const struct case_step *step,
                       const char *client, struct err *err);
/* Objections while the rating is under notice: recording one (*id, may be
 * NULL, is its event) and resolving one by that id. */
int ratings_object(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const char *text, const char *client, int64_t *id,
                   struct err *err);
int ratings_resolve(struct app *app, const struct auth_user *actor, const char *scheme,
                    const char *unit, int64_t objection, const char *resolution, bool upheld,
                    const char *client, struct err *err);
/* The objections of a rating, from its timeline, in order. */
struct rating_objection {
    int64_t id;
    const char *text, *recorded_by, *recorded_at;
    const char *resolution, *resolved_by, *resolved_at; /* "" while open */
    int upheld;                                         /* -1 open, 0 dismissed, 1 upheld */
};
int ratings_objections(struct app *app, struct arena *a, int64_t case_id,
                       struct rating_objection **out, size_t *n, struct err *err);
/* 摘星: withdraws a won star of a named rating. */
int ratings_withdraw(struct app *app, const struct auth_user *actor, const char *scheme,
                     const char *unit, const char *star, const char *reason, const char *client,
                     struct err *err);
/* The withdrawn stars of a rating, by the scheme's categories (NULL: not
 * withdrawn), from its timeline. */
struct rating_withdrawal {
    const char *reason, *by, *at;
};
int ratings_withdrawals(struct app *app, struct arena *a, const struct scheme *s, int64_t case_id,
                        const struct rating_withdrawal **out, struct err *err);
/* The creation checklist: the failing indicators of the stars the target
 * needs become `problem` items of one batch (*batch, *n), written with the
 * rating's link to it in one transaction. */
int ratings_checklist(struct app *app, const struct auth_user *actor, const char *scheme,
                      const char *unit, const char *assignee, const char *helper_unit,
                      const char *deadline, const char *client, struct arena *a, int64_t *batch,
                      struct case_row **items, size_t *n, struct err *err);
/* The answers of a rating by scheme slot (indicators, then vetoes; NULL
 * where not answered), strings in a. */
int ratings_answers(struct app *app, struct arena *a, const struct scheme *s, int64_t case_id,
                    const struct case_answer ***out, struct err *err);

/* The computed result of one unit (rating may be NULL: data alone). A
 * named rating gives what it was named with (its snapshot), whatever was
 * written since; one named before snapshots were kept is computed. */
int ratings_result(struct app *app, const struct scheme *s, const char *unit,
                   const struct case_full *rating, struct rating_result *out, struct err *err);

/* The subtree figures of GET /api/v1/ratings/summary. */
struct rating_summary {
    long units, declared, named;
    long levels[SCHEME_CATEGORIES_MAX + 1];  /* named level, 0 when not named */
    long targets[SCHEME_CATEGORIES_MAX + 1]; /* 0 = not declared */
    long won[SCHEME_CATEGORIES_MAX];
    long meets_now[SCHEME_CATEGORIES_MAX];
};
/* Per unit of the scheme's kind inside `unit` ("" or NULL: the whole
 * country), in DFS order: fn (may be NULL) with its index in tree t (the
 * caller's, or NULL: ERR_BUSY if a reload made it stale), its rating
 * (NULL when none) and its result; totals in *out. The results are kept
 * between calls and brought up to date with the writes since
 * (rating_results.c), so fn gets the outcome only: of the rating, the
 * state, target, level (named, else -1), named_at and notice_until; of
 * the result, named, level, won[], r.level and r.stars[].won and
 * .qualified. fn runs under a read lock of the scheme's results: it must
 * not write ratings. */
int ratings_summary(struct app *app, const struct scheme *s, const struct tree *t, const char *unit,
                    int (*fn)(void *ctx, uint32_t node, const struct case_full *rating,
                              const struct rating_result *res),
                    void *ctx, struct rating_summary *out, struct err *err);
/* Builds every scheme's kept results in a background thread (jiceng
 * serve, at start), so that the first summary finds them — read from the
 * table rating_standings where it is current, and caught up from the audit
 * trail — and logs ratings.warm with the time each took; then writes what
 * changed back to the table at intervals (JICENG_RATINGS_SAVE, 60 s) and
 * at a clean stop. Stopped and joined by app_close. */
void ratings_warm(struct app *app);
/* The ratings of scheme inside scope by unit code (cursor after_unit, NULL
 * from the first), in `state` (NULL any), at most limit (0 no limit). */
int ratings_list(struct app *app, const char *scheme, const char *scope, const char *state,
                 const char *after_unit, int limit,
                 int (*fn)(void *ctx, const struct case_full *rating), void *ctx, struct err *err);

/* 支部联建 (pairings.c): the suggested pairs within unit (core/pairing.c;
 * ids are tree indexes; *pairs malloc'd, the caller's), saving the pairs
 * of unit's subtree (replacing those there; all checked first), and
 * reading them. */
struct pairing_pair;
int pairings_suggest(struct app *app, const struct scheme *s, const char *unit,
                     struct pairing_pair **pairs, size_t *n, size_t *nstrong, size_t *nweak,
                     struct err *err);
int pairings_save(struct app *app, const struct auth_user *actor, const struct scheme *s,
                  const char *unit, const char *const *weak, const char *const *strong, size_t n,
                  const char *client, struct err *err);
int pairings_list(struct app *app, const struct scheme *s, const char *unit,
                  int (*fn)(void *ctx, const char *weak, const char *strong), void *ctx,
                  struct err *err);

#endif
