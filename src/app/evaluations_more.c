/* evaluations_more.c — around the evaluation engine (evaluations.h): the
 * register of county departments (subjects of 述职评议 that are not units
 * of the tree), codes added to or revoked from a running campaign, the
 * public results after closing and a person's record of outcomes. */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/evaluations.h"
#include "app/evaluations_int.h"
#include "base/clock.h"
#include "base/mem.h"
#include "io/json_out.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEPT_NAME_MAX 100

/* ---- the department register ---- */

struct dept_list {
    struct app *app;
    struct jw *w;
    struct tree *t;
};

static int dept_row(void *ctx, const struct eval_department_row *d)
{
    struct dept_list *l = ctx;
    uint32_t u = tree_find_any(l->t, d->county, strlen(d->county));
    jw_obj(l->w);
    jw_kint(l->w, "id", d->id);
    jw_kstr(l->w, "name", d->name);
    jw_kstr(l->w, "county", d->county);
    jw_kstr(l->w, "county_name", u != TREE_NONE ? tree_name(l->t, u) : "");
    jw_kbool(l->w, "active", d->active);
    jw_obj_end(l->w);
    return ERR_OK;
}

int evaluations_departments(struct app *app, const char *scope, bool retired_too, struct arena *a,
                            struct jw *w, struct err *err)
{
    struct dept_list l = {app, w, app_tree(app)};
    struct db *db = store_acquire(app->store);
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    int rc = store_eval_departments(db, a, scope, retired_too, dept_row, &l, err);
    jw_arr_end(w);
    jw_obj_end(w);
    store_release(app->store, db);
    tree_unref(l.t);
    return rc;
}

static int check_dept_name(const char *name, struct err *err)
{
    return app_check_text(name, "name", DEPT_NAME_MAX, true, err);
}

static int dept_write(struct app *app, const struct auth_user *actor, const char *action,
                      int64_t id, const char *county, const char *after, const char *client,
                      struct db *db, struct arena *a, struct err *err)
{
    struct audit_entry ae = {.user = actor->name,
                             .action = action,
                             .entity = arena_printf(a, "department:%lld", (long long)id),
                             .unit = county,
                             .after = after,
                             .client = client};
    (void)app;
    return store_audit_append(db, &ae, err);
}

int evaluations_department_create(struct app *app, const struct auth_user *actor,
                                  const char *county, const char *name, const char *client,
                                  int64_t *id, struct err *err)
{
    int rc = check_dept_name(name, err);
    if (rc) return rc;
    struct tree *t = app_tree(app);
    uint32_t u = county ? tree_find(t, county, strlen(county)) : TREE_NONE;
    bool is_county = u != TREE_NONE && tree_node(t, u)->level == UNIT_COUNTY;
    tree_unref(t);
    if (!is_county)
        return err_set_field(err, ERR_INVALID, "county",
                             "县直部门须属于一个县（区）：请选择县级单位");
    if (!auth_in_scope(actor->scope, county))
        return err_set_field(err, ERR_FORBIDDEN, "county", "该县不在您的管辖范围内");
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_eval_department_add(db, county, name, id, err);
    if (rc == ERR_CONFLICT)
        rc = err_set_field(err, ERR_CONFLICT, "name", "本县已有名为「%s」的部门", name);
    if (!rc) {
        json_t *o = json_pack("{s:s}", "name", name);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        rc = dept_write(app, actor, "department.create", *id, county, text ? text : "{}", client,
                        db, a, err);
        free(text);
        json_decref(o);
    }
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    arena_free(a);
    return rc;
}

int evaluations_department_update(struct app *app, const struct auth_user *actor, int64_t id,
                                  const char *name, int active, const char *client, struct err *err)
{
    int rc = name ? check_dept_name(name, err) : ERR_OK;
    if (rc) return rc;
    struct arena *a = arena_new();
    const char *county = NULL, *old = NULL;
    bool was = false;
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_eval_department_get(db, a, id, &county, &old, err);
    if (!rc && !auth_in_scope(actor->scope, county)) /* alike an unknown one */
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的县直部门", (long long)id);
    if (!rc) rc = store_eval_department_active(db, id, &was, err);
    bool now = active < 0 ? was : active != 0;
    if (!rc) rc = store_eval_department_update(db, id, name ? name : old, now, err);
    if (rc == ERR_CONFLICT)
        rc = err_set_field(err, ERR_CONFLICT, "name", "本县已有名为「%s」的部门", name);
    if (!rc) {
        json_t *o =
            json_pack("{s:[s,s], s:[b,b]}", "name", old, name ? name : old, "active", was, now);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        rc = dept_write(app, actor, "department.update", id, county, text ? text : "{}", client, db,
                        a, err);
        free(text);
        json_decref(o);
    }
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    arena_free(a);
    return rc;
}

