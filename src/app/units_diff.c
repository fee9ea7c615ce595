/*
 * units_diff.c — an edition compared with the current tree, and the map
 * that says what became of each removed unit (units_import.h).
 *
 * Coverage: an edition speaks for the subtree of each of its top-most
 * units (a row whose parent it does not list), down to the deepest level
 * it lists there, and never below the village: the national table lists
 * province … village, a county's own CSV its townships and villages, a
 * file of one row speaks for that row alone. Inside that, a current unit
 * the edition does not list is removed; the units below (grids and
 * buildings, jiceng's own levels, or villages when only townships were
 * listed) are kept unless an ancestor is removed, and then go with it. One
 * walk over each covered range of the pre-order arrays, a hash lookup per
 * unit: the national diff costs about as much as reading the files.
 *
 * A code never changes its parent (its prefix is its parent), so a unit
 * the statistics bureau moved to another township comes back as a new
 * code: the diff shows it as removed plus added, suggests the new code
 * when a unit of the same name and level was added, and the map records
 * the move (old_code,new_code).
 */
#include "app/units_edition_int.h"
#include "base/arena.h"
#include "base/mem.h"
#include "io/csv.h"
#include "io/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MARK_REMOVED 1
#define MARK_COVERED 2

static int province_of(const char *code)
{
    return (code[0] - '0') * 10 + (code[1] - '0');
}

static bool in_set(const struct job *j, const char *code, size_t len)
{
    return edition_codeset_find(&j->set, j->rows, code, len) != UINT32_MAX;
}

static void add_removal(struct job *j, uint32_t node, bool cascade, size_t *cap)
{
    j->removed = xgrow(j->removed, sizeof *j->removed, j->nremoved + 1, cap);
    j->removed[j->nremoved++] = (struct removal){.node = node, .cascade = cascade};
    j->mark[node] |= MARK_REMOVED;
}

/* Walks the covered subtree of root (a current unit) marking what the
 * edition, listing levels down to `depth`, no longer lists. */
static int cover(struct job *j, uint32_t root, int depth, size_t *cap, struct err *err)
{
    const struct tree *t = j->tree;
    uint32_t post = tree_node(t, root)->post;
    j->mark[root] |= MARK_COVERED;
    for (uint32_t k = root + 1; k <= post; k++) {
        const struct tree_node *n = tree_node(t, k);
        if (n->flags & TREE_RETIRED) continue; /* already history */
        j->mark[k] |= MARK_COVERED;
        bool parent_gone = j->mark[n->parent] & MARK_REMOVED;
        if (in_set(j, n->code, strlen(n->code))) {
            if (parent_gone)
                return err_set(err, ERR_INVALID,
                               "单位 %s（%s）在新版区划中仍然列出，但它的上级 %s（%s）没有列出："
                               "下级单位随上级变动时会有新的代码，请核对新版区划",
                               n->code, tree_name(t, k), tree_node(t, n->parent)->code,
                               tree_name(t, n->parent));
            continue;
        }
        bool listed_level = n->level <= depth && n->level <= UNIT_VILLAGE;
        if (listed_level || parent_gone) add_removal(j, k, !listed_level, cap);
    }
    return ERR_OK;
}

