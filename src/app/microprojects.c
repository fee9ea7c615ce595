/* microprojects.c — 微项目: creating a project with its budget and wishes,
 * packaging more wishes, participants, reading and the computed element
 * (microprojects.h). The project's steps are the case engine's. */
#include "app/microprojects.h"
#include "app/audit.h"
#include "app/items.h"
#include "app/kinds.h"
#include "base/mem.h"
#include "store/store_microprojects.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *microprojects_state_label(const struct app *app, const char *kind, const char *state)
{
    const struct wf_kind *k = kinds_find(app, kind);
    int s = k ? wf_state_index(k, state) : -1;
    return s >= 0 ? k->states[s].label : state;
}

const char *microprojects_participant_label(const char *kind)
{
    static const char *const names[][2] = {
        {"person", "个人"}, {"unit", "单位"}, {"enterprise", "企业"}};
    for (size_t i = 0; kind && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i][0], kind) == 0) return names[i][1];
    return NULL;
}

int64_t microprojects_budget_max(const struct app *app)
{
    const struct wf_kind *k = kinds_find(app, MICROPROJECT_KIND);
    int i = k ? wf_input_index(k, "budget") : -1;
    return i >= 0 ? k->inputs[i].max : 0;
}

static int check_budget(const struct app *app, int64_t budget, struct err *err)
{
    const struct wf_kind *k = kinds_find(app, MICROPROJECT_KIND);
    int i = k ? wf_input_index(k, "budget") : -1;
    if (i < 0) return err_set(err, ERR_INTERNAL, "kind microproject has no input \"budget\"");
    const struct wf_input_def *d = &k->inputs[i];
    if (budget < d->min || budget > d->max)
        return err_set_field(
            err, ERR_INVALID, "budget",
            "预算须为 %ld 到 %ld 元的整数（微项目预算上限见事项类型“微项目”的规则）", d->min,
            d->max);
    return ERR_OK;
}

/* Every wish: a distinct 微心愿 the actor reaches, inside the project's
 * unit, not refused, not held by another project. */
static int check_wishes(struct app *app, const struct auth_user *actor, const char *unit,
                        int64_t project, const int64_t *wishes, size_t n, struct arena *a,
                        struct err *err)
{
    if (n > MP_WISHES_MAX)
        return err_set_field(err, ERR_INVALID, "wishes", "一次至多纳入 %d 个心愿", MP_WISHES_MAX);
    for (size_t i = 0; i < n; i++) {
        const char *field = arena_printf(a, "wishes[%zu]", i);
        for (size_t k = 0; k < i; k++)
            if (wishes[k] == wishes[i])
                return err_set_field(err, ERR_INVALID, field, "心愿 %lld 重复",
                                     (long long)wishes[i]);
        struct case_full f;
        int rc = wishes[i] > 0 ? cases_load(app, a, wishes[i], &f, err) : ERR_NOT_FOUND;
        if (rc && rc != ERR_NOT_FOUND) return rc;
        if (rc || strcmp(f.kind->code, "wish") != 0 || !auth_in_scope(actor->scope, f.c.unit)) {
            err_clear(err);
            return err_set_field(err, ERR_INVALID, field,
                                 "没有编号为 %lld 的微心愿（或不在您的管辖范围内）",
                                 (long long)wishes[i]);
        }
        if (!auth_in_scope(unit, f.c.unit))
            return err_set_field(err, ERR_INVALID, field,
                                 "心愿“%s”不在本微项目所在单位内，只能纳入本单位的心愿", f.c.title);
        if (strcmp(f.c.state, "rejected") == 0 || strcmp(f.c.state, "collected") == 0)
            return err_set_field(err, ERR_INVALID, field,
                                 "心愿“%s”尚未核实公示（或未通过核实），不能纳入微项目", f.c.title);
        int64_t holder = 0;
        const char *title = NULL;
        struct db *db = store_acquire(app->store);
        rc = store_mp_wish_holder(db, a, wishes[i], &holder, &title, err);
        store_release(app->store, db);
        if (!rc && holder != project)
            return err_set_field(err, ERR_CONFLICT, field,
                                 "心愿“%s”已纳入微项目“%s”，一个心愿同时只能属于一个微项目",
                                 f.c.title, title);
        if (!rc)
            return err_set_field(err, ERR_CONFLICT, field, "心愿“%s”已在本微项目中", f.c.title);
        if (rc != ERR_NOT_FOUND) return rc;
        err_clear(err);
    }
    return ERR_OK;
}

