/* app.c — see app.h. */
#include "app/events.h"
#include "app/evaluations.h"
#include "app/grids.h"
#include "app/health.h"
#include "app/people.h"
#include "app/points.h"
#include "app/projects.h"
#include "app/volunteers.h"
#include "app/share.h"
#include "app/cadres.h"
#include "app/contests.h"
#include "app/app.h"
#include "app/group_commit.h"
#include "app/analytics.h"
#include "app/audit.h"
#include "app/kinds.h"
#include "app/ratings.h"
#include "app/keyfile.h"
#include "app/memo.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A day column of the units (migration 018); NULL is `open`. */
static int32_t day_or(const char *text, int32_t open)
{
    int32_t d;
    return text && tree_day_parse(text, &d) ? d : open;
}

static int add_unit(void *ctx, const struct store_unit *u)
{
    tree_builder_add(ctx, u->code, u->code_len, u->name, u->name_len, u->kind);
    if (u->since || u->retired)
        tree_builder_dates(ctx, day_or(u->since, TREE_DAY_FIRST),
                           day_or(u->retired, TREE_DAY_LAST));
    return 0;
}

static int add_past_name(void *ctx, const struct store_unit_name *n)
{
    int kind = n->kind ? unit_kind_parse(n->kind, strlen(n->kind)) : UNIT_KIND_NONE;
    tree_builder_past(ctx, n->code, strlen(n->code), n->name, strlen(n->name),
                      kind < 0 ? UNIT_KIND_OTHER : kind, day_or(n->from, TREE_DAY_FIRST),
                      day_or(n->to, TREE_DAY_FIRST));
    return 0;
}

/* Reloads are serialised (reload_mu) so that a tree read earlier, by a
 * slower reload, never replaces one read later (an import here and a
 * notice of another server's import can both reload at once). */
int app_tree_reload(struct app *app, struct err *err)
{
    pthread_mutex_lock(&app->reload_mu);
    struct tree_builder *b = tree_builder_new();
    struct db *db = store_acquire(app->store);
    int rc = store_units_each(db, add_unit, b, err);
    if (!rc) rc = store_unit_names_each(db, add_past_name, b, err); /* former names */
    store_release(app->store, db);
    struct tree *t = NULL;
    if (rc)
        tree_builder_free(b);
    else if (tree_build(b, &t, err) != ERR_OK)
        rc = err_wrap(err, "the units table is inconsistent");
    if (rc) {
        pthread_mutex_unlock(&app->reload_mu);
        return rc;
    }
    pthread_mutex_lock(&app->tree_mu);
    struct tree *old = app->tree;
    app->tree = t;
    memo_bump(app->memo); /* answers over the old tree are stale */
    pthread_mutex_unlock(&app->tree_mu);
    pthread_mutex_unlock(&app->reload_mu);
    tree_unref(old);
    return ERR_OK;
}

struct tree *app_tree(struct app *app)
{
    pthread_mutex_lock(&app->tree_mu);
    struct tree *t = app->tree;
    tree_ref(t);
    pthread_mutex_unlock(&app->tree_mu);
    return t;
}

/* Another process committed changes: drop what they made stale, as the
 * writer did in its own process. Runs on the listener's thread. */
static void on_changes(void *ctx, const char *const *payloads, size_t n)
{
    struct app *app = ctx;
    bool tree = false, memo = false;
    size_t elen = strlen(APP_CHANGED_ELEMENT);
    for (size_t i = 0; i < n; i++) {
        const char *p = payloads[i];
        if (strcmp(p, DB_NOTIFY_ALL) == 0) { /* some may have been missed */
            analytics_invalidate_all(app);
            auth_cache_drop_all(app);
            tree = true;
        } else if (strncmp(p, APP_CHANGED_AUTH, strlen(APP_CHANGED_AUTH)) == 0) {
            auth_cache_drop_user(app, strtoll(p + strlen(APP_CHANGED_AUTH), NULL, 10));
        } else if (strcmp(p, APP_CHANGED_TREE) == 0) {
            tree = true;
        } else if (strncmp(p, APP_CHANGED_ELEMENT, elen) == 0) {
            analytics_invalidate(app, p + elen);
        } else if (strcmp(p, APP_CHANGED_MEMO) == 0) {
            memo = true;
        } else {
            log_msg(LOG_WARN, "app.changes", "unknown=\"%.64s\"", p);
            memo = true;
        }
    }
    struct err err;
    err_clear(&err);
    if (tree && app_tree_reload(app, &err)) /* also makes kept answers stale */
        log_msg(LOG_ERROR, "app.changes", "tree=stale msg=\"%s\"", err.msg);
    else if (memo)
        memo_bump(app->memo);
}

int app_follow(struct app *app, struct err *err)
{
    if (app->listener || !store_shared(app->store)) return ERR_OK;
    int rc = store_listen(app->store, on_changes, app, &app->listener, err);
    if (rc) return err_wrap(err, "following other servers' changes");
    /* Units another process imported between app_open and LISTEN. */
    return app_tree_reload(app, err);
}

