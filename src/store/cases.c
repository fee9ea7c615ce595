/* cases.c — cases, their timelines, attached files and batches (store.h). */
#include "store/store.h"

#include <string.h>

#define CASE_COLS                                                                                  \
    "id, kind, title, description, unit, owner_unit, coalesce(helper_unit, '') AS helper_unit, "   \
    "assignee, measures, category, priority, coalesce(deadline, '') AS deadline, location, "       \
    "immediate, state, final, coalesce(rating, 0) AS rating, created_by, created_at, updated_at, " \
    "coalesce(closed_at, '') AS closed_at, coalesce(batch, 0) AS batch, "                          \
    "coalesce(tracking_code, '') AS tracking_code, coalesce(escalated_to, '') AS escalated_to, "   \
    "version, reopens"

static const char sql_insert[] =
    "INSERT INTO cases (kind, title, description, unit, owner_unit, helper_unit, assignee, "
    "measures, category, priority, deadline, location, immediate, state, final, created_by, "
    "created_at, updated_at, batch, tracking_code, contact_sealed, closed_at) VALUES ($1, $2, $3, "
    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20, $21) "
    "RETURNING id";
static const char sql_get[] = "SELECT " CASE_COLS " FROM cases WHERE id = $1";
static const char sql_by_code[] = "SELECT " CASE_COLS " FROM cases WHERE tracking_code = $1";
static const char sql_update[] =
    "UPDATE cases SET state = $3, final = $4, rating = $5, owner_unit = $6, helper_unit = $7, "
    "assignee = $8, escalated_to = $9, updated_at = $10, closed_at = $11, reopens = $12, "
    "version = version + 1 WHERE id = $1 AND version = $2 RETURNING version";
/* Cases owned inside a subtree, newest first; overdue = past the deadline and not final. */
static const char sql_list[] = "SELECT " CASE_COLS " FROM cases WHERE " DB_SUBTREE(
    "owner_unit", 1) " "
                     "AND instr($2, ',' || kind || ',') > 0 AND ($3 = '' OR state = $3) "
                     "AND ($4 = '' OR (final = 0 AND deadline IS NOT NULL AND deadline < $4)) "
                     "AND ($5 = 0 OR id < $5) AND ($7 = 0 OR batch = $7) "
                     "AND ($9 = 0 OR " DB_SUBTREE(
                         "escalated_to", 8) ") "
                                            "AND ($10 = '' OR instr($10, ',' || state || ',') > 0) "
                                            "ORDER BY id DESC LIMIT $6";
static const char sql_overdue[] =
    "SELECT " CASE_COLS " FROM cases WHERE final = 0 AND deadline IS NOT NULL AND deadline < $1 "
    "AND escalated_to IS NULL ORDER BY id";
/* The desk: open cases owned by $1 exactly ($2 = 0) or strictly inside its
 * subtree ($2 = 1), by kind and state, with those past or near their deadline. */
static const char sql_count[] =
    "SELECT kind, state, count(*) AS n, "
    "sum(CASE WHEN deadline < $3 THEN 1 ELSE 0 END) AS overdue, "
    "sum(CASE WHEN deadline >= $3 AND deadline <= $4 THEN 1 ELSE 0 END) AS due_soon "
    "FROM cases WHERE final = 0 AND (($2 = 0 AND owner_unit = $1) OR ($2 = 1 AND "
    "" DB_SUBTREE("owner_unit",
                  1) " AND owner_unit <> $1)) GROUP BY kind, state ORDER BY kind, state";
static const char sql_escalated_count[] =
    "SELECT count(*) FROM cases WHERE final = 0 AND escalated_to = $1";
static const char sql_due[] = "SELECT " CASE_COLS " FROM cases WHERE final = 0 AND owner_unit = $1 "
                              "AND deadline IS NOT NULL ORDER BY deadline, id LIMIT $2";
