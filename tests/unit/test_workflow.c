/* test_workflow.c — case kinds (core/workflow.c): the shipped definitions
 * in kinds/ against the specification written out below, every transition
 * from every state, permissions, required input and numbers, the named
 * guards and effects a kind relies on, and the validation errors (with
 * their lines) of malformed definitions. */
#include "testing.h"

#include <dirent.h>

#include "app/cases.h"
#include "core/workflow.h"
#include "io/json_def.h"

/* ---- the specification, written independently of the files in workflows/ ---- */

enum {
    NOTE = WF_NEED_NOTE,
    EVID = WF_NEED_EVIDENCE,
    RATE = WF_NEED_RATING,
    ASSG = WF_NEED_ASSIGNEE
};

struct edge {
    const char *from, *tr, *to, *perm;
    unsigned needs;
};

struct spec {
    const char *code, *name, *initial, *create_perm;
    int deadline_days; /* 0 = none */
    int ncategories;
    const struct edge *edges;
    const char *const *walk; /* happy path, NULL-terminated */
    const char *end;         /* final state the walk reaches */
};

#define H "items:handle"
#define R "items:review"

static const struct edge problem_edges[] = {
    {"open", "start", "in_progress", H, 0},     {"reopened", "start", "in_progress", H, 0},
    {"in_progress", "finish", "done", H, EVID}, {"done", "verify", "verified", R, 0},
    {"done", "reopen", "reopened", R, NOTE},    {0},
};
static const struct edge dispatch_edges[] = {
    {"issued", "start", "in_progress", H, 0},
    {"in_progress", "complete", "completed", H, NOTE},
    {"completed", "verify", "verified", R, 0},
    {"completed", "return", "in_progress", R, NOTE},
    {0},
};
static const struct edge request_edges[] = {
    {"submitted", "accept", "accepted", H, 0},
    {"submitted", "reject", "rejected", H, NOTE},
    {"accepted", "dispatch", "dispatched", H, ASSG},
    {"dispatched", "resolve", "resolved", H, NOTE},
    {"resolved", "rate", "rated", "submitter", RATE},
    {"rated", "close", "closed", R, 0},
    {"resolved", "close_unrated", "closed", R, NOTE},
    {0},
};
static const struct edge hazard_edges[] = {
    {"found", "start", "rectifying", H, 0},
    {"found", "rectify", "rectified", H, EVID}, /* 立行立改: fixed on the spot */
    {"rectifying", "rectify", "rectified", H, EVID},
    {"rectified", "verify", "verified", R, 0},
    {"rectified", "return", "rectifying", R, NOTE},
    {0},
};
static const struct edge dispute_edges[] = {
    {"registered", "mediate", "mediating", H, 0},    {"mediating", "resolve", "resolved", H, NOTE},
    {"mediating", "escalate", "escalated", H, NOTE}, {"resolved", "close", "closed", R, 0},
    {"escalated", "close", "closed", R, 0},          {0},
};
#define RA "ratings:assess"
#define RR "ratings:review"
#define RP "ratings:approve"
static const struct edge rating_edges[] = {
    {"declared", "submit", "submitted", RA, 0},
    {"returned", "submit", "submitted", RA, 0},
    {"submitted", "accept", "township_passed", RR, 0},
    {"submitted", "return", "returned", RR, NOTE},
    {"township_passed", "return", "returned", RR, NOTE},
    {"notice", "return", "returned", RR, NOTE},
    {"township_passed", "approve", "county_passed", RP, 0},
    {"county_passed", "publish", "notice", RP, 0},
    {"notice", "name", "named", RP, 0},
    {0},
};
/* 四议两公开: three meetings (quorum and majority by the quorum_vote guard,
 * not checked here), then the resolution and the result published. */
static const struct edge deliberation_edges[] = {
    {"proposed", "consult", "consulted", H, NOTE},
    {"consulted", "review", "reviewed", H, NOTE},
    {"reviewed", "resolve", "resolved", H, NOTE},
    {"resolved", "announce", "announced", H, NOTE},
    {"announced", "implement", "implemented", H, EVID},
    {"implemented", "publicise", "publicised", H, NOTE},
    {"proposed", "withdraw", "withdrawn", H, NOTE},
    {"consulted", "withdraw", "withdrawn", H, NOTE},
    {"reviewed", "withdraw", "withdrawn", H, NOTE},
    {0},
};
/* 微心愿: 征集 → 核实公示 → 认领 → 兑现 → 反馈 → 销号. */
static const struct edge wish_edges[] = {
    {"collected", "list", "listed", H, 0},
    {"collected", "reject", "rejected", H, NOTE},
    {"listed", "claim", "claimed", H, ASSG | NOTE},
    {"claimed", "release", "listed", H, NOTE},
    {"claimed", "deliver", "delivered", H, EVID},
    {"delivered", "confirm", "confirmed", "submitter", RATE},
    {"delivered", "confirm_for", "confirmed", H, NOTE},
    {"confirmed", "close", "closed", R, 0},
    {0},
};

static const struct edge rectify_edges[] = {
    {"open", "report", "reported", H, EVID},
    {"returned", "report", "reported", H, EVID},
    {"reported", "verify", "verified", R, 0},
    {"reported", "return", "returned", R, NOTE},
    {0},
};

static const struct edge microproject_edges[] = {
    {"proposed", "approve", "approved", H, NOTE}, {"proposed", "drop", "dropped", H, NOTE},
    {"approved", "start", "running", H, ASSG},    {"running", "deliver", "delivered", H, EVID},
    {"delivered", "close", "closed", R, 0},       {0},
};

/* 双随机: steps the check's result endpoint takes (guard check_result) */
#define IM "inspections:manage"
static const struct edge inspection_edges[] = {
    {"pending", "check", "checked", IM, 0},
    {"pending", "publish", "published", IM, 0},
    {"checked", "publish", "published", IM, 0},
    {0},
};

static const struct edge points_edges[] = {
    {"pending", "approve", "approved", "party:manage", 0},
    {"pending", "reject", "rejected", "party:manage", NOTE},
    {"pending", "withdraw", "withdrawn", "submitter", 0},
    {0},
};

