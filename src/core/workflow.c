/*
 * workflow.c — case kinds read from JSON definitions and the checks a
 * case's transition goes through (workflow.h).
 *
 * Parsing reads the whole definition into one fixed-size struct wf_kind
 * (only the category names are separate allocations), then checks the
 * graph: with at most 24 states a set of states is one bit mask, so
 * reachability is a fixed-point loop over the transitions. Every error
 * names the JSON path it concerns and its line, since a definition is
 * written by hand.
 */
#include "core/workflow.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "io/json_def.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WF_JSON_MAX     ((size_t)256 * 1024) /* a definition is a few kilobytes */
#define WF_DEADLINE_MAX 3650
#define WF_CATEGORY_MAX 64 /* bytes of a category name with its NUL */

/* The needs a transition may list, by name, with the words wf_check uses. */
static const struct {
    const char *name;
    unsigned bit;
    const char *missing; /* "<transition>需要<missing>" */
} needs_table[] = {
    {"note", WF_NEED_NOTE, "填写说明"},
    {"evidence", WF_NEED_EVIDENCE, "上传佐证材料"},
    {"rating", WF_NEED_RATING, "评分（1–5 星）"},
    {"assignee", WF_NEED_ASSIGNEE, "指定承办人"},
};
#define NNEEDS (sizeof needs_table / sizeof needs_table[0])

/* ---- parsing ----------------------------------------------------------- */

struct parse {
    struct jdef d; /* file name, error and text */
    const struct wf_vocab *vocab;
    struct wf_kind *t;
};

/* Codes: a lower-case letter, then lower-case letters, digits and '_'. */
static int check_code(struct parse *p, const char *path, const char *s)
{
    bool ok = s[0] >= 'a' && s[0] <= 'z';
    for (const char *c = s; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
    if (ok) return ERR_OK;
    return jdef_bad(&p->d, path, "代码 \"%s\" 须以小写字母开头，只含小写字母、数字和下划线", s);
}

static int code_member(struct parse *p, json_t *o, const char *path, char *dst)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, "code");
    int rc = jdef_str(&p->d, o, path, "code", dst, WF_CODE_MAX);
    return rc ? rc : check_code(p, at, dst);
}

/* A code member other than "code" (a state's "stage"). */
static int code_member_of(struct parse *p, json_t *o, const char *path, const char *key, char *dst)
{
    char at[JDEF_PATH_MAX];
    int rc = jdef_str(&p->d, o, path, key, dst, WF_CODE_MAX);
    if (rc) return rc;
    jdef_join(at, path, key);
    return check_code(p, at, dst);
}

/* Permissions look like "items:handle": a lower-case letter, then lower-case
 * letters, digits, ':', '_' and '.'. */
