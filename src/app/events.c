/* events.c — events: create, change, attendance, reading (events.h).
 * Compliance and the computed elements are in events_compliance.c. */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/events.h"
#include "app/points.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/tree.h"
#include "store/store.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX  200
#define NOTES_MAX 4000

/* Runs write(db, ctx) with the audit record (NULL: write appends its
 * own) in one write transaction; the computed compliance goes stale. */
static int in_tx(struct app *app, const struct audit_entry *ae,
                 int (*write)(struct db *db, void *ctx, struct err *err), void *ctx,
                 struct err *err)
{
    return app_write_tx(app, ae, EVENTS_CHANGED, write, ctx, err);
}

/* ---- checks ---- */

static bool listed(const char *list, const char *code)
{
    char needle[80];
    int n = snprintf(needle, sizeof needle, ",%s,", code);
    return n > 0 && (size_t)n < sizeof needle && strstr(list, needle);
}

/* The organiser: an organisation of one of the type's org_types, or a unit
 * when the type allows one, inside the actor's scope. Fills e->org_id, unit. */
static int check_organiser(struct app *app, const struct auth_user *actor,
                           const struct event_type *t, const struct event_in *in, struct arena *a,
                           struct event_row *e, struct err *err)
{
    if (in->org_id > 0) {
        struct org_row o;
        struct db *db = store_acquire(app->store);
        int rc = store_org_get(db, a, in->org_id, &o, err);
        store_release(app->store, db);
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(actor->scope, o.unit)))
            return err_set_field(err, ERR_INVALID, "org",
                                 "没有编号为 %lld 的党组织（或不在您的管辖范围内）",
                                 (long long)in->org_id);
        if (rc) return rc;
        if (!listed(t->org_types, o.type))
            return err_set_field(
                err, ERR_INVALID, "org", "%s不能由%s组织", t->name,
                people_name(app->people->org_types, app->people->norg_types, o.type));
        if (o.dissolved_on[0])
            return err_set_field(err, ERR_INVALID, "org", "%s已于 %s 撤销", o.name, o.dissolved_on);
        if (in->unit && strcmp(in->unit, o.unit) != 0)
            return err_set_field(err, ERR_INVALID, "unit", "党组织%s在单位 %s，与 unit 不符",
                                 o.name, o.unit);
        e->org_id = o.id;
        e->unit = o.unit;
        return ERR_OK;
    }
    if (!t->unit)
        return err_set_field(err, ERR_INVALID, "org", "%s须由党组织组织，请选择党组织", t->name);
    if (!in->unit || !in->unit[0])
        return err_set_field(err, ERR_INVALID, "unit", "请选择组织活动的党组织或单位");
    if (!auth_in_scope(actor->scope, in->unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", in->unit);
    struct tree *tr = app_tree(app);
    bool known =
        strlen(in->unit) <= UNIT_CODE_MAX && tree_find(tr, in->unit, strlen(in->unit)) != TREE_NONE;
    tree_unref(tr);
    if (!known) return err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", in->unit);
    e->org_id = 0;
    e->unit = in->unit;
    return ERR_OK;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (a space for the T is taken). */
static int check_when(struct app *app, const char *s, const char *status, struct arena *a,
                      struct event_row *e, struct err *err)
{
    int32_t day;
    char d[11] = "";
    size_t len = s ? strlen(s) : 0;
    if (len >= 10) memcpy(d, s, 10);
    bool time_ok = len == 10 ||
                   (len == 16 && (s[10] == 'T' || s[10] == ' ') && s[11] >= '0' && s[11] <= '2' &&
                    s[12] >= '0' && s[12] <= '9' && s[13] == ':' && s[14] >= '0' && s[14] <= '5' &&
                    s[15] >= '0' && s[15] <= '9' && (s[11] - '0') * 10 + (s[12] - '0') < 24);
    if (!time_ok || !tree_day_parse(d, &day) || strcmp(d, "2000-01-01") < 0 ||
        strcmp(d, "2100-01-01") >= 0)
        return err_set_field(err, ERR_INVALID, "starts_at",
                             "活动时间须为 2026-03-05 或 2026-03-05T09:30 形式（2000 至 2099 年）");
    if (strcmp(status, "held") == 0) {
        char latest[11];
        clock_today(latest, app->events->held_future_days);
        if (strcmp(d, latest) > 0)
            return err_set_field(
                err, ERR_INVALID, "starts_at",
                "已召开的活动日期不能晚于今天（%s 是将来的日期；尚未召开的请登记为计划）", d);
    }
    e->starts_at = arena_printf(a, "%sT%s", d, len == 16 ? s + 11 : "00:00");
    e->day = arena_strdup(a, d);
    return ERR_OK;
}

static int check_actions(const struct event_type *t, const struct event_in *in, bool held,
                         struct arena *a, const char **out, struct err *err)
{
    if (in->nactions && !t->nrequired && !t->noptional)
        return err_set_field(err, ERR_INVALID, "actions", "%s没有规定或自选动作", t->name);
    json_t *arr = json_array();
    int rc = ERR_OK;
    for (size_t i = 0; i < in->nactions && !rc; i++) {
        const char *c = in->actions[i];
        if (!people_name(t->required, t->nrequired, c) &&
            !people_name(t->optional, t->noptional, c))
            rc = err_set_field(err, ERR_INVALID, "actions", "actions 第 %zu 项：%s没有动作 %s",
                               i + 1, t->name, c);
        for (size_t k = 0; !rc && k < i; k++)
            if (strcmp(in->actions[k], c) == 0)
                rc = err_set_field(err, ERR_INVALID, "actions", "动作 %s 重复", c);
        if (!rc) json_array_append_new(arr, json_string(c));
    }
    for (size_t r = 0; !rc && held && r < t->nrequired; r++) {
        bool ticked = false;
        for (size_t i = 0; i < in->nactions; i++)
            ticked = ticked || strcmp(in->actions[i], t->required[r].code) == 0;
        if (!ticked)
            rc = err_set_field(err, ERR_INVALID, "actions",
                               "已召开的%s须完成全部规定动作，尚未勾选：%s", t->name,
                               t->required[r].name);
    }
    if (!rc) {
        char *text = json_dumps(arr, JSON_COMPACT);
        *out = arena_strdup(a, text);
        free(text);
    }
    json_decref(arr);
    return rc;
}

/* Participants: persons in the actor's scope, once each, with a known
 * attendance and values the type defines, inside their bounds. */
static int check_parts(struct app *app, const struct auth_user *actor, const struct event_type *t,
                       const struct participant_in *parts, size_t n, struct arena *a,
                       struct participant_row **out, struct err *err)
{
    if (n && !t->attendance)
        return err_set_field(err, ERR_INVALID, "participants", "%s不登记参加人员", t->name);
    if (n > EVENT_PARTICIPANTS_MAX)
        return err_set_field(err, ERR_TOO_LARGE, "participants", "一次活动最多登记 %d 人",
                             EVENT_PARTICIPANTS_MAX);
    struct participant_row *rows = arena_zalloc(a, (n + 1) * sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        const struct participant_in *p = &parts[i];
        const char *field = arena_printf(a, "participants[%zu]", i);
        for (size_t k = 0; k < i; k++)
            if (parts[k].person_id == p->person_id)
                return err_set_field(err, ERR_INVALID, field, "第 %zu 人重复登记（人员编号 %lld）",
                                     i + 1, (long long)p->person_id);
        const char *unit = NULL;
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)p->person_id);
        int rc;
        if (p->person_id <= 0) {
            rc = ERR_NOT_FOUND;
        } else if (!actor->scope[0]) { /* the whole country: existence is enough */
            struct person_row row;
            struct db *db = store_acquire(app->store);
            rc = store_person_get(db, a, p->person_id, &row, err);
            store_release(app->store, db);
            unit = rc ? NULL : row.unit;
        } else {
            rc = people_unit_of(app, a, PEOPLE_PERSON, id, actor->scope, &unit, err);
        }
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(actor->scope, unit)))
            return err_set_field(err, ERR_INVALID, arena_printf(a, "%s.person", field),
                                 "第 %zu 人：没有编号为 %lld 的人员（或不在您的管辖范围内）", i + 1,
                                 (long long)p->person_id);
        if (rc) return rc;
        if (!events_attendance(app, p->attendance))
            return err_set_field(err, ERR_INVALID, arena_printf(a, "%s.attendance", field),
                                 "第 %zu 人：出勤须为出席、请假或缺席（present、leave、absent）",
                                 i + 1);
        json_t *data = json_object();
        for (size_t v = 0; v < p->nvalues && !rc; v++) {
            const struct event_value *ev = &p->values[v];
            const struct event_field *f = NULL;
            for (size_t k = 0; k < t->nfields; k++)
                if (strcmp(t->fields[k].code, ev->code) == 0) f = &t->fields[k];
            if (!f)
                rc = err_set_field(err, ERR_INVALID, arena_printf(a, "%s.values", field),
                                   "第 %zu 人：%s没有 %s 这一项", i + 1, t->name, ev->code);
            else if (!isfinite(ev->v) || ev->v < f->min || ev->v > f->max)
                rc = err_set_field(err, ERR_INVALID, arena_printf(a, "%s.values", field),
                                   "第 %zu 人：%s须在 %g 到 %g 之间", i + 1, f->name, f->min,
                                   f->max);
            else if (json_object_get(data, f->code))
                rc = err_set_field(err, ERR_INVALID, arena_printf(a, "%s.values", field),
                                   "第 %zu 人：%s重复", i + 1, f->name);
            else
                json_object_set_new(data, f->code, json_real(ev->v));
        }
        if (!rc) {
            char *text = json_dumps(data, JSON_COMPACT | JSON_REAL_PRECISION(12));
            rows[i] =
                (struct participant_row){p->person_id, "", p->attendance, arena_strdup(a, text)};
            free(text);
        }
        json_decref(data);
        if (rc) return rc;
    }
    *out = rows;
    return ERR_OK;
}

