/* demo_checks.c — 6. approved periods (demo.h): the county approves
 * (审核) the finished months, and a finished year, of every other
 * township, so that a newcomer finds locked rows in 数据填报 and what the
 * validation rules of data/definitions.json make of the figures in
 * 数据校验. Approving checks the rules: the demo's figures break no error
 * rule, only warnings (a village investing more than it planned). */
#include "cli/demo.h"
#include "app/checks.h"

#include <stdlib.h>

static int approve(struct demo *d, struct arena *a, uint32_t township, const char *period)
{
    const char *code = tree_node(d->tree, township)->code;
    int rc = approvals_approve(d->app, d->actor, code, period, AUTH_CLI_NAME, a, NULL, &d->e);
    if (rc) return err_wrap(&d->e, "approving %s %s", code, period);
    d->approvals++;
    return ERR_OK;
}

int demo_write_approvals(struct demo *d)
{
    int this_year = (int)strtol(d->today, NULL, 10);       /* YYYY-MM-DD */
    int months = d->year < this_year ? 12 : d->months - 1; /* the current month is not over */
    struct arena *a = arena_new();
    int rc = ERR_OK;
    for (size_t t = 0; t < d->ntownships && !rc; t += 2) {
        for (int m = 0; m < months && !rc; m++)
            rc = approve(d, a, d->townships[t], d->p_month[m]);
        if (!rc && d->year < this_year) rc = approve(d, a, d->townships[t], d->p_year);
        d->approved_townships += !rc;
    }
    arena_free(a);
    return rc;
}