#define PM "party:manage"
static const struct edge development_edges[] = {
    {"applied", "talk", "talked", PM, NOTE},
    {"talked", "make_activist", "activist", PM, NOTE},
    {"activist", "assess", "activist", PM, NOTE},
    {"activist", "make_candidate", "candidate", PM, NOTE},
    {"candidate", "introducers", "introduced", PM, 0},
    {"introduced", "vet", "vetted", PM, NOTE},
    {"vetted", "train", "trained", PM, 0},
    {"trained", "precheck", "prechecked", PM, 0},
    {"prechecked", "branch_vote", "voted", PM, 0},
    {"voted", "approve", "probationary", PM, 0},
    {"voted", "not_approve", "ended", PM, NOTE},
    {"probationary", "oath", "sworn", PM, 0},
    {"sworn", "extend", "extended", PM, NOTE},
    {"sworn", "conversion_vote", "conversion_voted", PM, 0},
    {"extended", "conversion_vote", "conversion_voted", PM, 0},
    {"conversion_voted", "convert", "formal", PM, 0},
    {"formal", "archive", "archived", PM, 0},
    {"probationary", "cancel", "ended", PM, NOTE},
    {"sworn", "cancel", "ended", PM, NOTE},
    {"extended", "cancel", "ended", PM, NOTE},
    {"conversion_voted", "cancel", "ended", PM, NOTE},
    {"applied", "stop", "ended", PM, NOTE},
    {"talked", "stop", "ended", PM, NOTE},
    {"activist", "stop", "ended", PM, NOTE},
    {"candidate", "stop", "ended", PM, NOTE},
    {"introduced", "stop", "ended", PM, NOTE},
    {"vetted", "stop", "ended", PM, NOTE},
    {"trained", "stop", "ended", PM, NOTE},
    {"prechecked", "stop", "ended", PM, NOTE},
    {0},
};
static const struct edge transfer_edges[] = {
    {"issued", "accept", "accepted", PM, 0},
    {"issued", "return", "returned", PM, NOTE},
    {"issued", "withdraw", "withdrawn", PM, NOTE},
    {0},
};

static const char *const development_walk[] = {
    "talk", "make_activist", "assess",          "make_candidate", "introducers",
    "vet",  "train",         "precheck",        "branch_vote",    "approve",
    "oath", "extend",        "conversion_vote", "convert",        "archive",
    NULL};
static const char *const transfer_walk[] = {"accept", NULL};
static const char *const problem_walk[] = {"start",  "finish", "reopen", "start",
                                           "finish", "verify", NULL};
static const char *const dispatch_walk[] = {"start",    "complete", "return",
                                            "complete", "verify",   NULL};
static const char *const request_walk[] = {"accept", "dispatch", "resolve", "rate", "close", NULL};
static const char *const hazard_walk[] = {"start", "rectify", "return", "rectify", "verify", NULL};
static const char *const dispute_walk[] = {"mediate", "escalate", "close", NULL};
static const char *const deliberation_walk[] = {"consult",   "review",    "resolve", "announce",
                                                "implement", "publicise", NULL};
static const char *const wish_walk[] = {"list",    "claim",   "release", "claim",
                                        "deliver", "confirm", "close",   NULL};
static const char *const rectify_walk[] = {"report", "return", "report", "verify", NULL};
static const char *const microproject_walk[] = {"approve", "start", "deliver", "close", NULL};
static const char *const points_walk[] = {"approve", NULL};
static const char *const inspection_walk[] = {"check", "publish", NULL};
static const char *const rating_walk[] = {"submit",  "return",  "submit", "accept",
                                          "approve", "publish", "name",   NULL};

static const struct spec specs[] = {
    {"problem", "问题清单", "open", "items:create", 30, 0, problem_edges, problem_walk, "verified"},
    {"dispatch", "交办任务", "issued", "items:dispatch", 7, 0, dispatch_edges, dispatch_walk,
     "verified"},
    {"request", "群众诉求", "submitted", "public", 7, 6, request_edges, request_walk, "closed"},
    {"hazard", "安全隐患", "found", "items:create", 30, 7, hazard_edges, hazard_walk, "verified"},
    {"dispute", "矛盾纠纷", "registered", "items:create", 30, 7, dispute_edges, dispute_walk,
     "closed"},
    {"deliberation", "议事事项", "proposed", "items:create", 0, 0, deliberation_edges,
     deliberation_walk, "publicised"},
    {"wish", "微心愿", "collected", "public", 30, 6, wish_edges, wish_walk, "closed"},
    {"rectify", "评议整改", "open", "persons:write", 30, 0, rectify_edges, rectify_walk,
     "verified"},
    {"microproject", "微项目", "proposed", "items:create", 180, 0, microproject_edges,
     microproject_walk, "closed"},
    {"rating", "五星支部创建", "declared", RA, 0, 0, rating_edges, rating_walk, "named"},
    {"points", "积分申报", "pending", "persons:self", 0, 0, points_edges, points_walk, "approved"},
    {"inspection", "双随机抽查", "pending", "inspections:draw", 30, 0, inspection_edges,
     inspection_walk, "published"},
    {"development", "发展党员", "applied", PM, 0, 0, development_edges, development_walk,
     "archived"},
    {"transfer", "组织关系转接", "issued", PM, 30, 0, transfer_edges, transfer_walk, "accepted"},
};
#define NSPECS (int)(sizeof specs / sizeof specs[0])

static const char *const all_perms[] = {"items:create",
                                        "items:handle",
                                        "items:review",
                                        "items:dispatch",
                                        "ratings:assess",
                                        "ratings:review",
                                        "ratings:approve",
                                        "party:manage",
                                        IM,
                                        NULL};
static const struct wf_input full = {
    .has_note = true, .has_evidence = true, .has_assignee = true, .rating = 5};

/* The engine's own vocabulary (app/cases.c), any permission. */
static const struct wf_vocab *vocab(void)
{
    static struct wf_vocab v;
    static const struct app no_app = {0};
    cases_vocab(&no_app, &v);
    return &v;
}

/* ---- helpers ----------------------------------------------------------- */

/* kinds/ in the source tree: JICENG_TEST_DATA is tests/fixtures when run
 * by ctest; run by hand, the path comes from this file's own. */
static const char *kinds_dir(void)
{
    static char dir[1024];
    const char *data = getenv("JICENG_TEST_DATA");
    const char *cut = strstr(__FILE__, "tests/unit/");
    if (data)
        snprintf(dir, sizeof dir, "%s/../../kinds", data);
    else
        snprintf(dir, sizeof dir, "%.*skinds", cut ? (int)(cut - __FILE__) : 0, __FILE__);
    return dir;
}

static struct wf_kind *load(const char *code)
{
    char path[1200], name[64];
    snprintf(path, sizeof path, "%s/%s.json", kinds_dir(), code);
    snprintf(name, sizeof name, "%s.json", code);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    static char text[65536];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    struct wf_kind *t = NULL;
    struct err e;
    err_clear(&e);
    if (wf_kind_parse(text, len, name, vocab(), &t, &e) != ERR_OK) {
        char msg[1024];
        err_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return t;
}

static int st(const struct wf_kind *t, const char *code)
{
    int i = wf_state_index(t, code);
    if (i < 0) fail_msg("%s: no state %s", t->code, code);
    return i;
}

static const struct wf_transition *tr(const struct wf_kind *t, const char *code)
{
    const struct wf_transition *x = wf_transition_find(t, code);
    if (x) return x;
    fail_msg("%s: no transition %s", t->code, code);
    abort(); /* fail_msg does not return */
}

static const struct edge *edge_of(const struct spec *s, const char *from, const char *code)
{
    for (const struct edge *e = s->edges; e->from; e++)
        if (strcmp(e->from, from) == 0 && strcmp(e->tr, code) == 0) return e;
    return NULL;
}

/* wf_check's kind, with the message in e. */
static int check(const struct wf_kind *t, const char *state, const char *code,
                 const char *const *perms, bool submitter, const struct wf_input *in, struct err *e)
{
    struct wf_input copy = in ? *in : (struct wf_input){0};
    err_clear(e);
    return wf_check(t, st(t, state), tr(t, code), perms, submitter, in ? &copy : NULL, e);
}

/* ---- the shipped definitions ------------------------------------------- */

static void test_every_shipped_file_parses(void **state)
{
    (void)state;
    DIR *d = opendir(kinds_dir());
    assert_non_null(d);
    int n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0) continue;
        char code[64];
        snprintf(code, sizeof code, "%.*s", (int)(len - 5), de->d_name);
        struct wf_kind *t = load(code);
        assert_string_equal(t->code, code); /* file named after its type */
        wf_kind_free(t);
        n++;
    }
    closedir(d);
    assert_int_equal(n, NSPECS);
}

