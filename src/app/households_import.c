/* households_import.c — a household ledger (住户表) in, all or nothing
 * (people.h): one row per resident, grouped into households by 户号 or
 * address. Every row is checked before anything is written and every
 * refused row is listed; then households, persons and resident memberships
 * are written in one transaction with one audit record. Tags and the
 * relations to the head are data (data/people.json): a tag is named as
 * household_tags names it, a relation as the resident kind's stages do,
 * and the stage flagged "head" makes the household's head. */
#include "app/people_int.h"
#include "app/people_sheet_int.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUSEHOLD_ROWS_MAX 200000
#define RESIDENT_KIND      "resident"

enum col {
    H_KEY,
    H_ADDRESS,
    H_UNIT,
    H_TAGS,
    H_NAME,
    H_RELATION,
    H_SEX,
    H_BIRTH,
    H_ETHNICITY,
    H_EDUCATION,
    H_ID,
    H_PHONE,
    H_FROM,
    H_COUNT
};
static const struct sheet_col cols[H_COUNT] = {
    {"household", "户号", NULL},
    {"address", "地址", "住址"},
    {"unit", "单位代码", NULL},
    {"tags", "户标签", "标签"},
    {"name", "姓名", NULL},
    {"relation", "与户主关系", "关系"},
    {"sex", "性别", NULL},
    {"birth_date", "出生日期", NULL},
    {"ethnicity", "民族", NULL},
    {"education", "学历", "文化程度"},
    {"id_number", "身份证号", "公民身份号码"},
    {"phone", "手机号", "联系电话"},
    {"from", "入户日期", NULL},
};

static const char *const example[H_COUNT] = {
    "1", "幸福路 8 号", "",     "低保、退役军人",     "张建国",      "户主",      "男",
    "",  "汉族",        "高中", "411121197512310018", "13812345678", "2010-01-01"};
const struct sheet_form people_households_form = {cols, example, H_COUNT};

/* One row as read. */
struct hh_line {
    long line;
    const char *cell[H_COUNT];
};

/* One household of the file: its rows share a key (户号, else 地址). */
struct hh_group {
    const char *key, *unit, *address;
    long line, head_line; /* its first row; the row of its head, 0 when none */
    const char **tags;
    size_t ntags, tagcap;
    struct household_row h; /* as written */
};

/* One checked resident. */
struct hh_member {
    size_t group;
    long line;
    struct person_row p;
    const struct people_stage *stage;
    const char *from;
};

struct hh_import {
    struct sheet_run run; /* first: row() gets the import as its ctx */
    const char *today, *created;
    const struct people_kind *k;
    struct hh_line *lines;
    size_t nlines, linecap;
    struct hh_group *groups;
    size_t ngroups, groupcap;
    struct hh_member *members;
    size_t nmembers, membercap;
    struct households_import_result *res;
};

static int read_row(void *ctx, long row, struct table_cell *cells, int n)
{
    struct hh_import *im = ctx;
    struct sheet *s = &im->run.s;
    if (!s->header) {
        int rc = sheet_header(s, cells, n, row, im->run.err);
        if (!rc && s->at[H_KEY] < 0 && s->at[H_ADDRESS] < 0) {
            rc = err_set(im->run.err, ERR_INVALID, "住户表须有“户号”或“地址”一列");
            im->run.err->line = row;
        }
        return rc;
    }
    if (sheet_blank(cells, n)) return 0;
    if (im->nlines >= HOUSEHOLD_ROWS_MAX)
        return err_set(im->run.err, ERR_TOO_LARGE, "住户表最多 %d 行，请分成几个文件",
                       HOUSEHOLD_ROWS_MAX);
    im->lines = arena_grow(im->run.a, im->lines, sizeof *im->lines, im->nlines, im->nlines + 1,
                           &im->linecap);
    struct hh_line *x = &im->lines[im->nlines++];
    x->line = row;
    for (int c = 0; c < H_COUNT; c++)
        x->cell[c] = sheet_cell(s, cells, n, c);
    x->cell[H_BIRTH] = sheet_date(im->run.a, x->cell[H_BIRTH]);
    x->cell[H_FROM] = sheet_date(im->run.a, x->cell[H_FROM]);
    return 0;
}

