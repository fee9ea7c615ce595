/*
 * ratings_int.h — what the files of the ratings module share (ratings.c:
 * the cycle; rating_results.c: computed results; rating_checklist.c: the
 * creation checklist). Not for other modules: they use ratings.h.
 */
#ifndef JICENG_RATINGS_INT_H
#define JICENG_RATINGS_INT_H

#include "app/ratings.h"

/* The named level and stars, when the rating was named, over out->r's. */
void ratings_overlay_named(const struct scheme *s, const struct case_full *rating,
                           struct rating_result *out);

/* The standings kept per scheme (rating_results.c): made with the app, freed
 * (after the warm-up thread, if any, has stopped) with it. */
int ratings_kept_init(struct app *app, struct err *err);
void ratings_kept_free(struct app *app);

/* Snapshots (rating_snapshot.c): what a rating is named with, as JSON in
 * a — the scheme's figures, the answers, the level and every score of res
 * (computed before naming) — and a result rated from such a snapshot:
 * its answers and figures, its scores kept as they were published. */
const char *ratings_snapshot_make(struct arena *a, const struct scheme *s,
                                  const struct rating_result *res);
int ratings_snapshot_rate(const struct scheme *s, const char *json, const struct case_full *rating,
                          struct rating_result *out, struct err *err);

#endif
