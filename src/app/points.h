/*
 * points.h — 党员积分 (笑脸积分) and 党费 on the people registry.
 *
 * Points. Every rule is data (data/points.json, points_defs.c): a yearly
 * base, items adding or taking points with a cap per period (month or
 * year) and who may claim them (the member, the branch), whether evidence
 * is needed and which permission approves, overall caps on what items add
 * in a period, and the bands a member's yearly score reaches. A claim is a
 * case of the "points" kind (kinds/points.json) on the case engine: 待审 →
 * 通过 / 驳回; its subject row (struct case_points) counts once the
 * approving step's effect (points_count) marks it. The kind's guard
 * (points_rule) checks the rule's approver and its caps again when it is
 * approved. Items earned by attending an event (source "event") are not
 * claimed: the events engine writes them, once per person, rule and event
 * (point_entries' unique key).
 *
 * A member's yearly score is the base plus the counted points of the
 * year; the bands (优秀 / 合格 / 不合格, 笑脸 / 呆脸 / 哭脸) are the level a
 * person-scheme (core/scheme.h, "applies_to": ["person"]) gives that score.
 * The computed data element with source "points" (data/definitions.json,
 * party.points.total) is the counted points of a period per unit, rolled
 * up like any other element.
 *
 * 党费. The 2008 rate table is data (data/dues.json): a member's basis for
 * a year (category and monthly income, in fen) gives the monthly amount,
 * rounded half up to the fen; payments record paid months; a member whose
 * last `arrears_months` due months are unpaid is flagged. Amounts are fen
 * (integers) throughout.
 *
 * Scope: the routes check the person or unit; a member (persons:self)
 * reaches only their own person through the *_mine calls.
 */
#ifndef JICENG_POINTS_H
#define JICENG_POINTS_H

#include "app/app.h"
#include "app/cases.h"
#include "app/files.h"

struct event_row;
struct json_t;
struct scheme;

/* The computed elements' source point entries make stale (analytics.h). */
#define POINTS_CHANGED "@points"

/* ---- definitions (data/points.json, data/dues.json) ---- */

enum points_period { POINTS_MONTH, POINTS_YEAR };

struct points_rule {
    const char *code, *name;
    int points;              /* + adds, - takes */
    int period;              /* enum points_period: what the cap counts over */
    int cap;                 /* most |points| of this rule in one period */
    bool evidence;           /* a claim needs evidence (text or files) */
    bool by_member;          /* a member may claim it for themselves */
    bool by_branch;          /* the branch (party:manage) may record it */
    const char *approver;    /* the permission approving it */
    const char *source;      /* "claim", or "event": written by the events engine */
    const char *event_types; /* source "event": ",a,b," the event types earning it, else NULL */
    const char *grade;       /* source "evaluation": the 民主评议党员 grade earning it */
};
struct points_cap {
    int period; /* enum points_period */
    int bonus;  /* most points all items may add in one period */
    const char *message;
};
struct points_band {
    int level;
    const char *code, *name, *face;
};
struct dues_category {
    const char *code, *name, *note;
    bool income; /* the amount is a rate of the income, else a fixed amount */
    struct {
        int64_t upto_fen; /* inclusive upper bound, 0 for the last band */
        int permille;
    } bands[8];
    int nbands;
    int64_t min_fen, max_fen, default_fen; /* fixed ones */
};
struct dues_method {
    const char *code, *name;
};
struct points_defs {
    struct json_t *root, *dues_root; /* own every string below */
    struct arena *arena;             /* and the lists built from them */
    int year_base;
    const char *member_kind;   /* the membership kind whose member stages make a 党员 */
    const char *score_element; /* what the band scheme's formulas call the score */
    struct points_rule *rules;
    size_t nrules;
    struct points_cap *caps;
    size_t ncaps;
    struct points_band *bands;
    size_t nbands;
    struct scheme *scheme; /* the bands, a person scheme */
    /* 党费 */
    const char *dues_source, *arrears_message;
    struct dues_category *categories;
    size_t ncategories;
    struct dues_method *methods;
    size_t nmethods;
    int64_t income_max_fen, month_max_fen;
    int advance_months, arrears_months;
};

