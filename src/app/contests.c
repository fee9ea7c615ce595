/* contests.c — 擂台比武 (contests.h): creating a contest with its
 * contestants, judges and their one-time codes in one transaction, reading
 * a contest with its computed results, the list and the live screen. */
#include "app/audit.h"
#include "app/auth.h"
#include "app/contests_int.h"
#include "app/evaluations.h"
#include "base/mem.h"
#include "io/json_in.h"
#include "io/json_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CONTEST_NAME_MAX 200

const char *contest_unit_name(struct app *app, struct arena *a, const char *code)
{
    struct tree *t = app_tree(app);
    uint32_t u = tree_find_any(t, code, strlen(code));
    const char *name = arena_strdup(a, u != TREE_NONE ? tree_name(t, u) : "");
    tree_unref(t);
    return name;
}

const char *contest_blocked(const struct judge_row *j, const struct contestant_row *c)
{
    if (strcmp(j->unit, c->unit) == 0) return "评委与选手同属一个单位，须回避，不能为其打分";
    json_t *l = json_loads(j->recused, 0, NULL);
    bool recused = false;
    size_t i;
    json_t *v;
    json_array_foreach(l, i, v) recused |= json_is_integer(v) && json_integer_value(v) == c->seq;
    json_decref(l);
    return recused ? "评委已声明回避这名选手，不能为其打分" : "";
}

const struct contestant_row *contest_find(const struct contest_snap *s, int seq)
{
    for (size_t i = 0; i < s->ncontestants; i++)
        if (s->contestants[i].seq == seq) return &s->contestants[i];
    return NULL;
}

void contest_snap_free(struct contest_snap *s)
{
    json_decref(s->criteria);
    json_decref(s->awards_json);
    s->criteria = s->awards_json = NULL;
}

static void snap_compute(struct contest_snap *s, struct arena *a)
{
    size_t n = s->ncontestants;
    struct contest_input *in = arena_zalloc(a, (n ? n : 1) * sizeof *in);
    s->expected = arena_zalloc(a, (n ? n : 1) * sizeof *s->expected);
    s->results = arena_zalloc(a, (n ? n : 1) * sizeof *s->results);
    for (size_t i = 0; i < n; i++) {
        const struct contestant_row *c = &s->contestants[i];
        double *totals = arena_zalloc(a, (s->njudges ? s->njudges : 1) * sizeof *totals);
        size_t k = 0;
        for (size_t j = 0; j < s->njudges; j++) {
            if (contest_blocked(&s->judges[j], c)[0]) continue;
            s->expected[i]++;
            for (size_t x = 0; x < s->nscores; x++)
                if (s->scores[x].contestant == c->seq && s->scores[x].judge == s->judges[j].seq)
                    totals[k++] = s->scores[x].total;
        }
        in[i] = (struct contest_input){.totals = totals,
                                       .ntotals = k,
                                       .expected = (size_t)s->expected[i],
                                       .has_site = c->has_site,
                                       .site = c->site_score};
    }
    contest_compute(in, n, s->max_sum, s->c.stage_weight, s->c.site_weight, s->awards, s->nawards,
                    s->results);
}

int contest_snap_read(struct db *db, int64_t id, struct arena *a, struct contest_snap *s,
                      struct err *err)
{
    *s = (struct contest_snap){0};
    int rc = store_contest_get(db, a, id, &s->c, err);
    if (!rc) rc = store_contestants(db, a, id, &s->contestants, &s->ncontestants, err);
    if (!rc) rc = store_contest_judges(db, a, id, &s->judges, &s->njudges, err);
    if (!rc) rc = store_contest_scores(db, a, id, &s->scores, &s->nscores, err);
    if (rc) return rc;
    s->criteria = json_loads(s->c.criteria, 0, NULL);
    s->awards_json = json_loads(s->c.awards, 0, NULL);
    if (!json_is_array(s->criteria) || !json_is_array(s->awards_json))
        return err_set(err, ERR_INTERNAL, "擂台比武 %lld 的评分项或奖项已损坏", (long long)id);
    s->ncriteria = json_array_size(s->criteria);
    for (size_t i = 0; i < s->ncriteria; i++)
        s->max_sum += json_number_value(json_object_get(json_array_get(s->criteria, i), "max"));
    s->nawards = json_array_size(s->awards_json);
    if (s->nawards > CONTEST_AWARDS_MAX) s->nawards = CONTEST_AWARDS_MAX;
    for (size_t i = 0; i < s->nawards; i++) {
        json_t *o = json_array_get(s->awards_json, i);
        s->awards[i] =
            (struct contest_award){.name = json_string_value(json_object_get(o, "name")),
                                   .count = (int)json_integer_value(json_object_get(o, "count")),
                                   .share = json_number_value(json_object_get(o, "share")),
                                   .fund = json_number_value(json_object_get(o, "fund"))};
    }
    snap_compute(s, a);
    return ERR_OK;
}

