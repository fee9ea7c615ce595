/* evaluations_close.c — closing a campaign (evaluations.h): the scores
 * are counted, and in the one transaction that closes it each subject's
 * outcome is kept (score, rank, a member review's grade: the member's
 * record), the points a grade earns are written (data/points.json, source
 * "evaluation") and a subject below the rule's threshold gets an 整改 case
 * of follow_up.kind (kinds/rectify.json) with the deadline of the data. */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/cases.h"
#include "app/evaluations.h"
#include "app/evaluations_int.h"
#include "app/items.h"
#include "app/kinds.h"
#include "app/points.h"
#include "base/clock.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

struct closing {
    struct app *app;
    const struct auth_user *actor;
    struct campaign k;
    struct eval_outcome_row *out; /* k.nsubjects */
    struct case_change *changes;  /* the 整改 cases, ncases */
    size_t *case_of;              /* changes[j] is about subject case_of[j] */
    size_t ncases, points;
    int64_t ballots;
    const char *at, *until, *today, *client;
    struct arena *a;
};

/* Everything but the cases, inside the write transaction: the campaign
 * closed (only if no ballot came in since it was counted), the outcomes,
 * the points of grades, the audit record. */
static int close_rows(struct db *db, void *ctx, struct err *err)
{
    struct closing *x = ctx;
    int64_t id = x->k.c.id, now = 0;
    int rc = store_eval_campaign_close(db, id, x->at, x->until, err);
    if (rc == ERR_CONFLICT) return err_set(err, ERR_CONFLICT, "该评议已结束，不能重复结束");
    if (!rc) rc = store_eval_ballot_count(db, id, &now, err);
    if (!rc && now != x->ballots)
        return err_set(err, ERR_CONFLICT, "计分时又收到新的选票，请再结束一次评议");
    for (size_t j = 0; j < x->ncases; j++)
        x->out[x->case_of[j]].case_id = x->changes[j].f->c.id;
    const char *ref = arena_printf(x->a, "%lld", (long long)id);
    for (size_t i = 0; !rc && i < x->k.nsubjects; i++) {
        const struct eval_outcome_row *o = &x->out[i];
        rc = store_eval_outcome_insert(db, id, o, err);
        if (!rc && o->person_id && o->grade[0])
            rc = points_review(x->app, db, o->person_id, o->grade, x->today, ref, x->a, &x->points,
                               err);
    }
    if (!rc) {
        struct audit_entry ae = {
            .user = x->actor->name,
            .action = "evaluation.close",
            .entity = arena_printf(x->a, "evaluation:%lld", (long long)id),
            .unit = x->k.c.unit,
            .after = arena_printf(x->a, "{\"notice_until\":\"%s\",\"rectify\":%zu,\"points\":%zu}",
                                  x->until, x->ncases, x->points),
            .client = x->client};
        rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT EVALS_CHANGED, err);
    if (!rc && x->points) rc = db_notify(db, APP_CHANGED_ELEMENT POINTS_CHANGED, err);
    return rc;
}

/* The 整改 case of subject i scoring below the threshold. */
static int rectify_case(struct closing *x, size_t i, double threshold, struct case_full *f,
                        struct err *err)
{
    const struct eval_subject_row *s = &x->k.subjects[i];
    const struct eval_defs *e = x->app->evals;
    char deadline[11];
    clock_today(deadline, e->deadline_days);
    const char *unit = s->unit[0] ? s->unit : x->k.c.unit;
    struct item_input in = {
        .type = e->follow_kind,
        .title = arena_printf(x->a, "%s：%s 整改", x->k.c.name, s->name),
        .description =
            arena_printf(x->a, "%s得分 %.2f，低于 %g 分，须在 %d 日内（%s 前）提交书面整改报告。",
                         s->name, x->out[i].score, threshold, e->deadline_days, deadline),
        .unit = unit,
        .owner_unit = unit,
        .deadline = arena_strdup(x->a, deadline),
        .immediate = -1};
    *f = (struct case_full){.kind = items_kind(x->app, e->follow_kind)};
    int rc = items_prepare(x->app, x->actor, &in, x->a, &f->c, err);
    return rc ? err_wrap(err, "「%s」的整改事项", s->name) : ERR_OK;
}

