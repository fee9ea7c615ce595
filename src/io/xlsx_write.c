/*
 * xlsx_write.c — the table writer for exports, over libxlsxwriter (see
 * xlsx.h).
 *
 * libxlsxwriter runs in constant_memory mode: a row goes to its temporary
 * file as soon as the next one begins, so an export of any length holds one
 * row in memory; hence rows must come in increasing order. Strings are then
 * written inline (t="inlineStr"), which Excel, WPS and xlsx_read.c read.
 *
 * The workbook is always built in a temporary file of our own (mkstemp):
 * beside the destination, so that rename() replaces it in one step, or in
 * $TMPDIR for xlsx_writer_close_to_memory. Every path out removes it.
 *
 * Column widths: Excel counts a width in widths of the digit 0 of the
 * default font, and a CJK character takes about two. Each column gets the
 * widest text written into it (the bold header a little wider) plus a
 * margin, within [MIN_WIDTH, MAX_WIDTH], applied when the workbook closes.
 *
 * A failing write call keeps its error (the first one) and the close call
 * returns it, like stdio's ferror, so loops of writes need no checks.
 */
#include "io/xlsx.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MIN_WIDTH  8.0
#define MAX_WIDTH  60.0
#define MARGIN     2.0
#define BOLD_SCALE 1.1

struct xlsx_writer {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    char *path;   /* destination, NULL when the bytes go to memory */
    char *tmp;    /* the file being built */
    char *tmpdir; /* for libxlsxwriter's own (already unlinked) temporary files */
    long row;     /* last row written: -1 none, 0 the header */
    double *width;
    size_t cap_width;
    int ncols;
    struct err err; /* the first failed write */
};

/* True for East Asian wide and fullwidth characters (CJK, kana, hangul,
 * fullwidth forms), which take two columns. */
static bool wide(unsigned cp)
{
    static const unsigned ranges[][2] = {
        {0x1100, 0x115F},   {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF},   {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
        {0xFE30, 0xFE4F},   {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
        {0x20000, 0x3FFFD},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1]) return true;
    return false;
}

/* Display width of valid UTF-8 text: its widest line. */
static double text_width(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    double line = 0, widest = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq_len(p + i, n - i);
        unsigned cp = p[i];
        if (k == 0) k = 1;
        if (k == 2) cp = (cp & 0x1F) << 6 | (p[i + 1] & 0x3F);
        if (k == 3) cp = (cp & 0x0F) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3F);
        if (k == 4)
            cp = (cp & 0x07) << 18 | (p[i + 1] & 0x3Fu) << 12 | (p[i + 2] & 0x3Fu) << 6 |
                 (p[i + 3] & 0x3F);
        i += k;
        if (cp == '\n') {
            line = 0;
            continue;
        }
        line += wide(cp) ? 2 : 1;
        if (line > widest) widest = line;
    }
    return widest;
}

static void width_note(struct xlsx_writer *w, int col, double width)
{
    if (col >= w->ncols) {
        w->width = xgrow(w->width, sizeof *w->width, (size_t)col + 1, &w->cap_width);
        for (int c = w->ncols; c <= col; c++)
            w->width[c] = 0;
        w->ncols = col + 1;
    }
    if (width > w->width[col]) w->width[col] = width;
}

static void fail(struct xlsx_writer *w, int kind, long row, int col, const char *what)
{
    if (w->err.kind) return;
    if (row >= 0)
        err_setf(&w->err, kind, NULL, "导出 XLSX 失败：第 %ld 行第 %d 列%s", row, col + 1, what);
    else
        err_setf(&w->err, kind, NULL, "导出 XLSX 失败：%s", what);
}

/* Checks that (row, col) may be written now: rows from `first` on (0 is
 * the header), in increasing order. */
static bool place(struct xlsx_writer *w, long row, int col, long first)
{
    if (w->err.kind) return false;
    if (row >= XLSX_MAX_ROWS || col >= XLSX_MAX_COLS) {
        fail(w, ERR_TOO_LARGE, -1, 0, "超过 Excel 的 1048576 行或 16384 列上限");
        return false;
    }
    if (row < first || col < 0 || row < w->row) {
        fail(w, ERR_INTERNAL, row, col, "：行号或列号无效，或行没有按顺序写入");
        return false;
    }
    w->row = row;
    return true;
}

