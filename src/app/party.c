/* party.c — households and party organisations, with the 应建尽建 and
 * 换届 report (people.h). */
#include "app/analytics.h"
#include "app/audit.h"
#include "app/health.h"
#include "app/people.h"
#include "base/clock.h"
#include "base/mem.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_unit(struct app *app, const struct auth_user *actor, const char *unit,
                      struct err *err)
{
    if (!unit || !unit[0]) return err_set_field(err, ERR_INVALID, "unit", "请选择所属单位");
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "单位 %s 不在您的管辖范围内", unit);
    struct tree *t = app_tree(app);
    bool known = strlen(unit) <= UNIT_CODE_MAX && tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    return known ? ERR_OK : err_set_field(err, ERR_INVALID, "unit", "没有代码为 %s 的单位", unit);
}

typedef int (*write_fn)(struct db *db, void *ctx, struct err *err);

static int in_tx(struct app *app, const struct audit_entry *ae, bool orgs, write_fn write,
                 void *ctx, struct err *err)
{
    /* a household's tags count in its residents' health key groups */
    return app_write_tx(app, ae, orgs ? PEOPLE_ORGS_CHANGED : HEALTH_CHANGED, write, ctx, err);
}

/* ---- households ---- */

static int check_tags(struct app *app, const struct household_in *in, struct err *err)
{
    const struct people_defs *d = app->people;
    if (in->ntags > d->ntags) return err_set_field(err, ERR_INVALID, "tags", "标签重复");
    for (size_t i = 0; i < in->ntags; i++) {
        if (!people_name(d->tags, d->ntags, in->tags[i]))
            return err_set_field(err, ERR_INVALID, "tags", "没有户标签 %s", in->tags[i]);
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->tags[i], in->tags[k]) == 0)
                return err_set_field(err, ERR_INVALID, "tags", "标签重复");
    }
    return ERR_OK;
}

struct hh_write {
    struct household_row *h;
    const struct household_in *in;
    bool insert;
};

static int hh_write(struct db *db, void *ctx, struct err *err)
{
    struct hh_write *w = ctx;
    int rc =
        w->insert ? store_household_insert(db, w->h, err) : store_household_update(db, w->h, err);
    if (!rc && w->in->tags_given)
        rc = store_household_tags_set(db, w->h->id, w->in->tags, w->in->ntags, err);
    return rc;
}

static int apply_household(struct app *app, const struct auth_user *actor,
                           const struct household_in *in, struct arena *a, struct household_row *h,
                           struct err *err)
{
    int rc;
    if (in->unit) {
        if ((rc = check_unit(app, actor, in->unit, err))) return rc;
        h->unit = in->unit;
    }
    if (in->address) {
        if ((rc = app_check_text(in->address, "address", 200, false, err))) return rc;
        h->address = in->address;
    }
    if (in->head_id >= 0) {
        if (in->head_id > 0) {
            struct person_row p;
            struct db *db = store_acquire(app->store);
            rc = store_person_get(db, a, in->head_id, &p, err);
            store_release(app->store, db);
            if (rc == ERR_NOT_FOUND) return err_set_field(err, ERR_INVALID, "head", "没有这个人员");
            if (rc) return rc;
        }
        h->head_id = in->head_id;
    }
    return in->tags_given ? check_tags(app, in, err) : ERR_OK;
}

int people_household_create(struct app *app, const struct auth_user *actor,
                            const struct household_in *in, const char *client, int64_t *id,
                            struct err *err)
{
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    struct household_row h = {
        .address = "", .created_by = actor->name, .created_at = at, .updated_at = at};
    int rc = in->unit
                 ? apply_household(app, actor, in, a, &h, err)
                 : err_set_field(err, ERR_INVALID, "unit", "请选择户所在的村（社区）、网格或楼栋");
    if (!rc) {
        struct hh_write w = {&h, in, true};
        struct audit_entry ae = {
            .user = actor->name,
            .action = "household.create",
            .entity = "household:new",
            .unit = h.unit,
            .after = arena_printf(a, "{\"address\":\"%zu bytes\"}", strlen(h.address)),
            .client = client};
        rc = in_tx(app, &ae, false, hh_write, &w, err);
        *id = h.id;
    }
    arena_free(a);
    return rc;
}

