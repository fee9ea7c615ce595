/* persons.c — persons and their memberships (people.h). */
#include "app/analytics.h"
#include "app/memo.h"
#include "app/audit.h"
#include "app/health.h"
#include "app/people.h"
#include "app/points.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/pii.h"
#include "io/json_out.h"
#include "app/people_int.h"
#include "store/store.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rollups counted from the registry are stale after any change of it. */

const char *const people_sexes[] = {"男", "女", NULL};

/* A unit code known to the tree, inside the actor's scope. */
static int check_unit(struct app *app, const struct auth_user *actor, const char *unit,
                      const char *field, struct err *err)
{
    if (!unit || !unit[0]) return err_set_field(err, ERR_INVALID, field, "请选择所属单位");
    struct tree *t = app_tree(app);
    bool known = strlen(unit) <= UNIT_CODE_MAX && tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, field, "单位 %s 不在您的管辖范围内", unit);
    if (!known) return err_set_field(err, ERR_INVALID, field, "没有代码为 %s 的单位", unit);
    return ERR_OK;
}

/* Runs write(db, ctx) and the audit record in one write transaction;
 * `changed` (may be NULL) is the registry source whose rollups go stale. */
static int in_tx(struct app *app, const struct audit_entry *ae, const char *changed,
                 int (*write)(struct db *db, void *ctx, struct err *err), void *ctx,
                 struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = write(db, ctx, err);
    if (!rc && ae) rc = store_audit_append(db, ae, err);
    if (!rc && changed) {
        char payload[64];
        snprintf(payload, sizeof payload, APP_CHANGED_ELEMENT "%s", changed);
        rc = db_notify(db, payload, err);
    }
    if (!rc && !changed) rc = db_notify(db, APP_CHANGED_MEMO, err); /* names in kept answers */
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc && changed) analytics_invalidate(app, changed);
    if (!rc && !changed) memo_bump(app->memo);
    return rc;
}

/* ---- persons ---- */

/* Seals and hashes one personal number (normalized) into the row. */
static int seal_number(struct app *app, struct arena *a, const char *norm, bool id,
                       struct person_row *p, struct err *err)
{
    char *sealed, hash[SEAL_HASH_HEX], masked[32];
    int rc = seal_encrypt(&app->seal, norm, strlen(norm), &sealed, err);
    if (rc) return rc;
    seal_lookup_hash(&app->seal, norm, strlen(norm), hash);
    if (id) {
        pii_mask_idcard(norm, strlen(norm), masked, sizeof masked);
        p->id_sealed = arena_strdup(a, sealed);
        p->id_hash = arena_strdup(a, hash);
        p->id_masked = arena_strdup(a, masked);
    } else {
        pii_mask_phone(norm, strlen(norm), masked, sizeof masked);
        p->phone_sealed = arena_strdup(a, sealed);
        p->phone_hash = arena_strdup(a, hash);
        p->phone_masked = arena_strdup(a, masked);
    }
    free(sealed);
    return ERR_OK;
}

