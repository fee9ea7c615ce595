/*
 * pipeline.h — cases about a person on the case engine (cases.h, subject
 * "person"): 发展党员 (kinds/development.json: one case per person from the
 * application to full membership, its steps dated, its date and count rules
 * guards whose numbers live in the kind file) and 组织关系转接
 * (kinds/transfer.json: the sending organisation issues, the receiving side
 * accepts or returns it within the kind's deadline). A step entering a
 * state with a "stage" changes the person's party membership stage, and an
 * accepted transfer moves the membership, in the case's own transaction.
 *
 * Scope: a case is seen by its owner (the organisation's unit, a
 * transfer's sending side) and by the unit it is sent to (the case's unit:
 * a transfer's receiving side), who may take only the steps marked
 * "by": "receiver".
 */
#ifndef JICENG_PIPELINE_H
#define JICENG_PIPELINE_H

#include "app/app.h"
#include "core/case.h"
#include "core/workflow.h"

/* A new case: of kind (a "person" kind), about person in organisation org
 * (a transfer: from org to to_org), dated on (default today). */
struct pipeline_in {
    const char *kind, *on, *note;
    int64_t person_id, org_id, to_org_id;
};
/* Checks (the organisation in the actor's scope; the person's membership:
 * for a development case none or the initial stage there, opened when
 * none; for a transfer a current one there; one open case of a kind per
 * person) and writes the case with its creation event and audit record. */
int pipeline_create(struct app *app, const struct auth_user *actor, const struct pipeline_in *in,
                    const char *client, int64_t *id, struct err *err);

/* Cases of kinds (",a,b,": pipeline_kinds) owned inside scope or sent into
 * it, of person_id (0 any), open only or all, newest first; rows valid
 * during fn. */
int pipeline_list(struct app *app, const char *scope, const char *kinds, int64_t person_id,
                  bool open_only, int limit,
                  int (*fn)(void *ctx, const struct case_row *c, const struct case_person *p),
                  void *ctx, struct err *err);
/* ",a,b,": every "person" kind, or the one kind code ("" if not one). */
const char *pipeline_kinds(const struct app *app, const char *code);

/* The owner unit and the unit a case is sent to (for the router's scope);
 * ERR_NOT_FOUND for no such case or one not about a person. */
int pipeline_units_of(struct app *app, struct arena *a, const char *id_text, const char **owner,
                      const char **other, struct err *err);

/* The case's next step (the first its state leads to, in the kind's order)
 * with the first day its date rules allow and, under a "within" rule, the
 * last (""). tr NULL when the case is closed. */
struct pipeline_next {
    const struct wf_transition *tr;
    const char *earliest, *latest;
};
void pipeline_next(const struct app *app, const struct wf_kind *k, const struct case_row *c,
                   const struct case_person *p, struct arena *a, struct pipeline_next *out);
/* The day step `code` ("create" for the creation) was taken, "" if not. */
const char *pipeline_step_on(const struct case_person *p, struct arena *a, const char *code);

/* The name of a party membership stage (入党积极分子), NULL if unknown;
 * the stages in order (the board's columns). */
struct people_stage;
const char *pipeline_stage_name(const struct app *app, const char *code);
int pipeline_stages(const struct app *app, const struct people_stage **out, size_t *n);

#endif