int people_household_update(struct app *app, const struct auth_user *actor, int64_t id,
                            const struct household_in *in, const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct household_row h;
    struct db *db = store_acquire(app->store);
    int rc = store_household_get(db, a, id, &h, err);
    store_release(app->store, db);
    char at[32];
    auth_now_iso(at);
    h.updated_at = at;
    if (!rc && in->base_version && in->base_version != h.version)
        rc = err_set_field(err, ERR_CONFLICT, "base_version",
                           "这户在您修改期间已被他人修改（您依据的是第 %lld 版，现为第 %lld 版）",
                           (long long)in->base_version, (long long)h.version);
    if (!rc) rc = apply_household(app, actor, in, a, &h, err);
    if (!rc) {
        struct hh_write w = {&h, in, false};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "household.update",
                                 .entity = arena_printf(a, "household:%lld", (long long)id),
                                 .unit = h.unit,
                                 .client = client};
        rc = in_tx(app, &ae, false, hh_write, &w, err);
    }
    arena_free(a);
    return rc;
}

struct str_list {
    struct arena *a;
    const char ***v;
    size_t *n, cap;
};

static int keep_str(void *ctx, const char *s)
{
    struct str_list *l = ctx;
    *l->v = arena_grow(l->a, *l->v, sizeof **l->v, *l->n, *l->n + 1, &l->cap);
    (*l->v)[(*l->n)++] = arena_strdup(l->a, s);
    return 0;
}

struct ms_list {
    struct arena *a;
    struct membership_row **v;
    size_t *n, cap;
};

static int keep_membership(void *ctx, const struct membership_row *m)
{
    struct ms_list *l = ctx;
    *l->v = arena_grow(l->a, *l->v, sizeof **l->v, *l->n, *l->n + 1, &l->cap);
    (*l->v)[(*l->n)++] = *m;
    return 0;
}

int people_household_get(struct app *app, const struct auth_user *reader, int64_t id,
                         struct arena *a, struct household_view *out, struct err *err)
{
    (void)reader;
    memset(out, 0, sizeof *out);
    char today[11];
    clock_today(today, 0);
    struct db *db = store_acquire(app->store);
    int rc = store_household_get(db, a, id, &out->h, err);
    struct str_list tl = {a, &out->tags, &out->ntags, 0};
    struct ms_list ml = {a, &out->members, &out->nmembers, 0};
    if (!rc) rc = store_household_tags(db, id, keep_str, &tl, err);
    if (!rc) rc = store_memberships_of(db, a, true, id, today, keep_membership, &ml, err);
    store_release(app->store, db);
    return rc;
}

struct hh_page {
    int (*fn)(void *ctx, const struct household_row *h);
    void *ctx;
    int n, limit;
    const char *last_unit;
    int64_t last_id;
    struct arena *a;
};

static int hh_row(void *ctx, const struct household_row *h)
{
    struct hh_page *pg = ctx;
    if (pg->n++ == pg->limit) return 1;
    pg->last_unit = h->unit;
    pg->last_id = h->id;
    return pg->fn(pg->ctx, h);
}

int people_households_list(struct app *app, const char *unit, const char *tag, const char *after,
                           int limit, struct arena *a,
                           int (*fn)(void *ctx, const struct household_row *h), void *ctx,
                           const char **next, struct err *err)
{
    *next = NULL;
    if (tag && !people_name(app->people->tags, app->people->ntags, tag))
        return err_set_field(err, ERR_INVALID, "tag", "没有户标签 %s", tag);
    const char *after_unit = "";
    int64_t after_id = 0;
    if (after && after[0]) {
        const char *dot = strchr(after, '.');
        char *end;
        after_id = dot ? strtoll(dot + 1, &end, 10) : 0;
        if (!dot || dot - after > UNIT_CODE_MAX || *end || after_id <= 0)
            return err_set_field(err, ERR_INVALID, "after", "after 须为上一页返回的 next");
        after_unit = arena_strndup(a, after, (size_t)(dot - after));
    }
    struct hh_page pg = {fn, ctx, 0, limit, NULL, 0, a};
    struct db *db = store_acquire(app->store);
    int rc =
        store_households_list(db, a, unit, tag, after_unit, after_id, limit + 1, hh_row, &pg, err);
    store_release(app->store, db);
    if (!rc && pg.n > pg.limit) {
        *next = arena_printf(a, "%s.%lld", pg.last_unit, (long long)pg.last_id);
        rc = ERR_OK;
    }
    return rc;
}

/* A page of households, kept so that their details are read after the
 * listing's statement is done. */
struct hh_keep {
    struct arena *a;
    struct household_row *v;
    size_t n, cap;
};

