/*
 * app.h — the application context shared by the CLI and the HTTP server:
 * configuration, the store, and the current unit tree.
 *
 * The tree is a cache of the units table. Readers take a reference with
 * app_tree() and drop it with tree_unref(); writers that change units call
 * app_tree_reload(), which builds a new tree and swaps it in, so a request
 * always sees one consistent tree from start to end.
 *
 * With several server processes on one PostgreSQL database, every cache
 * (the tree, the rollups, the kept answers) must also follow the others'
 * writes: a writer announces what it changed with db_notify inside its
 * transaction (APP_CHANGED_* below), and a serving process that called
 * app_follow applies the same invalidation when the notice arrives.
 */
#ifndef JICENG_APP_H
#define JICENG_APP_H

#ifdef JICENG_LAYER_CORE
#error "app.h: core/ is pure domain logic, it includes nothing above it"
#endif

#include <pthread.h>
#include <stdbool.h>

#include "app/auth.h"
#include "app/config.h"
#include "base/err.h"
#include "core/case.h"
#include "core/seal.h"
#include "core/tree.h"
#include "core/scheme.h"
#include "core/workflow.h"

#define JICENG_VERSION "0.2.0"
#define KINDS_MAX      64

struct store;
struct db_listener;
struct audit_state;

struct app {
    struct config cfg;
    struct seal_key seal; /* personal-data keys (app/keyfile.h) */
    struct store *store;
    struct audit_state *audit; /* the audit trail's keys and checkpoints (audit.h) */
    pthread_mutex_t tree_mu;
    struct tree *tree;         /* guarded by tree_mu; owns one reference */
    pthread_mutex_t reload_mu; /* one app_tree_reload at a time: a later read swaps in last */
    struct auth_role *roles;   /* the role table (roles.c), read-only after open */
    int nroles;
    const char **perms, **perm_names; /* declared permissions and their names, NULL-terminated */
    struct auth_user cli;             /* who the command line acts as (auth.h) */
    struct auth_limiter *limiter;     /* login attempts per address (auth.c) */
    struct auth_cache *auth_cache;    /* sessions and tokens in memory (auth_cache.c) */
    struct analytics *analytics;      /* cached rollups (analytics.c) */
    struct wf_kind *kinds[KINDS_MAX]; /* case kinds (kinds.c), read-only after open */
    int nkinds;
    char *kind_lists[CASE_SUBJECTS]; /* ",a,b,": the kinds of each subject */
    char *kind_one[KINDS_MAX];       /* ",a,": each kind alone */
    char *reopening;                 /* ",kind:transition,": the steps that reopen work */
    struct scheme **schemes;         /* five-star schemes (ratings.c), read-only after open */
    int nschemes;
    struct memo *memo; /* computed answers (memo.h), stale after any rating or data write */
    struct rating_kept *rating_kept; /* every unit's five-star standing (rating_results.c) */
    struct db_listener *listener;    /* other processes' changes (app_follow); NULL on SQLite */
    struct people_defs *people;      /* data/people.json (people.h), read-only after open */
    struct points_defs *points;      /* data/points.json, dues.json (points.h), read-only */
    struct event_defs *events;       /* data/events.json (events.h), read-only after open */
    struct eval_defs *evals;         /* data/evaluations.json (evaluations.h), read-only */
    struct grid_defs *grids;         /* data/grids.json (grids.h), read-only after open */
    struct health_defs *health;      /* data/health.json (health.h), read-only after open */
    struct project_defs *projects;   /* data/projects.json (projects.h), read-only after open */
    struct volunteer_defs *vol;      /* data/volunteers.json (volunteers.h), read-only */
    struct share_defs *share;        /* data/share.json (share.h), read-only after open */
    struct cadre_defs *cadres;       /* data/cadres.json (cadres.h), read-only after open */
    struct contest_defs *contest;    /* data/contests.json (contests.h), read-only */
    struct group_commit *ballots;    /* ballots cast together commit together */
};

/* Opens the data directory's database (creating both if `create`), and
 * loads the tree. The app keeps a copy of cfg. */
int app_open(const struct config *cfg, bool create, int pool_size, struct app **out,
             struct err *err);
void app_close(struct app *app);
/* A new reference to the current tree; release it with tree_unref. */
struct tree *app_tree(struct app *app);
/* Checks a text a person gave (a title, a note, a reason): at most max
 * bytes of valid UTF-8, not empty if required; err->field is `field`. */
int app_check_text(const char *s, const char *field, size_t max, bool required, struct err *err);
/* Parses a path id: a positive decimal number; `what` names it in the
 * message (事项, 通知). */
int app_parse_id(const char *text, const char *what, int64_t *id, struct err *err);
/* The highest database migration applied. */
int app_schema_version(struct app *app, int *version, struct err *err);
/* Runs write(db, ctx) and, when ae is given, its audit record in one write
 * transaction; on commit the computed source `changed` (NULL: none) goes
 * stale here and, by a notice, on the other servers (write_tx.c). */
struct audit_entry;
struct db;
typedef int (*app_write_fn)(struct db *db, void *ctx, struct err *err);
int app_write_tx(struct app *app, const struct audit_entry *ae, const char *changed,
                 app_write_fn write, void *ctx, struct err *err);
/* Rebuilds the tree from the database and makes it current. */
int app_tree_reload(struct app *app, struct err *err);

/* Change notices (db_notify payloads): units imported or changed, the
 * values of one element written (APP_CHANGED_ELEMENT "code"), anything a
 * kept answer (memo.h) depends on. */
#define APP_CHANGED_TREE    "tree"
#define APP_CHANGED_ELEMENT "element:"
#define APP_CHANGED_MEMO    "memo"
#define APP_CHANGED_AUTH    "auth:" /* then a user id: their sessions and tokens */
/* Keeps the caches in step with the writes of other processes on a shared
 * database (store_shared): listens for their notices, and reloads the tree
 * once, for writes made since app_open. A no-op on SQLite. */
int app_follow(struct app *app, struct err *err);

#endif
