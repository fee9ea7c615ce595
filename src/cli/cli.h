/*
 * cli.h — the `jiceng` command line. Commands are rows of the table in
 * main.c, each `cmd_<name>()` in its own file. Exit codes are a contract
 * for scripts: 0 success, 1 failure, 2 usage error.
 */
#ifndef JICENG_CLI_H
#define JICENG_CLI_H

#include <stdbool.h>

#include "app/app.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli {
    struct config cfg;
};

struct cli_cmd {
    const char *name;
    int (*fn)(struct cli *cli, int argc, char **argv); /* argv[0] is the command name */
    const char *summary;
    const char *usage; /* full help text, printed by --help */
};

extern const struct cli_cmd cli_commands[];

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
/* `import elements` and `import values` (cmd_import_data.c). */
int cmd_import_data(struct cli *cli, int argc, char **argv);
/* `import persons|households FILE --unit CODE` (cmd_import_people.c). */
int cmd_import_people(struct cli *cli, int argc, char **argv);
/* `import KIND FILE --unit CODE` for the sheets of the other registers
 * (projects, grids, …); an unknown KIND is a usage error naming every
 * kind (cmd_import_sheets.c). */
int cmd_import_sheets(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
/* `backup FILE`: a consistent, checked copy of the database (cmd_backup.c). */
int cmd_backup(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
int cmd_token(struct cli *cli, int argc, char **argv);
int cmd_open311(struct cli *cli, int argc, char **argv);
int cmd_items(struct cli *cli, int argc, char **argv);
int cmd_draw(struct cli *cli, int argc, char **argv);
/* `demo --county CODE`: a synthetic campaign year in one county (cmd_demo.c). */
int cmd_demo(struct cli *cli, int argc, char **argv);
/* `migrate --to URL|DIR`: the whole database into another backend (cmd_migrate.c). */
int cmd_migrate(struct cli *cli, int argc, char **argv);
int cmd_routes(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_version(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);

/* Prints "jiceng: <context>: <error>" to stderr; returns EXIT_FAIL. */
int cli_fail(const struct err *e, const char *context);
/* Prints a usage error and the command's usage line; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True if argv holds -h or --help; the command then prints its usage. */
bool cli_wants_help(int argc, char **argv);
int cli_print_usage(const char *cmd);
/* Opens the app for a command; prints the error and returns EXIT_FAIL. */
int cli_open_app(struct cli *cli, bool create, int pool, struct app **out);

/* Matches option `name` at argv[*i] as "--name VALUE" or "--name=VALUE":
 * 1 and *value set (advancing *i past a separate value), 0 if argv[*i]
 * is another option, -1 if the value is missing. */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **value);
/* Reads a password from a file ("-" for stdin), without its final newline. */
int cli_read_password(const char *path, char *out, size_t cap, struct err *err);
/* Reads a whole file of at most CLI_FILE_MAX bytes (*data malloc'd). */
#define CLI_FILE_MAX (64L << 20)
int cli_read_file(const char *path, char **data, size_t *len, struct err *err);
/* The same with a limit of max bytes: sheets may be larger (CLI_SHEET_MAX). */
#define CLI_SHEET_MAX (256L << 20)
int cli_read_file_max(const char *path, long max, char **data, size_t *len, struct err *err);
/* Writes data to path readable by its owner only (0600): secrets. */
int cli_write_private(const char *path, const void *data, size_t len, struct err *err);

/* What the sheet imports share (sheet_args.c): argv[2..] as FILE and
 * --unit CODE, the file read (`what` names the command when it cannot be),
 * the app opened and fn run with them and the refused rows (errors->a is
 * the run's arena); when fn fails its error is printed and every refused
 * row after the first, one a line. The exit code. */
struct people_row_errors;
typedef int cli_sheet_fn(struct app *app, const void *ctx, const char *file, const char *data,
                         size_t len, const char *unit, struct people_row_errors *errors,
                         struct err *err);
int cli_sheet_run(struct cli *cli, int argc, char **argv, const char *what, cli_sheet_fn *fn,
                  const void *ctx);

/* Import progress on stderr when it is a terminal. */
void cli_progress(void *ctx, const char *phase, size_t done, size_t total);
void cli_progress_end(void);

#endif
