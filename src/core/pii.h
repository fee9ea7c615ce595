/*
 * pii.h — personal identifiers: mainland resident ID numbers and mobile
 * phone numbers. Validation, normalization and masking; pure, no I/O.
 *
 * A value is checked and normalized once at the edge (the canonical form is
 * what gets encrypted and hashed by core/seal.h), and only ever shown
 * masked. Error messages never quote the value, so they are safe to log.
 */
#ifndef JICENG_PII_H
#define JICENG_PII_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define PII_IDCARD_LEN 18 /* GB 11643-1999 */
#define PII_PHONE_LEN  11

/* Checks a resident ID number as of `today` (YYYYMMDD): 18 characters,
 * 17 digits and a check character (digit, 'X' or 'x'), a province-level
 * region code, a real birth date from 1900 up to today, and the ISO 7064
 * MOD 11-2 check character. ERR_OK or ERR_INVALID with a message naming
 * the reason (长度, 含非法字符, 地区代码, 出生日期, 校验码). */
int pii_idcard_check_at(const char *s, size_t len, long today, struct err *err);
/* As pii_idcard_check_at with today's local date. */
int pii_idcard_check(const char *s, size_t len, struct err *err);
/* Trims surrounding spaces, upper-cases a trailing 'x', checks, and on
 * success writes the canonical 18 characters + NUL to out. */
int pii_idcard_normalize(const char *s, size_t len, char out[PII_IDCARD_LEN + 1], struct err *err);

/* Checks a mainland mobile number in canonical form: 11 digits, "1[3-9]". */
int pii_phone_check(const char *s, size_t len, struct err *err);
/* Drops spaces and hyphens and a leading "+86" (or "86" before 11 digits),
 * checks, and on success writes the 11 digits + NUL to out. */
int pii_phone_normalize(const char *s, size_t len, char out[PII_PHONE_LEN + 1], struct err *err);

/* Masked forms for display. An 18-character ID shows the first 6 and last 4
 * characters ("410329********1234"); an 11-character phone the first 3 and
 * last 4 ("138****5678"). Any other length of 10 or more shows the first 3
 * and last 2; shorter input is masked entirely. Only ASCII letters and
 * digits are ever shown, every other byte becomes '*'. out is always
 * NUL-terminated and truncated to cap (if cap > 0). */
void pii_mask_idcard(const char *s, size_t len, char *out, size_t cap);
void pii_mask_phone(const char *s, size_t len, char *out, size_t cap);

/* ---- free text ----
 *
 * ID-card and phone numbers people type into descriptions, comments and
 * notes. A number is found where a digit follows something other than a
 * digit: 18 characters that pass pii_idcard_check (17 digits and a check
 * character; the birth date is not compared with today), or 11 digits
 * that pass pii_phone_check, each followed by something other than a
 * digit. Digits may be ASCII or full-width (０–９, Ｘ), and single spaces
 * or hyphens may stand between them ("138 1234 5678", "138-1234-5678");
 * "+86" or "86" before a phone number is left as it is. An ID is tried
 * before a phone at the same place. Invalid numbers (a mistyped check
 * character), landlines and old 15-digit IDs are not recognised: the
 * validators decide, so that unit codes and amounts are left alone. */

enum pii_kind { PII_IDCARD = 1, PII_PHONE = 2 };

struct pii_match {
    size_t start, end; /* bytes of the text, end exclusive */
    enum pii_kind kind;
    char value[PII_IDCARD_LEN + 1]; /* normalized: 18 or 11 ASCII characters */
};

/* Finds the first ID or phone number in s[from..len); false when none. */
bool pii_find(const char *s, size_t len, size_t from, struct pii_match *m);

/* Appends s[0..len) to out with every number pii_find finds replaced by
 * its masked form ("138****5678", "410329********1234"); returns how many
 * were masked. The rest of the text is copied byte for byte. */
size_t pii_mask_text(const char *s, size_t len, struct buf *out);

#endif
