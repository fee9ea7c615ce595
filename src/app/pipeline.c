/*
 * pipeline.c — cases about a person (pipeline.h, the subject "person" of
 * the case engine, cases.h): 发展党员 (kinds/development.json) and
 * 组织关系转接 (kinds/transfer.json).
 *
 * Nothing here knows a step of either kind: the order of the steps is the
 * kind's state machine, each date and count rule is a named guard whose
 * numbers and the steps it counts from are the transition's "params", and
 * the party membership stage a case holds in a state is the state's
 * "stage". What C knows is how to read those, and the registry: the
 * membership kind a case moves is the one-organisation-at-a-time kind of
 * data/people.json, and a move ends the current membership and opens the
 * next on the same day in the case's transaction (people_membership_insert
 * keeps one organisation at a time).
 */
#include "app/pipeline.h"
#include "app/analytics.h"
#include "app/cases.h"
#include "app/kinds.h"
#include "app/people_int.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/person.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP_CREATE "create" /* the key of the creation's date in a case's steps */

/* The membership kind cases move: held in one organisation at a time. */
static const struct people_kind *org_kind(const struct app *app)
{
    const struct people_defs *d = app->people;
    for (size_t i = 0; d && i < d->nkinds; i++)
        if (d->kinds[i].target == PEOPLE_TO_ORG && d->kinds[i].exclusive) return &d->kinds[i];
    return NULL;
}

static bool holds_on(const struct membership_row *m, const char *on)
{
    return strcmp(m->from_date, on) <= 0 &&
           (!m->to_date || !m->to_date[0] || strcmp(m->to_date, on) > 0);
}

/* The person's membership of kind k holding on day `on` (at most one). */
struct holding {
    const char *on;
    struct membership_row m;
    bool found;
};

static int take_holding(void *ctx, const struct membership_row *m)
{
    struct holding *h = ctx;
    if (!holds_on(m, h->on)) return 0;
    h->m = *m;
    h->found = true;
    return 1;
}

