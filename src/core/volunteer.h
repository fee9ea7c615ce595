/*
 * volunteer.h — the rows of volunteer teams, members and sign-in/out
 * (志愿服务) the layers pass: filled by store/volunteers.c, read by
 * app/volunteers*.c and api/volunteers.c.
 */
#ifndef JICENG_CORE_VOLUNTEER_H
#define JICENG_CORE_VOLUNTEER_H

#include <stdint.h>

struct vol_team_row {
    int64_t id, leader_id; /* leader_id 0: none */
    const char *unit, *name, *leader_name, *created_by, *created_at;
    int64_t members; /* read only */
};
struct vol_member_row {
    int64_t team_id, person_id;
    const char *person_name, *joined_on;
};
struct vol_sign_row {
    int64_t event_id, person_id;
    const char *person_name, *signed_in, *signed_out; /* signed_out "" until signed out */
    int64_t travel_minutes, minutes;                  /* minutes -1 until signed out */
    const char *created_by;
};
/* A volunteer of a subtree: all their counted minutes and their balance. */
struct vol_person_row {
    int64_t person_id, minutes, cents, activities;
    const char *name;
};
struct vol_year_row {
    const char *year;
    int64_t minutes, activities;
};

#endif
