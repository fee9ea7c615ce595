/* test_xlsx.c — the .xlsx reader and writer (io/xlsx_read.c, io/xlsx_write.c):
 * every cell of hand-crafted Excel and WPS files (tests/fixtures/make_xlsx.py),
 * write→read round trips, and hostile input built here with libzip: truncated
 * and incomplete packages, bad XML and UTF-8, out-of-grid references, zip bombs
 * (one honest, one lying about its size), DTDs, encryption. */
#include "testing.h"

#include "base/utf8.h"
#include "io/xlsx.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

/* ---- collecting what the reader reports ---- */

struct got_cell {
    char *text;
    size_t len;
    bool is_number;
    double number;
};

struct got_row {
    long row;
    int n;
    struct got_cell *cells;
};

struct got {
    struct got_row *rows;
    int n, cap;
    int stop_after; /* rows before row_fn returns ERR_CONFLICT, 0 = never */
    bool keep;      /* copy the cells (false: only count and check) */
};

static int collect(void *ctx, long row, const struct xlsx_cell *cells, int ncells)
{
    struct got *g = ctx;
    /* invariants of every call */
    assert_true(ncells >= 1 && ncells <= XLSX_MAX_COLS);
    assert_true(cells[ncells - 1].len > 0);
    assert_true(g->n == 0 || row > g->rows[g->n - 1].row);
    assert_true(row >= 1 && row <= XLSX_MAX_ROWS);
    for (int i = 0; i < ncells; i++) {
        assert_non_null(cells[i].text);
        assert_int_equal(cells[i].text[cells[i].len], '\0');
        assert_true(utf8_valid(cells[i].text, cells[i].len, NULL));
    }
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 16;
        g->rows = realloc(g->rows, (size_t)g->cap * sizeof *g->rows);
    }
    struct got_row *r = &g->rows[g->n++];
    r->row = row;
    r->n = ncells;
    r->cells = NULL;
    if (g->keep) {
        r->cells = calloc((size_t)ncells, sizeof *r->cells);
        for (int i = 0; i < ncells; i++)
            r->cells[i] = (struct got_cell){strndup(cells[i].text, cells[i].len), cells[i].len,
                                            cells[i].is_number, cells[i].number};
    }
    if (g->stop_after && g->n == g->stop_after) return ERR_CONFLICT;
    return 0;
}

static void got_free(struct got *g)
{
    for (int i = 0; i < g->n; i++) {
        for (int c = 0; g->rows[i].cells && c < g->rows[i].n; c++)
            free(g->rows[i].cells[c].text);
        free(g->rows[i].cells);
    }
    free(g->rows);
    memset(g, 0, sizeof *g);
}

