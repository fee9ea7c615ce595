/*
 * checks.c — checked data over HTTP (docs/api.md, "Checked data"):
 *
 *   GET  /api/v1/rules                          validation rules
 *   POST /api/v1/rules                          a new rule
 *   GET  /api/v1/validation?unit=&period=       the validation report of a subtree
 *   GET  /api/v1/approvals?unit=&period=        approvals on, above and inside a unit
 *   PUT  /api/v1/approvals/{code}?period=       approve a unit's figures (审核)
 *   DELETE /api/v1/approvals/{code}?period=     withdraw the approval
 *
 * and the violations a value write answers with (api/data.c). The rules
 * and approvals themselves are app/checks.h's.
 */
#include "api/api.h"
#include "app/checks.h"

#include <jansson.h>
#include <string.h>

static void write_rule(struct jw *w, const struct rule_def *d)
{
    jw_obj(w);
    jw_kstr(w, "code", d->code);
    jw_kstr(w, "message", d->message);
    jw_kstr(w, "left", d->left);
    jw_kstr(w, "operator", rule_op_name(d->op));
    jw_kstr(w, "right", d->right);
    jw_kstr(w, "severity", rule_severity_name(d->severity));
    jw_kstr(w, "period_type", period_type_name(d->period_type));
    jw_kstr(w, "description", d->description ? d->description : "");
    jw_obj_end(w);
}

static void write_figure(struct jw *w, const char *key, struct fvalue v)
{
    if (v.missing)
        jw_knull(w, key);
    else
        jw_knum(w, key, v.v);
}

static void write_violation(struct jw *w, const struct tree *t, const struct rule_violation *v)
{
    jw_obj(w);
    jw_kstr(w, "rule", v->rule);
    jw_kstr(w, "message", v->message);
    jw_kstr(w, "severity", rule_severity_name(v->severity));
    api_unit_ref(w, t, "unit", v->unit);
    jw_kstr(w, "period", v->period);
    jw_kstr(w, "operator", rule_op_name(v->op));
    write_figure(w, "left", v->left);
    write_figure(w, "right", v->right);
    jw_kstr(w, "left_formula", v->left_formula);
    jw_kstr(w, "right_formula", v->right_formula);
    jw_key(w, "elements");
    jw_arr(w);
    for (size_t i = 0; i < v->nelements; i++)
        jw_str(w, v->elements[i]);
    jw_arr_end(w);
    jw_obj_end(w);
}

void api_write_violations(struct jw *w, const struct tree *t, const char *key,
                          const struct values_checks *chk)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < chk->n; i++)
        write_violation(w, t, &chk->violations[i]);
    jw_arr_end(w);
}

int api_values_refused(struct http_req *req, struct http_resp *resp, int rc, const struct err *e,
                       const struct values_checks *chk)
{
    if (!rc || !chk->n) return rc; /* the router's error document */
    struct jw w;
    http_json(resp, &w);
    resp->status = http_status_of(rc);
    jw_obj(&w);
    jw_key(&w, "error");
    jw_obj(&w);
    jw_kstr(&w, "code", err_kind_name(rc));
    jw_kstr(&w, "message", e->msg);
    if (e->field[0]) jw_kstr(&w, "field", e->field);
    jw_obj_end(&w);
    jw_kint(&w, "errors", (int64_t)chk->errors);
    jw_kint(&w, "warnings", (int64_t)chk->warnings);
    api_write_violations(&w, req->tree, "violations", chk);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_confirm_param(struct http_req *req, bool *confirm, struct err *err)
{
    const char *v = http_query(req, "confirm");
    *confirm = v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
    if (v && !*confirm && strcmp(v, "false") != 0 && strcmp(v, "0") != 0)
        return err_set_field(err, ERR_INVALID, "confirm", "参数 confirm 只能是 true 或 false");
    return ERR_OK;
}

/* ---- rules ---- */

int api_rules_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct rule_def *d;
    size_t n;
    int rc = rules_list(req->app, req->arena, &d, &n, err);
    if (rc) return rc;
    struct jw w;
    api_items_start(resp, &w);
    for (size_t i = 0; i < n; i++)
        write_rule(&w, &d[i]);
    api_items_end(&w);
    return ERR_OK;
}

int api_rules_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
    json_t *body;
    struct rule_def d;
    int rc = http_body_json(req, &body, err);
    if (!rc) rc = definitions_read_rule(req->arena, body, &d, err);
    if (!rc) rc = rules_create(req->app, req->user, &d, req->client, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    write_rule(&w, &d);
    return ERR_OK;
}

/* ---- the report ---- */

/* The query's period=, required. */
static int period_param(struct http_req *req, const char **period, struct err *err)
{
    int rc = http_query_text(req, "period", 16, period, err);
    if (!rc && !*period)
        rc = err_set_field(err, ERR_INVALID, "period", "请给出期间 period，如 2026 或 2026-03");
    return rc;
}

int api_validation(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *period;
    int rc = period_param(req, &period, err);
    struct checks_report rep;
    if (!rc) rc = checks_report(req->app, req->arena, req->unit, period, &rep, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    api_unit_ref(&w, req->tree, "unit", req->unit);
    jw_kstr(&w, "period", period);
    jw_kint(&w, "rules", (int64_t)rep.rules);
    jw_kint(&w, "units", (int64_t)rep.units);
    jw_kint(&w, "errors", (int64_t)rep.errors);
    jw_kint(&w, "warnings", (int64_t)rep.warnings);
    jw_kbool(&w, "truncated", rep.n < rep.errors + rep.warnings);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < rep.n; i++)
        write_violation(&w, req->tree, &rep.items[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

/* ---- approvals ---- */

static void write_approval(struct jw *w, const struct tree *t, const struct approval *ap)
{
    jw_obj(w);
    api_unit_ref(w, t, "unit", ap->unit);
    jw_kstr(w, "period", ap->period);
    jw_kstr(w, "approved_by", ap->approved_by);
    jw_kstr_or_null(w, "approver_name", ap->approver_name[0] ? ap->approver_name : NULL);
    jw_kstr(w, "approved_at", ap->approved_at);
    jw_obj_end(w);
}

int api_approvals_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *period;
    struct approval *ap = NULL;
    size_t n = 0;
    int rc = period_param(req, &period, err);
    if (!rc) rc = approvals_list(req->app, req->arena, req->unit, period, &ap, &n, err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    jw_kbool(&w, "can_approve", auth_has_perm(req->user, CHECKS_APPROVE_PERM));
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        write_approval(&w, req->tree, &ap[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return ERR_OK;
}

int api_approvals_put(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *period;
    struct approval ap;
    int rc = period_param(req, &period, err);
    if (!rc)
        rc = approvals_approve(req->app, req->user, req->unit, period, req->client, req->arena, &ap,
                               err);
    if (rc) return rc;
    struct jw w;
    http_json(resp, &w);
    resp->status = 201;
    write_approval(&w, req->tree, &ap);
    return ERR_OK;
}

int api_approvals_delete(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *period;
    int rc = period_param(req, &period, err);
    if (!rc) rc = approvals_withdraw(req->app, req->user, req->unit, period, req->client, err);
    if (rc) return rc;
    resp->status = 204;
    return ERR_OK;
}
