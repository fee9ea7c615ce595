/*
 * api.h — HTTP handlers, one file per resource. A handler parses the
 * request, calls app/ (never store/: store.h refuses to compile here), and
 * writes JSON; logic that grows here belongs in app/ or core/. The route
 * table is api/routes.c.
 */
#ifndef JICENG_API_H
#define JICENG_API_H

#include "core/tree_query.h"
#include "http/http.h"

int api_health(struct http_req *req, struct http_resp *resp, struct err *err);
/* GET /api/v1/openapi.json (openapi.c): the OpenAPI 3.1 document of the
 * route table and the files of openapi/, built once. api_openapi_build builds it
 * for a table (malloc'd text, NULL when openapi/document.json is broken)
 * and appends every problem found to `problems`, a line each: a route
 * without a documented operation, an operation no route uses, a $ref to
 * nothing, a name defined twice. */
int api_openapi(struct http_req *req, struct http_resp *resp, struct err *err);
char *api_openapi_build(const struct http_route *routes, struct buf *problems);

int api_units_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_unit_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_unit_children(struct http_req *req, struct http_resp *resp, struct err *err);
int api_unit_summary(struct http_req *req, struct http_resp *resp, struct err *err);
/* Division changes (editions.c). */
int api_unit_history(struct http_req *req, struct http_resp *resp, struct err *err);
int api_editions_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_editions_import(struct http_req *req, struct http_resp *resp, struct err *err);
/* The unit search of units.c and public.c (unit_search.c): q, level,
 * limit and after read into a page over [lo, hi], then written with each
 * handler's item writer as {"items":[…],"next"}. Without words in q nor a
 * level there is no search: limit and after are left to the caller. */
struct api_unit_search {
    size_t qmax;                   /* bytes of q */
    long limit_default, limit_max; /* of ?limit= */
    unsigned levels;               /* levels when ?level= is absent (0: every level) */
    uint32_t lo, hi;               /* the subtree searched (indexes) */
};
struct api_unit_page {
    struct tree_query q;
    long limit;
    uint32_t from;
    bool words;        /* q holds at least one word */
    bool levels_given; /* ?level= was given */
};
int api_unit_search_parse(struct http_req *req, const struct api_unit_search *s,
                          struct api_unit_page *page, struct err *err);
void api_unit_search_write(struct http_req *req, struct http_resp *resp, struct api_unit_page *page,
                           void (*item)(struct jw *w, const struct tree *t, uint32_t i));

int api_session_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_session_delete(struct http_req *req, struct http_resp *resp, struct err *err);
int api_me(struct http_req *req, struct http_resp *resp, struct err *err);
int api_me_password(struct http_req *req, struct http_resp *resp, struct err *err);

int api_users_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_import_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_users_disable(struct http_req *req, struct http_resp *resp, struct err *err);
int api_user_tokens_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_user_token_revoke(struct http_req *req, struct http_resp *resp, struct err *err);
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
/* Answers bytes of a stored file: its sniffed type, shown inline under its name. */
void api_send_file(struct http_req *req, struct http_resp *resp, const char *type, const char *name,
                   const void *data, size_t size);
/* Answers a file attached to case id: its sniffed type, shown inline under
 * its name. */
int api_send_case_file(struct http_req *req, struct http_resp *resp, int64_t id, const char *sha256,
                       struct err *err);

/* What every case page shows alike (cases.c): a unit as {code, name} (null
 * when code is "" or unknown), a step with what it needs, the steps `who`
 * may take now ("available"), and the timeline with each event's files
 * (URLs file_base + sha256 + file_suffix; its text as `view` shows it). */
struct case_row;
struct case_timeline;
struct case_step;
struct wf_kind;
struct wf_transition;
void api_unit_ref(struct jw *w, const struct tree *t, const char *key, const char *code);
/* People and party organisations (api/people.c): "key":[MEMBERSHIP…] as
 * every page with memberships writes them, and a membership's input
 * (via_org: through an organisation's routes). */
