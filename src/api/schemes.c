/* schemes.c — GET /api/v1/schemes and /api/v1/schemes/{scheme}: the
 * five-star schemes as data (core/scheme.c). */
#include "api/api.h"
#include "app/ratings.h"

static void write_formula(struct jw *w, const char *text)
{
    jw_kstr_or_null(w, "formula", text);
}

static void write_scheme(struct jw *w, const struct scheme *s)
{
    jw_obj(w);
    jw_kstr(w, "code", s->code);
    jw_kstr(w, "name", s->name);
    jw_kint(w, "year", s->year);
    jw_key(w, "applies_to");
    jw_arr(w);
    for (int k = 0; k < UNIT_KIND_COUNT; k++)
        if (scheme_applies(s, k)) jw_str(w, unit_kind_name(k));
    jw_arr_end(w);
    jw_kstr_or_null(w, "prerequisite",
                    s->prerequisite >= 0 ? s->categories[s->prerequisite].code : NULL);
    jw_kstr(w, "source", s->source);
    jw_key(w, "categories");
    jw_arr(w);
    for (int k = 0; k < s->ncategories; k++) {
        const struct scheme_category *c = &s->categories[k];
        jw_obj(w);
        jw_kstr(w, "code", c->code);
        jw_kstr(w, "name", c->name);
        jw_knum(w, "pass_score", c->pass_score);
        jw_knum(w, "max_score", c->max_score);
        jw_key(w, "indicators");
        jw_arr(w);
        for (int i = c->first_indicator; i < c->first_indicator + c->nindicators; i++) {
            const struct scheme_indicator *ind = &s->indicators[i];
            jw_obj(w);
            jw_kstr(w, "code", ind->code);
            jw_kstr(w, "name", ind->name);
            jw_kstr(w, "guide", ind->guide);
            jw_knum(w, "max", ind->max);
            jw_kstr(w, "kind", scheme_kind_name(ind->kind));
            write_formula(w, ind->formula_text);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_key(w, "vetoes");
        jw_arr(w);
        for (int v = c->first_veto; v < c->first_veto + c->nvetoes; v++) {
            const struct scheme_veto *vt = &s->vetoes[v];
            jw_obj(w);
            jw_kstr(w, "code", vt->code);
            jw_kstr(w, "name", vt->name);
            jw_kstr(w, "guide", vt->guide);
            jw_kstr(w, "kind", scheme_kind_name(vt->kind));
            write_formula(w, vt->formula_text);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

int api_schemes_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
    struct jw w;
    api_items_start(resp, &w);
    for (int i = 0; i < ratings_nschemes(req->app); i++)
        write_scheme(&w, ratings_scheme_at(req->app, i));
    api_items_end(&w);
    return ERR_OK;
}

int api_scheme_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
    const struct scheme *s = ratings_scheme(req->app, req->param[0]);
    if (!s) return err_set(err, ERR_NOT_FOUND, "没有创建标准 %s", req->param[0]);
    struct jw w;
    http_json(resp, &w);
    write_scheme(&w, s);
    return ERR_OK;
}
