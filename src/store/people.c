/* people.c — persons, memberships, households and party organisations
 * (store.h, "people"). Lists are keyset-paged in (unit, id) order, which
 * the (unit, id) indexes serve for a subtree. */
#include "store/store.h"

#include <string.h>

#define PERSON_COLS                                                                                \
    "p.id, p.name, p.sex, coalesce(p.birth_date, '') AS birth_date, p.ethnicity, p.education, "    \
    "p.unit, coalesce(p.id_sealed, '') AS id_sealed, coalesce(p.id_hash, '') AS id_hash, "         \
    "p.id_masked, coalesce(p.phone_sealed, '') AS phone_sealed, "                                  \
    "coalesce(p.phone_hash, '') AS phone_hash, p.phone_masked, "                                   \
    "coalesce(p.account, '') AS account, p.created_by, p.created_at, p.updated_at"
#define MEMBERSHIP_COLS                                                                            \
    "m.id, m.person_id, coalesce(m.org_id, 0) AS org_id, "                                         \
    "coalesce(m.household_id, 0) AS household_id, m.kind, m.stage, m.unit, m.from_date, "          \
    "coalesce(m.to_date, '') AS to_date, m.end_reason, m.attributes, m.created_by, "               \
    "m.created_at, (SELECT p.name FROM persons p WHERE p.id = m.person_id) AS person_name"
#define HOUSEHOLD_COLS                                                                             \
    "h.id, coalesce(h.head_id, 0) AS head_id, h.unit, h.address, "                                 \
    "coalesce((SELECT p.name FROM persons p WHERE p.id = h.head_id), '') AS head_name, "           \
    "h.created_by, h.created_at, h.updated_at, h.version"
#define ORG_COLS                                                                                   \
    "o.id, coalesce(o.parent_id, 0) AS parent_id, o.name, o.type, o.form, o.unit, o.founded_on, "  \
    "coalesce(o.term_start, '') AS term_start, o.term_years, "                                     \
    "coalesce(o.dissolved_on, '') AS dissolved_on, o.created_by, o.created_at, o.updated_at"
/* A membership holding on day $n: [from_date, to_date). */
#define HOLDS(n) "(m.from_date <= $" #n " AND (m.to_date IS NULL OR m.to_date > $" #n "))"
/* stage listed in ",a,b," bound to $n ("" = any stage). */
#define STAGE_IN(n) "($" #n " = '' OR instr($" #n ", ',' || m.stage || ',') > 0)"

static const char sql_person_insert[] =
    "INSERT INTO persons (name, sex, birth_date, ethnicity, education, unit, id_sealed, id_hash, "
    "id_masked, phone_sealed, phone_hash, phone_masked, account, created_by, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) "
    "RETURNING id";
static const char sql_person_update[] =
    "UPDATE persons SET name = $2, sex = $3, birth_date = $4, ethnicity = $5, education = $6, "
    "unit = $7, id_sealed = $8, id_hash = $9, id_masked = $10, phone_sealed = $11, "
    "phone_hash = $12, phone_masked = $13, account = $14, updated_at = $15 WHERE id = $1";
static const char sql_person_get[] = "SELECT " PERSON_COLS " FROM persons p WHERE p.id = $1";
static const char sql_person_by_hash[] =
    "SELECT " PERSON_COLS " FROM persons p WHERE p.id_hash = $1";
static const char sql_person_id_by_hash[] = "SELECT id FROM persons WHERE id_hash = $1";
static const char sql_person_ids_by_name[] =
    "SELECT id FROM persons WHERE name = $1 AND " DB_SUBTREE("unit", 2) " ORDER BY id LIMIT 2";
static const char sql_person_by_account[] =
    "SELECT " PERSON_COLS " FROM persons p WHERE p.account = $1";
/* After the cursor ($2 unit, $3 id) in (unit, p.id) order. Written with its
 * lower bound on the unit apart: as "unit > $2 OR (unit = $2 AND id > $3)"
 * SQLite takes the unit range from $2 ("" on the first page) instead of the
 * subtree's, and reads every member of the kind before the subtree. */
