/*
 * xlsx_read.c — streaming reader of the first worksheet of an .xlsx (see
 * xlsx.h).
 *
 * An .xlsx is a zip of XML parts. The reader opens the zip from memory
 * (libzip), follows the package relationships to the workbook, the
 * workbook's relationships to its worksheets and shared strings, takes the
 * first worksheet in <sheets> order and streams it through expat, handing
 * the caller one row at a time. Element names are matched without their
 * prefix, so both Excel's default namespace and the "x:" prefixes some
 * generators write are read, as is Strict OOXML.
 *
 * Every byte may be hostile, so:
 * - parts are inflated in CHUNK pieces against one budget of
 *   XLSX_MAX_UNPACKED bytes for the whole file. The sizes in the zip
 *   directory only serve to refuse early, never to allocate; a part that
 *   inflates to more than MAX_RATIO times its compressed size is a zip bomb;
 * - a DTD is refused, so no entity can expand;
 * - UTF-8 is validated before expat sees it (UTF-16 parts are left to
 *   expat, which converts them);
 * - rows and columns lie within Excel's grid and strictly increase; a
 *   cell's text holds at most XLSX_MAX_CELL_CHARS characters;
 * - a cell holding a shared string points into the string table rather
 *   than copying it, so a row that repeats a long string costs nothing per
 *   repeat.
 * Memory held: the shared strings (no more than their part's size) and
 * the current row, whose text comes from the sheet part itself.
 */
#include "io/xlsx.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/num.h"
#include "base/utf8.h"

#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define CHUNK       (64u << 10)
#define MAX_RATIO   500u       /* deflate tops out near 1032:1; real sheets stay under 40:1 */
#define RATIO_FLOOR (1u << 20) /* parts smaller than this are never called bombs */
/* Raw bytes a cell may collect before unescaping: _x000D_ is 7 bytes for
 * one character, so this bounds memory without refusing a legal cell. */
#define MAX_RAW_CELL ((size_t)XLSX_MAX_CELL_CHARS * 7)

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_TEXT };

struct rel { /* a worksheet relationship of the workbook */
    char *id, *target;
};

struct sst { /* string i is text[off[i], off[i+1] - 1), NUL-terminated */
    struct buf text;
    uint32_t *off;
    size_t n, cap;
    bool in_si, in_t;
    int rph; /* depth inside <rPh>: phonetic guides are not cell text */
};

struct slot { /* a placed cell of the current row */
    uint32_t off, len;
    bool shared, is_number; /* shared: off indexes the sst text */
    double number;
};

struct sheet {
    bool in_data, row_open, row_has_r, in_cell, in_v, in_t;
    int rph;
    long row, prev_row;
    int col;  /* last column placed in the row, 1-based, 0 = none */
    int last; /* last non-empty column, 0 = none */
    enum cell_type type;
    size_t start;    /* where the current cell's text begins in text */
    struct buf text; /* the row's cell texts, each NUL-terminated */
    struct slot *slots;
    size_t cap_slots;
    struct xlsx_cell *cells;
    size_t cap_cells;
};

struct reader {
    zip_t *zip;
    size_t len;       /* of the zip */
    const char *name; /* for err->where */
    struct err *err;
    size_t budget; /* uncompressed bytes still allowed */
    XML_Parser xp; /* parser of the part being read */
    const char *part;
    int rc;    /* error raised inside a handler */
    bool done; /* a handler stopped the parser because it had all it needed */
    char *workbook, *sst_part, *sheet_part, *sheet_name;
    struct rel *rels;
    size_t nrels, cap_rels;
    struct sst sst;
    struct sheet sh;
    xlsx_row_fn row_fn;
    void *ctx;
    char chunk[CHUNK];
};

/* ---- errors ---- */

static int report(struct reader *r, int kind, long line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int report(struct reader *r, int kind, long line, int col, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_setf(r->err, kind, NULL, "%s", msg);
    err_at(r->err, r->name, line, col);
    return kind;
}

/* Stops the parser from inside a handler; the first error wins. */
static void stop(struct reader *r, int rc)
{
    if (!r->rc) r->rc = rc;
    XML_StopParser(r->xp, XML_FALSE);
}

static void ref_name(int col, long row, char *out, size_t cap)
{
    char letters[4];
    int n = 0;
    char rev[4];
    for (int c = col; c > 0 && n < 3; c = (c - 1) / 26)
        rev[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        letters[i] = rev[n - 1 - i];
    letters[n] = '\0';
    snprintf(out, cap, "%s%ld", letters, row);
}

/* An error in the current cell of the sheet; returns kind. */
static int cell_error(struct reader *r, int kind, const char *what)
{
    char ref[24];
    ref_name(r->sh.col, r->sh.row, ref, sizeof ref);
    return report(r, kind, r->sh.row, r->sh.col, "工作表“%s”单元格 %s：%s", r->sheet_name, ref,
                  what);
}

static int row_error(struct reader *r, int kind, long row, const char *what)
{
    return report(r, kind, row, 0, "工作表“%s”第 %ld 行：%s", r->sheet_name, row, what);
}

/* A part's name as a message shows it: names come from the file, so only
 * short plain ones are quoted. */
static const char *label(const char *part)
{
    static const char odd[] = "（名称异常的部件）";
    size_t n = strlen(part);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)part[i] <= ' ' || (unsigned char)part[i] > '~') return odd;
    return n <= 80 ? part : odd;
}

