/* webhook.c — pushing notifications to a gateway over HTTP (webhook.h). */
#include "app/webhook.h"
#include "app/auth.h"
#include "app/notify.h"
#include "base/mem.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "io/json_out.h"
#include "store/store.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define CLAIM_SECONDS 120  /* a claimed row is someone's for this long */
#define RETRY_MAX     3600 /* seconds: retries wait webhook_retry, doubling up to this */
#define ROUND_SECONDS 2    /* how often the thread looks for due rows */
#define SEND_TIMEOUT  10   /* seconds one POST may take */

struct webhook {
    struct app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

struct batch {
    struct arena *a;
    struct store_push *p;
    size_t n, cap;
};

static int keep_due(void *ctx, const struct store_push *p)
{
    struct batch *b = ctx;
    b->p = arena_grow(b->a, b->p, sizeof *b->p, b->n, b->n + 1, &b->cap);
    struct store_push *k = &b->p[b->n++];
    const struct notification *x = &p->x;
    k->x = (struct notification){x->id,
                                 arena_strdup(b->a, x->username),
                                 arena_strdup(b->a, x->at),
                                 arena_strdup(b->a, x->unit),
                                 arena_strdup(b->a, x->kind),
                                 x->case_id,
                                 x->notice_id,
                                 arena_strdup(b->a, x->what),
                                 arena_strdup(b->a, x->title),
                                 ""};
    k->display_name = arena_strdup(b->a, p->display_name);
    k->tries = p->tries;
    return 0;
}

/* The unit's name, "" when it is gone from the tree. */
static const char *unit_name(const struct tree *t, const char *code)
{
    uint32_t i = tree_find(t, code, strlen(code));
    return i == TREE_NONE ? "" : tree_name(t, i);
}

static void write_body(struct app *app, const struct store_push *p, size_t n, struct buf *out)
{
    struct tree *t = app_tree(app);
    struct jw w;
    jw_init(&w, out);
    jw_obj(&w);
    jw_key(&w, "notifications");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        const struct notification *x = &p[i].x;
        const char *uname = unit_name(t, x->unit);
        char link[96], text[1024];
        notify_link(app, x, link, sizeof link);
        snprintf(text, sizeof text, "【基层治理】%s：%s「%s」", uname, x->what, x->title);
        jw_obj(&w);
        jw_kint(&w, "id", x->id);
        jw_kstr(&w, "at", x->at);
        jw_kstr(&w, "user", x->username);
        jw_kstr(&w, "display_name", p[i].display_name);
        jw_kstr(&w, "unit", x->unit);
        jw_kstr(&w, "unit_name", uname);
        jw_kstr(&w, "what", x->what);
        jw_kstr(&w, "title", x->title);
        jw_kstr(&w, "text", text);
        jw_kstr(&w, "link", link);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    tree_unref(t);
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

/* POSTs body; ERR_OK on a 2xx answer. */
static int post(const struct config *cfg, const char *body, size_t len, struct err *err)
{
    CURL *c = curl_easy_init();
    if (!c) return err_set(err, ERR_IO, "webhook: curl_easy_init failed");
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    if (cfg->webhook_secret[0]) {
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)cfg->webhook_secret,
                                    strlen(cfg->webhook_secret));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
        crypto_auth_hmacsha256_final(&st, mac);
        char line[32 + 2 * sizeof mac + 1] = "X-Jiceng-Signature: sha256=";
        sodium_bin2hex(line + strlen(line), 2 * sizeof mac + 1, mac, sizeof mac);
        h = curl_slist_append(h, line);
    }
    curl_easy_setopt(c, CURLOPT_URL, cfg->webhook_url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode cc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (cc != CURLE_OK) return err_set(err, ERR_IO, "webhook: %s", curl_easy_strerror(cc));
    if (status < 200 || status > 299) return err_set(err, ERR_IO, "webhook: HTTP %ld", status);
    return ERR_OK;
}

int webhook_push_due(struct app *app, size_t *sent, struct err *err)
{
    *sent = 0;
    int64_t now = (int64_t)clock_now();
    struct arena *a = arena_new();
    struct batch due = {.a = a}, mine = {.a = a};
    struct db *db = store_acquire(app->store);
    int rc = store_push_due(db, now, WEBHOOK_BATCH, keep_due, &due, err);
    for (size_t i = 0; i < due.n && !rc; i++) {
        bool won = false;
        rc = store_push_claim(db, due.p[i].x.id, now, now + CLAIM_SECONDS, &won, err);
        if (!rc && won) keep_due(&mine, &due.p[i]);
    }
    store_release(app->store, db);
    if (rc || !mine.n) {
        arena_free(a);
        return rc;
    }
    struct buf body = {0};
    write_body(app, mine.p, mine.n, &body);
    struct err why;
    bool ok = post(&app->cfg, body.p, body.len, &why) == ERR_OK;
    buf_free(&body);
    if (!ok) log_msg(LOG_WARN, "webhook.retry", "rows=%zu why=\"%s\"", mine.n, why.msg);
    char at[32];
    auth_now_iso(at);
    db = store_acquire(app->store);
    for (size_t i = 0; i < mine.n && !rc; i++) {
        int tries = mine.p[i].tries < 7 ? mine.p[i].tries : 7;
        int64_t wait = (int64_t)app->cfg.webhook_retry << tries;
        rc = ok ? store_push_done(db, mine.p[i].x.id, at, err)
                : store_push_retry(db, mine.p[i].x.id, now + (wait < RETRY_MAX ? wait : RETRY_MAX),
                                   err);
    }
    store_release(app->store, db);
    if (!rc && ok) *sent = mine.n;
    arena_free(a);
    return rc;
}

static void *run(void *arg)
{
    struct webhook *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        pthread_mutex_unlock(&w->mu);
        size_t sent;
        struct err e;
        do { /* a full batch: there may be more */
            if (webhook_push_due(w->app, &sent, &e)) {
                log_msg(LOG_ERROR, "webhook.push", "msg=\"%s\"", e.msg);
                break;
            }
        } while (sent == WEBHOOK_BATCH);
        pthread_mutex_lock(&w->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += ROUND_SECONDS;
        if (!w->stop) pthread_cond_timedwait(&w->cv, &w->mu, &until);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int webhook_start(struct app *app, struct webhook **out, struct err *err)
{
    *out = NULL;
    const char *url = app->cfg.webhook_url;
    if (!url[0]) return ERR_OK;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return err_set_field(err, ERR_INVALID, "webhook_url",
                             "webhook_url: \"%s\" is not an http:// or https:// address", url);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return err_set(err, ERR_IO, "webhook: curl_global_init failed");
    struct webhook *w = xcalloc(1, sizeof *w);
    w->app = app;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return err_set(err, ERR_IO, "webhook: cannot start its thread");
    }
    *out = w;
    return ERR_OK;
}

void webhook_stop(struct webhook *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
    curl_global_cleanup();
}
