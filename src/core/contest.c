/* contest.c — the arithmetic of a contest (contest.h), on the evaluation
 * engine's aggregation (core/evaluation.h). */
#include "core/contest.h"
#include "core/evaluation.h"

#include <math.h>

bool contest_weights_ok(int stage, int site)
{
    return stage >= 0 && stage <= 100 && site >= 0 && site <= 100 && stage + site == 100;
}

double contest_trimmed(const double *totals, size_t n)
{
    struct eval_vote votes[CONTEST_JUDGES_MAX];
    if (n == 0 || n > CONTEST_JUDGES_MAX) return 0;
    for (size_t i = 0; i < n; i++)
        votes[i] = (struct eval_vote){.subject = 0, .group = 0, .value = totals[i], .valid = true};
    static const int weights[1] = {100};
    struct eval_score s;
    if (!eval_aggregate(EVAL_TRIMMED_MEAN, weights, 1, votes, n, 1, &s) || !s.scored) return 0;
    return s.score;
}

static double round2(double v)
{
    return round(v * 100.0) / 100.0;
}

/* How many ranks award i covers among nranked contestants. */
static int award_ranks(const struct contest_award *aw, size_t nranked)
{
    if (aw->count > 0) return aw->count;
    return (int)lround(aw->share * (double)nranked / 100.0);
}

bool contest_compute(const struct contest_input *in, size_t n, double max_sum, int stage_weight,
                     int site_weight, const struct contest_award *awards, size_t nawards,
                     struct contest_result *out)
{
    if (n > CONTEST_CONTESTANTS_MAX || max_sum <= 0) return false;
    struct eval_score sc[CONTEST_CONTESTANTS_MAX] = {0};
    int ranks[CONTEST_CONTESTANTS_MAX] = {0};
    size_t nranked = 0;
    for (size_t i = 0; i < n; i++) {
        struct contest_result *r = &out[i];
        *r = (struct contest_result){.award = -1};
        r->stage_ready = in[i].expected > 0 && in[i].ntotals >= in[i].expected;
        if (r->stage_ready)
            r->stage = round2(contest_trimmed(in[i].totals, in[i].ntotals) * 100.0 / max_sum);
        r->total_ready = r->stage_ready && in[i].has_site;
        if (r->total_ready)
            r->total = round2((r->stage * stage_weight + in[i].site * site_weight) / 100.0);
        sc[i] = (struct eval_score){.scored = r->total_ready, .score = r->total};
        nranked += r->total_ready;
    }
    eval_rank(sc, n, ranks);
    for (size_t i = 0; i < n; i++) {
        out[i].rank = ranks[i];
        if (!ranks[i]) continue;
        int upto = 0;
        for (size_t k = 0; k < nawards; k++) {
            upto += award_ranks(&awards[k], nranked);
            if (ranks[i] <= upto) {
                out[i].award = (int)k;
                break;
            }
        }
    }
    return true;
}
