/* ratings.c — the five-star cycle of a unit: target, answers, review, notice, naming and
 * withdrawal (ratings.h; results in rating_results.c, the checklist in rating_checklist.c). */
#include "app/ratings_int.h"
#include "app/items.h"
#include "app/memo.h"
#include "base/embed.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "io/json_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct embed_file scheme_defs[];
extern const struct embed_file cycle_defs[];

int ratings_init(struct app *app, struct err *err)
{
    size_t n = 0;
    while (scheme_defs[n].name)
        n++;
    app->schemes = xcalloc(n ? n : 1, sizeof *app->schemes);
    for (const struct embed_file *f = scheme_defs; f->name; f++) {
        int rc =
            scheme_parse((const char *)f->data, f->len, f->name, &app->schemes[app->nschemes], err);
        if (rc) return err_wrap(err, "schemes/%s", f->name);
        for (int i = 0; i < app->nschemes; i++)
            if (strcmp(app->schemes[i]->code, app->schemes[app->nschemes]->code) == 0)
                return err_set(err, ERR_INTERNAL, "schemes/%s: code %s used twice", f->name,
                               app->schemes[i]->code);
        app->nschemes++;
    }
    if (!cycle_defs[0].name) return err_set(err, ERR_INTERNAL, "cycles/rating.json missing");
    int rc = wf_type_parse((const char *)cycle_defs[0].data, cycle_defs[0].len, cycle_defs[0].name,
                           &app->cycle, err);
    return rc ? err_wrap(err, "cycles/%s", cycle_defs[0].name) : ERR_OK;
}

void ratings_free(struct app *app)
{
    for (int i = 0; i < app->nschemes; i++)
        scheme_free(app->schemes[i]);
    free(app->schemes);
    app->schemes = NULL;
    app->nschemes = 0;
    wf_type_free(app->cycle);
    app->cycle = NULL;
}

const struct scheme *ratings_scheme(const struct app *app, const char *code)
{
    for (int i = 0; code && i < app->nschemes; i++)
        if (strcmp(app->schemes[i]->code, code) == 0) return app->schemes[i];
    return NULL;
}

const struct scheme *ratings_scheme_at(const struct app *app, int i)
{
    return i >= 0 && i < app->nschemes ? app->schemes[i] : NULL;
}

int ratings_nschemes(const struct app *app)
{
    return app->nschemes;
}

const struct wf_type *ratings_cycle(const struct app *app)
{
    return app->cycle;
}

/* ---- helpers ---- */

static const char *actor_name(const struct auth_user *actor)
{
    return actor ? actor->name : "cli";
}

/* The command line (no actor) may do everything. */
static bool may(const struct auth_user *actor, const char *perm)
{
    return !actor || auth_has_perm(actor, perm);
}

static const char *const *actor_perms(const struct auth_user *actor)
{
    static const char *const all[] = {"ratings:read", "ratings:assess", "ratings:review",
                                      "ratings:approve", NULL};
    return actor ? actor->perms : all;
}

static const struct scheme *find_scheme(struct app *app, const char *code, struct err *err)
{
    const struct scheme *s = ratings_scheme(app, code);
    if (!s) err_setf(err, ERR_INVALID, "scheme", "没有创建标准 %s", code ? code : "");
    return s;
}

int ratings_save(struct app *app, struct change *c, const char *client, struct arena *a,
                 struct err *err)
{
    struct audit_entry ae = {
        .user = c->ev.actor,
        .action =
            arena_printf(a, "rating.%s",
                         c->ev.transition && c->ev.transition[0] ? c->ev.transition : c->ev.kind),
        .unit = c->r->unit,
        .after = c->ev.changes,
        .client = client};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc && c->insert) rc = store_rating_insert(db, c->r, err);
    if (!rc && c->update) rc = store_rating_update(db, c->r, err);
    if (!rc && c->fn) rc = c->fn(db, c->ctx, err);
    ae.entity = arena_printf(a, "rating:%s:%s", c->r->scheme, c->r->unit);
    if (!rc) rc = store_rating_event_add(db, c->r->id, &c->ev, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_notify(db, APP_CHANGED_MEMO, err); /* other servers' kept answers */
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) memo_bump(app->memo);
    return rc;
}

