/*
 * workflow.h — work-item types and their state machines, as data
 * (DESIGN.md engine 4).
 *
 * A type (问题清单, 交办任务, 群众诉求…) is read from one JSON definition
 * (workflows/<code>.json, format in docs/architecture.md): its states, the
 * transitions between them with the permission each needs and what input
 * it requires (a note, evidence, a rating, an assignee), the permission to
 * create an item, its categories and a default deadline. This module only
 * parses, validates and answers questions about a definition; the items
 * themselves, their timeline and storage live above it.
 *
 * A parsed type is immutable: any number of threads may share it.
 * Invariants of a type that wf_type_parse returned: codes unique, every
 * index in range, the initial state not final, no transition out of a
 * final state, every state reachable from the initial one, a final state
 * reachable from every state.
 */
#ifndef JICENG_WORKFLOW_H
#define JICENG_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define WF_CODE_MAX        32 /* bytes of a code with its NUL */
#define WF_STATES_MAX      16
#define WF_TRANSITIONS_MAX 32
#define WF_CATEGORIES_MAX  32
/* The pseudo-permissions: a transition only the item's submitter may take,
 * and a type anyone (residents, not signed in) may create. */
#define WF_PERM_SUBMITTER "submitter"
#define WF_PERM_PUBLIC    "public"

enum wf_need { WF_NEED_NOTE = 1, WF_NEED_EVIDENCE = 2, WF_NEED_RATING = 4, WF_NEED_ASSIGNEE = 8 };

struct wf_state {
    char code[WF_CODE_MAX]; /* e.g. "in_progress" */
    char label[64];         /* 整改中 */
    bool final;             /* no transition leaves it */
};

struct wf_transition {
    char code[WF_CODE_MAX];  /* e.g. "accept" */
    char label[64];          /* 受理 */
    int from[WF_STATES_MAX]; /* indexes into states */
    int nfrom;
    int to;         /* index into states */
    char perm[48];  /* permission the actor needs, e.g. "items:handle"; "submitter" = only the
                       one who submitted the item (e.g. the resident rating it) */
    unsigned needs; /* enum wf_need bits */
};

struct wf_type {
    char code[WF_CODE_MAX]; /* problem, dispatch, request, hazard, dispute, deliberation */
    char name[64]; /* 问题清单, 交办任务, 群众诉求, 安全隐患, 矛盾纠纷, 议事事项 */
    struct wf_state states[WF_STATES_MAX];
    int nstates;
    int initial; /* state a new item starts in */
    struct wf_transition transitions[WF_TRANSITIONS_MAX];
    int ntransitions;
    char create_perm[48]; /* permission to create; "public" for residents' requests */
    const char *categories[WF_CATEGORIES_MAX]; /* allowed category codes (owned by the type); */
    int ncategories;                           /* 0 = free */
    bool has_deadline_default;
    int deadline_days; /* default deadline from creation, if any */
};

/* Parses and validates one definition. `name` (the file name) goes into
 * err->where; err->field is the JSON path of the offending member and the
 * message starts with it: `transitions[3].to: 没有状态 "closd"`. Invalid
 * JSON carries its line and column. On success *out is the caller's, to
 * free with wf_type_free; on failure *out is NULL. */
int wf_type_parse(const char *json, size_t len, const char *name, struct wf_type **out,
                  struct err *err);
/* wf_type_free(NULL) is a no-op. */
void wf_type_free(struct wf_type *t);

/* Index of the state or transition with this code; -1 / NULL if none. */
int wf_state_index(const struct wf_type *t, const char *code);
const struct wf_transition *wf_transition_find(const struct wf_type *t, const char *code);

/* What the actor supplies with a transition. */
struct wf_input {
    bool has_note, has_evidence, has_assignee;
    int rating; /* 0 = none, else must be 1–5 */
};

/* May an actor with these permissions (NULL-terminated; NULL = none), who
 * is or is not the item's submitter, take `tr` (a transition of t) from
 * state `state` with input `in` (NULL = nothing)? Checked in this order:
 *  - ERR_INVALID when tr does not leave this state ("已办结的事项不能再受理");
 *  - ERR_FORBIDDEN when the permission is missing, or the transition is the
 *    submitter's and the actor is not;
 *  - ERR_INVALID naming what input is missing (note, evidence, a rating of
 *    1–5, an assignee), err->field "note", "evidence", "rating" or
 *    "assignee" (the first missing).
 * A rating given to a transition that does not ask for one is ignored. */
int wf_check(const struct wf_type *t, int state, const struct wf_transition *tr,
             const char *const *perms, bool is_submitter, const struct wf_input *in,
             struct err *err);

/* The transitions this actor may take from `state` (for the UI's buttons),
 * in definition order, whatever input they need. Fills out[] with at most
 * max of them and returns how many it filled. */
int wf_available(const struct wf_type *t, int state, const char *const *perms, bool is_submitter,
                 const struct wf_transition **out, int max);

#endif