static void test_definitions_match_the_specification(void **state)
{
    (void)state;
    for (int k = 0; k < NSPECS; k++) {
        const struct spec *s = &specs[k];
        struct wf_kind *t = load(s->code);
        assert_string_equal(t->name, s->name);
        assert_string_equal(t->states[t->initial].code, s->initial);
        assert_string_equal(t->create_perm, s->create_perm);
        assert_int_equal(t->has_deadline_default, s->deadline_days != 0);
        if (s->deadline_days) assert_int_equal(t->deadline_days, s->deadline_days);
        assert_int_equal(t->ncategories, s->ncategories);
        for (const struct edge *e = s->edges; e->from; e++) {
            const struct wf_transition *x = tr(t, e->tr);
            assert_string_equal(t->states[x->to].code, e->to);
            assert_string_equal(x->perm, e->perm);
            assert_int_equal(x->needs, e->needs);
        }
        wf_kind_free(t);
    }
}

/* Every state × every transition: allowed exactly where the specification
 * has an edge (for an actor who may do everything); refused otherwise with
 * a message naming the state and the transition. */
static void test_every_transition_from_every_state(void **state)
{
    (void)state;
    for (int k = 0; k < NSPECS; k++) {
        const struct spec *s = &specs[k];
        struct wf_kind *t = load(s->code);
        int allowed = 0, nedges = 0;
        for (const struct edge *e = s->edges; e->from; e++)
            nedges++;
        for (int i = 0; i < t->nstates; i++) {
            const struct wf_state *from = &t->states[i];
            for (int j = 0; j < t->ntransitions; j++) {
                const struct wf_transition *x = &t->transitions[j];
                struct err e;
                err_clear(&e);
                struct wf_input in = full;
                int rc = wf_check(t, i, x, all_perms, true, &in, &e);
                bool want_ok = edge_of(s, from->code, x->code) != NULL;
                if (rc != (want_ok ? ERR_OK : ERR_INVALID))
                    fail_msg("%s: %s from %s should be %s: %s", s->code, x->code, from->code,
                             want_ok ? "allowed" : "refused", e.msg);
                if (want_ok) {
                    allowed++;
                    continue;
                }
                char want[256];
                snprintf(want, sizeof want, "%s的事项不能%s%s", from->label,
                         from->flags & WF_FINAL ? "再" : "", x->label);
                if (strncmp(e.msg, want, strlen(want)) != 0)
                    fail_msg("%s %s→%s: %s", s->code, from->code, x->code, e.msg);
            }
        }
        assert_int_equal(allowed, nedges);
        wf_kind_free(t);
    }
}

static void test_happy_paths(void **state)
{
    (void)state;
    for (int k = 0; k < NSPECS; k++) {
        const struct spec *s = &specs[k];
        struct wf_kind *t = load(s->code);
        int at = t->initial;
        for (const char *const *w = s->walk; *w; w++) {
            const struct wf_transition *x = tr(t, *w);
            /* the least the actor needs: this one permission and this input */
            const char *const perms[] = {x->perm, NULL};
            bool submitter = strcmp(x->perm, "submitter") == 0;
            struct wf_input in = {.has_note = x->needs & NOTE,
                                  .has_evidence = x->needs & EVID,
                                  .has_assignee = x->needs & ASSG,
                                  .rating = x->needs & RATE ? 4 : 0};
            struct err e;
            err_clear(&e);
            if (wf_check(t, at, x, submitter ? NULL : perms, submitter, &in, &e) != ERR_OK)
                fail_msg("%s %s: %s", s->code, *w, e.msg);
            assert_false(t->states[at].flags & WF_FINAL);
            at = x->to;
        }
        assert_string_equal(t->states[at].code, s->end);
        assert_true(t->states[at].flags & WF_FINAL);
        wf_kind_free(t);
    }
}

static void test_wrong_state_messages(void **state)
{
    (void)state;
    struct wf_kind *req = load("request"), *prob = load("problem");
    struct err e;
    assert_int_equal(check(req, "closed", "accept", all_perms, true, &full, &e), ERR_INVALID);
    assert_string_equal(e.msg, "已关闭的事项不能再受理");
    assert_int_equal(check(req, "rejected", "rate", all_perms, true, &full, &e), ERR_INVALID);
    assert_string_equal(e.msg, "不予受理的事项不能再评价");
    assert_int_equal(check(prob, "open", "verify", all_perms, true, &full, &e), ERR_INVALID);
    assert_string_equal(e.msg, "待整改的事项不能销号（只有已完成的事项可以销号）");
    assert_int_equal(check(prob, "in_progress", "start", all_perms, true, &full, &e), ERR_INVALID);
    assert_string_equal(e.msg, "整改中的事项不能开始整改（只有待整改或已退回的事项可以开始整改）");
    /* the state is checked before the permission */
    assert_int_equal(check(prob, "verified", "reopen", NULL, false, NULL, &e), ERR_INVALID);
    assert_string_equal(e.msg, "已销号的事项不能再退回整改");
    wf_kind_free(req);
    wf_kind_free(prob);
}

/* ---- permissions ------------------------------------------------------- */

/* Every edge refused to an actor holding every permission but its own. */
static void test_each_transition_needs_its_permission(void **state)
{
    (void)state;
    for (int k = 0; k < NSPECS; k++) {
        const struct spec *s = &specs[k];
        struct wf_kind *t = load(s->code);
        for (const struct edge *ed = s->edges; ed->from; ed++) {
            const char *others[16];
            int n = 0;
            for (const char *const *p = all_perms; *p; p++)
                if (strcmp(*p, ed->perm) != 0) others[n++] = *p;
            others[n] = NULL;
            struct err e;
            bool submitter = strcmp(ed->perm, "submitter") != 0;
            assert_int_equal(check(t, ed->from, ed->tr, others, submitter, &full, &e),
                             ERR_FORBIDDEN);
        }
        wf_kind_free(t);
    }
}

