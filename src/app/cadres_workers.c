/* cadres_workers.c — 三岗十八级 (cadres.h): community workers with their
 * post, start date, degree and certificate; the grade is computed from
 * them on the report's date (core/cadre.h) with data/cadres.json "grades"
 * and the pay read from the post's row of the county table. */
#include "app/audit.h"
#include "app/cadres.h"
#include "app/volunteers.h"
#include "base/clock.h"
#include "core/cadre.h"
#include "core/person.h"
#include "core/tree.h"
#include "store/store_cadres.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int write_worker(struct db *db, void *ctx, struct err *err)
{
    return store_worker_insert(db, ctx, err);
}

int cadres_worker_add(struct app *app, const struct auth_user *actor, const char *unit,
                      int64_t person, const char *post, const char *start_date, const char *degree,
                      const char *certificate, const char *client, int64_t *id, struct err *err)
{
    const struct cadre_defs *c = app->cadres;
    char today[11], at[32];
    clock_today(today, 0);
    auth_now_iso(at);
    *id = 0;
    if (!unit || !unit[0]) return err_set_field(err, ERR_INVALID, "unit", "请选择所在社区（单位）");
    struct tree *t = app_tree(app);
    bool known = tree_find(t, unit, strlen(unit)) != TREE_NONE;
    tree_unref(t);
    if (!known) return err_set_field(err, ERR_INVALID, "unit", "单位不存在，请从单位列表中选择");
    if (!auth_in_scope(actor->scope, unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "该单位不在您的管辖范围内");
    if (!cadres_post(app, post))
        return err_set_field(err, ERR_INVALID, "post",
                             "岗位须为三岗之一（正职、副职、委员及其他），请从列表中选择");
    if (!start_date || !person_date_ok(start_date) || strcmp(start_date, today) > 0)
        return err_set_field(err, ERR_INVALID, "start_date",
                             "参加社区工作时间须为不晚于今天的日期（YYYY-MM-DD）");
    if (!cadres_step(c->degrees, c->ndegrees, degree))
        return err_set_field(err, ERR_INVALID, "degree", "学历须从列表中选择");
    if (!cadres_step(c->certificates, c->ncertificates, certificate))
        return err_set_field(err, ERR_INVALID, "certificate", "职业资格须从列表中选择");
    struct arena *a = arena_new();
    int rc = volunteers_reach(app, actor, a, person, "person", err);
    struct store_worker w = {.unit = unit,
                             .person_id = person,
                             .post = post,
                             .start_date = start_date,
                             .degree = degree,
                             .certificate = certificate,
                             .created_by = actor->name,
                             .created_at = at};
    if (!rc) {
        json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "post", post, "start_date", start_date, "degree",
                              degree, "certificate", certificate);
        char *after = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        struct audit_entry ae = {.user = actor->name,
                                 .action = "cadre.worker_add",
                                 .entity = arena_printf(a, "person:%lld", (long long)person),
                                 .unit = unit,
                                 .after = after,
                                 .client = client};
        rc = app_write_tx(app, &ae, NULL, write_worker, &w, err);
        free(after);
    }
    if (!rc) *id = w.id;
    arena_free(a);
    return rc;
}

struct workers_ctx {
    const struct app *app;
    const char *date;
    struct cadre_worker *rows;
    size_t n;
    double total;
};

static int keep_worker(void *ctx, const struct store_worker *w)
{
    struct workers_ctx *x = ctx;
    const struct cadre_defs *c = x->app->cadres;
    if (x->n == CADRE_ROWS_MAX) return 1;
    const struct cadre_post *p = cadres_post(x->app, w->post);
    const struct cadre_step *d = cadres_step(c->degrees, c->ndegrees, w->degree);
    const struct cadre_step *s = cadres_step(c->certificates, c->ncertificates, w->certificate);
    int years = cadre_full_years(w->start_date, x->date);
    /* a code no longer in the data (the county changed its table) counts
     * as the lowest post and no steps rather than failing the report */
    int start = p ? p->start_grade : 1;
    int grade = cadre_grade(start, years, c->years_per_step,
                            (d ? d->steps : 0) + (s ? s->steps : 0), c->grades);
    double pay = p ? p->pay[grade - 1] : 0;
    x->rows[x->n++] = (struct cadre_worker){.id = w->id,
                                            .person_id = w->person_id,
                                            .unit = w->unit,
                                            .person_name = w->person_name,
                                            .post = p ? p->name : w->post,
                                            .start_date = w->start_date,
                                            .degree = d ? d->name : w->degree,
                                            .certificate = s ? s->name : w->certificate,
                                            .years = years < 0 ? 0 : years,
                                            .grade = grade,
                                            .pay = pay};
    x->total += pay;
    return 0;
}

int cadres_workers(struct app *app, const char *unit, const char *date, struct arena *a,
                   struct cadre_worker **out, size_t *n, double *total, struct err *err)
{
    char today[11];
    clock_today(today, 0);
    if (date && !person_date_ok(date))
        return err_set_field(err, ERR_INVALID, "date", "日期须为 YYYY-MM-DD 格式的真实日期");
    struct workers_ctx x = {.app = app, .date = date ? date : arena_strdup(a, today)};
    x.rows = arena_zalloc(a, CADRE_ROWS_MAX * sizeof *x.rows);
    struct db *db = store_acquire(app->store);
    int rc = store_workers(db, a, unit, CADRE_ROWS_MAX, keep_worker, &x, err);
    store_release(app->store, db);
    if (rc == 1) rc = ERR_OK;
    struct tree *t = app_tree(app);
    for (size_t i = 0; i < x.n; i++) {
        uint32_t k = tree_find_any(t, x.rows[i].unit, strlen(x.rows[i].unit));
        x.rows[i].unit_name = arena_strdup(a, k == TREE_NONE ? "" : tree_name(t, k));
    }
    tree_unref(t);
    *out = x.rows;
    *n = x.n;
    *total = x.total;
    return rc;
}