static int read_mem(const void *data, size_t len, struct got *g, struct err *e)
{
    memset(g, 0, sizeof *g);
    g->keep = true;
    err_clear(e);
    int rc = xlsx_read_rows(data, len, "台账.xlsx", collect, g, e);
    if (rc) {
        assert_int_equal(e->kind, rc);
        assert_string_equal(e->where, "台账.xlsx");
        assert_true(e->msg[0] != '\0');
    }
    return rc;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void assert_text(const struct got_row *r, int col, const char *want)
{
    assert_true(col < r->n);
    assert_string_equal(r->cells[col].text, want);
    assert_int_equal(r->cells[col].len, strlen(want));
    assert_false(r->cells[col].is_number);
}

static void assert_number(const struct got_row *r, int col, const char *text, double v)
{
    assert_true(col < r->n);
    assert_string_equal(r->cells[col].text, text);
    assert_true(r->cells[col].is_number);
    assert_true(r->cells[col].number == v);
}

static void assert_empty(const struct got_row *r, int col)
{
    assert_true(col < r->n);
    assert_int_equal(r->cells[col].len, 0);
    assert_string_equal(r->cells[col].text, "");
    assert_false(r->cells[col].is_number);
}

/* ---- building packages in memory with libzip ---- */

struct part {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
    bool store; /* not compressed */
};

static char *zip_build(const struct part *parts, int n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_source_keep(src);
    for (int i = 0; i < n; i++) {
        size_t size = parts[i].len ? parts[i].len : strlen(parts[i].data);
        zip_source_t *s = zip_source_buffer(za, parts[i].data, size, 0);
        zip_int64_t idx = zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        if (parts[i].store)
            assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t size = zip_source_tell(src);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    char *out = malloc((size_t)size + 1);
    assert_int_equal(zip_source_read(src, out, (zip_uint64_t)size), size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = (size_t)size;
    return out;
}

#define NS  "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKG "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""

static const char ROOT_RELS[] = "<Relationships " PKG "><Relationship Id=\"rId1\" Type=\"" REL
                                "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char WORKBOOK[] = "<workbook " NS " xmlns:r=\"" REL "\"><sheets><sheet name=\"表\" "
                               "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WB_RELS[] =
    "<Relationships " PKG "><Relationship Id=\"rId1\" Type=\"" REL
    "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" REL
    "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";

/* A workbook whose first sheet is `sheet` (sheet_len 0: a C string) and
 * whose shared strings are `sst` (NULL: the part is an empty table). */
static char *xlsx_build(const char *sheet, size_t sheet_len, const char *sst, size_t *len)
{
    struct part parts[] = {
        {"[Content_Types].xml", "<Types/>", 0, false},
        {"_rels/.rels", ROOT_RELS, 0, false},
        {"xl/workbook.xml", WORKBOOK, 0, false},
        {"xl/_rels/workbook.xml.rels", WB_RELS, 0, false},
        {"xl/sharedStrings.xml", sst ? sst : "<sst " NS "/>", 0, false},
        {"xl/worksheets/sheet1.xml", sheet, sheet_len, false},
    };
    return zip_build(parts, 6, len);
}

/* Reads a one-sheet workbook whose sheetData holds `rows`. */
static int read_rows(const char *rows, const char *sst, struct got *g, struct err *e)
{
    char sheet[8192];
    snprintf(sheet, sizeof sheet,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " NS "><sheetData>%s"
             "</sheetData></worksheet>",
             rows);
    size_t len;
    char *data = xlsx_build(sheet, 0, sst, &len);
    int rc = read_mem(data, len, g, e);
    free(data);
    return rc;
}

/* ---- the fixtures ---- */

static void test_excel_fixture(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp(fixture("xlsx-excel.xlsx"), &len);
    struct got g;
    struct err e;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
    free(data);
    assert_int_equal(g.n, 8); /* rows 4, 6 (empty), 9 and 11 are not reported */

    struct got_row *r = &g.rows[0];
    assert_int_equal(r->row, 1);
    assert_int_equal(r->n, 7);
    const char *titles[] = {"姓名", "村（社区）", "得分", "日期", "备注", "结果", "错误"};
    for (int i = 0; i < 7; i++)
        assert_text(r, i, titles[i]);

    r = &g.rows[1];
    assert_int_equal(r->row, 2);
    assert_int_equal(r->n, 7);
    assert_text(r, 0, "张三");           /* phonetic run dropped */
    assert_text(r, 1, "城关村");         /* inline rich text */
    assert_number(r, 2, "94.6", 94.6);   /* stored as 94.599999999999994 */
    assert_number(r, 3, "45292", 45292); /* 2024-01-01 stays a serial number */
    assert_text(r, 4, "TRUE");
    assert_true(r->cells[4].number == 1);
    assert_text(r, 5, "94.6分"); /* formula result */
    assert_text(r, 6, "#DIV/0!");

    r = &g.rows[2];
    assert_int_equal(r->row, 3);
    assert_int_equal(r->n, 7);
    assert_text(r, 0, "五星 支部"); /* rich runs joined, space preserved */
    assert_empty(r, 1);
    assert_number(r, 2, "-12.5", -12.5);
    assert_number(r, 3, "1000000000000000", 1e15);
    assert_text(r, 4, "FALSE");
    assert_empty(r, 5);
    assert_number(r, 6, "0.3", 0.30000000000000004);

    r = &g.rows[3];
    assert_int_equal(r->row, 5);
    assert_int_equal(r->n, 2); /* styled empty A5, empty string C5, styled empty D5 */
    assert_empty(r, 0);
    assert_text(r, 1, "  前后空格  ");

    r = &g.rows[4];
    assert_int_equal(r->row, 7); /* cells without r */
    assert_int_equal(r->n, 3);
    assert_number(r, 0, "1", 1);
    assert_text(r, 1, "第一行\r\n第二行"); /* _x000D_ */
    assert_number(r, 2, "9007199254740992", 9007199254740992.0);

    r = &g.rows[5];
    assert_int_equal(r->row, 8); /* a row without r follows row 7 */
    assert_int_equal(r->n, 5);
    assert_text(r, 0, "_x0041_"); /* _x005F_ escapes the underscore */
    assert_empty(r, 1);
    assert_text(r, 2, "A&B<C>");
    assert_empty(r, 3);
    assert_text(r, 4, "𠮷野家");

    r = &g.rows[6];
    assert_int_equal(r->row, 10);
    assert_int_equal(r->n, 2);
    assert_empty(r, 0); /* a formula without a cached value */
    assert_number(r, 1, "5416", 5416);

    r = &g.rows[7];
    assert_int_equal(r->row, 12);
    assert_int_equal(r->n, XLSX_MAX_COLS); /* XFD12 */
    for (int i = 0; i < XLSX_MAX_COLS - 1; i++)
        assert_int_equal(r->cells[i].len, 0);
    assert_text(r, XLSX_MAX_COLS - 1, "李四");
    got_free(&g);
}

static void test_wps_fixture(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp(fixture("xlsx-wps.xlsx"), &len);
    struct got g;
    struct err e;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
    free(data);
    /* the chart sheet comes first, then "数据" (sheet2.xml) */
    assert_int_equal(g.n, 3);
    assert_text(&g.rows[0], 0, "编号");
    assert_text(&g.rows[0], 1, "名称");
    assert_text(&g.rows[0], 2, "党员数");
    assert_text(&g.rows[1], 0, "411121100201");
    assert_text(&g.rows[1], 1, "水寨村");
    assert_number(&g.rows[1], 2, "56", 56);
    assert_text(&g.rows[2], 0, "411121100202");
    assert_text(&g.rows[2], 1, "大刘村");
    assert_number(&g.rows[2], 2, "0.0045", 0.0045);
    assert_int_equal(g.rows[2].row, 3);
    got_free(&g);
}

/* ---- writing, then reading back ---- */

static void test_round_trip(void **state)
{
    (void)state;
    struct xlsx_writer *w;
    struct err e;
    err_clear(&e);
    assert_int_equal(xlsx_writer_open(NULL, "五星支部台账", &w, &e), ERR_OK);
    const char *titles[] = {"单位代码", "单位名称", "党员数", "得分", "备注"};
    xlsx_write_header(w, titles, 5);
    const long rows = 10000;
    for (long i = 1; i <= rows; i++) {
        char code[32], name[64];
        snprintf(code, sizeof code, "4111211002%05ld", i);
        snprintf(name, sizeof name, "第%ld村（社区）", i);
        xlsx_write_text(w, i, 0, code);
        xlsx_write_text(w, i, 1, name);
        xlsx_write_number(w, i, 2, (double)i);
        xlsx_write_number(w, i, 3, i % 2 ? 94.6 : -0.5);
        /* column 4 (E) empty except every 1000th row */
        if (i % 1000 == 0) xlsx_write_text(w, i, 4, "抽查");
    }
    xlsx_write_number(w, rows + 1, 0, 1e15);
    xlsx_write_number(w, rows + 1, 2, -5416);
    xlsx_write_text(w, rows + 1, 3, "");
    xlsx_write_text(w, rows + 1, 4, "A&B <tag> \"引号\" 换行\n第二行");
    char *data;
    size_t len;
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_OK);
    assert_true(len > 1000);

    struct got g;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
    free(data);
    assert_int_equal(g.n, rows + 2);
    for (int i = 0; i < 5; i++)
        assert_text(&g.rows[0], i, titles[i]);
    for (long i = 1; i <= rows; i++) {
        struct got_row *r = &g.rows[i];
        char code[32], name[64];
        snprintf(code, sizeof code, "4111211002%05ld", i);
        snprintf(name, sizeof name, "第%ld村（社区）", i);
        assert_int_equal(r->row, i + 1);
        assert_int_equal(r->n, i % 1000 ? 4 : 5);
        assert_text(r, 0, code);
        assert_text(r, 1, name);
        assert_true(r->cells[2].is_number && r->cells[2].number == (double)i);
        assert_number(r, 3, i % 2 ? "94.6" : "-0.5", i % 2 ? 94.6 : -0.5);
        if (i % 1000 == 0) assert_text(r, 4, "抽查");
    }
    struct got_row *last = &g.rows[rows + 1];
    assert_int_equal(last->n, 5);
    assert_number(last, 0, "1000000000000000", 1e15);
    assert_empty(last, 1);
    assert_number(last, 2, "-5416", -5416);
    assert_empty(last, 3);
    assert_text(last, 4, "A&B <tag> \"引号\" 换行\n第二行");
    got_free(&g);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *de; (de = readdir(d)) != NULL;)
        n += de->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_write_to_path(void **state)
{
    (void)state;
    char dir[] = "/tmp/jiceng-xlsx-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/导出.xlsx", dir);
    struct err e;
    err_clear(&e);
    struct xlsx_writer *w;

    /* an abandoned export leaves nothing behind */
    assert_int_equal(xlsx_writer_open(path, "Sheet1", &w, &e), ERR_OK);
    xlsx_write_text(w, 1, 0, "x");
    xlsx_writer_free(w);
    assert_int_equal(count_entries(dir), 0);
    xlsx_writer_free(NULL);

    assert_int_equal(xlsx_writer_open(path, "名单", &w, &e), ERR_OK);
    const char *titles[] = {"姓名", "备注"};
    xlsx_write_header(w, titles, 2);
    xlsx_write_text(w, 1, 0, "张三");
    xlsx_write_text(w, 1, 1, "这是一段比较长的中文备注，用来撑开列宽");
    assert_int_equal(xlsx_writer_close(w, &e), ERR_OK);
    assert_int_equal(count_entries(dir), 1); /* the file, and no temporary one */

    size_t len;
    char *data = slurp(path, &len);
    struct got g;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
    assert_int_equal(g.n, 2);
    assert_text(&g.rows[1], 1, "这是一段比较长的中文备注，用来撑开列宽");
    got_free(&g);

    /* the sheet XML: frozen header, bold style, CJK-sized second column */
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(za);
    zip_file_t *zf = zip_fopen(za, "xl/worksheets/sheet1.xml", 0);
    assert_non_null(zf);
    char xml[8192];
    zip_int64_t n = zip_fread(zf, xml, sizeof xml - 1);
    assert_true(n > 0);
    xml[n] = '\0';
    zip_fclose(zf);
    zip_discard(za);
    assert_non_null(strstr(xml, "state=\"frozen\""));
    assert_non_null(strstr(xml, "<col min=\"2\" max=\"2\" width=\"4"));  /* 19 CJK + margin */
    assert_non_null(strstr(xml, "<col min=\"1\" max=\"1\" width=\"8.")); /* at least the minimum */
    free(data);

    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_writer_errors(void **state)
{
    (void)state;
    struct xlsx_writer *w;
    struct err e;
    char *data;
    size_t len;

    err_clear(&e);
    assert_int_equal(xlsx_writer_open(NULL, "bad[name]", &w, &e), ERR_INVALID);
    assert_null(w);
    assert_int_equal(
        xlsx_writer_open(NULL, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二",
                         &w, &e),
        ERR_INVALID);
    assert_int_equal(xlsx_writer_open("/nonexistent-dir/x.xlsx", "a", &w, &e), ERR_IO);

    assert_int_equal(xlsx_writer_open(NULL, NULL, &w, &e), ERR_OK);
    xlsx_write_text(w, 1, 0, "ok");
    xlsx_write_text(w, 2, 0, "\xE4\xB8"); /* cut UTF-8 */
    xlsx_write_text(w, 3, 0, "later writes are ignored");
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_INVALID);
    assert_null(data);
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_non_null(strstr(e.msg, "第 2 行第 1 列"));

    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_number(w, 5, 0, 1);
    xlsx_write_number(w, 4, 0, 1); /* rows out of order */
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_INTERNAL);

    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_number(w, 1, 0, NAN);
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_INVALID);

    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_text(w, XLSX_MAX_ROWS, 0, "x"); /* 1,048,577th row of the sheet */
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_TOO_LARGE);

    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_text(w, 1, XLSX_MAX_COLS, "x");
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_TOO_LARGE);

    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_text(w, 0, 0, "row 0 is the header's");
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_INTERNAL);

    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_text(w, 1, 0, "x");
    const char *t[] = {"late"};
    xlsx_write_header(w, t, 1);
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_INTERNAL);

    char *big = malloc(XLSX_MAX_CELL_CHARS + 2);
    memset(big, 'x', XLSX_MAX_CELL_CHARS + 1);
    big[XLSX_MAX_CELL_CHARS + 1] = '\0';
    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_text(w, 1, 0, big);
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_TOO_LARGE);
    free(big);

    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    assert_int_equal(xlsx_writer_close(w, &e), ERR_INTERNAL); /* no path to write to */
}

