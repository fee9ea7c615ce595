/* share.c — 共享小区 posts, suggestions, matches and confirmations, and
 * the computed data elements (share.h). Rules: data/share.json
 * (share_defs.c). */
#include "app/share.h"
#include "app/audit.h"
#include "base/clock.h"
#include "core/pii.h"
#include "core/seal.h"
#include "core/tree.h"
#include "store/store_share.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESIDENT "resident" /* created_by and audit user of residents' writes */

static bool reaches(const struct auth_user *actor, const char *unit)
{
    return !actor || auth_in_scope(actor->scope, unit);
}

static const char *who(const struct auth_user *actor)
{
    return actor ? actor->name : RESIDENT;
}

static int write_in_tx(struct app *app, const char *user, const char *action, int64_t id,
                       const char *unit, const char *after, const char *client, app_write_fn write,
                       void *ctx, struct err *err)
{
    char entity[48];
    snprintf(entity, sizeof entity, "share:%lld", (long long)id);
    struct audit_entry ae = {.user = user,
                             .action = action,
                             .entity = entity,
                             .unit = unit,
                             .after = after,
                             .client = client};
    return app_write_tx(app, &ae, SHARE_CHANGED, write, ctx, err);
}

/* ---- posting ---- */

static int check_window(const struct app *app, const struct share_input *in, int64_t *from,
                        int64_t *to, struct err *err)
{
    char today[11];
    int64_t now;
    clock_today(today, 0);
    if (!share_day_parse(today, &now)) return err_set(err, ERR_INTERNAL, "today is not a date");
    if (!share_day_parse(in->from, from))
        return err_set_field(err, ERR_INVALID, "from", "开始日期须为 YYYY-MM-DD 格式的有效日期");
    if (!share_day_parse(in->to, to))
        return err_set_field(err, ERR_INVALID, "to", "结束日期须为 YYYY-MM-DD 格式的有效日期");
    if (*to < *from) return err_set_field(err, ERR_INVALID, "to", "结束日期不能早于开始日期");
    if (*to < now) return err_set_field(err, ERR_INVALID, "to", "结束日期已过，请填写今后的日期");
    if (*to - *from + 1 > app->share->max_window_days)
        return err_set_field(err, ERR_INVALID, "to", "时间段最长 %d 天",
                             app->share->max_window_days);
    return ERR_OK;
}

