/*
 * evaluation.h — the arithmetic of an evaluation (述职评议, 民主评议党员):
 * valid votes per subject and rater group, aggregated by a rule named in
 * data/evaluations.json, then weighted across the groups. No I/O.
 *
 * Rules (per subject):
 *   EVAL_WEIGHTED_MEAN — each group's mean of its valid votes;
 *   EVAL_TRIMMED_MEAN  — the same without one highest and one lowest vote
 *                        when the group has at least 3 valid votes (judges'
 *                        scores);
 *   EVAL_TOP_SHARE     — each group's share (0–100) of top-grade votes
 *                        (满意) among its valid votes.
 * The groups' results are combined with their weights (percent, adding up
 * to 100); a group with no valid vote for the subject is left out and the
 * others' weights are scaled up, so a subject is scored when any group
 * gave it a valid vote. An invalid vote (不了解) counts only as invalid.
 */
#ifndef JICENG_EVALUATION_H
#define JICENG_EVALUATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVAL_GROUPS_MAX 16

enum eval_rule { EVAL_WEIGHTED_MEAN, EVAL_TRIMMED_MEAN, EVAL_TOP_SHARE };

struct eval_vote {
    size_t subject; /* index < nsubjects */
    size_t group;   /* index < ngroups */
    double value;   /* points of the grade, or the sum of the criteria's scores */
    bool valid;     /* false: 不了解, not a valid vote */
    bool top;       /* the top grade (满意) */
};

struct eval_score {
    bool scored; /* at least one valid vote */
    double score;
    int64_t valid, invalid;
};

/* Parses a rule code ("weighted_mean", "trimmed_mean", "top_share"). */
bool eval_rule_parse(const char *code, enum eval_rule *out);
/* True when ngroups (1..EVAL_GROUPS_MAX) weights are each in 1..100 and
 * add up to exactly 100. */
bool eval_weights_ok(const int *weights, size_t ngroups);
/* Scores nsubjects subjects from n votes into out[nsubjects]. Returns
 * false (out untouched) when a vote names a subject or group out of range
 * or ngroups exceeds EVAL_GROUPS_MAX. */
bool eval_aggregate(enum eval_rule rule, const int *weights, size_t ngroups,
                    const struct eval_vote *votes, size_t n, size_t nsubjects,
                    struct eval_score *out);
/* ranks[i] = the 1-based rank of subject i by score, highest first (equal
 * scores share a rank; unscored subjects come last, rank 0). */
void eval_rank(const struct eval_score *s, size_t n, int *ranks);

#endif