static void test_control_characters_round_trip(void **state)
{
    (void)state;
    struct xlsx_writer *w;
    struct err e;
    err_clear(&e);
    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_text(w, 1, 0,
                    "a\tb\x01"
                    "c_x0041_");
    char *data;
    size_t len;
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_OK);
    struct got g;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
    free(data);
    assert_int_equal(g.n, 1);
    assert_text(&g.rows[0], 0,
                "a\tb\x01"
                "c_x0041_");
    got_free(&g);
}

/* Text that reads like a formula stays text: the writer has no formula
 * cells, so =HYPERLINK(…) from a resident's request is never evaluated. */
static void test_formula_text_stays_text(void **state)
{
    (void)state;
    static const char *const texts[] = {"=HYPERLINK(\"http://x.example/\",\"点我\")", "+1+1",
                                        "-2+3", "@SUM(A1:A2)", "=1+1"};
    struct xlsx_writer *w;
    struct err e;
    err_clear(&e);
    assert_int_equal(xlsx_writer_open(NULL, "a", &w, &e), ERR_OK);
    xlsx_write_header(w, texts, 5);
    for (int i = 0; i < 5; i++)
        xlsx_write_text(w, 1, i, texts[i]);
    char *data;
    size_t len;
    assert_int_equal(xlsx_writer_close_to_memory(w, &data, &len, &e), ERR_OK);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(za);
    zip_stat_t st;
    assert_int_equal(zip_stat(za, "xl/worksheets/sheet1.xml", 0, &st), 0);
    char *xml = calloc(1, (size_t)st.size + 1);
    zip_file_t *zf = zip_fopen(za, "xl/worksheets/sheet1.xml", 0);
    assert_int_equal(zip_fread(zf, xml, st.size), (zip_int64_t)st.size);
    zip_fclose(zf);
    zip_close(za);
    zip_error_fini(&ze);
    assert_null(strstr(xml, "<f>"));
    assert_null(strstr(xml, "<f "));
    assert_non_null(strstr(xml, "t=\"inlineStr\""));
    free(xml);
    struct got g;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
    free(data);
    assert_int_equal(g.n, 2);
    for (int i = 0; i < 5; i++) {
        assert_text(&g.rows[0], i, texts[i]);
        assert_text(&g.rows[1], i, texts[i]);
    }
    got_free(&g);
}

