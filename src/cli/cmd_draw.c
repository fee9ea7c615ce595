/* cmd_draw.c — `jiceng draw run PLAN [--public VALUE]` and `jiceng draw
 * verify ID`: the 双随机 draw of a plan, and anyone's check that a stored
 * draw is what its published inputs give (exit 0), or that it was altered
 * (exit 1, naming the difference). */
#include "app/inspections.h"
#include "cli/cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v <= 0) return -1;
    *out = v;
    return 0;
}

static int run(struct cli *cli, int argc, char **argv)
{
    int64_t plan;
    const char *pub = NULL;
    if (argc < 3 || parse_id(argv[2], &plan))
        return cli_usage_error("draw", "draw run needs a plan id (a positive number)");
    for (int i = 3; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--public", &pub);
        if (m < 0) return cli_usage_error("draw", "--public needs a value");
        if (m == 0) return cli_usage_error("draw", "unexpected argument \"%s\"", argv[i]);
    }
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    int64_t id = 0;
    rc = inspections_draw(app, NULL, plan, pub, AUTH_CLI_NAME, "cli", &id, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "draw run");
    printf("%" PRId64 "\n", id);
    return EXIT_OK;
}

static int verify(struct cli *cli, int argc, char **argv)
{
    int64_t id;
    if (argc != 3 || parse_id(argv[2], &id))
        return cli_usage_error("draw", "draw verify needs one draw id (a positive number)");
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    struct buf out = BUF_INIT, diff = BUF_INIT;
    bool same = true;
    rc = inspections_verify(app, id, &out, &same, &diff, &e);
    app_close(app);
    if (rc) {
        buf_free(&out);
        buf_free(&diff);
        return cli_fail(&e, "draw verify");
    }
    fputs(out.p ? out.p : "", stdout);
    if (same)
        printf("一致：按公开的输入重新摇号，结果与记录相同\n");
    else
        fprintf(stderr, "不一致：记录的摇号结果被改动\n%s", diff.p ? diff.p : "");
    buf_free(&out);
    buf_free(&diff);
    return same ? EXIT_OK : EXIT_FAIL;
}

static int result(struct cli *cli, int argc, char **argv)
{
    int64_t id;
    const char *code = NULL, *checked = NULL, *published = NULL;
    if (argc < 3 || parse_id(argv[2], &id))
        return cli_usage_error("draw", "draw result needs a check id (a positive number)");
    for (int i = 3; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--result", &code);
        if (m == 0) m = cli_opt(argc, argv, &i, "--checked", &checked);
        if (m == 0) m = cli_opt(argc, argv, &i, "--published", &published);
        if (m < 0) return cli_usage_error("draw", "%s needs a value", argv[i]);
        if (m == 0) return cli_usage_error("draw", "unexpected argument \"%s\"", argv[i]);
    }
    if (!code || !checked)
        return cli_usage_error("draw", "draw result needs --result CODE and --checked YYYY-MM-DD");
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    rc = inspections_result(app, NULL, id, code, checked, published, AUTH_CLI_NAME, "cli", &e);
    char by[11] = "";
    if (!rc) rc = inspections_publish_by(checked, by, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "draw result");
    printf("jiceng: check %" PRId64 " recorded; results to be published by %s\n", id, by);
    return EXIT_OK;
}

int cmd_draw(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "result") == 0) return result(cli, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "run") == 0) return run(cli, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "verify") == 0) return verify(cli, argc, argv);
    return cli_usage_error(
        "draw", "use `draw run PLAN [--public VALUE]`, `draw verify ID` or `draw result CHECK "
                "--result CODE --checked D [--published D]`");
}
