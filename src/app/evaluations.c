/* evaluations.c — evaluation campaigns and secret ballots (evaluations.h). */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/evaluations.h"
#include "app/evaluations_int.h"
#include "app/group_commit.h"
#include "app/memo.h"
#include "app/people.h"
#include "base/clock.h"
#include "base/mem.h"
#include "io/json_out.h"
#include "store/store.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_BYTES 200
/* Codes: no 0/O, 1/I/L, so a code copied from paper is read right. */
static const char code_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

static int kind_ok(const char *k)
{
    return k && (!strcmp(k, "departments") || !strcmp(k, "secretaries") || !strcmp(k, "members") ||
                 !strcmp(k, "units"));
}

/* The code as typed, upper-cased without spaces and dashes, into out
 * (EVAL_CODE_LEN + 1): false when it cannot be a code. */
bool eval_normalise_code(const char *in, char *out)
{
    size_t n = 0;
    for (const char *p = in; p && *p; p++) {
        char c = *p;
        if (c == '-' || c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (!strchr(code_alphabet, c) || c == '\0' || n == EVAL_CODE_LEN) return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == EVAL_CODE_LEN;
}

/* Keyed hash of a code (hex): what is stored; without the data
 * directory's key a stolen database does not reveal or test codes. */
void eval_code_hash(const struct app *app, const char *code, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)code, strlen(code), app->seal.mac,
                       sizeof app->seal.mac);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void eval_new_code(char out[EVAL_CODE_LEN + 1])
{
    for (int i = 0; i < EVAL_CODE_LEN; i++)
        out[i] = code_alphabet[randombytes_uniform(sizeof code_alphabet - 1)];
    out[EVAL_CODE_LEN] = '\0';
}

/* ---- create ---- */

/* What the audit record keeps of a new campaign (never a code). */
static const char *summary(struct arena *a, const struct eval_campaign_in *in, size_t codes)
{
    json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:I, s:I}", "name", in->name, "year", in->year,
                          "kind", in->kind, "form", in->form, "rule", in->rule, "subjects",
                          (json_int_t)in->nsubjects, "codes", (json_int_t)codes);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    const char *out = arena_strdup(a, text ? text : "{}");
    free(text);
    json_decref(o);
    return out;
}

/* The unit of every person subject (NULL: none or unknown), looked up
 * before the write transaction: the lookup takes a connection of its own,
 * and the command line has one. */
static int person_units(struct app *app, const struct auth_user *actor,
                        const struct eval_campaign_in *in, struct arena *a, const char ***out,
                        struct err *err)
{
    *out = arena_zalloc(a, (in->nsubjects + 1) * sizeof **out);
    for (size_t i = 0; i < in->nsubjects; i++) {
        if (!in->subjects[i].person_id) continue;
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)in->subjects[i].person_id);
        int rc = people_unit_of(app, a, 0, id, actor->scope, &(*out)[i], err);
        if (rc == ERR_NOT_FOUND) {
            err_clear(err);
            (*out)[i] = NULL;
        } else if (rc) {
            return rc;
        }
    }
    return ERR_OK;
}

static int check_subject(struct app *app, const struct auth_user *actor, struct db *db,
                         struct arena *a, const struct eval_campaign_in *in,
                         const char *const *person_units, size_t i, struct eval_subject_row *row,
                         struct err *err)
{
    const struct eval_subject_in *s = &in->subjects[i];
    const char *field = arena_printf(a, "subjects[%zu]", i);
    *row = (struct eval_subject_row){.seq = (int)i, .name = s->name, .unit = s->unit};
    int refs = (s->department_id != 0) + (s->person_id != 0) + (s->unit && s->unit[0]);
    if (refs > 1)
        return err_set_field(err, ERR_INVALID, field, "第 %zu 个评议对象只能是部门、人员或单位之一",
                             i + 1);
    if (s->department_id) {
        const char *county, *name;
        int rc = store_eval_department_get(db, a, s->department_id, &county, &name, err);
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(actor->scope, county)))
            return err_set_field(err, ERR_INVALID, field,
                                 "第 %zu 个评议对象：没有这个县直部门（或不在您的管辖范围内）",
                                 i + 1);
        bool active = false;
        if (!rc) rc = store_eval_department_active(db, s->department_id, &active, err);
        if (!rc && !active)
            return err_set_field(err, ERR_INVALID, field, "第 %zu 个评议对象：「%s」已撤销", i + 1,
                                 name);
        if (rc) return rc;
        row->department_id = s->department_id;
        if (!row->name || !row->name[0]) row->name = name;
    } else if (s->person_id) {
        const char *unit = person_units[i]; /* resolved before the transaction */
        int rc = ERR_OK;
        if (!unit || !auth_in_scope(actor->scope, unit))
            return err_set_field(err, ERR_INVALID, field,
                                 "第 %zu 个评议对象：没有这个人员（或不在您的管辖范围内）", i + 1);
        row->person_id = s->person_id;
        row->unit = unit; /* where an 整改 case about them goes */
        struct person_row pr;
        if ((!row->name || !row->name[0]) &&
            !(rc = store_person_get(db, a, s->person_id, &pr, err)))
            row->name = pr.name;
        if (rc) return rc;
    } else if (s->unit && s->unit[0]) {
        struct tree *t = app_tree(app);
        bool ok = tree_find(t, s->unit, strlen(s->unit)) != TREE_NONE &&
                  auth_in_scope(actor->scope, s->unit);
        tree_unref(t);
        if (!ok)
            return err_set_field(err, ERR_INVALID, field,
                                 "第 %zu 个评议对象：没有这个单位（或不在您的管辖范围内）", i + 1);
    }
    if (!row->name || !row->name[0])
        return err_set_field(err, ERR_INVALID, field, "请填写第 %zu 个评议对象的名称", i + 1);
    return app_check_text(row->name, field, NAME_MAX_BYTES, true, err);
}

