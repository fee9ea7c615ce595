/*
 * cadre.h — the arithmetic of 干部队伍 that needs no storage: full years
 * between two dates (an age, the years of service) and a community
 * worker's 三岗十八级 grade from the post's starting grade, the years of
 * service, the degree and certificate steps (app/cadres.h holds the rules
 * as data).
 */
#ifndef JICENG_CORE_CADRE_H
#define JICENG_CORE_CADRE_H

/* Full years from `from` to `to` ("YYYY-MM-DD", both valid); negative when
 * to is before from. */
int cadre_full_years(const char *from, const char *to);

/* The grade: start + years / years_per_step + extra steps, kept within
 * 1..grades. */
int cadre_grade(int start, int years, int years_per_step, int extra, int grades);

#endif
