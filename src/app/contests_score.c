/* contests_score.c — the session of a contest (contests.h): the judge's
 * phone page and scores (the code is the credential; a judge of the
 * contestant's unit or who declared 回避 is refused), rounds opened and
 * closed by the organiser, and the site-visit scores. */
#include "app/audit.h"
#include "app/auth.h"
#include "app/contests_int.h"
#include "app/evaluations.h"
#include "io/json_in.h"
#include "io/json_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The judge of code and their contest, read in db's transaction. */
static int judge_of(struct app *app, struct db *db, const char *code, struct arena *a,
                    struct judge_row *j, struct contest_snap *s, struct err *err)
{
    char norm[EVAL_CODE_LEN + 1], hash[65];
    int64_t contest = 0;
    if (!eval_normalise_code(code, norm))
        return err_set_field(err, ERR_FORBIDDEN, "code",
                             "评委码无效：只有本场比武的评委凭评委码打分，请核对评委码");
    eval_code_hash(app, norm, hash);
    int rc = store_judge_by_hash(db, a, hash, &contest, j, err);
    if (rc == ERR_NOT_FOUND) {
        err_clear(err);
        return err_set_field(err, ERR_FORBIDDEN, "code",
                             "评委码无效：只有本场比武的评委凭评委码打分，请核对评委码");
    }
    if (!rc) rc = contest_snap_read(db, contest, a, s, err);
    return rc;
}

int contests_judge_write(struct app *app, const char *code, struct arena *a, struct jw *w,
                         struct err *err)
{
    struct judge_row j;
    struct contest_snap s = {0};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = judge_of(app, db, code, a, &j, &s, err);
    db_rollback(db);
    store_release(app->store, db);
    if (rc) {
        contest_snap_free(&s);
        return rc;
    }
    jw_obj(w);
    jw_key(w, "contest");
    jw_obj(w);
    jw_kint(w, "id", s.c.id);
    jw_kstr(w, "name", s.c.name);
    jw_obj_end(w);
    jw_kstr(w, "judge", j.name);
    jw_key(w, "criteria");
    jw_raw(w, s.c.criteria, strlen(s.c.criteria));
    jw_kint(w, "current", s.c.current_seq);
    jw_key(w, "contestants");
    jw_arr(w);
    for (size_t i = 0; i < s.ncontestants; i++) {
        const struct contestant_row *c = &s.contestants[i];
        const char *why = contest_blocked(&j, c);
        jw_obj(w);
        jw_kint(w, "seq", c->seq);
        jw_kstr(w, "name", c->name);
        jw_kstr(w, "unit_name", contest_unit_name(app, a, c->unit));
        jw_kstr(w, "round", c->round);
        jw_kbool(w, "may_score", !why[0]);
        jw_kstr(w, "blocked", why);
        bool got = false;
        for (size_t x = 0; x < s.nscores; x++)
            if (s.scores[x].contestant == c->seq && s.scores[x].judge == j.seq) {
                jw_key(w, "mine");
                jw_raw(w, s.scores[x].scores, strlen(s.scores[x].scores));
                got = true;
            }
        if (!got) jw_knull(w, "mine");
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    contest_snap_free(&s);
    return ERR_OK;
}

struct score_ctx {
    struct app *app;
    const char *code;
    json_t *body;
    struct arena *a;
    struct judge_row j;
    struct contest_snap s;
    struct audit_entry *ae;
};

static int check_scores(struct score_ctx *x, const struct contestant_row *c, json_t *l,
                        double *total, struct err *err)
{
    const struct contest_snap *s = &x->s;
    if (!json_is_array(l) || json_array_size(l) != s->ncriteria)
        return err_set_field(err, ERR_INVALID, "scores", "scores 须为 %zu 个分数，每个评分项一个",
                             s->ncriteria);
    *total = 0;
    for (size_t k = 0; k < s->ncriteria; k++) {
        json_t *crit = json_array_get(s->criteria, k), *v = json_array_get(l, k);
        double max = json_number_value(json_object_get(crit, "max"));
        const char *name = json_string_value(json_object_get(crit, "name"));
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > max ||
            !isfinite(json_number_value(v)))
            return err_set_field(err, ERR_INVALID, "scores",
                                 "「%s」的得分须在 0 至 %g 分之间（给%s打分）", name, max, c->name);
        *total += json_number_value(v);
    }
    return ERR_OK;
}