static int refuse(struct hh_import *im, long line, int c, int rc)
{
    if (!people_row_refusable(rc)) {
        err_wrap(im->run.err, "第 %ld 行", line);
        im->run.err->line = line;
        return rc;
    }
    const char *column = c >= 0 ? cols[c].zh : sheet_label(cols, H_COUNT, im->run.err->field);
    people_row_refuse(im->run.errors, line, column, im->run.err);
    return ERR_OK;
}

/* The household a row belongs to, found or begun (key: 户号, else 地址). */
static struct hh_group *group_of(struct hh_import *im, const char *key, long line)
{
    for (size_t g = im->ngroups; g-- > 0;) /* rows of a household usually follow each other */
        if (strcmp(im->groups[g].key, key) == 0) return &im->groups[g];
    im->groups = arena_grow(im->run.a, im->groups, sizeof *im->groups, im->ngroups, im->ngroups + 1,
                            &im->groupcap);
    struct hh_group *g = &im->groups[im->ngroups++];
    memset(g, 0, sizeof *g);
    g->key = key;
    g->line = line;
    return g;
}

/* The household's unit and address from a row: the first row's, and the
 * others must agree with it. */
static int group_place(struct hh_import *im, struct hh_group *g, const struct hh_line *x)
{
    const char *unit = x->cell[H_UNIT] ? x->cell[H_UNIT] : im->run.scope;
    const char *address = x->cell[H_ADDRESS] ? x->cell[H_ADDRESS] : "";
    if (!g->unit) {
        if (!unit[0])
            return err_set_field(im->run.err, ERR_INVALID, "unit",
                                 "请填写单位代码或指定导入到的单位");
        if (!auth_in_scope(im->run.actor->scope, unit) || !auth_in_scope(im->run.scope, unit))
            return err_set_field(im->run.err, ERR_FORBIDDEN, "unit", "单位 %s 不在导入范围内",
                                 unit);
        struct tree *t = app_tree(im->run.app);
        bool known = strlen(unit) <= UNIT_CODE_MAX && tree_find(t, unit, strlen(unit)) != TREE_NONE;
        tree_unref(t);
        if (!known)
            return err_set_field(im->run.err, ERR_INVALID, "unit", "没有代码为 %s 的单位", unit);
        int rc = app_check_text(address, "address", 200, false, im->run.err);
        if (rc) return rc;
        g->unit = unit;
        g->address = address;
        return ERR_OK;
    }
    if (strcmp(g->unit, unit) != 0)
        return err_set_field(im->run.err, ERR_INVALID, "unit",
                             "与第 %ld 行同属一户，单位代码却不同", g->line);
    if (x->cell[H_ADDRESS] && strcmp(g->address, address) != 0)
        return err_set_field(im->run.err, ERR_INVALID, "address", "与第 %ld 行同属一户，地址却不同",
                             g->line);
    return ERR_OK;
}

/* Adds the tags a cell names ("低保、退役军人") to the household's. */
static int group_tags(struct hh_import *im, struct hh_group *g, const char *cell)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";", " ", NULL};
    const struct people_defs *d = im->run.app->people;
    const char *p = cell;
    while (p && *p) {
        const char *end = p + strlen(p);
        size_t seplen = 0;
        for (int k = 0; seps[k]; k++) {
            const char *q = strstr(p, seps[k]);
            if (q && q < end) end = q, seplen = strlen(seps[k]);
        }
        const char *name = arena_strndup(im->run.a, p, (size_t)(end - p));
        p = *end ? end + seplen : end;
        if (!name[0]) continue;
        const char *code = NULL;
        for (size_t i = 0; i < d->ntags && !code; i++)
            if (strcmp(d->tags[i].name, name) == 0 || strcmp(d->tags[i].code, name) == 0)
                code = d->tags[i].code;
        if (!code) {
            const char *known = "";
            for (size_t i = 0; i < d->ntags; i++)
                known = arena_printf(im->run.a, "%s%s%s", known, i ? "、" : "", d->tags[i].name);
            return err_set_field(im->run.err, ERR_INVALID, "tags", "没有户标签“%s”（可填：%s）",
                                 name, known);
        }
        bool have = false;
        for (size_t i = 0; i < g->ntags && !have; i++)
            have = strcmp(g->tags[i], code) == 0;
        if (have) continue;
        g->tags =
            arena_grow(im->run.a, g->tags, sizeof *g->tags, g->ntags, g->ntags + 1, &g->tagcap);
        g->tags[g->ntags++] = code;
    }
    return ERR_OK;
}

