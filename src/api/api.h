/*
 * api.h — HTTP handlers, one file per resource. A handler parses the
 * request, calls app/ (never store/: store.h refuses to compile here), and
 * writes JSON; logic that grows here belongs in app/ or core/. The route
 * table is api/routes.c.
 */
#ifndef JICENG_API_H
#define JICENG_API_H

#include "http/http.h"

int api_health(struct http_req *req, struct http_resp *resp, struct err *err);

int api_units_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_unit_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_unit_children(struct http_req *req, struct http_resp *resp, struct err *err);
int api_unit_summary(struct http_req *req, struct http_resp *resp, struct err *err);

int api_session_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_session_delete(struct http_req *req, struct http_resp *resp, struct err *err);
int api_me(struct http_req *req, struct http_resp *resp, struct err *err);

int api_users_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_disable(struct http_req *req, struct http_resp *resp, struct err *err);
int api_roles_list(struct http_req *req, struct http_resp *resp, struct err *err);

int api_elements_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_elements_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_indicators_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_indicators_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_values_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_values_write(struct http_req *req, struct http_resp *resp, struct err *err);
int api_values_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_analytics(struct http_req *req, struct http_resp *resp, struct err *err);
/* Checked data (checks.c): rules, the validation report, approvals; and
 * what a value write answers with: the violations found (key "warnings"
 * or "violations"), and instead of the router's error document one that
 * lists them, when the checks refused the write (returns rc when they
 * found none, else ERR_OK with the document written). ?confirm=true|false. */
struct values_checks;
int api_rules_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rules_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_validation(struct http_req *req, struct http_resp *resp, struct err *err);
int api_approvals_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_approvals_put(struct http_req *req, struct http_resp *resp, struct err *err);
int api_approvals_delete(struct http_req *req, struct http_resp *resp, struct err *err);
void api_write_violations(struct jw *w, const struct tree *t, const char *key,
                          const struct values_checks *chk);
int api_values_refused(struct http_req *req, struct http_resp *resp, int rc, const struct err *e,
                       const struct values_checks *chk);
int api_confirm_param(struct http_req *req, bool *confirm, struct err *err);

int api_item_types(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_batch(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_export(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_review(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_transition(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_comment(struct http_req *req, struct http_resp *resp, struct err *err);
int api_items_reassign(struct http_req *req, struct http_resp *resp, struct err *err);
int api_files_upload(struct http_req *req, struct http_resp *resp, struct err *err);
int api_item_file(struct http_req *req, struct http_resp *resp, struct err *err);
/* Answers a file attached to case id: its sniffed type, shown inline under
 * its name. */
int api_send_case_file(struct http_req *req, struct http_resp *resp, int64_t id, const char *sha256,
                       struct err *err);

/* What every case page shows alike (cases.c): a unit as {code, name} (null
 * when code is "" or unknown), a step with what it needs, the steps `who`
 * may take now ("available"), and the timeline with each event's files
 * (URLs file_base + sha256 + file_suffix; residents' pages are `public`:
 * when and what only). */
struct case_row;
struct case_timeline;
struct case_step;
struct wf_kind;
struct wf_transition;
void api_unit_ref(struct jw *w, const struct tree *t, const char *key, const char *code);
void api_write_transition(struct jw *w, const struct wf_kind *k, const struct wf_transition *tr);
void api_write_steps(struct jw *w, const struct wf_kind *k, const struct case_row *c,
                     const struct auth_user *who);
void api_write_timeline(struct jw *w, const struct wf_kind *k, const struct case_timeline *t,
                        const char *file_base, const char *file_suffix, bool public);
/* Reads a step from a body: transition (when not NULL), note, evidence,
 * assignee, rating, files, and as the kind's numbers every other member
 * not in `fields`. */
int api_case_step(struct http_req *req, struct json_t *body, const char *const *fields,
                  struct case_step *step, const char **transition, struct err *err);
/* Finishes a workbook (frees xw) and answers it as the body. */
struct xlsx_writer;
int api_send_xlsx(struct http_resp *resp, struct xlsx_writer *xw, struct err *err);
/* "五星"支部创建 (schemes.c, ratings.c, rating_summary.c, pairings.c) */
/* The query's scheme=CODE: 400 when absent or unknown. */
int api_scheme_param(struct http_req *req, const struct scheme **s, struct err *err);
void api_write_unit_ref(struct jw *w, const struct tree *t, const char *key, uint32_t i);
/* The label of a state of the rating cycle (待乡镇初审…). */
const char *api_rating_state(const struct app *app, const char *state);
int api_schemes_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_scheme_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_ratings_declare(struct http_req *req, struct http_resp *resp, struct err *err);
int api_ratings_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_ratings_summary(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_answers(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_adjust(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_transition(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_object(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_resolve(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_withdraw(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_checklist(struct http_req *req, struct http_resp *resp, struct err *err);
int api_rating_file(struct http_req *req, struct http_resp *resp, struct err *err);
int api_pairings_suggest(struct http_req *req, struct http_resp *resp, struct err *err);
int api_pairings_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_pairings_save(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_ratings(struct http_req *req, struct http_resp *resp, struct err *err);
/* The body's optional "files": [{"sha256", "name"}…] (app/files.h), in a. */
struct file_ref;
int api_file_refs(struct arena *a, struct json_t *body, const struct file_ref **refs, size_t *n,
                  struct err *err);

int api_open311_services(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_service(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_submit(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_search(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_request(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_token(struct http_req *req, struct http_resp *resp, struct err *err);

int api_public_units(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_categories(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_submit(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_status(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_rate(struct http_req *req, struct http_resp *resp, struct err *err);

int api_audit_list(struct http_req *req, struct http_resp *resp, struct err *err);

#endif
