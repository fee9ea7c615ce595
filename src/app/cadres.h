/*
 * cadres.h — 干部队伍 (issue 16 part 6): the reserve cadre pool of a unit
 * and year (后备干部) with entry criteria as data, trainings and exams as
 * events of the events engine (events.h: a training's hours and an exam's
 * score are participants' values) with a pass mark and make-up exams, and
 * the community workers' 三岗十八级 grade and pay.
 *
 * Rules live in data/cadres.json (cadres_defs.c). The computed data
 * elements {"source":"cadres","count":"reserves"|"young"|"college"} count,
 * per unit, the reserves of the pools of the period's year: all, those aged
 * young_age or less and those of higher education when entered.
 */
#ifndef JICENG_CADRES_H
#define JICENG_CADRES_H

#include "app/app.h"
#include "app/computed_sources.h"

struct json_t;

#define CADRES_CHANGED   "@cadres"
#define CADRE_GRADES_MAX 30
#define CADRE_LIST_MAX   8
#define CADRE_ROWS_MAX   5000
#define CADRE_POST_MAX   64 /* bytes of a reserve's post */
#define CADRE_SCORES_MAX 2000

struct cadre_step {
    const char *code, *name;
    int steps;
};
struct cadre_post {
    const char *code, *name;
    int start_grade;
    double pay[CADRE_GRADES_MAX];
};
struct cadre_defs {
    struct json_t *root; /* owns the strings */
    int max_age, young_age;
    size_t min_education; /* index in people's education levels: it or a higher one */
    const char *reserves_source;
    const char *exam_type, *training_type;
    double pass_mark;
    int grades, years_per_step;
    bool uncertain;
    const char *grades_source;
    struct cadre_step degrees[CADRE_LIST_MAX], certificates[CADRE_LIST_MAX];
    size_t ndegrees, ncertificates;
    struct cadre_post posts[CADRE_LIST_MAX];
    size_t nposts;
};

int cadres_defs_load(struct app *app, struct err *err);
void cadres_defs_free(struct app *app);
const struct cadre_post *cadres_post(const struct app *app, const char *code);
const struct cadre_step *cadres_step(const struct cadre_step *list, size_t n, const char *code);
/* The index of an education text in people's levels (name, code or
 * alias), or (size_t)-1 when none. */
size_t cadres_education_level(const struct app *app, const char *text);

/* ---- reserve pools ---- */

struct cadre_reserve {
    int64_t id, person_id;
    const char *unit, *unit_name, *person_name, *post, *education, *created_at;
    int year, age;
    bool college;
};
/* Enters person into the pool of unit (in the actor's scope) and year for
 * post: the person reached, aged at most max_age today (the birth date
 * known), of min_education or higher, not yet in the pool (ERR_CONFLICT).
 * A failed criterion is ERR_INVALID naming it. */
int cadres_reserve_add(struct app *app, const struct auth_user *actor, const char *unit, int year,
                       int64_t person, const char *post, const char *client, int64_t *id,
                       struct err *err);
/* The pools of the subtree of unit for year, by unit and name. */
int cadres_reserves(struct app *app, const char *unit, int year, struct arena *a,
                    struct cadre_reserve **out, size_t *n, struct err *err);

/* ---- exams ---- */

struct cadre_score {
    int64_t person_id;
    const char *person_name;
    double score;
    bool passed;
};
struct cadre_exam {
    int64_t id, makeup_of; /* makeup_of 0: a first exam */
    const char *topic, *day, *unit;
    struct cadre_score *scores;
    size_t nscores;
};
/* An exam event with its scores and whom it makes up. */
int cadres_exam(struct app *app, int64_t id, struct arena *a, struct cadre_exam *out,
                struct err *err);
struct cadre_score_in {
    int64_t person;
    double score;
};
/* Records the whole score list of exam id (an event of the exam type) as
 * its participants present with {"score": n}: at a make-up only persons
 * who failed the first exam. */
int cadres_exam_scores(struct app *app, const struct auth_user *actor, int64_t id,
                       const struct cadre_score_in *in, size_t n, const char *client,
                       struct err *err);
/* Creates the make-up exam of exam id on starts_at ("YYYY-MM-DDTHH:MM",
 * planned), organised like the first; refused when nobody failed it or it
 * is itself a make-up. */
int cadres_exam_makeup(struct app *app, const struct auth_user *actor, int64_t id,
                       const char *starts_at, const char *client, int64_t *makeup, struct err *err);

/* A person's trainings and exams. */
struct cadre_year_hours {
    int year, trainings;
    double hours;
};
struct cadre_person_exam {
    int64_t event_id, makeup_of;
    const char *topic, *day;
    double score;
    bool scored, passed;
};
struct cadre_person {
    struct cadre_year_hours *years;
    size_t nyears;
    struct cadre_person_exam *exams;
    size_t nexams;
};
int cadres_person(struct app *app, int64_t person, struct arena *a, struct cadre_person *out,
                  struct err *err);

/* ---- 三岗十八级 ---- */

struct cadre_worker {
    int64_t id, person_id;
    const char *unit, *unit_name, *person_name, *post, *start_date, *degree, *certificate;
    int years, grade;
    double pay; /* monthly */
};
/* Registers person as a community worker of unit: post, degree and
 * certificate known codes, start_date a real date not after today, the
 * person reached and not yet a worker (ERR_CONFLICT). */
int cadres_worker_add(struct app *app, const struct auth_user *actor, const char *unit,
                      int64_t person, const char *post, const char *start_date, const char *degree,
                      const char *certificate, const char *client, int64_t *id, struct err *err);
/* The workers of the subtree of unit with their grade and pay on date
 * ("YYYY-MM-DD"), by unit and name; *total the monthly pay. */
int cadres_workers(struct app *app, const char *unit, const char *date, struct arena *a,
                   struct cadre_worker **out, size_t *n, double *total, struct err *err);

/* ---- computed data elements ---- */

int cadres_computed_check(const struct app *app, const char *computed, struct err *err);
int cadres_computed_counts(struct app *app, const char *computed, const char *start,
                           const char *next, const char *date, computed_add fn, void *ctx,
                           struct err *err);

#endif
