/* ratings.c — the five-star cycle of a unit on the case engine: target,
 * answers, review, objections, withdrawal, and the guards and effects the
 * cycle's kind names (ratings.h; results in rating_results.c, the checklist
 * in rating_checklist.c). */
#include "app/ratings_int.h"
#include "app/items.h"
#include "app/kinds.h"
#include "base/embed.h"
#include "base/mem.h"
#include "io/json_out.h"
#include "store/store.h"
#include "base/clock.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct embed_file scheme_defs[];

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
    int cycles = 0;
    for (int i = 0; i < kinds_count(app); i++)
        cycles += kinds_at(app, i)->subject == CASE_RATING;
    if (cycles != 1)
        return err_set(err, ERR_INVALID,
                       "须有且只有一种 subject 为 \"rating\" 的事项类型（现有 %d 种）", cycles);
    return ratings_kept_init(app, err);
}

void ratings_free(struct app *app)
{
    ratings_kept_free(app); /* first: its warm-up thread reads the schemes */
    for (int i = 0; i < app->nschemes; i++)
        scheme_free(app->schemes[i]);
    free(app->schemes);
    app->schemes = NULL;
    app->nschemes = 0;
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

const struct wf_kind *ratings_kind(const struct app *app)
{
    for (int i = 0; i < kinds_count(app); i++)
        if (kinds_at(app, i)->subject == CASE_RATING) return kinds_at(app, i);
    return NULL;
}

/* ---- helpers ---- */

static const struct scheme *find_scheme(struct app *app, const char *code, struct err *err)
{
    const struct scheme *s = ratings_scheme(app, code);
    if (!s) err_setf(err, ERR_INVALID, "scheme", "没有创建标准 %s", code ? code : "");
    return s;
}

int ratings_get(struct app *app, struct arena *a, const char *scheme, const char *unit,
                struct case_full *out, struct err *err)
{
    int64_t id;
    struct db *db = store_acquire(app->store);
    int rc = store_rating_find(db, scheme, unit, &id, err);
    store_release(app->store, db);
    return rc ? rc : cases_load(app, a, id, out, err);
}

/* The scheme and the rating of unit, for a change allowed only in states
 * with `flags` (0: any): ERR_INVALID naming the state otherwise. */
static int load(struct app *app, struct arena *a, const char *scheme, const char *unit,
                unsigned flags, const struct scheme **s, struct case_full *f, struct err *err)
{
    memset(f, 0, sizeof *f);
    if (!(*s = find_scheme(app, scheme, err))) return ERR_INVALID;
    int rc = ratings_get(app, a, scheme, unit, f, err);
    if (rc) return rc;
    int st = wf_state_index(f->kind, f->c.state);
    if (wf_state_is(f->kind, st, flags)) return ERR_OK;
    return err_set(err, ERR_INVALID, "创建目标当前为“%s”，不能这样修改",
                   st >= 0 ? f->kind->states[st].label : f->c.state);
}

/* A change of the rating with the event ev (its `at` is now). */
static int save(struct app *app, struct case_full *f, struct case_event ev,
                const struct file_ref *files, size_t nfiles,
                int (*also)(struct db *db, void *ctx, struct err *err), void *ctx,
                const char *client, struct arena *a, struct err *err)
{
    f->c.updated_at = ev.at;
    struct case_change ch = {
        .f = f, .ev = ev, .files = files, .nfiles = nfiles, .also = also, .ctx = ctx};
    return cases_save(app, &ch, client, a, err);
}

static const char *now(struct arena *a)
{
    char at[32];
    auth_now_iso(at);
    return arena_strdup(a, at);
}

/* ---- declaring a target ---- */

int ratings_declare(struct app *app, const struct auth_user *actor, const char *scheme,
                    const char *unit, int target, const char *client, struct err *err)
{
    const struct scheme *s = find_scheme(app, scheme, err);
    if (!s) return ERR_INVALID;
    const struct wf_kind *k = ratings_kind(app);
    struct tree *t = app_tree(app);
    uint32_t u = unit ? tree_find(t, unit, strlen(unit)) : TREE_NONE;
    int kind = u == TREE_NONE ? -1 : tree_node(t, u)->kind;
    tree_unref(t);
    if (u == TREE_NONE)
        return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", unit ? unit : "");
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", unit);
    if (!auth_has_perm(actor, k->create_perm))
        return err_set(err, ERR_FORBIDDEN, "当前角色不能申报%s", k->name);
    if (!scheme_applies(s, kind))
        return err_set_field(err, ERR_INVALID, "unit", "%s不适用于%s", s->name,
                             unit_kind_label(kind));
    if (target < 1 || target > s->ncategories)
        return err_set_field(err, ERR_INVALID, "target", "争创星级须在 1 到 %d 之间",
                             s->ncategories);
    struct arena *a = arena_new();
    const char *at = now(a);
    const struct wf_state *initial = &k->states[k->initial];
    struct case_full f = {
        .kind = k,
        .c = {.kind = k->code,
              .unit = unit,
              .owner_unit = unit,
              .state = initial->code,
              .final = initial->flags & WF_FINAL,
              .created_by = actor->name,
              .created_at = at,
              .updated_at = at},
        .rating = {.scheme = s->code, .unit = unit, .target = target, .level = -1}};
    struct case_change ch = {.f = &f,
                             .insert = true,
                             .ev = {.at = at,
                                    .actor = actor->name,
                                    .kind = "create",
                                    .to_state = initial->code,
                                    .note = arena_printf(a, "申报争创%d星", target)}};
    int rc = cases_save(app, &ch, client, a, err);
    if (rc == ERR_CONFLICT)
        rc = err_set_field(err, ERR_CONFLICT, "unit", "单位 %s 已申报过%s", unit, s->name);
    arena_free(a);
    return rc;
}

/* ---- answers ---- */

/* Checks one answer against the scheme. */
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
};