/* Applies the given members of in to p, checking each (today's date). */
int people_person_apply(struct app *app, const struct auth_user *actor, const struct person_in *in,
                        struct arena *a, struct person_row *p, struct err *err)
{
    char today[11];
    clock_today(today, 0);
    int rc;
    if (in->name) {
        if ((rc = app_check_text(in->name, "name", PERSON_NAME_MAX, true, err))) return rc;
        p->name = in->name;
    }
    if (in->unit) {
        if ((rc = check_unit(app, actor, in->unit, "unit", err))) return rc;
        p->unit = in->unit;
    }
    if (in->sex) {
        bool ok = !in->sex[0];
        for (int i = 0; people_sexes[i] && !ok; i++)
            ok = strcmp(in->sex, people_sexes[i]) == 0;
        if (!ok) return err_set_field(err, ERR_INVALID, "sex", "性别须为“男”或“女”");
        p->sex = in->sex;
    }
    if (in->ethnicity) {
        if ((rc = app_check_text(in->ethnicity, "ethnicity", 32, false, err))) return rc;
        p->ethnicity = in->ethnicity;
    }
    if (in->education) {
        if ((rc = app_check_text(in->education, "education", 32, false, err))) return rc;
        p->education = in->education;
    }
    if (in->birth_date) {
        if (in->birth_date[0] && (rc = person_birth_check(in->birth_date, today, err))) return rc;
        p->birth_date = in->birth_date;
    }
    if (in->id_number) {
        if (!in->id_number[0]) {
            p->id_sealed = p->id_hash = NULL;
            p->id_masked = "";
        } else {
            char norm[PII_IDCARD_LEN + 1];
            if ((rc = pii_idcard_normalize(in->id_number, strlen(in->id_number), norm, err)) ||
                (rc = person_id_check(norm, NULL, today, err))) {
                if (rc == ERR_INVALID && !strstr(err->msg, "GB 11643"))
                    err_wrap(err, "身份证号不符合 GB 11643 校验规则");
                snprintf(err->field, sizeof err->field, "id_number");
                return rc;
            }
            if ((rc = seal_number(app, a, norm, true, p, err))) return rc;
            if (!p->birth_date || !p->birth_date[0]) {
                char birth[11];
                person_id_birth(norm, birth);
                p->birth_date = arena_strdup(a, birth);
            }
        }
    }
    /* the birth date inside the number must be the one given */
    if (p->id_sealed && p->id_sealed[0] && p->birth_date && p->birth_date[0] && in->id_number &&
        in->id_number[0]) {
        char norm[PII_IDCARD_LEN + 1];
        if (!pii_idcard_normalize(in->id_number, strlen(in->id_number), norm, err) &&
            (rc = person_id_check(norm, p->birth_date, today, err)))
            return rc;
    }
    if (in->phone) {
        if (!in->phone[0]) {
            p->phone_sealed = p->phone_hash = NULL;
            p->phone_masked = "";
        } else {
            char norm[PII_PHONE_LEN + 1];
            if ((rc = pii_phone_normalize(in->phone, strlen(in->phone), norm, err))) {
                snprintf(err->field, sizeof err->field, "phone");
                return rc;
            }
            if ((rc = seal_number(app, a, norm, false, p, err))) return rc;
        }
    }
    if (in->account) {
        if ((rc = app_check_text(in->account, "account", 64, false, err))) return rc;
        p->account = in->account;
    }
    return ERR_OK;
}

static char *person_json(struct arena *a, const struct person_row *p)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "name", p->name);
    jw_kstr(&w, "unit", p->unit);
    jw_kstr(&w, "sex", p->sex ? p->sex : "");
    jw_kstr(&w, "birth_date", p->birth_date ? p->birth_date : "");
    jw_kstr(&w, "id_number", p->id_masked ? p->id_masked : ""); /* never the number itself */
    jw_kstr(&w, "phone", p->phone_masked ? p->phone_masked : "");
    jw_kstr(&w, "account", p->account ? p->account : "");
    jw_obj_end(&w);
    char *s = arena_strndup(a, b.p, b.len);
    buf_free(&b);
    return s;
}

struct person_write {
    struct app *app;
    struct person_row *p;
    bool insert;
    int64_t *existing;
    struct arena *a;
};

/* The duplicate rule, inside the write transaction: one record per ID hash. */
static int person_write(struct db *db, void *ctx, struct err *err)
{
    struct person_write *w = ctx;
    if (w->p->id_hash && w->p->id_hash[0]) {
        struct person_row old;
        struct err e2;
        err_clear(&e2);
        int rc = store_person_by_hash(db, w->a, w->p->id_hash, &old, &e2);
        if (rc == ERR_OK && old.id != w->p->id) {
            if (w->existing) *w->existing = old.id;
            struct tree *t = app_tree(w->app);
            uint32_t i = tree_find_any(t, old.unit, strlen(old.unit));
            const char *where = i == TREE_NONE ? "" : arena_strdup(w->a, tree_name(t, i));
            tree_unref(t);
            return err_set_field(err, ERR_CONFLICT, "id_number",
                                 "身份证号 %s 已登记为%s的 %s，同一人只能有一份档案", old.id_masked,
                                 where, old.name);
        }
        if (rc != ERR_NOT_FOUND && rc != ERR_OK) return err_set(err, rc, "%s", e2.msg);
    }
    return w->insert ? store_person_insert(db, w->p, err) : store_person_update(db, w->p, err);
}

