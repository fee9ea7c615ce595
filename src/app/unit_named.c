/* unit_named.c — a unit as a sheet names it (unit_named.h): by code, or by
 * name with as much of the path above it as makes it unique, inside a
 * scope. Shared by the imports (users, 健康服务 facilities). */
#include "app/unit_named.h"
#include "app/auth.h"

#include <string.h>

/* Splits "河南省 › 舞阳县 / 辛安镇/郝庄村" into its names (at most max). */
static int split_path(struct arena *a, const char *s, const char **out, int max)
{
    static const char *const seps[] = {"›", "／", "/", ">", "\\", NULL};
    int n = 0;
    const char *p = s;
    while (*p && n < max) {
        const char *end = p + strlen(p), *next;
        size_t seplen = 0;
        for (int k = 0; seps[k]; k++) {
            const char *q = strstr(p, seps[k]);
            if (q && q < end) end = q, seplen = strlen(seps[k]);
        }
        next = *end ? end + seplen : end;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end > p) out[n++] = arena_strndup(a, p, (size_t)(end - p));
        p = next;
    }
    return n;
}

/* Does unit i carry the name names[n-1], with names[0..n-2] on its path
 * above it, in that order (not necessarily adjacent)? */
static bool path_matches(const struct tree *t, uint32_t i, const char *const *names, int n)
{
    if (tree_node(t, i)->flags & TREE_RETIRED || strcmp(tree_name(t, i), names[n - 1]) != 0)
        return false;
    int k = n - 2;
    for (uint32_t p = tree_node(t, i)->parent; k >= 0 && p != TREE_NONE;
         p = tree_node(t, p)->parent)
        if (strcmp(tree_name(t, p), names[k]) == 0) k--;
    return k < 0;
}

/* Units named like `names` in [from, last]: how many, and the first two. */
static int find_named(const struct tree *t, uint32_t from, uint32_t last, const char *const *names,
                      int n, uint32_t found[2])
{
    int count = 0;
    const char *q = names[n - 1];
    for (uint32_t i = tree_search(t, from, last, q, strlen(q)); i != TREE_NONE;
         i = i < last ? tree_search(t, i + 1, last, q, strlen(q)) : TREE_NONE)
        if (path_matches(t, i, names, n)) {
            if (count < 2) found[count] = i;
            count++;
        }
    return count;
}

static const char *path_text(struct arena *a, const struct tree *t, uint32_t i)
{
    uint32_t path[16];
    size_t depth = tree_path(t, i, path, 16);
    const char *s = "";
    for (size_t k = 0; k < depth; k++)
        s = arena_printf(a, "%s%s%s", s, k ? "/" : "", tree_name(t, path[k]));
    return s;
}

int app_unit_named(const struct tree *t, struct arena *a, const char *scope, const char *s,
                   const char **code, struct err *err)
{
    size_t len = strlen(s), digits = strspn(s, "0123456789");
    if (digits == len) {
        uint32_t i = tree_find(t, s, len);
        if (i == TREE_NONE) return err_set(err, ERR_INVALID, "没有代码为 %s 的单位", s);
        if (!auth_in_scope(scope, s))
            return err_set(err, ERR_FORBIDDEN, "%s（%s）不在您的管辖范围内", tree_name(t, i), s);
        *code = tree_node(t, i)->code;
        return ERR_OK;
    }
    const char *names[16];
    int n = split_path(a, s, names, 16);
    if (!n) return err_set(err, ERR_INVALID, "请填写单位名称或代码");
    uint32_t from = 0, last = tree_count(t) ? tree_count(t) - 1 : 0;
    if (scope[0]) {
        uint32_t si = tree_find(t, scope, strlen(scope));
        if (si == TREE_NONE) return err_set(err, ERR_INVALID, "您的管辖单位 %s 已不存在", scope);
        from = si;
        last = tree_node(t, si)->post;
    }
    uint32_t found[2];
    int count = tree_count(t) ? find_named(t, from, last, names, n, found) : 0;
    if (count == 1) {
        *code = tree_node(t, found[0])->code;
        return ERR_OK;
    }
    if (count > 1)
        return err_set(
            err, ERR_INVALID,
            "有 %d 个单位名为“%s”（如 %s、%s），请写出上级单位（如 %s/%s）或填写单位代码", count,
            names[n - 1], path_text(a, t, found[0]), path_text(a, t, found[1]),
            tree_name(t, tree_node(t, found[0])->parent), names[n - 1]);
    if (scope[0] && tree_count(t) && find_named(t, 0, tree_count(t) - 1, names, n, found))
        return err_set(err, ERR_FORBIDDEN, "单位“%s”不在您的管辖范围内", s);
    return err_set(err, ERR_INVALID, "没有名为“%s”的单位，请核对名称或填写单位代码", s);
}
