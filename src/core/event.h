/*
 * event.h — an event (活动) and a participant as rows: what the store
 * reads and writes and the app hands to the API (app/events.h).
 */
#ifndef JICENG_EVENT_H
#define JICENG_EVENT_H

#include <stdint.h>

struct event_row {
    int64_t id, org_id; /* org_id 0: organised by the unit */
    const char *type, *unit, *status, *starts_at, *day, *place, *topic, *notes;
    const char *actions; /* JSON array of action codes */
    const char *org_name, *created_by, *created_at, *updated_at;
};
struct participant_row {
    int64_t person_id;
    const char *person_name, *attendance, *data; /* data: JSON object of values */
};

#endif
