/*
 * cases.c — the case engine (cases.h): the one transition path and the one
 * writer of a case, its subject's row, its timeline, its files and its
 * audit record; the table of named guards and effects kinds may use.
 */
#include "app/cases.h"
#include "app/cases_computed.h"
#include "app/audit.h"
#include "app/kinds.h"
#include "app/memo.h"
#include "app/analytics.h"
#include "app/notify.h"
#include "app/pipeline.h"
#include "app/points.h"
#include "base/clock.h"
#include "base/mem.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- subjects ---- */

/* What differs between subjects: reading and writing their own row, and
 * how the audit trail names a case. */
struct subject {
    const char *name;  /* as kinds name it */
    const char *audit; /* its records' actions: "<audit>.<step>" */
    int (*load)(struct db *db, struct arena *a, struct case_full *f, struct err *err);
    int (*write)(struct app *app, struct db *db, struct arena *a, struct case_full *f, bool insert,
                 struct err *err);
    const char *(*entity)(struct arena *a, const struct case_full *f);
    bool memo;           /* its changes make kept answers (memo.h) stale */
    const char *changed; /* the computed elements' source its changes make stale, or NULL */
};

static const char *item_entity(struct arena *a, const struct case_full *f)
{
    return arena_printf(a, "item:%lld", (long long)f->c.id);
}

static int rating_load(struct db *db, struct arena *a, struct case_full *f, struct err *err)
{
    return store_rating_by_case(db, a, f->c.id, &f->rating, err);
}

static int rating_write(struct app *app, struct db *db, struct arena *a, struct case_full *f,
                        bool insert, struct err *err)
{
    (void)app;
    (void)a;
    f->rating.case_id = f->c.id;
    int rc = insert ? store_rating_insert(db, &f->rating, err)
                    : store_rating_update(db, &f->rating, err);
    if (!rc && f->rating.snapshot) /* naming: what it was named with */
        rc = store_rating_snapshot_put(db, f->c.id, f->rating.named_at, f->rating.snapshot, err);
    return rc;
}

static const char *rating_entity(struct arena *a, const struct case_full *f)
{
    return arena_printf(a, "rating:%s:%s", f->rating.scheme, f->rating.unit);
}

static int points_load(struct db *db, struct arena *a, struct case_full *f, struct err *err)
{
    return store_points_by_case(db, a, f->c.id, &f->points, err);
}

static int points_write(struct app *app, struct db *db, struct arena *a, struct case_full *f,
                        bool insert, struct err *err)
{
    (void)app;
    (void)a;
    f->points.case_id = f->c.id;
    return insert ? store_points_insert(db, &f->points, err)
                  : store_points_update(db, &f->points, err);
}

static const char *points_entity(struct arena *a, const struct case_full *f)
{
    return arena_printf(a, "points:%lld", (long long)f->c.id);
}

static const char *person_entity(struct arena *a, const struct case_full *f)
{
    return arena_printf(a, "party_case:%lld", (long long)f->c.id);
}

static const struct subject subjects[CASE_SUBJECTS] = {
    [CASE_ITEM] = {"item", "item", NULL, NULL, item_entity, false, CASES_CHANGED},
    [CASE_RATING] = {"rating", "rating", rating_load, rating_write, rating_entity, true, NULL},
    [CASE_POINTS] = {"points", "points", points_load, points_write, points_entity, false,
                     POINTS_CHANGED},
    /* "person.*" are the registry's own records (persons.c); a step may move
     * the person's party membership */
    [CASE_PERSON] = {"person", "party_case", pipeline_subject_load, pipeline_subject_write,
                     person_entity, false, "@memberships"},
};

const char *cases_source_of_action(const char *action)
{
    for (int i = 0; i < CASE_SUBJECTS; i++) {
        size_t n = strlen(subjects[i].audit);
        if (subjects[i].changed && strncmp(action, subjects[i].audit, n) == 0 && action[n] == '.')
            return subjects[i].changed;
    }
    return NULL;
}

/* ---- guards and effects ---- */

