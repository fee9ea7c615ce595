/*
 * microprojects.h — 微项目 (issue 17 part 2): a case of kind
 * "microproject" (kinds/microproject.json: proposed → approved → running →
 * delivered → closed) that packages several 微心愿 (a wish in one project at
 * a time), with a budget in whole 元 (positive, at most the kind's input
 * "budget" max: the cap is data) and participants — persons, units and
 * enterprises taking part, each entry with how many took part (counted as
 * participations). Steps go through the case engine like any item's.
 */
#ifndef JICENG_MICROPROJECTS_H
#define JICENG_MICROPROJECTS_H

#include "app/cases.h"
#include "app/computed_sources.h"
#include "core/microproject.h"

#define MICROPROJECTS_CHANGED "@microprojects"
#define MICROPROJECT_KIND     "microproject"
#define MP_WISHES_MAX         50    /* wishes packaged in one request */
#define MP_NAME_MAX           100   /* bytes of a participant's name */
#define MP_COUNT_MAX          10000 /* persons (or times) one participant entry counts */
#define MP_LIST_MAX           500

struct mp_create {
    const char *unit, *title, *description, *deadline;
    int64_t budget;
    const int64_t *wishes;
    size_t nwishes;
};

/* A project with its wishes and participants (in a). */
struct mp_view {
    struct mp_row p;
    struct mp_wish_row *wishes;
    size_t nwishes;
    struct mp_participant_row *parts;
    size_t nparts;
};

/* Creates the project's case with its budget and wishes in one
 * transaction. *id is the new case's. */
int microprojects_create(struct app *app, const struct auth_user *actor, const struct mp_create *in,
                         const char *client, struct arena *a, int64_t *id, struct err *err);
/* Packages more wishes in project id (not finished). */
int microprojects_link(struct app *app, const struct auth_user *actor, int64_t id,
                       const int64_t *wishes, size_t n, const char *client, struct err *err);
/* Records a participant: kind person, unit or enterprise, name, count ≥ 1. */
int microprojects_participant_add(struct app *app, const struct auth_user *actor, int64_t id,
                                  const char *kind, const char *name, int64_t count,
                                  const char *client, int64_t *out_id, struct err *err);
/* One project (ERR_NOT_FOUND when id is none) with wishes and participants. */
int microprojects_get(struct app *app, struct arena *a, int64_t id, struct mp_view *out,
                      struct err *err);
/* The projects of the subtree of unit, newest first; public_only: those
 * in the kind's public states (delivered, closed), with their wishes. */
int microprojects_list(struct app *app, struct arena *a, const char *unit, bool public_only,
                       int limit, struct mp_view **out, size_t *n, struct err *err);

/* The label of a state of kind `kind` (the code when unknown). */
const char *microprojects_state_label(const struct app *app, const char *kind, const char *state);
/* 个人, 单位, 企业 for person, unit, enterprise; NULL for any other kind. */
const char *microprojects_participant_label(const char *kind);
/* The budget cap in 元 (the kind's input "budget" max). */
int64_t microprojects_budget_max(const struct app *app);

/* Computed elements {"source":"microprojects","count":"participations"}:
 * participations recorded in the period, per unit of the project. */
int microprojects_computed_check(const struct app *app, const char *computed, struct err *err);
int microprojects_computed_counts(struct app *app, const char *computed, const char *start,
                                  const char *next, const char *date, computed_add fn, void *ctx,
                                  struct err *err);

#endif