int points_defs_load(struct app *app, struct err *err);
void points_defs_free(struct app *app);
const struct points_rule *points_rule(const struct app *app, const char *code);
const struct points_band *points_band(const struct app *app, int level);
const struct dues_category *dues_category(const struct app *app, const char *code);
const char *dues_method_name(const struct app *app, const char *code);

/* The person linked to the reader's account (ERR_INVALID, a sentence to
 * act on, when none: a member route answers for the caller alone). */
int points_person_mine(struct app *app, const struct auth_user *reader, int64_t *person,
                       struct err *err);

/* ---- points ---- */

struct points_claim {
    int64_t person_id;
    const char *rule, *day; /* day "YYYY-MM-DD", NULL: today */
    const char *note, *evidence;
    const struct file_ref *files;
    size_t nfiles;
    bool by_member; /* the member for themselves (rule's "claim" has "member") */
};
/* Files a claim as a new "points" case, 待审: the rule claimable by this
 * claimant and not an event's, evidence when the rule asks for it, the
 * person a party member on the day (their branch's unit is where it
 * counts), the day this or last year and not in the future, and the rule's
 * and the overall caps of the day's period not exceeded by counted and
 * pending entries with this one — each refusal ERR_INVALID naming the rule,
 * nothing written. */
int points_claim(struct app *app, const struct auth_user *actor, const struct points_claim *in,
                 const char *client, struct arena *a, int64_t *case_id, struct err *err);
/* A step (approve, reject) of point claim id through the case engine;
 * ERR_INVALID when id is not a point claim. */
int points_step(struct app *app, const struct auth_user *actor, int64_t id, const char *transition,
                const char *note, const char *client, struct arena *a, struct err *err);

struct points_query {
    int64_t person_id; /* 0: any inside scope */
    const char *scope;
    int year, month; /* month 0: the whole year */
    bool open;       /* only 待审 */
    int64_t before_id;
    int limit;
};
int points_list(struct app *app, const struct points_query *q,
                int (*fn)(void *ctx, const struct point_row *r), void *ctx, struct err *err);

/* A member's year: base, counted points by month, score and band. */
struct points_summary {
    int year;
    long base, earned, score;
    long months[12]; /* counted points by month */
    const struct points_band *band;
};
int points_summary(struct app *app, int64_t person, int year, struct points_summary *out,
                   struct err *err);

/* The members of a subtree ranked by score (month 0: the year's score with
 * its band; a month: that month's counted points, no band). Ties share a
 * rank. */
struct points_rank {
    int64_t person_id;
    const char *name, *unit;
    long earned, score;
    int rank;
    const struct points_band *band; /* NULL for a month */
};
int points_ranking(struct app *app, const struct auth_user *reader, const char *scope, int year,
                   int month, struct arena *a, struct points_rank **out, size_t *n,
                   struct err *err);

/* The computed element's sums: counted points per unit with day in
 * [from, to) (people_computed_counts, source "points"). */
int points_computed_sums(struct app *app, const char *from, const char *to,
                         int (*fn)(void *ctx, const char *unit, size_t len, double n), void *ctx,
                         struct err *err);

/* Would an entry of rule r for person on day (not entry skip) stay within
 * the rule's cap and every overall cap? ERR_INVALID naming the cap when
 * not. pending_too: count open claims too. Inside the caller's db. */
int points_within_caps(struct app *app, struct db *db, const struct points_rule *r, int64_t person,
                       const char *day, bool pending_too, int64_t skip, struct err *err);

/* The points a 民主评议党员 grade earns (rules with source "evaluation" and
 * that grade), in the caller's write transaction closing the campaign
 * (source_ref `ref`): entries without a case, counted at once on day, for
 * a person who is a party member on day, within the caps (else not
 * earned). *written counts the entries added. */