static int keep_household(void *ctx, const struct household_row *h)
{
    struct hh_keep *k = ctx;
    k->v = arena_grow(k->a, k->v, sizeof *k->v, k->n, k->n + 1, &k->cap);
    k->v[k->n++] = *h;
    return 0;
}

int people_households_each(struct app *app, const struct auth_user *reader, const char *unit,
                           const char *tag, long limit,
                           int (*fn)(void *ctx, const struct household_view *v), void *ctx,
                           struct err *err)
{
    const char *after = NULL;
    char cursor[UNIT_CODE_MAX + 32]; /* the next page's, outliving the page's arena */
    long done = 0;
    int rc = ERR_OK;
    while (!rc && done < limit) {
        struct arena *a = arena_new();
        struct hh_keep page = {.a = a};
        const char *next;
        int n = limit - done < PEOPLE_LIST_MAX ? (int)(limit - done) : PEOPLE_LIST_MAX;
        rc = people_households_list(app, unit, tag, after, n, a, keep_household, &page, &next, err);
        for (size_t i = 0; !rc && i < page.n; i++) {
            struct household_view v;
            if (!(rc = people_household_get(app, reader, page.v[i].id, a, &v, err)))
                rc = fn(ctx, &v);
        }
        done += (long)page.n;
        if (next) snprintf(cursor, sizeof cursor, "%s", next);
        after = next ? cursor : NULL;
        arena_free(a);
        if (!after) break;
    }
    return rc < 0 ? rc : ERR_OK;
}

/* ---- party organisations ---- */

static int default_years(struct app *app, const char *unit)
{
    struct tree *t = app_tree(app);
    uint32_t i = tree_find(t, unit, strlen(unit));
    int kind = i == TREE_NONE ? 0 : tree_node(t, i)->kind;
    tree_unref(t);
    const struct people_defs *d = app->people;
    return kind == UNIT_KIND_VILLAGE     ? d->term_village
           : kind == UNIT_KIND_COMMUNITY ? d->term_community
                                         : d->term_default;
}

static int apply_org(struct app *app, const struct auth_user *actor, const struct org_in *in,
                     struct arena *a, struct org_row *o, struct err *err)
{
    const struct people_defs *d = app->people;
    int rc;
    if (in->name) {
        if ((rc = app_check_text(in->name, "name", 100, true, err))) return rc;
        o->name = in->name;
    }
    if (in->type) {
        if (!people_name(d->org_types, d->norg_types, in->type))
            return err_set_field(err, ERR_INVALID, "type",
                                 "党组织类型须为党委、党总支、党支部或党小组");
        o->type = in->type;
    }
    if (in->form) {
        if (!people_name(d->org_forms, d->norg_forms, in->form))
            return err_set_field(err, ERR_INVALID, "form", "党组织形式须为建制性、联合或功能性");
        o->form = in->form;
    }
    if (in->founded_on) {
        if (!person_date_ok(in->founded_on))
            return err_set_field(err, ERR_INVALID, "founded_on",
                                 "成立日期须为真实日期，格式如 2018-07-01");
        o->founded_on = in->founded_on;
    }
    if (in->term_start) {
        if (in->term_start[0] && !person_date_ok(in->term_start))
            return err_set_field(err, ERR_INVALID, "term_start", "本届任期起始日期须为真实日期");
        o->term_start = in->term_start;
    }
    if (in->dissolved_on) {
        if (in->dissolved_on[0] && !person_date_ok(in->dissolved_on))
            return err_set_field(err, ERR_INVALID, "dissolved_on", "撤销日期须为真实日期");
        o->dissolved_on = in->dissolved_on;
    }
    if (in->term_years) {
        if (in->term_years < 1 || in->term_years > 10)
            return err_set_field(err, ERR_INVALID, "term_years", "每届任期须为 1 到 10 年");
        o->term_years = in->term_years;
    }
    if (in->parent_id >= 0) {
        if (in->parent_id > 0) {
            if (in->parent_id == o->id)
                return err_set_field(err, ERR_INVALID, "parent", "上级党组织不能是它自己");
            struct org_row p;
            struct db *db = store_acquire(app->store);
            rc = store_org_get(db, a, in->parent_id, &p, err);
            store_release(app->store, db);
            if (rc == ERR_NOT_FOUND)
                return err_set_field(err, ERR_INVALID, "parent", "没有这个上级党组织");
            if (rc) return rc;
            if (!auth_in_scope(p.unit, o->unit))
                return err_set_field(err, ERR_INVALID, "parent",
                                     "上级党组织须属于本单位或上级单位");
        }
        o->parent_id = in->parent_id;
    }
    (void)actor;
    if (o->dissolved_on && o->dissolved_on[0] && strcmp(o->dissolved_on, o->founded_on) <= 0)
        return err_set_field(err, ERR_INVALID, "dissolved_on", "撤销日期须晚于成立日期 %s",
                             o->founded_on);
    return ERR_OK;
}

