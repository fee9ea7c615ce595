/*
 * workflow.h — case kinds and their state machines, as data (DESIGN.md
 * engine 4: cases).
 *
 * Everything that moves through states is a case of a kind: a problem-list
 * item, a dispatched task, a resident's request, a unit's yearly five-star
 * rating … A kind is one JSON definition (kinds/<code>.json, format in
 * docs/architecture.md): its states with their flags, the transitions
 * between them with the permission each needs, the input it requires (a
 * note, evidence, a rating, an assignee) or accepts (a number such as the
 * days of a public notice), and the named guards (conditions checked
 * before the step) and effects (changes made with it) that C implements.
 *
 * This module only parses, validates and answers questions about a kind;
 * the names of guards, effects, subjects and permissions it may use come
 * from the caller (struct wf_vocab), so that a definition naming anything
 * C does not implement fails to load, with its path and line.
 *
 * A parsed kind is immutable: any number of threads may share it.
 * Invariants of a kind that wf_kind_parse returned: codes unique, every
 * index in range, the initial state not final, no transition out of a
 * final state, every state reachable from the initial one, a final state
 * reachable from every state, every guard and effect known and given the
 * states and inputs it relies on.
 */
#ifndef JICENG_WORKFLOW_H
#define JICENG_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define WF_CODE_MAX        32 /* bytes of a code with its NUL */
#define WF_PERM_MAX        48
#define WF_STATES_MAX      24
#define WF_TRANSITIONS_MAX 32
#define WF_CATEGORIES_MAX  32
#define WF_INPUTS_MAX      8 /* numeric inputs a kind declares */
#define WF_HOOKS_MAX       4 /* guards, and effects, of one transition */
#define WF_PARAMS_MAX      6 /* parameters of one transition's guards */
/* The pseudo-permissions: a transition only the case's submitter may take,
 * and a kind anyone (residents, not signed in) may create. */
#define WF_PERM_SUBMITTER "submitter"
#define WF_PERM_PUBLIC    "public"

enum wf_need { WF_NEED_NOTE = 1, WF_NEED_EVIDENCE = 2, WF_NEED_RATING = 4, WF_NEED_ASSIGNEE = 8 };

/* What a state says about the case in it (the flags C asks about instead
 * of comparing state codes). */
enum wf_flag {
    WF_FINAL = 1,    /* no transition leaves it: the case is closed */
    WF_EDITABLE = 2, /* the case's own content may be changed (a rating's answers) */
    WF_NOTICE = 4,   /* under public notice: objections may be recorded */
    WF_PUBLIC = 8,   /* listed on the public pages (a wish open for claims, a published
                        resolution), without personal data */
};

struct wf_state {
    char code[WF_CODE_MAX];     /* e.g. "in_progress" */
    char label[64];             /* 整改中 */
    unsigned flags;             /* enum wf_flag bits */
    char reviewer[WF_PERM_MAX]; /* who may adjust the content in this state, "" nobody */
    char stage[WF_CODE_MAX];    /* the registry stage the case's subject holds in this state
                                   (a person subject's party membership stage), "" none */
};

/* A parameter of a transition's guards, as the kind gives it ("params":
 * {"months": 12, "since": "apply"}): the rules' numbers and the steps they
 * count from are data, not C. A number or a code. */
struct wf_param {
    char code[WF_CODE_MAX];
    char text[WF_CODE_MAX]; /* a code value; "" for a number */
    long value;             /* a number value */
};

/* A number a transition accepts, declared once by the kind. */
struct wf_input_def {
    char code[WF_CODE_MAX]; /* e.g. "days": also its name in a request */
    char label[64];         /* 公示天数 */
    long min, max, def;
};

struct wf_transition {
    char code[WF_CODE_MAX];  /* e.g. "accept" */
    char label[64];          /* 受理 */
    int from[WF_STATES_MAX]; /* indexes into states */
    int nfrom;
    int to;                 /* index into states */
    char perm[WF_PERM_MAX]; /* permission the actor needs, e.g. "items:handle";
                               "submitter" = only the one who submitted the case */
    unsigned needs;         /* enum wf_need bits */
    unsigned inputs;        /* bit i: accepts the kind's inputs[i] */
    bool reopens;           /* sends finished work back (退回): not done on time after all */
    bool above;             /* taken by the units above the owner (验收, 审核), not by the
                               owner unit itself: "by": "above" */
    bool receiver;          /* taken by the unit the case is sent to (the case's unit, not
                               its owner: a transfer's 回执): "by": "receiver" */
    char confirm[256];      /* the question the UI asks before an irreversible step
                               (提交自评, 销号): "confirm"; "" none */
    int guards[WF_HOOKS_MAX], nguards;     /* indexes into the vocabulary's guards */
    int effects[WF_HOOKS_MAX], neffects;   /* … and effects, in the order they run */
    struct wf_param params[WF_PARAMS_MAX]; /* what its guards read ("params") */
    int nparams;
};