int ratings_get(struct app *app, struct arena *a, const char *scheme, const char *unit,
                struct store_rating *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_rating_get(db, a, scheme, unit, out, err);
    store_release(app->store, db);
    return rc;
}

int ratings_load(struct app *app, struct arena *a, const char *scheme, const char *unit,
                 const char *const *states, const struct scheme **s, struct store_rating *r,
                 struct err *err)
{
    memset(r, 0, sizeof *r);
    if (!(*s = find_scheme(app, scheme, err))) return ERR_INVALID;
    int rc = ratings_get(app, a, scheme, unit, r, err);
    if (rc || !states) return rc;
    for (int i = 0; states[i]; i++)
        if (strcmp(states[i], r->state) == 0) return ERR_OK;
    const struct wf_state *st = &app->cycle->states[wf_state_index(app->cycle, r->state)];
    return err_set(err, ERR_INVALID, "创建目标当前为“%s”，不能这样修改", st->label);
}

/* ---- declaring a target ---- */

int ratings_declare(struct app *app, const struct auth_user *actor, const char *scheme,
                    const char *unit, int target, const char *client, struct err *err)
{
    const struct scheme *s = find_scheme(app, scheme, err);
    if (!s) return ERR_INVALID;
    struct tree *t = app_tree(app);
    uint32_t u = unit ? tree_find(t, unit, strlen(unit)) : TREE_NONE;
    int kind = u == TREE_NONE ? -1 : tree_node(t, u)->kind;
    tree_unref(t);
    if (u == TREE_NONE)
        return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", unit ? unit : "");
    if (actor && !auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", unit);
    if (!scheme_applies(s, kind))
        return err_set_field(err, ERR_INVALID, "unit", "%s不适用于%s", s->name,
                             unit_kind_label(kind));
    if (target < 1 || target > s->ncategories)
        return err_set_field(err, ERR_INVALID, "target", "争创星级须在 1 到 %d 之间",
                             s->ncategories);
    char at[32];
    auth_now_iso(at);
    struct arena *a = arena_new();
    struct store_rating r = {.scheme = s->code,
                             .unit = unit,
                             .target = target,
                             .state = app->cycle->states[app->cycle->initial].code,
                             .level = -1,
                             .created_by = actor_name(actor),
                             .created_at = at};
    struct change c = {.r = &r,
                       .insert = true,
                       .ev = {.at = at,
                              .actor = actor_name(actor),
                              .kind = "declare",
                              .to_state = r.state,
                              .note = arena_printf(a, "申报争创%d星", target)}};
    int rc = ratings_save(app, &c, client, a, err);
    if (rc == ERR_CONFLICT)
        rc = err_set_field(err, ERR_CONFLICT, "unit", "单位 %s 已申报过%s", unit, s->name);
    arena_free(a);
    return rc;
}

/* ---- answers ---- */

/* Checks one answer against the scheme; *ind / *veto is its index. */
static int check_answer(const struct scheme *s, const struct rating_answer *an, const char *at,
                        struct err *err)
{
    int i = an->code ? scheme_indicator_index(s, an->code) : -1;
    int v = i < 0 && an->code ? scheme_veto_index(s, an->code) : -1;
    if (i < 0 && v < 0)
        return err_set_field(err, ERR_INVALID, at, "%s没有指标或否决项“%s”", s->name,
                             an->code ? an->code : "");
    int kind = i >= 0 ? s->indicators[i].kind : s->vetoes[v].kind;
    const char *name = i >= 0 ? s->indicators[i].name : s->vetoes[v].name;
    if (kind == SCHEME_FORMULA)
        return err_set_field(err, ERR_INVALID, at, "“%s”由数据计算，不需要填写", name);
    if (kind == SCHEME_ASSESSED) {
        double max = s->indicators[i].max;
        if (!an->has_score || an->has_yes)
            return err_set_field(err, ERR_INVALID, at, "“%s”须给出得分 score（0 到 %g）", name,
                                 max);
        if (!isfinite(an->score) || an->score < 0 || an->score > max)
            return err_set_field(err, ERR_INVALID, at, "“%s”的得分须在 0 到 %g 之间", name, max);
    } else if (!an->has_yes || an->has_score) {
        return err_set_field(err, ERR_INVALID, at, "“%s”须回答是或否（yes）", name);
    }
    int rc = app_check_text(an->note, "note", RATING_NOTE_MAX, false, err);
    if (!rc) rc = files_check_refs(an->files, an->nfiles, err);
    if (rc) err_wrap(err, "%s", at);
    return rc;
}

struct answers_write {
    int64_t rating;
    const struct rating_answer *answers;
    size_t n;
    const char *by, *at;
    bool adjusted;
    struct arena *a;
};

static int write_answers(struct db *db, void *ctx, struct err *err)
{
    struct answers_write *w = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < w->n && !rc; i++) {
        const struct rating_answer *an = &w->answers[i];
        struct store_rating_answer sa = {.code = an->code,
                                         .has_score = an->has_score,
                                         .score = an->score,
                                         .has_yes = an->has_yes,
                                         .yes = an->yes,
                                         .note = an->note,
                                         .adjusted = w->adjusted,
                                         .updated_by = w->by,
                                         .updated_at = w->at};
        rc = store_rating_answer_put(db, w->rating, &sa, err);
        for (size_t k = 0; k < an->nfiles && !rc; k++) {
            struct store_file f;
            rc = store_file_info(db, w->a, an->files[k].sha256, &f, err);
            if (rc == ERR_NOT_FOUND)
                rc = err_set_field(err, ERR_INVALID, "files", "%s：没有摘要为 %s 的文件，请先上传",
                                   an->code, an->files[k].sha256);
            if (!rc)
                rc = store_rating_file_add(db, w->rating, an->code, f.sha256, an->files[k].name,
                                           err);
        }
    }
    return rc;
}

