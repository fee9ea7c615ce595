/*
 * contests_int.h — what the contest files share (contests.c: create,
 * read, screen; contests_score.c: judges, rounds, site visits;
 * contests_ideas.c: 金点子). Not for other modules.
 */
#ifndef JICENG_CONTESTS_INT_H
#define JICENG_CONTESTS_INT_H

#include "app/contests.h"
#include "store/store_contests.h"

#include <jansson.h>

/* A contest read in one snapshot, with its results computed. */
struct contest_snap {
    struct contest_row c;
    struct json_t *criteria, *awards_json; /* owned: json_decref in snap_free */
    size_t ncriteria;
    double max_sum;
    struct contest_award awards[CONTEST_AWARDS_MAX];
    size_t nawards;
    struct contestant_row *contestants;
    size_t ncontestants;
    struct judge_row *judges;
    size_t njudges;
    struct contest_score_row *scores;
    size_t nscores;
    struct contest_result *results; /* per contestant */
    int *expected;                  /* per contestant: the judges allowed to score */
};
int contest_snap_read(struct db *db, int64_t id, struct arena *a, struct contest_snap *s,
                      struct err *err);
void contest_snap_free(struct contest_snap *s);
/* Why judge j may not score contestant c ("" when they may): the rule. */
const char *contest_blocked(const struct judge_row *j, const struct contestant_row *c);
/* The contestant of seq, or NULL. */
const struct contestant_row *contest_find(const struct contest_snap *s, int seq);
/* The unit's name as people see it. */
const char *contest_unit_name(struct app *app, struct arena *a, const char *code);

#endif