/* ---- small text helpers ---- */

static const char *local(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static bool is(const char *name, const char *want)
{
    return strcmp(local(name), want) == 0;
}

static const char *attr(const XML_Char **attrs, const char *want)
{
    for (; attrs[0]; attrs += 2)
        if (is(attrs[0], want)) return attrs[1];
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void buf_cut(struct buf *b, size_t len)
{
    b->len = len;
    if (b->p) b->p[len] = '\0';
}

/* Trims ASCII blanks around s[0..*n) and returns the new start. */
static const char *trim(const char *s, size_t *n)
{
    while (*n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++, (*n)--;
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r' || s[*n - 1] == '\n'))
        (*n)--;
    return s;
}

/* Length of s in UTF-16 code units, which is how Excel counts characters. */
static size_t utf16_units(const char *s, size_t n)
{
    size_t units = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
    }
    return units;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes OOXML's _xHHHH_ escapes in place (Excel writes a carriage return
 * as _x000D_ and a literal "_x0041_" as _x005F_x0041_); returns the new
 * length. NUL and surrogates are left as written. Never grows the text. */
static size_t unescape_x(char *s, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned cp = 0;
        bool esc = s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_';
        for (int k = 2; esc && k < 6; k++) {
            int d = hex_digit(s[i + k]);
            esc = d >= 0;
            cp = cp << 4 | (unsigned)(d & 0xF);
        }
        if (!esc || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            s[o++] = s[i++];
            continue;
        }
        if (cp < 0x80) {
            s[o++] = (char)cp;
        } else if (cp < 0x800) {
            s[o++] = (char)(0xC0 | cp >> 6);
            s[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            s[o++] = (char)(0xE0 | cp >> 12);
            s[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        }
        i += 7;
    }
    return o;
}

/* Formats a number as text: integers up to 2^53 exactly, anything else
 * with the 15 significant digits Excel keeps, no trailing zeros. */
static int number_text(double v, char *out, size_t cap)
{
    if (v == 0) v = 0; /* no "-0" */
    if (v == trunc(v) && fabs(v) <= 9007199254740992.0) return snprintf(out, cap, "%.0f", v);
    return snprintf(out, cap, "%.15g", v);
}

static bool number_parse(const char *s, size_t n, double *out)
{
    s = trim(s, &n);
    return n <= 64 && num_parse(s, n, out) == NUM_OK; /* 1e-400 is no number, not 0 */
}

/* Parses a decimal count in [1, max]: 0 if fine, ERR_INVALID or
 * ERR_TOO_LARGE (digits, but above max). */
static int count_parse(const char *s, size_t n, long max, long *out)
{
    s = trim(s, &n);
    long v = 0;
    bool big = false;
    if (n == 0) return ERR_INVALID;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return ERR_INVALID;
        v = v * 10 + (s[i] - '0');
        if (v > max) big = true, v = max + 1;
    }
    if (v == 0) return ERR_INVALID;
    *out = v;
    return big ? ERR_TOO_LARGE : ERR_OK;
}

/* Parses a cell reference such as "C7". */
static int ref_parse(const char *s, int *col, long *row)
{
    long c = 0;
    size_t i = 0;
    for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
        c = c * 26 + ((s[i] & ~0x20) - 'A' + 1);
        if (c > XLSX_MAX_COLS) c = XLSX_MAX_COLS + 1;
    }
    if (i == 0) return ERR_INVALID;
    int rc = count_parse(s + i, strlen(s + i), XLSX_MAX_ROWS, row);
    if (rc == ERR_INVALID) return rc;
    *col = (int)c;
    return c > XLSX_MAX_COLS ? ERR_TOO_LARGE : rc;
}

/* ---- UTF-8 validation of a stream in pieces ---- */

struct u8stream {
    unsigned char pend[4]; /* a sequence cut at the end of the last piece */
    size_t npend;
};

static size_t lead_len(unsigned char c)
{
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return 2;
    if (c >= 0xE0 && c <= 0xEF) return 3;
    if (c >= 0xF0 && c <= 0xF4) return 4;
    return 0;
}

/* Validates the next piece; on failure *bad is the offset in s where the
 * bad sequence starts (0 for one begun in an earlier piece). */
static bool u8_feed(struct u8stream *u, const char *s, size_t n, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    if (u->npend) {
        size_t need = lead_len(u->pend[0]);
        while (u->npend < need && i < n)
            u->pend[u->npend++] = p[i++];
        if (u->npend < need) return true;
        u->npend = 0;
        if (utf8_seq_len(u->pend, need) != need) {
            *bad = 0;
            return false;
        }
    }
    size_t off;
    if (utf8_valid(s + i, n - i, &off)) return true;
    off += i;
    size_t rest = n - off, need = lead_len(p[off]);
    bool cut = need > 1 && rest < need;
    for (size_t k = 1; cut && k < rest; k++)
        cut = (p[off + k] & 0xC0) == 0x80;
    if (!cut) {
        *bad = off;
        return false;
    }
    memcpy(u->pend, p + off, rest);
    u->npend = rest;
    return true;
}

static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 0;
    for (const char *q = s; (q = memchr(q, '\n', (size_t)(s + n - q))) != NULL; q++)
        lines++;
    return lines;
}

