/* rating_checklist.c — the creation checklist (创建工作清单): the gaps of
 * the stars a unit's target needs, as work items of one batch (ratings.h). */
#include "app/items.h"
#include "app/ratings_int.h"

#include <string.h>

/* ---- the creation checklist ---- */

/* The stars the target needs beyond those qualified now: the prerequisite
 * first, then the nearest to passing (highest share of the pass score). */
static int choose_stars(const struct scheme *s, const struct rating_result *res, int target,
                        bool *chosen)
{
    int have = 0, n = 0;
    for (int k = 0; k < s->ncategories; k++)
        have += res->r.stars[k].qualified;
    int p = s->prerequisite;
    if (p >= 0 && !res->r.stars[p].qualified) {
        chosen[p] = true;
        n++;
        have++;
    }
    while (have < target) {
        int best = -1;
        for (int k = 0; k < s->ncategories; k++)
            if (!chosen[k] && !res->r.stars[k].qualified &&
                (best < 0 || res->r.stars[k].score / s->categories[k].pass_score >
                                 res->r.stars[best].score / s->categories[best].pass_score))
                best = k;
        if (best < 0) break;
        chosen[best] = true;
        n++;
        have++;
    }
    return n;
}

int ratings_checklist(struct app *app, const struct auth_user *actor, const char *scheme,
                      const char *unit, const char *assignee, const char *helper_unit,
                      const char *deadline, const char *client, struct arena *a, int64_t *batch,
                      struct case_row **items, size_t *n, struct err *err)
{
    const struct scheme *s = ratings_scheme(app, scheme);
    struct case_full *r = arena_zalloc(a, sizeof *r);
    int rc = s ? ratings_get(app, a, scheme, unit, r, err)
               : err_set_field(err, ERR_INVALID, "scheme", "没有创建标准 %s", scheme ? scheme : "");
    if (!rc && r->rating.checklist)
        rc = err_set(err, ERR_CONFLICT, "已生成过创建清单（批次 %lld）",
                     (long long)r->rating.checklist);
    if (!rc && r->c.final) rc = err_set(err, ERR_INVALID, "已命名，无需创建清单");
    struct rating_result *res = arena_zalloc(a, sizeof *res);
    if (!rc) rc = ratings_result(app, s, unit, r, res, err);
    if (rc) return rc;
    bool chosen[SCHEME_CATEGORIES_MAX] = {0};
    choose_stars(s, res, r->rating.target, chosen);
    struct item_input *in = arena_zalloc(a, (size_t)(s->nindicators + s->nvetoes) * sizeof *in);
    size_t count = 0;
    for (int i = 0; i < s->nindicators; i++) {
        const struct scheme_indicator *ind = &s->indicators[i];
        const struct scheme_indicator_score *sc = &res->r.scores[i];
        if (!chosen[ind->category] || sc->why == SCHEME_WHY_FULL) continue;
        const char *star = s->categories[ind->category].name;
        in[count++] = (struct item_input){
            .type = "problem",
            .title =
                arena_printf(a, "【%s】%s（得分 %g / %g）", star, ind->name, sc->score, ind->max),
            .description = arena_printf(a, "%s（%s）", scheme_why_label(sc->why), s->name),
            .measures = ind->guide, /* 对照考评细则 */
            .unit = unit,
            .owner_unit = unit,
            .helper_unit = helper_unit,
            .assignee = assignee,
            .category = star,
            .deadline = deadline,
            .immediate = -1,
        };
    }
    for (int v = 0; v < s->nvetoes; v++)
        if (chosen[s->vetoes[v].category] && res->r.vetoed[v])
            in[count++] = (struct item_input){
                .type = "problem",
                .title = arena_printf(a, "【%s】消除否决项：%s",
                                      s->categories[s->vetoes[v].category].name, s->vetoes[v].name),
                .description = s->vetoes[v].guide,
                .unit = unit,
                .owner_unit = unit,
                .helper_unit = helper_unit,
                .assignee = assignee,
                .category = s->categories[s->vetoes[v].category].name,
                .deadline = deadline,
                .priority = 1,
                .immediate = -1,
            };
    if (count == 0)
        return err_set(err, ERR_INVALID, "已达到争创%d星所需的条件，没有需要补齐的指标",
                       r->rating.target);
    const char *title = arena_printf(a, "%s创建工作清单", s->name);
    char now[32];
    auth_now_iso(now);
    r->c.updated_at = arena_strdup(a, now);
    /* the rating links to the batch in the transaction that writes it */
    struct case_change link = {.f = r,
                               .batch_into = &r->rating.checklist,
                               .ev = {.at = r->c.updated_at,
                                      .actor = actor->name,
                                      .kind = "checklist",
                                      .note = arena_printf(a, "生成创建工作清单 %zu 项", count)}};
    if ((rc = items_create_list(app, actor, in, count, title, &link, client, a, batch, items, err)))
        return rc;
    *n = count;
    return ERR_OK;
}
