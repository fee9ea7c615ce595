/*
 * units_apply.c — writing an edition (units_import.h): one transaction for
 * the whole of it, audited unit by unit.
 *
 * In order: the edition's row (its id dates the former names); new units
 * in bulk, level by level so parents come first (a unit the edition adds
 * in a province already in the tree is dated from the edition's day; a
 * province loaded for the first time has no history yet); restored and
 * changed units, each former name kept with the days it held; then each
 * removed unit is retired and what is current of it moves to its
 * successor: open cases (a timeline event each), this year's ratings not
 * yet named, users' scopes and pairs. Past values, closed cases and named
 * ratings stay where they are. Every statement finds its rows by index on
 * one code, so the work is bounded by what moves. Other servers reload
 * their trees on the notice sent at commit.
 */
#include "app/audit_int.h"
#include "app/auth.h"
#include "app/units_edition_int.h"
#include "app/users.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/mem.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDECIDED_NAMED 5 /* removed units an error names before "…" (the message is bounded) */

struct writer {
    struct job *j;
    const struct edition_opts *o;
    struct db *db;
    struct arena *a;
    int64_t edition;
    char at[32];
    const char *day; /* the effective day */
    int year;
    int64_t *uids; /* users whose scope moved: forgotten by every server after commit */
    size_t nuids, uidcap;
};

static int audit(struct writer *w, const char *action, const char *code, const char *before,
                 const char *after, struct err *err)
{
    struct audit_entry e = {.user = w->o->actor->name,
                            .action = action,
                            .entity = arena_printf(w->a, "unit:%s", code),
                            .unit = code,
                            .before = before,
                            .after = after,
                            .client = w->o->client};
    return store_audit_append(w->db, &e, err);
}

static const char *name_json(struct arena *a, const char *name, size_t len, int kind,
                             const char *since)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstrn(&w, "name", name, len);
    jw_kstr_or_null(&w, "kind", kind ? unit_kind_name(kind) : NULL);
    if (since) jw_kstr(&w, "since", since);
    jw_obj_end(&w);
    const char *s = arena_strdup(a, b.p);
    buf_free(&b);
    return s;
}

static const char *day_text(struct arena *a, int32_t day)
{
    if (day == TREE_DAY_FIRST || day == TREE_DAY_LAST) return NULL;
    char *s = arena_alloc(a, 11);
    tree_day_format(day, s);
    return s;
}

/* ---- units ---- */

static int write_new(struct writer *w, struct err *err)
{
    struct job *j = w->j;
    size_t n = 0;
    for (size_t i = 0; i < j->nrows; i++)
        n += j->rows[i].status == ROW_NEW;
    if (!n) return ERR_OK;
    struct db_stmt *copy = NULL;
    int rc = store_units_copy_begin(w->db, &copy, err);
    size_t done = 0;
    for (int level = UNIT_PROVINCE; level < UNIT_LEVEL_COUNT && rc == ERR_OK; level++)
        for (size_t i = 0; i < j->nrows && rc == ERR_OK; i++) {
            const struct row *r = &j->rows[i];
            if (r->level != level || r->status != ROW_NEW) continue;
            bool first = j->first_load[(r->code[0] - '0') * 10 + r->code[1] - '0'];
            struct store_unit u = {r->code, r->code_len,           r->name, r->name_len, r->level,
                                   r->kind, first ? NULL : w->day, NULL,    NULL};
            if ((rc = store_units_copy_row(copy, &u, err))) {
                err_at(err, edition_file_name(j, r->file), r->line, 0);
            }
            if (j->progress && (++done & 0x3fff) == 0) j->progress(j->ctx, "write", done, n);
        }
    if (copy) {
        int end = db_copy_end(copy, rc == ERR_OK, err);
        if (rc == ERR_OK) rc = end;
    }
    /* each new unit audited, but a province loaded for the first time once */
    for (size_t i = 0; i < j->nrows && rc == ERR_OK; i++) {
        const struct row *r = &j->rows[i];
        if (r->status != ROW_NEW || j->first_load[(r->code[0] - '0') * 10 + r->code[1] - '0'])
            continue;
        char code[UNIT_CODE_MAX + 1];
        snprintf(code, sizeof code, "%.*s", r->code_len, r->code);
        rc = audit(w, "unit.add", code, NULL,
                   name_json(w->a, r->name, r->name_len, r->kind, w->day), err);
    }
    return rc;
}

