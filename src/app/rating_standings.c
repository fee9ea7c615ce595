/*
 * rating_standings.c — the kept five-star standings (rating_kept.h) kept
 * across restarts in the table rating_standings, so that a restart reads
 * one row per unit instead of every answer and value, and catches up from
 * the audit trail (rating_results.c, catch_up).
 *
 * A row packs a unit's standing and the values of the scheme's elements it
 * was rated with (little or big endian as the host: the key says which).
 * rating_standings_meta holds, per scheme, the key (a digest of the
 * scheme's definition, the rating kind's states, the elements'
 * definitions, the tree and the row format), the audit seq the rows
 * reflect, their number and the sum of their hashes. At start the rows
 * are used only when all of these agree and the seq is not past the audit
 * trail's end; otherwise the standings are built from scratch.
 *
 * Writes: what changed since the last write (dirty slots), at intervals
 * and at a clean stop (rating_results.c), in transactions under the
 * database's write lock (PostgreSQL: the advisory lock every write
 * transaction takes), so servers sharing a database never interleave. A
 * server writes only the rows that changed when the table is still what it
 * last read or wrote (seq and digest), in one transaction; otherwise the
 * whole table, in transactions of SAVE_TX_ROWS rows (so that other writers
 * are not held up for long), the first marking the table as being written
 * (seq -1: not to be read) by this process, each later one checking that
 * mark. One server writes the table: each write renews its claim (writer
 * and written_at), and another server leaves the table alone while the
 * claim is younger than three intervals; a clean stop gives it up
 * (writer ""). Rows encoded while the standings move on reflect a state at
 * or after the seq recorded, which catching up from that seq makes
 * current again.
 */
#include "app/rating_kept.h"
#include "app/analytics.h"
#include "app/auth.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ROW_FORMAT "jiceng rating standings 1"
#define ROW_HEAD   46 /* case_id, eight bytes of outcome, named_at, notice_until */
/* Rows encoded under one taking of the read lock. */
#define SAVE_CHUNK 20000

void kept_scheme_digest(const void *data, size_t len, unsigned char out[32])
{
    crypto_generichash(out, 32, data, len, NULL, 0);
}

static size_t row_size(const struct scheme *s)
{
    return ROW_HEAD + KEPT_MISS_BYTES(s) + (size_t)s->nelements * sizeof(double);
}

static void pack(const struct kept *k, size_t slot, unsigned char *out)
{
    const struct standing *x = &k->st[slot];
    memcpy(out, &x->case_id, 8);
    unsigned char b[8] = {x->state, x->target, x->level,     x->rlevel,
                          x->won,   x->rwon,   x->qualified, x->named};
    memcpy(out + 8, b, 8);
    memset(out + 16, 0, 30);
    memcpy(out + 16, x->named_at, strnlen(x->named_at, 20));
    memcpy(out + 36, x->notice_until, strnlen(x->notice_until, 10));
    size_t mb = KEPT_MISS_BYTES(k->s), ne = (size_t)k->s->nelements;
    memcpy(out + ROW_HEAD, &k->miss[slot * mb], mb);
    memcpy(out + ROW_HEAD + mb, &k->vals[slot * ne], ne * sizeof(double));
}

/* Unpacks a row into slot; false when it cannot be one of ours. */
static bool unpack(struct kept *k, size_t slot, const unsigned char *p, int nstates)
{
    struct standing *x = &k->st[slot];
    memcpy(&x->case_id, p, 8);
    unsigned mask = (1u << k->s->ncategories) - 1;
    if (p[8] >= nstates || p[9] > SCHEME_CATEGORIES_MAX || p[10] > SCHEME_CATEGORIES_MAX ||
        p[11] > SCHEME_CATEGORIES_MAX || (p[12] & ~mask) || (p[13] & ~mask) || (p[14] & ~mask) ||
        p[15] > 1 || x->case_id < 0)
        return false;
    x->state = p[8];
    x->target = p[9];
    x->level = p[10];
    x->rlevel = p[11];
    x->won = p[12];
    x->rwon = p[13];
    x->qualified = p[14];
    x->named = p[15];
    memcpy(x->named_at, p + 16, 20);
    x->named_at[20] = '\0';
    memcpy(x->notice_until, p + 36, 10);
    x->notice_until[10] = '\0';
    size_t mb = KEPT_MISS_BYTES(k->s), ne = (size_t)k->s->nelements;
    memcpy(&k->miss[slot * mb], p + ROW_HEAD, mb);
    memcpy(&k->vals[slot * ne], p + ROW_HEAD + mb, ne * sizeof(double));
    return true;
}