static const char sql_batch_insert[] = "INSERT INTO case_batches (kind, title, units, created_by, "
                                       "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_event_add[] =
    "INSERT INTO case_events (case_id, at, actor, kind, transition, from_state, to_state, note, "
    "evidence, rating, changes, ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
    "RETURNING id";
static const char sql_events[] =
    "SELECT id, at, actor, kind, coalesce(transition, '') AS transition, "
    "coalesce(from_state, '') AS from_state, coalesce(to_state, '') AS to_state, note, evidence, "
    "coalesce(rating, 0) AS rating, coalesce(changes, '') AS changes, coalesce(ref, 0) AS ref "
    "FROM case_events WHERE case_id = $1 ORDER BY id";
/* A file may be attached by whoever uploaded it, or again to a case that
 * already holds it; an unknown digest and another's file answer alike. */
static const char sql_file_attachable[] =
    "SELECT 1 AS ok FROM file_uploads WHERE sha256 = $1 AND uploaded_by = $2 "
    "UNION ALL SELECT 1 AS ok FROM case_files WHERE case_id = $3 AND sha256 = $1";
static const char sql_file_add[] = "INSERT INTO case_files (case_id, event, topic, sha256, name) "
                                   "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
static const char sql_files[] =
    "SELECT x.event, x.topic, x.sha256, x.name, f.type, f.size FROM case_files x "
    "JOIN files f ON f.sha256 = x.sha256 WHERE x.case_id = $1 ORDER BY x.event, x.topic, x.name";
static const char sql_file_get[] =
    "SELECT x.name, x.topic, f.type, f.data FROM case_files x JOIN files f ON f.sha256 = x.sha256 "
    "WHERE x.case_id = $1 AND x.sha256 = $2 ORDER BY x.event LIMIT 1";
static const char sql_file_put[] =
    "INSERT INTO files (sha256, type, size, data, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING";
static const char sql_file_uploader[] =
    "INSERT INTO file_uploads (sha256, uploaded_by, uploaded_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (sha256, uploaded_by) DO NOTHING";

/* The case of the current row; strings valid until the next step. */
static struct case_row read_case(struct db_stmt *st)
{
    return (struct case_row){
        .id = db_int(st, "id"),
        .kind = db_text(st, "kind"),
        .title = db_text(st, "title"),
        .description = db_text(st, "description"),
        .unit = db_text(st, "unit"),
        .owner_unit = db_text(st, "owner_unit"),
        .helper_unit = db_text(st, "helper_unit"),
        .assignee = db_text(st, "assignee"),
        .measures = db_text(st, "measures"),
        .category = db_text(st, "category"),
        .priority = (int)db_int(st, "priority"),
        .deadline = db_text(st, "deadline"),
        .location = db_text(st, "location"),
        .immediate = db_int(st, "immediate") != 0,
        .state = db_text(st, "state"),
        .final = db_int(st, "final") != 0,
        .rating = (int)db_int(st, "rating"),
        .created_by = db_text(st, "created_by"),
        .created_at = db_text(st, "created_at"),
        .updated_at = db_text(st, "updated_at"),
        .closed_at = db_text(st, "closed_at"),
        .batch = db_int(st, "batch"),
        .tracking_code = db_text(st, "tracking_code"),
        .escalated_to = db_text(st, "escalated_to"),
        .version = db_int(st, "version"),
        .reopens = (int)db_int(st, "reopens"),
    };
}

