/*
 * ratings.c — one unit's "五星"支部创建 over HTTP (docs/api.md):
 * /api/v1/ratings/{unit}?scheme=… with its stars, answers, objections and
 * timeline, and the steps of its cycle. The schemes are api/schemes.c, the
 * lists and the subtree summary api/rating_summary.c; the rules live in
 * app/ratings.c and core/scheme.c.
 */
#include "api/api.h"
#include "app/items.h"
#include "app/ratings.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

int api_scheme_param(struct http_req *req, const struct scheme **s, struct err *err)
{
    const char *code;
    int rc = http_query_text(req, "scheme", SCHEME_CODE_MAX, &code, err);
    if (rc) return rc;
    if (!code)
        return err_set_field(err, ERR_INVALID, "scheme", "缺少创建标准 scheme，如 village-2026");
    if (!(*s = ratings_scheme(req->app, code)))
        return err_set_field(err, ERR_INVALID, "scheme", "没有创建标准 %s", code);
    return ERR_OK;
}

void api_write_unit_ref(struct jw *w, const struct tree *t, const char *key, uint32_t i)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "code", tree_node(t, i)->code);
    jw_kstr(w, "name", tree_name(t, i));
    jw_obj_end(w);
}

const char *api_rating_state(struct app *app, const char *state)
{
    const struct wf_type *cy = ratings_cycle(app);
    int i = wf_state_index(cy, state);
    return i >= 0 ? cy->states[i].label : state;
}

static const char *why_code(int why)
{
    static const char *const codes[] = {"full",    "partial", "unscored",   "unmet",
                                        "missing", "veto",    "below_pass", "prerequisite"};
    return why >= 0 && why < (int)(sizeof codes / sizeof codes[0]) ? codes[why] : "";
}

/* What the page shows besides the computed result, read once. */
struct detail {
    struct arena *a;
    const struct scheme *s;
    const struct store_rating_answer *answers[SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES];
    struct jw *w;
    int64_t rating;
    const char *unit;
    const struct store_rating_withdrawal *withdrawn[SCHEME_CATEGORIES_MAX];
};

static int keep_answer(void *ctx, const struct store_rating_answer *an)
{
    struct detail *d = ctx;
    int i = scheme_indicator_index(d->s, an->code), v = scheme_veto_index(d->s, an->code);
    struct store_rating_answer *copy = arena_alloc(d->a, sizeof *copy);
    *copy = *an;
    if (i >= 0) d->answers[i] = copy;
    if (v >= 0) d->answers[SCHEME_ALL_INDICATORS + v] = copy;
    return 0;
}

static int keep_withdrawal(void *ctx, const struct store_rating_withdrawal *wd)
{
    struct detail *d = ctx;
    int k = scheme_category_index(d->s, wd->star);
    if (k >= 0) {
        struct store_rating_withdrawal *copy = arena_alloc(d->a, sizeof *copy);
        *copy = *wd;
        d->withdrawn[k] = copy;
    }
    return 0;
}

static void write_answer(struct jw *w, const struct store_rating_answer *an)
{
    jw_key(w, "answer");
    if (!an) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    if (an->has_score) jw_knum(w, "score", an->score);
    if (an->has_yes) jw_kbool(w, "yes", an->yes);
    jw_kstr(w, "note", an->note);
    jw_kbool(w, "adjusted", an->adjusted);
    jw_obj_end(w);
}

/* Files of the rating, written under the indicator they belong to. */
struct files_of {
    struct detail *d;
    const char *code;
};

static int write_file(void *ctx, const char *code, const struct store_file *f)
{
    struct files_of *x = ctx;
    if (strcmp(code, x->code) != 0) return 0;
    struct jw *w = x->d->w;
    jw_obj(w);
    jw_kstr(w, "sha256", f->sha256);
    jw_kstr(w, "name", f->name);
    jw_kstr(w, "type", f->type);
    jw_kint(w, "size", (int64_t)f->size);
    char url[160];
    snprintf(url, sizeof url, "/api/v1/ratings/%s/files/%s?scheme=%s", x->d->unit, f->sha256,
             x->d->s->code);
    jw_kstr(w, "url", url);
    jw_obj_end(w);
    return 0;
}

static int write_objection(void *ctx, const struct store_rating_objection *o)
{
    struct jw *w = ctx;
    jw_obj(w);
    jw_kint(w, "id", o->id);
    jw_kstr(w, "text", o->text);
    jw_kstr(w, "recorded_by", o->recorded_by);
    jw_kstr(w, "recorded_at", o->recorded_at);
    jw_kstr_or_null(w, "resolution", o->upheld >= 0 ? o->resolution : NULL);
    if (o->upheld >= 0)
        jw_kbool(w, "upheld", o->upheld);
    else
        jw_knull(w, "upheld");
    jw_kstr_or_null(w, "resolved_at", o->upheld >= 0 ? o->resolved_at : NULL);
    jw_obj_end(w);
    return 0;
}

