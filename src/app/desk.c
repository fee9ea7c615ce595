/* desk.c — 工作台 from the open cases and the kinds (desk.h). */
#include "app/desk.h"
#include "app/kinds.h"
#include "base/clock.h"
#include "store/store.h"

#include <string.h>

#define PERMS_MAX 8

enum { AWAITS_OWNER, AWAITS_REVIEW };

/* Does the reader move a case of kind k on from state s — by an owner's
 * step (AWAITS_OWNER) or by a review step (AWAITS_REVIEW)? */
static bool awaits(const struct auth_user *reader, const struct wf_kind *k, int s, int how)
{
    const char *owner[PERMS_MAX], *above[PERMS_MAX];
    if (s < 0) return false;
    wf_waiting(k, s, owner, above, PERMS_MAX);
    return wf_holds(reader->perms, how == AWAITS_OWNER ? owner : above);
}

struct gather {
    struct app *app;
    struct arena *a;
    const struct auth_user *reader;
    int want; /* AWAITS_OWNER or AWAITS_REVIEW */
    struct desk_row *rows;
    size_t n, cap;
    struct case_row *due;
    size_t ndue, due_cap;
};

static int keep_count(void *ctx, const struct store_case_count *c)
{
    struct gather *g = ctx;
    const struct wf_kind *k = kinds_find(g->app, c->kind);
    int s = k ? wf_state_index(k, c->state) : -1; /* a kind no longer shipped: none */
    if (!k || !awaits(g->reader, k, s, g->want)) return 0;
    g->rows = arena_grow(g->a, g->rows, sizeof *g->rows, g->n, g->n + 1, &g->cap);
    g->rows[g->n++] = (struct desk_row){k, &k->states[s], c->count, c->overdue, c->due_soon};
    return 0;
}

static int keep_due(void *ctx, const struct case_row *c)
{
    struct gather *g = ctx;
    const struct wf_kind *k = kinds_find(g->app, c->kind);
    if (!k || !awaits(g->reader, k, wf_state_index(k, c->state), AWAITS_OWNER)) return 0;
    g->due = arena_grow(g->a, g->due, sizeof *g->due, g->ndue, g->ndue + 1, &g->due_cap);
    g->due[g->ndue] = *c;
    case_row_keep(g->a, &g->due[g->ndue++]);
    return g->ndue == DESK_DUE_MAX;
}

int desk_get(struct app *app, const struct auth_user *reader, struct arena *a, struct desk *out,
             struct err *err)
{
    memset(out, 0, sizeof *out);
    clock_today(out->today, 0);
    clock_today(out->soon, app->cfg.due_soon_days);
    struct gather todo = {.app = app, .a = a, .reader = reader, .want = AWAITS_OWNER};
    struct gather review = {.app = app, .a = a, .reader = reader, .want = AWAITS_REVIEW};
    const char *unit = reader->scope;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc && unit[0])
        rc = store_cases_count(db, unit, false, out->today, out->soon, keep_count, &todo, err);
    if (!rc)
        rc = store_cases_count(db, unit, true, out->today, out->soon, keep_count, &review, err);
    /* Enough rows to find the reader's own among those of other roles. */
    if (!rc && unit[0]) rc = store_cases_due(db, unit, 200, keep_due, &todo, err);
    if (!rc && unit[0]) rc = store_cases_escalated_count(db, unit, &out->escalated, err);
    if (!rc) rc = store_notifications_unread(db, reader->name, reader->scope, &out->unread, err);
    db_rollback(db);
    store_release(app->store, db);
    if (rc) return rc;
    out->todo = todo.rows, out->ntodo = todo.n;
    out->review = review.rows, out->nreview = review.n;
    out->due = todo.due, out->ndue = todo.ndue;
    return ERR_OK;
}