static int perm_check(struct parse *p, const char *path, const char *perm, bool create)
{
    bool ok = perm[0] >= 'a' && perm[0] <= 'z';
    for (const char *c = perm; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr(":_.", *c);
    if (!ok)
        return jdef_bad(&p->d, path, "权限 \"%s\" 只能含小写字母、数字和 : _ .，如 items:handle",
                        perm);
    if (create && strcmp(perm, WF_PERM_SUBMITTER) == 0)
        return jdef_bad(&p->d, path, "\"submitter\" 只能用于转换");
    if (!create && strcmp(perm, WF_PERM_PUBLIC) == 0)
        return jdef_bad(&p->d, path, "\"public\" 只能用于 create_perm，转换须由登录的用户执行");
    if (strcmp(perm, WF_PERM_PUBLIC) == 0 || strcmp(perm, WF_PERM_SUBMITTER) == 0 ||
        !p->vocab->perms)
        return ERR_OK;
    for (const char *const *k = p->vocab->perms; *k; k++)
        if (strcmp(*k, perm) == 0) return ERR_OK;
    return jdef_bad(&p->d, path, "没有权限 \"%s\"（权限在 data/roles.json 中声明）", perm);
}

/* An array member of at most max elements; *out NULL when absent and optional. */
static int array_member(struct parse *p, json_t *o, const char *path, const char *key,
                        bool optional, size_t max, const char *what, json_t **out)
{
    char at[JDEF_PATH_MAX];
    jdef_join(at, path, key);
    json_t *v = jdef_member(o, key);
    *out = v;
    if (!v) return optional ? ERR_OK : jdef_bad(&p->d, at, "缺少此项");
    if (!json_is_array(v)) return jdef_bad(&p->d, at, "必须是数组");
    if (json_array_size(v) > max) return jdef_bad(&p->d, at, "最多 %zu 个%s", max, what);
    return ERR_OK;
}

/* s cut to whole characters within 40 bytes, for quoting in a message. */
static const char *clip(const char *s, char buf[48])
{
    size_t n = 0, len = strlen(s), k;
    while (n < len && (k = utf8_seq_len((const unsigned char *)s + n, len - n)) && n + k <= 40)
        n += k;
    snprintf(buf, 48, "%.*s%s", (int)n, s, n < len ? "…" : "");
    return buf;
}

static int state_ref(struct parse *p, json_t *v, const char *path, int *out)
{
    char quoted[48];
    if (!json_is_string(v)) return jdef_bad(&p->d, path, "必须是字符串（状态代码）");
    *out = wf_state_index(p->t, json_string_value(v));
    if (*out < 0)
        return jdef_bad(&p->d, path, "没有状态 \"%s\"", clip(json_string_value(v), quoted));
    return ERR_OK;
}

/* The state flags, by the member that sets each. */
static const struct {
    const char *name;
    unsigned bit;
    const char *label; /* for messages: "须有 … 的状态" */
} flags_table[] = {
    {"final", WF_FINAL, "终态（final）"},
    {"editable", WF_EDITABLE, "可修改（editable）"},
    {"notice", WF_NOTICE, "公示中（notice）"},
    {"public", WF_PUBLIC, "对外公开（public）"},
};
#define NFLAGS (sizeof flags_table / sizeof flags_table[0])

static int read_state(struct parse *p, json_t *o, const char *path, struct wf_state *s)
{
    static const char *const keys[] = {"code",   "label",    "final", "editable", "notice",
                                       "public", "reviewer", "stage", NULL};
    char at[JDEF_PATH_MAX];
    int rc = jdef_object(&p->d, o, path);
    if (!rc) rc = jdef_only(&p->d, o, path, keys);
    if (!rc) rc = code_member(p, o, path, s->code);
    if (!rc) rc = jdef_str(&p->d, o, path, "label", s->label, sizeof s->label);
    if (rc) return rc;
    for (size_t k = 0; k < NFLAGS; k++) {
        json_t *f = jdef_member(o, flags_table[k].name);
        jdef_join(at, path, flags_table[k].name);
        if (f && !json_is_boolean(f)) return jdef_bad(&p->d, at, "必须是 true 或 false");
        if (json_is_true(f)) s->flags |= flags_table[k].bit;
    }
    if (jdef_member(o, "stage") && (rc = code_member_of(p, o, path, "stage", s->stage))) return rc;
    if (!jdef_member(o, "reviewer")) return ERR_OK;
    jdef_join(at, path, "reviewer");
    if ((rc = jdef_str(&p->d, o, path, "reviewer", s->reviewer, sizeof s->reviewer))) return rc;
    return perm_check(p, at, s->reviewer, false);
}

static int read_states(struct parse *p, json_t *root)
{
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, root, "", "states", false, WF_STATES_MAX, "状态", &a);
    if (rc) return rc;
    if (json_array_size(a) == 0) return jdef_bad(&p->d, "states", "不能为空");
    json_array_foreach(a, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "states", i);
        struct wf_state *s = &p->t->states[i];
        if ((rc = read_state(p, v, path, s))) return rc;
        int dup = wf_state_index(p->t, s->code);
        if (dup >= 0) {
            char at[JDEF_PATH_MAX];
            jdef_join(at, path, "code");
            return jdef_bad(&p->d, at, "状态 \"%s\" 重复（已在 states[%d]）", s->code, dup);
        }
        p->t->nstates++;
    }
    return ERR_OK;
}

static int read_from(struct parse *p, json_t *o, const char *path, struct wf_transition *tr)
{
    char at[JDEF_PATH_MAX];
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, o, path, "from", false, WF_STATES_MAX, "状态", &a);
    if (rc) return rc;
    jdef_join(at, path, "from");
    if (json_array_size(a) == 0) return jdef_bad(&p->d, at, "不能为空");
    json_array_foreach(a, i, v)
    {
        char item[JDEF_PATH_MAX];
        int s;
        jdef_index(item, at, i);
        if ((rc = state_ref(p, v, item, &s))) return rc;
        if (p->t->states[s].flags & WF_FINAL)
            return jdef_bad(&p->d, item, "状态 \"%s\" 是终态，不能再转出", p->t->states[s].code);
        for (int k = 0; k < tr->nfrom; k++)
            if (tr->from[k] == s)
                return jdef_bad(&p->d, item, "状态 \"%s\" 重复", p->t->states[s].code);
        tr->from[tr->nfrom++] = s;
    }
    return ERR_OK;
}

/* A list of names (inputs, guards, effects): each found by lookup(), which
 * returns its index or -1; out[] gets the indexes, *n how many. */
