/* items.c — what a work item is made of, creating items, and 转办 (items.h). */
#include "app/items.h"
#include "app/kinds.h"
#include "base/clock.h"
#include "base/mem.h"
#include "io/json_out.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct wf_kind *items_kind(const struct app *app, const char *type)
{
    const struct wf_kind *k = kinds_find(app, type);
    return k && k->subject == CASE_ITEM ? k : NULL;
}

int items_kinds(const struct app *app, const char *type, const char **kinds, struct err *err)
{
    if (type && !items_kind(app, type))
        return err_set_field(err, ERR_INVALID, "type", "没有事项类型 %s", type);
    *kinds = kinds_list(app, CASE_ITEM, type);
    return ERR_OK;
}

int items_load(struct app *app, struct arena *a, int64_t id, struct case_full *out, struct err *err)
{
    int rc = cases_load(app, a, id, out, err);
    if (!rc && out->kind->subject != CASE_ITEM)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的事项", (long long)id);
    return rc;
}

/* 10 characters a resident can read out on the phone: no 0/O, 1/I/L. */
static void tracking_code(char out[11])
{
    static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 10; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[10] = '\0';
}

/* A unit inside the actor's scope that exists. Every unit an item names
 * (concerned, owner, helping) is one: naming a unit outside one's scope
 * is refused before its existence is looked up, so the answer tells
 * nothing about units one may not read. */
static int check_unit(struct app *app, const struct auth_user *actor, const char *code,
                      const char *field, struct err *err)
{
    if (code && !auth_in_scope(actor->scope, code))
        return err_set_field(err, ERR_FORBIDDEN, field, "单位 %s 不在您的管辖范围内", code);
    struct tree *t = app_tree(app);
    bool found = code && tree_find(t, code, strlen(code)) != TREE_NONE;
    tree_unref(t);
    if (!found)
        return err_set_field(err, ERR_INVALID, field, "没有代码为 %s 的单位", code ? code : "");
    return ERR_OK;
}

bool items_valid_date(const char *s)
{
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;
    return end && !*end && strlen(s) == 10;
}

static bool may_create(const struct wf_kind *k, const struct auth_user *actor)
{
    return strcmp(k->create_perm, WF_PERM_PUBLIC) == 0 || auth_has_perm(actor, k->create_perm);
}