/* "{"code": {"score": 18}, …}" for the timeline. */
static const char *answers_json(struct arena *a, const struct rating_answer *answers, size_t n)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    for (size_t i = 0; i < n; i++) {
        jw_key(&w, answers[i].code);
        jw_obj(&w);
        if (answers[i].has_score) jw_knum(&w, "score", answers[i].score);
        if (answers[i].has_yes) jw_kbool(&w, "yes", answers[i].yes);
        if (answers[i].nfiles) jw_kint(&w, "files", (int64_t)answers[i].nfiles);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
    const char *s = arena_strdup(a, b.p);
    buf_free(&b);
    return s;
}

int ratings_answer(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const struct rating_answer *answers, size_t n,
                   const char *client, struct err *err)
{
    static const char *const open[] = {"declared", "returned", NULL};
    struct arena *a = arena_new();
    const struct scheme *s;
    struct store_rating r;
    int rc = ratings_load(app, a, scheme, unit, open, &s, &r, err);
    if (!rc && n == 0) rc = err_set(err, ERR_INVALID, "没有要保存的自评内容");
    for (size_t i = 0; i < n && !rc; i++) {
        const char *at = answers[i].path ? answers[i].path : arena_printf(a, "answers[%zu]", i);
        rc = check_answer(s, &answers[i], at, err);
        for (size_t k = 0; k < i && !rc; k++)
            if (strcmp(answers[k].code, answers[i].code) == 0)
                rc = err_set_field(err, ERR_INVALID, at, "“%s”出现了两次", answers[i].code);
    }
    if (!rc) {
        char now[32];
        auth_now_iso(now);
        r.updated_at = now;
        struct answers_write w = {r.id, answers, n, actor_name(actor), now, false, a};
        struct change c = {.r = &r,
                           .update = true,
                           .fn = write_answers,
                           .ctx = &w,
                           .ev = {.at = now,
                                  .actor = actor_name(actor),
                                  .kind = "answer",
                                  .changes = answers_json(a, answers, n)}};
        rc = ratings_save(app, &c, client, a, err);
    }
    arena_free(a);
    return rc;
}

struct one_answer {
    const char *code;
    struct store_rating_answer *found;
    struct arena *a;
};

static int find_answer(void *ctx, const struct store_rating_answer *an)
{
    struct one_answer *o = ctx;
    if (strcmp(an->code, o->code) != 0) return 0;
    *o->found = *an;
    o->found->code = arena_strdup(o->a, an->code);
    return 1;
}

