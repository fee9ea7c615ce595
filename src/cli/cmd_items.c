/* cmd_items.c — `jiceng items escalate [--date YYYY-MM-DD]`, the daily
 * escalation (督办) of overdue work items, and `jiceng items figures
 * --month YYYY-MM | --week YYYY-Www`, the monthly or weekly review written
 * as data values; both for cron or a systemd timer. */
#include "app/items.h"
#include "app/review.h"
#include "cli/cli.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

/* `items figures --month YYYY-MM | --week YYYY-Www`: a review as data values. */
static int figures(struct cli *cli, int argc, char **argv)
{
    const char *month = NULL, *week = NULL;
    for (int i = 2; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--month", &month);
        if (m == 0) m = cli_opt(argc, argv, &i, "--week", &week);
        if (m < 0) return cli_usage_error("items", "%s needs a value", argv[i]);
        if (m == 0) return cli_usage_error("items", "unexpected argument \"%s\"", argv[i]);
    }
    if (!month == !week)
        return cli_usage_error("items", "figures needs --month YYYY-MM or --week YYYY-Www");
    if (!month) month = week;
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    size_t units, changed;
    rc = review_figures(app, month, &units, &changed, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "items figures");
    printf("jiceng: %s figures of %zu unit(s) written as data values (%zu changed)\n", month, units,
           changed);
    return EXIT_OK;
}

int cmd_items(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "figures") == 0) return figures(cli, argc, argv);
    if (argc < 2 || strcmp(argv[1], "escalate") != 0)
        return cli_usage_error(
            "items", "use `items escalate [--date D]` or `items figures --month M | --week W`");
    char today[11];
    clock_today(today, 0);
    const char *date = today;
    for (int i = 2; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--date", &date);
        if (m < 0) return cli_usage_error("items", "--date needs a value");
        if (m == 0) return cli_usage_error("items", "unexpected argument \"%s\"", argv[i]);
    }
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    size_t n;
    rc = items_escalate(app, date, &n, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "items escalate");
    printf("jiceng: %zu overdue item(s) escalated to the unit above their owner\n", n);
    return EXIT_OK;
}