/* Scores and outcomes of the campaign as it stands (read in a snapshot). */
static int count(struct closing *x, struct err *err)
{
    struct app *app = x->app;
    struct campaign *k = &x->k;
    struct eval_score *sc = arena_zalloc(x->a, (EVAL_SUBJECTS_MAX + 1) * sizeof *sc);
    int *ranks = arena_zalloc(x->a, (EVAL_SUBJECTS_MAX + 1) * sizeof *ranks);
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = eval_read_campaign(db, k->c.id, x->a, k, err);
    if (!rc && strcmp(k->c.status, "open") != 0)
        rc = err_set(err, ERR_CONFLICT, "该评议已结束，不能重复结束");
    if (!rc) rc = eval_score(app, db, k, sc, ranks, &x->ballots, err);
    db_rollback(db);
    store_release(app->store, db);
    if (rc) return rc;
    const struct eval_form *f = evaluations_form(app, k->c.form);
    const struct eval_rule_def *r = evaluations_rule(app, k->c.rule);
    x->out = arena_zalloc(x->a, (k->nsubjects + 1) * sizeof *x->out);
    x->changes = arena_zalloc(x->a, (k->nsubjects + 1) * sizeof *x->changes);
    x->case_of = arena_zalloc(x->a, (k->nsubjects + 1) * sizeof *x->case_of);
    struct case_full *cases = arena_zalloc(x->a, (k->nsubjects + 1) * sizeof *cases);
    for (size_t i = 0; i < k->nsubjects; i++) {
        const struct eval_grade *g = sc[i].scored ? eval_grade_of(f, sc[i].score) : NULL;
        x->out[i] = (struct eval_outcome_row){.seq = k->subjects[i].seq,
                                              .rank = ranks[i],
                                              .person_id = k->subjects[i].person_id,
                                              .scored = sc[i].scored,
                                              .score = sc[i].score,
                                              .grade = g ? g->code : ""};
        if (!sc[i].scored || sc[i].score >= r->threshold) continue;
        size_t j = x->ncases++;
        if ((rc = rectify_case(x, i, r->threshold, &cases[j], err))) return rc;
        x->case_of[j] = i;
        x->changes[j] = (struct case_change){.f = &cases[j],
                                             .insert = true,
                                             .ev = {.at = cases[j].c.created_at,
                                                    .actor = x->actor->name,
                                                    .kind = "create",
                                                    .to_state = cases[j].c.state}};
    }
    return ERR_OK;
}

int evaluations_close(struct app *app, const struct auth_user *actor, int64_t id,
                      const char *client, struct err *err)
{
    char at[32], until[11], today[11];
    auth_now_iso(at);
    clock_today(until, app->evals->notice_days);
    clock_today(today, 0);
    struct closing x = {.app = app,
                        .actor = actor,
                        .k = {.c = {.id = id}},
                        .at = at,
                        .until = until,
                        .today = today,
                        .client = client,
                        .a = arena_new()};
    int rc = count(&x, err);
    if (!rc && x.ncases) { /* the cases through the case engine's writer, the rest with the last */
        x.changes[x.ncases - 1].also = close_rows;
        x.changes[x.ncases - 1].ctx = &x;
        struct case_many m = {
            .changes = x.changes,
            .n = x.ncases,
            .batch_title = arena_printf(x.a, "%s 整改", x.k.c.name),
            .audit = {.user = actor->name,
                      .action = "evaluation.rectify",
                      .entity = arena_printf(x.a, "evaluation:%lld", (long long)id),
                      .unit = x.k.c.unit}};
        rc = cases_save_many(app, &m, client, x.a, err);
    } else if (!rc) {
        struct db *db = store_acquire(app->store);
        rc = db_begin(db, true, err);
        if (!rc) rc = close_rows(db, &x, err);
        if (!rc) rc = db_commit(db, err);
        if (rc) db_rollback(db);
        store_release(app->store, db);
    }
    if (!rc) analytics_invalidate(app, EVALS_CHANGED);
    if (!rc && x.points) analytics_invalidate(app, POINTS_CHANGED);
    arena_free(x.a);
    return rc;
}