/* A changed or restored unit: its former name closes where the new one
 * begins (not kept when it held for no day), then the row is updated. */
static int write_changed(struct writer *w, const struct row *r, struct err *err)
{
    const struct tree *t = w->j->tree;
    const struct tree_node *n = tree_node(t, r->node);
    bool restored = r->status == ROW_RESTORED;
    int32_t since = tree_since(t, r->node);
    int32_t until = restored ? tree_retired_on(t, r->node) : w->j->day;
    if (since != TREE_DAY_FIRST && since > until) {
        char d[11];
        tree_day_format(since, d);
        return err_set_field(err, ERR_INVALID, "date",
                             "生效日期 %s 早于单位 %s（%s）现名称的启用日期 %s", w->day, n->code,
                             tree_name(t, r->node), d);
    }
    int rc = ERR_OK;
    const char *from = day_text(w->a, since), *to = day_text(w->a, until);
    if (since < until) {
        struct store_unit_name past = {n->code, tree_name(t, r->node),
                                       n->kind ? unit_kind_name(n->kind) : NULL, from, to};
        rc = store_unit_name_add(w->db, &past, w->edition, err);
    }
    struct store_unit u = {r->code, r->code_len, r->name, r->name_len, r->level,
                           r->kind, w->day,      NULL,    NULL};
    if (!rc) rc = store_units_update(w->db, &u, err);
    if (!rc)
        rc = audit(w, restored ? "unit.restore" : "unit.rename", n->code,
                   name_json(w->a, tree_name(t, r->node), n->name_len, n->kind, from),
                   name_json(w->a, r->name, r->name_len, r->kind, w->day), err);
    return rc;
}

/* ---- what moves with a merge ---- */

struct open_case {
    int64_t id;
    const char *unit, *owner, *helper, *escalated;
};

struct moves {
    struct writer *w;
    struct open_case *cases;
    size_t ncases, cap;
    const char **users; /* login names */
    size_t nusers, ucap;
    const char *(*pairs)[3]; /* weak, strong, scheme */
    size_t npairs, pcap;
};

static int keep_case(void *ctx, int64_t id, const char *unit, const char *owner, const char *helper,
                     const char *escalated)
{
    struct moves *m = ctx;
    struct arena *a = m->w->a;
    m->cases = xgrow(m->cases, sizeof *m->cases, m->ncases + 1, &m->cap);
    m->cases[m->ncases++] = (struct open_case){id, arena_strdup(a, unit), arena_strdup(a, owner),
                                               helper ? arena_strdup(a, helper) : NULL,
                                               escalated ? arena_strdup(a, escalated) : NULL};
    return 0;
}

static int keep_user(void *ctx, const char *name)
{
    struct moves *m = ctx;
    m->users = xgrow(m->users, sizeof *m->users, m->nusers + 1, &m->ucap);
    m->users[m->nusers++] = arena_strdup(m->w->a, name);
    return 0;
}

static int keep_pair(void *ctx, const char *weak, const char *strong)
{
    struct moves *m = ctx;
    m->pairs = xgrow(m->pairs, sizeof *m->pairs, m->npairs + 1, &m->pcap);
    m->pairs[m->npairs][0] = arena_strdup(m->w->a, weak);
    m->pairs[m->npairs][1] = arena_strdup(m->w->a, strong);
    m->pairs[m->npairs][2] = NULL;
    m->npairs++;
    return 0;
}

/* The timeline event a moved case gets: which of its units changed. */
static int case_event(struct writer *w, int64_t id, const char *note, const char *changes,
                      struct err *err)
{
    struct case_event ev = {.at = w->at,
                            .actor = w->o->actor->name,
                            .kind = "reassign",
                            .note = note,
                            .evidence = "",
                            .changes = changes};
    return store_case_event_add(w->db, id, &ev, err);
}

static const char *case_changes(struct arena *a, const struct open_case *c, const char *old,
                                const char *new)
{
    struct buf b = BUF_INIT;
    struct jw jw;
    jw_init(&jw, &b);
    jw_obj(&jw);
    const char *fields[][2] = {{"unit", c->unit},
                               {"owner_unit", c->owner},
                               {"helper_unit", c->helper},
                               {"escalated_to", c->escalated}};
    for (size_t k = 0; k < 4; k++) {
        if (!fields[k][1] || strcmp(fields[k][1], old) != 0) continue;
        jw_key(&jw, fields[k][0]);
        jw_arr(&jw);
        jw_str(&jw, old);
        jw_str(&jw, new);
        jw_arr_end(&jw);
    }
    jw_obj_end(&jw);
    const char *s = arena_strdup(a, b.p);
    buf_free(&b);
    return s;
}

