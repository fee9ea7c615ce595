/* inspections_result.c — recording a check's result (inspections.h): the
 * result code from data/inspections.json, the check on or before its
 * plan's deadline, publication within N working days counted on
 * data/calendar.json (core/workdays.c). Both files are compiled in and read
 * per call (a few KiB), so there is no state to keep in step. */
#include "app/inspections.h"
#include "app/analytics.h"
#include "app/auth.h"
#include "app/cases.h"
#include "app/cases_computed.h"
#include "base/arena.h"
#include "base/embed.h"
#include "base/mem.h"
#include "core/workdays.h"
#include "io/json_def.h"
#include "store/inspections.h"
#include "store/store.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct embed_file data_defs[];

#define DEFS_MAX ((size_t)64 * 1024)
#define DAYS_MAX 512

static int load(const char *name, const char *what, json_t **root, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, name, strlen(name));
    if (!f) return err_set(err, ERR_INTERNAL, "data/%s 未编译进程序", name);
    return jdef_load((const char *)f->data, f->len, DEFS_MAX, what, name, root, err);
}

static int cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* data/calendar.json → the sorted holiday and make-up day lists. */
static int calendar(int32_t *off, size_t *noff, int32_t *work, size_t *nwork, struct err *err)
{
    json_t *root;
    int rc = load("calendar.json", "工作日历", &root, err);
    if (rc) return rc;
    *noff = *nwork = 0;
    const char *year;
    json_t *y;
    json_object_foreach(json_object_get(root, "years"), year, y)
    {
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(y, "off"), i, r)
        {
            int32_t from = workdays_parse(json_string_value(json_array_get(r, 0)));
            int32_t to = workdays_parse(json_string_value(json_array_get(r, 1)));
            if (from < 0 || to < from || to - from > 31) {
                rc = err_set(err, ERR_INTERNAL, "data/calendar.json: %s 年放假第 %zu 项日期不正确",
                             year, i + 1);
                break;
            }
            for (int32_t d = from; d <= to && *noff < DAYS_MAX; d++)
                off[(*noff)++] = d;
        }
        json_array_foreach(json_object_get(y, "work"), i, r)
        {
            int32_t d = workdays_parse(json_string_value(r));
            if (d < 0) {
                rc = err_set(err, ERR_INTERNAL, "data/calendar.json: %s 年上班第 %zu 项日期不正确",
                             year, i + 1);
                break;
            }
            if (*nwork < DAYS_MAX) work[(*nwork)++] = d;
        }
        if (rc) break;
    }
    json_decref(root);
    qsort(off, *noff, sizeof *off, cmp_day);
    qsort(work, *nwork, sizeof *work, cmp_day);
    return rc;
}

int inspections_publish_by(const char *checked_on, char out[11], struct err *err)
{
    json_t *root;
    int rc = load("inspections.json", "双随机规则", &root, err);
    if (rc) return rc;
    json_int_t days = json_integer_value(json_object_get(root, "publish_within_working_days"));
    json_decref(root);
    int32_t start = workdays_parse(checked_on);
    if (start < 0)
        return err_set_field(err, ERR_INVALID, "checked_on",
                             "检查日期须为 YYYY-MM-DD 格式的真实日期");
    size_t noff, nwork;
    int32_t *o = xmalloc(DAYS_MAX * sizeof *o), *w = xmalloc(DAYS_MAX * sizeof *w);
    rc = calendar(o, &noff, w, &nwork, err);
    if (!rc) {
        struct workdays c = {o, noff, w, nwork};
        workdays_format(workdays_add(&c, start, (int)days), out);
    }
    free(o);
    free(w);
    return rc;
}

/* data/inspections.json's publication period, for messages (0 if unreadable). */
static long publish_days(void)
{
    json_t *root;
    struct err e;
    err_clear(&e);
    if (load("inspections.json", "双随机规则", &root, &e)) return 0;
    long days = (long)json_integer_value(json_object_get(root, "publish_within_working_days"));
    json_decref(root);
    return days;
}

static int result_label(const char *code, char *label, size_t cap, struct err *err)
{
    json_t *root;
    int rc = load("inspections.json", "双随机规则", &root, err);
    if (rc) return rc;
    size_t i;
    json_t *r;
    rc = err_set_field(err, ERR_INVALID, "result",
                       "检查结果“%s”不是标准结果类型之一（见 data/inspections.json）", code);
    json_array_foreach(json_object_get(root, "results"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "code")), code) == 0) {
            snprintf(label, cap, "%s", json_string_value(json_object_get(r, "label")));
            err_clear(err);
            rc = ERR_OK;
            break;
        }
    }
    json_decref(root);
    return rc;
}