#define KEYSET(unit, id) "(" unit " >= $2 AND (" unit " > $2 OR " id " > $3))"
static const char sql_persons_list[] =
    "SELECT " PERSON_COLS ", p.unit AS at_unit, '' AS at_stage FROM persons p WHERE " DB_SUBTREE(
        "p.unit", 1) " AND " KEYSET("p.unit", "p.id") " ORDER BY p.unit, p.id LIMIT $4";
/* Persons with a membership of kind $5 holding on day $6, by where it counts. */
static const char sql_persons_member[] =
    "SELECT " PERSON_COLS ", m.unit AS at_unit, m.stage AS at_stage FROM memberships m JOIN "
    "persons p ON p.id = m.person_id WHERE m.kind = $5 AND " DB_SUBTREE(
        "m.unit",
        1) " AND " STAGE_IN(7) " AND " HOLDS(6) " AND " KEYSET("m.unit",
                                                               "p.id") " AND ($8 = 0 OR m.org_id "
                                                                       "= $8) ORDER BY m.unit, "
                                                                       "p.id LIMIT $4";
static const char sql_person_units[] =
    "SELECT DISTINCT m.unit FROM memberships m WHERE m.person_id = $1 AND " HOLDS(2);

static const char sql_membership_insert[] =
    "INSERT INTO memberships (person_id, kind, stage, unit, org_id, household_id, from_date, "
    "to_date, attributes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11) RETURNING id";
static const char sql_membership_get[] =
    "SELECT " MEMBERSHIP_COLS " FROM memberships m WHERE m.id = $1";
static const char sql_membership_end[] =
    "UPDATE memberships SET to_date = $2, end_reason = $3 WHERE id = $1";
static const char sql_memberships_of_person[] =
    "SELECT " MEMBERSHIP_COLS " FROM memberships m WHERE m.person_id = $1 AND ($2 = '' OR "
    "m.kind = $2) ORDER BY m.from_date, m.id";
static const char sql_memberships_of_org[] =
    "SELECT " MEMBERSHIP_COLS " FROM memberships m WHERE m.org_id = $1 AND " HOLDS(
        2) " ORDER BY m.kind, m.stage, person_name, m.id";
static const char sql_memberships_of_household[] =
    "SELECT " MEMBERSHIP_COLS
    " FROM memberships m WHERE m.household_id = $1 AND " HOLDS(2) " ORDER BY m.from_date, m.id";
static const char sql_membership_counts[] =
    "SELECT m.unit, count(DISTINCT m.person_id) AS n FROM memberships m WHERE m.kind = $1 "
    "AND " STAGE_IN(2) " AND " HOLDS(3) " GROUP BY m.unit ORDER BY m.unit";
/* Persons per unit who entered a stage listed in $2 (not moved there from
 * the same stage elsewhere: a transfer) on a day in ($3, $4]; n is their
 * count, or ($5 = 1) the sum of their ages on that day (those with a birth
 * date only). The transfer is looked up by person (`|| ''` keeps SQLite
 * off the (kind, stage) index, which made the lookup a scan of every
 * membership of the stage: quadratic). */
#define AGE_AT                                                                                     \
    "(CAST(substr(m.from_date, 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER) - " \
    "CASE WHEN substr(m.from_date, 6, 5) < substr(p.birth_date, 6, 5) THEN 1 ELSE 0 END)"
static const char sql_membership_entered[] =
    "SELECT m.unit, CASE WHEN $5 = 1 THEN coalesce(sum(CASE WHEN p.birth_date IS NOT NULL AND "
    "p.birth_date <> '' THEN " AGE_AT " ELSE 0 END), 0) ELSE count(DISTINCT m.person_id) END AS n "
    "FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.kind = $1 AND " STAGE_IN(
        2) " AND m.from_date > $3 AND m.from_date <= $4 AND NOT EXISTS (SELECT 1 FROM memberships "
           "o "
           "WHERE o.person_id = m.person_id AND o.kind || '' = m.kind AND o.stage || '' = m.stage "
           "AND o.to_date = m.from_date) GROUP BY m.unit ORDER BY m.unit";
/* Per organisation (or unit, for members without one) in a subtree: the
 * members ($3 stages) and the formal ones among them ($2 stages). */