/* Moves what is current of old to new (NULL: retired without successor,
 * which is refused when anything current is left). Writes the moved ids
 * and names into the audit JSON in out. */
static int move_current(struct writer *w, const char *old, const char *oname, const char *new,
                        const char *nname, struct jw *out, struct err *err)
{
    struct job *j = w->j;
    struct edition_diff *d = j->diff;
    struct app *app = j->app;
    struct moves m = {.w = w};
    int rc = store_cases_open_at(w->db, old, keep_case, &m, err);
    struct {
        int64_t id;
        const char *scheme;
    } *ratings = xcalloc((size_t)app->nschemes + 1, sizeof *ratings);
    size_t nratings = 0, kept = 0, dropped = 0;
    for (int s = 0; s < app->nschemes && !rc; s++) {
        const struct scheme *sc = app->schemes[s];
        if (sc->year < w->year) continue; /* past years' ratings and pairs are history */
        int64_t id = 0;
        bool final = true;
        rc = store_rating_find(w->db, sc->code, old, &id, err);
        if (rc == ERR_NOT_FOUND) {
            err_clear(err);
            rc = ERR_OK;
        } else if (!rc && !(rc = store_case_final(w->db, id, &final, err)) && !final) {
            ratings[nratings].id = id;
            ratings[nratings++].scheme = sc->code;
        }
        size_t before = m.npairs;
        if (!rc) rc = store_pairings_at(w->db, sc->code, old, keep_pair, &m, err);
        for (size_t k = before; k < m.npairs; k++)
            m.pairs[k][2] = sc->code;
    }
    if (!rc) rc = store_users_rescope(w->db, old, new ? new : old, keep_user, &m, err);
    if (!rc && !new && (m.ncases || nratings || m.nusers || m.npairs))
        rc = err_set_field(err, ERR_INVALID, "map",
                           "%s（%s）撤销后没有去向，但仍有未办结事项 %zu 件、未命名的创建评定 %zu "
                           "个、用户 %zu 个、联建结对 %zu 对：请在对照表中写明并入的单位",
                           old, oname, m.ncases, nratings, m.nusers, m.npairs);
    const char *note =
        new ? arena_printf(w->a, "区划调整：%s（%s）并入 %s（%s）", oname, old, nname, new) : NULL;
    jw_key(out, "cases");
    jw_arr(out);
    for (size_t k = 0; k < m.ncases && !rc; k++) {
        const struct open_case *c = &m.cases[k];
        rc = case_event(w, c->id, note, case_changes(w->a, c, old, new), err);
        if (!rc) rc = store_case_move(w->db, c->id, old, new, w->at, err);
        jw_int(out, c->id);
    }
    jw_arr_end(out);
    jw_key(out, "ratings");
    jw_arr(out);
    for (size_t k = 0; k < nratings && !rc; k++) {
        /* the successor's own rating of that scheme wins; this one stays */
        int64_t other = 0;
        int found = store_rating_find(w->db, ratings[k].scheme, new, &other, err);
        if (found == ERR_OK) {
            kept++;
            ratings[k].id = 0; /* not moved */
            continue;
        }
        if (found != ERR_NOT_FOUND) {
            rc = found;
            break;
        }
        err_clear(err);
        const char *ch = arena_printf(w->a, "{\"unit\":[\"%s\",\"%s\"]}", old, new);
        rc = case_event(w, ratings[k].id, note, ch, err);
        if (!rc) rc = store_rating_move(w->db, ratings[k].id, new, w->at, err);
        jw_int(out, ratings[k].id);
    }
    jw_arr_end(out);
    for (size_t k = 0; k < m.npairs && !rc && new; k++) {
        const char *weak = m.pairs[k][0], *strong = m.pairs[k][1];
        const char *to_weak = strcmp(weak, old) == 0 ? new : weak;
        const char *to_strong = strcmp(strong, old) == 0 ? new : strong;
        const char *scheme = m.pairs[k][2];
        bool taken = false;
        if (strcmp(to_weak, weak) != 0 &&
            (rc = store_pairing_has(w->db, scheme, to_weak, &taken, err)))
            break;
        if (taken || strcmp(to_weak, to_strong) == 0) {
            rc = store_pairing_delete(w->db, scheme, weak, err);
            dropped++;
        } else {
            rc = store_pairing_move(w->db, scheme, weak, to_weak, to_strong, err);
        }
    }
    /* what verify compares the rows with: the moved cases' and users' images */
    int64_t *ids = xcalloc(m.ncases + nratings + 1, sizeof *ids);
    size_t nids = 0;
    for (size_t k = 0; k < m.ncases; k++)
        ids[nids++] = m.cases[k].id;
    for (size_t k = 0; k < nratings; k++)
        if (ratings[k].id) ids[nids++] = ratings[k].id;
    if (!rc && nids) {
        struct audit_entry e = {.user = w->o->actor->name,
                                .action = "cases.move",
                                .entity = arena_printf(w->a, "unit:%s", old),
                                .unit = new,
                                .client = w->o->client};
        rc = audit_case_after(app, w->db, w->a, ids, nids, NULL, &e.after, err);
        if (!rc) rc = store_audit_append(w->db, &e, err);
    }
    free(ids);
    for (size_t k = 0; k < m.nusers && !rc && new; k++) {
        w->uids = xgrow(w->uids, sizeof *w->uids, w->nuids + 1, &w->uidcap);
        rc = users_moved(app, w->db, w->a, m.users[k], w->o->actor->name, w->o->client,
                         &w->uids[w->nuids++], err);
    }
    jw_key(out, "users");
    jw_arr(out);
    for (size_t k = 0; k < m.nusers; k++)
        jw_str(out, m.users[k]);
    jw_arr_end(out);
    jw_kint(out, "pairs", (int64_t)m.npairs);
    if (kept) jw_kint(out, "ratings_kept", (int64_t)kept);
    if (!rc) {
        d->moved_cases += m.ncases;
        d->moved_ratings += nratings - kept;
        d->kept_ratings += kept;
        d->moved_users += m.nusers;
        d->moved_pairs += m.npairs - dropped;
        d->dropped_pairs += dropped;
    }
    free(ratings);
    free(m.cases);
    free(m.pairs);
    free(m.users);
    return rc;
}