/* ---- what the reader refuses ---- */

static void test_not_xlsx(void **state)
{
    (void)state;
    struct got g;
    struct err e;
    assert_int_equal(read_mem("", 0, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "不是有效的 XLSX 文件"));
    const char csv[] = "姓名,得分\n张三,94.6\n";
    assert_int_equal(read_mem(csv, sizeof csv - 1, &g, &e), ERR_INVALID);
    assert_int_equal(read_mem("PK\3\4garbage", 11, &g, &e), ERR_INVALID);

    /* an OLE compound file: .xls, or an encrypted .xlsx when it holds EncryptionInfo */
    char ole[1024] = {'\xD0', '\xCF', '\x11', '\xE0', '\xA1', '\xB1', '\x1A', '\xE1'};
    assert_int_equal(read_mem(ole, sizeof ole, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, ".xls"));
    memcpy(ole + 600, "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0", 29); /* UTF-16LE */
    assert_int_equal(read_mem(ole, sizeof ole, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "加密"));
}

static void test_truncated(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp(fixture("xlsx-excel.xlsx"), &len);
    for (size_t cut = 0; cut < len; cut += 7) {
        char *part = malloc(cut + 1); /* its own allocation, so ASan sees overreads */
        memcpy(part, data, cut);
        struct got g;
        struct err e;
        assert_int_equal(read_mem(part, cut, &g, &e), ERR_INVALID);
        got_free(&g);
        free(part);
    }
    /* flipped bytes: any outcome but a crash, a leak or a silent error */
    for (size_t i = 0; i < len; i += 13) {
        char *copy = malloc(len);
        memcpy(copy, data, len);
        copy[i] ^= 0x5A;
        struct got g = {0};
        struct err e;
        err_clear(&e);
        int rc = xlsx_read_rows(copy, len, "x", collect, &g, &e);
        assert_int_equal(e.kind, rc);
        got_free(&g);
        free(copy);
    }
    free(data);
}

