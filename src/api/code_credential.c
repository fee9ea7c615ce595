/* code_credential.c — pages and writes whose code is the credential (a
 * rater's ballot code, a judge's code; api.h): wrong codes count against
 * the address, and too many refuse it for a while. */
#include "api/api.h"
#include "app/auth.h"
#include "io/json_out.h"

static const char *rate_key(struct http_req *req, const struct code_credential *c)
{
    return arena_printf(req->arena, "%s:%s", c->key, req->client);
}

int api_code_gate(struct http_req *req, const struct code_credential *c, struct err *err)
{
    if (auth_rate_exhausted(req->app, rate_key(req, c)))
        return err_set(err, ERR_RATE_LIMIT, "%s输错次数过多，请一分钟后再试", c->name);
    return ERR_OK;
}

int api_code_missed(struct http_req *req, const struct code_credential *c, int rc)
{
    if (rc == c->wrong) (void)auth_rate_allow(req->app, rate_key(req, c));
    return rc;
}

int api_code_page(struct http_req *req, struct http_resp *resp, const struct code_credential *c,
                  int (*write)(struct app *app, const char *code, struct arena *a, struct jw *w,
                               struct err *err),
                  struct err *err)
{
    int rc = api_code_gate(req, c, err);
    if (rc) return rc;
    /* written aside first: a refused code answers its error, not half a page */
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    rc = write(req->app, req->param[0], req->arena, &w, err);
    if (!rc) {
        struct jw out;
        http_json(resp, &out);
        jw_raw(&out, b.p, b.len);
    }
    buf_free(&b);
    return api_code_missed(req, c, rc);
}
