/*
 * workflow.c — work-item state machines read from JSON definitions and the
 * checks an item's transition goes through (workflow.h).
 *
 * Parsing reads the whole definition into one fixed-size struct wf_type
 * (only the category names are separate allocations), then checks the
 * graph: with at most 16 states a set of states is one bit mask, so
 * reachability is a fixed-point loop over the transitions. Every error
 * names the JSON path it concerns, since a definition is written by hand.
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
    struct jdef d; /* file name and error */
    struct wf_type *t;
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
    return ERR_OK;
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

static int read_state(struct parse *p, json_t *o, const char *path, struct wf_state *s)
{
    static const char *const keys[] = {"code", "label", "final", NULL};
    int rc = jdef_object(&p->d, o, path);
    if (!rc) rc = jdef_only(&p->d, o, path, keys);
    if (!rc) rc = code_member(p, o, path, s->code);
    if (!rc) rc = jdef_str(&p->d, o, path, "label", s->label, sizeof s->label);
    if (rc) return rc;
    json_t *f = jdef_member(o, "final");
    if (f && !json_is_boolean(f)) {
        char at[JDEF_PATH_MAX];
        jdef_join(at, path, "final");
        return jdef_bad(&p->d, at, "必须是 true 或 false");
    }
    s->final = json_is_true(f);
    return ERR_OK;
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
        if (p->t->states[s].final)
            return jdef_bad(&p->d, item, "状态 \"%s\" 是终态，不能再转出", p->t->states[s].code);
        for (int k = 0; k < tr->nfrom; k++)
            if (tr->from[k] == s)
                return jdef_bad(&p->d, item, "状态 \"%s\" 重复", p->t->states[s].code);
        tr->from[tr->nfrom++] = s;
    }
    return ERR_OK;
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

static int read_transition(struct parse *p, json_t *o, const char *path, struct wf_transition *tr)
{
    static const char *const keys[] = {"code", "from", "to", "perm", "needs", "label", NULL};
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
    return read_needs(p, o, path, tr);
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
 * from every state (no item can get stuck). */
static int check_graph(struct parse *p)
{
    const struct wf_type *t = p->t;
    uint32_t fwd = 1u << t->initial, back = 0;
    for (int i = 0; i < t->nstates; i++)
        if (t->states[i].final) back |= 1u << i;
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

static int read_type(struct parse *p, json_t *root)
{
    static const char *const keys[] = {"code",       "name",          "create_perm",
                                       "initial",    "states",        "transitions",
                                       "categories", "deadline_days", NULL};
    struct wf_type *t = p->t;
    char initial[WF_CODE_MAX];
    int rc = jdef_object(&p->d, root, "(根)");
    if (!rc) rc = jdef_only(&p->d, root, "", keys);
    if (!rc) rc = code_member(p, root, "", t->code);
    if (!rc) rc = jdef_str(&p->d, root, "", "name", t->name, sizeof t->name);
    if (!rc) rc = jdef_str(&p->d, root, "", "create_perm", t->create_perm, sizeof t->create_perm);
    if (!rc) rc = perm_check(p, "create_perm", t->create_perm, true);
    if (!rc) rc = read_states(p, root);
    if (!rc) rc = jdef_str(&p->d, root, "", "initial", initial, sizeof initial);
    if (rc) return rc;
    if ((t->initial = wf_state_index(t, initial)) < 0)
        return jdef_bad(&p->d, "initial", "没有状态 \"%s\"", initial);
    if (t->states[t->initial].final)
        return jdef_bad(&p->d, "initial", "初始状态 \"%s\" 不能是终态", initial);
    rc = read_transitions(p, root);
    if (!rc) rc = read_categories(p, root);
    if (!rc) rc = read_deadline(p, root);
    if (!rc) rc = check_graph(p);
    return rc;
}

int wf_type_parse(const char *json, size_t len, const char *name, struct wf_type **out,
                  struct err *err)
{
    *out = NULL;
    json_t *root;
    int rc = jdef_load(json, len, WF_JSON_MAX, "流程定义", name, &root, err);
    if (rc) return rc;
    struct parse p = {{name, err}, xcalloc(1, sizeof(struct wf_type))};
    rc = read_type(&p, root);
    json_decref(root);
    if (rc) {
        wf_type_free(p.t);
        return rc;
    }
    *out = p.t;
    return ERR_OK;
}

void wf_type_free(struct wf_type *t)
{
    if (!t) return;
    for (int i = 0; i < t->ncategories; i++)
        free((char *)t->categories[i]);
    free(t);
}

/* ---- queries ----------------------------------------------------------- */

int wf_state_index(const struct wf_type *t, const char *code)
{
    for (int i = 0; i < t->nstates; i++)
        if (strcmp(t->states[i].code, code) == 0) return i;
    return -1;
}

const struct wf_transition *wf_transition_find(const struct wf_type *t, const char *code)
{
    for (int i = 0; i < t->ntransitions; i++)
        if (strcmp(t->transitions[i].code, code) == 0) return &t->transitions[i];
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
static int wrong_state(const struct wf_type *t, int state, const struct wf_transition *tr,
                       struct err *err)
{
    const struct wf_state *s = &t->states[state];
    if (s->final) return err_set(err, ERR_INVALID, "%s的事项不能再%s", s->label, tr->label);
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

int wf_check(const struct wf_type *t, int state, const struct wf_transition *tr,
             const char *const *perms, bool is_submitter, const struct wf_input *in,
             struct err *err)
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
    return missing_input(tr, in, err);
}

int wf_available(const struct wf_type *t, int state, const char *const *perms, bool is_submitter,
                 const struct wf_transition **out, int max)
{
    int n = 0;
    for (int i = 0; i < t->ntransitions && n < max; i++) {
        const struct wf_transition *tr = &t->transitions[i];
        if (leaves(tr, state) && permitted(tr, perms, is_submitter)) out[n++] = tr;
    }
    return n;
}