static const char sql_member_counts[] =
    "SELECT coalesce(m.org_id, 0) AS org_id, m.unit, count(DISTINCT m.person_id) AS members, "
    "count(DISTINCT CASE WHEN instr($2, ',' || m.stage || ',') > 0 THEN m.person_id END) "
    "AS formal FROM memberships m WHERE m.kind = $1 AND instr($3, ',' || m.stage || ',') > 0 "
    "AND " HOLDS(4) " AND " DB_SUBTREE("m.unit", 5) " GROUP BY coalesce(m.org_id, 0), m.unit "
                                                    "ORDER BY m.unit";

static const char sql_household_insert[] =
    "INSERT INTO households (unit, address, head_id, created_by, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
static const char sql_household_update[] =
    "UPDATE households SET unit = $2, address = $3, head_id = $4, updated_at = $5, "
    "version = version + 1 WHERE id = $1 AND version = $6 RETURNING version";
static const char sql_household_get[] =
    "SELECT " HOUSEHOLD_COLS " FROM households h WHERE h.id = $1";
static const char sql_household_find[] =
    "SELECT " HOUSEHOLD_COLS " FROM households h WHERE h.unit = $1 AND h.address = $2 "
    "ORDER BY h.id LIMIT 1";
static const char sql_households_list[] =
    "SELECT " HOUSEHOLD_COLS " FROM households h WHERE " DB_SUBTREE("h.unit", 1) " AND " KEYSET(
        "h.unit", "h.id") " AND ($5 = '' OR EXISTS "
                          "(SELECT 1 FROM household_tags t WHERE t.household_id = h.id AND t.tag = "
                          "$5)) ORDER BY h.unit, h.id LIMIT $4";
static const char sql_household_tags[] =
    "SELECT tag FROM household_tags WHERE household_id = $1 ORDER BY tag";
static const char sql_household_tags_clear[] = "DELETE FROM household_tags WHERE household_id = $1";
static const char sql_household_tag_add[] =
    "INSERT INTO household_tags (household_id, tag) VALUES ($1, $2)";

static const char sql_org_insert[] =
    "INSERT INTO party_orgs (name, type, form, unit, parent_id, founded_on, term_start, "
    "term_years, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $10) RETURNING id";
static const char sql_org_update[] =
    "UPDATE party_orgs SET name = $2, type = $3, form = $4, parent_id = $5, term_start = $6, "
    "term_years = $7, dissolved_on = $8, updated_at = $9 WHERE id = $1";
static const char sql_org_get[] = "SELECT " ORG_COLS " FROM party_orgs o WHERE o.id = $1";
static const char sql_orgs_list[] = "SELECT " ORG_COLS " FROM party_orgs o WHERE " DB_SUBTREE(
    "o.unit", 1) " AND ($2 = 0 OR o.dissolved_on IS NULL) ORDER BY o.unit, o.id";
/* Rowid order: no sort. */
static const char sql_orgs_spans[] =
    "SELECT o.id, o.type, o.unit, o.founded_on, coalesce(o.dissolved_on, '') AS dissolved_on "
    "FROM party_orgs o ORDER BY o.id";
static const char sql_org_counts[] =
    "SELECT o.unit, count(*) AS n FROM party_orgs o WHERE ($1 = '' OR instr($1, ',' || o.type "
    "|| ',') > 0) AND o.founded_on <= $2 AND (o.dissolved_on IS NULL OR o.dissolved_on > $2) "
    "GROUP BY o.unit ORDER BY o.unit";

static struct person_row read_person(struct db_stmt *st, struct arena *a)
{
    return (struct person_row){.id = db_int(st, "id"),
                               .name = db_dup(st, a, "name"),
                               .sex = db_dup(st, a, "sex"),
                               .birth_date = db_dup(st, a, "birth_date"),
                               .ethnicity = db_dup(st, a, "ethnicity"),
                               .education = db_dup(st, a, "education"),
                               .unit = db_dup(st, a, "unit"),
                               .id_sealed = db_dup(st, a, "id_sealed"),
                               .id_hash = db_dup(st, a, "id_hash"),
                               .id_masked = db_dup(st, a, "id_masked"),
                               .phone_sealed = db_dup(st, a, "phone_sealed"),
                               .phone_hash = db_dup(st, a, "phone_hash"),
                               .phone_masked = db_dup(st, a, "phone_masked"),
                               .account = db_dup(st, a, "account"),
                               .created_by = db_dup(st, a, "created_by"),
                               .created_at = db_dup(st, a, "created_at"),
                               .updated_at = db_dup(st, a, "updated_at")};
}

