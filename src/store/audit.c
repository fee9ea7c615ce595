/*
 * audit.c — the audit and audit_head tables (store.h, core/audit_chain.h).
 *
 * Appends run inside the write transaction of the change they record, so
 * the chain is serialised by the database's write lock and a rolled-back
 * change leaves no record. audit_head holds the latest seq and hash and is
 * the source of the next link: deleting the newest records then leaves a
 * gap before the next one instead of a shorter chain that still verifies.
 * Every record is written in the keyed format with the connection's
 * audit_key (store_audit_key); without one, appends refuse.
 */
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define AUDIT_COLS                                                                                 \
    "SELECT seq, format, at, user_name, action, entity, unit, before_json, after_json, client, "   \
    "prev_hash, hash FROM audit"

static const char sql_head[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
static const char sql_head_set[] = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
static const char sql_insert[] =
    "INSERT INTO audit (seq, at, user_name, action, entity, unit, before_json, after_json, "
    "client, prev_hash, hash, format) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
static const char sql_scan[] = AUDIT_COLS " ORDER BY seq";
static const char sql_hash_at[] = "SELECT hash FROM audit WHERE seq = $1";

/* One statement per combination of the optional filters, so each can use
 * its index; parameters stay numbered without gaps for PostgreSQL. */
#define LIST_WHERE AUDIT_COLS " WHERE seq < $1 AND at >= $2"
#define LIST_ORDER " ORDER BY seq DESC LIMIT $3"
#define BY_UNIT    " AND " DB_SUBTREE("unit", 4)
static const char *const sql_list[4] = {
    LIST_WHERE LIST_ORDER,
    LIST_WHERE BY_UNIT LIST_ORDER,
    LIST_WHERE " AND user_name = $4" LIST_ORDER,
    LIST_WHERE BY_UNIT " AND user_name = $5" LIST_ORDER,
};

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static int check_entry(const struct audit_entry *e, struct err *err)
{
    if (!e->action || !*e->action) return err_set(err, ERR_INTERNAL, "audit entry without action");
    if (e->before && !audit_json_valid(e->before, strlen(e->before)))
        return err_set(err, ERR_INTERNAL, "audit %s: before is not JSON", e->action);
    if (e->after && !audit_json_valid(e->after, strlen(e->after)))
        return err_set(err, ERR_INTERNAL, "audit %s: after is not JSON", e->action);
    return ERR_OK;
}

/* Reads the head: the seq and hash the next record links to. */
static int read_head(struct db *db, int64_t *seq, char hash[AUDIT_HASH_HEX + 1], struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_head, &st, err);
    if (rc) return rc;
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        size_t n;
        const char *h = db_col_text(st, db_col(st, "hash"), &n);
        *seq = db_int(st, "seq");
        rc = n == AUDIT_HASH_HEX ? ERR_OK
                                 : err_set(err, ERR_INTERNAL, "audit_head holds a malformed hash");
        if (rc == ERR_OK) memcpy(hash, h, AUDIT_HASH_HEX + 1);
    } else if (rc == DB_DONE) {
        /* only tampering removes it; writing on would hide that */
        rc = err_set(err, ERR_INTERNAL, "audit_head is missing: run `jiceng audit verify`");
    }
    db_reset(st);
    return rc;
}

static void now_utc(char out[AUDIT_TIME_LEN + 1])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    audit_time_format((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, out);
}

static int insert(struct db *db, const struct audit_record *r, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, r->seq);
    db_bind_str(st, 2, r->at);
    db_bind_str(st, 3, r->e.user);
    db_bind_str(st, 4, r->e.action);
    db_bind_str(st, 5, r->e.entity);
    db_bind_str(st, 6, r->e.unit);
    db_bind_str(st, 7, r->e.before);
    db_bind_str(st, 8, r->e.after);
    db_bind_str(st, 9, r->e.client);
    db_bind_str(st, 10, r->prev_hash);
    db_bind_str(st, 11, r->hash);
    db_bind_int(st, 12, r->format);
    if ((rc = db_run(st, err))) return rc;
    if ((rc = db_prepare(db, sql_head_set, &st, err))) return rc;
    db_bind_int(st, 1, r->seq);
    db_bind_str(st, 2, r->hash);
    return db_run(st, err);
}