static void test_missing_parts(void **state)
{
    (void)state;
    struct got g;
    struct err e;
    size_t len;
    struct part no_workbook[] = {{"[Content_Types].xml", "<Types/>", 0, false},
                                 {"_rels/.rels", ROOT_RELS, 0, false},
                                 {"xl/worksheets/sheet1.xml", "<worksheet/>", 0, false}};
    char *data = zip_build(no_workbook, 3, &len);
    assert_int_equal(read_mem(data, len, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "缺少工作簿 xl/workbook.xml"));
    free(data);

    struct part no_sheet[] = {{"_rels/.rels", ROOT_RELS, 0, false},
                              {"xl/workbook.xml", WORKBOOK, 0, false},
                              {"xl/_rels/workbook.xml.rels", WB_RELS, 0, false},
                              {"xl/sharedStrings.xml", "<sst/>", 0, false}};
    data = zip_build(no_sheet, 4, &len);
    assert_int_equal(read_mem(data, len, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "缺少 xl/worksheets/sheet1.xml"));
    free(data);

    struct part no_sheets[] = {{"xl/workbook.xml", "<workbook><sheets/></workbook>", 0, false},
                               {"xl/_rels/workbook.xml.rels", WB_RELS, 0, false}};
    data = zip_build(no_sheets, 2, &len);
    assert_int_equal(read_mem(data, len, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "没有工作表"));
    free(data);

    /* names from the file are quoted only when short and plain (found by fuzzing: the
     * check overran the name) */
    static const char odd_rels[] = "<Relationships><Relationship Type=\"x/officeDocument\" "
                                   "Target=\"xl/工作簿.xml\"/></Relationships>";
    struct part odd[] = {{"_rels/.rels", odd_rels, 0, false}};
    data = zip_build(odd, 1, &len);
    assert_int_equal(read_mem(data, len, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "缺少工作簿 （名称异常的部件）"));
    free(data);

    struct part ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0, false},
                         {"content.xml", "<office:document-content/>", 0, false}};
    data = zip_build(ods, 2, &len);
    assert_int_equal(read_mem(data, len, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, ".ods"));
    free(data);
}