/* Fills e from in (what is given) and checks everything against type t. */
static int apply(struct app *app, const struct auth_user *actor, const struct event_type *t,
                 const struct event_in *in, struct arena *a, struct event_row *e,
                 const char *old_actions_json, struct participant_row **rows, struct err *err)
{
    int rc;
    if (in->status) {
        if (strcmp(in->status, "planned") != 0 && strcmp(in->status, "held") != 0)
            return err_set_field(err, ERR_INVALID, "status",
                                 "status 须为 planned（计划）或 held（已召开）");
        e->status = in->status;
    }
    const char *when = in->starts_at ? in->starts_at : e->starts_at;
    if ((rc = check_when(app, when, e->status, a, e, err))) return rc;
    if (in->topic) {
        if ((rc = app_check_text(in->topic, "topic", TEXT_MAX, true, err))) return rc;
        e->topic = in->topic;
    }
    if (in->place) {
        if ((rc = app_check_text(in->place, "place", TEXT_MAX, false, err))) return rc;
        e->place = in->place;
    }
    if (in->notes) {
        if ((rc = app_check_text(in->notes, "notes", NOTES_MAX, false, err))) return rc;
        e->notes = in->notes;
    }
    struct event_in acts = *in;
    json_t *old = NULL;
    if (!in->actions_given && old_actions_json) {
        /* the stored actions, checked again against the (new) status */
        old = json_loads(old_actions_json, 0, NULL);
        acts.nactions = json_array_size(old);
        const char **v = arena_zalloc(a, (acts.nactions + 1) * sizeof *v);
        for (size_t i = 0; i < acts.nactions; i++)
            v[i] = arena_strdup(a, json_string_value(json_array_get(old, i)));
        acts.actions = v;
    }
    json_decref(old);
    rc = check_actions(t, &acts, strcmp(e->status, "held") == 0, a, &e->actions, err);
    if (!rc && in->parts_given)
        rc = check_parts(app, actor, t, in->parts, in->nparts, a, rows, err);
    if (!rc) rc = files_check_refs(in->files, in->nfiles, err);
    return rc;
}