static void bind_person(struct db_stmt *st, int n, const struct person_row *p)
{
    db_bind_str(st, n, p->name);
    db_bind_str(st, n + 1, p->sex ? p->sex : "");
    db_bind_opt(st, n + 2, p->birth_date);
    db_bind_str(st, n + 3, p->ethnicity ? p->ethnicity : "");
    db_bind_str(st, n + 4, p->education ? p->education : "");
    db_bind_str(st, n + 5, p->unit);
    db_bind_opt(st, n + 6, p->id_sealed);
    db_bind_opt(st, n + 7, p->id_hash);
    db_bind_str(st, n + 8, p->id_masked ? p->id_masked : "");
    db_bind_opt(st, n + 9, p->phone_sealed);
    db_bind_opt(st, n + 10, p->phone_hash);
    db_bind_str(st, n + 11, p->phone_masked ? p->phone_masked : "");
    db_bind_opt(st, n + 12, p->account);
}

int store_person_insert(struct db *db, struct person_row *p, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_insert, &st, err);
    if (rc) return rc;
    bind_person(st, 1, p);
    db_bind_str(st, 14, p->created_by);
    db_bind_str(st, 15, p->created_at);
    return db_run_returning(st, &p->id, NULL, err);
}

int store_person_update(struct db *db, const struct person_row *p, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, p->id);
    bind_person(st, 2, p);
    db_bind_str(st, 15, p->updated_at);
    return db_run(st, err);
}

/* One row of a statement bound with $1, or ERR_NOT_FOUND. */
static int person_one(struct db *db, const char *sql, const char *text, int64_t id, struct arena *a,
                      struct person_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st, err);
    if (rc) return rc;
    if (text)
        db_bind_str(st, 1, text);
    else
        db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_person(st, a);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这个人员");
    return rc < 0 ? rc : ERR_OK;
}

int store_person_get(struct db *db, struct arena *a, int64_t id, struct person_row *out,
                     struct err *err)
{
    return person_one(db, sql_person_get, NULL, id, a, out, err);
}

int store_person_by_hash(struct db *db, struct arena *a, const char *hash, struct person_row *out,
                         struct err *err)
{
    return person_one(db, sql_person_by_hash, hash, 0, a, out, err);
}

int store_person_id_by_hash(struct db *db, const char *hash, int64_t *id, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_id_by_hash, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, hash);
    rc = db_step(st, err);
    if (rc == DB_ROW) *id = db_int(st, "id");
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这个人员");
    return rc < 0 ? rc : ERR_OK;
}

int store_person_ids_by_name(struct db *db, const char *name, const char *scope, int64_t ids[2],
                             int *n, struct err *err)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_prepare(db, sql_person_ids_by_name, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, name);
    db_bind_str(st, 2, scope);
    while ((rc = db_step(st, err)) == DB_ROW && *n < 2)
        ids[(*n)++] = db_int(st, "id");
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_person_by_account(struct db *db, struct arena *a, const char *account,
                            struct person_row *out, struct err *err)
{
    return person_one(db, sql_person_by_account, account, 0, a, out, err);
}