static int write_answers(struct db *db, void *ctx, struct err *err)
{
    struct answers_write *w = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < w->n && !rc; i++) {
        const struct rating_answer *an = &w->answers[i];
        struct case_answer sa = {.code = an->code,
                                 .has_score = an->has_score,
                                 .score = an->score,
                                 .has_yes = an->has_yes,
                                 .yes = an->yes,
                                 .note = an->note,
                                 .adjusted = w->adjusted,
                                 .updated_by = w->by,
                                 .updated_at = w->at};
        rc = store_answer_put(db, w->rating, &sa, err);
    }
    return rc;
}

/* The files of the answers, each under its answer's code. */
static const struct file_ref *answer_files(struct arena *a, const struct rating_answer *answers,
                                           size_t n, size_t *count)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        total += answers[i].nfiles;
    struct file_ref *refs = arena_zalloc(a, (total ? total : 1) * sizeof *refs);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < answers[i].nfiles; j++) {
            refs[k] = answers[i].files[j];
            refs[k++].topic = answers[i].code;
        }
    *count = total;
    return refs;
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
    struct arena *a = arena_new();
    const struct scheme *s;
    struct case_full f;
    int rc = load(app, a, scheme, unit, WF_EDITABLE, &s, &f, err);
    if (!rc && !auth_has_perm(actor, f.kind->create_perm))
        rc = err_set(err, ERR_FORBIDDEN, "当前角色不能自评");
    if (!rc && n == 0) rc = err_set(err, ERR_INVALID, "没有要保存的自评内容");
    for (size_t i = 0; i < n && !rc; i++) {
        const char *at = answers[i].path ? answers[i].path : arena_printf(a, "answers[%zu]", i);
        rc = check_answer(s, &answers[i], at, err);
        for (size_t k = 0; k < i && !rc; k++)
            if (strcmp(answers[k].code, answers[i].code) == 0)
                rc = err_set_field(err, ERR_INVALID, at, "“%s”出现了两次", answers[i].code);
    }
    if (!rc) {
        const char *at = now(a);
        struct answers_write w = {f.c.id, answers, n, actor->name, at, false};
        size_t nfiles;
        const struct file_ref *files = answer_files(a, answers, n, &nfiles);
        rc = save(app, &f,
                  (struct case_event){.at = at,
                                      .actor = actor->name,
                                      .kind = "answer",
                                      .changes = answers_json(a, answers, n)},
                  files, nfiles, write_answers, &w, client, a, err);
    }
    arena_free(a);
    return rc;
}