/* ---- create ---- */

struct create_ctx {
    struct app *app;
    const struct auth_user *actor;
    struct arena *a;
    json_t *body;
    struct contest_row c;
    struct contest_codes *out;
};

static int int_member(json_t *o, const char *key, const char *what, long lo, long hi, long *out,
                      struct err *err)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return err_set_field(err, ERR_INVALID, key, "%s须为 %ld 至 %ld 之间的整数", what, lo, hi);
    *out = (long)json_integer_value(v);
    return ERR_OK;
}

static int known_unit(struct app *app, const char *unit, const char *field, struct err *err)
{
    struct tree *t = app_tree(app);
    bool known = unit && tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!known) return err_set_field(err, ERR_INVALID, field, "单位不存在，请从单位列表中选择");
    return ERR_OK;
}

/* A contestant or judge: {person} (name and unit from the register, the
 * person inside the actor's scope) or {name, unit}. */
static int read_who(struct create_ctx *x, struct db *db, json_t *o, const char *field,
                    int64_t *person, const char **name, const char **unit, struct err *err)
{
    json_t *p = json_object_get(o, "person");
    *person = 0;
    if (p && !json_is_null(p)) {
        if (!json_is_integer(p) || json_integer_value(p) <= 0)
            return err_set_field(err, ERR_INVALID, field, "person 须为人员编号");
        struct person_row row;
        int rc = store_person_get(db, x->a, (int64_t)json_integer_value(p), &row, err);
        if (rc == ERR_NOT_FOUND || (!rc && !auth_in_scope(x->actor->scope, row.unit))) {
            err_clear(err);
            return err_set_field(err, ERR_INVALID, field,
                                 "没有编号为 %lld 的人员（或不在您的管辖范围内）",
                                 (long long)json_integer_value(p));
        }
        if (rc) return rc;
        *person = row.id;
        *name = row.name;
        *unit = row.unit;
    }
    const char *n = NULL, *u = NULL;
    int rc = jin_str(x->a, o, "name", 100, &n, err);
    if (!rc) rc = jin_str(x->a, o, "unit", 32, &u, err);
    if (rc) return rc;
    if (n && n[0]) *name = n;
    if (u && u[0]) *unit = u;
    if (!*person && (!*name || !(*name)[0]))
        return err_set_field(err, ERR_INVALID, field, "请填写姓名或选择人员");
    if (!*person && (!*unit || !(*unit)[0]))
        return err_set_field(err, ERR_INVALID, field, "请选择所在单位");
    return known_unit(x->app, *unit, field, err);
}