int store_persons_list(struct db *db, struct arena *a, const struct store_person_filter *f,
                       int (*fn)(void *ctx, const struct person_row *p, const char *at_unit,
                                 const char *at_stage),
                       void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, f->kind ? sql_persons_member : sql_persons_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, f->scope);
    db_bind_str(st, 2, f->after_unit ? f->after_unit : "");
    db_bind_int(st, 3, f->after_id);
    db_bind_int(st, 4, f->limit);
    if (f->kind) {
        db_bind_str(st, 5, f->kind);
        db_bind_str(st, 6, f->date);
        db_bind_str(st, 7, f->stages ? f->stages : "");
        db_bind_int(st, 8, f->org_id);
    }
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct person_row p = read_person(st, a);
        if ((rc = fn(ctx, &p, db_dup(st, a, "at_unit"), db_dup(st, a, "at_stage"))) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_person_units(struct db *db, int64_t id, const char *date,
                       int (*fn)(void *ctx, const char *unit), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_person_units, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, date);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "unit"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- memberships ---- */

static struct membership_row read_membership(struct db_stmt *st, struct arena *a)
{
    return (struct membership_row){.id = db_int(st, "id"),
                                   .person_id = db_int(st, "person_id"),
                                   .org_id = db_int(st, "org_id"),
                                   .household_id = db_int(st, "household_id"),
                                   .kind = db_dup(st, a, "kind"),
                                   .stage = db_dup(st, a, "stage"),
                                   .unit = db_dup(st, a, "unit"),
                                   .from_date = db_dup(st, a, "from_date"),
                                   .to_date = db_dup(st, a, "to_date"),
                                   .end_reason = db_dup(st, a, "end_reason"),
                                   .attributes = db_dup(st, a, "attributes"),
                                   .created_by = db_dup(st, a, "created_by"),
                                   .created_at = db_dup(st, a, "created_at"),
                                   .person_name = db_dup(st, a, "person_name")};
}

int store_membership_insert(struct db *db, struct membership_row *m, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_membership_insert, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, m->person_id);
    db_bind_str(st, 2, m->kind);
    db_bind_str(st, 3, m->stage ? m->stage : "");
    db_bind_str(st, 4, m->unit);
    db_bind_opt_int(st, 5, m->org_id);
    db_bind_opt_int(st, 6, m->household_id);
    db_bind_str(st, 7, m->from_date);
    db_bind_opt(st, 8, m->to_date);
    db_bind_str(st, 9, m->attributes && m->attributes[0] ? m->attributes : "{}");
    db_bind_str(st, 10, m->created_by);
    db_bind_str(st, 11, m->created_at);
    return db_run_returning(st, &m->id, NULL, err);
}

int store_membership_get(struct db *db, struct arena *a, int64_t id, struct membership_row *out,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_membership_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_membership(st, a);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的身份记录", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_membership_end(struct db *db, int64_t id, const char *to, const char *reason,
                         struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_membership_end, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, to);
    db_bind_str(st, 3, reason ? reason : "");
    return db_run(st, err);
}

static int each_membership(struct db_stmt *st, struct arena *a,
                           int (*fn)(void *ctx, const struct membership_row *m), void *ctx,
                           struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct membership_row m = read_membership(st, a);
        if ((rc = fn(ctx, &m)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_memberships_of_person(struct db *db, struct arena *a, int64_t person_id, const char *kind,
                                int (*fn)(void *ctx, const struct membership_row *m), void *ctx,
                                struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_memberships_of_person, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, person_id);
    db_bind_str(st, 2, kind ? kind : "");
    return each_membership(st, a, fn, ctx, err);
}

int store_memberships_of(struct db *db, struct arena *a, bool household, int64_t id,
                         const char *date, int (*fn)(void *ctx, const struct membership_row *m),
                         void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc =
        db_prepare(db, household ? sql_memberships_of_household : sql_memberships_of_org, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    db_bind_str(st, 2, date);
    return each_membership(st, a, fn, ctx, err);
}

/* Rows (unit, n) in unit order to fn. */
static int each_count(struct db_stmt *st,
                      int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                      struct err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        size_t len;
        const char *unit = db_col_text(st, db_col(st, "unit"), &len);
        if ((rc = fn(ctx, unit, len, (double)db_int(st, "n"))) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_membership_counts(struct db *db, const char *kind, const char *stages, const char *date,
                            int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                            struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_membership_counts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, kind);
    db_bind_str(st, 2, stages ? stages : "");
    db_bind_str(st, 3, date);
    return each_count(st, fn, ctx, err);
}

int store_membership_entered(struct db *db, const char *kind, const char *stages, const char *after,
                             const char *until, bool ages,
                             int (*fn)(void *ctx, const char *unit, size_t len, double n),
                             void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_membership_entered, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, kind);
    db_bind_str(st, 2, stages ? stages : "");
    db_bind_str(st, 3, after);
    db_bind_str(st, 4, until);
    db_bind_int(st, 5, ages);
    return each_count(st, fn, ctx, err);
}

int store_member_counts(struct db *db, const char *kind, const char *formal, const char *members,
                        const char *date, const char *scope,
                        int (*fn)(void *ctx, int64_t org_id, const char *unit, long formal,
                                  long members),
                        void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_member_counts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, kind);
    db_bind_str(st, 2, formal);
    db_bind_str(st, 3, members);
    db_bind_str(st, 4, date);
    db_bind_str(st, 5, scope);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_int(st, "org_id"), db_text(st, "unit"), (long)db_int(st, "formal"),
                     (long)db_int(st, "members"))) != 0)
            break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- households ---- */

