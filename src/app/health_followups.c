/* health_followups.c — 随访: recording a follow-up of a resident by the
 * family-doctor team and listing a resident's follow-ups (health.h). The
 * write is scope-checked, audited and one transaction; compliance is
 * counted elsewhere (health_followups_report.c) from these records. */
#include "app/audit.h"
#include "app/health.h"
#include "base/clock.h"
#include "core/pii.h"
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DOCTOR_MAX         60  /* bytes: 20 Chinese characters */
#define NOTE_MAX           600 /* bytes: 200 Chinese characters */
#define FOLLOWUPS_OF_LIMIT 200

/* Text of 1..max bytes (0..max when optional) with no control characters. */
static int text_ok(const char *s, bool required, size_t max, const char *field, const char *what,
                   struct err *err)
{
    size_t n = s ? strlen(s) : 0;
    if (required && n == 0) return err_set_field(err, ERR_INVALID, field, "请填写%s", what);
    if (n > max) return err_set_field(err, ERR_INVALID, field, "%s最多 %zu 个汉字", what, max / 3);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
            return err_set_field(err, ERR_INVALID, field, "%s含有控制字符", what);
    return ERR_OK;
}

static int check_input(const struct health_defs *h, const struct health_followup_in *in,
                       struct err *err)
{
    long d, t;
    char today[11];
    clock_today(today, 0);
    if (!in->day || !keygroup_day(in->day, &d))
        return err_set_field(err, ERR_INVALID, "day", "随访日期须为 YYYY-MM-DD");
    if (keygroup_day(today, &t) && d > t)
        return err_set_field(err, ERR_INVALID, "day", "随访日期不能晚于今天（%s）", today);
    if (!health_name(h->followup_methods, h->nfollowup_methods, in->method))
        return err_set_field(err, ERR_INVALID, "method",
                             "请从随访方式中选择（门诊随访、家庭访视、电话随访）");
    int rc = text_ok(in->doctor, true, DOCTOR_MAX, "doctor", "随访医生姓名", err);
    if (!rc) rc = text_ok(in->note, false, NOTE_MAX, "note", "随访情况", err);
    struct pii_match m;
    if (!rc && in->note && pii_find(in->note, strlen(in->note), 0, &m))
        rc = err_set_field(err, ERR_INVALID, "note", "随访情况中不要写身份证号或手机号");
    return rc;
}

/* Does any follow-up duty's key group hold the resident on the day? */
static bool has_duty(const struct health_defs *h, const struct health_person *p)
{
    for (size_t i = 0; i < h->nfollowup_duties; i++)
        if (keygroup_match(&h->groups[h->followup_duties[i].group], p->age, p->tags)) return true;
    return false;
}

/* Checks one follow-up and fills the row to write (strings in a). */
static int prepare(struct app *app, const struct auth_user *actor,
                   const struct health_followup_in *in, struct arena *a, const char *at,
                   struct health_followup_row *f, struct err *err)
{
    const struct health_defs *h = app->health;
    int rc = check_input(h, in, err);
    if (rc) return rc;
    struct person_row p = {0};
    struct db *db = store_acquire(app->store);
    rc = store_person_get(db, a, in->person_id, &p, err);
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND)
        rc = err_set_field(err, ERR_NOT_FOUND, "person", "没有编号为 %lld 的居民",
                           (long long)in->person_id);
    if (!rc && !auth_in_scope(actor->scope, p.unit))
        rc = err_set_field(err, ERR_NOT_FOUND, "person", "该居民不在您的管辖范围内");
    struct health_person hp = {0};
    if (!rc) rc = health_person_get(app, a, in->person_id, in->day, &hp, err);
    if (!rc && !has_duty(h, &hp))
        rc = err_set_field(err, ERR_INVALID, "person",
                           "该居民在随访日不属于有随访要求的重点人群（如高血压、2型糖尿病、"
                           "严重精神障碍患者）：请先在健康标签中标注");
    const struct health_contract_row *c = NULL;
    for (size_t i = 0; !rc && !c && i < hp.ncontracts; i++)
        if (strcmp(hp.contracts[i].start_date, in->day) <= 0 &&
            strcmp(hp.contracts[i].end_date, in->day) > 0)
            c = &hp.contracts[i];
    if (!rc && !c)
        rc = err_set_field(err, ERR_INVALID, "day",
                           "随访日（%s）该居民没有有效的家庭医生签约：随访由签约团队进行", in->day);
    if (rc) return rc;
    *f = (struct health_followup_row){.person_id = in->person_id,
                                      .unit = p.unit,
                                      .team_id = c->team_id,
                                      .day = arena_strdup(a, in->day),
                                      .method = arena_strdup(a, in->method),
                                      .doctor = arena_strdup(a, in->doctor),
                                      .note = arena_strdup(a, in->note ? in->note : ""),
                                      .created_by = actor->name,
                                      .created_at = at};
    return ERR_OK;
}

