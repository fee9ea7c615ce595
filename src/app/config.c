/* config.c — the key table and the three sources (config.h). */
#include "app/config.h"
#include "base/log.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum type {
    T_PATH,
    T_STR,
    T_INT,
    T_LOG,
    T_URL,   /* a T_STR shown without its password */
    T_SECRET /* a T_STR never shown */
};

struct key {
    const char *name, *env;
    enum type type;
    size_t offset, size;
    long lo, hi; /* bounds for integers */
    const char *def, *help;
};

#define STR(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define INT(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

static const struct key keys[] = {
    {"data", "JICENG_DATA", T_PATH, STR(data), 0, 0, "var", "data directory (database, files)"},
    {"db", "JICENG_DB", T_URL, STR(db), 0, 0, "",
     "database: a postgres:// URL, or empty for SQLite in the data directory"},
    {"key_file", "JICENG_KEY_FILE", T_STR, STR(key_file), 0, 0, "",
     "personal-data key file, back it up apart from the database (empty = DATA/secret.key)"},
    {"listen", "JICENG_LISTEN", T_STR, STR(listen), 0, 0, "127.0.0.1:8080",
     "address for `serve`, host:port"},
    {"threads", "JICENG_THREADS", T_INT, INT(threads), 0, 256, "0",
     "HTTP worker threads (0 = four per CPU)"},
    {"log_level", "JICENG_LOG", T_LOG, INT(log_level), 0, 0, "info",
     "debug, info, warn, error or off"},
    {"max_body", "JICENG_MAX_BODY", T_INT, INT(max_body), 1024, 1L << 30, "8388608",
     "largest request body in bytes"},
    {"session_idle", "JICENG_SESSION_IDLE", T_INT, INT(session_idle), 1, 604800, "1800",
     "seconds of inactivity before a login session expires"},
    {"login_rate", "JICENG_LOGIN_RATE", T_INT, INT(login_rate), 1, 100000, "20",
     "login attempts per minute allowed from one address"},
    {"trusted_proxies", "JICENG_TRUSTED_PROXIES", T_STR, STR(trusted_proxies), 0, 0, "",
     "reverse proxies (comma-separated addresses) whose X-Forwarded-For names the client"},
    {"time_zone", "JICENG_TIME_ZONE", T_STR, STR(time_zone), 0, 0, "Asia/Shanghai",
     "the zone deadlines, today, weeks and months are counted in (timestamps stay UTC)"},
    {"due_soon_days", "JICENG_DUE_SOON_DAYS", T_INT, INT(due_soon_days), 0, 60, "3",
     "the 工作台 lists work due within this many days as 即将到期"},
    {"webhook_url", "JICENG_WEBHOOK_URL", T_URL, STR(webhook_url), 0, 0, "",
     "http(s) address notifications are POSTed to as JSON (an SMS or WeChat gateway); empty = "
     "none"},
    {"webhook_secret", "JICENG_WEBHOOK_SECRET", T_SECRET, STR(webhook_secret), 0, 0, "",
     "key the webhook's X-Jiceng-Signature (HMAC-SHA256 of the body) is made with"},
    {"webhook_retry", "JICENG_WEBHOOK_RETRY", T_INT, INT(webhook_retry), 1, 3600, "30",
     "seconds before a failed webhook push is first retried (doubling each time, at most an "
     "hour)"},
    {"max_connections", "JICENG_MAX_CONNECTIONS", T_INT, INT(max_connections), 16, 1000000, "4000",
     "open connections in all; above it the one waiting longest for its request is shed"},
    {"max_connections_per_address", "JICENG_MAX_CONNECTIONS_PER_ADDRESS", T_INT,
     INT(max_connections_per_address), 1, 1000000, "64",
     "open connections from one client address (trusted proxies excepted)"},
    {"request_timeout", "JICENG_REQUEST_TIMEOUT", T_INT, INT(request_timeout), 1, 3600, "60",
     "seconds a client has to send a whole request, head and body"},
    {"ratings_save", "JICENG_RATINGS_SAVE", T_INT, INT(ratings_save), 1, 86400, "60",
     "seconds between writes of the five-star standings that changed (also at a clean stop)"},
    {"kinds_dir", "JICENG_KINDS_DIR", T_STR, STR(kinds_dir), 0, 0, "",
     "a folder of the deployment's own case kinds (*.json), loaded after the shipped ones"},
    {"audit_checkpoints", "JICENG_AUDIT_CHECKPOINTS", T_STR, STR(audit_checkpoints), 0, 0, "",
     "append-only file of signed audit checkpoints, outside the database "
     "(empty = DATA/audit.checkpoints)"},
    {"audit_syslog", "JICENG_AUDIT_SYSLOG", T_INT, INT(audit_syslog), 0, 1, "0",
     "1: send audit checkpoints and tamper alarms to syslog (authpriv) too"},
};

