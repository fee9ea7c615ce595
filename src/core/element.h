/*
 * element.h — data elements: what an office records per unit and period
 * (户数, 卫生厕所户数, 村集体经济收入…), how a value is checked and how it
 * aggregates up the tree.
 */
#ifndef JICENG_ELEMENT_H
#define JICENG_ELEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "core/unit.h"

#define ELEMENT_CODE_MAX 64

enum value_type { VT_INTEGER, VT_NUMBER, VT_PERCENTAGE, VT_BOOLEAN };
enum aggregation { AGG_SUM, AGG_AVERAGE, AGG_NONE };

struct element {
    char code[ELEMENT_CODE_MAX + 1];
    const char *name, *measure, *description;
    int value_type;  /* enum value_type */
    int aggregation; /* enum aggregation */
    int period_type; /* enum period_type */
    uint32_t levels; /* bit per enum unit_level where values are entered; 0 = any */
    bool has_min, has_max;
    double min, max;
    /* Counted from the registry instead of entered (people.h), as JSON such
     * as {"source":"memberships","kind":"party_member"}; NULL otherwise. */
    const char *computed;
};

/* Name ↔ enum; -1 for an unknown name. */
int value_type_parse(const char *s);
const char *value_type_name(int t);
int aggregation_parse(const char *s);
const char *aggregation_name(int a);

/* Code: 1–64 of [A-Za-z0-9_.-], the same characters formulas accept in #{…}. */
int element_code_check(const char *code, struct err *err);
/* "village,township" → level bits; ERR_INVALID naming an unknown level. */
int element_levels_parse(const char *s, uint32_t *out, struct err *err);
/* Checks a value for this element: integral for integers, 0 or 1 for yes/no,
 * 0–100 for percentages unless a range says otherwise, within min/max. */
int element_value_check(const struct element *e, double v, struct err *err);
/* Whether values of e may be entered for a unit of this level. */
bool element_level_ok(const struct element *e, int level);

/* A stored value, and which values a list returns. */
struct value_row {
    const char *element, *unit, *period, *updated_by, *updated_at;
    double value;
};
struct value_filter {
    const char *scope;    /* unit subtree ("" = all) */
    const char *element;  /* NULL = all */
    const char *lo, *hi;  /* period text range, NULL = all */
    const char *after[3]; /* cursor: unit, element, period of the last row seen; NULL = start */
    int limit;
};

/* An indicator: a named formula over elements, with how to show it. */
struct indicator {
    const char *code, *name, *formula, *format, *measure, *description;
    int decimals;
};

#endif
