/*
 * cmd_serve.c — `jiceng serve`: runs the HTTP server until SIGINT or
 * SIGTERM. The signals are blocked in every thread and taken with
 * sigwait, so shutdown runs in normal context, not in a handler.
 */
#include "app/audit.h"
#include "app/webhook.h"
#include "app/ratings.h"
#include "base/log.h"
#include "cli/cli.h"
#include "http/http.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'}, {"threads", required_argument, NULL, 't'}, {0}};
    struct err e;
    err_clear(&e);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":l:t:", opts, NULL)) != -1) {
        const char *key = c == 'l' ? "listen" : c == 't' ? "threads" : NULL;
        if (!key)
            return cli_usage_error("serve", c == ':' ? "%s needs a value" : "unknown option %s",
                                   argv[optind - 1]);
        if (config_set(&cli->cfg, key, optarg, CONFIG_FLAG, &e)) {
            cli_fail(&e, NULL);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) return cli_usage_error("serve", "unexpected argument \"%s\"", argv[optind]);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Four workers per CPU by default: a worker waits on the disk for every
     * durable commit, and ballots waiting together commit together
     * (app/group_commit.h) only if several workers are there to wait. */
    int threads = cli->cfg.threads > 0 ? cli->cfg.threads : 4 * (int)sysconf(_SC_NPROCESSORS_ONLN);
    struct app *app;
    /* one connection per worker thread, one for the change listener's
     * reloads, and two for building the five-star results (ratings_warm) */
    int rc = cli_open_app(cli, false, threads + 3, &app);
    if (rc) return rc;
    struct webhook *hook;
    if (webhook_start(app, &hook, &e)) {
        app_close(app);
        return cli_fail(&e, "serve");
    }
    struct http_server *srv;
    if (audit_watch(app, &e) || http_server_start(app, cli->cfg.listen, threads, &srv, &e)) {
        webhook_stop(hook);
        app_close(app);
        return cli_fail(&e, "serve");
    }
    ratings_warm(app); /* the five-star results, in the background */
    const char *host = cli->cfg.listen;
    const char *colon = strrchr(host, ':');
    printf("jiceng %s serving http://%.*s:%d/ (%u units, data %s)\n", JICENG_VERSION,
           (int)(colon - host), host, http_server_port(srv), tree_count(app->tree), cli->cfg.data);
    fflush(stdout);
    log_msg(LOG_INFO, "serve.start", "listen=%s port=%d threads=%d", cli->cfg.listen,
            http_server_port(srv), threads);
    int sig;
    sigwait(&set, &sig);
    log_msg(LOG_INFO, "serve.stop", "signal=%d", sig);
    http_server_stop(srv);
    webhook_stop(hook);
    app_close(app);
    return EXIT_OK;
}