struct membership_row;
struct membership_in;
void api_write_memberships(struct jw *w, struct http_req *req, const char *key,
                           const struct membership_row *ms, size_t n);
int api_read_membership(struct http_req *req, struct json_t *body, bool via_org,
                        struct membership_in *in, struct err *err);
void api_write_transition(struct jw *w, const struct wf_kind *k, const struct wf_transition *tr);
void api_write_steps(struct jw *w, const struct wf_kind *k, const struct case_row *c,
                     const struct auth_user *who);
/* Who reads free text (descriptions, notes, comments, file names): a user
 * with pii:read sees it as typed; anyone else sees the ID-card and phone
 * numbers in it masked (core/pii.h, pii_mask_text); residents' and other
 * public pages always mask, and show when and what only. Stored as typed. */
enum api_view { API_VIEW_FULL, API_VIEW_MASKED, API_VIEW_PUBLIC };
enum api_view api_view_of(const struct http_req *req);
/* "key": s as the view shows it (null when s is NULL). */
void api_ktext(struct jw *w, const char *key, const char *s, enum api_view v);
/* s as the view shows it, in the arena when masked (s itself otherwise). */
const char *api_text(struct arena *a, const char *s, enum api_view v);
/* The events of a case; each actor also by name ("actor_name", through
 * names; NULL for the public view, which shows nobody). */
struct users_names;
void api_write_timeline(struct jw *w, const struct wf_kind *k, const struct case_timeline *t,
                        const char *file_base, const char *file_suffix, enum api_view view,
                        struct users_names *names);
