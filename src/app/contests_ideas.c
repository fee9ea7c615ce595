/* contests_ideas.c — 金点子 (contests.h): good practices from a contest's
 * contestants with tags, and one vote per user (a second is 409). */
#include "app/audit.h"
#include "app/auth.h"
#include "app/contests_int.h"
#include "io/json_in.h"

#include <stdlib.h>
#include <string.h>

#define IDEA_TITLE_MAX 200
#define IDEA_TEXT_MAX  8000
#define IDEA_TAGS_MAX  10

struct idea_ctx {
    int64_t id;
    struct arena *a;
    struct contest_idea_row row;
    struct contest_snap s;
    int contestant;
};

static int idea_write(struct db *db, void *ctx, struct err *err)
{
    struct idea_ctx *x = ctx;
    int rc = contest_snap_read(db, x->id, x->a, &x->s, err);
    if (rc) return rc;
    x->row.unit = x->s.c.unit;
    if (x->contestant) {
        const struct contestant_row *c = contest_find(&x->s, x->contestant);
        if (!c)
            return err_set_field(err, ERR_INVALID, "contestant",
                                 "没有这名选手，请从选手名单中选择");
        x->row.unit = c->unit;
    }
    return store_contest_idea_insert(db, x->id, &x->row, err);
}

static int read_tags(struct arena *a, json_t *l, const char **out, struct err *err)
{
    *out = "[]";
    if (!l || json_is_null(l)) return ERR_OK;
    if (!json_is_array(l) || json_array_size(l) > IDEA_TAGS_MAX)
        return err_set_field(err, ERR_INVALID, "tags", "标签须为至多 %d 个词语的数组",
                             IDEA_TAGS_MAX);
    size_t i;
    json_t *v;
    json_array_foreach(l, i, v) if (!json_is_string(v) || json_string_length(v) == 0 ||
                                    json_string_length(v) >
                                        60) return err_set_field(err, ERR_INVALID, "tags",
                                                                 "每个标签须为 1 至 20 字的词语");
    char *text = json_dumps(l, JSON_COMPACT);
    *out = arena_strdup(a, text ? text : "[]");
    free(text);
    return ERR_OK;
}

int contests_idea_create(struct app *app, const struct auth_user *actor, int64_t id, json_t *body,
                         const char *client, int64_t *idea, struct err *err)
{
    static const char *const keys[] = {"title", "text", "tags", "contestant", NULL};
    struct arena *a = arena_new();
    struct idea_ctx x = {.id = id, .a = a};
    char at[32];
    auth_now_iso(at);
    int rc = jin_only(body, keys, err);
    if (!rc) rc = jin_str(a, body, "title", IDEA_TITLE_MAX, &x.row.title, err);
    if (!rc) rc = jin_text(a, body, "text", IDEA_TEXT_MAX, &x.row.body, err);
    if (!rc && (!x.row.title || !x.row.title[0]))
        rc = err_set_field(err, ERR_INVALID, "title", "请填写金点子的标题");
    if (!rc && (!x.row.body || !x.row.body[0]))
        rc = err_set_field(err, ERR_INVALID, "text", "请写明金点子的具体做法");
    if (!rc) rc = read_tags(a, json_object_get(body, "tags"), &x.row.tags, err);
    json_t *c = json_object_get(body, "contestant");
    if (!rc && c && !json_is_null(c)) {
        if (!json_is_integer(c) || json_integer_value(c) < 1 ||
            json_integer_value(c) > CONTEST_CONTESTANTS_MAX)
            rc = err_set_field(err, ERR_INVALID, "contestant", "contestant 须为选手序号");
        else
            x.contestant = (int)json_integer_value(c);
    }
    const char *unit = NULL;
    if (!rc) rc = contests_unit_of(app, a, arena_printf(a, "%lld", (long long)id), &unit, err);
    x.row.contestant = x.contestant;
    x.row.created_by = actor->name;
    x.row.created_at = at;
    json_t *o = json_pack("{s:s?}", "title", x.row.title);
    char *after = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    struct audit_entry ae = {.user = actor->name,
                             .action = "contest.idea_create",
                             .entity = arena_printf(a, "contest:%lld", (long long)id),
                             .unit = unit,
                             .after = after ? after : "{}",
                             .client = client};
    if (!rc) rc = app_write_tx(app, &ae, NULL, idea_write, &x, err);
    if (!rc) *idea = x.row.id;
    free(after);
    contest_snap_free(&x.s);
    arena_free(a);
    return rc;
}

struct vote_ctx {
    int64_t id, idea;
    const char *user;
};

static int vote_write(struct db *db, void *ctx, struct err *err)
{
    struct vote_ctx *x = ctx;
    int64_t contest = 0;
    int rc = store_contest_idea_contest(db, x->idea, &contest, err);
    if (!rc && contest != x->id)
        rc = err_set_field(err, ERR_INVALID, "idea", "这条金点子不属于这场擂台比武");
    if (rc == ERR_NOT_FOUND) {
        err_clear(err);
        rc = err_set_field(err, ERR_INVALID, "idea", "没有这条金点子");
    }
    if (!rc) rc = store_contest_idea_vote(db, x->idea, x->user, err);
    return rc;
}

int contests_idea_vote(struct app *app, const struct auth_user *actor, int64_t id, int64_t idea,
                       const char *client, struct err *err)
{
    struct arena *a = arena_new();
    const char *unit = NULL;
    struct vote_ctx x = {.id = id, .idea = idea, .user = actor->name};
    int rc = contests_unit_of(app, a, arena_printf(a, "%lld", (long long)id), &unit, err);
    struct audit_entry ae = {.user = actor->name,
                             .action = "contest.idea_vote",
                             .entity = arena_printf(a, "contest_idea:%lld", (long long)idea),
                             .unit = unit,
                             .after = "{}",
                             .client = client};
    if (!rc) rc = app_write_tx(app, &ae, NULL, vote_write, &x, err);
    arena_free(a);
    return rc;
}
