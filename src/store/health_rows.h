/* health_rows.h — rows of the family-doctor tables (migration 030),
 * shared by store/health.c and app/health*.c through store.h. */
#ifndef JICENG_HEALTH_ROWS_H
#define JICENG_HEALTH_ROWS_H

#include <stdbool.h>
#include <stdint.h>

/* A key group's household tags (data/people.json household_tags) are
 * matched as this prefix + code among a resident's tags: the tags of the
 * households the resident belongs to on the day come with the resident's
 * own (store/health.c). */
#define HEALTH_HOUSEHOLD_TAG "h."

struct health_facility_row {
    int64_t id;
    const char *unit, *type, *name, *created_by, *created_at;
    bool located;
    double lat, lng; /* WGS-84 */
};

struct health_team_row {
    int64_t id, facility_id, leader_id;
    const char *unit, *name, *created_by, *created_at;
    const char *facility_name; /* read only */
};

struct health_contract_row {
    int64_t id, person_id, team_id;
    const char *unit, *package, *start_date, *end_date, *stop_reason, *created_by, *created_at;
    const char *person_name, *team_name; /* read only */
};

/* One resident of a subtree for coverage: birth date ("" unknown),
 * whether a contract holds today, and the resident's tags ",a,b,". */
struct health_resident_row {
    int64_t person_id;
    const char *unit, *birth_date, *tags;
    bool signed_now;
};

/* 随访: a follow-up of a resident by the family-doctor team (migration
 * 044); day YYYY-MM-DD, method a data/health.json followups method. */
struct health_followup_row {
    int64_t id, person_id, team_id;
    const char *unit, *day, *method, *doctor, *note, *created_by, *created_at;
    const char *team_name; /* read only */
};

#endif