struct link_write {
    int64_t *project; /* the case id, known once the case is written */
    int64_t budget;   /* 0: the project exists already */
    const int64_t *wishes;
    size_t n;
    const char *at, *by;
};

static int write_links(struct db *db, void *ctx, struct err *err)
{
    struct link_write *w = ctx;
    int rc = w->budget ? store_mp_insert(db, *w->project, w->budget, err) : ERR_OK;
    for (size_t i = 0; i < w->n && !rc; i++)
        rc = store_mp_wish_link(db, *w->project, w->wishes[i], w->at, w->by, err);
    return rc;
}

int microprojects_create(struct app *app, const struct auth_user *actor, const struct mp_create *in,
                         const char *client, struct arena *a, int64_t *id, struct err *err)
{
    struct item_input item = {.type = MICROPROJECT_KIND,
                              .title = in->title,
                              .description = in->description,
                              .unit = in->unit,
                              .deadline = in->deadline,
                              .immediate = -1};
    struct case_full f = {.kind = items_kind(app, MICROPROJECT_KIND)};
    if (!f.kind) return err_set(err, ERR_INTERNAL, "kind microproject is not installed");
    int rc = items_prepare(app, actor, &item, a, &f.c, err);
    if (!rc) rc = check_budget(app, in->budget, err);
    if (!rc) rc = check_wishes(app, actor, in->unit, 0, in->wishes, in->nwishes, a, err);
    if (rc) return rc;
    struct link_write w = {.project = &f.c.id,
                           .budget = in->budget,
                           .wishes = in->wishes,
                           .n = in->nwishes,
                           .at = f.c.created_at,
                           .by = actor->name};
    struct case_change ch = {.f = &f,
                             .insert = true,
                             .ev = {.at = f.c.created_at,
                                    .actor = actor->name,
                                    .kind = "create",
                                    .to_state = f.c.state,
                                    .changes = arena_printf(a, "{\"budget\":%lld,\"wishes\":%zu}",
                                                            (long long)in->budget, in->nwishes)},
                             .also = write_links,
                             .ctx = &w};
    if ((rc = cases_save(app, &ch, client, a, err))) return rc;
    *id = f.c.id;
    return ERR_OK;
}

/* The project id as a case the actor may change: a micro-project, in
 * scope, not finished. */
static int open_project(struct app *app, const struct auth_user *actor, struct arena *a, int64_t id,
                        struct case_full *f, struct err *err)
{
    int rc = cases_load(app, a, id, f, err);
    if (rc == ERR_NOT_FOUND || (!rc && (strcmp(f->kind->code, MICROPROJECT_KIND) != 0 ||
                                        !auth_in_scope(actor->scope, f->c.unit)))) {
        err_clear(err);
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的微项目", (long long)id);
    }
    if (!rc && f->c.final)
        return err_set(err, ERR_CONFLICT, "微项目“%s”已%s，不能再更改", f->c.title,
                       microprojects_state_label(app, MICROPROJECT_KIND, f->c.state));
    return rc;
}

int microprojects_link(struct app *app, const struct auth_user *actor, int64_t id,
                       const int64_t *wishes, size_t n, const char *client, struct err *err)
{
    if (n == 0) return err_set_field(err, ERR_INVALID, "wishes", "请选择要纳入的心愿");
    struct arena *a = arena_new();
    struct case_full f;
    char at[32];
    auth_now_iso(at);
    int rc = open_project(app, actor, a, id, &f, err);
    if (!rc) rc = check_wishes(app, actor, f.c.unit, id, wishes, n, a, err);
    if (!rc) {
        struct link_write w = {
            .project = &id, .wishes = wishes, .n = n, .at = at, .by = actor->name};
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_integer(wishes[i]));
        json_t *o = json_pack("{s:o}", "wishes", list);
        char *after = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        struct audit_entry ae = {.user = actor->name,
                                 .action = "microproject.link",
                                 .entity = arena_printf(a, "item:%lld", (long long)id),
                                 .unit = f.c.owner_unit,
                                 .after = after,
                                 .client = client};
        rc = app_write_tx(app, &ae, MICROPROJECTS_CHANGED, write_links, &w, err);
        free(after);
    }
    arena_free(a);
    return rc;
}

static int write_participant(struct db *db, void *ctx, struct err *err)
{
    return store_mp_participant_add(db, ctx, err);
}