/* Four eyes: whoever submitted a case may not take this step on it. */
static int guard_not_submitter(struct case_ctx *x, struct err *err)
{
    if (!cases_is_submitter(&x->f->c, x->actor)) return ERR_OK;
    return err_set(err, ERR_FORBIDDEN, "提交人不能自己%s，请由其他人办理", x->tr->label);
}

/* A responsible person is named before the step. */
static int guard_has_assignee(struct case_ctx *x, struct err *err)
{
    if (x->f->c.assignee && x->f->c.assignee[0]) return ERR_OK;
    return err_set_field(err, ERR_INVALID, "assignee", "请先明确责任人，再%s", x->tr->label);
}

static const struct {
    struct wf_hook hook;
    case_hook_fn fn;
} guards[] =
    {
        {{"not_submitter", NULL, 0, 0, NULL, NULL}, guard_not_submitter},
        {{"has_assignee", "item", 0, 0, NULL, NULL}, guard_has_assignee},
        {{"answers_complete", "rating", WF_EDITABLE, 0, NULL, NULL},
         ratings_guard_answers_complete},
        {{"notice_over", "rating", WF_NOTICE, 0, NULL, NULL}, ratings_guard_notice_over},
        {{"objections_resolved", "rating", WF_NOTICE, 0, NULL, NULL},
         ratings_guard_objections_resolved},
        /* person cases: date and count rules, their numbers in the kind's params */
        {{"date_within", "person", 0, 0, NULL, ",since,months,"}, pipeline_guard_within},
        {{"date_after", "person", 0, 0, NULL, ",since,months,"}, pipeline_guard_after},
        {{"at_least_one", "person", 0, 0, NULL, NULL}, pipeline_guard_at_least},
        {{"majority_vote", "person", 0, 0, "entitled", NULL}, pipeline_guard_majority},
        {{"formal_introducers", "person", 0, 0, "introducer1", NULL}, pipeline_guard_introducers},
        {{"points_rule", "points", 0, 0, NULL, NULL}, points_guard_rule},
        /* meetings: quorum and majority from recorded attendance and votes */
        {{"quorum_vote", "item", 0, 0, "present", ",quorum_num,quorum_den,majority_of,"},
         cases_guard_quorum_vote},
        /* 双随机: a step taken only by recording the check's result (inspections_result.c) */
        {{"check_result", "item", 0, 0, NULL, NULL}, inspections_guard_result},
},
  effects[] = {
      {{"open_notice", "rating", 0, WF_NOTICE, "days", NULL}, ratings_effect_open_notice},
      {{"name_stars", "rating", 0, WF_FINAL, NULL, NULL}, ratings_effect_name_stars},
      {{"set_stage", "person", 0, 0, NULL, NULL}, pipeline_effect_set_stage},
      {{"move_org", "person", 0, 0, NULL, NULL}, pipeline_effect_move_org},
      {{"points_count", "points", 0, WF_FINAL, NULL, NULL}, points_effect_count},
};
#define NGUARDS  (sizeof guards / sizeof guards[0])
#define NEFFECTS (sizeof effects / sizeof effects[0])

void cases_vocab(const struct app *app, struct wf_vocab *out)
{
    static const char *const names[CASE_SUBJECTS + 1] = {"item", "rating", "points", "person",
                                                         NULL};
    static struct wf_hook g[NGUARDS], e[NEFFECTS];
    for (size_t i = 0; i < NGUARDS; i++)
        g[i] = guards[i].hook;
    for (size_t i = 0; i < NEFFECTS; i++)
        e[i] = effects[i].hook;
    *out = (struct wf_vocab){names, g, (int)NGUARDS, e, (int)NEFFECTS, app->perms};
}

/* ---- loading ---- */

int cases_parse_id(const char *text, int64_t *id, struct err *err)
{
    return app_parse_id(text, "事项", id, err);
}

bool cases_is_submitter(const struct case_row *c, const struct auth_user *actor)
{
    return strcmp(c->created_by, actor->name) == 0;
}