/* ---- reading one part through expat ---- */

static void XMLCALL refuse_dtd(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    struct reader *r = ud;
    stop(r, report(r, ERR_INVALID, (long)XML_GetCurrentLineNumber(r->xp), 0,
                   "XLSX 文件中的 %s 含有 DTD，不是 Excel 写出的文件", label(r->part)));
}

static const struct {
    enum XML_Error code;
    const char *text;
} xml_errors[] = {
    {XML_ERROR_NO_ELEMENTS, "内容为空或不完整"},
    {XML_ERROR_INVALID_TOKEN, "含有无效字符"},
    {XML_ERROR_UNCLOSED_TOKEN, "标记没有结束"},
    {XML_ERROR_PARTIAL_CHAR, "字符不完整"},
    {XML_ERROR_TAG_MISMATCH, "开始与结束标记不匹配"},
    {XML_ERROR_DUPLICATE_ATTRIBUTE, "属性重复"},
    {XML_ERROR_JUNK_AFTER_DOC_ELEMENT, "根元素之后还有内容"},
    {XML_ERROR_UNDEFINED_ENTITY, "使用了未定义的实体"},
    {XML_ERROR_UNKNOWN_ENCODING, "字符编码不受支持"},
    {XML_ERROR_INCORRECT_ENCODING, "字符编码与声明不符"},
    {XML_ERROR_UNCLOSED_CDATA_SECTION, "CDATA 段没有结束"},
};

static int xml_failed(struct reader *r)
{
    enum XML_Error code = XML_GetErrorCode(r->xp);
    const char *text = "语法错误";
    for (size_t i = 0; i < sizeof xml_errors / sizeof xml_errors[0]; i++)
        if (xml_errors[i].code == code) text = xml_errors[i].text;
    long line = (long)XML_GetCurrentLineNumber(r->xp);
    int col = (int)XML_GetCurrentColumnNumber(r->xp) + 1;
    return report(r, ERR_INVALID, line, col, "XLSX 文件中的 %s 第 %ld 行第 %d 列 XML 格式错误：%s",
                  label(r->part), line, col, text);
}

static int corrupt(struct reader *r, const char *part)
{
    return report(r, ERR_INVALID, 0, 0, "XLSX 文件已损坏：%s 无法解压", label(part));
}

static int encrypted(struct reader *r)
{
    return report(r, ERR_INVALID, 0, 0,
                  "文件已加密（设置了打开密码），请在 Excel 或 WPS 中取消密码后再导入");
}

static int bomb(struct reader *r, const char *part)
{
    return report(r, ERR_TOO_LARGE, 0, 0, "XLSX 文件中的 %s 压缩比异常（疑似压缩炸弹），拒绝读取",
                  label(part));
}

static int too_big(struct reader *r)
{
    return report(r, ERR_TOO_LARGE, 0, 0, "XLSX 文件解压后超过 %u MiB，请拆分后再导入",
                  XLSX_MAX_UNPACKED >> 20);
}

/* What the zip directory says about a part; checked before inflating. */
struct part_size {
    zip_uint64_t comp;     /* compressed bytes (at least 1, at most the zip's) */
    zip_uint64_t declared; /* uncompressed bytes claimed, UINT64_MAX if none */
};

