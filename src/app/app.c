/* app.c — see app.h. */
#include "app/app.h"
#include "app/analytics.h"
#include "app/items.h"
#include "app/ratings.h"
#include "app/keyfile.h"
#include "app/memo.h"
#include "base/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int add_unit(void *ctx, const struct store_unit *u)
{
    tree_builder_add(ctx, u->code, u->code_len, u->name, u->name_len, u->kind);
    return 0;
}

int app_tree_reload(struct app *app, struct err *err)
{
    struct tree_builder *b = tree_builder_new();
    struct db *db = store_acquire(app->store);
    int rc = store_units_each(db, add_unit, b, err);
    store_release(app->store, db);
    if (rc) {
        tree_builder_free(b);
        return rc;
    }
    struct tree *t;
    if (tree_build(b, &t, err) != ERR_OK) return err_wrap(err, "the units table is inconsistent");
    pthread_mutex_lock(&app->tree_mu);
    struct tree *old = app->tree;
    app->tree = t;
    memo_bump(app->memo); /* answers over the old tree are stale */
    pthread_mutex_unlock(&app->tree_mu);
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

static int app_auth_init(struct app *app, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = auth_init(app, db, err);
    store_release(app->store, db);
    return rc;
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
    if (create && (rc = make_dir(cfg->data, err))) return rc;
    struct app *app = xcalloc(1, sizeof *app);
    app->cfg = *cfg;
    pthread_mutex_init(&app->tree_mu, NULL);
    app->tree = tree_empty();
    app->memo = memo_new(64);
    if ((rc = store_open(cfg->data, cfg->db, create, pool_size, &app->store, err)) ||
        (rc = app_key_open(app, create, err)) || (rc = app_tree_reload(app, err)) ||
        (rc = app_auth_init(app, err)) || (rc = analytics_init(app, err)) ||
        (rc = items_init(app, err)) || (rc = ratings_init(app, err))) {
        app_close(app);
        return rc;
    }
    *out = app;
    return ERR_OK;
}

void app_close(struct app *app)
{
    if (!app) return;
    ratings_free(app);
    items_free(app);
    memo_free(app->memo);
    analytics_free(app);
    auth_free(app);
    store_close(app->store);
    tree_unref(app->tree);
    seal_key_wipe(&app->seal);
    pthread_mutex_destroy(&app->tree_mu);
    free(app);
}
