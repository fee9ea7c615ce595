/*
 * keyfile.h — the master key for personal data, kept in its own file.
 *
 * The file holds the 32-byte master key as 64 hex digits and a newline,
 * mode 0600. It lives apart from the database on purpose: a copy of the
 * database alone reveals no personal data, and losing the key file makes
 * the sealed data unreadable for good, so it must be backed up separately.
 * Key material is never logged or put into error messages.
 */
#ifndef JICENG_KEYFILE_H
#define JICENG_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "app/config.h"
#include "base/err.h"
#include "core/seal.h"

/* The key file of a configuration: cfg->key_file, or DATA/secret.key when
 * that is empty. */
void keyfile_path(const struct config *cfg, char *out, size_t cap);

/* Reads the master key at path and derives *out from it. When the file is
 * missing: with create, writes a new random key (atomically, mode 0600,
 * never replacing a file that appeared meanwhile) and loads that;
 * otherwise ERR_NOT_FOUND. ERR_INVALID, naming the path, for a file that
 * is not a regular file, is readable or writable by group or others, or
 * is not 64 hex digits. ERR_IO for system errors. */
int keyfile_load(const char *path, bool create, struct seal_key *out, struct err *err);
/* Reads the master key itself, for keys derived for other purposes (the
 * audit trail's, core/audit_chain.h), with keyfile_load's checks; never
 * creates the file. The caller wipes master (sodium_memzero) after use. */
int keyfile_read_master(const char *path, unsigned char master[SEAL_KEY_BYTES], struct err *err);

#endif