static int create_people(struct db *db, void *ctx, struct err *err)
{
    struct create_ctx *x = ctx;
    static const char *const ckeys[] = {"person", "name", "unit", NULL};
    static const char *const jkeys[] = {"person", "name", "unit", "recuse", NULL};
    json_t *cl = json_object_get(x->body, "contestants"), *jl = json_object_get(x->body, "judges");
    if (!json_is_array(cl) || json_array_size(cl) == 0 ||
        json_array_size(cl) > CONTEST_CONTESTANTS_MAX)
        return err_set_field(err, ERR_INVALID, "contestants", "须有 1 至 %d 名选手",
                             CONTEST_CONTESTANTS_MAX);
    if (!json_is_array(jl) || json_array_size(jl) == 0 || json_array_size(jl) > CONTEST_JUDGES_MAX)
        return err_set_field(err, ERR_INVALID, "judges", "须有 1 至 %d 名评委", CONTEST_JUDGES_MAX);
    int rc = store_contest_insert(db, &x->c, err);
    if (rc) return rc;
    size_t nc = json_array_size(cl);
    for (size_t i = 0; i < nc && !rc; i++) {
        json_t *o = json_array_get(cl, i);
        struct contestant_row c = {.seq = (int)i + 1};
        rc = json_is_object(o) ? jin_only(o, ckeys, err)
                               : err_set_field(err, ERR_INVALID, "contestants", "每名选手须为对象");
        if (!rc) rc = read_who(x, db, o, "contestants", &c.person_id, &c.name, &c.unit, err);
        if (!rc) rc = store_contestant_insert(db, x->c.id, &c, err);
        if (rc) err_wrap(err, "第 %zu 名选手", i + 1);
    }
    struct contest_codes *out = x->out;
    out->id = x->c.id;
    out->n = json_array_size(jl);
    out->names = arena_zalloc(x->a, out->n * sizeof *out->names);
    out->codes = arena_zalloc(x->a, out->n * sizeof *out->codes);
    for (size_t i = 0; i < out->n && !rc; i++) {
        json_t *o = json_array_get(jl, i), *rec = NULL;
        struct judge_row j = {.seq = (int)i + 1, .recused = "[]"};
        rc = json_is_object(o) ? jin_only(o, jkeys, err)
                               : err_set_field(err, ERR_INVALID, "judges", "每名评委须为对象");
        if (!rc) rc = read_who(x, db, o, "judges", &j.person_id, &j.name, &j.unit, err);
        if (!rc && (rec = json_object_get(o, "recuse")) != NULL) {
            size_t k;
            json_t *v;
            if (!json_is_array(rec))
                rc = err_set_field(err, ERR_INVALID, "recuse", "recuse 须为选手序号的数组");
            json_array_foreach(rec, k,
                               v) if (!rc && (!json_is_integer(v) || json_integer_value(v) < 1 ||
                                              json_integer_value(v) > (json_int_t)nc)) rc =
                err_set_field(err, ERR_INVALID, "recuse", "回避的选手序号须在 1 至 %zu 之间", nc);
            char *text = rc ? NULL : json_dumps(rec, JSON_COMPACT);
            if (text) j.recused = arena_strdup(x->a, text);
            free(text);
        }
        char code[EVAL_CODE_LEN + 1], hash[65];
        eval_new_code(code);
        eval_code_hash(x->app, code, hash);
        if (!rc) rc = store_judge_insert(db, x->c.id, &j, hash, err);
        if (rc) {
            err_wrap(err, "第 %zu 名评委", i + 1);
            break;
        }
        out->names[i] = j.name;
        out->codes[i] = arena_strdup(x->a, code);
    }
    return rc;
}

static int read_weights(struct app *app, json_t *body, int *stage, int *site, struct err *err)
{
    json_t *w = json_object_get(body, "weights");
    *stage = app->contest->stage_weight;
    *site = app->contest->site_weight;
    if (!w || json_is_null(w)) return ERR_OK;
    static const char *const keys[] = {"stage", "site", NULL};
    long a, b;
    int rc = json_is_object(w) ? jin_only(w, keys, err)
                               : err_set_field(err, ERR_INVALID, "weights", "weights 须为对象");
    if (!rc) rc = int_member(w, "stage", "现场比武权重", 0, 100, &a, err);
    if (!rc) rc = int_member(w, "site", "实地察看权重", 0, 100, &b, err);
    if (rc) return rc;
    if (!contest_weights_ok((int)a, (int)b))
        return err_set_field(err, ERR_INVALID, "weights",
                             "现场比武与实地察看的权重合计须为 100（现为 %ld + %ld = %ld）", a, b,
                             a + b);
    *stage = (int)a;
    *site = (int)b;
    return ERR_OK;
}

/* The criteria of the body (else the defaults) as the JSON text kept. */
static int read_criteria(struct app *app, struct arena *a, json_t *body, const char **out,
                         struct err *err)
{
    json_t *l = json_object_get(body, "criteria");
    *out = app->contest->criteria;
    if (!l || json_is_null(l)) return ERR_OK;
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > CONTEST_CRITERIA_MAX)
        return err_set_field(err, ERR_INVALID, "criteria", "评分项须为 1 至 %d 项",
                             CONTEST_CRITERIA_MAX);
    static const char *const keys[] = {"name", "max", NULL};
    json_t *clean = json_array();
    size_t i;
    json_t *o;
    int rc = ERR_OK;
    json_array_foreach(l, i, o)
    {
        const char *name = NULL;
        json_t *max = json_object_get(o, "max");
        rc = json_is_object(o) ? jin_only(o, keys, err)
                               : err_set_field(err, ERR_INVALID, "criteria", "每个评分项须为对象");
        if (!rc) rc = jin_str(a, o, "name", 64, &name, err);
        if (!rc && (!name || !name[0]))
            rc = err_set_field(err, ERR_INVALID, "criteria", "请填写评分项名称");
        if (!rc &&
            (!json_is_number(max) || json_number_value(max) <= 0 || json_number_value(max) > 1000))
            rc = err_set_field(err, ERR_INVALID, "criteria",
                               "评分项「%s」的满分须大于 0、不超过 1000", name);
        if (rc) break;
        json_array_append_new(clean,
                              json_pack("{s:s, s:f}", "name", name, "max", json_number_value(max)));
    }
    char *text = rc ? NULL : json_dumps(clean, JSON_COMPACT);
    if (text) *out = arena_strdup(a, text);
    free(text);
    json_decref(clean);
    return rc;
}

