/*
 * keyfile.c — see keyfile.h. A new key is written to a temporary file
 * (mkostemp: O_EXCL, mode 0600), synced, then hard-linked into place:
 * unlike rename, link never replaces an existing file, so two `jiceng init`
 * racing cannot swap the key under data the other already sealed; the
 * loser simply loads the winner's key.
 */
#include "app/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_HEX 64 /* hex digits of the master key */
_Static_assert(KEY_HEX == 2 * SEAL_KEY_BYTES, "two hex digits per key byte");

void keyfile_path(const struct config *cfg, char *out, size_t cap)
{
    if (cfg->key_file[0])
        snprintf(out, cap, "%s", cfg->key_file);
    else
        snprintf(out, cap, "%s/secret.key", cfg->data);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Makes the new directory entry durable: losing the key to a power cut
 * right after init would orphan everything sealed with it. */
static void sync_dir(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

static int create_key(const char *path, struct err *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return err_set(err, ERR_INVALID, "密钥文件路径过长：%s", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) return err_set(err, ERR_IO, "无法创建密钥文件 %s：%s", path, strerror(errno));
    unsigned char key[SEAL_KEY_BYTES];
    char hex[KEY_HEX + 1];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    hex[KEY_HEX] = '\n'; /* replaces the NUL: the file is the 64 digits and a newline */
    int rc = ERR_OK;
    if (fchmod(fd, 0600) != 0 || write_all(fd, hex, sizeof hex) != 0 || fsync(fd) != 0)
        rc = err_set(err, ERR_IO, "无法写入密钥文件 %s：%s", tmp, strerror(errno));
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    if (close(fd) != 0 && rc == ERR_OK)
        rc = err_set(err, ERR_IO, "无法写入密钥文件 %s：%s", tmp, strerror(errno));
    if (rc == ERR_OK && link(tmp, path) != 0 && errno != EEXIST)
        rc = err_set(err, ERR_IO, "无法创建密钥文件 %s：%s", path, strerror(errno));
    unlink(tmp);
    if (rc == ERR_OK) sync_dir(path);
    return rc;
}

/* Reads at most cap bytes; the count, or -1. */
static ssize_t read_some(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) break;
        n += (size_t)r;
    }
    return (ssize_t)n;
}

static int read_key(int fd, const char *path, unsigned char master[SEAL_KEY_BYTES], struct err *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return err_set(err, ERR_IO, "无法读取密钥文件 %s：%s", path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return err_set(err, ERR_INVALID, "密钥文件 %s 不是普通文件", path);
    if (st.st_mode & 077)
        return err_set(err, ERR_INVALID,
                       "密钥文件 %s 的权限过宽（%03o），同组或其他用户可以访问；"
                       "请执行 chmod 600 %s",
                       path, (unsigned)(st.st_mode & 0777), path);
    char buf[KEY_HEX + 2]; /* one byte more than a valid file, to see trailing junk */
    ssize_t n = read_some(fd, buf, sizeof buf);
    if (n < 0) return err_set(err, ERR_IO, "无法读取密钥文件 %s：%s", path, strerror(errno));
    size_t bin_len = 0;
    const char *end = NULL;
    int rc = ERR_OK;
    if ((n != KEY_HEX && !(n == KEY_HEX + 1 && buf[KEY_HEX] == '\n')) ||
        sodium_hex2bin(master, SEAL_KEY_BYTES, buf, KEY_HEX, NULL, &bin_len, &end) != 0 ||
        bin_len != SEAL_KEY_BYTES || end != buf + KEY_HEX)
        rc = err_set(err, ERR_INVALID, "密钥文件 %s 格式无效：应为 64 位十六进制数字", path);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

int keyfile_load(const char *path, bool create, struct seal_key *out, struct err *err)
{
    seal_key_wipe(out);
    if (sodium_init() < 0) return err_set(err, ERR_INTERNAL, "无法初始化加密库 libsodium");
    /* O_NONBLOCK: a FIFO put in the key's place must not hang startup */
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    int fd = open(path, flags);
    if (fd < 0 && errno == ENOENT && create) {
        int rc = create_key(path, err);
        if (rc) return rc;
        fd = open(path, flags);
    }
    if (fd < 0) {
        if (errno == ENOENT) return err_set(err, ERR_NOT_FOUND, "密钥文件 %s 不存在", path);
        return err_set(err, ERR_IO, "无法打开密钥文件 %s：%s", path, strerror(errno));
    }
    unsigned char master[SEAL_KEY_BYTES];
    int rc = read_key(fd, path, master, err);
    close(fd);
    if (rc == ERR_OK) rc = seal_key_derive(master, out, err);
    sodium_memzero(master, sizeof master);
    return rc;
}

int keyfile_read_master(const char *path, unsigned char master[SEAL_KEY_BYTES], struct err *err)
{
    memset(master, 0, SEAL_KEY_BYTES);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return err_set(err, ERR_NOT_FOUND, "密钥文件 %s 不存在", path);
        return err_set(err, ERR_IO, "无法打开密钥文件 %s：%s", path, strerror(errno));
    }
    int rc = read_key(fd, path, master, err);
    close(fd);
    if (rc) sodium_memzero(master, SEAL_KEY_BYTES);
    return rc;
}