static char *org_json(struct arena *a, const struct org_row *o)
{
    return arena_printf(a,
                        "{\"name_bytes\":%zu,\"type\":\"%s\",\"form\":\"%s\",\"unit\":\"%s\","
                        "\"parent\":%lld,\"term_start\":\"%s\",\"term_years\":%d}",
                        strlen(o->name), o->type, o->form, o->unit, (long long)o->parent_id,
                        o->term_start ? o->term_start : "", o->term_years);
}

struct org_write {
    struct org_row *o;
    bool insert;
};

static int org_write(struct db *db, void *ctx, struct err *err)
{
    struct org_write *w = ctx;
    return w->insert ? store_org_insert(db, w->o, err) : store_org_update(db, w->o, err);
}

int people_org_create(struct app *app, const struct auth_user *actor, const struct org_in *in,
                      const char *client, int64_t *id, struct err *err)
{
    struct arena *a = arena_new();
    char at[32], today[11];
    auth_now_iso(at);
    clock_today(today, 0);
    struct org_row o = {.form = "standard",
                        .founded_on = today,
                        .created_by = actor->name,
                        .created_at = at,
                        .updated_at = at};
    int rc = ERR_OK;
    if (!in->name) rc = err_set_field(err, ERR_INVALID, "name", "请填写党组织名称");
    if (!rc && !in->type) rc = err_set_field(err, ERR_INVALID, "type", "请选择党组织类型");
    if (!rc) rc = check_unit(app, actor, in->unit, err);
    if (!rc) {
        o.unit = in->unit;
        o.term_years = default_years(app, in->unit);
        rc = apply_org(app, actor, in, a, &o, err);
    }
    if (!rc) {
        struct org_write w = {&o, true};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "party_org.create",
                                 .entity = "party_org:new",
                                 .unit = o.unit,
                                 .after = org_json(a, &o),
                                 .client = client};
        rc = in_tx(app, &ae, true, org_write, &w, err);
        *id = o.id;
    }
    arena_free(a);
    return rc;
}

int people_org_update(struct app *app, const struct auth_user *actor, int64_t id,
                      const struct org_in *in, const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct org_row o;
    struct db *db = store_acquire(app->store);
    int rc = store_org_get(db, a, id, &o, err);
    store_release(app->store, db);
    char *before = rc ? NULL : org_json(a, &o);
    char at[32];
    auth_now_iso(at);
    o.updated_at = at;
    if (!rc && in->unit && strcmp(in->unit, o.unit) != 0)
        rc =
            err_set_field(err, ERR_INVALID, "unit", "党组织所属单位不能更改；请撤销后在新单位重建");
    if (!rc) rc = apply_org(app, actor, in, a, &o, err);
    if (!rc) {
        struct org_write w = {&o, false};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "party_org.update",
                                 .entity = arena_printf(a, "party_org:%lld", (long long)id),
                                 .unit = o.unit,
                                 .before = before,
                                 .after = org_json(a, &o),
                                 .client = client};
        rc = in_tx(app, &ae, true, org_write, &w, err);
    }
    arena_free(a);
    return rc;
}

int people_org_get(struct app *app, const struct auth_user *reader, int64_t id, struct arena *a,
                   struct org_view *out, struct err *err)
{
    (void)reader;
    memset(out, 0, sizeof *out);
    char today[11];
    clock_today(today, 0);
    struct db *db = store_acquire(app->store);
    int rc = store_org_get(db, a, id, &out->o, err);
    struct ms_list ml = {a, &out->members, &out->nmembers, 0};
    if (!rc) rc = store_memberships_of(db, a, false, id, today, keep_membership, &ml, err);
    store_release(app->store, db);
    if (rc) return rc;
    char end[11] = "";
    if (out->o.term_start[0]) person_term_end(out->o.term_start, out->o.term_years, end);
    out->term_end = arena_strdup(a, end);
    for (size_t i = 0; i < out->nmembers; i++) {
        const struct people_kind *k = people_kind(app, out->members[i].kind);
        if (!k || strcmp(k->code, "party_member") != 0) continue;
        const struct people_stage *s = people_stage(k, out->members[i].stage);
        out->total += s && s->member;
        out->formal += s && s->formal;
    }
    return ERR_OK;
}