int contests_create(struct app *app, const struct auth_user *actor, json_t *body,
                    const char *client, struct arena *a, struct contest_codes *out, struct err *err)
{
    static const char *const keys[] = {"name",     "year",   "unit",        "scope", "weights",
                                       "criteria", "judges", "contestants", NULL};
    struct create_ctx x = {.app = app, .actor = actor, .a = a, .body = body, .out = out};
    long year;
    char at[32];
    auth_now_iso(at);
    int rc = jin_only(body, keys, err);
    if (!rc) rc = jin_str(a, body, "name", CONTEST_NAME_MAX, &x.c.name, err);
    if (!rc && (!x.c.name || !x.c.name[0]))
        rc = err_set_field(err, ERR_INVALID, "name",
                           "请填写比武名称，如“2025年村党组织书记擂台比武”");
    if (!rc) rc = int_member(body, "year", "年度", 2000, 2100, &year, err);
    if (!rc) rc = jin_str(a, body, "unit", 32, &x.c.unit, err);
    if (!rc) rc = known_unit(app, x.c.unit, "unit", err);
    if (!rc && !auth_in_scope(actor->scope, x.c.unit))
        rc = err_set_field(err, ERR_FORBIDDEN, "unit", "主办单位不在您的管辖范围内");
    if (!rc) rc = read_weights(app, body, &x.c.stage_weight, &x.c.site_weight, err);
    if (!rc) rc = read_criteria(app, a, body, &x.c.criteria, err);
    if (rc) return rc;
    x.c.year = (int)year;
    x.c.awards = app->contest->awards;
    x.c.created_by = actor->name;
    x.c.created_at = at;
    json_t *o =
        json_pack("{s:s, s:i, s:i, s:i, s:I, s:I}", "name", x.c.name, "year", x.c.year,
                  "stage_weight", x.c.stage_weight, "site_weight", x.c.site_weight, "contestants",
                  (json_int_t)json_array_size(json_object_get(body, "contestants")), "judges",
                  (json_int_t)json_array_size(json_object_get(body, "judges")));
    char *after = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    struct audit_entry ae = {.user = actor->name,
                             .action = "contest.create",
                             .entity = "contest",
                             .unit = x.c.unit,
                             .after = after ? after : "{}",
                             .client = client};
    rc = app_write_tx(app, &ae, NULL, create_people, &x, err);
    free(after);
    return rc;
}

/* ---- reading ---- */

struct list_ctx {
    struct app *app;
    struct arena *a;
    struct jw *w;
};

static int list_row(void *ctx, const struct contest_row *c)
{
    struct list_ctx *l = ctx;
    jw_obj(l->w);
    jw_kint(l->w, "id", c->id);
    jw_kstr(l->w, "name", c->name);
    jw_kint(l->w, "year", c->year);
    jw_key(l->w, "unit");
    jw_obj(l->w);
    jw_kstr(l->w, "code", c->unit);
    jw_kstr(l->w, "name", contest_unit_name(l->app, l->a, c->unit));
    jw_obj_end(l->w);
    jw_obj_end(l->w);
    return ERR_OK;
}

int contests_list(struct app *app, const char *scope, int year, struct arena *a, struct jw *w,
                  struct err *err)
{
    struct list_ctx l = {app, a, w};
    struct db *db = store_acquire(app->store);
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    int rc = store_contests(db, a, scope ? scope : "", year, list_row, &l, err);
    jw_arr_end(w);
    jw_obj_end(w);
    store_release(app->store, db);
    return rc;
}

int contests_unit_of(struct app *app, struct arena *a, const char *id, const char **unit,
                     struct err *err)
{
    int64_t n;
    int rc = app_parse_id(id, "擂台比武", &n, err);
    if (rc) return rc == ERR_INVALID ? err_set(err, ERR_NOT_FOUND, "没有这场擂台比武") : rc;
    struct contest_row c;
    struct db *db = store_acquire(app->store);
    rc = store_contest_get(db, a, n, &c, err);
    store_release(app->store, db);
    if (!rc) *unit = c.unit;
    return rc;
}