static void test_bad_xml(void **state)
{
    (void)state;
    struct got g;
    struct err e;
    const char sheet[] = "<?xml version=\"1.0\"?>\n<worksheet " NS ">\n<sheetData>\n"
                         "<row r=\"1\"><c r=\"A1\"><v>1</c></row>\n</sheetData></worksheet>";
    size_t len;
    char *data = xlsx_build(sheet, 0, NULL, &len);
    assert_int_equal(read_mem(data, len, &g, &e), ERR_INVALID);
    assert_int_equal(e.line, 4);
    assert_true(e.column > 0);
    assert_non_null(strstr(e.msg, "xl/worksheets/sheet1.xml 第 4 行"));
    assert_non_null(strstr(e.msg, "XML 格式错误"));
    free(data);

    /* a billion laughs never gets to expand: DTDs are refused */
    const char laughs[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
                          "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<worksheet><sheetData>"
                          "<row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData>"
                          "</worksheet>";
    data = xlsx_build(laughs, 0, NULL, &len);
    assert_int_equal(read_mem(data, len, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "DTD"));
    assert_int_equal(g.n, 0);
    free(data);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    struct got g;
    struct err e;
    const char sst[] = "<sst " NS ">\n<si><t>好</t></si>\n<si><t>\xE5\xA5</t></si></sst>";
    assert_int_equal(read_rows("<row><c t=\"s\"><v>0</v></c></row>", sst, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "xl/sharedStrings.xml 第 3 行"));
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_int_equal(e.line, 3);
    assert_int_equal(g.n, 0);

    /* an overlong encoding of '<', and a surrogate */
    assert_int_equal(
        read_rows("<row><c t=\"inlineStr\"><is><t>\xC0\xBC</t></is></c></row>", NULL, &g, &e),
        ERR_INVALID);
    assert_int_equal(
        read_rows("<row><c t=\"inlineStr\"><is><t>\xED\xA0\x80</t></is></c></row>", NULL, &g, &e),
        ERR_INVALID);
}

/* The reader inflates 64 KiB at a time: a character cut by that boundary is whole, and a
 * bad one there is still found, on its line. */
static void test_utf8_across_pieces(void **state)
{
    (void)state;
    const size_t piece = 64u << 10;
    static const char head[] = "<worksheet><sheetData>\n";
    static const char cell[] = "<row><c t=\"inlineStr\"><is><t>a";
    static const char tail[] = "</t></is></c></row></sheetData></worksheet>";
    char *sheet = malloc(piece + 64);
    for (int bad = 0; bad <= 1; bad++) {
        /* blanks between the elements put "中" one byte before the boundary */
        size_t n = sizeof head - 1;
        memcpy(sheet, head, n);
        memset(sheet + n, ' ', piece - 1 - (sizeof cell - 1) - n);
        n = piece - 1 - (sizeof cell - 1);
        memcpy(sheet + n, cell, sizeof cell - 1);
        n += sizeof cell - 1;
        static const unsigned char zhong[3] = {0xE4, 0xB8, 0xAD}, broken[3] = {0xE4, 0xB8, 'A'};
        memcpy(sheet + n, bad ? broken : zhong, 3);
        n += 3;
        memcpy(sheet + n, tail, sizeof tail);
        size_t len;
        char *data = xlsx_build(sheet, n + sizeof tail - 1, NULL, &len);
        struct got g;
        struct err e;
        if (bad) {
            assert_int_equal(read_mem(data, len, &g, &e), ERR_INVALID);
            assert_non_null(strstr(e.msg, "UTF-8"));
            assert_int_equal(e.line, 2);
        } else {
            assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
            assert_int_equal(g.n, 1);
            assert_text(&g.rows[0], 0, "a中");
            got_free(&g);
        }
        free(data);
    }
    /* a part that ends inside a character (the shared strings are read to their end) */
    struct got g;
    struct err e;
    assert_int_equal(read_rows("", "<sst><si><t>a</t></si></sst>\n\xE4\xB8", &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_int_equal(e.line, 2);
    free(sheet);
}

static void test_relative_targets(void **state)
{
    (void)state;
    static const char root[] = "<Relationships><Relationship Id=\"a\" Type=\"x/officeDocument\" "
                               "Target=\"/book/./wb.xml\"/></Relationships>";
    static const char rels[] = "<Relationships><Relationship Id=\"r1\" Type=\"x/worksheet\" "
                               "Target=\"../data/./s.xml\"/><Relationship Id=\"r2\" "
                               "Type=\"x/sharedStrings\" Target=\"strings/../sst.xml\"/>"
                               "</Relationships>";
    static const char wb[] = "<workbook><sheets><sheet name=\"甲\" r:id=\"r1\"/></sheets>"
                             "</workbook>";
    struct part parts[] = {
        {"_rels/.rels", root, 0, false},
        {"book/wb.xml", wb, 0, false},
        {"book/_rels/wb.xml.rels", rels, 0, false},
        {"book/sst.xml", "<sst><si><t>乙</t></si></sst>", 0, false},
        {"data/s.xml",
         "<worksheet><sheetData><row><c t=\"s\"><v>0</v></c></row></sheetData>"
         "</worksheet>",
         0, false},
    };
    size_t len;
    char *data = zip_build(parts, 5, &len);
    struct got g;
    struct err e;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
    free(data);
    assert_int_equal(g.n, 1);
    assert_text(&g.rows[0], 0, "乙");
    got_free(&g);
}

static void test_utf16_part(void **state)
{
    (void)state;
    const char *text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><worksheet><sheetData><row>"
                       "<c t=\"inlineStr\"><is><t>\xE4\xB8\xAD</t></is></c></row></sheetData>"
                       "</worksheet>";
    /* encode as UTF-16LE with a BOM (the only non-ASCII character is U+4E2D) */
    char sheet[1024];
    size_t n = 0;
    sheet[n++] = '\xFF';
    sheet[n++] = '\xFE';
    for (const char *p = text; *p; p++) {
        if ((unsigned char)*p == 0xE4) {
            sheet[n++] = 0x2D;
            sheet[n++] = 0x4E;
            p += 2;
            continue;
        }
        sheet[n++] = *p;
        sheet[n++] = 0;
    }
    size_t len;
    char *data = xlsx_build(sheet, n, NULL, &len);
    struct got g;
    struct err e;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_OK);
    free(data);
    assert_int_equal(g.n, 1);
    assert_text(&g.rows[0], 0, "中");
    got_free(&g);
}

static void test_grid_limits(void **state)
{
    (void)state;
    struct got g;
    struct err e;
    assert_int_equal(read_rows("<row r=\"3\"><c r=\"XFE3\"><v>1</v></c></row>", NULL, &g, &e),
                     ERR_TOO_LARGE);
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.msg, "XFD1048576"));
    assert_int_equal(read_rows("<row r=\"1\"><c r=\"AAAAAAAAAAAAAAAAAAAAAAAA1\"><v>1</v></c></row>",
                               NULL, &g, &e),
                     ERR_TOO_LARGE);
    assert_int_equal(read_rows("<row r=\"1048577\"><c><v>1</v></c></row>", NULL, &g, &e),
                     ERR_TOO_LARGE);
    assert_int_equal(read_rows("<row r=\"99999999999999999999999\"/>", NULL, &g, &e),
                     ERR_TOO_LARGE);
    assert_int_equal(
        read_rows("<row r=\"1048576\"><c r=\"XFD1048576\"><v>7</v></c></row><row/>", NULL, &g, &e),
        ERR_TOO_LARGE);       /* a row after the last one */
    assert_int_equal(g.n, 1); /* the last row itself was fine */
    got_free(&g);

    assert_int_equal(read_rows("<row r=\"1\"><c r=\"A0\"><v>1</v></c></row>", NULL, &g, &e),
                     ERR_INVALID);
    assert_int_equal(read_rows("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>", NULL, &g, &e),
                     ERR_INVALID);
    assert_int_equal(read_rows("<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>", NULL, &g, &e),
                     ERR_INVALID); /* the cell is not in its row */
    assert_int_equal(read_rows("<row r=\"0\"/>", NULL, &g, &e), ERR_INVALID);
    assert_int_equal(read_rows("<row r=\"2\"/><row r=\"2\"/>", NULL, &g, &e), ERR_INVALID);
    assert_int_equal(
        read_rows("<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>", NULL, &g,
                  &e),
        ERR_INVALID);
    assert_int_equal(read_rows("<c><v>1</v></c>", NULL, &g, &e), ERR_INVALID);
}