int people_person_create(struct app *app, const struct auth_user *actor, const struct person_in *in,
                         const char *client, int64_t *id, int64_t *existing, struct err *err)
{
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    struct person_row p = {.sex = "",
                           .ethnicity = "",
                           .education = "",
                           .id_masked = "",
                           .phone_masked = "",
                           .created_by = actor->name,
                           .created_at = at,
                           .updated_at = at};
    int rc = ERR_OK;
    if (!in->name) rc = err_set_field(err, ERR_INVALID, "name", "请填写姓名");
    if (!rc && !in->unit) rc = err_set_field(err, ERR_INVALID, "unit", "请选择所属单位");
    if (!rc) rc = people_person_apply(app, actor, in, a, &p, err);
    if (!rc) {
        struct person_write w = {app, &p, true, existing, a};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "person.create",
                                 .entity = "person:new",
                                 .unit = p.unit,
                                 .after = person_json(a, &p),
                                 .client = client};
        rc = in_tx(app, &ae, HEALTH_CHANGED, person_write, &w, err); /* residents */
        *id = p.id;
    }
    arena_free(a);
    return rc;
}

int people_person_update(struct app *app, const struct auth_user *actor, int64_t id,
                         const struct person_in *in, const char *client, int64_t *existing,
                         struct err *err)
{
    struct arena *a = arena_new();
    struct person_row p;
    struct db *db = store_acquire(app->store);
    int rc = store_person_get(db, a, id, &p, err);
    store_release(app->store, db);
    char *before = rc ? NULL : person_json(a, &p);
    char at[32];
    auth_now_iso(at);
    p.updated_at = at;
    if (!rc) rc = people_person_apply(app, actor, in, a, &p, err);
    if (!rc) {
        struct person_write w = {app, &p, false, existing, a};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "person.update",
                                 .entity = arena_printf(a, "person:%lld", (long long)id),
                                 .unit = p.unit,
                                 .before = before,
                                 .after = person_json(a, &p),
                                 .client = client};
        rc = in_tx(app, &ae, HEALTH_CHANGED, person_write, &w, err); /* residents */
    }
    arena_free(a);
    return rc;
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

/* Opens a sealed number for a reader with pii:read; the masked form otherwise. */
static const char *shown(struct app *app, const struct auth_user *reader, struct arena *a,
                         const char *sealed, const char *masked)
{
    if (!sealed || !sealed[0] || !auth_has_perm(reader, "pii:read")) return masked;
    char *plain;
    struct err e;
    err_clear(&e);
    if (seal_decrypt(&app->seal, sealed, &plain, NULL, &e)) return masked;
    const char *s = arena_strdup(a, plain);
    sodium_memzero(plain, strlen(plain));
    free(plain);
    return s;
}

static int person_view(struct app *app, const struct auth_user *reader, struct db *db,
                       struct arena *a, struct person_view *out, struct err *err)
{
    out->id_number = shown(app, reader, a, out->p.id_sealed, out->p.id_masked);
    out->phone = shown(app, reader, a, out->p.phone_sealed, out->p.phone_masked);
    struct ms_list l = {a, &out->ms, &out->nms, 0};
    return store_memberships_of_person(db, a, out->p.id, NULL, keep_membership, &l, err);
}

int people_person_get(struct app *app, const struct auth_user *reader, int64_t id, struct arena *a,
                      struct person_view *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    struct db *db = store_acquire(app->store);
    int rc = store_person_get(db, a, id, &out->p, err);
    if (!rc) rc = person_view(app, reader, db, a, out, err);
    store_release(app->store, db);
    return rc;
}

int people_person_mine(struct app *app, const struct auth_user *reader, struct arena *a,
                       struct person_view *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    struct db *db = store_acquire(app->store);
    int rc = store_person_by_account(db, a, reader->name, &out->p, err);
    if (rc == ERR_NOT_FOUND)
        rc = err_set(err, ERR_NOT_FOUND, "您的账号还没有关联人员档案，请联系党组织管理员");
    /* one's own numbers, in full */
    struct auth_user self = *reader;
    static const char *const pii[] = {"pii:read", NULL};
    self.perms = pii;
    if (!rc) rc = person_view(app, &self, db, a, out, err);
    store_release(app->store, db);
    return rc;
}

