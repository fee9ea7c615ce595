/*
 * tree.c — building and querying the pre-ordered unit arrays (tree.h).
 *
 * Building sorts the units by code (skipped when they arrive sorted, as
 * they do from the database), then walks them once with a stack of open
 * ancestors: when a unit arrives, every ancestor that is not a prefix of
 * its code is closed (its `post` is the previous index); the stack top must
 * then be its parent. The walk is O(n) and needs no hash lookups.
 */
#include "core/tree.h"
#include "core/tree_int.h"
#include "base/mem.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct tree_node) == 40, "a unit takes 40 bytes in memory");

struct entry {
    char code[UNIT_CODE_MAX + 1];
    uint8_t len, kind;
    uint16_t name_len;
    uint32_t name;
    int32_t since, retired;
};

struct tree_builder {
    struct entry *e;
    size_t n, cap;
    char *names;
    size_t names_len, names_cap;
    struct tree_past_in *past; /* former names, resolved to units when built */
    size_t npast, past_cap;
};

struct tree_builder *tree_builder_new(void)
{
    return xcalloc(1, sizeof(struct tree_builder));
}

void tree_builder_free(struct tree_builder *b)
{
    if (!b) return;
    free(b->past);
    free(b->e);
    free(b->names);
    free(b);
}

/* Copies a name into the names block; returns its offset. */
uint32_t tree_builder_name(struct tree_builder *b, const char *name, size_t name_len)
{
    uint32_t at = (uint32_t)b->names_len;
    b->names = xgrow(b->names, 1, b->names_len + name_len + 1, &b->names_cap);
    memcpy(b->names + b->names_len, name, name_len);
    b->names[b->names_len + name_len] = '\0';
    b->names_len += name_len + 1;
    return at;
}

void tree_builder_add(struct tree_builder *b, const char *code, size_t code_len, const char *name,
                      size_t name_len, int kind)
{
    if (code_len > UNIT_CODE_MAX) code_len = UNIT_CODE_MAX;
    if (name_len > UNIT_NAME_MAX) name_len = UNIT_NAME_MAX;
    b->e = xgrow(b->e, sizeof *b->e, b->n + 1, &b->cap);
    struct entry *e = &b->e[b->n++];
    memcpy(e->code, code, code_len);
    e->code[code_len] = '\0';
    e->len = (uint8_t)code_len;
    e->kind = (uint8_t)kind;
    e->name_len = (uint16_t)name_len;
    e->name = tree_builder_name(b, name, name_len);
    e->since = TREE_DAY_FIRST;
    e->retired = TREE_DAY_LAST;
}

void tree_builder_dates(struct tree_builder *b, int32_t since, int32_t retired)
{
    assert(b->n > 0);
    b->e[b->n - 1].since = since;
    b->e[b->n - 1].retired = retired;
}

void tree_builder_past(struct tree_builder *b, const char *code, size_t code_len, const char *name,
                       size_t name_len, int kind, int32_t from, int32_t to)
{
    if (code_len > UNIT_CODE_MAX) code_len = UNIT_CODE_MAX;
    if (name_len > UNIT_NAME_MAX) name_len = UNIT_NAME_MAX;
    b->past = xgrow(b->past, sizeof *b->past, b->npast + 1, &b->past_cap);
    struct tree_past_in *p = &b->past[b->npast++];
    memcpy(p->code, code, code_len);
    p->code[code_len] = '\0';
    p->kind = (uint8_t)kind;
    p->name_len = (uint16_t)name_len;
    p->name = tree_builder_name(b, name, name_len);
    p->from = from;
    p->to = to;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->code, ((const struct entry *)b)->code);
}

static uint32_t code_hash(const char *code, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)code[i]) * 1099511628211ull;
    return (uint32_t)(h ^ (h >> 32));
}

