/* json_in.c — checked reads of JSON members (json_in.h). */
#include "io/json_in.h"
#include "base/num.h"
#include "base/utf8.h"

#include <jansson.h>
#include <string.h>

/* Walks the JSON text outside its strings and checks each number token
 * (num.h). The member a number belongs to is the last string followed by
 * a colon, for err->field. Malformed text is left to jansson. */
static int check_numbers(const char *p, size_t len, struct err *err)
{
    char key[64] = "";
    const char *str = NULL; /* the last string outside values, while it may be a key */
    size_t slen = 0;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == '"') {
            size_t start = ++i;
            bool plain = true;
            for (; i < len && p[i] != '"'; i++)
                if (p[i] == '\\') {
                    plain = false;
                    i++;
                }
            str = plain ? p + start : NULL;
            slen = i - start;
        } else if (c == ':') {
            if (str && slen < sizeof key) {
                memcpy(key, str, slen);
                key[slen] = '\0';
            } else {
                key[0] = '\0';
            }
            str = NULL;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            while (i + 1 < len && strchr("0123456789+-.eE", p[i + 1]) && p[i + 1])
                i++;
            size_t n = i - start + 1;
            double v;
            if (num_parse(p + start, n, &v) == NUM_RANGE || num_int_overflows(p + start, n))
                return err_set_field(err, ERR_INVALID, key,
                                     "数字 %.*s%s 超出可表示的范围（过大，或小到会被当作 0）",
                                     n > 24 ? 24 : (int)n, p + start, n > 24 ? "…" : "");
        }
    }
    return ERR_OK;
}

int jin_parse(const char *text, size_t len, json_t **out, struct err *err)
{
    *out = NULL;
    int rc = check_numbers(text, len, err);
    if (rc) return rc;
    json_error_t je;
    *out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!*out)
        return err_set(err, ERR_INVALID, "请求内容不是合法的 JSON（第 %d 行第 %d 列：%s）", je.line,
                       je.column, je.text);
    return ERR_OK;
}

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
