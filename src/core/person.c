/* person.c — see person.h. */
#include "core/person.h"
#include "core/civil.h"
#include "core/pii.h"

#include <stdio.h>
#include <string.h>

/* y, m, d of "YYYY-MM-DD"; false unless that shape and a real date from
 * 1900 to 2100. */
static bool ymd(const char *s, int *y, int *m, int *d)
{
    return civil_parse(s, y, m, d) && *y >= 1900 && *y <= 2100;
}

bool person_date_ok(const char *s)
{
    int y, m, d;
    return ymd(s, &y, &m, &d);
}

int person_birth_check(const char *birth, const char *today, struct err *err)
{
    if (!person_date_ok(birth))
        return err_set_field(err, ERR_INVALID, "birth_date",
                             "出生日期须为 1900 年以后的真实日期，格式如 1980-05-01");
    if (strcmp(birth, today) > 0)
        return err_set_field(err, ERR_INVALID, "birth_date", "出生日期不能晚于今天");
    return ERR_OK;
}

void person_id_birth(const char *id, char out[PERSON_DATE_LEN + 1])
{
    snprintf(out, PERSON_DATE_LEN + 1, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
}

int person_id_check(const char *id, const char *birth, const char *today, struct err *err)
{
    long t = 0;
    for (const char *c = today; *c; c++)
        if (*c != '-') t = t * 10 + (*c - '0');
    int rc = pii_idcard_check_at(id, strlen(id), t, err);
    if (rc) {
        char msg[200];
        snprintf(msg, sizeof msg, "%.*s", (int)(sizeof msg - 1), err->msg);
        return err_set_field(err, rc, "id_number", "身份证号不符合 GB 11643 校验规则：%s", msg);
    }
    char inside[PERSON_DATE_LEN + 1];
    person_id_birth(id, inside);
    if (birth && birth[0] && strcmp(birth, inside) != 0)
        return err_set_field(err, ERR_INVALID, "id_number",
                             "身份证号中的出生日期与填写的出生日期不一致");
    return ERR_OK;
}

bool person_overlap(const char *a_from, const char *a_to, const char *b_from, const char *b_to)
{
    bool a_open = !a_to || !a_to[0], b_open = !b_to || !b_to[0];
    /* [a_from, a_to) ∩ [b_from, b_to) ≠ ∅ ⟺ a_from < b_to and b_from < a_to */
    return (b_open || strcmp(a_from, b_to) < 0) && (a_open || strcmp(b_from, a_to) < 0);
}

int person_span_check(const char *from, const char *to, struct err *err)
{
    if (!person_date_ok(from))
        return err_set_field(err, ERR_INVALID, "from", "起始日期须为真实日期，格式如 2024-07-01");
    if (to && to[0]) {
        if (!person_date_ok(to))
            return err_set_field(err, ERR_INVALID, "to", "结束日期须为真实日期，格式如 2026-07-01");
        if (strcmp(to, from) <= 0)
            return err_set_field(err, ERR_INVALID, "to", "结束日期须晚于起始日期");
    }
    return ERR_OK;
}

int org_op_parse(const char *s)
{
    static const char *const ops[] = {"<", "<=", ">", ">="};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, ops[i]) == 0) return i;
    return -1;
}

/* Whether ",a,b," lists name. */
static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(list, name); p; p = strstr(p + 1, name))
        if (p > list && p[-1] == ',' && p[n] == ',') return true;
    return false;
}

bool org_rule_fires(const struct org_rule *r, const char *type, const char *form, long formal,
                    long members)
{
    if (type ? !listed(r->types, type) : r->types[0] != '\0') return false;
    if (type && r->forms[0] && !listed(r->forms, form ? form : "")) return false;
    long v = r->count == ORG_COUNT_FORMAL ? formal : members;
    switch (r->op) {
    case ORG_OP_LT:
        return v < r->value;
    case ORG_OP_LE:
        return v <= r->value;
    case ORG_OP_GT:
        return v > r->value;
    case ORG_OP_GE:
        return v >= r->value;
    default:
        return false;
    }
}

void person_term_end(const char *start, int years, char out[PERSON_DATE_LEN + 1])
{
    int y, m, d;
    if (!ymd(start, &y, &m, &d)) {
        out[0] = '\0';
        return;
    }
    y += years;
    if (d > civil_month_days(y, m)) d = civil_month_days(y, m);
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    memcpy(out, buf, PERSON_DATE_LEN);
    out[PERSON_DATE_LEN] = '\0';
}

void person_add_months(const char *date, long months, char out[PERSON_DATE_LEN + 1])
{
    int y, m, d;
    if (!ymd(date, &y, &m, &d) || months < -12000 || months > 12000) {
        out[0] = '\0';
        return;
    }
    long total = (long)y * 12 + (m - 1) + months;
    y = (int)(total / 12);
    m = (int)(total % 12) + 1;
    if (d > civil_month_days(y, m)) d = civil_month_days(y, m);
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    memcpy(out, buf, PERSON_DATE_LEN);
    out[PERSON_DATE_LEN] = '\0';
}

long person_days_between(const char *a, const char *b)
{
    int ya, ma, da, yb, mb, db;
    if (!ymd(a, &ya, &ma, &da) || !ymd(b, &yb, &mb, &db)) return 0;
    return civil_days(yb, mb, db) - civil_days(ya, ma, da);
}