static int read_names(struct parse *p, json_t *o, const char *path, const char *key, int max,
                      const char *what, int (*lookup)(struct parse *p, const char *name),
                      const char *known, int *out, int *n)
{
    char at[JDEF_PATH_MAX];
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, o, path, key, true, (size_t)max, what, &a);
    if (rc || !a) return rc;
    jdef_join(at, path, key);
    json_array_foreach(a, i, v)
    {
        char item[JDEF_PATH_MAX], quoted[48];
        jdef_index(item, at, i);
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        if (!s) return jdef_bad(&p->d, item, "必须是字符串");
        int k = lookup(p, s);
        if (k < 0)
            return jdef_bad(&p->d, item, "不认识的%s \"%s\"（可用 %s）", what, clip(s, quoted),
                            known);
        for (int j = 0; j < *n; j++)
            if (out[j] == k) return jdef_bad(&p->d, item, "%s \"%s\" 重复", what, s);
        out[(*n)++] = k;
    }
    return ERR_OK;
}

static int hook_index(const struct wf_hook *hooks, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(hooks[i].name, name) == 0) return i;
    return -1;
}

static int guard_lookup(struct parse *p, const char *name)
{
    return hook_index(p->vocab->guards, p->vocab->nguards, name);
}

static int effect_lookup(struct parse *p, const char *name)
{
    return hook_index(p->vocab->effects, p->vocab->neffects, name);
}

static int input_lookup(struct parse *p, const char *name)
{
    return wf_input_index(p->t, name);
}

/* "a、b、c" of the hooks' names, for "不认识的条件" messages. */
static const char *hook_names(const struct wf_hook *hooks, int n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "、" : "", hooks[i].name);
    if (n == 0) snprintf(buf, cap, "（无）");
    return buf;
}

static int read_hooks(struct parse *p, json_t *o, const char *path, struct wf_transition *tr)
{
    char known[512] = "";
    int inputs[WF_INPUTS_MAX], ninputs = 0;
    for (int i = 0; i < p->t->ninputs; i++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? "、" : "",
                 p->t->inputs[i].code);
    int rc = read_names(p, o, path, "inputs", WF_INPUTS_MAX, "输入项", input_lookup,
                        p->t->ninputs ? known : "（本类型未声明 inputs）", inputs, &ninputs);
    for (int i = 0; i < ninputs; i++)
        tr->inputs |= 1u << inputs[i];
    if (!rc)
        rc = read_names(p, o, path, "guards", WF_HOOKS_MAX, "条件", guard_lookup,
                        hook_names(p->vocab->guards, p->vocab->nguards, known, sizeof known),
                        tr->guards, &tr->nguards);
    if (!rc)
        rc = read_names(p, o, path, "effects", WF_HOOKS_MAX, "效果", effect_lookup,
                        hook_names(p->vocab->effects, p->vocab->neffects, known, sizeof known),
                        tr->effects, &tr->neffects);
    return rc;
}

static int read_needs(struct parse *p, json_t *o, const char *path, struct wf_transition *tr)
{
    char at[JDEF_PATH_MAX];
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, o, path, "needs", true, NNEEDS, "要求", &a);
    if (rc || !a) return rc;
    jdef_join(at, path, "needs");
    json_array_foreach(a, i, v)
    {
        char item[JDEF_PATH_MAX], quoted[48];
        jdef_index(item, at, i);
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        if (!s) return jdef_bad(&p->d, item, "必须是字符串");
        size_t k = 0;
        while (k < NNEEDS && strcmp(needs_table[k].name, s) != 0)
            k++;
        if (k == NNEEDS)
            return jdef_bad(&p->d, item,
                            "不认识的要求 \"%s\"（可用 note、evidence、rating、assignee）",
                            clip(s, quoted));
        if (tr->needs & needs_table[k].bit) return jdef_bad(&p->d, item, "要求 \"%s\" 重复", s);
        tr->needs |= needs_table[k].bit;
    }
    return ERR_OK;
}

/* "params": {"code": number or code, …}: what the transition's guards read. */
static int read_params(struct parse *p, json_t *o, const char *path, struct wf_transition *tr)
{
    char at[JDEF_PATH_MAX];
    json_t *ps = jdef_member(o, "params"), *v;
    const char *key;
    if (!ps) return ERR_OK;
    jdef_join(at, path, "params");
    if (!json_is_object(ps)) return jdef_bad(&p->d, at, "必须是对象");
    if (json_object_size(ps) > WF_PARAMS_MAX)
        return jdef_bad(&p->d, at, "最多 %d 个参数", WF_PARAMS_MAX);
    json_object_foreach(ps, key, v)
    {
        char item[JDEF_PATH_MAX];
        jdef_join(item, at, key);
        struct wf_param *w = &tr->params[tr->nparams];
        int rc = check_code(p, item, key);
        if (rc) return rc;
        snprintf(w->code, sizeof w->code, "%s", key);
        if (json_is_integer(v) && json_integer_value(v) >= 0 &&
            json_integer_value(v) <= 1000000000) {
            w->value = (long)json_integer_value(v);
        } else if (json_is_string(v)) {
            snprintf(w->text, sizeof w->text, "%s", json_string_value(v));
            if ((rc = check_code(p, item, w->text))) return rc;
        } else {
            return jdef_bad(&p->d, item, "必须是非负整数或代码");
        }
        tr->nparams++;
    }
    return ERR_OK;
}

