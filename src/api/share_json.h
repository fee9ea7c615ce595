/*
 * share_json.h — how 共享小区 posts and matches are written as JSON, for
 * staff (api/share.c) and residents (api/share_public.c): names, never
 * codes, beside the codes; contacts only masked, and none on public views.
 */
#ifndef JICENG_API_SHARE_JSON_H
#define JICENG_API_SHARE_JSON_H

#include "api/api.h"
#include "app/share.h"

struct json_t;

void share_write_categories(struct jw *w, struct app *app);
/* A post; API_VIEW_PUBLIC leaves out the contact and who posted it. */
void share_write_post(struct jw *w, struct http_req *req, const struct share_post_row *p,
                      enum api_view v);
void share_write_match(struct jw *w, struct http_req *req, const struct share_match_row *m,
                       enum api_view v);
/* Reads a post's members from body into in (strings in req's arena). */
int share_read_input(struct http_req *req, struct json_t *body, struct share_input *in,
                     struct err *err);

#endif
