/* cadres_exams.c — trainings and exams on the events engine (cadres.h): an
 * exam is an event of the exam type whose participants carry {"score": n};
 * the pass mark comes from data/cadres.json; a make-up exam is another exam
 * event linked to the first (cadre_makeups), sat only by those who did not
 * pass it. A person's training hours per year and exam results are read
 * from their events. */
#include "app/audit.h"
#include "app/cadres.h"
#include "app/events.h"
#include "store/store_cadres.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The value `code` of a participant's data, *has false when absent. */
static double value_of(const char *data, const char *code, bool *has)
{
    json_t *o = json_loads(data ? data : "{}", 0, NULL);
    json_t *v = json_object_get(o, code);
    *has = json_is_number(v);
    double d = *has ? json_number_value(v) : 0;
    json_decref(o);
    return d;
}

static int makeup_of(struct app *app, int64_t id, int64_t *of, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_makeup_of(db, id, of, err);
    store_release(app->store, db);
    return rc;
}

/* The exam event id: ERR_INVALID when it is another kind of event. */
static int exam_get(struct app *app, int64_t id, struct arena *a, struct event_view *v,
                    struct err *err)
{
    int rc = events_get(app, id, a, v, err);
    if (!rc && strcmp(v->e.type, app->cadres->exam_type) != 0)
        rc = err_set(err, ERR_INVALID, "活动 %lld 不是考试，不能登记考试成绩", (long long)id);
    return rc;
}

int cadres_exam(struct app *app, int64_t id, struct arena *a, struct cadre_exam *out,
                struct err *err)
{
    struct event_view v;
    int rc = exam_get(app, id, a, &v, err);
    if (!rc) rc = makeup_of(app, id, &out->makeup_of, err);
    if (rc) return rc;
    out->id = id;
    out->topic = v.e.topic;
    out->day = v.e.day;
    out->unit = v.e.unit;
    out->scores = arena_zalloc(a, (v.nparts + 1) * sizeof *out->scores);
    out->nscores = 0;
    for (size_t i = 0; i < v.nparts; i++) {
        bool has;
        double s = value_of(v.parts[i].data, "score", &has);
        if (!has) continue;
        out->scores[out->nscores++] = (struct cadre_score){.person_id = v.parts[i].person_id,
                                                           .person_name = v.parts[i].person_name,
                                                           .score = s,
                                                           .passed = s >= app->cadres->pass_mark};
    }
    return ERR_OK;
}

int cadres_exam_scores(struct app *app, const struct auth_user *actor, int64_t id,
                       const struct cadre_score_in *in, size_t n, const char *client,
                       struct err *err)
{
    if (n > CADRE_SCORES_MAX)
        return err_set_field(err, ERR_INVALID, "scores", "一次至多登记 %d 人的成绩",
                             CADRE_SCORES_MAX);
    struct arena *a = arena_new();
    struct cadre_exam first = {0};
    struct event_view v;
    int64_t of = 0;
    int rc = exam_get(app, id, a, &v, err);
    if (!rc) rc = makeup_of(app, id, &of, err);
    if (!rc && of) rc = cadres_exam(app, of, a, &first, err);
    const struct event_field *f = rc ? NULL : &events_type(app, v.e.type)->fields[0];
    struct participant_in *parts = arena_zalloc(a, (n + 1) * sizeof *parts);
    for (size_t i = 0; !rc && i < n; i++) {
        const char *field = arena_printf(a, "scores[%zu]", i);
        if (in[i].score < f->min || in[i].score > f->max) {
            rc =
                err_set_field(err, ERR_INVALID, field, "成绩须在 %g 到 %g 分之间（第 %zu 行为 %g）",
                              f->min, f->max, i + 1, in[i].score);
            break;
        }
        for (size_t k = 0; k < i; k++)
            if (in[k].person == in[i].person) {
                rc = err_set_field(err, ERR_INVALID, field, "第 %zu 行与第 %zu 行是同一人", i + 1,
                                   k + 1);
                break;
            }
        for (size_t k = 0; !rc && of && k < first.nscores; k++)
            if (first.scores[k].person_id == in[i].person && first.scores[k].passed)
                rc = err_set_field(err, ERR_INVALID, field,
                                   "%s 首次考试成绩 %g 分已合格（合格线 %g 分），无需补考",
                                   first.scores[k].person_name, first.scores[k].score,
                                   app->cadres->pass_mark);
        struct event_value *val = arena_zalloc(a, sizeof *val);
        *val = (struct event_value){.code = "score", .v = in[i].score};
        parts[i] = (struct participant_in){
            .person_id = in[i].person, .attendance = "present", .values = val, .nvalues = 1};
    }
    if (!rc) rc = events_attendance_set(app, actor, id, parts, n, client, err);
    arena_free(a);
    return rc;
}

