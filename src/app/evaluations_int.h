/*
 * evaluations_int.h — what the evaluation files share (evaluations.c:
 * campaigns and ballots; evaluations_close.c: closing with its outcomes;
 * evaluations_more.c: the department register, codes added to a running
 * campaign, public results, a person's record). Not for other modules.
 */
#ifndef JICENG_EVALUATIONS_INT_H
#define JICENG_EVALUATIONS_INT_H

#include "app/evaluations.h"
#include "store/store.h"

/* A campaign with its groups and subjects, read in one snapshot. */
struct campaign {
    struct eval_campaign_row c;
    struct eval_group_row *groups;
    size_t ngroups;
    struct eval_subject_row *subjects; /* as many as read (arena_grow) */
    size_t nsubjects, subjects_cap;
    struct arena *a;
};
int eval_read_campaign(struct db *db, int64_t id, struct arena *a, struct campaign *k,
                       struct err *err);
/* As eval_read_campaign, without the groups' issued and cast counts (a
 * ballot needs neither, and counting reads every code). */
int eval_read_campaign_head(struct db *db, int64_t id, struct arena *a, struct campaign *k,
                            struct err *err);
/* Scores of every subject of k (sc, ranks: k->nsubjects each); *ballots counted. */
int eval_score(struct app *app, struct db *db, const struct campaign *k, struct eval_score *sc,
               int *ranks, int64_t *ballots, struct err *err);

/* The grade a member review gives a score (form's bands), or NULL. */
const struct eval_grade *eval_grade_of(const struct eval_form *f, double score);
const struct eval_grade *eval_grade_find(const struct eval_form *f, const char *code);

#endif