int ratings_adjust(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const struct rating_answer *answer, const char *reason,
                   const char *client, struct err *err)
{
    static const char *const reviewed[] = {"submitted", "township_passed", NULL};
    struct arena *a = arena_new();
    const struct scheme *s;
    struct store_rating r;
    int rc = ratings_load(app, a, scheme, unit, reviewed, &s, &r, err);
    if (!rc) {
        bool township = strcmp(r.state, "submitted") == 0;
        if (!may(actor, township ? "ratings:review" : "ratings:approve"))
            rc = err_set(err, ERR_FORBIDDEN,
                         township ? "乡镇初审时才能由乡镇调整" : "县级复审时只有县级可以调整");
    }
    if (!rc) rc = check_answer(s, answer, "code", err);
    if (!rc) rc = app_check_text(reason, "reason", RATING_NOTE_MAX, true, err);
    struct store_rating_answer old = {0};
    if (!rc) {
        struct one_answer o = {answer->code, &old, a};
        struct db *db = store_acquire(app->store);
        rc = store_rating_answers(db, a, r.id, find_answer, &o, err);
        store_release(app->store, db);
    }
    if (!rc) {
        char now[32];
        auth_now_iso(now);
        r.updated_at = now;
        struct rating_answer next = *answer;
        if (!next.note) next.note = old.note;
        struct answers_write w = {r.id, &next, 1, actor_name(actor), now, true, a};
        struct buf b = BUF_INIT;
        struct jw j;
        jw_init(&j, &b);
        jw_obj(&j);
        jw_kstr(&j, "code", answer->code);
        jw_key(&j, "from");
        jw_obj(&j);
        if (old.has_score) jw_knum(&j, "score", old.score);
        if (old.has_yes) jw_kbool(&j, "yes", old.yes);
        jw_obj_end(&j);
        jw_key(&j, "to");
        jw_obj(&j);
        if (answer->has_score) jw_knum(&j, "score", answer->score);
        if (answer->has_yes) jw_kbool(&j, "yes", answer->yes);
        jw_obj_end(&j);
        jw_obj_end(&j);
        struct change c = {.r = &r,
                           .update = true,
                           .fn = write_answers,
                           .ctx = &w,
                           .ev = {.at = now,
                                  .actor = actor_name(actor),
                                  .kind = "adjust",
                                  .note = reason,
                                  .changes = arena_strdup(a, b.p)}};
        buf_free(&b);
        rc = ratings_save(app, &c, client, a, err);
    }
    arena_free(a);
    return rc;
}

/* ---- the cycle ---- */

struct answered {
    const struct scheme *s;
    bool given[SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES];
};

static int mark_answered(void *ctx, const struct store_rating_answer *an)
{
    struct answered *x = ctx;
    int i = scheme_indicator_index(x->s, an->code), v = scheme_veto_index(x->s, an->code);
    if (i >= 0) x->given[i] = an->has_score || an->has_yes;
    if (v >= 0) x->given[SCHEME_ALL_INDICATORS + v] = an->has_yes;
    return 0;
}

/* Submitting needs every indicator and veto people answer. */
static int check_complete(struct app *app, struct arena *a, const struct scheme *s,
                          const struct store_rating *r, struct err *err)
{
    struct answered x = {.s = s};
    struct db *db = store_acquire(app->store);
    int rc = store_rating_answers(db, a, r->id, mark_answered, &x, err);
    store_release(app->store, db);
    for (int i = 0; i < s->nindicators && !rc; i++)
        if (s->indicators[i].kind != SCHEME_FORMULA && !x.given[i])
            rc = err_set_field(err, ERR_INVALID, s->indicators[i].code, "请先为“%s”自评",
                               s->indicators[i].name);
    for (int v = 0; v < s->nvetoes && !rc; v++)
        if (s->vetoes[v].kind != SCHEME_FORMULA && !x.given[SCHEME_ALL_INDICATORS + v])
            rc = err_set_field(err, ERR_INVALID, s->vetoes[v].code, "请先回答否决项“%s”",
                               s->vetoes[v].name);
    return rc;
}

