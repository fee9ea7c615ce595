/* notify.c — who hears of a case step; a reader's notifications (notify.h). */
#include "app/notify.h"
#include "app/kinds.h"
#include "base/clock.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define PERMS_MAX 8

struct heard {
    struct arena *a;
    struct store_recipient *r;
    size_t n, cap;
};

static int keep_recipient(void *ctx, const struct store_recipient *r)
{
    struct heard *h = ctx;
    h->r = arena_grow(h->a, h->r, sizeof *h->r, h->n, h->n + 1, &h->cap);
    h->r[h->n++] = (struct store_recipient){
        arena_strdup(h->a, r->username), arena_strdup(h->a, r->scope), arena_strdup(h->a, r->perm)};
    return 0;
}

/* The owner unit and the units above it, nearest first, then "" (the
 * accounts of the whole tree). */
static int chain_of(struct app *app, const char *owner, const char **units, struct arena *a)
{
    struct tree *t = app_tree(app);
    uint32_t path[STORE_RECIPIENT_UNITS];
    uint32_t i = tree_find(t, owner, strlen(owner));
    size_t depth = i == TREE_NONE ? 0 : tree_path(t, i, path, STORE_RECIPIENT_UNITS - 1);
    int n = 0;
    for (size_t k = depth; k-- > 0;)
        units[n++] = arena_strdup(a, tree_node(t, path[k])->code);
    units[n++] = "";
    tree_unref(t);
    return n;
}

static bool listed(const char *const *list, const char *perm)
{
    for (; *list; list++)
        if (strcmp(*list, perm) == 0) return true;
    return false;
}

/* Who hears: the owner's accounts for its own steps, the nearest reviewing
 * unit's for the review steps. */
struct audience {
    const char *const *owner_perms, *const *above_perms;
    size_t owner_len, above_len; /* scope lengths; above_len 0 with no reviewer */
    bool any_above;
};

static bool hears(const struct audience *w, const struct store_recipient *r)
{
    size_t len = strlen(r->scope);
    return (len == w->owner_len && listed(w->owner_perms, r->perm)) ||
           (w->any_above && len == w->above_len && listed(w->above_perms, r->perm));
}

void notify_link(const struct app *app, const struct notification *x, char *out, size_t cap)
{
    const struct wf_kind *k = x->case_id ? kinds_find(app, x->kind) : NULL;
    if (!x->case_id)
        snprintf(out, cap, "#/notices/%lld", (long long)x->notice_id);
    else if (k && k->subject == CASE_RATING)
        snprintf(out, cap, "#/ratings/%s", x->unit);
    else if (k && k->subject == CASE_POINTS) /* the approvals queue of its branch */
        snprintf(out, cap, "#/party?tab=points&unit=%s", x->unit);
    else
        snprintf(out, cap, "#/items/%lld", (long long)x->case_id);
}

int64_t notify_push_from(const struct app *app)
{
    return app->cfg.webhook_url[0] ? (int64_t)clock_now() : -1;
}

/* What a person is told happened; NULL: nothing worth telling (a comment,
 * an answer being filled in). */
static const char *what_of(const struct wf_kind *k, const struct case_event *ev)
{
    static const struct {
        const char *kind, *what;
    } said[] = {{"create", "新建"}, {"reassign", "转办"}, {"objection", "收到异议"}};
    if (strcmp(ev->kind, "transition") == 0) {
        const struct wf_transition *tr = wf_transition_find(k, ev->transition);
        return tr ? tr->label : NULL;
    }
    for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
        if (strcmp(ev->kind, said[i].kind) == 0) return said[i].what;
    return NULL;
}

int notify_case(struct app *app, struct db *db, const struct case_full *f,
                const struct case_event *ev, struct arena *a, struct err *err)
{
    const char *what = what_of(f->kind, ev);
    if (!what) return ERR_OK;
    const char *owner_perms[PERMS_MAX], *above_perms[PERMS_MAX];
    wf_waiting(f->kind, wf_state_index(f->kind, f->c.state), owner_perms, above_perms, PERMS_MAX);
    if (!owner_perms[0] && !above_perms[0]) return ERR_OK;
    const char *units[STORE_RECIPIENT_UNITS];
    int nunits = chain_of(app, f->c.owner_unit, units, a);
    struct heard h = {.a = a};
    int rc = store_recipients(db, units, nunits, keep_recipient, &h, err);
    if (rc) return rc;
    struct audience w = {owner_perms, above_perms, strlen(f->c.owner_unit), 0, false};
    for (size_t i = 0; i < h.n; i++) { /* the nearest unit above the owner that reviews */
        size_t len = strlen(h.r[i].scope);
        if (len < w.owner_len && listed(above_perms, h.r[i].perm) &&
            (!w.any_above || len > w.above_len))
            w.above_len = len, w.any_above = true;
    }
    struct notification x = {.at = ev->at,
                             .unit = f->c.owner_unit,
                             .kind = f->c.kind,
                             .case_id = f->c.id,
                             .what = what,
                             .title = f->c.title && f->c.title[0] ? f->c.title : f->kind->name};
    int64_t push = notify_push_from(app);
    for (size_t i = 0; i < h.n && !rc; i++) {
        const struct store_recipient *r = &h.r[i];
        if (!hears(&w, r) || strcmp(r->username, ev->actor) == 0) continue;
        bool dup = false; /* rows come by username: one per person */
        for (size_t k = i; k-- > 0 && strcmp(h.r[k].username, r->username) == 0 && !dup;)
            dup = hears(&w, &h.r[k]);
        if (dup) continue;
        x.username = r->username;
        rc = store_notification_add(db, &x, push, err);
    }
    return rc;
}

int notify_list(struct app *app, const struct auth_user *reader, bool unread, int64_t before_id,
                int limit, int (*fn)(void *ctx, const struct notification *x), void *ctx,
                struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_notifications_list(db, reader->name, reader->scope, unread, before_id, limit, fn,
                                      ctx, err);
    store_release(app->store, db);
    return rc;
}

int notify_unread(struct app *app, const struct auth_user *reader, int64_t *n, struct err *err)
{
    struct db *db = store_acquire(app->store);
    int rc = store_notifications_unread(db, reader->name, reader->scope, n, err);
    store_release(app->store, db);
    return rc;
}

int notify_read(struct app *app, const struct auth_user *reader, int64_t id, int64_t *changed,
                struct err *err)
{
    char at[32];
    auth_now_iso(at);
    struct db *db = store_acquire(app->store);
    int rc = store_notifications_read(db, reader->name, id, at, changed, err);
    store_release(app->store, db);
    return rc;
}

int notify_read_case(struct app *app, const struct auth_user *reader, int64_t case_id,
                     struct err *err)
{
    char at[32];
    auth_now_iso(at);
    struct db *db = store_acquire(app->store);
    int rc = store_notifications_read_of(db, reader->name, case_id, 0, at, err);
    store_release(app->store, db);
    return rc;
}
