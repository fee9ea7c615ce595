/*
 * contest.h — the arithmetic of a contest (擂台比武, issue 16 part 4) and
 * its rows. No I/O. A contestant's stage score is the trimmed mean
 * (core/evaluation.h EVAL_TRIMMED_MEAN: without one highest and one lowest
 * when at least 3) of the totals of the judges allowed to score them,
 * scaled to 100 by the criteria's maxima, and only once every such judge
 * has scored; the total is stage × stage weight + site visit × site weight
 * (percent, adding up to 100); ranks by total, highest first, equal totals
 * sharing a rank; awards by rank from the award split (a count or a share
 * of the ranked contestants per award, in order), each with its fund.
 */
#ifndef JICENG_CONTEST_H
#define JICENG_CONTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONTEST_CRITERIA_MAX    12
#define CONTEST_CONTESTANTS_MAX 200
#define CONTEST_JUDGES_MAX      40
#define CONTEST_AWARDS_MAX      8
#define CONTEST_IDEAS_MAX       1000

struct contest_row {
    int64_t id;
    const char *unit, *name, *criteria, *awards, *created_by, *created_at;
    int year, stage_weight, site_weight, current_seq;
};
struct contestant_row {
    int seq;
    int64_t person_id;
    const char *name, *unit, *round; /* round: waiting | open | closed */
    bool has_site;
    double site_score;
};
struct judge_row {
    int seq;
    int64_t person_id;
    const char *name, *unit, *recused; /* recused: JSON array of contestant seqs */
};
struct contest_score_row {
    int contestant, judge;
    const char *scores; /* JSON array, a number per criterion */
    double total;
    const char *scored_at;
};
struct contest_idea_row {
    int64_t id, votes;
    int contestant;
    bool mine; /* the reader voted for it */
    const char *unit, *title, *body, *tags, *created_by, *created_at;
};

struct contest_award {
    const char *name;
    int count;    /* > 0: this many ranks … */
    double share; /* … else this percent of the ranked contestants */
    double fund;  /* yuan per contestant awarded */
};

/* One contestant's inputs: the totals of the judges allowed to score them. */
struct contest_input {
    const double *totals;
    size_t ntotals, expected; /* scored so far, judges allowed to score */
    bool has_site;
    double site;
};
struct contest_result {
    bool stage_ready; /* every judge allowed has scored */
    double stage;     /* 0–100 */
    bool total_ready; /* stage and site visit both there */
    double total;
    int rank;  /* 1-based; 0 not ranked */
    int award; /* index into the awards, -1 none */
};

/* True when both weights are in 0..100 and add up to 100. */
bool contest_weights_ok(int stage, int site);
/* Results of n contestants; max_sum is the sum of the criteria's maxima
 * (> 0). False when n exceeds CONTEST_CONTESTANTS_MAX. */
bool contest_compute(const struct contest_input *in, size_t n, double max_sum, int stage_weight,
                     int site_weight, const struct contest_award *awards, size_t nawards,
                     struct contest_result *out);
/* The trimmed mean of n totals (as the stage score before scaling). */
double contest_trimmed(const double *totals, size_t n);

#endif
