/*
 * cases.h — the case engine (DESIGN.md engine 4): one path for every
 * change of every case, whatever its kind.
 *
 * A kind (kinds/NAME.json, app/kinds.h) says which states a case goes
 * through and who may take each step with what input. A step goes
 *
 *   load → check (core/workflow) → named guards → named effects → save
 *
 * where guards may refuse the step with a sentence a person can act on,
 * effects change the case (and its subject's own row) before it is saved,
 * and save — the one writer, cases_save — puts the case, its subject's row,
 * the timeline event, the files it brings, the audit record and the change
 * notice into one transaction. A case read before another change landed is
 * refused (ERR_CONFLICT) rather than written over.
 *
 * A subject is what a kind's cases are about beyond the common fields: an
 * "item" (a matter with a title, owner, deadline …) has nothing more; a
 * "rating" has its row in case_ratings and its answers (ratings.h); a
 * "points" claim its row in point_entries (points.h); a "person" case (发展党员, 组织关系转接:
 * pipeline.c) is about one person and a party organisation, its row in case_persons with the date
 * of every step (a step may be dated back: `on`), and may move the person's party membership with a
 * step, in the same transaction.
 */
#ifndef JICENG_CASES_H
#define JICENG_CASES_H

#include "app/app.h"
#include "app/files.h"
#include "core/audit_chain.h"
#include "core/case.h"
#include "core/workflow.h"

struct db;

#define CASE_NOTE_MAX 4000 /* bytes of a note or evidence text */

/* What a caller supplies with a step or a comment. */
struct case_step {
    const char *note, *evidence, *assignee;
    const char *on;               /* YYYY-MM-DD the step took place (person cases; default
                                     today, not before the previous step, not after today) */
    int rating;                   /* 1–5, 0 none */
    const struct file_ref *files; /* uploaded files to attach; they count as evidence */
    size_t nfiles;
    int64_t base_version; /* the version the caller's copy has (an offline change); a
                             case changed since answers ERR_CONFLICT; 0: not given */
    /* numbers the kind declares as inputs (e.g. "days"), by code */
    const char *number_codes[WF_INPUTS_MAX];
    long numbers[WF_INPUTS_MAX];
    int nnumbers;
    /* set by C only, never from a request: a 双随机 check's result code,
     * which guard "check_result" requires (inspections_result.c) */
    const char *result;
};

/* A case with its subject's own row, as loaded for a change. */
struct case_full {
    struct case_row c;
    const struct wf_kind *kind;
    struct case_rating rating; /* subject CASE_RATING only */
    struct case_points points; /* subject CASE_POINTS only (points.h) */
    struct case_person person; /* subject CASE_PERSON only */
};

/* What a guard or an effect sees: the step being taken. An effect may
 * change x->f (the case and its subject's row) and x->ev (the event). */
struct case_ctx {
    struct app *app;
    struct arena *a;
    const struct auth_user *actor;
    struct case_full *f;
    const struct wf_transition *tr;
    const struct wf_input *in; /* the numbers with their defaults */
    struct case_event *ev;
    const char *on;     /* the day the step took place (YYYY-MM-DD) */
    const char *result; /* the step's case_step.result, or NULL */
};
typedef int (*case_hook_fn)(struct case_ctx *x, struct err *err);

/* One change, written by cases_save in one transaction: the case (new or
 * updated), its subject's row, the event with its files, the audit record;
 * `also` (may be NULL) writes rows of its own in the same transaction. */
struct case_change {
    struct case_full *f;
    bool insert;
    struct case_event ev;
    const struct file_ref *files;
    size_t nfiles;
    int (*also)(struct db *db, void *ctx, struct err *err);
    void *ctx;
    int64_t *batch_into; /* when set (cases_save_many's `also`), receives the batch's id
                            before this change is written */
};

/* The vocabulary kinds are checked against (kinds.c): the subjects, guards
 * and effects below, and the declared permissions. */
void cases_vocab(const struct app *app, struct wf_vocab *out);

/* Loads case id with its kind and subject's row (strings in a). */
int cases_load(struct app *app, struct arena *a, int64_t id, struct case_full *out,
               struct err *err);
/* Takes transition `code` of case id: the one transition path. *out (in a)
 * is the case as saved. */
int cases_step(struct app *app, const struct auth_user *actor, int64_t id, const char *code,
               const struct case_step *step, const char *client, struct arena *a,
               struct case_full *out, struct err *err);
/* A comment on the timeline: a note, files, or both. */
int cases_comment(struct app *app, const struct auth_user *actor, int64_t id,
                  const struct case_step *step, const char *client, struct err *err);
/* Inside the caller's write transaction (db), for a mechanism whose own
 * rows and the case must land together (a 双随机 draw and its checks):
 * a new case with its creation event and audit record; a step, checked
 * as cases_step checks it. The caller commits, then drops the cases'
 * rollups (analytics_invalidate(app, CASES_CHANGED)). Item kinds only. */
int cases_create_in(struct app *app, struct db *db, struct case_change *ch, const char *client,
                    struct arena *a, struct err *err);
int cases_step_in(struct app *app, struct db *db, const struct auth_user *actor, int64_t id,
                  const char *code, const struct case_step *step, const char *client,
                  struct arena *a, struct err *err);
