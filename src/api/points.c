/*
 * points.c — 党员积分 and 党费 over HTTP (app/points.h): the rules and
 * rate table, claims and their approval, a member's points and dues, a
 * subtree's approvals queue, ranking, arrears and yearly publication, and
 * the member's own (/api/v1/me/points, /api/v1/me/dues).
 */
#include "api/api.h"
#include "app/kinds.h"
#include "app/people.h"
#include "app/points.h"
#include "base/buf.h"
#include "base/clock.h"
#include "io/xlsx.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int this_year(void)
{
    char today[11];
    clock_today(today, 0);
    int y = 0;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (today[i] - '0');
    return y;
}

/* ?year= (default this year) and ?month= (0: none). */
static int query_period(struct http_req *req, int *year, int *month, struct err *err)
{
    long y = 0, m = 0;
    int rc = http_query_int(req, "year", this_year(), 2000, 2100, &y, err);
    if (!rc) rc = http_query_int(req, "month", 0, 0, 12, &m, err);
    *year = (int)y;
    *month = (int)m;
    return rc;
}

/* An integer member within [lo, hi]; *out untouched when absent. */
static int body_int(json_t *body, const char *key, int64_t lo, int64_t hi, bool required,
                    int64_t *out, struct err *err)
{
    json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v))
        return required ? err_set_field(err, ERR_INVALID, key, "请填写 %s", key) : ERR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return err_set_field(err, ERR_INVALID, key, "%s 须为 %lld 到 %lld 之间的整数", key,
                             (long long)lo, (long long)hi);
    *out = json_integer_value(v);
    return ERR_OK;
}

static void write_yuan(struct jw *w, const char *key, int64_t fen)
{
    jw_knum(w, key, (double)fen / 100.0);
}

/* ---- points: rules ---- */

static const char *period_name(int p)
{
    return p == POINTS_MONTH ? "month" : "year";
}

/* A ",a,b," list as ["a","b"]. */
static void write_codes(struct jw *w, const char *list)
{
    jw_arr(w);
    for (const char *s = list + 1; *s;) {
        const char *end = strchr(s, ',');
        if (!end) break;
        jw_strn(w, s, (size_t)(end - s));
        s = end + 1;
    }
    jw_arr_end(w);
}

