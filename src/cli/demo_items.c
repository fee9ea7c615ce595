/* demo_items.c — 5. weekly dispatch, residents' requests and hazards of a
 * demo county, and the walk that moves a case along its kind (demo.h). */
#include "cli/demo.h"
#include "app/kinds.h"

#include <inttypes.h>
#include <string.h>

/* The kind's main line ends in its last final state (a request can also be
 * rejected, but most are closed). */
static int last_final(const struct wf_kind *k)
{
    int last = -1;
    for (int s = 0; s < k->nstates; s++)
        if (k->states[s].flags & WF_FINAL) last = s;
    return last;
}

int demo_walk(struct demo *d, struct arena *a, int64_t id, int n, size_t *taken)
{
    struct case_full f;
    int rc = cases_load(d->app, a, id, &f, &d->e);
    if (rc) return err_wrap(&d->e, "case %" PRId64, id);
    const struct wf_transition *path[WF_STATES_MAX];
    int len =
        wf_path(f.kind, wf_state_index(f.kind, f.c.state), last_final(f.kind), path, WF_STATES_MAX);
    for (int i = 0; i < len && i < n; i++) {
        const struct wf_transition *tr = path[i];
        if (strcmp(tr->perm, WF_PERM_SUBMITTER) == 0) break; /* the resident's to take */
        struct case_step step = {.note = tr->label};
        if (tr->needs & WF_NEED_EVIDENCE) step.evidence = "现场照片、会议记录已归档";
        if (tr->needs & WF_NEED_ASSIGNEE) step.assignee = "网格员";
        if (tr->needs & WF_NEED_RATING) step.rating = 5;
        if (cases_step(d->app, d->actor, id, tr->code, &step, AUTH_CLI_NAME, a, NULL, &d->e))
            return err_wrap(&d->e, "case %" PRId64 " %s", id, tr->code);
        ++*taken;
    }
    return ERR_OK;
}

static const struct {
    const char *title, *description;
} demo_dispatch[] = {
    {"报送本周“五星”支部创建工作进展",
     "各乡镇汇总所辖村（社区）本周创建进展、存在问题和下步打算，周五前报县委组织部"},
    {"开展冬季森林防火和秸秆禁烧巡查", "组织网格员开展巡查，发现火点及时处置并报告"},
    {"排查整治农村人居环境突出问题", "对照生态宜居星细则，排查垃圾积存、污水乱排等问题，建立台账"},
};

static const struct {
    const char *category, *title, *description;
} demo_requests[] = {
    {"环境卫生", "村口垃圾清运不及时", "村口垃圾收集点垃圾堆积，气味较大，希望尽快清运"},
    {"道路交通", "村内路灯损坏", "主街有三盏路灯不亮，夜间出行不便"},
    {"供水供电", "自来水水压偏低", "近一周早晚用水高峰时水压偏低"},
    {"邻里纠纷", "宅基地边界争议", "两户因宅基地边界发生争议，请求村里调解"},
    {"治安", "夜间有车辆乱停放", "小学门口夜间车辆乱停放，影响通行"},
};

static const struct {
    const char *category, *title;
} demo_hazards[] = {
    {"消防安全", "柴草堆放占用消防通道"},
    {"用电安全", "农户私拉乱接电线"},
    {"房屋安全", "闲置危房未设警示标志"},
    {"燃气安全", "餐馆液化气瓶未固定"},
};

/* Weekly dispatch to every township, some moved along. */
static int write_dispatch(struct demo *d, struct arena *a)
{
    const char **codes = arena_alloc(a, (d->ntownships ? d->ntownships : 1) * sizeof *codes);
    for (size_t t = 0; t < d->ntownships; t++)
        codes[t] = tree_node(d->tree, d->townships[t])->code;
    struct rng r = rng_for(d->seed, "dispatch", P_WORK);
    for (size_t b = 0; b < sizeof demo_dispatch / sizeof demo_dispatch[0]; b++) {
        struct item_input in = {.type = "dispatch",
                                .title = demo_dispatch[b].title,
                                .description = demo_dispatch[b].description,
                                .immediate = -1};
        int64_t batch;
        struct case_row *items;
        int rc = items_create_batch(d->app, d->actor, &in, codes, d->ntownships, AUTH_CLI_NAME, a,
                                    &batch, &items, &d->e);
        if (rc) return err_wrap(&d->e, "dispatch batch");
        d->batches++;
        d->dispatched += d->ntownships;
        for (size_t i = 0; i < d->ntownships && !rc; i++)
            if (rng_chance(&r, 0.8))
                rc = demo_walk(d, a, items[i].id, 1 + (int)rng_below(&r, 3), &d->steps);
        if (rc) return rc;
    }
    return ERR_OK;
}

/* A unit of township t chosen by r; NULL if it has none. */
static const struct demo_unit *unit_in(const struct demo *d, size_t t, struct rng *r)
{
    size_t first = d->n, count = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->units[i].township == t) {
            if (first == d->n) first = i;
            count++;
        }
    return count ? &d->units[first + rng_below(r, count)] : NULL;
}

/* Two residents' requests and one or two hazards per township. */
static int write_requests(struct demo *d, struct arena *a)
{
    struct rng r = rng_for(d->seed, "requests", P_WORK);
    for (size_t t = 0; t < d->ntownships; t++) {
        for (int k = 0; k < 4; k++) {
            const struct demo_unit *u = unit_in(d, t, &r);
            if (!u || (k == 3 && rng_chance(&r, 0.5))) continue;
            bool hazard = k >= 2;
            struct item_input in = {.unit = u->code, .immediate = -1};
            if (hazard) {
                size_t h = rng_below(&r, sizeof demo_hazards / sizeof demo_hazards[0]);
                in.type = "hazard";
                in.title = demo_hazards[h].title;
                in.category = demo_hazards[h].category;
            } else {
                size_t q = rng_below(&r, sizeof demo_requests / sizeof demo_requests[0]);
                in.type = "request";
                in.title = demo_requests[q].title;
                in.description = demo_requests[q].description;
                in.category = demo_requests[q].category;
            }
            int steps = (int)rng_below(&r, hazard ? 4 : 5);
            struct case_row it;
            int rc = items_create(d->app, d->actor, &in, AUTH_CLI_NAME, a, &it, &d->e);
            if (rc) return err_wrap(&d->e, "%s of %s", in.type, u->code);
            *(hazard ? &d->hazards : &d->requests) += 1;
            if ((rc = demo_walk(d, a, it.id, steps, &d->steps))) return rc;
        }
    }
    return ERR_OK;
}

int demo_write_items(struct demo *d)
{
    struct arena *a = arena_new();
    int rc = write_dispatch(d, a);
    if (!rc) rc = write_requests(d, a);
    arena_free(a);
    return rc;
}