int edition_diff_build(struct job *j, struct err *err)
{
    struct edition_diff *d = j->diff;
    const struct tree *t = j->tree;
    for (int p = 10; p < 90; p++) {
        char pc[3] = {(char)('0' + p / 10), (char)('0' + p % 10), 0};
        uint32_t at = tree_find(t, pc, 2);
        j->first_load[p] = at == TREE_NONE;
        if (at != TREE_NONE)
            snprintf(d->province_name[p], sizeof d->province_name[p], "%s", tree_name(t, at));
    }
    for (size_t i = 0; i < j->nrows; i++) {
        const struct row *r = &j->rows[i];
        struct import_report *rep = j->rep;
        rep->added += r->status == ROW_NEW || r->status == ROW_RESTORED;
        rep->updated += r->status == ROW_CHANGED;
        rep->unchanged += r->status == ROW_SAME;
        if (r->level == UNIT_PROVINCE && !d->province_name[province_of(r->code)][0])
            snprintf(d->province_name[province_of(r->code)], sizeof d->province_name[0], "%.*s",
                     r->name_len, r->name);
    }
    /* The deepest level listed under each top-most row that exists (a
     * first load has none): each row's top-most ancestor, remembered per
     * row, so a file listing parents first costs one lookup a row. */
    bool any_root = false;
    for (size_t i = 0; i < j->nrows && !any_root; i++) {
        const struct row *r = &j->rows[i];
        size_t plen = unit_parent_len(r->code_len);
        any_root = r->node != TREE_NONE && r->status != ROW_RESTORED &&
                   !(plen && in_set(j, r->code, plen));
    }
    uint8_t *depth = any_root ? xcalloc(j->nrows + 1, 1) : NULL;
    uint32_t *top = any_root ? xmalloc((j->nrows + 1) * sizeof *top) : NULL;
    for (size_t i = 0; any_root && i < j->nrows; i++)
        top[i] = UINT32_MAX;
    for (size_t i = 0; any_root && i < j->nrows; i++) {
        const struct row *r = &j->rows[i];
        uint32_t at = (uint32_t)i;
        for (size_t len = unit_parent_len(r->code_len); len; len = unit_parent_len(len)) {
            uint32_t up = edition_codeset_find(&j->set, j->rows, r->code, len);
            if (up == UINT32_MAX) break;
            at = up;
            if (top[up] != UINT32_MAX) {
                at = top[up];
                break;
            }
        }
        top[i] = at;
        if (depth[at] < r->level) depth[at] = r->level;
    }
    free(top);
    /* removals: the covered subtrees of the top-most rows that exist */
    size_t cap = 0;
    int rc = ERR_OK;
    for (size_t i = 0; i < j->nrows && rc == ERR_OK; i++) {
        const struct row *r = &j->rows[i];
        size_t plen = unit_parent_len(r->code_len);
        if (r->node == TREE_NONE || r->status == ROW_RESTORED) continue;
        if (plen && in_set(j, r->code, plen)) continue; /* not top-most */
        if (depth[i] <= r->level) continue;             /* lists nothing below itself */
        if (!j->mark) j->mark = xcalloc(tree_count(t), 1);
        if (!(j->mark[r->node] & MARK_COVERED)) rc = cover(j, r->node, depth[i], &cap, err);
    }
    free(depth);
    if (rc) return rc;
    /* in code order (a cover walks in pre-order, roots come in file order) */
    for (size_t a = 1; a < j->nremoved; a++)
        if (j->removed[a - 1].node > j->removed[a].node) {
            struct removal *x = j->removed;
            for (size_t p = 1; p < j->nremoved; p++) /* insertion sort: nearly sorted */
                for (size_t q = p; q > 0 && x[q - 1].node > x[q].node; q--) {
                    struct removal tmp = x[q];
                    x[q] = x[q - 1];
                    x[q - 1] = tmp;
                }
            break;
        }
    return ERR_OK;
}

/* ---- the map ---- */

static struct removal *removal_of(struct job *j, const char *code, size_t len)
{
    uint32_t node = tree_find_any(j->tree, code, len);
    if (node == TREE_NONE || !j->mark || !(j->mark[node] & MARK_REMOVED)) return NULL;
    size_t lo = 0, hi = j->nremoved;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (j->removed[mid].node < node)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < j->nremoved && j->removed[lo].node == node ? &j->removed[lo] : NULL;
}

/* The name of a unit after the edition: its row's, or the tree's. */
static const char *name_after(struct job *j, const char *code, size_t len, struct arena *a)
{
    uint32_t r = edition_codeset_find(&j->set, j->rows, code, len);
    if (r != UINT32_MAX) return arena_strndup(a, j->rows[r].name, j->rows[r].name_len);
    uint32_t n = tree_find_any(j->tree, code, len);
    return n == TREE_NONE ? "" : arena_strdup(a, tree_name(j->tree, n));
}