static void test_permission_messages(void **state)
{
    (void)state;
    struct wf_kind *prob = load("problem"), *req = load("request");
    static const char *const grid_worker[] = {"items:create", "items:handle", NULL};
    static const char *const township[] = {"items:handle", "items:review", NULL};
    struct err e;
    /* a grid worker lacking items:review cannot close (销号) a problem */
    assert_int_equal(check(prob, "done", "verify", grid_worker, true, &full, &e), ERR_FORBIDDEN);
    assert_string_equal(e.msg, "没有销号的权限（需要 items:review）");
    assert_int_equal(check(prob, "done", "verify", township, false, &full, &e), ERR_OK);
    /* only the resident who submitted a request rates it, whatever the role */
    assert_int_equal(check(req, "resolved", "rate", all_perms, false, &full, &e), ERR_FORBIDDEN);
    assert_string_equal(e.msg, "只有提交人可以评价");
    assert_int_equal(check(req, "resolved", "rate", NULL, true, &full, &e), ERR_OK);
    /* and the resident cannot accept their own request */
    assert_int_equal(check(req, "submitted", "accept", NULL, true, &full, &e), ERR_FORBIDDEN);
    assert_string_equal(e.msg, "没有受理的权限（需要 items:handle）");
    wf_kind_free(prob);
    wf_kind_free(req);
}

static void test_available(void **state)
{
    (void)state;
    struct wf_kind *req = load("request");
    static const char *const handler[] = {"items:handle", NULL};
    static const char *const reviewer[] = {"items:review", NULL};
    const struct wf_transition *out[WF_TRANSITIONS_MAX];
    int resolved = st(req, "resolved");
    assert_int_equal(wf_available(req, resolved, NULL, true, out, WF_TRANSITIONS_MAX), 1);
    assert_string_equal(out[0]->code, "rate");
    assert_int_equal(wf_available(req, resolved, reviewer, false, out, WF_TRANSITIONS_MAX), 1);
    assert_string_equal(out[0]->code, "close_unrated");
    assert_int_equal(wf_available(req, resolved, all_perms, true, out, WF_TRANSITIONS_MAX), 2);
    assert_string_equal(out[0]->code, "rate"); /* definition order */
    assert_string_equal(out[1]->code, "close_unrated");
    assert_int_equal(wf_available(req, resolved, handler, false, out, WF_TRANSITIONS_MAX), 0);
    int submitted = st(req, "submitted");
    assert_int_equal(wf_available(req, submitted, handler, false, out, WF_TRANSITIONS_MAX), 2);
    assert_string_equal(out[0]->code, "accept");
    assert_string_equal(out[1]->code, "reject");
    assert_int_equal(wf_available(req, submitted, handler, false, out, 1), 1); /* max */
    assert_int_equal(wf_available(req, st(req, "closed"), all_perms, true, out, 32), 0);
    wf_kind_free(req);
}

/* ---- required input ---------------------------------------------------- */

/* Every need of every edge: leaving it out is refused, naming its field. */
static void test_each_need_is_required(void **state)
{
    (void)state;
    static const char *const fields[] = {"note", "evidence", "rating", "assignee"};
    for (int k = 0; k < NSPECS; k++) {
        const struct spec *s = &specs[k];
        struct wf_kind *t = load(s->code);
        for (const struct edge *ed = s->edges; ed->from; ed++)
            for (int b = 0; b < 4; b++) {
                if (!(ed->needs & (1u << b))) continue;
                struct wf_input in = full;
                if (b == 0) in.has_note = false;
                if (b == 1) in.has_evidence = false;
                if (b == 2) in.rating = 0;
                if (b == 3) in.has_assignee = false;
                struct err e;
                assert_int_equal(check(t, ed->from, ed->tr, all_perms, true, &in, &e), ERR_INVALID);
                assert_string_equal(e.field, fields[b]);
                assert_int_equal(check(t, ed->from, ed->tr, all_perms, true, NULL, &e),
                                 ERR_INVALID);
            }
        wf_kind_free(t);
    }
}

static void test_missing_input_messages(void **state)
{
    (void)state;
    struct wf_kind *prob = load("problem"), *req = load("request");
    const struct wf_input none = {0};
    struct err e;
    assert_int_equal(check(prob, "in_progress", "finish", all_perms, true, &none, &e), ERR_INVALID);
    assert_string_equal(e.msg, "完成整改需要上传佐证材料");
    assert_string_equal(e.field, "evidence");
    assert_int_equal(check(prob, "done", "reopen", all_perms, true, NULL, &e), ERR_INVALID);
    assert_string_equal(e.msg, "退回整改需要填写说明");
    assert_string_equal(e.field, "note");
    assert_int_equal(check(req, "accepted", "dispatch", all_perms, true, &none, &e), ERR_INVALID);
    assert_string_equal(e.msg, "派单需要指定承办人");
    assert_string_equal(e.field, "assignee");
    assert_int_equal(check(req, "resolved", "rate", NULL, true, &none, &e), ERR_INVALID);
    assert_string_equal(e.msg, "评价需要评分（1–5 星）");
    assert_string_equal(e.field, "rating");
    /* input a transition does not need is no error */
    assert_int_equal(check(req, "submitted", "accept", all_perms, false, &full, &e), ERR_OK);
    wf_kind_free(prob);
    wf_kind_free(req);
}

