/* json_in.c — checked reads of JSON members (json_in.h). */
#include "io/json_in.h"
#include "base/utf8.h"

#include <jansson.h>
#include <string.h>

int jin_only(json_t *o, const char *const *allowed, struct err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key) != 0)
            a++;
        if (!*a) return err_set_field(err, ERR_INVALID, key, "不认识的字段 %s", key);
    }
    return ERR_OK;
}

/* A string member; with `lines`, line breaks are kept ("\r\n" read as "\n"). */
static int read_str(struct arena *a, json_t *o, const char *key, size_t max, bool lines,
                    const char **out, struct err *err)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v)) return ERR_OK;
    if (!json_is_string(v))
        return err_set_field(err, ERR_INVALID, key, "字段 %s 必须是字符串", key);
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n > max) return err_set_field(err, ERR_INVALID, key, "字段 %s 超过 %zu 字节", key, max);
    char *copy = arena_strndup(a, s, n), *to = copy;
    for (size_t i = 0; i < n; i++) {
        if (lines && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') continue;
        if (lines && s[i] == '\n') {
            *to++ = '\n';
            continue;
        }
        if (!s[i] || utf8_has_control(s + i, 1))
            return err_set_field(err, ERR_INVALID, key, "字段 %s 含有控制字符", key);
        *to++ = s[i];
    }
    *to = 0;
    *out = copy;
    return ERR_OK;
}

int jin_str(struct arena *a, json_t *o, const char *key, size_t max, const char **out,
            struct err *err)
{
    return read_str(a, o, key, max, false, out, err);
}

int jin_text(struct arena *a, json_t *o, const char *key, size_t max, const char **out,
             struct err *err)
{
    return read_str(a, o, key, max, true, out, err);
}

int jin_bool(json_t *o, const char *key, int *out, struct err *err)
{
    json_t *v = json_object_get(o, key);
    *out = -1;
    if (!v) return ERR_OK;
    if (!json_is_boolean(v))
        return err_set_field(err, ERR_INVALID, key, "字段 %s 必须是 true 或 false", key);
    *out = json_is_true(v);
    return ERR_OK;
}

int jin_num(json_t *o, const char *key, bool *has, double *out, struct err *err)
{
    json_t *v = json_object_get(o, key);
    *has = v && !json_is_null(v);
    *out = 0;
    if (!*has) return ERR_OK;
    if (!json_is_number(v)) return err_set_field(err, ERR_INVALID, key, "字段 %s 必须是数字", key);
    *out = json_number_value(v);
    return ERR_OK;
}
