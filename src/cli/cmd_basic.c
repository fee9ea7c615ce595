/* cmd_basic.c — `jiceng version`, `help` and `config`. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int cmd_version(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argv;
    if (argc > 1) return cli_usage_error("version", "version takes no arguments");
    printf("jiceng %s\n", JICENG_VERSION);
    return EXIT_OK;
}

int cmd_help(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc > 2) return cli_usage_error("help", "help takes at most one command name");
    if (argc == 2) {
        for (const struct cli_cmd *c = cli_commands; c->name; c++)
            if (strcmp(c->name, argv[1]) == 0) return cli_print_usage(c->name);
        return cli_usage_error("help", "unknown command \"%s\"", argv[1]);
    }
    return cli_print_usage(NULL);
}

static void print_key(void *ctx, const char *key, const char *value, const char *origin,
                      const char *help)
{
    (void)ctx;
    printf("%-10s = %-24s # %s (%s)\n", key, value, help, origin);
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
    (void)argv;
    if (argc > 1) return cli_usage_error("config", "config takes no arguments");
    config_each(&cli->cfg, print_key, NULL);
    return EXIT_OK;
}