static int read_transition(struct parse *p, json_t *o, const char *path, struct wf_transition *tr)
{
    static const char *const keys[] = {"code",  "from",    "to",     "perm",    "needs",
                                       "label", "inputs",  "guards", "effects", "reopens",
                                       "by",    "confirm", "params", NULL};
    char at[JDEF_PATH_MAX];
    int rc = jdef_object(&p->d, o, path);
    if (!rc) rc = jdef_only(&p->d, o, path, keys);
    if (!rc) rc = code_member(p, o, path, tr->code);
    if (!rc) rc = jdef_str(&p->d, o, path, "label", tr->label, sizeof tr->label);
    if (!rc) rc = read_from(p, o, path, tr);
    if (rc) return rc;
    jdef_join(at, path, "to");
    json_t *to = jdef_member(o, "to");
    if (!to) return jdef_bad(&p->d, at, "缺少此项");
    if ((rc = state_ref(p, to, at, &tr->to))) return rc;
    jdef_join(at, path, "perm");
    if ((rc = jdef_str(&p->d, o, path, "perm", tr->perm, sizeof tr->perm))) return rc;
    if ((rc = perm_check(p, at, tr->perm, false))) return rc;
    if ((rc = read_needs(p, o, path, tr))) return rc;
    json_t *re = jdef_member(o, "reopens");
    jdef_join(at, path, "reopens");
    if (re && !json_is_boolean(re)) return jdef_bad(&p->d, at, "必须是 true 或 false");
    tr->reopens = json_is_true(re);
    json_t *by = jdef_member(o, "by");
    jdef_join(at, path, "by");
    if (by && !(json_is_string(by) && (strcmp(json_string_value(by), "owner") == 0 ||
                                       strcmp(json_string_value(by), "above") == 0 ||
                                       strcmp(json_string_value(by), "receiver") == 0)))
        return jdef_bad(&p->d, at,
                        "须为 \"owner\"（责任单位自己）、\"above\"（上级单位）或 "
                        "\"receiver\"（接收单位）");
    tr->above = by && strcmp(json_string_value(by), "above") == 0;
    tr->receiver = by && strcmp(json_string_value(by), "receiver") == 0;
    if ((rc = read_params(p, o, path, tr))) return rc;
    if (jdef_member(o, "confirm") &&
        (rc = jdef_str(&p->d, o, path, "confirm", tr->confirm, sizeof tr->confirm)))
        return rc;
    return read_hooks(p, o, path, tr);
}

static int read_transitions(struct parse *p, json_t *root)
{
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, root, "", "transitions", false, WF_TRANSITIONS_MAX, "转换", &a);
    if (rc) return rc;
    json_array_foreach(a, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "transitions", i);
        struct wf_transition *tr = &p->t->transitions[i];
        if ((rc = read_transition(p, v, path, tr))) return rc;
        const struct wf_transition *dup = wf_transition_find(p->t, tr->code);
        if (dup) {
            char at[JDEF_PATH_MAX];
            jdef_join(at, path, "code");
            return jdef_bad(&p->d, at, "转换 \"%s\" 重复（已在 transitions[%d]）", tr->code,
                            (int)(dup - p->t->transitions));
        }
        p->t->ntransitions++;
    }
    return ERR_OK;
}

static int read_categories(struct parse *p, json_t *root)
{
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, root, "", "categories", true, WF_CATEGORIES_MAX, "类别", &a);
    if (rc || !a) return rc;
    json_array_foreach(a, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "categories", i);
        if (!json_is_string(v)) return jdef_bad(&p->d, path, "必须是字符串");
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (n == 0) return jdef_bad(&p->d, path, "不能为空");
        if (n >= WF_CATEGORY_MAX) return jdef_bad(&p->d, path, "超过 %d 字节", WF_CATEGORY_MAX - 1);
        if (utf8_has_control(s, n)) return jdef_bad(&p->d, path, "含有控制字符");
        for (int k = 0; k < p->t->ncategories; k++)
            if (strcmp(p->t->categories[k], s) == 0)
                return jdef_bad(&p->d, path, "类别 \"%s\" 重复", s);
        p->t->categories[p->t->ncategories++] = xstrdup(s);
    }
    return ERR_OK;
}