int people_orgs_list(struct app *app, const char *unit, struct arena *a,
                     int (*fn)(void *ctx, const struct org_row *o), void *ctx, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_orgs_list(db, a, unit, true, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}

/* ---- 应建尽建 and 换届 ---- */

struct report_build {
    struct app *app;
    struct arena *a;
    struct org_report *r;
    size_t fcap, tcap;
    struct org_row *orgs;
    size_t norgs, ocap;
    long *formal, *members; /* per org, by index */
    const char *today;
};

static int keep_org(void *ctx, const struct org_row *o)
{
    struct report_build *b = ctx;
    b->orgs = arena_grow(b->a, b->orgs, sizeof *b->orgs, b->norgs, b->norgs + 1, &b->ocap);
    b->orgs[b->norgs++] = *o;
    return 0;
}

static void add_finding(struct report_build *b, const struct org_rule *rule,
                        const struct org_row *o, const char *unit, long formal, long members)
{
    struct org_report *r = b->r;
    r->findings = arena_grow(b->a, r->findings, sizeof *r->findings, r->nfindings, r->nfindings + 1,
                             &b->fcap);
    r->findings[r->nfindings++] = (struct org_finding){
        rule->code, rule->message, o ? o->id : 0, o ? o->name : "", unit, formal, members};
}

static bool unit_has_org(const struct report_build *b, const char *unit)
{
    for (size_t i = 0; i < b->norgs; i++)
        if (strcmp(b->orgs[i].unit, unit) == 0) return true;
    return false;
}

static int count_row(void *ctx, int64_t org_id, const char *unit, long formal, long members)
{
    struct report_build *b = ctx;
    for (size_t i = 0; org_id && i < b->norgs; i++)
        if (b->orgs[i].id == org_id) {
            b->formal[i] += formal;
            b->members[i] += members;
            return 0;
        }
    if (org_id || unit_has_org(b, unit)) return 0;
    /* members attached to a unit without any organisation */
    for (size_t k = 0; k < b->app->people->nrules; k++)
        if (org_rule_fires(&b->app->people->rules[k], NULL, NULL, formal, members))
            add_finding(b, &b->app->people->rules[k], NULL, arena_strdup(b->a, unit), formal,
                        members);
    return 0;
}

static int by_days(const void *x, const void *y)
{
    const struct org_term *a = x, *b = y;
    return (a->days_left > b->days_left) - (a->days_left < b->days_left);
}

int people_org_report(struct app *app, const char *unit, int days, struct arena *a,
                      struct org_report *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    out->days = days > 0 ? days : app->people->reminder_days;
    char today[11];
    clock_today(today, 0);
    struct report_build b = {.app = app, .a = a, .r = out, .today = today};
    const struct people_kind *k = people_kind(app, "party_member");
    struct db *db = store_acquire(app->store);
    int rc = store_orgs_list(db, a, unit, true, keep_org, &b, err);
    b.formal = arena_zalloc(a, (b.norgs + 1) * sizeof *b.formal);
    b.members = arena_zalloc(a, (b.norgs + 1) * sizeof *b.members);
    if (!rc && k)
        rc = store_member_counts(db, k->code, k->formal_stages, k->member_stages, today, unit,
                                 count_row, &b, err);
    store_release(app->store, db);
    if (rc) return rc;
    size_t tcap = 0;
    for (size_t i = 0; i < b.norgs; i++) {
        const struct org_row *o = &b.orgs[i];
        for (size_t r = 0; r < app->people->nrules; r++)
            if (org_rule_fires(&app->people->rules[r], o->type, o->form, b.formal[i], b.members[i]))
                add_finding(&b, &app->people->rules[r], o, o->unit, b.formal[i], b.members[i]);
        if (!o->term_start[0]) continue;
        char end[11];
        person_term_end(o->term_start, o->term_years, end);
        long left = person_days_between(today, end);
        if (left > out->days) continue;
        out->terms =
            arena_grow(a, out->terms, sizeof *out->terms, out->nterms, out->nterms + 1, &tcap);
        out->terms[out->nterms++] =
            (struct org_term){o->id, o->name, o->unit, o->term_start, arena_strdup(a, end), left};
    }
    if (out->nterms) qsort(out->terms, out->nterms, sizeof *out->terms, by_days);
    return ERR_OK;
}
