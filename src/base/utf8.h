/*
 * utf8.h — UTF-8 validation (RFC 3629: no overlongs, no surrogates, no
 * code points above U+10FFFF). All text entering jiceng passes here.
 */
#ifndef JICENG_UTF8_H
#define JICENG_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True if s[0..n) is valid UTF-8. On failure *bad (if not NULL) is the
 * byte offset of the first invalid sequence. */
bool utf8_valid(const char *s, size_t n, size_t *bad);

/* Length in bytes of the valid sequence starting at s (1..4), or 0 if
 * the bytes at s do not start a valid sequence within n bytes. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* Number of code points in valid UTF-8 text s[0..n). */
size_t utf8_chars(const char *s, size_t n);

/* True if s[0..n) holds a control character other than tab (C0 or DEL),
 * which no name or short text field may contain. */
bool utf8_has_control(const char *s, size_t n);

#endif
