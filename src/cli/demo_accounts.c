/*
 * demo_accounts.c — 7. the people who use the demo county: its
 * organisation department, a township's 党建办, a village's secretary and
 * grid worker, and one of the village's party members (linked to their
 * roster record), each with a one-time password in DATA/demo-accounts.txt;
 * and a notice from the county to its townships. So a newcomer signs in as
 * any of them and sees that person's 工作台, 通知公告 and 我的档案.
 */
#include "cli/demo.h"
#include "app/notices.h"
#include "app/people.h"
#include "app/users.h"
#include "base/buf.h"
#include "base/mem.h"

#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Who signs in: a role at a depth of the county (0 the county, 1 its first
 * township, 2 that township's first village). */
static const struct persona {
    const char *login, *role, *name, *title;
    int depth;
} personas[] = {
    {"xian", "county_admin", "刘建国", "县委组织部", 0},
    {"zhen", "township_admin", "张敏", "乡镇党建办", 1},
    {"shuji", "village_secretary", "李德胜", "村党组织书记", 2},
    {"wangge", "grid_worker", "赵小红", "网格员", 2},
    {"dangyuan", "party_member", NULL, "党员", 2},
};
#define NPERSONAS (sizeof personas / sizeof personas[0])

struct first_member {
    int64_t id;
    const char *name;
    struct arena *a;
};

static int take_first(void *ctx, const struct person_row *p, const char *at_unit,
                      const char *at_stage)
{
    (void)at_unit;
    (void)at_stage;
    struct first_member *f = ctx;
    if (!f->id) {
        f->id = p->id;
        f->name = arena_strdup(f->a, p->name);
    }
    return 0;
}

/* The village's first formal member on its roster (f->id 0: none). */
static int first_member(struct demo *d, const char *village, struct first_member *f)
{
    struct person_query q = {
        .unit = village, .membership = "party_member", .stage = "formal", .limit = 1};
    const char *next;
    return people_persons_list(d->app, d->actor, &q, f->a, take_first, f, &next, &d->e);
}

/* The notice the county sends its townships, as its organisation department. */
static int send_notice(struct demo *d, struct arena *a, const struct user_row *u)
{
    const struct auth_role *role = auth_role(d->app, u->role);
    if (!role) return err_set(&d->e, ERR_NOT_FOUND, "no role %s", u->role);
    struct auth_user sender = {.id = u->id,
                               .name = u->username,
                               .display_name = u->display_name,
                               .role = role->code,
                               .role_name = role->name,
                               .role_rank = role->rank,
                               .scope = u->scope,
                               .perms = role->perms};
    struct notice_new in = {
        .unit = u->scope,
        .title = arena_printf(a, "关于做好%d年度“五星”支部创建评星定级工作的通知", d->year),
        .body = "各乡镇（街道）党（工）委：\n\n"
                "请对照创建标准组织各村（社区）党组织开展自评，按时在系统中提交自评材料；"
                "乡镇党委逐项审核、县委组织部联审后公示，公示期满无异议的予以命名。"
                "未达标的问题清单请逐项明确责任人和整改时限，每周调度、每月讲评。\n\n"
                "联系人：县委组织部组织科"};
    struct notice out;
    return notices_create(d->app, &sender, &in, AUTH_CLI_NAME, a, &out, &d->e);
}

int demo_write_accounts(struct demo *d)
{
    char path[CONFIG_PATH_MAX + 32];
    demo_accounts_path(d, path, sizeof path);
    const char *county = tree_node(d->tree, d->county)->code;
    const char *scopes[3] = {county, tree_node(d->tree, d->townships[0])->code, NULL};
    for (size_t i = 0; i < d->n && !scopes[2]; i++)
        if (d->units[i].township == 0) scopes[2] = d->units[i].code;
    if (!scopes[2]) return ERR_OK; /* a county without villages: nobody to sign in there */
    struct arena *a = arena_new();
    struct first_member member = {.a = a};
    int rc = first_member(d, scopes[2], &member);
    struct buf out = BUF_INIT;
    buf_printf(&out,
               "# jiceng demo %s: sign in as any of these; each must choose a password first.\n"
               "# 演示账号（登录名、一次性密码；首次登录须设置自己的密码）\n"
               "身份\t单位\t姓名\t登录名\t一次性密码\n",
               county);
    const struct user_row *county_user = NULL;
    for (size_t i = 0; i < NPERSONAS && !rc; i++) {
        const struct persona *p = &personas[i];
        const char *name = p->name ? p->name : member.name;
        if (!name) continue; /* no member on the roster to be */
        char password[AUTH_ONETIME_LEN + 1];
        auth_random_password(password);
        struct user_input in = {.username = arena_printf(a, "%s%s", p->login, county),
                                .display_name = name,
                                .password = password,
                                .role = p->role,
                                .scope = scopes[p->depth],
                                .disabled = -1};
        struct user_row *u = arena_alloc(a, sizeof *u);
        rc = users_create(d->app, d->actor, &in, AUTH_CLI_NAME, a, u, &d->e);
        if (rc == ERR_CONFLICT) { /* made by an earlier demo of this county */
            err_clear(&d->e);
            rc = ERR_OK;
            continue;
        }
        if (!rc && !p->name) {
            struct person_in link = {.account = u->username};
            int64_t existing;
            rc = people_person_update(d->app, d->actor, member.id, &link, AUTH_CLI_NAME, &existing,
                                      &d->e);
        }
        if (rc) break;
        if (p->depth == 0) county_user = u;
        buf_printf(&out, "%s\t%s\t%s\t%s\t%s\n", p->title,
                   tree_name(d->tree, tree_find(d->tree, u->scope, strlen(u->scope))), name,
                   u->username, password);
        sodium_memzero(password, sizeof password);
        d->accounts++;
    }
    if (!rc && county_user) rc = send_notice(d, a, county_user);
    if (!rc && d->accounts) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            rc = err_set(&d->e, ERR_IO, "%s: %s", path, strerror(errno));
        } else {
            if (write(fd, out.p, out.len) != (ssize_t)out.len)
                rc = err_set(&d->e, ERR_IO, "%s: %s", path, strerror(errno));
            if (close(fd) && !rc) rc = err_set(&d->e, ERR_IO, "%s: %s", path, strerror(errno));
        }
    }
    if (out.p) sodium_memzero(out.p, out.len); /* it held the passwords */
    buf_free(&out);
    arena_free(a);
    return rc;
}

void demo_accounts_path(const struct demo *d, char *out, size_t cap)
{
    snprintf(out, cap, "%s/demo-accounts.txt", d->app->cfg.data);
}
