/* demo_people.c — 0. party organisations and members (demo.h): a 党委 for
 * each township, a 党支部 (党总支 or 党委 when the members ask for it, a
 * 联合党支部 when they are too few) for each village and community, and its
 * roster by stage, so that party.members counts what the values would have
 * said. Synthetic persons without ID-card or phone numbers. */
#include "cli/demo.h"
#include "app/people.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *const given[] = {"建国", "秀英", "志强", "桂兰", "国华", "玉梅", "德明", "淑珍",
                                    "卫东", "红霞", "海涛", "丽娟", "振华", "春燕", "明亮", "金凤",
                                    "文博", "雪梅", "子豪", "欣怡", "长林", "桂芳", "永刚", "小红"};
#define NSUR   (sizeof surnames / sizeof surnames[0])
#define NGIVEN (sizeof given / sizeof given[0])

/* "大杨庄村村民委员会" → "大杨庄村", "健康社区居民委员会" → "健康社区". */
static const char *short_name(struct arena *a, const char *name)
{
    static const struct {
        const char *suffix, *keep;
    } cut[] = {{"村民委员会", ""}, {"居民委员会", ""}, {"委员会", ""}};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        size_t k = strlen(cut[i].suffix);
        if (n > k && strcmp(name + n - k, cut[i].suffix) == 0)
            return arena_printf(a, "%.*s%s", (int)(n - k), name, cut[i].keep);
    }
    return name;
}

/* A day in the years [y0, y1]. */
static const char *date_in(struct arena *a, struct rng *r, int y0, int y1)
{
    int y = y0 + (int)rng_below(r, (size_t)y1 - (size_t)y0 + 1);
    int m = 1 + (int)rng_below(r, 12), day = 1 + (int)rng_below(r, 28);
    return arena_printf(a, "%04d-%02d-%02d", y, m, day);
}

static int make_org(struct demo *d, const char *name, const char *type, const char *form,
                    const char *unit, int64_t parent, const char *term_start, int64_t *id)
{
    struct org_in in = {.name = name,
                        .type = type,
                        .form = form,
                        .unit = unit,
                        .founded_on = "2000-07-01",
                        .term_start = term_start,
                        .parent_id = parent};
    int rc = people_org_create(d->app, d->actor, &in, AUTH_CLI_NAME, id, &d->e);
    if (!rc) d->orgs++;
    return rc;
}

/* The roster rows of one village's organisation: members formal and
 * probationary, plus applicants, activists and candidates. */
static void add_roster(struct demo *d, struct arena *a, const struct demo_unit *u, int64_t org,
                       long members, struct person_import_row **rows, size_t *n, size_t *cap)
{
    struct rng r = rng_for(d->seed, u->code, P_PEOPLE);
    long probationary = members / 25 + (rng_chance(&r, 0.5) ? 1 : 0);
    if (probationary > members) probationary = members;
    long pipeline = 2 + (long)rng_below(&r, 4); /* applicants, activists, candidates */
    static const char *const early[] = {"applicant", "activist", "candidate"};
    for (long i = 0; i < members + pipeline; i++) {
        *rows = xgrow(*rows, sizeof **rows, *n + 1, cap);
        struct person_import_row *x = &(*rows)[(*n)++];
        memset(x, 0, sizeof *x);
        const char *stage, *birth, *from;
        if (i < members - probationary) {
            stage = "formal";
            birth = date_in(a, &r, 1940, 1998);
            int y = (int)strtol(birth, NULL, 10) + 22 + (int)rng_below(&r, 20);
            if (y > d->year - 2) y = d->year - 2;
            from = date_in(a, &r, y, y);
        } else if (i < members) {
            stage = "probationary";
            birth = date_in(a, &r, 1985, 2004);
            from = arena_printf(a, "%04d-%02d-01", d->year - 1, rng_chance(&r, 0.5) ? 7 : 9);
        } else {
            stage = early[rng_below(&r, 3)];
            birth = date_in(a, &r, 1990, 2006);
            from = arena_printf(a, "%04d-%02d-01", d->year - 1, 1 + (int)rng_below(&r, 12));
        }
        x->p.name =
            arena_printf(a, "%s%s", surnames[rng_below(&r, NSUR)], given[rng_below(&r, NGIVEN)]);
        x->p.sex = rng_chance(&r, 0.7) ? "男" : "女";
        x->p.birth_date = birth;
        x->p.education = rng_chance(&r, 0.4) ? "高中" : rng_chance(&r, 0.5) ? "大专" : "初中";
        x->p.ethnicity = "汉族";
        x->p.unit = u->code;
        x->org = arena_printf(a, "#%lld", (long long)org);
        x->stage = stage;
        x->from = from;
    }
}

int demo_write_people(struct demo *d)
{
    struct arena *a = arena_new();
    struct person_import_row *rows = NULL;
    size_t cap = 0, i = 0, nfirst = 0;
    int64_t first_orgs[2]; /* the first village's organisation of the first townships */
    const char *first_units[2];
    struct arena *keep = arena_new(); /* their codes, for demo_write_pipeline */
    int rc = ERR_OK;
    while (i < d->n && !rc) {
        size_t township = d->units[i].township, n = 0;
        uint32_t tn = d->townships[township];
        const char *tcode = tree_node(d->tree, tn)->code;
        int64_t committee;
        rc = make_org(d, arena_printf(a, "中共%s委员会", tree_name(d->tree, tn)), "committee",
                      "standard", tcode, 0, arena_printf(a, "%04d-09-01", d->year - 2), &committee);
        for (; i < d->n && d->units[i].township == township && !rc; i++) {
            const struct demo_unit *u = &d->units[i];
            long members = demo_party_members(d, u);
            const char *type = members >= 100  ? "committee"
                               : members >= 50 ? "general_branch"
                                               : "branch";
            const char *suffix = members >= 100  ? "委员会"
                                 : members >= 50 ? "总支部委员会"
                                                 : "支部委员会";
            /* most re-elected in the 2026 round; some still due */
            struct rng r = rng_for(d->seed, u->code, P_PEOPLE + 100);
            const char *term = rng_chance(&r, 0.85) ? arena_printf(a, "%04d-03-15", d->year)
                                                    : arena_printf(a, "%04d-03-15", d->year - 5);
            int64_t org;
            rc = make_org(
                d, arena_printf(a, "中共%s%s", short_name(a, tree_name(d->tree, u->node)), suffix),
                type, members < 3 ? "joint" : "standard", u->code, committee, term, &org);
            if (!rc) add_roster(d, a, u, org, members, &rows, &n, &cap);
            if (!rc && nfirst < 2 &&
                (nfirst == 0 || strncmp(first_units[nfirst - 1], tcode, strlen(tcode)) != 0)) {
                first_orgs[nfirst] = org;
                first_units[nfirst++] = arena_strdup(keep, u->code);
            }
            d->members += (size_t)members;
        }
        struct people_import_result res = {0};
        if (!rc)
            rc = people_import(d->app, d->actor, tcode, rows, n, AUTH_CLI_NAME, NULL, &res, &d->e);
        if (rc) err_wrap(&d->e, "party rosters of %s", tcode);
        d->persons += res.persons_added;
        arena_free(a);
        a = arena_new();
    }
    free(rows);
    arena_free(a);
    if (!rc) rc = demo_write_pipeline(d, first_orgs, first_units, nfirst);
    arena_free(keep);
    return rc;
}
