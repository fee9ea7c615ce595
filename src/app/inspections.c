/* inspections.c — see inspections.h. The algorithm is core/draw.c; this
 * file reads the registries, keeps the snapshot and compares. */
#include "app/inspections.h"
#include "app/analytics.h"
#include "app/audit.h"
#include "app/auth.h"
#include "app/cases.h"
#include "app/cases_computed.h"
#include "app/items.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/draw.h"
#include "store/inspections.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ids {
    int64_t *v;
    size_t n, cap;
};

static void ids_push(struct ids *s, int64_t x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = x;
}

static int push_one(void *ctx, int64_t a, int64_t b)
{
    (void)b;
    ids_push(ctx, a);
    return 0;
}

static int push_two(void *ctx, int64_t a, int64_t b)
{
    ids_push(ctx, a);
    ids_push(ctx, b);
    return 0;
}

/* The snapshot as stored: ids ascending, comma-separated; links I:T. */
static char *join_ids(const struct ids *s)
{
    struct buf b = {0};
    for (size_t k = 0; k < s->n; k++)
        buf_printf(&b, "%s%" PRId64, k ? "," : "", s->v[k]);
    return buf_detach(&b, NULL);
}

static char *join_links(const struct ids *s)
{
    struct buf b = {0};
    for (size_t k = 0; k + 1 < s->n; k += 2)
        buf_printf(&b, "%s%" PRId64 ":%" PRId64, k ? "," : "", s->v[k], s->v[k + 1]);
    return buf_detach(&b, NULL);
}

/* Parses a stored list back; pairs (I:T) when pairs. false when malformed. */
static bool split_ids(const char *s, bool pairs, struct ids *out)
{
    while (*s) {
        char *end;
        long long x = strtoll(s, &end, 10);
        if (end == s) return false;
        ids_push(out, x);
        s = end;
        if (pairs) {
            if (*s != ':') return false;
            long long y = strtoll(s + 1, &end, 10);
            if (end == s + 1) return false;
            ids_push(out, y);
            s = end;
        }
        if (*s == ',')
            s++;
        else if (*s)
            return false;
    }
    return true;
}

/* The actor the engine's steps of a 双随机 check act as: whoever drew or
 * recorded (the route checked inspections:manage), within their scope,
 * with inspections:draw, which no role holds: the kind's cases are opened
 * by draws only, never by hand. */
const struct auth_user *inspections_actor(struct auth_user *u, const char *scope, const char *by)
{
    static const char *const perms[] = {"inspections:manage", "inspections:draw", NULL};
    *u = (struct auth_user){
        .name = by, .display_name = by, .scope = scope ? scope : "", .perms = perms};
    return u;
}

/* A drawn check's case (kinds/inspection.json): about the target's unit,
 * due on the plan's deadline, opened in the draw's transaction and linked
 * both ways (inspection_checks.case_id; the item page finds the check). */
static int open_case(struct app *app, struct db *db, struct arena *a, const char *scope,
                     const char *by, const char *client, int64_t check_id, struct err *err)
{
    struct insp_check_about ck;
    int rc = store_insp_check(db, a, check_id, &ck, err);
    if (rc) return rc;
    struct auth_user u;
    struct item_input in = {
        .type = "inspection",
        .title = arena_printf(a, "%s：%s", ck.item, ck.target),
        .description = arena_printf(a, "双随机抽查检查（第 %lld 号），按抽查计划于 %s 前完成检查",
                                    (long long)check_id, ck.deadline),
        .unit = ck.unit,
        .deadline = ck.deadline,
        .immediate = -1};
    struct case_full f = {.kind = items_kind(app, "inspection")};
    if (!f.kind) return err_set(err, ERR_INTERNAL, "kinds/inspection.json 未加载");
    rc = items_prepare(app, inspections_actor(&u, scope, by), &in, a, &f.c, err);
    struct case_change ch = {
        .f = &f,
        .insert = true,
        .ev = {.at = f.c.created_at, .actor = by, .kind = "create", .to_state = f.c.state}};
    if (!rc) rc = cases_create_in(app, db, &ch, client, a, err);
    if (!rc) rc = store_insp_check_link(db, check_id, f.c.id, err);
    return rc;
}

static const char *draw_rule(enum draw_status st)
{
    switch (st) {
    case DRAW_TOO_MANY_TARGETS:
        return "抽取数量超过检查对象名录库中的对象数";
    case DRAW_BAD_INPUT:
        return "每个检查对象至少随机选派两名执法检查人员";
    default:
        return "摇号失败";
    }
}