static int part_check(struct reader *r, zip_int64_t idx, const char *part, struct part_size *ps)
{
    zip_stat_t st;
    zip_stat_init(&st);
    ps->comp = 1;
    ps->declared = UINT64_MAX;
    if (zip_stat_index(r->zip, (zip_uint64_t)idx, 0, &st) != 0) return corrupt(r, part);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return encrypted(r);
    ps->comp = (st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size < r->len ? st.comp_size : r->len;
    if (ps->comp == 0) ps->comp = 1;
    if (!(st.valid & ZIP_STAT_SIZE)) return ERR_OK;
    ps->declared = st.size;
    if (st.size > r->budget) return too_big(r);
    if (st.size > RATIO_FLOOR && st.size / ps->comp > MAX_RATIO) return bomb(r, part);
    return ERR_OK;
}

/* Inflates piece by piece, validating and feeding the parser. */
static int part_stream(struct reader *r, zip_file_t *zf, const char *part,
                       const struct part_size *ps)
{
    struct u8stream u = {{0}, 0};
    zip_uint64_t total = 0;
    size_t lines = 0;
    bool utf16 = false;
    for (;;) {
        zip_int64_t got = zip_fread(zf, r->chunk, CHUNK);
        if (got < 0) return corrupt(r, part);
        size_t n = (size_t)got;
        if (n > r->budget) return too_big(r);
        r->budget -= n;
        if (total == 0 && n >= 2)
            utf16 = (r->chunk[0] == '\xFF' && r->chunk[1] == '\xFE') ||
                    (r->chunk[0] == '\xFE' && r->chunk[1] == '\xFF') || r->chunk[0] == '\0' ||
                    r->chunk[1] == '\0';
        total += n;
        if (total > ps->declared) /* libzip would only notice at the end */
            return report(r, ERR_INVALID, 0, 0, "XLSX 文件已损坏：%s 解压后比记录的大小更大",
                          label(part));
        if (total > RATIO_FLOOR && total / ps->comp > MAX_RATIO) return bomb(r, part);
        if (!utf16) {
            size_t bad = 0;
            if (n ? !u8_feed(&u, r->chunk, n, &bad) : u.npend > 0) {
                long line = (long)(lines + count_lines(r->chunk, bad) + 1);
                return report(r, ERR_INVALID, line, 0,
                              "XLSX 文件中的 %s 第 %ld 行含有无效的 UTF-8 编码", label(part), line);
            }
            lines += count_lines(r->chunk, n);
        }
        if (XML_Parse(r->xp, r->chunk, (int)n, n == 0) != XML_STATUS_OK)
            return r->rc ? r->rc : r->done ? ERR_OK : xml_failed(r);
        if (n == 0) return ERR_OK;
    }
}

/* Reads one part of the zip through expat with the given handlers. */
static int part_parse(struct reader *r, const char *part, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    zip_int64_t idx = zip_name_locate(r->zip, part, ZIP_FL_NOCASE);
    if (idx < 0) return report(r, ERR_INVALID, 0, 0, "不是有效的 XLSX 文件：缺少 %s", label(part));
    struct part_size ps;
    int rc = part_check(r, idx, part, &ps);
    if (rc) return rc;
    zip_file_t *zf = zip_fopen_index(r->zip, (zip_uint64_t)idx, 0);
    if (!zf) {
        int ze = zip_error_code_zip(zip_get_error(r->zip));
        if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD) return encrypted(r);
        if (ze == ZIP_ER_COMPNOTSUPP || ze == ZIP_ER_ENCRNOTSUPP)
            return report(r, ERR_INVALID, 0, 0, "XLSX 文件中的 %s 使用了不支持的压缩方式",
                          label(part));
        return corrupt(r, part);
    }
    r->xp = XML_ParserCreate(NULL);
    if (!r->xp) {
        zip_fclose(zf);
        return report(r, ERR_INTERNAL, 0, 0, "内存不足，无法读取 XLSX 文件");
    }
    XML_SetUserData(r->xp, r);
    XML_SetElementHandler(r->xp, start, end);
    XML_SetCharacterDataHandler(r->xp, text);
    XML_SetStartDoctypeDeclHandler(r->xp, refuse_dtd);
    r->part = part;
    r->rc = 0;
    r->done = false;
    rc = part_stream(r, zf, part, &ps);
    XML_ParserFree(r->xp);
    r->xp = NULL;
    zip_fclose(zf);
    return rc;
}

/* ---- package: relationships and workbook ---- */

/* Resolves a relationship target against the part that holds it:
 * "worksheets/sheet1.xml" from "xl/workbook.xml" is
 * "xl/worksheets/sheet1.xml"; "/xl/…" is absolute; "." and ".." apply. */
