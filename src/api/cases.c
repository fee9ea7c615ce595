/*
 * cases.c — the one writer of what every case page shows the same way:
 * a case's timeline (with the files each event brought) and the steps the
 * caller may take now, for work items, ratings and residents' tracking
 * pages alike (api.h).
 */
#include "api/api.h"
#include "app/users.h"
#include "app/cases.h"
#include "core/pii.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* ---- free text and personal numbers ---- */

enum api_view api_view_of(const struct http_req *req)
{
    return req->user && auth_has_perm(req->user, "pii:read") ? API_VIEW_FULL : API_VIEW_MASKED;
}

/* Masks s into b when the view asks for it and s holds a number; false
 * when s is to be shown as it is. */
static bool mask_into(struct buf *b, const char *s, enum api_view v)
{
    struct pii_match m;
    size_t n = s ? strlen(s) : 0;
    if (v == API_VIEW_FULL || !pii_find(s, n, 0, &m)) return false;
    pii_mask_text(s, n, b);
    return true;
}

void api_ktext(struct jw *w, const char *key, const char *s, enum api_view v)
{
    struct buf b = BUF_INIT;
    if (mask_into(&b, s, v))
        jw_kstrn(w, key, b.p, b.len);
    else
        jw_kstr_or_null(w, key, s);
    buf_free(&b);
}

const char *api_text(struct arena *a, const char *s, enum api_view v)
{
    struct buf b = BUF_INIT;
    if (!mask_into(&b, s, v)) return s;
    const char *out = arena_strndup(a, b.p, b.len);
    buf_free(&b);
    return out;
}

/* Masks every string of a JSON value in place. */
static void mask_json(json_t *j)
{
    if (json_is_string(j)) {
        struct buf b = BUF_INIT;
        if (mask_into(&b, json_string_value(j), API_VIEW_MASKED)) json_string_setn(j, b.p, b.len);
        buf_free(&b);
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            mask_json(json_array_get(j, i));
    } else if (json_is_object(j)) {
        for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it))
            mask_json(json_object_iter_value(it));
    }
}

/* "key": the JSON text as the view shows it (null when empty). Numbers in
 * it are only ever masked inside its strings. */
static void write_json_text(struct jw *w, const char *key, const char *json, enum api_view v)
{
    jw_key(w, key);
    if (!json || !json[0]) {
        jw_null(w);
        return;
    }
    struct pii_match m;
    json_t *j = NULL;
    if (v != API_VIEW_FULL && pii_find(json, strlen(json), 0, &m))
        j = json_loads(json, JSON_DECODE_ANY, NULL);
    if (!j) {
        jw_raw(w, json, strlen(json));
        return;
    }
    mask_json(j);
    char *text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    jw_raw(w, text, strlen(text));
    free(text);
    json_decref(j);
}

void api_unit_ref(struct jw *w, const struct tree *t, const char *key, const char *code)
{
    /* retired units too: a closed case keeps the unit it was about */
    uint32_t i = code && code[0] ? tree_find_any(t, code, strlen(code)) : TREE_NONE;
    if (i == TREE_NONE) {
        jw_knull(w, key);
        return;
    }
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "name", tree_name(t, i));
    jw_obj_end(w);
}

/* "needs": what the step asks for: note, evidence, rating, assignee, and
 * the numbers it accepts (e.g. "days"). */
