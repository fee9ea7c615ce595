/*
 * share.h — 共享小区 (issue 17 part 1): residents (a public page, no
 * account) and staff post needs and offers (categories of data/share.json)
 * in a community with an optional building and a window of days; the
 * system suggests open posts of the other kind in the same community and
 * category whose window overlaps, same building first; a match of a need
 * with an offer takes both from open to matched in one transaction (of two
 * matches of one offer at once exactly one wins) and becomes a service
 * record both sides confirm and rate 1–5 — staff for residents, or the
 * resident with the confirmation code given when posting. A match is done
 * when both have confirmed.
 *
 * A resident's phone number is sealed (core/seal.h) and shown masked; the
 * code is kept only as a keyed hash. Computed data elements
 * {"source":"share","count":"done"|"needs"|"offers"}: matches done, needs
 * and offers posted in a period, by community.
 */
#ifndef JICENG_SHARE_H
#define JICENG_SHARE_H

#include "app/app.h"
#include "app/computed_sources.h"
#include "core/share.h"

struct json_t;

#define SHARE_CHANGED        "@share"
#define SHARE_CATEGORIES_MAX 16
#define SHARE_LIST_MAX       500
#define SHARE_CODE_LEN       10
#define SHARE_CONTACT_MAX    40

struct share_category {
    const char *code, *name, *hint;
};
struct share_defs {
    struct json_t *root; /* owns the strings */
    struct share_category categories[SHARE_CATEGORIES_MAX];
    size_t ncategories;
    int max_window_days, max_title, max_body, max_building, suggestions;
};

int share_defs_load(struct app *app, struct err *err);
void share_defs_free(struct app *app);
/* The category's name, NULL when code is not one. */
const char *share_category_name(const struct app *app, const char *code);

/* What a post asks: kind "need" or "offer", dates "YYYY-MM-DD". */
struct share_input {
    const char *kind, *category, *unit, *building, *from, *to, *title, *body, *contact;
};

/* Posts for the actor (scope-checked; contact optional) or, with actor
 * NULL, for a resident (contact required; *code gets the confirmation code,
 * SHARE_CODE_LEN + 1 bytes). */
int share_post_create(struct app *app, const struct auth_user *actor, const struct share_input *in,
                      const char *client, int64_t *id, char *code, struct err *err);
/* The posts of the subtree of unit (kind and state NULL: any), newest first. */
int share_posts(struct app *app, const char *unit, const char *kind, const char *state,
                struct arena *a, struct share_post_row **out, size_t *n, struct err *err);
/* The post id, if the actor reaches it (actor NULL: anyone). */
int share_post_get(struct app *app, const struct auth_user *actor, int64_t id, struct arena *a,
                   struct share_post_row *out, struct err *err);
/* The suggestions for post id (a need's offers, an offer's needs). */
int share_suggest(struct app *app, const struct auth_user *actor, int64_t id, struct arena *a,
                  struct share_post_row **out, size_t *n, struct err *err);
/* Withdraws an open post. */
int share_post_close(struct app *app, const struct auth_user *actor, int64_t id, const char *client,
                     struct err *err);

int share_match(struct app *app, const struct auth_user *actor, int64_t need, int64_t offer,
                const char *client, int64_t *id, struct err *err);
int share_matches(struct app *app, const char *unit, struct arena *a, struct share_match_row **out,
                  size_t *n, struct err *err);
int share_match_get(struct app *app, int64_t id, struct arena *a, struct share_match_row *out,
                    struct err *err);
/* One side confirms the service and rates it 1–5 (side "need"/"offer"). */
int share_confirm(struct app *app, const struct auth_user *actor, int64_t match, const char *side,
                  int rating, const char *client, struct err *err);

/* ---- residents, by the confirmation code ---- */

/* The post the code stands for; ERR_NOT_FOUND alike for any unknown code. */
int share_by_code(struct app *app, const char *code, struct arena *a, struct share_post_row *out,
                  struct err *err);
int share_code_close(struct app *app, const char *code, const char *client, struct err *err);
int share_code_confirm(struct app *app, const char *code, int rating, const char *client,
                       struct err *err);

/* ---- computed data elements ---- */

/* {"source":"share","count":"done"|"needs"|"offers"} (computed_sources.h) */
int share_computed_check(const struct app *app, const char *computed, struct err *err);
int share_computed_counts(struct app *app, const char *computed, const char *start,
                          const char *next, const char *date, computed_add fn, void *ctx,
                          struct err *err);

#endif
