/* secret.c — option values and password files for the commands (cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int cli_read_file_max(const char *path, long max, char **data, size_t *len, struct err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
    char *buf = malloc((size_t)max + 1);
    size_t n = buf ? fread(buf, 1, (size_t)max + 1, f) : 0;
    fclose(f);
    if (!buf || n > (size_t)max) {
        free(buf);
        return err_set(err, ERR_TOO_LARGE, "%s is larger than %ld MiB", path, max >> 20);
    }
    *data = buf;
    *len = n;
    return ERR_OK;
}

int cli_read_file(const char *path, char **data, size_t *len, struct err *err)
{
    return cli_read_file_max(path, CLI_FILE_MAX, data, len, err);
}

int cli_write_private(const char *path, const void *data, size_t len, struct err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return err_set(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            return err_set(err, ERR_IO, "cannot write %s: %s", path, strerror(e));
        }
        p += w;
        len -= (size_t)w;
    }
    if (close(fd) != 0) return err_set(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
    return ERR_OK;
}