static char *part_resolve(const char *base, const char *target)
{
    struct buf path = BUF_INIT, out = BUF_INIT;
    const char *slash = strrchr(base, '/');
    if (target[0] != '/' && slash) buf_add(&path, base, (size_t)(slash - base + 1));
    buf_puts(&path, target);
    char *save = NULL;
    for (char *seg = strtok_r(path.p, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0) continue;
        if (strcmp(seg, "..") == 0) {
            char *up = out.len ? memrchr(out.p, '/', out.len) : NULL;
            buf_cut(&out, up ? (size_t)(up - out.p) : 0);
            continue;
        }
        if (out.len) buf_putc(&out, '/');
        buf_puts(&out, seg);
    }
    buf_free(&path);
    return buf_detach(&out, NULL);
}

/* _rels/.rels: finds the workbook. */
static void XMLCALL root_rel(void *ud, const XML_Char *el, const XML_Char **attrs)
{
    struct reader *r = ud;
    const char *type = attr(attrs, "Type"), *target = attr(attrs, "Target");
    const char *mode = attr(attrs, "TargetMode");
    if (r->rc || r->done || !is(el, "Relationship") || !type || !target || !*target) return;
    if ((mode && strcmp(mode, "Internal") != 0) || !ends_with(type, "/officeDocument")) return;
    r->workbook = part_resolve("", target);
    r->done = true;
    XML_StopParser(r->xp, XML_FALSE);
}

/* The workbook's relationships: worksheets and the shared strings. */
static void XMLCALL workbook_rel(void *ud, const XML_Char *el, const XML_Char **attrs)
{
    struct reader *r = ud;
    const char *type = attr(attrs, "Type"), *target = attr(attrs, "Target");
    const char *id = attr(attrs, "Id"), *mode = attr(attrs, "TargetMode");
    if (r->rc || r->done || !is(el, "Relationship") || !type || !target || !*target || !id) return;
    if (mode && strcmp(mode, "Internal") != 0) return;
    if (ends_with(type, "/sharedStrings") && !r->sst_part) {
        r->sst_part = part_resolve(r->workbook, target);
    } else if (ends_with(type, "/worksheet")) {
        r->rels = xgrow(r->rels, sizeof *r->rels, r->nrels + 1, &r->cap_rels);
        r->rels[r->nrels].id = xstrdup(id);
        r->rels[r->nrels++].target = part_resolve(r->workbook, target);
    }
}

/* Bytes of the first `max` characters of s (names in messages stay short:
 * Excel allows 31 for a sheet). */
static size_t chars_prefix(const char *s, size_t max)
{
    size_t n = 0, len = strlen(s);
    for (size_t chars = 0; n < len && chars < max; chars++) {
        size_t k = utf8_seq_len((const unsigned char *)s + n, len - n);
        n += k ? k : 1;
    }
    return n;
}

/* xl/workbook.xml: the first <sheet> that is a worksheet. */
static void XMLCALL workbook_sheet(void *ud, const XML_Char *el, const XML_Char **attrs)
{
    struct reader *r = ud;
    const char *id = attr(attrs, "id"), *name = attr(attrs, "name");
    if (r->rc || r->done || !is(el, "sheet") || !id) return;
    for (size_t i = 0; i < r->nrels; i++) {
        if (strcmp(r->rels[i].id, id) != 0) continue;
        r->sheet_part = xstrdup(r->rels[i].target);
        r->sheet_name = name ? xstrndup(name, chars_prefix(name, 31)) : xstrdup("");
        r->done = true;
        XML_StopParser(r->xp, XML_FALSE);
        return;
    }
}

static int package_find(struct reader *r)
{
    if (zip_name_locate(r->zip, "_rels/.rels", ZIP_FL_NOCASE) >= 0) {
        int rc = part_parse(r, "_rels/.rels", root_rel, NULL, NULL);
        if (rc) return rc;
    }
    if (!r->workbook) r->workbook = xstrdup("xl/workbook.xml");
    if (zip_name_locate(r->zip, r->workbook, ZIP_FL_NOCASE) < 0) {
        if (zip_name_locate(r->zip, "content.xml", 0) >= 0)
            return report(
                r, ERR_INVALID, 0, 0,
                "这是 OpenDocument 表格（.ods），请在 WPS 或 Excel 中另存为 .xlsx 后再导入");
        return report(r, ERR_INVALID, 0, 0, "不是有效的 XLSX 文件：缺少工作簿 %s",
                      label(r->workbook));
    }
    /* xl/workbook.xml → xl/_rels/workbook.xml.rels */
    const char *slash = strrchr(r->workbook, '/');
    size_t dir = slash ? (size_t)(slash - r->workbook + 1) : 0;
    struct buf rels = BUF_INIT;
    buf_printf(&rels, "%.*s_rels/%s.rels", (int)dir, r->workbook, r->workbook + dir);
    int rc = part_parse(r, rels.p, workbook_rel, NULL, NULL);
    buf_free(&rels);
    if (!rc) rc = part_parse(r, r->workbook, workbook_sheet, NULL, NULL);
    if (rc) return rc;
    if (!r->sheet_part) return report(r, ERR_INVALID, 0, 0, "工作簿中没有工作表");
    return ERR_OK;
}