/* "by": "above" steps (验收, 审核) belong to the units over the owner: a unit
 * never checks its own work. Codes nest, so "over" is a shorter prefix. */
static bool may_take(const struct case_row *c, const struct auth_user *actor,
                     const struct wf_transition *tr)
{
    /* "by": "receiver": the unit the case is sent to (a transfer's 回执);
     * every other step needs the owner in scope (the router lets the
     * receiving side through to read) */
    if (tr->receiver) return auth_in_scope(actor->scope, c->unit);
    if (!auth_in_scope(actor->scope, c->owner_unit)) return false;
    if (!tr->above) return true;
    return auth_in_scope(actor->scope, c->owner_unit) &&
           strlen(actor->scope) < strlen(c->owner_unit);
}

int cases_available(const struct wf_kind *k, const struct case_row *c,
                    const struct auth_user *actor, const struct wf_transition **out, int max)
{
    const struct wf_transition *all[WF_TRANSITIONS_MAX];
    int n = wf_available(k, wf_state_index(k, c->state), actor->perms, cases_is_submitter(c, actor),
                         all, WF_TRANSITIONS_MAX);
    int kept = 0;
    for (int i = 0; i < n && kept < max; i++)
        if (may_take(c, actor, all[i])) out[kept++] = all[i];
    return kept;
}

static int load_in(struct app *app, struct db *db, struct arena *a, int64_t id,
                   struct case_full *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_case_get(db, a, id, &out->c, err);
    if (rc) return rc;
    if (!(out->kind = kinds_find(app, out->c.kind)))
        return err_set(err, ERR_INTERNAL, "case %lld has the unknown kind %s", (long long)id,
                       out->c.kind);
    const struct subject *s = &subjects[out->kind->subject];
    return s->load ? s->load(db, a, out, err) : ERR_OK;
}

int cases_load(struct app *app, struct arena *a, int64_t id, struct case_full *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = load_in(app, db, a, id, out, err);
    store_release(app->store, db);
    return rc;
}

int cases_by_code(struct app *app, struct arena *a, const char *code, int64_t *id, struct err *err)
{
    struct case_row c;
    struct db *db = store_acquire(app->store);
    int rc = store_case_by_code(db, a, code, &c, err);
    store_release(app->store, db);
    if (!rc) *id = c.id;
    return rc;
}

int cases_unit_of(struct app *app, struct arena *a, const char *id_text, const char **unit,
                  struct err *err)
{
    int64_t id;
    int rc = cases_parse_id(id_text, &id, err);
    if (rc) return rc;
    struct case_row c;
    struct db *db = store_acquire(app->store);
    rc = store_case_get(db, a, id, &c, err);
    store_release(app->store, db);
    if (!rc) *unit = c.owner_unit;
    return rc;
}

/* ---- the one writer ---- */

/* The change, inside the caller's write transaction: case, subject's row,
 * event, files. */
static int write_change(struct app *app, struct db *db, struct case_change *ch, struct arena *a,
                        struct err *err)
{
    struct case_full *f = ch->f;
    const struct subject *s = &subjects[f->kind->subject];
    int rc = ch->insert ? store_case_insert(db, &f->c, err) : store_case_update(db, &f->c, err);
    if (!rc && s->write) rc = s->write(app, db, a, f, ch->insert, err);
    if (!rc) rc = store_case_event_add(db, f->c.id, &ch->ev, err);
    for (size_t i = 0; i < ch->nfiles && !rc; i++) {
        const struct file_ref *r = &ch->files[i];
        rc = store_case_file_add(db, f->c.id, ch->ev.id, r->topic, r->sha256, r->name, ch->ev.actor,
                                 err);
        if (rc == ERR_NOT_FOUND) /* never uploaded, or not by the actor: alike */
            rc = err_set_field(err, ERR_INVALID, arena_printf(a, "files[%zu].sha256", i),
                               "files[%zu]：没有这个文件，请先上传", i);
    }
    if (!rc && ch->also) rc = ch->also(db, ch->ctx, err);
    if (!rc) rc = notify_case(app, db, f, &ch->ev, a, err);
    if (!rc && s->changed) /* other servers drop the rollups of its computed elements */
        rc = db_notify(db, arena_printf(a, APP_CHANGED_ELEMENT "%s", s->changed), err);
    return rc;
}