int microprojects_participant_add(struct app *app, const struct auth_user *actor, int64_t id,
                                  const char *kind, const char *name, int64_t count,
                                  const char *client, int64_t *out_id, struct err *err)
{
    if (!microprojects_participant_label(kind))
        return err_set_field(err, ERR_INVALID, "kind",
                             "参与方类别须为个人（person）、单位（unit）或企业（enterprise）");
    int rc = app_check_text(name, "name", MP_NAME_MAX, true, err);
    if (rc) return rc;
    if (count < 1 || count > MP_COUNT_MAX)
        return err_set_field(err, ERR_INVALID, "count",
                             "参与人次须为 1 到 %d 的整数（一条记录一个参与方）", MP_COUNT_MAX);
    struct arena *a = arena_new();
    struct case_full f;
    char at[32];
    auth_now_iso(at);
    if (!(rc = open_project(app, actor, a, id, &f, err))) {
        struct mp_participant_row p = {.project_id = id,
                                       .count = count,
                                       .kind = kind,
                                       .name = name,
                                       .added_at = at,
                                       .added_by = actor->name};
        json_t *o =
            json_pack("{s:s,s:s,s:I}", "kind", kind, "name", name, "count", (json_int_t)count);
        char *after = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        struct audit_entry ae = {.user = actor->name,
                                 .action = "microproject.participant",
                                 .entity = arena_printf(a, "item:%lld", (long long)id),
                                 .unit = f.c.owner_unit,
                                 .after = after,
                                 .client = client};
        rc = app_write_tx(app, &ae, MICROPROJECTS_CHANGED, write_participant, &p, err);
        free(after);
        if (!rc && out_id) *out_id = p.id;
    }
    arena_free(a);
    return rc;
}

/* ---- reading ---- */

struct collect {
    struct arena *a;
    void *items;
    size_t n, cap, size;
};

static void *collect_slot(struct collect *c)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        void *grown = arena_zalloc(c->a, cap * c->size);
        if (c->n) memcpy(grown, c->items, c->n * c->size);
        c->items = grown;
        c->cap = cap;
    }
    return (char *)c->items + c->size * c->n++;
}

static int collect_wish(void *ctx, const struct mp_wish_row *w)
{
    *(struct mp_wish_row *)collect_slot(ctx) = *w;
    return 0;
}

static int collect_part(void *ctx, const struct mp_participant_row *p)
{
    *(struct mp_participant_row *)collect_slot(ctx) = *p;
    return 0;
}

static int collect_row(void *ctx, const struct mp_row *r)
{
    ((struct mp_view *)collect_slot(ctx))->p = *r;
    return 0;
}

static int fill_view(struct db *db, struct arena *a, struct mp_view *v, bool parts, struct err *err)
{
    struct collect w = {.a = a, .size = sizeof(struct mp_wish_row)};
    struct collect p = {.a = a, .size = sizeof(struct mp_participant_row)};
    int rc = store_mp_wishes(db, a, v->p.id, collect_wish, &w, err);
    if (!rc && parts) rc = store_mp_participants(db, a, v->p.id, collect_part, &p, err);
    v->wishes = w.items;
    v->nwishes = w.n;
    v->parts = p.items;
    v->nparts = p.n;
    return rc;
}

int microprojects_get(struct app *app, struct arena *a, int64_t id, struct mp_view *out,
                      struct err *err)
{
    memset(out, 0, sizeof *out);
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = store_mp_get(db, a, id, &out->p, err);
    if (!rc) rc = fill_view(db, a, out, true, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

int microprojects_list(struct app *app, struct arena *a, const char *unit, bool public_only,
                       int limit, struct mp_view **out, size_t *n, struct err *err)
{
    struct collect c = {.a = a, .size = sizeof(struct mp_view)};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc)
        rc = store_mp_list(db, a, unit ? unit : "", public_only ? ",delivered,closed," : NULL,
                           limit, collect_row, &c, err);
    struct mp_view *v = c.items;
    for (size_t i = 0; i < c.n && !rc && public_only; i++)
        rc = fill_view(db, a, &v[i], false, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    *out = v;
    *n = rc ? 0 : c.n;
    return rc;
}

/* ---- computed elements ---- */

static const char *const computed_names[] = {"participations", NULL};

int microprojects_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, computed_names, "participations（微项目参与人次）", err) < 0
               ? ERR_INVALID
               : ERR_OK;
}

int microprojects_computed_counts(struct app *app, const char *computed, const char *start,
                                  const char *next, const char *date, computed_add fn, void *ctx,
                                  struct err *err)
{
    (void)date;
    int rc = microprojects_computed_check(app, computed, err);
    if (rc) return rc;
    struct db *db = store_acquire(app->store);
    rc = store_mp_participation_counts(db, start, next, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
