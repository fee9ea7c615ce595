/* clock.c — see clock.h. */
#include "base/clock.h"

#include <stdatomic.h>

static _Atomic long long shift;

time_t clock_now(void)
{
    return time(NULL) + (time_t)atomic_load(&shift);
}

void clock_shift(time_t seconds)
{
    atomic_store(&shift, (long long)seconds);
}
