/*
 * audit_rows.c — the after-images the writers record, and their comparison
 * with the rows the database holds (audit_int.h, audit.h).
 *
 * Each audited row has a last after-image in the trail: a user the JSON of
 * its last user.* record (users.c, with the password's fingerprint since
 * audit_user_image), a data value the last [element, unit, period, value]
 * of a values.write record (data.c; null when cleared), a case the image
 * cases_save writes with every change (audit_case_after: a few fields and
 * the fingerprint of every column of its rows). `audit verify` keeps the
 * last image of each, in memory, while it reads the chain, then reads the
 * current rows in the same snapshot and names every row that differs from
 * its image, has none, or has gone.
 *
 * Cases created before images were written (an upgraded database) have
 * none until their next change; they are counted, not compared. Since
 * case ids only grow, a case without an image whose id is at least that of
 * the first case created with one was not written by jiceng.
 */
#include "app/audit_int.h"
#include "base/mem.h"
#include "core/pii.h"
#include "io/json_out.h"
#include "store/store.h"

#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a string-keyed map in an arena ---- */

struct slot {
    const char *key; /* NULL: empty */
    void *val;
};

struct map {
    struct slot *s;
    size_t cap, len;
};

static uint64_t hash_of(const char *k)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h;
}

static struct slot *map_find(const struct map *m, const char *key)
{
    size_t i = hash_of(key) & (m->cap - 1);
    while (m->s[i].key && strcmp(m->s[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->s[i];
}

/* The value of key, NULL when absent. */
static void *map_get(const struct map *m, const char *key)
{
    return m->cap ? map_find(m, key)->val : NULL;
}

/* The value of key, created (size bytes, zeroed, in a) when absent. */
static void *map_put(struct map *m, struct arena *a, const char *key, size_t size)
{
    if (2 * (m->len + 1) > m->cap) {
        struct map bigger = {xcalloc(m->cap ? 2 * m->cap : 1024, sizeof *m->s),
                             m->cap ? 2 * m->cap : 1024, m->len};
        for (size_t i = 0; i < m->cap; i++)
            if (m->s[i].key) *map_find(&bigger, m->s[i].key) = m->s[i];
        free(m->s);
        *m = bigger;
    }
    struct slot *s = map_find(m, key);
    if (!s->key) {
        s->key = arena_strdup(a, key);
        s->val = arena_zalloc(a, size);
        m->len++;
    }
    return s->val;
}

/* ---- what the trail says ---- */

struct user_img {
    int64_t seq;
    const char *display_name, *role, *scope, *phone; /* scope "" = whole tree; phone NULL none */
    const char *password;                            /* fingerprint; NULL in older images */
    int disabled;
    bool seen, skip; /* skip: the last record naming it was altered */
};

struct value_img {
    int64_t seq;
    bool has; /* false: cleared */
    char num[40];
    bool seen, skip;
};

struct case_img {
    int64_t seq, version;
    const char *kind, *state, *owner_unit;
    char digest[AUDIT_FP_HEX + 1];
    bool seen, skip;
};

struct audit_rows {
    struct arena *a;
    struct map users, values, cases;
    int64_t first_created; /* lowest id of a case whose image was taken at its creation */
    bool trusted;          /* the record being taken matches its hash */
};

struct audit_rows *audit_rows_new(void)
{
    struct audit_rows *r = xcalloc(1, sizeof *r);
    r->a = arena_new();
    r->first_created = INT64_MAX;
    return r;
}

void audit_rows_free(struct audit_rows *rows)
{
    if (!rows) return;
    free(rows->users.s);
    free(rows->values.s);
    free(rows->cases.s);
    arena_free(rows->a);
    free(rows);
}

/* A number as jw_num writes it (15 significant digits), so that a value
 * and its image compare as the same text. */
static void num_text(double v, char out[40])
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_num(&w, v);
    snprintf(out, 40, "%s", b.p ? b.p : "");
    buf_free(&b);
}

static const char *str_or(struct arena *a, json_t *o, const char *key, const char *none)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? arena_strdup(a, s) : none;
}

static void take_user(struct audit_rows *rows, int64_t seq, const char *name, json_t *o)
{
    json_t *scope = json_object_get(o, "scope");
    if (!json_is_string(json_object_get(o, "role"))) return; /* not a user's image */
    struct user_img *u = map_put(&rows->users, rows->a, name, sizeof *u);
    u->seq = seq;
    u->skip = !rows->trusted;
    u->display_name = str_or(rows->a, o, "display_name", "");
    u->role = str_or(rows->a, o, "role", "");
    u->scope = json_is_object(scope) ? str_or(rows->a, scope, "code", "") : "";
    u->phone = str_or(rows->a, o, "phone", NULL);
    u->password = str_or(rows->a, o, "password", NULL);
    u->disabled = json_is_true(json_object_get(o, "disabled"));
}

static void take_values(struct audit_rows *rows, int64_t seq, json_t *arr)
{
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        const char *e = json_string_value(json_array_get(item, 0)),
                   *u = json_string_value(json_array_get(item, 1)),
                   *p = json_string_value(json_array_get(item, 2));
        json_t *v = json_array_get(item, 3);
        if (!e || !u || !p) continue;
        char key[256];
        snprintf(key, sizeof key, "%s\x1f%s\x1f%s", e, u, p);
        struct value_img *img = map_put(&rows->values, rows->a, key, sizeof *img);
        img->seq = seq;
        img->skip = !rows->trusted;
        img->has = json_is_number(v);
        if (img->has) num_text(json_number_value(v), img->num);
    }
}

