/*
 * share.h — the rows of 共享小区 (shared needs and offers, and their
 * matches) the layers pass: filled by store/share.c, read by app/share*.c
 * and api/share*.c; and the day arithmetic their windows use. Pure.
 */
#ifndef JICENG_CORE_SHARE_H
#define JICENG_CORE_SHARE_H

#include <stdbool.h>
#include <stdint.h>

#define SHARE_DAY_TEXT 11 /* "YYYY-MM-DD" + NUL */

struct share_post_row {
    int64_t id;
    const char *kind, *category, *unit, *building, *title, *body;
    int64_t day_from, day_to; /* days since 1970-01-01 */
    const char *contact_sealed, *contact_masked, *code_hash, *state;
    const char *created_by, *created_at, *created_on;
    int64_t match_id; /* read only: its match, 0 none */
};

struct share_match_row {
    int64_t id, need_id, offer_id;
    const char *unit, *created_by, *created_at;
    const char *need_confirmed_at, *offer_confirmed_at, *done_on; /* "" not yet */
    int64_t need_rating, offer_rating;                            /* 0 not yet */
    const char *need_title, *offer_title;                         /* read only */
};

/* Days since 1970-01-01 of a calendar date "YYYY-MM-DD" (years 2000–2199);
 * false when the text is not such a date (2026-02-30 included). */
bool share_day_parse(const char *text, int64_t *day);
/* The date of a day number as "YYYY-MM-DD". */
void share_day_text(int64_t day, char out[SHARE_DAY_TEXT]);

#endif
