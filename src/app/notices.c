/* notices.c — 通知公告: sending, reading, receipts (notices.h). */
#include "app/notices.h"
#include "app/audit.h"
#include "app/notify.h"
#include "base/mem.h"
#include "store/store.h"

#include <string.h>

static int check_new(struct app *app, const struct auth_user *sender, const struct notice_new *in,
                     struct err *err)
{
    if (!in->unit || !in->unit[0])
        return err_set_field(err, ERR_INVALID, "unit", "请选择接收通知的单位");
    struct tree *t = app_tree(app);
    bool known = tree_find(t, in->unit, strlen(in->unit)) != TREE_NONE;
    tree_unref(t);
    if (!known) return err_set_field(err, ERR_NOT_FOUND, "unit", "没有代码为 %s 的单位", in->unit);
    if (!auth_in_scope(sender->scope, in->unit))
        return err_set_field(err, ERR_FORBIDDEN, "unit", "只能向本单位及下级单位发通知");
    int rc = app_check_text(in->title, "title", NOTICE_TITLE_MAX, true, err);
    if (!rc) rc = app_check_text(in->body, "body", NOTICE_BODY_MAX, true, err);
    if (!rc && in->nfiles > NOTICE_FILES_MAX)
        rc = err_set_field(err, ERR_INVALID, "files", "一条通知最多 %d 个附件", NOTICE_FILES_MAX);
    if (!rc) rc = files_check_refs(in->files, in->nfiles, err);
    return rc;
}

int notices_create(struct app *app, const struct auth_user *sender, const struct notice_new *in,
                   const char *client, struct arena *a, struct notice *out, struct err *err)
{
    int rc = check_new(app, sender, in, err);
    if (rc) return rc;
    char at[32];
    auth_now_iso(at);
    *out = (struct notice){.unit = in->unit,
                           .from_unit = sender->scope,
                           .title = in->title,
                           .body = in->body,
                           .created_by = sender->name,
                           .sender = sender->display_name,
                           .created_at = arena_strdup(a, at),
                           .read_at = ""};
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, true, err);
    if (!rc) rc = store_notice_insert(db, out, sender->name, notify_push_from(app), err);
    if (!rc && out->recipients == 0)
        rc = err_set_field(err, ERR_INVALID, "unit",
                           "所选单位及其下级还没有可以接收通知的账号，请先为它们开通账号");
    for (size_t i = 0; i < in->nfiles && !rc; i++) {
        rc = store_attached_add(db, STORE_ATTACH_NOTICE, out->id, in->files[i].sha256,
                                in->files[i].name, err);
        if (rc == ERR_NOT_FOUND)
            rc = err_set_field(err, ERR_INVALID, arena_printf(a, "files[%zu].sha256", i),
                               "files[%zu]：没有这个文件，请先上传", i);
    }
    if (!rc) {
        struct audit_entry ae = {
            .user = sender->name,
            .action = "notice.create",
            .entity = arena_printf(a, "notice:%lld", (long long)out->id),
            .unit = in->unit,
            .after = arena_printf(a, "{\"recipients\":%lld}", (long long)out->recipients),
            .client = client};
        rc = store_audit_append(db, &ae, err);
    }
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    return rc;
}

int notices_list(struct app *app, const struct auth_user *reader, bool sent, int64_t before_id,
                 int limit, int (*fn)(void *ctx, const struct notice *n), void *ctx,
                 struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_notices_list(db, sent ? NULL : reader->name, reader->scope, before_id, limit, fn,
                                ctx, err);
    store_release(app->store, db);
    return rc;
}

/* The notice if the reader may see it: a recipient, or overseeing its unit. */
static int load_visible(struct db *db, const struct auth_user *reader, int64_t id, struct arena *a,
                        struct notice_view *v, struct err *err)
{
    memset(v, 0, sizeof *v);
    int rc = store_notice_get(db, a, id, reader->name, &v->n, &v->recipient, err);
    if (rc) return rc;
    v->overseer = auth_in_scope(reader->scope, v->n.unit);
    if (!v->recipient && !v->overseer) return err_set(err, ERR_NOT_FOUND, "没有这条通知");
    return ERR_OK;
}

int notices_get(struct app *app, const struct auth_user *reader, int64_t id, struct arena *a,
                struct notice_view *out, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = load_visible(db, reader, id, a, out, err);
    if (!rc)
        rc = store_attached_files(db, a, STORE_ATTACH_NOTICE, id, &out->files, &out->nfiles, err);
    store_release(app->store, db);
    return rc;
}

int notices_read(struct app *app, const struct auth_user *reader, int64_t id, struct err *err)
{
    struct arena *a = arena_new();
    struct notice_view v;
    char at[32];
    auth_now_iso(at);
    struct db *db = store_acquire(app->store);
    int rc = load_visible(db, reader, id, a, &v, err);
    if (!rc && v.recipient) rc = store_notifications_read_of(db, reader->name, 0, id, at, err);
    store_release(app->store, db);
    arena_free(a);
    return rc;
}

int notices_receipts(struct app *app, const struct auth_user *reader, int64_t id,
                     int (*fn)(void *ctx, const struct notice_receipt *r), void *ctx,
                     struct err *err)
{
    struct arena *a = arena_new();
    struct notice_view v;
    struct db *db = store_acquire(app->store);
    int rc = load_visible(db, reader, id, a, &v, err);
    if (!rc && !v.overseer)
        rc = err_set(err, ERR_FORBIDDEN, "阅读情况只有发通知的单位和上级单位能看");
    if (!rc) rc = store_notice_receipts(db, id, fn, ctx, err);
    store_release(app->store, db);
    arena_free(a);
    return rc;
}

int notices_file(struct app *app, const struct auth_user *reader, int64_t id, const char *sha256,
                 struct arena *a, struct notice_file *out, const void **data, struct err *err)
{
    if (!files_is_digest(sha256)) return err_set(err, ERR_NOT_FOUND, "这条通知没有这个附件");
    struct notice_view v;
    struct db *db = store_acquire(app->store);
    int rc = load_visible(db, reader, id, a, &v, err);
    if (!rc) rc = store_attached_get(db, a, STORE_ATTACH_NOTICE, id, sha256, out, data, err);
    store_release(app->store, db);
    return rc;
}
