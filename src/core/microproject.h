/*
 * microproject.h — the rows of a 微项目 as the store gives them and app/
 * and api/ read them (store_microprojects.h, app/microprojects.h).
 */
#ifndef JICENG_CORE_MICROPROJECT_H
#define JICENG_CORE_MICROPROJECT_H

#include <stdint.h>

/* A project as listed: its case's fields with budget and totals. */
struct mp_row {
    int64_t id, budget, wishes, participations;
    const char *unit, *title, *state, *assignee, *created_at, *updated_at;
};

/* A packaged wish (a case of kind "wish"). */
struct mp_wish_row {
    int64_t id;
    const char *title, *state, *unit;
};

/* Who took part: kind person, unit or enterprise; count persons or times. */
struct mp_participant_row {
    int64_t id, project_id, count;
    const char *kind, *name, *added_at, *added_by;
};

#endif
