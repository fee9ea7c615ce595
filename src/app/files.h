/*
 * files.h — uploaded evidence (photos, PDFs), stored once by content.
 *
 * An upload is checked by what its bytes are, not by what the client says
 * (JPEG, PNG, WebP or PDF, at most FILE_SIZE_MAX), keyed by its SHA-256 and
 * written with an audit record. It belongs to nothing until a step or a
 * comment attaches it to a case under a name (cases.h); only then can
 * anyone read it, through that case and its scope.
 */
#ifndef JICENG_FILES_H
#define JICENG_FILES_H

#include "app/app.h"
#include "core/case.h"

#define FILE_SIZE_MAX  ((size_t)8 << 20) /* bytes of one upload */
#define FILE_NAME_MAX  200               /* bytes of the name a file is attached under */
#define FILES_PER_STEP 10                /* files attached by one step or comment */

/* A file to attach: the digest an upload returned, the name to show, and
 * what it is evidence for inside the case (a rating's indicator; NULL or
 * "" for the case as a whole). */
struct file_ref {
    const char *sha256, *name, *topic;
};

/* The media type data[0..len) is, or NULL when it is none of those accepted. */
const char *files_sniff(const void *data, size_t len);

/* Checks and stores an upload; *out (strings in a) describes it. */
int files_upload(struct app *app, const struct auth_user *actor, const void *data, size_t len,
                 const char *client, struct arena *a, struct case_file *out, struct err *err);

/* Checks files to attach: at most FILES_PER_STEP, each a well-formed digest
 * and a printable name; err->field is "files[i].sha256" or "files[i].name".
 * Whether they were uploaded is checked when they are attached. */
int files_check_refs(const struct file_ref *refs, size_t n, struct err *err);

/* Is text 64 lower-case hexadecimal digits? */
bool files_is_digest(const char *text);

#endif