/* ---- shared strings ---- */

static void XMLCALL sst_start(void *ud, const XML_Char *el, const XML_Char **attrs)
{
    struct reader *r = ud;
    struct sst *s = &r->sst;
    if (r->rc || r->done) return;
    if (is(el, "si")) {
        s->in_si = true;
        s->in_t = false;
        s->rph = 0;
    } else if (is(el, "rPh")) {
        s->rph++;
    } else if (is(el, "t") && s->in_si && !s->rph) {
        s->in_t = true;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *el)
{
    struct reader *r = ud;
    struct sst *s = &r->sst;
    if (r->rc || r->done) return;
    if (is(el, "t")) {
        s->in_t = false;
    } else if (is(el, "rPh")) {
        s->rph -= s->rph > 0;
    } else if (is(el, "si") && s->in_si) {
        s->in_si = false;
        size_t start = s->off[s->n], len = s->text.len - start;
        if (len) len = unescape_x(s->text.p + start, len);
        if (len && utf16_units(s->text.p + start, len) > XLSX_MAX_CELL_CHARS) {
            stop(r, report(r, ERR_TOO_LARGE, 0, 0, "共享字符串第 %zu 项超过 %d 个字符", s->n + 1,
                           XLSX_MAX_CELL_CHARS));
            return;
        }
        buf_cut(&s->text, start + len);
        buf_putc(&s->text, '\0');
        s->off = xgrow(s->off, sizeof *s->off, s->n + 2, &s->cap);
        s->off[++s->n] = (uint32_t)s->text.len;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *text, int n)
{
    struct reader *r = ud;
    struct sst *s = &r->sst;
    if (r->rc || r->done || !s->in_t || s->rph) return;
    if (s->text.len - s->off[s->n] + (size_t)n > MAX_RAW_CELL) {
        stop(r, report(r, ERR_TOO_LARGE, 0, 0, "共享字符串第 %zu 项超过 %d 个字符", s->n + 1,
                       XLSX_MAX_CELL_CHARS));
        return;
    }
    buf_add(&s->text, text, (size_t)n);
}

/* ---- the worksheet ---- */

static int row_begin(struct reader *r, const XML_Char **attrs)
{
    struct sheet *s = &r->sh;
    const char *rattr = attr(attrs, "r");
    long row = s->prev_row + 1;
    if (s->row_open) return row_error(r, ERR_INVALID, s->row, "行中嵌套了行");
    if (rattr) {
        int rc = count_parse(rattr, strlen(rattr), XLSX_MAX_ROWS, &row);
        if (rc == ERR_INVALID) return row_error(r, rc, s->prev_row + 1, "行号无效");
        if (rc) return row_error(r, rc, XLSX_MAX_ROWS, "超过 Excel 的 1048576 行上限");
        if (row <= s->prev_row) return row_error(r, ERR_INVALID, row, "行号重复或顺序错误");
    } else if (row > XLSX_MAX_ROWS) {
        return row_error(r, ERR_TOO_LARGE, XLSX_MAX_ROWS, "超过 Excel 的 1048576 行上限");
    }
    s->row = row;
    s->row_has_r = rattr != NULL;
    s->row_open = true;
    s->col = s->last = 0;
    buf_cut(&s->text, 0);
    return ERR_OK;
}

static const struct {
    const char *name;
    enum cell_type type;
} cell_types[] = {
    {"n", CT_NUMBER}, {"s", CT_SHARED}, {"inlineStr", CT_INLINE}, {"str", CT_STR},
    {"b", CT_BOOL},   {"e", CT_ERROR},  {"d", CT_TEXT},
};

static int cell_begin(struct reader *r, const XML_Char **attrs)
{
    struct sheet *s = &r->sh;
    const char *ref = attr(attrs, "r"), *t = attr(attrs, "t");
    if (!s->row_open || s->in_cell)
        return row_error(r, ERR_INVALID, s->row_open ? s->row : s->prev_row + 1, "单元格位置无效");
    int col = s->col + 1;
    if (ref) {
        long row;
        int rc = ref_parse(ref, &col, &row);
        if (rc == ERR_INVALID) return row_error(r, rc, s->row, "单元格引用无效");
        if (rc) return row_error(r, rc, s->row, "单元格超出 Excel 的范围（最大 XFD1048576）");
        if (!s->row_has_r && s->col == 0 && row > s->prev_row) s->row = row;
        if (row != s->row) return row_error(r, ERR_INVALID, s->row, "单元格引用与行号不符");
        if (col <= s->col) return row_error(r, ERR_INVALID, s->row, "单元格重复或顺序错误");
    } else if (col > XLSX_MAX_COLS) {
        return row_error(r, ERR_TOO_LARGE, s->row, "超过 Excel 的 16384 列上限");
    }
    s->type = t ? CT_TEXT : CT_NUMBER;
    for (size_t i = 0; t && i < sizeof cell_types / sizeof cell_types[0]; i++)
        if (strcmp(t, cell_types[i].name) == 0) s->type = cell_types[i].type;
    /* the gap before this cell becomes empty slots */
    s->slots = xgrow(s->slots, sizeof *s->slots, (size_t)col, &s->cap_slots);
    memset(s->slots + s->col, 0, (size_t)(col - s->col) * sizeof *s->slots);
    s->col = col;
    s->in_cell = true;
    s->in_v = s->in_t = false;
    s->rph = 0;
    s->start = s->text.len;
    return ERR_OK;
}

/* A shared-string index: decimal digits naming one of the n strings. */
static bool index_parse(const char *s, size_t len, size_t n, size_t *out)
{
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (size_t)(s[i] - '0');
        if (v >= n) return false;
    }
    *out = v;
    return len > 0;
}

/* Replaces the raw text collected for the cell with its value. */
static int cell_value(struct reader *r, struct slot *slot)
{
    struct sheet *s = &r->sh;
    size_t n = s->text.len - s->start, i;
    const char *raw = n ? trim(s->text.p + s->start, &n) : "";
    char out[40];
    bool yes;
    switch (s->type) {
    case CT_NUMBER:
        if (n && !number_parse(raw, n, &slot->number))
            return cell_error(r, ERR_INVALID, "数值无效");
        buf_cut(&s->text, s->start);
        if (!n) break;
        slot->is_number = true;
        buf_add(&s->text, out, (size_t)number_text(slot->number, out, sizeof out));
        break;
    case CT_SHARED:
        if (n && !index_parse(raw, n, r->sst.n, &i))
            return cell_error(r, ERR_INVALID, "引用的共享字符串不存在");
        buf_cut(&s->text, s->start);
        if (!n) break;
        slot->shared = true;
        slot->off = r->sst.off[i];
        slot->len = r->sst.off[i + 1] - slot->off - 1;
        return ERR_OK;
    case CT_BOOL:
        yes = (n == 1 && *raw == '1') || (n == 4 && memcmp(raw, "true", 4) == 0);
        if (n && !yes && !(n == 1 && *raw == '0') && !(n == 5 && memcmp(raw, "false", 5) == 0))
            return cell_error(r, ERR_INVALID, "布尔值无效");
        buf_cut(&s->text, s->start);
        if (!n) break;
        slot->number = yes;
        buf_puts(&s->text, yes ? "TRUE" : "FALSE");
        break;
    case CT_INLINE:
    case CT_STR:
        if (s->text.len > s->start)
            buf_cut(&s->text, s->start + unescape_x(s->text.p + s->start, s->text.len - s->start));
        break;
    case CT_ERROR:
    case CT_TEXT:
        break;
    }
    slot->off = (uint32_t)s->start;
    slot->len = (uint32_t)(s->text.len - s->start);
    if (slot->len && utf16_units(s->text.p + s->start, slot->len) > XLSX_MAX_CELL_CHARS)
        return cell_error(r, ERR_TOO_LARGE, "文本超过 32767 个字符");
    return ERR_OK;
}

static int cell_end(struct reader *r)
{
    struct sheet *s = &r->sh;
    struct slot *slot = &s->slots[s->col - 1];
    s->in_cell = s->in_v = s->in_t = false;
    int rc = cell_value(r, slot);
    if (rc) return rc;
    if (slot->len == 0) {
        memset(slot, 0, sizeof *slot);
        buf_cut(&s->text, s->start);
        return ERR_OK;
    }
    if (!slot->shared) buf_putc(&s->text, '\0');
    s->last = s->col;
    return ERR_OK;
}

static int row_end(struct reader *r)
{
    struct sheet *s = &r->sh;
    s->row_open = false;
    s->prev_row = s->row;
    if (!s->last) return ERR_OK;
    s->cells = xgrow(s->cells, sizeof *s->cells, (size_t)s->last, &s->cap_cells);
    for (int i = 0; i < s->last; i++) {
        const struct slot *slot = &s->slots[i];
        const char *base = slot->shared ? r->sst.text.p : s->text.p;
        s->cells[i] = (struct xlsx_cell){slot->len ? base + slot->off : "", slot->len,
                                         slot->is_number, slot->number};
    }
    return r->row_fn(r->ctx, s->row, s->cells, s->last);
}

static void XMLCALL sheet_start(void *ud, const XML_Char *el, const XML_Char **attrs)
{
    struct reader *r = ud;
    struct sheet *s = &r->sh;
    int rc = ERR_OK;
    if (r->rc || r->done) return;
    if (!s->in_data)
        s->in_data = is(el, "sheetData");
    else if (is(el, "row"))
        rc = row_begin(r, attrs);
    else if (is(el, "c"))
        rc = cell_begin(r, attrs);
    else if (!s->in_cell)
        return;
    else if (is(el, "v"))
        s->in_v = true;
    else if (is(el, "rPh"))
        s->rph++;
    else if (is(el, "t"))
        s->in_t = true;
    if (rc) stop(r, rc);
}

static void XMLCALL sheet_end(void *ud, const XML_Char *el)
{
    struct reader *r = ud;
    struct sheet *s = &r->sh;
    int rc = ERR_OK;
    if (r->rc || r->done || !s->in_data) return;
    if (is(el, "c") && s->in_cell) {
        rc = cell_end(r);
    } else if (is(el, "row") && s->row_open) {
        rc = row_end(r);
    } else if (is(el, "v")) {
        s->in_v = false;
    } else if (is(el, "t")) {
        s->in_t = false;
    } else if (is(el, "rPh")) {
        s->rph -= s->rph > 0;
    } else if (is(el, "sheetData")) {
        r->done = true; /* nothing after the data matters */
        XML_StopParser(r->xp, XML_FALSE);
    }
    if (rc) stop(r, rc);
}

static void XMLCALL sheet_text(void *ud, const XML_Char *text, int n)
{
    struct reader *r = ud;
    struct sheet *s = &r->sh;
    if (r->rc || r->done || !s->in_cell) return;
    if (s->type == CT_INLINE ? !s->in_t || s->rph : !s->in_v) return;
    if (s->text.len - s->start + (size_t)n > MAX_RAW_CELL)
        stop(r, cell_error(r, ERR_TOO_LARGE, "文本超过 32767 个字符"));
    else
        buf_add(&s->text, text, (size_t)n);
}

/* ---- entry point ---- */

/* Recognises what is not a zip at all: old .xls and encrypted workbooks
 * (both OLE compound files) get messages of their own. */
static int sniff(struct reader *r, const unsigned char *p, size_t len)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    static const char info[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";
    if (len >= 8 && memcmp(p, ole, 8) == 0) {
        if (memmem(p, len, info, sizeof info - 1)) return encrypted(r);
        return report(r, ERR_INVALID, 0, 0,
                      "这是旧版 Excel 97-2003 文件（.xls），请在 Excel 或 WPS 中另存为 .xlsx "
                      "后再导入");
    }
    if (len < 4 || memcmp(p, "PK\3\4", 4) != 0)
        return report(r, ERR_INVALID, 0, 0, "不是有效的 XLSX 文件");
    return ERR_OK;
}

static int package_open(struct reader *r, const void *data, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src) r->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (src && !r->zip) zip_source_free(src);
    zip_error_fini(&ze);
    if (!r->zip) return report(r, ERR_INVALID, 0, 0, "不是有效的 XLSX 文件（无法打开压缩包）");
    return ERR_OK;
}