/* dv: the digest version of the image (1 when absent); an image of
 * another version than this binary computes is kept, not compared. */
static void take_case(struct audit_rows *rows, int64_t seq, int64_t id, const char *kind,
                      const char *state, const char *owner, int64_t version, const char *digest,
                      json_int_t dv)
{
    if (id <= 0 || !digest) return;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    struct case_img *c = map_put(&rows->cases, rows->a, key, sizeof *c);
    c->seq = seq;
    c->skip = !rows->trusted || (dv ? dv : 1) != STORE_CASE_DIGEST_VERSION;
    c->version = version;
    c->kind = arena_strdup(rows->a, kind ? kind : "");
    c->state = arena_strdup(rows->a, state ? state : "");
    c->owner_unit = arena_strdup(rows->a, owner ? owner : "");
    snprintf(c->digest, sizeof c->digest, "%s", digest);
    if (version == 1 && id < rows->first_created && rows->trusted) rows->first_created = id;
}

/* The batch form: "columns" names the place of each field in a row. */
static void take_cases(struct audit_rows *rows, int64_t seq, json_t *cols, json_t *list,
                       json_int_t dv)
{
    int at[6] = {-1, -1, -1, -1, -1, -1};
    static const char *const names[6] = {"id", "kind", "state", "owner_unit", "version", "digest"};
    for (size_t i = 0; i < json_array_size(cols); i++)
        for (int k = 0; k < 6; k++)
            if (json_is_string(json_array_get(cols, i)) &&
                strcmp(json_string_value(json_array_get(cols, i)), names[k]) == 0)
                at[k] = (int)i;
    size_t i;
    json_t *row;
    json_array_foreach(list, i, row)
    {
#define COL(k) (at[k] < 0 ? NULL : json_array_get(row, (size_t)at[k]))
        take_case(rows, seq, json_integer_value(COL(0)), json_string_value(COL(1)),
                  json_string_value(COL(2)), json_string_value(COL(3)), json_integer_value(COL(4)),
                  json_string_value(COL(5)), dv);
#undef COL
    }
}