static int score_write(struct db *db, void *ctx, struct err *err)
{
    struct score_ctx *x = ctx;
    static const char *const keys[] = {"contestant", "scores", NULL};
    int rc = judge_of(x->app, db, x->code, x->a, &x->j, &x->s, err);
    if (!rc) rc = jin_only(x->body, keys, err);
    if (rc) return rc;
    json_t *seq = json_object_get(x->body, "contestant");
    const struct contestant_row *c =
        json_is_integer(seq) ? contest_find(&x->s, (int)json_integer_value(seq)) : NULL;
    if (!c)
        return err_set_field(err, ERR_INVALID, "contestant", "没有这名选手，请从选手名单中选择");
    const char *why = contest_blocked(&x->j, c);
    if (why[0]) return err_set_field(err, ERR_FORBIDDEN, "contestant", "%s（%s）", why, c->name);
    if (strcmp(c->round, "open") != 0)
        return err_set_field(err, ERR_CONFLICT, "contestant",
                             strcmp(c->round, "closed") == 0
                                 ? "%s的比武已结束，分数不能再改"
                                 : "%s尚未上场：主持人开始这名选手的比武后才能打分",
                             c->name);
    double total;
    json_t *l = json_object_get(x->body, "scores");
    if ((rc = check_scores(x, c, l, &total, err))) return rc;
    char at[32];
    auth_now_iso(at);
    char *text = json_dumps(l, JSON_COMPACT);
    struct contest_score_row row = {.contestant = c->seq,
                                    .judge = x->j.seq,
                                    .scores = text ? text : "[]",
                                    .total = total,
                                    .scored_at = at};
    rc = store_contest_score_put(db, x->s.c.id, &row, err);
    x->ae->entity = arena_printf(x->a, "contest:%lld", (long long)x->s.c.id);
    x->ae->unit = x->s.c.unit;
    x->ae->user = ""; /* a judge signs in with a code, not an account */
    x->ae->after = arena_printf(x->a, "{\"contestant\":%d,\"judge\":%d,\"scores\":%s}", c->seq,
                                x->j.seq, text ? text : "[]");
    free(text);
    if (!rc) rc = store_audit_append(db, x->ae, err);
    return rc;
}

int contests_judge_score(struct app *app, const char *code, json_t *body, const char *client,
                         struct err *err)
{
    struct arena *a = arena_new();
    struct audit_entry ae = {.action = "contest.score", .client = client};
    struct score_ctx x = {.app = app, .code = code, .body = body, .a = a, .ae = &ae};
    /* the audit record is written inside (its contest is known only there) */
    int rc = app_write_tx(app, NULL, NULL, score_write, &x, err);
    contest_snap_free(&x.s);
    arena_free(a);
    return rc;
}

/* ---- the organiser's side ---- */

struct round_ctx {
    int64_t id;
    int seq;
    const char *action;
    struct arena *a;
    struct contest_snap s;
};

static int round_write(struct db *db, void *ctx, struct err *err)
{
    struct round_ctx *x = ctx;
    int rc = contest_snap_read(db, x->id, x->a, &x->s, err);
    if (rc) return rc;
    const struct contestant_row *c = contest_find(&x->s, x->seq);
    if (!c)
        return err_set_field(err, ERR_INVALID, "contestant", "没有这名选手，请从选手名单中选择");
    if (strcmp(x->action, "open") == 0) {
        if (strcmp(c->round, "closed") == 0)
            return err_set_field(err, ERR_CONFLICT, "contestant", "%s的比武已结束", c->name);
        rc = store_contestant_round(db, x->id, c->seq, "open", err);
        if (!rc) rc = store_contest_current(db, x->id, c->seq, err);
        return rc;
    }
    if (strcmp(c->round, "open") != 0)
        return err_set_field(err, ERR_CONFLICT, "contestant", "%s尚未上场，不能结束", c->name);
    return store_contestant_round(db, x->id, c->seq, "closed", err);
}