static void test_rating_range(void **state)
{
    (void)state;
    struct wf_kind *req = load("request");
    static const struct {
        int rating, rc;
        const char *msg;
    } cases[] = {
        {1, ERR_OK, ""},
        {5, ERR_OK, ""},
        {0, ERR_INVALID, "评价需要评分（1–5 星）"},
        {6, ERR_INVALID, "评分须为 1–5 星，不能是 6"},
        {-1, ERR_INVALID, "评分须为 1–5 星，不能是 -1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wf_input in = {.rating = cases[i].rating};
        struct err e;
        assert_int_equal(check(req, "resolved", "rate", NULL, true, &in, &e), cases[i].rc);
        assert_string_equal(e.msg, cases[i].msg);
        if (cases[i].rc) assert_string_equal(e.field, "rating");
    }
    /* a rating is ignored where none is asked for */
    struct wf_input stray = {.has_note = true, .rating = 9};
    struct err e;
    assert_int_equal(check(req, "resolved", "close_unrated", all_perms, false, &stray, &e), ERR_OK);
    wf_kind_free(req);
}

static void test_lookups_and_bad_arguments(void **state)
{
    (void)state;
    struct wf_kind *req = load("request");
    assert_int_equal(wf_state_index(req, "submitted"), 0);
    assert_int_equal(wf_state_index(req, "closd"), -1);
    assert_null(wf_transition_find(req, "approve"));
    struct err e;
    err_clear(&e);
    struct wf_input in = full;
    assert_int_equal(wf_check(req, 0, NULL, all_perms, true, &in, &e), ERR_INVALID);
    assert_int_equal(wf_check(req, 99, tr(req, "accept"), all_perms, true, &in, &e), ERR_INVALID);
    assert_int_equal(wf_check(req, -1, tr(req, "accept"), all_perms, true, &in, &e), ERR_INVALID);
    wf_kind_free(req);
    wf_kind_free(NULL);
}

/* ---- validation of definitions ----------------------------------------- */

/* Definitions are written with ' for " to stay readable here. */
static int parse_quoted(const char *src, struct wf_kind **out, struct err *e)
{
    char json[4096];
    size_t n = strlen(src);
    assert_true(n < sizeof json);
    for (size_t i = 0; i <= n; i++)
        json[i] = src[i] == '\'' ? '"' : src[i];
    err_clear(e);
    return wf_kind_parse(json, n, "bad.json", vocab(), out, e);
}

#define HEAD  "{'code':'t','name':'测试','create_perm':'items:create',"
#define INIT  "'initial':'a',"
#define AB    "'states':[{'code':'a','label':'甲'},{'code':'b','label':'乙','final':true}],"
#define GO    "{'code':'go','label':'走','from':['a'],'to':'b','perm':'items:handle'}"
#define TR(x) "'transitions':[" x "]"

static void test_minimal_definition(void **state)
{
    (void)state;
    struct wf_kind *t;
    struct err e;
    assert_int_equal(parse_quoted(HEAD INIT AB TR(GO) ",'deadline_days':30,"
                                                      "'categories':['其他']}",
                                  &t, &e),
                     ERR_OK);
    assert_int_equal(t->nstates, 2);
    assert_int_equal(t->ntransitions, 1);
    assert_true(t->has_deadline_default);
    assert_int_equal(t->deadline_days, 30);
    assert_int_equal(t->ncategories, 1);
    assert_string_equal(t->categories[0], "其他");
    assert_int_equal(t->transitions[0].nfrom, 1);
    assert_int_equal(t->transitions[0].needs, 0);
    assert_string_equal(t->transitions[0].confirm, "");
    wf_kind_free(t);
    /* A step may ask the reader to confirm it (提交自评, 销号). */
    assert_int_equal(
        parse_quoted(HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'b',"
                                     "'perm':'items:handle','confirm':'确定吗？'}") "}",
                     &t, &e),
        ERR_OK);
    assert_string_equal(t->transitions[0].confirm, "确定吗？");
    wf_kind_free(t);
}

/* The shipped kinds ask before their irreversible steps. */
static void test_shipped_confirmations(void **state)
{
    (void)state;
    static const char *const asks[][2] = {
        {"rating", "submit"},         {"rating", "name"},
        {"problem", "verify"},        {"dispatch", "verify"},
        {"hazard", "verify"},         {"dispute", "close"},
        {"request", "reject"},        {"request", "close"},
        {"request", "close_unrated"}, {"deliberation", "publicise"},
        {"deliberation", "announce"}, {"wish", "close"},
        {"wish", "reject"},           {"rectify", "verify"},
    };
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        struct wf_kind *t = load(asks[i][0]);
        assert_true(strstr(tr(t, asks[i][1])->confirm, "确定") != NULL);
        wf_kind_free(t);
    }
    struct wf_kind *t = load("problem");
    assert_string_equal(tr(t, "start")->confirm, "");
    wf_kind_free(t);
}

static void test_definition_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json, *field, *msg;
    } cases[] = {
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'closd','perm':'x:y'}") "}",
         "transitions[0].to", "transitions[0].to: 没有状态 \"closd\""},
        {HEAD INIT "'states':[{'code':'a','label':'甲'},{'code':'a','label':'乙'}]," TR(GO) "}",
         "states[1].code", "states[1].code: 状态 \"a\" 重复（已在 states[0]）"},
        {HEAD AB TR(GO) "}", "initial", "initial: 缺少此项"},
        {HEAD "'initial':'z'," AB TR(GO) "}", "initial", "initial: 没有状态 \"z\""},
        {HEAD "'initial':'b'," AB TR(GO) "}", "initial", "initial: 初始状态 \"b\" 不能是终态"},
        {HEAD INIT AB TR(GO ",{'code':'back','label':'回','from':['b'],'to':'a','perm':'x'}") "}",
         "transitions[1].from[0]", "transitions[1].from[0]: 状态 \"b\" 是终态，不能再转出"},
        {HEAD INIT "'states':[{'code':'a','label':'甲'},{'code':'b','label':'乙','final':true},"
                   "{'code':'c','label':'丙'}]," TR(
                       GO ",{'code':'c2b','label':'丙乙','from':['c'],'to':'b','perm':'x'}") "}",
         "states[2]", "states[2]: 状态 \"c\" 无法从初始状态 \"a\" 到达"},
        {HEAD INIT "'states':[{'code':'a','label':'甲'},{'code':'b','label':'乙','final':true},"
                   "{'code':'c','label':'丙'}]," TR(
                       GO ",{'code':'a2c','label':'甲丙','from':['a'],'to':'c','perm':'x'}") "}",
         "states[2]", "states[2]: 从状态 \"c\" 到不了任何终态"},
        {HEAD INIT "'states':[{'code':'a','label':'甲'},{'code':'b','label':'乙'}]," TR(GO) "}",
         "states", "states: 没有终态（至少一个状态要有 \"final\": true）"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'b','perm':'x',"
                         "'needs':['note','photo']}") "}",
         "transitions[0].needs[1]",
         "transitions[0].needs[1]: 不认识的要求 \"photo\"（可用 "
         "note、evidence、rating、assignee）"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'b','perm':'x',"
                         "'needs':['note','note']}") "}",
         "transitions[0].needs[1]", "transitions[0].needs[1]: 要求 \"note\" 重复"},
        {HEAD INIT AB TR(GO "," GO) "}", "transitions[1].code",
         "transitions[1].code: 转换 \"go\" 重复（已在 transitions[0]）"},
        {HEAD INIT AB TR("{'code':'go','label':'走','form':['a'],'to':'b','perm':'x'}") "}",
         "transitions[0].form", "transitions[0].form: 不认识的字段"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':[],'to':'b','perm':'x'}") "}",
         "transitions[0].from", "transitions[0].from: 不能为空"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a','a'],'to':'b','perm':'x'}") "}",
         "transitions[0].from[1]", "transitions[0].from[1]: 状态 \"a\" 重复"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'b','perm':'public'}") "}",
         "transitions[0].perm",
         "transitions[0].perm: \"public\" 只能用于 create_perm，转换须由登录的用户执行"},
        {"{'code':'t','name':'测试','create_perm':'submitter'," INIT AB TR(GO) "}", "create_perm",
         "create_perm: \"submitter\" 只能用于转换"},
        {HEAD INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'b','perm':'Items Handle'}") "}",
         "transitions[0].perm",
         "transitions[0].perm: 权限 \"Items Handle\" 只能含小写字母、数字和 : _ .，如 "
         "items:handle"},
        {HEAD INIT "'states':[{'code':'Open','label':'甲'}]," TR(GO) "}", "states[0].code",
         "states[0].code: 代码 \"Open\" 须以小写字母开头，只含小写字母、数字和下划线"},
        {HEAD INIT "'states':[{'code':'a'}]," TR(GO) "}", "states[0].label",
         "states[0].label: 缺少此项"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'b','perm':'x',"
                         "'confirm':''}") "}",
         "transitions[0].confirm", "transitions[0].confirm: 不能为空"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'b','perm':'x',"
                         "'confirm':true}") "}",
         "transitions[0].confirm", "transitions[0].confirm: 必须是字符串"},
        {HEAD INIT "'states':[{'code':'a','label':'甲','final':'yes'}]," TR(GO) "}",
         "states[0].final", "states[0].final: 必须是 true 或 false"},
        {HEAD INIT AB TR(GO) ",'deadline_days':0}", "deadline_days",
         "deadline_days: 必须是 1 到 3650 之间的整数（天）"},
        {HEAD INIT AB TR(GO) ",'deadline_days':1.5}", "deadline_days",
         "deadline_days: 必须是 1 到 3650 之间的整数（天）"},
        {HEAD INIT AB TR(GO) ",'categories':['治安','其他','治安']}", "categories[2]",
         "categories[2]: 类别 \"治安\" 重复"},
        {HEAD INIT AB TR(GO) ",'categories':'治安'}", "categories", "categories: 必须是数组"},
        {"{'name':'测试','create_perm':'x'," INIT AB TR(GO) "}", "code", "code: 缺少此项"},
        {"{'code':'t','name':'','create_perm':'x'," INIT AB TR(GO) "}", "name", "name: 不能为空"},
        {"['problem']", "(根)", "(根): 必须是对象"},
        /* a quoted value is cut to whole characters */
        {HEAD INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'一二三四五六七八九十一二三四五',"
             "'perm':'x'}") "}",
         "transitions[0].to", "transitions[0].to: 没有状态 \"一二三四五六七八九十一二三…\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wf_kind *t = (struct wf_kind *)1;
        struct err e;
        if (parse_quoted(cases[i].json, &t, &e) != ERR_INVALID)
            fail_msg("case %zu parsed: %s", i, cases[i].json);
        assert_null(t);
        assert_string_equal(e.msg, cases[i].msg);
        assert_string_equal(e.field, cases[i].field);
        assert_string_equal(e.where, "bad.json");
        assert_int_equal(e.line, 1); /* each case is written on one line */
        char line[1024];
        err_format(&e, line, sizeof line);
        assert_true(strncmp(line, "bad.json:1: ", 12) == 0);
    }
}

