/*
 * items.h — work items (台账) on one engine: problem lists, weekly
 * dispatch, residents' requests, hazards, disputes and deliberations.
 *
 * Each type's states and transitions are data (workflows/NAME.json, compiled
 * in, checked by core/workflow.c at start). Every change of an item is a
 * checked transition (permission within the actor's scope, what the step
 * needs: a note, evidence, a rating, an assignee), appended to the item's
 * timeline and to the audit trail in one transaction.
 */
#ifndef JICENG_ITEMS_H
#define JICENG_ITEMS_H

#include "app/app.h"
#include "app/files.h"
#include "core/workflow.h"

#define ITEM_TEXT_MAX  4000 /* bytes of a description, measures or note */
#define ITEM_TITLE_MAX 200

int items_init(struct app *app, struct err *err);
void items_free(struct app *app);
/* The shipped type with this code, or NULL. */
const struct wf_type *items_type(const struct app *app, const char *code);

struct item_input {
    const char *type, *title, *description, *unit, *owner_unit, *helper_unit, *assignee;
    const char *measures, *category, *deadline, *location;
    int priority;        /* 0 = normal (2) */
    int immediate;       /* -1 absent */
    const char *contact; /* the submitter's phone or e-mail, kept sealed; NULL none */
    const char *creator; /* who creates it when there is no signed-in actor (an Open311 client) */
};

struct item_step {
    const char *note, *evidence, *assignee;
    int rating;
    const struct file_ref *files; /* uploaded files to attach (files.h); they count as evidence */
    size_t nfiles;
};

/* What a reassignment (转办) changes; NULL = unchanged, "" clears the helper unit. */
struct item_reassign {
    const char *owner_unit, *helper_unit, *assignee, *note;
};

int items_create(struct app *app, const struct auth_user *actor, const struct item_input *in,
                 const char *client, struct arena *a, struct store_item *out, struct err *err);
#define ITEMS_BATCH_MAX 2000 /* units in one dispatch batch */

/* Weekly dispatch: the same item for each of n units (owner = the unit),
 * all checked first, then written in one transaction as one batch. *out
 * (n items, in a) and *batch are set on success. */
int items_create_batch(struct app *app, const struct auth_user *actor, const struct item_input *in,
                       const char *const *units, size_t n, const char *client, struct arena *a,
                       int64_t *batch, struct store_item **out, struct err *err);
/* n different items (e.g. a unit's creation checklist) as one batch titled
 * `title`: all checked, then written in one transaction, or nothing. */
int items_create_list(struct app *app, const struct auth_user *actor, const struct item_input *in,
                      size_t n, const char *title, const char *client, struct arena *a,
                      int64_t *batch, struct store_item **out, struct err *err);
#define ITEMS_IMPORT_MAX 20000 /* rows of one item ledger */

/* Imports an item ledger (CSV UTF-8/GB18030 or XLSX; columns 标题, 涉及单位代码,
 * and optionally 责任单位代码, 帮扶单位代码, 责任人, 整改措施, 类别, 期限,
 * 优先级, 问题描述, 立行立改) as items of `type`: every row checked like a
 * single create, then all written as one batch, or nothing. */
int items_import(struct app *app, const struct auth_user *actor, const char *type, const char *data,
                 size_t len, const char *name, const char *client, struct arena *a, int64_t *batch,
                 size_t *n, struct err *err);
/* Escalation (督办): every item past its deadline on `today` (YYYY-MM-DD),
 * not finished and not escalated before, is reported to its owner unit's
 * parent (escalated_to) with a note on its timeline; one audit record.
 * Run daily (`jiceng items escalate`). *n counts the items escalated. */
int items_escalate(struct app *app, const char *today, size_t *n, struct err *err);
/* Takes transition `code` on item id. */
int items_transition(struct app *app, const struct auth_user *actor, int64_t id, const char *code,
                     const struct item_step *step, const char *client, struct arena *a,
                     struct store_item *out, struct err *err);
/* A comment: a note, files, or both. */
int items_comment(struct app *app, const struct auth_user *actor, int64_t id,
                  const struct item_step *step, const char *client, struct err *err);
/* Reassignment (转办) of an item not yet finished, with a note saying why:
 * another owner unit (needs items:dispatch; inside the actor's scope),
 * helping unit or responsible person. One timeline event lists each
 * changed field's old and new value. */
int items_reassign(struct app *app, const struct auth_user *actor, int64_t id,
                   const struct item_reassign *r, const char *client, struct arena *a,
                   struct store_item *out, struct err *err);
/* The owner unit of item `id_text` (for the router's scope check). */
int items_unit_of(struct app *app, struct arena *a, const char *id_text, const char **unit,
                  struct err *err);
/* The item a resident follows by its tracking code. */
int items_by_code(struct app *app, struct arena *a, const char *code, struct store_item *out,
                  struct err *err);

/* Open311 client applications' API keys (`jiceng open311 key create`). */
int open311_key_create(struct app *app, const char *name, int64_t *id, char **key, struct err *err);
int open311_key_revoke(struct app *app, int64_t id, struct err *err);
/* The client's name for a valid key; ERR_UNAUTHORIZED otherwise. */
int open311_key_check(struct app *app, struct arena *a, const char *key, const char **name,
                      struct err *err);

/* Today's local date plus some days as YYYY-MM-DD: deadlines and overdue
 * are counted in the office's own calendar days. */
void items_today(char out[11], int plus_days);

/* Parses a path id: a positive decimal number. */
int items_parse_id(const char *text, int64_t *id, struct err *err);

#endif
