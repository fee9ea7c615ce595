/*
 * desk.h — 工作台: what awaits the reader now.
 *
 * Built from the case kinds alone, so a new kind (visits, ballots) shows
 * up without code: a case awaits the reader's unit when it is owned by
 * that unit and sits in a state the reader may move it on from by an
 * owner's step (to do); it awaits the reader's review when it is owned
 * strictly below and a forward review step ("by": "above") is theirs (to
 * review). Closed cases never count.
 */
#ifndef JICENG_DESK_H
#define JICENG_DESK_H

#include "app/auth.h"
#include "core/case.h"
#include "core/workflow.h"

#define DESK_DUE_MAX 10 /* soonest deadlines listed */

/* Open cases of one kind in one state. */
struct desk_row {
    const struct wf_kind *kind;
    const struct wf_state *state;
    int64_t count, overdue, due_soon;
};

struct desk {
    char today[11], soon[11]; /* YYYY-MM-DD in the deployment's zone */
    struct desk_row *todo, *review;
    size_t ntodo, nreview;
    struct case_row *due; /* the reader's unit's soonest deadlines among the to-do */
    size_t ndue;
    int64_t escalated; /* open cases escalated (督办) to the reader's unit */
    int64_t unread;    /* unread notifications */
};

/* The reader's desk; everything in a. */
int desk_get(struct app *app, const struct auth_user *reader, struct arena *a, struct desk *out,
             struct err *err);

#endif
