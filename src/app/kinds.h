/*
 * kinds.h — the case kinds this deployment runs: the shipped definitions
 * (kinds/NAME.json, compiled in) and, when the configuration names one, every
 * *.json file of the directory `kinds_dir` (a county's own kinds). Each is
 * checked against the case engine's vocabulary (cases.h: subjects, guards,
 * effects) and the declared permissions when the app opens; one that does
 * not load stops the start with its file, line and reason.
 */
#ifndef JICENG_KINDS_H
#define JICENG_KINDS_H

#include "app/app.h"
#include "core/workflow.h"

int kinds_load(struct app *app, struct err *err);
void kinds_free(struct app *app);
/* The kind with this code, or NULL. */
const struct wf_kind *kinds_find(const struct app *app, const char *code);
/* The kinds in load order (shipped ones by file name, then the directory's). */
int kinds_count(const struct app *app);
const struct wf_kind *kinds_at(const struct app *app, int i);
/* ",a,b,": the codes of every kind of `subject` (enum case_subject), or of
 * the one kind `code` when it is not NULL and of that subject ("" when it
 * is not). Kept for the app's lifetime. */
const char *kinds_list(const struct app *app, int subject, const char *code);

/* ",kind:transition,…": every step of every kind that sends finished work
 * back (`reopens`), for the monthly review. */
const char *kinds_reopening(const struct app *app);

#endif