struct timeline {
    struct jw *w;
    struct app *app;
};

static int write_event(void *ctx, const struct store_rating_event *e)
{
    struct timeline *c = ctx;
    const struct wf_transition *tr =
        e->transition[0] ? wf_transition_find(ratings_cycle(c->app), e->transition) : NULL;
    jw_obj(c->w);
    jw_kstr(c->w, "at", e->at);
    jw_kstr(c->w, "actor", e->actor);
    jw_kstr(c->w, "kind", e->kind);
    jw_kstr_or_null(c->w, "transition", e->transition[0] ? e->transition : NULL);
    jw_kstr_or_null(c->w, "label", tr ? tr->label : NULL);
    jw_kstr_or_null(c->w, "from", e->from_state[0] ? e->from_state : NULL);
    jw_kstr_or_null(c->w, "to", e->to_state[0] ? e->to_state : NULL);
    jw_kstr(c->w, "note", e->note);
    jw_key(c->w, "changes");
    if (e->changes[0])
        jw_raw(c->w, e->changes, strlen(e->changes));
    else
        jw_null(c->w);
    jw_obj_end(c->w);
    return 0;
}

static void write_reason(struct jw *w, const struct scheme *s, const struct scheme_reason *r)
{
    jw_obj(w);
    jw_kstr(w, "why", why_code(r->why));
    jw_kstr(w, "label", scheme_why_label(r->why));
    const char *code = NULL, *name = NULL;
    if (r->why == SCHEME_WHY_VETO) {
        code = s->vetoes[r->index].code;
        name = s->vetoes[r->index].name;
    } else if (r->why == SCHEME_WHY_PREREQUISITE) {
        code = s->categories[r->index].code;
        name = s->categories[r->index].name;
    } else if (r->why != SCHEME_WHY_BELOW_PASS && r->index >= 0) {
        code = s->indicators[r->index].code;
        name = s->indicators[r->index].name;
    }
    jw_kstr_or_null(w, "code", code);
    jw_kstr_or_null(w, "name", name);
    jw_obj_end(w);
}