static void write_ref(struct jw *w, const char *key, int64_t id, const char *name)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name);
    jw_obj_end(w);
}

static void write_result(struct jw *w, const struct contest_snap *s, size_t i)
{
    const struct contest_result *r = &s->results[i];
    if (r->stage_ready)
        jw_knum(w, "stage_score", r->stage);
    else
        jw_knull(w, "stage_score");
    if (s->contestants[i].has_site)
        jw_knum(w, "site_score", s->contestants[i].site_score);
    else
        jw_knull(w, "site_score");
    if (r->total_ready)
        jw_knum(w, "total", r->total);
    else
        jw_knull(w, "total");
    jw_kint(w, "rank", r->rank);
    if (r->award >= 0) {
        jw_kstr(w, "award", s->awards[r->award].name);
        jw_knum(w, "fund", s->awards[r->award].fund);
    } else {
        jw_knull(w, "award");
        jw_knum(w, "fund", 0);
    }
}

static void write_contestant(struct app *app, struct arena *a, struct jw *w,
                             const struct contest_snap *s, size_t i)
{
    const struct contestant_row *c = &s->contestants[i];
    jw_obj(w);
    jw_kint(w, "seq", c->seq);
    jw_kstr(w, "name", c->name);
    if (c->person_id)
        write_ref(w, "person", c->person_id, c->name);
    else
        jw_knull(w, "person");
    jw_key(w, "unit");
    jw_obj(w);
    jw_kstr(w, "code", c->unit);
    jw_kstr(w, "name", contest_unit_name(app, a, c->unit));
    jw_obj_end(w);
    jw_kstr(w, "round", c->round);
    jw_kint(w, "judges_expected", s->expected[i]);
    size_t got = 0;
    for (size_t x = 0; x < s->nscores; x++)
        got += s->scores[x].contestant == c->seq;
    jw_kint(w, "judges_scored", (int64_t)got);
    write_result(w, s, i);
    jw_obj_end(w);
}

static void write_head(struct app *app, struct arena *a, struct jw *w, const struct contest_snap *s)
{
    jw_kint(w, "id", s->c.id);
    jw_kstr(w, "name", s->c.name);
    jw_kint(w, "year", s->c.year);
    jw_key(w, "unit");
    jw_obj(w);
    jw_kstr(w, "code", s->c.unit);
    jw_kstr(w, "name", contest_unit_name(app, a, s->c.unit));
    jw_obj_end(w);
    jw_key(w, "weights");
    jw_obj(w);
    jw_kint(w, "stage", s->c.stage_weight);
    jw_kint(w, "site", s->c.site_weight);
    jw_obj_end(w);
    jw_key(w, "criteria");
    jw_raw(w, s->c.criteria, strlen(s->c.criteria));
    jw_kint(w, "current", s->c.current_seq);
}

static void write_awards(struct jw *w, const struct contest_snap *s)
{
    double total = 0;
    jw_key(w, "awards");
    jw_arr(w);
    for (size_t k = 0; k < s->nawards; k++) {
        int n = 0;
        for (size_t i = 0; i < s->ncontestants; i++)
            n += s->results[i].award == (int)k;
        jw_obj(w);
        jw_kstr(w, "name", s->awards[k].name);
        jw_knum(w, "fund", s->awards[k].fund);
        jw_kint(w, "awarded", n);
        jw_knum(w, "funds", s->awards[k].fund * n);
        jw_obj_end(w);
        total += s->awards[k].fund * n;
    }
    jw_arr_end(w);
    jw_knum(w, "funds_total", total);
}