static void write_needs(struct jw *w, const struct wf_kind *k, const struct wf_transition *tr)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{WF_NEED_NOTE, "note"},
                 {WF_NEED_EVIDENCE, "evidence"},
                 {WF_NEED_RATING, "rating"},
                 {WF_NEED_ASSIGNEE, "assignee"}};
    jw_key(w, "needs");
    jw_arr(w);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (tr->needs & names[i].bit) jw_str(w, names[i].name);
    for (int i = 0; i < k->ninputs; i++)
        if (tr->inputs & (1u << i)) jw_str(w, k->inputs[i].code);
    jw_arr_end(w);
    jw_key(w, "inputs");
    jw_arr(w);
    for (int i = 0; i < k->ninputs; i++) {
        if (!(tr->inputs & (1u << i))) continue;
        const struct wf_input_def *d = &k->inputs[i];
        jw_obj(w);
        jw_kstr(w, "code", d->code);
        jw_kstr(w, "label", d->label);
        jw_kint(w, "min", d->min);
        jw_kint(w, "max", d->max);
        jw_kint(w, "default", d->def);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

void api_write_transition(struct jw *w, const struct wf_kind *k, const struct wf_transition *tr)
{
    jw_kstr(w, "code", tr->code);
    jw_kstr(w, "label", tr->label);
    jw_kstr_or_null(w, "confirm", tr->confirm[0] ? tr->confirm : NULL);
    write_needs(w, k, tr);
}

void api_write_steps(struct jw *w, const struct wf_kind *k, const struct case_row *c,
                     const struct auth_user *who)
{
    const struct wf_transition *avail[WF_TRANSITIONS_MAX];
    int n = cases_available(k, c, who, avail, WF_TRANSITIONS_MAX);
    jw_key(w, "available");
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        jw_obj(w);
        api_write_transition(w, k, avail[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* The files event `e` brought, from t->files (by event) starting at *next. */
static void write_files(struct jw *w, const struct case_timeline *t, size_t *next, int64_t event,
                        const char *base, const char *suffix, enum api_view view)
{
    jw_key(w, "files");
    jw_arr(w);
    for (; *next < t->nfiles && t->files[*next].event == event; ++*next) {
        const struct case_file *f = &t->files[*next];
        char url[256];
        snprintf(url, sizeof url, "%s%s%s", base, f->sha256, suffix);
        jw_obj(w);
        jw_kstr(w, "sha256", f->sha256);
        api_ktext(w, "name", f->name, view);
        jw_kstr(w, "type", f->type);
        jw_kint(w, "size", (int64_t)f->size);
        if (f->topic[0]) jw_kstr(w, "topic", f->topic); /* what it is evidence for */
        jw_kstr(w, "url", url);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* What people read as the event's name: the step's label, or the kind of entry. */
static const char *event_label(const struct wf_kind *k, const struct case_event *e)
{
    static const struct {
        const char *kind, *label;
    } labels[] = {{"create", "提交"},      {"comment", "留言"},    {"reassign", "转办"},
                  {"answer", "自评"},      {"adjust", "调整评分"}, {"objection", "登记异议"},
                  {"resolve", "处理异议"}, {"withdraw", "摘星"},   {"checklist", "生成创建清单"}};
    const struct wf_transition *tr = e->transition[0] ? wf_transition_find(k, e->transition) : NULL;
    if (tr) return tr->label;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].kind, e->kind) == 0) return labels[i].label;
    return e->kind;
}

/* A state's label, or NULL for none (or one the kind no longer has). */
static const char *state_label(const struct wf_kind *k, const char *code)
{
    int i = code[0] ? wf_state_index(k, code) : -1;
    return i >= 0 ? k->states[i].label : NULL;
}

void api_write_timeline(struct jw *w, const struct wf_kind *k, const struct case_timeline *t,
                        const char *file_base, const char *file_suffix, enum api_view view,
                        struct users_names *names)
{
    size_t next = 0;
    jw_key(w, "timeline");
    jw_arr(w);
    for (size_t i = 0; i < t->n; i++) {
        const struct case_event *e = &t->events[i];
        jw_obj(w);
        jw_kstr(w, "at", e->at);
        jw_kstr(w, "label", event_label(k, e));
        api_ktext(w, "note", e->note, view);
        /* residents see what happened, not who or what was attached */
        if (view == API_VIEW_PUBLIC) {
            jw_obj_end(w);
            continue;
        }
        jw_kint(w, "id", e->id);
        jw_kstr(w, "actor", e->actor);
        jw_kstr_or_null(w, "actor_name", names ? users_name_of(names, e->actor) : NULL);
        jw_kstr(w, "kind", e->kind);
        jw_kstr_or_null(w, "transition", e->transition[0] ? e->transition : NULL);
        jw_kstr_or_null(w, "from", e->from_state[0] ? e->from_state : NULL);
        jw_kstr_or_null(w, "to", e->to_state[0] ? e->to_state : NULL);
        jw_kstr_or_null(w, "from_label", state_label(k, e->from_state));
        jw_kstr_or_null(w, "to_label", state_label(k, e->to_state));
        api_ktext(w, "evidence", e->evidence, view);
        if (e->rating)
            jw_kint(w, "rating", e->rating);
        else
            jw_knull(w, "rating");
        write_json_text(w, "changes", e->changes, view);
        if (e->ref)
            jw_kint(w, "ref", e->ref);
        else
            jw_knull(w, "ref");
        write_files(w, t, &next, e->id, file_base, file_suffix, view);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static bool listed(const char *const *fields, const char *key)
{
    for (const char *const *f = fields; *f; f++)
        if (strcmp(*f, key) == 0) return true;
    return false;
}

int api_case_step(struct http_req *req, json_t *body, const char *const *fields,
                  struct case_step *step, const char **transition, struct err *err)
{
    struct arena *a = req->arena;
    bool has = false;
    double rating = 0;
    const char *key;
    json_t *v;
    int rc = ERR_OK;
    /* Members other than the fields are the kind's numbers (inputs). */
    json_object_foreach(body, key, v)
    {
        if (listed(fields, key)) continue;
        if (json_is_real(v))
            return err_set_field(err, ERR_INVALID, arena_strdup(a, key), "%s 须为整数", key);
        if (step->nnumbers == WF_INPUTS_MAX || !json_is_integer(v))
            return err_set_field(err, ERR_INVALID, arena_strdup(a, key), "不认识的字段 %s", key);
        step->number_codes[step->nnumbers] = arena_strdup(a, key);
        step->numbers[step->nnumbers++] = (long)json_integer_value(v);
    }
    if (transition) rc = jin_str(a, body, "transition", 32, transition, err);
    if (!rc && listed(fields, "note"))
        rc = jin_text(a, body, "note", CASE_NOTE_MAX, &step->note, err);
    if (!rc && listed(fields, "evidence"))
        rc = jin_text(a, body, "evidence", CASE_NOTE_MAX, &step->evidence, err);
    if (!rc && listed(fields, "assignee"))
        rc = jin_str(a, body, "assignee", 64, &step->assignee, err);
    if (!rc && listed(fields, "on")) rc = jin_str(a, body, "on", 16, &step->on, err);
    if (!rc && listed(fields, "rating")) rc = jin_num(body, "rating", &has, &rating, err);
    if (!rc && listed(fields, "files"))
        rc = api_file_refs(a, body, &step->files, &step->nfiles, err);
    json_t *base = listed(fields, "base_version") ? json_object_get(body, "base_version") : NULL;
    if (!rc && base && (!json_is_integer(base) || json_integer_value(base) < 1))
        rc = err_set_field(err, ERR_INVALID, "base_version",
                           "base_version 须为办理所依据的版本号（正整数）");
    if (!rc && base) step->base_version = json_integer_value(base);
    if (!rc && has && (rating != (int)rating || rating < 1 || rating > 5))
        rc = err_set_field(err, ERR_INVALID, "rating", "评价须为 1 到 5 的整数");
    step->rating = has ? (int)rating : 0;
    return rc;
}
