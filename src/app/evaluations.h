/*
 * evaluations.h — the evaluation engine (issue 16): 述职评议 of county
 * departments, secretaries' 抓党建述职 and 民主评议党员, as campaigns of a
 * year with subjects (departments, persons or units), rater groups with
 * weights adding up to 100 %, a ballot form and an aggregation rule
 * (data/evaluations.json, evaluations_defs.c; arithmetic in
 * core/evaluation.h).
 *
 * Secret ballots: each rater gets a one-time code (printed on a paper
 * ballot or opened as /#/ballot/CODE). Only a keyed hash of a code is
 * stored. Casting marks the code used (who voted, no answers) and stores
 * the answers under a random id with the campaign and rater group only
 * (what was voted, no code, no time), in one transaction: a code casts
 * exactly one ballot. Turnout is shown while the campaign runs; results
 * only after it closes.
 */
#ifndef JICENG_EVALUATIONS_H
#define JICENG_EVALUATIONS_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "core/evaluation.h"

struct json_t;
struct jw;

/* ---- definitions (data/evaluations.json) ---- */

struct eval_grade {
    const char *code, *name;
    double points;
    bool valid, top;
};
struct eval_criterion {
    const char *code, *name;
    double min, max;
};
/* A member review's grade for a score of at least min (bands by min, highest first). */
struct eval_band {
    const char *grade;
    double min;
};
struct eval_form {
    const char *code, *name;
    bool scores;             /* "scores": criteria with ranges; else grades */
    struct eval_band *bands; /* may be NULL: the form gives no grade */
    size_t nbands;
    struct eval_grade *grades;
    size_t ngrades;
    struct eval_criterion *criteria;
    size_t ncriteria;
};
struct eval_rule_def {
    const char *code, *name, *about;
    enum eval_rule rule;
    double threshold; /* below it: 整改 (default follow_up.threshold) */
};
struct eval_defs {
    struct json_t *root; /* owns every string below */
    struct arena *arena;
    struct eval_form *forms;
    size_t nforms;
    struct eval_rule_def *rules;
    size_t nrules;
    double threshold; /* a subject scoring below it is followed up (整改) */
    int deadline_days, notice_days;
    const char *follow_kind;
};

int evaluations_defs_load(struct app *app, struct err *err);
void evaluations_defs_free(struct app *app);
const struct eval_form *evaluations_form(const struct app *app, const char *code);
const struct eval_rule_def *evaluations_rule(const struct app *app, const char *code);
/* A form as the ballot page shows it. */
void evaluations_form_write(struct jw *w, const struct eval_form *f);
/* {"forms":[…],"rules":[…],"kinds":[…]} as the UI shows them. */
void evaluations_defs_write(const struct app *app, struct jw *w);

/* ---- campaigns ---- */

#define EVAL_SUBJECTS_MAX 500
#define EVAL_RATERS_MAX   20000 /* codes of one campaign */
#define EVAL_CODE_LEN     12

struct eval_group_in {
    const char *name;
    int weight;
    int raters; /* codes to issue */
};
struct eval_subject_in {
    const char *name;
    int64_t department_id, person_id;
    const char *unit;
};
struct eval_campaign_in {
    const char *name, *kind, *form, *rule, *unit;
    int year;
    const struct eval_group_in *groups;
    size_t ngroups;
    const struct eval_subject_in *subjects;
    size_t nsubjects;
};
/* The codes issued, in group order (shown once: only their hashes are kept). */
struct eval_codes {
    int64_t campaign_id;
    const char **codes; /* in the arena */
    int *groups;
    size_t n;
};
int evaluations_create(struct app *app, const struct auth_user *actor,
                       const struct eval_campaign_in *in, const char *client, struct arena *a,
                       struct eval_codes *out, struct err *err);
/* Writes {campaign…, "groups":[turnout…], "subjects":[…], "results":[…]|null}. */
int evaluations_write(struct app *app, int64_t id, bool results_any_time, struct arena *a,
                      struct jw *w, struct err *err);
int evaluations_list(struct app *app, const char *scope, int year, struct arena *a, struct jw *w,
                     struct err *err);
int evaluations_close(struct app *app, const struct auth_user *actor, int64_t id,
                      const char *client, struct err *err);
/* The organiser's unit of campaign id (a path segment), for the scope check. */
int evaluations_unit_of(struct app *app, struct arena *a, const char *id, const char **unit,
                        struct err *err);

