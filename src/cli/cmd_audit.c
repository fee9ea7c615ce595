/* cmd_audit.c — `jiceng audit verify`: checks the audit trail's hash chain. */
#include "cli/cli.h"
#include "app/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void print_problem(void *ctx, int64_t seq, const char *problem)
{
    (void)ctx;
    (void)seq; /* the sentence names it */
    fprintf(stderr, "%s\n", problem);
}

static int verify(struct cli *cli)
{
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    int64_t checked = 0;
    int problems = 0;
    rc = audit_verify(app, print_problem, NULL, &checked, &problems, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "audit verify");
    if (problems) {
        fprintf(stderr, "审计链不完整：共 %" PRId64 " 条记录，发现 %d 处问题\n", checked, problems);
        return EXIT_FAIL;
    }
    printf("审计链完整：共 %" PRId64 " 条记录\n", checked);
    return EXIT_OK;
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
    if (argc < 2) return cli_usage_error("audit", "say what to do: `audit verify`");
    if (strcmp(argv[1], "verify") != 0)
        return cli_usage_error("audit", "unknown audit command \"%s\"", argv[1]);
    if (argc > 2) return cli_usage_error("audit", "unexpected argument \"%s\"", argv[2]);
    return verify(cli);
}