static void reader_free(struct reader *r)
{
    if (r->zip) zip_discard(r->zip);
    for (size_t i = 0; i < r->nrels; i++) {
        free(r->rels[i].id);
        free(r->rels[i].target);
    }
    free(r->rels);
    free(r->workbook);
    free(r->sst_part);
    free(r->sheet_part);
    free(r->sheet_name);
    buf_free(&r->sst.text);
    free(r->sst.off);
    buf_free(&r->sh.text);
    free(r->sh.slots);
    free(r->sh.cells);
    free(r);
}

int xlsx_read_rows(const void *data, size_t len, const char *name, xlsx_row_fn row_fn, void *ctx,
                   struct err *err)
{
    struct reader *r = xcalloc(1, sizeof *r);
    r->name = name ? name : "";
    r->err = err;
    r->len = len;
    r->budget = XLSX_MAX_UNPACKED;
    r->row_fn = row_fn;
    r->ctx = ctx;
    r->sst.off = xgrow(NULL, sizeof *r->sst.off, 1, &r->sst.cap);
    r->sst.off[0] = 0;
    int rc = sniff(r, data, len);
    if (!rc) rc = package_open(r, data, len);
    if (!rc) rc = package_find(r);
    if (!rc && r->sst_part) rc = part_parse(r, r->sst_part, sst_start, sst_end, sst_text);
    if (!rc) rc = part_parse(r, r->sheet_part, sheet_start, sheet_end, sheet_text);
    reader_free(r);
    return rc;
}