static int holding_of(struct db *db, struct arena *a, const struct people_kind *k,
                      int64_t person_id, const char *on, struct holding *out, struct err *err)
{
    *out = (struct holding){.on = on};
    int rc = store_memberships_of_person(db, a, person_id, k->code, take_holding, out, err);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- the subject's row ---- */

int pipeline_subject_load(struct db *db, struct arena *a, struct case_full *f, struct err *err)
{
    return store_case_person_get(db, a, f->c.id, &f->person, err);
}

static int stage_name_of(const struct people_kind *k, const char *code, const char **name)
{
    const struct people_stage *s = people_stage(k, code);
    *name = s ? s->name : code;
    return s ? ERR_OK : ERR_INVALID;
}

/* Ends the person's current membership on p->move_on and opens the next:
 * the stage move_stage in the same organisation, or the same stage in
 * to_org (move_org). No current membership and a stage: opens it. */
static int move(struct app *app, struct db *db, struct arena *a, const struct case_person *p,
                struct err *err)
{
    const struct people_kind *k = org_kind(app);
    if (!k) return err_set(err, ERR_INTERNAL, "data/people.json has no one-at-a-time org kind");
    struct holding h;
    int rc = holding_of(db, a, k, p->person_id, p->move_on, &h, err);
    if (rc) return rc;
    const char *stage_name = NULL;
    if (p->move_stage && stage_name_of(k, p->move_stage, &stage_name))
        return err_set(err, ERR_INTERNAL, "stage %s is not one of %s", p->move_stage, k->code);
    if (h.found && h.m.org_id != p->org_id)
        return err_set_field(err, ERR_CONFLICT, "org", "%s：此人 %s 在另一个党组织（编号 %lld）",
                             k->exclusive, p->move_on, (long long)h.m.org_id);
    if (!h.found && (p->move_org || !p->move_stage))
        return err_set_field(err, ERR_CONFLICT, "on", "此人 %s 不是%s的%s，无法转出", p->move_on,
                             p->org_name ? p->org_name : "该党组织", k->name);
    if (h.found && p->move_stage && strcmp(h.m.stage, p->move_stage) == 0) return ERR_OK;
    if (h.found && strcmp(p->move_on, h.m.from_date) <= 0)
        return err_set_field(err, ERR_INVALID, "on", "日期须晚于此人现阶段的起始日期 %s",
                             h.m.from_date);
    struct membership_row m = {.person_id = p->person_id,
                               .kind = k->code,
                               .stage = p->move_stage ? p->move_stage : h.m.stage,
                               .org_id = p->org_id,
                               .from_date = p->move_on,
                               .attributes = h.found ? h.m.attributes : "{}",
                               .created_by = p->move_by,
                               .created_at = p->move_at};
    struct org_row o;
    if ((rc = store_org_get(db, a, p->move_org ? p->to_org_id : p->org_id, &o, err))) return rc;
    if (o.dissolved_on[0] && strcmp(o.dissolved_on, p->move_on) <= 0)
        return err_set_field(err, ERR_INVALID, "on", "%s已于 %s 撤销", o.name, o.dissolved_on);
    m.org_id = o.id;
    m.unit = o.unit;
    if (h.found && (rc = store_membership_end(db, h.m.id, p->move_on,
                                              p->move_org ? "组织关系转出" : "转阶段", err)))
        return rc;
    return people_membership_insert(db, k, &m, h.found ? h.m.id : 0, a, err);
}

int pipeline_subject_write(struct app *app, struct db *db, struct arena *a, struct case_full *f,
                           bool insert, struct err *err)
{
    struct case_person *p = &f->person;
    p->case_id = f->c.id;
    int rc = store_case_person_put(db, p, insert, err);
    if (!rc && (p->move_stage || p->move_org)) rc = move(app, db, a, p, err);
    return rc;
}

/* ---- a step's date ---- */

/* The date step `code` was taken on ("" when it was not). */
static const char *step_on(const struct case_person *p, struct arena *a, const char *code)
{
    json_t *root = json_loads(p->steps && p->steps[0] ? p->steps : "{}", 0, NULL);
    const char *on = json_string_value(json_object_get(json_object_get(root, code), "on"));
    const char *out = arena_strdup(a, on ? on : "");
    json_decref(root);
    return out;
}

/* The number `input` given with step `code` (0 when none). */
static long step_number(const struct case_person *p, const char *code, const char *input)
{
    json_t *root = json_loads(p->steps && p->steps[0] ? p->steps : "{}", 0, NULL);
    long n = (long)json_integer_value(json_object_get(json_object_get(root, code), input));
    json_decref(root);
    return n;
}

/* What people call step `code` of kind k. */
static const char *step_label(const struct wf_kind *k, const char *code)
{
    if (strcmp(code, STEP_CREATE) == 0) return k->states[k->initial].label;
    const struct wf_transition *tr = wf_transition_find(k, code);
    return tr ? tr->label : code;
}

int pipeline_step_date(struct case_ctx *x, const char *today, struct err *err)
{
    const char *since = x->f->person.since;
    if (!person_date_ok(x->on))
        return err_set_field(err, ERR_INVALID, "on", "“%s”的日期须为真实日期，格式如 2026-07-01",
                             x->tr->label);
    if (strcmp(x->on, today) > 0)
        return err_set_field(err, ERR_INVALID, "on", "“%s”的日期不能晚于今天", x->tr->label);
    if (since && strcmp(x->on, since) < 0)
        return err_set_field(err, ERR_INVALID, "on",
                             "“%s”的日期不能早于上一步的日期 %s（各步骤须按顺序进行）",
                             x->tr->label, since);
    return ERR_OK;
}

int pipeline_step_record(struct case_ctx *x, struct err *err)
{
    struct case_person *p = &x->f->person;
    const struct wf_kind *k = x->f->kind;
    json_t *root = json_loads(p->steps && p->steps[0] ? p->steps : "{}", 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return err_set(err, ERR_INTERNAL, "case %lld: steps are not an object",
                       (long long)x->f->c.id);
    }
    json_t *step = json_pack("{ss}", "on", x->on);
    for (int i = 0; i < k->ninputs; i++)
        if (x->tr->inputs & (1u << i))
            json_object_set_new(step, k->inputs[i].code, json_integer(x->in->values[i]));
    if (p->introducers) json_object_set_new(step, "introducers", json_string(p->introducers));
    char *changes = json_dumps(step, JSON_COMPACT | JSON_SORT_KEYS);
    json_object_set_new(root, x->tr->code, step);
    char *all = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
    p->steps = arena_strdup(x->a, all);
    x->ev->changes = arena_strdup(x->a, changes);
    free(all);
    free(changes);
    json_decref(root);
    p->since = x->on;
    return ERR_OK;
}

/* ---- guards ---- */

static const char *param_text(const struct wf_transition *tr, const char *code)
{
    const struct wf_param *w = wf_param(tr, code);
    return w ? w->text : "";
}

static long param_value(const struct wf_transition *tr, const char *code)
{
    const struct wf_param *w = wf_param(tr, code);
    return w ? w->value : 0;
}

/* The date of the step the rule counts from, or an error when it is missing. */
static int base_date(struct case_ctx *x, const char **base, struct err *err)
{
    const char *since = param_text(x->tr, "since");
    *base = step_on(&x->f->person, x->a, since);
    if ((*base)[0]) return ERR_OK;
    return err_set_field(err, ERR_INVALID, "on", "“%s”之前须先有“%s”的记录", x->tr->label,
                         step_label(x->f->kind, since));
}

/* "date_within": not later than `months` after step `since`. */
int pipeline_guard_within(struct case_ctx *x, struct err *err)
{
    const char *base;
    int rc = base_date(x, &base, err);
    if (rc) return rc;
    long months = param_value(x->tr, "months");
    char limit[11];
    person_add_months(base, months, limit);
    if (strcmp(x->on, limit) <= 0) return ERR_OK;
    return err_set_field(err, ERR_INVALID, "on", "“%s”须在“%s”（%s）后 %ld 个月内，即不晚于 %s",
                         x->tr->label, step_label(x->f->kind, param_text(x->tr, "since")), base,
                         months, limit);
}

/* The earliest day under "date_after": `months` after step `since`, plus
 * the months given with step `plus` when it was taken (延长预备期). */
static void after_bound(const struct wf_transition *tr, const struct case_person *p,
                        struct arena *a, const char *base, char out[11], long *extra)
{
    const char *plus = param_text(tr, "plus");
    *extra = plus[0] && step_on(p, a, plus)[0] ? step_number(p, plus, "months") : 0;
    person_add_months(base, param_value(tr, "months") + *extra, out);
}

/* "date_after": not earlier than `months` (and the extension) after step `since`. */
int pipeline_guard_after(struct case_ctx *x, struct err *err)
{
    const char *base;
    int rc = base_date(x, &base, err);
    if (rc) return rc;
    char earliest[11];
    long extra;
    after_bound(x->tr, &x->f->person, x->a, base, earliest, &extra);
    if (strcmp(x->on, earliest) >= 0) return ERR_OK;
    return err_set_field(
        err, ERR_INVALID, "on", "“%s”须在“%s”（%s）满 %ld 个月后%s，即不早于 %s", x->tr->label,
        step_label(x->f->kind, param_text(x->tr, "since")), base, param_value(x->tr, "months"),
        extra ? arena_printf(x->a, "（另加延长的 %ld 个月）", extra) : "", earliest);
}

/* "at_least_one": one of the inputs named by the params reaches its
 * number (集中培训: 3 days or 24 hours). */
int pipeline_guard_at_least(struct case_ctx *x, struct err *err)
{
    const struct wf_kind *k = x->f->kind;
    char what[400] = "";
    size_t n = 0;
    for (int i = 0; i < x->tr->nparams; i++) {
        const struct wf_param *w = &x->tr->params[i];
        int in = wf_input_index(k, w->code);
        if (in < 0 || w->text[0]) continue;
        if (x->in->values[in] >= w->value) return ERR_OK;
        n += (size_t)snprintf(what + n, n < sizeof what ? sizeof what - n : 0, "%s%s不少于 %ld",
                              n ? "或" : "", k->inputs[in].label, w->value);
    }
    return err_set_field(err, ERR_INVALID, x->tr->nparams ? x->tr->params[0].code : "on",
                         "“%s”须%s", x->tr->label, what);
}

static long input_of(const struct case_ctx *x, const char *code)
{
    int i = wf_input_index(x->f->kind, code);
    return i >= 0 ? x->in->values[i] : 0;
}

/* "majority_vote": of those entitled to vote (entitled), more than half
 * present and more than half agreeing. */
int pipeline_guard_majority(struct case_ctx *x, struct err *err)
{
    long entitled = input_of(x, "entitled"), present = input_of(x, "present"),
         agreeing = input_of(x, "agreeing");
    if (entitled < 1)
        return err_set_field(err, ERR_INVALID, "entitled", "请填写应到会有表决权的党员人数");
    if (present > entitled)
        return err_set_field(err, ERR_INVALID, "present", "实到人数（%ld）不能多于应到人数（%ld）",
                             present, entitled);
    if (agreeing > present)
        return err_set_field(err, ERR_INVALID, "agreeing", "赞成人数（%ld）不能多于实到人数（%ld）",
                             agreeing, present);
    if (present * 2 <= entitled)
        return err_set_field(err, ERR_INVALID, "present",
                             "支部大会须有半数以上有表决权的党员到会（应到 %ld 人，实到 %ld "
                             "人），不足半数不能表决",
                             entitled, present);
    if (agreeing * 2 <= entitled)
        return err_set_field(err, ERR_INVALID, "agreeing",
                             "赞成人数须超过应到会有表决权党员的半数（应到 %ld 人，赞成 %ld 人）",
                             entitled, agreeing);
    return ERR_OK;
}

/* "formal_introducers": two different people (introducer1, introducer2,
 * by id), neither the person, each a formal member on the step's day. */
int pipeline_guard_introducers(struct case_ctx *x, struct err *err)
{
    const struct people_kind *k = org_kind(x->app);
    long ids[2] = {input_of(x, "introducer1"), input_of(x, "introducer2")};
    static const char *const fields[2] = {"introducer1", "introducer2"};
    if (!ids[0] || !ids[1])
        return err_set_field(err, ERR_INVALID, ids[0] ? fields[1] : fields[0],
                             "须有两名入党介绍人（正式党员）");
    if (ids[0] == ids[1])
        return err_set_field(err, ERR_INVALID, fields[1], "两名入党介绍人须是不同的人");
    if (!k) return err_set(err, ERR_INTERNAL, "data/people.json has no one-at-a-time org kind");
    struct db *db = store_acquire(x->app->store);
    int rc = ERR_OK;
    for (int i = 0; i < 2 && !rc; i++) {
        struct person_row p;
        struct holding h = {0};
        if (ids[i] == x->f->person.person_id) {
            rc = err_set_field(err, ERR_INVALID, fields[i], "本人不能做自己的入党介绍人");
            break;
        }
        rc = store_person_get(db, x->a, ids[i], &p, err);
        if (rc == ERR_NOT_FOUND)
            rc = err_set_field(err, ERR_INVALID, fields[i], "没有编号为 %ld 的人员", ids[i]);
        if (!rc) rc = holding_of(db, x->a, k, ids[i], x->on, &h, err);
        char stage[48];
        snprintf(stage, sizeof stage, ",%s,", !rc && h.found ? h.m.stage : "");
        if (!rc && !strstr(k->formal_stages, stage))
            rc = err_set_field(err, ERR_INVALID, fields[i],
                               "入党介绍人须为正式党员：%s 在 %s 不是正式党员", p.name, x->on);
        if (!rc) /* recorded with the step by name: people read names, not ids */
            x->f->person.introducers =
                i ? arena_printf(x->a, "%s、%s", x->f->person.introducers, p.name)
                  : arena_strdup(x->a, p.name);
    }
    store_release(x->app->store, db);
    return rc;
}

/* ---- effects ---- */

/* "set_stage": the person's membership takes the stage of the state the
 * step enters, from the step's day. */
int pipeline_effect_set_stage(struct case_ctx *x, struct err *err)
{
    const struct wf_state *to = &x->f->kind->states[x->tr->to];
    (void)err;
    if (!to->stage[0]) return ERR_OK;
    struct case_person *p = &x->f->person;
    p->move_stage = to->stage;
    p->move_on = x->on;
    p->move_by = x->actor->name;
    p->move_at = x->ev->at;
    return ERR_OK;
}

/* "move_org": the person's membership moves to the receiving organisation
 * on the step's day. */
int pipeline_effect_move_org(struct case_ctx *x, struct err *err)
{
    struct case_person *p = &x->f->person;
    if (!p->to_org_id) return err_set(err, ERR_INTERNAL, "transfer without a receiving org");
    p->move_org = true;
    p->move_on = x->on;
    p->move_by = x->actor->name;
    p->move_at = x->ev->at;
    return ERR_OK;
}

/* ---- creating ---- */

static bool kind_moves(const struct app *app, const struct wf_kind *k)
{
    struct wf_vocab v;
    cases_vocab(app, &v);
    for (int i = 0; i < k->ntransitions; i++)
        for (int e = 0; e < k->transitions[i].neffects; e++)
            if (strcmp(v.effects[k->transitions[i].effects[e]].name, "move_org") == 0) return true;
    return false;
}

struct open_case {
    int64_t id;
};

static int first_open(void *ctx, const struct case_row *c, const struct case_person *p)
{
    (void)p;
    ((struct open_case *)ctx)->id = c->id;
    return 1;
}

/* Reads and checks what a new case is about; fills f. */
static int prepare(struct app *app, const struct auth_user *actor, const struct pipeline_in *in,
                   struct arena *a, struct case_full *f, struct err *err)
{
    const struct wf_kind *k = in->kind ? kinds_find(app, in->kind) : NULL;
    const struct people_kind *pk = org_kind(app);
    if (!k || k->subject != CASE_PERSON)
        return err_set_field(err, ERR_INVALID, "kind", "没有这种党员事项：%s",
                             in->kind ? in->kind : "（未填）");
    if (!pk) return err_set(err, ERR_INTERNAL, "data/people.json has no one-at-a-time org kind");
    if (!auth_has_perm(actor, k->create_perm))
        return err_set(err, ERR_FORBIDDEN, "没有新建%s的权限（需要 %s）", k->name, k->create_perm);
    char today[11];
    clock_today(today, 0);
    const char *on = in->on && in->on[0] ? in->on : arena_strdup(a, today);
    if (!person_date_ok(on) || strcmp(on, today) > 0)
        return err_set_field(err, ERR_INVALID, "on",
                             "日期须为不晚于今天的真实日期，格式如 2026-07-01");
    bool moves = kind_moves(app, k);
    if (moves && !in->to_org_id)
        return err_set_field(err, ERR_INVALID, "to_org", "请选择接收的党组织");
    if (!moves && in->to_org_id)
        return err_set_field(err, ERR_INVALID, "to_org", "%s没有接收党组织", k->name);
    if (moves && in->to_org_id == in->org_id)
        return err_set_field(err, ERR_INVALID, "to_org", "接收的党组织须不同于转出的党组织");
    int rc = in->note ? app_check_text(in->note, "note", CASE_NOTE_MAX, false, err) : ERR_OK;
    if (rc) return rc;
    struct db *db = store_acquire(app->store);
    struct person_row person;
    struct org_row org, to = {0};
    struct holding h = {0};
    struct open_case open = {0};
    rc = store_person_get(db, a, in->person_id, &person, err);
    if (rc == ERR_NOT_FOUND) rc = err_set_field(err, ERR_INVALID, "person", "没有这个人员");
    if (!rc && (rc = store_org_get(db, a, in->org_id, &org, err)) == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_INVALID, "org", "没有这个党组织");
    if (!rc && moves && (rc = store_org_get(db, a, in->to_org_id, &to, err)) == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_INVALID, "to_org", "没有接收的党组织");
    if (!rc) rc = holding_of(db, a, pk, in->person_id, on, &h, err);
    if (!rc)
        rc = store_person_cases(db, "", arena_printf(a, ",%s,", k->code), in->person_id, true, 1,
                                first_open, &open, err);
    store_release(app->store, db);
    if (rc) return rc;
    if (!auth_in_scope(actor->scope, org.unit))
        return err_set_field(err, ERR_FORBIDDEN, "org", "%s不在您的管辖范围内", org.name);
    if (org.dissolved_on[0] && strcmp(org.dissolved_on, on) <= 0)
        return err_set_field(err, ERR_INVALID, "org", "%s已于 %s 撤销", org.name, org.dissolved_on);
    if (moves && to.dissolved_on[0] && strcmp(to.dissolved_on, on) <= 0)
        return err_set_field(err, ERR_INVALID, "to_org", "%s已于 %s 撤销", to.name,
                             to.dissolved_on);
    char t[40];
    snprintf(t, sizeof t, ",%s,", moves ? to.type : org.type);
    if (!strstr(pk->org_types, t))
        return err_set_field(err, ERR_INVALID, moves ? "to_org" : "org", "%s不能挂在这类党组织上",
                             pk->name);
    if (open.id)
        return err_set_field(err, ERR_CONFLICT, "person", "%s已有一件未办结的%s（编号 %lld）",
                             person.name, k->name, (long long)open.id);
    const char *initial_stage = k->states[k->initial].stage;
    if (h.found && h.m.org_id != in->org_id)
        return err_set_field(err, ERR_CONFLICT, "org", "%s：%s 在 %s 是另一个党组织的%s",
                             pk->exclusive, person.name, on, pk->name);
    if (moves && !h.found)
        return err_set_field(err, ERR_INVALID, "person", "%s 在 %s 不是%s的成员，无法转出",
                             person.name, on, org.name);
    if (!moves && h.found && initial_stage[0] && strcmp(h.m.stage, initial_stage) != 0) {
        const char *name;
        stage_name_of(pk, h.m.stage, &name);
        return err_set_field(err, ERR_CONFLICT, "person", "%s已是%s，不能再从头发展", person.name,
                             name);
    }
    char at[32], deadline[11] = "";
    auth_now_iso(at);
    if (k->has_deadline_default) /* counted from the day it was issued */
        clock_today(deadline, (int)(person_days_between(today, on) + k->deadline_days));
    const struct wf_state *initial = &k->states[k->initial];
    f->kind = k;
    f->c = (struct case_row){.kind = k->code,
                             .title = person.name,
                             .description = in->note ? in->note : "",
                             .unit = moves ? to.unit : org.unit,
                             .owner_unit = org.unit,
                             .helper_unit = "",
                             .assignee = "",
                             .measures = "",
                             .category = "",
                             .deadline = deadline[0] ? arena_strdup(a, deadline) : "",
                             .location = "",
                             .priority = 2,
                             .state = initial->code,
                             .created_by = actor->name,
                             .created_at = arena_strdup(a, at),
                             .updated_at = arena_strdup(a, at),
                             .closed_at = "",
                             .tracking_code = "",
                             .escalated_to = ""};
    f->person =
        (struct case_person){.person_id = in->person_id,
                             .org_id = in->org_id,
                             .to_org_id = moves ? in->to_org_id : 0,
                             .steps = arena_printf(a, "{\"" STEP_CREATE "\":{\"on\":\"%s\"}}", on),
                             .since = on,
                             .person_name = person.name,
                             .org_name = org.name,
                             .to_org_name = moves ? to.name : "",
                             /* a first application opens the initial stage */
                             .move_stage = !h.found && initial_stage[0] ? initial_stage : NULL,
                             .move_on = on,
                             .move_by = actor->name,
                             .move_at = f->c.created_at};
    return ERR_OK;
}

int pipeline_create(struct app *app, const struct auth_user *actor, const struct pipeline_in *in,
                    const char *client, int64_t *id, struct err *err)
{
    struct arena *a = arena_new();
    struct case_full f;
    memset(&f, 0, sizeof f);
    int rc = prepare(app, actor, in, a, &f, err);
    if (!rc) {
        /* names, as people read the timeline */
        json_t *ch = json_pack("{ss ss}", "on", f.person.since, "org", f.person.org_name);
        if (f.person.to_org_id)
            json_object_set_new(ch, "to_org", json_string(f.person.to_org_name));
        char *changes = json_dumps(ch, JSON_COMPACT | JSON_SORT_KEYS);
        struct case_change c = {.f = &f,
                                .insert = true,
                                .ev = {.at = f.c.created_at,
                                       .actor = actor->name,
                                       .kind = "create",
                                       .to_state = f.c.state,
                                       .note = in->note,
                                       .changes = arena_strdup(a, changes)}};
        free(changes);
        json_decref(ch);
        rc = cases_save(app, &c, client, a, err);
        *id = f.c.id;
    }
    arena_free(a);
    return rc;
}

/* ---- reading ---- */

int pipeline_list(struct app *app, const char *scope, const char *kinds, int64_t person_id,
                  bool open_only, int limit,
                  int (*fn)(void *ctx, const struct case_row *c, const struct case_person *p),
                  void *ctx, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_person_cases(db, scope, kinds, person_id, open_only, limit, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}

const char *pipeline_kinds(const struct app *app, const char *code)
{
    return kinds_list(app, CASE_PERSON, code);
}

int pipeline_units_of(struct app *app, struct arena *a, const char *id_text, const char **owner,
                      const char **other, struct err *err)
{
    int64_t id;
    int rc = cases_parse_id(id_text, &id, err);
    struct case_full f;
    if (!rc) rc = cases_load(app, a, id, &f, err);
    if (rc) return rc;
    if (f.kind->subject != CASE_PERSON)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %s 的党员事项", id_text);
    *owner = f.c.owner_unit;
    *other = f.c.unit;
    return ERR_OK;
}

void pipeline_next(const struct app *app, const struct wf_kind *k, const struct case_row *c,
                   const struct case_person *p, struct arena *a, struct pipeline_next *out)
{
    memset(out, 0, sizeof *out);
    int state = wf_state_index(k, c->state);
    if (state < 0 || c->final) return;
    const struct wf_transition *tr = NULL;
    for (int i = 0; i < k->ntransitions && !tr; i++)
        for (int j = 0; j < k->transitions[i].nfrom; j++)
            if (k->transitions[i].from[j] == state) tr = &k->transitions[i];
    if (!tr) return;
    out->tr = tr;
    out->earliest = p->since;
    out->latest = "";
    struct wf_vocab v;
    cases_vocab(app, &v);
    for (int g = 0; g < tr->nguards; g++) {
        const char *name = v.guards[tr->guards[g]].name;
        const char *base = step_on(p, a, param_text(tr, "since"));
        char day[11];
        long extra;
        if (!base[0]) continue;
        if (strcmp(name, "date_after") == 0) {
            after_bound(tr, p, a, base, day, &extra);
            if (strcmp(day, out->earliest) > 0) out->earliest = arena_strdup(a, day);
        } else if (strcmp(name, "date_within") == 0) {
            person_add_months(base, param_value(tr, "months"), day);
            out->latest = arena_strdup(a, day);
        }
    }
}

const char *pipeline_step_on(const struct case_person *p, struct arena *a, const char *code)
{
    return step_on(p, a, code);
}

const char *pipeline_stage_name(const struct app *app, const char *code)
{
    const struct people_kind *k = org_kind(app);
    const struct people_stage *s = k && code && code[0] ? people_stage(k, code) : NULL;
    return s ? s->name : NULL;
}

int pipeline_stages(const struct app *app, const struct people_stage **out, size_t *n)
{
    const struct people_kind *k = org_kind(app);
    *out = k ? k->stages : NULL;
    *n = k ? k->nstages : 0;
    return k ? ERR_OK : ERR_NOT_FOUND;
}