static int make_dir(const char *path, struct err *err)
{
    char tmp[CONFIG_PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
            return err_set(err, ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
        return err_set(err, ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
    return ERR_OK;
}

/* The key file is created with the database; a database without one
 * predates it or lost it, and only `jiceng init` may make a new key. */
static int app_key_open(struct app *app, bool create, struct err *err)
{
    char path[CONFIG_PATH_MAX + 32];
    keyfile_path(&app->cfg, path, sizeof path);
    int rc = keyfile_load(path, create, &app->seal, err);
    if (rc == ERR_NOT_FOUND)
        return err_set(err, ERR_NOT_FOUND,
                       "找不到个人信息密钥文件 %s：请运行 `jiceng init` 生成"
                       "（若数据库中已有加密数据，请改为从备份恢复该文件）",
                       path);
    return rc;
}

int app_open(const struct config *cfg, bool create, int pool_size, struct app **out,
             struct err *err)
{
    *out = NULL;
    int rc;
    if ((rc = clock_zone(cfg->time_zone, err))) return rc;
    if (create && (rc = make_dir(cfg->data, err))) return rc;
    struct app *app = xcalloc(1, sizeof *app);
    app->cfg = *cfg;
    pthread_mutex_init(&app->tree_mu, NULL);
    pthread_mutex_init(&app->reload_mu, NULL);
    app->tree = tree_empty();
    app->memo = memo_new(64);
    app->ballots = group_commit_new();
    if ((rc = store_open(cfg->data, cfg->db, create, pool_size, &app->store, err)) ||
        (rc = app_key_open(app, create, err)) || (rc = audit_open(app, err)) ||
        (rc = app_tree_reload(app, err)) || (rc = roles_load(app, err)) ||
        (rc = roles_seed(app, err)) || (rc = auth_init(app, err)) ||
        (rc = analytics_init(app, err)) || (rc = kinds_load(app, err)) ||
        (rc = ratings_init(app, err)) || (rc = people_defs_load(app, err)) ||
        (rc = events_defs_load(app, err)) || (rc = points_defs_load(app, err)) ||
        (rc = evaluations_defs_load(app, err)) || (rc = grids_defs_load(app, err)) ||
        (rc = health_defs_load(app, err)) || (rc = projects_defs_load(app, err)) ||
        (rc = volunteers_defs_load(app, err)) || (rc = share_defs_load(app, err)) ||
        (rc = cadres_defs_load(app, err)) || (rc = contests_defs_load(app, err))) {
        app_close(app);
        return rc;
    }
    *out = app;
    return ERR_OK;
}

void app_close(struct app *app)
{
    if (!app) return;
    db_listener_stop(app->listener); /* its thread uses the store and the caches */
    /* first of the rest: it stops the warm-up thread, whose rollups of
     * computed elements read the people, events and points definitions */
    ratings_free(app);
    audit_close(app); /* a last checkpoint, while the store is open */
    evaluations_defs_free(app);
    grids_defs_free(app);
    health_defs_free(app);
    projects_defs_free(app);
    volunteers_defs_free(app);
    share_defs_free(app);
    cadres_defs_free(app);
    contests_defs_free(app);
    points_defs_free(app);
    events_defs_free(app);
    people_defs_free(app);
    kinds_free(app);
    memo_free(app->memo);
    group_commit_free(app->ballots);
    analytics_free(app);
    auth_free(app);
    roles_free(app);
    store_close(app->store);
    tree_unref(app->tree);
    seal_key_wipe(&app->seal);
    pthread_mutex_destroy(&app->tree_mu);
    pthread_mutex_destroy(&app->reload_mu);
    free(app);
}

int app_schema_version(struct app *app, int *version, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_schema_version(db, version, err);
    store_release(app->store, db);
    return rc;
}

int app_parse_id(const char *text, const char *what, int64_t *id, struct err *err)
{
    char *end;
    errno = 0;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text || !*text || *end || errno || v <= 0)
        return err_set_field(err, ERR_INVALID, "id", "%s编号须为正整数", what);
    *id = v;
    return ERR_OK;
}

/* What people call the text fields checked below (messages name them so;
 * `field` still carries the API's name). */
static const char *text_label(const char *field)
{
    static const char *const labels[][2] = {
        {"title", "标题"},        {"description", "描述"},   {"measures", "整改措施"},
        {"assignee", "承办人"},   {"location", "地点"},      {"note", "说明"},
        {"contact", "联系方式"},  {"reason", "理由"},        {"resolution", "处理意见"},
        {"evidence", "佐证材料"}, {"text", "内容"},          {"body", "正文"},
        {"basis", "法律依据"},    {"frequency", "抽查频次"}, {"department", "部门"},
        {"kind", "类型"},         {"cert_no", "执法证号"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i][0], field) == 0) return labels[i][1];
    return field;
}

int app_check_text(const char *s, const char *field, size_t max, bool required, struct err *err)
{
    size_t n = s ? strlen(s) : 0;
    const char *label = text_label(field);
    if (required && n == 0) return err_set_field(err, ERR_INVALID, field, "请填写%s", label);
    if (n > max) return err_set_field(err, ERR_INVALID, field, "%s不能超过 %zu 字节", label, max);
    if (n && !utf8_valid(s, n, NULL))
        return err_set_field(err, ERR_INVALID, field, "%s不是合法的 UTF-8 文本", label);
    return ERR_OK;
}