/* The RATING object of docs/api.md. */
static int write_rating(struct http_req *req, struct jw *w, const struct scheme *s, uint32_t node,
                        const struct store_rating *r, const struct rating_result *res,
                        struct err *err)
{
    const struct tree *t = req->tree;
    struct detail d = {.a = req->arena, .s = s, .w = w, .unit = tree_node(t, node)->code};
    int rc = ERR_OK;
    struct db *db = store_acquire(req->app->store);
    if (r) {
        rc = store_rating_answers(db, req->arena, r->id, keep_answer, &d, err);
        if (!rc) rc = store_rating_withdrawals(db, req->arena, r->id, keep_withdrawal, &d, err);
    }
    jw_obj(w);
    api_write_unit_ref(w, t, "unit", node);
    jw_kstr(w, "scheme", s->code);
    jw_key(w, "rating");
    if (r) {
        jw_obj(w);
        jw_kint(w, "target", r->target);
        jw_kstr(w, "state", r->state);
        jw_kstr(w, "state_label", api_rating_state(req->app, r->state));
        jw_kstr_or_null(w, "notice_until", r->notice_until[0] ? r->notice_until : NULL);
        jw_kstr_or_null(w, "named_at", r->named_at[0] ? r->named_at : NULL);
        if (r->checklist)
            jw_kint(w, "checklist_batch", r->checklist);
        else
            jw_knull(w, "checklist_batch");
        jw_kstr(w, "created_by", r->created_by);
        jw_kstr(w, "updated_at", r->updated_at);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_kint(w, "level", res->level);
    jw_kbool(w, "named", res->named);
    jw_key(w, "stars");
    jw_arr(w);
    for (int k = 0; k < s->ncategories; k++) {
        const struct scheme_star *st = &res->r.stars[k];
        jw_obj(w);
        jw_kstr(w, "code", s->categories[k].code);
        jw_kstr(w, "name", s->categories[k].name);
        jw_knum(w, "score", st->score);
        jw_knum(w, "pass_score", s->categories[k].pass_score);
        jw_knum(w, "max_score", s->categories[k].max_score);
        jw_kbool(w, "qualified", st->qualified);
        jw_kbool(w, "won", res->won[k]);
        jw_key(w, "withdrawn");
        if (d.withdrawn[k]) {
            jw_obj(w);
            jw_kstr(w, "reason", d.withdrawn[k]->reason);
            jw_kstr(w, "at", d.withdrawn[k]->at);
            jw_kstr(w, "by", d.withdrawn[k]->by);
            jw_obj_end(w);
        } else {
            jw_null(w);
        }
        jw_key(w, "reasons");
        jw_arr(w);
        for (int j = 0; j < st->nreasons; j++)
            write_reason(w, s, &st->reasons[j]);
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "indicators");
    jw_arr(w);
    for (int i = 0; i < s->nindicators && !rc; i++) {
        const struct scheme_indicator *ind = &s->indicators[i];
        jw_obj(w);
        jw_kstr(w, "code", ind->code);
        jw_kstr(w, "name", ind->name);
        jw_kstr(w, "category", s->categories[ind->category].code);
        jw_kstr(w, "kind", scheme_kind_name(ind->kind));
        jw_knum(w, "max", ind->max);
        jw_knum(w, "score", res->r.scores[i].score);
        jw_kstr(w, "why", why_code(res->r.scores[i].why));
        write_answer(w, d.answers[i]);
        jw_key(w, "files");
        jw_arr(w);
        struct files_of x = {&d, ind->code};
        if (r) rc = store_rating_files(db, req->arena, r->id, write_file, &x, err);
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "vetoes");
    jw_arr(w);
    for (int v = 0; v < s->nvetoes; v++) {
        jw_obj(w);
        jw_kstr(w, "code", s->vetoes[v].code);
        jw_kstr(w, "name", s->vetoes[v].name);
        jw_kstr(w, "category", s->categories[s->vetoes[v].category].code);
        jw_kstr(w, "kind", scheme_kind_name(s->vetoes[v].kind));
        jw_kbool(w, "triggered", res->r.vetoed[v]);
        write_answer(w, d.answers[SCHEME_ALL_INDICATORS + v]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "objections");
    jw_arr(w);
    if (r && !rc) rc = store_rating_objections(db, req->arena, r->id, write_objection, w, err);
    jw_arr_end(w);
    jw_key(w, "timeline");
    jw_arr(w);
    struct timeline tl = {w, req->app};
    if (r && !rc) rc = store_rating_events(db, req->arena, r->id, write_event, &tl, err);
    jw_arr_end(w);
    store_release(req->app->store, db);
    jw_key(w, "available");
    jw_arr(w);
    const struct wf_type *cy = ratings_cycle(req->app);
    const struct wf_transition *avail[WF_TRANSITIONS_MAX];
    int n = r ? wf_available(cy, wf_state_index(cy, r->state), req->user->perms, false, avail,
                             WF_TRANSITIONS_MAX)
              : 0;
    for (int k = 0; k < n; k++) {
        jw_obj(w);
        jw_kstr(w, "code", avail[k]->code);
        jw_kstr(w, "label", avail[k]->label);
        jw_key(w, "needs");
        jw_arr(w);
        if (avail[k]->needs & WF_NEED_NOTE) jw_str(w, "note");
        if (strcmp(avail[k]->code, "publish") == 0) jw_str(w, "days");
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return rc;
}

/* Answers GET /api/v1/ratings/{unit} with status, after any change. */
static int reply_rating(struct http_req *req, struct http_resp *resp, const struct scheme *s,
                        const char *unit, int status, struct err *err)
{
    uint32_t node = tree_find(req->tree, unit, strlen(unit));
    if (node == TREE_NONE) return err_set(err, ERR_NOT_FOUND, "没有代码为 %s 的单位", unit);
    int kind = tree_node(req->tree, node)->kind;
    if (!scheme_applies(s, kind))
        return err_set_field(err, ERR_INVALID, "scheme", "%s不适用于%s", s->name,
                             kind ? unit_kind_label(kind) : "这一级单位");
    struct store_rating r;
    int rc = ratings_get(req->app, req->arena, s->code, unit, &r, err);
    bool has = rc == ERR_OK;
    if (rc == ERR_NOT_FOUND) rc = ERR_OK;
    if (rc) return rc;
    struct rating_result *res = arena_alloc(req->arena, sizeof *res);
    if ((rc = ratings_result(req->app, s, unit, has ? &r : NULL, res, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = status;
    return write_rating(req, &w, s, node, has ? &r : NULL, res, err);
}

int api_rating_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct scheme *s = NULL;
    int rc = api_scheme_param(req, &s, err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 200, err);
}

int api_ratings_declare(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"scheme", "unit", "target", NULL};
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    const char *scheme = NULL, *unit = NULL;
    bool has = false;
    double target = 0;
    if (!(rc = jin_only(body, fields, err)) &&
        !(rc = jin_str(req->arena, body, "scheme", SCHEME_CODE_MAX, &scheme, err)) &&
        !(rc = jin_str(req->arena, body, "unit", 32, &unit, err)))
        rc = jin_num(body, "target", &has, &target, err);
    json_decref(body);
    if (rc) return rc;
    if (!has || target != (int)target)
        return err_set_field(err, ERR_INVALID, "target", "请给出争创星级 target（整数）");
    if (!unit) unit = req->user->scope;
    if ((rc = ratings_declare(req->app, req->user, scheme, unit, (int)target, req->client, err)))
        return rc;
    return reply_rating(req, resp, ratings_scheme(req->app, scheme), unit, 201, err);
}

/* One answer object: {"code","score"|"yes","note","files"}. */
static int read_answer(struct arena *a, json_t *o, struct rating_answer *an, bool files,
                       struct err *err)
{
    static const char *const with_files[] = {"code", "score", "yes", "note", "files", NULL};
    static const char *const plain[] = {"code", "score", "yes", "note", "reason", NULL};
    memset(an, 0, sizeof *an);
    if (!json_is_object(o)) return err_set(err, ERR_INVALID, "每一项须为对象");
    int yes = -1;
    int rc = jin_only(o, files ? with_files : plain, err);
    if (!rc) rc = jin_str(a, o, "code", SCHEME_CODE_MAX, &an->code, err);
    if (!rc) rc = jin_num(o, "score", &an->has_score, &an->score, err);
    if (!rc) rc = jin_bool(o, "yes", &yes, err);
    if (!rc) rc = jin_str(a, o, "note", RATING_NOTE_MAX, &an->note, err);
    if (!rc && files) rc = api_file_refs(a, o, &an->files, &an->nfiles, err);
    an->has_yes = yes >= 0;
    an->yes = yes == 1;
    return rc;
}

int api_rating_answers(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"indicators", "vetoes", NULL};
    const struct scheme *s = NULL;
    int rc = api_scheme_param(req, &s, err);
    json_t *body = NULL;
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    json_t *lists[2] = {body ? json_object_get(body, "indicators") : NULL,
                        body ? json_object_get(body, "vetoes") : NULL};
    size_t n = 0;
    for (int l = 0; l < 2 && !rc; l++) {
        if (lists[l] && !json_is_array(lists[l]))
            rc = err_set_field(err, ERR_INVALID, l ? "vetoes" : "indicators", "%s 须为数组",
                               l ? "vetoes" : "indicators");
        n += lists[l] ? json_array_size(lists[l]) : 0;
    }
    if (!rc && n > (size_t)(SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES))
        rc = err_set(err, ERR_TOO_LARGE, "一次最多 %d 项",
                     SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES);
    struct rating_answer *answers = arena_zalloc(req->arena, (n ? n : 1) * sizeof *answers);
    size_t k = 0;
    for (int l = 0; l < 2 && !rc; l++) {
        json_t *o;
        size_t i;
        json_array_foreach(lists[l], i, o)
        {
            const char *at = arena_printf(req->arena, "%s[%zu]", l ? "vetoes" : "indicators", i);
            if ((rc = read_answer(req->arena, o, &answers[k], l == 0, err))) {
                err_wrap(err, "%s", at);
                break;
            }
            answers[k++].path = at;
        }
    }
    json_decref(body);
    if (!rc)
        rc = ratings_answer(req->app, req->user, s->code, req->param[0], answers, n, req->client,
                            err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 200, err);
}

int api_rating_adjust(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct scheme *s = NULL;
    int rc = api_scheme_param(req, &s, err);
    json_t *body = NULL;
    if (!rc) rc = http_body_json(req, &body, err);
    struct rating_answer an;
    const char *reason = NULL;
    if (!rc) rc = read_answer(req->arena, body, &an, false, err);
    if (!rc) rc = jin_str(req->arena, body, "reason", RATING_NOTE_MAX, &reason, err);
    json_decref(body);
    if (!rc)
        rc = ratings_adjust(req->app, req->user, s->code, req->param[0], &an, reason, req->client,
                            err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 200, err);
}

int api_rating_transition(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"transition", "note", "days", NULL};
    const struct scheme *s = NULL;
    int rc = api_scheme_param(req, &s, err);
    json_t *body = NULL;
    if (!rc) rc = http_body_json(req, &body, err);
    const char *code = NULL, *note = NULL;
    bool has = false;
    double days = 0;
    if (!rc && !(rc = jin_only(body, fields, err)) &&
        !(rc = jin_str(req->arena, body, "transition", 32, &code, err)) &&
        !(rc = jin_str(req->arena, body, "note", RATING_NOTE_MAX, &note, err)))
        rc = jin_num(body, "days", &has, &days, err);
    json_decref(body);
    if (!rc && has && (days != (int)days || days < 1 || days > RATING_NOTICE_MAX))
        rc = err_set_field(err, ERR_INVALID, "days", "公示天数须为 1 到 %d 的整数",
                           RATING_NOTICE_MAX);
    if (!rc)
        rc = ratings_transition(req->app, req->user, s->code, req->param[0], code, note,
                                has ? (int)days : 0, req->client, err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 200, err);
}

/* A body of text members only, e.g. {"text"} or {"star","reason"}. */
static int text_body(struct http_req *req, const char *const *fields, const char **out,
                     struct err *err)
{
    json_t *body;
    int rc = http_body_json(req, &body, err);
    if (rc) return rc;
    rc = jin_only(body, fields, err);
    for (int i = 0; fields[i] && !rc; i++)
        rc = jin_str(req->arena, body, fields[i], RATING_NOTE_MAX, &out[i], err);
    json_decref(body);
    return rc;
}

int api_rating_object(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"text", NULL};
    const struct scheme *s = NULL;
    const char *text[1] = {0};
    int rc = api_scheme_param(req, &s, err);
    if (!rc) rc = text_body(req, fields, text, err);
    if (!rc)
        rc = ratings_object(req->app, req->user, s->code, req->param[0], text[0], req->client, err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 201, err);
}

int api_rating_resolve(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"resolution", "upheld", NULL};
    const struct scheme *s = NULL;
    int rc = api_scheme_param(req, &s, err);
    int64_t id = 0;
    if (!rc) rc = items_parse_id(req->param[1], &id, err);
    json_t *body = NULL;
    if (!rc) rc = http_body_json(req, &body, err);
    const char *resolution = NULL;
    int upheld = -1;
    if (!rc && !(rc = jin_only(body, fields, err)) &&
        !(rc = jin_str(req->arena, body, "resolution", RATING_NOTE_MAX, &resolution, err)))
        rc = jin_bool(body, "upheld", &upheld, err);
    json_decref(body);
    if (!rc)
        rc = ratings_resolve(req->app, req->user, s->code, req->param[0], id, resolution,
                             upheld == 1, req->client, err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 200, err);
}