/* "unit.id" cursors: the (unit, id) of the last row of a page. */
static int parse_cursor(const char *s, struct arena *a, const char **unit, int64_t *id,
                        struct err *err)
{
    *unit = "";
    *id = 0;
    if (!s || !s[0]) return ERR_OK;
    const char *dot = strchr(s, '.');
    char *end;
    long long v = dot ? strtoll(dot + 1, &end, 10) : 0;
    if (!dot || dot - s > UNIT_CODE_MAX || *end || v <= 0)
        return err_set_field(err, ERR_INVALID, "after", "after 须为上一页返回的 next");
    *unit = arena_strndup(a, s, (size_t)(dot - s));
    *id = v;
    return ERR_OK;
}

struct page {
    int (*fn)(void *ctx, const struct person_row *p, const char *at_unit, const char *at_stage);
    void *ctx;
    int n, limit;
    const char *last_unit;
    int64_t last_id;
    struct arena *a;
};

static int page_row(void *ctx, const struct person_row *p, const char *at_unit,
                    const char *at_stage)
{
    struct page *pg = ctx;
    if (pg->n++ == pg->limit) return 1; /* one more than the page: there is a next (n > limit) */
    pg->last_unit = arena_strdup(pg->a, at_unit);
    pg->last_id = p->id;
    return pg->fn(pg->ctx, p, at_unit, at_stage);
}

int people_persons_list(struct app *app, const struct auth_user *reader,
                        const struct person_query *q, struct arena *a,
                        int (*fn)(void *ctx, const struct person_row *p, const char *at_unit,
                                  const char *at_stage),
                        void *ctx, const char **next, struct err *err)
{
    (void)reader;
    *next = NULL;
    char today[11];
    clock_today(today, 0);
    struct store_person_filter f = {.scope = q->unit,
                                    .limit = q->limit + 1,
                                    .org_id = q->org_id,
                                    .date = q->date ? q->date : today};
    int rc = parse_cursor(q->after, a, &f.after_unit, &f.after_id, err);
    if (rc) return rc;
    if (q->date && !person_date_ok(q->date))
        return err_set_field(err, ERR_INVALID, "date", "date 须为日期，如 2026-06-30");
    if (q->membership) {
        const struct people_kind *k = people_kind(app, q->membership);
        if (!k)
            return err_set_field(err, ERR_INVALID, "membership", "没有身份类别 %s", q->membership);
        f.kind = k->code;
        f.stages = k->member_stages;
        if (q->stage) {
            if (!people_stage(k, q->stage))
                return err_set_field(err, ERR_INVALID, "stage", "%s没有阶段 %s", k->name, q->stage);
            f.stages = arena_printf(a, ",%s,", q->stage);
        }
    } else if (q->stage || q->org_id) {
        return err_set_field(err, ERR_INVALID, "membership",
                             "按阶段或党组织筛选时须同时给出 membership");
    }
    struct page pg = {fn, ctx, 0, q->limit, NULL, 0, a};
    struct db *db = store_acquire(app->store);
    rc = store_persons_list(db, a, &f, page_row, &pg, err);
    store_release(app->store, db);
    if (!rc && pg.n > pg.limit) {
        *next = arena_printf(a, "%s.%lld", pg.last_unit, (long long)pg.last_id);
        rc = ERR_OK;
    }
    return rc;
}

/* ---- memberships ---- */

struct ms_write {
    struct app *app;
    const struct people_kind *k;
    struct membership_row *m;
    int64_t end_id; /* a membership ended on m->from_date first (转阶段), or 0 */
    struct arena *a;
};

struct overlap {
    const struct membership_row *m;
    int64_t skip;
    const struct membership_row *hit;
    struct arena *a;
};

static int find_overlap(void *ctx, const struct membership_row *o)
{
    struct overlap *x = ctx;
    if (o->id == x->skip ||
        !person_overlap(o->from_date, o->to_date, x->m->from_date, x->m->to_date))
        return 0;
    struct membership_row *hit = arena_alloc(x->a, sizeof *hit);
    *hit = *o;
    x->hit = hit;
    return 1;
}

