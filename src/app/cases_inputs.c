/*
 * cases_inputs.c — the numbers given with a step of a case (a kind's
 * "inputs"): kept on the step's timeline event, and the guard that
 * computes a meeting's quorum and majority from recorded attendance and
 * votes (村民代表会议, 党员大会 …), its fractions the kind's params.
 */
#include "app/cases.h"
#include "base/mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static long input_value(const struct case_ctx *x, const char *code)
{
    int i = wf_input_index(x->f->kind, code);
    return i >= 0 ? x->in->values[i] : 0;
}

static long param_value(const struct case_ctx *x, const char *code)
{
    const struct wf_param *p = wf_param(x->tr, code);
    return p && !p->text[0] ? p->value : 0;
}

/* "quorum_vote": of `entitled` (应到), `present` (实到) must reach
 * quorum_num/quorum_den of entitled, and `agreeing` must be more than half
 * of `majority_of` ("present" or "entitled"). A count above the one it
 * is part of is refused first: it cannot have happened. */
int cases_guard_quorum_vote(struct case_ctx *x, struct err *err)
{
    long entitled = input_value(x, "entitled"), present = input_value(x, "present"),
         agreeing = input_value(x, "agreeing"), num = param_value(x, "quorum_num"),
         den = param_value(x, "quorum_den");
    const struct wf_param *of = wf_param(x->tr, "majority_of");
    bool of_entitled = of && strcmp(of->text, "entitled") == 0;
    const char *meeting = x->tr->label;
    if (num < 1 || den < num)
        return err_set(err, ERR_INTERNAL, "kind %s: %s needs 0 < quorum_num <= quorum_den",
                       x->f->kind->code, x->tr->code);
    if (entitled < 1)
        return err_set_field(err, ERR_INVALID, "entitled", "请填写“%s”应到会人数", meeting);
    if (present > entitled)
        return err_set_field(err, ERR_INVALID, "present",
                             "实到人数（%ld）不能多于应到人数（%ld），请核对到会记录", present,
                             entitled);
    if (agreeing > present)
        return err_set_field(err, ERR_INVALID, "agreeing",
                             "赞成人数（%ld）不能多于实到人数（%ld）：投票数不能超过到会人数",
                             agreeing, present);
    if (present * den < entitled * num)
        return err_set_field(err, ERR_INVALID, "present",
                             "“%s”须有应到人数的 %ld/%ld 以上到会方可表决（应到 %ld 人，实到 %ld "
                             "人）",
                             meeting, num, den, entitled, present);
    long base = of_entitled ? entitled : present;
    if (agreeing * 2 <= base)
        return err_set_field(err, ERR_INVALID, "agreeing",
                             "“%s”须经%s人数的过半数同意方为通过（%s %ld 人，赞成 %ld 人）",
                             meeting, of_entitled ? "应到" : "到会", of_entitled ? "应到" : "到会",
                             base, agreeing);
    return ERR_OK;
}

int cases_record_inputs(struct case_ctx *x, struct err *err)
{
    const struct wf_kind *k = x->f->kind;
    if (!x->tr->inputs || (x->ev->changes && x->ev->changes[0])) return ERR_OK;
    json_t *o = json_object();
    for (int i = 0; i < k->ninputs; i++)
        if (x->tr->inputs & (1u << i))
            json_object_set_new(o, k->inputs[i].code, json_integer(x->in->values[i]));
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!text) return err_set(err, ERR_INTERNAL, "recording the numbers of a step");
    x->ev->changes = arena_strdup(x->a, text);
    free(text);
    return ERR_OK;
}
