/* timebank_defs.c — data/timebank.json checked at start (timebank.h): an
 * unknown key, a missing figure or a duplicate rule fails the start with
 * the JSON path instead of the first transfer. */
#include "app/timebank.h"
#include "base/embed.h"
#include "io/json_def.h"

#include <string.h>

extern const struct embed_file data_defs[];

#define TIMEBANK_FILE     "timebank.json"
#define TIMEBANK_JSON_MAX ((size_t)16 * 1024)
#define RULES_MAX         100

static int check(struct jdef *d, json_t *root, double *coins_per_hour)
{
    static const char *const top[] = {"about", "coins_per_hour", "max_transfer", "rules", NULL};
    static const char *const rule_keys[] = {"code", "name", "coins", NULL};
    const char *about;
    int rc = jdef_only(d, root, "", top);
    if (!rc) rc = jdef_text(d, root, "", "about", true, 4000, &about);
    if (rc) return rc;
    json_t *cph = jdef_member(root, "coins_per_hour");
    if (!json_is_number(cph) || json_number_value(cph) <= 0 || json_number_value(cph) > 100)
        return jdef_bad(d, "coins_per_hour", "须为大于 0、至多 100 的数（每小时服务记入的时间币）");
    *coins_per_hour = json_number_value(cph);
    json_t *max = jdef_member(root, "max_transfer");
    if (!json_is_integer(max) || json_integer_value(max) < 1 || json_integer_value(max) > 100000)
        return jdef_bad(d, "max_transfer", "须为 1 到 100000 的整数（个时间币）");
    json_t *l = jdef_member(root, "rules");
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > RULES_MAX)
        return jdef_bad(d, "rules", "须为 1 到 %d 项的数组", RULES_MAX);
    for (size_t i = 0; i < json_array_size(l); i++) {
        char at[JDEF_PATH_MAX];
        const char *code, *name;
        jdef_index(at, "rules", i);
        json_t *o = json_array_get(l, i);
        if ((rc = jdef_object(d, o, at)) || (rc = jdef_only(d, o, at, rule_keys)) ||
            (rc = jdef_text(d, o, at, "code", true, 32, &code)) ||
            (rc = jdef_text(d, o, at, "name", true, 64, &name)))
            return rc;
        json_t *coins = json_object_get(o, "coins");
        if (!json_is_number(coins) || json_number_value(coins) <= 0)
            return jdef_bad(d, at, "coins 须为大于 0 的时间币数");
        for (size_t k = 0; k < i; k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(l, k), "code")), code) == 0)
                return jdef_bad(d, at, "代码 %s 重复", code);
    }
    return ERR_OK;
}

int timebank_defs_check(double *coins_per_hour, struct err *err)
{
    const struct embed_file *f = embed_find(data_defs, TIMEBANK_FILE, strlen(TIMEBANK_FILE));
    if (!f) return err_set(err, ERR_INTERNAL, "缺少内置的 data/%s", TIMEBANK_FILE);
    json_t *root = NULL;
    int rc = jdef_load((const char *)f->data, f->len, TIMEBANK_JSON_MAX, "时间银行规则",
                       TIMEBANK_FILE, &root, err);
    if (rc) return rc;
    struct jdef d = {TIMEBANK_FILE, err, (const char *)f->data, f->len};
    rc = check(&d, root, coins_per_hour);
    json_decref(root);
    return rc;
}