/* FNV-1a over the unit's code and its row. */
static uint64_t row_hash(const char *unit, const unsigned char *p, size_t len)
{
    uint64_t h = 14695981039346656037u;
    for (const char *c = unit; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211u;
    h = (h ^ 0xff) * 1099511628211u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

/* ---- the key ---- */

/* What each element of k is computed from, by its definition in cat. */
static void sources_from(struct kept *k, const struct catalog *cat, bool *changed)
{
    for (int e = 0; e < k->s->nelements; e++) {
        const struct element *el = catalog_element(cat, k->s->elements[e]);
        const char *key = el ? analytics_source_key(el) : k->s->elements[e];
        if (changed && strcmp(k->vkey[e], key) != 0) changed[e] = true;
        snprintf(k->vkey[e], sizeof k->vkey[e], "%s", key);
    }
}

int kept_sources(struct app *app, struct kept *k, bool *changed, struct err *err)
{
    struct arena *a = arena_new();
    struct catalog cat;
    int rc = catalog_load(app, a, &cat, err);
    if (!rc) sources_from(k, &cat, changed);
    arena_free(a);
    return rc;
}

int kept_key(struct app *app, struct kept *k, struct err *err)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    const uint32_t one = 1;
    crypto_generichash_update(&h, (const unsigned char *)ROW_FORMAT, sizeof ROW_FORMAT);
    crypto_generichash_update(&h, (const unsigned char *)&one, sizeof one); /* byte order */
    crypto_generichash_update(&h, k->sdigest, sizeof k->sdigest);
    const struct wf_kind *kind = ratings_kind(app);
    for (int i = 0; i < kind->nstates; i++)
        crypto_generichash_update(&h, (const unsigned char *)kind->states[i].code,
                                  strlen(kind->states[i].code) + 1);
    struct arena *a = arena_new();
    struct catalog cat;
    int rc = catalog_load(app, a, &cat, err);
    if (!rc) sources_from(k, &cat, NULL);
    for (int e = 0; !rc && e < k->s->nelements; e++) {
        const struct element *el = catalog_element(&cat, k->s->elements[e]);
        char d[240];
        int n = snprintf(d, sizeof d, "%s|%d|%d|%d|%u|%s", k->s->elements[e], el != NULL,
                         el ? el->aggregation : -1, el ? el->period_type : -1, el ? el->levels : 0,
                         k->vkey[e]);
        crypto_generichash_update(&h, (const unsigned char *)d, (size_t)n + 1);
    }
    arena_free(a);
    if (rc) return rc;
    /* the tree: what each node is, where it hangs and what is below it */
    unsigned char buf[4096];
    size_t used = 0;
    for (uint32_t i = 0; i < tree_count(k->tree); i++) {
        const struct tree_node *n = tree_node(k->tree, i);
        size_t len = strlen(n->code);
        if (used + len + 12 > sizeof buf) {
            crypto_generichash_update(&h, buf, used);
            used = 0;
        }
        memcpy(buf + used, n->code, len + 1);
        used += len + 1;
        buf[used++] = n->level;
        buf[used++] = n->kind;
        buf[used++] = n->flags;
        memcpy(buf + used, &n->parent, 4);
        memcpy(buf + used + 4, &n->post, 4);
        used += 8;
    }
    crypto_generichash_update(&h, buf, used);
    unsigned char out[32];
    crypto_generichash_final(&h, out, sizeof out);
    sodium_bin2hex(k->key, sizeof k->key, out, sizeof out);
    return ERR_OK;
}

/* ---- reading ---- */

struct load {
    struct kept *k;
    bool *seen;
    size_t rows;
    uint64_t sum;
    int nstates;
    const char *why; /* why the rows cannot be used, NULL while they can */
};

static int load_row(void *ctx, const char *unit, const void *p, size_t len)
{
    struct load *l = ctx;
    struct kept *k = l->k;
    size_t slot = kept_slot_of_code(k, unit);
    if (slot >= k->n || l->seen[slot])
        l->why = "a unit not kept, or twice";
    else if (len != row_size(k->s) || !unpack(k, slot, p, l->nstates))
        l->why = "a damaged row";
    if (l->why) return 1;
    l->seen[slot] = true;
    k->rowhash[slot] = row_hash(unit, p, len);
    l->sum += k->rowhash[slot];
    l->rows++;
    return 0;
}

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int kept_load(struct app *app, struct kept *k, struct tree *t, struct err *err)
{
    int64_t t0 = ms_now();
    kept_alloc(k, t);
    int rc = kept_key(app, k, err);
    if (rc) {
        kept_clear(k);
        return rc;
    }
    struct load l = {.k = k, .seen = xcalloc(k->n + 1, 1), .nstates = ratings_kind(app)->nstates};
    struct store_standings_meta m = {0};
    bool found = false;
    int64_t last = 0;
    struct db *db = store_acquire(app->store);
    rc = db_begin(db, false, err);
    if (!rc) rc = store_standings_meta(db, k->s->code, &m, &found, err);
    if (!rc && found) rc = store_ratings_changed(db, "", 0, &last, NULL, NULL, err);
    if (rc || !found)
        l.why = "none";
    else if (m.seq == -1)
        l.why = "being written";
    else if (strcmp(m.key, k->key) != 0)
        l.why = "another scheme, tree or format";
    else if (m.seq < 0 || m.seq > last)
        l.why = "a seq the audit trail has not reached";
    else if (m.units != (int64_t)k->n)
        l.why = "another number of units";
    if (!rc && !l.why) rc = store_standings_each(db, k->s->code, load_row, &l, err);
    db_rollback(db);
    store_release(app->store, db);
    if (!rc && !l.why && l.rows != k->n) l.why = "missing rows";
    if (!rc && !l.why && l.sum != m.digest) l.why = "rows that do not add up to the digest";
    free(l.seen);
    if (rc || l.why) {
        kept_clear(k);
        if (!rc)
            log_msg(LOG_INFO, "ratings.load", "scheme=%s used=no why=\"%s\"", k->s->code, l.why);
        return rc ? rc : ERR_NOT_FOUND;
    }
    memset(k->dirty, 0, k->n + 1);
    k->whole = false;
    k->seq = k->saved_seq = m.seq;
    k->saved_digest = m.digest;
    for (int e = 0; e < k->s->nelements; e++)
        k->vgen[e] = analytics_generation(app, k->vkey[e]);
    log_msg(LOG_INFO, "ratings.load", "scheme=%s used=yes units=%zu seq=%lld ms=%lld", k->s->code,
            k->n, (long long)m.seq, (long long)(ms_now() - t0));
    return ERR_OK;
}

/* ---- writing ---- */

struct save {
    struct kept *k;
    struct tree *tree;   /* what the slots meant when the save began */
    const size_t *slots; /* the rows to write (NULL: every slot) */
    size_t base;         /* row i of this transaction is row base + i */
    bool locked;
    unsigned char *row;
    uint64_t sum;   /* of the hashes of the rows written (whole) */
    uint64_t delta; /* their change (a part), modulo 2^64 */
};

static int save_row(void *ctx, size_t i, const char **unit, const void **p, size_t *len)
{
    struct save *sv = ctx;
    struct kept *k = sv->k;
    if (i % SAVE_CHUNK == 0) { /* let writers of the standings in between */
        if (sv->locked) pthread_rwlock_unlock(&k->lock);
        pthread_rwlock_rdlock(&k->lock);
        sv->locked = true;
        if (k->tree != sv->tree) return ERR_BUSY; /* built again meanwhile */
    }
    size_t slot = sv->slots ? sv->slots[sv->base + i] : sv->base + i;
    k->dirty[slot] = 0;
    pack(k, slot, sv->row);
    *unit = tree_node(k->tree, k->nodes[slot])->code;
    *p = sv->row;
    *len = row_size(k->s);
    uint64_t h = row_hash(*unit, sv->row, *len);
    sv->sum += h;
    sv->delta += h - k->rowhash[slot];
    k->rowhash[slot] = h;
    return ERR_OK;
}

static void unlock_save(struct save *sv)
{
    if (sv->locked) pthread_rwlock_unlock(&sv->k->lock);
    sv->locked = false;
}

/* What one save decided, from the meta row read in its first transaction. */
enum save_how { SAVE_SKIP, SAVE_PART, SAVE_WHOLE };

/* Rows per transaction of a whole write: other writers get the database's
 * write lock in between (SQLite's busy timeout is 10 s). */
#define SAVE_TX_ROWS 50000

struct saving {
    struct app *app;
    struct kept *k;
    char key[65];
    int64_t seq, saved_seq;
    uint64_t saved_digest;
    char at[32], lease[32]; /* now; a write by another server after lease holds it */
};

static enum save_how save_how(const struct saving *g, bool whole,
                              const struct store_standings_meta *m, bool found)
{
    const char *me = g->app->rating_kept->writer;
    bool ours = found && m->seq == g->saved_seq && m->digest == g->saved_digest &&
                strcmp(m->key, g->key) == 0;
    if (found && !ours && m->writer[0] && strcmp(m->writer, me) != 0 &&
        strcmp(m->written_at, g->lease) > 0)
        return SAVE_SKIP; /* another running server writes the table */
    return ours && !whole ? SAVE_PART : SAVE_WHOLE;
}

/* Whether the table is still being written whole by us (a transaction of
 * the whole write after the first). */
static int still_mine(struct db *db, const struct saving *g, bool *mine, struct err *err)
{
    struct store_standings_meta m = {0};
    bool found;
    int rc = store_standings_meta(db, g->k->s->code, &m, &found, err);
    *mine = !rc && found && m.seq == -1 && strcmp(m.writer, g->app->rating_kept->writer) == 0;
    return rc;
}

/* The whole table, in transactions of SAVE_TX_ROWS rows, the first (open
 * on db) having marked it as being written by us; readers meanwhile see
 * seq -1 and build from scratch. */
static int save_whole(struct db *db, struct saving *g, struct save *sv, bool *skip, struct err *err)
{
    struct kept *k = g->k;
    struct store_standings_meta w = {.seq = -1};
    snprintf(w.writer, sizeof w.writer, "%s", g->app->rating_kept->writer);
    int rc = store_standings_meta_put(db, k->s->code, &w, g->at, err);
    if (!rc) rc = store_standings_clear(db, k->s->code, err);
    if (!rc) rc = db_commit(db, err);
    size_t n = k->n; /* the tree cannot change while sv->tree is k's: checked per chunk */
    for (size_t base = 0; !rc && !*skip && base < n; base += SAVE_TX_ROWS) {
        bool mine = false;
        sv->base = base;
        if (!(rc = db_begin(db, true, err))) rc = still_mine(db, g, &mine, err);
        if (!rc && !mine) *skip = true; /* another server took over */
        if (!rc && mine)
            rc = store_standings_rows(db, k->s->code, true,
                                      n - base < SAVE_TX_ROWS ? n - base : SAVE_TX_ROWS, save_row,
                                      sv, err);
        unlock_save(sv);
        if (!rc && mine) rc = db_commit(db, err);
        if (rc || *skip) db_rollback(db);
    }
    if (rc || *skip) return rc;
    bool mine = false;
    if (!(rc = db_begin(db, true, err))) rc = still_mine(db, g, &mine, err);
    if (!rc && !mine) *skip = true;
    return rc; /* the last transaction stays open: the meta row */
}

int kept_save(struct app *app, struct kept *k, bool release, struct err *err)
{
    struct rating_kept *rk = app->rating_kept;
    pthread_rwlock_rdlock(&k->lock);
    bool whole = k->whole;
    size_t nd = 0, *slots = NULL;
    for (size_t i = 0; !whole && i < k->n; i++)
        nd += k->dirty[i];
    struct saving g = {.app = app, .k = k, .seq = k->seq};
    if (!k->tree) {
        pthread_rwlock_unlock(&k->lock);
        return ERR_OK;
    }
    slots = xmalloc((nd + 1) * sizeof *slots);
    nd = 0;
    for (size_t i = 0; !whole && i < k->n; i++)
        if (k->dirty[i]) slots[nd++] = i;
    struct save sv = {.k = k, .tree = k->tree, .slots = slots};
    tree_ref(sv.tree);
    g.saved_seq = k->saved_seq;
    g.saved_digest = k->saved_digest;
    memcpy(g.key, k->key, sizeof g.key);
    pthread_rwlock_unlock(&k->lock);

    int64_t t0 = ms_now();
    auth_now_iso(g.at);
    time_t lease = time(NULL) - 3 * (time_t)(rk->save_every_s > 60 ? rk->save_every_s : 60);
    struct tm tm;
    gmtime_r(&lease, &tm);
    strftime(g.lease, sizeof g.lease, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sv.row = xmalloc(row_size(k->s));
    struct store_standings_meta m, w = {.seq = g.seq};
    bool found = false, skip = false;
    enum save_how how = SAVE_SKIP;
    struct db *db = store_acquire(app->store);
    int rc = db_begin(db, true, err);
    if (!rc) rc = store_standings_meta(db, k->s->code, &m, &found, err);
    if (!rc) how = save_how(&g, whole, &m, found);
    skip = !rc && how == SAVE_SKIP;
    if (!rc && how == SAVE_PART) {
        rc = store_standings_rows(db, k->s->code, false, nd, save_row, &sv, err);
        unlock_save(&sv);
    } else if (!rc && how == SAVE_WHOLE) {
        sv.slots = NULL;
        rc = save_whole(db, &g, &sv, &skip, err);
    }
    size_t n = how == SAVE_PART ? nd : k->n;
    if (!rc && !skip) { /* the meta row, in the last transaction */
        pthread_rwlock_rdlock(&k->lock);
        sv.locked = true;
        if (k->tree != sv.tree) rc = err_set(err, ERR_BUSY, "the standings were built again");
        snprintf(w.key, sizeof w.key, "%s", g.key);
        snprintf(w.writer, sizeof w.writer, "%s", release ? "" : rk->writer);
        w.units = (int64_t)k->n;
        w.digest = how == SAVE_WHOLE ? sv.sum : g.saved_digest + sv.delta;
        unlock_save(&sv);
        if (!rc) rc = store_standings_meta_put(db, k->s->code, &w, g.at, err);
        if (!rc) rc = db_commit(db, err);
    }
    if (rc || skip) db_rollback(db);
    store_release(app->store, db);
    pthread_rwlock_rdlock(&k->lock);
    if (k->tree == sv.tree) { /* only the saver changes these, and a build */
        if (!rc && !skip) {
            k->saved_seq = g.seq;
            k->saved_digest = w.digest;
            k->whole = false;
        } else {
            k->whole = true; /* the table is not what we last read or wrote */
        }
    }
    pthread_rwlock_unlock(&k->lock);
    if (!rc && !skip && (n || how == SAVE_WHOLE))
        log_msg(LOG_INFO, "ratings.save", "scheme=%s rows=%zu whole=%s seq=%lld ms=%lld",
                k->s->code, n, how == SAVE_WHOLE ? "yes" : "no", (long long)g.seq,
                (long long)(ms_now() - t0));
    free(sv.row);
    free(slots);
    tree_unref(sv.tree);
    return rc;
}