int contests_write(struct app *app, int64_t id, const char *user, struct arena *a, struct jw *w,
                   struct err *err)
{
    struct contest_snap s = {0};
    struct contest_idea_row *ideas = NULL;
    size_t nideas = 0;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = contest_snap_read(db, id, a, &s, err);
    if (!rc) rc = store_contest_ideas(db, a, id, user, &ideas, &nideas, err);
    db_rollback(db);
    store_release(app->store, db);
    if (rc) {
        contest_snap_free(&s);
        return rc;
    }
    jw_obj(w);
    write_head(app, a, w, &s);
    jw_key(w, "contestants");
    jw_arr(w);
    for (size_t i = 0; i < s.ncontestants; i++)
        write_contestant(app, a, w, &s, i);
    jw_arr_end(w);
    jw_key(w, "judges");
    jw_arr(w);
    for (size_t j = 0; j < s.njudges; j++) {
        jw_obj(w);
        jw_kint(w, "seq", s.judges[j].seq);
        jw_kstr(w, "name", s.judges[j].name);
        jw_key(w, "unit");
        jw_obj(w);
        jw_kstr(w, "code", s.judges[j].unit);
        jw_kstr(w, "name", contest_unit_name(app, a, s.judges[j].unit));
        jw_obj_end(w);
        jw_key(w, "recused");
        jw_raw(w, s.judges[j].recused, strlen(s.judges[j].recused));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "scores");
    jw_arr(w);
    for (size_t x = 0; x < s.nscores; x++) {
        jw_obj(w);
        jw_kint(w, "contestant", s.scores[x].contestant);
        jw_kint(w, "judge", s.scores[x].judge);
        jw_key(w, "scores");
        jw_raw(w, s.scores[x].scores, strlen(s.scores[x].scores));
        jw_knum(w, "total", s.scores[x].total);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    write_awards(w, &s);
    jw_key(w, "ideas");
    jw_arr(w);
    for (size_t i = 0; i < nideas; i++) {
        const struct contest_idea_row *d = &ideas[i];
        const struct contestant_row *from = contest_find(&s, d->contestant);
        jw_obj(w);
        jw_kint(w, "id", d->id);
        jw_kstr(w, "title", d->title);
        jw_kstr(w, "text", d->body);
        jw_key(w, "tags");
        jw_raw(w, d->tags, strlen(d->tags));
        jw_kstr(w, "contestant", from ? from->name : "");
        jw_kstr(w, "unit_name", contest_unit_name(app, a, d->unit));
        jw_kint(w, "votes", d->votes);
        jw_kbool(w, "voted", d->mine);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    contest_snap_free(&s);
    return ERR_OK;
}

int contests_screen_write(struct app *app, int64_t id, struct arena *a, struct jw *w,
                          struct err *err)
{
    struct contest_snap s = {0};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, false, err);
    if (!rc) rc = contest_snap_read(db, id, a, &s, err);
    db_rollback(db);
    store_release(app->store, db);
    if (rc) {
        contest_snap_free(&s);
        return rc == ERR_NOT_FOUND ? err_set(err, ERR_NOT_FOUND, "没有这场擂台比武") : rc;
    }
    jw_obj(w);
    jw_kstr(w, "name", s.c.name);
    jw_kint(w, "year", s.c.year);
    jw_kstr(w, "unit_name", contest_unit_name(app, a, s.c.unit));
    const struct contestant_row *cur = contest_find(&s, s.c.current_seq);
    if (!cur) {
        jw_knull(w, "current");
    } else {
        size_t i = (size_t)(cur - s.contestants);
        jw_key(w, "current");
        jw_obj(w);
        jw_kint(w, "seq", cur->seq);
        jw_kstr(w, "name", cur->name);
        jw_kstr(w, "unit_name", contest_unit_name(app, a, cur->unit));
        jw_kstr(w, "round", cur->round);
        jw_kint(w, "judges_expected", s.expected[i]);
        jw_key(w, "judges");
        jw_arr(w);
        for (size_t j = 0; j < s.njudges; j++) {
            if (contest_blocked(&s.judges[j], cur)[0]) continue;
            jw_obj(w);
            jw_kstr(w, "name", s.judges[j].name);
            bool got = false;
            for (size_t x = 0; x < s.nscores; x++)
                if (s.scores[x].contestant == cur->seq && s.scores[x].judge == s.judges[j].seq) {
                    jw_knum(w, "total", s.scores[x].total);
                    got = true;
                }
            if (!got) jw_knull(w, "total");
            jw_obj_end(w);
        }
        jw_arr_end(w);
        if (s.results[i].stage_ready)
            jw_knum(w, "stage_score", s.results[i].stage);
        else
            jw_knull(w, "stage_score");
        jw_obj_end(w);
    }
    jw_key(w, "standings");
    jw_arr(w);
    for (size_t i = 0; i < s.ncontestants; i++) {
        if (!s.results[i].stage_ready) continue;
        jw_obj(w);
        jw_kint(w, "seq", s.contestants[i].seq);
        jw_kstr(w, "name", s.contestants[i].name);
        jw_kstr(w, "unit_name", contest_unit_name(app, a, s.contestants[i].unit));
        write_result(w, &s, i);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    contest_snap_free(&s);
    return ERR_OK;
}
