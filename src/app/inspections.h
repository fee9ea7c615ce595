/*
 * inspections.h — 双随机、一公开: the draw of a plan from the registries
 * (core/draw.c over store/inspections.c) and its verification.
 */
#ifndef JICENG_INSPECTIONS_H
#define JICENG_INSPECTIONS_H

#include "app/app.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stdint.h>

/* Draws plan_id: snapshots the active targets and inspectors in the plan's
 * subtree and their 回避 links, derives the seed from the plan id, the
 * snapshot's digest and public_value (fixed and published before, e.g. the
 * draw time; NULL: now), runs the draw and stores inputs and result in one
 * transaction with its audit record. ERR_INVALID naming the rule when a
 * target would have fewer than per_target eligible inspectors (nothing
 * written); ERR_CONFLICT when the plan was drawn already. */
int inspections_draw(struct app *app, int64_t plan_id, const char *public_value, const char *by,
                     const char *client, int64_t *draw_id, struct err *err);

/* Re-runs draw_id from its stored inputs and compares with the stored
 * result. out gets "digest …", "seed …" and one line per target,
 * "TARGET: INSPECTOR INSPECTOR" as re-run; *same is false and diff names
 * the first difference when the stored draw was altered. */
int inspections_verify(struct app *app, int64_t draw_id, struct buf *out, bool *same,
                       struct buf *diff, struct err *err);

/* The last day to publish a result checked on checked_on: that day plus
 * data/inspections.json's working days on data/calendar.json. */
int inspections_publish_by(const char *checked_on, char out[11], struct err *err);

/* Records a check's result: code one of data/inspections.json's results,
 * checked_on not after the plan's deadline, published_on (optional) not
 * before checked_on nor after the publication deadline; else ERR_INVALID
 * naming the rule and nothing written. Audited. */
int inspections_result(struct app *app, int64_t check_id, const char *code, const char *checked_on,
                       const char *published_on, const char *by, const char *client,
                       struct err *err);

/* Computed data elements {"source":"inspections","measure":"drawn"|"done"}
 * (app/persons.c dispatches here); writes announce INSPECTIONS_CHANGED. */
#define INSPECTIONS_CHANGED "@inspections"
bool inspections_computed_is(const char *computed);
int inspections_computed_check(const struct app *app, const char *computed, struct err *err);
int inspections_computed_counts(struct app *app, const char *computed, const char *start,
                                const char *next,
                                int (*fn)(void *ctx, const char *unit, size_t len, double n),
                                void *ctx, struct err *err);

#endif
