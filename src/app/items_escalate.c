/* items_escalate.c — 督办: overdue items reported to the unit above their
 * owner, once, in one transaction (items.h). */
#include "app/items.h"
#include "app/kinds.h"
#include "io/json_out.h"
#include "store/store.h"

#include <string.h>

struct overdue {
    struct app *app;
    struct arena *a;
    struct tree *t;
    struct case_full *f; /* the overdue cases, escalated to their owner's parent */
    const char **notes;  /* what each one's timeline says */
    size_t n, cap, ncap;
    const char *at;
};

/* Each overdue case of an item kind whose owner has a unit above it. */
static int collect(void *ctx, const struct case_row *c)
{
    struct overdue *o = ctx;
    const struct wf_kind *k = items_kind(o->app, c->kind);
    uint32_t u = tree_find(o->t, c->owner_unit, strlen(c->owner_unit));
    uint32_t p = u == TREE_NONE ? TREE_NONE : tree_node(o->t, u)->parent;
    if (!k || p == TREE_NONE) return 0; /* a province has no one above it here */
    o->f = arena_grow(o->a, o->f, sizeof *o->f, o->n, o->n + 1, &o->cap);
    o->notes = arena_grow(o->a, o->notes, sizeof *o->notes, o->n, o->n + 1, &o->ncap);
    struct case_full *f = &o->f[o->n];
    *f = (struct case_full){.c = *c, .kind = k};
    case_row_keep(o->a, &f->c); /* the row's strings live only until the next row */
    f->c.escalated_to = arena_strdup(o->a, tree_node(o->t, p)->code);
    f->c.updated_at = o->at;
    o->notes[o->n++] =
        arena_printf(o->a, "已超过期限 %s，已提请上级 %s 督办", c->deadline, tree_name(o->t, p));
    return 0;
}

int items_escalate(struct app *app, const char *today, size_t *n, struct err *err)
{
    *n = 0;
    if (!items_valid_date(today)) return err_set(err, ERR_INVALID, "日期须写作 2026-12-31");
    struct arena *a = arena_new();
    char at[32];
    auth_now_iso(at);
    struct overdue o = {.app = app, .a = a, .t = app_tree(app), .at = at};
    struct db *db = store_acquire(app->store);
    int rc = store_cases_overdue(db, today, collect, &o, err);
    store_release(app->store, db);
    struct buf ids = BUF_INIT;
    struct jw w;
    jw_init(&w, &ids);
    jw_arr(&w);
    for (size_t i = 0; i < o.n; i++)
        jw_int(&w, o.f[i].c.id);
    jw_arr_end(&w);
    struct case_change *ch = arena_zalloc(a, (o.n ? o.n : 1) * sizeof *ch);
    for (size_t i = 0; i < o.n; i++)
        ch[i] = (struct case_change){
            .f = &o.f[i],
            .ev = {.at = at, .actor = AUTH_SYSTEM_NAME, .kind = "comment", .note = o.notes[i]}};
    struct case_many m = {.changes = ch,
                          .n = o.n,
                          .audit = {.user = AUTH_SYSTEM_NAME,
                                    .action = "item.escalate",
                                    .entity = arena_printf(a, "escalation:%s", today),
                                    .after = ids.p}};
    if (!rc && o.n) rc = cases_save_many(app, &m, AUTH_CLI_NAME, a, err);
    if (!rc) *n = o.n;
    buf_free(&ids);
    tree_unref(o.t);
    arena_free(a);
    return rc;
}