static const char *relation_names(struct hh_import *im)
{
    const char *s = "";
    for (size_t i = 0; i < im->k->nstages; i++)
        s = arena_printf(im->run.a, "%s%s%s", s, i ? "、" : "", im->k->stages[i].name);
    return s;
}

/* Checks the resident of a row into m: relation, entry day, the person. */
static int check_member(struct hh_import *im, struct hh_group *g, const struct hh_line *x,
                        struct hh_member *m)
{
    const char *rel = x->cell[H_RELATION];
    for (size_t i = 0; rel && i < im->k->nstages && !m->stage; i++)
        if (strcmp(im->k->stages[i].name, rel) == 0 || strcmp(im->k->stages[i].code, rel) == 0)
            m->stage = &im->k->stages[i];
    if (!m->stage)
        return err_set_field(im->run.err, ERR_INVALID, "relation", "与户主关系须为%s",
                             relation_names(im));
    if (m->stage->head && g->head_line)
        return err_set_field(im->run.err, ERR_INVALID, "relation",
                             "一户只能有一位%s（第 %ld 行已是）", m->stage->name, g->head_line);
    m->from = x->cell[H_FROM] ? x->cell[H_FROM] : im->today;
    if (!person_date_ok(m->from))
        return err_set_field(im->run.err, ERR_INVALID, "from", "入户日期须写作 2020-07-01");
    if (!x->cell[H_NAME]) return err_set_field(im->run.err, ERR_INVALID, "name", "请填写姓名");
    if (!x->cell[H_ID])
        return err_set_field(im->run.err, ERR_INVALID, "id_number",
                             "请填写身份证号：户成员凭身份证号识别");
    struct person_in in = {.name = x->cell[H_NAME],
                           .sex = x->cell[H_SEX],
                           .birth_date = x->cell[H_BIRTH],
                           .ethnicity = x->cell[H_ETHNICITY],
                           .education = x->cell[H_EDUCATION],
                           .unit = g->unit,
                           .id_number = x->cell[H_ID],
                           .phone = x->cell[H_PHONE]};
    m->p = (struct person_row){.sex = "",
                               .ethnicity = "",
                               .education = "",
                               .id_masked = "",
                               .phone_masked = "",
                               .created_by = im->run.actor->name,
                               .created_at = im->created,
                               .updated_at = im->created};
    return people_person_apply(im->run.app, im->run.actor, &in, im->run.a, &m->p, im->run.err);
}

