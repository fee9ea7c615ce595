/*
 * party_stats.c — GET /api/v1/party/stats?unit=&date=&by=children&format=:
 * the party-member statistics of a subtree (app/people.h, people_stats):
 * members by stage, sex, age band, education and ethnicity, and the
 * year's new members with their average age at admission; per child unit
 * with by=children, and that table as an XLSX/CSV export. Counts only.
 */
#include "api/api.h"
#include "app/people.h"
#include "io/csv.h"
#include "io/xlsx.h"

#include <stdio.h>
#include <string.h>

/* The names of the buckets the definitions do not name. */
#define NAME_NOT_GIVEN "未填"
#define NAME_NO_BIRTH  "出生日期未填"
#define NAME_OTHER     "其他"
#define NAME_MINORITY  "少数民族"

/* One decimal; negative when nobody's age is known. */
static double average_age(const struct party_figures *f)
{
    if (!f->admitted_aged) return -1;
    double v = (double)f->admitted_ages / (double)f->admitted_aged;
    return (double)(long long)(v * 10 + 0.5) / 10;
}

static void write_bucket(struct jw *w, const char *code, const char *name, long n)
{
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "name", name);
    jw_kint(w, "count", n);
    jw_obj_end(w);
}

static void write_figures(struct jw *w, const struct people_defs *d, const struct party_figures *f)
{
    const struct people_kind *k = d->stats.kind;
    jw_kint(w, "members", f->members);
    jw_key(w, "stages");
    jw_arr(w);
    for (size_t i = 0; i < k->nstages; i++)
        write_bucket(w, k->stages[i].code, k->stages[i].name, f->stages[i]);
    jw_arr_end(w);
    jw_key(w, "sex");
    jw_arr(w);
    for (int i = 0; people_sexes[i]; i++)
        write_bucket(w, people_sexes[i], people_sexes[i], f->sex[i]);
    write_bucket(w, "unknown", NAME_NOT_GIVEN, f->sex[PARTY_SEX_UNKNOWN]);
    jw_arr_end(w);
    jw_key(w, "age_bands");
    jw_arr(w);
    for (size_t i = 0; i < d->stats.nbands; i++)
        write_bucket(w, d->stats.bands[i].code, d->stats.bands[i].name, f->bands[i]);
    write_bucket(w, "unknown", NAME_NO_BIRTH, f->bands[d->stats.nbands]);
    jw_arr_end(w);
    jw_key(w, "education");
    jw_arr(w);
    for (size_t i = 0; i < d->neducation; i++) {
        jw_obj(w);
        jw_kstr(w, "code", d->education[i].code);
        jw_kstr(w, "name", d->education[i].name);
        jw_kint(w, "count", f->education[i]);
        jw_kbool(w, "higher", d->education[i].higher);
        jw_obj_end(w);
    }
    write_bucket(w, "other", NAME_OTHER, f->education[d->neducation]);
    write_bucket(w, "unknown", NAME_NOT_GIVEN, f->education[d->neducation + 1]);
    jw_arr_end(w);
    jw_kint(w, "higher_education", f->higher);
    jw_key(w, "ethnicity");
    jw_arr(w);
    write_bucket(w, "majority", d->ethnicities[d->majority].name, f->ethnicity[PARTY_MAJORITY]);
    write_bucket(w, "minority", NAME_MINORITY, f->ethnicity[PARTY_MINORITY]);
    write_bucket(w, "unknown", NAME_NOT_GIVEN, f->ethnicity[PARTY_ETHNICITY_UNKNOWN]);
    jw_arr_end(w);
    jw_key(w, "admitted");
    jw_obj(w);
    jw_kint(w, "count", f->admitted);
    jw_kint(w, "with_birth_date", f->admitted_aged);
    double age = average_age(f);
    if (age < 0)
        jw_knull(w, "average_age");
    else
        jw_knum(w, "average_age", age);
    jw_obj_end(w);
}

/* ---- the table by child unit, as XLSX or CSV ---- */

/* A sheet written cell by cell into either format. */
struct sheet {
    struct xlsx_writer *xw; /* NULL: CSV into b */
    struct buf *b;
    long row;
    int col;
};

static void sheet_text(struct sheet *s, const char *text)
{
    if (!s->xw) {
        if (s->col) buf_putc(s->b, ',');
        csv_write_field(s->b, text);
    } else {
        xlsx_write_text(s->xw, s->row, s->col, text);
    }
    s->col++;
}

static void sheet_num(struct sheet *s, double v)
{
    if (!s->xw) {
        if (s->col) buf_putc(s->b, ',');
        if (v >= 0) csv_write_number(s->b, v);
    } else if (v >= 0) {
        xlsx_write_number(s->xw, s->row, s->col, v);
    }
    s->col++;
}

static void sheet_row_end(struct sheet *s)
{
    if (!s->xw) buf_putc(s->b, '\n');
    s->row++;
    s->col = 0;
}

/* The columns: unit, then every figure of write_row, in its order. */
static const char **titles(const struct people_defs *d, struct arena *a, int *n)
{
    const struct people_kind *k = d->stats.kind;
    size_t max = 8 + k->nstages + d->stats.nbands + d->neducation + 8;
    const char **t = arena_zalloc(a, max * sizeof *t);
    int i = 0;
    t[i++] = "单位代码";
    t[i++] = "单位名称";
    t[i++] = arena_printf(a, "%s人数", k->name);
    for (size_t s = 0; s < k->nstages; s++)
        t[i++] = k->stages[s].name;
    for (int s = 0; people_sexes[s]; s++)
        t[i++] = arena_printf(a, "%s性", people_sexes[s]);
    for (size_t b = 0; b < d->stats.nbands; b++)
        t[i++] = d->stats.bands[b].name;
    for (size_t e = 0; e < d->neducation; e++)
        t[i++] = d->education[e].name;
    t[i++] = d->stats.higher_label;
    t[i++] = d->ethnicities[d->majority].name;
    t[i++] = NAME_MINORITY;
    t[i++] = arena_printf(a, "本年新发展%s", k->name);
    t[i++] = "新发展平均年龄";
    *n = i;
    return t;
}