struct write {
    struct app *app;
    const struct auth_user *actor;
    const char *client;
    struct event_row *e;
    const struct event_in *in;
    struct participant_row *rows;
    bool insert;
    struct arena *a;
    bool points; /* the attendance's points changed */
};

static int event_write(struct db *db, void *ctx, struct err *err)
{
    struct write *w = ctx;
    int rc = w->insert ? store_event_insert(db, w->e, err) : store_event_update(db, w->e, err);
    if (!rc && w->in->parts_given)
        rc = store_event_participants_set(db, w->e->id, w->rows, w->in->nparts, err);
    for (size_t i = 0; !rc && i < w->in->nfiles; i++) {
        rc = store_attached_add(db, STORE_ATTACH_EVENT, w->e->id, w->in->files[i].sha256,
                                w->in->files[i].name, err);
        if (rc == ERR_NOT_FOUND)
            rc = err_set_field(err, ERR_INVALID, arena_printf(w->a, "files[%zu].sha256", i),
                               "files[%zu]：没有这个文件，请先上传", i);
    }
    if (!rc) rc = points_attendance(w->app, db, w->actor, w->e, w->client, w->a, &w->points, err);
    return rc;
}

/* What the audit record keeps of an event (no personal data: participants
 * by id). */
static const char *summary(struct arena *a, const struct event_row *e, size_t nparts)
{
    json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:I}", "type", e->type, "org",
                          (json_int_t)e->org_id, "unit", e->unit, "status", e->status, "starts_at",
                          e->starts_at, "place", e->place, "topic", e->topic, "actions",
                          json_loads(e->actions, 0, NULL), "participants", (json_int_t)nparts);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    const char *out = arena_strdup(a, text ? text : "{}");
    free(text);
    json_decref(o);
    return out;
}