int people_membership_insert(struct db *db, const struct people_kind *k, struct membership_row *m,
                             int64_t skip, struct arena *a, struct err *err)
{
    if (k->exclusive) {
        struct overlap x = {m, skip, NULL, a};
        int rc = store_memberships_of_person(db, a, m->person_id, k->code, find_overlap, &x, err);
        if (rc < 0) return rc;
        if (x.hit)
            return err_set_field(err, ERR_CONFLICT, "from",
                                 "%s：已有 %s 起的%s身份（编号 %lld）与之重叠", k->exclusive,
                                 x.hit->from_date, k->name, (long long)x.hit->id);
    }
    return store_membership_insert(db, m, err);
}

static int membership_write(struct db *db, void *ctx, struct err *err)
{
    struct ms_write *w = ctx;
    int rc;
    if (w->end_id && (rc = store_membership_end(db, w->end_id, w->m->from_date, "转阶段", err)))
        return rc;
    return people_membership_insert(db, w->k, w->m, w->end_id, w->a, err);
}

static char *membership_json(struct arena *a, const struct membership_row *m)
{
    return arena_printf(a,
                        "{\"person\":%lld,\"kind\":\"%s\",\"stage\":\"%s\",\"unit\":\"%s\","
                        "\"org\":%lld,\"household\":%lld,\"from\":\"%s\",\"to\":\"%s\"}",
                        (long long)m->person_id, m->kind, m->stage, m->unit, (long long)m->org_id,
                        (long long)m->household_id, m->from_date, m->to_date ? m->to_date : "");
}

/* Checks in against the definitions and finds its unit. */
static int check_membership(struct app *app, const struct auth_user *actor,
                            const struct membership_in *in, bool via_org, struct arena *a,
                            const struct people_kind **kind, struct membership_row *m,
                            struct err *err)
{
    const struct people_kind *k = people_kind(app, in->kind);
    if (!k)
        return err_set_field(err, ERR_INVALID, "kind", "没有身份类别 %s",
                             in->kind ? in->kind : "（未填）");
    if (via_org != (k->target == PEOPLE_TO_ORG))
        return err_set_field(err, ERR_INVALID, "kind",
                             via_org ? "%s不是党组织的成员身份" : "%s须在党组织中维护", k->name);
    if (k->nstages && !people_stage(k, in->stage))
        return err_set_field(err, ERR_INVALID, "stage", "请选择%s（%s）", k->stage_label, k->name);
    if (!k->nstages && in->stage && in->stage[0])
        return err_set_field(err, ERR_INVALID, "stage", "%s没有阶段", k->name);
    int rc = person_span_check(in->from, in->to, err);
    if (rc) return rc;
    if (in->attributes && (rc = app_check_text(in->attributes, "attributes", 2000, false, err)))
        return rc;
    struct db *db = store_acquire(app->store);
    struct person_row p;
    rc = store_person_get(db, a, in->person_id, &p, err);
    if (rc == ERR_NOT_FOUND) rc = err_set_field(err, ERR_INVALID, "person", "没有这个人员");
    *m = (struct membership_row){.person_id = in->person_id,
                                 .kind = k->code,
                                 .stage = in->stage ? in->stage : "",
                                 .from_date = in->from,
                                 .to_date = in->to,
                                 .attributes = in->attributes};
    if (!rc && k->target == PEOPLE_TO_ORG) {
        struct org_row o;
        rc = store_org_get(db, a, in->org_id, &o, err);
        if (!rc && o.dissolved_on[0] && strcmp(o.dissolved_on, in->from) <= 0)
            rc = err_set_field(err, ERR_INVALID, "from", "%s已于 %s 撤销", o.name, o.dissolved_on);
        char t[40];
        snprintf(t, sizeof t, ",%s,", rc ? "" : o.type);
        if (!rc && !strstr(k->org_types, t))
            rc = err_set_field(err, ERR_INVALID, "kind", "%s不能挂在这类党组织上", k->name);
        m->org_id = in->org_id;
        m->unit = rc ? NULL : o.unit;
    } else if (!rc && k->target == PEOPLE_TO_HOUSEHOLD) {
        struct household_row h;
        rc = store_household_get(db, a, in->household_id, &h, err);
        if (rc == ERR_NOT_FOUND) rc = err_set_field(err, ERR_INVALID, "household", "没有这一户");
        m->household_id = in->household_id;
        m->unit = rc ? NULL : h.unit;
    } else if (!rc) {
        m->unit = in->unit;
    }
    store_release(app->store, db);
    if (!rc) rc = check_unit(app, actor, m->unit, "unit", err);
    *kind = k;
    return rc;
}

