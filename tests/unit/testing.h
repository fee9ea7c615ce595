/* testing.h — what every cmocka test file includes. */
#ifndef JICENG_TESTING_H
#define JICENG_TESTING_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixtures folder (tests/fixtures), passed by CMake. */
static inline const char *fixture(const char *name)
{
    static char path[1024];
    const char *dir = getenv("JICENG_TEST_DATA");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/fixtures", name);
    return path;
}

#endif