/* True if s[i..] reads as an OOXML escape _xHHHH_. */
static bool looks_escaped(const char *s, size_t i, size_t n)
{
    if (n - i < 7 || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return false;
    for (size_t k = i + 2; k < i + 6; k++)
        if (!strchr("0123456789abcdefABCDEF", s[k])) return false;
    return true;
}

/* libxlsxwriter escapes control characters as _xHHHH_ but leaves text that
 * already reads like an escape alone, so Excel would decode it: protect its
 * underscore as _x005F_. Returns NULL when nothing needs protecting. */
static char *protect_escapes(const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        if (!looks_escaped(s, i, n)) continue;
        buf_add(&b, s + done, i - done);
        buf_puts(&b, "_x005F_");
        done = i + 1;
    }
    if (!b.p) return NULL;
    buf_add(&b, s + done, n - done);
    return buf_detach(&b, NULL);
}

static void put_string(struct xlsx_writer *w, long row, int col, const char *s, lxw_format *f)
{
    if (!place(w, row, col, f ? 0 : 1) || !s || !*s) return;
    size_t n = strlen(s);
    if (!utf8_valid(s, n, NULL)) {
        fail(w, ERR_INVALID, row, col, "：文本不是有效的 UTF-8");
        return;
    }
    char *safe = protect_escapes(s, n);
    lxw_error e = worksheet_write_string(w->ws, (lxw_row_t)row, (lxw_col_t)col, safe ? safe : s, f);
    free(safe);
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
        fail(w, ERR_TOO_LARGE, row, col, "：文本超过 32767 个字符");
    else if (e)
        fail(w, ERR_INTERNAL, row, col, "：写入失败");
    else
        width_note(w, col, text_width(s, n) * (f ? BOLD_SCALE : 1));
}

int xlsx_writer_open(const char *path, const char *sheet_name, struct xlsx_writer **out,
                     struct err *err)
{
    *out = NULL;
    struct buf tmp = BUF_INIT;
    const char *env = getenv("TMPDIR");
    if (path)
        buf_printf(&tmp, "%s.XXXXXX", path);
    else
        buf_printf(&tmp, "%s/jiceng-export-XXXXXX", env && *env ? env : "/tmp");
    int fd = mkstemp(tmp.p);
    if (fd < 0) {
        int rc = err_set(err, ERR_IO, "无法创建导出文件 %s：%s", tmp.p, strerror(errno));
        buf_free(&tmp);
        return rc;
    }
    close(fd);
    struct xlsx_writer *w = xcalloc(1, sizeof *w);
    w->tmp = buf_detach(&tmp, NULL);
    w->path = path ? xstrdup(path) : NULL;
    char *slash = strrchr(w->tmp, '/');
    w->tmpdir =
        slash ? xstrndup(w->tmp, slash == w->tmp ? 1 : (size_t)(slash - w->tmp)) : xstrdup(".");
    w->row = -1;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = w->tmpdir};
    w->wb = workbook_new_opt(w->tmp, &opt);
    const char *name = sheet_name && *sheet_name ? sheet_name : "Sheet1";
    if (!w->wb) {
        xlsx_writer_free(w);
        return err_set(err, ERR_INTERNAL, "无法创建 XLSX 工作簿");
    }
    if (workbook_validate_sheet_name(w->wb, name) != LXW_NO_ERROR) {
        xlsx_writer_free(w);
        return err_set(
            err, ERR_INVALID,
            "工作表名称无效：最多 31 个字符，不能含有 [ ] : * ? / \\，且不能以 ' 开头或结尾");
    }
    /* in constant_memory mode the sheet opens its temporary file here */
    w->ws = workbook_add_worksheet(w->wb, name);
    if (!w->ws) {
        int rc = err_set(err, ERR_IO, "无法在 %s 中创建导出用的临时文件", w->tmpdir);
        xlsx_writer_free(w);
        return rc;
    }
    w->bold = workbook_add_format(w->wb);
    format_set_bold(w->bold);
    /* codes such as 411121100 are text on purpose: no green triangles */
    worksheet_ignore_errors(w->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
    *out = w;
    return ERR_OK;
}