int ratings_adjust(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const struct rating_answer *answer, const char *reason,
                   const char *client, struct err *err)
{
    struct arena *a = arena_new();
    const struct scheme *s;
    struct case_full f;
    int rc = load(app, a, scheme, unit, 0, &s, &f, err);
    const struct wf_state *st = rc ? NULL : &f.kind->states[wf_state_index(f.kind, f.c.state)];
    if (!rc && !st->reviewer[0])
        rc = err_set(err, ERR_INVALID, "创建目标当前为“%s”，不能调整评分", st->label);
    if (!rc && !auth_has_perm(actor, st->reviewer))
        rc = err_set(err, ERR_FORBIDDEN, "“%s”时只有有“%s”权限的人可以调整", st->label,
                     auth_perm_name(app, st->reviewer));
    if (!rc) rc = check_answer(s, answer, "code", err);
    if (!rc) rc = app_check_text(reason, "reason", RATING_NOTE_MAX, true, err);
    const struct case_answer **old = NULL;
    if (!rc) rc = ratings_answers(app, a, s, f.c.id, &old, err);
    if (!rc) {
        int i = scheme_indicator_index(s, answer->code);
        const struct case_answer *was =
            old[i >= 0 ? i : SCHEME_ALL_INDICATORS + scheme_veto_index(s, answer->code)];
        struct rating_answer next = *answer;
        if (!next.note) next.note = was ? was->note : "";
        const char *at = now(a);
        struct answers_write w = {f.c.id, &next, 1, actor->name, at, true};
        struct buf b = BUF_INIT;
        struct jw j;
        jw_init(&j, &b);
        jw_obj(&j);
        jw_kstr(&j, "code", answer->code);
        jw_key(&j, "from");
        jw_obj(&j);
        if (was && was->has_score) jw_knum(&j, "score", was->score);
        if (was && was->has_yes) jw_kbool(&j, "yes", was->yes);
        jw_obj_end(&j);
        jw_key(&j, "to");
        jw_obj(&j);
        if (answer->has_score) jw_knum(&j, "score", answer->score);
        if (answer->has_yes) jw_kbool(&j, "yes", answer->yes);
        jw_obj_end(&j);
        jw_obj_end(&j);
        const char *changes = arena_strdup(a, b.p);
        buf_free(&b);
        rc = save(app, &f,
                  (struct case_event){.at = at,
                                      .actor = actor->name,
                                      .kind = "adjust",
                                      .note = reason,
                                      .changes = changes},
                  NULL, 0, write_answers, &w, client, a, err);
    }
    arena_free(a);
    return rc;
}

/* ---- the cycle ---- */

int ratings_transition(struct app *app, const struct auth_user *actor, const char *scheme,
                       const char *unit, const char *code, const struct case_step *step,
                       const char *client, struct err *err)
{
    struct arena *a = arena_new();
    const struct scheme *s;
    struct case_full f;
    int rc = load(app, a, scheme, unit, 0, &s, &f, err);
    if (!rc) rc = app_check_text(step->note, "note", RATING_NOTE_MAX, false, err);
    if (!rc) rc = cases_step(app, actor, f.c.id, code, step, client, a, NULL, err);
    arena_free(a);
    return rc;
}

/* The scheme of a rating case, for guards and effects. */
static const struct scheme *scheme_of(struct case_ctx *x, struct err *err)
{
    const struct scheme *s = ratings_scheme(x->app, x->f->rating.scheme);
    if (!s)
        err_setf(err, ERR_INTERNAL, NULL, "rating %lld has an unknown scheme",
                 (long long)x->f->c.id);
    return s;
}