static int check_fields(struct app *app, const struct auth_user *actor, const struct wf_kind *k,
                        const struct item_input *in, struct err *err)
{
    int rc;
    if ((rc = app_check_text(in->title, "title", ITEM_TITLE_MAX, true, err)) ||
        (rc = app_check_text(in->description, "description", ITEM_TEXT_MAX, false, err)) ||
        (rc = app_check_text(in->measures, "measures", ITEM_TEXT_MAX, false, err)) ||
        (rc = app_check_text(in->assignee, "assignee", 64, false, err)) ||
        (rc = app_check_text(in->location, "location", 200, false, err)) ||
        (rc = check_unit(app, actor, in->unit, "unit", err)) ||
        (rc =
             check_unit(app, actor, in->owner_unit ? in->owner_unit : in->unit, "owner_unit", err)))
        return rc;
    if (in->helper_unit && in->helper_unit[0] &&
        (rc = check_unit(app, actor, in->helper_unit, "helper_unit", err)))
        return rc;
    if (in->category && in->category[0] && k->ncategories) {
        bool known = false;
        for (int i = 0; i < k->ncategories; i++)
            known = known || strcmp(k->categories[i], in->category) == 0;
        if (!known)
            return err_set_field(err, ERR_INVALID, "category", "%s没有类别“%s”", k->name,
                                 in->category);
    }
    if (in->priority && (in->priority < 1 || in->priority > 3))
        return err_set_field(err, ERR_INVALID, "priority",
                             "priority 须为 1（紧急）、2（一般）或 3（较低）");
    if (in->deadline && !items_valid_date(in->deadline))
        return err_set_field(err, ERR_INVALID, "deadline", "期限须写作 2026-12-31");
    return ERR_OK;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int items_prepare(struct app *app, const struct auth_user *actor, const struct item_input *in,
                  struct arena *a, struct case_row *out, struct err *err)
{
    const struct wf_kind *k = items_kind(app, in->type);
    if (!k) return err_set_field(err, ERR_INVALID, "type", "没有事项类型 %s", or_empty(in->type));
    if (!may_create(k, actor)) return err_set(err, ERR_FORBIDDEN, "当前角色不能新建%s", k->name);
    int rc = check_fields(app, actor, k, in, err);
    if (rc) return rc;
    char deadline[11] = "", at[32], code[11];
    if (in->deadline)
        snprintf(deadline, sizeof deadline, "%s", in->deadline);
    else if (k->has_deadline_default)
        clock_today(deadline, k->deadline_days);
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
    const struct wf_state *initial = &k->states[k->initial];
    *out = (struct case_row){
        .kind = k->code,
        .title = in->title,
        .description = or_empty(in->description),
        .unit = in->unit,
        .owner_unit = in->owner_unit ? in->owner_unit : in->unit,
        .helper_unit = or_empty(in->helper_unit),
        .assignee = or_empty(in->assignee),
        .measures = or_empty(in->measures),
        .category = or_empty(in->category),
        .deadline = arena_strdup(a, deadline),
        .location = or_empty(in->location),
        .priority = in->priority ? in->priority : 2,
        .immediate = in->immediate == 1,
        .state = initial->code,
        .final = initial->flags & WF_FINAL,
        .created_by = actor->name,
        .created_at = arena_strdup(a, at),
        .updated_at = arena_strdup(a, at),
        .closed_at = "",
        .tracking_code = arena_strdup(a, code),
        .contact_sealed = sealed,
        .escalated_to = "",
    };
    return ERR_OK;
}

int items_create(struct app *app, const struct auth_user *actor, const struct item_input *in,
                 const char *client, struct arena *a, struct case_row *out, struct err *err)
{
    struct case_full f = {.kind = items_kind(app, in->type)};
    int rc = items_prepare(app, actor, in, a, &f.c, err);
    if (rc) return rc;
    struct case_change ch = {
        .f = &f,
        .insert = true,
        .ev = {
            .at = f.c.created_at, .actor = actor->name, .kind = "create", .to_state = f.c.state}};
    if ((rc = cases_save(app, &ch, client, a, err))) return rc;
    *out = f.c;
    return ERR_OK;
}

int items_create_batch(struct app *app, const struct auth_user *actor, const struct item_input *in,
                       const char *const *units, size_t n, const char *client, struct arena *a,
                       int64_t *batch, struct case_row **out, struct err *err)
{
    if (n == 0 || n > ITEMS_BATCH_MAX)
        return err_set_field(err, ERR_INVALID, "units", "请选择 1 到 %d 个单位", ITEMS_BATCH_MAX);
    struct case_row *items = arena_zalloc(a, n * sizeof *items);
    int rc = ERR_OK;
    for (size_t i = 0; i < n && !rc; i++) { /* every unit checked before anything is written */
        struct item_input one = *in;
        one.unit = one.owner_unit = units[i];
        for (size_t k = 0; k < i && !rc; k++)
            if (strcmp(units[k], units[i]) == 0)
                rc = err_set_field(err, ERR_INVALID, "units", "单位 %s 重复", units[i]);
        if (!rc && (rc = items_prepare(app, actor, &one, a, &items[i], err)))
            err_wrap(err, "units 第 %zu 项", i + 1);
    }
    if (!rc)
        rc = cases_create_batch(app, actor, items, n, in->title, "item.batch", NULL, client, a,
                                batch, err);
    if (!rc) *out = items;
    return rc;
}

int items_create_list(struct app *app, const struct auth_user *actor, const struct item_input *in,
                      size_t n, const char *title, struct case_change *also, const char *client,
                      struct arena *a, int64_t *batch, struct case_row **out, struct err *err)
{
    if (n == 0) return err_set(err, ERR_INVALID, "没有要新建的事项");
    struct case_row *items = arena_zalloc(a, n * sizeof *items);
    for (size_t i = 0; i < n; i++) { /* every item checked before anything is written */
        int rc = items_prepare(app, actor, &in[i], a, &items[i], err);
        if (rc) {
            err_wrap(err, "第 %zu 项", i + 1);
            return rc;
        }
    }
    int rc =
        cases_create_batch(app, actor, items, n, title, "item.list", also, client, a, batch, err);
    if (!rc) *out = items;
    return rc;
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

/* Applies r to the item, checking each change; the changes as JSON in w. */
static int reassign_fields(struct app *app, const struct auth_user *actor, struct case_row *c,
                           const struct item_reassign *r, struct jw *w, struct err *err)
{
    int rc = ERR_OK;
    if (r->owner_unit && strcmp(r->owner_unit, c->owner_unit) != 0) {
        if (!auth_has_perm(actor, "items:dispatch"))
            return err_set_field(err, ERR_FORBIDDEN, "owner_unit",
                                 "当前角色不能转办给其他责任单位");
        if ((rc = check_unit(app, actor, r->owner_unit, "owner_unit", err))) return rc;
        change(w, "owner_unit", c->owner_unit, r->owner_unit);
        c->owner_unit = r->owner_unit;
    }
    if (r->helper_unit && strcmp(r->helper_unit, c->helper_unit) != 0) {
        if (r->helper_unit[0] && (rc = check_unit(app, actor, r->helper_unit, "helper_unit", err)))
            return rc;
        change(w, "helper_unit", c->helper_unit, r->helper_unit);
        c->helper_unit = r->helper_unit;
    }
    if (r->assignee && strcmp(r->assignee, c->assignee) != 0) {
        change(w, "assignee", c->assignee, r->assignee);
        c->assignee = r->assignee;
    }
    return ERR_OK;
}

int items_reassign(struct app *app, const struct auth_user *actor, int64_t id,
                   const struct item_reassign *r, const char *client, struct arena *a,
                   struct err *err)
{
    int rc;
    if ((rc = app_check_text(r->note, "note", ITEM_TEXT_MAX, true, err)) ||
        (rc = app_check_text(r->assignee, "assignee", 64, false, err)))
        return rc;
    struct case_full f;
    if ((rc = items_load(app, a, id, &f, err))) return rc;
    if (f.c.final) return err_set(err, ERR_INVALID, "已办结的事项不能转办");
    struct buf changes = BUF_INIT;
    struct jw w;
    jw_init(&w, &changes);
    jw_obj(&w);
    rc = reassign_fields(app, actor, &f.c, r, &w, err);
    jw_obj_end(&w);
    if (!rc && changes.len == 2)
        rc = err_set(err, ERR_INVALID, "没有要改变的内容：请给出新的责任单位、帮扶单位或责任人");
    if (!rc) {
        char at[32];
        auth_now_iso(at);
        f.c.updated_at = arena_strdup(a, at);
        struct case_change ch = {.f = &f,
                                 .ev = {.at = f.c.updated_at,
                                        .actor = actor->name,
                                        .kind = "reassign",
                                        .note = r->note,
                                        .changes = arena_strdup(a, changes.p)}};
        rc = cases_save(app, &ch, client, a, err);
    }
    buf_free(&changes);
    return rc;
}

int items_by_code(struct app *app, struct arena *a, const char *code, struct case_full *out,
                  struct err *err)
{
    int64_t id;
    int rc = cases_by_code(app, a, code, &id, err);
    return rc ? rc : items_load(app, a, id, out, err);
}
