/*
 * ratings.c — one unit's "五星"支部创建 over HTTP (docs/api.md):
 * /api/v1/ratings/{unit}?scheme=… with its stars, answers, objections and
 * timeline, and the steps of its cycle. The schemes are api/schemes.c, the
 * lists and the subtree summary api/rating_summary.c; the rules live in
 * app/ratings.c and core/scheme.c.
 */
#include "api/api.h"
#include "app/items.h"
#include "app/notify.h"
#include "app/ratings.h"
#include "app/users.h"

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

const char *api_rating_state(const struct app *app, const char *state)
{
    const struct wf_kind *cy = ratings_kind(app);
    int i = wf_state_index(cy, state);
    return i >= 0 ? cy->states[i].label : state;
}

static const char *why_code(int why)
{
    static const char *const codes[] = {"full",    "partial", "unscored",   "unmet",
                                        "missing", "veto",    "below_pass", "prerequisite"};
    return why >= 0 && why < (int)(sizeof codes / sizeof codes[0]) ? codes[why] : "";
}

static void write_answer(struct jw *w, const struct case_answer *an, enum api_view v)
{
    jw_key(w, "answer");
    if (!an) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    if (an->has_score) jw_knum(w, "score", an->score);
    if (an->has_yes) jw_kbool(w, "yes", an->yes);
    api_ktext(w, "note", an->note, v);
    jw_kbool(w, "adjusted", an->adjusted);
    jw_obj_end(w);
}

