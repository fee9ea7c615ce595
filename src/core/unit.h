/*
 * unit.h — administrative unit codes, levels and kinds.
 *
 * Codes are the national statistical division codes (GB/T 2260 plus the
 * statistics bureau's township and village segments), extended by jiceng
 * for the levels below a village:
 *
 *   level     digits  example             segment
 *   province     2    41                  GB/T 2260
 *   city         4    4111
 *   county       6    411121
 *   township     9    411121100           3-digit township segment
 *   village     12    411121100201        3-digit village segment
 *   grid        15    411121100201001     assigned by jiceng
 *   building    18    411121100201001001  assigned by jiceng
 *
 * Invariant: a unit's parent code is its own code cut to the parent
 * level's length, so the subtree of a code is exactly the codes that start
 * with it, and ordering codes as strings is a depth-first pre-order.
 *
 * Kinds refine a level (街道/镇/乡, 社区/村…). Which kinds exist, their
 * labels and the code ranges they come from are the table in unit.c.
 */
#ifndef JICENG_UNIT_H
#define JICENG_UNIT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum unit_level {
    UNIT_LEVEL_NONE = 0,
    UNIT_PROVINCE,
    UNIT_CITY,
    UNIT_COUNTY,
    UNIT_TOWNSHIP,
    UNIT_VILLAGE,
    UNIT_GRID,
    UNIT_BUILDING,
    UNIT_LEVEL_COUNT
};

enum unit_kind {
    UNIT_KIND_NONE = 0,    /* levels without kinds (province … county) */
    UNIT_KIND_SUBDISTRICT, /* 街道 */
    UNIT_KIND_TOWN,        /* 镇 */
    UNIT_KIND_TOWNSHIP,    /* 乡 (also 苏木) */
    UNIT_KIND_COMMUNITY,   /* 社区 (居委会) */
    UNIT_KIND_VILLAGE,     /* 村 (村委会, also 嘎查) */
    UNIT_KIND_OTHER,       /* 开发区, 农场… outside the standard ranges */
    UNIT_KIND_GRID,        /* 网格 */
    UNIT_KIND_ESTATE,      /* 小区 */
    UNIT_KIND_BUILDING,    /* 楼栋 */
    UNIT_KIND_COUNT
};

#define UNIT_CODE_MAX 18  /* digits of the deepest level */
#define UNIT_NAME_MAX 200 /* bytes of UTF-8 in a unit name */

/* "province", "city", … ; NULL for an invalid level. */
const char *unit_level_name(int level);
/* 省, 市, 县(区), 乡镇(街道), 村(社区), 网格, 楼栋. */
const char *unit_level_label(int level);
/* Parses a level name; UNIT_LEVEL_NONE if unknown. */
int unit_level_parse(const char *name, size_t len);
/* Number of digits in a code of this level. */
size_t unit_level_digits(int level);
/* Level of a code from its length, UNIT_LEVEL_NONE if no level has it. */
int unit_level_of_len(size_t len);

/* Validates a code: ASCII digits only, a level's length, a GB/T 2260
 * province digit (1-8). Returns its level, or ERR_INVALID with a message. */
int unit_code_check(const char *code, size_t len, struct err *err);

/* Length of the parent's code, 0 for a province. */
size_t unit_parent_len(size_t code_len);

/* Kind names: "subdistrict", "town", "xiang", "community", "cun", "other",
 * "grid", "estate", "building"; "" for UNIT_KIND_NONE. */
const char *unit_kind_name(int kind);
/* Chinese labels: 街道, 镇, 乡, 社区, 村, 其他, 网格, 小区, 楼栋. */
const char *unit_kind_label(int kind);
/* Parses a kind name or Chinese label; -1 if unknown. */
int unit_kind_parse(const char *s, size_t len);
/* True if kind may be used at level. */
bool unit_kind_fits_level(int kind, int level);
/* Kind derived from the statistical coding rules for a valid code:
 * township segment 001–099 街道, 100–199 镇, 200–399 乡; village segment
 * 001–199 社区(居委会), 200–399 村(村委会); other segments `other`. Grid
 * and building codes default to grid and building. */
int unit_kind_from_code(const char *code, size_t len);
/* The kind a name's suffix suggests (…街道, …镇, …乡, …居委会, …村委会),
 * or UNIT_KIND_NONE if the name says nothing. Used to flag names that
 * disagree with their code. */
int unit_kind_from_name(const char *name, size_t len);

#endif