static int write_removal(struct writer *w, const struct removal *rm, struct err *err)
{
    const struct tree *t = w->j->tree;
    const char *old = tree_node(t, rm->node)->code, *oname = tree_name(t, rm->node);
    const char *new = rm->target[0] ? rm->target : NULL;
    const char *nname = "";
    int32_t since = tree_since(t, rm->node);
    if (since != TREE_DAY_FIRST && since > w->j->day) {
        char d[11];
        tree_day_format(since, d);
        return err_set_field(err, ERR_INVALID, "date",
                             "生效日期 %s 早于单位 %s（%s）现名称的启用日期 %s", w->day, old, oname,
                             d);
    }
    for (size_t k = 0; new &&k < w->j->diff->nchanges; k++) /* the name it will have */
        if (strcmp(w->j->diff->changes[k].code, old) == 0 && w->j->diff->changes[k].target_name)
            nname = w->j->diff->changes[k].target_name;
    struct buf after = BUF_INIT;
    struct jw jw;
    jw_init(&jw, &after);
    jw_obj(&jw);
    jw_kstr(&jw, "retired", w->day);
    jw_kstr_or_null(&jw, "successor", new);
    jw_kstr(&jw, "outcome", edition_outcome_name(rm->outcome));
    int rc = store_unit_retire(w->db, old, w->day, new, err);
    if (!rc) rc = move_current(w, old, oname, new, nname, &jw, err);
    jw_obj_end(&jw);
    if (!rc)
        rc = audit(w, "unit.retire", old, name_json(w->a, oname, strlen(oname), 0, NULL), after.p,
                   err);
    buf_free(&after);
    return rc;
}

/* ---- the transaction ---- */

/* Units removed with their parent (grids, buildings) follow its line, so
 * the message names only the units a line must be written for. */