static int read_input(struct parse *p, json_t *o, const char *path, struct wf_input_def *in)
{
    static const char *const keys[] = {"code", "label", "min", "max", "default", NULL};
    static const char *const bounds[] = {"min", "max", "default"};
    long *vals[] = {&in->min, &in->max, &in->def};
    char at[JDEF_PATH_MAX];
    int rc = jdef_object(&p->d, o, path);
    if (!rc) rc = jdef_only(&p->d, o, path, keys);
    if (!rc) rc = code_member(p, o, path, in->code);
    if (!rc) rc = jdef_str(&p->d, o, path, "label", in->label, sizeof in->label);
    for (int k = 0; k < 3 && !rc; k++) {
        json_t *v = jdef_member(o, bounds[k]);
        jdef_join(at, path, bounds[k]);
        if (!v) return jdef_bad(&p->d, at, "缺少此项");
        if (!json_is_integer(v) || json_integer_value(v) < -1000000000 ||
            json_integer_value(v) > 1000000000)
            return jdef_bad(&p->d, at, "必须是整数");
        *vals[k] = (long)json_integer_value(v);
    }
    if (!rc && (in->min > in->max || in->def < in->min || in->def > in->max)) {
        jdef_join(at, path, "default");
        return jdef_bad(&p->d, at, "须满足 min ≤ default ≤ max");
    }
    return rc;
}

static int read_inputs(struct parse *p, json_t *root)
{
    json_t *a, *v;
    size_t i;
    int rc = array_member(p, root, "", "inputs", true, WF_INPUTS_MAX, "输入项", &a);
    if (rc || !a) return rc;
    json_array_foreach(a, i, v)
    {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "inputs", i);
        struct wf_input_def *in = &p->t->inputs[i];
        if ((rc = read_input(p, v, path, in))) return rc;
        if (wf_input_index(p->t, in->code) >= 0) {
            char at[JDEF_PATH_MAX];
            jdef_join(at, path, "code");
            return jdef_bad(&p->d, at, "输入项 \"%s\" 重复", in->code);
        }
        for (size_t k = 0; k < NNEEDS; k++)
            /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): names are literals */
            if (strcmp(needs_table[k].name, in->code) == 0) {
                char at[JDEF_PATH_MAX];
                jdef_join(at, path, "code");
                return jdef_bad(&p->d, at, "\"%s\" 已是 needs 的名称", in->code);
            }
        p->t->ninputs++;
    }
    return ERR_OK;
}

static int read_deadline(struct parse *p, json_t *root)
{
    json_t *v = jdef_member(root, "deadline_days");
    if (!v) return ERR_OK;
    json_int_t d = json_is_integer(v) ? json_integer_value(v) : 0;
    if (d < 1 || d > WF_DEADLINE_MAX)
        return jdef_bad(&p->d, "deadline_days", "必须是 1 到 %d 之间的整数（天）", WF_DEADLINE_MAX);
    p->t->has_deadline_default = true;
    p->t->deadline_days = (int)d;
    return ERR_OK;
}

static uint32_t from_mask(const struct wf_transition *tr)
{
    uint32_t m = 0;
    for (int k = 0; k < tr->nfrom; k++)
        m |= 1u << tr->from[k];
    return m;
}

/* Every state reachable from the initial one, and a final state reachable
 * from every state (no case can get stuck). */
static int check_graph(struct parse *p)
{
    const struct wf_kind *t = p->t;
    uint32_t fwd = 1u << t->initial, back = 0;
    for (int i = 0; i < t->nstates; i++)
        if (t->states[i].flags & WF_FINAL) back |= 1u << i;
    if (!back) return jdef_bad(&p->d, "states", "没有终态（至少一个状态要有 \"final\": true）");
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < t->ntransitions; i++) {
            const struct wf_transition *tr = &t->transitions[i];
            uint32_t from = from_mask(tr), to = 1u << tr->to;
            if ((fwd & from) && !(fwd & to)) {
                fwd |= to;
                grew = true;
            }
            if ((back & to) && (back & from) != from) {
                back |= from;
                grew = true;
            }
        }
    }
    for (int i = 0; i < t->nstates; i++) {
        char path[JDEF_PATH_MAX];
        jdef_index(path, "states", (size_t)i);
        if (!(fwd & (1u << i)))
            return jdef_bad(&p->d, path, "状态 \"%s\" 无法从初始状态 \"%s\" 到达",
                            t->states[i].code, t->states[t->initial].code);
        if (!(back & (1u << i)))
            return jdef_bad(&p->d, path, "从状态 \"%s\" 到不了任何终态", t->states[i].code);
    }
    return ERR_OK;
}

/* "须有 可修改（editable）、公示中（notice）" for the flags missing. */
static const char *flag_names(unsigned flags, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < NFLAGS && n < cap; k++)
        if (flags & flags_table[k].bit)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "、" : "", flags_table[k].label);
    return buf;
}

/* What one guard or effect of transition i relies on: its kind's subject,
 * the flags of the states it leaves and enters, an input it reads. */