/* Every indicator and veto people answer has an answer. */
int ratings_guard_answers_complete(struct case_ctx *x, struct err *err)
{
    const struct scheme *s = scheme_of(x, err);
    if (!s) return ERR_INTERNAL;
    const struct case_answer **given = NULL;
    int rc = ratings_answers(x->app, x->a, s, x->f->c.id, &given, err);
    for (int i = 0; i < s->nindicators && !rc; i++)
        if (s->indicators[i].kind != SCHEME_FORMULA &&
            !(given[i] && (given[i]->has_score || given[i]->has_yes)))
            rc = err_set_field(err, ERR_INVALID, s->indicators[i].code, "请先为“%s”自评",
                               s->indicators[i].name);
    for (int v = 0; v < s->nvetoes && !rc; v++)
        if (s->vetoes[v].kind != SCHEME_FORMULA &&
            !(given[SCHEME_ALL_INDICATORS + v] && given[SCHEME_ALL_INDICATORS + v]->has_yes))
            rc = err_set_field(err, ERR_INVALID, s->vetoes[v].code, "请先回答否决项“%s”",
                               s->vetoes[v].name);
    return rc;
}

/* The public notice has ended (the day after its last day). */
int ratings_guard_notice_over(struct case_ctx *x, struct err *err)
{
    char day[11];
    clock_today(day, 0);
    const char *until = x->f->rating.notice_until;
    if (until[0] && strcmp(day, until) <= 0)
        return err_set(err, ERR_INVALID, "公示期到 %s 结束，结束后才能%s", until, x->tr->label);
    return ERR_OK;
}

int ratings_guard_objections_resolved(struct case_ctx *x, struct err *err)
{
    struct rating_objection *o;
    size_t n, open = 0;
    int rc = ratings_objections(x->app, x->a, x->f->c.id, &o, &n, err);
    for (size_t i = 0; i < n; i++)
        open += o[i].upheld < 0;
    if (!rc && open)
        rc = err_set(err, ERR_INVALID, "还有 %zu 条异议未处理，处理后才能%s", open, x->tr->label);
    return rc;
}

/* The notice lasts the step's "days", today included. */
int ratings_effect_open_notice(struct case_ctx *x, struct err *err)
{
    (void)err;
    int days = wf_input_index(x->f->kind, "days");
    char until[11];
    clock_today(until, (int)x->in->values[days] - 1);
    x->f->rating.notice_until = arena_strdup(x->a, until);
    return ERR_OK;
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

/* Naming fixes the level and stars the answers and data give now, and
 * keeps those answers, figures and scores (rating_snapshot.c). */
int ratings_effect_name_stars(struct case_ctx *x, struct err *err)
{
    const struct scheme *s = scheme_of(x, err);
    if (!s) return ERR_INTERNAL;
    struct rating_result *res = arena_zalloc(x->a, sizeof *res);
    struct case_full unnamed = *x->f;
    unnamed.rating.named_at = "";
    int rc = ratings_result(x->app, s, x->f->rating.unit, &unnamed, res, err);
    if (rc) return rc;
    x->f->rating.level = res->level;
    x->f->rating.stars = stars_text(x->a, s, res->won);
    x->f->rating.named_at = x->ev->at;
    x->f->rating.snapshot = ratings_snapshot_make(x->a, s, res);
    return ERR_OK;
}

/* ---- objections and withdrawals: events of the rating's timeline ---- */

struct objections {
    struct arena *a;
    struct rating_objection *o;
    size_t n, cap;
};

static int find_objection(struct objections *x, int64_t id)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->o[i].id == id) return (int)i;
    return -1;
}

static int collect_objection(void *ctx, const struct case_event *e)
{
    struct objections *x = ctx;
    if (strcmp(e->kind, "objection") == 0) {
        x->o = arena_grow(x->a, x->o, sizeof *x->o, x->n, x->n + 1, &x->cap);
        x->o[x->n++] = (struct rating_objection){.id = e->id,
                                                 .text = arena_strdup(x->a, e->note),
                                                 .recorded_by = arena_strdup(x->a, e->actor),
                                                 .recorded_at = arena_strdup(x->a, e->at),
                                                 .resolution = "",
                                                 .resolved_by = "",
                                                 .resolved_at = "",
                                                 .upheld = -1};
    } else if (strcmp(e->kind, "resolve") == 0 && e->ref) {
        int i = find_objection(x, e->ref);
        json_t *j = json_loads(e->changes, 0, NULL);
        if (i >= 0) {
            struct rating_objection *o = &x->o[i];
            json_t *r = json_object_get(j, "resolution");
            o->upheld = json_is_true(json_object_get(j, "upheld"));
            o->resolution = arena_strdup(x->a, json_is_string(r) ? json_string_value(r) : e->note);
            o->resolved_by = arena_strdup(x->a, e->actor);
            o->resolved_at = arena_strdup(x->a, e->at);
        }
        json_decref(j);
    }
    return 0;
}

