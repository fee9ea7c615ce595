/* contests_codes.c — a judge's code issued again (contests.h): a judge who
 * lost the slip gets a new code; the old one stops working at once, and
 * what the judge scored stays theirs. */
#include "app/audit.h"
#include "app/contests_int.h"
#include "app/evaluations.h"

#include <string.h>

struct reissue_ctx {
    struct app *app;
    int64_t id;
    int seq;
    struct arena *a;
    struct contest_snap s;
    const char *name, *code;
};

static int reissue_write(struct db *db, void *ctx, struct err *err)
{
    struct reissue_ctx *x = ctx;
    int rc = contest_snap_read(db, x->id, x->a, &x->s, err);
    if (rc) return rc;
    const struct judge_row *j = NULL;
    for (size_t i = 0; i < x->s.njudges; i++)
        if (x->s.judges[i].seq == x->seq) j = &x->s.judges[i];
    if (!j) return err_set_field(err, ERR_NOT_FOUND, "judge", "没有这名评委，请从评委名单中选择");
    bool over = x->s.ncontestants > 0;
    for (size_t i = 0; i < x->s.ncontestants; i++)
        over &= strcmp(x->s.contestants[i].round, "closed") == 0;
    if (over)
        return err_set_field(err, ERR_CONFLICT, "judge",
                             "每名选手的比武都已结束，评委不再打分，不必补发评委码");
    char code[EVAL_CODE_LEN + 1], hash[65];
    eval_new_code(code);
    eval_code_hash(x->app, code, hash);
    x->name = j->name;
    x->code = arena_strdup(x->a, code);
    return store_judge_code_set(db, x->id, x->seq, hash, err);
}

int contests_judge_reissue(struct app *app, const struct auth_user *actor, int64_t id, int seq,
                           const char *client, struct arena *a, const char **name,
                           const char **code, struct err *err)
{
    struct reissue_ctx x = {.app = app, .id = id, .seq = seq, .a = a};
    const char *unit = NULL;
    int rc = contests_unit_of(app, a, arena_printf(a, "%lld", (long long)id), &unit, err);
    /* the record names the judge, never the code */
    struct audit_entry ae = {.user = actor->name,
                             .action = "contest.judge_code",
                             .entity = arena_printf(a, "contest:%lld", (long long)id),
                             .unit = unit,
                             .after = arena_printf(a, "{\"judge\":%d}", seq),
                             .client = client};
    if (!rc) rc = app_write_tx(app, &ae, NULL, reissue_write, &x, err);
    contest_snap_free(&x.s);
    if (!rc) {
        *name = x.name;
        *code = x.code;
    }
    return rc;
}