static struct audit_entry audit_of(const struct case_change *ch, const char *client,
                                   struct arena *a)
{
    const struct case_full *f = ch->f;
    const struct subject *s = &subjects[f->kind->subject];
    const char *what = ch->ev.transition && ch->ev.transition[0] ? ch->ev.transition : ch->ev.kind;
    return (struct audit_entry){.user = ch->ev.actor,
                                .action = arena_printf(a, "%s.%s", s->audit, what),
                                .entity = s->entity(a, f),
                                .unit = f->c.owner_unit,
                                .after =
                                    ch->ev.changes && ch->ev.changes[0] ? ch->ev.changes : NULL,
                                .client = client};
}

/* Commits, announces kept answers stale to other servers, and here. */
static int finish(struct app *app, struct db *db, bool memo, struct err *err)
{
    int rc = memo ? db_notify(db, APP_CHANGED_MEMO, err) : ERR_OK;
    if (!rc) rc = db_commit(db, err);
    if (!rc && memo) memo_bump(app->memo);
    return rc;
}

/* The change and its audit record, inside the caller's write transaction. */
static int save_in(struct app *app, struct db *db, struct case_change *ch, const char *client,
                   struct arena *a, struct err *err)
{
    int rc = write_change(app, db, ch, a, err);
    struct audit_entry ae;
    if (!rc) {
        ae = audit_of(ch, client, a); /* after the write: a new case has its id now */
        rc = audit_case_after(app, db, a, &ch->f->c.id, 1, ae.after, &ae.after, err);
    }
    if (!rc) rc = store_audit_append(db, &ae, err);
    return rc;
}

int cases_create_in(struct app *app, struct db *db, struct case_change *ch, const char *client,
                    struct arena *a, struct err *err)
{
    if (subjects[ch->f->kind->subject].memo)
        return err_set(err, ERR_INTERNAL, "cases_create_in: kind %s keeps answers",
                       ch->f->kind->code);
    return save_in(app, db, ch, client, a, err);
}

int cases_save(struct app *app, struct case_change *ch, const char *client, struct arena *a,
               struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = save_in(app, db, ch, client, a, err);
    if (!rc) rc = finish(app, db, subjects[ch->f->kind->subject].memo, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc && subjects[ch->f->kind->subject].changed)
        analytics_invalidate(app, subjects[ch->f->kind->subject].changed);
    return rc;
}

