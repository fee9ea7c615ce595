/*
 * people_sheet_int.h — what the sheet imports share inside app/ (the
 * people registry's 花名册 and 住户表 first, then grids, projects,
 * volunteers, health and 双随机 registers): columns known by their Chinese
 * heading, an alias or the API field; cells as text in the import's arena;
 * dates as offices write them; the refused rows, collected so that one
 * answer lists them all; and sheet_run, the all-or-nothing run around an
 * import's own checks and writes. Not for api/ or cli/ (they see people.h).
 */
#ifndef JICENG_PEOPLE_SHEET_INT_H
#define JICENG_PEOPLE_SHEET_INT_H

#include "app/audit.h"
#include "app/people.h"
#include "io/table.h"

#define SHEET_COLS_MAX 24

struct sheet {
    struct arena *a;
    const struct sheet_col *cols;
    int ncols;
    const char *what;       /* the ledger, for messages: "花名册" */
    unsigned needs;         /* the columns that must be there, a bit each (SHEET_NEEDS) */
    int at[SHEET_COLS_MAX]; /* file column of each, -1 absent */
    bool header;            /* the header row has been read */
};

/* A bit per column for sheet.needs. */
#define SHEET_NEED(c) (1u << (c))
/* Reads the header row (line `row` of the file): every non-empty heading
 * must name a column, once, and every column of s->needs be there. */
int sheet_header(struct sheet *s, struct table_cell *cells, int n, long row, struct err *err);
/* The trimmed text of column c in the row, NULL when absent or empty. */
const char *sheet_cell(const struct sheet *s, const struct table_cell *cells, int n, int c);
/* True when every cell of the row is empty. */
bool sheet_blank(const struct table_cell *cells, int n);
/* "2020-07-01", "2020/7/1", "2020.7.1" or an Excel day number → YYYY-MM-DD;
 * anything else is returned as it is, for the checks to refuse. */
const char *sheet_date(struct arena *a, const char *s);
/* The heading of the column filling API field `field`, "" when none. */
const char *sheet_label(const struct sheet_col *cols, int n, const char *field);

/* The unit cell s names inside scope ("" the whole tree), by code or by
 * name with as much of its path as makes it unique (辛安镇/郝庄村): its
 * code in *code. A name found twice is refused naming both (sheet_unit.c). */
struct tree;
int sheet_unit(struct arena *a, const struct tree *t, const char *scope, const char *s,
               const char **code, struct err *err);

/* The person of the registry with this ID-card number (its keyed hash),
 * or one refused telling the clerk to import them in 花名册 first
 * (sheet_person.c). */
int sheet_person_by_id_number(struct app *app, const char *number, int64_t *id, struct err *err);
/* The one person named `name` with a home unit inside scope; refused when
 * there is none or more than one (then the ID-card number tells them apart). */
int sheet_person_by_name(struct app *app, const char *name, const char *scope, int64_t *id,
                         struct err *err);

/* The rows seen by a key (an ID number's hash), to find a second row of
 * one person without comparing every pair. */
struct sheet_seen {
    const char **keys;
    long *lines;
    size_t cap; /* a power of two, at least twice the rows */
};
void sheet_seen_init(struct sheet_seen *s, struct arena *a, size_t rows);
/* 0 when key is new (it is then kept with line), else the line that had it. */
long sheet_seen(struct sheet_seen *s, const char *key, long line);

/* Input errors refuse a row and the checking goes on; anything else (the
 * database, a bug) stops the import. */
bool people_row_refusable(int rc);
/* Keeps err as row `line`'s refusal in `column` (a heading, "" for the
 * row as a whole) and clears it. */
void people_row_refuse(struct people_row_errors *e, long line, const char *column, struct err *err);
/* After every row was checked: ERR_OK when none was refused; else err is
 * the first refusal, prefixed with "第 N 行“列”" (and how many rows were
 * refused, when more than one), and its kind is returned. */
int people_rows_refused(struct people_row_errors *e, struct err *err);

/* An import's write: one transaction holding the rows (write), its audit
 * record (action and entity, with summary() as "after" once written) and
 * the @memberships notice; rolled back on any failure. bulk: with the
 * settings for very many rows (db_bulk). */
struct db;
struct sheet_commit {
    const struct auth_user *actor;
    const char *scope, *client, *action, *entity;
    bool bulk;
    int (*write)(void *ctx, struct db *db, struct err *err);
    const char *(*summary)(void *ctx);
    void *ctx;
};
int sheet_commit(struct app *app, const struct sheet_commit *c, struct err *err);

/* One sheet in, all or nothing (sheet_run): the actor's scope checked, an
 * arena, the rows read and checked by row(), the refused ones listed, then
 * commit(). An import's own state begins with this (its first member), so
 * that row() gets it as ctx and the callbacks can cast it back. The import
 * sets the first part, the run gives the rest, valid while it runs. */
struct sheet_run {
    struct app *app;
    const struct auth_user *actor;
    const char *scope, *client;
    bool anywhere;                    /* a registry of the whole tree: scope is not checked */
    bool reads;                       /* db is held while loading and reading the rows */
    struct sheet s;                   /* cols, ncols, what and needs */
    const char *none;                 /* "网格": a file without rows is refused; NULL: allowed */
    const size_t *kept;               /* the count of rows row() kept, for none and the audit */
    size_t seen_rows;                 /* > 0: seen is made for keys of this many rows */
    int (*load)(struct sheet_run *r); /* before the rows, NULL: nothing */
    table_row_fn row;
    /* Once every row passed; NULL: write() (the import its ctx), the audit
     * record (action, entity, {file, rows}) and the notice of changed
     * (NULL none) in one transaction (app_write_tx). */
    int (*commit)(struct sheet_run *r);
    const char *action, *entity, *changed;
    app_write_fn write;

    const char *name; /* the file */
    struct arena *a;
    struct tree *t;
    struct db *db;
    struct sheet_seen seen;
    struct people_row_errors *errors; /* the caller's, or the run's own */
    struct err *err;
};
/* An error of row `line` in column c (-1: the row as a whole): a refusal
 * (kept, ERR_OK returned, the checking goes on) or what stops the import. */
int sheet_refuse(struct sheet_run *r, long line, int c, int rc);
/* errors: where refused rows are listed, NULL not listed. */
int sheet_run(struct sheet_run *r, const char *data, size_t len, const char *name,
              struct people_row_errors *errors, struct err *err);
/* An import's audit record: the run's actor, scope and client, after
 * {"file": name, "rows": rows} in the run's arena. */
struct audit_entry sheet_audit(const struct sheet_run *r, const char *action, const char *entity,
                               size_t rows);

#endif