static void test_several_missing_inputs(void **state)
{
    (void)state;
    struct wf_kind *t;
    struct err e;
    assert_int_equal(parse_quoted(HEAD INIT AB TR("{'code':'go','label':'办结','from':['a'],"
                                                  "'to':'b','perm':'x','needs':['evidence',"
                                                  "'assignee','note']}") "}",
                                  &t, &e),
                     ERR_OK);
    assert_int_equal(wf_check(t, 0, &t->transitions[0], NULL, false, NULL, &e), ERR_FORBIDDEN);
    static const char *const x[] = {"x", NULL};
    struct wf_input in = {.has_evidence = true};
    assert_int_equal(wf_check(t, 0, &t->transitions[0], x, false, NULL, &e), ERR_INVALID);
    assert_string_equal(e.msg, "办结需要填写说明、上传佐证材料、指定承办人");
    assert_string_equal(e.field, "note");
    err_clear(&e);
    assert_int_equal(wf_check(t, 0, &t->transitions[0], x, false, &in, &e), ERR_INVALID);
    assert_string_equal(e.msg, "办结需要填写说明、指定承办人");
    wf_kind_free(t);
}

__attribute__((format(printf, 3, 4))) static void append(char *buf, size_t cap, const char *fmt,
                                                         ...)
{
    size_t n = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

static void test_limits_and_bad_json(void **state)
{
    (void)state;
    struct wf_kind *t;
    struct err e;
    /* invalid JSON carries its line and column */
    assert_int_equal(parse_quoted("{\n'code': 't',\n'name' '测试'}", &t, &e), ERR_INVALID);
    assert_int_equal(e.line, 3);
    assert_true(strncmp(e.msg, "不是合法的 JSON：", strlen("不是合法的 JSON：")) == 0);
    assert_int_equal(parse_quoted("{'code':'t','code':'u'}", &t, &e), ERR_INVALID);
    /* 25 states */
    char json[4096] = HEAD INIT "'states':[";
    for (int i = 0; i < 25; i++)
        append(json, sizeof json, "%s{'code':'s%d','label':'状态'}", i ? "," : "", i);
    append(json, sizeof json, "%s", "]," TR(GO) "}");
    assert_int_equal(parse_quoted(json, &t, &e), ERR_INVALID);
    assert_string_equal(e.msg, "states: 最多 24 个状态");
    /* 33 transitions */
    snprintf(json, sizeof json, "%s", HEAD INIT AB "'transitions':[");
    for (int i = 0; i < 33; i++)
        append(json, sizeof json, "%s{'code':'t%d','label':'走','from':['a'],'to':'b','perm':'x'}",
               i ? "," : "", i);
    append(json, sizeof json, "%s", "]}");
    assert_int_equal(parse_quoted(json, &t, &e), ERR_INVALID);
    assert_string_equal(e.msg, "transitions: 最多 32 个转换");
    /* a label over 63 bytes (22 three-byte characters) */
    assert_int_equal(
        parse_quoted(
            HEAD INIT
            "'states':[{'code':'a','label':'一二三四五六七八九十一二三四五六七八九十一二'}]," TR(
                GO) "}",
            &t, &e),
        ERR_INVALID);
    assert_string_equal(e.msg, "states[0].label: 超过 63 字节");
    /* too large a document */
    size_t big = (size_t)300 * 1024;
    char *huge = calloc(1, big);
    assert_int_equal(wf_kind_parse(huge, big, "huge.json", vocab(), &t, &e), ERR_TOO_LARGE);
    free(huge);
}

/* ---- flags, inputs, guards and effects ---------------------------------- */

#define FLAGGED                                                                                    \
    "'states':[{'code':'a','label':'甲','editable':true},{'code':'n','label':'公示',"           \
    "'notice':true,'reviewer':'items:review'},{'code':'b','label':'乙','final':true}],"

static void test_flags_and_inputs(void **state)
{
    (void)state;
    struct wf_kind *t;
    struct err e;
    assert_int_equal(
        parse_quoted(
            "{'code':'t','name':'测试','create_perm':'items:create','subject':'rating',"
            "'initial':'a'," FLAGGED "'inputs':[{'code':'days','label':'天数','min':1,"
            "'max':30,'default':5}],'transitions':["
            "{'code':'pub','label':'公示','from':['a'],'to':'n','perm':'x','inputs':['days'],"
            "'effects':['open_notice']},"
            "{'code':'name','label':'命名','from':['n'],'to':'b','perm':'x',"
            "'guards':['notice_over','objections_resolved'],'effects':['name_stars'],"
            "'reopens':false}]}",
            &t, &e),
        ERR_OK);
    assert_true(wf_state_is(t, 0, WF_EDITABLE));
    assert_false(wf_state_is(t, 0, WF_NOTICE));
    assert_true(wf_state_is(t, 1, WF_NOTICE));
    assert_string_equal(t->states[1].reviewer, "items:review");
    assert_true(wf_state_is(t, 2, WF_FINAL));
    assert_false(wf_state_is(t, -1, 0));
    assert_int_equal(t->ninputs, 1);
    assert_int_equal(wf_input_index(t, "days"), 0);
    assert_int_equal(wf_input_index(t, "hours"), -1);
    const struct wf_transition *pub = tr(t, "pub"), *name = tr(t, "name");
    assert_int_equal(pub->inputs, 1u);
    assert_int_equal(pub->neffects, 1);
    assert_int_equal(name->nguards, 2);
    static const char *const x[] = {"x", NULL};
    /* a number is taken within its range, or its default */
    struct wf_input in = {0};
    assert_int_equal(wf_check(t, 0, pub, x, false, &in, &e), ERR_OK);
    assert_int_equal(in.values[0], 5);
    in = (struct wf_input){.has = {true}, .values = {31}};
    assert_int_equal(wf_check(t, 0, pub, x, false, &in, &e), ERR_INVALID);
    assert_string_equal(e.msg, "天数须在 1 到 30 之间");
    assert_string_equal(e.field, "days");
    in = (struct wf_input){.has = {true}, .values = {7}};
    assert_int_equal(wf_check(t, 0, pub, x, false, &in, &e), ERR_OK);
    assert_int_equal(in.values[0], 7);
    /* and refused where the step does not take it */
    assert_int_equal(wf_check(t, 1, name, x, false, &in, &e), ERR_INVALID);
    assert_string_equal(e.msg, "命名不需要天数");
    wf_kind_free(t);
}

static void test_hook_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json, *field, *msg;
    } cases[] = {
        {HEAD INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'b','perm':'x','guards':['nope']}") "}",
         "transitions[0].guards[0]",
         "transitions[0].guards[0]: 不认识的条件 \"nope\"（可用 not_submitter、has_assignee、"
         "answers_complete、notice_over、objections_resolved、date_within、date_after、"
         "at_least_one、majority_vote、formal_introducers、points_rule、quorum_vote、"
         "check_result）"},
        {HEAD INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'b','perm':'x','effects':['x']}") "}",
         "transitions[0].effects[0]",
         "transitions[0].effects[0]: 不认识的效果 \"x\"（可用 open_notice、name_stars、set_stage、"
         "move_org、points_count）"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'b','perm':'x',"
                         "'guards':['not_submitter','not_submitter']}") "}",
         "transitions[0].guards[1]", "transitions[0].guards[1]: 条件 \"not_submitter\" 重复"},
        {HEAD INIT AB TR("{'code':'go','label':'走','from':['a'],'to':'b','perm':'x',"
                         "'guards':['notice_over']}") "}",
         "transitions[0].guards[0]",
         "transitions[0].guards[0]: \"notice_over\" 只能用于 subject 为 \"rating\" 的类型"},
        {"{'code':'t','name':'测试','create_perm':'x','subject':'rating'," INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'b','perm':'x','guards':['notice_over'"
             "]}") "}",
         "transitions[0].guards[0]",
         "transitions[0].guards[0]: \"notice_over\" 要求转出的状态是公示中（notice），\"a\" 不是"},
        {"{'code':'t','name':'测试','create_perm':'x','subject':'rating'," INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'b','perm':'x','effects':['open_notice']"
             "}") "}",
         "transitions[0].effects[0]",
         "transitions[0].effects[0]: \"open_notice\" 要求转入的状态是公示中（notice），\"b\" 不是"},
        {"{'code':'t','name':'测试','create_perm':'x','subject':'rating','initial':'a'," FLAGGED TR(
             "{'code':'go','label':'走','from':['a'],'to':'n','perm':'x','effects':['open_notice']}"
             ","
             "{'code':'end','label':'终','from':['n'],'to':'b','perm':'x'}") "}",
         "transitions[0].effects[0]",
         "transitions[0].effects[0]: \"open_notice\" 要求这一步有输入项 \"days\"（inputs）"},
        {HEAD INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'b','perm':'x','inputs':['days']}") "}",
         "transitions[0].inputs[0]",
         "transitions[0].inputs[0]: 不认识的输入项 \"days\"（可用 （本类型未声明 inputs））"},
        {HEAD INIT AB
         "'inputs':[{'code':'note','label':'说明','min':0,'max':1,'default':0}]," TR(GO) "}",
         "inputs[0].code", "inputs[0].code: \"note\" 已是 needs 的名称"},
        {HEAD INIT AB
         "'inputs':[{'code':'days','label':'天','min':5,'max':1,'default':3}]," TR(GO) "}",
         "inputs[0].default", "inputs[0].default: 须满足 min ≤ default ≤ max"},
        {HEAD INIT AB "'subject':'meeting'," TR(GO) "}", "subject",
         "subject: 不认识的对象 \"meeting\"（可用 item、rating、points、person）"},
        {HEAD INIT "'states':[{'code':'a','label':'甲','notice':1},{'code':'b','label':'乙','final'"
                   ":true}]," TR(GO) "}",
         "states[0].notice", "states[0].notice: 必须是 true 或 false"},
        {HEAD INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'b','perm':'x','reopens':'yes'}") "}",
         "transitions[0].reopens", "transitions[0].reopens: 必须是 true 或 false"},
        {HEAD INIT AB TR(
             "{'code':'go','label':'走','from':['a'],'to':'b','perm':'x','by':'me'}") "}",
         "transitions[0].by",
         "transitions[0].by: 须为 \"owner\"（责任单位自己）、\"above\"（上级单位）或 "
         "\"receiver\"（接收单位）"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wf_kind *t = (struct wf_kind *)1;
        struct err e;
        if (parse_quoted(cases[i].json, &t, &e) != ERR_INVALID)
            fail_msg("case %zu parsed: %s", i, cases[i].json);
        assert_null(t);
        if (strcmp(e.msg, cases[i].msg) != 0) fail_msg("case %zu: %s", i, e.msg);
        assert_string_equal(e.field, cases[i].field);
    }
}