/* Checks one map line old → new (new "" retires). */
static int map_line(struct job *j, const struct csv_field *oldf, const struct csv_field *newf,
                    struct err *err)
{
    const struct tree *t = j->tree;
    char old[UNIT_CODE_MAX + 1], new[UNIT_CODE_MAX + 1];
    if (oldf->len > UNIT_CODE_MAX || unit_code_check(oldf->p, oldf->len, err) < 0)
        return err_set(err, ERR_INVALID, "“%.*s”不是单位代码",
                       (int)(oldf->len > 20 ? 20 : oldf->len), oldf->p);
    memcpy(old, oldf->p, oldf->len);
    old[oldf->len] = '\0';
    struct removal *rm = removal_of(j, old, oldf->len);
    if (!rm) {
        uint32_t n = tree_find_any(t, old, oldf->len);
        if (n == TREE_NONE) return err_set(err, ERR_INVALID, "没有代码为 %s 的单位", old);
        if (tree_node(t, n)->flags & TREE_RETIRED)
            return err_set(err, ERR_INVALID, "单位 %s（%s）早已撤销，不在本次调整中", old,
                           tree_name(t, n));
        return err_set(err, ERR_INVALID,
                       "单位 %s（%s）在新版区划中仍然存在，不是被撤销的单位，不能写入对照表", old,
                       tree_name(t, n));
    }
    if (rm->mapped && !rm->cascade)
        return err_set(err, ERR_INVALID, "单位 %s 在对照表中重复（第 %u 行已写明去向）", old,
                       rm->map_line);
    rm->mapped = true;
    rm->cascade = false; /* its own line decides */
    rm->target[0] = '\0';
    if (newf->len == 0) {
        rm->outcome = EDITION_RETIRED;
        return ERR_OK;
    }
    if (newf->len > UNIT_CODE_MAX || unit_code_check(newf->p, newf->len, err) < 0)
        return err_set(err, ERR_INVALID, "“%.*s”不是单位代码",
                       (int)(newf->len > 20 ? 20 : newf->len), newf->p);
    memcpy(new, newf->p, newf->len);
    new[newf->len] = '\0';
    const char *oname = tree_name(t, rm->node);
    if (strcmp(old, new) == 0) return err_set(err, ERR_INVALID, "单位 %s 不能并入自身", old);
    if (strncmp(new, old, strlen(old)) == 0)
        return err_set(err, ERR_INVALID, "%s（%s）不能并入自己的下级 %s：会形成循环", old, oname,
                       new);
    int olevel = tree_node(t, rm->node)->level, nlevel = unit_level_of_len(newf->len);
    if (nlevel != olevel)
        return err_set(err, ERR_INVALID, "%s（%s）是%s级单位，只能并入同级单位，%s 是%s级", old,
                       oname, unit_level_label(olevel), new, unit_level_label(nlevel));
    struct removal *into = removal_of(j, new, newf->len);
    if (into) {
        return err_set(
            err, ERR_INVALID,
            "%s（%s）并入的 %s（%s）本身也在本次调整中被撤销：请并入新版区划中存在的单位", old,
            oname, new, tree_name(t, into->node));
    }
    bool listed = in_set(j, new, newf->len);
    uint32_t n = tree_find_any(t, new, newf->len);
    if (!listed && n == TREE_NONE)
        return err_set(err, ERR_INVALID,
                       "%s（%s）并入的 %s 不存在：既不在新版区划中，也不是现有单位", old, oname,
                       new);
    if (!listed && (tree_node(t, n)->flags & TREE_RETIRED)) {
        char day[11];
        tree_day_format(tree_retired_on(t, n), day);
        return err_set(err, ERR_INVALID, "%s（%s）并入的 %s（%s）已于 %s 撤销", old, oname, new,
                       tree_name(t, n), day);
    }
    memcpy(rm->target, new, newf->len + 1);
    return ERR_OK;
}

static int read_map_file(const char *path, char **data, size_t *len, struct err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(err, ERR_NOT_FOUND, "无法打开对照表 %s：%s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > EDITION_MAP_MAX) {
        fclose(f);
        return err_set(err, ERR_INVALID, "对照表 %s 不是普通文件或超过 16 MB", path);
    }
    *len = (size_t)st.st_size;
    *data = xmalloc(*len + 1);
    size_t got = fread(*data, 1, *len, f);
    fclose(f);
    if (got != *len) {
        free(*data);
        *data = NULL;
        return err_set(err, ERR_IO, "无法读取 %s", path);
    }
    return ERR_OK;
}

static bool digits(const struct csv_field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->p[i] < '0' || f->p[i] > '9') return false;
    return f->len > 0;
}

/* How a decided removal reads: merged when its target exists or takes
 * several units, else moved (another parent) or recoded. */
static void classify(struct job *j)
{
    for (size_t k = 0; k < j->nremoved; k++) {
        struct removal *rm = &j->removed[k];
        if (!rm->mapped || !rm->target[0]) continue;
        size_t into = 0;
        for (size_t m = 0; m < j->nremoved && into < 2; m++)
            into += j->removed[m].mapped && !j->removed[m].cascade &&
                    strcmp(j->removed[m].target, rm->target) == 0;
        size_t len = strlen(rm->target);
        uint32_t r = edition_codeset_find(&j->set, j->rows, rm->target, len);
        bool is_new = r != UINT32_MAX && j->rows[r].status == ROW_NEW;
        const char *old = tree_node(j->tree, rm->node)->code;
        size_t plen = unit_parent_len(len);
        if (rm->cascade || !is_new || into > 1)
            rm->outcome = EDITION_MERGED;
        else
            rm->outcome = strncmp(old, rm->target, plen) == 0 ? EDITION_RECODED : EDITION_MOVED;
    }
}