int store_audit_append(struct db *db, const struct audit_entry *e, struct err *err)
{
    if (db->tx_depth == 0)
        return err_set(err, ERR_INTERNAL,
                       "store_audit_append outside a transaction: the record must commit with "
                       "the change it records");
    if (!db->audit_key)
        return err_set(err, ERR_INTERNAL, "no audit key on this connection (store_audit_key)");
    int rc = check_entry(e, err);
    if (rc) return rc;
    char prev[AUDIT_HASH_HEX + 1], hash[AUDIT_HASH_HEX + 1], at[AUDIT_TIME_LEN + 1];
    int64_t last;
    if ((rc = read_head(db, &last, prev, err))) return rc;
    now_utc(at);
    struct audit_record r = {
        .seq = last + 1,
        .format = AUDIT_FORMAT_KEYED,
        .at = at,
        .e = {or_empty(e->user), e->action, or_empty(e->entity), e->unit, e->before, e->after,
              or_empty(e->client)},
        .prev_hash = prev,
    };
    audit_hash(&r, db->audit_key, hash);
    r.hash = hash;
    return insert(db, &r, err);
}

int store_audit_write(struct db *db, const struct audit_entry *e, struct err *err)
{
    int rc = db_begin(db, true, err);
    if (rc) return rc;
    if ((rc = store_audit_append(db, e, err)) || (rc = db_commit(db, err))) db_rollback(db);
    return rc;
}

/* db_text, except that NULL stays NULL: the chain hashes NULL and ""
 * differently, so verifying must see what was stored. */
static const char *text_or_null(struct db_stmt *st, const char *name)
{
    return db_null(st, name) ? NULL : db_text(st, name);
}

/* Fills r from a row of AUDIT_COLS. */
static void read_record(struct db_stmt *st, struct audit_record *r)
{
    *r = (struct audit_record){
        .seq = db_int(st, "seq"),
        .format = (int)db_int(st, "format"),
        .at = text_or_null(st, "at"),
        .e =
            {
                .user = text_or_null(st, "user_name"),
                .action = text_or_null(st, "action"),
                .entity = text_or_null(st, "entity"),
                .unit = text_or_null(st, "unit"),
                .before = text_or_null(st, "before_json"),
                .after = text_or_null(st, "after_json"),
                .client = text_or_null(st, "client"),
            },
        .prev_hash = text_or_null(st, "prev_hash"),
        .hash = text_or_null(st, "hash"),
    };
}

int store_audit_verify(struct db *db, struct audit_verifier *v,
                       int (*each)(void *ctx, const struct audit_record *r), void *ctx,
                       struct err *err)
{
    if (db->tx_depth == 0)
        return err_set(err, ERR_INTERNAL,
                       "store_audit_verify outside a transaction: the chain and its head must be "
                       "read in one snapshot");
    struct db_stmt *st;
    int rc = db_prepare(db, sql_scan, &st, err);
    if (rc) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct audit_record r;
        read_record(st, &r);
        audit_verify_next(v, &r);
        if (each && (rc = each(ctx, &r)) != 0) break;
    }
    db_reset(st);
    if (rc < 0) return rc;
    if (rc != DB_DONE) return rc; /* each() stopped the scan */
    if ((rc = db_prepare(db, sql_head, &st, err))) return rc;
    rc = db_step(st, err);
    if (rc == DB_ROW) audit_verify_end(v, true, db_int(st, "seq"), db_text(st, "hash"));
    if (rc == DB_DONE) audit_verify_end(v, false, 0, NULL);
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_audit_head(struct db *db, int64_t *seq, char hash[AUDIT_HASH_HEX + 1], struct err *err)
{
    return read_head(db, seq, hash, err);
}

