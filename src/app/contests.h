/*
 * contests.h — 擂台比武 (issue 16 part 4) on the evaluation engine's
 * arithmetic (core/contest.h, core/evaluation.h): a contest run by a unit
 * with contestants (village secretaries, each with their unit), judges and
 * criteria with maxima; judges score on a phone with a one-time code (only
 * its keyed hash is kept, as for ballots); the organiser opens and closes
 * each contestant's round and types the site-visit scores; the stage
 * score, total, rank, award and fund are computed on every read. A live
 * screen (public) shows the contestant on stage and the scores as they
 * arrive. 金点子: good practices with tags, one vote per user.
 * Defaults in data/contests.json (contests_defs.c).
 */
#ifndef JICENG_CONTESTS_H
#define JICENG_CONTESTS_H

#include "app/app.h"
#include "core/contest.h"

struct json_t;
struct jw;

struct contest_defs {
    struct json_t *root; /* owns every string below */
    int stage_weight, site_weight;
    const char *criteria, *awards; /* the JSON text a new contest keeps */
};
int contests_defs_load(struct app *app, struct err *err);
void contests_defs_free(struct app *app);
/* {"weights","criteria","awards","recusal"} for the UI's new-contest form. */
void contests_defs_write(const struct app *app, struct jw *w);

/* The codes of a new contest's judges, in judge order (shown once). */
struct contest_codes {
    int64_t id;
    const char **names, **codes;
    size_t n;
};
/* Creates a contest from a request body {name, year, unit, weights?,
 * criteria?, contestants:[{person}|{name, unit}], judges:[{person}|{name,
 * unit}, recuse?:[seq…]]}. */
int contests_create(struct app *app, const struct auth_user *actor, struct json_t *body,
                    const char *client, struct arena *a, struct contest_codes *out,
                    struct err *err);
int contests_list(struct app *app, const char *scope, int year, struct arena *a, struct jw *w,
                  struct err *err);
/* The organiser's unit of contest id (a path segment), for the scope check. */
int contests_unit_of(struct app *app, struct arena *a, const char *id, const char **unit,
                     struct err *err);
/* Everything about a contest: criteria, contestants with results, judges,
 * scores, award split with funds, 金点子 (mine for user). */
int contests_write(struct app *app, int64_t id, const char *user, struct arena *a, struct jw *w,
                   struct err *err);
/* The live screen: the contestant on stage, each judge's total as it
 * arrives, the stage score once all have scored, and the standings. */
int contests_screen_write(struct app *app, int64_t id, struct arena *a, struct jw *w,
                          struct err *err);

/* Opens (the contestant goes on stage) or closes (scores final) a round. */
int contests_round(struct app *app, const struct auth_user *actor, int64_t id, int seq,
                   const char *action, const char *client, struct err *err);
/* Site-visit scores [{"contestant":SEQ,"score":0..100}…]. */
int contests_site_scores(struct app *app, const struct auth_user *actor, int64_t id,
                         struct json_t *scores, const char *client, struct err *err);

/* A new code for judge `seq` (a lost slip): *code, shown once; the old
 * code stops working, the judge's scores stay. Refused once every
 * contestant's round is over. */
int contests_judge_reissue(struct app *app, const struct auth_user *actor, int64_t id, int seq,
                           const char *client, struct arena *a, const char **name,
                           const char **code, struct err *err);

/* The judge's phone page of code: the contest, criteria, contestants with
 * whether the judge may score them and the judge's own scores. */
int contests_judge_write(struct app *app, const char *code, struct arena *a, struct jw *w,
                         struct err *err);
/* A judge's score of a contestant: {"contestant":SEQ,"scores":[n per criterion]}. */
int contests_judge_score(struct app *app, const char *code, struct json_t *body, const char *client,
                         struct err *err);

/* 金点子: {title, text, tags?:[…], contestant?} and one vote per user. */
int contests_idea_create(struct app *app, const struct auth_user *actor, int64_t id,
                         struct json_t *body, const char *client, int64_t *idea, struct err *err);
int contests_idea_vote(struct app *app, const struct auth_user *actor, int64_t id, int64_t idea,
                       const char *client, struct err *err);

#endif