/* Checks every row; the refused ones go to the errors. */
static int check_all(struct hh_import *im)
{
    struct sheet_seen seen;
    sheet_seen_init(&seen, im->run.a, im->nlines);
    im->members = arena_zalloc(im->run.a, (im->nlines + 1) * sizeof *im->members);
    for (size_t i = 0; i < im->nlines; i++) {
        const struct hh_line *x = &im->lines[i];
        const char *key = x->cell[H_KEY] ? x->cell[H_KEY] : x->cell[H_ADDRESS];
        int rc;
        if (!key) {
            int bad = err_set_field(im->run.err, ERR_INVALID, "address",
                                    "请填写户号或地址：同一户的各行相同");
            if ((rc = refuse(im, x->line, im->run.s.at[H_KEY] >= 0 ? H_KEY : H_ADDRESS, bad)))
                return rc;
            continue;
        }
        struct hh_group *g = group_of(im, key, x->line);
        struct hh_member m = {.group = (size_t)(g - im->groups), .line = x->line};
        rc = group_place(im, g, x);
        if (!rc && x->cell[H_TAGS]) rc = group_tags(im, g, x->cell[H_TAGS]);
        if (!rc) rc = check_member(im, g, x, &m);
        long twin = !rc && m.p.id_hash ? sheet_seen(&seen, m.p.id_hash, x->line) : 0;
        if (twin)
            rc = err_set_field(im->run.err, ERR_INVALID, "id_number", "身份证号与第 %ld 行相同",
                               twin);
        if (rc) {
            if ((rc = refuse(im, x->line, -1, rc))) return rc;
            continue;
        }
        if (m.stage->head) g->head_line = x->line;
        im->members[im->nmembers++] = m;
    }
    return people_rows_refused(im->run.errors, im->run.err);
}

/* ---- writing ---- */

struct current_ms {
    const char *today;
    int64_t household_id;
    bool found;
};

static int is_current(void *ctx, const struct membership_row *m)
{
    struct current_ms *x = ctx;
    if (m->household_id == x->household_id && strcmp(m->from_date, x->today) <= 0 &&
        (!m->to_date[0] || strcmp(m->to_date, x->today) > 0))
        x->found = true;
    return 0;
}

struct tag_list {
    struct arena *a;
    const char **v;
    size_t n, cap;
};

static int keep_tag(void *ctx, const char *tag)
{
    struct tag_list *l = ctx;
    l->v = arena_grow(l->a, l->v, sizeof *l->v, l->n, l->n + 1, &l->cap);
    l->v[l->n++] = arena_strdup(l->a, tag);
    return 0;
}

/* The household, found by unit and address or inserted, with the tags of
 * the file added to its own (a ledger adds tags; it never takes one off). */
static int write_household(struct hh_import *im, struct db *db, struct hh_group *g)
{
    struct err none;
    err_clear(&none);
    int rc = g->address[0] ? store_household_find(db, im->run.a, g->unit, g->address, &g->h, &none)
                           : ERR_NOT_FOUND;
    if (rc && rc != ERR_NOT_FOUND) return err_set(im->run.err, rc, "%s", none.msg);
    struct tag_list all = {.a = im->run.a};
    if (rc == ERR_NOT_FOUND) {
        g->h = (struct household_row){.unit = g->unit,
                                      .address = g->address,
                                      .created_by = im->run.actor->name,
                                      .created_at = im->created,
                                      .updated_at = im->created};
        if ((rc = store_household_insert(db, &g->h, im->run.err))) return rc;
        im->res->households_added++;
    } else {
        im->res->households_existing++;
        if (g->ntags && (rc = store_household_tags(db, g->h.id, keep_tag, &all, im->run.err)))
            return rc;
    }
    size_t stored = all.n;
    for (size_t i = 0; i < g->ntags; i++) {
        bool have = false;
        for (size_t k = 0; k < stored && !have; k++)
            have = strcmp(all.v[k], g->tags[i]) == 0;
        if (!have) keep_tag(&all, g->tags[i]);
    }
    return all.n > stored ? store_household_tags_set(db, g->h.id, all.v, all.n, im->run.err)
                          : ERR_OK;
}

/* The resident: the person (registered or inserted) and, unless already
 * living there, their membership of the household. */
