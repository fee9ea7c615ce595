/*
 * items.h — work items (台账): the cases whose kind's subject is "item" —
 * problem lists, weekly dispatch, residents' requests, hazards, disputes,
 * deliberations and any kind a county adds (kinds.h). This module checks
 * what an item is made of (title, units, deadline …) and creates items one
 * at a time, as a dispatch batch or a list, from a ledger, and escalates
 * overdue ones; every step of an item goes through the case engine
 * (cases.h), like every other case.
 */
#ifndef JICENG_ITEMS_H
#define JICENG_ITEMS_H

#include "app/cases.h"

#define ITEM_TEXT_MAX    CASE_NOTE_MAX /* bytes of a description, measures or note */
#define ITEM_TITLE_MAX   200
#define ITEMS_BATCH_MAX  2000  /* units in one dispatch batch */
#define ITEMS_IMPORT_MAX 20000 /* rows of one item ledger */

struct item_input {
    const char *type, *title, *description, *unit, *owner_unit, *helper_unit, *assignee;
    const char *measures, *category, *deadline, *location;
    int priority;        /* 0 = normal (2) */
    int immediate;       /* -1 absent */
    const char *contact; /* the submitter's phone or e-mail, kept sealed; NULL none */
};

/* What a reassignment (转办) changes; NULL = unchanged, "" clears the helper unit. */
struct item_reassign {
    const char *owner_unit, *helper_unit, *assignee, *note;
};

/* The kind of an item type code, or NULL (also for kinds of other subjects). */
const struct wf_kind *items_kind(const struct app *app, const char *type);
/* ",a,b,": the item kinds, or the one kind `type` (ERR_INVALID naming it
 * when it is not an item kind); for struct case_filter.kinds. */
int items_kinds(const struct app *app, const char *type, const char **kinds, struct err *err);

/* Checks an item to create for actor and fills *out (strings in a). */
int items_prepare(struct app *app, const struct auth_user *actor, const struct item_input *in,
                  struct arena *a, struct case_row *out, struct err *err);
int items_create(struct app *app, const struct auth_user *actor, const struct item_input *in,
                 const char *client, struct arena *a, struct case_row *out, struct err *err);
/* Weekly dispatch: the same item for each of n units (owner = the unit),
 * all checked first, then written in one transaction as one batch. *out
 * (n items, in a) and *batch are set on success. */
int items_create_batch(struct app *app, const struct auth_user *actor, const struct item_input *in,
                       const char *const *units, size_t n, const char *client, struct arena *a,
                       int64_t *batch, struct case_row **out, struct err *err);
/* n different items (e.g. a unit's creation checklist) as one batch titled
 * `title`, with `also` (may be NULL; cases.h) in the same transaction: all
 * checked, then written, or nothing. */
int items_create_list(struct app *app, const struct auth_user *actor, const struct item_input *in,
                      size_t n, const char *title, struct case_change *also, const char *client,
                      struct arena *a, int64_t *batch, struct case_row **out, struct err *err);
/* One refused row of an imported ledger. */
struct item_row_error {
    long line; /* 1-based row in the file */
    char field[64];
    char msg[ERR_MSG_MAX];
};
#define ITEMS_IMPORT_ERRORS_MAX 100 /* rows reported at most; the count goes on */

/* Imports an item ledger (CSV UTF-8/GB18030 or XLSX; columns 标题, 涉及单位代码,
 * and optionally 责任单位代码, 帮扶单位代码, 责任人, 整改措施, 类别, 期限,
 * 优先级, 问题描述, 立行立改) as items of `type`: every row checked like a
 * single create, then all written as one batch, or nothing. When rows are
 * refused, err is the first one's (kind, "第 N 行：…", line) and *rows (in
 * `a`) the first ITEMS_IMPORT_ERRORS_MAX of them, *nrows how many there
 * were; both stay empty for a refusal of the whole file (heading, size). */
int items_import(struct app *app, const struct auth_user *actor, const char *type, const char *data,
                 size_t len, const char *name, const char *client, struct arena *a, int64_t *batch,
                 size_t *n, struct item_row_error **rows, size_t *nrows, struct err *err);
/* Escalation (督办): every item past its deadline on `today` (YYYY-MM-DD),
 * not finished and not escalated before, is reported to its owner unit's
 * parent (escalated_to) with a note on its timeline; one audit record.
 * Run daily (`jiceng items escalate`) as the system actor. */
int items_escalate(struct app *app, const char *today, size_t *n, struct err *err);

/* Item id with its kind (ERR_NOT_FOUND also for cases of other subjects). */
int items_load(struct app *app, struct arena *a, int64_t id, struct case_full *out,
               struct err *err);
/* Reassignment (转办) of an item not yet finished, with a note saying why:
 * another owner unit (needs items:dispatch; inside the actor's scope),
 * helping unit or responsible person. One timeline event lists each
 * changed field's old and new value. */
int items_reassign(struct app *app, const struct auth_user *actor, int64_t id,
                   const struct item_reassign *r, const char *client, struct arena *a,
                   struct err *err);
/* The item a resident follows by its tracking code. */
int items_by_code(struct app *app, struct arena *a, const char *code, struct case_full *out,
                  struct err *err);

/* Open311 client applications' API keys (`jiceng open311 key create`). */
int open311_key_create(struct app *app, const char *name, int64_t *id, char **key, struct err *err);
int open311_key_revoke(struct app *app, int64_t id, struct err *err);
/* The client's name for a valid key; ERR_UNAUTHORIZED otherwise. */
int open311_key_check(struct app *app, struct arena *a, const char *key, const char **name,
                      struct err *err);

/* Is s a real date written YYYY-MM-DD? */
bool items_valid_date(const char *s);

#endif
