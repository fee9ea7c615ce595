/*
 * person.h — the rules of the people registry that need no storage: a
 * person's birth date and resident ID number agreeing (GB 11643), dated
 * memberships not overlapping, the set-up rules of party organisations
 * (党章第三十条: 3 formal members for a branch, 50 for a 总支, 100 for a
 * 党委 — numbers from data/people.json) and term ends (换届). Pure, no I/O.
 *
 * Dates are "YYYY-MM-DD". A membership lasts [from, to): `to` is the first
 * day it no longer holds, NULL or "" while it is open.
 */
#ifndef JICENG_PERSON_H
#define JICENG_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define PERSON_DATE_LEN  10 /* YYYY-MM-DD */
#define PERSON_NAME_MAX  64 /* bytes */
#define PERSON_RULES_MAX 32

/* A real calendar date "YYYY-MM-DD" from 1900-01-01 to 2100-12-31. */
bool person_date_ok(const char *s);
/* Birth date: a real date, not after today ("YYYY-MM-DD"); err->field
 * "birth_date". */
int person_birth_check(const char *birth, const char *today, struct err *err);
/* Resident ID number (already normalized, 18 characters) as of today: the
 * GB 11643 check of core/pii.h, and when birth is given (not NULL or ""),
 * the birth date inside the number must be that date. err->field
 * "id_number". The value is never quoted. */
int person_id_check(const char *id, const char *birth, const char *today, struct err *err);
/* The birth date inside a valid ID number, "YYYY-MM-DD". */
void person_id_birth(const char *id, char out[PERSON_DATE_LEN + 1]);

/* Whether [a_from, a_to) and [b_from, b_to) share a day (NULL/"" ends
 * are open). */
bool person_overlap(const char *a_from, const char *a_to, const char *b_from, const char *b_to);
/* Checks a membership's dates: from a real date, to (when given) a real
 * date after from. */
int person_span_check(const char *from, const char *to, struct err *err);

/* ---- party organisations ---- */

enum org_count { ORG_COUNT_FORMAL, ORG_COUNT_MEMBERS };
enum org_op { ORG_OP_LT, ORG_OP_LE, ORG_OP_GT, ORG_OP_GE };

/* One set-up rule: it fires for an organisation of one of `types` (",a,b,"
 * lists; "" for types means "a unit without any organisation") and one of
 * `forms` ("" = any) whose count compares with value by op. */
struct org_rule {
    const char *code, *types, *forms, *message;
    int count; /* enum org_count */
    int op;    /* enum org_op */
    long value;
};

/* -1 if unknown. */
int org_op_parse(const char *s);
/* Whether rule r fires for an organisation of this type and form (type
 * NULL: a unit without any organisation) with these counts. */
bool org_rule_fires(const struct org_rule *r, const char *type, const char *form, long formal,
                    long members);

/* The day a term that began on start ends after years ("YYYY-MM-DD";
 * 29 February becomes 28 February in a common year). */
void person_term_end(const char *start, int years, char out[PERSON_DATE_LEN + 1]);
/* The day `months` calendar months after date (before it when negative),
 * the day clamped to the month's last ("YYYY-MM-DD"; "" when date is not a
 * real date): 2024-01-31 plus 1 month is 2024-02-29. */
void person_add_months(const char *date, long months, char out[PERSON_DATE_LEN + 1]);
/* Days from a to b (b - a); both real dates. */
long person_days_between(const char *a, const char *b);

/* ---- rows the layers pass (strings owned by whoever filled them) ---- */

struct person_row {
    int64_t id;
    const char *name, *sex, *birth_date, *ethnicity, *education, *unit;
    const char *id_sealed, *id_hash, *id_masked;          /* NULL/"" when unknown */
    const char *phone_sealed, *phone_hash, *phone_masked; /* NULL/"" when unknown */
    const char *account;                                  /* linked login name, or "" */
    const char *created_by, *created_at, *updated_at;
};

struct membership_row {
    int64_t id, person_id, org_id, household_id; /* 0 when none */
    const char *kind, *stage, *unit, *from_date, *to_date, *end_reason, *attributes;
    const char *created_by, *created_at;
    const char *person_name; /* filled by listings that join persons */
};

struct household_row {
    int64_t id, head_id;
    int64_t version; /* one more at every change (offline edits' conflicts) */
    const char *unit, *address, *head_name, *created_by, *created_at, *updated_at;
};

struct org_row {
    int64_t id, parent_id;
    const char *name, *type, *form, *unit, *founded_on, *term_start, *dissolved_on;
    int term_years;
    const char *created_by, *created_at, *updated_at;
};

/* A member's 党费 basis for a year and one paid month (app/points.h); amounts in fen. */
struct dues_basis_row {
    int64_t person_id;
    int year;
    const char *category, *updated_by, *updated_at;
    int64_t income_fen, monthly_fen;
};
struct dues_payment_row {
    int64_t person_id, amount_fen;
    const char *month, *method, *paid_on, *unit, *payment, *created_by, *created_at;
};

#endif
