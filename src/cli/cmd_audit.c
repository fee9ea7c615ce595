/*
 * cmd_audit.c — `jiceng audit verify`: checks the audit trail — its chain,
 * its checkpoints, and the current rows against the trail's after-images.
 */
#include "cli/cli.h"
#include "app/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SHOWN_MAX 200 /* problems printed; the rest are counted */
#define FILES_MAX 16  /* --checkpoints files */

static void print_problem(void *ctx, int64_t seq, const char *problem)
{
    int *shown = ctx;
    (void)seq; /* the sentence names it */
    if (++*shown <= SHOWN_MAX) fprintf(stderr, "%s\n", problem);
}

/* What was checked, after the verdict line. */
static void print_summary(const struct app *app, const struct audit_verify_result *r)
{
    if (r->keyed < r->records)
        printf("其中 %" PRId64 " 条带密钥，%" PRId64 " 条为启用密钥前的旧格式\n", r->keyed,
               r->records - r->keyed);
    if (r->cp_file || r->checkpoints)
        printf("与 %" PRId64 " 个检查点一致（%s）\n", r->cps_matched, audit_checkpoints_path(app));
    else
        printf("没有检查点文件 %s：无法对照末尾被删的记录或整条链被重算\n",
               audit_checkpoints_path(app));
    printf("现有数据与审计记录一致：%" PRId64 " 个用户、%" PRId64 " 个数据值、%" PRId64 " 个事项",
           r->users, r->values, r->cases);
    if (r->cases_older) printf("（另有 %" PRId64 " 个事项早于写后映像，未核对）", r->cases_older);
    printf("\n");
}

static int verify(struct cli *cli, const char *const *files)
{
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    int shown = 0;
    struct audit_verify_opts o = {.checkpoints = files};
    struct audit_verify_result r;
    rc = audit_verify(app, &o, print_problem, &shown, &r, &e);
    if (rc) {
        app_close(app);
        return cli_fail(&e, "audit verify");
    }
    if (shown > SHOWN_MAX) fprintf(stderr, "……另有 %d 处问题未列出\n", shown - SHOWN_MAX);
    if (r.problems > r.row_problems)
        fprintf(stderr, "审计链不完整：共 %" PRId64 " 条记录，发现 %d 处问题\n", r.records,
                r.problems);
    else if (r.problems)
        fprintf(stderr,
                "现有数据与审计记录不符：发现 %d 处问题（审计链本身完整，共 %" PRId64 " 条记录）\n",
                r.problems, r.records);
    else
        printf("审计链完整：共 %" PRId64 " 条记录\n", r.records);
    if (!r.problems) print_summary(app, &r);
    app_close(app);
    return r.problems ? EXIT_FAIL : EXIT_OK;
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
    if (argc < 2) return cli_usage_error("audit", "say what to do: `audit verify`");
    if (strcmp(argv[1], "verify") != 0)
        return cli_usage_error("audit", "unknown audit command \"%s\"", argv[1]);
    const char *files[FILES_MAX + 1] = {0};
    int n = 0;
    for (int i = 2; i < argc; i++) {
        const char *v;
        int m = cli_opt(argc, argv, &i, "--checkpoints", &v);
        if (m < 0) return cli_usage_error("audit", "--checkpoints needs a file");
        if (m == 0) return cli_usage_error("audit", "unexpected argument \"%s\"", argv[i]);
        if (n == FILES_MAX) return cli_usage_error("audit", "at most %d --checkpoints", FILES_MAX);
        files[n++] = v;
    }
    return verify(cli, files);
}