static void write_row(struct sheet *s, const struct people_defs *d, const char *code,
                      const char *name, const struct party_figures *f)
{
    sheet_text(s, code);
    sheet_text(s, name);
    sheet_num(s, (double)f->members);
    for (size_t i = 0; i < d->stats.kind->nstages; i++)
        sheet_num(s, (double)f->stages[i]);
    for (int i = 0; people_sexes[i]; i++)
        sheet_num(s, (double)f->sex[i]);
    for (size_t i = 0; i < d->stats.nbands; i++)
        sheet_num(s, (double)f->bands[i]);
    for (size_t i = 0; i < d->neducation; i++)
        sheet_num(s, (double)f->education[i]);
    sheet_num(s, (double)f->higher);
    sheet_num(s, (double)f->ethnicity[PARTY_MAJORITY]);
    sheet_num(s, (double)f->ethnicity[PARTY_MINORITY]);
    sheet_num(s, (double)f->admitted);
    sheet_num(s, average_age(f));
    sheet_row_end(s);
}

static int export_stats(struct http_req *req, struct http_resp *resp, const char *format,
                        const struct party_stats *st, struct err *err)
{
    const struct people_defs *d = req->app->people;
    const struct tree *t = req->tree;
    const char *code = tree_node(t, st->node)->code;
    http_add_header(resp, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"party-stats-%s-%s.%s\"", code,
                                 st->date, format));
    resp->status = 200;
    int n;
    const char **cols = titles(d, req->arena, &n);
    struct sheet s = {.b = &resp->body, .row = 1};
    int rc;
    if (strcmp(format, "csv") == 0) {
        resp->content_type = "text/csv; charset=utf-8";
        buf_reset(&resp->body);
        buf_puts(&resp->body, "\xEF\xBB\xBF");
        for (int c = 0; c < n; c++) {
            if (c) buf_putc(&resp->body, ',');
            csv_write_field(&resp->body, cols[c]);
        }
        buf_putc(&resp->body, '\n');
    } else {
        if ((rc = xlsx_writer_open(NULL, "党员统计", &s.xw, err))) return rc;
        xlsx_write_header(s.xw, cols, n);
    }
    for (size_t i = 0; i < st->nrows; i++) {
        const struct party_stats_row *r = &st->rows[i];
        const char *name = tree_name(t, r->node);
        if (r->own) name = arena_printf(req->arena, "%s（本级）", name);
        write_row(&s, d, tree_node(t, r->node)->code, name, &r->f);
    }
    write_row(&s, d, code, st->nrows ? "合计" : tree_name(t, st->node), &st->total);
    return s.xw ? api_send_xlsx(resp, s.xw, err) : ERR_OK;
}

int api_party_stats(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const char *date, *by, *format;
    int rc = http_query_text(req, "date", 10, &date, err);
    if (!rc) rc = http_query_text(req, "by", 16, &by, err);
    if (!rc) rc = http_query_text(req, "format", 8, &format, err);
    if (rc) return rc;
    if (date && !date[0]) date = NULL;
    if (by && by[0] && strcmp(by, "children") != 0)
        return err_set_field(err, ERR_INVALID, "by", "by 只能是 children（按下级单位分列）");
    if (format && format[0] && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
        strcmp(format, "xlsx") != 0)
        return err_set_field(err, ERR_INVALID, "format", "format 只能是 json、csv 或 xlsx");
    bool file = format && (strcmp(format, "csv") == 0 || strcmp(format, "xlsx") == 0);
    bool children = file || (by && by[0]); /* a file is the table by child unit */
    struct party_stats st;
    if ((rc = people_stats(req->app, req->tree, req->unit, date, children, req->arena, &st, err)))
        return rc;
    if (file) return export_stats(req, resp, format, &st, err);

    const struct people_defs *d = req->app->people;
    const struct tree *t = req->tree;
    struct jw w;
    http_json(resp, &w);
    jw_obj(&w);
    api_write_unit_ref(&w, t, "unit", st.node);
    jw_kstr(&w, "date", st.date);
    jw_kint(&w, "year", st.year);
    jw_key(&w, "kind");
    jw_obj(&w);
    jw_kstr(&w, "code", d->stats.kind->code);
    jw_kstr(&w, "name", d->stats.kind->name);
    jw_obj_end(&w);
    jw_kstr(&w, "higher_label", d->stats.higher_label);
    jw_key(&w, "total");
    jw_obj(&w);
    write_figures(&w, d, &st.total);
    jw_obj_end(&w);
    if (children) {
        jw_key(&w, "children");
        jw_arr(&w);
        for (size_t i = 0; i < st.nrows; i++) {
            const struct party_stats_row *r = &st.rows[i];
            jw_obj(&w);
            jw_kstr(&w, "code", tree_node(t, r->node)->code);
            jw_kstr(&w, "name", tree_name(t, r->node));
            jw_kbool(&w, "own", r->own);
            jw_kbool(&w, "retired", (tree_node(t, r->node)->flags & TREE_RETIRED) != 0);
            write_figures(&w, d, &r->f);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
    }
    jw_obj_end(&w);
    return ERR_OK;
}
