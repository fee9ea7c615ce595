/*
 * data.h — data elements, indicators and values, shared by the API and the
 * command line: the catalogue, validated all-or-nothing writes (audited,
 * within the writer's scope) and ledgers (CSV/XLSX tables of units ×
 * elements for one period) in and out.
 */
#ifndef JICENG_DATA_H
#define JICENG_DATA_H

#include "app/app.h"
#include "core/element.h"
#include "core/period.h"

struct json_t;

#define DATA_BATCH_MAX 200000 /* values in one write */

/* Elements and indicators as of one request, strings in the arena. */
struct catalog {
    struct element *elements;
    size_t nelements;
    struct indicator *indicators;
    size_t nindicators;
};

int catalog_load(struct app *app, struct arena *a, struct catalog *out, struct err *err);
const struct element *catalog_element(const struct catalog *c, const char *code);
const struct indicator *catalog_indicator(const struct catalog *c, const char *code);

/* Checks an element to create (code, name, bounds). */
int data_element_check(const struct element *e, struct err *err);
/* Checks an indicator to create: format, decimals, and a formula that
 * compiles and references only elements known(ctx, code) says exist. */
int data_indicator_check(const struct indicator *ind, bool (*known)(void *ctx, const char *code),
                         void *ctx, struct err *err);
/* Creates an element (checked; audited). The catalogue is national: the
 * actor's scope must be the whole country (ERR_FORBIDDEN otherwise). */
int data_element_create(struct app *app, const struct auth_user *actor, const struct element *e,
                        const char *client, struct err *err);
/* Creates an indicator, by a whole-country actor too; its formula must
 * compile and reference only existing elements. */
int data_indicator_create(struct app *app, const struct auth_user *actor,
                          const struct indicator *ind, const char *client, struct err *err);

/* Definitions from JSON objects (request bodies, the definitions file). */
int definitions_read_element(struct arena *a, struct json_t *o, struct element *e, struct err *err);
int definitions_read_indicator(struct arena *a, struct json_t *o, struct indicator *ind,
                               struct err *err);
/* Loads {"elements":[…],"indicators":[…]} from a file: creates the
 * definitions whose code is new, leaves existing ones alone. Every entry
 * is checked before the first is written, so a bad file adds nothing. */
int definitions_load(struct app *app, const char *path, size_t *added, size_t *existing,
                     struct err *err);

struct value_in {
    const char *element, *unit, *period;
    double value;
    bool clear; /* delete the value instead */
    long line;  /* where it came from, for messages: item or file line (0 = none) */
    int column; /* file column (0 = none) */
};

/* Checks every item (element, unit inside the actor's scope and of an
 * allowed level, period of the element's type, value), then writes them
 * all in one transaction with one audit record. Nothing is written when
 * any item is bad; err names it. *changed counts values that changed. */
int data_values_write(struct app *app, const struct auth_user *actor, const struct value_in *items,
                      size_t n, const char *client, const char *source, size_t *changed,
                      struct err *err);
/* The same with the checks of checks.h told and reported in chk: an
 * approved unit and period refuses the write (ERR_CONFLICT), a broken
 * error rule too (ERR_INVALID), broken warnings unless chk->confirm
 * (ERR_CONFLICT); the violations found are in chk. data_values_write is
 * this with warnings confirmed (the command line's own imports). */
struct values_checks;
int data_values_write_checked(struct app *app, const struct auth_user *actor,
                              const struct value_in *items, size_t n, const char *client,
                              const char *source, struct values_checks *chk, size_t *changed,
                              struct err *err);

/* The values entered inside f->scope (not rolled up), in (unit, element,
 * period) order after f's cursor; rows valid during fn. */
int data_values_list(struct app *app, const struct value_filter *f,
                     int (*fn)(void *ctx, const struct value_row *v), void *ctx, struct err *err);

/* Reads a ledger (CSV in UTF-8/GB18030, or XLSX) into values for `period`
 * (NULL: a 期间/period column gives it per row). Layout: a header row with
 * 单位代码 (or code), optionally 单位名称 (name) and 期间 (period), then one
 * column per element, headed by its code or its name; one row per unit;
 * empty cells are skipped. Errors name the row and column. */
int data_ledger_read(struct app *app, struct arena *a, const char *data, size_t len,
                     const char *name, const char *period, struct value_in **items, size_t *n,
                     struct err *err);

#endif