int api_points_rules(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    const struct points_defs *p = req->app->points;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "year_base", p->year_base);
    jw_key(&w, "rules");
    jw_arr(&w);
    for (size_t i = 0; i < p->nrules; i++) {
        const struct points_rule *r = &p->rules[i];
        jw_obj(&w);
        jw_kstr(&w, "code", r->code);
        jw_kstr(&w, "name", r->name);
        jw_kint(&w, "points", r->points);
        jw_kstr(&w, "period", period_name(r->period));
        jw_kint(&w, "cap", r->cap);
        jw_kbool(&w, "evidence", r->evidence);
        jw_kbool(&w, "by_member", r->by_member);
        jw_kbool(&w, "by_branch", r->by_branch);
        jw_kstr(&w, "approver", r->approver);
        jw_kstr(&w, "source", r->source);
        jw_kstr_or_null(&w, "grade", r->grade);
        jw_key(&w, "event_types");
        if (r->event_types)
            write_codes(&w, r->event_types);
        else
            jw_null(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "caps");
    jw_arr(&w);
    for (size_t i = 0; i < p->ncaps; i++) {
        jw_obj(&w);
        jw_kstr(&w, "period", period_name(p->caps[i].period));
        jw_kint(&w, "bonus", p->caps[i].bonus);
        jw_kstr(&w, "message", p->caps[i].message);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "bands");
    jw_arr(&w);
    for (size_t i = 0; i < p->nbands; i++) {
        const struct points_band *b = &p->bands[i];
        jw_obj(&w);
        jw_kint(&w, "level", b->level);
        jw_kstr(&w, "code", b->code);
        jw_kstr(&w, "name", b->name);
        jw_kstr(&w, "face", b->face);
        /* the score a band starts from: its scheme category's pass score */
        if (b->level > 0)
            jw_knum(&w, "from", p->scheme->categories[b->level - 1].pass_score);
        else
            jw_knull(&w, "from");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* ---- points: entries ---- */

static void write_band(struct jw *w, const struct points_band *b)
{
    jw_key(w, "band");
    if (!b) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    jw_kstr(w, "code", b->code);
    jw_kstr(w, "name", b->name);
    jw_kstr(w, "face", b->face);
    jw_obj_end(w);
}

struct list_ctx {
    struct http_req *req;
    struct jw *w;
    long n, limit;
    int64_t last;
};

static int write_entry(void *ctx, const struct point_row *r)
{
    struct list_ctx *x = ctx;
    if (x->n++ == x->limit) return 1; /* one more than a page: there is a next */
    x->last = r->e.id;
    struct jw *w = x->w;
    const struct points_rule *rule = points_rule(x->req->app, r->e.rule);
    jw_obj(w);
    /* a claim is its case (the steps' id); an event's entry names the event */
    if (r->e.case_id)
        jw_kint(w, "id", r->e.case_id);
    else
        jw_knull(w, "id");
    if (strcmp(r->e.source, "event") == 0)
        jw_kint(w, "event", strtoll(r->e.source_ref, NULL, 10));
    else
        jw_knull(w, "event");
    jw_key(w, "person");
    jw_obj(w);
    jw_kint(w, "id", r->e.person_id);
    jw_kstr(w, "name", r->person_name);
    jw_obj_end(w);
    api_unit_ref(w, x->req->tree, "unit", r->e.unit);
    jw_kstr(w, "rule", r->e.rule);
    jw_kstr(w, "rule_name", rule ? rule->name : r->e.rule);
    jw_kint(w, "points", r->e.points);
    jw_kstr(w, "day", r->e.day);
    jw_kstr(w, "source", r->e.source);
    jw_kstr(w, "state", r->state);
    const struct wf_kind *k = kinds_find(x->req->app, "points");
    int s = k ? wf_state_index(k, r->state) : -1;
    jw_kstr(w, "state_name", s >= 0 ? k->states[s].label : r->state);
    jw_kbool(w, "counted", r->e.counted);
    api_ktext(w, "title", r->title[0] || !rule ? r->title : rule->name, api_view_of(x->req));
    /* an event's entry has no case: who recorded the event says who */
    jw_kstr_or_null(w, "created_by", r->e.case_id ? r->created_by : NULL);
    jw_kstr_or_null(w, "created_at", r->e.case_id ? r->created_at : NULL);
    jw_kstr_or_null(w, "updated_at", r->e.case_id ? r->updated_at : NULL);
    jw_obj_end(w);
    return 0;
}

/* {"items": […], "next"} of the entries q selects. */
static int write_entries(struct http_req *req, struct jw *w, struct points_query *q,
                         struct err *err)
{
    struct list_ctx x = {req, w, 0, q->limit, 0};
    q->limit++;
    jw_key(w, "items");
    jw_arr(w);
    int rc = points_list(req->app, q, write_entry, &x, err);
    if (rc) return rc;
    jw_arr_end(w);
    if (x.n > x.limit)
        jw_kint(w, "next", x.last);
    else
        jw_knull(w, "next");
    return ERR_OK;
}

/* GET /api/v1/points?unit=&year=&month=&open=true&limit=&after=: the entries
 * of a subtree, newest first (the approvals queue with open=true). */
int api_points_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct points_query q = {.scope = req->unit};
    const char *open = NULL;
    long limit, after;
    int rc = query_period(req, &q.year, &q.month, err);
    if (!rc) rc = http_query_text(req, "open", 8, &open, err);
    if (!rc) rc = http_query_int(req, "limit", 50, 1, 500, &limit, err);
    if (!rc) rc = http_query_int(req, "after", 0, 0, INT64_MAX / 2, &after, err);
    if (rc) return rc;
    q.open = open && strcmp(open, "true") == 0;
    q.limit = (int)limit;
    q.before_id = after;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    if ((rc = write_entries(req, &w, &q, err))) return rc;
    jw_obj_end(&w);
    return ERR_OK;
}

/* A person's year: summary and entries. */
static int write_person_points(struct http_req *req, struct http_resp *resp, int64_t person,
                               struct err *err)
{
    int year, month;
    int rc = query_period(req, &year, &month, err);
    if (rc) return rc;
    struct points_summary s;
    if ((rc = points_summary(req->app, person, year, &s, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "person", person);
    jw_kint(&w, "year", year);
    jw_kint(&w, "base", s.base);
    jw_kint(&w, "earned", s.earned);
    jw_kint(&w, "score", s.score);
    write_band(&w, s.band);
    jw_key(&w, "months");
    jw_arr(&w);
    for (int m = 0; m < 12; m++)
        jw_int(&w, s.months[m]);
    jw_arr_end(&w);
    struct points_query q = {.person_id = person, .scope = "", .year = year, .limit = 500};
    if ((rc = write_entries(req, &w, &q, err))) return rc;
    jw_obj_end(&w);
    return ERR_OK;
}

int api_person_points(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t person;
    int rc = app_parse_id(req->param[0], "人员", &person, err);
    return rc ? rc : write_person_points(req, resp, person, err);
}

/* GET /api/v1/me/…: page of the reader's own person, or {"person":null,
 * "message"} when the account is linked to none. */
static int for_me(struct http_req *req, struct http_resp *resp, struct err *err,
                  int (*page)(struct http_req *, struct http_resp *, int64_t, struct err *))
{
    int64_t person;
    struct err none;
    err_clear(&none);
    if (points_person_mine(req->app, req->user, &person, &none)) {
        struct jw w;
        http_json(resp, &w);
        jw_obj(&w);
        jw_knull(&w, "person");
        jw_kstr(&w, "message", none.msg);
        jw_obj_end(&w);
        return ERR_OK;
    }
    return page(req, resp, person, err);
}

int api_me_points(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return for_me(req, resp, err, write_person_points);
}

/* {"rule", "day", "note", "evidence", "files"} */
static int claim(struct http_req *req, struct http_resp *resp, int64_t person, bool by_member,
                 struct err *err)
{
    static const char *const fields[] = {"rule", "day", "note", "evidence", "files", NULL};
    json_t *body;
    struct points_claim in = {.person_id = person, .by_member = by_member};
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "rule", 64, &in.rule, err);
    if (!rc) rc = jin_str(req->arena, body, "day", 16, &in.day, err);
    if (!rc) rc = jin_text(req->arena, body, "note", CASE_NOTE_MAX, &in.note, err);
    if (!rc) rc = jin_text(req->arena, body, "evidence", CASE_NOTE_MAX, &in.evidence, err);
    if (!rc) rc = api_file_refs(req->arena, body, &in.files, &in.nfiles, err);
    if (!rc && !in.rule) rc = err_set_field(err, ERR_INVALID, "rule", "请选择积分项目");
    int64_t id = 0;
    if (!rc) rc = points_claim(req->app, req->user, &in, req->client, req->arena, &id, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_kstr(&w, "state", "pending");
    jw_obj_end(&w);
    return ERR_OK;
}

int api_person_points_record(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t person;
    int rc = app_parse_id(req->param[0], "人员", &person, err);
    return rc ? rc : claim(req, resp, person, false, err);
}

int api_me_points_claim(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t person;
    int rc = points_person_mine(req->app, req->user, &person, err);
    return rc ? rc : claim(req, resp, person, true, err);
}

/* POST /api/v1/points/{id}/transitions {"transition": "approve"|"reject", "note"} */
int api_points_transition(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"transition", "note", NULL};
    int64_t id;
    json_t *body;
    const char *transition = NULL, *note = NULL;
    int rc = cases_parse_id(req->param[0], &id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = jin_str(req->arena, body, "transition", 32, &transition, err);
    if (!rc) rc = jin_text(req->arena, body, "note", CASE_NOTE_MAX, &note, err);
    if (!rc && !transition)
        rc = err_set_field(err, ERR_INVALID, "transition", "请选择审核通过或驳回");
    if (!rc)
        rc = points_step(req->app, req->user, id, transition, note, req->client, req->arena, err);
    if (rc) return rc;
    struct case_full f;
    if ((rc = cases_load(req->app, req->arena, id, &f, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_kstr(&w, "state", f.c.state);
    jw_kbool(&w, "counted", f.points.counted);
    jw_obj_end(&w);
    return ERR_OK;
}

/* GET /api/v1/points/ranking?unit=&year=&month= */
int api_points_ranking(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int year, month;
    int rc = query_period(req, &year, &month, err);
    if (rc) return rc;
    struct points_rank *rows;
    size_t n;
    if ((rc = points_ranking(req->app, req->user, req->unit, year, month, req->arena, &rows, &n,
                             err)))
        return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "year", year);
    if (month)
        jw_kint(&w, "month", month);
    else
        jw_knull(&w, "month");
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "rank", rows[i].rank);
        jw_key(&w, "person");
        jw_obj(&w);
        jw_kint(&w, "id", rows[i].person_id);
        jw_kstr(&w, "name", rows[i].name);
        jw_obj_end(&w);
        api_unit_ref(&w, req->tree, "unit", rows[i].unit);
        jw_kint(&w, "earned", rows[i].earned);
        jw_kint(&w, "score", rows[i].score);
        write_band(&w, rows[i].band);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* ---- 党费 ---- */

int api_dues_rates(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)err;
    const struct points_defs *p = req->app->points;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kstr(&w, "source", p->dues_source);
    jw_key(&w, "categories");
    jw_arr(&w);
    for (size_t i = 0; i < p->ncategories; i++) {
        const struct dues_category *c = &p->categories[i];
        jw_obj(&w);
        jw_kstr(&w, "code", c->code);
        jw_kstr(&w, "name", c->name);
        jw_kstr(&w, "basis", c->income ? "income" : "fixed");
        jw_kstr(&w, "note", c->note);
        if (c->income) {
            jw_key(&w, "bands");
            jw_arr(&w);
            for (int b = 0; b < c->nbands; b++) {
                jw_obj(&w);
                if (c->bands[b].upto_fen)
                    jw_kint(&w, "upto_fen", c->bands[b].upto_fen);
                else
                    jw_knull(&w, "upto_fen");
                jw_knum(&w, "percent", c->bands[b].permille / 10.0);
                jw_obj_end(&w);
            }
            jw_arr_end(&w);
        } else {
            jw_kint(&w, "min_fen", c->min_fen);
            jw_kint(&w, "max_fen", c->max_fen);
            jw_kint(&w, "default_fen", c->default_fen);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "methods");
    jw_arr(&w);
    for (size_t i = 0; i < p->nmethods; i++) {
        jw_obj(&w);
        jw_kstr(&w, "code", p->methods[i].code);
        jw_kstr(&w, "name", p->methods[i].name);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "advance_months", p->advance_months);
    jw_kint(&w, "arrears_months", p->arrears_months);
    jw_kstr(&w, "arrears_message", p->arrears_message);
    jw_obj_end(&w);
    return ERR_OK;
}

static int write_person_dues(struct http_req *req, struct http_resp *resp, int64_t person,
                             struct err *err)
{
    long year;
    int rc = http_query_int(req, "year", this_year(), 2000, 2100, &year, err);
    if (rc) return rc;
    struct dues_view v;
    if ((rc = dues_person(req->app, person, (int)year, req->arena, &v, err))) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "person", person);
    jw_kint(&w, "year", year);
    jw_key(&w, "bases");
    jw_arr(&w);
    for (size_t i = 0; i < v.nbases; i++) {
        const struct dues_basis_row *b = &v.bases[i];
        const struct dues_category *c = dues_category(req->app, b->category);
        jw_obj(&w);
        jw_kint(&w, "year", b->year);
        jw_kstr(&w, "category", b->category);
        jw_kstr(&w, "category_name", c ? c->name : b->category);
        jw_kint(&w, "income_fen", b->income_fen);
        jw_kint(&w, "monthly_fen", b->monthly_fen);
        jw_kstr(&w, "updated_by", b->updated_by);
        jw_kstr(&w, "updated_at", b->updated_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "months");
    jw_arr(&w);
    for (int m = 0; m < 12; m++) {
        const struct dues_month *dm = &v.months[m];
        jw_obj(&w);
        jw_kstr(&w, "month", dm->month);
        if (dm->due_fen >= 0)
            jw_kint(&w, "due_fen", dm->due_fen);
        else
            jw_knull(&w, "due_fen");
        jw_kint(&w, "paid_fen", dm->paid_fen);
        jw_kstr_or_null(&w, "method", dm->method[0] ? dm->method : NULL);
        const char *how = dues_method_name(req->app, dm->method);
        jw_kstr_or_null(&w, "method_name", how);
        jw_kstr_or_null(&w, "paid_on", dm->paid_on[0] ? dm->paid_on : NULL);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "due_fen", v.due_fen);
    jw_kint(&w, "paid_fen", v.paid_fen);
    write_yuan(&w, "paid_yuan", v.paid_fen);
    jw_key(&w, "arrears");
    jw_obj(&w);
    jw_kint(&w, "unpaid_run", v.unpaid_run);
    jw_kint(&w, "unpaid_total", v.unpaid_total);
    jw_kint(&w, "owed_fen", v.owed_fen);
    jw_kbool(&w, "flagged", v.flagged);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_person_dues(struct http_req *req, struct http_resp *resp, struct err *err)
{
    int64_t person;
    int rc = app_parse_id(req->param[0], "人员", &person, err);
    return rc ? rc : write_person_dues(req, resp, person, err);
}

int api_me_dues(struct http_req *req, struct http_resp *resp, struct err *err)
{
    return for_me(req, resp, err, write_person_dues);
}

/* PUT /api/v1/persons/{id}/dues/basis {"year", "category", "income_fen" | "amount_fen"} */
int api_person_dues_basis(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"year", "category", "income_fen", "amount_fen", NULL};
    int64_t person, year = this_year(), income = 0, fixed = -1;
    json_t *body;
    const char *category = NULL;
    int rc = app_parse_id(req->param[0], "人员", &person, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc) rc = body_int(body, "year", 2000, 2100, false, &year, err);
    if (!rc) rc = jin_str(req->arena, body, "category", 32, &category, err);
    if (!rc) rc = body_int(body, "income_fen", 0, INT64_MAX / 1000, false, &income, err);
    if (!rc) rc = body_int(body, "amount_fen", 0, INT64_MAX / 1000, false, &fixed, err);
    if (!rc)
        rc = dues_basis_set(req->app, req->user, person, (int)year, category, income, fixed,
                            req->client, err);
    return rc ? rc : write_person_dues(req, resp, person, err);
}

/* POST /api/v1/persons/{id}/dues/payments {"months": [...], "amount_fen", "method", "paid_on"} */
int api_person_dues_pay(struct http_req *req, struct http_resp *resp, struct err *err)
{
    static const char *const fields[] = {"months", "amount_fen", "method", "paid_on", NULL};
    struct dues_payment_in in = {0};
    json_t *body;
    int rc = app_parse_id(req->param[0], "人员", &in.person_id, err);
    if (!rc) rc = http_body_json(req, &body, err);
    if (!rc) rc = jin_only(body, fields, err);
    if (!rc)
        rc = body_int(body, "amount_fen", INT64_MIN / 2, INT64_MAX / 2, true, &in.amount_fen, err);
    if (!rc) rc = jin_str(req->arena, body, "method", 32, &in.method, err);
    if (!rc) rc = jin_str(req->arena, body, "paid_on", 16, &in.paid_on, err);
    if (rc) return rc;
    json_t *months = json_object_get(body, "months");
    if (!json_is_array(months) || json_array_size(months) == 0 || json_array_size(months) > 24)
        return err_set_field(err, ERR_INVALID, "months",
                             "months 须为 1 到 24 个月份，如 [\"2026-03\"]");
    const char **m = arena_zalloc(req->arena, json_array_size(months) * sizeof *m);
    for (size_t i = 0; i < json_array_size(months); i++)
        if (!(m[i] = json_string_value(json_array_get(months, i))))
            return err_set_field(err, ERR_INVALID, "months", "months 第 %zu 项须为月份文本", i + 1);
    in.months = m;
    in.nmonths = json_array_size(months);
    if ((rc = dues_pay(req->app, req->user, &in, req->client, err))) return rc;
    resp->status = 201;
    rc = write_person_dues(req, resp, in.person_id, err);
    resp->status = 201;
    return rc;
}

/* GET /api/v1/dues/arrears?unit=&month= */
int api_dues_arrears(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *month = NULL;
    int rc = http_query_text(req, "month", 8, &month, err);
    if (rc) return rc;
    struct dues_arrear *rows;
    size_t n;
    if ((rc = dues_arrears(req->app, req->user, req->unit, month && month[0] ? month : NULL,
                           req->arena, &rows, &n, err)))
        return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "arrears_months", req->app->points->arrears_months);
    jw_kstr(&w, "message", req->app->points->arrears_message);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_key(&w, "person");
        jw_obj(&w);
        jw_kint(&w, "id", rows[i].person_id);
        jw_kstr(&w, "name", rows[i].name);
        jw_obj_end(&w);
        api_unit_ref(&w, req->tree, "unit", rows[i].unit);
        jw_kint(&w, "unpaid_run", rows[i].unpaid_run);
        jw_kint(&w, "unpaid_total", rows[i].unpaid_total);
        jw_kint(&w, "owed_fen", rows[i].owed_fen);
        jw_kbool(&w, "flagged", rows[i].flagged);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

static int publication_xlsx(struct http_req *req, struct http_resp *resp, int year,
                            const struct dues_public *rows, size_t n, struct err *err)
{
    static const char *const titles[] = {"单位", "姓名", "已交月份", "月数", "金额（元）"};
    struct xlsx_writer *xw;
    int rc = xlsx_writer_open(NULL, "党费收缴公示", &xw, err);
    if (rc) return rc;
    xlsx_write_header(xw, titles, 5);
    for (size_t i = 0; i < n; i++) {
        const struct tree *t = req->tree;
        uint32_t u = tree_find_any(t, rows[i].unit, strlen(rows[i].unit));
        struct buf b = BUF_INIT;
        for (int m = 0; m < 12; m++)
            if (rows[i].months[m]) buf_printf(&b, "%s%d", b.len ? "、" : "", m + 1);
        xlsx_write_text(xw, (long)i + 1, 0, u == TREE_NONE ? rows[i].unit : tree_name(t, u));
        xlsx_write_text(xw, (long)i + 1, 1, rows[i].name);
        xlsx_write_text(xw, (long)i + 1, 2, b.p ? b.p : "");
        xlsx_write_number(xw, (long)i + 1, 3, rows[i].nmonths);
        xlsx_write_number(xw, (long)i + 1, 4, (double)rows[i].amount_fen / 100.0);
        buf_free(&b);
    }
    resp->status = 200;
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"dues-%d-%s.xlsx\"", year,
                                 req->unit[0] ? req->unit : "all"));
    return api_send_xlsx(resp, xw, err);
}

/* GET /api/v1/dues/publication?unit=&year=&format=xlsx */
int api_dues_publication(struct http_req *req, struct http_resp *resp, struct err *err)
{
    long year;
    const char *format = NULL;
    int rc = http_query_int(req, "year", this_year(), 2000, 2100, &year, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (rc) return rc;
    if (format && format[0] && strcmp(format, "xlsx") != 0 && strcmp(format, "json") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 须为 json 或 xlsx");
    struct dues_public *rows;
    size_t n;
    if ((rc = dues_publication(req->app, req->user, req->unit, (int)year, req->arena, &rows, &n,
                               err)))
        return rc;
    if (format && strcmp(format, "xlsx") == 0)
        return publication_xlsx(req, resp, (int)year, rows, n, err);
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kint(&w, "year", year);
    jw_key(&w, "items");
    jw_arr(&w);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_key(&w, "person");
        jw_obj(&w);
        jw_kint(&w, "id", rows[i].person_id);
        jw_kstr(&w, "name", rows[i].name);
        jw_obj_end(&w);
        api_unit_ref(&w, req->tree, "unit", rows[i].unit);
        jw_key(&w, "months");
        jw_arr(&w);
        for (int m = 0; m < 12; m++)
            if (rows[i].months[m]) jw_int(&w, m + 1);
        jw_arr_end(&w);
        jw_kint(&w, "amount_fen", rows[i].amount_fen);
        jw_obj_end(&w);
        total += rows[i].amount_fen;
    }
    jw_arr_end(&w);
    jw_kint(&w, "total_fen", total);
    jw_obj_end(&w);
    return ERR_OK;
}