static void index_build(struct tree *t)
{
    size_t slots = 16;
    while (slots < (size_t)t->count * 2)
        slots *= 2;
    t->slots = xcalloc(slots, sizeof *t->slots);
    t->mask = (uint32_t)(slots - 1);
    for (uint32_t i = 0; i < t->count; i++) {
        const char *c = t->nodes[i].code;
        uint32_t h = code_hash(c, strlen(c)) & t->mask;
        while (t->slots[h])
            h = (h + 1) & t->mask;
        t->slots[h] = i + 1;
    }
}

struct tree *tree_empty(void)
{
    struct tree *t = xcalloc(1, sizeof *t);
    t->refs = 1;
    index_build(t);
    t->search = tree_names_build(t);
    return t;
}

/* Closes ancestors on the stack that do not contain `code`, setting their
 * post to `last`. Returns the new stack depth. */
static size_t close_ancestors(struct tree *t, uint32_t *stack, size_t depth, const char *code,
                              uint32_t last)
{
    while (depth > 0) {
        const char *a = t->nodes[stack[depth - 1]].code;
        if (strncmp(a, code, strlen(a)) == 0) break;
        t->nodes[stack[--depth]].post = last;
    }
    return depth;
}

int tree_build(struct tree_builder *b, struct tree **out, struct err *err)
{
    *out = NULL;
    for (size_t i = 1; i < b->n; i++)
        if (strcmp(b->e[i - 1].code, b->e[i].code) >= 0) {
            qsort(b->e, b->n, sizeof *b->e, entry_cmp);
            break;
        }
    struct tree *t = xcalloc(1, sizeof *t);
    t->refs = 1;
    t->count = (uint32_t)b->n;
    t->current = t->count;
    t->nodes = xcalloc(b->n ? b->n : 1, sizeof *t->nodes);
    t->names = b->names;
    t->names_len = b->names_len;
    b->names = NULL;

    uint32_t stack[UNIT_LEVEL_COUNT];
    size_t depth = 0;
    int rc = ERR_OK;
    for (uint32_t i = 0; i < t->count && rc == ERR_OK; i++) {
        const struct entry *e = &b->e[i];
        struct tree_node *n = &t->nodes[i];
        memcpy(n->code, e->code, sizeof n->code);
        n->level = (uint8_t)unit_level_of_len(e->len);
        n->kind = e->kind;
        n->name = e->name;
        n->name_len = e->name_len;
        n->flags = e->retired != TREE_DAY_LAST ? TREE_RETIRED : 0;
        n->post = i;
        if (i > 0 && strcmp(b->e[i - 1].code, e->code) == 0) {
            rc = err_set(err, ERR_INVALID, "单位代码 %s 重复", e->code);
            break;
        }
        depth = close_ancestors(t, stack, depth, e->code, i - 1);
        size_t plen = unit_parent_len(e->len);
        if (plen == 0) {
            n->parent = TREE_NONE;
        } else if (depth > 0 && strlen(t->nodes[stack[depth - 1]].code) == plen) {
            n->parent = stack[depth - 1];
            if (!(n->flags & TREE_RETIRED)) t->nodes[n->parent].nchildren++;
        } else {
            rc =
                err_set(err, ERR_INVALID, "单位 %s 缺少上级单位 %.*s", e->code, (int)plen, e->code);
            break;
        }
        if (depth == UNIT_LEVEL_COUNT) {
            rc = err_set(err, ERR_INTERNAL, "单位 %s 层级过深", e->code);
            break;
        }
        stack[depth++] = i;
    }
    while (depth > 0)
        t->nodes[stack[--depth]].post = t->count - 1;
    if (rc != ERR_OK) {
        tree_builder_free(b);
        t->slots = NULL;
        tree_unref(t);
        return rc;
    }
    index_build(t);
    int32_t *since = xmalloc((b->n ? b->n : 1) * sizeof *since);
    int32_t *retired = xmalloc((b->n ? b->n : 1) * sizeof *retired);
    for (size_t i = 0; i < b->n; i++) {
        since[i] = b->e[i].since;
        retired[i] = b->e[i].retired;
    }
    rc = tree_history_build(t, since, retired, b->past, b->npast, err);
    free(since);
    free(retired);
    if (rc != ERR_OK) {
        tree_builder_free(b);
        tree_unref(t);
        return rc;
    }
    tree_builder_free(b);
    t->search = tree_names_build(t);
    *out = t;
    return ERR_OK;
}