void audit_rows_take(struct audit_rows *rows, const struct audit_record *r, bool trusted)
{
    const char *after = r->e.after, *entity = r->e.entity ? r->e.entity : "";
    bool user = strncmp(entity, "user:", 5) == 0 && strncmp(r->e.action, "user.", 5) == 0;
    bool values = strcmp(r->e.action, "values.write") == 0;
    if (!after || !r->e.action || !(user || values || strstr(after, "\"digest\""))) return;
    json_t *j = json_loads(after, JSON_DECODE_ANY, NULL);
    if (!j) return; /* not JSON: the chain check reports a changed record */
    rows->trusted = trusted;
    json_t *one = json_object_get(j, "case");
    if (user && json_is_object(j))
        take_user(rows, r->seq, entity + 5, j);
    else if (values && json_is_array(j))
        take_values(rows, r->seq, j);
    else if (json_is_object(one))
        take_case(rows, r->seq, json_integer_value(json_object_get(one, "id")),
                  json_string_value(json_object_get(one, "kind")),
                  json_string_value(json_object_get(one, "state")),
                  json_string_value(json_object_get(one, "owner_unit")),
                  json_integer_value(json_object_get(one, "version")),
                  json_string_value(json_object_get(one, "digest")),
                  json_integer_value(json_object_get(one, "dv")));
    else if (json_is_array(json_object_get(j, "cases")))
        take_cases(rows, r->seq, json_object_get(j, "columns"), json_object_get(j, "cases"),
                   json_integer_value(json_object_get(j, "dv")));
    json_decref(j);
}

/* ---- comparing ---- */

struct cmp {
    struct app *app;
    struct audit_rows *rows;
    audit_report_fn report;
    void *ctx;
    struct audit_verify_result *out;
};

