/* computed_sources.c — the table of computed data elements' sources
 * (computed_sources.h). */
#include "app/computed_sources.h"
#include "app/cadres.h"
#include "app/cases_computed.h"
#include "app/evaluations.h"
#include "app/events.h"
#include "app/grids.h"
#include "app/health.h"
#include "app/inspections.h"
#include "app/microprojects.h"
#include "app/people.h"
#include "app/points.h"
#include "app/projects.h"
#include "app/share.h"
#include "app/volunteers.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const struct source {
    const char *name, *changed;
    int (*check)(const struct app *app, const char *computed, struct err *err);
    int (*counts)(struct app *app, const char *computed, const char *start, const char *next,
                  const char *date, computed_add fn, void *ctx, struct err *err);
} sources[] = {
    {"memberships", PEOPLE_MEMBERSHIPS_CHANGED, people_computed_check, people_computed_counts},
    {"party_orgs", PEOPLE_ORGS_CHANGED, people_computed_check, people_computed_counts},
    {"points", POINTS_CHANGED, people_computed_check, people_computed_counts},
    {"duties", EVENTS_CHANGED, events_computed_check, events_computed_counts},
    {"visits", EVENTS_CHANGED, grids_computed_check, grids_computed_counts},
    {"wqxwc", EVENTS_CHANGED, grids_pairs_computed_check, grids_pairs_computed_counts},
    {"health", HEALTH_CHANGED, health_computed_check, health_computed_counts},
    {"inspections", INSPECTIONS_CHANGED, inspections_computed_check, inspections_computed_counts},
    {"evaluations", EVALS_CHANGED, evaluations_computed_check, evaluations_computed_counts},
    {"projects", PROJECTS_CHANGED, projects_computed_check, projects_computed_counts},
    {"volunteers", VOLUNTEERS_CHANGED, volunteers_computed_check, volunteers_computed_counts},
    {"share", SHARE_CHANGED, share_computed_check, share_computed_counts},
    {"microprojects", MICROPROJECTS_CHANGED, microprojects_computed_check,
     microprojects_computed_counts},
    {"cadres", CADRES_CHANGED, cadres_computed_check, cadres_computed_counts},
    {"cases", CASES_CHANGED, cases_computed_check, cases_computed_counts},
};
enum { NSOURCES = sizeof sources / sizeof sources[0] };

/* Audited actions by prefix → the change they imply (the cases' own
 * actions are named by cases_source_of_action). */
static const struct {
    const char *prefix, *changed;
} writes[] = {{"membership.", PEOPLE_MEMBERSHIPS_CHANGED},
              {"person.import", PEOPLE_MEMBERSHIPS_CHANGED},
              {"household.import", PEOPLE_MEMBERSHIPS_CHANGED},
              {"party_org.", PEOPLE_ORGS_CHANGED},
              {"event.", EVENTS_CHANGED},
              {"evaluation.", EVALS_CHANGED},
              {"inspection.", INSPECTIONS_CHANGED},
              {"grid.", EVENTS_CHANGED},
              {"health.", HEALTH_CHANGED},
              {"project.", PROJECTS_CHANGED},
              {"volunteer.", VOLUNTEERS_CHANGED},
              {"share.", SHARE_CHANGED},
              {"microproject.", MICROPROJECTS_CHANGED},
              {"cadre.", CADRES_CHANGED}};

static const struct source *source_of(const char *computed, struct err *err)
{
    json_t *o = json_loads(computed, JSON_REJECT_DUPLICATES, NULL);
    const char *name = json_string_value(json_object_get(o, "source"));
    const struct source *s = NULL;
    for (size_t i = 0; name && !s && i < NSOURCES; i++)
        if (strcmp(name, sources[i].name) == 0) s = &sources[i];
    json_decref(o);
    if (!s && err) {
        char names[256];
        size_t len = 0;
        for (size_t i = 0; i < NSOURCES && len < sizeof names; i++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? "、" : "",
                                    sources[i].name);
        err_setf(err, ERR_INVALID, "computed", "computed 须为对象，其 source 须为 %s 之一", names);
    }
    return s;
}

int computed_check(const struct app *app, const char *computed, struct err *err)
{
    const struct source *s = source_of(computed, err);
    return s ? s->check(app, computed, err) : ERR_INVALID;
}

int computed_counts(struct app *app, const char *computed, const char *start, const char *next,
                    const char *date, computed_add fn, void *ctx, struct err *err)
{
    const struct source *s = source_of(computed, err);
    return s ? s->counts(app, computed, start, next, date, fn, ctx, err) : ERR_INVALID;
}

const char *computed_changed(const char *computed)
{
    const struct source *s = source_of(computed, NULL);
    return s ? s->changed : PEOPLE_MEMBERSHIPS_CHANGED;
}

const char *computed_changed_by(const char *action)
{
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
        if (strncmp(action, writes[i].prefix, strlen(writes[i].prefix)) == 0)
            return writes[i].changed;
    return NULL;
}

int computed_count(const char *computed, const char *const names[], const char *choices,
                   struct err *err)
{
    json_t *o = json_loads(computed, JSON_REJECT_DUPLICATES, NULL);
    const char *what = json_string_value(json_object_get(o, "count"));
    int which = -1;
    for (int i = 0; what && names[i]; i++)
        if (strcmp(what, names[i]) == 0) which = i;
    if (which < 0) {
        err_setf(err, ERR_INVALID, "computed", "computed.count 须为 %s", choices);
    } else if (json_object_size(o) != 2) {
        err_setf(err, ERR_INVALID, "computed", "computed 只能有 source、count");
        which = -1;
    }
    json_decref(o);
    return which;
}
