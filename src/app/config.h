/*
 * config.h — the effective configuration (Redis CONFIG style).
 *
 * One struct with defaults, overridden in this order by the config file
 * (DATA/jiceng.conf, lines "key = value"), the environment (JICENG_*),
 * then command-line flags. Every key is one row of the table in config.c;
 * `jiceng config` prints the effective values and where each came from.
 */
#ifndef JICENG_CONFIG_H
#define JICENG_CONFIG_H

#include <stddef.h>

#include "base/err.h"

#define CONFIG_PATH_MAX 1024

struct config {
    char data[CONFIG_PATH_MAX]; /* data directory */
    char db[CONFIG_PATH_MAX];   /* postgres:// URL; "" = SQLite in the data directory */
    char listen[256];           /* host:port for `serve` */
    int threads;                /* HTTP worker threads, 0 = four per CPU */
    int log_level;              /* enum log_level */
    long max_body;              /* bytes in a request body */
    int session_idle;           /* seconds of inactivity before a session expires */
    int login_rate;             /* login attempts per minute from one address */
    char trusted_proxies[256];  /* comma-separated proxy addresses whose X-Forwarded-For counts */
    int max_connections;        /* open connections in all; above it the longest waiting is shed */
    int max_connections_per_address; /* from one client address (trusted proxies excepted) */
    int request_timeout;             /* seconds for a whole request head and body */
    int ratings_save;                /* seconds between writes of the changed five-star standings */
    char kinds_dir[CONFIG_PATH_MAX]; /* a folder of the deployment's own case kinds, "" none */
    char time_zone[64];              /* the zone days are counted in (base/clock.h) */
    int due_soon_days;               /* the desk's 即将到期: due within this many days */
    char webhook_url[512];           /* where notifications are POSTed; "" none (webhook.h) */
    char webhook_secret[128];        /* HMAC key of the webhook's signature header */
    int webhook_retry;               /* seconds before the first retry of a failed push */
    char audit_checkpoints[CONFIG_PATH_MAX]; /* checkpoint file, "" = DATA/audit.checkpoints */
    int audit_syslog;                        /* 1: checkpoints also to syslog */
    const char *origin[32];                  /* where each key's value came from, by table index */
    /* master key for personal data; "" means DATA/secret.key */
    char key_file[CONFIG_PATH_MAX];
};

enum config_origin { CONFIG_DEFAULT, CONFIG_FILE, CONFIG_ENV, CONFIG_FLAG };

void config_defaults(struct config *c);
/* Sets key to value, recording origin. ERR_INVALID for an unknown key or
 * a bad value. */
int config_set(struct config *c, const char *key, const char *value, int origin, struct err *err);
/* Reads DATA/jiceng.conf if it exists. */
int config_load_file(struct config *c, struct err *err);
/* Applies every JICENG_* variable that is set. */
int config_load_env(struct config *c, struct err *err);
/* Calls fn for each key with its current value as text and its origin name. */
void config_each(const struct config *c,
                 void (*fn)(void *ctx, const char *key, const char *value, const char *origin,
                            const char *help),
                 void *ctx);

#endif
