/* evaluation.c — aggregation of valid votes by rule and group weight
 * (evaluation.h). */
#include "core/evaluation.h"

#include <stdlib.h>
#include <string.h>

bool eval_rule_parse(const char *code, enum eval_rule *out)
{
    static const char *const names[] = {"weighted_mean", "trimmed_mean", "top_share"};
    for (size_t i = 0; code && i < sizeof names / sizeof *names; i++)
        if (strcmp(code, names[i]) == 0) {
            *out = (enum eval_rule)i;
            return true;
        }
    return false;
}

bool eval_weights_ok(const int *weights, size_t ngroups)
{
    if (ngroups == 0 || ngroups > EVAL_GROUPS_MAX) return false;
    int sum = 0;
    for (size_t g = 0; g < ngroups; g++) {
        if (weights[g] < 1 || weights[g] > 100) return false;
        sum += weights[g];
    }
    return sum == 100;
}

/* One subject's votes from one group, as the rules need them. */
struct cell {
    double sum, min, max;
    int64_t n, top;
};

static double group_result(enum eval_rule rule, const struct cell *c)
{
    if (rule == EVAL_TOP_SHARE) return 100.0 * (double)c->top / (double)c->n;
    if (rule == EVAL_TRIMMED_MEAN && c->n >= 3)
        return (c->sum - c->min - c->max) / (double)(c->n - 2);
    return c->sum / (double)c->n;
}

bool eval_aggregate(enum eval_rule rule, const int *weights, size_t ngroups,
                    const struct eval_vote *votes, size_t n, size_t nsubjects,
                    struct eval_score *out)
{
    if (ngroups == 0 || ngroups > EVAL_GROUPS_MAX) return false;
    for (size_t i = 0; i < n; i++)
        if (votes[i].subject >= nsubjects || votes[i].group >= ngroups) return false;
    struct cell *cells = calloc(nsubjects * ngroups + 1, sizeof *cells);
    if (!cells) return false;
    memset(out, 0, nsubjects * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const struct eval_vote *v = &votes[i];
        if (!v->valid) {
            out[v->subject].invalid++;
            continue;
        }
        struct cell *c = &cells[v->subject * ngroups + v->group];
        if (c->n == 0 || v->value < c->min) c->min = v->value;
        if (c->n == 0 || v->value > c->max) c->max = v->value;
        c->sum += v->value;
        c->n++;
        c->top += v->top;
        out[v->subject].valid++;
    }
    for (size_t s = 0; s < nsubjects; s++) {
        double total = 0, weight = 0;
        for (size_t g = 0; g < ngroups; g++) {
            const struct cell *c = &cells[s * ngroups + g];
            if (c->n == 0) continue;
            total += weights[g] * group_result(rule, c);
            weight += weights[g];
        }
        out[s].scored = weight > 0;
        out[s].score = weight > 0 ? total / weight : 0;
    }
    free(cells);
    return true;
}

void eval_rank(const struct eval_score *s, size_t n, int *ranks)
{
    for (size_t i = 0; i < n; i++) {
        ranks[i] = 0;
        if (!s[i].scored) continue;
        int above = 0;
        for (size_t j = 0; j < n; j++)
            if (s[j].scored && s[j].score > s[i].score) above++;
        ranks[i] = above + 1;
    }
}
