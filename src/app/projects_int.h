/*
 * projects_int.h — the checks of the key-project register shared inside
 * app/ by projects.c (one project) and projects_import.c (a sheet of them),
 * so an imported row is refused for exactly what a created project is.
 */
#ifndef JICENG_PROJECTS_INT_H
#define JICENG_PROJECTS_INT_H

#include "app/projects.h"
#include "store/store_projects.h"

/* Checks a new project and fills p from in (created_by/at left unset). */
int projects_check(struct app *app, const struct auth_user *actor, const struct project_in *in,
                   struct arena *a, struct project_row *p, struct err *err);
/* Checks the plan of `year` (万元) of project p: within its years, not above its total. */
int projects_plan_check(const struct project_row *p, int year, double wan, int64_t *cents,
                        struct err *err);

#endif