static int check_hook(struct parse *p, int i, const struct wf_hook *h, const char *list, int at)
{
    const struct wf_kind *t = p->t;
    const struct wf_transition *tr = &t->transitions[i];
    const char *subject = p->vocab->subjects[t->subject];
    char path[JDEF_PATH_MAX], flags[160];
    snprintf(path, sizeof path, "transitions[%d].%s[%d]", i, list, at);
    if (h->subject && strcmp(h->subject, subject) != 0)
        return jdef_bad(&p->d, path, "\"%s\" 只能用于 subject 为 \"%s\" 的类型", h->name,
                        h->subject);
    for (int k = 0; k < tr->nfrom; k++) {
        const struct wf_state *s = &t->states[tr->from[k]];
        if ((s->flags & h->from_flags) != h->from_flags)
            return jdef_bad(&p->d, path, "\"%s\" 要求转出的状态是%s，\"%s\" 不是", h->name,
                            flag_names(h->from_flags, flags, sizeof flags), s->code);
    }
    const struct wf_state *to = &t->states[tr->to];
    if ((to->flags & h->to_flags) != h->to_flags)
        return jdef_bad(&p->d, path, "\"%s\" 要求转入的状态是%s，\"%s\" 不是", h->name,
                        flag_names(h->to_flags, flags, sizeof flags), to->code);
    int in = h->input ? wf_input_index(t, h->input) : -1;
    if (h->input && (in < 0 || !(tr->inputs & (1u << in))))
        return jdef_bad(&p->d, path, "\"%s\" 要求这一步有输入项 \"%s\"（inputs）", h->name,
                        h->input);
    for (const char *c = h->params ? h->params + 1 : ""; *c;) {
        const char *end = strchr(c, ',');
        char code[WF_CODE_MAX];
        snprintf(code, sizeof code, "%.*s", (int)(end - c), c);
        if (!wf_param(tr, code))
            return jdef_bad(&p->d, path, "\"%s\" 要求这一步有参数 \"%s\"（params）", h->name, code);
        c = end + 1;
    }
    return ERR_OK;
}

static int check_hooks(struct parse *p)
{
    for (int i = 0; i < p->t->ntransitions; i++) {
        const struct wf_transition *tr = &p->t->transitions[i];
        int rc;
        for (int g = 0; g < tr->nguards; g++)
            if ((rc = check_hook(p, i, &p->vocab->guards[tr->guards[g]], "guards", g))) return rc;
        for (int e = 0; e < tr->neffects; e++)
            if ((rc = check_hook(p, i, &p->vocab->effects[tr->effects[e]], "effects", e)))
                return rc;
    }
    return ERR_OK;
}

static int read_subject(struct parse *p, json_t *root)
{
    char subject[WF_CODE_MAX], known[256] = "", quoted[48];
    const char *const *subjects = p->vocab->subjects;
    if (!jdef_member(root, "subject")) return ERR_OK; /* the first, the default */
    int rc = jdef_str(&p->d, root, "", "subject", subject, sizeof subject);
    if (rc) return rc;
    for (int i = 0; subjects[i]; i++) {
        if (strcmp(subjects[i], subject) == 0) {
            p->t->subject = i;
            return ERR_OK;
        }
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? "、" : "",
                 subjects[i]);
    }
    return jdef_bad(&p->d, "subject", "不认识的对象 \"%s\"（可用 %s）", clip(subject, quoted),
                    known);
}

static int read_kind(struct parse *p, json_t *root)
{
    static const char *const keys[] = {"code",       "name",          "subject",     "create_perm",
                                       "initial",    "states",        "transitions", "inputs",
                                       "categories", "deadline_days", NULL};
    struct wf_kind *t = p->t;
    char initial[WF_CODE_MAX];
    int rc = jdef_object(&p->d, root, "(根)");
    if (!rc) rc = jdef_only(&p->d, root, "", keys);
    if (!rc) rc = code_member(p, root, "", t->code);
    if (!rc) rc = jdef_str(&p->d, root, "", "name", t->name, sizeof t->name);
    if (!rc) rc = read_subject(p, root);
    if (!rc) rc = jdef_str(&p->d, root, "", "create_perm", t->create_perm, sizeof t->create_perm);
    if (!rc) rc = perm_check(p, "create_perm", t->create_perm, true);
    if (!rc) rc = read_states(p, root);
    if (!rc) rc = jdef_str(&p->d, root, "", "initial", initial, sizeof initial);
    if (rc) return rc;
    if ((t->initial = wf_state_index(t, initial)) < 0)
        return jdef_bad(&p->d, "initial", "没有状态 \"%s\"", initial);
    if (t->states[t->initial].flags & WF_FINAL)
        return jdef_bad(&p->d, "initial", "初始状态 \"%s\" 不能是终态", initial);
    rc = read_inputs(p, root);
    if (!rc) rc = read_transitions(p, root);
    if (!rc) rc = read_categories(p, root);
    if (!rc) rc = read_deadline(p, root);
    if (!rc) rc = check_graph(p);
    if (!rc) rc = check_hooks(p);
    return rc;
}

