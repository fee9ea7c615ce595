/* party_stats.c — the party-member statistics of a subtree (people.h,
 * "member statistics"): members by stage, and of the members by sex, age
 * band, education and ethnicity, with the year's admissions and their
 * average age, for a unit or per child unit.
 *
 * The database counts (store/party_stats.c: GROUP BY per child's code
 * prefix); this file only classifies the groups by data/people.json —
 * stage flags, age bounds, education levels and their aliases, the
 * majority ethnicity — and adds them up. Only counts come out: no person
 * leaves the store. */
#include "app/people.h"
#include "base/clock.h"
#include "core/tree.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PEOPLE_BANDS_MAX - 1 <= STORE_STATS_BOUNDS, "every band's bound fits a query");

/* Arrays of a figures sized by the definitions. */
static void figures_init(const struct people_defs *d, struct arena *a, struct party_figures *f)
{
    memset(f, 0, sizeof *f);
    f->stages = arena_zalloc(a, d->stats.kind->nstages * sizeof *f->stages);
    f->bands = arena_zalloc(a, (d->stats.nbands + 1) * sizeof *f->bands);
    f->education = arena_zalloc(a, (d->neducation + 2) * sizeof *f->education);
}

static void figures_add(const struct people_defs *d, struct party_figures *to,
                        const struct party_figures *f)
{
    for (size_t i = 0; i < d->stats.kind->nstages; i++)
        to->stages[i] += f->stages[i];
    for (size_t i = 0; i <= d->stats.nbands; i++)
        to->bands[i] += f->bands[i];
    for (size_t i = 0; i < d->neducation + 2; i++)
        to->education[i] += f->education[i];
    for (int i = 0; i < PARTY_SEX_COUNT; i++)
        to->sex[i] += f->sex[i];
    for (int i = 0; i < PARTY_ETHNICITY_COUNT; i++)
        to->ethnicity[i] += f->ethnicity[i];
    to->members += f->members;
    to->higher += f->higher;
    to->admitted += f->admitted;
    to->admitted_aged += f->admitted_aged;
    to->admitted_ages += f->admitted_ages;
}

/* The level a roster's text names (by name, code or alias); neducation for
 * a text no level knows, neducation + 1 for none. */
static size_t education_of(const struct people_defs *d, const char *s)
{
    if (!s[0]) return d->neducation + 1;
    for (size_t i = 0; i < d->neducation; i++) {
        const struct people_level *l = &d->education[i];
        if (strcmp(s, l->name) == 0 || strcmp(s, l->code) == 0) return i;
        for (size_t k = 0; k < l->naliases; k++)
            if (strcmp(s, l->aliases[k]) == 0) return i;
    }
    return d->neducation;
}

static int ethnicity_of(const struct people_defs *d, const char *s)
{
    for (size_t i = 0; s[0] && i < d->nethnicities; i++)
        if (strcmp(s, d->ethnicities[i].name) == 0 || strcmp(s, d->ethnicities[i].code) == 0)
            return i == d->majority ? PARTY_MAJORITY : PARTY_MINORITY;
    return PARTY_ETHNICITY_UNKNOWN;
}

static int sex_of(const char *s)
{
    for (int i = 0; people_sexes[i]; i++)
        if (strcmp(s, people_sexes[i]) == 0) return i;
    return PARTY_SEX_UNKNOWN;
}

struct gather {
    const struct people_defs *d;
    const struct tree *t;
    struct arena *a;
    struct party_stats *out;
    size_t cap;
    uint32_t node; /* the unit asked for */
};

static int by_node(const void *x, const void *y)
{
    const struct party_stats_row *a = x, *b = y;
    return a->node < b->node ? -1 : a->node > b->node;
}

/* The row of a group's prefix: the unit itself (own), a child, or a
 * retired child that still has members, added the first time. */
static struct party_figures *row_of(struct gather *g, const char *prefix)
{
    uint32_t node = tree_find_any(g->t, prefix, strlen(prefix));
    if (node == TREE_NONE) node = g->node; /* cannot happen: memberships reference units */
    struct party_stats *s = g->out;
    struct party_stats_row key = {.node = node};
    struct party_stats_row *r =
        s->nrows ? bsearch(&key, s->rows, s->nrows, sizeof *s->rows, by_node) : NULL;
    if (r) return &r->f;
    s->rows = arena_grow(g->a, s->rows, sizeof *s->rows, s->nrows, s->nrows + 1, &g->cap);
    r = &s->rows[s->nrows++];
    r->node = node;
    r->own = node == g->node;
    figures_init(g->d, g->a, &r->f);
    qsort(s->rows, s->nrows, sizeof *s->rows, by_node);
    r = bsearch(&key, s->rows, s->nrows, sizeof *s->rows, by_node);
    return &r->f;
}