int people_membership_add(struct app *app, const struct auth_user *actor,
                          const struct membership_in *in, bool via_org, const char *client,
                          int64_t *id, struct err *err)
{
    struct arena *a = arena_new();
    const struct people_kind *k;
    struct membership_row m;
    char at[32];
    auth_now_iso(at);
    int rc = check_membership(app, actor, in, via_org, a, &k, &m, err);
    if (!rc) {
        m.created_by = actor->name;
        m.created_at = at;
        struct ms_write w = {app, k, &m, 0, a};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "membership.add",
                                 .entity = arena_printf(a, "person:%lld", (long long)m.person_id),
                                 .unit = m.unit,
                                 .after = membership_json(a, &m),
                                 .client = client};
        rc = in_tx(app, &ae, PEOPLE_MEMBERSHIPS_CHANGED, membership_write, &w, err);
        *id = m.id;
    }
    arena_free(a);
    return rc;
}

/* The membership, if it belongs to the owner the route names. */
static int owned(struct app *app, struct arena *a, int64_t owner, bool via_org, int64_t id,
                 struct membership_row *m, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_membership_get(db, a, id, m, err);
    store_release(app->store, db);
    if (!rc && (via_org ? m->org_id : m->person_id) != owner)
        rc = err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的身份记录", (long long)id);
    if (!rc && via_org != (m->org_id != 0))
        rc = err_set_field(err, ERR_INVALID, "id",
                           via_org ? "这条身份记录不属于党组织" : "党组织成员身份须在党组织中维护");
    return rc;
}

struct end_write {
    int64_t id;
    const char *to, *reason;
};

static int end_write(struct db *db, void *ctx, struct err *err)
{
    struct end_write *w = ctx;
    return store_membership_end(db, w->id, w->to, w->reason, err);
}

int people_membership_end(struct app *app, const struct auth_user *actor, int64_t owner,
                          bool via_org, int64_t id, const char *to, const char *reason,
                          const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct membership_row m;
    int rc = owned(app, a, owner, via_org, id, &m, err);
    if (!rc && m.to_date[0])
        rc = err_set_field(err, ERR_CONFLICT, "to", "这条身份已于 %s 结束", m.to_date);
    if (!rc && !person_date_ok(to))
        rc = err_set_field(err, ERR_INVALID, "to", "结束日期须为真实日期，格式如 2026-07-01");
    if (!rc && strcmp(to, m.from_date) <= 0)
        rc = err_set_field(err, ERR_INVALID, "to", "结束日期须晚于起始日期 %s", m.from_date);
    if (!rc && reason) rc = app_check_text(reason, "reason", 200, false, err);
    if (!rc) rc = check_unit(app, actor, m.unit, "unit", err);
    if (!rc) {
        struct end_write w = {id, to, reason};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "membership.end",
                                 .entity = arena_printf(a, "person:%lld", (long long)m.person_id),
                                 .unit = m.unit,
                                 .before = membership_json(a, &m),
                                 .after = arena_printf(a, "{\"to\":\"%s\"}", to),
                                 .client = client};
        rc = in_tx(app, &ae, PEOPLE_MEMBERSHIPS_CHANGED, end_write, &w, err);
    }
    arena_free(a);
    return rc;
}