static void test_bad_values(void **state)
{
    (void)state;
    struct got g;
    struct err e;
    const char sst[] = "<sst " NS "><si><t>甲</t></si></sst>";
    assert_int_equal(read_rows("<row><c r=\"A1\" t=\"s\"><v>1</v></c></row>", sst, &g, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "单元格 A1"));
    assert_int_equal(e.line, 1);
    assert_int_equal(e.column, 1);
    assert_int_equal(read_rows("<row><c t=\"s\"><v>-1</v></c></row>", sst, &g, &e), ERR_INVALID);
    assert_int_equal(
        read_rows("<row><c t=\"s\"><v>99999999999999999999999</v></c></row>", sst, &g, &e),
        ERR_INVALID);
    assert_int_equal(read_rows("<row><c><v>0x10</v></c></row>", NULL, &g, &e), ERR_INVALID);
    assert_int_equal(read_rows("<row><c><v>inf</v></c></row>", NULL, &g, &e), ERR_INVALID);
    assert_int_equal(read_rows("<row><c><v>1e999</v></c></row>", NULL, &g, &e), ERR_INVALID);
    assert_int_equal(read_rows("<row><c><v>1.2.3</v></c></row>", NULL, &g, &e), ERR_INVALID);
    assert_int_equal(read_rows("<row><c t=\"b\"><v>2</v></c></row>", NULL, &g, &e), ERR_INVALID);

    /* what is fine: blanks around a number, -0, a t="d" date, an unknown type as text */
    assert_int_equal(read_rows("<row><c><v> 42 </v></c><c><v>-0</v></c><c t=\"d\">"
                               "<v>2024-01-01T00:00:00</v></c><c t=\"x\"><v>y</v></c>"
                               "<c t=\"s\"><v>0</v></c></row>",
                               sst, &g, &e),
                     ERR_OK);
    assert_number(&g.rows[0], 0, "42", 42);
    assert_number(&g.rows[0], 1, "0", 0);
    assert_text(&g.rows[0], 2, "2024-01-01T00:00:00");
    assert_text(&g.rows[0], 3, "y");
    assert_text(&g.rows[0], 4, "甲");
    got_free(&g);
}

static void test_cell_length(void **state)
{
    (void)state;
    struct got g;
    struct err e;
    size_t max = XLSX_MAX_CELL_CHARS;
    char *rows = malloc(4 * max + 200);
    /* 32,767 CJK characters fit; one more does not */
    for (int extra = 0; extra <= 1; extra++) {
        char *p = rows + sprintf(rows, "<row><c t=\"inlineStr\"><is><t>");
        for (size_t i = 0; i < max + (size_t)extra; i++)
            p += sprintf(p, "中");
        sprintf(p, "</t></is></c></row>");
        char *sheet = malloc(strlen(rows) + 200);
        sprintf(sheet, "<worksheet><sheetData>%s</sheetData></worksheet>", rows);
        size_t len;
        char *data = xlsx_build(sheet, 0, NULL, &len);
        int rc = read_mem(data, len, &g, &e);
        assert_int_equal(rc, extra ? ERR_TOO_LARGE : ERR_OK);
        if (!extra) assert_int_equal(g.rows[0].cells[0].len, 3 * max);
        got_free(&g);
        free(data);
        free(sheet);
    }
    /* characters outside the BMP count twice, as in Excel */
    char *p = rows + sprintf(rows, "<sst><si><t>");
    for (size_t i = 0; i < max / 2 + 1; i++)
        p += sprintf(p, "𠮷");
    sprintf(p, "</t></si></sst>");
    assert_int_equal(read_rows("<row><c t=\"s\"><v>0</v></c></row>", rows, &g, &e), ERR_TOO_LARGE);
    assert_non_null(strstr(e.msg, "共享字符串第 1 项"));
    free(rows);
}

static void test_stop_early(void **state)
{
    (void)state;
    struct got g = {0};
    struct err e;
    err_clear(&e);
    size_t len;
    char *data = slurp(fixture("xlsx-excel.xlsx"), &len);
    g.stop_after = 2;
    assert_int_equal(xlsx_read_rows(data, len, "x.xlsx", collect, &g, &e), ERR_CONFLICT);
    assert_int_equal(g.n, 2);
    assert_int_equal(e.kind, ERR_OK); /* the callback's error, untouched */
    got_free(&g);
    free(data);
}