void tree_ref(struct tree *t)
{
    __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
}

void tree_unref(struct tree *t)
{
    if (!t || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) > 0) return;
    free(t->nodes);
    free(t->names);
    free(t->slots);
    tree_names_free(t->search);
    tree_history_free(t);
    free(t);
}

uint32_t tree_count(const struct tree *t)
{
    return t->count;
}

uint32_t tree_current_count(const struct tree *t)
{
    return t->current;
}

const struct tree_node *tree_node(const struct tree *t, uint32_t i)
{
    return &t->nodes[i];
}

const char *tree_name(const struct tree *t, uint32_t i)
{
    return t->names + t->nodes[i].name;
}

uint32_t tree_find(const struct tree *t, const char *code, size_t len)
{
    uint32_t i = tree_find_any(t, code, len);
    return i != TREE_NONE && (t->nodes[i].flags & TREE_RETIRED) ? TREE_NONE : i;
}

uint32_t tree_find_any(const struct tree *t, const char *code, size_t len)
{
    if (len == 0 || len > UNIT_CODE_MAX) return TREE_NONE;
    uint32_t h = code_hash(code, len) & t->mask;
    for (uint32_t s; (s = t->slots[h]) != 0; h = (h + 1) & t->mask) {
        const char *c = t->nodes[s - 1].code;
        if (strncmp(c, code, len) == 0 && c[len] == '\0') return s - 1;
    }
    return TREE_NONE;
}

/* The first unit at or after j that is a sibling of j (same parent) and
 * current: retired siblings are stepped over with their subtrees. */
static uint32_t current_from(const struct tree *t, uint32_t j, uint32_t parent)
{
    for (; j < t->count && t->nodes[j].parent == parent; j = t->nodes[j].post + 1)
        if (!(t->nodes[j].flags & TREE_RETIRED)) return j;
    return TREE_NONE;
}

uint32_t tree_first_child(const struct tree *t, uint32_t i)
{
    return t->nodes[i].post > i ? current_from(t, i + 1, i) : TREE_NONE;
}

uint32_t tree_next_sibling(const struct tree *t, uint32_t i)
{
    return current_from(t, t->nodes[i].post + 1, t->nodes[i].parent);
}

uint32_t tree_first_root(const struct tree *t)
{
    return t->count ? current_from(t, 0, TREE_NONE) : TREE_NONE;
}

size_t tree_path(const struct tree *t, uint32_t i, uint32_t *out, size_t max)
{
    size_t depth = 0;
    for (uint32_t j = i; j != TREE_NONE; j = t->nodes[j].parent)
        depth++;
    size_t k = depth;
    for (uint32_t j = i; j != TREE_NONE; j = t->nodes[j].parent)
        if (--k < max) out[k] = j;
    return depth < max ? depth : max;
}

uint32_t tree_descendants(const struct tree *t, uint32_t i)
{
    uint32_t post = t->nodes[i].post, n = post - i;
    return t->gone ? n - (t->gone[post + 1] - t->gone[i + 1]) : n;
}

void tree_count_below(const struct tree *t, uint32_t i, uint32_t *by_level, uint32_t *by_kind)
{
    for (uint32_t j = i + 1; j <= t->nodes[i].post; j++) {
        if (t->nodes[j].flags & TREE_RETIRED) continue;
        if (by_level) by_level[t->nodes[j].level]++;
        if (by_kind) by_kind[t->nodes[j].kind]++;
    }
}
