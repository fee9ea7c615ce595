/* unit_named.h — a unit named in a sheet cell: its code ("411121100201"),
 * or its name with as much of the path above it as makes it unique
 * ("辛安镇/郝庄村", "河南省 › 舞阳县 / 辛安镇"), inside scope ("" the
 * country). */
#ifndef JICENG_UNIT_NAMED_H
#define JICENG_UNIT_NAMED_H

#include "base/arena.h"
#include "base/err.h"
#include "core/tree.h"

/* *code: the unit's code (in the tree); ERR_INVALID for no such unit or
 * an ambiguous name (naming two of them), ERR_FORBIDDEN for one outside
 * scope. */
int app_unit_named(const struct tree *t, struct arena *a, const char *scope, const char *s,
                   const char **code, struct err *err);

#endif