static int check_input(struct app *app, const struct auth_user *actor, const struct share_input *in,
                       struct err *err)
{
    const struct share_defs *s = app->share;
    if (!in->kind || (strcmp(in->kind, "need") != 0 && strcmp(in->kind, "offer") != 0))
        return err_set_field(err, ERR_INVALID, "kind",
                             "请选择发布需求（need）还是提供服务（offer）");
    if (!share_category_name(app, in->category))
        return err_set_field(err, ERR_INVALID, "category", "类别须为物品、技能、场地或时间之一");
    struct tree *t = app_tree(app);
    uint32_t u = in->unit ? tree_find(t, in->unit, strlen(in->unit)) : TREE_NONE;
    int level = u == TREE_NONE ? 0 : tree_node(t, u)->level;
    tree_unref(t);
    if (u == TREE_NONE || level != UNIT_VILLAGE)
        return err_set_field(err, ERR_INVALID, "unit", "请选择所在的社区或村");
    if (!reaches(actor, in->unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "该社区不在您的管辖范围内");
    int rc = app_check_text(in->title, "title", (size_t)s->max_title, true, err);
    if (!rc) rc = app_check_text(in->body, "body", (size_t)s->max_body, false, err);
    if (!rc) rc = app_check_text(in->building, "building", (size_t)s->max_building, false, err);
    return rc;
}

static void new_code(char out[SHARE_CODE_LEN + 1])
{
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    for (int i = 0; i < SHARE_CODE_LEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[SHARE_CODE_LEN] = '\0';
}

static int write_post(struct db *db, void *ctx, struct err *err)
{
    return store_share_post_insert(db, ctx, err);
}

int share_post_create(struct app *app, const struct auth_user *actor, const struct share_input *in,
                      const char *client, int64_t *id, char *code, struct err *err)
{
    *id = 0;
    int rc = check_input(app, actor, in, err);
    struct share_post_row p = {.kind = in->kind,
                               .category = in->category,
                               .unit = in->unit,
                               .building = in->building ? in->building : "",
                               .title = in->title,
                               .body = in->body ? in->body : "",
                               .created_by = who(actor)};
    if (!rc) rc = check_window(app, in, &p.day_from, &p.day_to, err);
    if (rc) return rc;
    char phone[PII_PHONE_LEN + 1], masked[24], hash[SEAL_HASH_HEX], at[32], today[11];
    char *sealed = NULL;
    bool has_contact = in->contact && in->contact[0];
    if (!has_contact && !actor)
        return err_set_field(err, ERR_INVALID, "contact", "请留下手机号码，方便对接时联系您");
    if (has_contact) {
        if (pii_phone_normalize(in->contact, strlen(in->contact), phone, err)) {
            snprintf(err->field, sizeof err->field, "contact");
            return ERR_INVALID;
        }
        pii_mask_phone(phone, strlen(phone), masked, sizeof masked);
        if ((rc = seal_encrypt(&app->seal, phone, strlen(phone), &sealed, err))) return rc;
        p.contact_sealed = sealed;
        p.contact_masked = masked;
    }
    if (!actor) {
        new_code(code);
        seal_lookup_hash(&app->seal, code, SHARE_CODE_LEN, hash);
        p.code_hash = hash;
    }
    auth_now_iso(at);
    clock_today(today, 0);
    p.created_at = at;
    p.created_on = today;
    json_t *o =
        json_pack("{s:s,s:s,s:s}", "kind", in->kind, "category", in->category, "title", in->title);
    char *after = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    rc =
        write_in_tx(app, who(actor), "share.post", 0, in->unit, after, client, write_post, &p, err);
    free(after);
    free(sealed);
    if (!rc) *id = p.id;
    return rc;
}

/* ---- reading ---- */

struct rows_ctx {
    struct share_post_row *rows;
    size_t n, cap;
};

static int keep_post(void *ctx, const struct share_post_row *p)
{
    struct rows_ctx *x = ctx;
    if (x->n == x->cap) return 1;
    x->rows[x->n++] = *p;
    return 0;
}

int share_posts(struct app *app, const char *unit, const char *kind, const char *state,
                struct arena *a, struct share_post_row **out, size_t *n, struct err *err)
{
    struct rows_ctx x = {.cap = SHARE_LIST_MAX};
    x.rows = arena_zalloc(a, x.cap * sizeof *x.rows);
    struct db *db = store_acquire(app->store);
    int rc = store_share_posts(db, a, unit, kind, state, (int)x.cap, keep_post, &x, err);
    store_release(app->store, db);
    *out = x.rows;
    *n = x.n;
    return rc;
}

int share_post_get(struct app *app, const struct auth_user *actor, int64_t id, struct arena *a,
                   struct share_post_row *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = id > 0 ? store_share_post_get(db, a, id, out, err) : ERR_NOT_FOUND;
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND || (!rc && !reaches(actor, out->unit))) {
        err_clear(err);
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的需求或服务（或不在您的管辖范围内）",
                       (long long)id);
    }
    return rc;
}

int share_suggest(struct app *app, const struct auth_user *actor, int64_t id, struct arena *a,
                  struct share_post_row **out, size_t *n, struct err *err)
{
    struct share_post_row p;
    *n = 0;
    int rc = share_post_get(app, actor, id, a, &p, err);
    if (rc) return rc;
    struct rows_ctx x = {.cap = (size_t)app->share->suggestions};
    x.rows = arena_zalloc(a, x.cap * sizeof *x.rows);
    *out = x.rows;
    if (strcmp(p.state, "open") != 0) return ERR_OK; /* matched or closed: nothing to suggest */
    struct db *db = store_acquire(app->store);
    rc = store_share_suggest(db, a, &p, (int)x.cap, keep_post, &x, err);
    store_release(app->store, db);
    *n = x.n;
    return rc;
}

/* ---- closing ---- */

struct close_write {
    int64_t id;
};

static int write_close(struct db *db, void *ctx, struct err *err)
{
    const struct close_write *w = ctx;
    int rc = store_share_post_take(db, w->id, "closed", err);
    if (rc == ERR_CONFLICT) {
        err_clear(err);
        return err_set(err, ERR_CONFLICT, "已撮合或已撤回的需求、服务不能撤回");
    }
    return rc;
}

static int close_post(struct app *app, const char *user, const struct share_post_row *p,
                      const char *client, struct err *err)
{
    struct close_write w = {p->id};
    return write_in_tx(app, user, "share.close", p->id, p->unit, NULL, client, write_close, &w,
                       err);
}

