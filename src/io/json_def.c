/* json_def.c — hand-written JSON definitions, checked with paths (json_def.h). */
#include "io/json_def.h"
#include "base/utf8.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
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
    err_at(d->err, d->name, d->text ? jdef_line(d->text, d->len, path) : 0, 0);
    return ERR_INVALID;
}

/* ---- finding a path in the text ----
 * jansson keeps no positions, so the line of a value is found by walking
 * the text: a JSON that jansson accepted needs only a scanner that skips
 * strings and balanced brackets. Keys with escapes are never matched
 * (definition keys are plain ASCII). */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return end;
}

static const char *skip_value(const char *p, const char *end)
{
    p = skip_ws(p, end);
    if (p < end && *p == '"') return skip_string(p, end);
    if (p < end && (*p == '{' || *p == '[')) {
        for (int depth = 0; p < end; p++) {
            if (*p == '"') {
                p = skip_string(p, end) - 1;
            } else if (*p == '{' || *p == '[') {
                depth++;
            } else if ((*p == '}' || *p == ']') && --depth == 0) {
                return p + 1;
            }
        }
        return end;
    }
    while (p < end && !strchr(",}] \t\r\n", *p))
        p++;
    return p;
}

/* The value of member key (klen bytes) of the object at p, or NULL. */
static const char *member_at(const char *p, const char *end, const char *key, size_t klen)
{
    if (p >= end || *p != '{') return NULL;
    for (p = skip_ws(p + 1, end); p < end && *p == '"';) {
        const char *k = p + 1, *after = skip_string(p, end);
        bool same = (size_t)(after - 1 - k) == klen && memcmp(k, key, klen) == 0;
        p = skip_ws(after, end);
        if (p >= end || *p != ':') return NULL;
        const char *v = skip_ws(p + 1, end);
        if (same) return v;
        p = skip_ws(skip_value(v, end), end);
        if (p >= end || *p != ',') return NULL;
        p = skip_ws(p + 1, end);
    }
    return NULL;
}

/* Element i of the array at p, or NULL. */
static const char *element_at(const char *p, const char *end, size_t i)
{
    if (p >= end || *p != '[') return NULL;
    p = skip_ws(p + 1, end);
    for (; i > 0 && p < end && *p != ']'; i--) {
        p = skip_ws(skip_value(p, end), end);
        if (p >= end || *p != ',') return NULL;
        p = skip_ws(p + 1, end);
    }
    return p < end && *p != ']' ? p : NULL;
}

long jdef_line(const char *json, size_t len, const char *path)
{
    const char *end = json + len, *at = skip_ws(json, end);
    if (at >= end) return 0;
    if (strcmp(path, "(根)") == 0) path = "";
    for (const char *s = path; *s && at;) {
        const char *next;
        if (*s == '[') {
            char *stop;
            size_t i = strtoul(s + 1, &stop, 10);
            next = element_at(at, end, i);
            s = *stop == ']' ? stop + 1 : stop;
        } else {
            size_t klen = strcspn(s, ".[");
            next = member_at(at, end, s, klen);
            s += klen;
        }
        if (*s == '.') s++;
        if (!next) break;
        at = next;
    }
    long line = 1;
    for (const char *p = json; p < at; p++)
        line += *p == '\n';
    return line;
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

int jdef_text(struct jdef *d, json_t *o, const char *path, const char *key, bool required,
              size_t max, const char **out)
{
    json_t *v = jdef_member(o, key);
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    *out = NULL;
    if (!v) return required ? jdef_bad(d, at, "缺少") : ERR_OK;
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max)
        return jdef_bad(d, at, "须为不超过 %zu 字节的非空文本", max);
    *out = json_string_value(v);
    return ERR_OK;
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