/* Grids and buildings under a removed unit follow their nearest removed
 * ancestor that has no line of its own. */
static void inherit(struct job *j)
{
    for (size_t k = 0; k < j->nremoved; k++) {
        struct removal *rm = &j->removed[k];
        if (!rm->cascade) continue;
        for (size_t a = k; a-- > 0;) {
            const struct removal *up = &j->removed[a];
            if (!tree_within(j->tree, rm->node, up->node) || up->cascade) continue;
            rm->mapped = up->mapped;
            memcpy(rm->target, up->target, sizeof rm->target);
            rm->outcome = up->mapped ? (up->target[0] ? EDITION_MERGED : EDITION_RETIRED) : 0;
            break;
        }
    }
}

int edition_map_read(struct job *j, const struct edition_opts *o, struct err *err)
{
    const char *where = o->map_path ? strrchr(o->map_path, '/') : NULL;
    where = where ? where + 1 : o->map_path ? o->map_path : "对照表";
    int rc = ERR_OK;
    if (o->map_path || o->map_text) {
        char *raw = NULL, *text = NULL;
        size_t len = 0;
        int charset;
        if (o->map_path) {
            rc = read_map_file(o->map_path, &raw, &len, err);
        } else if (o->map_len > EDITION_MAP_MAX) {
            rc = err_set(err, ERR_TOO_LARGE, "对照表超过 16 MB");
        } else {
            raw = xmalloc(o->map_len + 1);
            memcpy(raw, o->map_text, o->map_len);
            len = o->map_len;
        }
        if (!rc) rc = text_decode(raw, len, &text, &len, &charset, err);
        free(raw);
        struct csv_reader rd;
        struct csv_field fl[4];
        if (!rc) csv_init(&rd, text, len, 256);
        int n;
        bool first = true;
        while (!rc && (n = csv_next(&rd, fl, 4, err)) != 0) {
            if (n < 0) {
                rc = n;
                break;
            }
            for (int f = 0; f < n; f++)
                csv_field_trim(&fl[f]);
            if (n == 1 && fl[0].len == 0) continue; /* blank line */
            if (first && !digits(&fl[0])) {         /* a header */
                first = false;
                continue;
            }
            first = false;
            static const struct csv_field none = {"", 0};
            if ((rc = map_line(j, &fl[0], n > 1 ? &fl[1] : &none, err)) == ERR_OK) {
                struct removal *rm = removal_of(j, fl[0].p, fl[0].len);
                rm->map_line = (uint32_t)rd.line;
            }
            if (rc) err_at(err, where, rd.line, 0);
        }
        if (rc && !err->field[0]) snprintf(err->field, sizeof err->field, "map");
        free(text);
    }
    inherit(j);
    classify(j);
    return rc;
}

/* ---- the list of changes ---- */

static int change_cmp(const void *a, const void *b)
{
    return strcmp(((const struct edition_change *)a)->code,
                  ((const struct edition_change *)b)->code);
}