int store_audit_hash_at(struct db *db, int64_t seq, char hash[AUDIT_HASH_HEX + 1], bool *found,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_hash_at, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, seq);
    rc = db_step(st, err);
    *found = rc == DB_ROW;
    if (*found) snprintf(hash, AUDIT_HASH_HEX + 1, "%s", db_text(st, "hash"));
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_audit_list(struct db *db, const struct audit_filter *f,
                     int (*fn)(void *ctx, const struct audit_record *r), void *ctx, struct err *err)
{
    bool by_unit = f->unit && *f->unit, by_user = f->user != NULL;
    struct db_stmt *st;
    int rc = db_prepare(db, sql_list[by_unit + 2 * by_user], &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, f->before_seq > 0 ? f->before_seq : INT64_MAX);
    db_bind_str(st, 2, or_empty(f->since)); /* every at sorts after "" */
    db_bind_int(st, 3, f->limit);
    if (by_unit) db_bind_str(st, 4, f->unit);
    if (by_user) db_bind_str(st, by_unit ? 5 : 4, f->user);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct audit_record r;
        read_record(st, &r);
        if ((rc = fn(ctx, &r)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : rc == DB_DONE ? ERR_OK : rc;
}

/* ---- the audited state of cases ---- */

/* Every column of the three tables a case lives in, with its type: 'i'
 * integer, 'r' real, 't' text. Read by type, never as text, so that both
 * backends give the same canonical text for the same row.
 *
 * These lists are digest version 1 (STORE_CASE_DIGEST_VERSION, the "dv" of
 * an after-image). A column a later migration adds must not simply be
 * appended here — every stored digest would stop matching — but come with
 * a new version, older images still compared with the columns of theirs. */
struct col {
    const char *name;
    char type;
};
static const struct col case_cols[] = {{"id", 'i'},
                                       {"kind", 't'},
                                       {"title", 't'},
                                       {"description", 't'},
                                       {"unit", 't'},
                                       {"owner_unit", 't'},
                                       {"helper_unit", 't'},
                                       {"assignee", 't'},
                                       {"measures", 't'},
                                       {"category", 't'},
                                       {"priority", 'i'},
                                       {"deadline", 't'},
                                       {"location", 't'},
                                       {"immediate", 'i'},
                                       {"state", 't'},
                                       {"final", 'i'},
                                       {"rating", 'i'},
                                       {"batch", 'i'},
                                       {"tracking_code", 't'},
                                       {"contact_sealed", 't'},
                                       {"escalated_to", 't'},
                                       {"version", 'i'},
                                       {"created_by", 't'},
                                       {"created_at", 't'},
                                       {"updated_at", 't'},
                                       {"closed_at", 't'},
                                       {NULL, 0}};
static const struct col rating_cols[] = {
    {"case_id", 'i'}, {"scheme", 't'},       {"unit", 't'},      {"target", 'i'},   {"level", 'i'},
    {"stars", 't'},   {"notice_until", 't'}, {"checklist", 'i'}, {"named_at", 't'}, {NULL, 0}};
static const struct col answer_cols[] = {
    {"case_id", 'i'},  {"code", 't'},       {"score", 'r'},      {"yes", 'i'}, {"note", 't'},
    {"adjusted", 'i'}, {"updated_by", 't'}, {"updated_at", 't'}, {NULL, 0}};

#define CASE_SELECT                                                                                \
    "SELECT id, kind, title, description, unit, owner_unit, helper_unit, assignee, measures, "     \
    "category, priority, deadline, location, immediate, state, final, rating, batch, "             \
    "tracking_code, contact_sealed, escalated_to, version, created_by, created_at, updated_at, "   \
    "closed_at, reopens FROM cases"
#define RATING_SELECT                                                                              \
    "SELECT case_id, scheme, unit, target, level, stars, notice_until, checklist, named_at "       \
    "FROM case_ratings"
#define ANSWER_SELECT                                                                              \
    "SELECT case_id, code, score, yes, note, adjusted, updated_by, updated_at FROM case_answers"

/* One case, or all of them (id 0) in id order: separate statements, so that
 * the one-case reads, made with every change, search by key. */
static const char *const sql_case_rows[2][3] = {
    {CASE_SELECT " ORDER BY id", RATING_SELECT " ORDER BY case_id",
     ANSWER_SELECT " ORDER BY case_id, code"},
    {CASE_SELECT " WHERE id = $1", RATING_SELECT " WHERE case_id = $1",
     ANSWER_SELECT " WHERE case_id = $1 ORDER BY code"},
};

/* Appends "<table>.<column>" and its value to out, as the chain writes
 * fields: "<length>:<bytes>\n", "-\n" for NULL. */
static void canon_row(struct db_stmt *st, const char *table, const struct col *cols,
                      struct buf *out)
{
    for (const struct col *c = cols; c->name; c++) {
        int i = db_col(st, c->name);
        buf_printf(out, "%s.%s=", table, c->name);
        char num[40];
        const char *v = num;
        size_t n = 0;
        if (db_col_null(st, i)) {
            buf_puts(out, "-\n");
            continue;
        }
        if (c->type == 'i')
            snprintf(num, sizeof num, "%lld", (long long)db_col_int(st, i));
        else if (c->type == 'r')
            snprintf(num, sizeof num, "%.17g", db_col_double(st, i));
        else
            v = db_col_text(st, i, &n);
        if (c->type != 't') n = strlen(num);
        buf_printf(out, "%zu:", n);
        buf_add(out, v, n);
        buf_putc(out, '\n');
    }
}

/* A statement of sql_case_rows, stepped to its first row. */
struct cursor {
    struct db_stmt *st;
    int rc; /* DB_ROW while on a row */
};

static int cursor_open(struct db *db, const char *sql, int64_t id, struct cursor *c,
                       struct err *err)
{
    int rc = db_prepare(db, sql, &c->st, err);
    if (rc) return rc;
    if (id) db_bind_int(c->st, 1, id);
    c->rc = db_step(c->st, err);
    return c->rc < 0 ? c->rc : ERR_OK;
}

/* Appends the rows of c whose case_id is id (c is sorted by it). */
static int cursor_take(struct cursor *c, int64_t id, const char *table, const struct col *cols,
                       struct buf *out, struct err *err)
{
    while (c->rc == DB_ROW && db_int(c->st, "case_id") < id)
        c->rc = db_step(c->st, err); /* a row of no case: the foreign key forbids it */
    while (c->rc == DB_ROW && db_int(c->st, "case_id") == id) {
        canon_row(c->st, table, cols, out);
        c->rc = db_step(c->st, err);
    }
    return c->rc < 0 ? c->rc : ERR_OK;
}

int store_audit_case_images(struct db *db, int64_t id,
                            int (*fn)(void *ctx, const struct store_case_image *c), void *ctx,
                            struct err *err)
{
    const char *const *sql = sql_case_rows[id != 0];
    struct cursor cases = {0}, ratings = {0}, answers = {0};
    struct buf canon = BUF_INIT;
    int rc = cursor_open(db, sql[0], id, &cases, err);
    if (!rc) rc = cursor_open(db, sql[1], id, &ratings, err);
    if (!rc) rc = cursor_open(db, sql[2], id, &answers, err);
    while (!rc && cases.rc == DB_ROW) {
        struct db_stmt *st = cases.st;
        int64_t cid = db_int(st, "id");
        buf_reset(&canon);
        canon_row(st, "cases", case_cols, &canon);
        if ((rc = cursor_take(&ratings, cid, "case_ratings", rating_cols, &canon, err)) ||
            (rc = cursor_take(&answers, cid, "case_answers", answer_cols, &canon, err)))
            break;
        struct store_case_image img = {
            .id = cid,
            .version = db_int(st, "version"),
            .kind = db_text(st, "kind"),
            .state = db_text(st, "state"),
            .owner_unit = db_text(st, "owner_unit"),
            .canon = canon.p ? canon.p : "",
            .canon_len = canon.len,
        };
        if ((rc = fn(ctx, &img)) != 0) break;
        if ((cases.rc = db_step(st, err)) < 0) rc = cases.rc;
    }
    if (cases.st) db_reset(cases.st);
    if (ratings.st) db_reset(ratings.st);
    if (answers.st) db_reset(answers.st);
    buf_free(&canon);
    return rc;
}