int share_post_close(struct app *app, const struct auth_user *actor, int64_t id, const char *client,
                     struct err *err)
{
    struct arena *a = arena_new();
    struct share_post_row p;
    int rc = share_post_get(app, actor, id, a, &p, err);
    if (!rc) rc = close_post(app, who(actor), &p, client, err);
    arena_free(a);
    return rc;
}

/* ---- matching ---- */

struct match_write {
    struct share_match_row m;
};

static int write_match(struct db *db, void *ctx, struct err *err)
{
    struct match_write *w = ctx;
    int rc = store_share_post_take(db, w->m.need_id, "matched", err);
    if (!rc) rc = store_share_post_take(db, w->m.offer_id, "matched", err);
    if (!rc) rc = store_share_match_insert(db, &w->m, err);
    return rc;
}

static int check_pair(const struct share_post_row *n, const struct share_post_row *o,
                      struct err *err)
{
    if (strcmp(n->kind, "need") != 0)
        return err_set_field(err, ERR_INVALID, "need", "need 须为一条需求（不是服务）");
    if (strcmp(o->kind, "offer") != 0)
        return err_set_field(err, ERR_INVALID, "offer", "offer 须为一条服务（不是需求）");
    if (strcmp(n->unit, o->unit) != 0)
        return err_set_field(err, ERR_INVALID, "offer", "需求和服务须在同一社区或村");
    if (strcmp(n->category, o->category) != 0)
        return err_set_field(err, ERR_INVALID, "offer", "需求和服务须为同一类别");
    if (o->day_from > n->day_to || o->day_to < n->day_from)
        return err_set_field(err, ERR_INVALID, "offer", "需求和服务的时间段没有重叠");
    if (strcmp(n->state, "open") != 0 || strcmp(o->state, "open") != 0)
        return err_set(err, ERR_CONFLICT, "需求或服务已撮合、完成或撤回，不能再撮合");
    return ERR_OK;
}

int share_match(struct app *app, const struct auth_user *actor, int64_t need, int64_t offer,
                const char *client, int64_t *id, struct err *err)
{
    struct arena *a = arena_new();
    struct share_post_row n, o;
    char at[32];
    auth_now_iso(at);
    *id = 0;
    int rc = share_post_get(app, actor, need, a, &n, err);
    const char *missing = rc == ERR_NOT_FOUND ? "need" : "offer";
    if (!rc) rc = share_post_get(app, actor, offer, a, &o, err);
    if (rc == ERR_NOT_FOUND) { /* named in the body, not the path: 400 */
        err_clear(err);
        rc = err_set_field(err, ERR_INVALID, missing,
                           "没有这条需求或服务（或不在您的管辖范围内），请从列表中选择");
    }
    if (!rc) rc = check_pair(&n, &o, err);
    struct match_write w = {.m = {.need_id = need,
                                  .offer_id = offer,
                                  .unit = n.unit,
                                  .created_by = who(actor),
                                  .created_at = at}};
    if (!rc) {
        const char *after =
            arena_printf(a, "{\"need\":%lld,\"offer\":%lld}", (long long)need, (long long)offer);
        rc = write_in_tx(app, who(actor), "share.match", need, n.unit, after, client, write_match,
                         &w, err);
    }
    if (!rc) *id = w.m.id;
    arena_free(a);
    return rc;
}

struct matches_ctx {
    struct share_match_row *rows;
    size_t n;
};

static int keep_match(void *ctx, const struct share_match_row *m)
{
    struct matches_ctx *x = ctx;
    x->rows[x->n++] = *m;
    return 0;
}

int share_matches(struct app *app, const char *unit, struct arena *a, struct share_match_row **out,
                  size_t *n, struct err *err)
{
    struct matches_ctx x = {.rows = arena_zalloc(a, SHARE_LIST_MAX * sizeof *x.rows)};
    struct db *db = store_acquire(app->store);
    int rc = store_share_matches(db, a, unit, SHARE_LIST_MAX, keep_match, &x, err);
    store_release(app->store, db);
    *out = x.rows;
    *n = x.n;
    return rc;
}

int share_match_get(struct app *app, int64_t id, struct arena *a, struct share_match_row *out,
                    struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_share_match_get(db, a, id, out, err);
    store_release(app->store, db);
    return rc;
}

/* ---- confirming ---- */

struct confirm_write {
    int64_t match;
    bool need_side;
    int rating;
    const char *at, *today;
};

