/* cmd_basic.c — `jiceng version`, `help` and `config`. */
#include "cli/cli.h"
#include "http/http.h"

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

/* The API's route table as JSON, for operators and for the permission
 * matrix test, which covers every route listed here. */
int cmd_routes(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argv;
    if (argc > 1) return cli_usage_error("routes", "routes takes no arguments");
    static const char *const methods[] = {"",    "GET",   "HEAD",   "POST",
                                          "PUT", "PATCH", "DELETE", "OPTIONS"};
    static const char *const scopes[] = {"none",  "path",  "query",      "user",      "body",
                                         "items", "item",  "person",     "household", "org",
                                         "case",  "event", "evaluation", "contest"};
    _Static_assert(sizeof scopes / sizeof scopes[0] == HTTP_SCOPE_COUNT, "a name per scope");
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_arr(&w);
    for (const struct http_route *r = api_routes; r->pattern; r++) {
        jw_obj(&w);
        jw_kstr(&w, "method", methods[r->method]);
        jw_kstr(&w, "path", r->pattern);
        jw_kstr(&w, "perm", r->perm);
        jw_kstr(&w, "scope", scopes[r->scope]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    printf("%.*s\n", (int)b.len, b.p);
    buf_free(&b);
    return EXIT_OK;
}
