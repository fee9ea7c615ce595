/* case.c — the one helper the rows of case.h need. */
#include "core/case.h"

void case_row_keep(struct arena *a, struct case_row *c)
{
    const char **s[] = {&c->kind,          &c->title,       &c->description, &c->unit,
                        &c->owner_unit,    &c->helper_unit, &c->assignee,    &c->measures,
                        &c->category,      &c->deadline,    &c->location,    &c->state,
                        &c->created_by,    &c->created_at,  &c->updated_at,  &c->closed_at,
                        &c->tracking_code, &c->escalated_to};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        *s[i] = arena_strdup(a, *s[i] ? *s[i] : "");
    c->contact_sealed = NULL;
}
