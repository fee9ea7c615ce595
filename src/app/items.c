/* items.c — work items on the workflow engine (items.h). */
#include "app/items.h"
#include "base/embed.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "io/json_out.h"
#include "io/table.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct embed_file workflow_defs[];

int items_init(struct app *app, struct err *err)
{
    for (const struct embed_file *f = workflow_defs; f->name; f++) {
        if (app->nwf == ITEMS_MAX_TYPES)
            return err_set(err, ERR_INTERNAL, "too many workflow types");
        int rc = wf_type_parse((const char *)f->data, f->len, f->name, &app->wf[app->nwf], err);
        if (rc) return err_wrap(err, "workflows/%s", f->name);
        app->nwf++;
    }
    return ERR_OK;
}

void items_free(struct app *app)
{
    for (int i = 0; i < app->nwf; i++)
        wf_type_free(app->wf[i]);
    app->nwf = 0;
}

const struct wf_type *items_type(const struct app *app, const char *code)
{
    for (int i = 0; code && i < app->nwf; i++)
        if (strcmp(app->wf[i]->code, code) == 0) return app->wf[i];
    return NULL;
}

int items_parse_id(const char *text, int64_t *id, struct err *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || errno || v <= 0)
        return err_set_field(err, ERR_INVALID, "id", "事项编号须为正整数");
    *id = v;
    return ERR_OK;
}

int items_unit_of(struct app *app, struct arena *a, const char *id_text, const char **unit,
                  struct err *err)
{
    int64_t id;
    int rc = items_parse_id(id_text, &id, err);
    if (rc) return rc;
    struct store_item it;
    struct db *db = store_acquire(app->store);
    rc = store_item_get(db, a, id, &it, err);
    store_release(app->store, db);
    if (!rc) *unit = it.owner_unit;
    return rc;
}

static const char *actor_name(const struct auth_user *actor)
{
    return actor ? actor->name : "cli";
}

/* 10 characters a resident can read out on the phone: no 0/O, 1/I/L. */
static void tracking_code(char out[11])
{
    static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 10; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[10] = '\0';
}

static const char *const *actor_perms(const struct auth_user *actor)
{
    static const char *const all[] = {"items:read",   "items:create",   "items:handle",
                                      "items:review", "items:dispatch", NULL};
    return actor ? actor->perms : all;
}

/* A unit that exists and lies inside the actor's scope. */
static int check_unit(struct app *app, const struct auth_user *actor, const char *code,
                      const char *field, struct err *err)
{
    struct tree *t = app_tree(app);
    bool found = code && tree_find(t, code, strlen(code)) != TREE_NONE;
    tree_unref(t);
    if (!found)
        return err_set_field(err, ERR_INVALID, field, "没有代码为 %s 的单位", code ? code : "");
    if (actor && !auth_in_scope(actor->scope, code))
        return err_set_field(err, ERR_FORBIDDEN, field, "单位 %s 不在您的管辖范围内", code);
    return ERR_OK;
}

static bool valid_date(const char *s)
{
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;
    return end && !*end && strlen(s) == 10;
}

