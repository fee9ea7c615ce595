/*
 * notice.h — what reaches a person: a notification (a case stepped into a
 * state where they act, or a notice arrived) and a notice (通知公告), an
 * announcement from a unit to every account in a subtree. Rows only; the
 * store keeps them, app/notify.c decides who hears of what.
 */
#ifndef JICENG_CORE_NOTICE_H
#define JICENG_CORE_NOTICE_H

#include <stdint.h>

#define NOTICE_TITLE_MAX 200   /* bytes */
#define NOTICE_BODY_MAX  20000 /* bytes */
#define NOTICE_FILES_MAX 10

/* One recipient's row. case_id or notice_id says what it is about. */
struct notification {
    int64_t id;
    const char *username, *at;
    const char *unit;    /* the unit it concerns: a case's shown only while in the reader's scope */
    const char *kind;    /* the case's kind, or "notice" */
    int64_t case_id;     /* 0 when about a notice */
    int64_t notice_id;   /* 0 when about a case */
    const char *what;    /* the step taken (完成整改), or 通知公告 */
    const char *title;   /* the case's or the notice's title then */
    const char *read_at; /* "" while unread */
};

struct notice {
    int64_t id;
    const char *unit;      /* every account inside this subtree receives it */
    const char *from_unit; /* the sender's scope, "" for the whole tree */
    const char *title, *body, *created_by, *created_at;
    const char *sender;  /* the sender's display name */
    int64_t recipients;  /* accounts it reached */
    int64_t read;        /* … and how many have read it */
    const char *read_at; /* when the reader read it; "" unread or not a recipient */
};

struct notice_file {
    const char *sha256, *name, *type;
    int64_t size;
};

/* A recipient of a notice and when they read it ("" unread). */
struct notice_receipt {
    const char *username, *display_name;
    const char *scope; /* their unit */
    const char *read_at;
};

#endif