int people_membership_stage(struct app *app, const struct auth_user *actor, int64_t org_id,
                            int64_t id, const char *stage, const char *from, const char *client,
                            int64_t *new_id, struct err *err)
{
    struct arena *a = arena_new();
    struct membership_row old, m;
    const struct people_kind *k;
    int rc = owned(app, a, org_id, true, id, &old, err);
    if (!rc && old.to_date[0])
        rc = err_set_field(err, ERR_CONFLICT, "id", "这条身份已于 %s 结束", old.to_date);
    if (!rc && (!person_date_ok(from) || strcmp(from, old.from_date) <= 0))
        rc = err_set_field(err, ERR_INVALID, "from", "新阶段的起始日期须为晚于 %s 的真实日期",
                           old.from_date);
    if (!rc && stage && strcmp(stage, old.stage) == 0)
        rc = err_set_field(err, ERR_INVALID, "stage", "已经是这一阶段");
    struct membership_in in = {.kind = old.kind,
                               .stage = stage,
                               .from = from,
                               .person_id = old.person_id,
                               .org_id = old.org_id,
                               .attributes = old.attributes};
    if (!rc) rc = check_membership(app, actor, &in, true, a, &k, &m, err);
    if (!rc) {
        char at[32];
        auth_now_iso(at);
        m.created_by = actor->name;
        m.created_at = at;
        struct ms_write w = {app, k, &m, id, a};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "membership.stage",
                                 .entity = arena_printf(a, "person:%lld", (long long)m.person_id),
                                 .unit = m.unit,
                                 .before = membership_json(a, &old),
                                 .after = membership_json(a, &m),
                                 .client = client};
        rc = in_tx(app, &ae, PEOPLE_MEMBERSHIPS_CHANGED, membership_write, &w, err);
        *new_id = m.id;
    }
    arena_free(a);
    return rc;
}

/* ---- scope ---- */

struct unit_pick {
    const char *scope;
    const char *found;
    struct arena *a;
};

static int pick_unit(void *ctx, const char *unit)
{
    struct unit_pick *x = ctx;
    if (!auth_in_scope(x->scope, unit)) return 0;
    x->found = arena_strdup(x->a, unit);
    return 1;
}

int people_unit_of(struct app *app, struct arena *a, int record, const char *id, const char *scope,
                   const char **unit, struct err *err)
{
    int64_t n;
    int rc = app_parse_id(id, "记录", &n, err);
    if (rc) return ERR_NOT_FOUND;
    struct db *db = store_acquire(app->store);
    if (record == PEOPLE_PERSON) {
        struct person_row p;
        rc = store_person_get(db, a, n, &p, err);
        *unit = rc ? NULL : p.unit;
        if (!rc && !auth_in_scope(scope, p.unit)) {
            char today[11];
            clock_today(today, 0);
            struct unit_pick x = {scope, NULL, a};
            rc = store_person_units(db, n, today, pick_unit, &x, err);
            if (rc >= 0) rc = ERR_OK;
            if (x.found) *unit = x.found;
        }
    } else if (record == PEOPLE_HOUSEHOLD) {
        struct household_row h;
        rc = store_household_get(db, a, n, &h, err);
        *unit = rc ? NULL : h.unit;
    } else {
        struct org_row o;
        rc = store_org_get(db, a, n, &o, err);
        *unit = rc ? NULL : o.unit;
    }
    store_release(app->store, db);
    return rc;
}

/* ---- computed data elements ---- */

/* The definition's parts: source, kind, and the stage or type list as ",a,b,". */
struct computed {
    bool orgs, points;
    const char *kind;
    char list[512];
    long entered; /* months: count who entered a stage in the months up to the date, 0 = held */
    bool ages;    /* … the sum of their ages then ("measure": "age") */
};