/* One event checked and ready to write. */
struct prepared {
    struct event_row e;
    struct participant_row *rows;
    struct write w;
    struct audit_entry ae;
};

static int prepare(struct app *app, const struct auth_user *actor, const struct event_in *in,
                   const char *at, const char *client, struct arena *a, struct prepared *p,
                   struct err *err)
{
    const struct event_type *t = events_type(app, in->type);
    if (!t)
        return err_set_field(err, ERR_INVALID, "type", "请选择活动类型（没有 %s 这一类型）",
                             in->type ? in->type : "");
    if (!in->status)
        return err_set_field(err, ERR_INVALID, "status",
                             "请说明活动是计划（planned）还是已召开（held）");
    if (!in->topic) return err_set_field(err, ERR_INVALID, "topic", "请填写活动主题");
    p->e = (struct event_row){.type = t->code,
                              .place = "",
                              .notes = "",
                              .created_by = actor->name,
                              .created_at = at,
                              .updated_at = at,
                              .status = in->status};
    int rc = check_organiser(app, actor, t, in, a, &p->e, err);
    if (!rc) rc = apply(app, actor, t, in, a, &p->e, NULL, &p->rows, err);
    if (rc) return rc;
    p->w = (struct write){app, actor, client, &p->e, in, p->rows, true, a, false};
    p->ae = (struct audit_entry){.user = actor->name,
                                 .action = "event.create",
                                 .entity = "event:new",
                                 .unit = p->e.unit,
                                 .after = summary(a, &p->e, in->nparts),
                                 .client = client};
    return ERR_OK;
}

struct batch {
    struct prepared *p;
    size_t n;
};

static int batch_write(struct db *db, void *ctx, struct err *err)
{
    struct batch *b = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < b->n && !rc; i++) {
        rc = event_write(db, &b->p[i].w, err);
        if (!rc) rc = store_audit_append(db, &b->p[i].ae, err);
        if (rc && b->n > 1) err_wrap(err, "第 %zu 次活动", i + 1);
    }
    return rc;
}

int events_create_many(struct app *app, const struct auth_user *actor, const struct event_in *in,
                       size_t n, const char *client, int64_t *ids, struct err *err)
{
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    struct batch b = {arena_zalloc(a, (n + 1) * sizeof *b.p), n};
    int rc = ERR_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = prepare(app, actor, &in[i], at, client, a, &b.p[i], err);
        if (rc && n > 1) err_wrap(err, "第 %zu 次活动", i + 1);
    }
    if (!rc) rc = in_tx(app, NULL, batch_write, &b, err);
    for (size_t i = 0; !rc && i < n; i++) {
        ids[i] = b.p[i].e.id;
        if (b.p[i].w.points) analytics_invalidate(app, POINTS_CHANGED);
    }
    arena_free(a);
    return rc;
}