/* Closes campaign id: counts it and, in one transaction, closes it (409
 * when a ballot came in since it was counted), keeps every subject's
 * outcome (score, rank, a member review's grade), writes the points grades
 * earn and opens an 整改 case (follow_up.kind) for each subject below the
 * rule's threshold (evaluations_close.c). */

/* ---- the department register (evaluations_more.c) ---- */

/* {"items":[{id, name, county, county_name, active}…]} of counties inside scope. */
int evaluations_departments(struct app *app, const char *scope, bool retired_too, struct arena *a,
                            struct jw *w, struct err *err);
/* A department of county (a county-level unit in the actor's scope). */
int evaluations_department_create(struct app *app, const struct auth_user *actor,
                                  const char *county, const char *name, const char *client,
                                  int64_t *id, struct err *err);
/* Renames (name not NULL) and retires or restores (active 0 / 1; -1 keeps). */
int evaluations_department_update(struct app *app, const struct auth_user *actor, int64_t id,
                                  const char *name, int active, const char *client,
                                  struct err *err);

/* Codes for a running campaign: count new ones for group, and the unused
 * codes in revoke deleted (a lost sheet); nothing about any vote is read.
 * *out lists the new codes (shown once). 409 after closing. */
int evaluations_add_codes(struct app *app, const struct auth_user *actor, int64_t id, int group,
                          int count, const char *const *revoke, size_t nrevoke, const char *client,
                          struct arena *a, struct eval_codes *out, struct err *err);

/* The outcomes kept on closing (by subject seq; none while open). */
struct eval_outcome_row;
int evaluations_outcomes(struct app *app, int64_t id, struct arena *a,
                         struct eval_outcome_row **rows, size_t *n, struct err *err);
/* Public results of a closed campaign (404 while it runs): names, ranks,
 * scores, grades, whether 整改 follows, the notice period. */
int evaluations_public_write(struct app *app, int64_t id, struct arena *a, struct jw *w,
                             struct err *err);
/* A person's outcomes as a subject (民主评议党员 grades): {"items":[…]}. */
int evaluations_person_write(struct app *app, int64_t person, struct arena *a, struct jw *w,
                             struct err *err);

/* One-time codes (ballots, and the judges' codes of app/contests.h): the
 * code as typed, normalised into out (EVAL_CODE_LEN + 1; false when it
 * cannot be one); its keyed hash (what is stored); a new one. */
bool eval_normalise_code(const char *in, char *out);
void eval_code_hash(const struct app *app, const char *code, char out[65]);
void eval_new_code(char out[EVAL_CODE_LEN + 1]);

/* ---- ballots ---- */

/* The ballot a code opens: campaign name, form and subjects (404 unknown
 * code, 409 used or closed). */
int evaluations_ballot_form(struct app *app, const char *code, struct arena *a, struct jw *w,
                            struct err *err);
/* Casts the ballot of code: answers [{"subject":SEQ,"grade":CODE} or
 * {"subject":SEQ,"scores":{CRITERION:N…}}…], one per subject at most. */
int evaluations_cast(struct app *app, const char *code, struct json_t *answers, const char *client,
                     struct err *err);
/* The same without waiting for the disk: the code and answers are checked
 * now (an error returns here, and done is never called); else ERR_OK, and
 * done(ctx, rc, err) answers once the ballot is durable or refused, from
 * the ballots' writer thread. answers is not kept. */
typedef void (*evaluations_cast_done)(void *ctx, int rc, const struct err *err);
int evaluations_cast_start(struct app *app, const char *code, struct json_t *answers,
                           const char *client, evaluations_cast_done done, void *ctx,
                           struct err *err);

/* Computed elements eval.ballots.issued / eval.ballots.cast: of campaigns
 * of year organised inside scope. */
int evaluations_counts(struct app *app, const char *scope, int year, int64_t *issued, int64_t *cast,
                       struct err *err);

/* The computed elements {"source":"evaluations","count":"issued"|"cast"}
 * (a source of computed_sources.h): codes issued and ballots cast per
 * organiser's unit, of the campaigns whose year ends in [start, next). */
#define EVALS_CHANGED "@evaluations"
int evaluations_computed_check(const struct app *app, const char *computed, struct err *err);
int evaluations_computed_counts(struct app *app, const char *computed, const char *start,
                                const char *next, const char *date, computed_add fn, void *ctx,
                                struct err *err);

#endif