void items_today(char out[11], int plus_days)
{
    time_t now = time(NULL) + (time_t)plus_days * 86400;
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Attaches the files of a step to event `event` of item `id`; each must
 * have been uploaded. Runs inside the caller's write transaction. */
static int attach(struct db *db, struct arena *a, int64_t id, int64_t event,
                  const struct item_step *step, struct err *err)
{
    for (size_t i = 0; step && i < step->nfiles; i++) {
        struct store_file f;
        int rc = store_file_info(db, a, step->files[i].sha256, &f, err);
        if (rc == ERR_NOT_FOUND)
            return err_set_field(err, ERR_INVALID, arena_printf(a, "files[%zu].sha256", i),
                                 "files[%zu]：没有这个文件，请先上传", i);
        if (!rc) rc = store_item_file_add(db, id, event, f.sha256, step->files[i].name, err);
        if (rc) return rc;
    }
    return ERR_OK;
}

/* What save writes of the item besides its event. */
enum save_what { SAVE_NEW, SAVE_STATE, SAVE_PEOPLE };

/* Writes item changes, their event (with the step's files) and audit
 * record in one transaction. */
static int save(struct app *app, struct store_item *it, enum save_what what,
                const struct store_item_event *ev, const struct item_step *step, const char *client,
                struct arena *a, struct err *err)
{
    struct audit_entry ae = {
        .user = ev->actor,
        .action = arena_printf(a, "item.%s",
                               ev->transition && ev->transition[0] ? ev->transition : ev->kind),
        .unit = it->owner_unit,
        .after = ev->changes,
        .client = client};
    int64_t event = 0;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc)
        rc = what == SAVE_NEW      ? store_item_insert(db, it, err)
             : what == SAVE_PEOPLE ? store_item_set_people(db, it, err)
                                   : store_item_set_state(db, it, err);
    ae.entity = arena_printf(a, "item:%lld", (long long)it->id);
    if (!rc) rc = store_item_event_add(db, it->id, ev, &event, err);
    if (!rc) rc = attach(db, a, it->id, event, step, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

/* Checks an item to create and fills *it (strings in a). */
static int prepare(struct app *app, const struct auth_user *actor, const struct item_input *in,
                   struct arena *a, struct store_item *out, struct err *err)
{
    const struct wf_type *t = items_type(app, in->type);
    if (!t)
        return err_set_field(err, ERR_INVALID, "type", "没有事项类型 %s", in->type ? in->type : "");
    const char *const *perms = actor_perms(actor);
    bool may = strcmp(t->create_perm, "public") == 0 || (!actor && in->creator);
    for (int k = 0; !may && perms[k]; k++)
        may = strcmp(perms[k], t->create_perm) == 0;
    if (!may) return err_set(err, ERR_FORBIDDEN, "当前角色不能新建%s", t->name);
    int rc;
    if ((rc = app_check_text(in->title, "title", ITEM_TITLE_MAX, true, err)) ||
        (rc = app_check_text(in->description, "description", ITEM_TEXT_MAX, false, err)) ||
        (rc = app_check_text(in->measures, "measures", ITEM_TEXT_MAX, false, err)) ||
        (rc = app_check_text(in->assignee, "assignee", 64, false, err)) ||
        (rc = app_check_text(in->location, "location", 200, false, err)) ||
        (rc = check_unit(app, actor, in->unit, "unit", err)))
        return rc;
    const char *owner = in->owner_unit ? in->owner_unit : in->unit;
    if ((rc = check_unit(app, actor, owner, "owner_unit", err))) return rc;
    if (in->helper_unit && (rc = check_unit(app, NULL, in->helper_unit, "helper_unit", err)))
        return rc;
    if (in->category && in->category[0] && t->ncategories) {
        bool known = false;
        for (int k = 0; k < t->ncategories; k++)
            known = known || strcmp(t->categories[k], in->category) == 0;
        if (!known)
            return err_set_field(err, ERR_INVALID, "category", "%s没有类别“%s”", t->name,
                                 in->category);
    }
    if (in->priority && (in->priority < 1 || in->priority > 3))
        return err_set_field(err, ERR_INVALID, "priority",
                             "priority 须为 1（紧急）、2（一般）或 3（较低）");
    char deadline[11] = "";
    if (in->deadline) {
        if (!valid_date(in->deadline))
            return err_set_field(err, ERR_INVALID, "deadline", "期限须写作 2026-12-31");
        snprintf(deadline, sizeof deadline, "%s", in->deadline);
    } else if (t->has_deadline_default) {
        items_today(deadline, t->deadline_days);
    }
    char at[32], code[11];
    auth_now_iso(at);
    tracking_code(code);
    const char *sealed = NULL;
    if (in->contact && in->contact[0]) {
        char *token;
        if ((rc = app_check_text(in->contact, "contact", 200, false, err)) ||
            (rc = seal_encrypt(&app->seal, in->contact, strlen(in->contact), &token, err)))
            return rc;
        sealed = arena_strdup(a, token);
        free(token);
    }
#define OR_EMPTY(s) ((s) ? (s) : "")
    struct store_item it = {
        .type = t->code,
        .title = in->title,
        .description = OR_EMPTY(in->description),
        .unit = in->unit,
        .owner_unit = owner,
        .helper_unit = OR_EMPTY(in->helper_unit),
        .assignee = OR_EMPTY(in->assignee),
        .measures = OR_EMPTY(in->measures),
        .category = OR_EMPTY(in->category),
        .deadline = arena_strdup(a, deadline),
        .location = OR_EMPTY(in->location),
        .priority = in->priority ? in->priority : 2,
        .immediate = in->immediate == 1,
        .state = t->states[t->initial].code,
        .final = t->states[t->initial].final,
        .created_by = actor         ? actor->name
                      : in->creator ? in->creator
                                    : "cli",
        .tracking_code = arena_strdup(a, code),
        .contact_sealed = sealed,
        .created_at = arena_strdup(a, at),
        .updated_at = arena_strdup(a, at),
        .closed_at = "",
    };
#undef OR_EMPTY
    *out = it;
    return ERR_OK;
}

int items_create(struct app *app, const struct auth_user *actor, const struct item_input *in,
                 const char *client, struct arena *a, struct store_item *out, struct err *err)
{
    struct store_item it;
    int rc = prepare(app, actor, in, a, &it, err);
    if (rc) return rc;
    struct store_item_event ev = {
        .at = it.created_at, .actor = it.created_by, .kind = "create", .to_state = it.state};
    if ((rc = save(app, &it, SAVE_NEW, &ev, NULL, client, a, err))) return rc;
    *out = it;
    return ERR_OK;
}

/* Writes n prepared items as one batch (batch row, items, creation events,
 * one audit record) in a single transaction; *batch is the batch's id. */
static int write_many(struct app *app, const struct auth_user *actor, struct store_item *items,
                      size_t n, const char *title, const char *action, const char *client,
                      struct arena *a, int64_t *batch, struct err *err)
{
    const char *who = actor_name(actor);
    struct audit_entry ae = {.user = who,
                             .action = action,
                             .unit = actor && actor->scope[0] ? actor->scope : NULL,
                             .client = client};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc)
        rc = store_item_batch_insert(db, items[0].type, title, (int)n, who, items[0].created_at,
                                     batch, err);
    for (size_t i = 0; i < n && !rc; i++) {
        items[i].batch = *batch;
        struct store_item_event ev = {
            .at = items[i].created_at, .actor = who, .kind = "create", .to_state = items[i].state};
        if (!(rc = store_item_insert(db, &items[i], err)))
            rc = store_item_event_add(db, items[i].id, &ev, NULL, err);
    }
    ae.entity = arena_printf(a, "batch:%lld", (long long)*batch);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

int items_create_batch(struct app *app, const struct auth_user *actor, const struct item_input *in,
                       const char *const *units, size_t n, const char *client, struct arena *a,
                       int64_t *batch, struct store_item **out, struct err *err)
{
    if (n == 0 || n > ITEMS_BATCH_MAX)
        return err_set_field(err, ERR_INVALID, "units", "请选择 1 到 %d 个单位", ITEMS_BATCH_MAX);
    struct store_item *items = arena_zalloc(a, n * sizeof *items);
    int rc = ERR_OK;
    for (size_t i = 0; i < n && !rc; i++) { /* every unit checked before anything is written */
        struct item_input one = *in;
        one.unit = one.owner_unit = units[i];
        for (size_t k = 0; k < i && !rc; k++)
            if (strcmp(units[k], units[i]) == 0)
                rc = err_set_field(err, ERR_INVALID, "units", "单位 %s 重复", units[i]);
        if (!rc && (rc = prepare(app, actor, &one, a, &items[i], err)))
            err_wrap(err, "units 第 %zu 项", i + 1);
    }
    if (rc) return rc;
    int64_t id = 0;
    rc = write_many(app, actor, items, n, in->title, "item.batch", client, a, &id, err);
    if (rc) return rc;
    *batch = id;
    *out = items;
    return ERR_OK;
}

int items_create_list(struct app *app, const struct auth_user *actor, const struct item_input *in,
                      size_t n, const char *title, const char *client, struct arena *a,
                      int64_t *batch, struct store_item **out, struct err *err)
{
    if (n == 0) return err_set(err, ERR_INVALID, "没有要新建的事项");
    struct store_item *items = arena_zalloc(a, n * sizeof *items);
    for (size_t i = 0; i < n; i++) { /* every item checked before anything is written */
        int rc = prepare(app, actor, &in[i], a, &items[i], err);
        if (rc) {
            err_wrap(err, "第 %zu 项", i + 1);
            return rc;
        }
    }
    int rc = write_many(app, actor, items, n, title, "item.list", client, a, batch, err);
    if (!rc) *out = items;
    return rc;
}

int items_transition(struct app *app, const struct auth_user *actor, int64_t id, const char *code,
                     const struct item_step *step, const char *client, struct arena *a,
                     struct store_item *out, struct err *err)
{
    struct store_item it;
    struct db *db = store_acquire(app->store);
    int rc = store_item_get(db, a, id, &it, err);
    store_release(app->store, db);
    if (rc) return rc;
    const struct wf_type *t = items_type(app, it.type);
    if (!t)
        return err_set(err, ERR_INTERNAL, "item %lld has unknown type %s", (long long)id, it.type);
    const struct wf_transition *tr = code ? wf_transition_find(t, code) : NULL;
    if (!tr)
        return err_set_field(err, ERR_INVALID, "transition", "%s没有“%s”这一步", t->name,
                             code ? code : "");
    if ((rc = app_check_text(step->note, "note", ITEM_TEXT_MAX, false, err)) ||
        (rc = app_check_text(step->evidence, "evidence", ITEM_TEXT_MAX, false, err)) ||
        (rc = app_check_text(step->assignee, "assignee", 64, false, err)) ||
        (rc = files_check_refs(step->files, step->nfiles, err)))
        return rc;
    struct wf_input in = {.has_note = step->note && step->note[0],
                          .has_evidence = (step->evidence && step->evidence[0]) || step->nfiles,
                          .has_assignee = step->assignee && step->assignee[0],
                          .rating = step->rating};
    bool submitter = strcmp(it.created_by, actor_name(actor)) == 0;
    if ((rc =
             wf_check(t, wf_state_index(t, it.state), tr, actor_perms(actor), submitter, &in, err)))
        return rc;
    char at[32];
    auth_now_iso(at);
    const struct wf_state *to = &t->states[tr->to];
    struct store_item_event ev = {.at = arena_strdup(a, at),
                                  .actor = actor_name(actor),
                                  .kind = "transition",
                                  .transition = tr->code,
                                  .from_state = it.state,
                                  .to_state = to->code,
                                  .note = step->note,
                                  .evidence = step->evidence,
                                  .rating = step->rating};
    it.state = to->code;
    it.final = to->final;
    it.updated_at = ev.at;
    it.closed_at = to->final ? ev.at : "";
    if (step->rating) it.rating = step->rating;
    if (in.has_assignee) it.assignee = step->assignee;
    if ((rc = save(app, &it, SAVE_STATE, &ev, step, client, a, err))) return rc;
    *out = it;
    return ERR_OK;
}

int items_comment(struct app *app, const struct auth_user *actor, int64_t id,
                  const struct item_step *step, const char *client, struct err *err)
{
    int rc = app_check_text(step->note, "note", ITEM_TEXT_MAX, step->nfiles == 0, err);
    if (!rc) rc = files_check_refs(step->files, step->nfiles, err);
    if (rc) return rc;
    struct arena *a = arena_new();
    struct store_item it;
    struct db *db = store_acquire(app->store);
    rc = store_item_get(db, a, id, &it, err);
    store_release(app->store, db);
    if (!rc) {
        char at[32];
        auth_now_iso(at);
        it.updated_at = arena_strdup(a, at);
        struct store_item_event ev = {
            .at = it.updated_at, .actor = actor_name(actor), .kind = "comment", .note = step->note};
        rc = save(app, &it, SAVE_STATE, &ev, step, client, a, err);
    }
    arena_free(a);
    return rc;
}

static bool may(const struct auth_user *actor, const char *perm)
{
    const char *const *perms = actor_perms(actor);
    for (int k = 0; perms[k]; k++)
        if (strcmp(perms[k], perm) == 0) return true;
    return false;
}

/* Appends "field": ["old", "new"] to the changes object. */
static void change(struct jw *w, const char *field, const char *from, const char *to)
{
    jw_key(w, field);
    jw_arr(w);
    jw_str(w, from);
    jw_str(w, to);
    jw_arr_end(w);
}

int items_reassign(struct app *app, const struct auth_user *actor, int64_t id,
                   const struct item_reassign *r, const char *client, struct arena *a,
                   struct store_item *out, struct err *err)
{
    int rc;
    if ((rc = app_check_text(r->note, "note", ITEM_TEXT_MAX, true, err)) ||
        (rc = app_check_text(r->assignee, "assignee", 64, false, err)))
        return rc;
    struct store_item it;
    struct db *db = store_acquire(app->store);
    rc = store_item_get(db, a, id, &it, err);
    store_release(app->store, db);
    if (rc) return rc;
    if (it.final) return err_set(err, ERR_INVALID, "已办结的事项不能转办");
    struct buf changes = BUF_INIT;
    struct jw w;
    jw_init(&w, &changes);
    jw_obj(&w);
    if (r->owner_unit && strcmp(r->owner_unit, it.owner_unit) != 0) {
        if (!may(actor, "items:dispatch"))
            rc = err_set_field(err, ERR_FORBIDDEN, "owner_unit", "当前角色不能转办给其他责任单位");
        else if (!(rc = check_unit(app, actor, r->owner_unit, "owner_unit", err)))
            change(&w, "owner_unit", it.owner_unit, r->owner_unit);
        it.owner_unit = r->owner_unit;
    }
    if (!rc && r->helper_unit && strcmp(r->helper_unit, it.helper_unit) != 0) {
        if (!r->helper_unit[0] || !(rc = check_unit(app, NULL, r->helper_unit, "helper_unit", err)))
            change(&w, "helper_unit", it.helper_unit, r->helper_unit);
        it.helper_unit = r->helper_unit;
    }
    if (!rc && r->assignee && strcmp(r->assignee, it.assignee) != 0) {
        change(&w, "assignee", it.assignee, r->assignee);
        it.assignee = r->assignee;
    }
    jw_obj_end(&w);
    if (!rc && changes.len == 2)
        rc = err_set(err, ERR_INVALID, "没有要改变的内容：请给出新的责任单位、帮扶单位或责任人");
    if (!rc) {
        char at[32];
        auth_now_iso(at);
        it.updated_at = arena_strdup(a, at);
        struct store_item_event ev = {.at = it.updated_at,
                                      .actor = actor_name(actor),
                                      .kind = "reassign",
                                      .note = r->note,
                                      .changes = arena_strdup(a, changes.p)};
        rc = save(app, &it, SAVE_PEOPLE, &ev, NULL, client, a, err);
    }
    buf_free(&changes);
    if (!rc) *out = it;
    return rc;
}

int items_by_code(struct app *app, struct arena *a, const char *code, struct store_item *out,
                  struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_item_by_code(db, a, code, out, err);
    store_release(app->store, db);
    return rc;
}

int open311_key_create(struct app *app, const char *name, int64_t *id, char **key, struct err *err)
{
    if (!name || !name[0] || strlen(name) > 100)
        return err_set(err, ERR_INVALID, "请用 --name 给出客户端名称（不超过 100 字节）");
    char secret[4 + 64 + 1] = "o311", hash[65], at[32];
    auth_random_hex(secret + 4, 32);
    auth_hash_secret(secret, hash);
    auth_now_iso(at);
    struct arena *a = arena_new();
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_open311_key_insert(db, name, hash, at, id, err);
    struct audit_entry ae = {.user = "cli",
                             .action = "open311.key_create",
                             .entity = arena_printf(a, "open311_key:%lld", (long long)*id),
                             .client = "cli"};
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    arena_free(a);
    if (!rc) *key = xstrdup(secret);
    return rc;
}

int open311_key_revoke(struct app *app, int64_t id, struct err *err)
{
    char at[32], entity[48];
    auth_now_iso(at);
    snprintf(entity, sizeof entity, "open311_key:%lld", (long long)id);
    struct audit_entry ae = {
        .user = "cli", .action = "open311.key_revoke", .entity = entity, .client = "cli"};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_open311_key_revoke(db, id, at, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

int open311_key_check(struct app *app, struct arena *a, const char *key, const char **name,
                      struct err *err)
{
    if (!key || strlen(key) != 68)
        return err_set(err, ERR_UNAUTHORIZED, "a valid api_key is required");
    char hash[65];
    auth_hash_secret(key, hash);
    struct db *db = store_acquire(app->store);
    int rc = store_open311_key_get(db, a, hash, name, err);
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND) return err_set(err, ERR_UNAUTHORIZED, "unknown or revoked api_key");
    return rc;
}

/* ---- ledger import (台账导入) ---- */

/* The columns of an item ledger: Chinese heading, or the API's field name. */
static const struct {
    const char *label, *field;
} import_columns[] = {
    {"标题", "title"},
    {"涉及单位代码", "unit"},
    {"责任单位代码", "owner_unit"},
    {"帮扶单位代码", "helper_unit"},
    {"责任人", "assignee"},
    {"整改措施", "measures"},
    {"类别", "category"},
    {"期限", "deadline"},
    {"优先级", "priority"},
    {"问题描述", "description"},
    {"立行立改", "immediate"},
};
#define NIMPORT (sizeof import_columns / sizeof import_columns[0])

struct item_import {
    struct app *app;
    const struct auth_user *actor;
    const char *type, *name;
    struct arena *a;
    int col[NIMPORT]; /* file column of each field, -1 absent */
    bool header;
    struct store_item *items;
    size_t n, cap;
    struct err *err;
};

static const char *cell_text(struct item_import *im, const struct table_cell *cells, int n, int f)
{
    int c = im->col[f];
    if (c < 0 || c >= n) return NULL;
    struct table_cell v = cells[c];
    table_cell_trim(&v);
    return v.len ? arena_strndup(im->a, v.p, v.len) : NULL;
}

static int import_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct item_import *im = ctx;
    if (!im->header) { /* the heading row names the columns */
        im->header = true;
        for (size_t f = 0; f < NIMPORT; f++)
            im->col[f] = -1;
        for (int c = 0; c < n; c++) {
            size_t f = 0;
            while (f < NIMPORT &&
                   !((strlen(import_columns[f].label) == cells[c].len &&
                      memcmp(cells[c].p, import_columns[f].label, cells[c].len) == 0) ||
                     (strlen(import_columns[f].field) == cells[c].len &&
                      memcmp(cells[c].p, import_columns[f].field, cells[c].len) == 0)))
                f++;
            if (f < NIMPORT) im->col[f] = c;
        }
        if (im->col[0] < 0 || im->col[1] < 0) {
            err_setf(im->err, ERR_INVALID, NULL, "第一行须有“标题”和“涉及单位代码”两列");
            err_at(im->err, im->name, row, 0);
            return ERR_INVALID;
        }
        return 0;
    }
    bool any = false;
    for (int c = 0; c < n; c++)
        any = any || cells[c].len;
    if (!any) return 0;
    struct item_input in = {.type = im->type, .immediate = -1};
    const char **fields[] = {&in.title,    &in.unit,     &in.owner_unit, &in.helper_unit,
                             &in.assignee, &in.measures, &in.category,   &in.deadline};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        *fields[f] = cell_text(im, cells, n, (int)f);
    in.description = cell_text(im, cells, n, 9);
    const char *priority = cell_text(im, cells, n, 8), *immediate = cell_text(im, cells, n, 10);
    if (priority)
        in.priority = strcmp(priority, "紧急") == 0 || strcmp(priority, "1") == 0   ? 1
                      : strcmp(priority, "一般") == 0 || strcmp(priority, "2") == 0 ? 2
                      : strcmp(priority, "较低") == 0 || strcmp(priority, "3") == 0 ? 3
                                                                                    : 9;
    if (immediate) in.immediate = strcmp(immediate, "是") == 0 || strcmp(immediate, "1") == 0;
    if (im->n == im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 64;
        struct store_item *p = arena_alloc(im->a, cap * sizeof *p);
        if (im->n) memcpy(p, im->items, im->n * sizeof *p);
        im->items = p;
        im->cap = cap;
    }
    if (im->n == ITEMS_IMPORT_MAX)
        return err_set(im->err, ERR_TOO_LARGE, "一次最多导入 %d 条事项", ITEMS_IMPORT_MAX);
    int rc = prepare(im->app, im->actor, &in, im->a, &im->items[im->n], im->err);
    if (rc) {
        err_wrap(im->err, "第 %ld 行", row);
        err_at(im->err, im->name, row, 0);
        return rc;
    }
    im->n++;
    return 0;
}

int items_import(struct app *app, const struct auth_user *actor, const char *type, const char *data,
                 size_t len, const char *name, const char *client, struct arena *a, int64_t *batch,
                 size_t *n, struct err *err)
{
    *n = 0;
    if (!items_type(app, type))
        return err_set_field(err, ERR_INVALID, "type", "没有事项类型 %s", type);
    struct item_import im = {
        .app = app, .actor = actor, .type = type, .name = name, .a = a, .err = err};
    int rc = table_read(data, len, name, import_row, &im, err);
    if (!rc && im.n == 0) rc = err_set(err, ERR_INVALID, "%s 中没有任何事项", name);
    if (rc) return rc;
    if ((rc = write_many(app, actor, im.items, im.n, name, "item.import", client, a, batch, err)))
        return rc;
    *n = im.n;
    return ERR_OK;
}

/* ---- escalation (督办) ---- */

struct overdue {
    struct arena *a;
    struct store_item *items;
    size_t n, cap;
};

static int collect_overdue(void *ctx, const struct store_item *it)
{
    struct overdue *o = ctx;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        struct store_item *p = arena_alloc(o->a, cap * sizeof *p);
        if (o->n) memcpy(p, o->items, o->n * sizeof *p);
        o->items = p;
        o->cap = cap;
    }
    o->items[o->n++] = *it;
    return 0;
}

int items_escalate(struct app *app, const char *today, size_t *n, struct err *err)
{
    *n = 0;
    if (!valid_date(today)) return err_set(err, ERR_INVALID, "日期须写作 2026-12-31");
    struct arena *a = arena_new();
    struct overdue o = {.a = a};
    struct tree *t = app_tree(app);
    char at[32];
    auth_now_iso(at);
    struct buf ids = BUF_INIT;
    struct jw w;
    jw_init(&w, &ids);
    jw_arr(&w);
    struct db *db = store_acquire(app->store);
    int rc = store_items_overdue_unescalated(db, a, today, collect_overdue, &o, err);
    if (!rc) rc = db_begin(db, true, err);
    for (size_t i = 0; i < o.n && !rc; i++) {
        const struct store_item *it = &o.items[i];
        uint32_t u = tree_find(t, it->owner_unit, strlen(it->owner_unit));
        uint32_t p = u == TREE_NONE ? TREE_NONE : tree_node(t, u)->parent;
        if (p == TREE_NONE) continue; /* a province has no one above it here */
        const char *to = tree_node(t, p)->code;
        struct store_item_event ev = {
            .at = at,
            .actor = "system",
            .kind = "comment",
            .note =
                arena_printf(a, "已超过期限 %s，已提请上级 %s 督办", it->deadline, tree_name(t, p)),
        };
        if (!(rc = store_item_escalate(db, it->id, to, err)))
            rc = store_item_event_add(db, it->id, &ev, NULL, err);
        jw_int(&w, it->id);
        ++*n;
    }
    jw_arr_end(&w);
    struct audit_entry ae = {.user = "system",
                             .action = "item.escalate",
                             .entity = arena_printf(a, "escalation:%s", today),
                             .after = ids.p,
                             .client = "cli"};
    if (!rc && *n) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) {
        db_rollback(db);
        *n = 0;
    }
    store_release(app->store, db);
    tree_unref(t);
    buf_free(&ids);
    arena_free(a);
    return rc;
}