/* ---- codes added to a running campaign ---- */

int evaluations_add_codes(struct app *app, const struct auth_user *actor, int64_t id, int group,
                          int count, const char *const *revoke, size_t nrevoke, const char *client,
                          struct arena *a, struct eval_codes *out, struct err *err)
{
    if (count < 0 || count > EVAL_RATERS_MAX || (count == 0 && nrevoke == 0))
        return err_set_field(err, ERR_INVALID, "count", "请填写要补发的评议码个数（1 至 %d）",
                             EVAL_RATERS_MAX);
    if (nrevoke > EVAL_RATERS_MAX)
        return err_set_field(err, ERR_INVALID, "revoke", "一次至多作废 %d 个评议码",
                             EVAL_RATERS_MAX);
    *out =
        (struct eval_codes){.campaign_id = id,
                            .codes = arena_zalloc(a, ((size_t)count + 1) * sizeof *out->codes),
                            .groups = arena_zalloc(a, ((size_t)count + 1) * sizeof *out->groups)};
    struct campaign k = {0};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = eval_read_campaign(db, id, a, &k, err);
    if (!rc && strcmp(k.c.status, "open") != 0)
        rc = err_set(err, ERR_CONFLICT, "本次评议已经结束，不能再补发或作废评议码");
    if (!rc && (group < 0 || (size_t)group >= k.ngroups))
        rc = err_set_field(err, ERR_INVALID, "group", "没有第 %d 组评议主体", group + 1);
    int64_t issued = 0;
    for (size_t g = 0; !rc && g < k.ngroups; g++)
        issued += k.groups[g].issued;
    if (!rc && issued + count - (int64_t)nrevoke > EVAL_RATERS_MAX)
        rc = err_set_field(err, ERR_INVALID, "count", "一次评议至多发放 %d 个评议码",
                           EVAL_RATERS_MAX);
    for (size_t i = 0; !rc && i < nrevoke; i++) {
        char norm[EVAL_CODE_LEN + 1], hash[65];
        if (!revoke[i] || !eval_normalise_code(revoke[i], norm)) {
            rc =
                err_set_field(err, ERR_INVALID, "revoke", "第 %zu 个要作废的评议码格式不对", i + 1);
            break;
        }
        eval_code_hash(app, norm, hash);
        rc = store_eval_code_revoke(db, hash, id, err);
        if (rc == ERR_NOT_FOUND) /* says no more than a ballot page would */
            rc =
                err_set_field(err, ERR_INVALID, "revoke",
                              "第 %zu 个评议码不能作废：不是本次评议的评议码，或已经投过票", i + 1);
    }
    for (int r = 0; !rc && r < count; r++) {
        char code[EVAL_CODE_LEN + 1], hash[65];
        eval_new_code(code);
        eval_code_hash(app, code, hash);
        rc = store_eval_code_insert(db, hash, id, group, err);
        if (rc == ERR_CONFLICT) { /* a clash is next to impossible; draw again */
            err_clear(err);
            rc = ERR_OK;
            r--;
            continue;
        }
        out->codes[out->n] = arena_strdup(a, code);
        out->groups[out->n++] = group;
    }
    if (!rc) {
        struct audit_entry ae = {.user = actor->name,
                                 .action = "evaluation.codes",
                                 .entity = arena_printf(a, "evaluation:%lld", (long long)id),
                                 .unit = k.c.unit,
                                 .after =
                                     arena_printf(a, "{\"group\":%d,\"added\":%d,\"revoked\":%zu}",
                                                  group, count, nrevoke),
                                 .client = client};
        rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT EVALS_CHANGED, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) analytics_invalidate(app, EVALS_CHANGED);
    return rc;
}

/* ---- outcomes: public results and a person's record ---- */

struct outcomes {
    struct eval_outcome_row *rows;
    size_t n, cap;
    struct arena *a;
};

static int keep_outcome(void *ctx, const struct eval_outcome_row *o)
{
    struct outcomes *x = ctx;
    x->rows = arena_grow(x->a, x->rows, sizeof *x->rows, x->n, x->n + 1, &x->cap);
    x->rows[x->n++] = *o;
    return ERR_OK;
}

int evaluations_outcomes(struct app *app, int64_t id, struct arena *a,
                         struct eval_outcome_row **rows, size_t *n, struct err *err)
{
    struct outcomes x = {.a = a};
    struct db *db = store_acquire(app->store);
    int rc = store_eval_outcomes(db, a, id, keep_outcome, &x, err);
    store_release(app->store, db);
    *rows = x.rows;
    *n = x.n;
    return rc;
}

