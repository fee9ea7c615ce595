/*
 * password.h — the password policy: long enough, not the login name, not
 * a common or trivially patterned password. Pure; hashing is in app/auth.c.
 */
#ifndef JICENG_PASSWORD_H
#define JICENG_PASSWORD_H

#include "base/err.h"

#define PASSWORD_MIN 10  /* characters (code points) */
#define PASSWORD_MAX 128 /* bytes */

/* ERR_OK, or ERR_INVALID with field "password" and a message saying
 * which rule failed. */
int password_check(const char *password, const char *username, struct err *err);

#endif
