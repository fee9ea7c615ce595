/*
 * text.h — character-set detection and decoding for imported files.
 *
 * Chinese Excel saves CSV in GB18030 (often labelled GBK or ANSI), other
 * tools in UTF-8 with or without a byte-order mark. text_decode accepts
 * both and returns UTF-8. Detection: a UTF-8 BOM, or text whose first
 * non-ASCII sequence is valid UTF-8, is UTF-8 (an invalid sequence later is
 * then an error at its line, not a reason to guess again); anything else is
 * decoded as GB18030, and bytes that are not GB18030 either are an error
 * at their line.
 */
#ifndef JICENG_TEXT_H
#define JICENG_TEXT_H

#include <stddef.h>

#include "base/err.h"

enum text_charset { TEXT_UTF8 = 1, TEXT_GB18030 = 2 };

/* Decodes data[0..len) into a new UTF-8 buffer (*out, *out_len; owned by
 * the caller, NUL-terminated) and reports the charset found. A BOM is
 * dropped. On failure err holds the line of the bad bytes. */
int text_decode(const char *data, size_t len, char **out, size_t *out_len, int *charset,
                struct err *err);

/* Encodes UTF-8 text as GB18030 (for CSV that Chinese Excel opens
 * directly). *out is owned by the caller. */
int text_encode_gb18030(const char *utf8, size_t len, char **out, size_t *out_len, struct err *err);

const char *text_charset_name(int charset);

#endif
