/* health_followups_defs.c — data/health.json "followups": the methods of
 * a 随访 and the duties (key group → follow-ups per period), read and
 * checked at start; an unknown key group, method or period fails the start
 * with the JSON path (health.h). */
#include "app/health.h"
#include "base/mem.h"
#include "core/period.h"
#include "io/json_def.h"

#include <stdio.h>
#include <string.h>

#define FOLLOWUP_LIST_MAX 16

static int methods_read(struct jdef *d, json_t *f, struct health_defs *h)
{
    static const char *const allowed[] = {"code", "name", NULL};
    json_t *l = jdef_member(f, "methods"), *v;
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > FOLLOWUP_LIST_MAX)
        return jdef_bad(d, "followups.methods", "须为 1 至 %d 项的数组", FOLLOWUP_LIST_MAX);
    h->nfollowup_methods = json_array_size(l);
    h->followup_methods = xcalloc(h->nfollowup_methods, sizeof *h->followup_methods);
    size_t i;
    json_array_foreach(l, i, v)
    {
        char at[JDEF_PATH_MAX];
        jdef_index(at, "followups.methods", i);
        struct health_named *m = &h->followup_methods[i];
        int rc = jdef_object(d, v, at);
        if (!rc) rc = jdef_only(d, v, at, allowed);
        if (!rc) rc = jdef_text(d, v, at, "code", true, 32, &m->code);
        if (!rc) rc = jdef_text(d, v, at, "name", true, 80, &m->name);
        if (rc) return rc;
        if (strchr(m->code, ',')) return jdef_bad(d, at, "代码不能含逗号");
        for (size_t j = 0; j < i; j++)
            if (strcmp(h->followup_methods[j].code, m->code) == 0)
                return jdef_bad(d, at, "代码 %s 重复", m->code);
    }
    return ERR_OK;
}

/* The duty's methods as ",a,b," kept in the root (it owns the strings). */
static int duty_methods(struct jdef *d, json_t *v, const char *at, const struct health_defs *h,
                        struct health_followup_duty *u)
{
    json_t *l = jdef_member(v, "methods"), *m;
    if (!json_is_array(l) || json_array_size(l) == 0 || json_array_size(l) > FOLLOWUP_LIST_MAX)
        return jdef_bad(d, at, "methods 须为 1 至 %d 个随访方式代码的数组", FOLLOWUP_LIST_MAX);
    char buf[600] = ",";
    size_t j;
    json_array_foreach(l, j, m)
    {
        const char *c = json_string_value(m);
        if (!health_name(h->followup_methods, h->nfollowup_methods, c))
            return jdef_bad(d, at, "methods 第 %zu 项不是已定义的随访方式", j + 1);
        size_t len = strlen(buf);
        int n = snprintf(buf + len, sizeof buf - len, "%s,", c);
        if (n < 0 || (size_t)n >= sizeof buf - len) return jdef_bad(d, at, "methods 太长");
    }
    json_object_set_new(v, "_methods", json_string(buf));
    u->methods = json_string_value(json_object_get(v, "_methods"));
    return ERR_OK;
}

static int duty_read(struct jdef *d, json_t *v, const char *at, const struct health_defs *h,
                     struct health_followup_duty *u)
{
    static const char *const allowed[] = {"group",   "name",   "every", "need",
                                          "methods", "source", NULL};
    const char *group = NULL, *every = NULL;
    int rc = jdef_object(d, v, at);
    if (!rc) rc = jdef_only(d, v, at, allowed);
    if (!rc) rc = jdef_text(d, v, at, "group", true, 32, &group);
    if (!rc) rc = jdef_text(d, v, at, "name", true, 80, &u->name);
    if (!rc) rc = jdef_text(d, v, at, "every", true, 16, &every);
    if (!rc) rc = jdef_text(d, v, at, "source", true, 400, &u->source);
    if (rc) return rc;
    u->group = h->ngroups;
    for (size_t g = 0; g < h->ngroups; g++)
        if (strcmp(h->groups[g].code, group) == 0) u->group = g;
    if (u->group == h->ngroups) return jdef_bad(d, at, "group %s 不是已定义的重点人群", group);
    u->every = period_type_parse(every);
    if (u->every != PERIOD_YEAR && u->every != PERIOD_QUARTER && u->every != PERIOD_MONTH)
        return jdef_bad(d, at, "every 须为 year、quarter 或 month");
    json_t *need = jdef_member(v, "need");
    if (!json_is_integer(need) || json_integer_value(need) < 1 || json_integer_value(need) > 31)
        return jdef_bad(d, at, "need 须为 1 至 31 的整数");
    u->need = (int)json_integer_value(need);
    return duty_methods(d, v, at, h, u);
}

int health_followup_defs_read(struct jdef *d, json_t *root, struct health_defs *h)
{
    static const char *const top[] = {"about", "methods", "duties", NULL};
    json_t *f = jdef_member(root, "followups");
    int rc = jdef_object(d, f, "followups");
    if (!rc) rc = jdef_only(d, f, "followups", top);
    if (!rc) rc = methods_read(d, f, h);
    if (rc) return rc;
    json_t *l = jdef_member(f, "duties"), *v;
    if (!json_is_array(l) || json_array_size(l) > FOLLOWUP_LIST_MAX)
        return jdef_bad(d, "followups.duties", "须为至多 %d 项的数组", FOLLOWUP_LIST_MAX);
    h->nfollowup_duties = json_array_size(l);
    h->followup_duties = xcalloc(h->nfollowup_duties + 1, sizeof *h->followup_duties);
    size_t i;
    json_array_foreach(l, i, v)
    {
        char at[JDEF_PATH_MAX];
        jdef_index(at, "followups.duties", i);
        if ((rc = duty_read(d, v, at, h, &h->followup_duties[i]))) return rc;
    }
    return ERR_OK;
}