/* Declared permissions: a kind may name only those (and submitter/public). */
static void test_declared_permissions(void **state)
{
    (void)state;
    static const char *const declared[] = {"items:create", "items:handle", NULL};
    struct wf_vocab v = *vocab();
    v.perms = declared;
    struct wf_kind *t;
    struct err e;
    const char *ok = "{\"code\":\"t\",\"name\":\"测试\",\"create_perm\":\"items:create\","
                     "\"initial\":\"a\",\"states\":[{\"code\":\"a\",\"label\":\"甲\"},"
                     "{\"code\":\"b\",\"label\":\"乙\",\"final\":true}],\"transitions\":["
                     "{\"code\":\"go\",\"label\":\"走\",\"from\":[\"a\"],\"to\":\"b\","
                     "\"perm\":\"items:handle\"}]}";
    assert_int_equal(wf_kind_parse(ok, strlen(ok), "ok.json", &v, &t, &e), ERR_OK);
    wf_kind_free(t);
    char bad[1024];
    snprintf(bad, sizeof bad, "%s", ok);
    memcpy(strstr(bad, "items:handle"), "items:review", 12);
    assert_int_equal(wf_kind_parse(bad, strlen(bad), "bad.json", &v, &t, &e), ERR_INVALID);
    assert_string_equal(
        e.msg, "transitions[0].perm: 没有权限 \"items:review\"（权限在 data/roles.json 中声明）");
}