int store_case_insert(struct db *db, struct case_row *c, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, c->kind);
    db_bind_str(st, 2, c->title ? c->title : "");
    db_bind_str(st, 3, c->description ? c->description : "");
    db_bind_str(st, 4, c->unit);
    db_bind_str(st, 5, c->owner_unit);
    db_bind_opt(st, 6, c->helper_unit);
    db_bind_str(st, 7, c->assignee ? c->assignee : "");
    db_bind_str(st, 8, c->measures ? c->measures : "");
    db_bind_str(st, 9, c->category ? c->category : "");
    db_bind_int(st, 10, c->priority ? c->priority : 2);
    db_bind_opt(st, 11, c->deadline);
    db_bind_str(st, 12, c->location ? c->location : "");
    db_bind_int(st, 13, c->immediate);
    db_bind_str(st, 14, c->state);
    db_bind_int(st, 15, c->final);
    db_bind_str(st, 16, c->created_by);
    db_bind_str(st, 17, c->created_at);
    db_bind_opt_int(st, 18, c->batch);
    db_bind_opt(st, 19, c->tracking_code);
    db_bind_opt(st, 20, c->contact_sealed);
    db_bind_opt(st, 21, c->closed_at);
    c->version = 1;
    return db_run_returning(st, &c->id, NULL, err);
}

static int get_one(struct db *db, struct arena *a, const char *sql, int64_t id, const char *code,
                   struct case_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    if (code)
        db_bind_str(st, 1, code);
    else
        db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *out = read_case(st);
        case_row_keep(a, out);
    }
    db_reset(st);
    if (rc == DB_DONE && code) return err_set(err, ERR_NOT_FOUND, "没有查询码为 %s 的事项", code);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的事项", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_case_get(struct db *db, struct arena *a, int64_t id, struct case_row *out,
                   struct err *err)
{
    return get_one(db, a, sql_get, id, NULL, out, err);
}

int store_case_by_code(struct db *db, struct arena *a, const char *code, struct case_row *out,
                       struct err *err)
{
    return get_one(db, a, sql_by_code, 0, code, out, err);
}

int store_case_update(struct db *db, struct case_row *c, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_update, &st, err);
    if (rc) return rc;
    int64_t v = c->version;
    db_bind_int(st, 1, c->id);
    db_bind_int(st, 2, c->version);
    db_bind_str(st, 3, c->state);
    db_bind_int(st, 4, c->final);
    db_bind_opt_int(st, 5, c->rating);
    db_bind_str(st, 6, c->owner_unit);
    db_bind_opt(st, 7, c->helper_unit);
    db_bind_str(st, 8, c->assignee ? c->assignee : "");
    db_bind_opt(st, 9, c->escalated_to);
    db_bind_str(st, 10, c->updated_at);
    db_bind_opt(st, 11, c->closed_at);
    db_bind_int(st, 12, c->reopens);
    rc = db_run_returning(st, &c->version, NULL, err);
    if (!rc && c->version == v) /* no row: changed since it was read (a concurrent step) */
        return err_set(err, ERR_CONFLICT, "这件事项刚被他人修改过，请刷新后再试");
    return rc;
}

