/* rating_snapshot.c — what a rating is named with, kept so that a
 * published result never moves (ratings_int.h). The snapshot is JSON:
 *
 *   {"scheme": "village-2026", "year": 2026,
 *    "figures": {"party.members": 60, "income.collective": null, …},
 *    "answers": {"party.organisation": {"score": 18}, "party.veto.x": {"yes": false}, …},
 *    "level": 4,
 *    "stars": {"party": {"score": 95, "won": true}, …},
 *    "indicators": {"party.organisation": 18, …},
 *    "vetoes": {"party.veto.x": false, …}}
 *
 * Reading one rates its answers and figures against the scheme again (for
 * the reasons a page shows) and then puts back the scores as published,
 * so that even a scheme revised since cannot change them.
 */
#include "app/ratings_int.h"
#include "io/json_out.h"

#include <jansson.h>
#include <string.h>

static void write_answer(struct jw *w, const char *code, const struct scheme_answer *an)
{
    if (!an->given) return;
    jw_key(w, code);
    jw_obj(w);
    jw_knum(w, "score", an->score);
    jw_kbool(w, "yes", an->yes);
    jw_obj_end(w);
}

const char *ratings_snapshot_make(struct arena *a, const struct scheme *s,
                                  const struct rating_result *res)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "scheme", s->code);
    jw_kint(&w, "year", s->year);
    jw_key(&w, "figures");
    jw_obj(&w);
    for (int i = 0; i < s->nelements; i++)
        if (res->values[i].missing)
            jw_knull(&w, s->elements[i]);
        else
            jw_knum(&w, s->elements[i], res->values[i].v);
    jw_obj_end(&w);
    jw_key(&w, "answers");
    jw_obj(&w);
    for (int i = 0; i < s->nindicators; i++)
        if (s->indicators[i].kind != SCHEME_FORMULA)
            write_answer(&w, s->indicators[i].code, &res->answers[i]);
    for (int v = 0; v < s->nvetoes; v++)
        if (s->vetoes[v].kind != SCHEME_FORMULA)
            write_answer(&w, s->vetoes[v].code, &res->vetoes[v]);
    jw_obj_end(&w);
    jw_kint(&w, "level", res->level);
    jw_key(&w, "stars");
    jw_obj(&w);
    for (int k = 0; k < s->ncategories; k++) {
        jw_key(&w, s->categories[k].code);
        jw_obj(&w);
        jw_knum(&w, "score", res->r.stars[k].score);
        jw_kbool(&w, "won", res->won[k]);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
    jw_key(&w, "indicators");
    jw_obj(&w);
    for (int i = 0; i < s->nindicators; i++)
        jw_knum(&w, s->indicators[i].code, res->r.scores[i].score);
    jw_obj_end(&w);
    jw_key(&w, "vetoes");
    jw_obj(&w);
    for (int v = 0; v < s->nvetoes; v++)
        jw_kbool(&w, s->vetoes[v].code, res->r.vetoed[v]);
    jw_obj_end(&w);
    jw_obj_end(&w);
    const char *json = arena_strndup(a, b.p, b.len);
    buf_free(&b);
    return json;
}

static void read_answer(json_t *answers, const char *code, struct scheme_answer *out)
{
    json_t *an = json_object_get(answers, code);
    if (!json_is_object(an)) return;
    json_t *score = json_object_get(an, "score"), *yes = json_object_get(an, "yes");
    *out = (struct scheme_answer){.given = true,
                                  .score = json_is_number(score) ? json_number_value(score) : 0,
                                  .yes = json_is_true(yes)};
}

/* A number member of o, when there is one. */
static bool number_of(json_t *o, const char *key, double *v)
{
    json_t *n = json_object_get(o, key);
    if (json_is_number(n)) *v = json_number_value(n);
    return json_is_number(n);
}

int ratings_snapshot_rate(const struct scheme *s, const char *json, const struct case_full *rating,
                          struct rating_result *out, struct err *err)
{
    json_error_t je;
    json_t *root = json_loads(json, 0, &je);
    if (!json_is_object(root)) {
        json_decref(root);
        return err_set(err, ERR_INTERNAL, "rating %lld: unreadable snapshot (%s)",
                       (long long)rating->c.id, je.text);
    }
    json_t *figures = json_object_get(root, "figures"), *answers = json_object_get(root, "answers");
    for (int i = 0; i < s->nelements; i++)
        out->values[i].missing = !number_of(figures, s->elements[i], &out->values[i].v);
    for (int i = 0; i < s->nindicators; i++)
        read_answer(answers, s->indicators[i].code, &out->answers[i]);
    for (int v = 0; v < s->nvetoes; v++)
        read_answer(answers, s->vetoes[v].code, &out->vetoes[v]);
    struct scheme_inputs in = {out->answers, out->vetoes, out->values};
    int rc = scheme_rate(s, &in, &out->r, err);
    if (!rc) {
        json_t *stars = json_object_get(root, "stars"),
               *scores = json_object_get(root, "indicators"),
               *vetoes = json_object_get(root, "vetoes");
        for (int k = 0; k < s->ncategories; k++)
            number_of(json_object_get(stars, s->categories[k].code), "score",
                      &out->r.stars[k].score);
        for (int i = 0; i < s->nindicators; i++)
            number_of(scores, s->indicators[i].code, &out->r.scores[i].score);
        for (int v = 0; v < s->nvetoes; v++) {
            json_t *b = json_object_get(vetoes, s->vetoes[v].code);
            if (json_is_boolean(b)) out->r.vetoed[v] = json_is_true(b);
        }
        ratings_overlay_named(s, rating, out);
        out->snapshot = true;
    }
    json_decref(root);
    return rc;
}
