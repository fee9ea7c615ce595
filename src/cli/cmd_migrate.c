/*
 * cmd_migrate.c — `jiceng migrate --to URL|DIR`: copies the whole database
 * of the current backend (--data, --db) into an empty PostgreSQL database
 * or a new SQLite data directory and proves the copy (app/migrate.c). The
 * personal-data key file is not in the database and is not copied; the
 * command says where it is.
 */
#include "app/keyfile.h"
#include "app/migrate.h"
#include "cli/cli.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void progress(void *ctx, const char *table, int64_t rows)
{
    const struct migrate_result *r = ctx;
    if (table)
        fprintf(stderr, "jiceng: copied %s (%" PRId64 " rows)\n", table, rows);
    else
        fprintf(stderr, "jiceng: copying %" PRId64 " tables from %s to %s (schema version %d)\n",
                rows, r->from, r->into, r->version);
}

static void report(const struct migrate_result *r)
{
    printf("%-22s %12s %12s  %s\n", "table", "source rows", "target rows", "checksum");
    for (size_t i = 0; i < r->n; i++) {
        const struct migrate_table *t = &r->tables[i];
        bool same = t->rows_src == t->rows_dst && memcmp(t->sum_src, t->sum_dst, 32) == 0;
        char hex[17];
        sodium_bin2hex(hex, sizeof hex, t->sum_dst, 8);
        printf("%-22s %12" PRId64 " %12" PRId64 "  %s %s\n", t->name, t->rows_src, t->rows_dst, hex,
               same ? "ok" : "MISMATCH");
    }
}

int cmd_migrate(struct cli *cli, int argc, char **argv)
{
    const char *to = NULL;
    for (int i = 1; i < argc; i++) {
        int m = cli_opt(argc, argv, &i, "--to", &to);
        if (m < 0) return cli_usage_error("migrate", "--to needs a value");
        if (m == 0) return cli_usage_error("migrate", "unexpected argument \"%s\"", argv[i]);
    }
    if (!to || !*to) return cli_usage_error("migrate", "say where to: --to URL or --to DIR");
    struct err e;
    err_clear(&e);
    struct migrate_result r;
    int rc = app_migrate(cli->cfg.data, cli->cfg.db, to, progress, &r, &r, &e);
    if (rc == ERR_INVALID && r.n == 0 && !r.to_postgres && strstr(to, "://")) {
        migrate_result_free(&r);
        return cli_usage_error("migrate", "%s", e.msg);
    }
    if (rc == ERR_OK) report(&r);
    int bad = r.mismatches;
    bool pg = r.to_postgres;
    migrate_result_free(&r);
    if (rc) return cli_fail(&e, "migrate");
    if (bad) {
        fprintf(stderr, "jiceng: migrate: %d tables differ after the copy: do not use the target\n",
                bad);
        return EXIT_FAIL;
    }
    char key[CONFIG_PATH_MAX];
    keyfile_path(&cli->cfg, key, sizeof key);
    printf("copied and verified: every table has the same rows and checksum on both sides\n"
           "the personal-data key file is not in the database and was not copied: it stays at\n"
           "%s. Servers on the new database need it: %s\n",
           key,
           pg ? "give them a --data directory holding it (or key_file in jiceng.conf)"
              : "copy it into the new data directory (mode 0600)");
    return EXIT_OK;
}