int wf_kind_parse(const char *json, size_t len, const char *name, const struct wf_vocab *vocab,
                  struct wf_kind **out, struct err *err)
{
    *out = NULL;
    json_t *root;
    int rc = jdef_load(json, len, WF_JSON_MAX, "类型定义", name, &root, err);
    if (rc) return rc;
    struct parse p = {{name, err, json, len}, vocab, xcalloc(1, sizeof(struct wf_kind))};
    rc = read_kind(&p, root);
    json_decref(root);
    if (rc) {
        wf_kind_free(p.t);
        return rc;
    }
    *out = p.t;
    return ERR_OK;
}

void wf_kind_free(struct wf_kind *t)
{
    if (!t) return;
    for (int i = 0; i < t->ncategories; i++)
        free((char *)t->categories[i]);
    free(t);
}

/* ---- queries ----------------------------------------------------------- */

int wf_state_index(const struct wf_kind *t, const char *code)
{
    for (int i = 0; code && i < t->nstates; i++)
        if (strcmp(t->states[i].code, code) == 0) return i;
    return -1;
}

const struct wf_transition *wf_transition_find(const struct wf_kind *t, const char *code)
{
    for (int i = 0; code && i < t->ntransitions; i++)
        if (strcmp(t->transitions[i].code, code) == 0) return &t->transitions[i];
    return NULL;
}

int wf_input_index(const struct wf_kind *t, const char *code)
{
    for (int i = 0; code && i < t->ninputs; i++)
        if (strcmp(t->inputs[i].code, code) == 0) return i;
    return -1;
}

bool wf_state_is(const struct wf_kind *t, int state, unsigned flags)
{
    return state >= 0 && state < t->nstates && (t->states[state].flags & flags) == flags;
}

const struct wf_param *wf_param(const struct wf_transition *tr, const char *code)
{
    for (int i = 0; code && i < tr->nparams; i++)
        if (strcmp(tr->params[i].code, code) == 0) return &tr->params[i];
    return NULL;
}

static bool leaves(const struct wf_transition *tr, int state)
{
    for (int k = 0; k < tr->nfrom; k++)
        if (tr->from[k] == state) return true;
    return false;
}

static bool permitted(const struct wf_transition *tr, const char *const *perms, bool is_submitter)
{
    if (strcmp(tr->perm, WF_PERM_SUBMITTER) == 0) return is_submitter;
    for (const char *const *p = perms; p && *p; p++)
        if (strcmp(*p, tr->perm) == 0) return true;
    return false;
}

/* "待整改的事项不能销号（只有已完成的事项可以销号）". */
static int wrong_state(const struct wf_kind *t, int state, const struct wf_transition *tr,
                       struct err *err)
{
    const struct wf_state *s = &t->states[state];
    if (s->flags & WF_FINAL)
        return err_set(err, ERR_INVALID, "%s的事项不能再%s", s->label, tr->label);
    char from[WF_STATES_MAX * 70] = "";
    size_t n = 0;
    for (int k = 0; k < tr->nfrom && n < sizeof from; k++)
        n += (size_t)snprintf(from + n, sizeof from - n, "%s%s", k ? "或" : "",
                              t->states[tr->from[k]].label);
    return err_set(err, ERR_INVALID, "%s的事项不能%s（只有%s的事项可以%s）", s->label, tr->label,
                   from, tr->label);
}

/* "办结需要填写说明、上传佐证材料"; field: the first missing input. */
static int missing_input(const struct wf_transition *tr, const struct wf_input *in, struct err *err)
{
    static const struct wf_input none = {0};
    if (!in) in = &none;
    if ((tr->needs & WF_NEED_RATING) && in->rating != 0 && (in->rating < 1 || in->rating > 5))
        return err_set_field(err, ERR_INVALID, "rating", "评分须为 1–5 星，不能是 %d", in->rating);
    unsigned have = (in->has_note ? WF_NEED_NOTE : 0) | (in->has_evidence ? WF_NEED_EVIDENCE : 0) |
                    (in->rating ? WF_NEED_RATING : 0) | (in->has_assignee ? WF_NEED_ASSIGNEE : 0);
    unsigned lack = tr->needs & ~have;
    if (!lack) return ERR_OK;
    char what[256] = "";
    const char *field = NULL;
    size_t n = 0;
    for (size_t k = 0; k < NNEEDS; k++) {
        if (!(lack & needs_table[k].bit)) continue;
        n += (size_t)snprintf(what + n, sizeof what - n, "%s%s", field ? "、" : "",
                              needs_table[k].missing);
        if (!field) field = needs_table[k].name;
    }
    return err_set_field(err, ERR_INVALID, field, "%s需要%s", tr->label, what);
}