int inspections_draw(struct app *app, const char *scope, int64_t plan_id, const char *public_value,
                     const char *by, const char *client, int64_t *draw_id, struct err *err)
{
    struct arena *a = arena_new();
    struct ids t = {0}, in = {0}, l = {0};
    struct insp_plan p = {0};
    char now[32], digest[DRAW_SEED_HEX], seedhex[DRAW_SEED_HEX];
    time_t tt = clock_now();
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
    int64_t *out_t = NULL, *out_i = NULL;
    char *st_t = NULL, *st_i = NULL, *st_l = NULL;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_insp_plan(db, a, plan_id, &p, err);
    if (!rc && scope && !auth_in_scope(scope, p.unit))
        rc = err_set(err, ERR_NOT_FOUND, "抽查计划 %" PRId64 " 不存在（或不在您的管辖范围内）",
                     plan_id);
    /* the value announced with the plan is the one the seed takes */
    if (!rc && *p.public_value && public_value && *public_value &&
        strcmp(public_value, p.public_value) != 0)
        rc = err_set_field(err, ERR_INVALID, "public_value",
                           "摇号须使用计划事先公布的公开值“%s”（随机种子由事先公开的输入决定）",
                           p.public_value);
    if (!rc && (!public_value || !*public_value))
        public_value = *p.public_value ? p.public_value : now;
    if (!rc) rc = store_insp_targets(db, p.unit, push_one, &t, err);
    if (!rc) rc = store_insp_inspectors(db, p.unit, push_one, &in, err);
    if (!rc) rc = store_insp_links(db, p.unit, push_two, &l, err);
    size_t count = 0;
    if (!rc) {
        count = p.target_count > 0 ? (size_t)p.target_count
                                   : draw_count_for_ratio(t.n, (unsigned)p.ratio_permille);
        if (count == 0)
            rc = err_set(err, ERR_INVALID, "抽查计划“%s”的范围内没有可抽取的检查对象", p.name);
    }
    if (!rc) {
        draw_registry_digest(t.v, t.n, in.v, in.n, (const struct draw_link *)l.v, l.n / 2, digest);
        unsigned char seed[DRAW_SEED_BYTES];
        draw_seed(plan_id, digest, public_value, seed);
        draw_hex(seed, seedhex);
        size_t per = (size_t)p.per_target, elig = 0;
        int64_t bad = 0;
        out_t = xmalloc(count * sizeof *out_t);
        out_i = xmalloc(count * per * sizeof *out_i);
        enum draw_status ds = draw_run(seed, t.v, t.n, in.v, in.n, (const struct draw_link *)l.v,
                                       l.n / 2, count, per, out_t, out_i, &bad, &elig);
        if (ds == DRAW_TOO_FEW_INSPECTORS)
            rc = err_set(err, ERR_INVALID,
                         "回避后可选派的执法检查人员不足：检查对象 %" PRId64
                         " 需要 %zu 名，只有 %zu 名（每个检查对象至少随机选派两名执法检查人员，"
                         "与检查对象有利害关系的人员应当回避）",
                         bad, per, elig);
        else if (ds != DRAW_OK)
            rc = err_set(err, ERR_INVALID, "%s", draw_rule(ds));
        if (!rc) {
            st_t = join_ids(&t);
            st_i = join_ids(&in);
            st_l = join_links(&l);
            struct insp_draw d = {.plan_id = plan_id,
                                  .public_value = public_value,
                                  .registry_digest = digest,
                                  .seed = seedhex,
                                  .targets = st_t,
                                  .inspectors = st_i,
                                  .links = st_l,
                                  .drawn_count = (int64_t)count,
                                  .per_target = (int64_t)per,
                                  .drawn_at = now};
            rc = store_insp_draw_insert(db, &d, by, draw_id, err);
        }
        for (size_t k = 0; !rc && k < count; k++) {
            int64_t cid;
            rc = store_insp_check_insert(db, *draw_id, (int64_t)k + 1, out_t[k], &cid, err);
            for (size_t q = 0; !rc && q < per; q++)
                rc = store_insp_check_inspector(db, cid, (int64_t)q + 1, out_i[k * per + q], err);
            if (!rc) rc = open_case(app, db, a, scope, by, client, cid, err);
        }
        if (!rc) {
            char entity[48], after[160];
            snprintf(entity, sizeof entity, "inspection_draw:%" PRId64, *draw_id);
            snprintf(after, sizeof after, "{\"plan\":%" PRId64 ",\"seed\":\"%s\",\"count\":%zu}",
                     plan_id, seedhex, count);
            struct audit_entry ae = {.user = by,
                                     .action = "inspection.draw",
                                     .entity = entity,
                                     .unit = p.unit,
                                     .before = NULL,
                                     .after = after,
                                     .client = client};
            rc = store_audit_append(db, &ae, err);
        }
    }
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT INSPECTIONS_CHANGED, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) analytics_invalidate(app, INSPECTIONS_CHANGED);
    if (!rc) analytics_invalidate(app, CASES_CHANGED);
    free(t.v), free(in.v), free(l.v), free(out_t), free(out_i);
    free(st_t), free(st_i), free(st_l);
    arena_free(a);
    return rc;
}

