/* files.c — uploads checked by content and stored by digest (files.h). */
#include "app/files.h"
#include "base/utf8.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *files_sniff(const void *data, size_t len)
{
    static const struct {
        const char *type;
        size_t at, len;
        const char *magic;
    } kinds[] = {
        {"image/jpeg", 0, 3, "\xFF\xD8\xFF"},
        {"image/png", 0, 8, "\x89PNG\r\n\x1A\n"},
        {"application/pdf", 0, 5, "%PDF-"},
        {"image/webp", 8, 4, "WEBP"}, /* after "RIFF" and a length */
    };
    const unsigned char *p = data;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (len >= kinds[k].at + kinds[k].len + 4 &&
            memcmp(p + kinds[k].at, kinds[k].magic, kinds[k].len) == 0 &&
            (kinds[k].at == 0 || memcmp(p, "RIFF", 4) == 0))
            return kinds[k].type;
    return NULL;
}

bool files_is_digest(const char *text)
{
    size_t n = 0;
    for (; text && text[n]; n++)
        if (!((text[n] >= '0' && text[n] <= '9') || (text[n] >= 'a' && text[n] <= 'f')))
            return false;
    return n == 64;
}

int files_upload(struct app *app, const struct auth_user *actor, const void *data, size_t len,
                 const char *client, struct arena *a, struct case_file *out, struct err *err)
{
    if (len == 0) return err_set(err, ERR_INVALID, "文件是空的");
    if (len > FILE_SIZE_MAX)
        return err_set(err, ERR_TOO_LARGE, "文件不能超过 %zu MB", FILE_SIZE_MAX >> 20);
    const char *type = files_sniff(data, len);
    if (!type) return err_set(err, ERR_UNSUPPORTED, "只能上传 JPEG、PNG、WebP 图片或 PDF 文件");
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    char sha[65], at[32];
    sodium_bin2hex(sha, sizeof sha, h, sizeof h);
    auth_now_iso(at);
    struct case_file f = {.sha256 = arena_strdup(a, sha),
                          .type = type,
                          .size = len,
                          .created_by = actor->name,
                          .created_at = arena_strdup(a, at)};
    struct audit_entry ae = {.user = f.created_by,
                             .action = "file.upload",
                             .entity = arena_printf(a, "file:%s", sha),
                             .after = arena_printf(a, "{\"type\":\"%s\",\"size\":%zu}", type, len),
                             .client = client};
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_file_put(db, &f, data, err);
    if (!rc) rc = store_audit_append(db, &ae, err);
    if (!rc) rc = db_commit(db, err);
    if (rc) db_rollback(db);
    store_release(app->store, db);
    if (!rc) *out = f;
    return rc;
}

int files_check_refs(const struct file_ref *refs, size_t n, struct err *err)
{
    if (n > FILES_PER_STEP)
        return err_set_field(err, ERR_INVALID, "files", "一次最多附 %d 个文件", FILES_PER_STEP);
    for (size_t i = 0; i < n; i++) {
        char field[32];
        snprintf(field, sizeof field, "files[%zu].sha256", i);
        if (!files_is_digest(refs[i].sha256))
            return err_set_field(err, ERR_INVALID, field, "%s 须为上传时返回的 64 位摘要", field);
        snprintf(field, sizeof field, "files[%zu].name", i);
        const char *name = refs[i].name;
        size_t len = name ? strlen(name) : 0;
        if (len == 0 || len > FILE_NAME_MAX || !utf8_valid(name, len, NULL) ||
            strpbrk(name, "/\\\"") != NULL)
            return err_set_field(err, ERR_INVALID, field, "%s 须为 1–%d 字节的文件名，不含 / \\ \"",
                                 field, FILE_NAME_MAX);
        for (size_t k = 0; k < len; k++)
            if ((unsigned char)name[k] < 0x20 || name[k] == 0x7F)
                return err_set_field(err, ERR_INVALID, field, "%s 含有控制字符", field);
    }
    return ERR_OK;
}
