/* inspections_rows.h — rows of the 双随机 tables (migrations 029, 037, 048) as
 * listed and edited, shared by store/inspections_registry.c and
 * app/inspections*.c (the API sees them through app/inspections.h). */
#ifndef JICENG_INSPECTIONS_ROWS_H
#define JICENG_INSPECTIONS_ROWS_H

#include <stdbool.h>
#include <stdint.h>

struct insp_item_row {
    int64_t id, ratio_permille;
    const char *code, *name, *basis, *frequency, *department;
    bool active;
};

struct insp_target_row {
    int64_t id;
    const char *name, *kind, *credit_code, *unit;
    bool active;
};

struct insp_inspector_row {
    int64_t id, person_id; /* person_id 0: none */
    const char *name, *department, *unit;
    const char *cert_no; /* 执法证号, "" when not given (migration 048) */
    bool active;
};

struct insp_link_row {
    int64_t inspector_id, target_id;
    const char *inspector, *target, *reason;
};

struct insp_plan_row {
    int64_t id, item_id, ratio_permille, target_count, per_target;
    const char *name, *item, *unit, *deadline, *public_value, *created_at;
    int64_t draw_id; /* 0: not drawn */
    const char *drawn_at, *seed, *registry_digest;
    int64_t drawn, done, overdue; /* checks; with a result; none and past deadline */
};

struct insp_check_row {
    int64_t id, seq, target_id;
    const char *target, *unit, *result, *checked_on, *publish_by, *published_on;
    const char *inspectors; /* names in draw order, joined by "、" */
    int64_t case_id;        /* its case (kinds/inspection.json), 0 none */
};

/* A drawn check as its case sees it (strings in a). */
struct insp_check_about {
    int64_t id, case_id;         /* case_id 0: drawn before checks were cases (migration 047) */
    const char *unit, *deadline; /* the target's unit, the plan's deadline */
    const char *target, *item;   /* the target's and the plan's item's names */
    const char *result, *checked_on, *publish_by, *published_on;
};

#endif
