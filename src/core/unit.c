/*
 * unit.c — the level and kind tables behind unit.h. Adding a kind is one
 * row in `kinds`; the coding rules and name suffixes live in that row.
 */
#include "core/unit.h"

#include <string.h>

struct level_def {
    const char *name, *label;
    size_t digits;
};

static const struct level_def levels[UNIT_LEVEL_COUNT] = {
    [UNIT_PROVINCE] = {"province", "省", 2},      [UNIT_CITY] = {"city", "市", 4},
    [UNIT_COUNTY] = {"county", "县(区)", 6},      [UNIT_TOWNSHIP] = {"township", "乡镇(街道)", 9},
    [UNIT_VILLAGE] = {"village", "村(社区)", 12}, [UNIT_GRID] = {"grid", "网格", 15},
    [UNIT_BUILDING] = {"building", "楼栋", 18},
};

struct kind_def {
    const char *name, *label;
    int level;             /* the level the kind belongs to; 0: any level of a code range */
    int seg_lo, seg_hi;    /* last-segment range that implies this kind; 0,0 if none */
    const char *suffix[4]; /* name endings that suggest this kind */
};

static const struct kind_def kinds[UNIT_KIND_COUNT] = {
    [UNIT_KIND_NONE] = {"", "", 0, 0, 0, {0}},
    [UNIT_KIND_SUBDISTRICT] = {"subdistrict", "街道", UNIT_TOWNSHIP, 1, 99, {"街道", "街道办事处"}},
    [UNIT_KIND_TOWN] = {"town", "镇", UNIT_TOWNSHIP, 100, 199, {"镇"}},
    [UNIT_KIND_TOWNSHIP] = {"township", "乡", UNIT_TOWNSHIP, 200, 399, {"乡", "苏木"}},
    [UNIT_KIND_COMMUNITY] =
        {"community", "社区", UNIT_VILLAGE, 1, 199, {"居委会", "居民委员会", "社区"}},
    [UNIT_KIND_VILLAGE] =
        {"village", "村", UNIT_VILLAGE, 200, 399, {"村委会", "村民委员会", "嘎查"}},
    [UNIT_KIND_OTHER] = {"other", "其他", 0, 0, 0, {0}},
    [UNIT_KIND_GRID] = {"grid", "网格", UNIT_GRID, 0, 0, {"网格"}},
    [UNIT_KIND_ESTATE] = {"estate", "小区", UNIT_GRID, 0, 0, {"小区"}},
    [UNIT_KIND_BUILDING] = {"building", "楼栋", UNIT_BUILDING, 0, 0, {"楼", "栋"}},
};

const char *unit_level_name(int level)
{
    return level > 0 && level < UNIT_LEVEL_COUNT ? levels[level].name : NULL;
}

const char *unit_level_label(int level)
{
    return level > 0 && level < UNIT_LEVEL_COUNT ? levels[level].label : NULL;
}

int unit_level_parse(const char *name, size_t len)
{
    for (int l = 1; l < UNIT_LEVEL_COUNT; l++)
        if (strlen(levels[l].name) == len && memcmp(levels[l].name, name, len) == 0) return l;
    return UNIT_LEVEL_NONE;
}

size_t unit_level_digits(int level)
{
    return level > 0 && level < UNIT_LEVEL_COUNT ? levels[level].digits : 0;
}

int unit_level_of_len(size_t len)
{
    for (int l = 1; l < UNIT_LEVEL_COUNT; l++)
        if (levels[l].digits == len) return l;
    return UNIT_LEVEL_NONE;
}

int unit_code_check(const char *code, size_t len, struct err *err)
{
    if (len == 0) return err_set(err, ERR_INVALID, "单位代码为空");
    for (size_t i = 0; i < len; i++)
        if (code[i] < '0' || code[i] > '9')
            return err_set(err, ERR_INVALID, "单位代码 \"%.*s\" 只能包含数字",
                           (int)(len > 24 ? 24 : len), code);
    int level = unit_level_of_len(len);
    if (!level)
        return err_set(err, ERR_INVALID,
                       "单位代码 %.*s 有 %zu 位；代码应为 2、4、6、9、12、15 或 18 位",
                       (int)(len > 24 ? 24 : len), code, len);
    if (code[0] < '1' || code[0] > '8')
        return err_set(err, ERR_INVALID, "单位代码 %.*s 的首位不是省级代码（应为 1-8）", (int)len,
                       code);
    return level;
}

size_t unit_parent_len(size_t code_len)
{
    int level = unit_level_of_len(code_len);
    return level > UNIT_PROVINCE ? levels[level - 1].digits : 0;
}

const char *unit_kind_name(int kind)
{
    return kind >= 0 && kind < UNIT_KIND_COUNT ? kinds[kind].name : "";
}

const char *unit_kind_label(int kind)
{
    return kind >= 0 && kind < UNIT_KIND_COUNT ? kinds[kind].label : "";
}

int unit_kind_parse(const char *s, size_t len)
{
    for (int k = 1; k < UNIT_KIND_COUNT; k++) {
        const char *n = kinds[k].name, *l = kinds[k].label;
        if ((strlen(n) == len && memcmp(n, s, len) == 0) ||
            (strlen(l) == len && memcmp(l, s, len) == 0))
            return k;
    }
    return -1;
}

bool unit_kind_fits_level(int kind, int level)
{
    if (kind <= 0 || kind >= UNIT_KIND_COUNT)
        return kind == UNIT_KIND_NONE && level < UNIT_TOWNSHIP;
    if (kind == UNIT_KIND_OTHER) return level == UNIT_TOWNSHIP || level == UNIT_VILLAGE;
    return kinds[kind].level == level;
}

int unit_kind_from_code(const char *code, size_t len)
{
    int level = unit_level_of_len(len);
    if (level == UNIT_GRID) return UNIT_KIND_GRID;
    if (level == UNIT_BUILDING) return UNIT_KIND_BUILDING;
    if (level != UNIT_TOWNSHIP && level != UNIT_VILLAGE) return UNIT_KIND_NONE;
    const char *s = code + len - 3;
    int seg = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    for (int k = 1; k < UNIT_KIND_COUNT; k++)
        if (kinds[k].level == level && kinds[k].seg_lo && seg >= kinds[k].seg_lo &&
            seg <= kinds[k].seg_hi)
            return k;
    return UNIT_KIND_OTHER;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return n <= len && memcmp(s + len - n, suffix, n) == 0;
}

int unit_kind_from_name(const char *name, size_t len)
{
    /* Longest suffix wins: 村民委员会 must not be read as …会 of 居委会. */
    int best = UNIT_KIND_NONE;
    size_t best_len = 0;
    for (int k = 1; k < UNIT_KIND_COUNT; k++)
        for (int i = 0; i < 4 && kinds[k].suffix[i]; i++) {
            size_t n = strlen(kinds[k].suffix[i]);
            if (n > best_len && ends_with(name, len, kinds[k].suffix[i])) {
                best = k;
                best_len = n;
            }
        }
    /* A plain trailing 村 ("高井村") names a village committee too. */
    if (best == UNIT_KIND_NONE && ends_with(name, len, "村")) best = UNIT_KIND_VILLAGE;
    return best;
}
