/* share.c — the day arithmetic of 共享小区 windows (share.h), on the
 * day numbers of core/civil.h. */
#include "core/share.h"
#include "core/civil.h"

bool share_day_parse(const char *text, int64_t *day)
{
    int y, m, d;
    if (!civil_parse(text, &y, &m, &d) || y < 2000 || y > 2199) return false;
    *day = civil_days(y, m, d);
    return true;
}

void share_day_text(int64_t day, char out[SHARE_DAY_TEXT])
{
    civil_format((long)day, out);
}