int events_create(struct app *app, const struct auth_user *actor, const struct event_in *in,
                  const char *client, int64_t *id, struct err *err)
{
    return events_create_many(app, actor, in, 1, client, id, err);
}

static int update_as(struct app *app, const struct auth_user *actor, int64_t id,
                     const struct event_in *in, const char *action, const char *client,
                     struct err *err)
{
    if (in->type || in->org_id || in->unit)
        return err_set_field(err, ERR_INVALID,
                             in->type     ? "type"
                             : in->org_id ? "org"
                                          : "unit",
                             "活动类型和组织者不能修改；登记错了请另建一次活动");
    struct arena *a = arena_new();
    struct event_row e;
    struct db *db = store_acquire(app->store);
    int rc = store_event_get(db, a, id, &e, err);
    store_release(app->store, db);
    const struct event_type *t = rc ? NULL : events_type(app, e.type);
    if (!rc && !t) rc = err_set(err, ERR_CONFLICT, "活动类型 %s 已不再定义，不能修改", e.type);
    if (rc) {
        arena_free(a);
        return rc;
    }
    const char *before = summary(a, &e, 0);
    char at[32];
    auth_now_iso(at);
    e.updated_at = at;
    struct participant_row *rows = NULL;
    rc = apply(app, actor, t, in, a, &e, e.actions, &rows, err);
    if (!rc) {
        struct write w = {app, actor, client, &e, in, rows, false, a, false};
        struct audit_entry ae = {.user = actor->name,
                                 .action = action,
                                 .entity = arena_printf(a, "event:%lld", (long long)id),
                                 .unit = e.unit,
                                 .before = before,
                                 .after = summary(a, &e, in->nparts),
                                 .client = client};
        rc = in_tx(app, &ae, event_write, &w, err);
        if (!rc && w.points) analytics_invalidate(app, POINTS_CHANGED);
    }
    arena_free(a);
    return rc;
}

int events_update(struct app *app, const struct auth_user *actor, int64_t id,
                  const struct event_in *in, const char *client, struct err *err)
{
    return update_as(app, actor, id, in, "event.update", client, err);
}

int events_attendance_set(struct app *app, const struct auth_user *actor, int64_t id,
                          const struct participant_in *parts, size_t n, const char *client,
                          struct err *err)
{
    struct event_in in = {.parts = parts, .nparts = n, .parts_given = true};
    return update_as(app, actor, id, &in, "event.attendance", client, err);
}

/* ---- reading ---- */

struct view_ctx {
    struct arena *a;
    struct event_view *v;
    size_t cap;
};

static int keep_part(void *ctx, const struct participant_row *p)
{
    struct view_ctx *x = ctx;
    struct event_view *v = x->v;
    v->parts = arena_grow(x->a, v->parts, sizeof *v->parts, v->nparts, v->nparts + 1, &x->cap);
    v->parts[v->nparts++] = *p;
    return 0;
}

int events_get(struct app *app, int64_t id, struct arena *a, struct event_view *out,
               struct err *err)
{
    memset(out, 0, sizeof *out);
    struct db *db = store_acquire(app->store);
    int rc = store_event_get(db, a, id, &out->e, err);
    struct view_ctx x = {a, out, 0};
    if (!rc) rc = store_event_participants(db, a, id, keep_part, &x, err);
    if (!rc)
        rc = store_attached_files(db, a, STORE_ATTACH_EVENT, id, &out->files, &out->nfiles, err);
    store_release(app->store, db);
    return rc;
}

struct list_ctx {
    int (*fn)(void *ctx, const struct event_row *e);
    void *ctx;
    int n, limit;
    struct event_row last;
};

static int list_row(void *ctx, const struct event_row *e)
{
    struct list_ctx *x = ctx;
    if (++x->n > x->limit) return 1; /* the first of the next page */
    x->last = *e;
    return x->fn(x->ctx, e);
}

