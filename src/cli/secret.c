/* secret.c — option values and password files for the commands (cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int cli_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) return 0;
    if (argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0') return 0;
    if (*i + 1 >= argc) return -1;
    *value = argv[++*i];
    return 1;
}

int cli_read_password(const char *path, char *out, size_t cap, struct err *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) return err_set(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
    size_t n = fread(out, 1, cap, f);
    bool more = fgetc(f) != EOF;
    if (f != stdin) fclose(f);
    if (n == cap || more)
        return err_set(err, ERR_INVALID, "%s: the password file is too long", path);
    out[n] = '\0';
    /* One trailing newline (as `echo` writes) is not part of the password. */
    if (n && out[n - 1] == '\n') out[--n] = '\0';
    if (n && out[n - 1] == '\r') out[--n] = '\0';
    if (!n) return err_set(err, ERR_INVALID, "%s: the password file is empty", path);
    return ERR_OK;
}
