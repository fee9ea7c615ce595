/*
 * user.h — a user account as the store keeps it (app/users.c, app/auth.c):
 * a plain row shared by store/, app/ and api/. Secrets are hashes; the
 * phone number is sealed (core/seal.h).
 */
#ifndef JICENG_USER_H
#define JICENG_USER_H

#include <stdbool.h>
#include <stdint.h>

struct user_row {
    int64_t id;
    const char *username, *display_name, *role;
    const char *scope;        /* "" = the whole tree */
    const char *phone_sealed; /* NULL when none */
    const char *phone_hash;   /* NULL when none */
    const char *password_hash;
    bool disabled;
    bool must_change_password; /* set by someone else: change it before anything else */
    int failed_logins;
    int64_t locked_until;                   /* unix seconds */
    const char *created_at, *last_login_at; /* last_login_at NULL until the first login */
};

/* An API token as listed (never its secret, which only its owner saw once). */
struct token_row {
    int64_t id;
    const char *label;
    const char *created_at;
    const char *revoked_at; /* NULL while it is valid */
};

#endif