static int by_rank(const void *pa, const void *pb)
{
    const struct eval_outcome_row *a = pa, *b = pb;
    int ra = a->rank ? a->rank : 1 << 30, rb = b->rank ? b->rank : 1 << 30;
    if (ra != rb) return ra < rb ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

int evaluations_public_write(struct app *app, int64_t id, struct arena *a, struct jw *w,
                             struct err *err)
{
    struct campaign k = {0};
    struct outcomes x = {.a = a};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = eval_read_campaign(db, id, a, &k, err);
    if (!rc && strcmp(k.c.status, "closed") != 0) rc = ERR_NOT_FOUND; /* nothing before closing */
    if (!rc) rc = store_eval_outcomes(db, a, id, keep_outcome, &x, err);
    db_rollback(db);
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND)
        return err_set(err, ERR_NOT_FOUND, "没有这项评议结果（或评议尚未结束）");
    if (rc) return rc;
    const struct eval_form *f = evaluations_form(app, k.c.form);
    char today[11];
    clock_today(today, 0);
    jw_obj(w);
    jw_kint(w, "id", k.c.id);
    jw_kstr(w, "name", k.c.name);
    jw_kint(w, "year", k.c.year);
    jw_kstr(w, "form_name", f ? f->name : "");
    struct tree *t = app_tree(app);
    uint32_t u = tree_find_any(t, k.c.unit, strlen(k.c.unit));
    jw_kstr(w, "unit_name", u != TREE_NONE ? tree_name(t, u) : "");
    tree_unref(t);
    jw_kstr(w, "closed_at", k.c.closed_at);
    jw_kstr_or_null(w, "notice_until", k.c.notice_until[0] ? k.c.notice_until : NULL);
    jw_kbool(w, "in_notice", k.c.notice_until[0] && strcmp(today, k.c.notice_until) <= 0);
    int64_t issued = 0, cast = 0;
    for (size_t g = 0; g < k.ngroups; g++) {
        issued += k.groups[g].issued;
        cast += k.groups[g].cast;
    }
    jw_key(w, "turnout");
    jw_obj(w);
    jw_kint(w, "issued", issued);
    jw_kint(w, "cast", cast);
    jw_obj_end(w);
    jw_key(w, "results");
    jw_arr(w);
    /* by rank, unranked last; names only (no person ids in public) */
    if (x.n) qsort(x.rows, x.n, sizeof *x.rows, by_rank);
    for (size_t i = 0; i < x.n; i++) {
        const struct eval_outcome_row *o = &x.rows[i];
        if (o->seq < 0 || (size_t)o->seq >= k.nsubjects) continue;
        jw_obj(w);
        jw_kstr(w, "name", k.subjects[o->seq].name);
        jw_kint(w, "rank", o->rank);
        if (o->scored)
            jw_knum(w, "score", round(o->score * 100) / 100);
        else
            jw_knull(w, "score");
        const struct eval_grade *g = f && o->grade[0] ? eval_grade_find(f, o->grade) : NULL;
        jw_kstr_or_null(w, "grade_name", g ? g->name : NULL);
        jw_kbool(w, "rectify", o->case_id != 0);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return ERR_OK;
}

struct person_ctx {
    struct app *app;
    struct jw *w;
};

static int person_row(void *ctx, const struct eval_campaign_row *c,
                      const struct eval_outcome_row *o)
{
    struct person_ctx *p = ctx;
    const struct eval_form *f = evaluations_form(p->app, c->form);
    const struct eval_grade *g = f && o->grade[0] ? eval_grade_find(f, o->grade) : NULL;
    jw_obj(p->w);
    jw_kint(p->w, "campaign", c->id);
    jw_kstr(p->w, "name", c->name);
    jw_kint(p->w, "year", c->year);
    jw_kint(p->w, "rank", o->rank);
    if (o->scored)
        jw_knum(p->w, "score", round(o->score * 100) / 100);
    else
        jw_knull(p->w, "score");
    jw_kstr_or_null(p->w, "grade", o->grade[0] ? o->grade : NULL);
    jw_kstr_or_null(p->w, "grade_name", g ? g->name : NULL);
    if (o->case_id)
        jw_kint(p->w, "case", o->case_id);
    else
        jw_knull(p->w, "case");
    jw_kstr(p->w, "closed_at", c->closed_at);
    jw_obj_end(p->w);
    return ERR_OK;
}

int evaluations_person_write(struct app *app, int64_t person, struct arena *a, struct jw *w,
                             struct err *err)
{
    struct person_ctx p = {app, w};
    struct db *db = store_acquire(app->store);
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    int rc = store_eval_person_outcomes(db, a, person, person_row, &p, err);
    jw_arr_end(w);
    jw_obj_end(w);
    store_release(app->store, db);
    return rc;
}
