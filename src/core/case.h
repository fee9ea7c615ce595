/*
 * case.h — a case as the engine keeps it (DESIGN.md engine 4): the plain
 * rows that store/ reads and writes and app/ and api/ pass around. A case
 * is anything that moves through the states of its kind (core/workflow.h):
 * a problem-list item, a dispatched task, a resident's request, a unit's
 * yearly rating … Its timeline is a list of events, some bringing files.
 * What only ratings have lives in struct case_rating and its answers.
 *
 * Strings are owned by whoever filled the struct (usually a request's
 * arena); "" stands for none unless a comment says NULL.
 */
#ifndef JICENG_CASE_H
#define JICENG_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

/* What a kind's cases are about beyond the common fields (a kind's
 * "subject"): an item has nothing more; a rating has struct case_rating
 * and its answers; a point claim (党员积分) has struct case_points; a
 * person's case (发展党员, 组织关系转接) has struct case_person. The first
 * is the default. */
enum case_subject { CASE_ITEM, CASE_RATING, CASE_POINTS, CASE_PERSON, CASE_SUBJECTS };

struct case_row {
    int64_t id;
    const char *kind; /* code of its kind, e.g. "problem", "rating" */
    const char *title, *description;
    const char *unit, *owner_unit; /* the unit it concerns, the unit that must act */
    const char *helper_unit;       /* 帮扶单位 */
    const char *assignee;          /* responsible person */
    const char *measures, *category, *deadline, *location, *state;
    const char *created_by, *created_at, *updated_at, *closed_at;
    int priority;    /* 1 high, 2 normal, 3 low */
    int rating;      /* the submitter's 1–5, 0 none */
    bool immediate;  /* 立行立改 */
    bool final;      /* in a final state of its kind */
    int64_t batch;   /* the dispatch or list it came with, 0 none */
    int64_t version; /* one more with every change; a write based on an older one is refused */
    int reopens;     /* finished work sent back (steps marked `reopens`) */
    const char *tracking_code;  /* what a resident follows it by */
    const char *contact_sealed; /* the submitter's contact, sealed; NULL none (never shown) */
    const char *escalated_to;   /* the unit an overdue case was reported to (督办) */
};

/* Copies every string of c into a (a row read from a list lives only until
 * the next row); contact_sealed, never shown, is dropped. */
void case_row_keep(struct arena *a, struct case_row *c);

/* One entry of a case's timeline. */
struct case_event {
    int64_t id;
    const char *at, *actor;
    const char *kind; /* create, transition, comment, reassign, answer, adjust, objection,
                         resolve, withdraw, checklist */
    const char *transition, *from_state, *to_state; /* transitions only */
    const char *note, *evidence;
    const char *changes; /* JSON: what the event changed; "" none */
    int rating;          /* 1–5, 0 none */
    int64_t ref;         /* the event this one answers (an objection's resolution), 0 none */
};

/* An uploaded file, stored once by its digest; attached to a case by an
 * event under a name, as evidence for a topic inside the case (a rating's
 * indicator; "" for the case as a whole). */
struct case_file {
    const char *sha256; /* 64 lower-case hex digits */
    const char *type;   /* media type sniffed from the bytes */
    size_t size;
    const char *name, *topic;            /* attachments only */
    int64_t event;                       /* the event that attached it; 0 for an upload */
    const char *created_by, *created_at; /* uploads only */
};

/* Which cases a list returns, newest first. */
struct case_filter {
    const char *scope;        /* owner unit's subtree, "" = all */
    const char *kinds;        /* ",a,b,": only cases of these kinds */
    const char *state;        /* "" or NULL = any */
    const char *states;       /* ",a,b,": only cases in these states; "" or NULL = any */
    const char *overdue_on;   /* YYYY-MM-DD: only open cases past their deadline then */
    int64_t before_id;        /* cursor: ids below it; 0 = from the newest */
    int64_t batch;            /* only this batch; 0 = any */
    const char *escalated_in; /* only cases escalated to a unit in this subtree; NULL = no such
                                 filter */
    int limit;
};

/* What only a unit's yearly five-star rating has. */
struct case_rating {
    int64_t case_id;
    const char *scheme, *unit;
    int target;               /* 争创几星 */
    int level;                /* fixed at naming, less stars withdrawn since; -1 before */
    const char *stars;        /* star codes won (named, not withdrawn), comma-separated */
    const char *notice_until; /* YYYY-MM-DD, "" when no notice was opened */
    const char *named_at;     /* "" before naming */
    int64_t checklist;        /* the creation checklist's batch, 0 none */
    /* What naming fixed (JSON, app/rating_snapshot.c), to be written with
     * the row into rating_snapshots; NULL otherwise (never read with it). */
    const char *snapshot;
};

/* What only a point claim has (app/points.h): whose points, by which rule
 * of data/points.json, how many, for which day, and whether they count
 * (set by the approving step's effect). */
struct case_points {
    int64_t id;      /* the entry's own */
    int64_t case_id; /* the claim's case; 0 for an entry another engine wrote */
    int64_t person_id;
    const char *unit; /* where they count: the member's branch's unit */
    const char *rule, *day, *source, *source_ref;
    int points;
    bool counted;
};

/* A point entry with what its case says about it, for lists. */
struct point_row {
    struct case_points e;
    const char *state, *title, *person_name, *created_by, *created_at, *updated_at;
    bool final;
};
/* An answer of a rating's self-assessment: an indicator's score or yes/no,
 * or a veto's yes/no. */
struct case_answer {
    const char *code;
    bool has_score, has_yes;
    double score;
    bool yes;
    const char *note;
    bool adjusted; /* changed by a reviewer */
    const char *updated_by, *updated_at;
};

/* What a case about a person has: the person, the party organisation the
 * case happens in (a transfer's sending one) and, for a transfer, the one
 * it goes to; the date of every step taken and the numbers given with it. */
struct case_person {
    int64_t case_id, person_id, org_id, to_org_id; /* to_org_id 0: none */
    const char *steps; /* JSON object: {"<transition>": {"on": "YYYY-MM-DD", "<input>": n}} */
    const char *since; /* YYYY-MM-DD the case entered its state */
    const char *person_name, *org_name, *to_org_name; /* read with the row */
    /* What the step being taken changes in the registry, set by an effect
     * and written with the case in its transaction: open the stage
     * `move_stage` (ending the current one) or move the membership to
     * to_org_id (move_org), from day `move_on`. */
    const char *move_stage, *move_on, *move_by, *move_at;
    bool move_org;
    /* Names a guard found for the step's numbers (入党介绍人), recorded with
     * the step as "introducers"; NULL none. */
    const char *introducers;
};

#endif
