/* sheet_args.c — what the sheet imports (`import persons|households|KIND
 * FILE --unit CODE`) share: their arguments and the refused rows printed
 * (cli.h). */
#include "app/people.h"
#include "cli/cli.h"

#include <stdio.h>

int cli_sheet_args(int argc, char **argv, const char **file, const char **unit)
{
    *file = *unit = NULL;
    for (int i = 2; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--unit", unit);
        if (m < 0) return cli_usage_error("import", "--unit needs a unit code, e.g. 411121100201");
        if (m > 0) continue;
        if (argv[i][0] == '-' || *file)
            return cli_usage_error("import", "unexpected argument \"%s\"", argv[i]);
        *file = argv[i];
    }
    if (!*file || !*unit)
        return cli_usage_error("import", "usage: jiceng import %s FILE --unit CODE", argv[1]);
    return EXIT_OK;
}

void cli_print_refused(const struct people_row_errors *e)
{
    for (size_t i = 1; i < e->n; i++)
        fprintf(stderr, "  第 %ld 行%s%s%s：%s\n", e->v[i].line, e->v[i].column[0] ? "“" : "",
                e->v[i].column, e->v[i].column[0] ? "”" : "", e->v[i].msg);
    if (e->total > e->n) fprintf(stderr, "  …另有 %zu 行有错\n", e->total - e->n);
}