int contests_round(struct app *app, const struct auth_user *actor, int64_t id, int seq,
                   const char *action, const char *client, struct err *err)
{
    if (!action || (strcmp(action, "open") != 0 && strcmp(action, "close") != 0))
        return err_set_field(err, ERR_INVALID, "action",
                             "action 须为 open（选手上场）或 close（结束该选手的比武）");
    struct arena *a = arena_new();
    struct round_ctx x = {.id = id, .seq = seq, .action = action, .a = a};
    const char *unit = NULL;
    int rc = contests_unit_of(app, a, arena_printf(a, "%lld", (long long)id), &unit, err);
    struct audit_entry ae = {
        .user = actor->name,
        .action = "contest.round",
        .entity = arena_printf(a, "contest:%lld", (long long)id),
        .unit = unit,
        .after = arena_printf(a, "{\"contestant\":%d,\"action\":\"%s\"}", seq, action),
        .client = client};
    if (!rc) rc = app_write_tx(app, &ae, NULL, round_write, &x, err);
    contest_snap_free(&x.s);
    arena_free(a);
    return rc;
}

struct site_ctx {
    int64_t id;
    json_t *scores;
    struct arena *a;
    struct contest_snap s;
};

static int site_write(struct db *db, void *ctx, struct err *err)
{
    struct site_ctx *x = ctx;
    static const char *const keys[] = {"contestant", "score", NULL};
    int rc = contest_snap_read(db, x->id, x->a, &x->s, err);
    if (rc) return rc;
    if (!json_is_array(x->scores) || json_array_size(x->scores) == 0 ||
        json_array_size(x->scores) > CONTEST_CONTESTANTS_MAX)
        return err_set_field(err, ERR_INVALID, "scores",
                             "scores 须为 [{\"contestant\":序号,\"score\":分数}…]");
    size_t i;
    json_t *o;
    json_array_foreach(x->scores, i, o)
    {
        json_t *seq = json_object_get(o, "contestant"), *v = json_object_get(o, "score");
        rc = json_is_object(o) ? jin_only(o, keys, err)
                               : err_set_field(err, ERR_INVALID, "scores", "每一项须为对象");
        if (rc) return rc;
        const struct contestant_row *c =
            json_is_integer(seq) ? contest_find(&x->s, (int)json_integer_value(seq)) : NULL;
        if (!c)
            return err_set_field(err, ERR_INVALID, "contestant", "第 %zu 项：没有这名选手", i + 1);
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 100)
            return err_set_field(err, ERR_INVALID, "score", "%s的实地察看得分须在 0 至 100 分之间",
                                 c->name);
        if ((rc = store_contestant_site(db, x->id, c->seq, json_number_value(v), err))) return rc;
    }
    return ERR_OK;
}

int contests_site_scores(struct app *app, const struct auth_user *actor, int64_t id, json_t *scores,
                         const char *client, struct err *err)
{
    struct arena *a = arena_new();
    struct site_ctx x = {.id = id, .scores = scores, .a = a};
    const char *unit = NULL;
    int rc = contests_unit_of(app, a, arena_printf(a, "%lld", (long long)id), &unit, err);
    char *text = rc ? NULL : json_dumps(scores, JSON_COMPACT);
    struct audit_entry ae = {.user = actor->name,
                             .action = "contest.site_scores",
                             .entity = arena_printf(a, "contest:%lld", (long long)id),
                             .unit = unit,
                             .after = text ? text : "[]",
                             .client = client};
    if (!rc) rc = app_write_tx(app, &ae, NULL, site_write, &x, err);
    free(text);
    contest_snap_free(&x.s);
    arena_free(a);
    return rc;
}
