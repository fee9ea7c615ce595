/* share_json.c — 共享小区 posts and matches as JSON (share_json.h). */
#include "api/share_json.h"

#include <string.h>

static const char *state_label(const char *state)
{
    if (strcmp(state, "open") == 0) return "待对接";
    if (strcmp(state, "matched") == 0) return "已撮合";
    return "已撤回";
}

void share_write_categories(struct jw *w, struct app *app)
{
    const struct share_defs *s = app->share;
    jw_key(w, "categories");
    jw_arr(w);
    for (size_t i = 0; i < s->ncategories; i++) {
        jw_obj(w);
        jw_kstr(w, "code", s->categories[i].code);
        jw_kstr(w, "name", s->categories[i].name);
        jw_kstr(w, "hint", s->categories[i].hint);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void write_unit(struct jw *w, struct http_req *req, const char *code)
{
    uint32_t u = tree_find(req->tree, code, strlen(code));
    jw_key(w, "unit");
    jw_obj(w);
    jw_kstr(w, "code", code);
    jw_kstr_or_null(w, "name", u == TREE_NONE ? NULL : tree_name(req->tree, u));
    jw_obj_end(w);
}

void share_write_post(struct jw *w, struct http_req *req, const struct share_post_row *p,
                      enum api_view v)
{
    char from[SHARE_DAY_TEXT], to[SHARE_DAY_TEXT];
    share_day_text(p->day_from, from);
    share_day_text(p->day_to, to);
    const char *cat = share_category_name(req->app, p->category);
    jw_obj(w);
    jw_kint(w, "id", p->id);
    jw_kstr(w, "kind", p->kind);
    jw_kstr(w, "kind_name", p->kind[0] == 'n' ? "需求" : "服务");
    jw_key(w, "category");
    jw_obj(w);
    jw_kstr(w, "code", p->category);
    jw_kstr(w, "name", cat ? cat : p->category);
    jw_obj_end(w);
    write_unit(w, req, p->unit);
    jw_kstr(w, "building", p->building);
    jw_kstr(w, "from", from);
    jw_kstr(w, "to", to);
    api_ktext(w, "title", p->title, v == API_VIEW_FULL ? API_VIEW_FULL : API_VIEW_MASKED);
    api_ktext(w, "body", p->body, v == API_VIEW_FULL ? API_VIEW_FULL : API_VIEW_MASKED);
    jw_kstr(w, "state", p->state);
    jw_kstr(w, "state_label", state_label(p->state));
    jw_kstr(w, "created_on", p->created_on);
    if (v != API_VIEW_PUBLIC) {
        jw_kstr_or_null(w, "contact", p->contact_masked[0] ? p->contact_masked : NULL);
        jw_kbool(w, "by_resident", p->code_hash[0] != '\0');
        if (p->match_id)
            jw_kint(w, "match", p->match_id);
        else
            jw_knull(w, "match");
    }
    jw_obj_end(w);
}

static void write_side(struct jw *w, const char *key, int64_t post, const char *title,
                       const char *confirmed, int64_t rating, enum api_view v)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kint(w, "id", post);
    api_ktext(w, "title", title, v == API_VIEW_FULL ? API_VIEW_FULL : API_VIEW_MASKED);
    jw_kbool(w, "confirmed", confirmed[0] != '\0');
    if (rating)
        jw_kint(w, "rating", rating);
    else
        jw_knull(w, "rating");
    jw_obj_end(w);
}

void share_write_match(struct jw *w, struct http_req *req, const struct share_match_row *m,
                       enum api_view v)
{
    jw_obj(w);
    jw_kint(w, "id", m->id);
    write_unit(w, req, m->unit);
    write_side(w, "need", m->need_id, m->need_title, m->need_confirmed_at, m->need_rating, v);
    write_side(w, "offer", m->offer_id, m->offer_title, m->offer_confirmed_at, m->offer_rating, v);
    jw_kbool(w, "done", m->done_on[0] != '\0');
    jw_kstr_or_null(w, "done_on", m->done_on[0] ? m->done_on : NULL);
    jw_kstr(w, "created_at", m->created_at);
    jw_obj_end(w);
}