int inspections_result(struct app *app, const char *scope, int64_t check_id, const char *code,
                       const char *checked_on, const char *published_on, const char *by,
                       const char *client, struct err *err)
{
    char label[128], publish_by[11];
    int rc = result_label(code, label, sizeof label, err);
    if (!rc) rc = inspections_publish_by(checked_on, publish_by, err);
    if (rc) return rc;
    if (published_on && *published_on) {
        int32_t p = workdays_parse(published_on);
        if (p < 0)
            return err_set_field(err, ERR_INVALID, "published_on",
                                 "公示日期须为 YYYY-MM-DD 格式的真实日期");
        if (p < workdays_parse(checked_on))
            return err_set_field(err, ERR_INVALID, "published_on", "公示日期不能早于检查日期");
        if (strcmp(published_on, publish_by) > 0)
            return err_set_field(err, ERR_INVALID, "published_on",
                                 "抽查检查结果须自检查完成之日起 %ld 个工作日内公示（期限 %s，"
                                 "按工作日历扣除法定节假日），公示日期 %s 已超期",
                                 publish_days(), publish_by, published_on);
    }
    struct arena *a = arena_new();
    struct insp_check_about ck = {0};
    const char *unit = "", *deadline = "";
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc && !(rc = store_insp_check(db, a, check_id, &ck, err))) {
        unit = ck.unit;
        deadline = ck.deadline;
    }
    if (!rc && scope && !auth_in_scope(scope, unit))
        rc = err_set(err, ERR_FORBIDDEN, "抽查检查 %" PRId64 " 不存在（或不在您的管辖范围内）",
                     check_id);
    /* a published result is a public record: the page and the case say so */
    if (!rc && *ck.published_on)
        rc = err_set_field(err, ERR_CONFLICT, "published_on", "该检查结果已于 %s 公示，不能再修改",
                           ck.published_on);
    if (!rc && strcmp(checked_on, deadline) > 0)
        rc = err_set_field(err, ERR_INVALID, "checked_on",
                           "检查须在抽查计划规定的完成期限 %s 前完成，检查日期 %s 已过期限",
                           deadline, checked_on);
    if (!rc)
        rc = store_insp_check_result(db, check_id, code, checked_on, publish_by, published_on, err);
    if (!rc) {
        char entity[48], after[256];
        snprintf(entity, sizeof entity, "inspection_check:%" PRId64, check_id);
        snprintf(after, sizeof after,
                 "{\"result\":\"%s\",\"checked_on\":\"%s\",\"publish_by\":\"%s\"}", code,
                 checked_on, publish_by);
        struct audit_entry ae = {.user = by,
                                 .action = "inspection.result",
                                 .entity = entity,
                                 .unit = unit,
                                 .after = after,
                                 .client = client};
        rc = store_audit_append(db, &ae, err);
    }
    /* its case moves with it, in the same transaction: 录入 the first
     * result, 公示 when a publication date first comes */
    const char *step = NULL;
    if (ck.case_id && published_on && *published_on && !*ck.published_on)
        step = "publish";
    else if (ck.case_id && !*ck.result)
        step = "check";
    if (!rc && step) {
        struct auth_user u;
        struct case_step cs = {.result = code,
                               .note = arena_printf(a, "检查结果：%s；检查日期 %s；公示期限 %s%s%s",
                                                    label, checked_on, publish_by,
                                                    *step == 'p' ? "；公示日期 " : "",
                                                    *step == 'p' ? published_on : "")};
        rc = cases_step_in(app, db, inspections_actor(&u, scope, by), ck.case_id, step, &cs, client,
                           a, err);
    }
    if (!rc) rc = db_notify(db, APP_CHANGED_ELEMENT INSPECTIONS_CHANGED, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) analytics_invalidate(app, INSPECTIONS_CHANGED);
    if (!rc && step) analytics_invalidate(app, CASES_CHANGED);
    arena_free(a);
    return rc;
}

int inspections_guard_result(struct case_ctx *x, struct err *err)
{
    char label[128];
    if (!x->result)
        return err_set(err, ERR_FORBIDDEN,
                       "双随机抽查的检查结果须在“双随机抽查”中录入（标准结果类型、检查期限和"
                       "公示期限由系统核对），不能在事项中直接办理");
    return result_label(x->result, label, sizeof label, err);
}

int inspections_check_of_case(struct app *app, struct arena *a, int64_t case_id,
                              struct insp_check_about *out, bool *found, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_insp_check_of_case(db, a, case_id, out, found, err);
    store_release(app->store, db);
    return rc;
}

int inspections_result_codes(struct arena *a, struct insp_result_code **out, size_t *n,
                             long *publish_days, struct err *err)
{
    json_t *root;
    int rc = load("inspections.json", "双随机规则", &root, err);
    if (rc) return rc;
    json_t *list = json_object_get(root, "results");
    *n = json_array_size(list);
    *out = arena_zalloc(a, (*n + 1) * sizeof **out);
    *publish_days = (long)json_integer_value(json_object_get(root, "publish_within_working_days"));
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r)
    {
        (*out)[i].code = arena_strdup(a, json_string_value(json_object_get(r, "code")));
        (*out)[i].label = arena_strdup(a, json_string_value(json_object_get(r, "label")));
    }
    json_decref(root);
    return ERR_OK;
}