static int undecided(struct job *j, struct err *err)
{
    size_t n = 0, below = 0;
    struct buf b = BUF_INIT;
    for (size_t k = 0; k < j->diff->nchanges; k++) {
        const struct edition_change *c = &j->diff->changes[k];
        if (!(c->what & EDITION_REMOVED) || c->outcome != EDITION_UNDECIDED) continue;
        if (c->cascade) {
            below++;
            continue;
        }
        if (n++ < UNDECIDED_NAMED) {
            buf_printf(&b, "%s%s %s", n > 1 ? "、" : "", c->code, c->name);
            if (c->suggestion[0])
                buf_printf(&b, "（可能迁至 %s %s）", c->suggestion, c->target_name);
        }
    }
    if (!n && !below) return ERR_OK;
    char with[64] = "";
    if (below) snprintf(with, sizeof with, "（其下 %zu 个网格等随之而定）", below);
    err_setf(err, ERR_INVALID, "map",
             "新版区划撤销了 %zu 个单位%s，须在对照表（old_code,new_code；new_code 为空表示撤销）"
             "中写明每个单位的去向：%s%s",
             n, with, b.p, n > UNDECIDED_NAMED ? "…" : "");
    buf_free(&b);
    return ERR_INVALID;
}

static const char *summary_json(struct arena *a, const struct edition_diff *d)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    const struct edition_counts *c = &d->total;
    jw_kint(&w, "added", (int64_t)c->added);
    jw_kint(&w, "renamed", (int64_t)c->renamed);
    jw_kint(&w, "rekinded", (int64_t)c->rekinded);
    jw_kint(&w, "removed", (int64_t)c->removed);
    jw_kint(&w, "merged", (int64_t)c->merged);
    jw_kint(&w, "moved", (int64_t)c->moved);
    jw_kint(&w, "recoded", (int64_t)c->recoded);
    jw_kint(&w, "retired", (int64_t)c->retired);
    jw_kint(&w, "restored", (int64_t)c->restored);
    jw_obj_end(&w);
    const char *s = arena_strdup(a, b.p);
    buf_free(&b);
    return s;
}

int edition_apply(struct job *j, const struct edition_opts *o, struct err *err)
{
    struct edition_diff *d = j->diff;
    int rc = undecided(j, err);
    if (rc) return rc;
    const struct edition_counts *t = &d->total;
    if (t->added + t->renamed + t->rekinded + t->removed + t->restored == 0) return ERR_OK;
    struct writer w = {.j = j,
                       .o = o,
                       .a = d->arena,
                       .day = d->effective,
                       .year = (int)strtol(d->effective, NULL, 10)};
    auth_now_iso(w.at);
    w.db = store_acquire(j->app->store);
    rc = db_begin(w.db, true, err);
    const char *summary = summary_json(w.a, d);
    if (!rc)
        rc = store_unit_edition_insert(w.db, d->effective, o->source ? o->source : "", summary,
                                       o->actor->name, w.at, &w.edition, err);
    if (!rc) rc = write_new(&w, err);
    for (size_t i = 0; i < j->nrows && !rc; i++)
        if (j->rows[i].status == ROW_CHANGED || j->rows[i].status == ROW_RESTORED)
            rc = write_changed(&w, &j->rows[i], err);
    for (size_t k = 0; k < j->nremoved && !rc; k++)
        rc = write_removal(&w, &j->removed[k], err);
    if (!rc) {
        /* the edition as a whole, and the provinces loaded for the first time */
        struct buf b = BUF_INIT;
        buf_printf(&b, "{\"edition\":%lld,\"effective\":\"%s\",\"summary\":%s,\"first_load\":[",
                   (long long)w.edition, d->effective, summary);
        size_t nfirst = 0;
        for (int p = 10; p < 90; p++)
            if (j->first_load[p] && d->province[p].added)
                buf_printf(&b, "%s\"%02d\"", nfirst++ ? "," : "", p);
        buf_puts(&b, "]}");
        struct audit_entry e = {.user = o->actor->name,
                                .action = "units.edition",
                                .entity = arena_printf(w.a, "edition:%lld", (long long)w.edition),
                                .after = b.p,
                                .client = o->client};
        rc = store_audit_append(w.db, &e, err);
        buf_free(&b);
    }
    if (!rc) rc = db_notify(w.db, APP_CHANGED_TREE, err); /* other servers reload */
    if (!rc) rc = db_commit(w.db, err);
    if (rc) db_rollback(w.db);
    store_release(j->app->store, w.db);
    for (size_t k = 0; k < w.nuids && !rc; k++)
        auth_forget_user(j->app, w.uids[k]);
    free(w.uids);
    if (!rc) {
        d->applied = true;
        d->edition = w.edition;
        if (j->progress) j->progress(j->ctx, "write", 1, 1);
    } else {
        d->moved_cases = d->moved_ratings = d->kept_ratings = d->moved_users = 0;
        d->moved_pairs = d->dropped_pairs = 0;
    }
    return rc;
}
