/*
 * rating_kept.h — every unit's five-star standing, kept per scheme: shared
 * by rating_results.c, which keeps the standings up to date with the
 * writes, and rating_standings.c, which keeps them across restarts in the
 * database. Internal to app/.
 *
 * Invariants: nodes[] are the tree's units of the scheme's kind in DFS
 * order; st[i], vals[i * nelements …] and miss[i * MISS_BYTES …] belong to
 * nodes[i]; the values are those the unit was rated with. The standings
 * reflect every rating and value write up to audit record `seq`; vgen[e]
 * is the rollup generation of element e they reflect (analytics.h).
 * Everything is read under `lock` held for reading and changed under it
 * held for writing (a full pass rates disjoint slots in two threads).
 */
#ifndef JICENG_RATING_KEPT_H
#define JICENG_RATING_KEPT_H

#include "app/ratings_int.h"
#include "core/element.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct standing {
    int64_t case_id;         /* its rating, 0 when none */
    char named_at[21];       /* "2026-11-20T09:41:07Z", "" when not named */
    char notice_until[11];   /* "2026-12-01", "" when none */
    uint8_t state;           /* index of the rating's state in the kind */
    uint8_t target, level;   /* declared target; named level (0 if not named) */
    uint8_t rlevel;          /* the level answers and data give now */
    uint8_t won;             /* stars: the named ones less withdrawn, else rwon */
    uint8_t rwon, qualified; /* computed: won, and qualified on its own */
    bool named;
};

#define KEPT_MISS_BYTES(s) (((size_t)(s)->nelements + 7) / 8)

struct kept {
    const struct scheme *s;
    pthread_rwlock_t lock; /* read: summaries, saving; write: bringing it up to date */
    struct tree *tree;     /* what node indexes mean (referenced); NULL until built */
    uint32_t *nodes;       /* the units of the scheme's kind, in DFS order */
    struct standing *st;   /* by the same index */
    size_t n;
    double *vals;  /* n rows of s->nelements values the units were rated with */
    uint8_t *miss; /* n rows of KEPT_MISS_BYTES: bit e set when element e had none */
    uint64_t vgen[SCHEME_ELEMENTS_MAX]; /* the elements' rollup generations reflected */
    /* what each element is computed from (analytics_source_key) */
    char vkey[SCHEME_ELEMENTS_MAX][ELEMENT_CODE_MAX + 1];
    uint64_t gen; /* memo generation it is up to date with */
    int64_t seq;  /* audit records read up to */
    /* kept across restarts (rating_standings.c) */
    unsigned char sdigest[32]; /* of the scheme's definition */
    char key[65];              /* what the rows depend on besides the writes */
    uint8_t *dirty;            /* by slot: changed since the table was written */
    uint64_t *rowhash;         /* by slot: hash of the row the table holds */
    bool whole;                /* the table is to be written whole */
    int64_t saved_seq;         /* the table's seq and digest as we last read or */
    uint64_t saved_digest;     /* wrote them (saved_seq -1: unknown) */
};

struct rating_kept {
    struct kept *k; /* one per scheme, in the order of app->schemes */
    int n;
    pthread_t warm;
    bool warming;
    atomic_bool stop;   /* the server is stopping: leave long passes */
    bool persist;       /* jiceng serve: kept across restarts, in the database */
    pthread_mutex_t mu; /* with cv: the saver's sleep between writes */
    pthread_cond_t cv;
    char writer[33];  /* this process, as the table's writer */
    int save_every_s; /* seconds between writes of what changed */
};

/* Allocates k's arrays for tree t (referenced), every slot unrated and
 * dirty; kept_clear frees them (also a k never built). */
void kept_alloc(struct kept *k, struct tree *t);
void kept_clear(struct kept *k);
/* The index of code's unit in k->nodes, or k->n; the first index whose
 * node is not below `node`. */
size_t kept_slot_of_code(const struct kept *k, const char *code);
size_t kept_slot_from(const struct kept *k, uint32_t node);

/* Fewer kept units than this are built in one thread. */
#define KEPT_PARALLEL_MIN 20000

/* What kept_stand needs of a rating: the row's outcome fields. */
struct kept_brief {
    int64_t case_id;
    const char *state, *stars, *notice_until, *named_at;
    int target, level;
};
/* Rates the unit at slot from the answers already in res, its rating (b
 * NULL: none) and its values, and keeps the outcome; ERR_BUSY once the
 * server is stopping. Threads rate disjoint slots. */
int kept_stand(struct app *app, struct kept *k, size_t slot, const struct kept_brief *b,
               struct rating_result *res, struct err *err);
/* No answer given yet, for the scheme's indicators and vetoes. */
void kept_answers_clear(const struct scheme *s, struct rating_result *res);
/* rating_pass.c: rates every unit of k in one pass over every answer,
 * then k->seq = seq. */
int kept_pass_all(struct app *app, struct kept *k, int64_t seq, struct err *err);

/* rating_standings.c: the table. kept_load fills k (for tree t) from it:
 * ERR_OK, or ERR_NOT_FOUND when it is missing, stale or damaged (k is
 * cleared; build it). kept_save writes what changed since the last save
 * (k's read lock taken inside) and renews this server's claim to write the
 * table, or gives it up (release: at a clean stop). kept_key computes k->key for k->tree, and
 * k->vkey. */
int kept_load(struct app *app, struct kept *k, struct tree *t, struct err *err);
int kept_save(struct app *app, struct kept *k, bool release, struct err *err);
int kept_key(struct app *app, struct kept *k, struct err *err);
/* Sets k->vkey from the elements' definitions now; changed[e] (may be
 * NULL) set where element e's differs from what k had. */
int kept_sources(struct app *app, struct kept *k, bool *changed, struct err *err);
/* The digest of a scheme's definition file (at init). */
void kept_scheme_digest(const void *data, size_t len, unsigned char out[32]);

#endif