static int computed_parse(const struct app *app, const char *text, struct computed *c,
                          struct err *err)
{
    memset(c, 0, sizeof *c);
    json_error_t je;
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    int rc = ERR_OK;
    const char *source = json_string_value(json_object_get(o, "source"));
    json_t *list = NULL;
    if (!json_is_object(o) || !source) {
        rc = err_set_field(
            err, ERR_INVALID, "computed",
            "computed 须为对象，如 {\"source\":\"memberships\",\"kind\":\"party_member\"}");
    } else if (strcmp(source, "memberships") == 0) {
        const struct people_kind *k =
            people_kind(app, json_string_value(json_object_get(o, "kind")));
        list = json_object_get(o, "stage");
        if (!k)
            rc = err_set_field(err, ERR_INVALID, "computed", "computed.kind 须为已定义的身份类别");
        for (size_t i = 0; !rc && i < json_array_size(list); i++)
            if (!people_stage(k, json_string_value(json_array_get(list, i))))
                rc = err_set_field(err, ERR_INVALID, "computed",
                                   "computed.stage 第 %zu 项不是%s的阶段", i + 1, k->name);
        if (!rc) c->kind = k->code;
        json_t *entered = json_object_get(o, "entered_months");
        const char *measure = json_string_value(json_object_get(o, "measure"));
        size_t known = 3 + (entered != NULL) + (json_object_get(o, "measure") != NULL);
        if (!rc && entered &&
            (!json_is_integer(entered) || json_integer_value(entered) < 1 ||
             json_integer_value(entered) > 120))
            rc = err_set_field(err, ERR_INVALID, "computed",
                               "computed.entered_months 须为 1 到 120 的整数（月）");
        if (!rc && json_object_get(o, "measure") &&
            (!measure || strcmp(measure, "age") != 0 || !entered))
            rc = err_set_field(err, ERR_INVALID, "computed",
                               "computed.measure 只能是 age，且须与 entered_months 一起使用");
        if (!rc) {
            c->entered = entered ? (long)json_integer_value(entered) : 0;
            c->ages = measure != NULL;
        }
        if (!rc && json_object_size(o) > known)
            rc = err_set_field(err, ERR_INVALID, "computed",
                               "computed 只能有 source、kind、stage、entered_months、measure");
    } else if (strcmp(source, "party_orgs") == 0) {
        c->orgs = true;
        list = json_object_get(o, "type");
        for (size_t i = 0; !rc && i < json_array_size(list); i++)
            if (!people_name(app->people->org_types, app->people->norg_types,
                             json_string_value(json_array_get(list, i))))
                rc = err_set_field(err, ERR_INVALID, "computed",
                                   "computed.type 第 %zu 项不是党组织类型", i + 1);
        if (!rc && json_object_size(o) > 2)
            rc = err_set_field(err, ERR_INVALID, "computed", "computed 只能有 source、type");
    } else if (strcmp(source, "points") == 0) {
        c->points = true; /* counted 党员积分 of the period (points.h) */
        if (json_object_size(o) > 1)
            rc = err_set_field(err, ERR_INVALID, "computed", "computed 只能有 source");
    } else {
        rc = err_set_field(err, ERR_INVALID, "computed",
                           "computed.source 须为 memberships、party_orgs 或 points");
    }
    if (!rc && list && !json_is_array(list))
        rc = err_set_field(err, ERR_INVALID, "computed", "computed 的阶段或类型须为数组");
    size_t len = 0;
    for (size_t i = 0; !rc && i < json_array_size(list); i++) {
        const char *s = json_string_value(json_array_get(list, i));
        int k = snprintf(c->list + len, sizeof c->list - len, "%s%s,", len ? "" : ",", s);
        if (k < 0 || (size_t)k >= sizeof c->list - len)
            rc = err_set_field(err, ERR_INVALID, "computed", "computed 的列表过长");
        else
            len += (size_t)k;
    }
    if (c->kind) c->kind = people_kind(app, c->kind)->code; /* outlives o */
    json_decref(o);
    return rc;
}

int people_computed_check(const struct app *app, const char *computed, struct err *err)
{
    struct computed c;
    return computed_parse(app, computed, &c, err);
}

int people_computed_counts(struct app *app, const char *computed, const char *start,
                           const char *next, const char *date, computed_add fn, void *ctx,
                           struct err *err)
{
    struct computed c;
    int rc = computed_parse(app, computed, &c, err);
    if (rc) return rc;
    if (c.points) return points_computed_sums(app, start, next, fn, ctx, err);
    char after[PERSON_DATE_LEN + 1];
    person_add_months(date, -c.entered, after);
    struct db *db = store_acquire(app->store);
    rc = c.orgs ? store_org_counts(db, c.list, date, fn, ctx, err)
         : c.entered
             ? store_membership_entered(db, c.kind, c.list, after, date, c.ages, fn, ctx, err)
             : store_membership_counts(db, c.kind, c.list, date, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