int cases_save_many(struct app *app, struct case_many *m, const char *client, struct arena *a,
                    struct err *err)
{
    bool memo = false;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc && m->batch_title && m->n)
        rc = store_case_batch_insert(db, m->changes[0].f->c.kind, m->batch_title, (int)m->n,
                                     m->audit.user, m->changes[0].ev.at, &m->batch, err);
    for (size_t i = 0; i < m->n && !rc; i++) {
        struct case_change *ch = &m->changes[i];
        if (m->batch_title) ch->f->c.batch = m->batch;
        memo = memo || subjects[ch->f->kind->subject].memo;
        rc = write_change(app, db, ch, a, err);
    }
    struct audit_entry ae = m->audit;
    if (m->batch_title) ae.entity = arena_printf(a, "batch:%lld", (long long)m->batch);
    ae.client = client;
    int64_t *ids = arena_alloc(a, (m->n ? m->n : 1) * sizeof *ids);
    for (size_t i = 0; i < m->n; i++)
        ids[i] = m->changes[i].f->c.id;
    if (!rc && m->n) rc = audit_case_after(app, db, a, ids, m->n, ae.after, &ae.after, err);
    if (!rc && m->n) rc = store_audit_append(db, &ae, err);
    if (!rc && m->also) {
        memo = memo || subjects[m->also->f->kind->subject].memo;
        if (m->also->batch_into) *m->also->batch_into = m->batch;
        if (!(rc = write_change(app, db, m->also, a, err))) {
            ae = audit_of(m->also, client, a);
            rc = audit_case_after(app, db, a, &m->also->f->c.id, 1, ae.after, &ae.after, err);
        }
        if (!rc) rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = finish(app, db, memo, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

int cases_create_batch(struct app *app, const struct auth_user *actor, struct case_row *cases,
                       size_t n, const char *title, const char *action, struct case_change *also,
                       const char *client, struct arena *a, int64_t *batch, struct err *err)
{
    struct case_change *ch = arena_zalloc(a, n * sizeof *ch);
    struct case_full *f = arena_zalloc(a, n * sizeof *f);
    for (size_t i = 0; i < n; i++) {
        f[i] = (struct case_full){.c = cases[i], .kind = kinds_find(app, cases[i].kind)};
        ch[i] = (struct case_change){.f = &f[i],
                                     .insert = true,
                                     .ev = {.at = cases[i].created_at,
                                            .actor = actor->name,
                                            .kind = "create",
                                            .to_state = cases[i].state}};
    }
    struct case_many m = {.changes = ch,
                          .n = n,
                          .batch_title = title,
                          .audit = {.user = actor->name,
                                    .action = action,
                                    .unit = actor->scope[0] ? actor->scope : NULL},
                          .also = also};
    int rc = cases_save_many(app, &m, client, a, err);
    for (size_t i = 0; i < n && !rc; i++)
        cases[i] = f[i].c;
    if (!rc) *batch = m.batch;
    return rc;
}

/* ---- the one transition path ---- */

static int check_step_text(const struct case_step *step, struct err *err)
{
    int rc;
    if ((rc = app_check_text(step->note, "note", CASE_NOTE_MAX, false, err)) ||
        (rc = app_check_text(step->evidence, "evidence", CASE_NOTE_MAX, false, err)) ||
        (rc = app_check_text(step->assignee, "assignee", 64, false, err)))
        return rc;
    return files_check_refs(step->files, step->nfiles, err);
}

/* The step's input for the kind: what core/workflow checks. */
static int step_input(const struct wf_kind *k, const struct case_step *step, struct wf_input *in,
                      struct err *err)
{
    *in = (struct wf_input){.has_note = step->note && step->note[0],
                            .has_evidence = (step->evidence && step->evidence[0]) || step->nfiles,
                            .has_assignee = step->assignee && step->assignee[0],
                            .rating = step->rating};
    for (int i = 0; i < step->nnumbers; i++) {
        int k2 = wf_input_index(k, step->number_codes[i]);
        if (k2 < 0)
            return err_set_field(err, ERR_INVALID, step->number_codes[i], "不认识的字段 %s",
                                 step->number_codes[i]);
        in->has[k2] = true;
        in->values[k2] = step->numbers[i];
    }
    return ERR_OK;
}

static int run_hooks(struct case_ctx *x, const int *which, int n, bool effects_table,
                     struct err *err)
{
    for (int i = 0; i < n; i++) {
        int rc = effects_table ? effects[which[i]].fn(x, err) : guards[which[i]].fn(x, err);
        if (rc) return rc;
    }
    return ERR_OK;
}

/* A step made on an old copy (offline) must not silently win: the saved
 * case's version is the one loaded, so a later change is caught at save. */
static int check_base_version(const struct case_full *f, const struct case_step *step,
                              struct err *err)
{
    if (!step->base_version || step->base_version == f->c.version) return ERR_OK;
    return err_set_field(err, ERR_CONFLICT, "base_version",
                         "这件事在您离线期间已有新的办理（您依据的是第 %lld 版，现为第 %lld 版）",
                         (long long)step->base_version, (long long)f->c.version);
}

/* Everything of a step between loading the case (f) and saving *ch. */
static int prepare_step(struct app *app, const struct auth_user *actor, struct case_full *f,
                        const char *code, const struct case_step *step, struct arena *a,
                        struct case_change *out_ch, struct err *err)
{
    int rc = check_base_version(f, step, err);
    if (rc) return rc;
    const struct wf_kind *k = f->kind;
    const struct wf_transition *tr = wf_transition_find(k, code);
    if (!tr)
        return err_set_field(err, ERR_INVALID, "transition", "%s没有“%s”这一步", k->name,
                             code ? code : "");
    struct wf_input in;
    if ((rc = check_step_text(step, err)) || (rc = step_input(k, step, &in, err)) ||
        (rc = wf_check(k, wf_state_index(k, f->c.state), tr, actor->perms,
                       cases_is_submitter(&f->c, actor), &in, err)))
        return rc;
    if (!may_take(&f->c, actor, tr) && tr->receiver)
        return err_set(err, ERR_FORBIDDEN, "“%s”须由接收方办理", tr->label);
    if (!may_take(&f->c, actor, tr) && !auth_in_scope(actor->scope, f->c.owner_unit))
        return err_set(err, ERR_FORBIDDEN, "接收方只能%s，“%s”须由发出方办理", "接收或退回",
                       tr->label);
    if (!may_take(&f->c, actor, tr))
        return err_set(err, ERR_FORBIDDEN, "“%s”须由上级单位办理，本单位不能自己%s", tr->label,
                       tr->label);
    char at[32];
    auth_now_iso(at);
    const struct wf_state *to = &k->states[tr->to];
    struct case_change ch = {.f = f,
                             .files = step->files,
                             .nfiles = step->nfiles,
                             .ev = {.at = arena_strdup(a, at),
                                    .actor = actor->name,
                                    .kind = "transition",
                                    .transition = tr->code,
                                    .from_state = f->c.state,
                                    .to_state = to->code,
                                    .note = step->note,
                                    .evidence = step->evidence,
                                    .rating = step->rating}};
    char today[11];
    clock_today(today, 0);
    /* the day outlives this function: effects keep it for the save */
    const char *on = arena_strdup(a, step->on && step->on[0] ? step->on : today);
    struct case_ctx x = {.app = app,
                         .a = a,
                         .actor = actor,
                         .f = f,
                         .tr = tr,
                         .in = &in,
                         .ev = &ch.ev,
                         .on = on,
                         .result = step->result};
    bool person = k->subject == CASE_PERSON;
    if ((person && (rc = pipeline_step_date(&x, today, err))) ||
        (rc = run_hooks(&x, tr->guards, tr->nguards, false, err)) ||
        (person && (rc = pipeline_step_record(&x, err))) ||
        (k->subject == CASE_ITEM && (rc = cases_record_inputs(&x, err))))
        return rc;
    f->c.state = to->code;
    f->c.final = to->flags & WF_FINAL;
    f->c.updated_at = ch.ev.at;
    f->c.closed_at = f->c.final ? ch.ev.at : "";
    if (step->rating && (tr->needs & WF_NEED_RATING)) f->c.rating = step->rating;
    f->c.reopens += tr->reopens;
    if (in.has_assignee) f->c.assignee = step->assignee;
    if ((rc = run_hooks(&x, tr->effects, tr->neffects, true, err))) return rc;
    *out_ch = ch;
    return ERR_OK;
}

int cases_step(struct app *app, const struct auth_user *actor, int64_t id, const char *code,
               const struct case_step *step, const char *client, struct arena *a,
               struct case_full *out, struct err *err)
{
    struct case_full *f = arena_zalloc(a, sizeof *f);
    struct case_change ch;
    int rc = cases_load(app, a, id, f, err);
    if (!rc) rc = prepare_step(app, actor, f, code, step, a, &ch, err);
    if (!rc) rc = cases_save(app, &ch, client, a, err);
    if (!rc && out) *out = *f;
    return rc;
}

int cases_step_in(struct app *app, struct db *db, const struct auth_user *actor, int64_t id,
                  const char *code, const struct case_step *step, const char *client,
                  struct arena *a, struct err *err)
{
    struct case_full *f = arena_zalloc(a, sizeof *f);
    struct case_change ch;
    int rc = load_in(app, db, a, id, f, err);
    if (!rc && subjects[f->kind->subject].memo)
        rc = err_set(err, ERR_INTERNAL, "cases_step_in: kind %s keeps answers", f->kind->code);
    if (!rc) rc = prepare_step(app, actor, f, code, step, a, &ch, err);
    if (!rc) rc = save_in(app, db, &ch, client, a, err);
    return rc;
}

int cases_comment(struct app *app, const struct auth_user *actor, int64_t id,
                  const struct case_step *step, const char *client, struct err *err)
{
    int rc = app_check_text(step->note, "note", CASE_NOTE_MAX, step->nfiles == 0, err);
    if (!rc) rc = files_check_refs(step->files, step->nfiles, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct case_full f;
    if (!(rc = cases_load(app, a, id, &f, err)) && !(rc = check_base_version(&f, step, err))) {
        char at[32];
        auth_now_iso(at);
        f.c.updated_at = arena_strdup(a, at);
        struct case_change ch = {
            .f = &f,
            .files = step->files,
            .nfiles = step->nfiles,
            .ev = {
                .at = f.c.updated_at, .actor = actor->name, .kind = "comment", .note = step->note}};
        rc = cases_save(app, &ch, client, a, err);
    }
    arena_free(a);
    return rc;
}

/* ---- reading ---- */

struct timeline_ctx {
    struct arena *a;
    struct case_timeline *t;
    size_t cap, fcap;
};

static const char *keep(struct arena *a, const char *s)
{
    return arena_strdup(a, s ? s : "");
}

static int keep_event(void *ctx, const struct case_event *e)
{
    struct timeline_ctx *x = ctx;
    struct case_timeline *t = x->t;
    t->events = arena_grow(x->a, t->events, sizeof *t->events, t->n, t->n + 1, &x->cap);
    struct case_event *k = &t->events[t->n++];
    *k = *e;
    k->at = keep(x->a, e->at);
    k->actor = keep(x->a, e->actor);
    k->kind = keep(x->a, e->kind);
    k->transition = keep(x->a, e->transition);
    k->from_state = keep(x->a, e->from_state);
    k->to_state = keep(x->a, e->to_state);
    k->note = keep(x->a, e->note);
    k->evidence = keep(x->a, e->evidence);
    k->changes = keep(x->a, e->changes);
    return 0;
}

static int keep_file(void *ctx, const struct case_file *f)
{
    struct timeline_ctx *x = ctx;
    struct case_timeline *t = x->t;
    t->files = arena_grow(x->a, t->files, sizeof *t->files, t->nfiles, t->nfiles + 1, &x->fcap);
    struct case_file *k = &t->files[t->nfiles++];
    *k = *f;
    k->sha256 = keep(x->a, f->sha256);
    k->type = keep(x->a, f->type);
    k->name = keep(x->a, f->name);
    k->topic = keep(x->a, f->topic);
    return 0;
}

int cases_timeline(struct app *app, struct arena *a, int64_t id, struct case_timeline *out,
                   struct err *err)
{
    memset(out, 0, sizeof *out);
    struct timeline_ctx x = {.a = a, .t = out};
    struct db *db = store_acquire(app->store);
    int rc = store_case_events(db, id, keep_event, &x, err);
    if (!rc) rc = store_case_files(db, id, keep_file, &x, err);
    store_release(app->store, db);
    return rc;
}

int cases_file(struct app *app, struct arena *a, int64_t id, const char *sha256,
               struct case_file *out, const void **data, struct err *err)
{
    if (!files_is_digest(sha256))
        return err_set_field(err, ERR_NOT_FOUND, "sha256", "附件地址须以 64 位摘要结尾");
    struct db *db = store_acquire(app->store);
    int rc = store_case_file_get(db, a, id, sha256, out, data, err);
    store_release(app->store, db);
    return rc;
}

int cases_list(struct app *app, const struct case_filter *f,
               int (*fn)(void *ctx, const struct case_row *c), void *ctx, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_cases_list(db, f, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