static int each_case(struct db_stmt *st, int (*fn)(void *ctx, const struct case_row *c), void *ctx,
                     struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct case_row c = read_case(st);
        if ((rc = fn(ctx, &c)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_cases_list(struct db *db, const struct case_filter *f,
                     int (*fn)(void *ctx, const struct case_row *c), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->scope ? f->scope : "");
    db_bind_str(st, 2, f->kinds);
    db_bind_str(st, 3, f->state ? f->state : "");
    db_bind_str(st, 4, f->overdue_on ? f->overdue_on : "");
    db_bind_int(st, 5, f->before_id);
    db_bind_int(st, 6, f->limit);
    db_bind_int(st, 7, f->batch);
    db_bind_str(st, 8, f->escalated_in ? f->escalated_in : "");
    db_bind_int(st, 9, f->escalated_in != NULL);
    db_bind_str(st, 10, f->states ? f->states : "");
    return each_case(st, fn, ctx, err);
}

int store_cases_overdue(struct db *db, const char *today,
                        int (*fn)(void *ctx, const struct case_row *c), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_overdue, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, today);
    return each_case(st, fn, ctx, err);
}

int store_cases_count(struct db *db, const char *unit, bool below, const char *today,
                      const char *soon, int (*fn)(void *ctx, const struct store_case_count *c),
                      void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_count, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, below);
    db_bind_str(st, 3, today);
    db_bind_str(st, 4, soon);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_case_count c = {db_text(st, "kind"), db_text(st, "state"), db_int(st, "n"),
                                     db_int(st, "overdue"), db_int(st, "due_soon")};
        if ((rc = fn(ctx, &c)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_cases_escalated_count(struct db *db, const char *unit, int64_t *n, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_escalated_count, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    return db_run_returning(st, n, NULL, err);
}

int store_cases_due(struct db *db, const char *unit, int limit,
                    int (*fn)(void *ctx, const struct case_row *c), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_due, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_int(st, 2, limit);
    return each_case(st, fn, ctx, err);
}

int store_case_batch_insert(struct db *db, const char *kind, const char *title, int n,
                            const char *by, const char *at, int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_batch_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, kind);
    db_bind_str(st, 2, title);
    db_bind_int(st, 3, n);
    db_bind_str(st, 4, by);
    db_bind_str(st, 5, at);
    return db_run_returning(st, id, NULL, err);
}

int store_case_event_add(struct db *db, int64_t case_id, struct case_event *e, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_event_add, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    db_bind_str(st, 2, e->at);
    db_bind_str(st, 3, e->actor);
    db_bind_str(st, 4, e->kind);
    db_bind_opt(st, 5, e->transition);
    db_bind_opt(st, 6, e->from_state);
    db_bind_opt(st, 7, e->to_state);
    db_bind_str(st, 8, e->note ? e->note : "");
    db_bind_str(st, 9, e->evidence ? e->evidence : "");
    db_bind_opt_int(st, 10, e->rating);
    db_bind_opt(st, 11, e->changes);
    db_bind_opt_int(st, 12, e->ref);
    return db_run_returning(st, &e->id, NULL, err);
}

int store_case_events(struct db *db, int64_t case_id,
                      int (*fn)(void *ctx, const struct case_event *e), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_events, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct case_event e = {
            .id = db_int(st, "id"),
            .at = db_text(st, "at"),
            .actor = db_text(st, "actor"),
            .kind = db_text(st, "kind"),
            .transition = db_text(st, "transition"),
            .from_state = db_text(st, "from_state"),
            .to_state = db_text(st, "to_state"),
            .note = db_text(st, "note"),
            .evidence = db_text(st, "evidence"),
            .rating = (int)db_int(st, "rating"),
            .changes = db_text(st, "changes"),
            .ref = db_int(st, "ref"),
        };
        if ((rc = fn(ctx, &e)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_case_file_add(struct db *db, int64_t case_id, int64_t event, const char *topic,
                        const char *sha256, const char *name, const char *actor, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_file_attachable, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, sha256);
    db_bind_str(st, 2, actor);
    db_bind_int(st, 3, case_id);
    rc = db_step(st, err);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这个文件，请先上传");
    if (rc < 0) return rc;
    if ((rc = db_prepare(db, sql_file_add, &st, err))) return rc;
    db_bind_int(st, 1, case_id);
    db_bind_int(st, 2, event);
    db_bind_str(st, 3, topic ? topic : "");
    db_bind_str(st, 4, sha256);
    db_bind_str(st, 5, name);
    return db_run(st, err);
}

int store_case_files(struct db *db, int64_t case_id,
                     int (*fn)(void *ctx, const struct case_file *f), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_files, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct case_file f = {.sha256 = db_text(st, "sha256"),
                              .name = db_text(st, "name"),
                              .topic = db_text(st, "topic"),
                              .type = db_text(st, "type"),
                              .size = (size_t)db_int(st, "size"),
                              .event = db_int(st, "event")};
        if ((rc = fn(ctx, &f)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_case_file_get(struct db *db, struct arena *a, int64_t case_id, const char *sha256,
                        struct case_file *out, const void **data, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_file_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    db_bind_str(st, 2, sha256);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        size_t len;
        const void *p = db_col_blob(st, db_col(st, "data"), &len);
        void *copy = arena_alloc(a, len ? len : 1);
        if (len) memcpy(copy, p, len);
        *out = (struct case_file){.sha256 = arena_strdup(a, sha256),
                                  .name = db_dup(st, a, "name"),
                                  .topic = db_dup(st, a, "topic"),
                                  .type = db_dup(st, a, "type"),
                                  .size = len};
        *data = copy;
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_NOT_FOUND, "没有这个附件");
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_file_put(struct db *db, const struct case_file *f, const void *data, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_file_put, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->sha256);
    db_bind_str(st, 2, f->type);
    db_bind_int(st, 3, (int64_t)f->size);
    db_bind_blob(st, 4, data, f->size);
    db_bind_str(st, 5, f->created_by);
    db_bind_str(st, 6, f->created_at);
    if ((rc = db_run(st, err)) || (rc = db_prepare(db, sql_file_uploader, &st, err))) return rc;
    db_bind_str(st, 1, f->sha256);
    db_bind_str(st, 2, f->created_by);
    db_bind_str(st, 3, f->created_at);
    return db_run(st, err);
}

/* ---- the monthly review ---- */

#define REVIEW_SELECT                                                                              \
    "SELECT owner_unit, created_at, coalesce(closed_at, '') AS closed_at, "                        \
    "coalesce(deadline, '') AS deadline, coalesce(rating, 0) AS rating, reopens FROM cases WHERE "
#define REVIEW_WHERE                                                                               \
    " AND instr($2, ',' || kind || ',') > 0 AND created_at < $4 "                                  \
    "AND (closed_at IS NULL OR closed_at >= $3)"
static const char sql_review[] = REVIEW_SELECT DB_SUBTREE("owner_unit", 1) REVIEW_WHERE;
/* The same read in table order: the expression keeps either engine off the
 * owner index, whose lookups cost twice a scan when most rows match. */
static const char sql_review_wide[] =
    REVIEW_SELECT DB_SUBTREE("(owner_unit || '')", 1) REVIEW_WHERE;
static const char sql_stepped[] =
    "SELECT c.owner_unit FROM case_events e JOIN cases c ON c.id = e.case_id "
    "WHERE e.kind = 'transition' AND e.at >= $3 AND e.at < $4 "
    "AND instr($5, ',' || c.kind || ':' || e.transition || ',') > 0 "
    "AND " DB_SUBTREE("c.owner_unit", 1) " AND instr($2, ',' || c.kind || ',') > 0";

static void bind_review(struct db_stmt *st, const char *scope, const char *kinds, const char *start,
                        const char *next)
{
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, kinds);
    db_bind_str(st, 3, start);
    db_bind_str(st, 4, next);
}

int store_cases_review(struct db *db, const char *scope, bool wide, const char *kinds,
                       const char *start, const char *next,
                       int (*fn)(void *ctx, const struct store_case_review *c), void *ctx,
                       struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, wide ? sql_review_wide : sql_review, &st, err);
    if (rc) return rc;
    bind_review(st, scope, kinds, start, next);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct store_case_review c = {.owner_unit = db_text(st, "owner_unit"),
                                      .created_at = db_text(st, "created_at"),
                                      .closed_at = db_text(st, "closed_at"),
                                      .deadline = db_text(st, "deadline"),
                                      .rating = (int)db_int(st, "rating"),
                                      .reopens = (int)db_int(st, "reopens")};
        if ((rc = fn(ctx, &c)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_cases_stepped(struct db *db, const char *scope, const char *kinds, const char *start,
                        const char *next, const char *steps,
                        int (*fn)(void *ctx, const char *owner_unit), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_stepped, &st, err);
    if (rc) return rc;
    bind_review(st, scope, kinds, start, next);
    db_bind_str(st, 5, steps);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "owner_unit"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- cases about a person (subject "person"): case_persons ---- */

#define PERSON_COLS                                                                                \
    "p.person_id, p.org_id, coalesce(p.to_org_id, 0) AS to_org_id, p.steps, p.since, "             \
    "(SELECT name FROM persons WHERE id = p.person_id) AS person_name, "                           \
    "(SELECT name FROM party_orgs WHERE id = p.org_id) AS org_name, "                              \
    "coalesce((SELECT name FROM party_orgs WHERE id = p.to_org_id), '') AS to_org_name"

static const char sql_person_insert[] =
    "INSERT INTO case_persons (case_id, person_id, org_id, to_org_id, steps, since) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
static const char sql_person_update[] = "UPDATE case_persons SET org_id = $2, to_org_id = $3, "
                                        "steps = $4, since = $5 WHERE case_id = $1";
static const char sql_person_get[] =
    "SELECT p.case_id, " PERSON_COLS " FROM case_persons p WHERE p.case_id = $1";
/* Cases of kinds (",a,b,") owned inside the subtree $1 or sent into it
 * (the case's unit: a transfer's receiving side), of person $3 (0: any),
 * open only ($4 = 1), newest first. */
static const char sql_person_cases[] =
    "SELECT " CASE_COLS ", p.case_id, " PERSON_COLS " FROM cases JOIN case_persons p ON "
    "p.case_id = cases.id WHERE instr($2, ',' || kind || ',') > 0 AND (" DB_SUBTREE(
        "owner_unit", 1) " OR " DB_SUBTREE("unit", 1) ") AND ($3 = 0 OR p.person_id = $3) "
                                                      "AND ($4 = 0 OR final = 0) ORDER BY id DESC "
                                                      "LIMIT $5";

static struct case_person read_person(struct db_stmt *st)
{
    return (struct case_person){.case_id = db_int(st, "case_id"),
                                .person_id = db_int(st, "person_id"),
                                .org_id = db_int(st, "org_id"),
                                .to_org_id = db_int(st, "to_org_id"),
                                .steps = db_text(st, "steps"),
                                .since = db_text(st, "since"),
                                .person_name = db_text(st, "person_name"),
                                .org_name = db_text(st, "org_name"),
                                .to_org_name = db_text(st, "to_org_name")};
}

int store_case_person_put(struct db *db, const struct case_person *p, bool insert, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, insert ? sql_person_insert : sql_person_update, &st, err);
    if (rc) return rc;
    int n = 1;
    db_bind_int(st, n++, p->case_id);
    if (insert) db_bind_int(st, n++, p->person_id);
    db_bind_int(st, n++, p->org_id);
    db_bind_opt_int(st, n++, p->to_org_id);
    db_bind_str(st, n++, p->steps && p->steps[0] ? p->steps : "{}");
    db_bind_str(st, n, p->since);
    return db_run(st, err);
}

int store_case_person_get(struct db *db, struct arena *a, int64_t case_id, struct case_person *out,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    if ((rc = db_step(st, err)) == DB_ROW) {
        *out = read_person(st);
        out->steps = arena_strdup(a, out->steps);
        out->since = arena_strdup(a, out->since);
        out->person_name = arena_strdup(a, out->person_name);
        out->org_name = arena_strdup(a, out->org_name);
        out->to_org_name = arena_strdup(a, out->to_org_name);
    } else if (rc == DB_DONE) {
        rc = err_set(err, ERR_INTERNAL, "case %lld has no person row", (long long)case_id);
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_person_cases(struct db *db, const char *scope, const char *kinds, int64_t person_id,
                       bool open_only, int limit,
                       int (*fn)(void *ctx, const struct case_row *c, const struct case_person *p),
                       void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_cases, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope ? scope : "");
    db_bind_str(st, 2, kinds);
    db_bind_int(st, 3, person_id);
    db_bind_int(st, 4, open_only);
    db_bind_int(st, 5, limit);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct case_row c = read_case(st);
        struct case_person p = read_person(st);
        if ((rc = fn(ctx, &c, &p)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}
