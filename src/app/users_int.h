/*
 * users_int.h — what users.c shares with users_import.c: checking and
 * applying a user's fields, and the user's audit image.
 */
#ifndef JICENG_USERS_INT_H
#define JICENG_USERS_INT_H

#include "app/users.h"

/* Applies the fields of `in` that are set to u, checking each against the
 * actor's rights; *logout is set when the user's sign-ins must end. */
int users_apply(struct app *app, const struct auth_user *actor, const struct user_input *in,
                struct arena *a, struct user_row *u, bool *logout, struct err *err);
/* A login name's form (ERR_INVALID, field username, when it is wrong). */
int users_check_username(const char *s, struct err *err);
/* The user as audit records keep it (phone masked, password fingerprint). */
const char *users_image(struct app *app, struct arena *a, const struct user_row *u);

#endif