/* A sheet of `size` bytes that deflates about 1000:1. */
static char *bomb_sheet(size_t size)
{
    static const char head[] = "<worksheet><sheetData>", tail[] = "</sheetData></worksheet>";
    static const char row[] = "<row><c><v>0</v></c></row>";
    char *s = malloc(size + 1);
    size_t n = sizeof head - 1;
    memcpy(s, head, n);
    while (n + sizeof row - 1 + sizeof tail - 1 <= size) {
        memcpy(s + n, row, sizeof row - 1);
        n += sizeof row - 1;
    }
    memcpy(s + n, tail, sizeof tail); /* with its NUL */
    n += sizeof tail - 1;
    memset(s + n, ' ', size - n); /* whitespace after the root is fine XML */
    s[size] = '\0';
    return s;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_only(void *ctx, long row, const struct xlsx_cell *cells, int ncells)
{
    (*(long *)ctx)++;
    return 0;
}

static void test_zip_bomb(void **state)
{
    (void)state;
    size_t size = 100u << 20, len;
    char *sheet = bomb_sheet(size);
    char *data = xlsx_build(sheet, size, NULL, &len);
    free(sheet);
    assert_true(len < size / 200);
    struct err e;
    err_clear(&e);
    long rows = 0;
    double t0 = seconds();
    assert_int_equal(xlsx_read_rows(data, len, "bomb.xlsx", count_only, &rows, &e), ERR_TOO_LARGE);
    assert_true(seconds() - t0 < 0.5);
    assert_int_equal(rows, 0);
    assert_non_null(strstr(e.msg, "64 MiB"));

    /* the same bomb lying about its size: the directory and the local header say 1,000 bytes,
     * so only the inflating itself can tell */
    static const unsigned char central[4] = {'P', 'K', 1, 2}, local[4] = {'P', 'K', 3, 4};
    const char *name = "xl/worksheets/sheet1.xml";
    size_t name_len = strlen(name);
    int patched = 0;
    for (size_t i = 0; i + 46 + name_len <= len; i++) {
        unsigned char *p = (unsigned char *)data + i;
        size_t size_at, name_at;
        if (memcmp(p, central, 4) == 0)
            size_at = 24, name_at = 46;
        else if (memcmp(p, local, 4) == 0)
            size_at = 22, name_at = 30;
        else
            continue;
        if (memcmp(p + name_at, name, name_len) != 0) continue;
        p[size_at] = 0xE8, p[size_at + 1] = 0x03, p[size_at + 2] = 0, p[size_at + 3] = 0;
        patched++;
    }
    assert_int_equal(patched, 2);
    err_clear(&e);
    t0 = seconds();
    int rc = xlsx_read_rows(data, len, "bomb.xlsx", count_only, &rows, &e);
    assert_int_equal(rc, ERR_INVALID);
    assert_int_equal(e.kind, rc);
    assert_true(seconds() - t0 < 0.5);
    assert_non_null(strstr(e.msg, "比记录的大小更大"));
    free(data);
}

static void test_compression_ratio(void **state)
{
    (void)state;
    /* 2 MiB that deflate to about 2 KiB: within the size budget, but no sheet is that
     * repetitive */
    size_t size = 2u << 20, len;
    char *sheet = malloc(size + 1);
    memset(sheet, ' ', size);
    memcpy(sheet, "<worksheet><sheetData/></worksheet>", 35);
    sheet[size] = '\0';
    char *data = xlsx_build(sheet, size, NULL, &len);
    free(sheet);
    struct got g;
    struct err e;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_TOO_LARGE);
    assert_non_null(strstr(e.msg, "压缩比异常"));
    free(data);
}

static void test_total_budget(void **state)
{
    (void)state;
    /* 70 MB of ordinary shared strings, stored: over the budget, refused from the zip
     * directory before anything is read */
    size_t size = 70u << 20, len;
    char *sst = malloc(size + 64);
    size_t n = (size_t)sprintf(sst, "<sst>");
    for (long i = 0; n < size; i++)
        n += (size_t)sprintf(sst + n, "<si><t>第%ld项</t></si>", i);
    n += (size_t)sprintf(sst + n, "</sst>");
    struct part parts[] = {{"_rels/.rels", ROOT_RELS, 0, false},
                           {"xl/workbook.xml", WORKBOOK, 0, false},
                           {"xl/_rels/workbook.xml.rels", WB_RELS, 0, false},
                           {"xl/sharedStrings.xml", sst, n, true},
                           {"xl/worksheets/sheet1.xml", "<worksheet/>", 0, false}};
    char *data = zip_build(parts, 5, &len);
    free(sst);
    struct got g;
    struct err e;
    assert_int_equal(read_mem(data, len, &g, &e), ERR_TOO_LARGE);
    free(data);
}

static void test_encrypted_entry(void **state)
{
    (void)state;
    if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1)) skip();
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    zip_source_keep(src);
    const char *parts[][2] = {{"_rels/.rels", ROOT_RELS},
                              {"xl/workbook.xml", WORKBOOK},
                              {"xl/_rels/workbook.xml.rels", WB_RELS},
                              {"xl/sharedStrings.xml", "<sst/>"},
                              {"xl/worksheets/sheet1.xml", "<worksheet/>"}};
    for (int i = 0; i < 5; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i][1], strlen(parts[i][1]), 0);
        zip_int64_t idx = zip_file_add(za, parts[i][0], s, 0);
        assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, "pw"), 0);
    }
    assert_int_equal(zip_close(za), 0);
    zip_source_open(src);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t len = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    char *data = malloc((size_t)len);
    zip_source_read(src, data, (zip_uint64_t)len);
    zip_source_close(src);
    zip_source_free(src);
    struct got g;
    struct err e;
    assert_int_equal(read_mem(data, (size_t)len, &g, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "加密"));
    free(data);
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_excel_fixture),
        cmocka_unit_test(test_wps_fixture),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_write_to_path),
        cmocka_unit_test(test_writer_errors),
        cmocka_unit_test(test_control_characters_round_trip),
        cmocka_unit_test(test_formula_text_stays_text),
        cmocka_unit_test(test_not_xlsx),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_missing_parts),
        cmocka_unit_test(test_bad_xml),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_utf8_across_pieces),
        cmocka_unit_test(test_relative_targets),
        cmocka_unit_test(test_utf16_part),
        cmocka_unit_test(test_grid_limits),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_cell_length),
        cmocka_unit_test(test_stop_early),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_compression_ratio),
        cmocka_unit_test(test_total_budget),
        cmocka_unit_test(test_encrypted_entry),
    };
    /* clang-format on */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