/* Reads a step from a body: transition (when not NULL), note, evidence,
 * assignee, on (the step's date), rating, files, and as the kind's numbers every other member
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
/* grids, contact links and visits (api/grids.c) */
int api_grids_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_grids_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_grids_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_grids_import_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_grids_merge(struct http_req *req, struct http_resp *resp, struct err *err);
int api_grids_split(struct http_req *req, struct http_resp *resp, struct err *err);
int api_grids_place(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contacts_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contacts_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contacts_end(struct http_req *req, struct http_resp *resp, struct err *err);
int api_visits_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_visits_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_pairs_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_pairs_record(struct http_req *req, struct http_resp *resp, struct err *err);
/* "source_visit": the visit a case was raised from (app/grids.h), or null. */
struct grid_visit_row;
void api_write_source_visit(struct jw *w, struct http_req *req, const struct grid_visit_row *v);
/* "source_check": the 双随机 check case_id was opened for, or null (inspections.c). */
int api_write_source_check(struct jw *w, struct http_req *req, int64_t case_id, struct err *err);
int api_pairings_save(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_ratings(struct http_req *req, struct http_resp *resp, struct err *err);
/* The body's optional "files": [{"sha256", "name"}…] (app/files.h), in a. */
struct file_ref;
int api_file_refs(struct arena *a, struct json_t *body, const struct file_ref **refs, size_t *n,
                  struct err *err);

/* A whole list answered as {"items": […]}: start opens the answer and its
 * array, end closes both. */
void api_items_start(struct http_resp *resp, struct jw *w);
void api_items_end(struct jw *w);

/* A list answered a page at a time, newest first: {"items": […], "next"},
 * where next is the cursor of the page's last row when more follow (the
 * caller asks the store for limit + 1 rows) and the reader passes it back
 * as ?after=. */
struct api_page {
    struct jw *w;
    long limit, n;
    int64_t last;
    bool more;
};
/* ?limit= (def, within 1..max) and ?after= (0 when absent). */
int api_page_query(struct http_req *req, long def, long max, long *limit, int64_t *before,
                   struct err *err);
/* Opens "items" in the object w is writing. */
void api_page_start(struct api_page *p, struct jw *w, long limit);
/* Before a row with this cursor: false (stop) when the page is full. */
bool api_page_row(struct api_page *p, int64_t cursor);
/* Closes "items" and writes "next". */
void api_page_end(struct api_page *p);

int api_desk(struct http_req *req, struct http_resp *resp, struct err *err);
int api_notifications_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_notifications_read(struct http_req *req, struct http_resp *resp, struct err *err);
int api_notices_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_notices_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_notice_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_notice_read(struct http_req *req, struct http_resp *resp, struct err *err);
int api_notice_receipts(struct http_req *req, struct http_resp *resp, struct err *err);
int api_notice_file(struct http_req *req, struct http_resp *resp, struct err *err);

int api_open311_services(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_service(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_submit(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_search(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_request(struct http_req *req, struct http_resp *resp, struct err *err);
int api_open311_token(struct http_req *req, struct http_resp *resp, struct err *err);

int api_public_units(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_categories(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_submit(struct http_req *req, struct http_resp *resp, struct err *err);
/* Cases in their kind's public states (public_cases.c): 微心愿 board, 议事 results. */
int api_public_cases(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_case(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_status(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_rate(struct http_req *req, struct http_resp *resp, struct err *err);

int api_audit_list(struct http_req *req, struct http_resp *resp, struct err *err);

/* People, households and party organisations (people.c, party.c). */
int api_persons_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_persons_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_persons_export(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_membership_add(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_membership_end(struct http_req *req, struct http_resp *resp, struct err *err);
int api_me_person(struct http_req *req, struct http_resp *resp, struct err *err);
int api_households_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_households_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_household_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_household_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_household_member_add(struct http_req *req, struct http_resp *resp, struct err *err);
/* Ledgers in and out (people_io.c): rosters and households. */
/* ?name= and the body of an import, and the unit it goes to (?unit=);
 * what names the sheet in the message asking for one (people_io.c). */
int api_import_upload(struct http_req *req, const char *what, const char **name, struct err *err);
/* An import's template: a workbook of the form's headings and its example
 * row. */
struct sheet_form;
int api_send_template(struct http_req *req, struct http_resp *resp, const char *sheet,
                      const char *file, const struct sheet_form *form, struct err *err);
int api_persons_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_persons_import_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_households_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_households_import_template(struct http_req *req, struct http_resp *resp, struct err *err);
/* A refused import file: its first error and every refused row (people_io.c). */
struct people_row_errors;
int api_write_refused(struct http_resp *resp, int rc, const struct err *err,
                      const struct people_row_errors *e);
int api_households_export(struct http_req *req, struct http_resp *resp, struct err *err);
int api_orgs_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_orgs_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_orgs_report(struct http_req *req, struct http_resp *resp, struct err *err);
/* GET /api/v1/party/stats (party_stats.c): member statistics of a subtree. */
int api_party_stats(struct http_req *req, struct http_resp *resp, struct err *err);
int api_org_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_org_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_org_member_add(struct http_req *req, struct http_resp *resp, struct err *err);
int api_org_member_end(struct http_req *req, struct http_resp *resp, struct err *err);
int api_org_member_stage(struct http_req *req, struct http_resp *resp, struct err *err);
/* 发展党员 and 组织关系转接 (pipeline.c) */
int api_party_cases_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_party_cases_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_party_case_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_party_case_transition(struct http_req *req, struct http_resp *resp, struct err *err);
/* The person's cases as array elements (一人一档). */
int api_party_cases_of(struct http_req *req, struct jw *w, int64_t person, struct err *err);

/* 党员积分 and 党费 (points.c) */
int api_points_rules(struct http_req *req, struct http_resp *resp, struct err *err);
int api_points_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_points_ranking(struct http_req *req, struct http_resp *resp, struct err *err);
int api_points_transition(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_points(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_points_record(struct http_req *req, struct http_resp *resp, struct err *err);
int api_me_points(struct http_req *req, struct http_resp *resp, struct err *err);
int api_me_points_claim(struct http_req *req, struct http_resp *resp, struct err *err);
int api_dues_rates(struct http_req *req, struct http_resp *resp, struct err *err);
int api_dues_arrears(struct http_req *req, struct http_resp *resp, struct err *err);
int api_dues_publication(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_dues(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_dues_basis(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_dues_pay(struct http_req *req, struct http_resp *resp, struct err *err);
int api_me_dues(struct http_req *req, struct http_resp *resp, struct err *err);

/* Events and compliance (api/events.c). */
int api_event_types(struct http_req *req, struct http_resp *resp, struct err *err);
int api_events_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_events_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_event_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_event_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_event_attendance(struct http_req *req, struct http_resp *resp, struct err *err);
int api_event_file(struct http_req *req, struct http_resp *resp, struct err *err);
int api_compliance(struct http_req *req, struct http_resp *resp, struct err *err);

/* 述职评议 / 民主评议党员 and secret ballots (evaluations.c). */
int api_evaluation_defs(struct http_req *req, struct http_resp *resp, struct err *err);
int api_evaluations_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_evaluations_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_evaluation_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_evaluation_close(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_evaluation(struct http_req *req, struct http_resp *resp, struct err *err);
int api_evaluation_departments(struct http_req *req, struct http_resp *resp, struct err *err);
int api_evaluation_department_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_evaluation_department_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_evaluation_codes(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_evaluations(struct http_req *req, struct http_resp *resp, struct err *err);
/* A code that is its own credential (code_credential.c): `key` names its
 * rate counter per address, `name` the code in messages (评议码), `wrong`
 * the error kind a wrong code gives. */
struct code_credential {
    const char *key, *name;
    int wrong;
};
/* ERR_RATE_LIMIT once the address gave too many wrong codes. */
int api_code_gate(struct http_req *req, const struct code_credential *c, struct err *err);
/* rc, after counting it against the address if it says the code is wrong. */
int api_code_missed(struct http_req *req, const struct code_credential *c, int rc);
/* GET of the page of the code in the path: gate, write, count a miss. */
struct jw;
int api_code_page(struct http_req *req, struct http_resp *resp, const struct code_credential *c,
                  int (*write)(struct app *app, const char *code, struct arena *a, struct jw *w,
                               struct err *err),
                  struct err *err);
int api_ballot_form(struct http_req *req, struct http_resp *resp, struct err *err);
/* A closed campaign's results as a workbook (evaluations_export.c). */
int api_evaluation_export(struct http_req *req, struct http_resp *resp, int64_t id,
                          struct err *err);
int api_ballots_cast(struct http_req *req, struct http_resp *resp, struct err *err);
/* 健康服务: family doctors and the 30-minute circle (health_services.c). */
int api_health_settings(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_facilities(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_facility_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_point_set(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_points_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_facility_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_facilities_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_facilities_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_contracts_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_contracts_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_teams(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_team_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_contracts(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_coverage(struct http_req *req, struct http_resp *resp, struct err *err);
int api_health_circle(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_health(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_contract_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_contract_stop(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_health_tags(struct http_req *req, struct http_resp *resp, struct err *err);
/* 随访 follow-ups and the due-visit report (health_followups.c). */
int api_health_followups(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_followups(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_followup_create(struct http_req *req, struct http_resp *resp, struct err *err);
/* Key projects (projects.c). */
int api_projects_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_projects_ledger(struct http_req *req, struct http_resp *resp, struct err *err);
int api_projects_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_projects_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_projects_import_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_projects_alerts(struct http_req *req, struct http_resp *resp, struct err *err);
int api_project_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_project_plan(struct http_req *req, struct http_resp *resp, struct err *err);
int api_project_report(struct http_req *req, struct http_resp *resp, struct err *err);
int api_project_milestone_add(struct http_req *req, struct http_resp *resp, struct err *err);
int api_project_milestone_done(struct http_req *req, struct http_resp *resp, struct err *err);

/* The time bank (timebank.c). */
int api_person_timebank(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_timebank_transfer(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_timebank_redeem(struct http_req *req, struct http_resp *resp, struct err *err);
int api_event_timebank(struct http_req *req, struct http_resp *resp, struct err *err);
/* 志愿服务 (volunteers.c). */
int api_volunteers_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_volunteer_teams(struct http_req *req, struct http_resp *resp, struct err *err);
int api_volunteer_team_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_volunteer_teams_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_volunteer_teams_import_template(struct http_req *req, struct http_resp *resp,
                                        struct err *err);
int api_person_volunteer_join(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_volunteer(struct http_req *req, struct http_resp *resp, struct err *err);
int api_event_volunteers(struct http_req *req, struct http_resp *resp, struct err *err);
int api_event_volunteer_sign_in(struct http_req *req, struct http_resp *resp, struct err *err);
int api_event_volunteer_sign_out(struct http_req *req, struct http_resp *resp, struct err *err);
/* 共享小区 (share.c, share_public.c). */
int api_share_posts(struct http_req *req, struct http_resp *resp, struct err *err);
int api_share_post_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_share_post_close(struct http_req *req, struct http_resp *resp, struct err *err);
int api_share_suggestions(struct http_req *req, struct http_resp *resp, struct err *err);
int api_share_matches(struct http_req *req, struct http_resp *resp, struct err *err);
int api_share_match_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_share_match_confirm(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_share_board(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_share_post(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_share_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_share_confirm(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_share_close(struct http_req *req, struct http_resp *resp, struct err *err);

/* 微项目 (microprojects.c). */
int api_microprojects_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_microprojects_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_microproject_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_microproject_wishes(struct http_req *req, struct http_resp *resp, struct err *err);
int api_microproject_participants(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_microprojects(struct http_req *req, struct http_resp *resp, struct err *err);
/* 干部队伍 (cadres.c, cadres_pay.c). */
int api_cadre_rules(struct http_req *req, struct http_resp *resp, struct err *err);
int api_cadre_reserves(struct http_req *req, struct http_resp *resp, struct err *err);
int api_cadre_reserve_add(struct http_req *req, struct http_resp *resp, struct err *err);
int api_cadre_exam(struct http_req *req, struct http_resp *resp, struct err *err);
int api_cadre_exam_scores(struct http_req *req, struct http_resp *resp, struct err *err);
int api_cadre_exam_makeup(struct http_req *req, struct http_resp *resp, struct err *err);
int api_person_cadre(struct http_req *req, struct http_resp *resp, struct err *err);
int api_cadre_workers(struct http_req *req, struct http_resp *resp, struct err *err);
int api_cadre_worker_add(struct http_req *req, struct http_resp *resp, struct err *err);

/* 双随机、一公开 (api/inspections.c). */
int api_insp_items(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_item_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_item_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_targets(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_target_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_target_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_inspectors(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_inspector_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_inspector_update(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_link(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_plans(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_plan_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_plan(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_draw(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_result(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_items_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_targets_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_inspectors_import(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_items_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_targets_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_insp_inspectors_template(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_inspections(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_inspection_plan(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_inspection_verify(struct http_req *req, struct http_resp *resp, struct err *err);

/* 擂台比武 (contests.c). */
int api_contest_rules(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contests_list(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contests_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contest_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contest_round(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contest_site_scores(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contest_idea_create(struct http_req *req, struct http_resp *resp, struct err *err);
int api_contest_vote(struct http_req *req, struct http_resp *resp, struct err *err);
/* A contest's results as a workbook (contests_export.c). */
int api_contest_export(struct http_req *req, struct http_resp *resp, int64_t id, struct err *err);
int api_contest_judge_code(struct http_req *req, struct http_resp *resp, struct err *err);
int api_judging_get(struct http_req *req, struct http_resp *resp, struct err *err);
int api_judging_score(struct http_req *req, struct http_resp *resp, struct err *err);
int api_public_contest_screen(struct http_req *req, struct http_resp *resp, struct err *err);

#endif