int points_review(struct app *app, struct db *db, int64_t person, const char *grade,
                  const char *day, const char *ref, struct arena *a, size_t *written,
                  struct err *err);

/* The points an event's attendance earns, in the events engine's write
 * transaction after the event and its participants are written: each
 * participant present (出席) at a held event, a party member on its day,
 * gets each "event" rule of its type once — an entry without a case,
 * counted at once — when the caps allow (else not earned); the entry of
 * someone no longer present (or of an event no longer held) is withdrawn
 * (not counted), and counted again when they are. One audit record
 * "points.attendance" when anything changed (*changed). */
int points_attendance(struct app *app, struct db *db, const struct auth_user *actor,
                      const struct event_row *e, const char *client, struct arena *a, bool *changed,
                      struct err *err);

/* The guard and effect of the "points" kind (cases.c's table). */
int points_guard_rule(struct case_ctx *x, struct err *err);
int points_effect_count(struct case_ctx *x, struct err *err);

/* ---- 党费 ---- */

/* The monthly amount of a basis: a category's rate of income_fen (the band
 * holding it, half up to the fen) or its fixed amount (fixed_fen, or the
 * default when < 0). ERR_INVALID naming the rule when out of range. */
int dues_monthly(const struct app *app, const char *category, int64_t income_fen, int64_t fixed_fen,
                 int64_t *monthly, struct err *err);
int dues_basis_set(struct app *app, const struct auth_user *actor, int64_t person, int year,
                   const char *category, int64_t income_fen, int64_t fixed_fen, const char *client,
                   struct err *err);

struct dues_month {
    char month[8];      /* YYYY-MM */
    int64_t due_fen;    /* -1: no basis for it */
    int64_t paid_fen;   /* 0: unpaid */
    const char *method; /* of the payment, "" unpaid */
    const char *paid_on;
};
struct dues_view {
    struct dues_basis_row *bases;
    size_t nbases;
    struct dues_month months[12]; /* of the year asked */
    int year;
    int64_t paid_fen, due_fen;
    /* arrears as of this month (YYYY-MM): months past and unpaid */
    int unpaid_run;   /* consecutive up to the last past month */
    int unpaid_total; /* since the first basis */
    int64_t owed_fen;
    bool flagged; /* unpaid_run >= arrears_months */
};
int dues_person(struct app *app, int64_t person, int year, struct arena *a, struct dues_view *out,
                struct err *err);

struct dues_payment_in {
    int64_t person_id, amount_fen;
    const char *const *months; /* "YYYY-MM" */
    size_t nmonths;
    const char *method, *paid_on; /* paid_on NULL: today */
};
/* Records a payment of one or more months, all or nothing: each month
 * with a basis, not paid already (ERR_CONFLICT), not beyond
 * advance_months ahead; the amount at least what they are due and at most
 * month_max_fen a month; split evenly over the months (the remainder on
 * the first). */
int dues_pay(struct app *app, const struct auth_user *actor, const struct dues_payment_in *in,
             const char *client, struct err *err);

/* Members of a subtree with months past and unpaid (as of month
 * "YYYY-MM", NULL: this month), longest run first. */
struct dues_arrear {
    int64_t person_id;
    const char *name, *unit;
    int unpaid_run, unpaid_total;
    int64_t owed_fen;
    bool flagged;
};
int dues_arrears(struct app *app, const struct auth_user *reader, const char *scope,
                 const char *month, struct arena *a, struct dues_arrear **out, size_t *n,
                 struct err *err);

/* The yearly publication of a subtree: each member, their paid months and
 * amount in the year. */
struct dues_public {
    int64_t person_id;
    const char *name, *unit;
    int months[12]; /* 1: paid */
    int nmonths;
    int64_t amount_fen;
};
int dues_publication(struct app *app, const struct auth_user *reader, const char *scope, int year,
                     struct arena *a, struct dues_public **out, size_t *n, struct err *err);

#endif