static int count_open(void *ctx, const struct store_rating_objection *o)
{
    if (o->upheld < 0) ++*(int *)ctx;
    return 0;
}

/* The stars won as comma-separated codes. */
static const char *stars_text(struct arena *a, const struct scheme *s, const bool *won)
{
    struct buf b = BUF_INIT;
    for (int k = 0; k < s->ncategories; k++)
        if (won[k]) buf_printf(&b, "%s%s", b.len ? "," : "", s->categories[k].code);
    const char *out = arena_strndup(a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return out;
}

/* Naming fixes the level and stars the answers and data give now. */
static int name_rating(struct app *app, struct arena *a, const struct scheme *s,
                       struct store_rating *r, struct err *err)
{
    char day[11];
    items_today(day, 0);
    if (r->notice_until[0] && strcmp(day, r->notice_until) <= 0)
        return err_set(err, ERR_INVALID, "公示期到 %s 结束，结束后才能命名", r->notice_until);
    int open = 0;
    struct db *db = store_acquire(app->store);
    int rc = store_rating_objections(db, a, r->id, count_open, &open, err);
    store_release(app->store, db);
    if (!rc && open) rc = err_set(err, ERR_INVALID, "还有 %d 条异议未处理，处理后才能命名", open);
    struct rating_result *res = arena_zalloc(a, sizeof *res);
    if (!rc) rc = ratings_result(app, s, r->unit, r, res, err); /* r is not named yet */
    if (rc) return rc;
    r->level = res->level;
    r->stars = stars_text(a, s, res->won);
    r->named_at = r->updated_at;
    return ERR_OK;
}

int ratings_transition(struct app *app, const struct auth_user *actor, const char *scheme,
                       const char *unit, const char *code, const char *note, int days,
                       const char *client, struct err *err)
{
    struct arena *a = arena_new();
    const struct scheme *s;
    struct store_rating r;
    const struct wf_type *cy = app->cycle;
    int rc = ratings_load(app, a, scheme, unit, NULL, &s, &r, err);
    const struct wf_transition *tr = code ? wf_transition_find(cy, code) : NULL;
    if (!rc && !tr)
        rc = err_set_field(err, ERR_INVALID, "transition", "创建流程没有“%s”这一步",
                           code ? code : "");
    if (!rc) rc = app_check_text(note, "note", RATING_NOTE_MAX, false, err);
    if (!rc) {
        struct wf_input in = {.has_note = note && note[0]};
        rc = wf_check(cy, wf_state_index(cy, r.state), tr, actor_perms(actor), false, &in, err);
    }
    char now[32];
    auth_now_iso(now);
    const char *from = r.state;
    r.updated_at = now;
    if (!rc && strcmp(tr->code, "submit") == 0) rc = check_complete(app, a, s, &r, err);
    if (!rc && strcmp(tr->code, "publish") == 0) {
        if (days < 0 || days > RATING_NOTICE_MAX)
            rc = err_set_field(err, ERR_INVALID, "days", "公示天数须在 1 到 %d 之间",
                               RATING_NOTICE_MAX);
        char until[11];
        items_today(until, (days ? days : RATING_NOTICE_DAYS) - 1);
        r.notice_until = arena_strdup(a, until);
    }
    if (!rc && strcmp(tr->code, "name") == 0) rc = name_rating(app, a, s, &r, err);
    if (!rc) {
        r.state = cy->states[tr->to].code;
        struct change c = {.r = &r,
                           .update = true,
                           .ev = {.at = now,
                                  .actor = actor_name(actor),
                                  .kind = "transition",
                                  .transition = tr->code,
                                  .from_state = from,
                                  .to_state = r.state,
                                  .note = note}};
        rc = ratings_save(app, &c, client, a, err);
    }
    arena_free(a);
    return rc;
}

/* ---- objections and withdrawals ---- */

struct objection_write {
    int64_t rating, id;
    const char *text, *by, *at;
    bool resolve, upheld;
};

static int write_objection(struct db *db, void *ctx, struct err *err)
{
    struct objection_write *w = ctx;
    return w->resolve ? store_rating_objection_resolve(db, w->rating, w->id, w->text, w->upheld,
                                                       w->by, w->at, err)
                      : store_rating_objection_add(db, w->rating, w->text, w->by, w->at, err);
}

/* Records an objection (w->resolve false) or resolves one, while the
 * notice is open; w holds what the caller gave. */
static int objection(struct app *app, const struct auth_user *actor, const char *scheme,
                     const char *unit, struct objection_write *w, const char *client,
                     struct err *err)
{
    static const char *const notice[] = {"notice", NULL};
    struct arena *a = arena_new();
    const struct scheme *s;
    struct store_rating r;
    int rc = ratings_load(app, a, scheme, unit, notice, &s, &r, err);
    if (!rc)
        rc =
            app_check_text(w->text, w->resolve ? "resolution" : "text", RATING_NOTE_MAX, true, err);
    if (!rc) {
        char now[32];
        auth_now_iso(now);
        r.updated_at = now;
        w->rating = r.id;
        w->by = actor_name(actor);
        w->at = now;
        const char *note =
            w->resolve ? arena_printf(a, "%s：%s", w->upheld ? "异议成立" : "异议不成立", w->text)
                       : w->text;
        struct change c = {.r = &r,
                           .update = true,
                           .fn = write_objection,
                           .ctx = w,
                           .ev = {.at = now,
                                  .actor = w->by,
                                  .kind = w->resolve ? "resolve" : "objection",
                                  .note = note}};
        rc = ratings_save(app, &c, client, a, err);
    }
    arena_free(a);
    return rc;
}

int ratings_object(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const char *text, const char *client, struct err *err)
{
    struct objection_write w = {.text = text};
    return objection(app, actor, scheme, unit, &w, client, err);
}

int ratings_resolve(struct app *app, const struct auth_user *actor, const char *scheme,
                    const char *unit, int64_t id, const char *resolution, bool upheld,
                    const char *client, struct err *err)
{
    struct objection_write w = {.id = id, .text = resolution, .resolve = true, .upheld = upheld};
    return objection(app, actor, scheme, unit, &w, client, err);
}

static int write_withdrawal(struct db *db, void *ctx, struct err *err)
{
    const struct store_rating_withdrawal *w = ((void **)ctx)[0];
    const struct store_rating *r = ((void **)ctx)[1];
    return store_rating_withdrawal_add(db, r->id, w, err);
}

int ratings_withdraw(struct app *app, const struct auth_user *actor, const char *scheme,
                     const char *unit, const char *star, const char *reason, const char *client,
                     struct err *err)
{
    static const char *const named[] = {"named", NULL};
    struct arena *a = arena_new();
    const struct scheme *s;
    struct store_rating r;
    int rc = ratings_load(app, a, scheme, unit, named, &s, &r, err);
    int k = rc ? -1 : scheme_category_index(s, star ? star : "");
    if (!rc && k < 0) rc = err_set_field(err, ERR_INVALID, "star", "%s没有“%s”", s->name, star);
    if (!rc) rc = app_check_text(reason, "reason", RATING_NOTE_MAX, true, err);
    struct rating_result res = {0};
    if (!rc) {
        ratings_overlay_named(s, &r, &res);
        if (!res.won[k])
            rc = err_set_field(err, ERR_INVALID, "star", "%s未获得或已被摘除%s", unit,
                               s->categories[k].name);
    }
    if (!rc) {
        res.won[k] = false;
        int level = 0;
        for (int j = 0; j < s->ncategories; j++)
            level += res.won[j];
        if (s->prerequisite >= 0 && !res.won[s->prerequisite]) level = 0;
        char now[32];
        auth_now_iso(now);
        r.updated_at = now;
        r.level = level;
        r.stars = stars_text(a, s, res.won);
        struct store_rating_withdrawal w = {s->categories[k].code, reason, actor_name(actor), now};
        void *ctx[2] = {&w, &r};
        struct change c = {
            .r = &r,
            .update = true,
            .fn = write_withdrawal,
            .ctx = ctx,
            .ev = {.at = now,
                   .actor = actor_name(actor),
                   .kind = "withdraw",
                   .note = arena_printf(a, "摘除%s：%s", s->categories[k].name, reason)}};
        rc = ratings_save(app, &c, client, a, err);
    }
    arena_free(a);
    return rc;
}