/* The stored result, read back row by row. */
struct stored {
    struct ids targets, inspectors; /* inspectors: per_target a check, in order */
};

static int stored_check(void *ctx, int64_t seq, int64_t target)
{
    (void)seq;
    ids_push(&((struct stored *)ctx)->targets, target);
    return 0;
}

static int stored_inspector(void *ctx, int64_t seq, int64_t inspector)
{
    (void)seq;
    ids_push(&((struct stored *)ctx)->inspectors, inspector);
    return 0;
}

int inspections_verify(struct app *app, int64_t draw_id, struct buf *out, bool *same,
                       struct buf *diff, struct err *err)
{
    struct arena *a = arena_new();
    struct insp_draw d;
    struct stored s = {0};
    struct ids t = {0}, in = {0}, l = {0};
    int64_t *out_t = NULL, *out_i = NULL;
    *same = true;
    struct db *db = store_acquire(app->store);
    int rc = store_insp_draw(db, a, draw_id, &d, err);
    if (!rc) rc = store_insp_draw_rows(db, draw_id, stored_check, stored_inspector, &s, err);
    store_release(app->store, db);
    if (!rc && (!split_ids(d.targets, false, &t) || !split_ids(d.inspectors, false, &in) ||
                !split_ids(d.links, true, &l)))
        rc = err_set(err, ERR_INVALID, "摇号记录 %" PRId64 " 的名录库快照格式不正确", draw_id);
    if (!rc) {
        char digest[DRAW_SEED_HEX], seedhex[DRAW_SEED_HEX];
        unsigned char seed[DRAW_SEED_BYTES];
        draw_registry_digest(t.v, t.n, in.v, in.n, (const struct draw_link *)l.v, l.n / 2, digest);
        draw_seed(d.plan_id, digest, d.public_value, seed);
        draw_hex(seed, seedhex);
        buf_printf(out, "digest %s\nseed %s\npublic %s\n", digest, seedhex, d.public_value);
        if (strcmp(digest, d.registry_digest) != 0) {
            *same = false;
            buf_printf(diff, "名录库快照的摘要 %s 与记录的 %s 不同（快照被改动）\n", digest,
                       d.registry_digest);
        }
        if (strcmp(seedhex, d.seed) != 0) {
            *same = false;
            buf_printf(diff, "随机种子 %s 与记录的 %s 不同\n", seedhex, d.seed);
        }
        size_t count = (size_t)d.drawn_count, per = (size_t)d.per_target;
        out_t = xmalloc((count ? count : 1) * sizeof *out_t);
        out_i = xmalloc((count * per + 1) * sizeof *out_i);
        enum draw_status ds = draw_run(seed, t.v, t.n, in.v, in.n, (const struct draw_link *)l.v,
                                       l.n / 2, count, per, out_t, out_i, NULL, NULL);
        if (ds != DRAW_OK) {
            *same = false;
            buf_printf(diff, "按记录的输入重新摇号失败：%s\n", draw_rule(ds));
        } else {
            if (s.targets.n != count) {
                *same = false;
                buf_printf(diff, "记录的检查对象 %zu 个，重新摇号 %zu 个\n", s.targets.n, count);
            }
            if (s.inspectors.n != count * per) {
                *same = false;
                buf_printf(diff, "记录的执法检查人员 %zu 人次，重新摇号 %zu 人次\n", s.inspectors.n,
                           count * per);
            }
            for (size_t k = 0; k < count; k++) {
                buf_printf(out, "%" PRId64 ":", out_t[k]);
                for (size_t q = 0; q < per; q++)
                    buf_printf(out, " %" PRId64, out_i[k * per + q]);
                buf_putc(out, '\n');
                if (k < s.targets.n && s.targets.v[k] != out_t[k]) {
                    *same = false;
                    buf_printf(diff,
                               "第 %zu 个检查对象：记录为 %" PRId64 "，重新摇号为 %" PRId64 "\n",
                               k + 1, s.targets.v[k], out_t[k]);
                }
                for (size_t q = 0; q < per; q++) {
                    size_t x = k * per + q;
                    if (x < s.inspectors.n && s.inspectors.v[x] != out_i[x]) {
                        *same = false;
                        buf_printf(diff,
                                   "第 %zu 个检查对象的第 %zu 名执法检查人员：记录为 %" PRId64
                                   "，重新摇号为 %" PRId64 "\n",
                                   k + 1, q + 1, s.inspectors.v[x], out_i[x]);
                    }
                }
            }
        }
    }
    free(s.targets.v), free(s.inspectors.v), free(t.v), free(in.v), free(l.v);
    free(out_t), free(out_i);
    arena_free(a);
    return rc;
}