static struct household_row read_household(struct db_stmt *st, struct arena *a)
{
    return (struct household_row){.id = db_int(st, "id"),
                                  .head_id = db_int(st, "head_id"),
                                  .unit = db_dup(st, a, "unit"),
                                  .address = db_dup(st, a, "address"),
                                  .head_name = db_dup(st, a, "head_name"),
                                  .created_by = db_dup(st, a, "created_by"),
                                  .created_at = db_dup(st, a, "created_at"),
                                  .updated_at = db_dup(st, a, "updated_at"),
                                  .version = db_int(st, "version")};
}

int store_household_insert(struct db *db, struct household_row *h, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_household_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, h->unit);
    db_bind_str(st, 2, h->address ? h->address : "");
    db_bind_opt_int(st, 3, h->head_id);
    db_bind_str(st, 4, h->created_by);
    db_bind_str(st, 5, h->created_at);
    h->version = 1;
    return db_run_returning(st, &h->id, NULL, err);
}

/* Only the version read (h->version): a change made since is ERR_CONFLICT,
 * never overwritten; h->version becomes the new one. */
int store_household_update(struct db *db, struct household_row *h, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_household_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, h->id);
    db_bind_str(st, 2, h->unit);
    db_bind_str(st, 3, h->address ? h->address : "");
    db_bind_opt_int(st, 4, h->head_id);
    db_bind_str(st, 5, h->updated_at);
    db_bind_int(st, 6, h->version);
    rc = db_step(st, err);
    if (rc == DB_ROW) h->version = db_col_int(st, 0);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set_field(err, ERR_CONFLICT, "base_version",
                             "这户刚被他人修改过，请查看最新内容后再改");
    return rc < 0 ? rc : ERR_OK;
}

int store_household_get(struct db *db, struct arena *a, int64_t id, struct household_row *out,
                        struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_household_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_household(st, a);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的户", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_household_find(struct db *db, struct arena *a, const char *unit, const char *address,
                         struct household_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_household_find, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, unit);
    db_bind_str(st, 2, address);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_household(st, a);
    db_reset(st);
    if (rc == DB_DONE) return err_set(err, ERR_NOT_FOUND, "没有这一户");
    return rc < 0 ? rc : ERR_OK;
}