/* The numbers: only those the step accepts, each in its range; the
 * defaults of those not given. */
static int check_numbers(const struct wf_kind *t, const struct wf_transition *tr,
                         struct wf_input *in, struct err *err)
{
    for (int i = 0; in && i < t->ninputs; i++) {
        const struct wf_input_def *d = &t->inputs[i];
        bool accepted = tr->inputs & (1u << i);
        if (in->has[i] && !accepted)
            return err_set_field(err, ERR_INVALID, d->code, "%s不需要%s", tr->label, d->label);
        if (in->has[i] && (in->values[i] < d->min || in->values[i] > d->max))
            return err_set_field(err, ERR_INVALID, d->code, "%s须在 %ld 到 %ld 之间", d->label,
                                 d->min, d->max);
        if (!in->has[i] && accepted) in->values[i] = d->def;
    }
    return ERR_OK;
}

int wf_check(const struct wf_kind *t, int state, const struct wf_transition *tr,
             const char *const *perms, bool is_submitter, struct wf_input *in, struct err *err)
{
    if (state < 0 || state >= t->nstates) return err_set(err, ERR_INVALID, "事项的状态无效");
    if (!tr) return err_set(err, ERR_INVALID, "没有这个操作");
    assert(tr >= t->transitions && tr < t->transitions + t->ntransitions);
    if (!leaves(tr, state)) return wrong_state(t, state, tr, err);
    if (!permitted(tr, perms, is_submitter)) {
        if (strcmp(tr->perm, WF_PERM_SUBMITTER) == 0)
            return err_set(err, ERR_FORBIDDEN, "只有提交人可以%s", tr->label);
        return err_set(err, ERR_FORBIDDEN, "没有%s的权限（需要 %s）", tr->label, tr->perm);
    }
    int rc = missing_input(tr, in, err);
    return rc ? rc : check_numbers(t, tr, in, err);
}

int wf_available(const struct wf_kind *t, int state, const char *const *perms, bool is_submitter,
                 const struct wf_transition **out, int max)
{
    int n = 0;
    for (int i = 0; i < t->ntransitions && n < max; i++) {
        const struct wf_transition *tr = &t->transitions[i];
        if (leaves(tr, state) && permitted(tr, perms, is_submitter)) out[n++] = tr;
    }
    return n;
}

static void add_perm(const char **list, int max, const char *perm)
{
    int n = 0;
    for (; list[n]; n++)
        if (strcmp(list[n], perm) == 0) return;
    if (n < max - 1) list[n] = perm, list[n + 1] = NULL;
}

void wf_waiting(const struct wf_kind *t, int state, const char **owner, const char **above, int max)
{
    owner[0] = above[0] = NULL;
    for (int i = 0; i < t->ntransitions; i++) {
        const struct wf_transition *tr = &t->transitions[i];
        if (!leaves(tr, state) || strcmp(tr->perm, WF_PERM_SUBMITTER) == 0) continue;
        if (!tr->above)
            add_perm(owner, max, tr->perm);
        else if (!tr->reopens)
            add_perm(above, max, tr->perm);
    }
}

bool wf_holds(const char *const *perms, const char *const *list)
{
    for (; list && *list; list++)
        for (const char *const *p = perms; p && *p; p++)
            if (strcmp(*p, *list) == 0) return true;
    return false;
}

int wf_path(const struct wf_kind *t, int from, int to, const struct wf_transition **out, int max)
{
    if (from < 0 || from >= t->nstates || to < 0 || to >= t->nstates) return -1;
    /* Breadth first from `from`: via[s] is the transition that first
     * reached s, prev[s] the state it was taken from. */
    const struct wf_transition *via[WF_STATES_MAX] = {0};
    int prev[WF_STATES_MAX], queue[WF_STATES_MAX], head = 0, tail = 0;
    bool seen[WF_STATES_MAX] = {0};
    seen[from] = true;
    queue[tail++] = from;
    while (head < tail && !seen[to]) {
        int s = queue[head++];
        for (int i = 0; i < t->ntransitions; i++) {
            const struct wf_transition *tr = &t->transitions[i];
            if (!leaves(tr, s) || seen[tr->to]) continue;
            seen[tr->to] = true;
            via[tr->to] = tr;
            prev[tr->to] = s;
            queue[tail++] = tr->to;
        }
    }
    if (!seen[to]) return -1;
    int n = 0;
    for (int s = to; s != from; s = prev[s])
        n++;
    if (n > max) return -1;
    int k = n;
    for (int s = to; s != from; s = prev[s])
        out[--k] = via[s];
    return n;
}