int ratings_objections(struct app *app, struct arena *a, int64_t case_id,
                       struct rating_objection **out, size_t *n, struct err *err)
{
    struct objections x = {.a = a};
    struct db *db = store_acquire(app->store);
    int rc = store_case_events(db, case_id, collect_objection, &x, err);
    store_release(app->store, db);
    *out = x.o;
    *n = x.n;
    return rc;
}

int ratings_object(struct app *app, const struct auth_user *actor, const char *scheme,
                   const char *unit, const char *text, const char *client, int64_t *id,
                   struct err *err)
{
    struct arena *a = arena_new();
    const struct scheme *s;
    struct case_full f;
    int rc = load(app, a, scheme, unit, WF_NOTICE, &s, &f, err);
    if (!rc) rc = app_check_text(text, "text", RATING_NOTE_MAX, true, err);
    struct case_event ev = {.actor = actor->name, .kind = "objection", .note = text};
    if (!rc) {
        ev.at = now(a);
        struct case_change ch = {.f = &f, .ev = ev};
        f.c.updated_at = ev.at;
        rc = cases_save(app, &ch, client, a, err);
        if (!rc && id) *id = ch.ev.id;
    }
    arena_free(a);
    return rc;
}

int ratings_resolve(struct app *app, const struct auth_user *actor, const char *scheme,
                    const char *unit, int64_t objection, const char *resolution, bool upheld,
                    const char *client, struct err *err)
{
    struct arena *a = arena_new();
    const struct scheme *s;
    struct case_full f;
    int rc = load(app, a, scheme, unit, WF_NOTICE, &s, &f, err);
    if (!rc) rc = app_check_text(resolution, "resolution", RATING_NOTE_MAX, true, err);
    struct rating_objection *o = NULL;
    size_t n = 0;
    if (!rc) rc = ratings_objections(app, a, f.c.id, &o, &n, err);
    size_t i = 0;
    while (!rc && i < n && o[i].id != objection)
        i++;
    if (!rc && (i == n || o[i].upheld >= 0))
        rc = err_set(err, ERR_NOT_FOUND, "没有这条待处理的异议");
    if (!rc) {
        json_t *j = json_pack("{s:b, s:s}", "upheld", upheld, "resolution", resolution);
        char *changes = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        rc = save(
            app, &f,
            (struct case_event){
                .at = now(a),
                .actor = actor->name,
                .kind = "resolve",
                .ref = objection,
                .note = arena_printf(a, "%s：%s", upheld ? "异议成立" : "异议不成立", resolution),
                .changes = arena_strdup(a, changes)},
            NULL, 0, NULL, NULL, client, a, err);
        free(changes);
    }
    arena_free(a);
    return rc;
}

struct withdrawals {
    const struct scheme *s;
    struct arena *a;
    const struct rating_withdrawal **out;
};

static int collect_withdrawal(void *ctx, const struct case_event *e)
{
    struct withdrawals *x = ctx;
    if (strcmp(e->kind, "withdraw") != 0) return 0;
    json_t *j = json_loads(e->changes, 0, NULL);
    const char *star = json_string_value(json_object_get(j, "star"));
    const char *reason = json_string_value(json_object_get(j, "reason"));
    int k = star ? scheme_category_index(x->s, star) : -1;
    if (k >= 0) {
        struct rating_withdrawal *w = arena_alloc(x->a, sizeof *w);
        *w = (struct rating_withdrawal){.reason = arena_strdup(x->a, reason ? reason : e->note),
                                        .by = arena_strdup(x->a, e->actor),
                                        .at = arena_strdup(x->a, e->at)};
        x->out[k] = w;
    }
    json_decref(j);
    return 0;
}