int events_list(struct app *app, const struct event_query *q, struct arena *a,
                int (*fn)(void *ctx, const struct event_row *e), void *ctx, const char **next,
                struct err *err)
{
    struct store_event_filter f = {.scope = q->unit,
                                   .type = q->type,
                                   .status = q->status,
                                   .org_id = q->org_id,
                                   .limit = q->limit + 1};
    *next = NULL;
    if (q->type && !events_type(app, q->type))
        return err_set_field(err, ERR_INVALID, "type", "没有活动类型 %s", q->type);
    if (q->status && strcmp(q->status, "planned") != 0 && strcmp(q->status, "held") != 0)
        return err_set_field(err, ERR_INVALID, "status", "status 须为 planned 或 held");
    if (q->period) {
        struct period p;
        int rc = period_parse(q->period, &p, err);
        if (rc) return rc;
        char *s = arena_alloc(a, 11), *n = arena_alloc(a, 11);
        period_dates(&p, s, n);
        f.from = s;
        f.next = n;
    }
    if (q->after && q->after[0]) {
        const char *comma = strchr(q->after, ',');
        char *end = NULL;
        long long aid = comma ? strtoll(comma + 1, &end, 10) : 0;
        int32_t day;
        char d[11] = "";
        if (comma && comma - q->after == 10) memcpy(d, q->after, 10);
        if (!comma || !end || *end || aid <= 0 || !tree_day_parse(d, &day))
            return err_set_field(err, ERR_INVALID, "after", "after 须为上一页返回的 next");
        f.after_day = arena_strdup(a, d);
        f.after_id = aid;
    }
    struct list_ctx x = {fn, ctx, 0, q->limit, {0}};
    struct db *db = store_acquire(app->store);
    int rc = store_events_list(db, a, &f, list_row, &x, err);
    store_release(app->store, db);
    if (rc == 1) rc = ERR_OK; /* the store answers OK when fn stops it */
    if (!rc && x.n > x.limit) {
        *next = arena_printf(a, "%s,%lld", x.last.day, (long long)x.last.id);
    }
    return rc;
}

int events_unit_of(struct app *app, struct arena *a, const char *id, const char **unit,
                   struct err *err)
{
    int64_t n;
    if (app_parse_id(id, "活动", &n, err)) return ERR_NOT_FOUND;
    struct event_row e;
    struct db *db = store_acquire(app->store);
    int rc = store_event_get(db, a, n, &e, err);
    store_release(app->store, db);
    *unit = rc ? NULL : e.unit;
    return rc;
}

int events_file(struct app *app, int64_t id, const char *sha256, struct arena *a,
                struct notice_file *out, const void **data, struct err *err)
{
    if (!files_is_digest(sha256)) return err_set(err, ERR_NOT_FOUND, "这次活动没有这个附件");
    struct db *db = store_acquire(app->store);
    int rc = store_attached_get(db, a, STORE_ATTACH_EVENT, id, sha256, out, data, err);
    store_release(app->store, db);
    return rc;
}

struct person_ctx {
    struct app *app;
    struct arena *a;
    struct person_event *rows;
    size_t n, cap;
};

static int keep_person_event(void *ctx, const struct event_row *e, const struct participant_row *p)
{
    struct person_ctx *x = ctx;
    x->rows = arena_grow(x->a, x->rows, sizeof *x->rows, x->n, x->n + 1, &x->cap);
    const struct attendance_code *c = events_attendance(x->app, p->attendance);
    x->rows[x->n++] = (struct person_event){*e, p->attendance, p->data, c && c->present};
    return 0;
}

int events_person_attendance(struct app *app, int64_t person_id, const char *from, const char *next,
                             struct arena *a, struct person_event **out, size_t *n, struct err *err)
{
    struct person_ctx x = {app, a, NULL, 0, 0};
    struct db *db = store_acquire(app->store);
    int rc = store_person_events(db, a, person_id, from, next, keep_person_event, &x, err);
    store_release(app->store, db);
    *out = x.rows;
    *n = x.n;
    return rc;
}