static void differs(struct cmp *c, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void differs(struct cmp *c, int64_t seq, const char *fmt, ...)
{
    char msg[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->out->row_problems++;
    if (c->report) c->report(c->ctx, seq, msg);
}

/* The masked phone of u, as users_write_json shows it; NULL when none. */
static const char *masked_phone(struct app *app, const struct user_row *u, char out[32])
{
    char *plain = NULL;
    struct err ignore;
    if (!u->phone_sealed) return NULL;
    if (seal_decrypt(&app->seal, u->phone_sealed, &plain, NULL, &ignore) != 0)
        return "（无法解密）";
    pii_mask_phone(plain, strlen(plain), out, 32);
    free(plain);
    return out;
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int compare_user(void *ctx, const struct user_row *u)
{
    struct cmp *c = ctx;
    struct user_img *img = map_get(&c->rows->users, u->username);
    c->out->users++;
    if (!img) {
        differs(c, 0, "用户 %s 没有任何审计记录（未经 jiceng 直接写入了数据库）", u->username);
        return 0;
    }
    img->seen = true;
    if (img->skip) return 0; /* its record was altered: reported as such */
    char phone[32], fp[AUDIT_FP_HEX + 1];
    const char *now_phone = masked_phone(c->app, u, phone);
    const char *scope = u->scope ? u->scope : "";
    long long seq = (long long)img->seq;
    const char *what = NULL, *was = NULL, *is = NULL;
    if (strcmp(u->role, img->role) != 0)
        what = "角色", was = img->role, is = u->role;
    else if (strcmp(scope, img->scope) != 0)
        what = "管辖范围", was = img->scope[0] ? img->scope : "全国",
        is = scope[0] ? scope : "全国";
    else if ((int)u->disabled != img->disabled)
        what = "停用状态", was = img->disabled ? "停用" : "启用",
        is = u->disabled ? "停用" : "启用";
    else if (strcmp(u->display_name, img->display_name) != 0)
        what = "姓名", was = img->display_name, is = u->display_name;
    else if (!same_text(now_phone, img->phone))
        what = "手机号", was = img->phone ? img->phone : "无", is = now_phone ? now_phone : "无";
    if (what) {
        differs(c, img->seq, "用户 %s 的%s为 %s，与审计记录（第 %lld 条）中的 %s 不符", u->username,
                what, is, seq, was);
        return 0;
    }
    if (img->password) {
        const char *h = u->password_hash ? u->password_hash : "";
        audit_fingerprint(audit_keys_of(c->app), h, strlen(h), fp);
        if (strcmp(fp, img->password) != 0)
            differs(c, img->seq, "用户 %s 的密码与审计记录（第 %lld 条）不符（密码哈希被直接改动）",
                    u->username, seq);
    }
    return 0;
}

static int compare_value(void *ctx, const struct value_row *v)
{
    struct cmp *c = ctx;
    char key[256], num[40];
    snprintf(key, sizeof key, "%s\x1f%s\x1f%s", v->element, v->unit, v->period);
    struct value_img *img = map_get(&c->rows->values, key);
    c->out->values++;
    num_text(v->value, num);
    if (!img) {
        differs(c, 0, "数据值 %s/%s/%s（%s）没有任何审计记录（未经 jiceng 直接写入了数据库）",
                v->element, v->unit, v->period, num);
        return 0;
    }
    img->seen = true;
    if (img->skip) return 0;
    if (!img->has)
        differs(c, img->seq, "数据值 %s/%s/%s 在审计记录（第 %lld 条）中已清除，数据库中却为 %s",
                v->element, v->unit, v->period, (long long)img->seq, num);
    else if (strcmp(num, img->num) != 0)
        differs(c, img->seq, "数据值 %s/%s/%s 为 %s，与审计记录（第 %lld 条）中的 %s 不符",
                v->element, v->unit, v->period, num, (long long)img->seq, img->num);
    return 0;
}

static int compare_case(void *ctx, const struct store_case_image *ci)
{
    struct cmp *c = ctx;
    char key[24], fp[AUDIT_FP_HEX + 1];
    snprintf(key, sizeof key, "%lld", (long long)ci->id);
    struct case_img *img = map_get(&c->rows->cases, key);
    long long id = (long long)ci->id;
    if (!img) {
        if (ci->id < c->rows->first_created) {
            c->out->cases_older++;
            return 0;
        }
        c->out->cases++;
        differs(c, 0, "事项 #%lld（%s）没有审计记录（未经 jiceng 直接写入了数据库）", id, ci->kind);
        return 0;
    }
    c->out->cases++;
    img->seen = true;
    if (img->skip) return 0;
    long long seq = (long long)img->seq;
    audit_fingerprint(audit_keys_of(c->app), ci->canon, ci->canon_len, fp);
    if (strcmp(ci->state, img->state) != 0)
        differs(c, img->seq, "事项 #%lld（%s）的状态为 %s，与审计记录（第 %lld 条）中的 %s 不符",
                id, ci->kind, ci->state, seq, img->state);
    else if (strcmp(ci->owner_unit, img->owner_unit) != 0)
        differs(c, img->seq,
                "事项 #%lld（%s）的责任单位为 %s，与审计记录（第 %lld 条）中的 %s 不符", id,
                ci->kind, ci->owner_unit, seq, img->owner_unit);
    else if (ci->version != img->version)
        differs(c, img->seq,
                "事项 #%lld（%s）的版本为 %lld，与审计记录（第 %lld 条）中的 %lld 不符", id,
                ci->kind, (long long)ci->version, seq, (long long)img->version);
    else if (strcmp(fp, img->digest) != 0)
        differs(c, img->seq,
                "事项 #%lld（%s）的内容与审计记录（第 %lld 条）不符（标题、说明、责任人、期限、"
                "评定或自评答案等被直接改动）",
                id, ci->kind, seq);
    return 0;
}

/* Images of rows the database no longer holds. */
static void report_gone(struct cmp *c)
{
    const struct map *m = &c->rows->users;
    for (size_t i = 0; i < m->cap; i++) {
        const struct user_img *u = m->s[i].val;
        if (u && !u->seen && !u->skip)
            differs(c, u->seq, "用户 %s 在审计记录（第 %lld 条）中存在，数据库中已没有",
                    m->s[i].key, (long long)u->seq);
    }
    m = &c->rows->values;
    for (size_t i = 0; i < m->cap; i++) {
        const struct value_img *v = m->s[i].val;
        if (!v || v->seen || v->skip || !v->has) continue;
        char key[256];
        snprintf(key, sizeof key, "%s", m->s[i].key);
        for (char *p = key; (p = strchr(p, '\x1f'));)
            *p = '/';
        differs(c, v->seq, "数据值 %s 在审计记录（第 %lld 条）中为 %s，数据库中已没有", key,
                (long long)v->seq, v->num);
    }
    m = &c->rows->cases;
    for (size_t i = 0; i < m->cap; i++) {
        const struct case_img *k = m->s[i].val;
        if (k && !k->seen && !k->skip)
            differs(c, k->seq, "事项 #%s（%s）在审计记录（第 %lld 条）中存在，数据库中已没有",
                    m->s[i].key, k->kind, (long long)k->seq);
    }
}

int audit_rows_compare(struct app *app, struct db *db, struct audit_rows *rows,
                       audit_report_fn report, void *ctx, struct audit_verify_result *out,
                       struct err *err)
{
    struct cmp c = {app, rows, report, ctx, out};
    struct arena *a = arena_new();
    struct value_filter all = {.scope = "", .limit = INT_MAX};
    int rc = store_users_list(db, a, "", NULL, NULL, INT_MAX, compare_user, &c, err);
    if (!rc) rc = store_values_list(db, &all, compare_value, &c, err);
    if (!rc) rc = store_audit_case_images(db, 0, compare_case, &c, err);
    if (!rc) report_gone(&c);
    arena_free(a);
    return rc;
}

/* ---- writing images ---- */

const char *audit_user_image(struct app *app, struct arena *a, const char *user_json,
                             const char *password_hash)
{
    json_t *j = json_loads(user_json, 0, NULL);
    if (!json_is_object(j)) { /* users_write_json always writes an object */
        json_decref(j);
        return arena_strdup(a, user_json);
    }
    char fp[AUDIT_FP_HEX + 1];
    const char *h = password_hash ? password_hash : "";
    audit_fingerprint(audit_keys_of(app), h, strlen(h), fp);
    json_object_set_new(j, "password", json_string(fp));
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    const char *out = arena_strdup(a, s ? s : user_json);
    free(s);
    return out;
}

struct images {
    struct app *app;
    struct jw *w;
    bool batch;
};

static int write_image(void *ctx, const struct store_case_image *ci)
{
    struct images *im = ctx;
    char fp[AUDIT_FP_HEX + 1];
    audit_fingerprint(audit_keys_of(im->app), ci->canon, ci->canon_len, fp);
    struct jw *w = im->w;
    if (im->batch) {
        jw_arr(w);
        jw_int(w, ci->id);
        jw_str(w, ci->kind);
        jw_str(w, ci->state);
        jw_str(w, ci->owner_unit);
        jw_int(w, ci->version);
        jw_str(w, fp);
        jw_arr_end(w);
        return 0;
    }
    jw_key(w, "case");
    jw_obj(w);
    jw_kint(w, "id", ci->id);
    jw_kstr(w, "kind", ci->kind);
    jw_kstr(w, "state", ci->state);
    jw_kstr(w, "owner_unit", ci->owner_unit);
    jw_kint(w, "version", ci->version);
    jw_kstr(w, "digest", fp);
    jw_kint(w, "dv", STORE_CASE_DIGEST_VERSION);
    jw_obj_end(w);
    return 0;
}

int audit_case_after(struct app *app, struct db *db, struct arena *a, const int64_t *ids, size_t n,
                     const char *changes, const char **after, struct err *err)
{
    struct buf b = BUF_INIT;
    struct jw w;
    struct images im = {app, &w, n != 1};
    int rc = ERR_OK;
    jw_init(&w, &b);
    jw_obj(&w);
    if (changes && changes[0]) {
        jw_key(&w, "changes");
        jw_raw(&w, changes, strlen(changes));
    }
    if (im.batch) {
        jw_kint(&w, "dv", STORE_CASE_DIGEST_VERSION);
        jw_key(&w, "columns");
        jw_arr(&w);
        static const char *const cols[] = {"id",         "kind",    "state",
                                           "owner_unit", "version", "digest"};
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            jw_str(&w, cols[i]);
        jw_arr_end(&w);
        jw_key(&w, "cases");
        jw_arr(&w);
    }
    for (size_t i = 0; i < n && !rc; i++)
        rc = store_audit_case_images(db, ids[i], write_image, &im, err);
    if (im.batch) jw_arr_end(&w);
    jw_obj_end(&w);
    if (!rc) *after = arena_strndup(a, b.p, b.len);
    buf_free(&b);
    return rc;
}