/* The new rows by level and name, to find where a removed unit went. */
static int by_level_name(const void *a, const void *b, void *rows)
{
    const struct row *x = (const struct row *)rows + *(const uint32_t *)a,
                     *y = (const struct row *)rows + *(const uint32_t *)b;
    if (x->level != y->level) return x->level - y->level;
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, n);
    return c ? c : (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static int cmp_key(const struct row *r, int level, const char *name, size_t len)
{
    if (r->level != level) return r->level - level;
    size_t n = r->name_len < len ? r->name_len : len;
    int c = memcmp(r->name, name, n);
    return c ? c : (r->name_len > len) - (r->name_len < len);
}

/* A unit of the same name and level among the new rows (idx: their
 * indexes sorted by level and name), nearest in code — same county before
 * same city before anywhere: where a removed unit probably went. */
static const struct row *suggest(const struct job *j, const uint32_t *idx, size_t n,
                                 const struct tree_node *node, const char *name)
{
    size_t len = strlen(name), lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(&j->rows[idx[mid]], node->level, name, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const struct row *best = NULL;
    size_t best_common = 0;
    for (; lo < n && cmp_key(&j->rows[idx[lo]], node->level, name, len) == 0; lo++) {
        const struct row *r = &j->rows[idx[lo]];
        size_t c = 0;
        while (c < r->code_len && node->code[c] == r->code[c])
            c++;
        if (!best || c > best_common) best = r, best_common = c;
    }
    return best;
}

void edition_changes_fill(struct job *j)
{
    struct edition_diff *d = j->diff;
    struct arena *a = d->arena;
    const struct tree *t = j->tree;
    size_t n = 0;
    for (size_t i = 0; i < j->nrows; i++)
        n += j->rows[i].status != ROW_SAME;
    /* a province loaded for the first time is counted, not listed */
    d->changes = xcalloc(n + j->nremoved + 1, sizeof *d->changes);
    uint32_t *idx = NULL;
    size_t nidx = 0;
    for (size_t k = 0; k < j->nremoved && !idx; k++)
        if (!j->removed[k].mapped) {
            idx = xmalloc((j->nrows + 1) * sizeof *idx);
            for (size_t i = 0; i < j->nrows; i++)
                if (j->rows[i].status == ROW_NEW) idx[nidx++] = (uint32_t)i;
            qsort_r(idx, nidx, sizeof *idx, by_level_name, j->rows);
        }
    for (size_t i = 0; i < j->nrows; i++) {
        const struct row *r = &j->rows[i];
        if (r->status == ROW_SAME) continue;
        struct edition_counts *pc = &d->province[province_of(r->code)];
        if (r->status == ROW_NEW && j->first_load[province_of(r->code)]) {
            pc->added++, d->total.added++;
            continue;
        }
        struct edition_change *c = &d->changes[d->nchanges++];
        memcpy(c->code, r->code, r->code_len);
        c->level = r->level;
        c->new_kind = r->kind;
        if (r->status == ROW_NEW || r->status == ROW_RESTORED) {
            c->what = r->status == ROW_NEW ? EDITION_ADDED : EDITION_RESTORED;
            c->name = arena_strndup(a, r->name, r->name_len);
            if (r->status == ROW_NEW)
                pc->added++, d->total.added++;
            else
                pc->restored++, d->total.restored++;
            continue;
        }
        const struct tree_node *tn = tree_node(t, r->node);
        c->old_kind = tn->kind;
        c->name = arena_strdup(a, tree_name(t, r->node));
        if (tn->name_len != r->name_len || memcmp(c->name, r->name, r->name_len) != 0) {
            c->what |= EDITION_RENAMED;
            c->new_name = arena_strndup(a, r->name, r->name_len);
            pc->renamed++, d->total.renamed++;
        }
        if (tn->kind != r->kind) {
            c->what |= EDITION_REKINDED;
            pc->rekinded++, d->total.rekinded++;
        }
    }
    for (size_t k = 0; k < j->nremoved; k++) {
        const struct removal *rm = &j->removed[k];
        const struct tree_node *tn = tree_node(t, rm->node);
        struct edition_change *c = &d->changes[d->nchanges++];
        struct edition_counts *pc = &d->province[province_of(tn->code)];
        memcpy(c->code, tn->code, sizeof c->code);
        c->what = EDITION_REMOVED;
        c->level = tn->level;
        c->old_kind = tn->kind;
        c->cascade = rm->cascade;
        c->name = arena_strdup(a, tree_name(t, rm->node));
        c->outcome = (uint8_t)(rm->mapped ? rm->outcome : EDITION_UNDECIDED);
        memcpy(c->target, rm->target, sizeof c->target);
        if (rm->target[0]) c->target_name = name_after(j, rm->target, strlen(rm->target), a);
        if (!rm->mapped && !rm->cascade && idx) {
            const struct row *s = suggest(j, idx, nidx, tn, c->name);
            if (s) {
                memcpy(c->suggestion, s->code, s->code_len);
                c->target_name = arena_strndup(a, s->name, s->name_len);
            }
        }
        pc->removed++, d->total.removed++;
        size_t *slot[] = {&pc->undecided, &pc->merged, &pc->moved, &pc->recoded, &pc->retired};
        size_t *tslot[] = {&d->total.undecided, &d->total.merged, &d->total.moved,
                           &d->total.recoded, &d->total.retired};
        ++*slot[c->outcome];
        ++*tslot[c->outcome];
    }
    free(idx);
    qsort(d->changes, d->nchanges, sizeof *d->changes, change_cmp);
}