void xlsx_write_header(struct xlsx_writer *w, const char *const *titles, int n)
{
    if (w->row >= 0) {
        fail(w, ERR_INTERNAL, -1, 0, "表头必须在数据之前写入");
        return;
    }
    for (int i = 0; i < n; i++)
        put_string(w, 0, i, titles[i], w->bold);
    if (!w->err.kind) worksheet_freeze_panes(w->ws, 1, 0);
    w->row = 0;
}

void xlsx_write_text(struct xlsx_writer *w, long row, int col, const char *s)
{
    put_string(w, row, col, s, NULL);
}

void xlsx_write_number(struct xlsx_writer *w, long row, int col, double v)
{
    if (!place(w, row, col, 1)) return;
    if (!isfinite(v)) {
        fail(w, ERR_INVALID, row, col, "：数值不是有限数");
    } else if (worksheet_write_number(w->ws, (lxw_row_t)row, (lxw_col_t)col, v, NULL)) {
        fail(w, ERR_INTERNAL, row, col, "：写入失败");
    } else {
        char text[32];
        int n = snprintf(text, sizeof text, "%.15g", v);
        width_note(w, col, n > 11 ? 11 : n); /* General shows at most 11 characters */
    }
}

/* Writes the workbook into w->tmp; afterwards w->wb is gone. */
static int finish(struct xlsx_writer *w, struct err *err)
{
    if (w->err.kind) {
        if (err) *err = w->err;
        return w->err.kind;
    }
    for (int c = 0; c < w->ncols; c++) {
        double width = w->width[c] + MARGIN;
        if (w->width[c] == 0) continue;
        width = width < MIN_WIDTH ? MIN_WIDTH : width > MAX_WIDTH ? MAX_WIDTH : width;
        worksheet_set_column(w->ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL);
    }
    lxw_error e = workbook_close(w->wb);
    w->wb = NULL;
    if (e) return err_set(err, ERR_IO, "写入 XLSX 文件失败：%s", lxw_strerror(e));
    return ERR_OK;
}

int xlsx_writer_close(struct xlsx_writer *w, struct err *err)
{
    int rc = w->path ? finish(w, err) : err_set(err, ERR_INTERNAL, "导出 XLSX 失败：没有目标路径");
    if (!rc) {
        int fd = open(w->tmp, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0 || rename(w->tmp, w->path) != 0) {
            rc = err_set(err, ERR_IO, "无法写入 %s：%s", w->path, strerror(errno));
        } else {
            free(w->tmp); /* renamed: nothing left to remove */
            w->tmp = NULL;
        }
        if (fd >= 0) close(fd);
    }
    xlsx_writer_free(w);
    return rc;
}

static int slurp(const char *path, char **data, size_t *len, struct err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int rc = err_set(err, ERR_IO, "无法读取导出的临时文件：%s", strerror(errno));
        if (fd >= 0) close(fd);
        return rc;
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *p = xmalloc(size + 1);
    while (got < size) {
        ssize_t n = read(fd, p + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int rc = err_set(err, ERR_IO, "无法读取导出的临时文件：%s",
                             n < 0 ? strerror(errno) : "文件被截断");
            free(p);
            close(fd);
            return rc;
        }
        got += (size_t)n;
    }
    close(fd);
    p[size] = '\0';
    *data = p;
    *len = size;
    return ERR_OK;
}

int xlsx_writer_close_to_memory(struct xlsx_writer *w, char **data, size_t *len, struct err *err)
{
    *data = NULL;
    *len = 0;
    int rc = finish(w, err);
    if (!rc) rc = slurp(w->tmp, data, len, err);
    xlsx_writer_free(w);
    return rc;
}

void xlsx_writer_free(struct xlsx_writer *w)
{
    if (!w) return;
    if (w->wb) lxw_workbook_free(w->wb);
    if (w->tmp) unlink(w->tmp); /* after a rename it is gone already */
    free(w->tmp);
    free(w->tmpdir);
    free(w->path);
    free(w->width);
    free(w);
}