static int write_confirm(struct db *db, void *ctx, struct err *err)
{
    const struct confirm_write *w = ctx;
    return store_share_confirm(db, w->match, w->need_side, w->at, w->rating, w->today, err);
}

static int confirm(struct app *app, const char *user, const struct share_match_row *m,
                   bool need_side, int rating, const char *client, struct err *err)
{
    if (rating < 1 || rating > 5)
        return err_set_field(err, ERR_INVALID, "rating", "请给出 1 到 5 星的评价");
    char at[32], today[11], after[64];
    auth_now_iso(at);
    clock_today(today, 0);
    snprintf(after, sizeof after, "{\"side\":\"%s\",\"rating\":%d}", need_side ? "need" : "offer",
             rating);
    struct confirm_write w = {m->id, need_side, rating, at, today};
    return write_in_tx(app, user, "share.confirm", m->id, m->unit, after, client, write_confirm, &w,
                       err);
}

int share_confirm(struct app *app, const struct auth_user *actor, int64_t match, const char *side,
                  int rating, const char *client, struct err *err)
{
    if (!side || (strcmp(side, "need") != 0 && strcmp(side, "offer") != 0))
        return err_set_field(err, ERR_INVALID, "side",
                             "side 须为 need（需求方）或 offer（服务方）");
    struct arena *a = arena_new();
    struct share_match_row m;
    int rc = match > 0 ? share_match_get(app, match, a, &m, err) : ERR_NOT_FOUND;
    if (rc == ERR_NOT_FOUND || (!rc && !reaches(actor, m.unit))) {
        err_clear(err);
        rc = err_set_field(err, ERR_INVALID, "match",
                           "没有编号为 %lld 的撮合（或不在您的管辖范围内）", (long long)match);
    }
    if (!rc) rc = confirm(app, who(actor), &m, strcmp(side, "need") == 0, rating, client, err);
    arena_free(a);
    return rc;
}

/* ---- residents, by the confirmation code ---- */

int share_by_code(struct app *app, const char *code, struct arena *a, struct share_post_row *out,
                  struct err *err)
{
    if (!code || strlen(code) != SHARE_CODE_LEN)
        return err_set(err, ERR_NOT_FOUND, "确认码不存在，请核对");
    char hash[SEAL_HASH_HEX];
    seal_lookup_hash(&app->seal, code, SHARE_CODE_LEN, hash);
    struct db *db = store_acquire(app->store);
    int rc = store_share_post_by_code(db, a, hash, out, err);
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND) {
        err_clear(err);
        return err_set(err, ERR_NOT_FOUND, "确认码不存在，请核对");
    }
    return rc;
}

int share_code_close(struct app *app, const char *code, const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct share_post_row p;
    int rc = share_by_code(app, code, a, &p, err);
    if (!rc) rc = close_post(app, RESIDENT, &p, client, err);
    arena_free(a);
    return rc;
}

int share_code_confirm(struct app *app, const char *code, int rating, const char *client,
                       struct err *err)
{
    struct arena *a = arena_new();
    struct share_post_row p;
    struct share_match_row m;
    int rc = share_by_code(app, code, a, &p, err);
    if (!rc && !p.match_id) rc = err_set(err, ERR_CONFLICT, "尚未撮合，撮合后才能确认");
    if (!rc) rc = share_match_get(app, p.match_id, a, &m, err);
    if (!rc) rc = confirm(app, RESIDENT, &m, strcmp(p.kind, "need") == 0, rating, client, err);
    arena_free(a);
    return rc;
}

/* ---- computed data elements ---- */

static const char *const computed_names[] = {"done", "needs", "offers", NULL};
static const char computed_choices[] =
    "done（完成的撮合）、needs（发布的需求）或 offers（发布的服务）";

int share_computed_check(const struct app *app, const char *computed, struct err *err)
{
    (void)app;
    return computed_count(computed, computed_names, computed_choices, err) < 0 ? ERR_INVALID
                                                                               : ERR_OK;
}

int share_computed_counts(struct app *app, const char *computed, const char *start,
                          const char *next, const char *date, computed_add fn, void *ctx,
                          struct err *err)
{
    (void)date;
    int what = computed_count(computed, computed_names, computed_choices, err);
    if (what < 0) return ERR_INVALID;
    struct db *db = store_acquire(app->store);
    int rc = store_share_counts(db, what, start, next, fn, ctx, err);
    store_release(app->store, db);
    return rc;
}