/* The shortest path between two states, definition order breaking ties. */
static void test_path(void **state)
{
    (void)state;
    struct wf_kind *req = load("request"), *rating = load("rating");
    const struct wf_transition *p[WF_STATES_MAX];
    int n = wf_path(req, st(req, "submitted"), st(req, "closed"), p, WF_STATES_MAX);
    assert_int_equal(n, 4);
    static const char *const want[] = {"accept", "dispatch", "resolve", "close_unrated"};
    for (int i = 0; i < n; i++)
        assert_string_equal(p[i]->code, want[i]);
    assert_int_equal(wf_path(req, st(req, "submitted"), st(req, "submitted"), p, 4), 0);
    assert_int_equal(wf_path(req, st(req, "closed"), st(req, "submitted"), p, 4), -1);
    assert_int_equal(wf_path(req, st(req, "submitted"), st(req, "closed"), p, 3), -1); /* max */
    assert_int_equal(wf_path(req, -1, 0, p, 4), -1);
    n = wf_path(rating, rating->initial, st(rating, "returned"), p, WF_STATES_MAX);
    assert_int_equal(n, 2);
    assert_string_equal(p[0]->code, "submit");
    assert_string_equal(p[1]->code, "return");
    assert_true(p[1]->reopens);
    assert_true(p[1]->above);  /* 退回 is the reviewing unit's step */
    assert_false(p[0]->above); /* 提交自评 the village's own */
    wf_kind_free(req);
    wf_kind_free(rating);
}

/* Who moves a case on from a state: the owner's steps, the forward review
 * steps ("by": "above", not reopening); the desk and notifications. */
static void test_waiting(void **state)
{
    (void)state;
    struct wf_kind *problem = load("problem"), *rating = load("rating"), *req = load("request");
    const char *owner[4], *above[4];
    wf_waiting(problem, st(problem, "open"), owner, above, 4);
    assert_string_equal(owner[0], "items:handle");
    assert_null(owner[1]);
    assert_null(above[0]);
    wf_waiting(problem, st(problem, "done"), owner, above, 4);
    assert_null(owner[0]);
    assert_string_equal(above[0], "items:review"); /* 销号; 退回整改 reopens */
    assert_null(above[1]);
    wf_waiting(rating, st(rating, "township_passed"), owner, above, 4);
    assert_null(owner[0]);
    assert_string_equal(above[0], "ratings:approve"); /* not ratings:review: 退回 reopens */
    assert_null(above[1]);
    wf_waiting(req, st(req, "resolved"), owner, above, 4); /* 评价 is the submitter's */
    assert_null(owner[0]);
    assert_string_equal(above[0], "items:review");
    wf_waiting(problem, st(problem, "verified"), owner, above, 4);
    assert_null(owner[0]);
    assert_null(above[0]);
    static const char *const township[] = {"items:read", "items:review", NULL};
    static const char *const want[] = {"items:handle", "items:review", NULL};
    assert_true(wf_holds(township, want));
    assert_false(wf_holds(township, want + 2));
    assert_false(wf_holds(NULL, want));
    wf_kind_free(problem);
    wf_kind_free(rating);
    wf_kind_free(req);
}

/* An error names the line of the member it concerns. */
static void test_error_lines(void **state)
{
    (void)state;
    const char *json =
        "{\n  \"code\": \"t\",\n  \"name\": \"测试\",\n  \"create_perm\": \"x\",\n"
        "  \"initial\": \"a\",\n  \"states\": [\n    {\"code\": \"a\", \"label\": \"甲\"},\n"
        "    {\"code\": \"b\", \"label\": \"乙\", \"final\": true}\n  ],\n"
        "  \"transitions\": [\n    {\"code\": \"go\", \"label\": \"走\", \"from\": [\"a\"],\n"
        "     \"to\": \"c\", \"perm\": \"x\"}\n  ]\n}\n";
    struct wf_kind *t;
    struct err e;
    assert_int_equal(wf_kind_parse(json, strlen(json), "k.json", vocab(), &t, &e), ERR_INVALID);
    assert_string_equal(e.field, "transitions[0].to");
    assert_int_equal(e.line, 12);
    char line[512];
    err_format(&e, line, sizeof line);
    assert_true(strncmp(line, "k.json:12: transitions[0].to: 没有状态 \"c\"",
                        strlen("k.json:12: transitions[0].to")) == 0);
    assert_int_equal(jdef_line(json, strlen(json), "states[1].final"), 8);
    assert_int_equal(jdef_line(json, strlen(json), "(根)"), 1);
    assert_int_equal(jdef_line(json, strlen(json), "transitions[0].absent"), 11); /* its object */
    assert_int_equal(jdef_line(json, strlen(json), "states[9]"), 6);
    assert_int_equal(jdef_line("", 0, "x"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shipped_file_parses),
        cmocka_unit_test(test_definitions_match_the_specification),
        cmocka_unit_test(test_every_transition_from_every_state),
        cmocka_unit_test(test_happy_paths),
        cmocka_unit_test(test_wrong_state_messages),
        cmocka_unit_test(test_each_transition_needs_its_permission),
        cmocka_unit_test(test_permission_messages),
        cmocka_unit_test(test_available),
        cmocka_unit_test(test_each_need_is_required),
        cmocka_unit_test(test_missing_input_messages),
        cmocka_unit_test(test_rating_range),
        cmocka_unit_test(test_lookups_and_bad_arguments),
        cmocka_unit_test(test_minimal_definition),
        cmocka_unit_test(test_shipped_confirmations),
        cmocka_unit_test(test_definition_errors),
        cmocka_unit_test(test_several_missing_inputs),
        cmocka_unit_test(test_limits_and_bad_json),
        cmocka_unit_test(test_flags_and_inputs),
        cmocka_unit_test(test_hook_errors),
        cmocka_unit_test(test_declared_permissions),
        cmocka_unit_test(test_path),
        cmocka_unit_test(test_waiting),
        cmocka_unit_test(test_error_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