static int check_campaign(struct app *app, const struct auth_user *actor,
                          const struct eval_campaign_in *in, struct err *err)
{
    int rc = app_check_text(in->name, "name", NAME_MAX_BYTES, true, err);
    if (rc) return rc;
    char today[11];
    clock_today(today, 0);
    int this_year = (int)strtol(today, NULL, 10);
    if (in->year < 2000 || in->year > this_year + 1)
        return err_set_field(err, ERR_INVALID, "year", "评议年度须在 2000 至 %d 年之间",
                             this_year + 1);
    if (!kind_ok(in->kind))
        return err_set_field(
            err, ERR_INVALID, "kind",
            "请选择评议类别（县直部门述职评议、书记抓党建述职评议、民主评议党员或单位评议）");
    if (!evaluations_form(app, in->form))
        return err_set_field(err, ERR_INVALID, "form", "请选择评议表（没有 %s 这一评议表）",
                             in->form ? in->form : "");
    if (!evaluations_rule(app, in->rule))
        return err_set_field(err, ERR_INVALID, "rule", "请选择计分规则（没有 %s 这一规则）",
                             in->rule ? in->rule : "");
    if (!in->unit || !auth_in_scope(actor->scope, in->unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "组织单位不在您的管辖范围内");
    if (in->ngroups == 0 || in->ngroups > EVAL_GROUPS_MAX)
        return err_set_field(err, ERR_INVALID, "groups", "评议主体须分为 1 至 %d 组",
                             EVAL_GROUPS_MAX);
    int weights[EVAL_GROUPS_MAX];
    long raters = 0;
    for (size_t g = 0; g < in->ngroups; g++) {
        if (app_check_text(in->groups[g].name, "groups", NAME_MAX_BYTES, true, err))
            return err_wrap(err, "第 %zu 组评议主体的名称", g + 1);
        if (in->groups[g].raters < 0 || in->groups[g].raters > EVAL_RATERS_MAX)
            return err_set_field(err, ERR_INVALID, "groups", "第 %zu 组评议人数须在 0 至 %d 之间",
                                 g + 1, EVAL_RATERS_MAX);
        weights[g] = in->groups[g].weight;
        raters += in->groups[g].raters;
    }
    if (!eval_weights_ok(weights, in->ngroups))
        return err_set_field(err, ERR_INVALID, "groups",
                             "各组评议主体的权重须为 1–100 的整数，且合计正好 100%%");
    if (raters > EVAL_RATERS_MAX)
        return err_set_field(err, ERR_INVALID, "groups", "一次评议至多发放 %d 个评议码",
                             EVAL_RATERS_MAX);
    if (in->nsubjects == 0 || in->nsubjects > EVAL_SUBJECTS_MAX)
        return err_set_field(err, ERR_INVALID, "subjects", "评议对象须为 1 至 %d 个",
                             EVAL_SUBJECTS_MAX);
    return ERR_OK;
}

int evaluations_create(struct app *app, const struct auth_user *actor,
                       const struct eval_campaign_in *in, const char *client, struct arena *a,
                       struct eval_codes *out, struct err *err)
{
    int rc = check_campaign(app, actor, in, err);
    if (rc) return rc;
    struct tree *t = app_tree(app);
    bool unit_ok = tree_find(t, in->unit, strlen(in->unit)) != TREE_NONE;
    tree_unref(t);
    if (!unit_ok) return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", in->unit);
    char at[32];
    auth_now_iso(at);
    struct eval_campaign_row c = {.name = in->name,
                                  .year = in->year,
                                  .kind = in->kind,
                                  .form = in->form,
                                  .rule = in->rule,
                                  .unit = in->unit,
                                  .created_by = actor->name,
                                  .created_at = at};
    size_t n = 0;
    for (size_t g = 0; g < in->ngroups; g++)
        n += (size_t)in->groups[g].raters;
    *out = (struct eval_codes){.codes = arena_zalloc(a, (n + 1) * sizeof *out->codes),
                               .groups = arena_zalloc(a, (n + 1) * sizeof *out->groups),
                               .n = n};
    const char **punits;
    if ((rc = person_units(app, actor, in, a, &punits, err))) return rc;
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_eval_campaign_insert(db, &c, err);
    for (size_t i = 0; !rc && i < in->nsubjects; i++) {
        struct eval_subject_row row;
        rc = check_subject(app, actor, db, a, in, punits, i, &row, err);
        if (!rc) rc = store_eval_subject_insert(db, c.id, &row, err);
    }
    size_t k = 0;
    for (size_t g = 0; !rc && g < in->ngroups; g++) {
        struct eval_group_row row = {
            .seq = (int)g, .weight = in->groups[g].weight, .name = in->groups[g].name};
        rc = store_eval_group_insert(db, c.id, &row, err);
        for (int r = 0; !rc && r < in->groups[g].raters; r++, k++) {
            char code[EVAL_CODE_LEN + 1], hash[65];
            eval_new_code(code);
            eval_code_hash(app, code, hash);
            rc = store_eval_code_insert(db, hash, c.id, (int)g, err);
            if (rc == ERR_CONFLICT) { /* 31^12 codes: a clash is next to impossible; draw again */
                err_clear(err);
                r--, k--;
                rc = ERR_OK;
                continue;
            }
            out->codes[k] = arena_strdup(a, code);
            out->groups[k] = (int)g;
        }
    }
    if (!rc) {
        struct audit_entry ae = {.user = actor->name,
                                 .action = "evaluation.create",
                                 .entity = arena_printf(a, "evaluation:%lld", (long long)c.id),
                                 .unit = in->unit,
                                 .after = summary(a, in, n),
                                 .client = client};
        rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT EVALS_CHANGED, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) analytics_invalidate(app, EVALS_CHANGED);
    out->campaign_id = c.id;
    return rc;
}

/* ---- reading ---- */

static int keep_group(void *ctx, const struct eval_group_row *g)
{
    struct campaign *k = ctx;
    if (k->ngroups == EVAL_GROUPS_MAX) return ERR_OK;
    k->groups[k->ngroups++] = *g;
    return ERR_OK;
}

static int keep_subject(void *ctx, const struct eval_subject_row *s)
{
    struct campaign *k = ctx;
    if (k->nsubjects == EVAL_SUBJECTS_MAX) return ERR_OK;
    k->subjects = arena_grow(k->a, k->subjects, sizeof *k->subjects, k->nsubjects, k->nsubjects + 1,
                             &k->subjects_cap);
    k->subjects[k->nsubjects++] = *s;
    return ERR_OK;
}

static int read_campaign(struct db *db, int64_t id, bool counts, struct arena *a,
                         struct campaign *k, struct err *err)
{
    *k = (struct campaign){.a = a};
    k->groups = arena_zalloc(a, EVAL_GROUPS_MAX * sizeof *k->groups);
    int rc = store_eval_campaign_get(db, a, id, &k->c, err);
    if (!rc) rc = store_eval_groups(db, a, id, counts, keep_group, k, err);
    if (!rc) rc = store_eval_subjects(db, a, id, keep_subject, k, err);
    return rc;
}

int eval_read_campaign(struct db *db, int64_t id, struct arena *a, struct campaign *k,
                       struct err *err)
{
    return read_campaign(db, id, true, a, k, err);
}

int eval_read_campaign_head(struct db *db, int64_t id, struct arena *a, struct campaign *k,
                            struct err *err)
{
    return read_campaign(db, id, false, a, k, err);
}

/* Votes of the ballots of a campaign, as core/evaluation.h counts them. */
struct votes {
    const struct eval_form *form;
    size_t nsubjects;
    struct eval_vote *v;
    size_t n, cap;
    int64_t ballots;
};

static void add_vote(struct votes *vs, const struct eval_vote *v)
{
    if (vs->n == vs->cap) {
        vs->cap = vs->cap ? vs->cap * 2 : 256;
        vs->v = xrealloc(vs->v, vs->cap * sizeof *vs->v);
    }
    vs->v[vs->n++] = *v;
}

/* The vote one answer gives (false when it no longer fits the form). */
static bool answer_vote(const struct eval_form *f, json_t *ans, size_t grp, size_t nsubjects,
                        struct eval_vote *v)
{
    json_int_t s = json_integer_value(json_object_get(ans, "subject"));
    if (s < 0 || (size_t)s >= nsubjects) return false;
    *v = (struct eval_vote){.subject = (size_t)s, .group = grp};
    if (f->scores) {
        json_t *scores = json_object_get(ans, "scores");
        for (size_t i = 0; i < f->ncriteria; i++)
            v->value += json_number_value(json_object_get(scores, f->criteria[i].code));
        v->valid = true;
        return true;
    }
    const char *g = json_string_value(json_object_get(ans, "grade"));
    for (size_t i = 0; g && i < f->ngrades; i++)
        if (strcmp(f->grades[i].code, g) == 0) {
            v->value = f->grades[i].points;
            v->valid = f->grades[i].valid;
            v->top = f->grades[i].top;
            return true;
        }
    return false;
}

static int keep_ballot(void *ctx, int grp, const char *answers)
{
    struct votes *vs = ctx;
    json_t *l = json_loads(answers, 0, NULL);
    size_t i;
    json_t *ans;
    vs->ballots++;
    json_array_foreach(l, i, ans)
    {
        struct eval_vote v;
        if (answer_vote(vs->form, ans, (size_t)grp, vs->nsubjects, &v)) add_vote(vs, &v);
    }
    json_decref(l);
    return ERR_OK;
}

static void write_subject(struct jw *w, const struct eval_subject_row *s)
{
    jw_kint(w, "seq", s->seq);
    jw_kstr(w, "name", s->name);
    if (s->department_id) jw_kint(w, "department", s->department_id);
    if (s->person_id) jw_kint(w, "person", s->person_id);
    if (s->unit[0]) jw_kstr(w, "unit", s->unit);
}

static void write_campaign_head(struct app *app, struct jw *w, const struct eval_campaign_row *c)
{
    const struct eval_form *f = evaluations_form(app, c->form);
    const struct eval_rule_def *r = evaluations_rule(app, c->rule);
    jw_kint(w, "id", c->id);
    jw_kstr(w, "name", c->name);
    jw_kint(w, "year", c->year);
    jw_kstr(w, "kind", c->kind);
    jw_kstr(w, "form", c->form);
    jw_kstr(w, "form_name", f ? f->name : c->form);
    jw_kstr(w, "rule", c->rule);
    jw_kstr(w, "rule_name", r ? r->name : c->rule);
    jw_kstr(w, "unit", c->unit);
    struct tree *t = app_tree(app);
    uint32_t u = tree_find_any(t, c->unit, strlen(c->unit));
    jw_kstr(w, "unit_name", u != TREE_NONE ? tree_name(t, u) : "");
    tree_unref(t);
    jw_kstr(w, "status", c->status);
    jw_kstr(w, "status_name", strcmp(c->status, "open") == 0 ? "进行中" : "已结束");
    jw_kstr(w, "created_at", c->created_at);
    jw_kstr_or_null(w, "closed_at", c->closed_at[0] ? c->closed_at : NULL);
    jw_kstr_or_null(w, "notice_until", c->notice_until[0] ? c->notice_until : NULL);
}

/* What closing kept of subject seq (grade, 整改 case), or NULL. */
static const struct eval_outcome_row *outcome_of(const struct eval_outcome_row *o, size_t n,
                                                 int seq)
{
    for (size_t i = 0; i < n; i++)
        if (o[i].seq == seq) return &o[i];
    return NULL;
}

static void write_results(struct app *app, struct jw *w, const struct campaign *k,
                          const struct eval_score *sc, const int *ranks, int64_t ballots,
                          const struct eval_outcome_row *kept, size_t nkept)
{
    const struct eval_rule_def *rule = evaluations_rule(app, k->c.rule);
    const struct eval_form *form = evaluations_form(app, k->c.form);
    double threshold = rule ? rule->threshold : app->evals->threshold;
    jw_kint(w, "ballots", ballots);
    jw_knum(w, "threshold", threshold);
    jw_key(w, "results");
    jw_arr(w);
    /* by rank, unscored last */
    for (int pass = 0; pass < 2; pass++)
        for (int r = 1; r <= (int)k->nsubjects; r++)
            for (size_t i = 0; i < k->nsubjects; i++) {
                if ((pass == 0 && ranks[i] != r) || (pass == 1 && (r > 1 || ranks[i] != 0)))
                    continue;
                jw_obj(w);
                write_subject(w, &k->subjects[i]);
                jw_kint(w, "rank", ranks[i]);
                if (sc[i].scored)
                    jw_knum(w, "score", round(sc[i].score * 100) / 100);
                else
                    jw_knull(w, "score");
                jw_kint(w, "valid", sc[i].valid);
                jw_kint(w, "invalid", sc[i].invalid);
                jw_kbool(w, "follow_up", sc[i].scored && sc[i].score < threshold);
                const struct eval_outcome_row *o = outcome_of(kept, nkept, k->subjects[i].seq);
                const struct eval_grade *g =
                    o && form && o->grade[0] ? eval_grade_find(form, o->grade) : NULL;
                if (!o && form && sc[i].scored) g = eval_grade_of(form, sc[i].score); /* running */
                jw_kstr_or_null(w, "grade", g ? g->code : NULL);
                jw_kstr_or_null(w, "grade_name", g ? g->name : NULL);
                if (o && o->case_id)
                    jw_kint(w, "case", o->case_id);
                else
                    jw_knull(w, "case");
                jw_obj_end(w);
            }
    jw_arr_end(w);
}

/* Scores of every subject of k (sc, ranks: k->nsubjects each). */
int eval_score(struct app *app, struct db *db, const struct campaign *k, struct eval_score *sc,
               int *ranks, int64_t *ballots, struct err *err)
{
    const struct eval_form *f = evaluations_form(app, k->c.form);
    const struct eval_rule_def *r = evaluations_rule(app, k->c.rule);
    if (!f || !r)
        return err_set(err, ERR_INTERNAL, "评议 %lld 的评议表或规则已不在 data/evaluations.json 中",
                       (long long)k->c.id);
    struct votes vs = {.form = f, .nsubjects = k->nsubjects};
    int rc = store_eval_ballots(db, k->c.id, keep_ballot, &vs, err);
    int weights[EVAL_GROUPS_MAX];
    for (size_t g = 0; g < k->ngroups; g++)
        weights[g] = k->groups[g].weight;
    if (!rc && !eval_aggregate(r->rule, weights, k->ngroups, vs.v, vs.n, k->nsubjects, sc))
        rc = err_set(err, ERR_INTERNAL, "评议 %lld 的选票与评议对象不符", (long long)k->c.id);
    if (!rc) eval_rank(sc, k->nsubjects, ranks);
    *ballots = vs.ballots;
    free(vs.v);
    return rc;
}

int evaluations_write(struct app *app, int64_t id, bool results_any_time, struct arena *a,
                      struct jw *w, struct err *err)
{
    /* A closed campaign's answer no longer changes with ballots: it is kept
     * (memo.h) until the next write that bumps the memo, so its readers do
     * not re-aggregate every ballot. */
    char key[48];
    snprintf(key, sizeof key, "evaluation:%lld", (long long)id);
    uint64_t gen = memo_generation(app->memo);
    size_t from = w->b->len;
    if (!results_any_time && memo_get(app->memo, key, gen, w->b)) return ERR_OK;
    struct campaign k;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = eval_read_campaign(db, id, a, &k, err);
    bool closed = !rc && strcmp(k.c.status, "closed") == 0;
    struct eval_score *sc = arena_zalloc(a, (EVAL_SUBJECTS_MAX + 1) * sizeof *sc);
    int *ranks = arena_zalloc(a, (EVAL_SUBJECTS_MAX + 1) * sizeof *ranks);
    int64_t ballots = 0;
    if (!rc && (closed || results_any_time)) rc = eval_score(app, db, &k, sc, ranks, &ballots, err);
    db_rollback(db);
    store_release(app->store, db);
    struct eval_outcome_row *kept = NULL;
    size_t nkept = 0;
    if (!rc && closed) rc = evaluations_outcomes(app, id, a, &kept, &nkept, err);
    if (rc) return rc;
    jw_obj(w);
    write_campaign_head(app, w, &k.c);
    int64_t issued = 0, cast = 0;
    jw_key(w, "groups");
    jw_arr(w);
    for (size_t g = 0; g < k.ngroups; g++) {
        jw_obj(w);
        jw_kint(w, "seq", k.groups[g].seq);
        jw_kstr(w, "name", k.groups[g].name);
        jw_kint(w, "weight", k.groups[g].weight);
        jw_kint(w, "issued", k.groups[g].issued);
        jw_kint(w, "cast", k.groups[g].cast);
        jw_obj_end(w);
        issued += k.groups[g].issued;
        cast += k.groups[g].cast;
    }
    jw_arr_end(w);
    jw_key(w, "turnout");
    jw_obj(w);
    jw_kint(w, "issued", issued);
    jw_kint(w, "cast", cast);
    jw_obj_end(w);
    jw_key(w, "subjects");
    jw_arr(w);
    for (size_t i = 0; i < k.nsubjects; i++) {
        jw_obj(w);
        write_subject(w, &k.subjects[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (closed || results_any_time)
        write_results(app, w, &k, sc, ranks, ballots, kept, nkept);
    else
        jw_knull(w, "results");
    jw_obj_end(w);
    if (closed && !results_any_time)
        memo_put(app->memo, key, gen, w->b->p + from, w->b->len - from);
    return ERR_OK;
}

struct list_ctx {
    struct app *app;
    struct jw *w;
};

static int list_row(void *ctx, const struct eval_campaign_row *c)
{
    struct list_ctx *l = ctx;
    jw_obj(l->w);
    write_campaign_head(l->app, l->w, c);
    jw_obj_end(l->w);
    return ERR_OK;
}

int evaluations_list(struct app *app, const char *scope, int year, struct arena *a, struct jw *w,
                     struct err *err)
{
    struct db *db = store_acquire(app->store);
    struct list_ctx l = {app, w};
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    int rc = store_eval_campaigns(db, a, scope, year, list_row, &l, err);
    jw_arr_end(w);
    jw_obj_end(w);
    store_release(app->store, db);
    return rc;
}

int evaluations_unit_of(struct app *app, struct arena *a, const char *id, const char **unit,
                        struct err *err)
{
    int64_t n;
    int rc = app_parse_id(id, "评议", &n, err);
    if (rc) return rc == ERR_INVALID ? ERR_NOT_FOUND : rc;
    struct eval_campaign_row c;
    struct db *db = store_acquire(app->store);
    rc = store_eval_campaign_get(db, a, n, &c, err);
    store_release(app->store, db);
    if (!rc) *unit = c.unit;
    return rc;
}

/* ---- ballots ---- */

/* The code's campaign as casting needs it, read in one statement: open,
 * and the code unused. */
static int open_code(struct app *app, const char *code, struct arena *a, char hash[65],
                     struct eval_code_ballot *kb, struct err *err)
{
    char norm[EVAL_CODE_LEN + 1];
    if (!code || !eval_normalise_code(code, norm))
        return err_set_field(err, ERR_NOT_FOUND, "code",
                             "评议码无效：评议码为 %d 位字母和数字，请核对后重试", EVAL_CODE_LEN);
    eval_code_hash(app, norm, hash);
    struct db *db = store_acquire(app->store);
    int rc = store_eval_code_ballot(db, a, hash, kb, err);
    store_release(app->store, db);
    if (rc) return rc;
    if (kb->used)
        return err_set_field(err, ERR_CONFLICT, "code",
                             "这个评议码已经投过票，每个评议码只能投一次");
    if (strcmp(kb->status, "open") != 0)
        return err_set_field(err, ERR_CONFLICT, "code", "本次评议已经结束，不能再投票");
    return ERR_OK;
}

int evaluations_ballot_form(struct app *app, const char *code, struct arena *a, struct jw *w,
                            struct err *err)
{
    struct eval_code_ballot kb;
    char hash[65];
    struct campaign k;
    int rc = open_code(app, code, a, hash, &kb, err);
    if (!rc) {
        struct db *db = store_acquire(app->store);
        rc = eval_read_campaign_head(db, kb.campaign_id, a, &k, err);
        store_release(app->store, db);
    }
    if (rc) return rc;
    const struct eval_form *f = evaluations_form(app, k.c.form);
    jw_obj(w);
    jw_kstr(w, "name", k.c.name);
    jw_kint(w, "year", k.c.year);
    jw_kstr(w, "group", kb.grp < (int)k.ngroups ? k.groups[kb.grp].name : "");
    jw_key(w, "form");
    if (f)
        evaluations_form_write(w, f);
    else
        jw_null(w);
    jw_key(w, "subjects");
    jw_arr(w);
    for (size_t i = 0; i < k.nsubjects; i++) {
        jw_obj(w);
        jw_kint(w, "seq", k.subjects[i].seq);
        jw_kstr(w, "name", k.subjects[i].name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return ERR_OK;
}

/* One answer's scores, one per criterion of the form in its order, each
 * written so that it reads back as the same double. */
static int write_scores(const struct eval_form *f, json_t *scores, size_t i, struct jw *w,
                        struct err *err)
{
    if (!json_is_object(scores) || json_object_size(scores) != f->ncriteria)
        return err_set_field(err, ERR_INVALID, "answers",
                             "第 %zu 项：须按评议表的 %zu 个评分项各打一个分", i + 1, f->ncriteria);
    jw_key(w, "scores");
    jw_obj(w);
    for (size_t c = 0; c < f->ncriteria; c++) {
        const struct eval_criterion *cr = &f->criteria[c];
        json_t *v = json_object_get(scores, cr->code);
        double x = json_number_value(v);
        if (!json_is_number(v) || !isfinite(x) || x < cr->min || x > cr->max)
            return err_set_field(err, ERR_INVALID, "answers",
                                 "第 %zu 项：「%s」的分数须在 %g 至 %g 之间", i + 1, cr->name,
                                 cr->min, cr->max);
        char t[32];
        int n = snprintf(t, sizeof t, "%.17g", x);
        jw_key(w, cr->code);
        jw_raw(w, t, (size_t)n);
    }
    jw_obj_end(w);
    return ERR_OK;
}

/* The answers checked against the form and subjects, as stored: a JSON
 * array in subject order, each member's keys in a fixed order (nothing in
 * it varies with the rater but the answers). Checked on the parsed body
 * and written straight out: no second document is built. */
static int check_answers(const struct eval_form *f, size_t nsubjects, json_t *answers,
                         struct arena *a, const char **out, struct err *err)
{
    if (!json_is_array(answers) || json_array_size(answers) == 0 ||
        json_array_size(answers) > nsubjects)
        return err_set_field(err, ERR_INVALID, "answers",
                             "answers 须为数组，每个评议对象至多一项（共 %zu 个评议对象）",
                             nsubjects);
    /* by subject: the answer's index + 1 (0: none) */
    size_t *by = arena_zalloc(a, nsubjects * sizeof *by);
    for (size_t i = 0; i < json_array_size(answers); i++) {
        json_t *ans = json_array_get(answers, i);
        json_t *s = json_object_get(ans, "subject");
        if (!json_is_object(ans) || !json_is_integer(s) || json_integer_value(s) < 0 ||
            (size_t)json_integer_value(s) >= nsubjects)
            return err_set_field(err, ERR_INVALID, arena_printf(a, "answers[%zu]", i),
                                 "第 %zu 项：没有这个评议对象", i + 1);
        size_t seq = (size_t)json_integer_value(s);
        if (by[seq])
            return err_set_field(err, ERR_INVALID, arena_printf(a, "answers[%zu]", i),
                                 "第 %zu 项：同一评议对象只能评一次", i + 1);
        by[seq] = i + 1;
    }
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_arr(&w);
    int rc = ERR_OK;
    for (size_t seq = 0; !rc && seq < nsubjects; seq++) {
        if (!by[seq]) continue;
        size_t i = by[seq] - 1;
        json_t *ans = json_array_get(answers, i);
        jw_obj(&w);
        jw_kint(&w, "subject", (int64_t)seq);
        if (f->scores && json_object_size(ans) != 2) {
            rc = err_set_field(err, ERR_INVALID, "answers",
                               "第 %zu 项：须按评议表的 %zu 个评分项各打一个分", i + 1,
                               f->ncriteria);
        } else if (f->scores) {
            rc = write_scores(f, json_object_get(ans, "scores"), i, &w, err);
        } else {
            const char *g = json_string_value(json_object_get(ans, "grade"));
            const char *known = NULL;
            for (size_t k = 0; g && !known && k < f->ngrades; k++)
                if (strcmp(f->grades[k].code, g) == 0) known = f->grades[k].code;
            if (known && json_object_size(ans) == 2)
                jw_kstr(&w, "grade", known);
            else
                rc = err_set_field(err, ERR_INVALID, "answers",
                                   "第 %zu 项：请选择评议表上的一个等次", i + 1);
        }
        jw_obj_end(&w);
        if (rc) snprintf(err->field, sizeof err->field, "answers[%zu]", i);
    }
    jw_arr_end(&w);
    if (!rc) *out = arena_strndup(a, b.p, b.len);
    buf_free(&b);
    return rc;
}

/* A checked ballot on its way into the store (one group-commit job):
 * everything it writes is ready, so the batch's lock is held for the
 * writes only. It lives in its own arena until answered. */
struct cast {
    struct group_job job;
    struct arena *a;
    struct app *app;
    int64_t campaign_id;
    const char *stored, *entity, *unit, *client;
    char hash[65], id[33];
    int grp;
    evaluations_cast_done done;
    void *ctx;
};

static int write_ballot(void *ctx, struct db *db, struct err *err)
{
    const struct cast *c = ctx;
    int rc = store_eval_code_use(db, c->hash, err);
    if (!rc) rc = store_eval_ballot_insert(db, c->id, c->campaign_id, c->grp, c->stored, err);
    if (!rc) {
        /* the record says a ballot was cast in the campaign: no code, group nor ballot id */
        struct audit_entry ae = {.user = "",
                                 .action = "evaluation.ballot",
                                 .entity = c->entity,
                                 .unit = c->unit,
                                 .after = "{}",
                                 .client = c->client};
        rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT EVALS_CHANGED, err);
    return rc;
}

/* The code and answers checked outside the write lock, and the ballot made
 * ready to write: the write then takes the code only if it is still unused
 * and its campaign still open. */
static int prepare_cast(struct app *app, const char *code, json_t *answers, const char *client,
                        struct cast **out, struct err *err)
{
    struct arena *a = arena_new();
    struct cast *c = arena_zalloc(a, sizeof *c);
    c->a = a;
    c->app = app;
    struct eval_code_ballot kb;
    int rc = open_code(app, code, a, c->hash, &kb, err);
    const struct eval_form *f = rc ? NULL : evaluations_form(app, kb.form);
    if (!rc && !f) rc = err_set(err, ERR_INTERNAL, "评议表 %s 已不存在", kb.form);
    if (!rc) rc = check_answers(f, kb.nsubjects, answers, a, &c->stored, err);
    if (rc) {
        arena_free(a);
        return rc;
    }
    c->campaign_id = kb.campaign_id;
    c->entity = arena_printf(a, "evaluation:%lld", (long long)kb.campaign_id);
    c->unit = kb.unit;
    c->client = arena_strdup(a, client);
    c->grp = kb.grp;
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(c->id, sizeof c->id, raw, sizeof raw);
    c->job.write = write_ballot;
    c->job.ctx = c;
    *out = c;
    return ERR_OK;
}

int evaluations_cast(struct app *app, const char *code, json_t *answers, const char *client,
                     struct err *err)
{
    struct cast *c;
    int rc = prepare_cast(app, code, answers, client, &c, err);
    if (rc) return rc;
    /* Ballots cast together share one durable commit (group_commit.h): a
     * fsync each would queue 32 raters behind one another. */
    rc = group_commit_run(app->ballots, app->store, write_ballot, c, err);
    if (!rc) analytics_invalidate(app, EVALS_CHANGED);
    arena_free(c->a);
    return rc;
}

static void cast_answered(struct group_job *job)
{
    struct cast *c = (struct cast *)job; /* the job is its first member */
    if (!job->rc) analytics_invalidate(c->app, EVALS_CHANGED);
    c->done(c->ctx, job->rc, &job->err);
    arena_free(c->a);
}

int evaluations_cast_start(struct app *app, const char *code, json_t *answers, const char *client,
                           evaluations_cast_done done, void *ctx, struct err *err)
{
    struct cast *c;
    int rc = prepare_cast(app, code, answers, client, &c, err);
    if (rc) return rc;
    c->job.done = cast_answered;
    c->done = done;
    c->ctx = ctx;
    group_commit_submit(app->ballots, app->store, &c->job);
    return ERR_OK;
}

int evaluations_counts(struct app *app, const char *scope, int year, int64_t *issued, int64_t *cast,
                       struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_eval_counts(db, scope, year, issued, cast, err);
    store_release(app->store, db);
    return rc;
}

static const char *const counts[] = {"issued", "cast", NULL};
#define COUNTS "issued（发放评议码）或 cast（已投票）"

int evaluations_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, counts, COUNTS, err) < 0 ? ERR_INVALID : ERR_OK;
}

struct unit_counts {
    bool cast;
    computed_add fn;
    void *ctx;
};

static int unit_count(void *ctx, const char *unit, int64_t issued, int64_t cast)
{
    struct unit_counts *u = ctx;
    return u->fn(u->ctx, unit, strlen(unit), (double)(u->cast ? cast : issued));
}

int evaluations_computed_counts(struct app *app, const char *computed, const char *start,
                                const char *next, const char *date, computed_add fn, void *ctx,
                                struct err *err)
{
    (void)date;
    int which = computed_count(computed, counts, COUNTS, err);
    if (which < 0) return ERR_INVALID;
    struct unit_counts u = {.cast = which == 1, .fn = fn, .ctx = ctx};
    /* a campaign year counts in the period holding its last day, 12-31 */
    int from = (int)strtol(start, NULL, 10), to = (int)strtol(next, NULL, 10) - 1;
    if (from > to) return ERR_OK;
    struct db *db = store_acquire(app->store);
    int rc = store_eval_unit_counts(db, from, to, unit_count, &u, err);
    store_release(app->store, db);
    return rc;
}
