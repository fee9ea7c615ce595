/* points_attendance.c — the points an event's attendance earns (points.h,
 * rules with source "event"), written in the events engine's transaction:
 * point entries without a case, counted at once or withdrawn. */
#include "app/audit.h"
#include "app/events.h"
#include "app/people.h"
#include "app/points.h"
#include "base/mem.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define SOURCE "event"

/* What the event's attendance should earn and what it has earned. */
struct earned {
    struct arena *a;
    struct case_points *rows; /* existing entries of this event */
    size_t n, cap;
};

static int keep_entry(void *ctx, const struct case_points *p)
{
    struct earned *x = ctx;
    x->rows = arena_grow(x->a, x->rows, sizeof *x->rows, x->n, x->n + 1, &x->cap);
    x->rows[x->n++] = *p;
    return 0;
}

struct present {
    struct arena *a;
    const struct app *app;
    struct participant_row *rows;
    size_t n, cap;
};

static int keep_present(void *ctx, const struct participant_row *p)
{
    struct present *x = ctx;
    const struct attendance_code *c = events_attendance(x->app, p->attendance);
    if (!c || !c->present) return 0;
    x->rows = arena_grow(x->a, x->rows, sizeof *x->rows, x->n, x->n + 1, &x->cap);
    x->rows[x->n++] = *p;
    return 0;
}

/* The unit of the person's party membership (member stages) holding on day. */
struct member_on {
    const struct people_kind *k;
    const char *day, *unit;
};

static int find_member(void *ctx, const struct membership_row *m)
{
    struct member_on *x = ctx;
    char stage[64];
    snprintf(stage, sizeof stage, ",%s,", m->stage);
    if (strstr(x->k->member_stages, stage) && strcmp(m->from_date, x->day) <= 0 &&
        (!m->to_date[0] || strcmp(m->to_date, x->day) > 0))
        x->unit = m->unit;
    return 0;
}

static bool earns(const struct points_rule *r, const char *type)
{
    char needle[80];
    int n = snprintf(needle, sizeof needle, ",%s,", type);
    return r->event_types && n > 0 && (size_t)n < sizeof needle && strstr(r->event_types, needle);
}

struct writer {
    struct app *app;
    struct db *db;
    const struct event_row *e;
    const char *ref; /* the event's id, the entries' source_ref */
    struct arena *a;
    size_t added, withdrawn;
};

/* A new entry, counted at once. */
static int add_entry(struct writer *w, const struct points_rule *r, int64_t person,
                     const char *unit, struct err *err)
{
    struct case_points p = {.person_id = person,
                            .unit = unit,
                            .rule = r->code,
                            .day = w->e->day,
                            .source = SOURCE,
                            .source_ref = w->ref,
                            .points = r->points,
                            .counted = true};
    w->added++;
    return store_points_insert(w->db, &p, err);
}

/* An existing entry counted (again, on the event's day), or withdrawn. */
static int recount(struct writer *w, const struct case_points *p, bool counted, struct err *err)
{
    struct case_points c = *p;
    c.counted = counted;
    if (counted) {
        c.day = w->e->day;
        w->added++;
    } else {
        w->withdrawn++;
    }
    return store_points_update(w->db, &c, err);
}

static const struct case_points *entry_of(const struct earned *x, int64_t person, const char *rule)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->rows[i].person_id == person && strcmp(x->rows[i].rule, rule) == 0)
            return &x->rows[i];
    return NULL;
}

/* A present participant's entry of rule r: new or counted again when the
 * person is a member on the day and the caps allow it, else nothing (and
 * one counted on another day, the event having moved, is withdrawn). */
static int earn(struct writer *w, const struct earned *had, const struct points_rule *r,
                const struct participant_row *p, struct err *err)
{
    const struct case_points *old = entry_of(had, p->person_id, r->code);
    if (old && old->counted && strcmp(old->day, w->e->day) == 0) return ERR_OK;
    bool drop = old && old->counted; /* when it is no longer earned */
    struct member_on m = {people_kind(w->app, w->app->points->member_kind), w->e->day, NULL};
    int rc =
        store_memberships_of_person(w->db, w->a, p->person_id, m.k->code, find_member, &m, err);
    if (rc) return rc;
    if (!m.unit) return drop ? recount(w, old, false, err) : ERR_OK;
    struct err over;
    err_clear(&over);
    rc = points_within_caps(w->app, w->db, r, p->person_id, w->e->day, false, old ? old->id : 0,
                            &over);
    if (rc == ERR_INVALID) /* above a cap: not earned */
        return drop ? recount(w, old, false, err) : ERR_OK;
    if (rc) {
        *err = over;
        return rc;
    }
    return old ? recount(w, old, true, err) : add_entry(w, r, p->person_id, m.unit, err);
}

int points_attendance(struct app *app, struct db *db, const struct auth_user *actor,
                      const struct event_row *e, const char *client, struct arena *a, bool *changed,
                      struct err *err)
{
    *changed = false;
    const struct points_defs *defs = app->points;
    bool any = false;
    for (size_t i = 0; i < defs->nrules; i++)
        any = any || earns(&defs->rules[i], e->type);
    if (!any) return ERR_OK;
    const char *ref = arena_printf(a, "%lld", (long long)e->id);
    struct writer w = {app, db, e, ref, a, 0, 0};
    struct earned had = {.a = a};
    struct present now = {.a = a, .app = app};
    int rc = store_points_by_source(db, a, SOURCE, ref, keep_entry, &had, err);
    if (!rc && strcmp(e->status, "held") == 0)
        rc = store_event_participants(db, a, e->id, keep_present, &now, err);
    for (size_t i = 0; i < now.n && !rc; i++)
        for (size_t r = 0; r < defs->nrules && !rc; r++)
            if (earns(&defs->rules[r], e->type))
                rc = earn(&w, &had, &defs->rules[r], &now.rows[i], err);
    for (size_t i = 0; i < had.n && !rc; i++) {
        bool still = false;
        for (size_t k = 0; k < now.n; k++)
            still = still || now.rows[k].person_id == had.rows[i].person_id;
        if (had.rows[i].counted && !still) rc = recount(&w, &had.rows[i], false, err);
    }
    if (rc || !(w.added || w.withdrawn)) return rc;
    *changed = true;
    if ((rc = db_notify(db, APP_CHANGED_ELEMENT POINTS_CHANGED, err))) return rc;
    struct audit_entry ae = {
        .user = actor->name,
        .action = "points.attendance",
        .entity = arena_printf(a, "event:%lld", (long long)e->id),
        .unit = e->unit,
        .after = arena_printf(a, "{\"counted\":%zu,\"withdrawn\":%zu}", w.added, w.withdrawn),
        .client = client};
    return store_audit_append(db, &ae, err);
}