/* The evidence of an indicator: the files attached under its code, each once. */
static void write_evidence(struct jw *w, const struct case_timeline *t, const char *code,
                           const char *base, const char *suffix, enum api_view v)
{
    jw_key(w, "files");
    jw_arr(w);
    for (size_t i = 0; t && i < t->nfiles; i++) {
        const struct case_file *f = &t->files[i];
        bool seen = strcmp(f->topic, code) != 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen =
                strcmp(t->files[k].topic, code) == 0 && strcmp(t->files[k].sha256, f->sha256) == 0;
        if (seen) continue;
        jw_obj(w);
        jw_kstr(w, "sha256", f->sha256);
        api_ktext(w, "name", f->name, v);
        jw_kstr(w, "type", f->type);
        jw_kint(w, "size", (int64_t)f->size);
        char url[256];
        snprintf(url, sizeof url, "%s%s%s", base, f->sha256, suffix);
        jw_kstr(w, "url", url);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void write_objections(struct jw *w, const struct rating_objection *o, size_t n,
                             enum api_view v)
{
    jw_key(w, "objections");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kint(w, "id", o[i].id);
        api_ktext(w, "text", o[i].text, v);
        jw_kstr(w, "recorded_by", o[i].recorded_by);
        jw_kstr(w, "recorded_at", o[i].recorded_at);
        api_ktext(w, "resolution", o[i].upheld >= 0 ? o[i].resolution : NULL, v);
        if (o[i].upheld >= 0)
            jw_kbool(w, "upheld", o[i].upheld);
        else
            jw_knull(w, "upheld");
        jw_kstr_or_null(w, "resolved_at", o[i].upheld >= 0 ? o[i].resolved_at : NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
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

/* What the page shows besides the computed result, read once. */
struct detail {
    const struct case_answer **answers; /* by scheme slot */
    const struct rating_withdrawal *withdrawn[SCHEME_CATEGORIES_MAX];
    struct case_timeline t;
    struct rating_objection *objections;
    size_t nobjections;
};

static int read_detail(struct http_req *req, const struct scheme *s, const struct case_full *r,
                       struct detail *d, struct err *err)
{
    memset(d, 0, sizeof *d);
    static const struct case_answer *none[SCHEME_ALL_INDICATORS + SCHEME_ALL_VETOES];
    d->answers = none;
    if (!r) return ERR_OK;
    struct app *app = req->app;
    int rc = ratings_answers(app, req->arena, s, r->c.id, &d->answers, err);
    if (!rc) rc = ratings_withdrawals(app, req->arena, s, r->c.id, d->withdrawn, err);
    if (!rc) rc = cases_timeline(app, req->arena, r->c.id, &d->t, err);
    if (!rc)
        rc = ratings_objections(app, req->arena, r->c.id, &d->objections, &d->nobjections, err);
    return rc;
}

/* The RATING object of docs/api.md. */
static int write_rating(struct http_req *req, struct jw *w, const struct scheme *s, uint32_t node,
                        const struct case_full *r, const struct rating_result *res, struct err *err)
{
    const struct tree *t = req->tree;
    enum api_view view = api_view_of(req);
    struct detail d;
    int rc = read_detail(req, s, r, &d, err);
    if (rc) return rc;
    const char *base =
                   arena_printf(req->arena, "/api/v1/ratings/%s/files/", tree_node(t, node)->code),
               *suffix = arena_printf(req->arena, "?scheme=%s", s->code);
    jw_obj(w);
    api_write_unit_ref(w, t, "unit", node);
    jw_kstr(w, "scheme", s->code);
    jw_key(w, "rating");
    if (r) {
        jw_obj(w);
        jw_kint(w, "target", r->rating.target);
        jw_kstr(w, "state", r->c.state);
        jw_kstr(w, "state_label", api_rating_state(req->app, r->c.state));
        jw_kstr_or_null(w, "notice_until",
                        r->rating.notice_until[0] ? r->rating.notice_until : NULL);
        jw_kstr_or_null(w, "named_at", r->rating.named_at[0] ? r->rating.named_at : NULL);
        if (r->rating.checklist)
            jw_kint(w, "checklist_batch", r->rating.checklist);
        else
            jw_knull(w, "checklist_batch");
        jw_kstr(w, "created_by", r->c.created_by);
        jw_kstr(w, "created_by_name",
                users_name_of(users_names_new(req->app, req->arena), r->c.created_by));
        jw_kstr(w, "updated_at", r->c.updated_at);
        jw_kint(w, "version", r->c.version);
        /* what the state allows, from the cycle's kind: the UI asks these,
         * never the state's code */
        int st = wf_state_index(r->kind, r->c.state);
        const char *reviewer = st >= 0 ? r->kind->states[st].reviewer : "";
        jw_kbool(w, "editable", wf_state_is(r->kind, st, WF_EDITABLE));
        jw_kbool(w, "notice", wf_state_is(r->kind, st, WF_NOTICE));
        jw_kbool(w, "final", wf_state_is(r->kind, st, WF_FINAL));
        jw_kbool(w, "adjustable", reviewer[0] && auth_has_perm(req->user, reviewer));
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_kint(w, "level", res->level);
    jw_kbool(w, "named", res->named);
    /* the figures rated: as named (snapshot) or the year's now */
    jw_kbool(w, "snapshot", res->snapshot);
    jw_key(w, "figures");
    jw_obj(w);
    for (int i = 0; i < s->nelements; i++)
        if (res->values[i].missing)
            jw_knull(w, s->elements[i]);
        else
            jw_knum(w, s->elements[i], res->values[i].v);
    jw_obj_end(w);
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
            api_ktext(w, "reason", d.withdrawn[k]->reason, view);
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
    for (int i = 0; i < s->nindicators; i++) {
        const struct scheme_indicator *ind = &s->indicators[i];
        jw_obj(w);
        jw_kstr(w, "code", ind->code);
        jw_kstr(w, "name", ind->name);
        jw_kstr(w, "category", s->categories[ind->category].code);
        jw_kstr(w, "kind", scheme_kind_name(ind->kind));
        jw_knum(w, "max", ind->max);
        jw_knum(w, "score", res->r.scores[i].score);
        jw_kstr(w, "why", why_code(res->r.scores[i].why));
        write_answer(w, d.answers[i], view);
        write_evidence(w, r ? &d.t : NULL, ind->code, base, suffix, view);
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
        write_answer(w, d.answers[SCHEME_ALL_INDICATORS + v], view);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    write_objections(w, d.objections, d.nobjections, view);
    const struct wf_kind *k = ratings_kind(req->app);
    if (r) {
        api_write_timeline(w, k, &d.t, base, suffix, view, users_names_new(req->app, req->arena));
        api_write_steps(w, k, &r->c, req->user);
    } else {
        jw_key(w, "timeline");
        jw_arr(w);
        jw_arr_end(w);
        jw_key(w, "available");
        jw_arr(w);
        jw_arr_end(w);
    }
    jw_obj_end(w);
    return ERR_OK;
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
    struct case_full r;
    int rc = ratings_get(req->app, req->arena, s->code, unit, &r, err);
    bool has = rc == ERR_OK;
    if (rc == ERR_NOT_FOUND) rc = ERR_OK;
    if (rc) return rc;
    /* Whoever sees the rating has read what they were told about it. */
    if (has && (rc = notify_read_case(req->app, req->user, r.c.id, err))) return rc;
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
    if (!rc) rc = jin_text(a, o, "note", RATING_NOTE_MAX, &an->note, err);
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
    if (!rc) rc = jin_text(req->arena, body, "reason", RATING_NOTE_MAX, &reason, err);
    if (!rc)
        rc = ratings_adjust(req->app, req->user, s->code, req->param[0], &an, reason, req->client,
                            err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 200, err);
}

int api_rating_transition(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"transition", "note", NULL};
    const struct scheme *s = NULL;
    json_t *body = NULL;
    const char *code = NULL;
    struct case_step step = {0};
    int rc = api_scheme_param(req, &s, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = api_case_step(req, body, fields, &step, &code, err);
    if (!rc)
        rc = ratings_transition(req->app, req->user, s->code, req->param[0], code, &step,
                                req->client, err);
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
        rc = jin_text(req->arena, body, fields[i], RATING_NOTE_MAX, &out[i], err);
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
        rc = ratings_object(req->app, req->user, s->code, req->param[0], text[0], req->client, NULL,
                            err);
    return rc ? rc : reply_rating(req, resp, s, req->param[0], 201, err);
}

int api_rating_resolve(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"resolution", "upheld", NULL};
    const struct scheme *s = NULL;
    int rc = api_scheme_param(req, &s, err);
    int64_t id = 0;
    if (!rc) rc = cases_parse_id(req->param[1], &id, err);
    json_t *body = NULL;
    if (!rc) rc = http_body_json(req, &body, err);
    const char *resolution = NULL;
    int upheld = -1;
    if (!rc && !(rc = jin_only(body, fields, err)) &&
        !(rc = jin_text(req->arena, body, "resolution", RATING_NOTE_MAX, &resolution, err)))
        rc = jin_bool(body, "upheld", &upheld, err);
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
    struct case_row *items = NULL;
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
    struct case_full r;
    int rc = api_scheme_param(req, &s, err);
    if (!rc) rc = ratings_get(req->app, req->arena, s->code, req->param[0], &r, err);
    return rc ? rc : api_send_case_file(req, resp, r.c.id, req->param[1], err);
}