#define NKEYS (sizeof keys / sizeof keys[0])
_Static_assert(NKEYS <= sizeof((struct config *)0)->origin / sizeof(const char *),
               "struct config's origin[] has a place for every key");

static const char *const origin_names[] = {"default", "file", "env", "flag"};

static int set_key(struct config *c, const struct key *k, const char *value, int origin,
                   struct err *err)
{
    char *p = (char *)c + k->offset;
    switch (k->type) {
    case T_PATH:
    case T_STR:
    case T_URL:
    case T_SECRET:
        if (strlen(value) >= k->size || (k->type == T_PATH && !value[0]))
            return err_set_field(err, ERR_INVALID, k->name, "%s: value is empty or too long",
                                 k->name);
        memcpy(p, value, strlen(value) + 1);
        break;
    case T_INT: {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < k->lo || v > k->hi)
            return err_set_field(err, ERR_INVALID, k->name,
                                 "%s: \"%s\" is not a whole number from %ld to %ld", k->name, value,
                                 k->lo, k->hi);
        if (k->size == sizeof(int))
            *(int *)p = (int)v;
        else
            *(long *)p = v;
        break;
    }
    case T_LOG: {
        int level = log_level_parse(value);
        if (level < 0)
            return err_set_field(err, ERR_INVALID, k->name,
                                 "%s: \"%s\" is not one of debug, info, warn, error, off", k->name,
                                 value);
        *(int *)p = level;
        break;
    }
    }
    c->origin[k - keys] = origin_names[origin];
    return ERR_OK;
}

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < NKEYS; i++)
        set_key(c, &keys[i], keys[i].def, CONFIG_DEFAULT, NULL);
}

int config_set(struct config *c, const char *key, const char *value, int origin, struct err *err)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].name, key) == 0) return set_key(c, &keys[i], value, origin, err);
    return err_set_field(err, ERR_INVALID, key, "unknown configuration key \"%s\"", key);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

int config_load_file(struct config *c, struct err *err)
{
    char path[CONFIG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/jiceng.conf", c->data);
    FILE *f = fopen(path, "r");
    if (!f) return ERR_OK;
    char line[2048];
    long n = 0;
    int rc = ERR_OK;
    while (rc == ERR_OK && fgets(line, sizeof line, f)) {
        n++;
        char *s = trim(line);
        if (!*s || *s == '#') continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = err_set(err, ERR_INVALID, "expected \"key = value\"");
        } else {
            *eq = '\0';
            rc = config_set(c, trim(s), trim(eq + 1), CONFIG_FILE, err);
        }
        if (rc) err_at(err, path, n, 0);
    }
    fclose(f);
    return rc;
}

int config_load_env(struct config *c, struct err *err)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const char *v = getenv(keys[i].env);
        if (!v) continue;
        int rc = set_key(c, &keys[i], v, CONFIG_ENV, err);
        if (rc) return err_wrap(err, "environment variable %s", keys[i].env);
    }
    return ERR_OK;
}

/* The URL with the password of its user part (scheme://user:PASSWORD@host)
 * or of a password=… parameter replaced by "***", for printing. */
static const char *mask_password(const char *url, char *out, size_t cap)
{
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    const char *pw = colon ? colon + 1 : strstr(url, "password=");
    if (!pw) {
        snprintf(out, cap, "%s", url);
        return out;
    }
    if (!colon) pw += strlen("password=");
    const char *rest = colon ? at : pw + strcspn(pw, "& ");
    snprintf(out, cap, "%.*s***%s", (int)(pw - url), url, rest);
    return out;
}

void config_each(const struct config *c,
                 void (*fn)(void *ctx, const char *key, const char *value, const char *origin,
                            const char *help),
                 void *ctx)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const struct key *k = &keys[i];
        const char *p = (const char *)c + k->offset;
        char num[32], masked[CONFIG_PATH_MAX];
        const char *value = p;
        if (k->type == T_INT) {
            long v = k->size == sizeof(int) ? *(const int *)p : *(const long *)p;
            snprintf(num, sizeof num, "%ld", v);
            value = num;
        } else if (k->type == T_URL) {
            value = mask_password(p, masked, sizeof masked);
        } else if (k->type == T_SECRET) {
            value = p[0] ? "***" : "";
        } else if (k->type == T_LOG) {
            static const char *const lv[] = {"debug", "info", "warn", "error", "off"};
            value = lv[*(const int *)p];
        }
        fn(ctx, k->name, value, c->origin[i] ? c->origin[i] : "default", k->help);
    }
}