static int add_group(void *ctx, const struct store_stats_group *grp)
{
    struct gather *g = ctx;
    const struct people_defs *d = g->d;
    const struct people_kind *k = d->stats.kind;
    struct party_figures *f = row_of(g, grp->prefix);
    size_t stage = 0;
    while (stage < k->nstages && strcmp(k->stages[stage].code, grp->stage) != 0)
        stage++;
    if (stage == k->nstages) return 0; /* a stage the definitions no longer have */
    f->stages[stage] += grp->n;
    if (!k->stages[stage].member) return 0;
    f->members += grp->n;
    f->sex[sex_of(grp->sex)] += grp->n;
    f->bands[grp->band < 0 ? d->stats.nbands : (size_t)grp->band] += grp->n;
    size_t level = education_of(d, grp->education);
    f->education[level] += grp->n;
    if (level < d->neducation && d->education[level].higher) f->higher += grp->n;
    f->ethnicity[ethnicity_of(d, grp->ethnicity)] += grp->n;
    return 0;
}

static int add_admitted(void *ctx, const char *prefix, long n, long aged, long ages)
{
    struct gather *g = ctx;
    struct party_figures *f = row_of(g, prefix);
    f->admitted += n;
    f->admitted_aged += aged;
    f->admitted_ages += ages;
    return 0;
}

int people_stats(struct app *app, const struct tree *t, const char *unit, const char *date,
                 bool by_children, struct arena *a, struct party_stats *out, struct err *err)
{
    const struct people_defs *d = app->people;
    memset(out, 0, sizeof *out);
    uint32_t node = unit && unit[0] ? tree_find(t, unit, strlen(unit)) : TREE_NONE;
    if (node == TREE_NONE) return err_set_field(err, ERR_INVALID, "unit", "请选择单位");
    if (date && !person_date_ok(date))
        return err_set_field(err, ERR_INVALID, "date", "统计日期须为真实日期，格式如 2026-06-30");
    if (date)
        snprintf(out->date, sizeof out->date, "%s", date);
    else
        clock_today(out->date, 0);
    out->node = node;
    out->year = (int)strtol(out->date, NULL, 10); /* checked: YYYY-MM-DD */
    char after[24];                               /* the last day of the year before */
    snprintf(after, sizeof after, "%04d-12-31", out->year - 1);

    /* the rows: the unit itself, then (by_children) every current child */
    struct gather g = {d, t, a, out, 0, node};
    size_t len = strlen(unit);
    int level = tree_node(t, node)->level;
    struct store_stats_query q = {
        .kind = d->stats.kind->code, .scope = unit, .date = out->date, .prefix_len = (int)len};
    if (by_children && level + 1 < UNIT_LEVEL_COUNT) {
        q.prefix_len = (int)unit_level_digits(level + 1);
        for (uint32_t c = tree_first_child(t, node); c != TREE_NONE; c = tree_next_sibling(t, c))
            row_of(&g, tree_node(t, c)->code);
    }
    /* older than max on the date: born on or before that day max + 1 years earlier */
    const char *born_by[STORE_STATS_BOUNDS];
    for (size_t i = 0; i + 1 < d->stats.nbands && i < STORE_STATS_BOUNDS; i++)
        born_by[q.nbounds++] =
            arena_printf(a, "%04d%s", out->year - d->stats.bands[i].max - 1, out->date + 4);
    q.born_by = born_by;

    struct db *db = store_acquire(app->store);
    int rc = store_member_stats(db, &q, add_group, &g, err);
    if (!rc)
        rc = store_admitted_stats(db, &q, d->stats.admitted_stage, after, add_admitted, &g, err);
    store_release(app->store, db);
    if (rc) return err_wrap(err, "党员统计");

    figures_init(d, a, &out->total);
    for (size_t i = 0; i < out->nrows; i++)
        figures_add(d, &out->total, &out->rows[i].f);
    if (!by_children) out->nrows = 0; /* the one row is the total */
    /* the unit's own members are a row only when there are any */
    if (out->nrows && out->rows[0].own) {
        const struct party_figures *f = &out->rows[0].f;
        bool any = f->admitted > 0;
        for (size_t i = 0; i < d->stats.kind->nstages; i++)
            any = any || f->stages[i] > 0;
        if (!any) {
            out->rows++;
            out->nrows--;
        }
    }
    return ERR_OK;
}