/* The one writer (see above). Sets the case's id and version, the event's id. */
int cases_save(struct app *app, struct case_change *ch, const char *client, struct arena *a,
               struct err *err);
/* Several changes in one transaction: when batch_title is set, the new
 * cases form a batch of that title (sets batch); one audit record for them
 * all (entity "batch:ID" for a batch); then `also` (may be NULL: a change
 * of another case) with its own record. */
struct case_many {
    struct case_change *changes;
    size_t n;
    const char *batch_title;
    int64_t batch;
    struct audit_entry audit; /* user, action, entity, unit, after; client is set here */
    struct case_change *also;
};
int cases_save_many(struct app *app, struct case_many *m, const char *client, struct arena *a,
                    struct err *err);
/* Writes n new cases (checked by the caller) as one batch titled `title`,
 * each with its creation event, and `also` (may be NULL: a change of
 * another case, e.g. the rating a checklist belongs to) in the same
 * transaction; one audit record `action` for the batch. Sets *batch. */
int cases_create_batch(struct app *app, const struct auth_user *actor, struct case_row *cases,
                       size_t n, const char *title, const char *action, struct case_change *also,
                       const char *client, struct arena *a, int64_t *batch, struct err *err);

/* The timeline of a case with the files each event brought, for a page. */
struct case_timeline {
    struct case_event *events;
    size_t n;
    struct case_file *files; /* by event, then name */
    size_t nfiles;
};
int cases_timeline(struct app *app, struct arena *a, int64_t id, struct case_timeline *out,
                   struct err *err);
/* A file attached to case id, with its bytes (in a). */
int cases_file(struct app *app, struct arena *a, int64_t id, const char *sha256,
               struct case_file *out, const void **data, struct err *err);
/* Cases by filter (newest first); rows valid during fn. */
int cases_list(struct app *app, const struct case_filter *f,
               int (*fn)(void *ctx, const struct case_row *c), void *ctx, struct err *err);

/* The id of the case with this tracking code (ERR_NOT_FOUND when none). */
int cases_by_code(struct app *app, struct arena *a, const char *code, int64_t *id, struct err *err);
/* The computed elements' source (a registry, people.h) that a case step
 * audited as `action` changed, or NULL (rating_results.c, after a restart). */
const char *cases_source_of_action(const char *action);
/* Is the actor the one who created the case (for "submitter" steps)? */
bool cases_is_submitter(const struct case_row *c, const struct auth_user *actor);
/* The steps the actor may take on c now: permitted, from its state, and
 * "by": "above" steps only for units over the owner. */
int cases_available(const struct wf_kind *k, const struct case_row *c,
                    const struct auth_user *actor, const struct wf_transition **out, int max);
/* Parses a path id: a positive decimal number. */
int cases_parse_id(const char *text, int64_t *id, struct err *err);
/* The owner unit of case `id_text` (for the router's scope check). */
int cases_unit_of(struct app *app, struct arena *a, const char *id_text, const char **unit,
                  struct err *err);

/* The numbers given with a step (cases_inputs.c): an item's step keeps
 * them on its event ("changes"); "quorum_vote" computes a meeting's quorum
 * and majority from them (params quorum_num, quorum_den, majority_of). */
int cases_record_inputs(struct case_ctx *x, struct err *err);
int cases_guard_quorum_vote(struct case_ctx *x, struct err *err);

/* 双随机 (inspections_result.c): the step carries a result code of
 * data/inspections.json, which only recording the check's result gives. */
int inspections_guard_result(struct case_ctx *x, struct err *err);

/* The guards and effects of the rating subject (ratings.c). */
int ratings_guard_answers_complete(struct case_ctx *x, struct err *err);
int ratings_guard_notice_over(struct case_ctx *x, struct err *err);
int ratings_guard_objections_resolved(struct case_ctx *x, struct err *err);
int ratings_effect_open_notice(struct case_ctx *x, struct err *err);
int ratings_effect_name_stars(struct case_ctx *x, struct err *err);

/* The subject "person" (pipeline.c): reading and writing its row (and the
 * membership moves its effects set), checking and recording a step's date,
 * and its guards and effects. */
int pipeline_subject_load(struct db *db, struct arena *a, struct case_full *f, struct err *err);
int pipeline_subject_write(struct app *app, struct db *db, struct arena *a, struct case_full *f,
                           bool insert, struct err *err);
/* Before the guards: the step's date against the previous step's and
 * today; after them: recorded in the row's steps and the event's changes. */
int pipeline_step_date(struct case_ctx *x, const char *today, struct err *err);
int pipeline_step_record(struct case_ctx *x, struct err *err);
int pipeline_guard_within(struct case_ctx *x, struct err *err);
int pipeline_guard_after(struct case_ctx *x, struct err *err);
int pipeline_guard_at_least(struct case_ctx *x, struct err *err);
int pipeline_guard_majority(struct case_ctx *x, struct err *err);
int pipeline_guard_introducers(struct case_ctx *x, struct err *err);
int pipeline_effect_set_stage(struct case_ctx *x, struct err *err);
int pipeline_effect_move_org(struct case_ctx *x, struct err *err);

#endif
