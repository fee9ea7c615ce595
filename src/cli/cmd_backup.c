/*
 * cmd_backup.c — `jiceng backup FILE`: a consistent copy of the whole
 * database while servers write, checked (integrity, audit trail) before
 * it is reported done, with the last audit record it holds.
 */
#include "cli/cli.h"
#include "app/backup.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void print_problem(void *ctx, int64_t seq, const char *problem)
{
    int *n = ctx;
    (void)seq;
    if (++*n <= 200) fprintf(stderr, "%s\n", problem);
}

int cmd_backup(struct cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return cli_usage_error("backup",
                               argc < 2 ? "name the backup file" : "unexpected argument \"%s\"",
                               argc < 2 ? "" : argv[2]);
    const char *path = argv[1];
    struct app *app;
    int rc = cli_open_app(cli, false, 1, &app);
    if (rc) return rc;
    struct err e;
    err_clear(&e);
    struct backup_result r;
    int shown = 0;
    char key[CONFIG_PATH_MAX + 32];
    snprintf(key, sizeof key, "%s", app->cfg.key_file[0] ? app->cfg.key_file : "");
    if (!key[0]) snprintf(key, sizeof key, "%s/secret.key", app->cfg.data);
    rc = app_backup(app, path, print_problem, &shown, &r, &e);
    app_close(app);
    if (rc) return cli_fail(&e, "backup");
    printf("备份完成：%s（%s，%lld 字节）\n", path, r.postgres ? "pg_dump 归档" : "SQLite 数据库",
           r.bytes);
    printf("审计序号：%" PRId64 "（备份中最后一条审计记录）\n", r.seq);
    if (r.integrity[0]) fprintf(stderr, "完整性检查未通过：%s\n", r.integrity);
    if (r.audit.problems) {
        fprintf(stderr, "备份中的审计核对发现 %d 处问题（备份已保留，便于调查）\n",
                r.audit.problems);
        return EXIT_FAIL;
    }
    if (r.integrity[0]) return EXIT_FAIL;
    printf("%s审计链完整：共 %" PRId64 " 条记录；%" PRId64 " 个用户、%" PRId64 " 个数据值、%" PRId64
           " 个事项与审计记录一致\n",
           r.postgres ? "" : "完整性检查通过；", r.audit.records, r.audit.users, r.audit.values,
           r.audit.cases);
    printf("密钥文件 %s 不在备份中：请另行保管，恢复时需要同一个密钥文件\n", key);
    return EXIT_OK;
}
