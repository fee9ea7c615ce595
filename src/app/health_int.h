/* health_int.h — what the contract writes of 健康服务 share inside app/
 * (health.c, health_import.c, health_contracts_import.c): one contract
 * checked as a per-person signing checks it, the one-at-a-time rule, and
 * many contracts written in one transaction. Not for api/ or cli/. */
#ifndef JICENG_HEALTH_INT_H
#define JICENG_HEALTH_INT_H

#include "app/health.h"

struct db;

/* Sheet cells of coordinates (health_points_import.c): a number written
 * the whole cell through, or NAN; 坐标系 as written ("WGS-84", "GCJ-02",
 * "GPS", empty: WGS-84) → "wgs84" / "gcj02", else as it is for
 * health_coord to refuse. */
double health_sheet_number(const char *s);
const char *health_sheet_crs(const char *s);

/* A facility's type, name and coordinates as registering one checks them
 * (coordinates in China, converted to WGS-84), into f. */
int health_facility_check(const struct health_defs *h, const struct health_facility_in *in,
                          struct health_facility_row *f, struct err *err);

/* A contract row checked as a per-person signing is: dates (end at least
 * a year after the start) and package, the resident inside the actor's
 * scope, the team known (not looked up again when it is *known_team, the
 * last one found); *out filled (strings in a) and created at `at`. */
int health_contract_prepare(struct app *app, struct db *db, struct arena *a,
                            const struct auth_user *actor, const struct health_contract_in *in,
                            const char *at, int64_t *known_team, struct health_contract_row *out,
                            struct err *err);
/* ERR_CONFLICT naming the resident's contract that overlaps c, if any. */
int health_contract_free(struct db *db, struct arena *a, const struct health_contract_row *c,
                         struct err *err);
/* Writes rows in one transaction with one audit record (action
 * health.contracts.import, filed under unit), the one-at-a-time rule
 * checked again inside it; a refusal names the row's line (lines[i], or
 * i + 1 when lines is NULL). */
int health_contracts_write(struct app *app, const struct auth_user *actor, struct arena *a,
                           struct health_contract_row *rows, const long *lines, size_t n,
                           const char *unit, const char *file, const char *client, struct err *err);

#endif