int store_households_list(struct db *db, struct arena *a, const char *scope, const char *tag,
                          const char *after_unit, int64_t after_id, int limit,
                          int (*fn)(void *ctx, const struct household_row *h), void *ctx,
                          struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_households_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_str(st, 2, after_unit ? after_unit : "");
    db_bind_int(st, 3, after_id);
    db_bind_int(st, 4, limit);
    db_bind_str(st, 5, tag ? tag : "");
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct household_row h = read_household(st, a);
        if ((rc = fn(ctx, &h)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_household_tags(struct db *db, int64_t id, int (*fn)(void *ctx, const char *tag),
                         void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_household_tags, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    while ((rc = db_step(st, err)) == DB_ROW)
        if ((rc = fn(ctx, db_text(st, "tag"))) != 0) break;
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_household_tags_set(struct db *db, int64_t id, const char *const *tags, size_t n,
                             struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_household_tags_clear, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    if ((rc = db_run(st, err))) return rc;
    for (size_t i = 0; i < n; i++) {
        if ((rc = db_prepare(db, sql_household_tag_add, &st, err))) return rc;
        db_bind_int(st, 1, id);
        db_bind_str(st, 2, tags[i]);
        if ((rc = db_run(st, err))) return rc;
    }
    return ERR_OK;
}

/* ---- party organisations ---- */

static struct org_row read_org(struct db_stmt *st, struct arena *a)
{
    return (struct org_row){.id = db_int(st, "id"),
                            .parent_id = db_int(st, "parent_id"),
                            .name = db_dup(st, a, "name"),
                            .type = db_dup(st, a, "type"),
                            .form = db_dup(st, a, "form"),
                            .unit = db_dup(st, a, "unit"),
                            .founded_on = db_dup(st, a, "founded_on"),
                            .term_start = db_dup(st, a, "term_start"),
                            .term_years = (int)db_int(st, "term_years"),
                            .dissolved_on = db_dup(st, a, "dissolved_on"),
                            .created_by = db_dup(st, a, "created_by"),
                            .created_at = db_dup(st, a, "created_at"),
                            .updated_at = db_dup(st, a, "updated_at")};
}

int store_org_insert(struct db *db, struct org_row *o, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_org_insert, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, o->name);
    db_bind_str(st, 2, o->type);
    db_bind_str(st, 3, o->form);
    db_bind_str(st, 4, o->unit);
    db_bind_opt_int(st, 5, o->parent_id);
    db_bind_str(st, 6, o->founded_on);
    db_bind_opt(st, 7, o->term_start);
    db_bind_int(st, 8, o->term_years);
    db_bind_str(st, 9, o->created_by);
    db_bind_str(st, 10, o->created_at);
    return db_run_returning(st, &o->id, NULL, err);
}

int store_org_update(struct db *db, const struct org_row *o, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_org_update, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, o->id);
    db_bind_str(st, 2, o->name);
    db_bind_str(st, 3, o->type);
    db_bind_str(st, 4, o->form);
    db_bind_opt_int(st, 5, o->parent_id);
    db_bind_opt(st, 6, o->term_start);
    db_bind_int(st, 7, o->term_years);
    db_bind_opt(st, 8, o->dissolved_on);
    db_bind_str(st, 9, o->updated_at);
    return db_run(st, err);
}

int store_org_get(struct db *db, struct arena *a, int64_t id, struct org_row *out, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_org_get, &st, err);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ROW) *out = read_org(st, a);
    db_reset(st);
    if (rc == DB_DONE)
        return err_set(err, ERR_NOT_FOUND, "没有编号为 %lld 的党组织", (long long)id);
    return rc < 0 ? rc : ERR_OK;
}

int store_orgs_list(struct db *db, struct arena *a, const char *scope, bool current,
                    int (*fn)(void *ctx, const struct org_row *o), void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_orgs_list, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, scope);
    db_bind_int(st, 2, current);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct org_row o = read_org(st, a);
        if ((rc = fn(ctx, &o)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_orgs_spans(struct db *db, struct arena *a, int (*fn)(void *ctx, const struct org_row *o),
                     void *ctx, struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_orgs_spans, &st, err);
    if (rc) return rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct org_row o = {.id = db_col_int(st, 0),
                            .name = "",
                            .type = db_dup(st, a, "type"),
                            .form = "",
                            .unit = db_dup(st, a, "unit"),
                            .founded_on = db_dup(st, a, "founded_on"),
                            .term_start = "",
                            .dissolved_on = db_dup(st, a, "dissolved_on"),
                            .created_by = "",
                            .created_at = "",
                            .updated_at = ""};
        if ((rc = fn(ctx, &o)) != 0) break;
    }
    db_reset(st);
    return rc < 0 ? rc : ERR_OK;
}

int store_org_counts(struct db *db, const char *types, const char *date,
                     int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                     struct err *err)
{
    struct db_stmt *st;
    int rc = db_prepare(db, sql_org_counts, &st, err);
    if (rc) return rc;
    db_bind_str(st, 1, types ? types : "");
    db_bind_str(st, 2, date);
    return each_count(st, fn, ctx, err);
}