int ratings_withdrawals(struct app *app, struct arena *a, const struct scheme *s, int64_t case_id,
                        const struct rating_withdrawal **out, struct err *err)
{
    memset(out, 0, SCHEME_CATEGORIES_MAX * sizeof *out);
    struct withdrawals x = {s, a, out};
    struct db *db = store_acquire(app->store);
    int rc = store_case_events(db, case_id, collect_withdrawal, &x, err);
    store_release(app->store, db);
    return rc;
}

int ratings_withdraw(struct app *app, const struct auth_user *actor, const char *scheme,
                     const char *unit, const char *star, const char *reason, const char *client,
                     struct err *err)
{
    struct arena *a = arena_new();
    const struct scheme *s;
    struct case_full f;
    int rc = load(app, a, scheme, unit, 0, &s, &f, err);
    if (!rc && !f.rating.named_at[0]) rc = err_set(err, ERR_INVALID, "只有已命名的星级可以摘星");
    int k = rc ? -1 : scheme_category_index(s, star ? star : "");
    if (!rc && k < 0) rc = err_set_field(err, ERR_INVALID, "star", "%s没有“%s”", s->name, star);
    if (!rc) rc = app_check_text(reason, "reason", RATING_NOTE_MAX, true, err);
    struct rating_result res = {0};
    if (!rc) {
        ratings_overlay_named(s, &f, &res);
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
        f.rating.level = level;
        f.rating.stars = stars_text(a, s, res.won);
        json_t *j = json_pack("{s:s, s:s}", "star", s->categories[k].code, "reason", reason);
        char *changes = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        rc = save(app, &f,
                  (struct case_event){
                      .at = now(a),
                      .actor = actor->name,
                      .kind = "withdraw",
                      .note = arena_printf(a, "摘除%s：%s", s->categories[k].name, reason),
                      .changes = arena_strdup(a, changes)},
                  NULL, 0, NULL, NULL, client, a, err);
        free(changes);
    }
    arena_free(a);
    return rc;
}

/* ---- reading ---- */

struct answers_read {
    const struct scheme *s;
    struct arena *a;
    const struct case_answer **out;
};

static int keep_answer(void *ctx, const struct case_answer *an)
{
    struct answers_read *x = ctx;
    int i = scheme_indicator_index(x->s, an->code), v = scheme_veto_index(x->s, an->code);
    if (i < 0 && v < 0) return 0; /* retired from the scheme */
    struct case_answer *copy = arena_alloc(x->a, sizeof *copy);
    *copy = *an;
    copy->code = arena_strdup(x->a, an->code);
    copy->note = arena_strdup(x->a, an->note);
    copy->updated_by = arena_strdup(x->a, an->updated_by);
    copy->updated_at = arena_strdup(x->a, an->updated_at);
    x->out[i >= 0 ? i : SCHEME_ALL_INDICATORS + v] = copy;
    return 0;
}

int ratings_answers(struct app *app, struct arena *a, const struct scheme *s, int64_t case_id,
                    const struct case_answer ***out, struct err *err)
{
    const struct case_answer **slots =
        arena_zalloc(a, (SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES) * sizeof *slots);
    struct answers_read x = {s, a, slots};
    struct db *db = store_acquire(app->store);
    int rc = store_answers(db, case_id, keep_answer, &x, err);
    store_release(app->store, db);
    *out = slots;
    return rc;
}

struct list_ctx {
    struct app *app;
    int (*fn)(void *ctx, const struct case_full *rating);
    void *ctx;
};

static int list_one(void *ctx, const struct case_row *c, const struct case_rating *r)
{
    struct list_ctx *x = ctx;
    struct case_full f = {.c = *c, .kind = ratings_kind(x->app), .rating = *r};
    return x->fn(x->ctx, &f);
}

int ratings_list(struct app *app, const char *scheme, const char *scope, const char *state,
                 const char *after_unit, int limit,
                 int (*fn)(void *ctx, const struct case_full *rating), void *ctx, struct err *err)
{
    struct store_rating_filter f = {scheme, scope, state, after_unit, limit};
    struct list_ctx x = {app, fn, ctx};
    struct db *db = store_acquire(app->store);
    int rc = store_ratings_list(db, &f, list_one, &x, err);
    store_release(app->store, db);
    return rc;
}