static int write_member(struct hh_import *im, struct db *db, struct hh_member *m)
{
    struct hh_group *g = &im->groups[m->group];
    struct person_row old;
    struct err none;
    err_clear(&none);
    int rc = store_person_by_hash(db, im->run.a, m->p.id_hash, &old, &none);
    if (rc && rc != ERR_NOT_FOUND) return err_set(im->run.err, rc, "%s", none.msg);
    if (!rc) {
        m->p.id = old.id;
        im->res->persons_existing++;
    } else {
        if ((rc = store_person_insert(db, &m->p, im->run.err))) return rc;
        im->res->persons_added++;
    }
    struct current_ms cur = {im->today, g->h.id, false};
    if ((rc = store_memberships_of_person(db, im->run.a, m->p.id, im->k->code, is_current, &cur,
                                          im->run.err)))
        return rc;
    if (cur.found) {
        im->res->members_existing++;
    } else {
        struct membership_row ms = {.person_id = m->p.id,
                                    .kind = im->k->code,
                                    .stage = m->stage->code,
                                    .unit = g->unit,
                                    .household_id = g->h.id,
                                    .from_date = m->from,
                                    .created_by = im->run.actor->name,
                                    .created_at = im->created};
        if ((rc = people_membership_insert(db, im->k, &ms, 0, im->run.a, im->run.err))) return rc;
        im->res->members_added++;
    }
    if (m->stage->head && g->h.head_id != m->p.id) {
        g->h.head_id = m->p.id;
        g->h.updated_at = im->created;
        return store_household_update(db, &g->h, im->run.err);
    }
    return ERR_OK;
}

/* A row refused while writing (one already living in another household)
 * is listed like the others; the transaction stops there. */
static int stop_at(struct hh_import *im, long line, int rc)
{
    if ((rc = refuse(im, line, -1, rc))) return rc;
    return people_rows_refused(im->run.errors, im->run.err);
}

static int write_all(void *ctx, struct db *db, struct err *err)
{
    struct hh_import *im = ctx;
    (void)err; /* the same as im->run.err, which the rows' messages go to */
    int rc;
    for (size_t g = 0; g < im->ngroups; g++)
        if ((rc = write_household(im, db, &im->groups[g])))
            return stop_at(im, im->groups[g].line, rc);
    for (size_t i = 0; i < im->nmembers; i++)
        if ((rc = write_member(im, db, &im->members[i])))
            return stop_at(im, im->members[i].line, rc);
    return ERR_OK;
}

static const char *import_summary(void *ctx)
{
    const struct hh_import *im = ctx;
    const struct households_import_result *r = im->res;
    return arena_printf(im->run.a,
                        "{\"rows\":%zu,\"households_added\":%zu,\"households_existing\":%zu,"
                        "\"persons_added\":%zu,\"members_added\":%zu}",
                        r->rows, r->households_added, r->households_existing, r->persons_added,
                        r->members_added);
}

static int commit(struct sheet_run *r)
{
    struct hh_import *im = (struct hh_import *)r;
    int rc = check_all(im);
    if (rc) return rc;
    im->res->rows = im->nlines;
    return sheet_commit(r->app,
                        &(struct sheet_commit){.actor = r->actor,
                                               .scope = r->scope,
                                               .client = r->client,
                                               .action = "household.import",
                                               .entity = "households",
                                               .write = write_all,
                                               .summary = import_summary,
                                               .ctx = im},
                        r->err);
}

int people_households_import(struct app *app, const struct auth_user *actor, const char *scope,
                             const char *data, size_t len, const char *name, const char *client,
                             struct people_row_errors *errors, struct households_import_result *res,
                             struct err *err)
{
    memset(res, 0, sizeof *res);
    const struct people_kind *k = people_kind(app, RESIDENT_KIND);
    if (!k) return err_set(err, ERR_INTERNAL, "data/people.json has no resident kind");
    char today[11], at[32];
    clock_today(today, 0);
    auth_now_iso(at);
    struct hh_import im = {
        .run = {.app = app,
                .actor = actor,
                .scope = scope,
                .client = client,
                .s = {.cols = cols,
                      .ncols = H_COUNT,
                      .what = "住户表",
                      .needs = SHEET_NEED(H_NAME) | SHEET_NEED(H_ID) | SHEET_NEED(H_RELATION)},
                .none = "住户",
                .kept = &im.nlines,
                .row = read_row,
                .commit = commit},
        .today = today,
        .created = at,
        .k = k,
        .res = res};
    int rc = sheet_run(&im.run, data, len, name, errors, err);
    if (rc) memset(res, 0, sizeof *res);
    return rc;
}