int api_rating_withdraw(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"star", "reason", NULL};
    const struct scheme *s = NULL;
    const char *text[2] = {0};
    int rc = api_scheme_param(req, &s, err);
    if (!rc) rc = text_body(req, fields, text, err);
    if (!rc)
        rc = ratings_withdraw(req->app, req->user, s->code, req->param[0], text[0], text[1],
                              req->client, err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 200, err);
}

int api_rating_checklist(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"assignee", "helper_unit", "deadline", NULL};
    const struct scheme *s = NULL;
    const char *opt[3] = {0};
    int rc = api_scheme_param(req, &s, err);
    if (!rc) rc = text_body(req, fields, opt, err);
    int64_t batch = 0;
    struct store_item *items = NULL;
    size_t n = 0;
    if (!rc)
        rc = ratings_checklist(req->app, req->user, s->code, req->param[0], opt[0], opt[1], opt[2],
                               req->client, req->arena, &batch, &items, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "batch", batch);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t k = 0; k < n; k++) {
        jw_obj(&w);
        jw_kint(&w, "id", items[k].id);
        jw_kstr(&w, "title", items[k].title);
        jw_kstr(&w, "category", items[k].category);
        jw_kstr(&w, "state", items[k].state);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_rating_file(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct scheme *s = NULL;
    int rc = api_scheme_param(req, &s, err);
    struct store_rating r;
    if (!rc) rc = ratings_get(req->app, req->arena, s->code, req->param[0], &r, err);
    if (rc) return rc;
    if (!files_is_digest(req->param[1]))
        return err_set_field(err, ERR_NOT_FOUND, "sha256", "附件地址须以 64 位摘要结尾");
    struct store_file f;
    const void *data;
    struct db *db = store_acquire(req->app->store);
    rc = store_rating_file_get(db, req->arena, r.id, req->param[1], &f, &data, err);
    store_release(req->app->store, db);
    if (rc) return rc;
    return api_send_file(req, resp, &f, data);
}