struct followups_write {
    struct health_followup_row *rows;
    size_t n;
};

static int followups_write(struct db *db, void *ctx, struct err *err)
{
    struct followups_write *w = ctx;
    int rc = ERR_OK;
    for (size_t i = 0; i < w->n && !rc; i++)
        rc = store_health_followup_insert(db, &w->rows[i], err);
    return rc;
}

static int write_rows(struct app *app, const struct auth_user *actor, const char *unit,
                      json_t *after, const char *action, struct followups_write *w,
                      const char *client, struct err *err)
{
    char *text = after ? json_dumps(after, JSON_COMPACT) : NULL;
    json_decref(after);
    struct audit_entry ae = {.user = actor->name,
                             .action = action,
                             .entity = "health_followup:new",
                             .unit = unit,
                             .after = text ? text : "{}",
                             .client = client};
    int rc = app_write_tx(app, &ae, HEALTH_CHANGED, followups_write, w, err);
    free(text);
    return rc;
}

int health_followup_create(struct app *app, const struct auth_user *actor,
                           const struct health_followup_in *in, const char *client, int64_t *id,
                           struct err *err)
{
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    struct health_followup_row f;
    int rc = prepare(app, actor, in, a, at, &f, err);
    if (!rc) {
        struct followups_write w = {&f, 1};
        json_t *after = json_pack("{s:I, s:I, s:s, s:s, s:s}", "person", (json_int_t)in->person_id,
                                  "team", (json_int_t)f.team_id, "day", in->day, "method",
                                  in->method, "doctor", in->doctor);
        rc = write_rows(app, actor, f.unit, after, "health.followup.create", &w, client, err);
    }
    if (!rc) *id = f.id;
    arena_free(a);
    return rc;
}

int health_followups_import(struct app *app, const struct auth_user *actor,
                            const struct health_followup_in *rows, size_t n, const char *scope,
                            const char *client, struct err *err)
{
    if (!n) return err_set(err, ERR_INVALID, "没有任何随访记录");
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    struct followups_write w = {arena_zalloc(a, n * sizeof *w.rows), n};
    int rc = ERR_OK;
    for (size_t i = 0; i < n && !rc; i++)
        if ((rc = prepare(app, actor, &rows[i], a, at, &w.rows[i], err)))
            err_wrap(err, "第 %zu 行", i + 1);
    if (!rc)
        rc = write_rows(app, actor, scope, json_pack("{s:I}", "rows", (json_int_t)n),
                        "health.followups.import", &w, client, err);
    arena_free(a);
    return rc;
}

struct grow_f {
    struct arena *a;
    struct health_followup_row *v;
    size_t n, cap;
};

static int add_followup(void *ctx, const struct health_followup_row *f)
{
    struct grow_f *g = ctx;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        struct health_followup_row *v = arena_zalloc(g->a, cap * sizeof *v);
        if (g->n) memcpy(v, g->v, g->n * sizeof *v);
        g->v = v;
        g->cap = cap;
    }
    g->v[g->n++] = *f;
    return 0;
}

int health_followups_of(struct app *app, struct arena *a, const struct auth_user *actor,
                        int64_t person_id, struct health_followup_row **out, size_t *n,
                        struct err *err)
{
    struct person_row p = {0};
    struct grow_f g = {a, NULL, 0, 0};
    struct db *db = store_acquire(app->store);
    int rc = store_person_get(db, a, person_id, &p, err);
    if (!rc && !auth_in_scope(actor->scope, p.unit))
        rc = err_set_field(err, ERR_NOT_FOUND, "person", "该居民不在您的管辖范围内");
    if (!rc)
        rc = store_health_followups_of(db, a, person_id, FOLLOWUPS_OF_LIMIT, add_followup, &g, err);
    store_release(app->store, db);
    *out = g.v;
    *n = g.n;
    return rc;
}
