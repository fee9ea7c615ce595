/* text.c — see text.h. GB18030 goes through glibc iconv. */
#include "io/text.h"
#include "base/mem.h"
#include "base/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

static long line_of(const char *data, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (data[i] == '\n') line++;
    return line;
}

/* Decides the charset: UTF-8 if the first non-ASCII byte starts a valid
 * UTF-8 sequence. */
static int detect(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = 0; i < len; i++)
        if (p[i] >= 0x80) return utf8_seq_len(p + i, len - i) ? TEXT_UTF8 : TEXT_GB18030;
    return TEXT_UTF8;
}

static int convert(const char *from, const char *to, const char *data, size_t len, char **out,
                   size_t *out_len, struct err *err)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1) /* NOLINT(performance-no-int-to-ptr): iconv's error value */
        return err_set(err, ERR_INTERNAL, "本机无法把 %s 转换为 %s", from, to);
    size_t cap = len * 2 + 16; /* GB18030 → UTF-8 grows at most 3/2; the reverse at most 2x */
    char *dst = xmalloc(cap);
    char *in = (char *)data, *o = dst;
    size_t inleft = len, outleft = cap - 1;
    int rc = ERR_OK;
    if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
        size_t off = (size_t)(in - data);
        err_at(err, NULL, line_of(data, off), 0);
        rc = err_set(err, ERR_INVALID, "第 %zu 字节处%s：文件既不是 UTF-8 也不是 %s 编码", off + 1,
                     errno == EINVAL ? "字符不完整" : "有无效字符",
                     strcmp(from, "UTF-8") == 0 ? "合法 UTF-8 输入" : from);
        free(dst);
        dst = NULL;
    }
    iconv_close(cd);
    if (rc) return rc;
    *o = '\0';
    *out = dst;
    *out_len = (size_t)(o - dst);
    return ERR_OK;
}

int text_decode(const char *data, size_t len, char **out, size_t *out_len, int *charset,
                struct err *err)
{
    *out = NULL;
    *out_len = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
        *charset = TEXT_UTF8;
    } else {
        *charset = detect(data, len);
    }
    if (*charset == TEXT_GB18030) return convert("GB18030", "UTF-8", data, len, out, out_len, err);
    size_t bad;
    if (!utf8_valid(data, len, &bad)) {
        err_at(err, NULL, line_of(data, bad), 0);
        return err_set(err, ERR_INVALID,
                       "第 %zu 字节处不是合法的 UTF-8（文件前面是 UTF-8 编码；请重新另存为 "
                       "UTF-8 或 GB18030）",
                       bad + 1);
    }
    *out = xstrndup(data, len);
    *out_len = len;
    return ERR_OK;
}

int text_encode_gb18030(const char *utf8, size_t len, char **out, size_t *out_len, struct err *err)
{
    return convert("UTF-8", "GB18030", utf8, len, out, out_len, err);
}

const char *text_charset_name(int charset)
{
    return charset == TEXT_GB18030 ? "GB18030" : "UTF-8";
}
