/* embed.c — see embed.h. Tables are small; a linear scan is enough. */
#include "base/embed.h"

#include <string.h>

const struct embed_file *embed_find(const struct embed_file *table, const char *name, size_t len)
{
    for (const struct embed_file *f = table; f->name; f++)
        if (strlen(f->name) == len && memcmp(f->name, name, len) == 0) return f;
    return NULL;
}
