/* json_def.c — hand-written JSON definitions, checked with paths (json_def.h). */
#include "io/json_def.h"
#include "base/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int jdef_load(const char *json, size_t len, size_t max, const char *what, const char *name,
              json_t **root, struct err *err)
{
    *root = NULL;
    if (len > max) {
        err_setf(err, ERR_TOO_LARGE, NULL, "%s超过 %zu KiB", what, max / 1024);
        err_at(err, name, 0, 0);
        return ERR_TOO_LARGE;
    }
    json_error_t je;
    if (!(*root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je))) {
        err_setf(err, ERR_INVALID, NULL, "不是合法的 JSON：%s", je.text);
        err_at(err, name, je.line, je.column);
        return ERR_INVALID;
    }
    return ERR_OK;
}

int jdef_bad(struct jdef *d, const char *path, const char *fmt, ...)
{
    char text[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    err_setf(d->err, ERR_INVALID, path, "%s: %s", path, text);
    err_at(d->err, d->name, 0, 0);
    return ERR_INVALID;
}

void jdef_join(char out[JDEF_PATH_MAX], const char *parent, const char *key)
{
    if (snprintf(out, JDEF_PATH_MAX, "%s%s%s", parent, parent[0] ? "." : "", key) >= JDEF_PATH_MAX)
        out[JDEF_PATH_MAX - 1] = '\0';
}

void jdef_index(char out[JDEF_PATH_MAX], const char *parent, size_t i)
{
    if (snprintf(out, JDEF_PATH_MAX, "%s[%zu]", parent, i) >= JDEF_PATH_MAX)
        out[JDEF_PATH_MAX - 1] = '\0';
}

json_t *jdef_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return v && !json_is_null(v) ? v : NULL;
}

int jdef_only(struct jdef *d, json_t *o, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key) != 0)
            a++;
        if (!*a) {
            char at[JDEF_PATH_MAX];
            jdef_join(at, path, key);
            return jdef_bad(d, at, "不认识的字段");
        }
    }
    return ERR_OK;
}

int jdef_object(struct jdef *d, json_t *v, const char *path)
{
    return json_is_object(v) ? ERR_OK : jdef_bad(d, path, "必须是对象");
}

int jdef_str(struct jdef *d, json_t *o, const char *path, const char *key, char *dst, size_t cap)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    json_t *v = jdef_member(o, key);
    dst[0] = '\0';
    if (!v) return jdef_bad(d, at, "缺少此项");
    if (!json_is_string(v)) return jdef_bad(d, at, "必须是字符串");
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n == 0) return jdef_bad(d, at, "不能为空");
    if (n >= cap) return jdef_bad(d, at, "超过 %zu 字节", cap - 1);
    if (utf8_has_control(s, n)) return jdef_bad(d, at, "含有控制字符");
    memcpy(dst, s, n + 1);
    return ERR_OK;
}