struct wf_kind {
    char code[WF_CODE_MAX]; /* problem, dispatch, request, hazard, dispute, rating … */
    char name[64];          /* 问题清单, 交办任务, 群众诉求 … */
    int subject;            /* index into the vocabulary's subjects */
    struct wf_state states[WF_STATES_MAX];
    int nstates;
    int initial; /* state a new case starts in */
    struct wf_transition transitions[WF_TRANSITIONS_MAX];
    int ntransitions;
    struct wf_input_def inputs[WF_INPUTS_MAX];
    int ninputs;
    char create_perm[WF_PERM_MAX]; /* permission to create; "public" for residents' requests */
    const char *categories[WF_CATEGORIES_MAX]; /* allowed category codes (owned by the kind); */
    int ncategories;                           /* 0 = free */
    bool has_deadline_default;
    int deadline_days; /* default deadline from creation, if any */
};

/* A guard or effect C implements, with what it relies on in a kind. */
struct wf_hook {
    const char *name;    /* as kinds name it, e.g. "answers_complete" */
    const char *subject; /* only kinds of this subject may use it; NULL any */
    unsigned from_flags; /* every state the transition leaves has these flags */
    unsigned to_flags;   /* the state it enters has these flags */
    const char *input;   /* the transition accepts this input; NULL none */
    const char *params;  /* ",a,b,": parameters the transition must give ("params"); NULL none */
};

/* The names a kind may use, from the code that runs kinds. */
struct wf_vocab {
    const char *const *subjects; /* NULL-terminated; the first is the default */
    const struct wf_hook *guards;
    int nguards;
    const struct wf_hook *effects;
    int neffects;
    const char *const *perms; /* declared permissions, NULL-terminated; NULL = any */
};

/* Parses and validates one definition. `name` (the file name) goes into
 * err->where with the line; err->field is the JSON path of the offending
 * member and the message starts with it: `transitions[3].to: 没有状态
 * "closd"`. Invalid JSON carries its line and column. On success *out is
 * the caller's, to free with wf_kind_free; on failure *out is NULL. */
int wf_kind_parse(const char *json, size_t len, const char *name, const struct wf_vocab *vocab,
                  struct wf_kind **out, struct err *err);
/* wf_kind_free(NULL) is a no-op. */
void wf_kind_free(struct wf_kind *k);

/* Index of the state, transition or input with this code; -1 / NULL if none. */
int wf_state_index(const struct wf_kind *k, const char *code);
const struct wf_transition *wf_transition_find(const struct wf_kind *k, const char *code);
int wf_input_index(const struct wf_kind *k, const char *code);
/* Whether state (an index, or -1) has every flag in `flags`. */
bool wf_state_is(const struct wf_kind *k, int state, unsigned flags);
/* The parameter `code` of tr, or NULL. */
const struct wf_param *wf_param(const struct wf_transition *tr, const char *code);

/* What the actor supplies with a transition. */
struct wf_input {
    bool has_note, has_evidence, has_assignee;
    int rating;              /* 0 = none, else must be 1–5 */
    bool has[WF_INPUTS_MAX]; /* values[i] given for the kind's inputs[i] */
    long values[WF_INPUTS_MAX];
};

/* May an actor with these permissions (NULL-terminated; NULL = none), who
 * is or is not the case's submitter, take `tr` (a transition of k) from
 * state `state` with input `in` (NULL = nothing)? Checked in this order:
 *  - ERR_INVALID when tr does not leave this state ("已办结的事项不能再受理");
 *  - ERR_FORBIDDEN when the permission is missing, or the transition is the
 *    submitter's and the actor is not;
 *  - ERR_INVALID naming what input is missing (note, evidence, a rating of
 *    1–5, an assignee), err->field "note", "evidence", "rating" or
 *    "assignee" (the first missing);
 *  - ERR_INVALID for a number the transition does not accept or outside
 *    its range (err->field its code).
 * A rating given to a transition that does not ask for one is ignored.
 * Inputs not given take their default in *in (when in is not NULL). */
int wf_check(const struct wf_kind *k, int state, const struct wf_transition *tr,
             const char *const *perms, bool is_submitter, struct wf_input *in, struct err *err);

/* Who moves a case on from `state` (the desk and notifications): the
 * permissions of the owner's steps (not "by": "above", not the
 * submitter's) into owner[], of the upper units' forward steps ("by":
 * "above", not reopening) into above[]; each distinct, NULL-terminated,
 * at most max - 1 entries. */
void wf_waiting(const struct wf_kind *k, int state, const char **owner, const char **above,
                int max);
/* Does perms hold one of list's (NULL-terminated) permissions? */
bool wf_holds(const char *const *perms, const char *const *list);

/* The transitions this actor may take from `state` (for the UI's buttons),
 * in definition order, whatever input they need. Fills out[] with at most
 * max of them and returns how many it filled. */
int wf_available(const struct wf_kind *k, int state, const char *const *perms, bool is_submitter,
                 const struct wf_transition **out, int max);

/* The shortest sequence of transitions from state `from` to state `to`
 * (breadth first, definition order breaking ties); returns its length
 * (0 when from == to), or -1 when `to` cannot be reached. */
int wf_path(const struct wf_kind *k, int from, int to, const struct wf_transition **out, int max);

#endif
