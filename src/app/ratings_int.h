/*
 * ratings_int.h — what the files of the ratings module share (ratings.c:
 * the cycle; rating_results.c: computed results; rating_checklist.c: the
 * creation checklist). Not for other modules: they use ratings.h.
 */
#ifndef JICENG_RATINGS_INT_H
#define JICENG_RATINGS_INT_H

#include "app/ratings.h"

/* One change of a rating, written with its event and audit record in one
 * transaction: fn (may be NULL) writes what the change needs. */
struct change {
    struct store_rating *r;
    struct store_rating_event ev;
    bool insert, update;
    int (*fn)(struct db *db, void *ctx, struct err *err);
    void *ctx;
};

int ratings_save(struct app *app, struct change *c, const char *client, struct arena *a,
                 struct err *err);
/* The rating of unit and its scheme, for a change in one of `states`
 * (NULL-terminated; NULL = any): ERR_INVALID naming the state otherwise. */
int ratings_load(struct app *app, struct arena *a, const char *scheme, const char *unit,
                 const char *const *states, const struct scheme **s, struct store_rating *r,
                 struct err *err);
/* The named level and stars, when the rating is named, over out->r. */
void ratings_overlay_named(const struct scheme *s, const struct store_rating *rating,
                           struct rating_result *out);

#endif