struct makeup_write {
    int64_t id, of;
    const char *by, *at;
};

static int write_makeup(struct db *db, void *ctx, struct err *err)
{
    const struct makeup_write *w = ctx;
    return store_makeup_insert(db, w->id, w->of, w->by, w->at, err);
}

int cadres_exam_makeup(struct app *app, const struct auth_user *actor, int64_t id,
                       const char *starts_at, const char *client, int64_t *makeup, struct err *err)
{
    struct arena *a = arena_new();
    struct cadre_exam first = {0};
    struct event_view v;
    int rc = exam_get(app, id, a, &v, err);
    if (!rc) rc = cadres_exam(app, id, a, &first, err);
    if (!rc && first.makeup_of)
        rc = err_set(err, ERR_INVALID, "该考试本身是补考，请为首次考试安排补考");
    size_t failed = 0;
    for (size_t i = 0; !rc && i < first.nscores; i++)
        failed += !first.scores[i].passed;
    if (!rc && failed == 0)
        rc = err_set(err, ERR_INVALID, "该考试没有不合格的成绩（合格线 %g 分），无需安排补考",
                     app->cadres->pass_mark);
    *makeup = 0;
    if (!rc) {
        struct event_in in = {.type = v.e.type,
                              .unit = v.e.unit,
                              .org_id = v.e.org_id,
                              .status = "planned",
                              .starts_at = starts_at,
                              .topic = arena_printf(a, "%s（补考）", v.e.topic)};
        rc = events_create(app, actor, &in, client, makeup, err);
    }
    if (!rc) {
        char at[32];
        auth_now_iso(at);
        struct makeup_write w = {.id = *makeup, .of = id, .by = actor->name, .at = at};
        struct audit_entry ae = {.user = actor->name,
                                 .action = "cadre.makeup",
                                 .entity = arena_printf(a, "event:%lld", (long long)*makeup),
                                 .unit = v.e.unit,
                                 .after = arena_printf(a, "{\"makeup_of\":%lld}", (long long)id),
                                 .client = client};
        rc = app_write_tx(app, &ae, NULL, write_makeup, &w, err);
    }
    arena_free(a);
    return rc;
}

int cadres_person(struct app *app, int64_t person, struct arena *a, struct cadre_person *out,
                  struct err *err)
{
    struct person_event *ev;
    size_t n;
    int rc = events_person_attendance(app, person, "", "", a, &ev, &n, err);
    if (rc) return rc;
    const struct cadre_defs *c = app->cadres;
    *out = (struct cadre_person){0};
    out->years = arena_zalloc(a, (n + 1) * sizeof *out->years);
    out->exams = arena_zalloc(a, (n + 1) * sizeof *out->exams);
    for (size_t i = 0; !rc && i < n; i++) {
        bool has;
        double v;
        if (strcmp(ev[i].e.type, c->training_type) == 0 && ev[i].present) {
            v = value_of(ev[i].data, "hours", &has);
            int year = (int)strtol(ev[i].e.day, NULL, 10);
            size_t k = 0;
            while (k < out->nyears && out->years[k].year != year)
                k++;
            if (k == out->nyears) out->years[out->nyears++].year = year;
            out->years[k].trainings++;
            out->years[k].hours += has ? v : 0;
        } else if (strcmp(ev[i].e.type, c->exam_type) == 0) {
            struct cadre_person_exam *x = &out->exams[out->nexams++];
            v = value_of(ev[i].data, "score", &has);
            *x = (struct cadre_person_exam){.event_id = ev[i].e.id,
                                            .topic = ev[i].e.topic,
                                            .day = ev[i].e.day,
                                            .score = v,
                                            .scored = has,
                                            .passed = has && v >= c->pass_mark};
            rc = makeup_of(app, ev[i].e.id, &x->makeup_of, err);
        }
    }
    return rc;
}
